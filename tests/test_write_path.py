"""The write path refuses what would lose or double data: duplicates, overwrites, stale
temporary files, failed builds retried on every view; entries are all-or-nothing; the data
package keeps text verbatim while spreadsheet downloads never run it; every write is audited;
``loaders`` never imports ``warehouse``."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from loaders.documents import DocumentError
from warehouse import audit, entries, store
from warehouse.export import export_package
from warehouse.queries import BudgetFilter, Warehouse
from warehouse.workbook import frame_to_csv, frame_to_xlsx, neutral_text

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
BUDGET_2024 = "000_3dbcd40b8eb90139.txt"
DIEN_BIEN_2024 = 11_523_500_000


@pytest.fixture()
def wh_copy(built_db, tmp_path):
    """A private copy of the demo warehouse and its documents folder."""
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    shutil.copyfile(built_db["db"], db)
    # the copy has new mtimes: rebuild so the warehouse records this folder's files
    store.build(raw, db)
    return raw, db


def _export(db: Path, out: Path) -> dict[str, bytes]:
    export_package(Warehouse(db), out)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


# --- loaders stay independent: tests/test_layout.py ------------------------------------
def test_old_command_points_to_the_new_one():
    r = subprocess.run([sys.executable, "-m", "loaders", "build"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and "python -m warehouse" in r.stderr


# --- duplicates ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, transform",
    [
        ("copy_trailing_space.txt", lambda t: t.replace("\n", " \n", 1).encode("utf-8")),
        ("copy_crlf.txt", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
        ("copy_utf16.txt", lambda t: t.encode("utf-16")),
    ],
)
def test_same_document_under_another_name_is_refused(wh_copy, tmp_path, name, transform):
    raw, db = wh_copy
    before = _export(db, tmp_path / "before")
    copy = tmp_path / name
    copy.write_bytes(transform((RAW / BUDGET_2024).read_text(encoding="utf-8")))
    with pytest.raises(store.DuplicateDocument) as err:
        store.ingest(copy, db, raw, store.Overrides(province="Điện Biên"))
    assert BUDGET_2024 in str(err.value) and name in str(err.value)
    assert _export(db, tmp_path / "after") == before
    assert not (raw / name).exists()
    assert Warehouse(db).total(BudgetFilter("Điện Biên", 2024)) == DIEN_BIEN_2024


def test_second_document_for_the_same_scope_is_refused_unless_allowed(wh_copy, tmp_path):
    raw, db = wh_copy
    text = (RAW / BUDGET_2024).read_text(encoding="utf-8")
    other = tmp_path / "dien_bien_2024_ban_khac.txt"
    other.write_text(text.replace("Quý II 40.000.000", "Quý II 45.000.000"), encoding="utf-8")
    with pytest.raises(store.DuplicateDocument) as err:
        store.ingest(other, db, raw, store.Overrides(province="Điện Biên"))
    assert "cùng" in str(err.value) and BUDGET_2024 in str(err.value)
    with pytest.raises(store.DuplicateDocument):  # preview says so too, before any write
        store.preview(other, store.Overrides(province="Điện Biên"), db, raw)
    assert Warehouse(db).total(BudgetFilter("Điện Biên", 2024)) == DIEN_BIEN_2024


def test_preview_writes_nothing_and_warns_of_a_shared_scope(wh_copy, tmp_path):
    raw, db = wh_copy
    text = (RAW / BUDGET_2024).read_text(encoding="utf-8")
    other = tmp_path / "dien_bien_2024_dieu_chinh.txt"
    other.write_text(text.replace("68/KH-SKHCN", "99/KH-SKHCN").replace("Quý II 40.000.000", "Quý II 45.000.000"),
                     encoding="utf-8")
    before = db.read_bytes()
    try:
        result = store.preview(other, store.Overrides(province="Điện Biên"), db, raw)
    except store.DuplicateDocument as exc:  # a document number is printed and differs: only the scope is shared
        pytest.fail(f"preview refused a different document: {exc}")
    assert any("Trùng phạm vi" in i.message for i in result.issues)
    assert db.read_bytes() == before and not (raw / other.name).exists()
    with pytest.raises(DocumentError) as err:  # 45 instead of 40 million: Phụ lục 1 no longer adds up
        store.ingest(other, db, raw, store.Overrides(province="Điện Biên"), parsed=result, allow_overlap=True)
    assert "không khớp" in str(err.value) and str(err.value).startswith(f"{other.name}:17:")
    report = store.ingest(other, db, raw, store.Overrides(province="Điện Biên"), parsed=result, allow_overlap=True,
                          accept_mismatch=True, actor=audit.Actor("bientap", "editor"))
    assert report.documents == [other.name] and len(report.mismatches) == 1


def test_build_leaves_out_the_second_of_two_copies_in_the_folder(wh_copy, tmp_path):
    raw, db = wh_copy
    before = _export(db, tmp_path / "before")
    (raw / "zz_copy.txt").write_bytes((RAW / BUDGET_2024).read_bytes() + b" \n")
    with (raw / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write("zz_copy.txt,Điện Biên,2024,budget_appendices,,,,\n")
    report = store.build(raw, db)  # the ingest rule: the later copy stays out, the first is kept
    assert [e.split(":")[0] for e in report.excluded] == ["zz_copy.txt"]
    assert BUDGET_2024 in report.excluded[0] and "trùng nội dung" in report.excluded[0]
    assert "zz_copy.txt" not in report.documents and BUDGET_2024 in report.documents
    assert _export(db, tmp_path / "after") == before  # the data package: the same documents and figures
    assert list(Warehouse(db).excluded_documents()[["document", "kept_document", "kind"]].itertuples(index=False, name=None)) \
        == [("zz_copy.txt", BUDGET_2024, "content")]


# --- never overwrite, never leave temporary files ------------------------------------------
def test_ingest_never_overwrites_a_file_of_the_same_name(wh_copy, tmp_path):
    raw, db = wh_copy
    original = (raw / BUDGET_2024).read_bytes()
    manifest = (raw / "manifest.csv").read_bytes()
    impostor = tmp_path / BUDGET_2024
    impostor.write_text("Một văn bản khác hẳn.\n", encoding="utf-8")
    with pytest.raises(DocumentError):
        store.ingest(impostor, db, raw, store.Overrides(province="Điện Biên"))
    assert (raw / BUDGET_2024).read_bytes() == original
    assert (raw / "manifest.csv").read_bytes() == manifest


def test_stale_temporary_files_are_removed_and_others_kept(wh_copy):
    from warehouse import lock

    raw, db = wh_copy
    # what a killed writer left: the files it recorded in its journal before creating them
    stale = [db.with_name(db.name + ".abc123.tmp"), raw / "manifest.csv.tmp", raw / f".{BUDGET_2024}.x1y2.part"]
    for p in stale:
        lock.created(db, p)
        p.write_bytes(b"left by a killed writer")
    stale.append(db.with_name(db.name + ".abc123.tmp.wal"))  # DuckDB's log of a recorded file
    stale[-1].write_bytes(b"left by a killed writer")
    # files of other programs, even with the names our writers use: never touched
    others = [db.with_name("notes.tmp"), raw / "foo.tmp", db.with_name(db.name + ".other.tmp"),
              raw / f".{BUDGET_2024}.someone.part"]
    for p in others:
        p.write_text("keep")
    store.build(raw, db)
    assert [p for p in stale if p.exists()] == []
    assert [p.read_text() for p in others] == ["keep"] * len(others)
    assert not lock.journal_path(db).exists()


def test_directory_as_file_is_refused(wh_copy, tmp_path):
    raw, db = wh_copy
    folder = tmp_path / "a_folder.txt"
    folder.mkdir()
    with pytest.raises(DocumentError) as err:
        store.ingest(folder, db, raw)
    assert "thư mục" in str(err.value) and "a_folder.txt" in str(err.value)


# --- freshness and failed builds -----------------------------------------------------------
def test_fingerprint_follows_the_files_parsed(wh_copy):
    raw, db = wh_copy
    assert not store.needs_build(raw, db)
    meta = store.read_meta(db)
    assert set(json.loads(meta["raw_files"])) == {p.name for p in raw.glob("*.txt")} | {"manifest.csv"}
    os.utime(raw / BUDGET_2024, ns=(1, 1))
    assert store.needs_build(raw, db)


def test_failed_automatic_build_is_not_retried_on_every_view(wh_copy):
    raw, db = wh_copy
    (raw / "zz_bad.txt").write_text("Không phải văn bản ngân sách.\n", encoding="utf-8")
    before = db.read_bytes()
    assert store.auto_build_state(raw, db) == "stale"
    with pytest.raises(DocumentError):
        store.build(raw, db, remember_failure=True)
    assert store.auto_build_state(raw, db) == "failed"
    assert "zz_bad.txt" in store.last_failure(db)["error"]
    assert db.read_bytes() == before  # the last good warehouse keeps being served
    (raw / "zz_bad.txt").unlink()  # the folder is as the warehouse was built from again
    assert store.auto_build_state(raw, db) == "fresh"
    os.utime(raw / BUDGET_2024, ns=(1, 1))  # any other change is a new folder: built again
    assert store.auto_build_state(raw, db) == "stale"
    store.build(raw, db, remember_failure=True)
    assert store.auto_build_state(raw, db) == "fresh" and store.last_failure(db) is None


def test_busy_lock_is_reported_not_waited_for(wh_copy):
    from warehouse.lock import writer_lock

    raw, db = wh_copy
    with writer_lock(db, raw):
        r = subprocess.run([sys.executable, "-m", "warehouse", "build", "--raw", str(raw), "--db", str(db), "--wait", "0"],
                           cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1 and "đang ghi" in r.stderr


# --- entries: all or nothing, bounded ------------------------------------------------------
def _entry(**kw):
    row = {"entered_by": "Cán bộ A", "province": "Điện Biên", "document": "d.txt", "indicator_id": "PLI/1/1",
           "period": "2026", "value": 18}
    return row | kw


def test_a_save_is_all_or_nothing(tmp_path):
    path = tmp_path / "e.sqlite"
    with pytest.raises(entries.EntryError) as err:
        entries.record_actuals([_entry(), _entry(indicator_id="PLI/1/2", value=float("nan"))], path)
    assert "dòng 2" in str(err.value)
    assert entries.all_entries(path) == []
    with pytest.raises(entries.EntryError):
        entries.record_actuals([_entry(entered_by="x" * 1_000_000)], path)  # the 1 MB name
    with pytest.raises(entries.EntryError):
        entries.record_actuals([_entry(value=1e16)], path)
    assert entries.record_actuals([_entry(), _entry(indicator_id="PLI/1/2", value=10.5, code="2.1")], path,
                                  actor=audit.Actor("bientap", "editor"),
                                  names={("d.txt", "PLI/1/1"): "Số nhiệm vụ cấp tỉnh"}) == 2
    assert len(entries.all_entries(path)) == 2
    log = audit.recent(path=path)
    assert list(log["action"]) == ["enter_actuals"] and log["rows"].iloc[0] == 2 and log["actor"].iloc[0] == "bientap"
    # what was written, by name (else the printed code), never by internal id
    assert log["target"].iloc[0] == "d.txt: «Số nhiệm vụ cấp tỉnh» = 18; «2.1» = 10,5"


def test_legacy_csv_journal_is_imported_once(tmp_path):
    legacy = tmp_path / "indicator_actuals.csv"
    legacy.write_text("entered_at,entered_by,province,document,indicator_id,code,period,value,note\n"
                      "2026-01-02T03:04:05,Cán bộ A,Điện Biên,d.txt,PLI/1/1,,2026,18.0,\n"
                      f"2026-01-02T03:04:06,{'x' * 1_000_000},Điện Biên,d.txt,PLI/1/2,,2026,5.0,\n",  # the 1 MB name
                      encoding="utf-8")
    path = tmp_path / "entries.sqlite"
    got = entries.latest("Điện Biên", "2026", path)
    assert got[("d.txt", "PLI/1/1")]["value"] == 18.0
    entries.latest("Điện Biên", "2026", path)
    assert len(entries.all_entries(path)) == 1


# --- exports and audit ---------------------------------------------------------------------
def test_text_like_a_formula_is_verbatim_in_the_package_and_never_run_in_downloads(wh_copy, tmp_path):
    raw, db = wh_copy
    assert neutral_text("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [neutral_text(v) for v in ("+1", "-2", "@SUM(A1)", "Chi 5")] == ["'+1", "'-2", "'@SUM(A1)", "Chi 5"]
    link = '=HYPERLINK("http://evil","Chỉnh lý tài liệu")'
    text = (RAW / BUDGET_2024).read_text(encoding="utf-8").replace("Chỉnh lý tài liệu", link)
    evil = tmp_path / "evil.txt"
    evil.write_text(text.replace("68/KH-SKHCN", "1/X"), encoding="utf-8")
    shutil.copyfile(evil, raw / BUDGET_2024)  # replace the shipped one in this private copy
    store.build(raw, db)
    # the data package: the text as the document prints it, for programs
    out = tmp_path / "pkg"
    export_package(Warehouse(db), out)
    rows = pd.read_csv(out / "budget_lines.csv", dtype=str, keep_default_na=False)
    hyper = rows[rows["description"].str.contains("HYPERLINK")]
    assert len(hyper) and all(d.startswith(link) for d in hyper["description"])
    assert rows["amount_vnd"].loc[rows["amount_vnd"] != ""].map(lambda a: a.lstrip("-").isdigit()).all()
    # the page's downloads: shown by a spreadsheet, never run
    lines = Warehouse(db).lines(BudgetFilter("Điện Biên", 2024))
    lines = lines[lines["description"].str.contains("HYPERLINK", na=False)][["description", "amount_vnd"]]
    csv_cells = frame_to_csv(lines).decode("utf-8-sig").splitlines()[1]
    assert csv_cells.startswith("\"'=HYPERLINK(")
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(frame_to_xlsx(lines)))["Dữ liệu"]
    assert ws["A2"].value.startswith(link) and ws["A2"].data_type == "s"


def test_every_write_is_audited(wh_copy, tmp_path):
    raw, db = wh_copy
    bad = tmp_path / "bad.txt"
    bad.write_text("rác\n", encoding="utf-8")
    with pytest.raises(DocumentError):
        store.ingest(bad, db, raw, actor=audit.Actor("bientap", "editor"), action="upload")
    store.ingest(RAW / BUDGET_2024, db, raw, actor=audit.Actor("bientap", "editor"))  # same bytes: skipped
    log = audit.recent(10)
    upload, skipped = log.iloc[1], log.iloc[0]
    assert (upload["action"], upload["ok"], upload["actor"]) == ("upload", 0, "bientap") and "bad.txt" in upload["detail"]
    assert skipped["action"] == "ingest" and skipped["ok"] == 1 and skipped["sha256"] and "bỏ qua" in skipped["detail"]
