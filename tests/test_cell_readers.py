"""Cell-true readers (issue 14): a workbook, a Word table and a PDF hand the table model a grid
of cells — merged cells given once with their span, hidden rows and columns left out and
said, formulas without a value computed (or marked, never 0), a section row merged across a
Word table kept as a row, "-" / "–" / "x" as no amount, the row of column numbers used as a
check."""
from __future__ import annotations

from pathlib import Path

import docx
from openpyxl import Workbook

from loaders.documents import ManifestEntry, read_document
from loaders.tables.files import extract


def _entry(path: Path) -> ManifestEntry:
    return ManifestEntry(file=path.name, province="Nghệ An", fiscal_years=[2025], kind="budget_appendices")


def _estimate(tmp_path: Path, *, total: object = "=SUM(C6:C7)", hidden_row: bool = False, numbers: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "PL1"
    ws.append(["DỰ TOÁN KINH PHÍ NĂM 2025"])
    ws.merge_cells("A1:D1")
    ws.append(["ĐVT: Tr đồng"])
    ws.append(["TT", "Nội dung", "Dự toán", "Ghi chú"])
    ws.append(["A", "B", "1", "2"] if numbers else [None])
    ws.append(["I", "Kinh phí sự nghiệp khoa học", "=C6+C7", None])
    ws.append(["1", "Hội nghị", 100, "Nguồn SNKH"])
    ws.append(["2", "Kiểm tra", "200,5", "Nguồn SNKH"])  # a number stored as text
    ws.append(["3", "Khảo sát", "-", None])
    if hidden_row:  # a draft line the officer hid: not part of the document
        ws.append(["4", "Dự phòng (nháp)", 999, None])
        ws.row_dimensions[9].hidden = True
    ws.append([None, "TỔNG CỘNG", total, None])
    wb.save(tmp_path / "pl.xlsx")
    return tmp_path / "pl.xlsx"


def test_formulas_without_a_value_are_computed_with_the_library(tmp_path):
    ex = extract(_estimate(tmp_path, hidden_row=True, total="=SUM(C6:C8)"))
    cells = {c.ref: c for row in ex.tables[0].rows for c in row}
    assert cells["PL1!C5"].text == "300,5" and cells["PL1!C5"].evaluated and cells["PL1!C5"].formula == "=C6+C7"
    assert cells["PL1!A1"].span == (1, 4)  # a merged title: its value once, its span kept
    assert any("hàng 9 bị ẩn" in message for _, message in ex.notes)


def test_a_hidden_row_is_not_read_and_the_reader_says_so(tmp_path):
    path = _estimate(tmp_path, hidden_row=True)
    result = read_document(path, _entry(path))
    assert {b.code: b.amount_vnd for b in result.budget_lines if b.amount_vnd is not None} == {
        "I": 300_500_000, "1": 100_000_000, "2": 200_500_000}
    assert any("bị ẩn" in i.message for i in result.issues)
    (total,) = [t for t in result.totals if t.kind == "printed_total"]
    assert (total.printed_amount_vnd, total.status) == (300_500_000, "match")


def test_a_formula_nobody_can_compute_is_marked_and_taken_from_the_lines(tmp_path):
    path = _estimate(tmp_path, total="='Không có'!C9")
    result = read_document(path, _entry(path))
    (total,) = [t for t in result.totals if t.kind == "printed_total"]
    assert total.status == "unchecked" and "công thức, không có giá trị" in total.detail
    assert total.printed_amount_vnd == total.computed_amount_vnd == 300_500_000
    assert any("công thức" in i.message and "không có giá trị" in i.message for i in result.issues)


def test_the_row_of_column_numbers_is_no_row(tmp_path):
    path = _estimate(tmp_path, numbers=True)
    result = read_document(path, _entry(path))
    assert not any(b.code in ("A", "B") for b in result.budget_lines)


def test_a_word_section_row_merged_across_the_table_stays_a_row(tmp_path):
    d = docx.Document()
    d.add_paragraph("DỰ TOÁN KINH PHÍ NĂM 2025")
    d.add_paragraph("Đơn vị tính: đồng")
    t = d.add_table(rows=5, cols=4)
    for c, text in enumerate(["TT", "Nội dung", "Thời gian", "Kinh phí"]):
        t.cell(0, c).text = text
    section = t.cell(1, 0).merge(t.cell(1, 3))
    section.text = "I. Kinh phí sự nghiệp khoa học"
    for r, (code, desc, when, amount) in enumerate([("1", "Hội nghị", "Quý I", "40.000.000"),
                                                     ("2", "Khảo sát", "Quý II", "–"),
                                                     ("3", "Tập huấn", "Quý III", "x")], start=2):
        for c, text in enumerate([code, desc, when, amount]):
            t.cell(r, c).text = text
    path = tmp_path / "pl.docx"
    d.save(path)
    result = read_document(path, _entry(path))
    amounts = {b.code: b.amount_vnd for b in result.budget_lines}
    assert amounts == {"I": None, "1": 40_000_000, "2": None, "3": None}  # "–" and "x": printed, no amount
    assert {b.funding_source for b in result.budget_lines} == {"SNKH"}  # from the merged section row
    assert all(b.section == "I" for b in result.budget_lines)


def test_a_header_unit_that_contradicts_the_unit_line_is_refused(tmp_path):
    """'ĐVT: Tr đồng' over 'Dự toán (đồng)': amounts a million times apart, never guessed — the
    document is refused naming the file and the header's line."""
    import pytest

    from loaders.documents import DocumentError

    wb = Workbook()
    ws = wb.active
    ws.append(["DỰ TOÁN KINH PHÍ NĂM 2025"])
    ws.append(["ĐVT: Tr đồng"])
    ws.append(["TT", "Nội dung", "Dự toán (đồng)", "Ghi chú"])
    ws.append(["1", "Hội nghị", 45_000_000, "Nguồn SNKH"])
    ws.append([None, "TỔNG CỘNG", 45_000_000, None])
    path = tmp_path / "pl.xlsx"
    wb.save(path)
    with pytest.raises(DocumentError) as err:
        read_document(path, _entry(path))
    assert str(err.value).startswith("pl.xlsx:3:") and "khác đơn vị" in str(err.value)
    ws["C3"] = "Dự toán (triệu đồng)"  # the same unit twice is no conflict
    wb.save(path)
    assert read_document(path, _entry(path)).budget_lines[0].amount_vnd == 45_000_000_000_000
