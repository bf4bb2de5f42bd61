"""The front end, the only code that touches libclang: finds the toolchain's headers
and the compile flags, parses (with shared PCHs and a fallback for missing OpenSSL
headers) and lowers each function into the IR (sslint.core.ir)."""
