"""Audit log: every write (ingest, upload, build/rebuild, entered actuals, task status
records and the move of their old CSV journal, user changes, layout profiles saved from the
upload page) with
who, when, what, the file's SHA-256 and the rows affected; failures are logged too.

Rows live in the ``audit`` table of ``warehouse.statedb`` (SQLite). Entered actuals and task
status records write their audit row in the same transaction as the rows
(``warehouse.entries``, ``warehouse.task_entries``); warehouse
writes log after the swap (success) or after the refusal (failure), so a process killed
between the swap and the log loses that one line, never data.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlite_utils

from .statedb import connect

ACTIONS = {"build", "rebuild", "ingest", "upload", "enter_actuals", "enter_task_status", "migrate_task_status", "users",
           "save_layout"}
SYSTEM = "hệ thống"  # actor of the app's automatic build


@dataclass(frozen=True)
class Actor:
    """Who writes: a display name (login name or ``shell:<user>``) and a role."""

    name: str
    role: str | None = None


def record(
    actor: Actor | str,
    action: str,
    target: str | None = None,
    sha256: str | None = None,
    rows: int | None = None,
    ok: bool = True,
    detail: str | None = None,
    db: sqlite_utils.Database | None = None,
    path: Path | None = None,
) -> None:
    """Append one audit row. ``db``: an open connection whose transaction the row joins
    (entered actuals); otherwise a connection of its own. ``detail`` is cut at 2,000 chars."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    who = actor if isinstance(actor, Actor) else Actor(str(actor))
    row = {
        "at": datetime.now().isoformat(timespec="seconds"),
        "actor": who.name[:200],
        "role": who.role,
        "action": action,
        "target": None if target is None else str(target)[:500],
        "sha256": sha256,
        "rows": rows,
        "ok": 1 if ok else 0,
        "detail": None if detail is None else str(detail)[:2000],
    }
    if db is not None:
        db["audit"].insert(row)
        return
    own = connect(path)
    try:
        own["audit"].insert(row)
    finally:
        own.conn.close()


def recent(limit: int = 500, path: Path | None = None) -> "pd.DataFrame":
    """The latest ``limit`` audit rows, newest first: at, actor, role, action, target,
    sha256, rows, ok, detail."""
    db = connect(path)
    try:
        rows = list(db.query("SELECT at, actor, role, action, target, sha256, rows, ok, detail FROM audit ORDER BY id DESC LIMIT ?", [limit]))
    finally:
        db.conn.close()
    import pandas as pd  # only the admin page reads the log; the login gate must stay light

    return pd.DataFrame(rows, columns=["at", "actor", "role", "action", "target", "sha256", "rows", "ok", "detail"])
