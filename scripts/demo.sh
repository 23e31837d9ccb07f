#!/usr/bin/env bash
# Sets up .venv (reused when present) and checks the bundled sample packets offline:
# reports, summary.csv and the reviewer pages go to out/ (open out/index.html).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
exec .venv/bin/filingcheck batch samples/packets --out out "$@"
