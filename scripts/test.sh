#!/usr/bin/env bash
# Installs what the tests need (see scripts/install.sh --test) and runs the whole test suite.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k doctor`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
exec .venv/bin/python -m pytest "$@"
