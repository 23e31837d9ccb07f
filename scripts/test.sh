#!/usr/bin/env bash
# Sets up .venv (reused when present) and runs every check: ruff, mypy, and the tests.
# The tests start their own private Redis and S3 (SeaweedFS) servers and stop them at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy pipeline workers schemas samples
exec .venv/bin/pytest "$@"
