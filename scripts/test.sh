#!/usr/bin/env bash
# Install what the tests need, then run the whole test suite: python -m pytest
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
