"""The budget page used as a person uses it: filters chosen with the mouse, a click on a
bar, a click on a table row, the Excel download and a copied link."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlparse

import openpyxl
import pytest

from tests.e2e.helpers import (
    chips,
    choose,
    combobox_value,
    errors_on,
    grid_cell,
    main_text,
    metric,
    remove_chip,
)
from tests.e2e.server import VIEWPORT, app_pages, open_page, rerun_after, wait_for_app

BUDGET = next(p for p in app_pages() if p.script == "pages/budget.py")
DIEN_BIEN_2024 = urlencode({"province": "Điện Biên", "year": "2024"})
TOTAL = "Tổng chi theo bộ lọc"
SNKH = "Sự nghiệp KH&CN (SNKH)"
QLNN = "Quản lý nhà nước (QLNN)"
DOC = "000_3dbcd40b8eb90139.txt"


def dong(text: str) -> int:
    """"7.636.000.000 đ" → 7636000000."""
    assert re.fullmatch(r"-?[\d.]+ đ", text), text
    return int(text.replace(".", "").replace(" đ", ""))


@pytest.fixture()
def budget(page, server):
    open_page(page, server, BUDGET.route, DIEN_BIEN_2024)
    assert metric(page, TOTAL) == "11.523.500.000 đ"
    return page


def test_source_filter_chosen_in_the_ui(budget):
    page = budget
    choose(page, "Nguồn kinh phí", SNKH)
    assert chips(page, "Nguồn kinh phí") == [SNKH]
    assert metric(page, TOTAL) == "7.636.000.000 đ"
    assert parse_qs(urlparse(page.url).query)["source"] == ["SNKH"]

    remove_chip(page, "Nguồn kinh phí", SNKH)
    assert metric(page, TOTAL) == "11.523.500.000 đ"
    choose(page, "Nguồn kinh phí", QLNN)
    assert chips(page, "Nguồn kinh phí") == [QLNN]
    assert metric(page, TOTAL) == "307.500.000 đ"
    assert errors_on(page) == []


def _bar_box(page, chart_title: str, category: str) -> dict:
    """Bounding box of the bar of ``category`` (a y-axis label) in the Plotly chart titled
    ``chart_title``: the bar whose centre is level with the label."""
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text=chart_title)
    assert chart.count() == 1, f"{chart.count()} charts titled {chart_title!r}"
    chart.scroll_into_view_if_needed()
    label = chart.locator("g.ytick text").filter(has_text=category)
    assert label.count() == 1, f"no axis label {category!r}"
    at = label.bounding_box()
    ly = at["y"] + at["height"] / 2
    bars = [b.bounding_box() for b in chart.locator("g.point path").all()]
    assert bars, "the chart has no bars"
    return min(bars, key=lambda b: abs(b["y"] + b["height"] / 2 - ly))


def test_click_on_a_bar_shows_the_lines_behind_it(budget):
    page = budget
    box = _bar_box(page, "Theo nguồn kinh phí", QLNN)
    rerun_after(page, lambda: page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
    info = page.locator('[data-testid="stAlertContentInfo"]').filter(has_text="Đang xem các dòng của")
    assert info.count() == 1
    assert f"Đang xem các dòng của: {QLNN}." in info.inner_text()
    # the table below now holds only the QLNN lines: 9 lines adding up to the QLNN bar
    assert "9 dòng · cộng 307.500.000 đ" in main_text(page)
    grid = page.locator('[data-testid="stDataFrame"]').last.text_content()
    assert QLNN in grid and SNKH not in grid
    # the filters themselves did not change
    assert metric(page, TOTAL) == "11.523.500.000 đ"
    assert errors_on(page) == []


def _select_first_row(page) -> None:
    """Tick the row marker of the first row of the lines table (the grid is a canvas: the
    click goes to the row's position, header and rows are 35 px high)."""
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    rerun_after(page, lambda: page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 / 2))


