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

# The installed package (not the checkout) must carry its rules and API table.
smoke=$(cd / && "$VENV/bin/sslint" rules)
echo "$smoke" | grep -q '^SSL101' || { echo "installed sslint lists no rules" >&2; exit 1; }

exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
