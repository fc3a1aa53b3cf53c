"""Tables of cells already split (a sheet, a Word table, a PDF table, tab-separated text)."""
from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from loaders.tables.model import (
    Cell,
    Column,
    Header,
    Row,
    SourceRow,
    Table,
    TableError,
    _unit,
    unit_in,
    unit_line,
)
from loaders.tables.settings import DEFAULT, HeaderSettings, TableSettings
from loaders.tables.trace import (
    ColumnInfo,
    RowExplanation,
    TableExplanation,
    active,
    fill_cells,
)
from loaders.text.columns import _YEAR_RE, ColumnVocabulary, vocabulary
from loaders.text.normal import clean, norm
from loaders.text.numbers import looks_like_number
from loaders.text.outline import CODE_RE, cell_code, parse_code

#: Roles whose cell, merged down over several rows (a unit, a timing printed once for a group
#: of lines), belongs to each of those rows. Amounts are never repeated: a merged amount is one
#: amount, given once.
INHERITED_ROLES = frozenset({"period", "lead", "partners", "source", "note", "result", "basis", "measure"})

_BULLET_RE = re.compile(r"^([-–+•*])\s+(?=\S)")
_PAGE_NUMBER_RE = re.compile(r"\s*(?:-\s*)?(?:(?:trang|page)\s+)?\d{1,4}(?:\s*/\s*\d{1,3})?(?:\s*-)?\s*", re.I)
_YEAR_CELL_RE = re.compile(r"(?:năm\s+)?(?:19|20)\d{2}")  # a header cell "Năm 2020"


def _role_cells(row: SourceRow, vocab: ColumnVocabulary, hs: HeaderSettings = DEFAULT.header) -> int:
    """How many cells of a row read as header phrases (most of the cell is a phrase:
    ``hs.cell_coverage``)."""
    n = 0
    for text in row.cells:
        if text and clean(text) and vocab.coverage(text) >= hs.cell_coverage:
            n += 1
    return n


def _is_header_row(row: SourceRow, vocab: ColumnVocabulary, hs: HeaderSettings = DEFAULT.header) -> bool:
    """A header row: no number, at least ``hs.min_header_cells`` header-phrase cells."""
    texts = [clean(t) for t in row.cells if t and clean(t)]
    if any(looks_like_number(t) for t in texts):
        return False
    return _role_cells(row, vocab, hs) >= hs.min_header_cells


def _is_header_continuation(row: SourceRow, vocab: ColumnVocabulary, hs: HeaderSettings = DEFAULT.header) -> bool:
    texts = [clean(t) for t in row.cells if t and clean(t)]
    if not texts or any(looks_like_number(t) for t in texts) or parse_code(row.cells[0] if row.cells else None):
        return False
    if row.merged and any(m and m[0] == "v" for m in row.merged):
        # a row under merged header cells that run down into it ("Dự toán" over "Tổng số | Trong
        # đó", "SNKH | QLNN"): a header row of a workbook or Word table, whatever its words
        return not any(len(t.split()) > 15 for t in texts)
    # a second header row: its code cell is empty, no number, and at least one cell is a known
    # header phrase or a year (other cells may be headers the vocabulary does not know)
    if row.cells and clean(row.cells[0]):
        return False
    # header cells are a few words: a row with a sentence in it continues a row cut by the
    # page break ("mục đích, yêu cầu đề ra. Hội thảo …" | "nguồn kinh phí khác)")
    if any(len(t.split()) > hs.continuation_max_words for t in texts):
        return False
    return any(vocab.coverage(t) >= hs.continuation_coverage or _YEAR_CELL_RE.fullmatch(norm(t)) for t in texts)


