"""Uploaded formats (loaders.tables.files): DOCX and PDF versions of the shipped 2024 appendices
give the same lines and totals as the text; every record points at a line whose location
is known; broken files are refused with a Vietnamese message (the hostile-file corpus of
every format is tests/test_bad_inputs.py)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docgen import appendix_blocks, text_blocks, write_docx, write_pdf
from helpers import BUDGET_2024, RAW
from openpyxl import Workbook

from loaders.documents import DocumentError, read_document, read_extracted, read_lines
from loaders.tables.files import extract
from loaders.tables.files.xlsx import display

LINE_KEYS = ("line_id", "amount_vnd", "funding_source", "funding_note", "description", "period", "quarters", "unit",
             "is_subtotal", "direction", "code", "parent_id", "phase_vn", "fiscal_year")
TOTAL_KEYS = ("scope", "label", "kind", "printed_amount_vnd", "computed_amount_vnd", "status", "words_amount_vnd", "covers")


def _records(result):
    lines = [{k: getattr(b, k) for k in LINE_KEYS} for b in result.budget_lines]
    totals = [{k: getattr(t, k) for k in TOTAL_KEYS} for t in result.totals]
    return lines, totals


@pytest.fixture(scope="module")
def text_version(manifest):
    return read_document(RAW / BUDGET_2024, manifest[BUDGET_2024]), read_lines(RAW / BUDGET_2024)


@pytest.mark.parametrize("writer,suffix", [(write_docx, ".docx"), (write_pdf, ".pdf")], ids=["docx", "pdf"])
@pytest.mark.parametrize("layout", ["tables", "text"])
def test_same_lines_and_totals_as_the_text(tmp_path, manifest, text_version, writer, suffix, layout):
    result, lines = text_version
    blocks = appendix_blocks(result, lines) if layout == "tables" else text_blocks(lines)
    path = writer(blocks, tmp_path / f"appendices{suffix}")
    entry = manifest[BUDGET_2024].model_copy(update={"file": path.name})
    other = read_document(path, entry)
    want_lines, want_totals = _records(result)
    have_lines, have_totals = _records(other)
    assert len(have_lines) == len(want_lines) == 85
    for want, have in zip(want_lines, have_lines):
        assert have == want
    assert have_totals == want_totals
    assert sum(t["status"] == "match" for t in have_totals) == len(want_totals)
    # Every figure points at the line that prints it, and that line has a location.
    extracted = read_extracted(path)
    for bl in other.budget_lines:
        if bl.amount_text:
            assert bl.amount_text in extracted.lines[bl.source_line - 1], bl.line_id
        ref = extracted.ref(bl.source_line)
        assert ref and (ref.startswith("Trang ") if suffix == ".pdf" else ref.startswith(("Bảng ", "Đoạn ")))
    if layout == "tables":  # read from the table's cells: each amount is a cell of its row
        cells = extracted.cell_rows()
        for bl in other.budget_lines:
            if bl.amount_text:
                row = cells[bl.source_line]
                assert bl.amount_text in row.cells
                assert "cột" in row.cell_where[list(row.cells).index(bl.amount_text)]


VARIANTS = Path(__file__).resolve().parent / "data" / "variants"


def _workbook_with(tmp_path, cell: str, value) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(VARIANTS / "quangninh_2025_appendix_own_workbook.xlsx")
    wb.active[cell] = value
    out = tmp_path / "bieu.xlsx"
    wb.save(out)
    return out


def _entry(path: Path):
    from loaders.documents import ManifestEntry

    return ManifestEntry(file=path.name, province="Quảng Ninh", fiscal_years=[2025], kind="budget_appendices")


def test_text_in_an_amount_cell_of_a_workbook_names_sheet_and_cell(tmp_path):
    path = _workbook_with(tmp_path, "D13", "hai trăm năm mươi")
    with pytest.raises(DocumentError) as info:
        read_document(path, _entry(path))
    assert info.value.line == 13
    assert "ô Dự toán 2025!D13" in str(info.value) and "Không đọc được số tiền" in str(info.value)


def test_a_workbook_total_that_disagrees_is_a_mismatch_with_its_cell(tmp_path):
    path = _workbook_with(tmp_path, "D17", 1100)
    result = read_document(path, _entry(path))
    (total,) = [t for t in result.totals if t.kind == "printed_total"]
    assert (total.printed_amount_vnd, total.computed_amount_vnd, total.status) == (1_100_000_000, 1_000_000_000, "mismatch")
    assert read_extracted(path).ref(total.source_line) == "Dự toán 2025, hàng 17"


def test_a_workbook_row_without_code_is_reported_and_counted_as_not_read(tmp_path):
    path = _workbook_with(tmp_path, "A16", "Mua thêm")  # row 16: text where the code was
    result = read_document(path, _entry(path))
    assert any(i.line == 16 and "không có số thứ tự" in i.message and "ô Dự toán 2025!A16" in i.message
               for i in result.issues)
    assert [b.line_id for b in result.budget_lines if b.source_line == 16] == []
    (total,) = [t for t in result.totals if t.kind == "printed_total"]
    assert 16 in total.unread_lines  # a difference would not be blamed on the document


def test_pdf_table_rows_and_cells_carry_page_table_row_column(tmp_path, text_version):
    result, lines = text_version
    path = write_pdf(appendix_blocks(result, lines), tmp_path / "a.pdf")
    ex = extract(path)
    first = ex.tables[0]
    assert first.name == "Trang 1, bảng 1"
    assert [c.text for c in first.rows[1]][:4] == ["1", "Tuyên truyền ngày KHCNVN 18/5", "Quý II", "40.000.000"]
    assert first.rows[1][3].ref == "Trang 1, bảng 1, hàng 2, cột 4"
    assert ex.refs[first.lines[1] - 1] == "Trang 1, bảng 1, hàng 2"
    assert ex.lines[0] == "Phụ lục 1" and ex.refs[0] == "Trang 1, dòng 1"


def test_docx_merged_cells_are_not_repeated(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Trước bảng\ndòng hai")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "Gộp ngang"
    t.cell(0, 2).text = "C"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "Gộp dọc"
    t.cell(1, 1).text, t.cell(2, 1).text = "b2", "b3"
    d.add_paragraph("Sau bảng")
    path = tmp_path / "m.docx"
    d.save(str(path))
    ex = extract(path)
    assert ex.lines == ["Trước bảng", "dòng hai", "Gộp ngang\t\tC", "Gộp dọc\tb2", "\tb3", "Sau bảng"]
    assert ex.refs == ["Đoạn 1, dòng 1", "Đoạn 1, dòng 2", "Bảng 1, hàng 1", "Bảng 1, hàng 2", "Bảng 1, hàng 3", "Đoạn 2"]
    assert ex.tables[0].rows[2][1].ref == "Bảng 1, hàng 3, cột 2"


def test_xlsx_rows_become_lines_with_sheet_and_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Ngân sách"
    ws["A1"] = "Phụ lục 1"
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(["TT", "Nội dung", "Năm", "Số tiền"])
    ws.append([1, "Hội nghị", 2025, 40000000])
    ws["D4"].number_format = "#,##0"
    hidden = wb.create_sheet("ẩn")
    hidden["A1"] = "bí mật"
    hidden.sheet_state = "hidden"
    path = tmp_path / "w.xlsx"
    wb.save(path)
    ex = extract(path)
    assert ex.lines == ["Phụ lục 1", "", "TT\tNội dung\tNăm\tSố tiền", "1\tHội nghị\t2025\t40.000.000"]
    assert ex.refs[3] == "Ngân sách, hàng 4"
    assert ex.tables[0].rows[3][3].ref == "Ngân sách!D4" and ex.tables[0].rows[3][3].value == 40000000
    assert ex.hidden == {"ẩn": [["bí mật"]]}


def test_display_of_numbers_as_printed():
    assert display(3300000000) == "3.300.000.000"
    assert display(7665.99, "#,##0.00") == "7.665,99"
    assert display(17665.5) == "17.665,5"
    assert display(2025, "General") == "2025"
    assert display(1500, "#,##0") == "1.500"
    assert display(-25000) == "-25.000"
    assert display(0.5, "0%") == "50%"


# --- bad input --------------------------------------------------------------------------

def _expect_refused(path: Path, fragment: str) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        read_lines(path)
    assert fragment in str(info.value), str(info.value)
    assert str(info.value).startswith(path.name)
    return info.value


def test_corrupt_files_are_refused(tmp_path):
    # A broken zip is refused by the check every document goes through (loaders.tables.files.filecheck);
    # a sound zip that is not a workbook / Word file, and a broken PDF, by the readers.
    cases = [(".xlsx", b"PK\x03\x04 rac", "hỏng hoặc bị cắt cụt"), (".pdf", b"%PDF-1.4\nkhong phai tep that\n", "PDF bị hỏng")]
    for suffix, kind in ((".xlsx", "Excel"), (".docx", "Word")):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
        cases.append((suffix, buf.getvalue(), f"{kind} bị hỏng"))
    for k, (suffix, data, fragment) in enumerate(cases):
        p = tmp_path / f"hong{k}{suffix}"
        p.write_bytes(data)
        _expect_refused(p, fragment)


def test_encrypted_pdf_is_refused(tmp_path):
    from docgen import font_path
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("VN", "", str(font_path()))
    pdf.set_font("VN", size=10)
    pdf.set_encryption(owner_password="chu", user_password="khach")
    pdf.add_page()
    pdf.cell(0, 5, "Phụ lục 1")
    p = tmp_path / "matkhau.pdf"
    pdf.output(str(p))
    _expect_refused(p, "mật khẩu")


def test_a_pdf_over_the_page_limit_is_refused(tmp_path, monkeypatch):
    from fpdf import FPDF

    monkeypatch.setenv("SKHCN_PARSE_MAX_PAGES", "2")
    pdf = FPDF()
    for _ in range(3):
        pdf.add_page()
    p = tmp_path / "dai.pdf"
    pdf.output(str(p))
    _expect_refused(p, "tệp PDF có 3 trang, quá giới hạn 2 trang — không đọc")


def test_upload_limit_lets_our_message_show():
    # Streamlit refuses an upload above server.maxUploadSize (MB) with its own English message; it
    # is set strictly above the size every document is checked against, so ours is the one shown.
    import tomllib

    from loaders.tables.files.filecheck import MAX_FILE_BYTES

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 > MAX_FILE_BYTES
