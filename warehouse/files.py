"""File steps of a write: temporary warehouse files, the atomic swap, and the test hook of
the kill tests."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def fault_point(name: str) -> None:
    """Test hook for the kill tests (tests/test_faults.py): with ``SKHCN_FAULT_PAUSE=name``
    the writer prints ``FAULT_POINT name`` and sleeps 30 s here, so a test can SIGKILL it at
    exactly this step. Does nothing otherwise."""
    if os.environ.get("SKHCN_FAULT_PAUSE") == name:
        import time

        print(f"FAULT_POINT {name}", flush=True)
        time.sleep(30)


def _temp_path(db_path: Path) -> Path:
    """A new temporary warehouse file's name next to ``db_path`` (``<db>.<random>.tmp``, not
    created), recorded in the writer's journal (``warehouse.lock.created``; call under the
    lock) so a killed writer's file is removed by the next one."""
    from .lock import created

    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    created(db_path, Path(name))
    os.close(fd)
    os.unlink(name)
    return Path(name)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _swap(tmp: Path, db_path: Path) -> None:
    _remove(tmp.with_name(tmp.name + ".wal"))
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, db_path)
    with contextlib.suppress(OSError):
        dir_fd = os.open(db_path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
