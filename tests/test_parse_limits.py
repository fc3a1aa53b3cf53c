"""Parse limits and private temporary files (issue 19, items 4 and 7): every document is read
in a child process bounded in memory, CPU and wall-clock time, outside the write lock; files
over a limit are refused naming the file and the limit; uploads are kept in a private
per-instance folder; clean-up removes only what the program created."""
from __future__ import annotations

import itertools
import multiprocessing
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from loaders.documents import DocumentError
from loaders.tables.files import limits
from warehouse import isolate, lock, scratch, store

BUDGET_2024 = "000_3dbcd40b8eb90139.txt"


@pytest.fixture()
def wh_copy(built_db, tmp_path):
    """A private copy of the demo warehouse and its documents folder."""
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    store.build(raw, db)
    return raw, db


def _state(raw: Path, db: Path) -> tuple:
    return db.read_bytes(), sorted(p.name for p in raw.iterdir()), (raw / "manifest.csv").read_bytes()


def _no_parse_children() -> bool:
    return not [p for p in multiprocessing.active_children() if p.name.startswith("skhcn-parse")]


def test_limits_are_read_from_the_environment(monkeypatch):
    assert limits.current() == limits.ParseLimits()
    monkeypatch.setenv("SKHCN_PARSE_MEMORY_MB", "512")
    monkeypatch.setenv("SKHCN_PARSE_WALL_S", "nonsense")  # ignored: the default stays
    got = limits.current()
    assert got.memory_mb == 512 and got.wall_s == limits.ParseLimits().wall_s


def test_a_pdf_with_too_many_pages_is_refused_naming_file_and_limit(tmp_path, monkeypatch, built_db):
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(3):
        pdf.add_page()
    path = tmp_path / "dai.pdf"
    pdf.output(str(path))
    monkeypatch.setenv("SKHCN_PARSE_MAX_PAGES", "2")
    with pytest.raises(DocumentError) as info:
        store.preview(path, store.Overrides(province="Điện Biên"), built_db["db"], built_db["raw"])
    assert str(info.value) == "dai.pdf: tệp PDF có 3 trang, quá giới hạn 2 trang — không đọc"


def test_a_pdf_whose_streams_inflate_too_far_is_refused_before_pdfminer(tmp_path, monkeypatch, built_db):
    # 3 MB of a page stream in 3 KB: pdfminer would inflate it whole; the check stops at 1 MB.
    data = zlib.compress(b"0 0 m " * 500_000, 9)
    path = tmp_path / "bom.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(data)).encode() + b" /Filter /FlateDecode >>\nstream\n"
                     + data + b"\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n")
    monkeypatch.setenv("SKHCN_PARSE_PDF_INFLATED_MB", "1")
    with pytest.raises(DocumentError) as info:
        store.preview(path, store.Overrides(province="Điện Biên"), built_db["db"], built_db["raw"])
    assert str(info.value).startswith("bom.pdf: các luồng nén của tệp PDF giải nén quá 1 MB"), str(info.value)


def test_a_zip_bomb_like_xlsx_is_refused_before_any_parsing(tmp_path, monkeypatch, wh_copy):
    raw, db = wh_copy
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><sst>' + "0" * 3_000_000 + "</sst>")
    assert path.stat().st_size < 50_000  # highly compressible: the size declared is what counts
    monkeypatch.setenv("SKHCN_PARSE_UNZIPPED_MB", "2")
    monkeypatch.setattr(isolate, "start", lambda *a, **k: pytest.fail("a child parse was started"))
    before = _state(raw, db)
    for call in (lambda: store.preview(path, None, db, raw), lambda: store.ingest(path, db, raw)):
        with pytest.raises(DocumentError) as info:
            call()
        assert str(info.value).startswith("bom.xlsx: nội dung giải nén 2.9 MB, quá giới hạn 2 MB"), str(info.value)
    assert _state(raw, db) == before


def test_a_reading_over_the_wall_time_is_killed_outside_the_lock_and_nothing_changes(wh_copy, tmp_path, monkeypatch):
    raw, db = wh_copy
    doc = tmp_path / "new.txt"
    shutil.copyfile(raw / BUDGET_2024, doc)
    (raw / BUDGET_2024).unlink()
    store.build(raw, db)
    before = _state(raw, db)
    monkeypatch.setenv("SKHCN_PARSE_WALL_S", "4")
    monkeypatch.setenv("SKHCN_FAULT_PAUSE", "parse")  # the child sleeps 30 s before reading
    outcome: dict = {}

    def run() -> None:
        started = time.monotonic()
        try:
            store.ingest(doc, db, raw, store.Overrides(province="Điện Biên"), wait=0)
        except Exception as exc:  # noqa: BLE001 - checked below
            outcome["error"] = exc
        outcome["seconds"] = time.monotonic() - started

    writer = threading.Thread(target=run)
    writer.start()
    time.sleep(1.5)
    assert writer.is_alive(), outcome
    with lock.writer_lock(db, raw, wait=0):  # the reading does not hold the write lock
        pass
    writer.join(30)
    assert not writer.is_alive()
    assert isinstance(outcome.get("error"), DocumentError), outcome
    assert str(outcome["error"]) == "new.txt: đọc quá 4 giây (giới hạn) — đã dừng"
    assert outcome["seconds"] < 15
    assert _no_parse_children()
    assert _state(raw, db) == before


