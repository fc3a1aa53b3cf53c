"""What a reader of an uploaded file gives: :class:`Extracted` (lines, their locations,
tables of cells); see :mod:`loaders.tables.files`."""
from __future__ import annotations

from dataclasses import dataclass, field


class FormatError(Exception):
    """A file that cannot be read as its format: corrupt, protected, too large, hostile.

    ``message`` is Vietnamese and names the place (sheet and cell, page) when there is one;
    ``line`` is the 1-based line of ``Extracted.lines`` when known.
    """

    def __init__(self, message: str, line: int | None = None):
        self.message, self.line = message, line
        super().__init__(message)


@dataclass
class Cell:
    """One table cell: ``text`` as displayed (numbers in the Vietnamese format, "7.665,99";
    Unicode NFC), ``value`` as stored (``int``/``float``/``Decimal``/``str``/``datetime``/``None``;
    equal to ``text`` for DOCX and PDF), ``ref`` its location ("Ngân sách!E12").

    Merged cells (a workbook's merged range, a Word cell spanning grid columns or rows, a PDF
    cell spanning ruled columns) give their value ONCE: the first cell of the range holds it
    and ``span`` (rows, columns); every other cell of the range has ``text`` "" and
    ``merged_from`` = ``("h" | "v", the first cell's text, its ref)`` — "v" when the cell lies
    below the first row of the range (a unit or timing printed once for several rows), "h"
    when it lies beside it on the same row.

    ``formula``: the cell's formula as written ("=SUM(D8:D12)"), for workbooks;
    ``evaluated``: its value was computed here from the formula because the file holds no
    cached value (a workbook saved by a program, not by Excel); ``formula_error``: the
    formula could not be computed (then ``text`` is "" and the value unknown, never 0).
    """

    text: str
    value: object
    ref: str
    span: tuple[int, int] = (1, 1)
    merged_from: tuple[str, str, str] | None = None
    formula: str | None = None
    evaluated: bool = False
    formula_error: str | None = None


@dataclass
class Table:
    """A table: ``name`` ("Ngân sách" for a sheet, "Bảng 2", "Trang 3, bảng 1"), ``rows`` of
    cells (a row may be shorter than the widest one) and, per row, ``lines[i]``: the 1-based
    line of ``Extracted.lines`` the row was flattened into (``None`` for an empty row)."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)
    page_starts: set[int] = field(default_factory=set)  # PDF: indexes of rows that open a page (may continue a row)


@dataclass
class Extracted:
    """A document read by one of the readers (see the module docstring)."""

    format: str  # "xlsx" | "xls" | "docx" | "pdf"
    lines: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    hidden: dict[str, list[list[object]]] = field(default_factory=dict)  # hidden sheets' values (xlsx, xls)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (where, message): what the reader left out

    def add_line(self, text: str, ref: str) -> int:
        """Append a line with its reference; returns its 1-based number."""
        self.lines.append(text)
        self.refs.append(ref)
        return len(self.lines)

    def cell_rows(self) -> dict:
        """The table rows as the table model's ``SourceRow`` s, by line number: each row's
        cell texts, its reference ("Bảng 1, hàng 5"), every cell's ("Bảng 1, hàng 5, cột 4",
        "PL1!D12"), what merged cells repeat (``SourceRow.merged``) and the formulas of
        workbook cells. ``{line: SourceRow}``; rows flattened into no line (empty) are absent."""
        from loaders.tables.model import SourceRow

        out = {}
        for table in self.tables:
            for k, (cells, line) in enumerate(zip(table.rows, table.lines)):
                if line:
                    out[line] = SourceRow(
                        [c.text for c in cells], self.refs[line - 1], line, [c.ref for c in cells],
                        merged=[c.merged_from for c in cells], spans=[c.span[1] for c in cells],
                        formulas=[(c.formula, c.evaluated, c.formula_error) if c.formula else None for c in cells],
                        continuable=self.format not in ("xlsx", "xls", "docx", "pdf") or k in table.page_starts,
                    )
        return out

    def ref(self, line: int | None) -> str | None:
        """The location of 1-based ``line`` ("Trang 2, dòng 14"), ``None`` when unknown."""
        if line is None or not 1 <= line <= len(self.refs):
            return None
        return self.refs[line - 1]


def row_line(cells: list[str]) -> str:
    """One line for a table row: cells joined by tabs, in-cell line breaks made spaces,
    trailing empty cells dropped (``["1", "Hội nghị", "", "40.000.000"]`` →
    ``"1\\tHội nghị\\t\\t40.000.000"``)."""
    texts = [" ".join((c or "").split()) for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    return "\t".join(texts)
