#!/usr/bin/env bash
# Install (first time) and start the dashboard on the shipped documents in data/raw.
# The warehouse (data/warehouse.duckdb) is built on first start and rebuilt when data/raw changes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m streamlit run app.py "$@"
