"""What counts as the same money twice (``warehouse/duplicates.py``): the execution
disclosures of successive periods, the rounds of adjustment decisions and the estimate an
execution disclosure restates are not duplicates; a second report of the same period and
unit is, and is refused unless the officer allows it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from loaders.documents import read_manifest
from warehouse import store, users
from warehouse.duplicates import describe, line_scope
from warehouse.queries import BudgetFilter, Warehouse

from tests.versions_data import make_raw

ROOT = Path(__file__).resolve().parent.parent
BUDGET_2024 = "000_3dbcd40b8eb90139.txt"


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
    # the officer's decision is kept in the manifest, so a rebuild keeps both documents
    assert read_manifest(folder)[revised.name].allow_overlap
    rebuilt = store.build(folder, copy)
    assert rebuilt.excluded == [] and revised.name in rebuilt.documents
    assert any(o.startswith(("bieu03_q1_laichau_2025", revised.name)) for o in rebuilt.overlaps)


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warehouse", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=600, check=False)


def test_build_leaves_out_a_revised_copy_placed_in_the_folder(built_db, tmp_path):
    """Issue 19: a revised copy of the 2024 appendices (another number, one amount changed)
    with its manifest row doubled Điện Biên 2024 and the build said nothing. The build applies
    the ingest rule: the copy is left out (the first file is kept), listed for the pages, and
    the command exits with status 1 naming both files."""
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    text = (raw / BUDGET_2024).read_text(encoding="utf-8")
    revised = "000_ban_sua_doi.txt"
    (raw / revised).write_text(text.replace("68/KH-SKHCN", "99/KH-SKHCN").replace("Quý II 40.000.000", "Quý II 45.000.000"),
                               encoding="utf-8")
    with (raw / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{revised},Điện Biên,2024,budget_appendices,Sở Khoa học và Công nghệ tỉnh Điện Biên,99/KH-SKHCN,"
                 "2024-02-01,Bản sửa đổi\n")
    db = tmp_path / "w.duckdb"
    env = os.environ | {"SKHCN_ENTRIES": str(tmp_path / "entries.sqlite"), "SKHCN_BUILD_WORKERS": "0"}
    r = _cli("build", "--if-stale", "--raw", str(raw), "--db", str(db), env=env)
    assert r.returncode == 1, r.stdout + r.stderr
    said = [ln for ln in r.stderr.splitlines() if revised in ln]
    assert said and BUDGET_2024 in said[0] and "trùng" in said[0]
    wh, before = Warehouse(db), Warehouse(built_db["db"])
    assert wh.total(BudgetFilter("Điện Biên", 2024)) == before.total(BudgetFilter("Điện Biên", 2024)) == 11_523_500_000
    assert set(wh.documents()["document"]) == set(before.documents()["document"])
    excluded = wh.excluded_documents("Điện Biên")
    assert list(excluded["document"]) == [revised] and list(excluded["kept_document"]) == [BUDGET_2024]
    assert excluded["kind"].iloc[0] == "scope" and BUDGET_2024 in excluded["message"].iloc[0]
    assert wh.excluded_documents("Sơn La").empty
    # nothing changed in the folder: no rebuild, and still status 1 with the same message
    again = _cli("build", "--if-stale", "--raw", str(raw), "--db", str(db), env=env)
    assert again.returncode == 1 and "đã cập nhật" in again.stdout and revised in again.stderr
    # the copy removed: a clean build, status 0, nothing excluded
    (raw / revised).unlink()
    clean = _cli("build", "--raw", str(raw), "--db", str(db), env=env)
    assert clean.returncode == 0, clean.stderr
    assert Warehouse(db).excluded_documents().empty


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


def test_pages_say_which_document_was_left_out(built_db, tmp_path, monkeypatch, editor_account):
    """Tổng quan and Kho dữ liệu warn of the duplicate the build left out, naming both files;
    the overview's total stays the first document's."""
    from streamlit.testing.v1 import AppTest

    from tests.pages_helpers import APP, metrics, open_page, texts

    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    copy = "000_ban_sao.txt"
    (raw / copy).write_bytes((raw / BUDGET_2024).read_bytes() + b"\n\n")
    with (raw / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{copy},Điện Biên,2024,budget_appendices,,,,\n")
    db = tmp_path / "w.duckdb"
    assert [e.split(":")[0] for e in store.build(raw, db).excluded] == [copy]
    monkeypatch.setenv("SKHCN_DB", str(db))
    monkeypatch.setenv("SKHCN_RAW", str(raw))
    at = open_page("pages/tong-quan.py", province="Điện Biên", year="2024")
    warned = [w.value for w in at.warning if copy in w.value]
    assert warned and BUDGET_2024 in warned[0] and "không được tính" in warned[0]
    assert metrics(at)["Tổng chi"] == "11.523.500.000 đ"
    at = open_page("pages/tong-quan.py", province="Sóc Trăng", year="2024")
    assert copy not in texts(at)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = editor_account
    at.session_state["session_version"] = users.current_session(editor_account)  # a live login (ui.auth)
    at.run()
    at.switch_page("pages/kho-du-lieu.py").run()
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning if copy in w.value]
    assert warned and BUDGET_2024 in warned[0]
