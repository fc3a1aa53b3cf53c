"""One writer at a time: the exclusive lock every write of the warehouse holds, and the
clean-up of what a killed or failed writer left behind.

The lock is a ``filelock.FileLock`` (https://py-filelock.readthedocs.io; ``flock`` on Linux,
released by the kernel when the holder dies, so a SIGKILLed build never blocks the next
one) on ``<warehouse>.lock``. Build, ingest, upload and the app's automatic build hold it from
reading ``data/raw`` to the swap of the new warehouse file, so two writers never interleave
and none loses the other's document.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

WAIT_S = 600.0  # a command waits this long for another writer (a build of 100k lines: ~25 s)


class LockBusy(RuntimeError):
    """Another process is writing the warehouse (raised when not waiting for it)."""


def lock_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".lock")


def stale_files(db_path: Path, raw_dir: Path | None) -> list[Path]:
    """Temporary files a killed or failed writer may have left: ``<db>.*.tmp`` and their
    ``.wal``, the manifest's ``manifest.csv.tmp`` and partial copies ``.*.part`` in ``raw_dir``.
    Only names this module's writers create are listed."""
    db_path = Path(db_path)
    found = list(db_path.parent.glob(db_path.name + ".*.tmp")) + list(db_path.parent.glob(db_path.name + ".*.tmp.wal"))
    if raw_dir is not None and Path(raw_dir).is_dir():
        found += [p for p in (Path(raw_dir) / "manifest.csv.tmp",) if p.exists()]
        found += list(Path(raw_dir).glob(".*.part"))
    return found


def remove_stale(db_path: Path, raw_dir: Path | None) -> list[Path]:
    """Delete :func:`stale_files` (call only while holding the lock). Returns what was removed."""
    removed = []
    for p in stale_files(db_path, raw_dir):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            removed.append(p)
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
