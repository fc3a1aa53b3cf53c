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

import re
from typing import Mapping

from loaders.model import ParseIssue, ParseResult
from loaders.tables.model import SourceRow, TableError
from loaders.tables.region import read_region
from loaders.text.numbers import looks_like_number
from loaders.text.outline import CODE_RE

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


#: A money figure as printed in a table of text: thousands grouped by dots ("38.460.000"), or a
#: decimal with a comma ("1.250,5", "2,3").
_MONEY_RE = re.compile(r"(?<![\d.,/])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d/])")
_NUMBER_RE = re.compile(r"(?<![\w.,/])[-−(]?\d[\d.,]*\)?%?(?![\w/])")
#: Fewest rows of money that make a table nobody read (one stray line is prose).
MIN_UNREAD_ROWS = 3


def unread_text_rows(lines: list[str], rows: Mapping[int, SourceRow] | None, result: ParseResult) -> list[ParseIssue]:
    """The safety net for plain or PDF text (no table of cells): rows of a money table that no
    record came from — a line starting with a code ("I", "1", "2.1", "a", "-") or made of figures
    only, holding two or more figures of which one is money-shaped ("38.460.000 9.215.400
    24.102.600 62,7") — named in one warning with their lines when there are
    :data:`MIN_UNREAD_ROWS` or more (a report's budget table whose wrapped header no reader
    knew was dropped without a word). Empty for a document of cells (:func:`unread_money_tables`
    names its tables) and when every such row gave a record. Never raises."""
    if _has_cells(lines, rows):
        return []
    used: set[int] = set()
    for name in _RECORDS:
        for r in getattr(result, name):
            used.update(n for n in (getattr(r, "source_line", None), getattr(r, "description_line", None)) if n)
    unread = []
    for n, raw in enumerate(lines, start=1):
        text = " ".join(raw.split())
        if not text or n in used:
            continue
        figures = _NUMBER_RE.findall(text)
        if len(figures) < 2 or not _MONEY_RE.search(text):
            continue
        words = _NUMBER_RE.sub(" ", text).split()
        coded = CODE_RE.match(text) is not None
        if coded or not words:
            unread.append(n)
    if len(unread) < MIN_UNREAD_ROWS:
        return []
    shown = ", ".join(map(str, unread[:12])) + (" …" if len(unread) > 12 else "")
    return [ParseIssue(unread[0], f"{len(unread)} dòng có số tiền như dòng của một bảng không được đọc (dòng {shown}): "
                       "bố cục bảng này chưa có bộ đọc — số liệu của nó không vào kho, nhập bảng này riêng hoặc báo "
                       "cho người quản trị", text=" ".join(lines[unread[0] - 1].split()))]
