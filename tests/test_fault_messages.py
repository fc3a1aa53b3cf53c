"""Faults become Vietnamese messages and the last good state keeps serving (issue 19, items 6
and 9): a full disk during a build or an ingest, a locked entries store, hostile upload names,
a password beyond bcrypt's 72 bytes, a date that does not exist, a scanned PDF, and the one-time
import of an old CSV journal opened by eight processes at once."""
from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from loaders.documents import DocumentError, read_document, read_lines, read_manifest
from warehouse import audit, entries, freshness, load, statedb, store, users
from warehouse.lock import stale_files

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DISK_FULL = "Hết dung lượng đĩa khi ghi kho dữ liệu: kho cũ vẫn được dùng."
BUSY = "Dữ liệu đang bận (một người khác đang ghi), thử lại sau ít giây."


@pytest.fixture()
def copy(built_db, tmp_path):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    shutil.copytree(built_db["raw"], raw)
    shutil.copy2(built_db["db"], db)
    return raw, db


def _full_disk_on_insert(monkeypatch, exc: Exception) -> None:
    """The first write of rows into a new warehouse file fails as a full disk does."""
    def insert(*args, **kwargs):
        raise exc

    monkeypatch.setattr(load, "insert", insert)


# --- disk full during build and ingest ---------------------------------------------------------
@pytest.mark.parametrize("exc", [
    OSError(errno.ENOSPC, "No space left on device"),
    duckdb.IOException('Could not write file "w.duckdb.tmp": No space left on device'),
    duckdb.FatalException("Failed: database has been invalidated because of a previous fatal error. "
                          "The database must be restarted. Original error: \"Could not write file: No space left on device\""),
], ids=["oserror", "ioexception", "fatal"])
def test_full_disk_during_build_keeps_the_old_warehouse(copy, monkeypatch, exc):
    raw, db = copy
    (raw / "000_3dbcd40b8eb90139.txt").touch()  # a changed folder: the build is due
    before = db.read_bytes()
    _full_disk_on_insert(monkeypatch, exc)
    with pytest.raises(store.StorageError) as info:
        store.build(raw, db, remember_failure=True)
    assert str(info.value) == DISK_FULL
    assert db.read_bytes() == before and stale_files(db, raw) == []
    assert freshness.auto_build_state(raw, db) == "failed"  # not retried on every page view…
    assert freshness.last_failure(db)["retry_at"] > time.time()  # …but retried later (space may be freed)


def test_full_disk_during_ingest_keeps_the_old_warehouse(copy, monkeypatch, tmp_path):
    raw, db = copy
    doc = raw / "000_3dbcd40b8eb90139.txt"
    (tmp_path / "src").mkdir()
    src = tmp_path / "src" / doc.name  # its manifest row stays: ingested back without options
    shutil.move(doc, src)
    store.build(raw, db)
    before = db.read_bytes()
    real_copyfile = shutil.copyfile

    def copyfile(a, b, *args, **kwargs):
        if str(b).endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_copyfile(a, b, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copyfile)
    with pytest.raises(store.StorageError, match="Hết dung lượng đĩa"):
        store.ingest(src, db, raw)
    assert db.read_bytes() == before and not (raw / src.name).exists() and stale_files(db, raw) == []


def test_the_app_says_disk_full_and_serves_the_old_warehouse(copy, monkeypatch, tmp_path):
    raw, db = copy
    (raw / "000_3dbcd40b8eb90139.txt").touch()
    monkeypatch.setenv("SKHCN_DB", str(db))
    monkeypatch.setenv("SKHCN_RAW", str(raw))
    monkeypatch.setenv("SKHCN_ENTRIES", str(tmp_path / "entries.sqlite"))
    _full_disk_on_insert(monkeypatch, duckdb.FatalException("Could not write file: No space left on device"))
    before = db.read_bytes()
    for _ in range(2):  # the view that tried the build, then the next one (which does not retry)
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["province"] = "Điện Biên"
        at.query_params["year"] = "2024"
        at.run()
        assert not at.exception
        assert {m.label: m.value for m in at.metric}["Tổng chi"] == "11.523.500.000 đ"  # the old warehouse
    assert db.read_bytes() == before
    # the first view said it (status label); the audit keeps it too
    log = audit.recent(5)
    assert DISK_FULL in log["detail"].iloc[0] and log["ok"].iloc[0] == 0


