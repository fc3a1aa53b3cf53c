"""Nhập dữ liệu as a new editor does it: log in, open the page from the menu, download the
budget template, fill it (here with openpyxl, as a person would in Excel), upload it, choose
the province the template does not print, look at the preview, save, and see the figures on
the Ngân sách page.

This file writes to the session's warehouse (a province-year no shipped document covers), so
it is named to run after the other e2e files."""
from __future__ import annotations

import re
from urllib.parse import urlencode

from openpyxl import load_workbook

from loaders.families.templates import SPECS
from loaders.families.templates.spec import FIRST_DATA_ROW
from tests.e2e.helpers import errors_on, login, main_text, metric
from tests.e2e.server import EDITOR, open_page, rerun_after

WHO = "Nguyễn Thị Kiểm Thử"
PROVINCE, YEAR = "Lai Châu", 2026
ROWS = [
    ["1", "Hội nghị triển khai nhiệm vụ khoa học", "Văn phòng Sở", "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý I", "Chi", 150_000_000],
    ["2", "Thanh tra chuyên ngành đo lường", "Thanh tra Sở", "Quản lý nhà nước (QLNN)", "dự toán", "Quý III", "Chi", 45_500_000],
]


def _login(page) -> None:
    login(page, *EDITOR)
    assert WHO in page.locator('[data-testid="stSidebar"]').text_content()


def test_menu_offers_the_page_to_editors_only(page, server):
    open_page(page, server)
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert nav.get_by_role("link", name="Nhập dữ liệu").count() == 0
    _login(page)
    assert nav.get_by_role("link", name="Nhập dữ liệu").count() == 1


def test_download_fill_upload_save_and_see_it_on_the_budget_page(page, server, tmp_path):
    open_page(page, server)
    _login(page)
    rerun_after(page, page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Nhập dữ liệu").click)
    assert page.get_by_role("heading", name="Nhập dữ liệu").count() == 1

    # 1. the template, downloaded from the page
    page.get_by_role("tab", name="Mẫu nhập liệu Excel").click()
    year_box = page.get_by_label("Năm ghi sẵn", exact=True)
    if year_box.input_value() != str(YEAR):  # prefilled with this year
        year_box.fill(str(YEAR))
        rerun_after(page, lambda: year_box.press("Enter"))
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải mẫu Excel (.xlsx)").click()
    download = info.value
    assert download.suggested_filename == f"mau_budget_{YEAR}.xlsx"
    template = tmp_path / download.suggested_filename
    download.save_as(template)

    # 2. filled in
    wb = load_workbook(template)
    ws = wb[SPECS["budget"].sheet]
    assert ws["B2"].value == YEAR
    for r, row in enumerate(ROWS, start=FIRST_DATA_ROW):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    filled = tmp_path / "du_toan_lai_chau.xlsx"
    wb.save(filled)

    # 3. uploaded and previewed
    page.get_by_role("tab", name="Tải văn bản lên").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile(r"^(Tải lên|Browse files|Upload)$")).click()
    rerun_after(page, lambda: chooser.value.set_files(str(filled)))
    assert "Mẫu nhập liệu Excel của ứng dụng" in main_text(page)
    assert "Chọn tỉnh, năm và loại văn bản để xem trước." in main_text(page)
    box = page.get_by_role("combobox", name="Tỉnh", exact=True)
    box.click()
    page.keyboard.type(PROVINCE)  # the list of 60-odd provinces is long: type to find it
    rerun_after(page, page.get_by_role("option", name=PROVINCE, exact=True).click)
    assert errors_on(page) == []
    text = main_text(page)
    assert "195.500.000 đ" in text  # the lines' total, before anything is saved
    # the amount's cell, as the officer finds it in the workbook (issue 18, item 5)
    assert "Hội nghị triển khai nhiệm vụ khoa học" in text and "trang tính Ngân sách, ô H4" in text

    # 4. saved through the audited write path
    rerun_after(page, page.get_by_role("button", name="Lưu vào kho dữ liệu").click)
    assert errors_on(page) == []
    assert "Đã lưu du_toan_lai_chau.xlsx" in main_text(page)

    # 5. the figures on the budget page
    open_page(page, server, "ngan-sach", urlencode({"province": PROVINCE, "year": str(YEAR)}))
    assert errors_on(page) == []
    assert metric(page, "Tổng chi theo bộ lọc") == "195.500.000 đ"
