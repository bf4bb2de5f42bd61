"""The API model: what OpenSSL's functions do to the handles they take and return,
the handle kinds, and OpenSSL's naming conventions, read from openssl.toml and the
project's [api] extensions. The only place that knows OpenSSL."""