def test_click_on_a_table_row_shows_document_and_line(budget):
    page = budget
    choose(page, "Nguồn kinh phí", QLNN)
    assert "Chọn một dòng trong bảng" in main_text(page)
    first = grid_cell(page, page.locator('[data-testid="stDataFrame"]').last, 0, "Nội dung").text_content()
    _select_first_row(page)
    assert errors_on(page) == []
    source = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Nguồn:")
    assert source.count() == 1, "no 'Nguồn: file, dòng N' caption after choosing a row"
    m = re.fullmatch(r"Nguồn: (\S+), dòng (\d+)", source.inner_text().strip())
    assert m, source.inner_text()
    document, line = m.group(1), int(m.group(2))
    assert document == DOC
    # the summary above names the line's amount; the excerpt marks the document's line with
    # "▶" and that line prints the same amount
    summary = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text=" — ").filter(has_text=" đ, ")
    assert summary.count() == 1
    assert summary.inner_text().startswith(f"{first} — "), "the row shown is not the row clicked"
    amount = re.search(r" — ([\d.]+) đ,", summary.inner_text()).group(1)
    code = page.locator('[data-testid="stCode"]').first.inner_text()
    marked = [ln for ln in code.splitlines() if ln.lstrip().startswith("▶")]
    assert len(marked) == 1, code
    assert re.match(rf"▶\s+{line} │ ", marked[0].strip()), marked[0]
    assert amount in marked[0], (amount, marked[0])
    assert errors_on(page) == []


def test_excel_download_adds_up_to_the_metric(budget, tmp_path):
    page = budget
    choose(page, "Nguồn kinh phí", SNKH)
    shown = metric(page, TOTAL)
    assert shown == "7.636.000.000 đ"
    lines_caption = re.search(r"(\d+) dòng · cộng ([\d.]+ đ)", main_text(page))
    with page.expect_download() as dl:
        page.get_by_role("button", name="Tải Excel (.xlsx)").click()
    assert dl.value.suggested_filename.endswith(".xlsx")
    path = tmp_path / "lines.xlsx"
    dl.value.save_as(path)

    ws = openpyxl.load_workbook(path).active  # a valid workbook, or this raises
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and "Số tiền (đồng)" in r)
    col = rows[header_at].index("Số tiền (đồng)")
    sources = rows[header_at].index("Nguồn")
    body = [r for r in rows[header_at + 1:] if r and r[col] is not None and not str(r[col]).startswith("=")]
    assert body, "the workbook has no lines"
    assert all(isinstance(r[col], int) for r in body)
    assert {r[sources] for r in body} == {"SNKH"}
    assert sum(r[col] for r in body) == dong(shown)
    assert len(body) == int(lines_caption.group(1))
    formula = [r[col] for r in rows[header_at + 1:] if r and isinstance(r[col], str) and r[col].startswith("=SUM(")]
    assert len(formula) == 1, "no SUM total row"


def test_copied_link_opens_the_same_view(page, server, browser):
    open_page(page, server, BUDGET.route)  # no filters in the address: the defaults
    choose(page, "Tỉnh", "Điện Biên")
    choose(page, "Năm ngân sách", "2024")
    choose(page, "Nguồn kinh phí", QLNN)
    choose(page, "Phòng/đơn vị", "Thanh tra Sở")
    shown = metric(page, TOTAL)
    assert shown == "32.500.000 đ"
    link = page.url

    other = browser.new_context(viewport=VIEWPORT)  # another person: no session, no cookies
    try:
        fresh = other.new_page()
        fresh.goto(link, wait_until="domcontentloaded")
        wait_for_app(fresh)
        assert errors_on(fresh) == []
        assert metric(fresh, TOTAL) == shown
        assert combobox_value(fresh, "Tỉnh") == "Điện Biên"
        assert combobox_value(fresh, "Năm ngân sách") == "2024"
        assert chips(fresh, "Nguồn kinh phí") == [QLNN]
        assert chips(fresh, "Phòng/đơn vị") == ["Thanh tra Sở"]
    finally:
        other.close()
