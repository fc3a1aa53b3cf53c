"""The public forms Biểu 02 and Biểu 03 as Excel workbooks (loaders/families/templates/forms.py):
the standard rows of the circulars, the unit line, the title with its period, a row of column
numbers; filled with openpyxl and read back by the disclosure family through read_document,
figures to the đồng, each column in its stage and period, fees never state spending, the
printed percentage checked; and the command line that writes them."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from loaders.documents import ManifestEntry, read_document
from loaders.families.templates.forms import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    NUMBERS_ROW,
    ROWS,
    TITLE_ROW,
    UNIT_ROW,
    build_form,
    columns,
    write_form,
)
from tests.versions_data import ROW_11, ROW_FEE, ROW_TINH, form_row

ROOT = Path(__file__).resolve().parent.parent
ORG = "Sở Khoa học và Công nghệ tỉnh Lai Châu"


def _read(path: Path, year: int = 2025):
    return read_document(path, ManifestEntry(file=path.name, province="Lai Châu", fiscal_years=[year], kind="disclosure"))


def _fill(path: Path, cells: dict[tuple[int, int], object]) -> Path:
    wb = load_workbook(path)
    ws = wb.active
    for (row, col), value in cells.items():
        ws.cell(row=row, column=col, value=value)
    wb.save(path)
    return path


def _amounts(result) -> dict[tuple[str | None, str, str, tuple], int]:
    """{(code, description, stage, quarters): amount} of the lines with an amount."""
    return {(b.code, b.description, b.phase_vn, b.quarters): b.amount_vnd for b in result.budget_lines if b.amount_vnd is not None}


def test_standard_rows_title_unit_and_column_numbers(tmp_path):
    wb = load_workbook(write_form("bieu03", tmp_path / "b.xlsx", 2025, period="q1"))
    ws = wb.active
    texts = [ws.cell(row=r, column=2).value for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(ROWS))]
    codes = [ws.cell(row=r, column=1).value for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(ROWS))]
    assert codes[:2] == ["I", "1"] and "II" in codes
    for wanted in ("Số thu phí, lệ phí", "Chi từ nguồn thu phí được để lại", "Số phí, lệ phí nộp ngân sách nhà nước",
                   "Dự toán chi ngân sách nhà nước", "Nghiên cứu khoa học", "Kinh phí thực hiện nhiệm vụ khoa học công nghệ",
                   "- Nhiệm vụ khoa học công nghệ cấp quốc gia", "- Nhiệm vụ khoa học công nghệ cấp tỉnh",
                   "- Nhiệm vụ khoa học công nghệ cấp cơ sở", "Kinh phí nhiệm vụ thường xuyên theo chức năng",
                   "Kinh phí nhiệm vụ không thường xuyên"):
        assert wanted in texts, wanted
    assert ws.cell(row=TITLE_ROW, column=1).value == "ĐÁNH GIÁ THỰC HIỆN DỰ TOÁN THU - CHI NGÂN SÁCH QUÝ"
    assert ws.cell(row=TITLE_ROW + 1, column=1).value == "(Quý I năm 2025)"
    assert ws.cell(row=UNIT_ROW, column=5).value == "ĐV tính: Đồng"
    assert [c.value for c in ws[HEADER_ROW]] == ["TT", "Nội dung", "Dự toán năm", "Ước thực hiện Quý I năm 2025",
                                                 "Ước thực hiện/Dự toán năm (%)"]
    assert [c.value for c in ws[NUMBERS_ROW]] == ["A", "B", "1", "2", "3=2/1"]
    assert "Hướng dẫn" in wb.sheetnames and "_mau" not in wb.sheetnames  # a form, not a data-entry template
    est = load_workbook(write_form("bieu02", tmp_path / "e.xlsx", 2026)).active
    assert est.cell(row=TITLE_ROW, column=1).value == "CÔNG KHAI DỰ TOÁN NGÂN SÁCH NĂM 2026"
    assert [c.value for c in est[HEADER_ROW]] == ["TT", "Nội dung", "Dự toán được giao"]


def test_estimate_form_round_trip(tmp_path):
    path = _fill(write_form("bieu02", tmp_path / "bieu02.xlsx", 2025, org_unit=ORG), {
        (form_row(ROW_11), 3): 6_245_800_000, (form_row(ROW_TINH), 3): 14_350_000_000, (form_row(ROW_FEE), 3): 180_000_000,
    })
    result = _read(path)
    assert result.meta.layout == "disclosure" and result.meta.fiscal_years == [2025]
    lines = {b.description: b for b in result.budget_lines if b.amount_vnd is not None}
    assert lines["Kinh phí thực hiện chế độ tự chủ"].amount_vnd == 6_245_800_000
    assert lines["Kinh phí thực hiện chế độ tự chủ"].funding_source == "QLNN"
    assert lines["Nhiệm vụ khoa học công nghệ cấp tỉnh"].amount_vnd == 14_350_000_000
    assert lines["Nhiệm vụ khoa học công nghệ cấp tỉnh"].funding_source == "SNKH"
    assert {b.phase_vn for b in lines.values()} == {"dự toán"}
    fee = lines["Phí"]
    assert (fee.amount_vnd, fee.direction, fee.funding_source) == (180_000_000, "revenue", "THU_PHI")
    assert lines["Kinh phí thực hiện chế độ tự chủ"].unit == ORG
    assert lines["Kinh phí thực hiện chế độ tự chủ"].source_ref == f"Bieu 02!C{form_row(ROW_11)}"
    assert not [i for i in result.issues if i.severity == "error"]


@pytest.mark.parametrize("period, quarters, header", [
    ("q1", (1,), "Ước thực hiện Quý I năm 2025"),
    ("q4", (4,), "Ước thực hiện Quý IV năm 2025"),
    ("6t", (1, 2), "Ước thực hiện 6 tháng đầu năm 2025"),
    ("9t", (1, 2, 3), "Ước thực hiện 9 tháng đầu năm 2025"),
    ("nam", (1, 2, 3, 4), "Ước thực hiện năm 2025"),
])
def test_execution_form_round_trip_each_period(tmp_path, period, quarters, header):
    row = form_row(ROW_11)
    path = _fill(write_form("bieu03", tmp_path / f"{period}.xlsx", 2025, period=period), {
        (row, 3): 6_000_000_000, (row, 4): 1_500_000_000, (row, 5): 25,
        (form_row(ROW_FEE), 3): 100_000_000, (form_row(ROW_FEE), 4): 30_000_000,
    })
    result = _read(path)
    got = _amounts(result)
    assert got[("1.1", "Kinh phí thực hiện chế độ tự chủ", "dự toán", (1, 2, 3, 4))] == 6_000_000_000
    assert got[("1.1", "Kinh phí thực hiện chế độ tự chủ", "ước thực hiện", quarters)] == 1_500_000_000
    executed = next(b for b in result.budget_lines if b.phase_vn == "ước thực hiện" and b.code == "1.1" and b.amount_vnd)
    assert executed.column_label == header and not executed.cumulative
    assert executed.direction == "expenditure" and executed.funding_source == "QLNN"
    fee = next(b for b in result.budget_lines if b.phase_vn == "ước thực hiện" and b.description == "Phí")
    assert (fee.amount_vnd, fee.direction) == (30_000_000, "revenue")  # never state spending
    (ratio,) = result.ratios
    assert (ratio.printed, ratio.computed, ratio.status) == ("25,0", "25,0", "match")


def test_actual_execution_with_cumulative_column_in_million(tmp_path):
    row = form_row(ROW_11)
    path = _fill(write_form("bieu03", tmp_path / "q3.xlsx", 2025, period="q3", stage="thực hiện", cumulative=True,
                            amount_unit="triệu đồng"), {
        (row, 3): 6245.8, (row, 4): 1480.32, (row, 5): 4500.5, (row, 7): 72.1,
    })
    wb = load_workbook(path)
    assert wb.active.cell(row=UNIT_ROW, column=7).value == "ĐV tính: Triệu đồng"
    got = _amounts(_read(path))
    assert got[("1.1", "Kinh phí thực hiện chế độ tự chủ", "dự toán", (1, 2, 3, 4))] == 6_245_800_000
    assert got[("1.1", "Kinh phí thực hiện chế độ tự chủ", "thực hiện", (3,))] == 1_480_320_000
    assert got[("1.1", "Kinh phí thực hiện chế độ tự chủ", "thực hiện", (1, 2, 3))] == 4_500_500_000
    result = _read(path)
    cumulative = next(b for b in result.budget_lines if b.quarters == (1, 2, 3) and b.amount_vnd)
    assert cumulative.cumulative and cumulative.column_label == "Thực hiện lũy kế từ đầu năm đến hết Quý III năm 2025"
    (ratio,) = result.ratios
    assert (ratio.printed, ratio.computed, ratio.status) == ("72,1", "72,1", "match")


def test_parent_total_checked_against_its_lines(tmp_path):
    """A parent row carrying its total is a printed subtotal: checked, never added."""
    science = next(i for i, (c, t, _) in enumerate(ROWS) if t == "Kinh phí thực hiện nhiệm vụ khoa học công nghệ")
    path = _fill(write_form("bieu02", tmp_path / "p.xlsx", 2025), {
        (FIRST_DATA_ROW + science, 3): 9_000_000_000,
        (form_row(ROW_TINH), 3): 8_000_000_000, (FIRST_DATA_ROW + science + 3, 3): 900_000_000,
    })
    result = _read(path)
    parent = next(b for b in result.budget_lines if b.description == "Kinh phí thực hiện nhiệm vụ khoa học công nghệ")
    assert parent.is_subtotal
    check = next(t for t in result.totals if t.printed_amount_vnd == 9_000_000_000)
    assert check.status == "mismatch" and check.computed_amount_vnd == 8_900_000_000


def test_options_that_make_no_form():
    with pytest.raises(ValueError):
        columns("bieu03", 2025, "nam", cumulative=True)
    with pytest.raises(ValueError):
        build_form("bieu03", 2025, stage="quyết toán")
    with pytest.raises(KeyError):
        build_form("bieu09", 2025)


def test_command_line_writes_the_forms(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "warehouse", "template", *args], cwd=ROOT, capture_output=True, text=True)

    r = run("--kind", "bieu03", "--period", "6t", "--year", "2025", "--out", str(tmp_path / "b03.xlsx"))
    assert r.returncode == 0, r.stderr
    header = [c.value for c in load_workbook(tmp_path / "b03.xlsx").active[HEADER_ROW]]
    assert header[3] == "Ước thực hiện 6 tháng đầu năm 2025"
    r = run("--kind", "bieu02", "--year", "2026", "--amount-unit", "triệu đồng", "--out", str(tmp_path / "b02.xlsx"))
    assert r.returncode == 0 and "bieu02" in r.stdout
    r = run("--kind", "bieu03", "--period", "nam", "--cumulative", "--out", str(tmp_path / "x.xlsx"))
    assert r.returncode == 2 and "lũy kế" in r.stderr and not (tmp_path / "x.xlsx").exists()
