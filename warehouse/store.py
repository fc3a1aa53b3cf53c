"""The one write path of the warehouse: ``build`` a folder, ``preview`` and ``ingest`` one
document.

Documents are read from one folder or several (``warehouse.freshness.folders_of``): by
default the shipped ``data/raw``, read-only, then the data directory's ``uploads/``
(``loaders.paths``), the only folder an ingest writes to (its file, its manifest row, the
recovery of an interrupted ingest). Below, "``data/raw``" is that pair.

Guarantees (issue 9):

* **One writer.** Every write holds ``warehouse.lock.writer_lock`` from reading ``data/raw``
  to the swap, so parallel commands never lose each other's documents; ``ingest`` parses its
  one file before taking it (and checks under it that the file did not change).
* **Bounded reading.** Every document is parsed in a child process with the parse limits
  (``warehouse.isolate``, ``loaders.tables.files.limits``): memory, CPU time, wall-clock
  time, pages, unpacked sizes; a file over one is refused naming it and the limit.
* **All or nothing.** A new warehouse is written to a temporary file next to the old one and
  swapped in with an atomic rename; a failure or a kill leaves the old file as it was, and the
  temporary files are removed at the next start (or at once, on failure).
* **Nothing overwritten.** ``ingest`` never replaces or deletes a file it did not create: a
  different file of the same name in any documents folder is refused; its own copy and manifest row are
  undone if a later step fails.
* **Nothing twice.** The same text under another name, or a second document for the same
  number or for the same province, year, stage and direction, is refused by ``ingest`` and left
  out by ``build`` (the first in file name order is kept, the later one is listed in
  ``excluded_documents``), one rule for both: ``warehouse.duplicates.refused``.
* **Audited.** Every write, done or refused, is logged with its actor (``warehouse.audit``).
* **Freshness from what was read.** The warehouse records the name, size and mtime of exactly
  the files it parsed (``raw_files``); ``needs_build`` compares them with the folder.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from loaders.documents import MANIFEST_NAME, DocumentError, ManifestEntry, Overrides, list_documents, read_document, read_lines, read_manifest, sha256_of, write_manifest_entry
from loaders.tables.files.filecheck import FileRefused, preflight
from loaders.model import ParseResult
from loaders.text.vocabulary import pinned

from . import audit, counting, duplicates, freshness, isolate, load, lock
from .files import _remove, _swap, _temp_path, fault_point
from .freshness import (
    DEFAULT_RAW,
    Folders,
    _fingerprint,
    _stamp,
    auto_build_state,
    default_db,
    folders_of,
    last_failure,
    needs_build,
    raw_files,
    raw_fingerprint,
    read_current,
    read_meta,
    stamp_key,
    writable,
)
from .lock import LockBusy, WAIT_S, writer_lock
from .schema import SCHEMA_VERSION

__all__ = [
    "DEFAULT_RAW",
    "DocumentError",
    "DuplicateDocument",
    "Folders",
    "LoadReport",
    "LockBusy",
    "Overrides",
    "StorageError",
    "auto_build_state",
    "build",
    "default_db",
    "excluded_documents",
    "fault_point",
    "folders_of",
    "ingest",
    "last_failure",
    "loaded_hashes",
    "needs_build",
    "preview",
    "raw_files",
    "raw_fingerprint",
    "read_meta",
]

Progress = Callable[[float, str], None]


class DuplicateDocument(DocumentError):
    """A document the warehouse already holds (same text, same number, or same scope)."""

    def __init__(self, file: str, conflicts: list[duplicates.Conflict]):
        self.conflicts = conflicts
        super().__init__(file, "; ".join(c.message() for c in conflicts))


@dataclass
class LoadReport:
    """What a build or ingest did: counts for the command line, the pages and the audit."""

    documents: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already loaded (same bytes)
    budget_lines: int = 0
    totals_checked: int = 0
    mismatches: list[str] = field(default_factory=list)  # "file:line scope: detail"
    overlaps: list[str] = field(default_factory=list)  # same scope in two documents of data/raw, allowed
    # documents of data/raw the build left out: "file: why (naming the document kept)"
    excluded: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)  # interrupted ingests rolled back or found complete
    warnings: int = 0
    indicators: int = 0
    actuals: int = 0
    tasks: int = 0

    def add(self, result: ParseResult) -> None:
        self.documents.append(result.meta.file_name)
        self.budget_lines += len(result.budget_lines)
        self.totals_checked += len(result.totals)
        self.warnings += len(result.issues)
        self.indicators += len(result.indicators)
        self.actuals += len(result.actuals)
        self.tasks += len(result.tasks)
        self.mismatches += mismatches(result)

    @property
    def rows(self) -> int:
        """Fact rows written (budget lines, targets, actuals, tasks)."""
        return self.budget_lines + self.indicators + self.actuals + self.tasks


def mismatches(result: ParseResult) -> list[str]:
    """``"file:line scope: detail"`` of every printed total that does not reconcile."""
    return [f"{result.meta.file_name}:{t.source_line} {t.scope}: {t.detail}" for t in result.totals if t.status == "mismatch"]


class StorageError(DocumentError):
    """The warehouse folder could not be written (disk full, read-only, no permission, a fatal
    DuckDB write error): nothing changed, the last good warehouse keeps being served.
    ``str()`` is the whole Vietnamese message (no file name in front); ``detail`` is the
    system's own text (for the server log and the audit)."""

    def __init__(self, folder: Path, why: str, detail: str):
        self.folder, self.why, self.detail = folder, why, detail
        super().__init__(str(folder), f"{why}: kho cũ vẫn được dùng.")
        self.args = (self.message,)

    def __str__(self) -> str:
        return self.message


