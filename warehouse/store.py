"""The one write path of the warehouse.

Every change (``build`` from a folder, ``ingest`` of one document) is made on a *new* file
next to the warehouse and then swapped in with an atomic rename, so readers never see a
half-written warehouse and a failed build or ingest leaves the old one exactly as it was.
Readers (``warehouse.queries``) notice the swap and reopen.
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from loaders.documents import (
    DocumentError,
    ManifestEntry,
    Overrides,
    list_documents,
    read_document,
    read_manifest,
    sha256_of,
    write_manifest_entry,
)
from loaders.catalogue import default_field_rules, field_of_line
from loaders.model import ParseResult

from .schema import DDL, SCHEMA_VERSION, TABLE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = ROOT / "data" / "raw"
DEFAULT_DB = ROOT / "data" / "warehouse.duckdb"
PROVINCES_CSV = ROOT / "data" / "reference" / "provinces_2020_2025.csv"

Progress = Callable[[float, str], None]


@dataclass
class LoadReport:
    """What a build or ingest did: counts for the command line and the pages."""

    documents: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already loaded (same content)
    budget_lines: int = 0
    totals_checked: int = 0
    mismatches: list[str] = field(default_factory=list)  # "file:line scope: detail"
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
        for t in result.totals:
            if t.status == "mismatch":
                self.mismatches.append(f"{result.meta.file_name}:{t.source_line} {t.scope}: {t.detail}")


def raw_fingerprint(raw_dir: Path) -> str:
    """SHA-256 over the name, size and modification time of every document and of the
    manifest in ``raw_dir``: it changes whenever a document is added, removed or edited.
    Only file metadata is read, so the app can check it on every page view even with
    thousands of documents (contents are hashed per document when they are loaded)."""
    h = hashlib.sha256()
    files = list_documents(raw_dir) if Path(raw_dir).exists() else []
    manifest = Path(raw_dir) / "manifest.csv"
    if manifest.exists():
        files.append(manifest)
    for p in files:
        st = p.stat()
        h.update(f"{p.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def read_meta(db_path: Path) -> dict[str, str]:
    """The ``meta`` table of a warehouse (``{}`` when the file is missing or unreadable)."""
    if not Path(db_path).exists():
        return {}
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            return dict(con.execute("SELECT key, value FROM meta").fetchall())
    except duckdb.Error:
        return {}


def needs_build(raw_dir: Path = DEFAULT_RAW, db_path: Path = DEFAULT_DB) -> bool:
    """True when the warehouse is missing, of an older schema, or built from other documents."""
    meta = read_meta(db_path)
    return meta.get("schema_version") != SCHEMA_VERSION or meta.get("raw_fingerprint") != raw_fingerprint(raw_dir)


def _province_codes() -> dict[str, str]:
    """Province name → GSO code, for the 63 units of 2020–6/2025 and the 34 units from
    1/7/2025 (a successor keeps the code of the province hosting its seat; see
    data/reference). A pre-2025 name wins where both lists share it."""
    with PROVINCES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    codes = {row["successor_2025"]: row["successor_code_gso"] for row in rows}
    codes.update({row["name"]: row["code_gso"] for row in rows})
    return codes


def _create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)
    con.execute(
        "INSERT INTO provinces SELECT code_gso, name, name_ascii, region, "
        "TRY_CAST(population_2023 AS BIGINT), successor_2025, successor_code_gso "
        "FROM read_csv(?, all_varchar = true, header = true)",
        [str(PROVINCES_CSV)],
    )


def _rows(result: ParseResult, province_code: str | None) -> dict[str, list[dict]]:
    doc = result.meta.file_name
    prov = result.meta.province
    base = {"document": doc, "province": prov}
    out: dict[str, list[dict]] = {name: [] for name in TABLE_COLUMNS}
    rules = default_field_rules()
    descriptions = {bl.line_id: bl.description for bl in result.budget_lines}
    for bl in result.budget_lines:
        row = dataclasses.asdict(bl) | base | {"province_code": province_code}
        row["quarters"] = list(bl.quarters)
        row["field"] = field_of_line(bl, rules, parent_description=descriptions.get(bl.parent_id))
        out["budget_lines"].append(row)
    for t in result.totals:
        out["totals"].append(dataclasses.asdict(t) | base)
    for i in result.issues:
        out["parse_issues"].append(dataclasses.asdict(i) | base)
    for ind in result.indicators:
        out["indicators"].append(dataclasses.asdict(ind) | base)
    for a in result.actuals:
        row = dataclasses.asdict(a) | base
        row["fiscal_year"] = a.fiscal_year or (a.period_end.year if a.period_end else None)
        out["indicator_actuals"].append(row)
    for t in result.tasks:
        out["tasks"].append(dataclasses.asdict(t) | base)
    return out


def _insert(con: duckdb.DuckDBPyConnection, result: ParseResult) -> None:
    meta = result.meta
    codes = _province_codes()
    if meta.province not in codes:
        raise DocumentError(meta.file_name, f"tỉnh {meta.province!r} không có trong bảng tỉnh (data/reference)")
    code = codes[meta.province]
    con.execute(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            meta.file_name, meta.sha256, meta.province, code, meta.fiscal_years, meta.kind, meta.issuer,
            meta.number, meta.issued_date, meta.issued_text, meta.title, meta.layout,
            len(result.budget_lines), datetime.now(),
        ],
    )
    for table, rows in _rows(result, code).items():
        if not rows:
            continue
        cols = TABLE_COLUMNS[table]
        arrow = pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in rows])
        con.register("_incoming", arrow)
        quoted = ", ".join(f'"{c}"' for c in cols)
        con.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM _incoming")
        con.unregister("_incoming")


def _set_meta(con: duckdb.DuckDBPyConnection, raw_dir: Path | None) -> None:
    values = {"schema_version": SCHEMA_VERSION, "built_at": datetime.now().isoformat(timespec="seconds")}
    if raw_dir is not None:
        values["raw_fingerprint"] = raw_fingerprint(raw_dir)
        values["raw_dir"] = str(raw_dir)
    for k, v in values.items():
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [k, v])


def _swap(tmp: Path, db_path: Path) -> None:
    wal = tmp.with_name(tmp.name + ".wal")
    if wal.exists():  # pragma: no cover - closed connections checkpoint their WAL
        wal.unlink()
    os.replace(tmp, db_path)


def _temp_path(db_path: Path) -> Path:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    os.unlink(name)
    return Path(name)


def build(raw_dir: Path = DEFAULT_RAW, db_path: Path = DEFAULT_DB, progress: Progress | None = None) -> LoadReport:
    """(Re)build the warehouse at ``db_path`` from every document in ``raw_dir``.

    All documents are parsed first; if any cannot be read a ``DocumentError`` (file and
    line) is raised and the existing warehouse is left untouched. Otherwise the new
    warehouse is written to a temporary file and swapped in atomically.
    ``progress(fraction, message)`` is called as documents are read.
    """
    raw_dir, db_path = Path(raw_dir), Path(db_path)
    manifest = read_manifest(raw_dir)
    files = list_documents(raw_dir)
    results: list[ParseResult] = []
    report = LoadReport()
    for i, path in enumerate(files):
        if progress:
            progress(i / max(len(files), 1) * 0.9, f"Đang đọc {path.name}")
        result = read_document(path, manifest.get(path.name))
        results.append(result)
        report.add(result)
    tmp = _temp_path(db_path)
    try:
        with duckdb.connect(str(tmp)) as con:
            _create(con)
            for result in results:
                _insert(con, result)
            _set_meta(con, raw_dir)
            con.execute("CHECKPOINT")
        _swap(tmp, db_path)
    finally:
        if tmp.exists():
            tmp.unlink()
    if progress:
        progress(1.0, "Đã xây dựng kho dữ liệu")
    return report


def loaded_hashes(db_path: Path) -> dict[str, str]:
    """``{sha256: document}`` of the documents already in the warehouse."""
    if not Path(db_path).exists():
        return {}
    with duckdb.connect(str(db_path), read_only=True) as con:
        return dict(con.execute("SELECT sha256, document FROM documents").fetchall())


def ingest(
    file: Path,
    db_path: Path = DEFAULT_DB,
    raw_dir: Path = DEFAULT_RAW,
    overrides: Overrides | None = None,
) -> LoadReport:
    """Add one document to the warehouse; the same content ingested twice adds nothing.

    The file is parsed first (``DocumentError`` on failure: nothing changes). It is then
    copied into ``raw_dir`` with its manifest row, so a later rebuild keeps it, and added to
    a copy of the warehouse that is swapped in atomically.
    """
    file, db_path, raw_dir = Path(file), Path(db_path), Path(raw_dir)
    overrides = overrides or Overrides()
    report = LoadReport()
    digest = sha256_of(file)
    known = loaded_hashes(db_path)
    if digest in known:
        report.skipped.append(f"{file.name} (đã có: {known[digest]})")
        return report
    manifest = read_manifest(raw_dir)
    entry = manifest.get(file.name)
    result = read_document(file, entry, overrides)
    if not db_path.exists():
        build(raw_dir, db_path)
        if digest in loaded_hashes(db_path):
            report.skipped.append(f"{file.name} (đã có trong {raw_dir})")
            return report
    if result.meta.file_name in loaded_hashes(db_path).values():
        raise DocumentError(file.name, "đã có một văn bản khác cùng tên trong kho; đổi tên tệp trước khi nạp")
    target = raw_dir / file.name
    copied = file.resolve() != target.resolve()
    manifest_path = raw_dir / "manifest.csv"
    manifest_before = manifest_path.read_bytes() if manifest_path.exists() else None
    tmp = _temp_path(db_path)
    try:
        if copied:
            raw_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
        write_manifest_entry(
            raw_dir,
            ManifestEntry(
                file=file.name,
                province=result.meta.province,
                fiscal_years=result.meta.fiscal_years,
                kind=result.meta.kind or "report",
                issuer=result.meta.issuer,
                number=result.meta.number,
                issued_date=result.meta.issued_date,
                title=result.meta.title,
            ),
        )
        shutil.copyfile(db_path, tmp)
        with duckdb.connect(str(tmp)) as con:
            _insert(con, result)
            _set_meta(con, raw_dir)
            con.execute("CHECKPOINT")
        _swap(tmp, db_path)
    except BaseException:
        # leave data/raw as it was too
        if copied and target.exists():
            target.unlink()
        if manifest_before is None:
            manifest_path.unlink(missing_ok=True)
        else:
            manifest_path.write_bytes(manifest_before)
        raise
    finally:
        if tmp.exists():
            tmp.unlink()
    report.add(result)
    return report