def _header_row_reasons(group: list[SourceRow], vocab: ColumnVocabulary, hs: HeaderSettings) -> list[str]:
    """Why rows ``group`` are a header (debug view): each cell's phrase coverage."""
    first = group[0]
    covered = [f"{clean(t)!r} {vocab.coverage(t):.2f}" for t in first.cells if t and clean(t)]
    out = [f"{first.where}: no number, {_role_cells(first, vocab, hs)} cell(s) covered by header phrases at "
           f"least {hs.cell_coverage} (HeaderSettings.cell_coverage; min_header_cells={hs.min_header_cells}): "
           + ", ".join(covered)]
    for r in group[1:]:
        out.append(f"{r.where}: a second header row (first cell empty, no number, no cell over "
                   f"{hs.continuation_max_words} words, a phrase covering {hs.continuation_coverage} or a year)")
    return out


def _build_header(rows: list[SourceRow], vocab: ColumnVocabulary) -> Header:
    width = max(len(r.cells) for r in rows)
    grid = [[clean(r.cells[i]) if i < len(r.cells) and r.cells[i] else "" for i in range(width)] for r in rows]
    known = any(r.merged for r in rows)
    for r, row in enumerate(rows):  # a merged header cell covers its range: its text belongs to every column of it
        for c in range(width):
            m = row.merged[c] if row.merged and c < len(row.merged) else None
            if m and not grid[r][c]:
                grid[r][c] = "" if m[0] == "v" else clean(m[1])  # a text merged down is said once, by its first row
    if not known:
        last = grid[-1]
        for r in range(len(grid) - 1):  # a spanning cell covers the empty cells to its right
            for c in range(1, width):
                if not grid[r][c] and grid[r][c - 1] and last[c]:
                    grid[r][c] = grid[r][c - 1]
    columns = []
    for c in range(width):
        text = " ".join(grid[r][c] for r in range(len(grid)) if grid[r][c])
        spec = vocab.classify(text) if text else None
        year = _YEAR_RE.search(text)
        unit = _unit(text, rows[0].where, rows[0].line) if text else None
        columns.append(Column(c, spec.role if spec else None, text, spec.stage if spec else None,
                              int(year.group(1)) if year else None, unit,
                              tuple(grid[r][c] for r in range(len(grid)) if grid[r][c])))
    lines = tuple(r.line for r in rows if r.line)
    return Header(columns, rows[0].where, rows[0].line, lines)



#: Text lines (a title, "(Kèm theo …)") a unit line may stand above the header of its table.
_UNIT_WAITS = 2

_COLUMN_NUMBER_RE = re.compile(
    r"^\(?(?:(?P<n>\d{1,2})|(?P<letter>[A-Z])|\(?(?P<lhs>\d{1,2})\)?\s*=\s*[\d\s+\-*/x×()]+)\)?$")


def _ended(table: Table) -> bool:
    """True when a table's last row is its grand total ("Tổng cộng", "TỔNG SỐ"): the same header
    printed after it opens a new table of the same layout (a sheet per unit), not the table's
    next page (a page break repeats the header before the total, never after it)."""
    last = table.rows[-1] if table.rows else None
    return last is not None and last.kind == "total" and norm(last.text()).lower().startswith("tổng")


def is_column_numbers(row: SourceRow, settings: TableSettings | None = None) -> bool:
    """True for the row of column numbers many tables print under their header: "(1) (2)
    (3)", "1 2 3 4", "A B 1 2 3=1+2": at least two filled cells
    (``HeaderSettings.column_numbers_min_cells``), each a number, a capital letter or a
    formula of column numbers, the numbers rising by one from left to right (or by two or three where
    hidden columns took theirs), so a data row "1 | Hội nghị | 45" or "1 | | 45" is never one."""
    texts = [clean(t) for t in row.cells if t and clean(t)]
    if len(texts) < (settings or DEFAULT).header.column_numbers_min_cells:
        return False
    numbers = []
    for t in texts:
        m = _COLUMN_NUMBER_RE.match(t)
        if not m:
            return False
        if m.group("n") or m.group("lhs"):
            numbers.append(int(m.group("n") or m.group("lhs")))
    # consecutive, or skipping one or two numbers: the columns a sheet hides ("1 2 3 4 6" with
    # column 5 hidden) take their numbers with them
    return all(1 <= b - a <= 3 for a, b in zip(numbers, numbers[1:]))


