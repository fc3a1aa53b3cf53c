"""Is the warehouse up to date with the documents folder? (``warehouse.store`` writes the
stamps; the app reads them on every page view, so this is cheap: file metadata only.)

The warehouse records ``raw_files``: name → "size:mtime_ns" of exactly the files it parsed
(stamped before each was read) and the manifest; ``raw_fingerprint`` is their SHA-256. A
failed automatic build records the folder's fingerprint in ``<warehouse>.failed.json`` so the
same folder is not rebuilt on every view.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

import duckdb

from loaders.folder import MANIFEST_NAME, list_documents

from .schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = ROOT / "data" / "raw"
DEFAULT_DB = ROOT / "data" / "warehouse.duckdb"


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def _fingerprint(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


def raw_files(raw_dir: Path) -> dict[str, str]:
    """``{file name: "size:mtime_ns"}`` of every document and the manifest in ``raw_dir``."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        return {}
    out = {}
    paths = list_documents(raw_dir) + [p for p in (raw_dir / MANIFEST_NAME,) if p.is_file()]
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            out[p.name] = _stamp(p)
    return out


def raw_fingerprint(raw_dir: Path) -> str:
    """SHA-256 over the name, size and modification time of every document and of the
    manifest in ``raw_dir``. Only metadata is read, so the app can check it on every view."""
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


def needs_build(raw_dir: Path = DEFAULT_RAW, db_path: Path = DEFAULT_DB) -> bool:
    """True when the warehouse is missing, of an older schema, or was built from other files
    than those now in ``raw_dir``."""
    meta = read_meta(db_path)
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


def last_failure(db_path: Path = DEFAULT_DB) -> dict | None:
    """The last failed automatic build: ``{"fingerprint", "error", "at"}`` or ``None``."""
    try:
        return json.loads(_failure_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _FAILURES.get(str(db_path))


def auto_build_state(raw_dir: Path = DEFAULT_RAW, db_path: Path = DEFAULT_DB) -> str:
    """``"fresh"`` (nothing to do), ``"failed"`` (the folder is exactly as when the last
    automatic build failed: do not retry on every page view) or ``"stale"`` (build)."""
    if not needs_build(raw_dir, db_path):
        return "fresh"
    failure = last_failure(db_path)
    if failure and failure.get("fingerprint") == raw_fingerprint(raw_dir) and failure.get("schema") == SCHEMA_VERSION:
        import time

        if failure.get("retry_at") is None or time.time() < failure["retry_at"]:
            return "failed"
    return "stale"
