"""Tables of indicator results: a plan's "Thực hiện năm 2024" beside its targets and a report's
"Thực hiện quý III | Lũy kế 9 tháng" are read as actuals (``loaders.families.plan_targets``,
``loaders.families.report``), and the Chỉ tiêu page's query compares each target with the
year's figure of a document (``warehouse.queries.Warehouse.targets``)."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from helpers import read_text_document

from loaders.documents import ManifestEntry, read_document, write_manifest_entry
from loaders.families.plan_targets import _period_label
from warehouse import store
from warehouse.queries import open_warehouse

VARIANTS = Path(__file__).parent / "data" / "variants"
PLAN = "nghean_2025_targets_last_year_results.txt"
REPORT = "nghean_2025q3_report_results_table.txt"


@pytest.mark.parametrize("quarters, cumulative, label", [
    ((3,), False, "Q3/2025"), ((1, 2, 3), True, "9T/2025"), ((1, 2), False, "H1/2025"),
    ((3, 4), False, "H2/2025"), ((1, 2, 3, 4), False, "2025"), ((2, 3), False, "Q2–Q3/2025"),
    ((1,), True, "3T/2025"),
])
def test_period_labels(quarters, cumulative, label):
    assert _period_label(quarters, 2025, cumulative) == label


def _read(tmp_path: Path, name: str, text: str, kind: str, year: int = 2025):
    return read_text_document(tmp_path, name, text, "Nghệ An", year, kind)


def test_a_result_cell_that_is_not_a_figure_is_named_not_stored(tmp_path):
    text = (VARIANTS / PLAN).read_text(encoding="utf-8").replace("\t98,5\t", "\t≥ 98\t").replace("\t1.250\t", "\tkhoảng 1.200-1.300\t")
    r = _read(tmp_path, "p.txt", text, "plan")
    assert [a.source_line for a in r.actuals] == [12, 15]
    said = {i.line: i.message for i in r.issues}
    assert "dấu so sánh" in said[13] and "Thực hiện năm 2024" in said[13]
    assert "Thực hiện năm 2024" in said[14]
    assert [i.target_value for i in r.indicators] == [15.0, 100.0, 1400.0, None]  # the targets are unchanged


def test_a_targets_table_in_a_document_filed_as_a_report_gives_results_only(tmp_path):
    r = _read(tmp_path, "p.txt", (VARIANTS / PLAN).read_text(encoding="utf-8"), "report")
    assert r.indicators == []
    assert [(a.period, a.value) for a in r.actuals] == [("2024", 12.0), ("2024", 98.5), ("2024", 1250.0), ("2024", 1.0)]


def test_not_done_is_zero(tmp_path):
    text = (VARIANTS / PLAN).read_text(encoding="utf-8").replace("\tHoàn thành\tHoàn thành", "\tChưa hoàn thành\tHoàn thành")
    r = _read(tmp_path, "p.txt", text, "plan")
    assert [a.value for a in r.actuals if a.source_line == 15] == [0.0]


def _report_workbook(path: Path) -> Path:
    """The report's results table typed in a workbook: title rows, a merged header over two
    rows ("Kết quả thực hiện" over "Quý III" and "Lũy kế 9 tháng"), the figures as numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kết quả"
    ws.append(["UBND TỈNH NGHỆ AN"])
    ws.append(["SỞ KHOA HỌC VÀ CÔNG NGHỆ"])
    ws.append(["BÁO CÁO"])
    ws.append(["Kết quả thực hiện nhiệm vụ khoa học và công nghệ quý III năm 2025 và nhiệm vụ trọng tâm quý IV năm 2025"])
    ws.append([])
    ws.append(["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện quý III", "Lũy kế từ đầu năm"])
    ws.append([1, "Số doanh nghiệp được hỗ trợ đổi mới công nghệ", "doanh nghiệp", 15, 4, 11])
    ws.append([2, "Số phương tiện đo được kiểm định", "phương tiện", 1400, 380, 1050])
    ws.append([])
    ws.append(["II. NHIỆM VỤ TRỌNG TÂM QUÝ IV NĂM 2025"])
    ws.append(["- Tổ chức nghiệm thu các đề tài đến hạn."])
    wb.save(path)
    return path


def test_a_results_table_in_a_workbook(tmp_path):
    path = _report_workbook(tmp_path / "bao_cao_q3.xlsx")
    r = read_document(path, ManifestEntry(file=path.name, province="Nghệ An", fiscal_years=[2025], kind="report"))
    got = sorted((a.name[:10], a.period, a.value, a.unit) for a in r.actuals)
    assert got == [("Số doanh n", "9T/2025", 11.0, "doanh nghiệp"), ("Số doanh n", "Q3/2025", 4.0, "doanh nghiệp"),
                   ("Số phương ", "9T/2025", 1050.0, "phương tiện"), ("Số phương ", "Q3/2025", 380.0, "phương tiện")]
    assert all(a.location and "ô" in a.location for a in r.actuals)  # the cell, for the trace
    assert r.indicators == [] and r.budget_lines == []


def test_the_targets_page_takes_the_years_figure_from_the_report(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, kind in ((PLAN, "plan"), (REPORT, "report")):
        shutil.copyfile(VARIANTS / name, raw / name)
        write_manifest_entry(raw, ManifestEntry(file=name, province="Nghệ An", fiscal_years=[2025], kind=kind))
    db = tmp_path / "w.duckdb"
    store.build(raw, db)
    targets = open_warehouse(db).targets("Nghệ An", 2025, entered=False).set_index("name")
    # a catalogue indicator: the cumulative 9 months (1 050), not the quarter (380), nor 2024's 1 250
    row = targets.loc["Số phương tiện đo được kiểm định"]
    assert (row.actual_value, row.actual_period) == (1050.0, "9T/2025")
    assert row.actual_source == f"{REPORT}, dòng 14"
    # an indicator the catalogue does not know: matched on its name as printed
    row = targets.loc["Số doanh nghiệp được hỗ trợ đổi mới công nghệ"]
    # 11 of 15 at 30 September: the year is not over
    assert (row.actual_value, row.actual_period, row.status) == (11.0, "9T/2025", "in_progress")
    # no 2025 figure: last year's result is no actual of this year
    row = targets.loc["Tỷ lệ hồ sơ giải quyết đúng hạn"]
    assert row.status == "no_data"


def test_the_percentage_column_of_a_results_table_is_checked(tmp_path):
    text = (VARIANTS / REPORT).read_text(encoding="utf-8")
    r = _read(tmp_path, "bc.txt", text, "report")
    assert [(c.printed, c.computed, c.status) for c in r.ratios] == [("73,3", "73,3", "match"), ("75", "75", "match"),
                                                                     ("60", "60", "match")]
    r = _read(tmp_path, "bc.txt", text.replace("\t73,3", "\t37,3"), "report")  # 11 / 15 is 73,3 %
    assert [c.status for c in r.ratios] == ["mismatch", "match", "match"]
    assert any(i.line == 13 and "37,3" in i.message and "73,3" in i.message for i in r.issues)
