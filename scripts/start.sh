#!/usr/bin/env bash
# Install (first time) and start the dashboard on the shipped documents in data/raw.
# The warehouse (data/warehouse.duckdb) is built on first start and rebuilt when data/raw changes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# First start: create the accounts file (data/users.yaml) and print the admin's one-time password.
.venv/bin/python -m warehouse users init
exec .venv/bin/python -m streamlit run app.py "$@"
