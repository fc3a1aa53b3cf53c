"""The small SQLite store beside the warehouse: entered KPI actuals, task status records, the
audit log and the login throttle.

All change one row at a time while people use the app, so they live in SQLite (WAL mode,
transactions, many readers beside one writer; https://sqlite.org/wal.html) through
``sqlite-utils`` (https://sqlite-utils.datasette.io), not in the DuckDB warehouse, which is
rebuilt from documents and swapped as a whole. A rebuild never touches this file.

Path: ``<data dir>/entries/entries.sqlite`` (``loaders.paths``); the ``SKHCN_ENTRIES``
environment variable overrides it
(tests and browser tests point it at a temporary folder).
"""
from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

# How long a reader or writer waits for another writer before giving up with StoreBusy
# (a save holds the file for milliseconds; five seconds is a stuck or very slow writer).
BUSY_TIMEOUT_S = 5.0
BUSY_MESSAGE = "Dữ liệu đang bận (một người khác đang ghi), thử lại sau ít giây."


class StoreBusy(RuntimeError):
    """The state file stayed locked by another writer longer than ``BUSY_TIMEOUT_S``
    (SQLite's "database is locked"/"busy"); nothing was written. ``str()`` is
    :data:`BUSY_MESSAGE`, for the page to show as it is."""

    def __init__(self, message: str = BUSY_MESSAGE):
        super().__init__(message)


def _is_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and any(w in str(exc).lower() for w in ("locked", "busy"))


@contextlib.contextmanager
def busy_guard() -> Iterator[None]:
    """Turn SQLite's "database is locked" / "busy" into :class:`StoreBusy` (any other error
    passes unchanged). Every access of this store runs under it."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if _is_busy(exc):
            raise StoreBusy() from exc
        raise

SCHEMA = """
CREATE TABLE IF NOT EXISTS indicator_actuals (
    id INTEGER PRIMARY KEY,
    entered_at TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    province TEXT NOT NULL,
    document TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    code TEXT,
    period TEXT NOT NULL,
    value REAL NOT NULL,
    note TEXT
);
CREATE INDEX IF NOT EXISTS idx_actuals_scope ON indicator_actuals (province, period);
CREATE TABLE IF NOT EXISTS task_status (
    id INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    document TEXT NOT NULL,
    task_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'not_done')),
    note TEXT
);
CREATE INDEX IF NOT EXISTS idx_task_status_task ON task_status (document, task_id);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    action TEXT NOT NULL,
    target TEXT,
    sha256 TEXT,
    rows INTEGER,
    ok INTEGER NOT NULL,
    detail TEXT,
    chain TEXT
);
CREATE TABLE IF NOT EXISTS migrations (
    name TEXT PRIMARY KEY,
    done_at TEXT NOT NULL,
    detail TEXT
);
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at REAL NOT NULL,
    locked_until REAL NOT NULL
);
"""
# The audit log is append-only: SQLite refuses any UPDATE or DELETE of its rows (created after
# the one-time chain migration of an older file, which has to write the new column).
AUDIT_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only: DELETE refused'); END;
"""
AUDIT_TRIGGER_NAMES = ("audit_no_update", "audit_no_delete")


def state_path() -> Path:
    """The SQLite file (``SKHCN_ENTRIES`` overrides ``<data dir>/entries/entries.sqlite``,
    ``loaders.paths``)."""
    from loaders import paths

    return paths.entries_path()


def _wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL. SQLite answers "database is locked" at once (without waiting
    for the busy timeout) when another connection is creating or switching the same new file,
    so the switch is retried up to ``BUSY_TIMEOUT_S``; the mode is stored in the file, so
    later connections find it set."""
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def connect(path: Path | None = None) -> sqlite_utils.Database:
    """A new connection (one per call: Streamlit serves sessions on many threads) with the
    tables created. Raises :class:`StoreBusy` when another writer holds the file longer than
    ``BUSY_TIMEOUT_S``, ``OSError``/``sqlite3.Error`` when the folder cannot be written."""
    path = Path(path or state_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        with busy_guard():
            _wal(conn)
            conn.execute("PRAGMA synchronous=FULL")
            conn.executescript(SCHEMA)
            _chain_old_audit(conn)
            conn.executescript(AUDIT_TRIGGERS)
    except BaseException:
        conn.close()
        raise
    return sqlite_utils.Database(conn)


def _chain_old_audit(conn: sqlite3.Connection) -> None:
    """Migrate a file made before the audit hash chain, once: add the ``chain`` column and
    chain the existing rows in id order (their content as found at migration time), then log
    the migration itself as an ``audit_chain`` row. Runs under ``BEGIN IMMEDIATE`` so two
    processes opening the same old file migrate it once."""
    if "chain" in {r[1] for r in conn.execute("PRAGMA table_info(audit)")}:
        return
    from . import audit  # audit imports this module

    conn.execute("BEGIN IMMEDIATE")
    try:
        if "chain" not in {r[1] for r in conn.execute("PRAGMA table_info(audit)")}:
            for name in AUDIT_TRIGGER_NAMES:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            conn.execute("ALTER TABLE audit ADD COLUMN chain TEXT")
            n = audit.chain_existing(conn)
            audit.insert_row(conn, audit.row_for(audit.Actor(audit.SYSTEM), "audit_chain", rows=n,
                                                 detail=f"{n} dòng có trước được nối chuỗi băm khi chuyển đổi"))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


@contextlib.contextmanager
def write_transaction(path: Path | None = None) -> Iterator[sqlite_utils.Database]:
    """The one write path of this store: a connection inside ``BEGIN IMMEDIATE`` (SQLite's
    exclusive writer lock on the file: one writer at a time, readers go on; a second writer
    waits up to ``BUSY_TIMEOUT_S``), committed when the block ends, rolled back (and the
    exception re-raised) when it raises. Entered actuals (``warehouse.entries``) and task
    status records (``warehouse.task_entries``) write their rows and their audit row here.

    Raises :class:`StoreBusy` ("Dữ liệu đang bận…") when another writer holds the file
    longer than ``BUSY_TIMEOUT_S`` (nothing written), ``OSError`` when the folder cannot be
    written.
    """
    db = connect(path)
    try:
        with busy_guard():
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.conn.execute("COMMIT")
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
    finally:
        db.conn.close()
