"""Start the dashboard for browser tests and screenshots (shared by ``tests/e2e/conftest.py``
and ``scripts/screenshots.py``; no pytest here).

* ``build_warehouse(base)`` copies ``data/raw`` into ``base`` and builds a warehouse there, so
  nothing in the repository is written (entered KPI actuals and the audit log go there too,
  the accounts file, with the editor ``EDITOR``, the layout profiles saved from the upload
  page, ``base/layouts``, and the uploads: the server's data directory ``base/data``, so
  ``base/data/uploads``; the user's own data directory is never read).
* ``StreamlitServer`` runs ``python -m streamlit run app.py --server.port <free port>
  --server.headless true`` with ``SKHCN_DB`` / ``SKHCN_RAW`` / ``SKHCN_ENTRIES`` / ``SKHCN_LAYOUTS`` /
  ``SKHCN_DATA`` (and ``SKHCN_MIGRATE=0``) pointing at
  that copy, waits until ``/_stcore/health`` answers ``ok`` and stops the process group at the
  end.
* ``app_pages()`` reads the pages declared in ``app.py``'s ``PAGES`` (parsed, not executed:
  importing ``app.py`` would run the app), so a page added there is covered automatically;
  ``role_pages()`` the pages of ``ROLE_PAGES`` (for editors and admins) with their role.
* ``launch_chromium(playwright)`` starts Debian's ``/usr/bin/chromium`` (never a downloaded
  browser) and ``wait_for_app(page)`` waits until a run of the script has finished.

How ``wait_for_app`` knows a run finished: Streamlit's root element ``[data-testid="stApp"]``
carries ``data-test-script-state`` ("initial", "running", "rerunRequested", "notRunning", …)
and ``data-test-connection-state`` ("CONNECTED" once the websocket is up). While a rerun is
in progress the elements of the previous run stay on the page marked ``data-stale="true"``
and are removed when the run ends. The page is settled when the script state is
``notRunning``, the connection is ``CONNECTED``, no element is stale, no skeleton placeholder
is left and the main block holds at least one element — and all of that still holds a moment
later (a rerun can start right after a run ends, e.g. when a page rewrites its query string).
The header's ``stStatusWidget`` ("Running…") is *not* used: Streamlit shows it only after a
delay, so its absence proves nothing.

After an interaction that makes Streamlit rerun, there is a short gap before the frontend
hears the run has started, during which the page still looks settled;
``rerun_after(page, action)`` therefore installs a MutationObserver *before* the action
(script state turning ``running`` / ``rerunRequested``, or elements turning stale), waits
until a run has been seen to start and then waits for the page to settle.
"""
from __future__ import annotations

import ast
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
RAW = ROOT / "data" / "raw"

