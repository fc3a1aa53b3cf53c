"""Task completion recorded by editors on the Nhiệm vụ page (who, when, what, why).

Plans never say whether a task was done; editors record it when they know. Like the typed KPI
actuals (``warehouse.entries``), records go to an append-only journal outside the warehouse
(``data/entries/task_status.csv``; ``SKHCN_TASK_STATUS`` overrides it, else the folder of
``SKHCN_ENTRIES`` when that is set), so a rebuild from documents keeps them; the latest record
of a task wins and the history stays as the audit trail.

This is deliberately one small function with a plain signature, ready to move into the
transactional entries store.
"""
from __future__ import annotations

import csv
import fcntl
import os
from datetime import datetime
from pathlib import Path

from .tasks import RECORDED, RECORDED_VN

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["recorded_at", "recorded_by", "task_key", "status", "note"]


class TaskStatusError(ValueError):
    """A record that cannot be stored; the message is Vietnamese and nothing is written."""


def task_key(document: str, task_id: str) -> str:
    """The key of a task across rebuilds: ``"<document>|<task_id>"``."""
    return f"{document}|{task_id}"


def task_status_path() -> Path:
    """The journal file (see the module docstring for the environment overrides)."""
    if os.environ.get("SKHCN_TASK_STATUS"):
        return Path(os.environ["SKHCN_TASK_STATUS"])
    if os.environ.get("SKHCN_ENTRIES"):
        return Path(os.environ["SKHCN_ENTRIES"]).parent / "task_status.csv"
    return ROOT / "data" / "entries" / "task_status.csv"


def record_task_status(task_key: str, status: str, actor: str, note: str | None = None, path: Path | None = None) -> None:
    """Append one record: ``task_key`` (``task_key(document, task_id)``) is ``status``
    (``"done"`` / ``"not_done"``), recorded by ``actor`` (a name of at least 2 characters)
    with an optional ``note``. Appends under an exclusive file lock.

    Raises ``TaskStatusError`` (Vietnamese message) for an empty key, an unknown status or a
    missing name; nothing is written then.
    """
    actor = " ".join((actor or "").split())
    if not task_key or "|" not in task_key:
        raise TaskStatusError("không rõ nhiệm vụ nào được ghi nhận")
    if status not in RECORDED:
        raise TaskStatusError("tình trạng phải là một trong: " + ", ".join(RECORDED_VN.values()))
    if len(actor) < 2:
        raise TaskStatusError("cần ghi tên người ghi nhận (ít nhất 2 ký tự)")
    row = {
        "recorded_at": datetime.now().replace(microsecond=0).isoformat(),
        "recorded_by": actor,
        "task_key": task_key,
        "status": status,
        "note": " ".join((note or "").split()),
    }
    path = Path(path or task_status_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8", newline="") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.seek(0, os.SEEK_END)
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            if fh.tell() == 0:
                writer.writeheader()
            writer.writerow(row)
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def latest_task_statuses(path: Path | None = None) -> dict[str, dict]:
    """The latest record per task key: ``{task_key: {recorded_at, recorded_by, status,
    note}}`` (``{}`` when nothing was recorded)."""
    path = Path(path or task_status_path())
    if not path.exists():
        return {}
    out: dict[str, dict] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["task_key"]] = row  # later rows win
    return out
