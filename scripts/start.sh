#!/usr/bin/env bash
# Install (first time) and start the dashboard on the shipped documents in data/raw.
# The warehouse (data/warehouse.duckdb) is built on first start and rebuilt when data/raw changes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# First start: create the accounts file (data/users.yaml) and print the admin's one-time password.
.venv/bin/python -m warehouse users init
# Build (or refresh) the warehouse before the server starts, so the first page does not wait for
# it; a document that cannot be read is reported here and on the pages (the last good warehouse is
# served), and the app still rebuilds by itself when data/raw changes while it runs.
.venv/bin/python -m warehouse build --if-stale --wait 0 || echo "Kho dữ liệu chưa được cập nhật, hoặc thiếu văn bản trùng (xem thông báo ở trên); bảng điều khiển dùng kho hiện có."
exec .venv/bin/python -m streamlit run app.py "$@"
