"""``scripts/warm.py`` (issue 17): after a server start it opens the read pages once in
headless chromium and says the dashboard is ready only when each was still; a server that does
not answer is said in one line, naming its address, with exit status 1."""
import importlib.util
import socket
import sys
from pathlib import Path

from tests.e2e.server import StreamlitServer, build_warehouse
from tests.versions_data import make_raw

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "warm.py"
spec = importlib.util.spec_from_file_location("warm", SCRIPT)
warm = importlib.util.module_from_spec(spec)
sys.modules["warm"] = warm
spec.loader.exec_module(warm)


def test_warm_opens_every_read_page_then_says_ready(tmp_path, capsys):
    paths = build_warehouse(tmp_path, make_raw(tmp_path / "raw_src"))
    with StreamlitServer(paths) as server:
        base = server.url("").rstrip("/")
        assert warm.main(["--url", base, "--timeout", "120"]) == 0
        said = capsys.readouterr().out
        assert said.startswith(f"Bảng điều khiển đã sẵn sàng: {base}")
        for route in warm.WARM_PAGES:
            assert f"/{route} " in said
        log = server.log_tail()
        assert "Traceback" not in log, log


def test_a_server_that_does_not_answer_is_named(capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert warm.main(["--url", f"http://127.0.0.1:{port}", "--timeout", "1"]) == 1
    said = capsys.readouterr().out
    assert said.strip() == f"Không làm nóng được bảng điều khiển: máy chủ http://127.0.0.1:{port} không trả lời sau 1 giây"
