"""Seeded synthetic budget appendices at national scale, and their warehouse (cached).

The documents use the layout of ``data/raw/000_…`` (Phụ lục, TT header, Roman sections with
their subtotal, numbered items with a quarter and a funding source, TỔNG CỘNG, the unit), so
the real parser, reconciliation and write path (``warehouse.store.build``) are measured. One
document per province and fiscal year (34 provinces after the 2025 merger × 2020–2026), each
with its own number (the write path refuses two documents with the same number).

A warehouse is built once per (lines, seed) into ``cache_dir`` (default
``$SKHCN_BENCH_CACHE`` or ``/tmp/skhcn-bench``), never into the repository; a later run
reuses it while its documents folder is unchanged.
"""
from __future__ import annotations

import csv
import os
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVINCES_CSV = ROOT / "data" / "reference" / "provinces_2020_2025.csv"
QUARTERS = ["Quý I", "Quý II", "Quý III", "Qúy IV", "Quý I, II", "Quý II, III", "Năm {year}"]
SOURCES = ["Nguồn SNKH", "Nguồn QLNN", "", "Nguồn thu phí"]
PER_APPENDIX = 500  # lines of one appendix (5 sections of 99 items and their subtotal)
YEARS = range(2020, 2027)


def vn(n: int) -> str:
    """11523500000 → "11.523.500.000" (the documents' thousands separator)."""
    return f"{n:,}".replace(",", ".")


