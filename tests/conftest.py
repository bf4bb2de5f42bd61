"""Shared fixtures: the repository root on sys.path (a source checkout runs the
tests without an install) and a helper to run sslint in-process."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
TESTDATA = ROOT / "testdata"
