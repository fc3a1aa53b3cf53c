"""Every page of app.py's PAGES opens in a real browser (1366×768) as a new user opens it (no
parameters): without an error or a dialog, shown as the current page, with its headline
figures, in Vietnamese only (no None/nan, no snake_case codes, no English words in the text,
the tables' cells or the charts) and without scrolling sideways. Pages are read from app.py
when the tests are collected, so a page added there is covered without touching this file."""
from __future__ import annotations

import pytest

from tests.e2e.helpers import (
    errors_on,
    horizontal_overflow,
    main_text,
    metric,
    trace_names,
)
from tests.e2e.server import VIEWPORT, app_pages, open_page
from tests.pages_helpers import english_or_code

PAGES = app_pages()

# Headline figures of the shipped documents on each page's default view (the same figures
# the AppTest tests check): script → ({metric label: value}, texts somewhere in the main area)
HEADLINES = {
    "pages/tong-quan.py": (
        {"Tổng chi": "11.523.500.000 đ", "Tổng thu (phí, lệ phí)": "41.000.000 đ", "Tổng cộng đã đối chiếu": "18/18 khớp"},
        ["Dự toán 2024 · Điện Biên · chỉ các dòng chi tiết", "khớp đến từng đồng", "Chưa ghi nguồn: 34 dòng"],
    ),
    "pages/ngan-sach.py": ({"Tổng chi theo bộ lọc": "11.523.500.000 đ"}, ["Dự toán 2024 · Điện Biên"]),
    "pages/thuc-hien.py": (
        {"Tỷ lệ thực hiện 2020": "99,9%", "Tỷ lệ thực hiện 2021 (6 tháng đầu năm)": "58,9%", "Tổng dự toán đề xuất 2022": "30.906.300.000 đ"},
        ["Kế hoạch và thực hiện 2020–2021 · Điện Biên", "6 tháng đầu năm"],
    ),
    "pages/dieu-chinh.py": (
        {"Số quyết định điều chỉnh": "0", "Dự toán ban đầu (chi)": "11.523.500.000 đ"},
        ["Các phiên bản dự toán 2024 · Điện Biên", "chưa có quyết định điều chỉnh dự toán nào"],
    ),
    "pages/chi-tieu.py": (
        {"Số chỉ tiêu": "60", "Chưa có số liệu": "60"},
        ["Chỉ tiêu kế hoạch 2026 · Điện Biên", "Chưa có số liệu thực hiện cho chỉ tiêu định lượng nào"],
    ),
    "pages/nhiem-vu.py": ({"Số nhiệm vụ": "58", "Số dự án": "7", "Kinh phí dự kiến của dự án": "141,5 tỷ đ"}, ["Nhiệm vụ kế hoạch 2026 · Điện Biên"]),
    "pages/so-sanh.py": ({}, ["Lưu ý khi so sánh"]),
    "pages/xu-huong.py": ({}, ["Ngân sách Điện Biên theo năm · mỗi đường một giai đoạn"]),
}


def _id(p) -> str:
    return p.url_path


def test_pages_are_declared():
    """The list the tests run over is really app.py's, every page file is named after its
    URL path (what keeps a first deep link from "Page not found", see ui/legacy.py) and
    every page is covered by a headline here."""
    assert {p.script for p in PAGES} == set(HEADLINES)
    assert sum(p.default for p in PAGES) == 1
    for p in PAGES:
        assert p.script == f"pages/{p.url_path}.py"


@pytest.mark.parametrize("info", PAGES, ids=_id)
def test_page_loads(page, server, info):
    assert page.viewport_size == VIEWPORT
    open_page(page, server, info.route)
    assert errors_on(page) == []
    current = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    assert current.count() == 1, "no page is marked current in the navigation"
    # the link's text is the icon's ligature name, then the title
    assert current.inner_text().strip().splitlines()[-1].strip() == info.title, "another page ran"
    assert page.locator('[data-testid="stMain"] h1').count() >= 1, "the page shows no title"
    metrics, texts = HEADLINES[info.script]
    for label, value in metrics.items():
        assert metric(page, label) == value
    text = main_text(page)
    for wanted in texts:
        assert wanted in text
    assert english_or_code(text) == []
    # readable at 1366×768: neither the document nor Streamlit's scrolling main area is wider
    # than the window (a wide table scrolls inside its own grid, which is fine)
    assert horizontal_overflow(page) == {}, "the page scrolls sideways at 1366×768"


def test_charts_keep_scopes_apart(page, server):
    """Xu hướng draws one line per stage and kind; So sánh one scope; Thực hiện no proposal."""
    trends = next(p for p in PAGES if p.script == "pages/xu-huong.py")
    open_page(page, server, trends.route, "scopes=" + "|".join(["đề xuất:budget", "đề xuất:project"]))
    assert sorted(trace_names(page, "theo năm và giai đoạn")) == ["Đề xuất", "Đề xuất · kinh phí dự kiến của dự án"]
    execution = next(p for p in PAGES if p.script == "pages/thuc-hien.py")
    open_page(page, server, execution.route)
    assert "Đề xuất" not in trace_names(page, "Kế hoạch và thực hiện")
    assert errors_on(page) == []