# Faults of the disk while writing: the OS's ``OSError`` (errno), DuckDB's ``IOException``
# and ``FatalException`` (which carry only a message; DuckDB raises the latter when a write
# of its own file fails, e.g. "No space left on device", and invalidates that database).
WRITE_FAULTS = (OSError, duckdb.IOException, duckdb.FatalException)


def _os_error(path: Path, exc: Exception) -> StorageError:
    """A :class:`StorageError` saying in Vietnamese why the warehouse folder ``path`` could
    not be written (``exc``: one of :data:`WRITE_FAULTS`)."""
    import errno

    reasons = {
        errno.ENOSPC: "Hết dung lượng đĩa khi ghi kho dữ liệu",
        errno.EDQUOT: "Hết hạn mức đĩa khi ghi kho dữ liệu",
        errno.EROFS: "Thư mục kho dữ liệu chỉ đọc, không ghi được",
        errno.EACCES: "Không có quyền ghi vào thư mục kho dữ liệu",
        errno.EPERM: "Không có quyền ghi vào thư mục kho dữ liệu",
        errno.EFBIG: "Tệp vượt giới hạn kích thước khi ghi kho dữ liệu",
        errno.ENAMETOOLONG: "Tên tệp quá dài khi ghi kho dữ liệu",
    }
    text = str(exc)
    why = reasons.get(getattr(exc, "errno", None))
    if why is None:
        why = next((v for k, v in (("No space left", reasons[errno.ENOSPC]), ("Disk quota", reasons[errno.EDQUOT]),
                                   ("Read-only", reasons[errno.EROFS]), ("Permission denied", reasons[errno.EACCES]),
                                   ("File name too long", reasons[errno.ENAMETOOLONG])) if k in text), None)
    if why is None:
        why = "Lỗi hệ thống khi ghi kho dữ liệu (xem nhật ký máy chủ)"
    return StorageError(Path(path), why, text)


def _remember_failure(db_path: Path, fingerprint: str | None, exc: Exception) -> None:
    """Record a failed automatic build (``freshness.last_failure``) so the app does not retry
    the same folder on every page view: in the ``.failed`` file beside the warehouse, and in
    this process's memory when that file cannot be written either (a full disk)."""
    import time

    failure = {"fingerprint": fingerprint, "schema": SCHEMA_VERSION, "error": str(exc),
               "at": datetime.now().isoformat(timespec="seconds")}
    if isinstance(exc, StorageError):
        failure["retry_at"] = time.time() + freshness.RETRY_STORAGE_S
    freshness.remember_failure(db_path, failure)


def remember_build_failure(db_path: Path, raw_dir: Path, exc: Exception) -> None:
    """:func:`_remember_failure` for a failure met outside :func:`build` (the app's
    automatic build meeting an unexpected error)."""
    fingerprint = None
    with contextlib.suppress(OSError):
        fingerprint = raw_fingerprint(raw_dir)
    _remember_failure(Path(db_path), fingerprint, exc)


def _actor(actor: audit.Actor | str | None) -> audit.Actor:
    if actor is None:
        return audit.Actor(audit.SYSTEM)
    return actor if isinstance(actor, audit.Actor) else audit.Actor(str(actor))


def _log(actor, action, target=None, sha256=None, rows=None, ok=True, detail=None) -> None:
    """Audit, never failing the write it reports on (a read-only state folder is reported)."""
    try:
        audit.record(_actor(actor), action, target, sha256, rows, ok, detail)
    except Exception as exc:  # noqa: BLE001 - the audit must not turn a done write into a failure
        print(f"CẢNH BÁO: không ghi được nhật ký: {exc}")


# --- build ---------------------------------------------------------------------------------
def _read_checked(path: Path, entry: ManifestEntry | None, overrides: Overrides | None = None) -> tuple[ParseResult, str]:
    """Parse one document with the checks of every write (signs, appendix numbers);
    returns the result and its content key (``warehouse.duplicates``).

    Runs in the parse child (``warehouse.isolate``), where the build's ``pinned`` block does
    not reach: the vocabulary files are pinned here for the one document, so each is
    checked on disk once per document rather than ``stat``-ed at every classification."""
    with pinned():
        result = read_document(path, entry, overrides)
        lines = read_lines(path)
        load.check_signs(path.name, result, lines)
        load.check_appendix_numbers(path.name, result, lines)
        return result, duplicates.content_key(lines)


