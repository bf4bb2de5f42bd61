"""sslint: finds OpenSSL object-lifecycle bugs in C sources."""

__version__ = "0.1.0"
