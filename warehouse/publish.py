"""Publish the warehouse as Parquet files that any number of read-only app replicas open
through DuckDB (``SKHCN_PARQUET=DIR`` or ``s3://bucket/prefix``; see docs/PERFORMANCE.md).

    python -m warehouse publish --out /srv/skhcn/published [--db <data dir>/warehouse.duckdb]

Layout of ``out``::

    manifest.json              {"build_id", "built_at", "schema_version", "tables": {name: rows}}
    <build_id>/<table>.parquet one file per table (DuckDB ``COPY … (FORMAT parquet)``)

A publication writes a new ``<build_id>/`` folder first and replaces ``manifest.json`` last
(an atomic rename on a local folder, a single PUT on object storage), so a replica reading
during a publication sees the previous complete set or the new one, never a mix. The two
newest folders are kept (a replica may still be reading the previous one), older ones are
removed (local folders only).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from loaders.documents import DocumentError

from .freshness import read_current

TABLES = ("meta", "provinces", "documents", "budget_lines", "totals", "parse_issues", "indicators",
          "indicator_actuals", "tasks", "ratio_checks", "budget_versions", "excluded_documents")
MANIFEST = "manifest.json"
KEEP = 2  # publications kept in a local folder


def is_remote(location: str | Path) -> bool:
    """True for object storage (``s3://``, ``gs://``, ``https://``…), read through DuckDB's
    httpfs extension."""
    return "://" in str(location)


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def publish(db: Path, out: str | Path) -> dict:
    """Write every table of the warehouse ``db`` as Parquet under ``out`` and return the
    manifest written (``build_id``: the first 16 hex digits of the SHA-256 of the
    warehouse's build time and row counts, ``tables``: rows per table).

    ``out`` is a local folder or an object-storage URL (DuckDB's httpfs, credentials from
    the environment as DuckDB reads them). Raises ``DocumentError`` when ``db`` is missing
    or unreadable, ``OSError`` / ``duckdb.Error`` when ``out`` cannot be written."""
    db = Path(db)
    if not db.is_file():
        raise DocumentError(str(db), "chưa có kho dữ liệu: chạy 'python -m warehouse build' trước")
    try:
        with read_current(db) as con:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
            build_id = hashlib.sha256(json.dumps([meta.get("built_at"), counts], sort_keys=True).encode()).hexdigest()[:16]
            remote = is_remote(out)
            base = str(out).rstrip("/")
            if remote:
                con.execute("INSTALL httpfs")
                con.execute("LOAD httpfs")
                folder = f"{base}/{build_id}"
            else:
                Path(base).mkdir(parents=True, exist_ok=True)
                folder = str(Path(base) / build_id)
                Path(folder).mkdir(exist_ok=True)
            for t in TABLES:
                con.execute(f"COPY {t} TO {_quote(f'{folder}/{t}.parquet')} (FORMAT parquet, COMPRESSION zstd)")
            manifest = {"build_id": build_id, "built_at": meta.get("built_at"),
                        "schema_version": meta.get("schema_version"), "tables": counts}
            text = json.dumps(manifest, ensure_ascii=False, indent=2)
            if remote:
                # one object, written last: COPY of a one-row JSON text
                con.execute(f"COPY (SELECT {_quote(text)} AS manifest) TO {_quote(base + '/' + MANIFEST)} "
                            "(FORMAT csv, HEADER false, QUOTE '', ESCAPE '')")
    except duckdb.Error as exc:
        raise DocumentError(str(db), f"không xuất được Parquet: {exc}") from exc
    if not remote:
        fd, tmp = tempfile.mkstemp(dir=base, prefix=".manifest-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, Path(base) / MANIFEST)
        _prune(Path(base), build_id)
    return manifest


def _prune(base: Path, current: str) -> None:
    """Remove all but the ``KEEP`` newest publication folders (never ``current``)."""
    folders = sorted((p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[KEEP:]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)


def read_manifest(location: str | Path, con: duckdb.DuckDBPyConnection | None = None) -> dict:
    """The manifest of a publication (local folder, or URL read through ``con`` with
    httpfs loaded). Raises ``FileNotFoundError`` when there is none."""
    if not is_remote(location):
        path = Path(location) / MANIFEST
        return json.loads(path.read_text(encoding="utf-8"))
    if con is None:
        raise ValueError("a DuckDB connection with httpfs is needed for a remote manifest")
    try:
        text = con.execute("SELECT content FROM read_text(?)", [f"{str(location).rstrip('/')}/{MANIFEST}"]).fetchone()[0]
    except duckdb.Error as exc:
        raise FileNotFoundError(f"{location}/{MANIFEST}") from exc
    return json.loads(text)


def attach(con: duckdb.DuckDBPyConnection, location: str | Path, manifest: dict) -> None:
    """Create on ``con`` one view per published table over its Parquet file, so the
    queries of ``warehouse.queries`` run unchanged."""
    base = str(location).rstrip("/")
    for t in manifest["tables"]:
        path = f"{base}/{manifest['build_id']}/{t}.parquet"
        con.execute(f'CREATE OR REPLACE VIEW "{t}" AS SELECT * FROM read_parquet({_quote(path)})')