# Below this much text the build reads one document at a time: more child processes at
# once cost more than they save on a few documents.
PARALLEL_MIN_BYTES = 2_000_000


def _workers(files: list[Path]) -> int:
    """Documents read at once (each in its own limited child process, ``warehouse.isolate``):
    ``SKHCN_BUILD_WORKERS`` when set (0 or 1 = one at a time), else one per CPU (at most 4)
    for a folder of at least :data:`PARALLEL_MIN_BYTES` and 4 documents, else 1."""
    forced = os.environ.get("SKHCN_BUILD_WORKERS")
    if forced is not None:
        return max(1, int(forced)) if forced.strip().isdigit() else 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cpus < 2 or len(files) < 4:
        return 1
    size = 0
    for path in files:
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    return min(cpus, 4) if size >= PARALLEL_MIN_BYTES else 1


def _read_all(files: list[Path], manifest: dict, start: Callable[[int, Path], None], workers: int):
    """Yield ``(path, result, content key)`` for ``files`` in their order (``manifest``: each
    file's path → its manifest row), each read by
    :func:`_read_checked` in its own child process with the parse limits
    (``warehouse.isolate``), at most ``workers`` at once (memory stays bounded).
    ``start(i, path)`` is called just before the i-th file is read. The first document that
    cannot be read raises its own error (type, file, line) or the limit's ``DocumentError``;
    the other children are stopped."""
    from collections import deque

    queue: deque = deque()
    todo = enumerate(files)

    def submit() -> None:
        i, path = next(todo, (None, None))
        if path is not None:
            start(i, path)
            queue.append((path, isolate.start(_read_checked, (path, manifest.get(path)), path.name)))

    try:
        for _ in range(max(1, workers)):
            submit()
        while queue:
            path, job = queue.popleft()
            got = job.result()
            submit()
            yield (path, *got)
    finally:
        for _, job in queue:
            job.stop()


def _documents(folders: tuple[Path, ...]) -> list[Path]:
    """The documents of ``folders`` in reading order: folder by folder (the shipped documents
    before the uploads), by name within a folder."""
    return [p for folder in folders if folder.is_dir() for p in list_documents(folder)]


def _build_into(con: duckdb.DuckDBPyConnection, folders: tuple[Path, ...], files: list[Path], workers: int,
                progress: Progress | None) -> tuple[dict[str, str], LoadReport]:
    """Parse every document of ``folders`` (``files``, :func:`_documents`) and write it into
    ``con`` (a new, empty warehouse file) as soon as it is read, so only a few documents'
    records are held in memory. A file whose name a document of an earlier folder already has
    is left out like a duplicate (``excluded_documents``, kind "name"): a document's name is
    its identity in the warehouse, and the earlier folder (the shipped documents) wins. The
    vocabularies are read once for the whole build (``loaders.text.vocabulary.pinned``), each
    distinct note, unit, timing and description is classified once (the classifiers are
    memoised), and each document is parsed in a limited child process, ``workers`` at once
    (:func:`_read_all`). Returns the stamps of the files read and the report."""
    stamps: dict[str, str] = {}
    manifest: dict[Path, ManifestEntry] = {}
    for folder in folders:
        manifest_path = folder / MANIFEST_NAME
        if manifest_path.is_file():
            stamps[stamp_key(folders, folder, MANIFEST_NAME)] = _stamp(manifest_path)
        if folder.is_dir():
            manifest.update({folder / name: entry for name, entry in read_manifest(folder).items()})
    allowed = {path.name for path, entry in manifest.items() if entry.allow_overlap}
    report = LoadReport()
    held: list[duplicates.Held] = []
    excluded: list[tuple] = []
    first_of: dict[str, Path] = {}  # document name -> the file that has it
    for path in files:
        first_of.setdefault(path.name, path)

    def start(i: int, path: Path) -> None:
        if progress:
            progress(i / max(len(files), 1) * 0.9, f"Đang đọc {path.name}")
        # before reading: a later edit makes the warehouse stale
        stamps[stamp_key(folders, path.parent, path.name)] = _stamp(path)

    with pinned():
        for path, result, key in _read_all(files, manifest, start, workers):
            if first_of[path.name] != path:  # the same name in an earlier folder: that one is the document
                kept = first_of[path.name]
                why = (f"cùng tên với văn bản {kept.name} của thư mục {kept.parent} (đã đọc trước); tệp {path} "
                       "không được tính — đổi tên tệp rồi nạp lại")
                report.excluded.append(f"{path.name}: {why}")
                excluded.append((path.name, kept.name, "name", str(path.parent), why,
                                 result.meta.province, result.meta.fiscal_years, result.meta.sha256))
                continue
            found = duplicates.conflicts(result, key, held)
            mine = path.name in allowed
            refused = duplicates.refused(found, lambda c, mine=mine: mine or c.other in allowed)
            if refused:  # the ingest rule: this later document stays out, the first one is kept
                why = "; ".join(c.message() for c in refused)
                report.excluded.append(f"{path.name}: {why}")
                excluded.append((path.name, refused[0].other, refused[0].kind, refused[0].detail or None, why,
                                 result.meta.province, result.meta.fiscal_years, result.meta.sha256))
                continue
            report.overlaps += [f"{path.name}: {c.message()}" for c in found if c.kind == "scope"]
            held.append(duplicates.held_of(result, key))
            load.insert(con, result, key, folder=path.parent)
            report.add(result)
    if excluded:
        con.executemany("INSERT INTO excluded_documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)", excluded)
    return stamps, report