def read_cells(rows: Iterable[SourceRow], vocab: ColumnVocabulary | None = None,
               settings: TableSettings | None = None) -> list[Table]:
    """Tables from rows of cells already split (a sheet, a DOCX table, tab-separated text).

    A table starts at a header row (at least two cells that are header phrases, no number);
    header rows directly below it (first cells empty, phrases or years only) extend it, and a
    row of column numbers right under it ("(1) (2) (3)", :func:`is_column_numbers`) is skipped.
    Rows before the first header are ignored except a "Đơn vị tính: …" cell, which sets the
    unit of the next table. A repeated header is skipped; a row whose code cell is empty and
    that is not a total continues the row above (page break, wrapped cell). A row whose code
    or description cell is a total label ("TỔNG SỐ", "Tổng cộng (I+II)") is a ``total`` row;
    a row without code whose first cell has text is a ``heading``.

    Raises ``TableError`` when a "Đơn vị tính" cell names a unit that is not a unit of amount.

    ``settings``: the header thresholds (:class:`TableSettings`, default ``TableSettings()``).
    Within ``loaders.tables.trace.collecting()`` every table is also explained (debug view).
    """
    vocab = vocab or vocabulary()
    hs = (settings or DEFAULT).header
    trace = active()
    tx: TableExplanation | None = None
    explained: list[tuple[RowExplanation, Row]] = []
    rows = list(rows)
    tables: list[Table] = []
    table: Table | None = None
    pending_unit: tuple[str, SourceRow] | None = None
    after_break = False
    i = 0
    while i < len(rows):
        row = rows[i]
        unit = unit_in(row)
        if unit:
            pending_unit = (unit, row)
            if tx is not None:
                tx.event(row.line, "unit", f"{_at(row)}'Đơn vị tính' {unit} for the next table")
            i += 1
            continue
        if _is_header_row(row, vocab, hs):
            group = [row]
            while i + 1 < len(rows) and _is_header_continuation(rows[i + 1], vocab, hs):
                i += 1
                group.append(rows[i])
            header = _build_header(group, vocab)
            if table is not None and [c.role for c in header.columns] == table.header.roles() \
                    and [c.text for c in header.columns] == [c.text for c in table.header.columns] \
                    and not _ended(table):
                after_break = True  # the same header after a page break
                if tx is not None:
                    tx.event(row.line, "repeated header", f"{_at(row)}the same header after a page break: a next "
                             "row without code continues the row above")
            else:
                table = Table(header)
                if pending_unit:
                    table.unit, table.unit_where, table.unit_line = pending_unit[0], pending_unit[1].where, pending_unit[1].line
                    pending_unit = None
                    clash = next((c for c in header.columns if c.role == "amount" and c.unit and c.unit != table.unit), None)
                    if clash is not None:  # "Đơn vị tính: triệu đồng" over "Kinh phí (nghìn đồng)": never guessed
                        raise TableError(f"'Đơn vị tính: {table.unit}' (dòng {table.unit_line}) khác đơn vị trong tiêu đề "
                                         f"cột '{clash.text}' ({clash.unit}): không rõ số tiền tính theo đơn vị nào",
                                         header.where, header.line)
                tables.append(table)
                after_break = False
                if trace is not None:
                    tx = trace.table("cells", row.where.rsplit(":", 1)[0], row.line,
                                     [ColumnInfo(c.index, c.role, c.text) for c in header.columns],
                                     _header_row_reasons(group, vocab, hs))
            i += 1
            if i < len(rows) and is_column_numbers(rows[i], settings):
                if tx is not None:
                    tx.event(rows[i].line, "column numbers", f"{_at(rows[i])}a row of column numbers under the "
                             f"header (not a row): {' | '.join(clean(t) for t in rows[i].cells if t and clean(t))}")
                # "(1) (2) (3) …", "A | B | 1 | 2 | 3=1+2" printed under the header: not a row; its
                # formulas say how columns relate (checked by the families)
                width = len(table.header.columns)
                table.column_numbers = [clean(rows[i].cells[c]) if c < len(rows[i].cells) and rows[i].cells[c] else ""
                                        for c in range(width)]
                table.column_numbers_line = rows[i].line
                i += 1
            continue
        if table is None:
            i += 1
            continue
        kind, model_row = _add_row(table, row, vocab, after_break)
        if tx is not None and model_row is not None:
            _explain_row(tx, row, kind, model_row, after_break, explained)
        after_break = False
        i += 1
    for rx, model_row in explained:
        fill_cells(rx, model_row)
    return tables


