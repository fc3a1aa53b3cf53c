"""Actuals entered by staff on the Chỉ tiêu page (who, when, value).

They are kept in an append-only journal next to the warehouse
(``data/entries/indicator_actuals.csv``, or ``SKHCN_ENTRIES``), not in the warehouse file, so a
rebuild from documents never loses them. A correction is a new row; the latest row for a
target and period wins, and the history stays as the audit trail.
"""
from __future__ import annotations

import csv
import fcntl
import os
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ENTRIES = ROOT / "data" / "entries" / "indicator_actuals.csv"
COLUMNS = ["entered_at", "entered_by", "province", "document", "indicator_id", "code", "period", "value", "note"]


class EntryError(ValueError):
    """An entry that cannot be stored (no name, no value…); nothing is written."""


class ActualEntry(BaseModel):
    """One entered actual for a target (``document`` + ``indicator_id``) and period."""

    entered_by: str = Field(min_length=2)
    province: str
    document: str
    indicator_id: str
    code: str | None = None
    period: str
    value: float
    note: str | None = None
    entered_at: datetime = Field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @field_validator("entered_by")
    @classmethod
    def _who(cls, v: str) -> str:
        v = " ".join(v.split())
        if len(v) < 2:
            raise ValueError("cần ghi tên người nhập")
        return v


def entries_path() -> Path:
    """The journal file (``SKHCN_ENTRIES`` overrides the default)."""
    return Path(os.environ.get("SKHCN_ENTRIES", DEFAULT_ENTRIES))


def record_actuals(entries: list[dict], path: Path | None = None) -> int:
    """Validate every entry, then append them all to the journal under a file lock.

    ``entries``: dicts with the fields of ``ActualEntry``. Returns the number written.
    Raises ``EntryError`` (naming the row) before writing anything if any entry is invalid.
    """
    path = Path(path or entries_path())
    rows = []
    for i, raw in enumerate(entries, start=1):
        try:
            rows.append(ActualEntry(**raw))
        except Exception as exc:  # pydantic.ValidationError
            raise EntryError(f"dòng {i}: {exc}") from exc
    if not rows:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8", newline="") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.seek(0, os.SEEK_END)
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            if fh.tell() == 0:
                writer.writeheader()
            for r in rows:
                d = r.model_dump()
                d["entered_at"] = r.entered_at.isoformat()
                writer.writerow({k: ("" if d.get(k) is None else d.get(k)) for k in COLUMNS})
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    return len(rows)
