"""Task completion recorded by editors on the Nhiệm vụ page (who, when, what, why).

Plans never say whether a task was done; editors record it when they know. Records live in
the ``task_status`` table of ``warehouse.statedb`` (SQLite, beside the entered KPI actuals of
``warehouse.entries`` and the audit log, outside the warehouse: a rebuild from documents keeps
them). A record is validated first (pydantic: known status, name, lengths; the task must be
in the warehouse), then written with its audit row in one transaction
(``statedb.write_transaction``), or not at all. A correction is a new record: the latest
record of a task wins and the history stays.

The CSV journal of an earlier version (``task_status.csv`` beside the store, or the file named
by ``SKHCN_TASK_STATUS``) is moved into the store once, on the first read or write: its rows
are inserted, the move is audited, and the file is renamed ``task_status.csv.migrated`` (kept,
so a row that could not be read is not lost either).
"""
from __future__ import annotations

import csv
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, ValidationError, field_validator

from . import audit
from .statedb import busy_guard, connect, state_path, write_transaction
from .tasks import RECORDED, RECORDED_VN
from .validation import vietnamese

if TYPE_CHECKING:
    from .queries import Warehouse

LEGACY_NAME = "task_status.csv"
LEGACY_COLUMNS = ["recorded_at", "recorded_by", "task_key", "status", "note"]
MAX_NOTE = 500
LABELS = {
    "document": "văn bản của nhiệm vụ",
    "task_id": "mã nhiệm vụ",
    "status": "tình trạng",
    "recorded_by": "tên người ghi nhận",
    "note": "ghi chú",
    "recorded_at": "thời điểm ghi nhận",
}


class TaskStatusError(ValueError):
    """A record that cannot be stored; the message is Vietnamese and nothing is written."""


class TaskStatusRecord(BaseModel):
    """One record: task ``task_id`` of ``document`` is ``status`` ("done" / "not_done"),
    recorded by ``recorded_by`` (a display name, 2–100 characters) at ``recorded_at`` with an
    optional ``note`` (≤ 500 characters, e.g. the report it rests on). Runs of whitespace in
    the name and the note are collapsed; an empty note is ``None``."""

    document: str = Field(min_length=1, max_length=255)
    task_id: str = Field(min_length=1, max_length=100)
    status: str
    recorded_by: str = Field(min_length=2, max_length=100)
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    recorded_at: datetime = Field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @field_validator("recorded_by", mode="before")
    @classmethod
    def _who(cls, v):
        return " ".join(str(v or "").split())

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, v):
        if v is None:
            return None
        return " ".join(str(v).split()) or None

    @field_validator("status")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in RECORDED:
            raise ValueError(f"tình trạng {v!r} không có; chọn một trong: " + ", ".join(RECORDED_VN.values()))
        return v


def task_key(document: str, task_id: str) -> str:
    """The key of a task across rebuilds: ``"<document>|<task_id>"``."""
    return f"{document}|{task_id}"


def split_key(key: str) -> tuple[str, str]:
    """``(document, task_id)`` of a :func:`task_key`. Raises ``TaskStatusError`` when ``key``
    names no task."""
    document, sep, task_id = (key or "").partition("|")
    if not sep or not document or not task_id:
        raise TaskStatusError("không rõ nhiệm vụ nào được ghi nhận")
    return document, task_id


def task_status_path() -> Path:
    """The store file (``warehouse.statedb.state_path``; ``SKHCN_ENTRIES`` overrides it)."""
    return state_path()


def legacy_csv_path(path: Path | None = None) -> Path:
    """The CSV journal of an earlier version that is moved into the store ``path``:
    ``task_status.csv`` beside it; for the default store, ``SKHCN_TASK_STATUS`` when set."""
    path = Path(path or task_status_path())
    if path == task_status_path() and os.environ.get("SKHCN_TASK_STATUS"):
        return Path(os.environ["SKHCN_TASK_STATUS"])
    return path.parent / LEGACY_NAME


def _validate(raw: dict) -> TaskStatusRecord:
    try:
        return TaskStatusRecord(**raw)
    except ValidationError as exc:
        raise TaskStatusError(vietnamese(exc, LABELS)) from exc


def _row(r: TaskStatusRecord) -> dict:
    d = r.model_dump()
    d["recorded_at"] = r.recorded_at.isoformat()
    return d