# --- a locked entries store ------------------------------------------------------------------
@pytest.fixture()
def locked(tmp_path, monkeypatch):
    """The entries store held by another writer (exclusive locking mode: readers wait too),
    with a short busy timeout."""
    path = tmp_path / "entries.sqlite"
    monkeypatch.setenv("SKHCN_ENTRIES", str(path))
    entries.record_actuals([{"entered_by": "Cán bộ A", "province": "Điện Biên", "document": "d.txt",
                             "indicator_id": "X/1", "period": "2026", "value": 1}], path)
    monkeypatch.setattr(statedb, "BUSY_TIMEOUT_S", 0.3)
    holder = sqlite3.connect(str(path), isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO migrations VALUES ('tenant', 'x', NULL)")
    yield path
    holder.execute("ROLLBACK")
    holder.close()


def test_a_locked_store_refuses_a_save_in_vietnamese_within_the_wait(locked):
    start = time.monotonic()
    with pytest.raises(statedb.StoreBusy) as info:
        entries.record_actuals([{"entered_by": "Cán bộ B", "province": "Điện Biên", "document": "d.txt",
                                 "indicator_id": "X/1", "period": "2026", "value": 2}], locked)
    assert str(info.value) == BUSY
    assert time.monotonic() - start < 5  # bounded: a few busy timeouts, not 30 s
    with pytest.raises(statedb.StoreBusy):
        entries.latest("Điện Biên", "2026", locked)


def test_the_indicators_page_renders_while_the_store_is_locked(locked, built_db, monkeypatch):
    monkeypatch.setenv("SKHCN_DB", str(built_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(built_db["raw"]))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["province"] = "Điện Biên"
    at.query_params["year"] = "2026"
    at.run()
    at.switch_page("pages/chi-tieu.py").run()
    assert not at.exception
    assert any(BUSY in w.value for w in at.warning)
    assert {m.label: m.value for m in at.metric}["Số chỉ tiêu"] == "60"  # the page, with a notice


# --- upload names, sizes and kinds -------------------------------------------------------------
def test_hostile_upload_names_are_refused_in_vietnamese():
    from ui.preview import upload_problem

    assert "ký tự điều khiển" in upload_problem("du\x00toan.xlsx", 100)
    assert "ký tự điều khiển" in upload_problem("du\ntoan.xlsx", 100)
    long = "á" * 300 + ".xlsx"
    assert "tối đa 240 byte" in upload_problem(long, 100)
    assert ("chỉ nhận Excel (.xlsx), Excel 97–2003 (.xls), Word (.docx), PDF (.pdf), văn bản (.txt)"
            in upload_problem("so_lieu.csv", 100))
    assert "lưu lại dạng .docx" in upload_problem("cong_van.doc", 100)
    assert upload_problem("Phụ lục dự toán 2025.xls", 100) is None
    assert "quá lớn: 60 MB (tối đa 50 MB)" in upload_problem("lon.pdf", 60 * 1024 * 1024)
    assert upload_problem("Phụ lục dự toán 2025.xlsx", 100) is None


@pytest.mark.parametrize("name, fragment", [("du\x00toan.txt", "ký tự điều khiển"), ("a" * 300 + ".txt", "tối đa 240 byte"),
                                            ("so_lieu.csv", "không được nhận")])
def test_the_upload_page_refuses_them_without_a_traceback(built_db, tmp_path, monkeypatch, editor_account, name, fragment):
    monkeypatch.setenv("SKHCN_DB", str(built_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(built_db["raw"]))
    at = AppTest.from_file(str(ROOT / "pages" / "nhap-du-lieu.py"), default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = editor_account
    at.session_state["session_version"] = users.current_session(editor_account)
    at.run()
    at.file_uploader(key="import_file").set_value((name, b"Dong 1\n", "text/plain")).run()
    assert not at.exception
    assert any(fragment in e.value for e in at.error), [e.value for e in at.error]


# --- passwords beyond bcrypt's 72 bytes --------------------------------------------------------
def test_a_password_over_72_bytes_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "users.yaml"
    users.ensure(path)
    users.add_user("dai.mk", "Mật Khẩu Dài", "editor", password="mat-khau-ngan-1", path=path)
    long = ("Mậtkhẩuđủdàiđểquágiớihạncủabcrypt" * 4)[:104]
    assert len(long) == 104 and len(long.encode("utf-8")) > 72
    with pytest.raises(users.UserError, match="quá giới hạn 72 byte UTF-8"):
        users.set_password("dai.mk", long, path=path)
    with pytest.raises(users.UserError, match="72 byte"):
        users.add_user("dai.mk2", "Mật Khẩu Dài", "editor", password=long, path=path)
    assert users.authenticate("dai.mk", "mat-khau-ngan-1", path) is not None  # unchanged
    assert "72 byte UTF-8" in users.PASSWORD_RULE


# --- a date that does not exist ------------------------------------------------------------------
def test_an_impossible_date_is_warned_with_its_line(tmp_path):
    src = ROOT / "data" / "raw" / "000_3dbcd40b8eb90139.txt"
    text = src.read_text(encoding="utf-8")
    text = text.replace("ngày 18 tháng  01 năm 2024", "ngày 31 tháng  02 năm 2024", 1)
    text = text.replace("2 Quý II 15.000.000", "2 31/02/2024 15.000.000", 1)
    path = tmp_path / "dien_bien_2024.txt"
    path.write_text(text, encoding="utf-8")
    entry = read_manifest(ROOT / "data" / "raw")[src.name].model_copy(update={"file": path.name, "issued_date": None})
    result = read_document(path, entry)  # no "day is out of range for month"
    warnings = {(i.line, i.message) for i in result.issues if i.severity == "warning"}
    assert (3, "Ngày không có thật: 31/02/2024 (dòng 3): ngày ban hành để trống") in warnings
    assert (45, "Ngày không có thật: 31/02/2024 (dòng 45)") in warnings
    assert result.meta.issued_date is None  # never moved to another day


# --- a scanned PDF ------------------------------------------------------------------------------
def test_a_pdf_without_a_text_layer_is_refused_as_a_scan(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")  # a drawing only, like the image of a scanned page
    path = tmp_path / "x.pdf"
    pdf.output(str(path))
    with pytest.raises(DocumentError) as info:
        read_lines(path)
    assert "Tệp x.pdf không có lớp chữ (bản quét): cần bản PDF có chữ hoặc bản Word/Excel." in str(info.value)


# --- the old CSV journal, opened eight times at once ------------------------------------------------
OPEN = """
import sys, time
from pathlib import Path
from warehouse import entries
path, go = Path(sys.argv[1]), Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
print(len(entries.latest("Điện Biên", "2026", path)))
"""


def test_eight_first_opens_of_an_old_journal_import_it_once(tmp_path):
    path = tmp_path / "entries.sqlite"
    rows = ["entered_at,entered_by,province,document,indicator_id,code,period,value,note"]
    rows += [f"2025-01-0{i % 9 + 1}T10:00:00,Cán bộ A,Điện Biên,d.txt,X/{i},,2026,{i},cũ" for i in range(40)]
    (tmp_path / "indicator_actuals.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    go = tmp_path / "go"
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", OPEN, str(path), str(go)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    time.sleep(1.5)  # every process imported the modules and waits
    go.touch()
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
    assert [o.strip() for o, _ in outs] == ["40"] * 8
    assert len(entries.all_entries(path)) == 40  # imported exactly once
    log = audit.recent(50, path)
    assert (log["action"] == "migrate_actuals").sum() == 1