_ROW_REASONS = {
    "total": "its code or description cell is a total label",
    "item": "its code cell holds a code",
    "heading": "no code, and its first cell has text",
}


def _at(row: SourceRow) -> str:
    """Where a source row was printed, for an event without a line number (debug view)."""
    return "" if row.line is not None else f"{row.where}: "


def _explain_row(tx: TableExplanation, row: SourceRow, kind: str, model_row: Row, after_break: bool,
                 explained: list[tuple[RowExplanation, Row]]) -> None:
    """Record why a source row became what it is (debug view)."""
    if kind == "continued":
        rx = next((rx for rx, r in reversed(explained) if r is model_row), None)
        if rx is not None:
            rx.reasons.append(f"{row.where}: continued by this row (its code cell is empty"
                              + (", after a repeated header: a page break)" if after_break else ")"))
        return
    rx = tx.row(row.line, model_row.code, kind, f"{row.where}: {_ROW_REASONS[kind]}")
    explained.append((rx, model_row))


def _second_amount(prev: Row, cells: list, header) -> bool:
    """True when a row without code prints an amount where the row above prints one too: a row
    of its own (one more activity of a task, a memo "Trong đó: …"), never the rest of a wrapped
    row — its amount would be glued to the one above ("45 000 000" + "210 000 000")."""
    for j, col in enumerate(header.columns):
        if col.role != "amount" or j >= len(cells) or cells[j] is None or j >= len(prev.cells) or prev.cells[j] is None:
            continue
        if looks_like_number(cells[j].text) and looks_like_number(prev.cells[j].text):
            return True
    return False


