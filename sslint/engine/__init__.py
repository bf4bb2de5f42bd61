"""The dataflow engine: a path-sensitive worklist over one function's CFG that
follows every tracked handle's ownership, references and nullness, driven by the
API model, and emits events (sslint.core.events). Knows C and dataflow, not OpenSSL.

Installed compiled (mypyc, setup.py) where possible. SSLINT_PURE=1 in the environment
makes a compiled install run the Python source instead (to compare, or to rule the
compiler out when something looks wrong)."""
import os
import sys

if os.environ.get("SSLINT_PURE") == "1":
    import importlib.util

    class _PythonSource:
        """Finds sslint.engine.* as .py files before the compiled modules beside them."""

        @staticmethod
        def find_spec(name, path=None, target=None):
            if not name.startswith(__name__ + "."):
                return None
            source = os.path.join(os.path.dirname(__file__), name.rsplit(".", 1)[1] + ".py")
            return importlib.util.spec_from_file_location(name, source) \
                if os.path.isfile(source) else None

    sys.meta_path.insert(0, _PythonSource)
