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
# The meeting report (Tổng quan, "Tải báo cáo họp"): its PDF embeds Liberation Serif 2 (Vietnamese
# letters; Debian fonts-liberation2) and its charts are drawn by Debian's chromium through kaleido.
# Installed with apt when missing and possible; without them the report still comes out (another
# Unicode serif font, or a note in place of each chart).
if ! command -v chromium >/dev/null || [ ! -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if command -v apt-get >/dev/null && { [ -z "$SUDO" ] || sudo -n true 2>/dev/null; }; then
    { $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation2; } \
      || echo "Không cài được chromium/fonts-liberation2: báo cáo họp sẽ thiếu biểu đồ hoặc dùng phông khác."
  else
    echo "Thiếu chromium hoặc fonts-liberation2 (cài bằng apt-get với quyền root): báo cáo họp sẽ thiếu biểu đồ hoặc dùng phông khác."
  fi
fi
# First start: create the accounts file (<data dir>/users.yaml) and print the admin's one-time password.
.venv/bin/python -m warehouse users init
# Build (or refresh) the warehouse before the server starts, so the first page does not wait for
# it; a document that cannot be read is reported here and on the pages (the last good warehouse is
# served), and the app still rebuilds by itself when the documents change while it runs.
.venv/bin/python -m warehouse build --if-stale --wait 0 || echo "Kho dữ liệu chưa được cập nhật, hoặc thiếu văn bản trùng (xem thông báo ở trên); bảng điều khiển dùng kho hiện có."
# Start the server, then open its read pages once in headless chromium (scripts/warm.py: imports,
# the warehouse connection and the default views' queries are done before the first reader comes,
# who then waits ~2-5 s instead of 11-17 s); "Bảng điều khiển đã sẵn sàng" is printed only then.
.venv/bin/python -m streamlit run app.py "$@" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"; exit 0' INT TERM
port="${STREAMLIT_SERVER_PORT:-8501}"
base="${STREAMLIT_SERVER_BASE_URL_PATH:-}"
prev=""
for arg in "$@"; do
  case "$prev" in --server.port) port="$arg" ;; --server.baseUrlPath) base="$arg" ;; esac
  case "$arg" in --server.port=*) port="${arg#*=}" ;; --server.baseUrlPath=*) base="${arg#*=}" ;; esac
  prev="$arg"
done
base="${base#/}"
.venv/bin/python scripts/warm.py --url "http://127.0.0.1:${port}${base:+/$base}" || true
wait "$server"
