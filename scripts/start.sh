#!/usr/bin/env bash
# Install (first time) and start the dashboard on the shipped documents in data/raw (read-only) and
# the department's own data in the data directory: SKHCN_DATA, by default ~/.local/share/skhcn-dashboard
# (uploads, the warehouse, entries and audit log, accounts; `python -m warehouse paths` prints each).
# The warehouse is built on first start and rebuilt when the documents change. The first command
# also moves what an older version wrote into this checkout (uploads in data/raw, data/users.yaml,
# data/entries/) to the data directory, saying so.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# First start: create the accounts file (<data dir>/users.yaml) and print the admin's one-time password.
.venv/bin/python -m warehouse users init
# Build (or refresh) the warehouse before the server starts, so the first page does not wait for
# it; a document that cannot be read is reported here and on the pages (the last good warehouse is
# served), and the app still rebuilds by itself when the documents change while it runs.
.venv/bin/python -m warehouse build --if-stale --wait 0 || echo "Kho dữ liệu chưa được cập nhật, hoặc thiếu văn bản trùng (xem thông báo ở trên); bảng điều khiển dùng kho hiện có."
exec .venv/bin/python -m streamlit run app.py "$@"
