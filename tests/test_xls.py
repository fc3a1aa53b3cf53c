"""Legacy Excel 97–2003 workbooks (.xls, loaders.tables.files.xls): the same budget appendix
written as .xls (xlwt) and as .xlsx (openpyxl) from the same data reads to the same budget
lines, totals and issues; provenance names sheet and cell; hidden rows and columns are not
read and said so; a hidden sheet is kept aside; a corrupt or encrypted .xls and a .doc are
refused in Vietnamese naming the file."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import xlwt
from openpyxl import Workbook

from loaders.documents import DocumentError, ManifestEntry, read_document, read_extracted
from loaders.tables.files import FormatError, extract

SHEET = "Biểu 01"
AMOUNT_FORMAT = "#,##0"
# The appendix, row by row (None: an empty cell); row 9 and column F are hidden in both files,
# and hold numbers that must not be read.
ROWS = [
    ["DỰ TOÁN KINH PHÍ SỰ NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ NĂM 2025"],
    ["(Kèm theo Quyết định số 12/QĐ-SKHCN ngày 15/01/2025)"],
    [None, None, None, "Đơn vị tính: đồng"],
    ["TT", "Nội dung", "Thời gian", "Kinh phí", "Ghi chú", "Nháp"],
    ["1", "2", "3", "4", "5", "6"],
    ["I", "Kinh phí sự nghiệp khoa học", None, 300_500_000, "Nguồn SNKH", 11],
    ["1", "Hội nghị tổng kết", "Quý I", 100_000_000, None, 22],
    ["2", "Kiểm tra cơ sở", "Quý II", 200_500_000, None, 33],
    ["3", "Dự phòng (nháp)", "Quý IV", 999_000_000, None, 44],
    [None, "TỔNG CỘNG", None, 300_500_000, None, 55_000_000],
]
MERGED = [(1, 1, 1, 5), (2, 2, 1, 5)]  # (first row, last row, first column, last column), 1-based
HIDDEN_ROW, HIDDEN_COLUMN = 9, 6


def _is_amount(r: int, c: int, value) -> bool:
    return r > 5 and isinstance(value, int)


def write_xls(path: Path, *, hidden_sheet: bool = False, error_at: tuple[int, int] | None = None) -> Path:
    """The appendix as an Excel 97–2003 workbook (xlwt); ``error_at`` (row, column): a cell
    showing "#REF!" instead of its value."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(SHEET)
    amount = xlwt.easyxf(num_format_str=AMOUNT_FORMAT)
    merged_cells = {(r, c) for r1, r2, c1, c2 in MERGED for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r1, r2, c1, c2 in MERGED:
        ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, ROWS[r1 - 1][c1 - 1])
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row, start=1):
            if value is None or (r, c) in merged_cells:
                continue
            if (r, c) == error_at:
                ws.row(r - 1).set_cell_error(c - 1, "#REF!")
            elif _is_amount(r, c, value):
                ws.write(r - 1, c - 1, value, amount)
            else:
                ws.write(r - 1, c - 1, value)
    ws.row(HIDDEN_ROW - 1).hidden = True
    ws.col(HIDDEN_COLUMN - 1).hidden = True
    if hidden_sheet:
        marker = wb.add_sheet("ẩn")
        marker.write(0, 0, "bí mật")
        marker.write(0, 1, datetime(2025, 1, 15), xlwt.easyxf(num_format_str="dd/mm/yyyy"))
        marker.visibility = 1
    wb.save(str(path))
    return path


