"""A thin command line over ``warehouse.store``, ``warehouse.export``, ``warehouse.users`` and
``warehouse.audit``.

    python -m warehouse build  [--raw DIR …] [--db PATH] [--if-stale]
    python -m warehouse ingest FILE [--province NAME] [--year YYYY] [--kind KIND]   (FILE: .xlsx, .xls, .docx, .pdf, .txt)
                               [--allow-overlap] [--accept-mismatch] [--raw DIR …] [--db PATH]
    python -m warehouse paths          (where the data lives: the data directory, SKHCN_DATA)
    python -m warehouse export --out DIR [--db PATH]
    python -m warehouse publish --out DIR|s3://… [--db PATH]   (Parquet for read-only replicas)
    python -m warehouse template --kind budget|execution|indicators|actuals|tasks --out FILE.xlsx [--year YYYY]
    python -m warehouse template --kind bieu02|bieu03 --out FILE.xlsx [--year YYYY] [--period q1|q2|q3|q4|6t|9t|nam]
                               [--stage "ước thực hiện"|"thực hiện"] [--cumulative] [--amount-unit đồng|"triệu đồng"]
                               [--org-unit NAME]   (the public forms Biểu 02 / Biểu 03, read back as disclosures)
    python -m warehouse users  list | add LOGIN "Họ tên" ROLE | role LOGIN ROLE
                               | reset LOGIN | remove LOGIN
    python -m warehouse debug-table FILE [--table N] [--row CODE] [--json]
                               (why each table, row and cell was read so: loaders.explain)
    python -m warehouse audit verify   (recompute the audit log's hash chain; exit 1 if broken)
    python -m warehouse report --province P --year Y [--quarter Q] [--version KEY] --out FILE.docx|FILE.pdf
                               [--db PATH] [--no-charts]   (the meeting report: reports.content)

Each prints what it did; on a document it cannot read it prints ``file:line: message`` to
stderr, exits with status 1 and leaves the warehouse as it was. ``build`` also exits with
status 1 when it left a document out as a duplicate of an earlier one (both files named on
stderr; ``warehouse.duplicates``): the new warehouse holds the others. Writes wait for another
writer (``--wait`` seconds) and are logged in the audit table as ``shell:<user>``.

Paths (``loaders.paths``): without ``--raw`` the documents are the shipped ``data/raw``
(read-only) and ``<data dir>/uploads`` (where ``ingest`` copies), ``--db`` is
``<data dir>/warehouse.duckdb``; ``--raw`` may be given several times (read in that order; an
ingest writes into the last). Every command first moves what an earlier version wrote into the
checkout to the data directory (``warehouse.migrate``), saying so.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from loaders.vocab import DocumentKind
from loaders.documents import DocumentError, Overrides

from . import audit


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
    for o in report.overlaps:
        print(f"TRÙNG PHẠM VI {o}")


def _excluded(excluded: list[str]) -> int:
    """Say on stderr which documents of the folder the warehouse leaves out as duplicates
    (``"file: why"``, naming the document kept); the exit status: 1 when there is any."""
    for line in excluded:
        print(f"LỖI văn bản trùng, không đưa vào kho: {line}", file=sys.stderr)
    if excluded:
        print("Kho dữ liệu được xây dựng không có các văn bản trên (giữ văn bản đọc trước, theo thứ tự tên tệp). "
              "Gỡ bản trùng khỏi thư mục văn bản, hoặc nếu đúng là hai văn bản khác nhau cùng phạm vi thì ghi 'có' ở "
              "cột allow_overlap của manifest.csv, rồi xây dựng lại.", file=sys.stderr)
    return 1 if excluded else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m warehouse", description="Kho dữ liệu ngân sách Sở KH&CN")
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="xây dựng lại kho từ một thư mục văn bản")
    p_build.add_argument("--raw", type=Path, action="append",
                         help="thư mục văn bản (có thể nhiều lần; mặc định: data/raw và <thư mục dữ liệu>/uploads)")
    p_build.add_argument("--db", type=Path, help="tệp kho dữ liệu (mặc định <thư mục dữ liệu>/warehouse.duckdb)")
    p_build.add_argument("--wait", type=float, default=600.0, help="số giây chờ một lệnh ghi khác")
    p_build.add_argument("--if-stale", action="store_true",
                         help="chỉ xây dựng khi thư mục văn bản đã đổi (như bảng điều khiển khi khởi động)")
    p_ingest = sub.add_parser("ingest", help="nạp thêm một văn bản (.xlsx, .xls, .docx, .pdf, .txt)")
    p_ingest.add_argument("file", type=Path, help="văn bản: Excel (.xlsx, .xls 97–2003), Word (.docx), PDF (.pdf), văn bản (.txt)")
    p_ingest.add_argument("--province")
    p_ingest.add_argument("--year", type=int)
    p_ingest.add_argument("--kind", choices=list(DocumentKind.values()))
    p_ingest.add_argument("--profile", help="mẫu bố cục đã xác nhận (<thư mục dữ liệu>/layouts/TÊN.toml hoặc "
                               "data/profiles/layouts/TÊN.toml) cho các bảng của văn bản; "
                               "nhiều mẫu: a,b (mỗi mẫu cho bảng có tiêu đề của nó)")
    p_ingest.add_argument("--allow-overlap", action="store_true", help="nạp dù đã có văn bản cùng tỉnh, năm, giai đoạn")
    p_ingest.add_argument("--accept-mismatch", action="store_true", help="nạp dù tổng cộng in không khớp các dòng")
    p_ingest.add_argument("--raw", type=Path, action="append",
                          help="thư mục văn bản (nhiều lần: tệp được chép vào thư mục cuối; mặc định: "
                               "data/raw và <thư mục dữ liệu>/uploads)")
    p_ingest.add_argument("--db", type=Path)
    p_ingest.add_argument("--wait", type=float, default=600.0)
    p_export = sub.add_parser("export", help="xuất gói dữ liệu (Fiscal Data Package)")
    p_export.add_argument("--out", type=Path, required=True)
    p_export.add_argument("--db", type=Path)
    from loaders.families.templates import FORM_KINDS, KINDS
    from loaders.families.templates.forms import AMOUNT_UNITS, PERIODS, STAGES

    p_publish = sub.add_parser("publish", help="xuất kho dạng Parquet cho các bản sao chỉ đọc (SKHCN_PARQUET)")
    p_publish.add_argument("--out", required=True, help="thư mục hoặc s3://…")
    p_publish.add_argument("--db", type=Path)
    p_template = sub.add_parser("template", help="tạo mẫu Excel nhập liệu (điền rồi nạp như một văn bản)")
    p_template.add_argument("--kind", choices=[*KINDS, *FORM_KINDS], required=True,
                            help="mẫu nhập liệu, hoặc biểu công khai bieu02 (dự toán) / bieu03 (thực hiện dự toán)")
    p_template.add_argument("--out", type=Path, required=True)
    p_template.add_argument("--year", type=int, help="năm ghi sẵn trong mẫu (biểu công khai: năm của tiêu đề, mặc định năm nay)")
    p_template.add_argument("--period", choices=list(PERIODS), default="q1",
                            help="bieu03: kỳ báo cáo (quý, 6 tháng, 9 tháng, năm)")
    p_template.add_argument("--stage", choices=list(STAGES), default=STAGES[0], help="bieu03: ước thực hiện hay thực hiện")
    p_template.add_argument("--cumulative", action="store_true", help="bieu03: thêm cột lũy kế từ đầu năm và tỷ lệ của nó")
    p_template.add_argument("--amount-unit", choices=list(AMOUNT_UNITS), default="đồng", help="biểu công khai: đơn vị tính")
    p_template.add_argument("--org-unit", help="biểu công khai: tên đơn vị ghi sau 'Đơn vị:'")
    p_debug = sub.add_parser("debug-table", help="giải thích cách đọc bảng của một văn bản / explain how the "
                                                 "tables of a document were read")
    p_debug.add_argument("file", type=Path)
    p_debug.add_argument("--table", type=int, help="bảng thứ N (từ 1) / the N-th table (from 1)")
    p_debug.add_argument("--row", help="hàng có mã này (1, 2.1, -, IV) / the rows with this code")
    p_debug.add_argument("--json", action="store_true", help="xuất JSON / print JSON")
    p_users = sub.add_parser("users", help="quản lý tài khoản (tệp SKHCN_USERS, mặc định <thư mục dữ liệu>/users.yaml)")
    p_users.add_argument("action", choices=["list", "init", "add", "role", "reset", "remove"])
    p_users.add_argument("args", nargs="*")
    p_report = sub.add_parser("report", help="báo cáo họp (Word hoặc PDF) của một tỉnh, một năm")
    p_report.add_argument("--province", required=True)
    p_report.add_argument("--year", type=int, required=True)
    p_report.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="quý: thực hiện lũy kế và nhiệm vụ đến hết quý")
    p_report.add_argument("--version", help="phiên bản dự toán (mặc định: mới nhất)")
    p_report.add_argument("--out", type=Path, required=True, help="tệp .docx hoặc .pdf")
    p_report.add_argument("--db", type=Path)
    p_report.add_argument("--no-charts", action="store_true", help="không xuất biểu đồ thành ảnh")
    p_audit = sub.add_parser("audit", help="kiểm tra nhật ký ghi dữ liệu (chuỗi băm, chỉ ghi thêm)")
    p_audit.add_argument("action", choices=["verify"])
    sub.add_parser("paths", help="nơi lưu dữ liệu: thư mục dữ liệu (SKHCN_DATA), văn bản tải lên, kho, tài khoản")
    return parser


def _paths() -> int:
    """``paths``: where each kind of data lives now (for backups)."""
    from loaders import paths

    from .freshness import default_db, folders_of

    folders = folders_of(None)
    print(f"thư mục dữ liệu (SKHCN_DATA): {paths.data_dir()}")
    print(f"văn bản có sẵn (chỉ đọc): {folders[0]}")
    print(f"văn bản tải lên và danh mục: {folders[-1]}")
    print(f"kho dữ liệu: {default_db()}")
    print(f"số liệu nhập tay, nhật ký: {paths.entries_path()}")
    print(f"tài khoản: {paths.users_path()}")
    print(f"mẫu bố cục đã lưu: {paths.layouts_dir()}")
    return 0


def _audit(args) -> int:
    """``audit verify``: print what ``audit.verify`` found; 0 when the chain holds and the
    append-only triggers were in place, 1 otherwise."""
    import sqlite3

    try:
        verdict = audit.verify()
    except (sqlite3.Error, OSError) as exc:
        print(f"LỖI không đọc được nhật ký: {exc}", file=sys.stderr)
        return 1
    for name in verdict.missing_triggers:
        print(f"THIẾU TRIGGER {name} (nhật ký đã có thể bị sửa; đã tạo lại)")
    for row_id in verdict.broken:
        print(f"CHUỖI BĂM SAI ở dòng id={row_id} (dòng này đã bị sửa, hoặc dòng ngay trước nó đã bị xoá)")
    print(f"{verdict.rows} dòng nhật ký; băm cuối: {verdict.head}")
    print("Nhật ký toàn vẹn." if verdict.ok else "Nhật ký KHÔNG toàn vẹn.")
    return 0 if verdict.ok else 1


def _users(args) -> int:
    from . import users

    who = audit.Actor(f"shell:{getpass.getuser()}", "admin")
    a = args.args
    try:
        if args.action == "list":
            for u in users.list_users():
                print(f"{u['username']}\t{u['role']}\t{u['name']}" + ("\t(phải đổi mật khẩu)" if u["must_change"] else ""))
            return 0
        if args.action == "init":
            pw = users.ensure()
            if not pw:
                print(f"Đã có tệp tài khoản {users.users_path()}")
                return 0
            print(f"Đã tạo {users.users_path()}: tài khoản quản trị 'admin', mật khẩu một lần: {pw} "
                  "(đổi khi đăng nhập lần đầu)")
        elif args.action == "add" and len(a) == 3:
            pw = users.add_user(a[0], a[1], a[2])
            print(f"Đã thêm {a[0]} ({a[2]}); mật khẩu một lần: {pw}")
        elif args.action == "role" and len(a) == 2:
            users.set_role(a[0], a[1])
            print(f"{a[0]}: {a[1]}")
        elif args.action == "reset" and len(a) == 1:
            print(f"Mật khẩu một lần mới của {a[0]}: {users.reset_password(a[0])}")
        elif args.action == "remove" and len(a) == 1:
            users.remove_user(a[0])
            print(f"Đã xoá {a[0]}")
        else:
            print("Cách dùng: users list | init | add LOGIN \"Họ tên\" ROLE | role LOGIN ROLE | reset LOGIN | remove LOGIN",
                  file=sys.stderr)
            return 2
    except users.UserError as exc:
        print(f"LỖI {exc}", file=sys.stderr)
        return 1
    audit.record(who, "users", target=" ".join([args.action, *a[:1]]), detail=" ".join(a[1:2]) or None)
    return 0


def _debug_table(args) -> int:
    """``debug-table``: print ``loaders.explain.explain_document`` of a file (text or JSON)."""
    import json

    from loaders.explain import explain_document
    from loaders.tables.debug import format_tables, to_dict

    try:
        tables = explain_document(args.file)
        if args.json:
            print(json.dumps(to_dict(tables), ensure_ascii=False, indent=1))
        else:
            print(format_tables(tables, table=args.table, row=args.row))
    except DocumentError as exc:
        print(f"LỖI {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # a table or row not found
        print(f"LỖI {exc}", file=sys.stderr)
        return 2
    return 0


def _meeting_report(args) -> int:
    """``report``: write the meeting report of a province-year as .docx or .pdf (by the
    suffix of ``--out``); 0 when written, 1 when the warehouse is missing, holds nothing
    for the province and year, or the file cannot be written, 2 for another suffix or an
    unknown version. A chart that cannot be exported is a warning on stderr and a note in
    the file, never a failure."""
    suffix = args.out.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        print(f"LỖI --out phải là tệp .docx hoặc .pdf, không phải {args.out.name}", file=sys.stderr)
        return 2
    if not args.db.is_file():
        print(f"LỖI chưa có kho dữ liệu {args.db}: chạy 'python -m warehouse build' trước", file=sys.stderr)
        return 1
    from charts.format import vnd
    from reports.content import build_report
    from reports.docx import to_docx
    from reports.pdf import FontMissing, to_pdf

    from .entries import entries_path
    from .queries import Warehouse

    try:
        report = build_report(Warehouse(args.db), args.province, args.year, args.quarter, args.version,
                              entries_path(), charts=not args.no_charts)
        data = to_docx(report) if suffix == ".docx" else to_pdf(report)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(data)
    except LookupError as exc:  # KeyError (an unknown version) is a LookupError too
        print(f"LỖI {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2 if isinstance(exc, KeyError) else 1
    except FontMissing as exc:
        print(f"LỖI {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"LỖI không ghi được {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for w in report.warnings:
        print(f"CẢNH BÁO {w}", file=sys.stderr)
    print(f"{len(report.findings)} nhận định; " + "; ".join(f"{k}: {vnd(v)}" for k, v in report.totals.items()))
    print(f"đã ghi: {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 refused or unreadable, 2 usage)."""
    args = _parser().parse_args(argv)
    if args.command == "paths":
        return _paths()
    if args.command not in ("template", "debug-table"):  # those write nothing of the department's
        from .migrate import migrate_if_enabled

        try:
            migrate_if_enabled(audit.Actor(f"shell:{getpass.getuser()}"))
        except (OSError, DocumentError) as exc:
            print(f"CẢNH BÁO: không chuyển được dữ liệu cũ sang thư mục dữ liệu: {exc}", file=sys.stderr)
    if args.command in ("build", "ingest"):
        from .freshness import default_db, folders_of

        args.raw, args.db = folders_of(args.raw), default_db(args.db)
    elif args.command in ("export", "publish", "report"):
        from .freshness import default_db

        args.db = default_db(args.db)
    if args.command == "report":
        return _meeting_report(args)
    if args.command == "users":
        return _users(args)
    if args.command == "audit":
        return _audit(args)
    if args.command == "debug-table":
        return _debug_table(args)
    if args.command == "template":
        from datetime import date

        from loaders.families.templates import FORM_KINDS, write_form, write_template

        try:
            if args.kind in FORM_KINDS:
                out = write_form(args.kind, args.out, args.year or date.today().year, period=args.period, stage=args.stage,
                                 cumulative=args.cumulative, amount_unit=args.amount_unit, org_unit=args.org_unit)
            else:
                out = write_template(args.kind, args.out, year=args.year)
            print(f"đã tạo mẫu {args.kind}: {out}")
        except ValueError as exc:
            print(f"LỖI {exc}", file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"LỖI không ghi được {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        return 0

    from . import store

    actor = audit.Actor(f"shell:{getpass.getuser()}", "editor")
    try:
        if args.command == "build" and args.if_stale:
            # The dashboard's automatic build, run before the server starts (scripts/start.sh):
            # same actor and failure memory as ui.state.ensure_warehouse, which stays the fallback.
            state = store.auto_build_state(args.raw, args.db)
            if state != "stale":
                print(f"kho dữ liệu: {args.db} ({'đã cập nhật' if state == 'fresh' else 'lần xây dựng trước lỗi, thư mục chưa đổi'})")
                return _excluded(store.excluded_documents(args.db)) if state == "fresh" else 0
            report = store.build(args.raw, args.db, actor=audit.Actor(audit.SYSTEM), wait=args.wait,
                                 remember_failure=True, action="build")
            _report(report, "đã đọc")
            print(f"kho dữ liệu: {args.db}")
            return _excluded(report.excluded)
        elif args.command == "build":
            report = store.build(args.raw, args.db, actor=actor, wait=args.wait)
            _report(report, "đã đọc")
            print(f"kho dữ liệu: {args.db}")
            return _excluded(report.excluded)
        elif args.command == "ingest":
            report = store.ingest(
                args.file, args.db, args.raw, Overrides(args.province, args.year, args.kind, args.profile), actor=actor,
                allow_overlap=args.allow_overlap, accept_mismatch=args.accept_mismatch, wait=args.wait,
            )
            _report(report, "đã nạp")
        elif args.command == "publish":
            from .publish import publish

            manifest = publish(args.db, args.out)
            for name, n in manifest["tables"].items():
                print(f"{name}: {n} dòng")
            print(f"đã xuất bản {manifest['build_id']} vào {args.out}")
        elif args.command == "export":
            from .export import export_package
            from .queries import Warehouse

            if not args.db.is_file():
                raise DocumentError(str(args.db), "chưa có kho dữ liệu: chạy 'python -m warehouse build' trước")
            counts = export_package(Warehouse(args.db), args.out)
            for name, n in counts.items():
                print(f"{args.out / (name + '.csv')}: {n} dòng")
            print(f"{args.out / 'datapackage.json'}")
    except DocumentError as exc:
        print(f"LỖI {exc}", file=sys.stderr)
        print("Kho dữ liệu giữ nguyên như trước.", file=sys.stderr)
        return 1
    except store.LockBusy as exc:
        print(f"LỖI {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"LỖI không ghi được: {exc}", file=sys.stderr)
        return 1
    return 0
