"""sslint: finds OpenSSL object-lifecycle bugs in C sources."""
import os
import sys

__version__ = "0.1.0"

# Modules setup.py compiles with mypyc where it can: the engine, the IR it reads, the
# lowering that builds it and source locations. SSLINT_PURE=1 in the environment makes
# a compiled install run their Python source instead (to compare, or to rule the
# compiler out when something looks wrong).
COMPILED = ("sslint.engine.", "sslint.core.ir", "sslint.core.loc", "sslint.frontend.lower")

if os.environ.get("SSLINT_PURE") == "1":
    import importlib.util

    class _PythonSource:
        """Finds the compiled modules as .py files before the compiled ones beside them."""

        @staticmethod
        def find_spec(name, path=None, target=None):
            if not any(name == m or (m.endswith(".") and name.startswith(m))
                       for m in COMPILED):
                return None
            source = os.path.join(os.path.dirname(__file__),
                                  *name.split(".")[1:]) + ".py"
            return importlib.util.spec_from_file_location(name, source) \
                if os.path.isfile(source) else None

    sys.meta_path.insert(0, _PythonSource)