def record_task_status(
    task_key: str,
    status: str,
    recorded_by: str,
    note: str | None = None,
    path: Path | None = None,
    *,
    warehouse: Warehouse,
    actor: audit.Actor | None = None,
) -> int:
    """Store one record and its audit row (action ``enter_task_status``, ``actor``; by default
    ``recorded_by``) in one transaction; returns the record's id.

    ``task_key``: ``task_key(document, task_id)`` of a task of ``warehouse`` (a
    ``queries.Warehouse``); ``status``: ``"done"`` / ``"not_done"``; ``recorded_by``: the name
    shown with the record; ``note``: optional, ≤ 500 characters; ``path``: the store (default
    ``statedb.state_path()``).

    Raises ``TaskStatusError`` (Vietnamese) before anything is written for an unknown task or
    one that is not in the warehouse, an unknown status, a missing or too long name, a too long
    note; ``sqlite3.Error`` / ``OSError`` roll the transaction back.
    """
    document, task_id = split_key(task_key)
    record = _validate({"document": document, "task_id": task_id, "status": status, "recorded_by": recorded_by, "note": note})
    try:
        known = warehouse.scalar("SELECT count(*) FROM tasks WHERE document = ? AND task_id = ?", [document, task_id])
    except FileNotFoundError as exc:
        raise TaskStatusError("kho dữ liệu chưa được xây dựng, chưa có nhiệm vụ nào để ghi nhận") from exc
    if not known:
        raise TaskStatusError(f"nhiệm vụ {task_id} của văn bản {document} không có trong kho dữ liệu")
    path = Path(path or task_status_path())
    migrate_legacy_csv(path, legacy_csv_path(path))
    who = actor or audit.Actor(record.recorded_by)
    with write_transaction(path) as db:
        row_id = db["task_status"].insert(_row(record)).last_pk
        detail = RECORDED_VN[record.status] + (f"; {record.note}" if record.note else "")
        audit.record(who, "enter_task_status", target=task_key, rows=1, detail=detail, db=db)
    return row_id


def _read_legacy(legacy: Path) -> tuple[list[dict], int]:
    """Valid rows of a CSV journal (as rows of ``task_status``) and the count of rows left out."""
    rows, skipped = [], 0
    with legacy.open(encoding="utf-8", newline="", errors="replace") as fh:
        reader = csv.DictReader(fh)
        while True:
            try:
                raw = next(reader)
            except StopIteration:
                break
            except csv.Error:  # e.g. a field beyond the csv module's 128 KB limit
                skipped += 1
                continue
            try:
                document, task_id = split_key(raw.get("task_key") or "")
                record = _validate({"document": document, "task_id": task_id, "status": raw.get("status"),
                                    "recorded_by": raw.get("recorded_by"), "note": raw.get("note") or None,
                                    "recorded_at": raw.get("recorded_at")})
            except TaskStatusError:
                skipped += 1
                continue
            rows.append(_row(record))
    return rows, skipped


def _free_name(legacy: Path) -> Path:
    moved = legacy.with_name(legacy.name + ".migrated")
    if moved.exists():
        moved = legacy.with_name(f"{legacy.name}.migrated-{datetime.now():%Y%m%d%H%M%S%f}")
    return moved


def migrate_legacy_csv(path: Path | None = None, legacy: Path | None = None) -> int:
    """Move the CSV journal ``legacy`` (default :func:`legacy_csv_path`) into the store
    ``path`` once: insert its valid rows and an audit row (action ``migrate_task_status``,
    actor "hệ thống"), then rename the file ``<name>.migrated``, all in one transaction (the
    rename is undone when the commit fails). Returns the rows moved (0 when there is no file).

    A row that cannot be read (no task, unknown status, too long…) is left out and counted in
    the audit row and on the console; it stays in the renamed file.
    """
    path = Path(path or task_status_path())
    legacy = Path(legacy or legacy_csv_path(path))
    if not legacy.exists():
        return 0
    moved: Path | None = None
    try:
        with write_transaction(path) as db:
            if not legacy.exists():  # another process moved it while this one waited
                return 0
            rows, skipped = _read_legacy(legacy)
            if rows:
                db["task_status"].insert_all(rows)
            moved = _free_name(legacy)
            detail = f"chuyển {len(rows)} ghi nhận từ {legacy.name} sang {path.name}; tệp cũ đổi tên {moved.name}"
            if skipped:
                detail += f"; bỏ qua {skipped} dòng không hợp lệ (vẫn còn trong {moved.name})"
                print(f"CẢNH BÁO: {legacy}: {detail}", flush=True)
            audit.record(audit.Actor(audit.SYSTEM), "migrate_task_status", target=legacy.name, rows=len(rows), detail=detail, db=db)
            os.replace(legacy, moved)
    except BaseException:
        if moved is not None and moved.exists() and not legacy.exists():
            os.replace(moved, legacy)  # the rows were rolled back: the journal stays where it was
        raise
    return len(rows)


def _read(path: Path | None, sql: str, params: list) -> list[dict]:
    path = Path(path or task_status_path())
    migrate_legacy_csv(path, legacy_csv_path(path))
    if not path.exists():
        return []
    db = connect(path)
    try:
        with busy_guard():
            return [r | {"task_key": task_key(r["document"], r["task_id"])} for r in db.query(sql, params)]
    finally:
        db.conn.close()


def latest_task_statuses(path: Path | None = None) -> dict[str, dict]:
    """The latest record per task key: ``{task_key: {"status", "recorded_by", "recorded_at"
    (ISO text), "note", "document", "task_id", "id"}}`` (``{}`` when nothing was recorded; the
    store file is not created by a read)."""
    rows = _read(path, "SELECT * FROM task_status ORDER BY recorded_at, id", [])
    return {r["task_key"]: r for r in rows}  # later rows win


def task_history(key: str, path: Path | None = None) -> list[dict]:
    """Every record of the task ``key``, newest first (same fields as
    :func:`latest_task_statuses`)."""
    document, task_id = split_key(key)
    return _read(path, "SELECT * FROM task_status WHERE document = ? AND task_id = ? ORDER BY recorded_at DESC, id DESC",
                 [document, task_id])