def _add_row(table: Table, row: SourceRow, vocab: ColumnVocabulary, after_break: bool) -> tuple[str, Row | None]:
    """Add ``row`` to ``table``: a new row ("item", "total", "heading"), merged into the row
    above ("continued"), or nothing ("empty"). Returns the kind and the model row."""
    header = table.header
    width = len(header.columns)
    cells = [row.cell(i) for i in range(max(width, len(row.cells)))][:width]
    if len(row.cells) > width:  # extra cells: keep their text in the last column
        extra = [row.cell(i) for i in range(width, len(row.cells))]
        for e in extra:
            if e is not None:
                if cells[-1] is None:
                    cells[-1] = e
                else:
                    cells[-1].extend(e)
    if not any(cells):
        return "empty", None
    for j, col in enumerate(header.columns):  # a cell merged down repeats its text for every row it covers
        if cells[j] is None and col.role in INHERITED_ROLES:
            text = row.merged_text(j, "v")
            if text:
                cells[j] = Cell(text, row.cell_where[j] if row.cell_where and j < len(row.cell_where) else row.where,
                                row.line, (row.line,) if row.line else ())
    code_i = header.index("code")
    code_i = 0 if code_i is None else code_i
    desc_i = header.index("description")
    if desc_i is None:  # a table of units or districts: "Đơn vị" holds what a line is about, and "Tổng cộng"
        desc_i = header.index("lead")
    code_cell = cells[code_i]
    for i in (code_i, desc_i):
        if i is not None and cells[i] is not None and vocab.total(cells[i].text) and not parse_code(cells[i].text):
            table.rows.append(Row("total", None, cells, header, row.where, row.line))
            return "total", table.rows[-1]
    if (code_cell is not None and desc_i is not None and desc_i != code_i and cells[desc_i] is None
            and row.merged and desc_i < len(row.merged) and row.merged[desc_i] and row.merged[desc_i][0] == "h"):
        # "I. Nhiệm vụ sử dụng kinh phí SNKH" in one cell merged over the code and description
        # columns (a section row whose amount is in the last cell): its code and its description
        text = clean(code_cell.text)
        m = CODE_RE.match(text)
        if m and text[m.end():].strip():
            cells[desc_i] = Cell(text[m.end():].strip(), code_cell.where, code_cell.line, code_cell.lines, code_cell.raw)
            cells[code_i] = code_cell = Cell(m.group("code"), code_cell.where, code_cell.line, code_cell.lines)
    code = cell_code(code_cell.text) if code_cell else None
    if code is not None:
        table.rows.append(Row("item", code, cells, header, row.where, row.line))
        return "item", table.rows[-1]
    desc_cell = cells[desc_i] if desc_i is not None else None
    # below the last total, a line without code ("(Bằng chữ: …)", "Nơi nhận:") ends the table: what follows
    # (recipients "- Sở Tài chính;", signatures) is not a row of it
    closed = any(r.kind == "total" for r in table.rows) and any(
        r.kind == "heading" for r in table.rows[next(i for i, r in enumerate(table.rows) if r.kind == "total"):])
    if closed and code_cell is None:
        return "empty", None
    bullet = _BULLET_RE.match(desc_cell.text) if code_cell is None and desc_cell is not None else None
    if bullet:  # "| - Nhiệm vụ cấp quốc gia |": a "-" line whose bullet is printed in its description
        cells[desc_i] = Cell(desc_cell.text[bullet.end():], desc_cell.where, desc_cell.line, desc_cell.lines, desc_cell.raw)
        table.rows.append(Row("item", "-" if bullet.group(1) in "-–" else bullet.group(1), cells, header, row.where, row.line))
        return "item", table.rows[-1]
    if row.spans_all(width):  # one cell merged across the table: a section row ("I. Kinh phí sự nghiệp …")
        table.rows.append(Row("heading", None, cells, header, row.where, row.line))
        return "heading", table.rows[-1]
    if code_cell is None and table.rows and (row.continuable or after_break) \
            and not _second_amount(table.rows[-1], cells, header):
        prev = table.rows[-1]
        for j, c in enumerate(cells):
            if c is None:
                continue
            if prev.cells[j] is None:
                prev.cells[j] = c
            else:
                prev.cells[j].extend(c)
        prev.continued = prev.continued or after_break
        return "continued", prev
    table.rows.append(Row("heading", None, cells, header, row.where, row.line))
    return "heading", table.rows[-1]


