"""One writer at a time: the exclusive lock every write of the warehouse holds, and the
clean-up of what a killed or failed writer left behind.

The lock is a ``filelock.FileLock`` (https://py-filelock.readthedocs.io; ``flock`` on Linux,
released by the kernel when the holder dies, so a SIGKILLed build never blocks the next
one) on ``<warehouse>.lock``. Build, ingest, upload and the app's automatic build read their
documents before taking it and hold it for their checks against the warehouse and ``data/raw``
(an ingest: its file unchanged and still new; a build: the folder unchanged since it read it,
else it reads again under the lock), the copy and the swap of the new warehouse file, so two
writers never interleave and none loses the other's document.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

WAIT_S = 600.0  # a command waits this long for another writer (a build of 100k lines: ~25 s)


class LockBusy(RuntimeError):
    """Another process is writing the warehouse (raised when not waiting for it)."""


def lock_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".lock")


def journal_path(db_path: Path) -> Path:
    """``<warehouse>.created``: the temporary files the current writer created, one path a
    line (:func:`created`); empty or absent once the writer is done."""
    return Path(str(db_path) + ".created")


def created(db_path: Path, path: Path) -> Path:
    """Record ``path`` as a temporary file the writer of ``db_path`` is about to create (call
    while holding the lock, *before* creating it), so that the next writer removes it if this
    one is killed. Returns ``path``."""
    with open(journal_path(db_path), "a", encoding="utf-8") as fh:
        fh.write(str(Path(path).resolve()) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return path


def stale_files(db_path: Path, raw_dir: Path | None) -> list[Path]:
    """Temporary files a killed or failed writer left: exactly those its journal
    (:func:`journal_path`) names that still exist (with a DuckDB file's ``.wal``), and only in
    the warehouse's folder or ``raw_dir``. Files of other programs — whatever their names
    (``*.tmp``, ``.*.part``) — are never listed."""
    db_path = Path(db_path)
    journal = journal_path(db_path)
    if not journal.is_file():
        return []
    folders = {db_path.parent.resolve()} | ({Path(raw_dir).resolve()} if raw_dir is not None else set())
    found = []
    for line in journal.read_text(encoding="utf-8").splitlines():
        path = Path(line.strip())
        if not line.strip() or path.parent not in folders or path.resolve() == db_path.resolve():
            continue
        found += [p for p in (path, path.with_name(path.name + ".wal")) if p.is_file() and p not in found]
    return found


def remove_stale(db_path: Path, raw_dir: Path | None) -> list[Path]:
    """Delete :func:`stale_files` and empty the journal (call only while holding the lock).
    Returns what was removed."""
    removed = []
    for p in stale_files(db_path, raw_dir):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            removed.append(p)
    journal_path(db_path).unlink(missing_ok=True)
    return removed


@contextlib.contextmanager
def writer_lock(db_path: Path, raw_dir: Path | None = None, wait: float | None = WAIT_S) -> Iterator[None]:
    """Hold the warehouse's exclusive write lock; stale temporary files are removed on entry
    and on exit.

    ``wait``: seconds to wait for another writer (``0``: do not wait). Raises
    :class:`LockBusy` when the lock is not free in time, ``OSError`` when the folder cannot be
    written (read-only, full).
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(db_path)), thread_local=False)
    try:
        lock.acquire(timeout=-1 if wait is None else wait)
    except Timeout as exc:
        raise LockBusy(f"một lệnh khác đang ghi kho dữ liệu {db_path.name}; thử lại sau") from exc
    try:
        remove_stale(db_path, raw_dir)
        yield
    finally:
        try:
            remove_stale(db_path, raw_dir)
        finally:
            lock.release()
