#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages, a virtualenv with a
# non-editable install of sslint, a smoke run of the installed command, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

# OpenSSL's headers: the testdata is analysed against the real ones.
if [ ! -f /usr/include/openssl/ssl.h ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libssl-dev >/dev/null
    else
        echo "tests/run.sh: OpenSSL headers missing; install libssl-dev (or openssl-devel)" >&2
        exit 2
    fi
fi

VENV=${SSLINT_VENV:-$PWD/.venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
# The engine compiled with mypyc, as `pip install .` gives it (setup.py); a failed
# compile is an error here, not a quiet fallback to Python.
export SSLINT_COMPILE=require
"$VENV/bin/python" -m pip install -q --disable-pip-version-check ".[test]"

# Microsoft's SARIF Multitool checks the SARIF against GitHub's ingestion rules
# (tests/test_sarif_multitool.py); npm ships it as a self-contained binary.
MULTITOOL_VERSION=5.7.0
if command -v npm >/dev/null 2>&1; then
    npm install --prefix .cache/sarif-multitool --no-audit --no-fund --silent \
        "@microsoft/sarif-multitool@$MULTITOOL_VERSION" \
        || echo "tests/run.sh: npm could not install the SARIF Multitool; its test will skip" >&2
else
    echo "tests/run.sh: npm not found; the SARIF Multitool test will skip" >&2
fi

# The installed package (not the checkout) must carry its rules and API table.
smoke=$(cd / && "$VENV/bin/sslint" rules)
echo "$smoke" | grep -q '^SSL101' || { echo "installed sslint lists no rules" >&2; exit 1; }
(cd / && "$VENV/bin/python" -c "from sslint.engine import state; assert state.COMPILED") \
    || { echo "the installed engine is not the compiled one" >&2; exit 1; }
(cd / && "$VENV/bin/python" -c "from sslint.frontend import clangx; assert clangx.ACCELERATED") \
    || { echo "the installed front end does not use its C cursor reader" >&2; exit 1; }

# The tests import the checkout: all of them with the engine compiled in place, then the
# quick ones on the engine's Python source (SSLINT_PURE=1; what installs without a C
# compiler run). The compiled modules are removed at the end: edits to the .py files
# would not reach them.
clean_compiled() { find sslint -name '*.so' -delete; rm -f sslint_engine__mypyc*.so; }
trap clean_compiled EXIT
"$VENV/bin/python" setup.py -q build_ext --inplace
SSLINT_EXPECT_ENGINE=compiled "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
SSLINT_PURE=1 SSLINT_EXPECT_ENGINE=pure \
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider -m "not slow" "$@"