def _write_new(tmp: Path, raw_dir: Folders, progress: Progress | None) -> LoadReport:
    """Read every document of the folders of ``raw_dir`` and write a new warehouse at ``tmp``
    (one transaction). Returns the report."""
    folders = folders_of(raw_dir)
    files = _documents(folders)
    with duckdb.connect(str(tmp)) as con:
        load.create(con)
        con.begin()
        stamps, report = _build_into(con, folders, files, _workers(files), progress)
        if progress:
            progress(0.92, "Đang ghi kho dữ liệu")
        load.check_year_on_year(con)
        counting.mark_counted(con)
        load.set_meta(con, {"raw_fingerprint": _fingerprint(stamps), "raw_files": json.dumps(stamps),
                            "raw_dir": json.dumps([str(f) for f in folders])})
        con.commit()
        con.execute("CHECKPOINT")
    return report


def _build_locked(raw_dir: Folders, db_path: Path, progress: Progress | None) -> LoadReport:
    """Write a new warehouse next to ``db_path`` (one transaction) and swap it in; on any
    failure the temporary file is removed and ``db_path`` is left as it was. Call under the
    write lock."""
    tmp = _temp_path(db_path)
    try:
        report = _write_new(tmp, raw_dir, progress)
        fault_point("build_before_swap")
        _swap(tmp, db_path)
    finally:
        _remove(tmp)
    freshness.forget_failure(db_path)
    return report


def _build_unlocked(raw_dir: Folders, db_path: Path, progress: Progress | None) -> tuple[Path, str, LoadReport] | None:
    """Read ``raw_dir`` and write a new warehouse *without* the write lock, in this process's
    private folder (``warehouse.scratch``: removed at exit, or by the next instance after a
    kill), so a long build never makes other writers wait. Returns (file, the fingerprint of
    ``raw_dir`` read before, report), or ``None`` when an interrupted ingest must first be
    recovered (the build then reads under the lock). The caller swaps the file in under the
    lock only if ``raw_dir`` is unchanged; the caller removes the file."""
    if intent_path(db_path).is_file():
        return None
    from . import scratch

    fingerprint = raw_fingerprint(raw_dir)
    fd, name = tempfile.mkstemp(prefix="build-", suffix=".duckdb", dir=scratch.instance_dir())
    os.close(fd)
    os.unlink(name)
    try:
        return Path(name), fingerprint, _write_new(Path(name), raw_dir, progress)
    except BaseException:
        _remove(Path(name))
        raise


def _swap_in(new: Path, db_path: Path) -> None:
    """Under the write lock: copy ``new`` (a finished warehouse in the private folder, maybe
    on another file system) next to ``db_path`` and swap it in."""
    tmp = _temp_path(db_path)
    try:
        shutil.copyfile(new, tmp)
        fault_point("build_before_swap")
        _swap(tmp, db_path)
    finally:
        _remove(tmp)
    freshness.forget_failure(db_path)


