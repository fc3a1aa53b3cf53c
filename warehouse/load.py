"""Writing parsed documents into a DuckDB file (used only by ``warehouse.store``, which
decides *when* and under the write lock).

Rows are checked before anything is inserted, so a document that would break a key or a
column type is refused with its file and line instead of a database traceback.
"""
from __future__ import annotations

import csv
from decimal import Decimal
import re
import dataclasses
import functools
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from loaders.text.catalogue import default_field_rules, field_of_line
from loaders.documents import DocumentError
from loaders.model import ParseResult

from .schema import DDL, SCHEMA_VERSION, TABLE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
PROVINCES_CSV = ROOT / "data" / "reference" / "provinces_2020_2025.csv"
MAX_AMOUNT_VND = 10**15  # 1 triệu tỷ đồng: above any provincial budget, far below BIGINT
KEYS = {"budget_lines": "line_id", "indicators": "indicator_id", "indicator_actuals": "actual_id", "tasks": "task_id"}
AMOUNTS = {"budget_lines": ["amount_vnd"], "totals": ["printed_amount_vnd", "words_amount_vnd", "computed_amount_vnd"],
           "tasks": ["budget_vnd"], "budget_versions": ["before_vnd", "after_vnd", "increase_vnd", "decrease_vnd",
                                                        "net_change_vnd"]}
LINE_OF = {"parse_issues": "line"}


@functools.cache
def province_codes() -> dict[str, str]:
    """Province name → GSO code, for the 63 units of 2020–6/2025 and the 34 units from
    1/7/2025 (a successor keeps the code of the province hosting its seat; see
    data/reference). A pre-2025 name wins where both lists share it."""
    with PROVINCES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    codes = {row["successor_2025"]: row["successor_code_gso"] for row in rows}
    codes.update({row["name"]: row["code_gso"] for row in rows})
    return codes


