"""Task status records (warehouse.task_entries) in the SQLite state store: one transaction
with their audit row, the latest record wins and the history stays, bad input is refused in
Vietnamese with nothing written, and the CSV journal of the earlier version is moved in once."""
from __future__ import annotations

import sqlite3
import threading

import duckdb
import pytest

from warehouse import audit, entries
from warehouse import tasks as t
from warehouse.queries import Warehouse
from warehouse.task_entries import (
    TaskStatusError,
    latest_task_statuses,
    migrate_legacy_csv,
    record_task_status,
    task_history,
    task_key,
)

DOC = "004_x.txt"
EDITOR = audit.Actor("bientap", "editor")


@pytest.fixture()
def wh(tmp_path):
    """A warehouse holding two tasks of DOC (only the columns the check reads)."""
    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE tasks (document VARCHAR, task_id VARCHAR)")
    con.execute("INSERT INTO tasks VALUES (?, 'ST/3'), (?, 'ST/4')", [DOC, DOC])
    con.close()
    return Warehouse(path)


def dump(path) -> dict[str, list[tuple]]:
    """Every row of the store's tables (``{}`` when the file does not exist)."""
    if not path.exists():
        return {}
    with sqlite3.connect(path) as con:
        return {name: con.execute(f"SELECT * FROM {name} ORDER BY id").fetchall() for name in ("task_status", "audit", "indicator_actuals")}


def test_records_keep_their_history_and_the_latest_wins(tmp_path, wh):
    path = tmp_path / "entries.sqlite"
    key = task_key(DOC, "ST/3")
    record_task_status(key, t.NOT_COMPLETED, "Nguyễn Văn A", "báo cáo  quý III", path, warehouse=wh, actor=EDITOR)
    record_task_status(key, t.COMPLETED, "  Trần   Thị B ", "", path, warehouse=wh)
    record_task_status(task_key(DOC, "ST/4"), t.NOT_COMPLETED, "Nguyễn Văn A", None, path, warehouse=wh, actor=EDITOR)

    latest = latest_task_statuses(path)
    assert set(latest) == {key, task_key(DOC, "ST/4")}
    assert (latest[key]["status"], latest[key]["recorded_by"], latest[key]["note"]) == (t.COMPLETED, "Trần Thị B", None)
    history = task_history(key, path)
    assert [(h["status"], h["recorded_by"], h["note"]) for h in history] == [
        (t.COMPLETED, "Trần Thị B", None),
        (t.NOT_COMPLETED, "Nguyễn Văn A", "báo cáo quý III"),  # newest first; whitespace collapsed
    ]
    # one audit row per record, written with it: the login of the editor (or the name given)
    log = audit.recent(path=path).iloc[::-1]
    assert list(log["action"]) == ["enter_task_status"] * 3
    assert list(log["actor"]) == ["bientap", "Trần Thị B", "bientap"]
    assert list(log["role"].fillna("")) == ["editor", "", "editor"]
    assert list(log["target"]) == [key, key, task_key(DOC, "ST/4")]
    assert list(log["rows"]) == [1, 1, 1]
    assert log["detail"].iloc[0] == "Chưa hoàn thành; báo cáo quý III"


def test_reading_an_empty_store_creates_nothing(tmp_path):
    path = tmp_path / "entries.sqlite"
    assert latest_task_statuses(path) == {}
    assert task_history(task_key(DOC, "ST/3"), path) == []
    assert not path.exists()