CHROMIUM = Path(os.environ.get("SKHCN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1366, "height": 768}

EDITOR = ("kiemthu", "mat-khau-kiem-thu")  # login, password of the editor in each server's accounts file
START_TIMEOUT = 120.0  # seconds for the server to answer its health check
RUN_TIMEOUT = 90_000  # milliseconds for one script run to finish (2 slow cores)


# --- pages -------------------------------------------------------------------------------
@dataclass(frozen=True)
class PageInfo:
    """One ``st.Page`` of ``app.py``: its script, title, declared ``url_path`` and whether
    it is the default page (Streamlit serves the default page at ``/``, whatever its
    ``url_path``)."""

    script: str
    title: str
    url_path: str
    default: bool

    @property
    def route(self) -> str:
        """The path the page is served at: ``""`` for the default page."""
        return "" if self.default else self.url_path

    @property
    def name(self) -> str:
        """A file name for the page: its declared ``url_path``."""
        return self.url_path


def _literal(node: ast.AST):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _script(node: ast.AST) -> str | None:
    """The script of an ``st.Page`` relative to the app's folder: a string literal
    (``"pages/x.py"``) or a path built from a folder variable (``HERE / "pages" / "x.py"``)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left = "" if isinstance(node.left, ast.Name) else _script(node.left)
        right = _literal(node.right)
        if left is None or not isinstance(right, str):
            return None
        return f"{left}/{right}" if left else right
    value = _literal(node)
    return value if isinstance(value, str) else None


def app_pages(app: Path = APP) -> list[PageInfo]:
    """Every ``st.Page("pages/…py", …)`` (or ``st.Page(HERE / "pages" / "….py", …)``) inside
    ``PAGES = …`` of ``app.py``, in order.

    Raises ``ValueError`` when ``PAGES`` is missing or holds no page, ``TypeError`` for a
    page that cannot be read without running the app (e.g. built in a loop), so a test
    never passes on an empty or partial list.
    """
    value = _assigned(app, "PAGES")
    pages = []
    for call in ast.walk(value):
        if not (isinstance(call, ast.Call) and getattr(call.func, "attr", getattr(call.func, "id", None)) == "Page"):
            continue
        kw = {k.arg: _literal(k.value) for k in call.keywords if k.arg}
        script = _script(call.args[0]) if call.args else kw.get("page")
        if not isinstance(script, str):
            raise TypeError(f"{app}:{call.lineno}: st.Page whose script is not a string literal")
        stem = Path(script).stem
        url_path = (kw.get("url_path") or stem).strip("/")
        pages.append(PageInfo(script, kw.get("title") or stem, url_path, bool(kw.get("default", False))))
    if not pages:
        raise ValueError(f"{app}: PAGES holds no st.Page(...) call")
    return pages


def _assigned(app: Path, name: str) -> ast.AST:
    """The value of the module-level ``name = …`` of ``app`` (``ValueError`` when absent)."""
    tree = ast.parse(app.read_text(encoding="utf-8"), filename=str(app))
    value = None
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            value = node.value
    if value is None:
        raise ValueError(f"{app}: no {name} = … assignment")
    return value


def role_pages(app: Path = APP) -> list[tuple[str, PageInfo]]:
    """Every page of ``ROLE_PAGES`` in ``app.py`` — ``(role, script, title, icon)`` tuples,
    the pages shown in the menu to that role and up — as ``(role, PageInfo)``, in order.

    Raises ``ValueError`` when ``ROLE_PAGES`` is missing or holds no page, ``TypeError`` for
    an entry that is not such a tuple of literals."""
    pages = []
    for node in ast.walk(_assigned(app, "ROLE_PAGES")):
        if not (isinstance(node, ast.Tuple) and len(node.elts) == 4):
            continue
        role, title = _literal(node.elts[0]), _literal(node.elts[2])
        script = _script(node.elts[1])
        if not (isinstance(role, str) and isinstance(title, str) and isinstance(script, str)):
            raise TypeError(f"{app}:{node.lineno}: a ROLE_PAGES entry that is not (role, script, title, icon)")
        pages.append((role, PageInfo(script, title, Path(script).stem, False)))
    if not pages:
        raise ValueError(f"{app}: ROLE_PAGES holds no page")
    return pages


# --- warehouse and server ----------------------------------------------------------------
def build_warehouse(base: Path, raw: Path = RAW) -> dict[str, Path]:
    """Copy ``raw`` into ``base/raw`` and build ``base/warehouse.duckdb`` from it; entered KPI
    actuals and the audit log will be ``base/entries/entries.sqlite``, the accounts file
    ``base/users.yaml`` (an admin and the editor ``EDITOR``)."""
    from warehouse.store import build

    base = Path(base)
    base.mkdir(parents=True, exist_ok=True)
    raw_copy = base / "raw"
    if raw_copy.exists():
        shutil.rmtree(raw_copy)
    shutil.copytree(raw, raw_copy)
    db = base / "warehouse.duckdb"
    entries = base / "entries" / "entries.sqlite"
    saved = os.environ.get("SKHCN_ENTRIES")
    os.environ["SKHCN_ENTRIES"] = str(entries)  # the build's audit line goes to this server's store
    try:
        build(raw_copy, db)
    finally:
        if saved is None:
            del os.environ["SKHCN_ENTRIES"]
        else:
            os.environ["SKHCN_ENTRIES"] = saved
    users = base / "users.yaml"
    if not users.exists():
        from warehouse import users as accounts

        accounts.ensure(users)
        accounts.add_user(EDITOR[0], "Nguyễn Thị Kiểm Thử", "editor", password=EDITOR[1], path=users)
    return {"raw": raw_copy, "db": db, "entries": entries, "users": users, "layouts": base / "layouts",
            "data": base / "data", "uploads": base / "data" / "uploads", "base": base}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """``with StreamlitServer(paths) as server: page.goto(server.url("ngan-sach"))``."""

    def __init__(
        self, paths: dict[str, Path], port: int | None = None, log: Path | None = None, extra_args: tuple[str, ...] = (),
        app: Path | None = None,
    ):
        self.app = Path(app or APP)  # another script: benchmarks/minimal_app.py, the framework's floor
        self.paths = paths
        self.extra_args = list(extra_args)
        self.port = port or free_port()
        self.log = Path(log or Path(paths["base"]) / "streamlit.log")
        self.proc: subprocess.Popen | None = None
        self.base_url = f"http://127.0.0.1:{self.port}"

    def url(self, route: str = "", query: str = "") -> str:
        return f"{self.base_url}/{route.strip('/')}" + (f"?{query.lstrip('?')}" if query else "")

    def start(self) -> Self:
        env = dict(os.environ)
        env.update(
            SKHCN_DB=str(self.paths["db"]),
            SKHCN_RAW=str(self.paths["raw"]),
            SKHCN_ENTRIES=str(self.paths["entries"]),
            SKHCN_USERS=str(self.paths.get("users") or Path(self.paths["base"]) / "users.yaml"),
            SKHCN_LAYOUTS=str(self.paths.get("layouts") or Path(self.paths["base"]) / "layouts"),
            # uploads go to this server's own data directory, never the user's; nothing migrates
            SKHCN_DATA=str(self.paths.get("data") or Path(self.paths["base"]) / "data"),
            SKHCN_MIGRATE="0",
            STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
            PYTHONUNBUFFERED="1",
        )
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(self.app),
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--server.fileWatcherType", "none",
            *self.extra_args,
        ]
        self._log_fh = self.log.open("wb")
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self._log_fh, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        health = f"{self.base_url}/_stcore/health"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with status {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(health, timeout=5) as r:
                    if r.status == 200 and r.read().decode().strip() == "ok":
                        if self.proc.poll() is not None:  # someone else answered on that port
                            raise RuntimeError(f"port {self.port} is taken:\n{self.log_tail()}")
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.5)
        raise TimeoutError(f"{health} did not answer 'ok' within {START_TIMEOUT:.0f}s:\n{self.log_tail()}")

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if getattr(self, "_log_fh", None):
            self._log_fh.close()
            self._log_fh = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- browser -----------------------------------------------------------------------------
def launch_chromium(playwright):
    """Debian's chromium through Playwright (``playwright install`` is never needed)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def _settled_js() -> str:
    """The settled-page test of ``scripts/warm.py`` (one definition for the warm-up and the tests)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("skhcn_warm", ROOT / "scripts" / "warm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SETTLED_JS


_SETTLED = _settled_js()

_WATCH = """() => {
  window.__e2eRunSeen = false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (window.__e2eObserver) window.__e2eObserver.disconnect();
  window.__e2eObserver = new MutationObserver((records) => {
    const s = app.getAttribute('data-test-script-state');
    if (s === 'running' || s === 'rerunRequested') window.__e2eRunSeen = true;
    // a run also shows as elements of the previous run turning stale
    if (records.some(r => r.attributeName === 'data-stale' && r.target.getAttribute('data-stale') === 'true'))
      window.__e2eRunSeen = true;
  });
  window.__e2eObserver.observe(app, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state', 'data-stale']});
}"""


def wait_for_app(page, timeout: float = RUN_TIMEOUT, quiet_ms: int = 700) -> None:
    """Wait until the current script run has finished and the page stays settled for
    ``quiet_ms`` (see the module docstring)."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        left = max(1.0, (deadline - time.monotonic()) * 1000)
        page.wait_for_function(_SETTLED, timeout=left)
        page.wait_for_timeout(quiet_ms)
        if page.evaluate(_SETTLED):
            return
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not settle")


def rerun_after(page, action: Callable[[], None], timeout: float = RUN_TIMEOUT) -> None:
    """Do ``action`` (a click, a choice…) that makes Streamlit rerun, and wait until that
    rerun has started and finished."""
    page.evaluate(_WATCH)
    action()
    page.wait_for_function("() => window.__e2eRunSeen === true", timeout=timeout)
    wait_for_app(page, timeout)


def open_page(page, server: StreamlitServer, route: str = "", query: str = "") -> None:
    """Go to ``route`` (``""`` = the default page) with ``query`` and wait for the run."""
    page.goto(server.url(route, query), wait_until="domcontentloaded", timeout=RUN_TIMEOUT)
    wait_for_app(page)


def screenshot_full(page) -> bytes:
    """A PNG of the whole page at the page's width. Streamlit scrolls inside
    ``[data-testid="stMain"]``, not the document, so Playwright's ``full_page`` alone would
    only capture the viewport: the viewport is made as tall as the content first."""
    size = page.viewport_size or VIEWPORT
    height = page.evaluate(
        "() => Math.max(document.querySelector('[data-testid=\"stMain\"]').scrollHeight, window.innerHeight)"
    )
    page.set_viewport_size({"width": size["width"], "height": int(height)})
    try:
        wait_for_app(page)
        page.wait_for_timeout(500)  # let Plotly redraw after the resize
        return page.screenshot(full_page=True, animations="disabled")
    finally:
        page.set_viewport_size(size)
