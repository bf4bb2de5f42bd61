"""The dataflow engine: a path-sensitive worklist over one function's CFG that
follows every tracked handle's ownership, references and nullness, driven by the
API model, and emits events (sslint.core.events). Knows C and dataflow, not OpenSSL.

Installed compiled (mypyc, setup.py) where possible; SSLINT_PURE=1 runs the Python
source instead (sslint/__init__.py)."""