def build(
    raw_dir: Folders = None,
    db_path: Path | None = None,
    progress: Progress | None = None,
    actor: audit.Actor | str | None = None,
    wait: float | None = WAIT_S,
    remember_failure: bool = False,
    action: str = "build",
) -> LoadReport:
    """(Re)build the warehouse at ``db_path`` from every document in the folders of
    ``raw_dir`` (:data:`~warehouse.freshness.Folders`; ``None``: the shipped documents, then
    the data directory's uploads; ``db_path`` ``None``: ``loaders.paths.warehouse_path()``).
    Nothing is written into these folders but the last one (an interrupted ingest's
    recovery).

    All documents are parsed first; if any cannot be read, a ``DocumentError`` (file and line)
    is raised and the existing warehouse is left untouched. A document that duplicates one
    read before it (``warehouse.duplicates.refused``, the rule ``ingest`` applies: same text,
    same number, or a shared province-year-stage scope the manifest does not allow) is left
    out of the new warehouse: the first in file name order is kept, the later one is listed in
    the ``excluded_documents`` table and in ``LoadReport.excluded`` (the command line exits
    with status 1 then); it is not a failure, so the new warehouse is swapped in. ``progress(fraction, message)`` is called as documents are
    read. ``wait``: seconds to wait for another writer (``LockBusy`` after). With
    ``remember_failure`` (the app's automatic build) a failure is recorded so that
    ``auto_build_state`` does not retry the same folder on every page view.
    Raises :class:`StorageError` (a ``DocumentError``; "Hết dung lượng đĩa khi ghi kho dữ liệu:
    kho cũ vẫn được dùng.") when the folder cannot be written (disk full, read-only, DuckDB's
    ``IOException`` or ``FatalException``): the partial new file is removed, the old
    warehouse file is left as it was.
    """
    raw_dir, db_path = folders_of(raw_dir), default_db(db_path)
    fingerprint = None
    try:
        early = None
        try:
            early = _build_unlocked(raw_dir, db_path, progress)  # read outside the lock
        except DocumentError as exc:
            if remember_failure:
                _remember_failure(db_path, raw_fingerprint(raw_dir), exc)
            _log(actor, action, _folders_text(raw_dir), ok=False, detail=str(exc))
            raise
        try:
            with writer_lock(db_path, raw_dir[-1], wait=wait):
                recovered = recover_ingest(db_path, raw_dir, actor)
                fingerprint = raw_fingerprint(raw_dir)
                try:
                    if early is not None and early[1] == fingerprint:  # data/raw unchanged: the lock only for the swap
                        report = early[2]
                        _swap_in(early[0], db_path)
                    else:  # changed meanwhile (an ingest, a recovery): read again, under the lock
                        report = _build_locked(raw_dir, db_path, progress)
                    report.recovered = recovered
                except DocumentError as exc:
                    if remember_failure:
                        _remember_failure(db_path, fingerprint, exc)
                    _log(actor, action, _folders_text(raw_dir), ok=False, detail=str(exc))
                    raise
        finally:
            if early is not None:
                _remove(early[0])
    except WRITE_FAULTS as exc:
        error = _os_error(db_path.parent, exc)
        print(f"LỖI ghi kho dữ liệu {db_path}: {type(exc).__name__}: {exc}", flush=True)  # the server log
        if remember_failure:
            if fingerprint is None:  # the fault came before the folder was read
                with contextlib.suppress(OSError):
                    fingerprint = raw_fingerprint(raw_dir)
            _remember_failure(db_path, fingerprint, error)
        _log(actor, action, _folders_text(raw_dir), ok=False, detail=f"{error} ({exc})")
        raise error from exc
    if progress:
        progress(1.0, "Đã xây dựng kho dữ liệu")
    _log(actor, action, _folders_text(raw_dir), rows=report.rows, detail=f"{len(report.documents)} văn bản")
    return report


def _folders_text(folders: tuple[Path, ...]) -> str:
    """The folders a build read, for the audit log: "data/raw + …/uploads"."""
    return " + ".join(str(f) for f in folders)


# --- one document ---------------------------------------------------------------------------
def loaded_hashes(db_path: Path) -> dict[str, str]:
    """``{sha256: document}`` of the documents already in the warehouse."""
    if not Path(db_path).exists():
        return {}
    with read_current(db_path) as con:
        return dict(con.execute("SELECT sha256, document FROM documents").fetchall())


def held_documents(db_path: Path) -> list[duplicates.Held]:
    """What the warehouse holds of each document, for the duplicate checks."""
    if not Path(db_path).exists():
        return []
    with read_current(db_path) as con:
        docs = con.execute("SELECT document, content_key, province, kind, number FROM documents").fetchall()
        scope_rows = con.execute(
            "SELECT DISTINCT document, province, fiscal_year, phase_vn, phase, direction, coalesce(unit_kind, unit),"
            " quarters, cumulative, version FROM budget_lines"
        ).fetchall()
    lines: dict[str, list] = {}
    for doc, prov, year, stage, phase, direction, unit, quarters, cumulative, version in scope_rows:
        lines.setdefault(doc, []).append(
            (duplicates.line_scope(prov, year, stage, phase, direction, unit, quarters, cumulative, version), phase))
    return [duplicates.Held(d, k, p, kind, n, frozenset(duplicates.document_scopes(lines.get(d, []))))
            for d, k, p, kind, n in docs]


def excluded_documents(db_path: Path) -> list[str]:
    """``"file: why"`` of each document of the documents folders the last build left out as a
    duplicate (``excluded_documents``); ``[]`` when there is no warehouse or it predates that
    table."""
    if not Path(db_path).exists():
        return []
    with read_current(db_path) as con:
        try:
            rows = con.execute("SELECT document, message FROM excluded_documents ORDER BY document").fetchall()
        except duckdb.CatalogException:
            return []
    return [f"{d}: {m}" for d, m in rows]


def _checked(file: Path) -> Path:
    file = Path(file)
    try:
        preflight(file)
    except FileRefused as exc:
        raise DocumentError(file.name, exc.message) from exc
    return file


def _parse(file: Path, raw_dir: Path, overrides: Overrides | None, on_progress=None) -> tuple[ParseResult, str]:
    """:func:`_read_checked` of ``file`` with its manifest row in the folder ``raw_dir`` (where
    it is or would be written), in a limited child process (``warehouse.isolate``;
    ``DocumentError`` naming the limit when it goes over one); ``on_progress(step, done, total)``:
    see ``isolate.run``."""
    entry = read_manifest(raw_dir).get(file.name) if raw_dir.is_dir() else None
    return isolate.run(_read_checked, (file, entry, overrides or Overrides()), file.name, on_progress=on_progress)


