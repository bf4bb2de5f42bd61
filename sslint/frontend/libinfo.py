"""Which libclang this process would use, as a string for cache keys, without
loading it: the file stamps (size, mtime) of the clang package and its native
library."""
from __future__ import annotations

import os


def libclang_stamp() -> str:
    import clang  # the package only: cindex (and the native library) stay unloaded

    folder = os.path.dirname(os.path.abspath(clang.__file__))
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
                out.append(f"{os.path.relpath(path, folder)}:{st.st_size}:{st.st_mtime_ns}")
            except OSError:
                out.append(f"{os.path.relpath(path, folder)}:?")
    return "\n".join(out)
