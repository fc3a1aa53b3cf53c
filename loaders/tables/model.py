"""One table model for every table of every document: rows of cells, each cell with its source.

A table is a :class:`Header` (columns whose *role* is found from the header text by the
reviewed synonyms in ``data/vocabulary/columns.csv``) and :class:`Row` s (a code such as
I, II, 1, 1.1, a, -, +; a kind: item / heading / total; one :class:`Cell` per column). Every
cell keeps where it was printed: ``where`` ("000_x.txt:9", "Ngân sách!E12", "bảng 2, hàng 5")
and, for text, its ``line`` (1-based, the numbering of ``loaders.documents.read_lines``).

API (stable; other parsers build on it)::

    from loaders.tables import read_tsv, read_cells, read_spaced, SourceRow, vocabulary, load_profile

    # 1. tab-separated text (cells explicit): 001's table, 004
    tables = read_tsv(lines, file="004.txt")                       # -> list[Table]
    # 2. space-separated PDF text (000): cells recognised by type from the right
    #    (amount, period, source note), what is left is the description
    tables = read_spaced(lines, file="000.txt")                    # -> list[Table]
    # 3. cells already split (Excel / DOCX / PDF tables): one SourceRow per table row
    tables = read_cells([SourceRow(["TT", "Nội dung", "Dự toán"], where="Ngân sách!A4"),
                         SourceRow(["1", "Hội thảo", "45,5"], where="Ngân sách!A5",
                                   cell_where=["Ngân sách!A5", "Ngân sách!B5", "Ngân sách!C5"])])

    table.header.columns        # [Column(index, role, text, stage, year, unit)]
    table.unit                  # "triệu đồng": "Đơn vị tính" printed before the header, or None
    table.unit_where            # where that unit was printed
    table.rows                  # [Row]; wrapped cells and page-break continuations merged
    row.kind                    # "item" | "heading" | "total"
    row.code                    # "II", "1.1", "a", "-", "+" or None
    row.get("amount")           # the first amount cell that is not empty: Cell | None
    row.cells_of("amount")      # [(Column, Cell | None)] for every amount column (001: six)
    row.text()                  # every non-empty cell, joined
    cell.text, cell.where, cell.line, cell.lines
    table.after                 # read_spaced only: [Block] printed after the table (moved
                                #   descriptions and notes, titles), up to the next header
    unit_of(table, column, default) # the unit of a column's amounts (column > table > default)
    code_parents(["I", "1", "-", "II"])  # [None, 0, 1, None]: the hierarchy from row codes
    load_profile("budget_appendix")  # Profile: data/profiles/<name>.toml

Role names: code, description, period, lead, partners, amount, note, source, result, target,
basis, measure (see ``data/vocabulary/README.columns.md``). Recognising cells never converts
them: amounts are read by the profile parsers with :func:`loaders.text.numbers.to_vnd`, which
refuses what is not an amount.

Rules (GLOSSARY "Money"; the layouts of ``data/raw/000``, ``001``, ``004``):

* a header may span several rows (001: years over stages); a cell left empty under a spanning
  cell belongs to it ("Năm 2020" over KHTW giao / KH UBND giao / Tình hình thực hiện);
* a header repeated after a page break is skipped, and a following row whose code cell is
  empty continues the row above, cell by cell (004);
* in space-separated text a row is a line that starts with a code; lines directly below it
  (no blank line) continue its cells; "-" followed by a space at the start of a line is a
  bullet code, a "-" attached to the digits (or "−", or parentheses) is a minus sign.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from loaders.text.normal import clean
from loaders.text.numbers import UnitError, canonical_unit, find_unit

WORDS_RE = re.compile(r"^\s*\(?\s*(?:(?:số tiền|viết)\s+)?bằng chữ\s*:", re.I)


class TableError(ValueError):
    """A table line that cannot be read (e.g. a "Đơn vị tính" naming no unit of amount);
    ``where``/``line`` say where it was printed."""

    def __init__(self, message: str, where: str, line: int | None = None):
        super().__init__(message)
        self.where, self.line = where, line


def _unit(text: str, where: str, line: int | None) -> str | None:
    try:
        return find_unit(text)
    except UnitError as exc:
        raise TableError(str(exc), where, line) from exc



# --------------------------------------------------------------------------- the model


@dataclass
class Cell:
    """One cell: its text (markup removed, wrapped parts joined), where it was printed and,
    for text documents, the lines it spans. A workbook cell holding a formula keeps it in
    ``formula``; ``evaluated``: its value was computed from the formula (the file held none);
    ``formula_error``: it could not be computed, so the cell has no value (``text`` "")."""

    text: str
    where: str
    line: int | None = None
    lines: tuple[int, ...] = ()
    raw: str = ""
    formula: str | None = None
    evaluated: bool = False
    formula_error: str | None = None

    def extend(self, other: "Cell") -> None:
        """Append a wrapped or continued part (mending a word split by a hyphen)."""
        if not other.text:
            return
        if not self.text:
            self.text, self.where, self.line = other.text, other.where, other.line
        elif self.text.endswith("-") and not self.text.endswith(" -"):
            self.text += other.text
        else:
            self.text += " " + other.text
        self.lines = tuple(dict.fromkeys(self.lines + other.lines))
        self.raw = (self.raw + "\n" + other.raw).strip("\n")


@dataclass
class Column:
    """A column: its position, role, header text as printed, and what the header says of its
    amounts (stage, year, unit), when it says it."""

    index: int
    role: str | None
    text: str
    stage: str | None = None
    year: int | None = None
    unit: str | None = None
    parts: tuple[str, ...] = ()  # the header rows' texts over the column, top first ("Dự toán được giao", "Trong đó", "NSNN")


@dataclass
class Header:
    columns: list[Column]
    where: str
    line: int | None = None
    lines: tuple[int, ...] = ()

    def roles(self) -> list[str | None]:
        return [c.role for c in self.columns]

    def index(self, role: str) -> int | None:
        """Index of the first column with ``role``."""
        return next((c.index for c in self.columns if c.role == role), None)


@dataclass
class Row:
    """A table row. ``cells[i]`` belongs to ``header.columns[i]`` (``None``: nothing printed)."""

    kind: str  # "item" | "heading" | "total"
    code: str | None
    cells: list[Cell | None]
    header: Header
    where: str
    line: int | None = None
    continued: bool = False  # a part was printed after a page break
    footnotes: list[str] = field(default_factory=list)  # markers of footnotes in the row (read_flow)
    split_lines: tuple[int, ...] = ()  # read_flow: lines after a page break shared by several cells

    @property
    def lines(self) -> tuple[int, ...]:
        out: dict[int, None] = {}
        for c in self.cells:
            if c is not None:
                out.update(dict.fromkeys(c.lines))
        return tuple(sorted(out))

    def get(self, role: str) -> Cell | None:
        """The first non-empty cell of a column with ``role``."""
        return next((c for col, c in self.cells_of(role) if c is not None and c.text), None)

    def text_of(self, role: str) -> str | None:
        cell = self.get(role)
        return cell.text if cell else None

    def cells_of(self, role: str) -> list[tuple[Column, Cell | None]]:
        return [(col, self.cells[col.index]) for col in self.header.columns if col.role == role]

    def text(self) -> str:
        return " ".join(c.text for c in self.cells if c is not None and c.text)


@dataclass
class Block:
    """Consecutive non-blank text lines (a paragraph) outside a table."""

    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        cell = Cell("", "")
        for raw in self.lines:
            cell.extend(Cell(clean(raw), ""))
        return cell.text


@dataclass
class Table:
    header: Header
    rows: list[Row] = field(default_factory=list)
    unit: str | None = None
    unit_where: str | None = None
    unit_line: int | None = None
    after: list[Block] = field(default_factory=list)
    end_line: int | None = None
    footnotes: dict[str, Cell] = field(default_factory=dict)  # marker → text (read_flow)
    column_numbers: list[str] | None = None  # the row of column numbers under the header ("1", "5=6+7"), per column
    column_numbers_line: int | None = None

    def items(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "item"]


def unit_of(table: Table, column: Column | None, default: str | None) -> str | None:
    """Unit of a column's amounts: the header cell's "(triệu đồng)", else the table's
    "Đơn vị tính", else ``default`` (the profile's; the caller warns when it is used)."""
    return (column.unit if column else None) or table.unit or default


# --------------------------------------------------------------------------- cells given


@dataclass
class SourceRow:
    """One table row of cells already split, with where it comes from: ``where`` for the row
    ("Ngân sách!A5", "000.txt:9", "bảng 2, hàng 5"), ``cell_where`` per cell when known.

    From the readers of uploaded files (``loaders.tables.files``) it also knows, per cell:
    ``merged`` — ``None``, or ``(direction, text, ref)`` for a cell covered by a merged cell
    (the value is given once, in the first cell: "v" below it, "h" beside it); ``spans`` —
    the number of columns each cell spans; ``formulas`` — ``None`` or ``(formula, evaluated,
    error)`` for a workbook cell holding a formula; ``continuable`` — whether the row may be
    the rest of the row above it (text where a row is a line: a page break or a wrapped cell
    may cut a row in two; ``False`` for a workbook or Word row, which is a row, and for a PDF
    row inside a page, whose ruling says where rows end).
    """

    cells: Sequence[str | None]
    where: str
    line: int | None = None
    cell_where: Sequence[str] | None = None
    merged: Sequence[tuple[str, str, str] | None] | None = None
    spans: Sequence[int] | None = None
    formulas: Sequence[tuple[str, bool, str | None] | None] | None = None
    continuable: bool = True

    def cell(self, i: int) -> Cell | None:
        text = self.cells[i] if i < len(self.cells) else None
        formula = self.formulas[i] if self.formulas and i < len(self.formulas) else None
        where = self.cell_where[i] if self.cell_where and i < len(self.cell_where) else self.where
        if formula and formula[2]:  # a formula nobody could compute: no value, never 0
            return Cell("", where, self.line, (self.line,) if self.line else (), raw="", formula=formula[0],
                        formula_error=formula[2])
        if text is None or not clean(text):
            return None
        return Cell(clean(text), where, self.line, (self.line,) if self.line else (), raw=text,
                    formula=formula[0] if formula else None, evaluated=bool(formula and formula[1]))

    def merged_text(self, i: int, direction: str = "v") -> str | None:
        """The text a merged cell repeats at position ``i`` (``None`` when the cell is not
        covered by a merge in ``direction``)."""
        m = self.merged[i] if self.merged and i < len(self.merged) else None
        return clean(m[1]) or None if m and m[0] == direction else None

    def spans_all(self, width: int) -> bool:
        """True when one cell spans the whole row (a section row merged across the table)."""
        if not self.spans:
            return False
        filled = [i for i, t in enumerate(self.cells) if t and clean(t)]
        return len(filled) == 1 and self.spans[filled[0]] >= max(2, width - 1)


_UNIT_LINE_RE = re.compile(r"^\W*(?:(?P<tinh>đơn vị\s+tính|đv\s*tính|đvt)|đơn vị)\s*:\s*(?P<unit>.+?)\W*$", re.I)


_UNIT_PAREN_RE = re.compile(r"\(\s*(?:đơn vị\s+tính|đv\s*tính|đvt)\s*:\s*(?P<unit>[^()]+?)\s*\)\W*$", re.I)


def unit_line(text: str, where: str, line: int | None = None, title: bool = False) -> str | None:
    """The unit of amounts a line or cell states: "Đơn vị tính: triệu đồng", "ĐVT: Tr đồng",
    "ĐV tính: Triệu đồng" → "triệu đồng"; "Đơn vị: đồng" → "đồng"; with ``title`` (a line of
    text, not a cell), a title ending with it in parentheses, "DANH MỤC NHIỆM VỤ … (đơn vị tính:
    triệu đồng)" → "triệu đồng" (``None`` when the parenthesis names no unit of amount, "(ĐVT:
    %)"); ``None`` for "Đơn vị: Văn
    phòng Sở" or "Đơn vị: Sở Khoa học và Công nghệ" (an agency, not a unit of amount) or any
    other text. Raises ``TableError`` when "Đơn vị tính:" names no unit of amount (the
    spellings: ``data/vocabulary/amount_units.csv``)."""
    m = _UNIT_LINE_RE.match(clean(text))
    if not m:
        # a title ending with its unit in parentheses: "DANH MỤC NHIỆM VỤ … (đơn vị tính: triệu đồng)"
        # (``title``: a line of text, never a header cell "Dự toán (ĐVT: triệu đồng)", which is its column's)
        p = _UNIT_PAREN_RE.search(clean(text)) if title else None
        try:
            return canonical_unit(p.group("unit")) if p else None
        except UnitError:
            return None  # "(ĐVT: %)": no unit of amount
    if m.group("tinh"):
        return _unit(text, where, line)
    try:
        return canonical_unit(m.group("unit"))
    except UnitError:
        return None


def unit_in(row: SourceRow) -> str | None:
    """The unit of amounts a row of cells states (:func:`unit_line` of its cells): a row of one
    filled cell is a line of text (a title, a merged title row), so a title ending "(đơn vị
    tính: triệu đồng)" states it too; a header cell "Dự toán (ĐVT: triệu đồng)" beside others
    names its own column's unit, not the table's."""
    filled = [t for t in row.cells if t and t.strip()]
    for text in filled:
        unit = unit_line(text, row.where, row.line, title=len(filled) == 1)
        if unit:
            return unit
    return None

