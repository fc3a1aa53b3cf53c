"""Benchmark: build a warehouse of synthetic budget appendices at ministry scale and time
the page queries. Prints its figures; asserts nothing about time.

    .venv/bin/python scripts/benchmark.py                 # 34 provinces × 7 years, ~100k lines
    .venv/bin/python scripts/benchmark.py --lines 1000000 # ~1 million budget lines

The documents use the layout of ``data/raw/000_…`` (Phụ lục, TT header, Roman sections,
numbered items, TỔNG CỘNG), so the real parser, reconciliation and write path are measured.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warehouse import store  # noqa: E402
from warehouse.queries import BudgetFilter, Warehouse  # noqa: E402

QUARTERS = ["Quý I", "Quý II", "Quý III", "Qúy IV", "Quý I, II", "Quý II, III", "Năm {year}"]
SOURCES = ["Nguồn SNKH", "Nguồn QLNN", "", "Nguồn thu phí"]


def vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def document(year: int, lines: int, rng: random.Random) -> str:
    out: list[str] = []
    per_appendix = 500
    n_app = max(1, lines // per_appendix)
    for a in range(1, n_app + 1):
        out += [f"Phụ lục {a}", "", f"(Kèm theo Kế hoạch số {a}/KH-SKHCN ngày 10 tháng 1 năm {year} của Sở)", "",
                "Đơn vị tính: Đồng", "", "TT Nội dung thực hiện Thời gian thực hiện Dự toán kinh phí Ghi chú", ""]
        total = 0
        for s in range(1, 6):
            roman = ["I", "II", "III", "IV", "V"][s - 1]
            items = [rng.randrange(1, 500) * 1_000_000 for _ in range(per_appendix // 5 - 1)]
            out += [f"{roman} Mục {s} {vn(sum(items))} {SOURCES[s % 2]}", ""]
            for i, amount in enumerate(items, start=1):
                q = rng.choice(QUARTERS).format(year=year)
                out += [f"{s}.{i} Nhiệm vụ {s}.{i} {q} {vn(amount)} {rng.choice(SOURCES)}".rstrip(), ""]
            total += sum(items)
        out += [f"TỔNG CỘNG {vn(total)}", "", f"Phòng/đơn vị: Đơn vị {a}", ""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000, help="budget lines in all (about)")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--years", type=int, default=7)
    args = parser.parse_args()

    with (ROOT / "data" / "reference" / "provinces_2020_2025.csv").open(encoding="utf-8") as fh:
        names = sorted({row["successor_2025"] for row in csv.DictReader(fh)})[: args.provinces]
    per_doc = max(500, args.lines // (len(names) * args.years))
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        t0 = time.perf_counter()
        with (raw / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["file", "province", "fiscal_years", "kind"])
            for p, name in enumerate(names):
                for year in range(2020, 2020 + args.years):
                    f = f"p{p:02d}_{year}.txt"
                    (raw / f).write_text(document(year, per_doc, rng), encoding="utf-8")
                    w.writerow([f, name, year, "budget_appendices"])
        print(f"generated {len(names) * args.years} documents in {time.perf_counter() - t0:.1f} s")
        db = Path(tmp) / "w.duckdb"
        t0 = time.perf_counter()
        report = store.build(raw, db)
        print(f"build: {report.budget_lines:,} budget lines, {report.totals_checked:,} totals "
              f"({len(report.mismatches)} mismatches) in {time.perf_counter() - t0:.1f} s; "
              f"warehouse {db.stat().st_size / 1e6:.1f} MB")
        wh = Warehouse(db)
        f = BudgetFilter(names[0], 2024)
        for label, fn in [
            ("total (one province-year)", lambda: wh.total(f)),
            ("by source", lambda: wh.totals_by(f, "funding_source")),
            ("by quarter, spread", lambda: wh.by_quarter(f, True)),
            ("by unit", lambda: wh.totals_by(f, "unit")),
            ("lines table", lambda: wh.lines(f)),
            ("all provinces × years", lambda: wh.budget_by_province_year(names)),
            ("reconciliation", lambda: wh.reconciliation(names[0], 2024)),
        ]:
            t0 = time.perf_counter()
            for _ in range(5):
                fn()
            print(f"query {label}: {(time.perf_counter() - t0) / 5 * 1000:.1f} ms")


if __name__ == "__main__":
    main()
