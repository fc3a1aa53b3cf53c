"""Move what an earlier version wrote into the checkout to the data directory, once.

Earlier versions wrote the department's own data inside the git work tree: uploads were
copied into ``data/raw`` with a row in ``data/raw/manifest.csv``, accounts were
``data/users.yaml``, entries and the audit log ``data/entries/``, saved layout profiles
``data/profiles/layouts/*.toml``. Now all of these live in the data directory
(``loaders.paths``), and the checkout is read-only at run time. :func:`migrate` moves them:

* **Uploads.** Git is not available at run time, so what was shipped is read from the list of
  shipped files beside them, ``data/raw/SHA256SUMS`` (``sha256sum`` format; a test keeps it
  equal to ``git ls-files data/raw``). Every row of the checkout's manifest whose file is not
  in that list was written by ``ingest``: the file moves to ``<data dir>/uploads/`` and its row
  to that folder's manifest (row first, then the file, so an interruption leaves nothing
  lost: the next run finishes). The checkout's manifest is then written back with the shipped
  rows only, in the shipped form (the columns in use, ``\\n`` line ends), and compared with
  the shipped list. Shipped files are never moved, changed or deleted; a document file that is
  in no manifest row (put there by hand) is left where it is and named (with that move).
* **Accounts, entries, layout profiles.** ``data/users.yaml`` and the files of
  ``data/entries/`` move when the data directory has none yet (else both are kept and the
  message says which one is used); saved profiles (``*.toml`` not in
  ``data/profiles/layouts/SHA256SUMS``) move unless one of that name exists there.

Every move is said in Vietnamese: printed (server console, command line) and written to the
audit log (action ``migrate_data``). Nothing to move: nothing is said, nothing written. The
tests and the browser tests' servers set ``SKHCN_MIGRATE=0`` (:func:`migrate_if_enabled`).
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from loaders import paths
from loaders.documents import (
    MANIFEST_COLUMNS,
    MANIFEST_NAME,
    DocumentError,
    ManifestEntry,
    list_documents,
    read_manifest,
    write_manifest_entry,
)


@dataclass(frozen=True)
class Targets:
    """Where the department's data goes (the data directory's folders and files)."""

    uploads: Path
    entries: Path  # the SQLite file
    users: Path
    layouts: Path

    @classmethod
    def of(cls, data: Path | None = None) -> Targets:
        """The folders of ``data`` (a data directory), or, for ``None``, the paths in use
        (``loaders.paths``, with their overriding variables)."""
        if data is None:
            return cls(paths.uploads_dir(), paths.entries_path(), paths.users_path(), paths.layouts_dir())
        data = Path(data)
        return cls(data / "uploads", data / "entries" / "entries.sqlite", data / "users.yaml", data / "layouts")


def shipped_list(folder: Path) -> dict[str, str] | None:
    """``{file name: sha256}`` of ``folder/SHA256SUMS`` (``sha256sum`` lines: hash, two
    spaces or " *", name); ``None`` when the folder has no such list (nothing is known to be
    shipped there, so nothing is moved)."""
    path = Path(folder) / paths.SHIPPED_LIST
    if not path.is_file():
        return None
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, _, name = line.partition(" ")
            out[name.lstrip(" *")] = digest.strip()
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def manifest_text(entries: list[ManifestEntry]) -> str:
    """The manifest of ``entries`` in the shipped form: the columns of ``MANIFEST_COLUMNS``
    that are required or hold a value in some row, rows by file name, ``\\n`` line ends."""
    rows = []
    for e in sorted(entries, key=lambda e: e.file):
        row = e.model_dump()
        row["fiscal_years"] = ";".join(str(y) for y in e.fiscal_years)
        row["issued_date"] = e.issued_date.isoformat() if e.issued_date else ""
        row["allow_overlap"] = "có" if e.allow_overlap else ""
        rows.append({k: ("" if v is None else str(v)) for k, v in row.items()})
    required = ("file", "province", "fiscal_years", "kind")
    columns = [c for c in MANIFEST_COLUMNS if c in required or any(r[c] for r in rows)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _move(src: Path, dst: Path) -> None:
    """Move one file (a rename on the same file system, else copy with its times and remove)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(src), str(dst))


