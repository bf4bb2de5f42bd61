"""Allows `python -m sslint`."""
from sslint.cli import main

main()