def _check_parsed(file: Path, parsed: ParseResult) -> tuple[ParseResult, str]:
    """The checks of every write on a result already parsed (the preview's), and its content
    key; reads the file's lines (run in a limited child: :func:`_parse`)."""
    lines = read_lines(file)
    load.check_signs(file.name, parsed, lines)
    load.check_appendix_numbers(file.name, parsed, lines)
    return parsed, duplicates.content_key(lines)


def preview(
    file: Path, overrides: Overrides | None = None, db_path: Path | None = None, raw_dir: Folders = None,
    on_progress=None,
) -> ParseResult:
    """Parse, reconcile and check ``file`` against the warehouse without writing anything.

    The file is parsed in a child process with the parse limits (``warehouse.isolate``).
    Returns the ``ParseResult`` (for the upload page to show); a document that shares a
    province-year-stage with one already held gets a warning issue saying so. Raises
    ``DocumentError`` (unreadable; file and line) or ``DuplicateDocument`` (same text or same
    number as a held document). ``on_progress(step, done, total)`` hears how far the reading
    is (each page of a PDF …, ``warehouse.isolate.run``).
    """
    file, raw_dir, db_path = _checked(file), writable(raw_dir), default_db(db_path)
    result, key = _parse(file, raw_dir, overrides, on_progress)
    found = duplicates.conflicts(result, key, held_documents(db_path))
    hard = [c for c in found if c.kind != "scope"]
    if hard:
        raise DuplicateDocument(file.name, hard)
    from loaders.model import ParseIssue

    for c in found:
        result.issues.append(ParseIssue(None, f"Trùng phạm vi: {c.message()}", "warning"))
    return result


def _copy_new(src: Path, target: Path, db_path: Path) -> None:
    """Copy ``src`` to ``target`` without ever replacing an existing file (a partial copy is
    written as ``.<name>.<random>.part``, recorded in the journal of ``db_path``'s writer,
    ``warehouse.lock.created``, and linked into place)."""
    fd, part = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        lock.created(db_path, Path(part))
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            shutil.copyfileobj(inp, out)
            out.flush()
            os.fsync(out.fileno())
        os.link(part, target)  # FileExistsError if someone created it meanwhile
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(part)


def ingest(
    file: Path,
    db_path: Path | None = None,
    raw_dir: Folders = None,
    overrides: Overrides | None = None,
    actor: audit.Actor | str | None = None,
    parsed: ParseResult | None = None,
    allow_overlap: bool = False,
    accept_mismatch: bool = False,
    action: str = "ingest",
    wait: float | None = WAIT_S,
) -> LoadReport:
    """Add one document to the warehouse; the same bytes ingested twice add nothing.

    ``parsed``: the result of :func:`preview` for the same file (re-parsed if the file changed
    since). Refused with ``DocumentError`` (nothing changes): an unreadable file; a different
    file of the same name in ``raw_dir`` or the warehouse; a ``DuplicateDocument`` (same text or
    number; same province-year-stage unless ``allow_overlap``); printed totals that do not
    reconcile unless ``accept_mismatch``; a file of the same name in any of the folders.
    Otherwise the file is copied into the *last* folder of ``raw_dir`` (``None``: the data
    directory's ``uploads/``; the shipped documents are never written) with its manifest row
    (so a rebuild keeps it) and added to a copy of the warehouse that is swapped in
    atomically under the write lock. The file is parsed *before* the lock is taken, in a child
    process with the parse limits (``warehouse.isolate``: a file over one is refused with a
    ``DocumentError`` naming it and the limit), so a slow file never blocks other writers; a
    file changed between that reading and the write is refused. ``action``: "ingest" or
    "upload" (audit).
    """
    file, db_path, folders = Path(file), default_db(db_path), folders_of(raw_dir)
    raw_dir = folders[-1]
    try:
        _checked(file)
        digest = sha256_of(file)
        read = None
        if digest not in loaded_hashes(db_path):  # parsed before the lock, in a limited child process
            if parsed is not None and parsed.meta.sha256 == digest:
                read = isolate.run(_check_parsed, (file, parsed), file.name)
            else:
                read = _parse(file, raw_dir, overrides)
        with writer_lock(db_path, raw_dir, wait=wait):
            recovered = recover_ingest(db_path, folders, actor)
            report = _ingest_locked(file, digest, read, db_path, folders, overrides, allow_overlap, accept_mismatch)
            report.recovered = recovered
    except DocumentError as exc:
        _log(actor, action, file.name, ok=False, detail=str(exc))
        raise
    except WRITE_FAULTS as exc:
        error = _os_error(db_path.parent, exc)
        print(f"LỖI ghi kho dữ liệu {db_path}: {type(exc).__name__}: {exc}", flush=True)  # the server log
        _log(actor, action, file.name, ok=False, detail=f"{error} ({exc})")
        raise error from exc
    if report.documents:
        _log(actor, action, file.name, sha256=digest, rows=report.rows,
             detail=f"{report.budget_lines} dòng ngân sách, {len(report.mismatches)} không khớp")
    else:
        _log(actor, action, file.name, sha256=digest, rows=0, detail="bỏ qua: " + "; ".join(report.skipped))
    return report


