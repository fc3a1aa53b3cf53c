"""Audit log: every write (ingest, upload, build/rebuild, entered actuals, task status
records and the move of their old CSV journal, user changes, layout profiles saved from the
upload page) with
who, when, what, the file's SHA-256 and the rows affected; failures are logged too.

Rows live in the ``audit`` table of ``warehouse.statedb`` (SQLite). Entered actuals and task
status records write their audit row in the same transaction as the rows
(``warehouse.entries``, ``warehouse.task_entries``); warehouse
writes log after the swap (success) or after the refusal (failure), so a process killed
between the swap and the log loses that one line, never data. Logins (done or refused) and
logouts are logged too (``warehouse.logins``, ``ui.auth``).

The log is append-only: SQLite triggers (``statedb.AUDIT_TRIGGERS``) refuse UPDATE and DELETE,
and each row stores ``chain`` = SHA-256 of the previous row's ``chain`` and the row's own
content (:func:`chain_hash`), so an edit made behind the triggers' back (triggers dropped, file
edited) is found by :func:`verify` (``python -m warehouse audit verify``). A file made before
the chain is migrated once by ``statedb.connect``: its rows are chained as found then.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from .statedb import AUDIT_TRIGGER_NAMES, connect, state_path, write_transaction

if TYPE_CHECKING:
    import pandas as pd

ACTIONS = {"build", "rebuild", "ingest", "upload", "enter_actuals", "enter_task_status", "migrate_task_status", "migrate_actuals", "users",
           "save_layout", "login", "logout", "audit_chain", "recover_ingest", "migrate_data"}
# What each action is, for people (the log's page): one label per action of ACTIONS.
ACTION_LABELS = {
    "build": "Xây dựng kho dữ liệu (tự động hoặc dòng lệnh)",
    "rebuild": "Xây dựng lại kho dữ liệu",
    "ingest": "Nạp văn bản (dòng lệnh)",
    "upload": "Tải văn bản lên",
    "enter_actuals": "Nhập số liệu thực hiện chỉ tiêu",
    "enter_task_status": "Ghi nhận kết quả nhiệm vụ",
    "migrate_task_status": "Chuyển sổ kết quả nhiệm vụ cũ",
    "migrate_actuals": "Chuyển số liệu thực hiện cũ",
    "users": "Quản lý tài khoản",
    "save_layout": "Lưu mẫu bố cục bảng",
    "login": "Đăng nhập",
    "logout": "Đăng xuất",
    "audit_chain": "Nối chuỗi kiểm tra nhật ký",
    "recover_ingest": "Khôi phục lần nạp bị gián đoạn",
    "migrate_data": "Chuyển dữ liệu cũ ra thư mục dữ liệu",
}
CHAINED = ("id", "at", "actor", "role", "action", "target", "sha256", "rows", "ok", "detail")
GENESIS = "0" * 64  # the "previous chain" of the first row
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
    """Append one audit row (chained to the previous one). ``db``: an open connection whose
    transaction the row joins (entered actuals; it must hold the write lock, as
    ``statedb.write_transaction`` does, so no other writer reads the same last row);
    otherwise a transaction of its own. ``detail`` is cut at 2,000 chars. Raises
    ``ValueError`` for an unknown action."""
    row = row_for(actor, action, target, sha256, rows, ok, detail)
    if db is not None:
        insert_row(db.conn, row)
        return
    with write_transaction(path) as own:
        insert_row(own.conn, row)


def row_for(
    actor: Actor | str,
    action: str,
    target: str | None = None,
    sha256: str | None = None,
    rows: int | None = None,
    ok: bool = True,
    detail: str | None = None,
) -> dict:
    """The audit row (without ``id`` and ``chain``) for these values, stamped now. Raises
    ``ValueError`` for an unknown action."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    who = actor if isinstance(actor, Actor) else Actor(str(actor))
    return {
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


def chain_hash(previous: str, row: dict) -> str:
    """SHA-256 (hex) of ``previous`` (the previous row's chain, ``GENESIS`` for the first)
    and the row's ``CHAINED`` fields as canonical JSON."""
    content = json.dumps([row.get(k) for k in CHAINED], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def insert_row(conn: sqlite3.Connection, row: dict) -> dict:
    """Insert ``row`` (from :func:`row_for`) with the next id and its chain; the caller holds
    the write lock (``BEGIN IMMEDIATE``). Returns the row as stored."""
    last = conn.execute("SELECT id, chain FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    row = {**row, "id": (last[0] + 1) if last else 1}
    row["chain"] = chain_hash((last[1] or GENESIS) if last else GENESIS, row)
    columns = list(row)
    conn.execute(f"INSERT INTO audit ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                 [row[c] for c in columns])
    return row


def chain_existing(conn: sqlite3.Connection) -> int:
    """Chain every row of an audit table that has just gained its ``chain`` column (one-time
    migration, triggers not yet created, inside the caller's transaction). Returns the count."""
    previous, n = GENESIS, 0
    rows = conn.execute(f"SELECT {', '.join(CHAINED)} FROM audit ORDER BY id").fetchall()
    for values in rows:
        previous = chain_hash(previous, dict(zip(CHAINED, values)))
        conn.execute("UPDATE audit SET chain = ? WHERE id = ?", [previous, values[0]])
        n += 1
    return n


@dataclass(frozen=True)
class Verdict:
    """What :func:`verify` found: ``rows`` checked, ``head`` (the last row's chain, worth
    keeping elsewhere: the chain alone cannot show rows cut from its end), ``broken`` (ids
    whose chain does not match, in order) and ``missing_triggers`` (re-created since)."""

    rows: int
    head: str
    broken: tuple[int, ...]
    missing_triggers: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.broken and not self.missing_triggers


def verify(path: Path | None = None) -> Verdict:
    """Recompute the hash chain of the whole audit log. Reports the append-only triggers found
    missing in a chained file first (then ``statedb.connect`` re-creates them; a file made
    before the chain is migrated, its rows chained as they are now). Raises ``sqlite3.Error``/``OSError`` when the file cannot be read."""
    path = Path(path or state_path())
    missing: tuple[str, ...] = ()
    if path.exists():
        raw = sqlite3.connect(str(path))
        try:
            found = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
            chained = "chain" in {r[1] for r in raw.execute("PRAGMA table_info(audit)")}
        finally:
            raw.close()
        if chained:  # a file made before the chain had no triggers either: migrated below
            missing = tuple(n for n in AUDIT_TRIGGER_NAMES if n not in found)
    db = connect(path)
    try:
        rows = db.conn.execute(f"SELECT {', '.join(CHAINED)}, chain FROM audit ORDER BY id").fetchall()
    finally:
        db.conn.close()
    previous, broken = GENESIS, []
    for values in rows:
        row = dict(zip(CHAINED, values))
        stored = values[-1]
        if stored != chain_hash(previous, row):
            broken.append(row["id"])
        previous = stored or ""
    return Verdict(len(rows), previous if rows else GENESIS, tuple(broken), missing)


def recent(limit: int = 500, path: Path | None = None) -> pd.DataFrame:
    """The latest ``limit`` audit rows, newest first: at, actor, role, action, target,
    sha256, rows, ok, detail."""
    db = connect(path)
    try:
        rows = list(db.query("SELECT at, actor, role, action, target, sha256, rows, ok, detail FROM audit ORDER BY id DESC LIMIT ?", [limit]))
    finally:
        db.conn.close()
    import pandas as pd  # only the admin page reads the log; the login gate must stay light

    return pd.DataFrame(rows, columns=["at", "actor", "role", "action", "target", "sha256", "rows", "ok", "detail"])