def read_tsv(lines: Sequence[str], file: str, vocab: ColumnVocabulary | None = None, first_line: int = 1,
             rows: Mapping[int, SourceRow] | None = None, settings: TableSettings | None = None) -> list[Table]:
    """Tables of tab-separated text (cells explicit). ``lines[k]`` is line ``first_line + k``.

    ``rows``: for an uploaded workbook, Word or PDF file, the cells of its table rows by line
    (``Extracted.cell_rows()``): those lines are read from their cells (spans, merged cells,
    formulas), never by splitting the text again, and a row of one cell (a section merged
    across the table) stays a row of its table.
    Lines without a tab are not table rows: a blank line or a page number ("2", "- 2 -")
    keeps the table open (a page break), "Đơn vị tính: …" sets the unit of the next table,
    any other text ends it.
    Returns the tables in document order (see :func:`read_cells` for the row rules;
    ``settings`` as there).
    """
    vocab = vocab or vocabulary()
    trace = active()
    known = len(trace.tables) if trace is not None else 0
    page_numbers: list[int] = []
    out: list[Table] = []
    chunk: list[SourceRow] = []
    continued: list[int] = []  # lines saying the table goes on ("(tiếp theo)")
    waiting = 0  # text lines a unit line has waited for its table

    def flush() -> None:
        out.extend(read_cells(chunk, vocab, settings))
        chunk.clear()

    for k, raw in enumerate(lines):
        n = first_line + k
        if rows is not None and n in rows:
            chunk.append(rows[n])
        elif "\t" in raw:
            chunk.append(SourceRow(raw.split("\t"), f"{file}:{n}", n))
        elif not raw.strip() or _PAGE_NUMBER_RE.fullmatch(raw):
            if raw.strip() and trace is not None:
                page_numbers.append(n)
            continue  # a blank line or a page number between two parts of a table
        elif unit_line(raw, f"{file}:{n}", n, title=True):
            flush()
            chunk.append(SourceRow([raw], f"{file}:{n}", n))
            waiting = 0
        else:
            if _CONTINUED_RE.search(raw):
                continued.append(n)
            if chunk and all(len(r.cells) == 1 for r in chunk) and waiting < _UNIT_WAITS:
                # a title stating the unit, "DANH MỤC … (đơn vị tính: triệu đồng)", then "(Kèm theo
                # Kế hoạch số …)" before the header: the unit waits for the table below it
                waiting += 1
                continue
            flush()
    flush()
    _join_continued(out, continued)
    if trace is not None:  # a page number inside a table: the table goes on after it
        mine = trace.tables[known:]
        for n in page_numbers:
            tx = next((t for t in reversed(mine) if t.line is not None and t.line < n), None)
            if tx is not None and any(r.line is not None and r.line > n for r in tx.rows):
                tx.event(n, "page number", f"{lines[n - first_line].strip()!r}: a page number between two parts of "
                         "the table (skipped)")
                tx.events.sort(key=lambda e: e.line or 0)
    _inherit_units(out)
    return out


#: A line saying a table goes on after it: "(tiếp theo)", "(Biểu gồm 02 trang; tiếp theo ở trang sau)".
_CONTINUED_RE = re.compile(r"\btiếp\s+theo\b|\(\s*tiếp\s*\)|tiếp\s+trang\b", re.I)


def _same_header(a: Table, b: Table) -> bool:
    return [(c.role, c.text) for c in a.header.columns] == [(c.role, c.text) for c in b.header.columns]


def _join_continued(tables: list[Table], continued: list[int]) -> None:
    """A table whose part after a page break comes after text (a note at the foot of the
    page) and a line saying it goes on ("(tiếp theo)"), then its header again, is one table:
    the rows of the second part join the first (its sections and subtotals run across the
    break), unless the first ended with its grand total or the second prints a unit of its
    own. Without such a line two tables stay two (a sheet per unit)."""
    k = 1
    while k < len(tables):
        prev, table = tables[k - 1], tables[k]
        last = max((n for r in prev.rows for n in r.lines if n), default=prev.header.line or 0)
        start = table.header.line or 0
        if _same_header(prev, table) and not _ended(prev) and table.unit in (None, prev.unit) \
                and any(last < n < start for n in continued):
            prev.rows.extend(table.rows)
            prev.after, prev.end_line = table.after, table.end_line
            prev.footnotes.update(table.footnotes)
            del tables[k]
            continue
        k += 1


def _inherit_units(tables: list[Table]) -> None:
    """A table printing the same header as the table before it, with text between them (a
    note, "(tiếp theo)" after a page break) and no "Đơn vị tính" of its own, is that table
    continued: its amounts are in the unit printed above the first part. A header that
    differs, or a unit printed again, is a table of its own."""
    for prev, table in zip(tables, tables[1:]):
        if table.unit is None and prev.unit is not None \
                and [(c.role, c.text) for c in table.header.columns] == [(c.role, c.text) for c in prev.header.columns]:
            table.unit, table.unit_where, table.unit_line = prev.unit, prev.unit_where, prev.unit_line

