"""Shared fixtures: the repository root on sys.path (a source checkout runs the
tests without an install) and a helper to run sslint in-process."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
TESTDATA = ROOT / "testdata"

# The results cache (sslint.session.results) is on by default for `sslint check`;
# tests run without it unless they test it (they unset this and name a folder).
os.environ.setdefault("SSLINT_NO_CACHE", "1")