def create(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schema and fill the province table."""
    con.execute(DDL)
    con.execute(
        "INSERT INTO provinces SELECT code_gso, name, name_ascii, region, "
        "TRY_CAST(population_2023 AS BIGINT), successor_2025, successor_code_gso "
        "FROM read_csv(?, all_varchar = true, header = true)",
        [str(PROVINCES_CSV)],
    )


_RECORDS = {"budget_lines": "budget_lines", "totals": "totals", "parse_issues": "issues", "indicators": "indicators",
            "indicator_actuals": "actuals", "tasks": "tasks", "ratio_checks": "ratios",
            "budget_versions": "versions"}  # table -> ParseResult attribute


@functools.cache
def _fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


def columns_of(result: ParseResult, province_code: str | None) -> dict[str, dict[str, list]]:
    """The columns of each fact table for one document: ``{table: {column: values}}`` with
    the ``TABLE_COLUMNS`` of each table, one value per record of ``result`` (records' own
    attributes; ``document``, ``province``, ``province_code``, the budget line's ``field`` and ``kind``
    and an actual's missing ``fiscal_year`` (year of ``period_end``) added). Values are
    shared with the records, not copied."""
    n_lines = len(result.budget_lines)
    base = {"document": result.meta.file_name, "province": result.meta.province}
    rules = default_field_rules()
    descriptions = {bl.line_id: bl.description for bl in result.budget_lines}
    task_kinds = {t.task_id: t.kind for t in result.tasks}
    computed: dict[str, dict[str, list]] = {
        "budget_lines": {
            "province_code": [province_code] * n_lines,
            # what the figure is (warehouse.queries.KINDS): a line of a budget table, the budget of a
            # task, the envelope of a project — stored so a page's sums by kind are one GROUP BY
            "kind": ["budget" if bl.task_id is None else "project" if task_kinds.get(bl.task_id) == "project" else "task"
                     for bl in result.budget_lines],
            "quarters": [list(bl.quarters) for bl in result.budget_lines],
            "field": [field_of_line(bl, rules, parent_description=descriptions.get(bl.parent_id))
                      for bl in result.budget_lines],
        },
        "indicator_actuals": {
            "fiscal_year": [a.fiscal_year or (a.period_end.year if a.period_end else None) for a in result.actuals],
        },
    }
    out: dict[str, dict[str, list]] = {}
    for table, attr in _RECORDS.items():
        records = getattr(result, attr)
        names = _fields(type(records[0])) if records else frozenset()
        extra = computed.get(table, {})
        cols: dict[str, list] = {}
        for c in TABLE_COLUMNS[table]:
            if c in extra:
                cols[c] = extra[c]
            elif c in base:
                cols[c] = [base[c]] * len(records)
            elif c in names:
                cols[c] = [getattr(r, c) for r in records]
            else:
                cols[c] = [None] * len(records)
        out[table] = cols
    return out


def check_columns(file: str, tables: dict[str, dict[str, list]]) -> None:
    """Refuse rows the warehouse cannot hold honestly (``tables`` from :func:`columns_of`):
    an id seen twice in one document (e.g. two appendices printed with the same Phụ lục
    number), or an amount beyond ±10^15 đồng.

    Raises ``DocumentError(file, message, line)`` naming the offending line.
    """
    for table, key in KEYS.items():
        cols = tables.get(table)
        if not cols:
            continue
        seen: dict[str, int] = {}
        for k, line in zip(cols[key], cols["source_line"]):
            if k in seen:
                raise DocumentError(
                    file,
                    f"mã {k!r} xuất hiện hai lần (lần đầu ở dòng {seen[k]}): "
                    "có thể hai phụ lục/mục trùng số thứ tự; sửa văn bản rồi nạp lại",
                    line,
                )
            seen[k] = line
    for table, names in AMOUNTS.items():
        cols = tables.get(table)
        if not cols:
            continue
        for c in names:
            for v, line in zip(cols[c], cols["source_line"]):
                if v is not None and abs(v) > MAX_AMOUNT_VND:
                    raise DocumentError(
                        file, f"số tiền {v:,} đồng vượt quá 10^15 đồng (một triệu tỷ): kiểm tra đơn vị tính hoặc số in".replace(",", "."),
                        line,
                    )


def insert(con: duckdb.DuckDBPyConnection, result: ParseResult, content_key: str | None,
           folder: Path | None = None) -> None:
    """Insert one checked document, each fact table with one bulk ``INSERT … SELECT`` from
    an Arrow table (no row-by-row statements); ``folder``: the documents folder it was read
    from (``documents.folder``: the shipped documents or the uploads). Raises ``DocumentError`` for an unknown
    province or rows :func:`check_columns` refuses; a database error is reported with the
    file name."""
    meta = result.meta
    codes = province_codes()
    if meta.province not in codes:
        raise DocumentError(meta.file_name, f"tỉnh {meta.province!r} không có trong bảng tỉnh (data/reference)")
    code = codes[meta.province]
    tables = columns_of(result, code)
    check_columns(meta.file_name, tables)
    try:
        con.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                meta.file_name, meta.sha256, content_key, meta.province, code, meta.fiscal_years, meta.kind,
                meta.issuer, meta.number, meta.issued_date, meta.issued_text, meta.title, meta.layout,
                len(result.budget_lines), datetime.now(), str(folder) if folder is not None else None,
            ],
        )
        for table, cols in tables.items():
            if not next(iter(cols.values())):
                continue
            arrow = pa.Table.from_pydict(cols)
            con.register("_incoming", arrow)
            quoted = ", ".join(f'"{c}"' for c in cols)
            con.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM _incoming")
            con.unregister("_incoming")
    except (duckdb.Error, pa.ArrowException, OverflowError) as exc:
        raise DocumentError(meta.file_name, f"không ghi được vào kho dữ liệu: {exc}") from exc


def set_meta(con: duckdb.DuckDBPyConnection, values: dict[str, str]) -> None:
    """Write ``values`` (plus the schema version and build time) into the ``meta`` table."""
    values = {"schema_version": SCHEMA_VERSION, "built_at": datetime.now().isoformat(timespec="seconds")} | values
    for k, v in values.items():
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [k, v])


_MINUS = ("-", "\u2212", "\u2013")  # hyphen-minus, minus sign, en dash


def check_signs(file: str, result: ParseResult, lines: list[str]) -> None:
    """Refuse a budget line whose printed amount carries a minus sign ("-40.000.000") or
    accounting brackets ("(40.000.000)") that the parser did not turn into a negative amount:
    storing it positive would be silently wrong. Raises ``DocumentError`` with the line."""
    for bl in result.budget_lines:
        if not bl.amount_text or bl.amount_vnd is None or bl.amount_vnd < 0:
            continue
        if not 1 <= bl.source_line <= len(lines):
            continue
        text = " ".join(lines[bl.source_line - 1].split())
        signed = f"-{bl.amount_text}" in text or any(f"{m}{bl.amount_text}" in text or f"{m} {bl.amount_text}" in text for m in _MINUS[1:2])
        if signed or f"({bl.amount_text})" in text:
            raise DocumentError(
                file, f"số tiền âm {bl.amount_text!r} (có dấu trừ hoặc trong ngoặc) chưa được hỗ trợ: "
                "ghi khoản giảm thành dòng riêng có chữ 'giảm' hoặc kiểm tra văn bản", bl.source_line,
            )


_APPENDIX_HEADING = re.compile(r"^\s*PHỤ\s+LỤC\s+(?:SỐ\s+)?([0-9]+[A-Za-z]?|[IVXLC]+)\s*[.:]?\s*$", re.IGNORECASE)


def check_appendix_numbers(file: str, result: ParseResult, lines: list[str]) -> None:
    """Refuse a document of budget tables that prints the same appendix heading ("Phụ lục 3"
    alone on its line) twice: its lines would be filed under one appendix. Raises
    ``DocumentError`` with the line of the second heading."""
    if not result.budget_lines:
        return
    seen: dict[str, int] = {}
    for n, text in enumerate(lines, start=1):
        m = _APPENDIX_HEADING.match(text)
        if not m:
            continue
        number = m.group(1).upper()
        if number in seen:
            raise DocumentError(
                file, f"'Phụ lục {m.group(1)}' in hai lần (lần đầu ở dòng {seen[number]}): "
                "đánh lại số phụ lục rồi nạp lại", n,
            )
        seen[number] = n


YOY_DETAIL = "so với cùng kỳ năm trước: cần số liệu của năm trước"


def check_year_on_year(con: duckdb.DuckDBPyConnection) -> int:
    """Check every printed "so với cùng kỳ năm trước (%)" against last year's document when
    the warehouse holds it (issue 15): the same province, line code and description, stage,
    quarters and cumulative flag one fiscal year earlier, exactly one such line; computed =
    this year's amount × 100 / last year's, to the printed decimals. A check whose last year
    is not held stays ``unchecked`` (its detail says so). Returns how many were checked.
    Run by the write path after every build and ingest (a document of last year arriving
    later checks this year's figures then)."""
    rows = con.execute("""
        SELECT r.rowid, r.printed, cur.amount_vnd, list(prev.amount_vnd), any_value(prev.document),
               any_value(prev.source_line)
        FROM ratio_checks r
        JOIN budget_lines cur ON cur.document = r.document AND cur.line_id = r.numerator_line
        JOIN budget_lines prev ON prev.province = cur.province AND prev.fiscal_year = cur.fiscal_year - 1
             AND prev.code IS NOT DISTINCT FROM cur.code AND prev.description IS NOT DISTINCT FROM cur.description
             AND prev.phase_vn = cur.phase_vn AND prev.quarters = cur.quarters AND prev.cumulative = cur.cumulative
             AND prev.unit IS NOT DISTINCT FROM cur.unit AND prev.amount_vnd IS NOT NULL
        WHERE r.detail LIKE 'so với cùng kỳ%' OR r.detail LIKE 'năm trước%'
        GROUP BY r.rowid, r.printed, cur.amount_vnd
    """).fetchall()
    checked = 0
    for rowid, printed, amount, previous, doc, line in rows:
        if len(previous) != 1 or not previous[0] or amount is None:
            continue
        text = printed.replace("%", "").strip()
        decimals = len(text.split(",")[1]) if "," in text else 0
        try:
            value = Decimal(text.replace(".", "").replace(",", "."))
        except ArithmeticError:
            continue
        step = Decimal(1).scaleb(-decimals)
        exact = Decimal(amount) * 100 / Decimal(previous[0])
        rounded = exact.quantize(step)
        ok = abs(rounded - value) <= step / 2 or abs(exact - value) <= step
        con.execute("UPDATE ratio_checks SET computed = ?, status = ?, detail = ? WHERE rowid = ?", [
            str(rounded).replace(".", ","), "match" if ok else "mismatch",
            f"năm trước: {doc}, dòng {line}" + ("" if ok else f" — tính được {str(rounded).replace('.', ',')}%"), rowid])
        checked += 1
    return checked
