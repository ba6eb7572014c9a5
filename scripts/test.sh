#!/usr/bin/env bash
# Set up .venv and run the test suite on an embedded PostgreSQL (or PTSA_TEST_DATABASE_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
exec .venv/bin/pytest "$@"