def write_xlsx(path: Path, *, error_at: tuple[int, int] | None = None) -> Path:
    """The same appendix as an .xlsx (openpyxl)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c, "#REF!" if (r, c) == error_at else value)  # openpyxl types "#REF!" as an error
            if _is_amount(r, c, value):
                cell.number_format = AMOUNT_FORMAT
    for r1, r2, c1, c2 in MERGED:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    ws.row_dimensions[HIDDEN_ROW].hidden = True
    ws.column_dimensions["F"].hidden = True
    wb.save(path)
    return path


def _entry(path: Path) -> ManifestEntry:
    return ManifestEntry(file=path.name, province="Hà Nam", fiscal_years=[2025], kind="budget_appendices")


def _outcome(result):
    lines = [(b.code, b.description, b.amount_vnd, b.amount_text, b.funding_source, b.period, b.is_subtotal,
              b.source_line, b.source_ref, b.location) for b in result.budget_lines]
    totals = [(t.kind, t.label, t.printed_amount_vnd, t.computed_amount_vnd, t.status, t.source_line, t.location)
              for t in result.totals]
    issues = [(i.line, i.severity, i.message) for i in result.issues]
    return lines, totals, issues


@pytest.fixture
def both(tmp_path):
    return write_xls(tmp_path / "du_toan.xls"), write_xlsx(tmp_path / "du_toan.xlsx")


def test_the_same_workbook_saved_both_ways_reads_the_same(both):
    xls, xlsx = both
    old, new = read_document(xls, _entry(xls)), read_document(xlsx, _entry(xlsx))
    assert _outcome(old) == _outcome(new)
    assert {b.code: b.amount_vnd for b in old.budget_lines} == {"I": 300_500_000, "1": 100_000_000, "2": 200_500_000}
    (total,) = [t for t in old.totals if t.kind == "printed_total"]
    assert (total.printed_amount_vnd, total.status) == (300_500_000, "match")
    a, b = read_extracted(xls), read_extracted(xlsx)
    assert (a.format, b.format) == ("xls", "xlsx")
    assert a.lines == b.lines and a.refs == b.refs and a.notes == b.notes
    assert [[(c.text, c.value, c.ref, c.span, c.merged_from) for c in row] for t in a.tables for row in t.rows] == \
           [[(c.text, c.value, c.ref, c.span, c.merged_from) for c in row] for t in b.tables for row in t.rows]


def test_provenance_names_sheet_and_cell(both):
    xls, _ = both
    result = read_document(xls, _entry(xls))
    line = next(b for b in result.budget_lines if b.code == "2")
    assert line.source_ref == f"{SHEET}!D8"
    assert line.location == f"trang tính {SHEET}, ô D8"
    ex = read_extracted(xls)
    assert ex.ref(line.source_line) == f"{SHEET}, hàng 8"
    cells = {c.ref: c for row in ex.tables[0].rows for c in row}
    assert cells[f"{SHEET}!D8"].text == "200.500.000" and cells[f"{SHEET}!D8"].value == 200_500_000
    assert cells[f"{SHEET}!A1"].span == (1, 5)
    assert cells[f"{SHEET}!B1"].merged_from == ("h", ROWS[0][0], f"{SHEET}!A1")


def test_hidden_row_and_column_are_not_read_and_said(both):
    xls, _ = both
    ex = read_extracted(xls)
    text = "\n".join(ex.lines)
    assert "999.000.000" not in text and "Dự phòng (nháp)" not in text
    assert not any(c.ref.startswith(f"{SHEET}!F") for row in ex.tables[0].rows for c in row)
    assert "Nháp" not in text and "55.000.000" not in text
    messages = [m for _, m in ex.notes]
    assert f"Sheet {SHEET}: hàng {HIDDEN_ROW} bị ẩn, không đọc (một hàng ẩn không phải là phần của văn bản)" in messages
    assert f"Sheet {SHEET}: cột F bị ẩn, không đọc (một cột ẩn không phải là phần của văn bản)" in messages
    result = read_document(xls, _entry(xls))
    assert not any(b.amount_vnd == 999_000_000 for b in result.budget_lines)
    assert any("bị ẩn" in i.message for i in result.issues)


def test_a_hidden_sheet_is_kept_aside_with_its_values(tmp_path):
    ex = extract(write_xls(tmp_path / "an.xls", hidden_sheet=True))
    assert [t.name for t in ex.tables] == [SHEET]
    assert ex.hidden == {"ẩn": [["bí mật", datetime(2025, 1, 15)]]}


def test_values_as_openpyxl_gives_them(tmp_path):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Số")
    ws.write(0, 0, 2025)
    ws.write(0, 1, 17665.5)
    ws.write(0, 2, 0.5, xlwt.easyxf(num_format_str="0%"))
    ws.write(0, 3, datetime(2024, 1, 18), xlwt.easyxf(num_format_str="dd/mm/yyyy"))
    ws.write(0, 4, True)
    ws.write(0, 5, 28, xlwt.easyxf(num_format_str="0.0"))
    ws.write(0, 6, "  có\x01ký tự  ")
    path = tmp_path / "so.xls"
    wb.save(str(path))
    (row,) = extract(path).tables[0].rows
    assert [(c.text, c.value) for c in row] == [
        ("2025", 2025), ("17.665,5", 17665.5), ("50%", 0.5), ("18/01/2024", datetime(2024, 1, 18)),
        ("TRUE", True), ("28,0", 28), ("có ký tự", "  có ký tự  ")]
    assert isinstance(row[0].value, int)


def test_an_error_cell_reads_as_in_the_xlsx(tmp_path):
    """A cell showing "#REF!" where an amount is printed: the .xls gives the error text, as an
    .xlsx does, and the document is refused the same way, naming the cell."""
    xls, xlsx = write_xls(tmp_path / "loi.xls", error_at=(8, 4)), write_xlsx(tmp_path / "loi.xlsx", error_at=(8, 4))
    cell = next(c for row in extract(xls).tables[0].rows for c in row if c.ref == f"{SHEET}!D8")
    assert (cell.text, cell.value) == ("#REF!", "#REF!")
    old, new = _refused(xls, f"ô {SHEET}!D8"), _refused(xlsx, f"ô {SHEET}!D8")
    assert (old.line, old.message) == (new.line, new.message) and "#REF!" in old.message


def test_an_encrypted_xls_is_refused_with_the_password_hint(tmp_path, monkeypatch):
    """xlrd refuses an encrypted workbook ("Workbook is encrypted"); no library here writes one."""
    import xlrd

    def encrypted(*args, **kwargs):
        raise xlrd.biffh.XLRDError("Workbook is encrypted")

    monkeypatch.setattr(xlrd, "open_workbook", encrypted)
    path = write_xls(tmp_path / "khoa.xls")
    with pytest.raises(FormatError) as info:
        extract(path)
    assert "(.xls) có mật khẩu (mã hoá)" in info.value.message and "bỏ mật khẩu" in info.value.message


def _refused(path: Path, fragment: str) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        read_document(path, _entry(path))
    text = str(info.value)
    assert text.startswith(path.name), text
    assert fragment in text, text
    return info.value


def test_a_corrupt_xls_is_refused_naming_the_file(tmp_path):
    import os

    path = tmp_path / "hong.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + os.urandom(4096))
    _refused(path, "tệp Excel 97–2003 (.xls) bị hỏng")
    with pytest.raises(FormatError):
        extract(path)
    cut = write_xls(tmp_path / "cat.xls")
    cut.write_bytes(cut.read_bytes()[:1500])
    _refused(cut, "(.xls)")


def test_an_xlsx_a_web_page_or_a_text_named_xls_is_told_apart(tmp_path):
    renamed = tmp_path / "doi_duoi.xls"
    renamed.write_bytes(write_xlsx(tmp_path / "that.xlsx").read_bytes())
    _refused(renamed, "đổi đuôi tệp thành .xlsx")
    page = tmp_path / "bao_cao.xls"
    page.write_bytes("<html><body><table><tr><td>1</td></tr></table></body></html>".encode("utf-8"))
    _refused(page, "trang HTML/XML")
    text = tmp_path / "bang_ke.xls"
    text.write_bytes("TT\tNội dung\tKinh phí\n1\tHội nghị\t40.000.000\n".encode("utf-8"))
    _refused(text, "không phải tệp Excel 97–2003 (.xls)")


def test_a_doc_is_still_refused_with_the_docx_hint(tmp_path):
    path = tmp_path / "cong_van.doc"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 1016)
    _refused(path, "lưu lại dạng .docx")


def test_an_encrypted_xlsx_is_still_refused(tmp_path):
    path = tmp_path / "mat_khau.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le"))
    _refused(path, "có mật khẩu")


def test_the_row_limit_applies(tmp_path, monkeypatch):
    path = write_xls(tmp_path / "dai.xls")
    monkeypatch.setenv("SKHCN_PARSE_MAX_ROWS", "5")
    _refused(path, f"Sheet {SHEET}: 10 hàng, quá giới hạn 5 hàng — không đọc")


def test_an_xls_is_ingested_with_its_cells_as_locations(tmp_path):
    """Through the warehouse (read in a child process with the parse limits, warehouse.isolate)."""
    import duckdb

    from warehouse import store

    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    raw.mkdir()
    path = write_xls(tmp_path / "du_toan_ha_nam.xls")
    report = store.ingest(path, db, raw, store.Overrides(province="Hà Nam", year=2025, kind="budget_appendices"))
    assert report.documents == [path.name] and report.mismatches == []
    assert (raw / path.name).read_bytes() == path.read_bytes()
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql("select code, amount_vnd, location from budget_lines order by source_line").fetchall()
    assert rows == [("I", 300_500_000, f"trang tính {SHEET}, ô D6"), ("1", 100_000_000, f"trang tính {SHEET}, ô D7"),
                    ("2", 200_500_000, f"trang tính {SHEET}, ô D8")]