def document(year: int, lines: int, rng: random.Random, serial: int = 1) -> str:
    """The text of one plan with budget appendices of about ``lines`` budget lines (appendices
    of at most 500 lines, at least 10) for ``year``; ``serial`` makes its number
    ("{serial}/KH-SKHCN")."""
    out: list[str] = []
    size = max(10, min(PER_APPENDIX, lines))
    n_app = max(1, lines // size)
    for a in range(1, n_app + 1):
        out += [f"Phụ lục {a}", "", f"(Kèm theo Kế hoạch số {serial}/KH-SKHCN ngày 10 tháng 1 năm {year} của Sở)", "",
                "Đơn vị tính: Đồng", "", "TT Nội dung thực hiện Thời gian thực hiện Dự toán kinh phí Ghi chú", ""]
        total = 0
        for s in range(1, 6):
            roman = ["I", "II", "III", "IV", "V"][s - 1]
            items = [rng.randrange(1, 500) * 1_000_000 for _ in range(max(1, size // 5 - 1))]
            out += [f"{roman} Mục {s} {vn(sum(items))} {SOURCES[s % 2]}", ""]
            for i, amount in enumerate(items, start=1):
                q = rng.choice(QUARTERS).format(year=year)
                out += [f"{s}.{i} Nhiệm vụ {s}.{i} {q} {vn(amount)} {rng.choice(SOURCES)}".rstrip(), ""]
            total += sum(items)
        out += [f"TỔNG CỘNG {vn(total)}", "", f"Phòng/đơn vị: Đơn vị {a}", ""]
    return "\n".join(out)


def province_names(n: int = 34) -> list[str]:
    """The first ``n`` provinces after the 2025 merger (34 in all), alphabetical."""
    with PROVINCES_CSV.open(encoding="utf-8") as fh:
        return sorted({row["successor_2025"] for row in csv.DictReader(fh)})[:n]


def write_corpus(raw: Path, lines: int, provinces: int = 34, years: int = 7, seed: int = 7) -> int:
    """Write one document per province and year (about ``lines`` budget lines in all) and
    their manifest into ``raw``; returns the number of documents."""
    raw.mkdir(parents=True, exist_ok=True)
    names = province_names(provinces)
    per_doc = max(10, lines // (len(names) * years))
    rng = random.Random(seed)
    n = 0
    with (raw / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "province", "fiscal_years", "kind"])
        for p, name in enumerate(names):
            for year in list(YEARS)[:years]:
                n += 1
                f = f"p{p:02d}_{year}.txt"
                (raw / f).write_text(document(year, per_doc, rng, serial=n), encoding="utf-8")
                w.writerow([f, name, year, "budget_appendices"])
    return n


@dataclass
class Built:
    """A benchmark warehouse: its documents folder, file, size and how long it took."""

    raw: Path
    db: Path
    documents: int
    budget_lines: int
    build_s: float | None  # None when reused from the cache
    generate_s: float | None

    @property
    def lines_per_s(self) -> float | None:
        return self.budget_lines / self.build_s if self.build_s else None


def _counts(db: Path) -> tuple[int, int]:
    """(documents, budget lines) of the warehouse ``db``."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM budget_lines)").fetchone()
    finally:
        con.close()


def cache_root() -> Path:
    return Path(os.environ.get("SKHCN_BENCH_CACHE", "/tmp/skhcn-bench"))


def build(lines: int, seed: int = 7, cache_dir: Path | None = None, fresh: bool = False,
          provinces: int = 34, years: int = 7) -> Built:
    """The warehouse of the synthetic corpus of ``lines`` lines, built with the real write path
    (``warehouse.store.build``) unless a cached one of the same corpus exists (``fresh``
    rebuilds it). Raises whatever the build raises (``DocumentError`` …)."""
    from warehouse import store
    from warehouse.freshness import needs_build

    folder = (cache_dir or cache_root()) / f"lines{lines}-seed{seed}-p{provinces}y{years}"
    raw, db = folder / "raw", folder / "warehouse.duckdb"
    gen_s = build_s = None
    if fresh or not db.exists() or needs_build(raw, db):
        if folder.exists():
            shutil.rmtree(folder)
        t0 = time.perf_counter()
        write_corpus(raw, lines, provinces, years, seed)
        gen_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        store.build(raw, db)
        build_s = time.perf_counter() - t0
    return Built(raw, db, *_counts(db), build_s, gen_s)


def replicate(base: Built, lines: int, cache_dir: Path | None = None, fresh: bool = False) -> Built:
    """A warehouse of about ``lines`` budget lines made from ``base`` (built by the real write
    path) by copying each of its documents ``k`` times with DuckDB: every copy gets its own
    document name (``p00_2020.txt#2``), sha256 and number, its lines their unit spread over
    eight units (names no vocabulary knows: no kind), its totals the same printed and computed amounts, so every figure still
    reconciles. The copies are not in the documents folder (a click on "dòng gốc" of a copy
    finds no file); the folder's fingerprint stays that of ``base``, so the app does not
    rebuild. Used where a real build of ``lines`` would take too long (the read path is what
    is measured)."""
    import duckdb

    k = max(1, -(-lines // max(1, base.budget_lines)))
    folder = (cache_dir or cache_root()) / f"{base.db.parent.name}-x{k}"
    db = folder / "warehouse.duckdb"
    build_s = None
    if fresh or not db.exists() or db.stat().st_mtime < base.db.stat().st_mtime:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "warehouse.tmp.duckdb"
        tmp.unlink(missing_ok=True)
        shutil.copyfile(base.db, tmp)
        t0 = time.perf_counter()
        con = duckdb.connect(str(tmp))
        try:
            con.execute("SET enable_progress_bar = false")
            con.execute("CREATE TEMP TABLE copies AS SELECT range AS c FROM range(2, ?)", [k + 1])
            con.execute("""INSERT INTO documents SELECT d.* REPLACE (document || '#' || c AS document,
                               sha256 || '#' || c AS sha256, content_key || '#' || c AS content_key,
                               number || '#' || c AS number) FROM documents d, copies""")
            cols = ", ".join(f'"{c}"' for c in con.execute("SELECT * FROM budget_lines LIMIT 0").df().columns)
            con.execute(f"""INSERT INTO budget_lines ({cols}) SELECT {cols} FROM (
                               SELECT b.* REPLACE (document || '#' || c AS document,
                                      CASE WHEN unit IS NULL THEN NULL ELSE 'Đơn vị ' || (c % 8 + 1) END AS unit,
                                      NULL AS unit_kind)
                               FROM budget_lines b, copies) ORDER BY document, source_line""")
            for table in ("totals", "parse_issues", "tasks", "indicators", "indicator_actuals"):
                con.execute(f"INSERT INTO {table} SELECT t.* REPLACE (document || '#' || c AS document) "
                            f"FROM {table} t, copies")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        tmp.replace(db)
        build_s = time.perf_counter() - t0
    return Built(base.raw, db, *_counts(db), build_s, None)
