"""Every page of app.py's PAGES opens in a real browser (1366×768) without an error, shows
itself as the current page and, where we know them, its headline figures, and does not
scroll sideways. Pages are read from app.py when the tests are collected, so a page added
there is covered without touching this file."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.e2e.helpers import errors_on, horizontal_overflow, main_text, metric
from tests.e2e.server import VIEWPORT, app_pages, open_page

PAGES = app_pages()

# Headline figures of the shipped documents (the same figures the AppTest tests check):
# script → (query string, {metric label: value}, texts somewhere in the main area)
HEADLINES = {
    "pages/overview.py": (
        {"province": "Điện Biên", "year": "2024"},
        {"Tổng chi": "11.523.500.000 đ", "Tổng thu (phí, lệ phí)": "41.000.000 đ", "Tổng cộng đã đối chiếu": "18/18 khớp"},
        ["khớp đến từng đồng"],
    ),
    "pages/budget.py": ({"province": "Điện Biên", "year": "2024"}, {"Tổng chi theo bộ lọc": "11.523.500.000 đ"}, []),
    "pages/execution.py": (
        {"province": "Điện Biên"},
        {"Tổng dự toán đề xuất 2022": "30.906.300.000 đ"},
        ["13.734.000.000 đ", "99,9%", "6 tháng đầu năm"],
    ),
}


def _id(p) -> str:
    return p.url_path


def _open(page, server, info):
    query, _, _ = HEADLINES.get(info.script, ({}, {}, []))
    open_page(page, server, info.route, urlencode(query))


def test_pages_are_declared():
    """The list the tests run over is really app.py's (and holds the three budget pages)."""
    scripts = {p.script for p in PAGES}
    assert {"pages/overview.py", "pages/budget.py", "pages/execution.py"} <= scripts
    assert sum(p.default for p in PAGES) <= 1


@pytest.mark.parametrize("info", PAGES, ids=_id)
def test_page_loads(page, server, info):
    assert page.viewport_size == VIEWPORT
    _open(page, server, info)
    assert errors_on(page) == []
    current = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    assert current.count() == 1, "no page is marked current in the navigation"
    # the link's text is the icon's ligature name, then the title
    assert current.inner_text().strip().splitlines()[-1].strip() == info.title, "another page ran"
    assert page.locator('[data-testid="stMain"] h1').count() >= 1, "the page shows no title"
    _, metrics, texts = HEADLINES.get(info.script, ({}, {}, []))
    for label, value in metrics.items():
        assert metric(page, label) == value
    text = main_text(page)
    for wanted in texts:
        assert wanted in text
    # readable at 1366×768: neither the document nor Streamlit's scrolling main area is wider
    # than the window (a wide table scrolls inside its own grid, which is fine)
    assert horizontal_overflow(page) == {}, "the page scrolls sideways at 1366×768"
