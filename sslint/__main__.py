"""Allows `python -m sslint`."""
from sslint.shell.cli import main

main()
