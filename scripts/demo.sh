#!/usr/bin/env bash
# Set up .venv, start the embedded database, load the demo office and show it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/ptsa demo "$@"
