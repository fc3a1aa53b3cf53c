"""A thin command line over ``warehouse.store`` and ``warehouse.export``.

    python -m loaders build  [--raw DIR] [--db PATH]
    python -m loaders ingest FILE [--province NAME] [--year YYYY] [--kind KIND] [--raw DIR] [--db PATH]
    python -m loaders export --out DIR [--db PATH]

Each prints what it did; on a document it cannot read it prints ``file:line: message`` to
stderr, exits with status 1 and leaves the warehouse as it was.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .documents import DocumentError, Overrides


def _report(report, verb: str) -> None:
    for name in report.documents:
        print(f"{verb}: {name}")
    for name in report.skipped:
        print(f"bỏ qua (đã nạp): {name}")
    print(
        f"{len(report.documents)} văn bản, {report.budget_lines} dòng ngân sách, "
        f"{report.indicators} chỉ tiêu, {report.actuals} số liệu thực hiện, {report.tasks} nhiệm vụ; "
        f"{report.totals_checked} tổng cộng đã đối chiếu, {len(report.mismatches)} không khớp; "
        f"{report.warnings} cảnh báo khi đọc"
    )
    for m in report.mismatches:
        print(f"KHÔNG KHỚP {m}")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 unreadable document)."""
    from warehouse.store import DEFAULT_DB, DEFAULT_RAW

    parser = argparse.ArgumentParser(prog="python -m loaders", description="Kho dữ liệu ngân sách Sở KH&CN")
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="xây dựng lại kho từ một thư mục văn bản")
    p_build.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    p_build.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_ingest = sub.add_parser("ingest", help="nạp thêm một văn bản")
    p_ingest.add_argument("file", type=Path)
    p_ingest.add_argument("--province")
    p_ingest.add_argument("--year", type=int)
    p_ingest.add_argument("--kind", choices=["budget_appendices", "plan", "report"])
    p_ingest.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    p_ingest.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_export = sub.add_parser("export", help="xuất gói dữ liệu (Fiscal Data Package)")
    p_export.add_argument("--out", type=Path, required=True)
    p_export.add_argument("--db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args(argv)

    from warehouse import store

    try:
        if args.command == "build":
            report = store.build(args.raw, args.db)
            _report(report, "đã đọc")
            print(f"kho dữ liệu: {args.db}")
        elif args.command == "ingest":
            if not args.file.exists():
                raise DocumentError(str(args.file), "không tìm thấy tệp")
            report = store.ingest(args.file, args.db, args.raw, Overrides(args.province, args.year, args.kind))
            _report(report, "đã nạp")
        elif args.command == "export":
            from warehouse.export import export_package
            from warehouse.queries import Warehouse

            if not args.db.exists():
                raise DocumentError(str(args.db), "chưa có kho dữ liệu: chạy 'python -m loaders build' trước")
            counts = export_package(Warehouse(args.db), args.out)
            for name, n in counts.items():
                print(f"{args.out / (name + '.csv')}: {n} dòng")
            print(f"{args.out / 'datapackage.json'}")
    except DocumentError as exc:
        print(f"LỖI {exc}", file=sys.stderr)
        print("Kho dữ liệu giữ nguyên như trước.", file=sys.stderr)
        return 1
    return 0
