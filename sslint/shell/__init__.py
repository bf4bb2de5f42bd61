"""The commands users run: the `sslint` command line, the language server, and
the rendering of rule documentation. Thin shells around sslint.session."""
