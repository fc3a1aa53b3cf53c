"""Data-entry templates: generated with drop-downs, VND format, instructions and a version
marker; filled ones read into the parsers' records, every cell validated and every problem
named by sheet and cell; quarterly execution with lũy kế reconciled."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from loaders.documents import DocumentError, ManifestEntry, Overrides, read_document
from loaders.families.templates import KINDS, SPECS, VERSION, write_template
from loaders.families.templates.spec import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    MARKER,
    MARKER_SHEET,
)

PROVINCE = "Lai Châu"


def _filled(tmp_path: Path, kind: str, rows: list[list], year: int | None = 2025, name: str | None = None) -> Path:
    """A template of ``kind`` filled with ``rows`` (in the template's column order) and saved."""
    path = write_template(kind, tmp_path / f"mau_{kind}.xlsx", units=["Văn phòng Sở"], year=year)
    wb = load_workbook(path)
    ws = wb[SPECS[kind].sheet]
    for r, row in enumerate(rows, start=FIRST_DATA_ROW):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    out = tmp_path / (name or f"{kind}.xlsx")
    wb.save(out)
    return out


def _read(path: Path, kind: str = "budget_appendices", years=(2025,)):
    if not years:  # a manifest row always names its years; the upload form may not
        return read_document(path, None, Overrides(province=PROVINCE, kind=kind))
    return read_document(path, ManifestEntry(file=path.name, province=PROVINCE, fiscal_years=list(years), kind=kind))


def _refused(path: Path) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        _read(path)
    return info.value


@pytest.mark.parametrize("kind", KINDS)
def test_template_has_dropdowns_format_instructions_and_marker(tmp_path, kind):
    sp = SPECS[kind]
    wb = load_workbook(write_template(kind, tmp_path / "t.xlsx", units=["Văn phòng Sở", "Chi cục TĐC"]))
    assert wb.sheetnames[:2] == [sp.sheet, "Hướng dẫn"]
    ws = wb[sp.sheet]
    assert [c.value for c in ws[HEADER_ROW]][: len(sp.columns)] == [c.label for c in sp.columns]
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert len(lists) == sum(1 for c in sp.columns if c.list_name)
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            name = dv.formula1.lstrip("=")
            assert name in wb.defined_names
    for i, col in enumerate(sp.columns, start=1):
        if col.type == "amount":
            assert ws.cell(row=FIRST_DATA_ROW, column=i).number_format == "#,##0"
    units = wb["Danh mục"]
    assert "Chi cục TĐC" in [c.value for c in units["I"]]
    help_text = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Hướng dẫn".upper() in help_text.upper() and "bắt buộc" in help_text
    marker = wb[MARKER_SHEET]
    assert marker.sheet_state == "hidden"
    assert [c.value for c in marker[1]] == [MARKER, kind, VERSION]


def test_filled_budget_template_gives_lines_and_reconciled_total(tmp_path):
    path = _filled(tmp_path, "budget", [
        ["1", "Hội nghị triển khai", "Văn phòng Sở", "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý I", "Chi", 25000000],
        ["2", "Kiểm tra đo lường", "Chi cục TĐC", "Quản lý nhà nước (QLNN)", "dự toán", "Quý II, III", "Chi", "60.000.000"],
        ["3", "Thu phí thẩm định", "Chi cục TĐC", "thu phí, lệ phí", "dự toán", "Cả năm", "Thu", 41000000],
        [None, "TỔNG CỘNG", None, None, None, None, None, 85000000],
    ])
    result = _read(path)
    assert [(b.line_id, b.source_line, b.amount_vnd, b.funding_source, b.quarters, b.direction, b.phase) for b in result.budget_lines] == [
        ("Ngân sách!4", 4, 25_000_000, "SNKH", (1,), "expenditure", "approved"),
        ("Ngân sách!5", 5, 60_000_000, "QLNN", (2, 3), "expenditure", "approved"),
        ("Ngân sách!6", 6, 41_000_000, "THU_PHI", (1, 2, 3, 4), "revenue", "approved"),
    ]
    assert result.budget_lines[1].unit == "Chi cục TĐC"  # a unit typed outside the list is kept
    (total,) = result.totals
    assert (total.printed_amount_vnd, total.computed_amount_vnd, total.status, total.source_line) == (85_000_000, 85_000_000, "match", 7)
    assert result.meta.layout == "template_budget" and result.meta.fiscal_years == [2025]


def test_total_that_disagrees_is_a_mismatch(tmp_path):
    path = _filled(tmp_path, "budget", [
        ["1", "Hội nghị", None, "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý I", "Chi", 25000000],
        [None, "TỔNG CỘNG", None, None, None, None, None, 30000000],
    ])
    (total,) = _read(path).totals
    assert total.status == "mismatch" and "lệch 5.000.000" in total.detail


def test_every_bad_cell_is_named_by_sheet_and_cell(tmp_path):
    path = _filled(tmp_path, "budget", [
        ["1", "Hội nghị", None, "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý I", "Chi", 25000000],
        ["2", "Tập huấn", None, "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý I", "Chi", "một trăm"],
        ["3", "Kiểm tra", None, "Nguồn không rõ", "dự toán", "Quý V", "Chi", 1500.5],
        ["4", None, None, "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý I", "Chi", 10],
    ])
    err = _refused(path)
    assert str(err) == f"{path.name}:5: Sheet Ngân sách, ô H5: 'một trăm' không phải số tiền (và 4 lỗi khác)"
    messages = [i.message for i in err.issues]
    assert messages == [
        "Sheet Ngân sách, ô H5: 'một trăm' không phải số tiền",
        "Sheet Ngân sách, ô D6: 'Nguồn không rõ' không có trong danh sách 'Nguồn kinh phí'",
        "Sheet Ngân sách, ô F6: 'Quý V' không phải thời gian (Quý I … Quý IV, 'Quý II, III' hoặc Cả năm)",
        "Sheet Ngân sách, ô H6: '1.500,5' không tròn đồng (số tiền ghi bằng đồng, không có phần lẻ)",
        "Sheet Ngân sách, ô B7: thiếu 'Nội dung'",
    ]


def test_wrong_template_version_is_refused(tmp_path):
    path = _filled(tmp_path, "budget", [["1", "Hội nghị", None, "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý I", "Chi", 1]])
    wb = load_workbook(path)
    wb[MARKER_SHEET]["C1"] = VERSION - 1
    wb.save(path)
    err = _refused(path)
    assert f"phiên bản {VERSION - 1} không còn được hỗ trợ" in str(err)


def test_missing_column_is_refused(tmp_path):
    path = _filled(tmp_path, "budget", [["1", "Hội nghị", None, "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý I", "Chi", 1]])
    wb = load_workbook(path)
    wb["Ngân sách"].delete_cols(8)  # "Số tiền (đồng)"
    wb.save(path)
    err = _refused(path)
    assert "Sheet Ngân sách, hàng 3: thiếu cột 'Số tiền (đồng)'" in str(err)


def test_year_comes_from_the_form_or_the_sheet(tmp_path):
    row = [["1", "Hội nghị", None, "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý I", "Chi", 1]]
    no_year = _filled(tmp_path, "budget", row, year=None, name="no_year.xlsx")
    with pytest.raises(DocumentError, match="chưa ghi năm ngân sách"):
        _read(no_year, years=())
    assert _read(_filled(tmp_path, "budget", row, year=2026, name="y.xlsx"), years=()).budget_lines[0].fiscal_year == 2026


def test_quarterly_execution_and_cumulative(tmp_path):
    path = _filled(tmp_path, "execution", [
        ["1", "Hội nghị", "Văn phòng Sở", "Sự nghiệp KH&CN (SNKH)", "Quý I", 10000000, 10000000],
        ["1", "Hội nghị", "Văn phòng Sở", "Sự nghiệp KH&CN (SNKH)", "Quý II", 5000000, 15000000],
        ["2", "Tập huấn", "Văn phòng Sở", "Sự nghiệp KH&CN (SNKH)", "Quý II", 7000000, 9000000],
        ["3", "Kiểm tra", "Văn phòng Sở", "Quản lý nhà nước (QLNN)", "Quý I", 3000000, 3500000],
        [None, "TỔNG CỘNG", None, None, "Quý II", 12000000, None],
    ])
    result = _read(path, kind="report")
    assert [(b.line_id, b.phase, b.phase_vn, b.quarters, b.period, b.amount_vnd) for b in result.budget_lines] == [
        ("Thực hiện!4", "executed", "thực hiện", (1,), "Quý I/2025", 10_000_000),
        ("Thực hiện!5", "executed", "thực hiện", (2,), "Quý II/2025", 5_000_000),
        ("Thực hiện!6", "executed", "thực hiện", (2,), "Quý II/2025", 7_000_000),
        ("Thực hiện!7", "executed", "thực hiện", (1,), "Quý I/2025", 3_000_000),
    ]
    got = {(t.label, t.source_line): (t.covers, t.status) for t in result.totals}
    assert got == {
        ("Lũy kế đến hết quý I", 4): (["Thực hiện!4"], "match"),
        ("Lũy kế đến hết quý II", 5): (["Thực hiện!4", "Thực hiện!5"], "match"),
        ("Lũy kế đến hết quý I", 7): (["Thực hiện!7"], "mismatch"),
        ("TỔNG CỘNG", 8): (["Thực hiện!5", "Thực hiện!6"], "match"),
    }
    # "Tập huấn" has no quarter I in the file: its lũy kế cannot be checked, and says so.
    warning = next(i for i in result.issues if i.line == 6)
    assert "Sheet Thực hiện, ô G6" in warning.message and "không có số thực hiện quý I" in warning.message


def test_same_execution_line_twice_in_a_quarter_is_refused(tmp_path):
    path = _filled(tmp_path, "execution", [
        ["1", "Hội nghị", None, "Sự nghiệp KH&CN (SNKH)", "Quý I", 10000000],
        ["1", "Hội nghị", None, "Sự nghiệp KH&CN (SNKH)", "Quý I", 10000000],
    ])
    assert "Quý I đã có ở hàng 4" in str(_refused(path))


def test_indicators_actuals_and_tasks(tmp_path):
    targets = _read(_filled(tmp_path, "indicators", [
        ["1", "Tỷ lệ hồ sơ TTHC trực tuyến", "Chuyển đổi số", "≥", 80, "%", "Văn phòng Sở"],
        ["2", "Ban hành kế hoạch ĐMST", None, "định tính"],
    ]), kind="plan").indicators
    assert [(t.comparator, t.target_value, t.target_unit, t.qualitative, t.source_line) for t in targets] == [
        (">=", 80.0, "%", False, 4), (None, None, None, True, 5)]
    actuals = _read(_filled(tmp_path, "actuals", [["1", "Số nhiệm vụ nghiệm thu", "Quý II", 12, "nhiệm vụ"]]), kind="report").actuals
    assert [(a.period, a.value, a.period_start, a.period_end) for a in actuals] == [
        ("Q2/2025", 12.0, date(2025, 4, 1), date(2025, 6, 30))]
    ok = _read(_filled(tmp_path, "tasks", [
        ["1", "Xây dựng đề án", "Dự án", "Văn phòng Sở", None, "Đề án", date(2025, 6, 30), 150000000]]), kind="plan").tasks
    assert [(t.kind, t.deadline, t.budget_vnd, t.lead_unit) for t in ok] == [("project", date(2025, 6, 30), 150_000_000, "Văn phòng Sở")]
    bad = _filled(tmp_path, "tasks", [["2", "Kiểm tra", "Nhiệm vụ", None, None, None, "31/13/2025"]], name="bad_tasks.xlsx")
    assert "Sheet Nhiệm vụ, ô G4: '31/13/2025' không phải ngày" in str(_refused(bad))


def test_template_ingested_twice_adds_nothing_and_bad_one_changes_nothing(tmp_path, raw_copy):
    from warehouse.queries import BudgetFilter, Warehouse
    from warehouse.store import Overrides, build, ingest

    db = tmp_path / "w.duckdb"
    build(raw_copy, db)
    path = _filled(tmp_path, "budget", [
        ["1", "Hội nghị triển khai", "Văn phòng Sở", "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý I", "Chi", 25000000]])
    report = ingest(path, db, raw_copy, Overrides(province=PROVINCE))
    assert report.budget_lines == 1 and (raw_copy / path.name).exists()
    assert Warehouse(db).total(BudgetFilter(PROVINCE, 2025, phase_vn="dự toán")) == 25_000_000
    copy = tmp_path / "copy"
    copy.mkdir()
    again = ingest(shutil.copy(path, copy / "khac_ten.xlsx"), db, raw_copy, Overrides(province=PROVINCE))
    assert again.budget_lines == 0 and again.skipped
    before = (db.read_bytes(), sorted(p.name for p in raw_copy.iterdir()), (raw_copy / "manifest.csv").read_bytes())
    bad = _filled(tmp_path, "budget", [["1", "X", None, "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý I", "Chi", "một trăm"]],
                  name="bad.xlsx")
    with pytest.raises(DocumentError):
        ingest(bad, db, raw_copy, Overrides(province=PROVINCE))
    assert before == (db.read_bytes(), sorted(p.name for p in raw_copy.iterdir()), (raw_copy / "manifest.csv").read_bytes())


@pytest.mark.parametrize("kind", KINDS)
def test_command_line_writes_each_template(tmp_path, kind, capsys):
    from loaders.families.templates import detect_extracted
    from loaders.tables.files import extract
    from warehouse.cli import main

    out = tmp_path / "sub" / f"{kind}.xlsx"
    assert main(["template", "--kind", kind, "--out", str(out), "--year", "2026"]) == 0
    assert str(out) in capsys.readouterr().out
    assert detect_extracted(extract(out))  # the version marker the importer looks for
    ws = load_workbook(out)[SPECS[kind].sheet]
    assert ws["B2"].value == 2026 and [c.value for c in ws[HEADER_ROW]][: len(SPECS[kind].columns)] == [
        c.label for c in SPECS[kind].columns]


def test_command_line_template_as_a_module(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "mau.xlsx"
    run = subprocess.run([sys.executable, "-m", "warehouse", "template", "--kind", "execution", "--out", str(out)],
                         cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert load_workbook(out).sheetnames[0] == SPECS["execution"].sheet
    bad = subprocess.run([sys.executable, "-m", "warehouse", "template", "--kind", "ngan-sach", "--out", str(out)],
                         cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True)
    assert bad.returncode == 2 and "ngan-sach" in bad.stderr
