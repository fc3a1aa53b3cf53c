"""Warm a freshly started dashboard before the first reader comes (issue 17).

    .venv/bin/python scripts/warm.py [--url http://127.0.0.1:8501] [--timeout 120]

A Streamlit server imports the pages' libraries (pandas, Plotly, DuckDB), opens the warehouse
and runs the default views' queries only when a first session asks: the first reader after a
start waited 11–17 s. This opens each read page of ``WARM_PAGES`` (their default views) once in
Debian's headless chromium, through Playwright as the browser tests do, and waits for each to be
still (Streamlit's script state ``notRunning``, nothing stale). What it leaves behind is shared
with every later session: the imports, the DuckDB connection, the query results and chart specs
in ``st.cache_data``. ``scripts/start.sh`` runs it after starting the server and says the
dashboard is ready only then.

Exit status: 0 when every page came up still; 1 when the server did not answer, or answered
with another app (the page title is not ``EXPECTED_TITLE``), or a page did not settle, each said
in one line; 2 when chromium or Playwright is missing (the server runs on, unwarmed).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
import urllib.error
import urllib.request

#: The pages opened, in order (their routes: ``pages/<route>.py``); the default view of each.
WARM_PAGES = ("", "ngan-sach", "so-sanh", "xu-huong")
#: ``st.set_page_config(page_title=…)`` of app.py: the server answering is this dashboard.
EXPECTED_TITLE = "Ngân sách KH&CN"
CHROMIUM = "chromium"

#: A settled page (JavaScript for ``page.wait_for_function``): Streamlit's script state
#: ``notRunning``, connected, nothing stale or still a skeleton, and an element in the main
#: block. The browser tests use this same definition (``tests/e2e/server.py``).
SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  return !!(main && main.querySelector('[data-testid="stElementContainer"]'));
}"""


def wait_healthy(url: str, timeout: float) -> bool:
    """True once ``<url>/_stcore/health`` answers ``ok`` (polled), False after ``timeout`` s."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    return False


def warm(url: str, timeout: float = 120.0, pages: tuple[str, ...] = WARM_PAGES) -> list[tuple[str, float]]:
    """Open each of ``pages`` at ``url`` in headless chromium and wait for it to be still:
    [(route, seconds)]. Raises ``RuntimeError`` (its message in Vietnamese, naming the URL)
    when the server does not answer, is another app, or a page does not settle in ``timeout``
    s; ``FileNotFoundError`` when chromium is not installed."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    chromium = shutil.which(CHROMIUM)
    if chromium is None:
        raise FileNotFoundError("không có chromium (Debian: apt-get install chromium)")
    url = url.rstrip("/")
    if not wait_healthy(url, timeout):
        raise RuntimeError(f"máy chủ {url} không trả lời sau {timeout:.0f} giây")
    done = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            for route in pages:
                t0 = time.perf_counter()
                try:
                    page.goto(f"{url}/{route}", wait_until="domcontentloaded", timeout=timeout * 1000)
                    page.wait_for_function(SETTLED_JS, timeout=timeout * 1000, polling=100)
                except PlaywrightError as exc:
                    raise RuntimeError(f"trang {url}/{route} chưa xong sau {timeout:.0f} giây: {exc}") from exc
                if page.title() != EXPECTED_TITLE:
                    raise RuntimeError(f"{url} không phải bảng điều khiển này (tiêu đề trang: {page.title()!r})")
                done.append((route, time.perf_counter() - t0))
        finally:
            browser.close()
    return done


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="http://127.0.0.1:8501", help="the dashboard's address")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the server and for each page")
    args = ap.parse_args(argv)
    try:
        done = warm(args.url, args.timeout)
    except (FileNotFoundError, ImportError) as exc:
        print(f"Không làm nóng được bảng điều khiển ({exc}); trang đầu tiên sẽ chậm hơn.", flush=True)
        return 2
    except RuntimeError as exc:
        print(f"Không làm nóng được bảng điều khiển: {exc}", flush=True)
        return 1
    pages = ", ".join(f"/{route} {s:.1f} s" for route, s in done)
    print(f"Bảng điều khiển đã sẵn sàng: {args.url} (đã mở sẵn {pages})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