def _ingest_locked(file, digest, read, db_path, folders, overrides, allow_overlap, accept_mismatch) -> LoadReport:
    """The write of :func:`ingest`, under the lock: ``read`` is ``(result, content key)`` of
    the file whose bytes had SHA-256 ``digest`` (``None`` when the warehouse held it then);
    the file goes into the last of ``folders``."""
    raw_dir = folders[-1]
    report = LoadReport()
    known = loaded_hashes(db_path)
    if digest in known:
        report.skipped.append(f"{file.name} (đã có: {known[digest]})")
        return report
    if read is None or sha256_of(file) != digest or read[0].meta.sha256 != digest:
        raise DocumentError(file.name, "tệp hoặc kho dữ liệu đã thay đổi trong khi đọc; hãy nạp lại")
    result, key = read
    if result.meta.province not in load.province_codes():
        raise DocumentError(file.name, f"tỉnh {result.meta.province!r} không có trong bảng tỉnh (data/reference)")
    load.check_columns(file.name, load.columns_of(result, None))  # the document's own faults first
    if not db_path.exists():
        _build_locked(folders, db_path, None)
        if digest in loaded_hashes(db_path):
            report.skipped.append(f"{file.name} (đã có trong {raw_dir.name}/)")
            return report
    found = duplicates.conflicts(result, key, held_documents(db_path))
    refused = duplicates.refused(found, lambda c: allow_overlap)
    if refused:
        raise DuplicateDocument(file.name, refused)
    overlap = any(c.kind == "scope" for c in found)  # allowed: the manifest keeps the decision for a rebuild
    if result.meta.file_name in loaded_hashes(db_path).values():
        raise DocumentError(file.name, "đã có một văn bản khác cùng tên trong kho; đổi tên tệp trước khi nạp")
    bad = [t for t in result.totals if t.status == "mismatch"]
    if bad and not accept_mismatch:
        raise DocumentError(file.name, f"{len(bad)} tổng cộng không khớp, đầu tiên: {bad[0].scope}: {bad[0].detail}; "
                            "kiểm tra văn bản, hoặc nạp kèm xác nhận (--accept-mismatch)", bad[0].source_line)
    target = raw_dir / file.name
    in_place = target.exists() and target.resolve() == file.resolve()
    if target.exists() and not in_place:
        raise DocumentError(file.name, f"thư mục văn bản {raw_dir.name}/ đã có một tệp khác cùng tên; đổi tên tệp trước khi nạp")
    for other in folders[:-1]:
        if (other / file.name).exists() and (other / file.name).resolve() != file.resolve():
            raise DocumentError(file.name, f"thư mục văn bản có sẵn {other} đã có một tệp cùng tên; đổi tên tệp trước khi nạp")
    with read_current(db_path) as con:
        old = dict(con.execute("SELECT key, value FROM meta").fetchall())
    stamps = json.loads(old.get("raw_files") or "{}")
    manifest_path = raw_dir / MANIFEST_NAME
    manifest_before = manifest_path.read_bytes() if manifest_path.exists() else None
    manifest_times = (manifest_path.stat().st_atime_ns, manifest_path.stat().st_mtime_ns) if manifest_before is not None else None
    manifest_key = stamp_key(folders, raw_dir, MANIFEST_NAME)
    manifest_was_fresh = (manifest_path.is_file() and stamps.get(manifest_key) == _stamp(manifest_path)) or (
        not manifest_path.exists() and manifest_key not in stamps)
    created = False
    tmp = _temp_path(db_path)
    try:
        raw_dir.mkdir(parents=True, exist_ok=True)
        _write_intent(db_path, file.name, digest, copy=not in_place, manifest_before=manifest_before,
                      manifest_times=manifest_times)
        fault_point("ingest_after_intent")
        lock.created(db_path, manifest_path.with_suffix(".csv.tmp"))  # write_manifest_entry's temporary file
        write_manifest_entry(raw_dir, ManifestEntry(
            file=file.name, province=result.meta.province, fiscal_years=result.meta.fiscal_years,
            kind=result.meta.kind or "report", issuer=result.meta.issuer, number=result.meta.number,
            issued_date=result.meta.issued_date, title=result.meta.title,
            profile=overrides.profile if overrides is not None else None, allow_overlap=overlap,
        ))
        fault_point("ingest_after_manifest")
        if not in_place:
            _copy_new(file, target, db_path)
            created = True
        fault_point("ingest_after_copy")
        stamps[stamp_key(folders, raw_dir, file.name)] = _stamp(target)
        if manifest_was_fresh:
            stamps[stamp_key(folders, raw_dir, MANIFEST_NAME)] = _stamp(manifest_path)
        shutil.copyfile(db_path, tmp)
        with duckdb.connect(str(tmp)) as con:
            load.insert(con, result, key, folder=raw_dir)
            load.check_year_on_year(con)
            counting.mark_counted(con)
            load.set_meta(con, {"raw_fingerprint": _fingerprint(stamps), "raw_files": json.dumps(stamps),
                                "raw_dir": json.dumps([str(f) for f in folders])})
            con.execute("CHECKPOINT")
        fault_point("ingest_before_swap")
        _swap(tmp, db_path)
        fault_point("ingest_after_swap")
    except BaseException:
        if created:
            target.unlink(missing_ok=True)
        _restore_manifest(manifest_path, manifest_before, manifest_times)
        _clear_intent(db_path)
        raise
    finally:
        _remove(tmp)
    _clear_intent(db_path)
    report.add(result)
    return report


