"""A private temporary folder for each running instance of the program (issue 19, item 7):
where an upload is kept until it is saved.

* Created with ``tempfile.mkdtemp`` (mode 0700, a new random name: never shared with another
  instance or user) as ``<tmp>/skhcn-<pid>-<random>``, holding a marker file
  :data:`MARKER` that records the creating process (pid and start time).
* Removed when the program exits (``atexit``) and, if the program was killed, by the next
  instance at its first use (:func:`remove_orphans`): only folders whose marker names a
  process that no longer runs, that this user owns and that are real folders — never by a
  name pattern alone.
* A file in it is removed as soon as it is no longer needed (:func:`discard`).
"""
from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

PREFIX = "skhcn-"
MARKER = ".skhcn-owner"

_lock = threading.Lock()
_folder: Path | None = None


def _start_time(pid: int) -> str:
    """The start time of process ``pid`` (clock ticks since boot, ``/proc/<pid>/stat``), or
    ``""`` where there is no ``/proc``. Raises ``ProcessLookupError`` when no such process runs."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            raise ProcessLookupError(pid) from None
        os.kill(pid, 0)  # ProcessLookupError when gone
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def _owner() -> str:
    return f"{os.getpid()} {_start_time(os.getpid())}"


def instance_dir() -> Path:
    """This instance's private folder, created (0700, with its marker) at the first call,
    after removing the folders of instances that were killed (:func:`remove_orphans`);
    removed at exit."""
    global _folder
    with _lock:
        if _folder is None or not _folder.is_dir():
            remove_orphans()
            folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
            (folder / MARKER).write_text(_owner(), encoding="utf-8")
            _folder = folder
            atexit.register(remove_instance_dir, folder)
        return _folder


def remove_instance_dir(folder: Path | None = None) -> None:
    """Remove this instance's folder (``folder``: the one created, default the current one)."""
    folder = folder or _folder
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _is_orphan(folder: Path) -> bool:
    """A folder this program created (``skhcn-<pid>-…``, a real folder owned by this user,
    whose marker names that pid) for a process that no longer runs."""
    try:
        pid = int(folder.name[len(PREFIX):].split("-", 1)[0])
        st = folder.lstat()
        if not folder.is_dir() or folder.is_symlink() or st.st_uid != os.getuid():
            return False
        recorded_pid, _, started = (folder / MARKER).read_text(encoding="utf-8").partition(" ")
    except (ValueError, OSError):
        return False
    if int(recorded_pid) != pid or pid == os.getpid():
        return False
    try:
        return _start_time(pid) != started  # the pid now names another process
    except ProcessLookupError:
        return True
    except PermissionError:  # a process of another user runs under that pid
        return False


def remove_orphans(tmp: Path | None = None) -> list[Path]:
    """Remove the folders of instances that no longer run (see :func:`_is_orphan`) from
    ``tmp`` (default ``tempfile.gettempdir()``). Returns what was removed."""
    tmp = Path(tmp or tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for folder in tmp.iterdir():
            if folder.name.startswith(PREFIX) and _is_orphan(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def discard(path: Path) -> None:
    """Remove ``path`` (and its folder when emptied) if it lies in this instance's folder;
    anything else is left alone."""
    path = Path(path)
    if _folder is None or _folder not in path.parents:
        return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    parent = path.parent
    while parent != _folder and _folder in parent.parents:
        with contextlib.suppress(OSError):
            parent.rmdir()  # only when empty
        parent = parent.parent
