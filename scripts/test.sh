#!/usr/bin/env bash
# Install what the tests need, then run the whole test suite: python -m pytest
# (including the browser tests in tests/e2e, which drive Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! command -v chromium >/dev/null || [ ! -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ]; then
  # Debian's chromium (and fonts with Vietnamese glyphs); never a browser downloaded by Playwright.
  # chromium also draws the meeting report's charts (kaleido); fonts-liberation2 is the PDF's font.
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core fonts-liberation2
fi
exec .venv/bin/python -m pytest "$@"
