"""Is the warehouse up to date with the documents folders? (``warehouse.store`` writes the
stamps; the app reads them on every page view, so this is cheap: file metadata only.)

The documents are read from one folder or several (:func:`folders_of`): by default the shipped
``data/raw`` (read-only) and the data directory's ``uploads/`` (``loaders.paths``), in that
order. The warehouse records ``raw_files``: file → "size:mtime_ns" of exactly the files it
parsed (stamped before each was read) and of each manifest (:func:`stamp_key`: the file name
in the first folder, the full path in the others, so another uploads folder is another
warehouse);
``raw_fingerprint`` is their SHA-256. A failed automatic build records the fingerprint in
``<warehouse>.failed.json`` so the same folders are not rebuilt on every view.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

import duckdb

from loaders import paths
from loaders.folder import MANIFEST_NAME, list_documents

from .schema import SCHEMA_VERSION

#: The shipped documents (read-only); the default folders are :func:`folders_of` ``(None)``.
DEFAULT_RAW = paths.SHIPPED_RAW
#: One documents folder, or several read in order (the last is where an ingest writes);
#: ``None``: ``loaders.paths.raw_folders()`` (shipped documents, then uploads).
Folders = Path | str | Sequence[Path] | None


def folders_of(raw_dir: Folders) -> tuple[Path, ...]:
    """The documents folders of ``raw_dir`` (:data:`Folders`), in reading order, each once.
    The last one is the *writable* folder: where ``ingest`` copies a document and its
    manifest row. ``None`` gives ``(SKHCN_RAW or data/raw, <data dir>/uploads)``."""
    if raw_dir is None:
        raw_dir = paths.raw_folders()
    if isinstance(raw_dir, (str, os.PathLike)):
        return (Path(raw_dir),)
    out: list[Path] = []
    for folder in raw_dir:
        folder = Path(folder)
        if all(folder.resolve() != seen.resolve() for seen in out):
            out.append(folder)
    if not out:
        raise ValueError("no documents folder")
    return tuple(out)


def writable(raw_dir: Folders) -> Path:
    """The folder ``ingest`` writes to: the last of :func:`folders_of`."""
    return folders_of(raw_dir)[-1]


def default_db(db_path: Path | str | None = None) -> Path:
    """``db_path``, else ``loaders.paths.warehouse_path()`` (``SKHCN_DB`` or
    ``<data dir>/warehouse.duckdb``), read at each call."""
    return Path(db_path) if db_path is not None else paths.warehouse_path()


def stamp_key(folders: Sequence[Path], folder: Path, name: str) -> str:
    """The key of file ``name`` of ``folder`` in ``raw_files``: the name alone in the first
    folder (the shipped documents; so a warehouse of that folder alone stays fresh while the
    uploads folder is empty or missing), the full path in a later one (two folders may hold
    files of the same name; another uploads folder is another warehouse)."""
    return name if Path(folder) == Path(folders[0]) else str(Path(folder) / name)


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def _fingerprint(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


def raw_files(raw_dir: Folders) -> dict[str, str]:
    """``{key: "size:mtime_ns"}`` of every document and manifest in the folders of ``raw_dir``
    (:func:`folders_of`; keys by :func:`stamp_key`). A missing folder holds nothing."""
    folders = folders_of(raw_dir)
    out = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for p in list_documents(folder) + [p for p in (folder / MANIFEST_NAME,) if p.is_file()]:
            with contextlib.suppress(FileNotFoundError):
                out[stamp_key(folders, folder, p.name)] = _stamp(p)
    return out


def raw_fingerprint(raw_dir: Folders) -> str:
    """SHA-256 over the name, size and modification time of every document and of the
    manifests in the folders of ``raw_dir``. Only metadata is read, so the app can check it on
    every view."""
    return _fingerprint(raw_files(raw_dir))


@contextlib.contextmanager
def read_current(db_path: Path):
    """A read-only connection to the warehouse file as it is on disk *now*.

    DuckDB keeps one database instance per path in a process: ``duckdb.connect(path)`` made
    while the app still holds a connection opened before a swap returns the *old* file (so a
    write made from the app looked stale and was rebuilt). A file attached to a fresh
    in-memory database is always the current one."""
    con = duckdb.connect()
    try:
        quoted = str(db_path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS current_file (READ_ONLY)")
        con.execute("USE current_file")
        yield con
    finally:
        con.close()


_META_CACHE: dict[str, tuple[tuple, dict[str, str]]] = {}


def read_meta(db_path: Path) -> dict[str, str]:
    """The ``meta`` table of a warehouse (``{}`` when the file is missing or unreadable).

    Cached per file identity (inode, size, mtime): a swap by a writer is a new inode, so the
    app's check on every page view opens the file only after a change."""
    try:
        st = os.stat(db_path)
    except OSError:
        return {}
    identity = (st.st_ino, st.st_size, st.st_mtime_ns)
    cached = _META_CACHE.get(str(db_path))
    if cached and cached[0] == identity:
        return dict(cached[1])
    try:
        with read_current(db_path) as con:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    except duckdb.Error:
        return {}
    _META_CACHE[str(db_path)] = (identity, meta)
    return dict(meta)


def needs_build(raw_dir: Folders = None, db_path: Path | None = None) -> bool:
    """True when the warehouse is missing, of an older schema, or was built from other files
    than those now in the folders of ``raw_dir``."""
    meta = read_meta(default_db(db_path))
    return meta.get("schema_version") != SCHEMA_VERSION or meta.get("raw_fingerprint") != raw_fingerprint(raw_dir)


def _failure_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".failed.json")


# Failures that could not be written to their file (a full disk): kept for this process.
_FAILURES: dict[str, dict] = {}
# A build that failed for the disk (full, read-only) is retried after this many seconds even
# if data/raw did not change (space may have been freed); one that failed for a document, not.
RETRY_STORAGE_S = 300.0


def remember_failure(db_path: Path, failure: dict) -> None:
    """Record a failed automatic build (``{"fingerprint", "schema", "error", "at"}``, plus
    ``"retry_at"`` (epoch seconds) for a fault of the disk) in ``<db>.failed.json``, and in
    this process's memory when the file cannot be written."""
    try:
        _failure_path(db_path).write_text(json.dumps(failure, ensure_ascii=False), encoding="utf-8")
    except OSError:
        _FAILURES[str(db_path)] = failure
    else:
        _FAILURES.pop(str(db_path), None)


def forget_failure(db_path: Path) -> None:
    """A build succeeded: no failure to show any more."""
    _FAILURES.pop(str(db_path), None)
    _failure_path(db_path).unlink(missing_ok=True)


def last_failure(db_path: Path | None = None) -> dict | None:
    """The last failed automatic build: ``{"fingerprint", "error", "at"}`` or ``None``."""
    db_path = default_db(db_path)
    try:
        return json.loads(_failure_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _FAILURES.get(str(db_path))


def auto_build_state(raw_dir: Folders = None, db_path: Path | None = None) -> str:
    """``"fresh"`` (nothing to do), ``"failed"`` (the folders are exactly as when the last
    automatic build failed: do not retry on every page view) or ``"stale"`` (build)."""
    db_path = default_db(db_path)
    if not needs_build(raw_dir, db_path):
        return "fresh"
    failure = last_failure(db_path)
    if failure and failure.get("fingerprint") == raw_fingerprint(raw_dir) and failure.get("schema") == SCHEMA_VERSION:
        import time

        if failure.get("retry_at") is None or time.time() < failure["retry_at"]:
            return "failed"
    return "stale"
