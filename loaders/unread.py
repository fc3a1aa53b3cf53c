"""The safety net after a family's parser: a money table of the document that gave nothing.

A family reads the tables its layout knows; a document may hold one more (a report's second
table of proposals, an appendix in another shape). Such a table must never disappear without
a word (developers' guide: "when the parser drops something, say so"). After the parse,
every table of cells (an uploaded file's tables, or tab-separated lines) that has a money
column (``data/vocabulary/columns.csv``, role ``amount``) and rows printing numbers there, and
from which no record was read and about which no issue was said, is named in a warning with
its header line.
"""
from __future__ import annotations

from typing import Mapping

from loaders.model import ParseIssue, ParseResult
from loaders.tables.model import SourceRow, TableError
from loaders.tables.region import read_region
from loaders.text.numbers import looks_like_number

_RECORDS = ("budget_lines", "totals", "indicators", "actuals", "tasks", "ratios", "versions")


def _has_cells(lines: list[str], rows: Mapping[int, SourceRow] | None) -> bool:
    return bool(rows) or any(ln.count("\t") >= 2 for ln in lines)


def unread_money_tables(lines: list[str], rows: Mapping[int, SourceRow] | None, file: str,
                        result: ParseResult) -> list[ParseIssue]:
    """Warnings for the money tables of ``lines`` (``rows``: the cells of an uploaded file,
    by line) from which ``result`` holds no record and no issue: ``[ParseIssue(header line,
    "bảng … không được đọc …")]``, one per table, in document order. A document without
    tables of cells (plain or PDF text) gives none. Never raises: a table the region reader
    refuses is the family's business (it has said so)."""
    if not _has_cells(lines, rows):
        return []
    try:
        tables, _ = read_region(lines, 1, len(lines), file, rows)
    except TableError:
        return []
    used: set[int] = set()
    for name in _RECORDS:
        used.update(getattr(r, "source_line", None) or 0 for r in getattr(result, name))
    used.update(i.line for i in result.issues if i.line)
    out = []
    for table in tables:
        money = [c.index for c in table.header.columns if c.role == "amount"]
        if not money:
            continue
        numbered = [r for r in table.rows if r.kind in ("item", "total") and any(
            i < len(r.cells) and r.cells[i] is not None and looks_like_number(r.cells[i].text) for i in money)]
        if not numbered:
            continue
        span = {n for r in table.rows for c in r.cells if c is not None for n in (c.lines or (c.line,)) if n}
        span |= {r.line for r in table.rows if r.line} | set(table.header.lines or ()) | {table.header.line or 0}
        if span & used:
            continue
        heads = " | ".join(c.text for c in table.header.columns if c.text)
        out.append(ParseIssue(table.header.line, f"bảng có cột số tiền ({heads}) với {len(numbered)} dòng có số nhưng "
                              "không được đọc: bố cục này chưa có bộ đọc — số liệu của bảng không vào kho, "
                              "nhập bảng này riêng hoặc báo cho người quản trị", text=heads))
    return out
