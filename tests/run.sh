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

exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
