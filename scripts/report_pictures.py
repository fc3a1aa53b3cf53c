"""Pictures of the meeting report's PDF pages for docs/report/ (issue 16).

    .venv/bin/python scripts/report_pictures.py [--province "Điện Biên"] [--year 2024] [--quarter Q]
                                                [--db <data dir>/warehouse.duckdb] [--out docs/report] [--dpi 60]

Writes the report as PDF (``reports.content`` + ``reports.pdf``, with its charts: needs
/usr/bin/chromium) to ``OUT/bao-cao-hop_<province>_<year>.pdf`` in a temporary folder, then
one PNG per page with poppler's ``pdftoppm`` (Debian ``poppler-utils``) into ``OUT`` as
``trang-1.png``, ``trang-2.png`` … The warehouse must exist (``python -m warehouse build``).
The date printed is today's, or ``SKHCN_TODAY`` (ISO).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--province", default="Điện Biên")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
    parser.add_argument("--db", type=Path, help="default: the data directory's warehouse (SKHCN_DATA)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: apt-get install poppler-utils", file=sys.stderr)
        return 1
    from reports.content import build_report
    from reports.pdf import to_pdf
    from warehouse.freshness import default_db
    from warehouse.queries import Warehouse

    today = date.fromisoformat(os.environ["SKHCN_TODAY"]) if os.environ.get("SKHCN_TODAY") else date.today()
    report = build_report(Warehouse(default_db(args.db)), args.province, args.year, args.quarter, today=today)
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("trang-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        pdf.write_bytes(to_pdf(report))
        subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(args.out / "trang")], check=True)
    pages = sorted(args.out.glob("trang-*.png"))
    for p in pages:  # pdftoppm pads the page number to the count's width: trang-1.png … trang-9.png
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
