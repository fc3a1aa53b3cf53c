"""Faults with real processes: parallel writers lose nothing; SIGKILL at any step of a build,
ingest, upload or save leaves the last good state (and the next command cleans up); a
read-only folder and a full disk give a clear message and change nothing."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from warehouse import entries, store
from warehouse.export import export_package
from warehouse.lock import stale_files
from warehouse.queries import Warehouse

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
BUDGET_2024 = "000_3dbcd40b8eb90139.txt"
PLAN_2022 = "001_3dc3e512645fa543.txt"


def _export(db: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    export_package(Warehouse(db), out)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _docs(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT document FROM documents").fetchall()}


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """Warehouses built once: the shipped documents minus 000 and 001 (``two``), and minus 000
    only (``one``); their manifest keeps every row, so 000/001 can be ingested without options."""
    base = tmp_path_factory.mktemp("seed")
    out = {}
    for key, without in (("two", (BUDGET_2024, PLAN_2022)), ("one", (BUDGET_2024,))):
        raw = base / key / "raw"
        shutil.copytree(RAW, raw)
        for name in without:
            (raw / name).unlink()
        store.build(raw, base / key / "w.duckdb")
        out[key] = (raw, base / key / "w.duckdb")
    return out


def _setup(seed, base: Path, key: str = "two") -> tuple[Path, Path]:
    """A private copy of a seed (copy2 keeps mtimes: the copy is as fresh as its seed)."""
    raw0, db0 = seed[key]
    base.mkdir(parents=True, exist_ok=True)
    shutil.copytree(raw0, base / "raw")
    shutil.copy2(db0, base / "w.duckdb")
    return base / "raw", base / "w.duckdb"


@pytest.fixture(scope="module")
def states(seed, tmp_path_factory):
    """Exports of the seed ``two`` before, after ingesting 000, and after a build without 003."""
    base = tmp_path_factory.mktemp("states")
    raw, db = _setup(seed, base / "a")
    before = _export(db, base / "before")
    store.ingest(RAW / BUDGET_2024, db, raw)
    ingested = _export(db, base / "ingested")
    raw, db = _setup(seed, base / "b")
    (raw / "003_912c6259a13f4ad4.txt").unlink()
    store.build(raw, db)
    return {"before": before, "ingest": ingested, "upload": ingested, "build": _export(db, base / "built")}


def _cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "warehouse", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=os.environ | (env or {}),
    )


def _wait_for(proc: subprocess.Popen, marker: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if marker in line:
            return
        if not line and proc.poll() is not None:
            raise AssertionError(f"exited {proc.returncode} before {marker}: {proc.stderr.read()}")
    raise AssertionError(f"no {marker} within {timeout}s")


def _finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=180)
    return proc.returncode, out, err


# --- races ------------------------------------------------------------------------------------
@pytest.mark.parametrize("trial", range(2))
def test_parallel_ingests_lose_nothing(seed, tmp_path, trial):
    raw, db = _setup(seed, tmp_path)
    a = _cli("ingest", str(RAW / BUDGET_2024), "--raw", str(raw), "--db", str(db))
    b = _cli("ingest", str(RAW / PLAN_2022), "--raw", str(raw), "--db", str(db))
    for proc in (a, b):
        code, out, err = _finish(proc)
        assert code == 0, err
    assert {BUDGET_2024, PLAN_2022} <= _docs(db)
    assert (raw / BUDGET_2024).exists() and (raw / PLAN_2022).exists()
    assert not store.needs_build(raw, db)  # the warehouse knows both files: no rebuild needed


@pytest.mark.parametrize("trial", range(2))
def test_build_beside_ingest_loses_nothing(seed, tmp_path, trial):
    raw, db = _setup(seed, tmp_path, "one")
    procs = [_cli("build", "--raw", str(raw), "--db", str(db)),
             _cli("ingest", str(RAW / BUDGET_2024), "--raw", str(raw), "--db", str(db))]
    if trial % 2:
        procs.reverse()
    for proc in procs:
        code, out, err = _finish(proc)
        assert code == 0, err
    assert BUDGET_2024 in _docs(db) and len(_docs(db)) == 5
    assert Warehouse(db).total(store_filter()) == 11_523_500_000


def store_filter():
    from warehouse.queries import BudgetFilter

    return BudgetFilter("Điện Biên", 2024)


# --- SIGKILL ----------------------------------------------------------------------------------
KILLS = [
    ("build", "build_before_swap"),
    ("ingest", "ingest_after_manifest"),
    ("ingest", "ingest_after_copy"),
    ("ingest", "ingest_before_swap"),
    ("upload", "ingest_before_swap"),
]


def _start(kind: str, raw: Path, db: Path, env: dict | None = None) -> subprocess.Popen:
    if kind == "build":
        return _cli("build", "--raw", str(raw), "--db", str(db), env=env)
    if kind == "ingest":
        return _cli("ingest", str(RAW / BUDGET_2024), "--raw", str(raw), "--db", str(db), env=env)
    code = ("import sys; from pathlib import Path; from warehouse import store, audit; "
            f"store.ingest(Path({str(RAW / BUDGET_2024)!r}), Path({str(db)!r}), Path({str(raw)!r}), "
            "actor=audit.Actor('bientap', 'editor'), action='upload')")
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=os.environ | (env or {}))


def _check_after_kill(tmp_path, raw, db, before, after) -> None:
    got = _export(db, tmp_path / "after_kill")
    assert got in (before, after), "the warehouse is neither the last good one nor the new one"
    assert not store.read_meta(db) == {}  # a readable warehouse
    store.build(raw, db)  # the next writer cleans up and succeeds
    assert stale_files(db, raw) == []
    assert _export(db, tmp_path / "recovered") in (before, after)


@pytest.mark.parametrize("kind, point", KILLS, ids=[f"{k}-{p}" for k, p in KILLS])
def test_sigkill_at_each_step_leaves_the_last_good_state(seed, states, tmp_path, kind, point):
    raw, db = _setup(seed, tmp_path / "live")
    before, after = states["before"], states[kind]
    if kind == "build":
        (raw / "003_912c6259a13f4ad4.txt").unlink()  # the build would drop a document
    assert after != before
    proc = _start(kind, raw, db, env={"SKHCN_FAULT_PAUSE": point})
    _wait_for(proc, "FAULT_POINT")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert _export(db, tmp_path / "at_kill") == before  # readers still see the last good warehouse
    _check_after_kill(tmp_path, raw, db, before, after)


@pytest.mark.parametrize("kind", ["build", "ingest"])
def test_sigkill_at_random_moments(seed, states, tmp_path, kind):
    """Kills spread over a whole run (no pause): whatever the moment, before or after."""
    raw0, db0 = _setup(seed, tmp_path / "timing")
    t0 = time.monotonic()
    code, _, err = _finish(_start(kind, raw0, db0))
    assert code == 0, err
    duration = time.monotonic() - t0
    before = states["before"]
    after = states["ingest"] if kind == "ingest" else before
    for i, fraction in enumerate((0.5, 0.9)):
        base = tmp_path / f"k{i}"
        raw, db = _setup(seed, base)
        proc = _start(kind, raw, db)
        time.sleep(duration * fraction)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        _check_after_kill(base, raw, db, before, after)


def test_sigkill_during_a_save_of_actuals_writes_nothing(tmp_path):
    path = tmp_path / "entries.sqlite"
    rows = [{"entered_by": "Cán bộ A", "province": "Điện Biên", "document": "d.txt", "indicator_id": f"X/{i}",
             "period": "2026", "value": i} for i in range(2000)]
    code = ("from warehouse import entries; rows = [{'entered_by': 'Cán bộ A', 'province': 'Điện Biên', 'document': 'd.txt', "
            "'indicator_id': f'X/{i}', 'period': '2026', 'value': i} for i in range(2000)]; "
            f"entries.record_actuals(rows, {str(path)!r})")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=os.environ | {"SKHCN_FAULT_PAUSE": "entries_before_commit"})
    _wait_for(proc, "FAULT_POINT")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert entries.all_entries(path) == []  # all 2000 rows or none: none
    assert entries.record_actuals(rows[:3], path) == 3  # the store is usable at once
    assert len(entries.all_entries(path)) == 3


# --- read-only folder, full disk ----------------------------------------------------------------
def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return r.returncode == 0


@pytest.fixture()
def mounted(tmp_path):
    """A small tmpfs of our own (root can mount one here and on CI); unmounted at the end."""
    where = tmp_path / "mnt"
    if os.geteuid() != 0 or not _mount_tmpfs(where, "64m"):
        pytest.skip("needs root to mount a tmpfs (read-only / full-disk simulation)")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_read_only_folder_gives_a_clear_message(seed, mounted, tmp_path):
    raw, db = _setup(seed, mounted / "w")
    before = db.read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(mounted)], check=True)
    for args in (["ingest", str(RAW / BUDGET_2024)], ["build"]):
        code, out, err = _finish(_cli(*args, "--raw", str(raw), "--db", str(db)))
        assert code == 1, out
        assert "chỉ đọc" in err and "Traceback" not in err
    assert db.read_bytes() == before


def test_full_disk_gives_a_clear_message_and_leaves_no_temporary_file(seed, tmp_path):
    where = tmp_path / "small"
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a tmpfs (full-disk simulation)")
    raw_src, db_src = seed["two"]
    size = db_src.stat().st_size + sum(p.stat().st_size for p in raw_src.iterdir()) + 256 * 1024
    if not _mount_tmpfs(where, str(size)):
        pytest.skip("cannot mount a tmpfs here")
    try:
        raw = where / "raw"
        shutil.copytree(raw_src, raw, copy_function=shutil.copy2)
        db = where / "w.duckdb"
        shutil.copy2(db_src, db)
        before = db.read_bytes()
        code, out, err = _finish(_cli("ingest", str(RAW / BUDGET_2024), "--raw", str(raw), "--db", str(db)))
        assert code == 1, out
        assert "Hết dung lượng đĩa khi ghi kho dữ liệu: kho cũ vẫn được dùng." in err and "Traceback" not in err
        assert db.read_bytes() == before
        assert stale_files(db, raw) == [] and not (raw / BUDGET_2024).exists()
        assert BUDGET_2024 not in _docs(db)
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


# --- an interrupted ingest is rolled back or found complete (issue 19, item 5) ----------------
@pytest.mark.parametrize("point", ["ingest_after_intent", "ingest_after_manifest", "ingest_after_copy",
                                   "ingest_before_swap"])
def test_an_interrupted_ingest_is_rolled_back_and_the_same_file_can_be_ingested_again(seed, states, tmp_path, point):
    raw, db = _setup(seed, tmp_path / "live")
    manifest = (raw / "manifest.csv").read_bytes()
    proc = _start("ingest", raw, db, env={"SKHCN_FAULT_PAUSE": point})
    _wait_for(proc, "FAULT_POINT")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert store.intent_path(db).is_file()  # the note of what was under way survives the kill
    report = store.ingest(RAW / BUDGET_2024, db, raw)  # the retry the finding saw refused
    assert len(report.recovered) == 1 and "đã hoàn tác" in report.recovered[0] and BUDGET_2024 in report.recovered[0]
    assert report.documents == [BUDGET_2024]
    assert _export(db, tmp_path / "retried") == states["ingest"]
    assert not store.intent_path(db).exists()
    assert store.build(raw, db).recovered == []  # and every build after it succeeds, nothing to recover
    assert _export(db, tmp_path / "rebuilt") == states["ingest"]
    # rolled back by a build instead: the folder and the manifest exactly as before
    raw, db = _setup(seed, tmp_path / "again")
    proc = _start("ingest", raw, db, env={"SKHCN_FAULT_PAUSE": point})
    _wait_for(proc, "FAULT_POINT")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    report = store.build(raw, db)
    assert report.recovered and "đã hoàn tác" in report.recovered[0]
    assert not (raw / BUDGET_2024).exists() and (raw / "manifest.csv").read_bytes() == manifest
    assert _export(db, tmp_path / "rolled_back") == states["before"]


def test_an_ingest_killed_after_its_swap_is_found_complete(seed, states, tmp_path):
    raw, db = _setup(seed, tmp_path / "live")
    proc = _start("ingest", raw, db, env={"SKHCN_FAULT_PAUSE": "ingest_after_swap"})
    _wait_for(proc, "FAULT_POINT")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    report = store.build(raw, db)
    assert report.recovered and "đã hoàn tất" in report.recovered[0]
    assert (raw / BUDGET_2024).exists() and not store.intent_path(db).exists()
    assert _export(db, tmp_path / "complete") == states["ingest"]


def test_a_build_reads_without_holding_the_write_lock(tmp_path):
    """Issue 19, item 4: the lock is held for the swap only — while a build reads the
    documents, another writer can take the lock at once."""
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    shutil.copytree(RAW, raw)
    seen: list[str] = []

    def progress(fraction: float, message: str) -> None:
        if not seen and fraction < 0.9:  # reading the documents
            probe = ("from pathlib import Path; from warehouse.lock import writer_lock\n"
                     f"with writer_lock(Path({str(db)!r}), wait=0): print('free')")
            seen.append(subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                                       timeout=60).stdout.strip())

    report = store.build(raw, db, progress=progress)
    assert seen == ["free"]
    assert len(report.documents) == 5 and Warehouse(db).total(store_filter()) == 11_523_500_000


def test_a_build_reads_again_when_the_folder_changed_meanwhile(seed, tmp_path):
    """An ingest that lands while a build reads is not lost: the build sees the folder changed
    and reads it again under the lock."""
    raw, db = _setup(seed, tmp_path, "one")
    done: list[bool] = []

    def progress(fraction: float, message: str) -> None:
        if not done and fraction < 0.9:
            done.append(True)
            store.ingest(RAW / BUDGET_2024, db, raw)

    store.build(raw, db, progress=progress)
    assert BUDGET_2024 in _docs(db) and len(_docs(db)) == 5