def _uploads(raw: Path, uploads: Path) -> list[str]:
    """Move the uploads of the checkout's ``raw`` folder into ``uploads`` (module docstring)."""
    shipped = shipped_list(raw)
    if shipped is None or not raw.is_dir() or _same(raw, uploads):
        return []
    said: list[str] = []
    try:
        manifest = read_manifest(raw)
    except DocumentError as exc:
        return [f"Không chuyển được văn bản tải lên cũ: danh mục {raw / MANIFEST_NAME} không đọc được ({exc})."]
    theirs = {name: e for name, e in manifest.items() if name not in shipped}
    kept: dict[str, ManifestEntry] = {name: e for name, e in manifest.items() if name in shipped}
    if theirs:
        held = read_manifest(uploads) if (uploads / MANIFEST_NAME).is_file() else {}
        for name, entry in sorted(theirs.items()):
            src, dst = raw / name, uploads / name
            if src.is_file() and dst.exists() and _sha256(dst) != _sha256(src):
                said.append(f"KHÔNG chuyển {src}: thư mục {uploads} đã có một tệp khác cùng tên; giữ nguyên cả hai, "
                            "hãy xem và gộp bằng tay.")
                kept[name] = entry
                continue
            if name not in held:
                uploads.mkdir(parents=True, exist_ok=True)
                write_manifest_entry(uploads, entry)
            if src.is_file():
                if dst.exists():
                    src.unlink()  # the same bytes are there already (an interrupted move)
                else:
                    _move(src, dst)
                said.append(f"Đã chuyển văn bản tải lên {name} từ {raw} sang {uploads} (cùng dòng danh mục).")
            else:
                said.append(f"Đã chuyển dòng danh mục của {name} (không còn tệp trong {raw}) sang {uploads}.")
        text = manifest_text(list(kept.values()))
        (raw / (MANIFEST_NAME + ".tmp")).write_text(text, encoding="utf-8", newline="")
        os.replace(raw / (MANIFEST_NAME + ".tmp"), raw / MANIFEST_NAME)
        if shipped.get(MANIFEST_NAME) == hashlib.sha256(text.encode("utf-8")).hexdigest():
            said.append(f"Danh mục {raw / MANIFEST_NAME} đã trở lại đúng như bản phát hành.")
        else:
            said.append(f"Danh mục {raw / MANIFEST_NAME} còn các dòng của văn bản có sẵn nhưng khác bản phát hành "
                        "(xem bằng: git diff data/raw/manifest.csv).")
        for path in list_documents(raw):  # said with the move (not at every start)
            if path.name not in shipped and path.name not in manifest:
                said.append(f"Tệp {path} không có trong bản phát hành và không có dòng danh mục: để nguyên; nếu là "
                            "văn bản của Sở, hãy tải lên lại trên trang Nhập dữ liệu rồi xoá tệp này.")
    return said


def _file(src: Path, dst: Path, what: str) -> list[str]:
    if not src.is_file() or _same(src, dst):
        return []
    if dst.exists():
        return [f"Có cả {src} (cũ) và {dst}: dùng {dst}; {what} cũ để nguyên, xoá khi không cần nữa."]
    _move(src, dst)
    return [f"Đã chuyển {what} {src} sang {dst}."]


def _entries(src_dir: Path, dst: Path) -> list[str]:
    """The files of the checkout's ``data/entries/`` (the SQLite file with its ``-wal`` and
    ``-shm``, an older CSV journal) next to ``dst``, when ``dst`` does not exist yet."""
    if not src_dir.is_dir() or _same(src_dir, dst.parent):
        return []
    files = sorted(p for p in src_dir.iterdir() if p.is_file())
    if not files:
        return []
    if dst.exists():
        return [f"Có cả {src_dir} (cũ) và {dst}: dùng {dst}; thư mục cũ để nguyên, xoá khi không cần nữa."]
    main = src_dir / "entries.sqlite"
    order = sorted(files, key=lambda p: p != main)  # the database first, its -wal and -shm after
    for p in order:
        target = dst if p == main else dst.parent / p.name
        if not target.exists():
            _move(p, target)
    if not any(src_dir.iterdir()):
        src_dir.rmdir()
    moved = ", ".join(p.name for p in order)
    return [f"Đã chuyển số liệu nhập tay, nhật ký và phiên đăng nhập ({moved}) từ {src_dir} sang {dst.parent}."]


def _layouts(src_dir: Path, dst_dir: Path) -> list[str]:
    shipped = shipped_list(src_dir)
    if shipped is None or not src_dir.is_dir() or _same(src_dir, dst_dir):
        return []
    said = []
    for p in sorted(src_dir.glob("*.toml")):
        if p.name in shipped:
            continue
        if (dst_dir / p.name).exists():
            said.append(f"KHÔNG chuyển mẫu bố cục {p}: {dst_dir} đã có một mẫu cùng tên; giữ nguyên cả hai.")
            continue
        _move(p, dst_dir / p.name)
        said.append(f"Đã chuyển mẫu bố cục {p.name} từ {src_dir} sang {dst_dir}.")
    return said


def migrate(checkout: Path = paths.DATA, data: Path | None = None, actor=None) -> list[str]:
    """Move the department's data an earlier version wrote under ``checkout`` (the
    repository's ``data/``) to the data directory ``data`` (``None``: the paths in use,
    ``loaders.paths``); see the module docstring. Idempotent: a second run finds nothing.
    Returns the Vietnamese lines said, each also printed and written to the audit log
    (action ``migrate_data``, in the moved entries file when they were moved). Holds a file
    lock in the data directory, so two starting processes do not move the same files."""
    from . import audit

    checkout = Path(checkout)
    targets = Targets.of(data)
    lock_dir = targets.users.parent
    lock_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(lock_dir / ".migrate.lock")):
        said = _entries(checkout / "entries", targets.entries)  # first: the audit rows below go there
        said += _file(checkout / "users.yaml", targets.users, "tệp tài khoản")
        said += _uploads(checkout / "raw", targets.uploads)
        said += _layouts(checkout / "profiles" / "layouts", targets.layouts)
    who = actor or audit.Actor(audit.SYSTEM)
    for line in said:
        print(line, flush=True)
        try:
            audit.record(who, "migrate_data", target=str(checkout), detail=line, path=targets.entries)
        except Exception as exc:  # noqa: BLE001 - the move is done; the console keeps the line
            print(f"CẢNH BÁO: không ghi được nhật ký: {exc}", flush=True)
    return said


def migrate_if_enabled(actor=None) -> list[str]:
    """:func:`migrate` of the repository's ``data/`` into the data directory in use, unless
    ``SKHCN_MIGRATE`` is ``0`` (the tests: they never touch the checkout or the user's data)."""
    if os.environ.get("SKHCN_MIGRATE", "1").strip().lower() in ("0", "no", "false", "không"):
        return []
    return migrate(actor=actor)
