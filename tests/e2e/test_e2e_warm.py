"""``scripts/warm.py`` (issue 17): after a server start it opens the read pages once in
headless chromium and says the dashboard is ready only when each was still; a server that does
not answer is said in one line, naming its address, with exit status 1.

It runs as its own process, as ``scripts/start.sh`` runs it: Playwright's sync API cannot start
inside the e2e session's own Playwright (its event loop)."""
import importlib.util
import socket
import subprocess
import sys
from pathlib import Path

from tests.e2e.server import StreamlitServer, build_warehouse
from tests.versions_data import make_raw

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "warm.py"
_spec = importlib.util.spec_from_file_location("warm", SCRIPT)  # its constants (Playwright is imported in warm())
warm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(warm)


def _warm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_warm_opens_every_read_page_then_says_ready(tmp_path):
    paths = build_warehouse(tmp_path, make_raw(tmp_path / "raw_src"))
    with StreamlitServer(paths) as server:
        base = server.url("").rstrip("/")
        run = _warm("--url", base, "--timeout", "120")
        assert run.returncode == 0, run.stdout + run.stderr[-2000:]
        said = run.stdout
        assert said.startswith(f"Bảng điều khiển đã sẵn sàng: {base}")
        for route in warm.WARM_PAGES:
            assert f"/{route} " in said
        log = server.log_tail()
        assert "Traceback" not in log, log


def test_a_server_that_does_not_answer_is_named():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = _warm("--url", f"http://127.0.0.1:{port}", "--timeout", "1")
    assert run.returncode == 1
    assert run.stdout.strip() == f"Không làm nóng được bảng điều khiển: máy chủ http://127.0.0.1:{port} không trả lời sau 1 giây"
