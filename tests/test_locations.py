"""Provenance of uploads (issue 18, item 5): a figure read from a workbook, a Word file or a PDF
keeps where a reader of that file finds it — sheet and cell, table, row and column, page —
through the warehouse and the data package, and the pages say it ("trang 2, bảng 1, hàng 3,
cột 4", "trang tính Dự toán, ô D12") instead of the line of the text the file was flattened
into. Every expected place below comes from how the test wrote the document, never from a
reading of it."""
from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest
from docgen import appendix_blocks, write_docx, write_pdf
from helpers import BUDGET_2024, RAW
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from loaders.documents import ManifestEntry, Overrides, read_document, read_lines
from loaders.tables.files.location import describe
from warehouse import store, users
from warehouse.export import export_package
from warehouse.queries import Warehouse

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "nhap-du-lieu.py")


def _workbook(tmp_path: Path) -> Path:
    """A budget appendix on the sheet "Dự toán": its header on row 9, "Hội nghị" (45 triệu)
    in D12, the TỔNG CỘNG on row 14."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Dự toán"
    ws["A1"] = "PHỤ LỤC 1"
    ws["A3"] = "DỰ TOÁN KINH PHÍ NĂM 2025"
    ws["A5"] = "Phòng/đơn vị: Văn phòng Sở"
    ws["A7"] = "Đơn vị tính: triệu đồng"
    for col, text in zip("ABCDE", ["TT", "Nội dung thực hiện", "Thời gian thực hiện", "Dự toán kinh phí", "Ghi chú"]):
        ws[f"{col}9"] = text
    ws.append([])
    rows = {10: ["I", "Kinh phí sự nghiệp khoa học", None, 75, "Nguồn SNKH"],
            11: ["1", "Kiểm tra", "Quý I", 30, None],
            12: ["2", "Hội nghị", "Quý II", 45, None],
            14: ["TỔNG CỘNG", None, None, 75, None]}
    for r, values in rows.items():
        for col, value in zip("ABCDE", values):
            ws[f"{col}{r}"] = value
    path = tmp_path / "du-toan.xlsx"
    wb.save(path)
    return path


def test_a_workbook_figure_is_in_its_sheet_and_cell(tmp_path):
    path = _workbook(tmp_path)
    result = read_document(path, ManifestEntry(file=path.name, province="Nghệ An", fiscal_years=[2025],
                                               kind="budget_appendices"))
    (line,) = [b for b in result.budget_lines if b.description == "Hội nghị"]
    assert line.amount_vnd == 45_000_000
    assert line.location == "trang tính Dự toán, ô D12"
    (total,) = [t for t in result.totals if t.kind == "printed_total"]
    assert total.location == "trang tính Dự toán, hàng 14"


@pytest.fixture(scope="module")
def two_appendices(manifest):
    """The first two appendices of the 2024 estimate as blocks, the second on a new page, and
    the first line of each with an amount: (blocks, [(line_id, row in its table)])."""
    result = read_document(RAW / BUDGET_2024, manifest[BUDGET_2024])
    blocks = appendix_blocks(result, read_lines(RAW / BUDGET_2024))
    starts = [i for i, (kind, text) in enumerate(blocks) if kind == "p" and text and text.startswith("Phụ lục")]
    first, second = blocks[starts[0]:starts[1]], blocks[starts[1]:starts[2]]
    picked = []
    for start in (first, second):
        table = next(rows for kind, rows in start if kind == "table")
        name = start[0][1]
        lines = [b for b in result.budget_lines if b.appendix == name]
        # the first row with an amount: the table's row r (the header is row 1) holds line r - 2
        k = next(k for k, b in enumerate(lines) if b.amount_text)
        assert table[k + 1][3] == lines[k].amount_text  # the amount is in column 4 of that row
        picked.append((lines[k].line_id, k + 2))
    return first + [("page", None)] + second, picked, manifest[BUDGET_2024]


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_a_figure_of_a_table_is_in_its_page_table_row_and_column(tmp_path, two_appendices, suffix):
    blocks, picked, entry = two_appendices
    path = (write_pdf if suffix == ".pdf" else write_docx)(blocks, tmp_path / f"du-toan{suffix}")
    result = read_document(path, entry.model_copy(update={"file": path.name}))
    by_id = {b.line_id: b for b in result.budget_lines}
    (id1, row1), (id2, row2) = picked
    if suffix == ".pdf":  # each appendix's table is the first of its page
        assert by_id[id1].location == f"trang 1, bảng 1, hàng {row1}, cột 4"
        assert by_id[id2].location == f"trang 2, bảng 1, hàng {row2}, cột 4"
    else:  # Word has no pages: tables are counted through the document
        assert by_id[id1].location == f"bảng 1, hàng {row1}, cột 4"
        assert by_id[id2].location == f"bảng 2, hàng {row2}, cột 4"
    assert all(b.location for b in result.budget_lines)  # every figure has its place
    assert all(t.location for t in result.totals)


def test_a_text_document_keeps_its_lines(manifest):
    result = read_document(RAW / BUDGET_2024, manifest[BUDGET_2024])
    assert all(b.location is None for b in result.budget_lines)


def test_describe_the_readers_references():
    assert describe("Dự toán!D12", "xlsx") == "trang tính Dự toán, ô D12"
    assert describe("Biểu 01, hàng 8", "xlsx") == "trang tính Biểu 01, hàng 8"
    assert describe("Trang 3, bảng 2, hàng 5, cột 4", "pdf") == "trang 3, bảng 2, hàng 5, cột 4"
    assert describe("Trang 2, dòng 14", "pdf") == "trang 2, dòng 14"
    assert describe("Đoạn 12", "docx") == "đoạn 12"
    assert describe(None, "pdf") is None


def test_the_warehouse_and_the_data_package_keep_the_place(tmp_path, two_appendices):
    blocks, picked, entry = two_appendices
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    raw.mkdir()
    path = write_pdf(blocks, tmp_path / "du-toan.pdf")
    store.ingest(path, db, raw, Overrides(entry.province, entry.fiscal_years[0], entry.kind), actor="kiem-thu")
    (id2, row2) = picked[1]
    wh = Warehouse(db)
    held = wh.df("SELECT location FROM budget_lines WHERE line_id = ?", [id2])
    assert held["location"].tolist() == [f"trang 2, bảng 1, hàng {row2}, cột 4"]
    export_package(wh, tmp_path / "out")
    with (tmp_path / "out" / "budget_lines.csv").open(encoding="utf-8") as fh:
        rows = {r["line_id"]: r for r in csv.DictReader(fh)}
    assert rows[id2]["location"] == f"trang 2, bảng 1, hàng {row2}, cột 4"


def test_the_upload_preview_shows_page_table_row_and_column(built_db, tmp_path, monkeypatch, two_appendices,
                                                             editor_account):
    blocks, picked, entry = two_appendices
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    shutil.copytree(built_db["raw"], raw)
    (raw / BUDGET_2024).unlink()  # so the PDF of the same appendices is not a duplicate
    monkeypatch.setenv("SKHCN_RAW", str(raw))
    monkeypatch.setenv("SKHCN_DB", str(db))
    path = write_pdf(blocks, tmp_path / "du-toan.pdf")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = editor_account
    at.session_state["session_version"] = users.current_session(editor_account)
    at.run()
    at.file_uploader(key="import_file").set_value((path.name, data, "application/pdf")).run()
    assert not at.exception, at.exception
    if at.selectbox(key=f"province_{sha}").value is None:
        at.selectbox(key=f"province_{sha}").set_value(entry.province).run()
    assert "Xem trước" in [s.value for s in at.subheader], [e.value for e in at.error]
    frame = at.dataframe[0].value
    places = frame["Vị trí"].tolist()
    (_, row1), (_, row2) = picked
    assert f"trang 1, bảng 1, hàng {row1}, cột 4" in places
    assert f"trang 2, bảng 1, hàng {row2}, cột 4" in places
