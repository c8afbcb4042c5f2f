#!/usr/bin/env bash
# Installs what the tests need (see scripts/install.sh --test) and runs the whole test suite,
# spread over the machine's cores (pytest-xdist: one process and one WordPress per core, at most 4).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k doctor`, or `-n 0` for one process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
# The tests start many `python -m wp_seo_bridge` processes: compile the package once here
# rather than in each of them (Python does not save its compiled files when PYTHONDONTWRITEBYTECODE is set).
.venv/bin/python -m compileall -q wp_seo_bridge >/dev/null
exec .venv/bin/python -m pytest -n auto --maxprocesses=4 --dist worksteal "$@"
