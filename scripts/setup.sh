#!/usr/bin/env bash
# Create .venv (if missing) and install ptsa into it; with "test", the test tools too.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
extra=""
[ "${1:-}" = "test" ] && extra="[test]"
stamp=".venv/.installed${extra}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet --editable ".${extra}"
    touch "$stamp"
fi
if [ "${1:-}" = "test" ] && ! command -v chromium >/dev/null; then
    # The `ptsa serve` test drives Debian's Chromium (Playwright's own browsers are a download
    # from outside the package registries). Root on Debian installs it; elsewhere the test skips.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "setup: installing Debian's chromium for the browser test" >&2
        apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null 2>&1 \
                && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; } \
            || echo "setup: chromium could not be installed; the browser test will say so" >&2
    fi
fi
