"""Actuals entered by staff on the Chỉ tiêu page (who, when, value).

Stored in the ``indicator_actuals`` table of ``warehouse.statedb`` (SQLite, outside the
warehouse, so a rebuild from documents never loses them). A save is one transaction: every
row is validated first (lengths, finite value; Vietnamese messages, ``warehouse.validation``),
then all rows and their audit line are written together or not at all
(``statedb.write_transaction``, the store's one write path, shared with the task status
records of ``warehouse.task_entries``). A correction is a new row; the latest row for a target and
period wins, and the history stays. A journal of an earlier version
(``data/entries/indicator_actuals.csv`` beside the store) is imported once, on first open, under
the store's writer lock (:func:`import_legacy_csv`). A store locked by another writer longer
than ``statedb.BUSY_TIMEOUT_S`` gives ``StoreBusy`` ("Dữ liệu đang bận…"), never a traceback.
"""
from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from babel.numbers import format_decimal
from pydantic import BaseModel, Field, ValidationError, field_validator

from . import audit
from .statedb import StoreBusy, busy_guard, connect, state_path, write_transaction  # noqa: F401 - StoreBusy: for the pages
from .validation import vietnamese

MAX_ABS_VALUE = 1e15  # an indicator value beyond this is a typing error (amounts are < 10^15 đ)


LABELS = {
    "entered_by": "tên người nhập",
    "province": "tỉnh",
    "document": "văn bản",
    "indicator_id": "mã chỉ tiêu",
    "code": "số thứ tự chỉ tiêu",
    "period": "kỳ",
    "value": "giá trị",
    "note": "ghi chú",
    "entered_at": "thời điểm nhập",
}


class EntryError(ValueError):
    """An entry that cannot be stored (no name, no value, too long…); nothing is written."""


class ActualEntry(BaseModel):
    """One entered actual for a target (``document`` + ``indicator_id``) and period."""

    entered_by: str = Field(min_length=2, max_length=100)
    province: str = Field(min_length=1, max_length=100)
    document: str = Field(min_length=1, max_length=255)
    indicator_id: str = Field(min_length=1, max_length=100)
    code: str | None = Field(default=None, max_length=100)
    period: str = Field(min_length=1, max_length=40)
    value: float
    note: str | None = Field(default=None, max_length=500)
    entered_at: datetime = Field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @field_validator("entered_by")
    @classmethod
    def _who(cls, v: str) -> str:
        v = " ".join(v.split())
        if len(v) < 2:
            raise ValueError("cần ghi tên người nhập")
        return v

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v) or abs(v) > MAX_ABS_VALUE:
            raise ValueError(f"giá trị {v!r} không hợp lệ (phải là số hữu hạn, |giá trị| ≤ 10^15)")
        return v


def entries_path() -> Path:
    """The store file (``SKHCN_ENTRIES`` overrides the default)."""
    return state_path()


def _validate(entries: list[dict]) -> list[ActualEntry]:
    rows = []
    for i, raw in enumerate(entries, start=1):
        try:
            rows.append(ActualEntry(**raw))
        except ValidationError as exc:
            raise EntryError(f"dòng {i}: {vietnamese(exc, LABELS)}") from exc
    return rows


LEGACY_MIGRATION = "indicator_actuals_csv"


def _read_legacy(legacy: Path) -> tuple[list[ActualEntry], int]:
    """Valid rows of an old CSV journal and the count of rows left out."""
    rows, skipped = [], 0
    with legacy.open(encoding="utf-8", newline="", errors="replace") as fh:
        reader = csv.DictReader(fh)
        while True:
            try:
                rows.append(next(reader))
            except StopIteration:
                break
            except csv.Error:  # e.g. a field beyond the csv module's 128 KB limit
                skipped += 1
    valid = []
    for r in rows:  # one bad line of an old journal must not break the page: it is left out, and said
        try:
            valid += _validate([{k: (v or None) for k, v in r.items() if k}])
        except EntryError:
            skipped += 1
    return valid, skipped


def _migrated(path: Path) -> bool:
    db = connect(path)
    try:
        with busy_guard():
            return bool(db.execute("SELECT 1 FROM migrations WHERE name = ?", [LEGACY_MIGRATION]).fetchone())
    finally:
        db.conn.close()


