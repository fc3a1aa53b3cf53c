"""The budget pages used as a person uses them: filters chosen with the mouse, a click on a
bar (found by its data), a row chosen with the keyboard, amounts that are numbers, the link
to the lines without a source, the Excel download and a copied link. Nothing is clicked by
pixel position."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlparse

import openpyxl
import pytest

from tests.e2e.helpers import (
    chips,
    choose,
    click_bar,
    combobox_value,
    errors_on,
    grid_cell,
    main_text,
    metric,
    remove_chip,
    select_row,
)
from tests.e2e.server import VIEWPORT, app_pages, open_page, rerun_after, wait_for_app
from ui.tables import LINE_EXPORT_COLUMNS
from warehouse.workbook import HEADERS

BUDGET = next(p for p in app_pages() if p.script == "pages/ngan-sach.py")
OVERVIEW = next(p for p in app_pages() if p.script == "pages/tong-quan.py")
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
    # the list offers no English "Select all"
    page.get_by_role("combobox", name="Phòng/đơn vị", exact=True).click()
    assert page.get_by_text("Select all").count() == 0
    page.keyboard.press("Escape")
    assert errors_on(page) == []


def test_click_on_a_bar_shows_the_lines_behind_it(budget):
    page = budget
    click_bar(page, "Theo nguồn kinh phí", "QLNN")
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


def test_amounts_are_numbers_in_the_table(budget):
    """The grid holds the amount as a number (its accessible copy is the raw value; the
    canvas shows it as "3.300.000.000 đ"), so sorting the column sorts by value."""
    page = budget
    grid = page.locator('[data-testid="stDataFrame"]').last
    values = [grid_cell(page, grid, r, "Số tiền").text_content() for r in range(6)]
    assert all(re.fullmatch(r"\d+", v) for v in values), values
    assert "3300000000" in values


def test_a_row_chosen_with_the_keyboard_shows_document_and_line(page, server):
    # opened with the filter in the address: Glide (the grid) ignores the keyboard after a
    # rerun that replaced its rows until it is clicked, so the keyboard user starts fresh
    open_page(page, server, BUDGET.route, urlencode({"province": "Điện Biên", "year": "2024", "source": "QLNN"}))
    assert "Chọn một dòng trong bảng" in main_text(page)
    grid = page.locator('[data-testid="stDataFrame"]').last
    first = grid_cell(page, grid, 0, "Nội dung").text_content()
    select_row(page, grid, 0)
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
    assert summary.inner_text().startswith(f"{first} — "), "the row shown is not the row chosen"
    amount = re.search(r" — ([\d.]+) đ,", summary.inner_text()).group(1)
    code = page.locator('[data-testid="stCode"]').first.inner_text()
    marked = [ln for ln in code.splitlines() if ln.lstrip().startswith("▶")]
    assert len(marked) == 1, code
    assert re.match(rf"▶\s+{line} │ ", marked[0].strip()), marked[0]
    assert amount in marked[0], (amount, marked[0])
    assert errors_on(page) == []


def test_unspecified_source_is_explained_and_one_click_away(page, server):
    open_page(page, server, OVERVIEW.route, DIEN_BIEN_2024)
    note = page.locator('[data-testid="stAlertContentInfo"]').filter(has_text="Chưa ghi nguồn")
    assert "34 dòng, 3.190.000.000 đ (27,7% tổng chi)" in note.inner_text()
    assert "không ghi nguồn kinh phí" in note.inner_text()
    rerun_after(page, page.get_by_role("link", name="Xem 34 dòng chưa ghi nguồn").click)
    wait_for_app(page)
    assert urlparse(page.url).path.endswith("/ngan-sach")
    assert chips(page, "Nguồn kinh phí") == ["Chưa ghi nguồn"]
    assert metric(page, TOTAL) == "3.190.000.000 đ"
    assert "34 dòng · cộng 3.190.000.000 đ" in main_text(page)
    assert errors_on(page) == []


def test_excel_download_adds_up_to_the_metric_in_vietnamese(budget, tmp_path):
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

    ws = openpyxl.load_workbook(path)["Dòng ngân sách"]  # a valid workbook, or this raises
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and "Số tiền (đồng)" in r)
    header = list(rows[header_at])
    assert header == [HEADERS[c] for c in LINE_EXPORT_COLUMNS]  # the Vietnamese headers
    col = header.index("Số tiền (đồng)")
    body = [r for r in rows[header_at + 1:] if r and r[col] is not None]
    assert body, "the workbook has no lines"
    assert all(isinstance(r[col], int) for r in body)
    assert {r[header.index("Nguồn kinh phí")] for r in body} == {SNKH}  # labels, not codes
    assert {r[header.index("Thu/Chi")] for r in body} == {"Chi"}
    assert sum(r[col] for r in body) == dong(shown)
    assert len(body) == int(lines_caption.group(1))


def test_copied_link_opens_the_same_view(page, server, browser):
    open_page(page, server, BUDGET.route)  # no filters in the address: the defaults
    assert combobox_value(page, "Tỉnh") == "Điện Biên" and combobox_value(page, "Năm ngân sách") == "2024"
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
