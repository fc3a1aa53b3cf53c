"""The first visitor after a server start opens a deep link: no "Page not found" dialog, the
requested page runs, and the menu never lists the files of pages/ (Streamlit's legacy
multipage pass of the first session is handed over to app.py, see ui/legacy.py).

This needs a server nobody has visited yet, so it starts its own (on the session's
warehouse) instead of the shared one."""
from __future__ import annotations

from pathlib import Path

from tests.e2e.helpers import errors_on, metric
from tests.e2e.server import VIEWPORT, StreamlitServer, open_page

# Records every text the sidebar menu shows, from the very first paint on.
WATCH_MENU = """
window.__menus = [];
new MutationObserver(() => {
  const nav = document.querySelector('[data-testid="stSidebarNav"]');
  const text = nav ? nav.innerText : '';
  if (text && window.__menus[window.__menus.length - 1] !== text) window.__menus.push(text);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def test_first_visit_by_deep_link(browser, e2e_paths, tmp_path):
    files = {p.stem for p in (Path(__file__).resolve().parents[2] / "pages").glob("*.py")}
    with StreamlitServer(dict(e2e_paths, base=tmp_path)) as fresh:
        ctx = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
        try:
            page = ctx.new_page()
            page.add_init_script(WATCH_MENU)
            open_page(page, fresh, "thuc-hien", "province=Điện Biên")
            assert errors_on(page) == []  # no "Page not found" dialog
            assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Thực hiện ngân sách"
            assert metric(page, "Tỷ lệ thực hiện 2020") == "99,9%"
            menus = page.evaluate("() => window.__menus")
            assert menus, "the menu was never seen"
            assert "Thực hiện ngân sách" in menus[-1]
            for shown in menus:  # never the legacy menu of file names ("app", "ngan-sach", …)
                assert not {line.strip() for line in shown.splitlines()} & (files | {"app"}), shown
        finally:
            ctx.close()