def import_legacy_csv(path: Path | None = None) -> int:
    """Import the journal of an earlier version (``indicator_actuals.csv`` beside the store)
    once: under ``BEGIN IMMEDIATE`` (SQLite's writer lock, so processes and threads opening
    the same old journal at once wait for each other), the rows are inserted (only into an
    empty table, as before), an audit row ``migrate_actuals`` is written and the migration is
    marked done in the ``migrations`` table, all in one transaction; whoever comes next finds
    the mark and imports nothing. The CSV file is left where it is. Returns the rows imported.
    Raises ``StoreBusy`` when another writer holds the store too long."""
    path = Path(path or entries_path())
    legacy = path.parent / "indicator_actuals.csv"
    if not legacy.exists() or _migrated(path):
        return 0
    with write_transaction(path) as db:
        if db.execute("SELECT 1 FROM migrations WHERE name = ?", [LEGACY_MIGRATION]).fetchone():
            return 0  # another process or thread migrated it while this one waited
        valid, skipped = ([], 0) if db["indicator_actuals"].count else _read_legacy(legacy)
        if valid:
            db["indicator_actuals"].insert_all(_as_rows(valid))
        detail = f"chuyển {len(valid)} số liệu từ {legacy.name} sang {path.name}"
        if skipped:
            detail += f"; bỏ qua {skipped} dòng không hợp lệ"
            print(f"CẢNH BÁO: {legacy}: {detail}", flush=True)
        db.execute("INSERT INTO migrations (name, done_at, detail) VALUES (?, ?, ?)",
                   [LEGACY_MIGRATION, datetime.now().isoformat(timespec="seconds"), detail])
        audit.record(audit.Actor(audit.SYSTEM), "migrate_actuals", target=legacy.name, rows=len(valid), detail=detail, db=db)
    return len(valid)


def _as_rows(rows: list[ActualEntry]) -> list[dict]:
    out = []
    for r in rows:
        d = r.model_dump()
        d["entered_at"] = r.entered_at.isoformat()
        out.append(d)
    return out


def record_actuals(
    entries: list[dict], path: Path | None = None, actor: audit.Actor | None = None,
    names: Mapping[tuple[str, str], str] | None = None,
) -> int:
    """Validate every entry, then store them all and one audit row in a single transaction.

    ``entries``: dicts with the fields of ``ActualEntry``. ``names``: the target's name as the
    page shows it, by ``(document, indicator_id)``; the audit row then says what was written
    («name» = value, per document) instead of internal ids (an entry without a name is named
    by its printed code, else its id). Returns the number written.
    Raises ``EntryError`` (naming the row and field) before writing anything if any entry is
    invalid; ``statedb.StoreBusy`` ("Dữ liệu đang bận…") when another writer holds the store
    longer than ``statedb.BUSY_TIMEOUT_S``; a database error rolls the whole save back.
    """
    rows = _validate(entries)
    if not rows:
        return 0
    path = Path(path or entries_path())
    import_legacy_csv(path)
    who = actor or audit.Actor(rows[0].entered_by)
    with write_transaction(path) as db:
        db["indicator_actuals"].insert_all(_as_rows(rows))
        audit.record(who, "enter_actuals", target=_written(rows, names or {})[:500], rows=len(rows),
                     detail=f"{rows[0].province}, kỳ {rows[0].period}", db=db)
        from .files import fault_point

        fault_point("entries_before_commit")
    return len(rows)


def _written(rows: list[ActualEntry], names: Mapping[tuple[str, str], str]) -> str:
    """What a save wrote, for the audit log: ``"doc.txt: «Số nhiệm vụ …» = 12; «…» = 3,5"``
    (values in Vietnamese number form, Babel), documents in order of first appearance."""
    by_document: dict[str, list[str]] = {}
    for r in rows:
        name = names.get((r.document, r.indicator_id)) or r.code or r.indicator_id
        value = format_decimal(r.value, locale="vi_VN")
        by_document.setdefault(r.document, []).append(f"«{name}» = {value}")
    return " · ".join(f"{doc}: {'; '.join(parts)}" for doc, parts in by_document.items())


def latest(province: str, period: str, path: Path | None = None) -> dict[tuple[str, str], dict]:
    """Latest entered actual per ``(document, indicator_id)`` for ``province`` and ``period``:
    ``{key: {"value": float, "period", "entered_by", "entered_at", …}}`` (``{}`` when none).
    Raises ``statedb.StoreBusy`` when the store stays locked longer than its busy timeout."""
    path = Path(path or entries_path())
    if not path.exists() and not (path.parent / "indicator_actuals.csv").exists():
        return {}
    import_legacy_csv(path)
    db = connect(path)
    try:
        out: dict[tuple[str, str], dict] = {}
        with busy_guard():
            for row in db.query(
                "SELECT * FROM indicator_actuals WHERE province = ? AND period = ? ORDER BY entered_at, id",
                [province, period],
            ):
                out[(row["document"], row["indicator_id"])] = row  # later rows win
        return out
    finally:
        db.conn.close()


def all_entries(path: Path | None = None) -> list[dict]:
    """Every stored entry, oldest first (for export and the admin page)."""
    path = Path(path or entries_path())
    if not path.exists():
        return []
    db = connect(path)
    try:
        with busy_guard():
            return list(db.query("SELECT * FROM indicator_actuals ORDER BY id"))
    finally:
        db.conn.close()