@pytest.mark.parametrize(
    "key, status, who, note, message",
    [
        (task_key(DOC, "ST/3"), "xong", "Nguyễn Văn A", None, "tình trạng 'xong' không có; chọn một trong: Đã hoàn thành, Chưa hoàn thành"),
        (task_key(DOC, "ST/9"), t.COMPLETED, "Nguyễn Văn A", None, "nhiệm vụ ST/9 của văn bản 004_x.txt không có trong kho dữ liệu"),
        (task_key("005_y.txt", "ST/3"), t.COMPLETED, "Nguyễn Văn A", None, "không có trong kho dữ liệu"),
        (task_key(DOC, "ST/3"), t.COMPLETED, "Nguyễn Văn A", "x " * 300, "ghi chú dài 599 ký tự, tối đa 500"),
        (task_key(DOC, "ST/3"), t.COMPLETED, " ", None, "tên người ghi nhận cần ít nhất 2 ký tự"),
        (task_key(DOC, "ST/3"), t.COMPLETED, "x" * 1_000_000, None, "tên người ghi nhận dài 1000000 ký tự, tối đa 100"),
        ("", t.COMPLETED, "Nguyễn Văn A", None, "không rõ nhiệm vụ nào được ghi nhận"),
        (DOC, t.COMPLETED, "Nguyễn Văn A", None, "không rõ nhiệm vụ nào được ghi nhận"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_written(tmp_path, wh, key, status, who, note, message):
    path = tmp_path / "entries.sqlite"
    with pytest.raises(TaskStatusError) as err:
        record_task_status(key, status, who, note, path, warehouse=wh, actor=EDITOR)
    assert message in str(err.value)
    assert not path.exists()  # a refusal does not even create the store
    # ... nor change one that holds records
    record_task_status(task_key(DOC, "ST/4"), t.COMPLETED, "Nguyễn Văn A", None, path, warehouse=wh, actor=EDITOR)
    before = dump(path)
    with pytest.raises(TaskStatusError):
        record_task_status(key, status, who, note, path, warehouse=wh, actor=EDITOR)
    assert dump(path) == before


def test_a_failed_write_leaves_no_record_and_no_audit_row(tmp_path, wh, monkeypatch):
    path = tmp_path / "entries.sqlite"
    record_task_status(task_key(DOC, "ST/4"), t.COMPLETED, "Nguyễn Văn A", None, path, warehouse=wh)
    before = dump(path)

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(sqlite3.OperationalError):
        record_task_status(task_key(DOC, "ST/3"), t.COMPLETED, "Nguyễn Văn A", None, path, warehouse=wh)
    assert dump(path) == before  # the record was rolled back with its audit row


LEGACY = (
    "recorded_at,recorded_by,task_key,status,note\n"
    "2026-01-02T03:04:05,Cán bộ A,004_x.txt|ST/3,not_done,báo cáo quý IV\n"
    "2026-01-03T08:00:00,Cán bộ B,004_x.txt|ST/3,done,\n"
    "2026-01-04T09:00:00,Cán bộ C,004_x.txt|ST/4,xong,\n"  # unknown status: left out, said
    "2026-01-05T10:00:00,Cán bộ D,,done,\n"  # no task: left out, said
)


def test_the_csv_journal_is_moved_into_the_store_once(tmp_path, wh, capsys):
    path = tmp_path / "entries.sqlite"
    legacy = tmp_path / "task_status.csv"
    legacy.write_text(LEGACY, encoding="utf-8")
    latest = latest_task_statuses(path)  # the first read moves it
    assert list(latest) == [task_key(DOC, "ST/3")]
    assert (latest[task_key(DOC, "ST/3")]["status"], latest[task_key(DOC, "ST/3")]["recorded_by"]) == (t.COMPLETED, "Cán bộ B")
    history = task_history(task_key(DOC, "ST/3"), path)
    assert [(h["recorded_at"], h["note"]) for h in history] == [("2026-01-03T08:00:00", None), ("2026-01-02T03:04:05", "báo cáo quý IV")]
    assert not legacy.exists()
    moved = tmp_path / "task_status.csv.migrated"
    assert moved.read_text(encoding="utf-8") == LEGACY  # kept, with the two rows that were left out
    log = audit.recent(path=path)
    assert list(log["action"]) == ["migrate_task_status"] and log["rows"].iloc[0] == 2 and log["actor"].iloc[0] == audit.SYSTEM
    assert "bỏ qua 2 dòng không hợp lệ" in log["detail"].iloc[0]
    assert "bỏ qua 2 dòng" in capsys.readouterr().out
    # moved once: later reads and writes add nothing; a new record wins over the old ones
    record_task_status(task_key(DOC, "ST/3"), t.NOT_COMPLETED, "Cán bộ E", None, path, warehouse=wh)
    assert len(task_history(task_key(DOC, "ST/3"), path)) == 3
    assert latest_task_statuses(path)[task_key(DOC, "ST/3")]["recorded_by"] == "Cán bộ E"
    # a journal that reappears (an old copy) is moved too, and the first renamed file is kept
    legacy.write_text(LEGACY, encoding="utf-8")
    assert migrate_legacy_csv(path) == 2
    assert moved.exists() and len(list(tmp_path.glob("task_status.csv.migrated-*"))) == 1


def test_the_first_write_moves_the_journal_before_its_own_record(tmp_path, wh):
    path = tmp_path / "entries.sqlite"
    (tmp_path / "task_status.csv").write_text(LEGACY, encoding="utf-8")
    record_task_status(task_key(DOC, "ST/3"), t.NOT_COMPLETED, "Cán bộ E", None, path, warehouse=wh)
    history = task_history(task_key(DOC, "ST/3"), path)
    assert [h["recorded_by"] for h in history] == ["Cán bộ E", "Cán bộ B", "Cán bộ A"]


def test_a_failed_move_keeps_the_journal_where_it_was(tmp_path, monkeypatch):
    path = tmp_path / "entries.sqlite"
    legacy = tmp_path / "task_status.csv"
    legacy.write_text(LEGACY, encoding="utf-8")

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(sqlite3.OperationalError):
        latest_task_statuses(path)
    assert legacy.read_text(encoding="utf-8") == LEGACY
    assert not list(tmp_path.glob("*.migrated*"))
    assert dump(path)["task_status"] == []
    monkeypatch.undo()
    assert len(latest_task_statuses(path)) == 1  # the next open moves it


def test_parallel_first_opens_move_the_journal_once(tmp_path):
    path = tmp_path / "entries.sqlite"
    (tmp_path / "task_status.csv").write_text(LEGACY, encoding="utf-8")
    moved = []
    threads = [threading.Thread(target=lambda: moved.append(migrate_legacy_csv(path))) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(moved) == [0, 0, 0, 2]
    assert len(dump(path)["task_status"]) == 2


def test_the_default_store_moves_the_file_named_by_skhcn_task_status(tmp_path, monkeypatch):
    legacy = tmp_path / "old" / "journal.csv"
    legacy.parent.mkdir()
    legacy.write_text(LEGACY, encoding="utf-8")
    monkeypatch.setenv("SKHCN_ENTRIES", str(tmp_path / "state" / "entries.sqlite"))
    monkeypatch.setenv("SKHCN_TASK_STATUS", str(legacy))
    assert list(latest_task_statuses()) == [task_key(DOC, "ST/3")]
    assert (tmp_path / "old" / "journal.csv.migrated").exists()


def test_entered_actuals_are_refused_in_vietnamese_too(tmp_path):
    row = {"entered_by": "Cán bộ A", "province": "Điện Biên", "document": "d.txt", "indicator_id": "PLI/1/1", "period": "2026", "value": 18}
    with pytest.raises(entries.EntryError) as err:
        entries.record_actuals([row, row | {"note": "x" * 600}], tmp_path / "e.sqlite")
    assert str(err.value) == "dòng 2: ghi chú dài 600 ký tự, tối đa 500"
    with pytest.raises(entries.EntryError) as err:
        entries.record_actuals([row | {"value": "mười"}], tmp_path / "e.sqlite")
    assert str(err.value) == "dòng 1: giá trị phải là một số, không phải 'mười'"
    assert not (tmp_path / "e.sqlite").exists()
