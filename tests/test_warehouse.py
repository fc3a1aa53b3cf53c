"""Build, ingest and export through the one write path; reads through the query module."""
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from loaders.documents import DocumentError
from warehouse import store
from warehouse.export import export_package
from warehouse.queries import BudgetFilter, Warehouse
from warehouse.workbook import lines_to_xlsx

ROOT = Path(__file__).resolve().parent.parent
BUDGET_2024 = "000_3dbcd40b8eb90139.txt"


def test_build_holds_every_document_and_reconciles(built_db):
    report = built_db["report"]
    assert len(report.documents) == len(list((ROOT / "data" / "raw").glob("*.txt")))
    assert report.mismatches == []
    wh = Warehouse(built_db["db"])
    assert wh.total(BudgetFilter("Điện Biên", 2024)) == 11_523_500_000
    assert wh.total(BudgetFilter("Điện Biên", 2024, direction="revenue")) == 41_000_000
    assert wh.total(BudgetFilter("Điện Biên", 2024, sources=("SNKH",))) == 7_636_000_000
    assert wh.total(BudgetFilter("Điện Biên", 2024, sources=("QLNN",))) == 307_500_000
    with duckdb.connect(str(built_db["db"]), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM budget_lines WHERE source_line IS NULL OR source_line < 1").fetchone()[0] == 0
        assert con.execute("SELECT typeof(amount_vnd) FROM budget_lines LIMIT 1").fetchone()[0] == "BIGINT"
        assert con.execute("SELECT count(*) FROM totals WHERE status <> 'match'").fetchone()[0] == 0


def test_quarter_views_never_count_twice(built_db):
    wh = Warehouse(built_db["db"])
    f = BudgetFilter("Điện Biên", 2024)
    spread = wh.by_quarter(f, spread=True)
    grouped = wh.by_quarter(f, spread=False)
    assert int(spread["amount_vnd"].sum()) == 11_523_500_000
    assert int(grouped["amount_vnd"].sum()) == 11_523_500_000
    assert "Cả năm" in set(grouped["quarter_label"])
    assert set(spread["quarter_label"]) <= {"Quý I", "Quý II", "Quý III", "Quý IV", "Không rõ thời gian"}
    # a 10.000.000 đ line over Quý I, II, III spreads into whole đồng: 3.333.334 + 3.333.333 + 3.333.333
    fees = wh.by_quarter(BudgetFilter("Điện Biên", 2024, sources=("THU_PHI",)), spread=True)
    assert dict(zip(fees["quarter_label"], fees["amount_vnd"])) == {
        "Quý I": 3_333_334,
        "Quý II": 3_333_333,
        "Quý III": 13_333_333,
    }


def test_units_are_read_as_printed_and_grouped_by_kind(built_db):
    """The warehouse holds each unit as printed with its kind beside it; pages group by the
    kind (the printed name when there is none) and read the printed names back."""
    from warehouse.queries import NO_UNIT

    wh = Warehouse(built_db["db"])
    f = BudgetFilter("Điện Biên", 2024, "approved", "dự toán", kind="budget")
    groups = wh.units(f).set_index("unit_group")["units_printed"]
    assert groups["Trung tâm Ứng dụng KH&CN"] == "Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ"
    assert groups["Phòng Quản lý chuyên ngành"] == "Quản lý Công nghệ - ATBX,HN và Sở hữu trí tuệ"
    by_group = wh.totals_by(f, "unit_group")
    assert int(by_group["amount_vnd"].sum()) == 11_523_500_000 and NO_UNIT not in set(by_group["unit_group"])
    by_printed = wh.totals_by(f, "unit")
    assert "Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ" in set(by_printed["unit"])
    centre = BudgetFilter("Điện Biên", 2024, "approved", "dự toán", units=("Trung tâm Ứng dụng KH&CN",), kind="budget")
    assert wh.total(centre) == 1_336_000_000
    lines = wh.lines(centre)
    assert set(lines["unit"]) == {"Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ"}
    assert set(lines["unit_kind"]) == set(lines["unit_group"]) == {"Trung tâm Ứng dụng KH&CN"}
    # lines printed without a unit (the 2020–2021 plan table) are one group, NO_UNIT
    plan = BudgetFilter("Điện Biên", 2020, "approved", "KH UBND giao", units=(NO_UNIT,))
    assert wh.total(plan) == wh.total(BudgetFilter("Điện Biên", 2020, "approved", "KH UBND giao")) > 0
    tasks = wh.tasks("Sóc Trăng", 2024)
    centre_tasks = tasks[tasks["lead_unit_group"] == "Trung tâm Ứng dụng KH&CN"]
    assert {"Trung tâm Ứng dụng", "Trung tâm Ứng dụng Tiên bộ KH&CN"} <= set(centre_tasks["lead_unit"])  # as printed
    assert not tasks["lead_unit"].fillna("").str.contains(r"\(").any()  # assignees are in their own column
    assert tasks["assignees"].notna().any()


def test_needs_build_tracks_raw_folder(built_db, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    assert store.needs_build(raw, db)
    shutil.copyfile(built_db["db"], db)
    assert not store.needs_build(built_db["raw"], built_db["db"])
    (raw / "manifest.csv").write_text((raw / "manifest.csv").read_text() + "\n", encoding="utf-8")
    assert store.needs_build(raw, db)


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_failed_build_leaves_the_warehouse_as_it_was(built_db, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    shutil.copyfile(built_db["db"], db)
    before = _bytes(db)
    (raw / "zz_unknown.txt").write_text("Một văn bản không có bảng nào.\n", encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        store.build(raw, db)
    assert "zz_unknown.txt" in str(err.value)
    assert _bytes(db) == before
    assert [p.name for p in tmp_path.glob("w.duckdb.*") if p.suffix != ".lock"] == []  # no temporary file left


def test_ingest_is_idempotent_and_keeps_the_document(built_db, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    db = tmp_path / "w.duckdb"
    src = ROOT / "data" / "raw" / BUDGET_2024
    first = store.ingest(src, db, raw, store.Overrides(province="Điện Biên"))
    assert first.documents == [BUDGET_2024] and first.budget_lines > 0
    assert (raw / BUDGET_2024).exists()
    with (raw / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["province"] == "Điện Biên" and rows[0]["fiscal_years"] == "2024"
    before = _bytes(db)
    again = store.ingest(src, db, raw)
    assert again.documents == [] and again.skipped
    assert _bytes(db) == before
    assert Warehouse(db).total(BudgetFilter("Điện Biên", 2024)) == 11_523_500_000
    assert not store.needs_build(raw, db)


def test_ingest_of_a_bad_document_changes_nothing(built_db, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    shutil.copyfile(built_db["db"], db)
    before, manifest_before = _bytes(db), _bytes(raw / "manifest.csv")
    bad = tmp_path / "bad.txt"
    text = (ROOT / "data" / "raw" / BUDGET_2024).read_text(encoding="utf-8")
    bad.write_text(text.replace("2 Chỉnh lý tài liệu Quý II 200.000.000", "2 Chỉnh lý tài liệu Quý II 200.000,5"), encoding="utf-8")
    with pytest.raises(DocumentError):
        store.ingest(bad, db, raw, store.Overrides(province="Sơn La"))
    bad.write_text(text.replace("Quý II 40.000.000", "Quý II 40.000.00O"), encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        store.ingest(bad, db, raw, store.Overrides(province="Sơn La"))
    assert "bad.txt:9" in str(err.value)
    assert _bytes(db) == before
    assert _bytes(raw / "manifest.csv") == manifest_before
    assert not (raw / "bad.txt").exists()


def test_unknown_province_is_refused(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    with pytest.raises(DocumentError) as err:
        store.ingest(ROOT / "data" / "raw" / BUDGET_2024, tmp_path / "w.duckdb", raw, store.Overrides(province="Atlantis"))
    assert "Atlantis" in str(err.value)
    assert not (tmp_path / "w.duckdb").exists() or Warehouse(tmp_path / "w.duckdb").documents().empty


def test_reader_sees_a_rebuild(built_db, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    shutil.copyfile(built_db["db"], db)
    wh = Warehouse(db)
    n = len(wh.documents())
    (raw / "001_3dc3e512645fa543.txt").unlink()
    store.build(raw, db)
    assert len(wh.documents()) == n - 1


def test_a_swap_while_another_session_queries_breaks_neither(built_db, tmp_path):
    """A session whose query runs on the old file when another session notices a swap: the
    old connection must not be closed under it (DuckDB refuses to close a busy connection)."""
    import threading

    db = tmp_path / "w.duckdb"
    shutil.copyfile(built_db["db"], db)
    wh = Warehouse(db)
    n = len(wh.documents())
    slow = wh.cursor()  # another session's cursor, busy with a long query
    errors: list[BaseException] = []

    def long_query():
        try:
            slow.execute("SELECT count(*) FROM range(300000000) a WHERE a.range % 7 = 3").fetchall()
        except BaseException as exc:  # pragma: no cover - the failure this test guards against
            errors.append(exc)

    worker = threading.Thread(target=long_query)
    worker.start()
    fresh = tmp_path / "fresh.duckdb"
    shutil.copyfile(built_db["db"], fresh)
    fresh.replace(db)  # a build swaps a new file in
    assert len(wh.documents()) == n  # this session reopens the new file
    worker.join()
    assert errors == []


def test_export_data_package(built_db, tmp_path):
    out = tmp_path / "pkg"
    counts = export_package(Warehouse(built_db["db"]), out)
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "fiscal-data-package"
    names = [r["name"] for r in package["resources"]]
    assert names[:2] == ["budget_lines", "reconciliation"]
    with (out / "budget_lines.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == counts["budget_lines"]
    required = ("province fiscal_year phase phase_vn direction funding_source unit unit_kind appendix code parent_code "
                "is_subtotal description period quarters amount_vnd document source_line").split()
    assert all(c in rows[0] for c in required)
    leaf = [r for r in rows if r["document"] == BUDGET_2024 and r["is_subtotal"] == "False" and r["amount_vnd"]]
    assert sum(int(r["amount_vnd"]) for r in leaf if r["direction"] == "expenditure") == 11_523_500_000
    whole_year = [r for r in rows if r["period"] == "Năm 2024"]
    assert whole_year and all(r["quarters"] == "1,2,3,4" for r in whole_year)
    assert any(r["parent_code"] == "II" for r in rows if r["code"] == "3.1")
    # units as printed, their kind beside them
    pairs = {(r["unit"], r["unit_kind"]) for r in rows if r["document"] == BUDGET_2024}
    assert ("Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ", "Trung tâm Ứng dụng KH&CN") in pairs
    assert ("Kế hoạch - Quản lý khoa học", "Phòng Kế hoạch – Quản lý khoa học") in pairs
    with (out / "reconciliation.csv").open(encoding="utf-8") as fh:
        recon = list(csv.DictReader(fh))
    pl3 = [r for r in recon if r["scope"] == "Phụ lục 3 (II)"]
    assert pl3 and pl3[0]["printed_amount_vnd"] == "1015000000" and pl3[0]["status"] == "match"
    assert {r["status"] for r in recon} == {"match"}


def test_excel_download_is_a_workbook_with_vnd_format(built_db):
    from io import BytesIO

    from openpyxl import load_workbook

    wh = Warehouse(built_db["db"])
    lines = wh.lines(BudgetFilter("Điện Biên", 2024, sources=("QLNN",)))
    wb = load_workbook(BytesIO(lines_to_xlsx(lines, "QLNN")))
    ws = wb.active
    col = [c.value for c in ws[4]].index("Số tiền (đồng)") + 1
    amounts = [ws.cell(row=r, column=col).value for r in range(5, 5 + len(lines))]
    assert sum(amounts) == 307_500_000
    assert all(isinstance(a, int) for a in amounts)
    assert ws.cell(row=5, column=col).number_format == '#,##0" đ"'
    assert ws.cell(row=6 + len(lines), column=col).value.startswith("=SUM(")  # our total, the one formula
    header = [c.value for c in ws[4]]
    units = {ws.cell(row=r, column=header.index("Phòng/đơn vị (như in)") + 1).value for r in range(5, 5 + len(lines))}
    kinds = {ws.cell(row=r, column=header.index("Loại đơn vị") + 1).value for r in range(5, 5 + len(lines))}
    assert "Quản lý Công nghệ - ATBX,HN và Sở hữu trí tuệ" in units and "Phòng Quản lý chuyên ngành" in kinds


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "warehouse", *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_build_ingest_export(tmp_path, built_db):
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    r = run_cli("build", "--raw", str(raw), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "0 không khớp" in r.stdout and BUDGET_2024 in r.stdout
    r = run_cli("ingest", str(raw / BUDGET_2024), "--db", str(db), "--raw", str(raw))
    assert r.returncode == 0 and "bỏ qua" in r.stdout
    r = run_cli("export", "--out", str(tmp_path / "pkg"), "--db", str(db))
    assert r.returncode == 0 and (tmp_path / "pkg" / "datapackage.json").exists()


def test_cli_names_file_and_line_on_bad_input(tmp_path, built_db):
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    shutil.copyfile(built_db["db"], db)
    before = _bytes(db)
    bad = tmp_path / "bad_2024.txt"
    text = (ROOT / "data" / "raw" / BUDGET_2024).read_text(encoding="utf-8")
    bad.write_text(text.replace("2 Quý II, III 1.500.000", "2 Quý II, III 1.500.000,5"), encoding="utf-8")
    r = run_cli("ingest", str(bad), "--province", "Điện Biên", "--db", str(db), "--raw", str(raw))
    assert r.returncode == 1
    assert "bad_2024.txt:170" in r.stderr
    assert _bytes(db) == before


def test_export_holds_targets_actuals_and_tasks(built_db, tmp_path):
    out = tmp_path / "pkg"
    counts = export_package(Warehouse(built_db["db"]), out)
    assert counts["indicators"] == 60
    assert counts["tasks"] >= 58 + 7 + 80
    with (out / "indicators.csv").open(encoding="utf-8") as fh:
        ind = list(csv.DictReader(fh))
    for col in ("province year code name group comparator target_value target_unit target_text lead_unit lead_unit_kind "
                "document source_line").split():
        assert col in ind[0]
    assert {r["comparator"] for r in ind} <= {"eq", "ge", "gt", "le", "lt", "approx", ""}  # codes, never "=" or ">="
    assert {"eq", "ge"} <= {r["comparator"] for r in ind}
    with (out / "indicator_actuals.csv").open(encoding="utf-8") as fh:
        act = list(csv.DictReader(fh))
    for col in "province code name period value unit document source_line".split():
        assert col in act[0]
    verified = [r for r in act if r["province"] == "Sơn La" and r["value"] in ("5759.0", "5759")]
    assert verified and verified[0]["period"] == "Q1/2024"
    with (out / "tasks.csv").open(encoding="utf-8") as fh:
        tasks = list(csv.DictReader(fh))
    for col in "province year section name lead_unit lead_unit_kind partners deadline budget_vnd document source_line".split():
        assert col in tasks[0]
    # Sóc Trăng prints "Trung tâm Ứng dụng" (its name, kept), Điện Biên another name of the same kind
    st = {(r["lead_unit"], r["lead_unit_kind"]) for r in tasks if r["province"] == "Sóc Trăng"}
    assert ("Trung tâm Ứng dụng", "Trung tâm Ứng dụng KH&CN") in st
    soc_trang = [int(r["budget_vnd"]) for r in tasks if r["province"] == "Sóc Trăng" and r["budget_vnd"]]
    assert len(soc_trang) == 18 and sum(soc_trang) == 1_800_506_000