def test_preview_does_not_take_the_lock_and_is_killed_after_the_wall_time(built_db, monkeypatch):
    monkeypatch.setenv("SKHCN_PARSE_WALL_S", "1")
    monkeypatch.setenv("SKHCN_FAULT_PAUSE", "parse")
    db, raw = built_db["db"], built_db["raw"]
    with lock.writer_lock(db, raw, wait=0):  # held by "another writer" all along
        with pytest.raises(DocumentError, match="đọc quá 1 giây"):
            store.preview(raw / BUDGET_2024, None, db, raw)
    assert _no_parse_children()


def test_memory_and_cpu_limits_stop_the_child():
    # the child starts with ~500 MB of address space mapped (interpreter, parsers): 800 MB
    # leaves room for 50 MB, not for 1 GB
    bounds = limits.ParseLimits(memory_mb=800, cpu_s=1, wall_s=60)
    assert len(isolate.run(bytearray, (50 * 1024 ** 2,), "nho.xlsx", bounds)) == 50 * 1024 ** 2
    with pytest.raises(DocumentError) as info:
        isolate.run(bytearray, (1024 ** 3,), "lon.xlsx", bounds)  # 1 GB
    assert str(info.value) == "lon.xlsx: cần quá 800 MB bộ nhớ (giới hạn) — đã dừng"
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        isolate.run(sum, (itertools.count(),), "vong.pdf", bounds)  # never ends, all CPU
    assert str(info.value) == "vong.pdf: dùng quá 1 giây CPU (giới hạn) — đã dừng"
    assert time.monotonic() - started < 20


def test_errors_of_the_reading_come_back_as_they_were(built_db, tmp_path):
    bad = tmp_path / "x.txt"
    text = (built_db["raw"] / BUDGET_2024).read_text(encoding="utf-8")
    bad.write_text(text.replace("2 Quý II, III 1.500.000", "2 Quý II, III 1.500.000,5"), encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        store.preview(bad, store.Overrides(province="Điện Biên"), built_db["db"], built_db["raw"])
    assert info.value.file == "x.txt" and info.value.line == 170


def test_uploads_are_kept_in_a_private_folder_removed_after_use():
    from ui import preview

    path, _ = preview.stash("Phụ lục.txt", b"abc")
    folder = scratch.instance_dir()
    assert folder in path.parents and path.read_bytes() == b"abc"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert folder.name.startswith(f"skhcn-{os.getpid()}-")
    preview.discard(path)
    assert not path.exists() and not path.parent.exists() and folder.is_dir()
    scratch.remove_instance_dir()
    assert not folder.exists()
    assert scratch.instance_dir() != folder  # a new one at the next use


def test_clean_up_removes_only_folders_of_dead_instances(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    orphan = tmp_path / f"skhcn-{dead_pid}-abc"
    orphan.mkdir(mode=0o700)
    (orphan / scratch.MARKER).write_text(f"{dead_pid} 123", encoding="utf-8")
    (orphan / "upload.xlsx").write_bytes(b"x")
    live = tmp_path / f"skhcn-{os.getppid()}-def"  # a running process's folder
    live.mkdir()
    (live / scratch.MARKER).write_text(f"{os.getppid()} {scratch._start_time(os.getppid())}", encoding="utf-8")
    unmarked = tmp_path / f"skhcn-{dead_pid}-ghi"  # the name only: not proof it is ours
    unmarked.mkdir()
    shared = tmp_path / "skhcn-uploads"  # the old shared folder of every instance: not ours to delete
    shared.mkdir()
    unrelated = tmp_path / "foo.tmp"
    unrelated.write_text("keep")
    assert scratch.remove_orphans(tmp_path) == [orphan]
    assert not orphan.exists()
    assert live.is_dir() and unmarked.is_dir() and shared.is_dir() and unrelated.read_text() == "keep"


def test_writer_clean_up_leaves_unrelated_tmp_files_alone(wh_copy):
    raw, db = wh_copy
    unrelated = [db.parent / "foo.tmp", raw / "foo.tmp", db.with_name(db.name + ".mine.tmp"), raw / ".x.part"]
    for p in unrelated:
        p.write_text("keep")
    recorded = db.with_name(db.name + ".killed.tmp")
    lock.created(db, recorded)
    recorded.write_text("left by a killed writer")
    with lock.writer_lock(db, raw, wait=0):
        assert not recorded.exists()
    assert [p.read_text() for p in unrelated] == ["keep"] * len(unrelated)