# --- an ingest is one recoverable step: intent, manifest row, copy, warehouse swap -----------
def intent_path(db_path: Path) -> Path:
    """``<warehouse>.ingest.json``: what the ingest under way is writing (file, SHA-256,
    whether it copies the file into ``data/raw``), with ``<warehouse>.ingest.manifest`` the
    manifest as it was before. Written before the manifest row, removed after the swap."""
    return Path(str(db_path) + ".ingest.json")


def _write_intent(db_path: Path, name: str, digest: str, copy: bool, manifest_before: bytes | None,
                  manifest_times) -> None:
    backup = Path(str(db_path) + ".ingest.manifest")
    if manifest_before is not None:
        backup.write_bytes(manifest_before)
    else:
        backup.unlink(missing_ok=True)
    text = json.dumps({"file": name, "sha256": digest, "copy": copy, "manifest_existed": manifest_before is not None,
                       "manifest_times": list(manifest_times) if manifest_times else None})
    path = intent_path(db_path)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def _clear_intent(db_path: Path) -> None:
    intent_path(db_path).unlink(missing_ok=True)
    Path(str(db_path) + ".ingest.manifest").unlink(missing_ok=True)


def _restore_manifest(manifest_path: Path, before: bytes | None, times) -> None:
    """Put the manifest back as it was (``before``: its bytes, ``None``: it did not exist)."""
    if before is None:
        manifest_path.unlink(missing_ok=True)
        return
    with contextlib.suppress(OSError):
        if not manifest_path.exists() or manifest_path.read_bytes() != before:
            manifest_path.write_bytes(before)
            if times:
                os.utime(manifest_path, ns=tuple(times))  # as it was: the warehouse stays fresh


def recover_ingest(db_path: Path, raw_dir: Folders, actor=None) -> list[str]:
    """Finish what an interrupted ingest left (a killed process, a power cut): call under the
    write lock, before anything reads ``raw_dir`` (its last folder: the one ingests write to;
    the others are never touched). When the warehouse holds the file's bytes
    the ingest was complete (only its note is removed); otherwise it is rolled back — the
    copied file removed from ``raw_dir`` (only if its bytes are the ones the ingest wrote),
    the manifest restored — so the same file can be ingested again. Returns the Vietnamese
    lines said (also printed and written to the audit log); ``[]`` when nothing was under way."""
    db_path, raw_dir = Path(db_path), writable(raw_dir)
    path = intent_path(db_path)
    if not path.is_file():
        return []
    try:
        intent = json.loads(path.read_text(encoding="utf-8"))
        name, digest = intent["file"], intent["sha256"]
    except (OSError, ValueError, KeyError, TypeError):  # written half: nothing after it was done
        _clear_intent(db_path)
        return []
    if digest in loaded_hashes(db_path):
        said = f"Lần nạp {name} trước đó đã hoàn tất (bị ngắt sau khi ghi kho): không cần làm gì thêm."
    else:
        target = raw_dir / name
        if intent.get("copy") and target.is_file() and sha256_of(target) == digest:
            target.unlink()
        backup = Path(str(db_path) + ".ingest.manifest")
        before = backup.read_bytes() if intent.get("manifest_existed") and backup.is_file() else None
        if intent.get("manifest_existed") and before is None:
            said = (f"Lần nạp {name} trước đó bị ngắt giữa chừng: đã gỡ tệp, nhưng không còn bản sao danh mục "
                    f"{MANIFEST_NAME} để khôi phục — kiểm tra dòng của {name} trong danh mục.")
        else:
            _restore_manifest(raw_dir / MANIFEST_NAME, before, intent.get("manifest_times"))
            said = (f"Lần nạp {name} trước đó bị ngắt giữa chừng (kho dữ liệu chưa có văn bản này): đã hoàn tác "
                    "(gỡ tệp và dòng danh mục); có thể nạp lại tệp.")
    _clear_intent(db_path)
    print(said, flush=True)
    _log(actor, "recover_ingest", name, sha256=digest, ok=True, detail=said)
    return [said]
