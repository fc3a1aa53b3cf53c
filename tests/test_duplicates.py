"""What counts as the same money twice (``warehouse/duplicates.py``): the execution
disclosures of successive periods, the rounds of adjustment decisions and the estimate an
execution disclosure restates are not duplicates; a second report of the same period and
unit is, and is refused unless the officer allows it."""
from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from warehouse import store
from warehouse.duplicates import describe, line_scope

from tests.versions_data import make_raw


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    """A warehouse of public forms only: Lai Châu 2025 Biểu 02 and four Biểu 03 (Quý I, 6
    tháng, lũy kế 9 tháng, thực hiện Quý II), Nghệ An 2025 estimate, Q1 report and two
    adjustment rounds, and the other disclosures of the development set."""
    base = tmp_path_factory.mktemp("forms")
    raw = make_raw(base / "raw", with_seed=False)
    db = base / "w.duckdb"
    report = store.build(raw, db)
    return raw, db, report


def test_successive_periods_rounds_and_restated_estimates_are_no_overlap(forms):
    _, _, report = forms
    assert report.overlaps == []
    assert {"bieu03_q1_laichau_2025.xlsx", "bieu03_6t_laichau_2025.xlsx", "bieu03_q3_lk_laichau_2025.xlsx",
            "adj_2025_r1_nghean.docx", "adj_2025_r2_nghean.xlsx"} <= set(report.documents)


def test_a_second_report_of_the_same_period_is_refused_unless_allowed(forms, tmp_path):
    raw, db, _ = forms
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(db, copy)
    revised = tmp_path / "bieu03_q1_laichau_2025_sua.xlsx"
    shutil.copyfile(raw / "bieu03_q1_laichau_2025.xlsx", revised)
    wb = load_workbook(revised)
    ws = wb.active
    for row in ws.iter_rows():  # a revision: one more million on the first execution amount
        cell = row[3]
        if isinstance(cell.value, int) and cell.value > 0:
            cell.value += 1_000_000
            break
    wb.save(revised)
    over = store.Overrides(province="Lai Châu", year=2025, kind="disclosure")
    with pytest.raises(store.DuplicateDocument) as err:
        store.ingest(revised, copy, raw, over)
    assert "bieu03_q1_laichau_2025.xlsx" in str(err.value) and "Quý I" in str(err.value)
    folder = tmp_path / "raw"
    shutil.copytree(raw, folder)
    report = store.ingest(revised, copy, folder, over, allow_overlap=True, accept_mismatch=True)
    assert report.documents == [revised.name]


def test_the_scope_of_a_line():
    q1 = line_scope("Lai Châu", 2025, "ước thực hiện", "executed", "expenditure", "Sở KH&CN", [1], False, None)
    q2 = line_scope("Lai Châu", 2025, "ước thực hiện", "executed", "expenditure", "Sở KH&CN", [2], False, None)
    to_q2 = line_scope("Lai Châu", 2025, "ước thực hiện", "executed", "expenditure", "Sở KH&CN", [1, 2], True, None)
    assert len({q1, q2, to_q2}) == 3
    # an estimate's lines timed by quarter all count towards the year's estimate
    assert line_scope("Điện Biên", 2024, "dự toán", "approved", "expenditure", None, [2], False, None) == \
        line_scope("Điện Biên", 2024, "dự toán", "approved", "expenditure", None, [3, 4], False, None)
    assert describe(q2) == "Lai Châu 2025, ước thực hiện Quý II, chi, Sở KH&CN"
    assert describe(to_q2) == "Lai Châu 2025, ước thực hiện lũy kế đến hết Quý II, chi, Sở KH&CN"
