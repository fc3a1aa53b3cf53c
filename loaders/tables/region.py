"""Tables given as cells inside a document's lines: which lines are table rows, which are text.

An uploaded workbook, Word file or PDF reaches the parsers as lines (``loaders.tables.files``): a
table row is one line whose cells are joined by tabs, and the reader also knows each row's
cells with their own location (``Extracted.cell_rows()``: line → ``SourceRow`` with
"PL1!D12", "Bảng 1, hàng 5, cột 4", "Trang 2, bảng 1, hàng 5, cột 4"). A ``.txt`` file with
tab-separated tables gives the same lines without cell locations (then a cell's location is
its line, "file:n").

:func:`read_region` reads a range of such lines into tables of the table model
(:func:`loaders.tables.cells.read_cells`, cells keep their location) and the text around them, so a
profile can read a DOCX/PDF/XLSX table exactly as it reads a text table and still see the
paragraphs (titles, "Phòng/đơn vị: …", "(Bằng chữ: …)").

Rules (the layouts of departments' own workbooks and Word/PDF appendices):

* a row with two or more filled cells is a table row; "Đơn vị tính: …" (a line or a cell)
  sets the unit of the next table, wherever it is printed;
* a row with one filled cell belongs to a table only *inside* it, between its header and its
  last numbered or total row (a wrapped description, a section label); before the header
  (merged title cells, "Phòng/đơn vị: …") and after the last row (the amount in words,
  signatures, notes) it is text. A row printing the amount in words is always text;
* text lines are returned with their line number; each filled cell of a text row is one text
  line of that number.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from loaders.tables.cells import read_cells
from loaders.tables.model import WORDS_RE, SourceRow, Table, TableError, unit_line
from loaders.tables.settings import TableSettings
from loaders.tables.trace import paused
from loaders.text.columns import ColumnVocabulary, vocabulary
from loaders.text.normal import clean


def _row_of(n: int, raw: str, file: str, rows: Mapping[int, SourceRow] | None) -> SourceRow | None:
    if rows is not None and n in rows:
        return rows[n]
    if "\t" in raw:
        return SourceRow(raw.split("\t"), f"{file}:{n}", n)
    return None


def _is_unit(text: str, where: str, n: int) -> bool:
    try:
        return bool(unit_line(text, where, n))
    except TableError:
        return True  # "Đơn vị tính: USD": the table model reports it


def read_region(lines: Sequence[str], first: int, last: int, file: str,
                rows: Mapping[int, SourceRow] | None = None,
                vocab: ColumnVocabulary | None = None,
                settings: TableSettings | None = None) -> tuple[list[Table], list[tuple[int, str]]]:
    """Tables and text of lines ``first`` … ``last`` (1-based, inclusive) of ``lines``.

    ``rows``: the cells of table rows by line number, with their locations (from the
    reader of an uploaded file); without it, tab-separated lines are split on tabs.
    Returns ``(tables, text)``: the tables as :func:`loaders.tables.cells.read_cells` reads them
    (rows before a table's header ignored, see the module rules), and ``text`` as
    ``[(line, text)]`` in document order, ``""`` for a blank line or an empty row.

    Raises ``TableError`` for a "Đơn vị tính" naming a unit that is not a unit of amount.
    ``settings``: the header thresholds (as :func:`loaders.tables.cells.read_cells`); the
    debug view (``loaders.tables.trace``) explains the second pass only.
    """
    vocab = vocab or vocabulary()
    items: list[tuple[int, SourceRow | None, list[str]]] = []
    for n in range(first, last + 1):
        raw = lines[n - 1]
        src = _row_of(n, raw, file, rows)
        filled = [clean(c) for c in (src.cells if src else [raw]) if c and clean(c)]
        if src is not None and src.formulas:  # a formula without value is a cell of the row, not an empty one
            filled += ["=" for f in src.formulas if f and f[2]]
        items.append((n, src, filled))

    def unit_row(n: int, src: SourceRow | None, filled: list[str]) -> SourceRow | None:
        if len(filled) == 1 and _is_unit(filled[0], src.where if src else f"{file}:{n}", n):
            return src or SourceRow([filled[0]], f"{file}:{n}", n)
        return None

    # Pass 1: the rows that are surely table rows give each table's extent.
    sure = [src for n, src, filled in items if src is not None and len(filled) >= 2]
    sure += [u for n, src, filled in items if (u := unit_row(n, src, filled)) is not None]
    sure.sort(key=lambda r: r.line or 0)
    spans = []
    with paused():  # a probe: only the second pass is explained
        probe = read_cells(sure, vocab, settings)
    for table in probe:
        ends = [r.line for r in table.rows if r.kind in ("item", "total") and r.line]
        if table.header.line and ends:
            spans.append((table.header.line, max(ends)))

    def inside(n: int) -> bool:
        return any(a <= n <= b for a, b in spans)

    # Pass 2: one-cell rows inside a table join it; everything else outside is text.
    stream: list[SourceRow] = []
    text: list[tuple[int, str]] = []
    for n, src, filled in items:
        unit = unit_row(n, src, filled)
        if unit is not None:
            stream.append(unit)
        elif not filled:
            text.append((n, ""))
        elif src is not None and inside(n) and (len(filled) >= 2 or not WORDS_RE.match(filled[0])):
            stream.append(src)
        else:
            text.extend((n, t) for t in filled)
    return read_cells(stream, vocab, settings), text
