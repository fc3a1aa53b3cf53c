"""A document read once is not read again (issue 18, item 9): the :class:`Extracted` of an
uploaded .xlsx/.docx/.pdf kept for the next reading of the same bytes.

The upload page reads a file to find its family (``loaders.sniff``), then again with the
officer's metadata (``warehouse.store.preview``, which also reads its lines for the checks of
every write), then once more when it is saved. Reading a PDF is the slow part (pdfminer
lays out every character: ~0.1–0.4 s a page), so a 9-page PDF was laid out three times for
one preview. Now:

* in one process, the last :data:`MEMO` documents read are kept in memory;
* across processes (each reading runs in its own child process, ``warehouse.isolate``), a
  reading is kept as a pickle in the folder named by ``SKHCN_EXTRACTED_CACHE`` when it is
  set — ``warehouse.isolate`` sets it to a folder of the instance's private temporary folder
  (``warehouse.scratch``: mode 0700, removed at exit), so only this program's own processes
  write what it loads. At most :data:`MAX_FILES` are kept (the oldest removed first).

The key is the SHA-256 of the file's bytes, the parse limits in force
(``loaders.tables.files.limits.current()``: a file read under higher limits is not reused
under lower ones) and :data:`VERSION` (raise it when a reader changes what it gives), so a
kept reading is exactly what reading the file again would give. A file that could not be read
is never kept (it is refused again, with its message). Failing to write or read the folder
only means reading the file again.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections import OrderedDict
from pathlib import Path

from loaders.tables.files import limits
from loaders.tables.files.extracted import Extracted

ENV = "SKHCN_EXTRACTED_CACHE"
VERSION = 1
MEMO = 4
MAX_FILES = 64

_memo: OrderedDict[str, Extracted] = OrderedDict()


def key(path: Path) -> str:
    """The cache key of a file: SHA-256 of its bytes, the limits and :data:`VERSION`."""
    digest = hashlib.sha256(Path(path).read_bytes())
    digest.update(repr((VERSION, Path(path).suffix.lower(), limits.current())).encode())
    return digest.hexdigest()


def folder() -> Path | None:
    """The folder of kept readings (``SKHCN_EXTRACTED_CACHE``), ``None`` when not set."""
    value = os.environ.get(ENV, "").strip()
    return Path(value) if value else None


def get(k: str) -> Extracted | None:
    """The reading kept under key ``k``, or ``None``."""
    if k in _memo:
        _memo.move_to_end(k)
        return _memo[k]
    where = folder()
    if where is None:
        return None
    try:
        with (where / f"{k}.pickle").open("rb") as fh:
            found = pickle.load(fh)  # noqa: S301 - written by this program into its private 0700 folder
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    if not isinstance(found, Extracted):
        return None
    _remember(k, found)
    return found


def put(k: str, extracted: Extracted) -> None:
    """Keep ``extracted`` under key ``k`` (in memory, and in the folder when there is one)."""
    _remember(k, extracted)
    where = folder()
    if where is None:
        return
    with contextlib.suppress(OSError, pickle.PicklingError):
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".part", dir=where)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(extracted, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, where / f"{k}.pickle")
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        kept = sorted(where.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in kept[:-MAX_FILES]:
            old.unlink(missing_ok=True)


def _remember(k: str, extracted: Extracted) -> None:
    _memo[k] = extracted
    _memo.move_to_end(k)
    while len(_memo) > MEMO:
        _memo.popitem(last=False)


def clear() -> None:
    """Forget the readings kept in memory (tests)."""
    _memo.clear()
