"""When the parser is not sure, the officer decides (issue 14), in the browser: an editor
uploads a workbook whose money column is headed in words nobody listed; the page refuses it
and shows its columns with the guessed roles; the editor makes that column "Số tiền" of stage
"Dự toán" in the grid's drop-downs, sees the lines and the total appear before anything is
saved, saves, and the layout profile and the figures are there.

A screenshot of the page in the decided state is left in test-results/e2e/ (for review; the
README's screenshots come from scripts/screenshots.py). This file writes to the session's
warehouse (a province-year no shipped document covers), so it is named to run after the
other e2e files."""
from __future__ import annotations

import re
import tomllib
from urllib.parse import urlencode

from openpyxl import Workbook

from tests.e2e.helpers import errors_on, login, main_text, metric, pick_in_cell
from tests.e2e.server import EDITOR, ROOT, open_page, rerun_after, screenshot_full

PROVINCE, YEAR = "Nghệ An", 2025
SHOT = ROOT / "test-results" / "e2e" / "nhap-du-lieu-quyet-dinh-cot.png"


def _workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "PL1"
    ws.append(["DỰ TOÁN KINH PHÍ NĂM 2025"])
    ws.append(["Đơn vị tính: triệu đồng"])
    ws.append(["TT", "Nội dung", "Số liệu phân bổ", "Ghi chú"])
    ws.append(["1", "Hội nghị tổng kết", 100, "Nguồn SNKH"])
    ws.append(["2", "Kiểm tra đo lường", 200.5, "Nguồn QLNN"])
    ws.append(["", "TỔNG CỘNG", 300.5, ""])
    wb.save(path)
    return path


def test_the_officer_names_the_money_column_and_saves(page, server, tmp_path):
    upload = _workbook(tmp_path / "phan_bo_nghe_an_2025.xlsx")
    open_page(page, server)
    login(page, *EDITOR)
    rerun_after(page, page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Nhập dữ liệu").click)

    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile(r"^(Tải lên|Browse files|Upload)$")).click()
    rerun_after(page, lambda: chooser.value.set_files(str(upload)))
    assert "không nhận ra loại văn bản" in main_text(page)
    box = page.get_by_role("combobox", name="Tỉnh", exact=True)
    box.click()
    page.keyboard.type(PROVINCE)
    rerun_after(page, page.get_by_role("option", name=PROVINCE, exact=True).click)
    year = page.get_by_label("Năm ngân sách", exact=True)
    year.fill(str(YEAR))
    rerun_after(page, lambda: year.press("Enter"))
    page.get_by_role("combobox", name="Loại", exact=True).click()  # (no Escape after it: it would clear the choice)
    rerun_after(page, page.get_by_role("option", name="Phụ lục dự toán", exact=True).click)

    # refused, its columns shown with the guess
    text = main_text(page)
    assert "Cột của bảng số tiền" in text and "không thấy cột số tiền" in text
    assert "Số liệu phân bổ" in text and "100 · 200,5 · 300,5" in text
    assert "300.500.000 đ" not in text
    grid = page.locator('[data-testid="stDataFrame"]').first

    # the editor decides: "Số tiền", "Dự toán"; the page reads the document again each time
    pick_in_cell(page, grid, 2, "Vai trò", "Số tiền")
    assert "không rõ là dự toán, kế hoạch, thực hiện hay đề xuất" in main_text(page)
    pick_in_cell(page, grid, 2, "Giai đoạn", "Dự toán")
    assert errors_on(page) == []
    text = main_text(page)
    assert "Đã đọc lại văn bản theo lựa chọn của bạn" in text
    assert "Tổng chi các dòng chi tiết: 300.500.000 đ" in text  # to the đồng, before anything is saved
    assert "1/1 tổng cộng khớp" in text and "trang tính PL1, ô C5" in text  # the second line's amount cell
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    SHOT.write_bytes(screenshot_full(page))

    name = page.get_by_label("Tên mẫu bố cục", exact=True)
    assert name.input_value() == "phan-bo-nghe-an-2025"
    rerun_after(page, page.get_by_role("button", name="Lưu vào kho dữ liệu").click)
    assert errors_on(page) == []
    text = main_text(page)
    assert "Đã lưu phan_bo_nghe_an_2025.xlsx" in text and "mẫu bố cục phan-bo-nghe-an-2025" in text

    # the document and its manifest row are in the server's data directory; the shipped folder is only read
    assert (server.paths["uploads"] / upload.name).read_bytes() == upload.read_bytes()
    assert upload.name in (server.paths["uploads"] / "manifest.csv").read_text(encoding="utf-8")
    assert not (server.paths["raw"] / upload.name).exists()
    assert upload.name not in (server.paths["raw"] / "manifest.csv").read_text(encoding="utf-8")
    profile = tomllib.loads((server.paths["layouts"] / "phan-bo-nghe-an-2025.toml").read_text(encoding="utf-8"))
    assert (profile["author"], profile["document"]) == (EDITOR[0], upload.name)
    assert profile["columns"]["2"]["role"] == "amount" and profile["columns"]["2"]["stage"] == "dự toán"

    open_page(page, server, "ngan-sach", urlencode({"province": PROVINCE, "year": str(YEAR)}))
    assert errors_on(page) == []
    assert metric(page, "Tổng chi theo bộ lọc") == "300.500.000 đ"
