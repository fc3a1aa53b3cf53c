"""One table model for every table of every document: rows of cells, each cell with its source.

A table is a :class:`Header` (columns whose *role* is found from the header text by the
reviewed synonyms in ``data/vocabulary/columns.csv``) and :class:`Row` s (a code such as
I, II, 1, 1.1, a, -, +; a kind: item / heading / total; one :class:`Cell` per column). Every
cell keeps where it was printed: ``where`` ("000_x.txt:9", "Ngân sách!E12", "bảng 2, hàng 5")
and, for text, its ``line`` (1-based, the numbering of ``loaders.documents.read_lines``).

API (stable; other parsers build on it)::

    from loaders.table import read_tsv, read_cells, read_spaced, SourceRow, vocabulary, load_profile

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
them: amounts are read by the profile parsers with :func:`loaders.numbers.to_vnd`, which
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

import csv
import html
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterable, Sequence

from .numbers import NUMBER_LIKE_RE, UnitError, canonical_unit, find_unit, looks_like_number
from .periods import TIMING_RE

DATA = Path(__file__).resolve().parent.parent / "data"
COLUMNS_CSV = DATA / "vocabulary" / "columns.csv"
PROFILES = DATA / "profiles"

# Order assumed for space-separated rows when the header does not say otherwise.
DEFAULT_ORDER = ("code", "description", "period", "amount", "note")

CODE_RE = re.compile(
    r"^(?P<code>(?:XX|XIX|XVIII|XVII|XVI|XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\.?"
    r"|\d{1,3}(?:\.\d{1,3})*\.?|[a-zđ][.)]|[-+*•])(?=\s|$)"
)
# "(Bằng chữ: …)", "Số tiền bằng chữ: …", "Viết bằng chữ: …": a total written in words.
WORDS_RE = re.compile(r"^\s*\(?\s*(?:(?:số tiền|viết)\s+)?bằng chữ\s*:", re.I)
_TAG_RE = re.compile(r"<[^>]+>")
_YEAR_RE = re.compile(r"\b((?:19|20)\d{2})\b")
_YEAR_CELL_RE = re.compile(r"(?:năm\s+)?(?:19|20)\d{2}")  # a header cell "Năm 2020"


def clean(text: str | None) -> str:
    """Cell text without conversion markup (``<b>``, ``<p>``, entities), spaces squeezed, NFC."""
    if not text:
        return ""
    s = html.unescape(_TAG_RE.sub(" ", text))
    return " ".join(unicodedata.normalize("NFC", s).split())


def norm(text: str | None) -> str:
    """Lower-case, squeezed form of a text, for matching phrases."""
    return clean(text).lower()


def parse_code(text: str | None) -> str | None:
    """The row code a line starts with, without its trailing "." or ")":
    "II …" → "II", "1. …" → "1", "3.1 …" → "3.1", "a) …" → "a", "- …" → "-"; ``None`` when
    there is none."""
    m = CODE_RE.match(clean(text))
    if not m:
        return None
    code = m.group("code")
    return code.rstrip(".)") or code


def cell_code(text: str | None) -> str | None:
    """The code of a code cell, which holds nothing else: "1." → "1", "a" → "a", "II" → "II";
    ``None`` for "<b>Công tác …</b>" or any cell that is more than a code."""
    t = clean(text)
    if re.fullmatch(r"[a-zđ]", t):
        return t
    m = CODE_RE.match(t)
    return parse_code(t) if m and m.end() == len(t) else None


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


def code_parents(codes: Sequence[str]) -> list[int | None]:
    """The parent of each row (an index into ``codes``, or ``None``) from the codes alone.

    A Roman numeral opens a section (no parent); "1.2" belongs to "1" when "1" is printed in
    the same section, else to the section; a number belongs to the section; a letter ("a") to
    the last number (else the section); "-" to the last letter or number; "+" (and "*", "•")
    to the last "-", else the last letter or number. Source: the numbering of Vietnamese
    administrative tables (GLOSSARY "Money": Roman sections, numbered lines, "-" lines).
    """
    parents: list[int | None] = []
    section: int | None = None
    by_code: dict[str, int] = {}
    last: dict[str, int | None] = {"num": None, "letter": None, "-": None}
    for i, code in enumerate(codes):
        if re.fullmatch(r"[IVX]+", code):
            parent, section, by_code = None, i, {}
            last = {"num": None, "letter": None, "-": None}
        elif re.fullmatch(r"\d+(?:\.\d+)*", code):
            prefix = code.rsplit(".", 1)[0] if "." in code else None
            parent = by_code.get(prefix, section) if prefix else section
            by_code[code] = i
            last = {"num": i, "letter": None, "-": None}
        elif re.fullmatch(r"[a-zđ]", code):
            parent = last["num"] if last["num"] is not None else section
            last["letter"], last["-"] = i, None
        elif code == "-":
            parent = next((p for p in (last["letter"], last["num"], section) if p is not None), None)
            last["-"] = i
        else:
            parent = next((p for p in (last["-"], last["letter"], last["num"], section) if p is not None), None)
        parents.append(parent)
    return parents


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class ColumnSpec:
    """What a header phrase means: the column's role and, for amounts, its stage."""

    role: str
    phrase: str
    stage: str | None = None


class ColumnVocabulary:
    """The reviewed header synonyms (``columns.csv``): phrase → role and stage."""

    def __init__(self, specs: Iterable[ColumnSpec]):
        specs = list(specs)
        self.columns = [s for s in specs if s.role != "total"]
        self.total_labels = tuple(norm(s.phrase) for s in specs if s.role == "total")
        alternatives = sorted({norm(s.phrase) for s in self.columns}, key=len, reverse=True)
        self._by_phrase = {norm(s.phrase): s for s in self.columns}
        self._re = re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)")
        self._loose_re = re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")")
        self.header_words = {w for a in alternatives for w in a.split()}
        total = "|".join(re.escape(t) for t in sorted(self.total_labels, key=len, reverse=True))
        self._total_re = re.compile(rf"^(?P<label>(?:{total})\b\s*(?:\((?P<scope>[^()]*)\))?)\s*:?\s*(?P<rest>.*)$", re.I)

    @classmethod
    def load(cls, path: Path = COLUMNS_CSV) -> "ColumnVocabulary":
        """Read ``columns.csv`` (columns role, phrase, stage, note)."""
        with path.open(encoding="utf-8", newline="") as fh:
            return cls(ColumnSpec(r["role"], r["phrase"], r["stage"] or None) for r in csv.DictReader(fh))

    def matches(self, text: str, loose: bool = False) -> list[tuple[int, int, ColumnSpec]]:
        """Non-overlapping header phrases in ``text``, leftmost-longest: (start, end, spec)
        with offsets into ``norm(text)``. ``loose``: a phrase may run into the next word
        ("Ghi chúThời gian" as extracted from a PDF)."""
        regex = self._loose_re if loose else self._re
        return [(m.start(), m.end(), self._by_phrase[m.group(1)]) for m in regex.finditer(norm(text))]

    def classify(self, text: str) -> ColumnSpec | None:
        """The role of a header cell: the (longest) phrase it starts with, once years
        ("Năm 2020") and parentheses ("(triệu đồng)") are set aside; ``None`` when it starts
        with none ("Chi cho các đơn vị sự nghiệp" is not a header)."""
        s = re.sub(r"\([^()]*\)", " ", norm(text))
        s = " ".join(re.sub(r"\b(?:19|20)\d{2}\b", " ", s).split())
        s = re.sub(r"^(?:năm\s+)+", "", s)
        found = self.matches(s)
        return found[0][2] if found and found[0][0] == 0 else None

    def coverage(self, text: str) -> float:
        """Share (0–1) of a text's letters that belong to header phrases, a year or a unit."""
        s = norm(text)
        s = re.sub(r"\([^()]*\)", " ", s)
        s = _YEAR_RE.sub(" ", s)
        letters = len(re.sub(r"\W", "", s))
        if not letters:
            return 0.0
        covered = sum(len(re.sub(r"\W", "", s[a:b])) for a, b, _ in self.matches(s))
        return covered / letters

    def total(self, text: str) -> re.Match[str] | None:
        """A printed total label at the start of ``text`` ("TỔNG CỘNG (I+II) 1.000"), followed
        by nothing or by a number: the match with groups ``label``, ``scope`` and ``rest``;
        ``None`` otherwise ("Tổng hợp kết quả", "Cộng tác viên" are not totals)."""
        m = self._total_re.match(clean(text))
        if not m:
            return None
        rest = m.group("rest")
        if rest and not NUMBER_LIKE_RE.match(rest.split()[0]) and not re.match(r"^[-−–(]?\s?\d", rest):
            return None
        return m

    def is_fragment(self, text: str, max_words: int = 4) -> bool:
        """True for a piece of a wrapped header ("Thời gian", "thực hiện", "Dự toán kinh", "phí")."""
        words = norm(text).split()
        return 0 < len(words) <= max_words and all(w in self.header_words for w in words)


@cache
def vocabulary() -> ColumnVocabulary:
    """The shared vocabulary of ``data/vocabulary/columns.csv`` (read once)."""
    return ColumnVocabulary.load()


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Profile:
    """A document family as data (``data/profiles/<name>.toml``): the stage of its amounts,
    the unit used when the document prints none (always warned), and family words such as
    the labels of the unit line. ``words`` holds every other key of the file."""

    name: str
    stage: str | None
    unit: str | None
    words: dict

    def list(self, key: str) -> tuple[str, ...]:
        """A list of phrases of the profile (``()`` when absent)."""
        return tuple(self.words.get(key, ()))


@cache
def load_profile(name: str) -> Profile:
    """Read ``data/profiles/<name>.toml``. Raises ``FileNotFoundError`` for an unknown name."""
    data = tomllib.loads((PROFILES / f"{name}.toml").read_text(encoding="utf-8"))
    return Profile(
        name=data.pop("name", name), stage=data.pop("stage", None), unit=data.pop("unit", None), words=data
    )


# --------------------------------------------------------------------------- the model


@dataclass
class Cell:
    """One cell: its text (markup removed, wrapped parts joined), where it was printed and,
    for text documents, the lines it spans."""

    text: str
    where: str
    line: int | None = None
    lines: tuple[int, ...] = ()
    raw: str = ""

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
    ("Ngân sách!A5", "000.txt:9", "bảng 2, hàng 5"), ``cell_where`` per cell when known."""

    cells: Sequence[str | None]
    where: str
    line: int | None = None
    cell_where: Sequence[str] | None = None

    def cell(self, i: int) -> Cell | None:
        text = self.cells[i] if i < len(self.cells) else None
        if text is None or not clean(text):
            return None
        where = self.cell_where[i] if self.cell_where and i < len(self.cell_where) else self.where
        return Cell(clean(text), where, self.line, (self.line,) if self.line else (), raw=text)


def _role_cells(row: SourceRow, vocab: ColumnVocabulary) -> int:
    """How many cells of a row read as header phrases (most of the cell is a phrase)."""
    n = 0
    for text in row.cells:
        if text and clean(text) and vocab.coverage(text) >= 0.5:
            n += 1
    return n


def _is_header_row(row: SourceRow, vocab: ColumnVocabulary) -> bool:
    texts = [clean(t) for t in row.cells if t and clean(t)]
    if any(looks_like_number(t) for t in texts):
        return False
    return _role_cells(row, vocab) >= 2


def _is_header_continuation(row: SourceRow, vocab: ColumnVocabulary) -> bool:
    texts = [clean(t) for t in row.cells if t and clean(t)]
    if not texts or any(looks_like_number(t) for t in texts) or parse_code(row.cells[0] if row.cells else None):
        return False
    # a second header row: its code cell is empty, no number, and at least one cell is a known
    # header phrase or a year (other cells may be headers the vocabulary does not know)
    if row.cells and clean(row.cells[0]):
        return False
    return any(vocab.coverage(t) >= 0.5 or _YEAR_CELL_RE.fullmatch(norm(t)) for t in texts)


def _build_header(rows: list[SourceRow], vocab: ColumnVocabulary) -> Header:
    width = max(len(r.cells) for r in rows)
    grid = [[clean(r.cells[i]) if i < len(r.cells) and r.cells[i] else "" for i in range(width)] for r in rows]
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
                              int(year.group(1)) if year else None, unit))
    lines = tuple(r.line for r in rows if r.line)
    return Header(columns, rows[0].where, rows[0].line, lines)


_UNIT_LINE_RE = re.compile(r"^\W*đơn vị(?P<tinh>\s+tính)?\s*:\s*(?P<unit>.+?)\W*$", re.I)


def unit_line(text: str, where: str, line: int | None = None) -> str | None:
    """The unit of amounts a line or cell states: "Đơn vị tính: triệu đồng" → "triệu đồng";
    "Đơn vị: đồng" → "đồng"; ``None`` for "Đơn vị: Văn phòng Sở" (an organisational unit) or
    any other text. Raises ``TableError`` when "Đơn vị tính:" names no unit of amount."""
    m = _UNIT_LINE_RE.match(clean(text))
    if not m:
        return None
    if m.group("tinh"):
        return _unit(text, where, line)
    try:
        return canonical_unit(m.group("unit"))
    except UnitError:
        return None


def _unit_in(row: SourceRow) -> str | None:
    for text in row.cells:
        unit = unit_line(text, row.where, row.line) if text else None
        if unit:
            return unit
    return None


_COLUMN_NUMBER_RE = re.compile(r"^\(?(?:(?P<n>\d{1,2})|(?P<letter>[A-Z])|\d{1,2}\s*=\s*[\d\s+\-*/x×()]+)\)?$")


def is_column_numbers(row: SourceRow) -> bool:
    """True for the row of column numbers many tables print under their header: "(1) (2)
    (3)", "1 2 3 4", "A B 1 2 3=1+2": at least two filled cells, each a number, a capital
    letter or a formula of column numbers, the numbers consecutive from left to right (so a
    data row "1 | Hội nghị | 45" or "1 | | 45" is never one)."""
    texts = [clean(t) for t in row.cells if t and clean(t)]
    if len(texts) < 2:
        return False
    numbers = []
    for t in texts:
        m = _COLUMN_NUMBER_RE.match(t)
        if not m:
            return False
        if m.group("n"):
            numbers.append(int(m.group("n")))
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:]))


def read_cells(rows: Iterable[SourceRow], vocab: ColumnVocabulary | None = None) -> list[Table]:
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
    """
    vocab = vocab or vocabulary()
    rows = list(rows)
    tables: list[Table] = []
    table: Table | None = None
    pending_unit: tuple[str, SourceRow] | None = None
    after_break = False
    i = 0
    while i < len(rows):
        row = rows[i]
        unit = _unit_in(row)
        if unit:
            pending_unit = (unit, row)
            i += 1
            continue
        if _is_header_row(row, vocab):
            group = [row]
            while i + 1 < len(rows) and _is_header_continuation(rows[i + 1], vocab):
                i += 1
                group.append(rows[i])
            header = _build_header(group, vocab)
            if table is not None and [c.role for c in header.columns] == table.header.roles() \
                    and [c.text for c in header.columns] == [c.text for c in table.header.columns]:
                after_break = True  # the same header after a page break
            else:
                table = Table(header)
                if pending_unit:
                    table.unit, table.unit_where, table.unit_line = pending_unit[0], pending_unit[1].where, pending_unit[1].line
                    pending_unit = None
                tables.append(table)
                after_break = False
            i += 1
            if i < len(rows) and is_column_numbers(rows[i]):
                i += 1  # "(1) (2) (3) …" printed under the header: not a row
            continue
        if table is None:
            i += 1
            continue
        _add_row(table, row, vocab, after_break)
        after_break = False
        i += 1
    return tables


def _add_row(table: Table, row: SourceRow, vocab: ColumnVocabulary, after_break: bool) -> None:
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
        return
    code_i = header.index("code")
    code_i = 0 if code_i is None else code_i
    desc_i = header.index("description")
    code_cell = cells[code_i]
    for i in (code_i, desc_i):
        if i is not None and cells[i] is not None and vocab.total(cells[i].text) and not parse_code(cells[i].text):
            table.rows.append(Row("total", None, cells, header, row.where, row.line))
            return
    code = cell_code(code_cell.text) if code_cell else None
    if code is not None:
        table.rows.append(Row("item", code, cells, header, row.where, row.line))
        return
    if code_cell is None and table.rows:
        prev = table.rows[-1]
        for j, c in enumerate(cells):
            if c is None:
                continue
            if prev.cells[j] is None:
                prev.cells[j] = c
            else:
                prev.cells[j].extend(c)
        prev.continued = prev.continued or after_break
        return
    table.rows.append(Row("heading", None, cells, header, row.where, row.line))


def read_tsv(lines: Sequence[str], file: str, vocab: ColumnVocabulary | None = None, first_line: int = 1) -> list[Table]:
    """Tables of tab-separated text (cells explicit). ``lines[k]`` is line ``first_line + k``.

    Lines without a tab are not table rows: a blank line keeps the table open (a page
    break), "Đơn vị tính: …" sets the unit of the next table, any other text ends it.
    Returns the tables in document order (see :func:`read_cells` for the row rules).
    """
    vocab = vocab or vocabulary()
    out: list[Table] = []
    chunk: list[SourceRow] = []

    def flush() -> None:
        out.extend(read_cells(chunk, vocab))
        chunk.clear()

    for k, raw in enumerate(lines):
        n = first_line + k
        if "\t" in raw:
            chunk.append(SourceRow(raw.split("\t"), f"{file}:{n}", n))
        elif not raw.strip():
            continue
        elif unit_line(raw, f"{file}:{n}", n):
            flush()
            chunk.append(SourceRow([raw], f"{file}:{n}", n))
        else:
            flush()
    flush()
    return out


# --------------------------------------------------------------------------- space-separated


@dataclass
class _Span:
    start: int
    end: int
    tail: int = -1  # where the text after the amount starts (after a unit word "đồng")

    def text(self, s: str) -> str:
        return s[self.start:self.end].strip()


_UNIT_WORD_RE = re.compile(r"^(?:đồng|đ|VNĐ)(?!\w)\s*")


def _amount_span(s: str, masked: list[tuple[int, int]]) -> _Span | None:
    """The amount of a space-separated row: the rightmost number-shaped token (with its sign)
    that is followed by nothing, a note ("Nguồn …", "(…)") or another typed cell."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", s)]
    for k in range(len(tokens) - 1, -1, -1):
        a, b = tokens[k]
        tok = s[a:b]
        suffix = re.search(r"(?<=\d)(?:đồng|đ|VNĐ)$", tok)
        if suffix:  # "40.000.000đ": the unit printed with the amount
            b -= len(suffix.group(0))
            tok = s[a:b]
        if any(ms <= a < me for ms, me in masked):
            continue
        if not NUMBER_LIKE_RE.match(tok):
            continue
        digits = tok.lstrip("-−–(")
        if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
            continue  # "02 lớp", "07 cơ sở": a count, never an amount
        tail_at = b + len(suffix.group(0)) if suffix else b
        if not suffix:
            unit_word = _UNIT_WORD_RE.match(s[b:].lstrip())
            if unit_word:  # "40.000.000 đồng Nguồn SNKH"
                tail_at = len(s) - len(s[b:].lstrip()) + unit_word.end()
        tail = s[tail_at:].strip()
        if tail and not (tail[0] == "(" or tail[0].isupper()):
            continue  # "5 doanh nghiệp": a number inside the description
        if k > 0 and s[tokens[k - 1][0]:tokens[k - 1][1]] in ("−", "–", "-") and tok[0].isdigit():
            a = tokens[k - 1][0]  # "− 5.000.000": a sign separated by a space
        return _Span(a, b, tail_at)
    return None


def split_spaced(text: str, order: Sequence[str | None] = DEFAULT_ORDER) -> dict[str, str]:
    """Recognise the cells of one space-separated row (text after its code) by type, from
    the right: the amount, a period right before or after it, a note after it (or before it
    when the header puts the note column first), and the description that is left.

    ``"Tuyên truyền Quý II 40.000.000 Nguồn SNKH"`` → ``{"description": "Tuyên truyền",
    "period": "Quý II", "amount": "40.000.000", "note": "Nguồn SNKH"}``. Roles not found
    are absent. The amount is not validated here (``to_vnd`` does that).
    """
    s = " ".join(text.split())
    periods = [(m.start(), m.end()) for m in TIMING_RE.finditer(s)]
    out: dict[str, str] = {}
    amount = _amount_span(s, periods)
    before, after = (s[: amount.start], s[amount.tail:]) if amount else (s, "")
    if amount:
        out["amount"] = amount.text(s)
        p_before = [p for p in periods if p[1] <= amount.start and not s[p[1]:amount.start].strip()]
        p_after = [p for p in periods if p[0] >= amount.tail and not s[amount.tail:p[0]].strip()]
        if p_before:
            out["period"] = s[p_before[-1][0]:p_before[-1][1]]
            before = s[: p_before[-1][0]]
        elif p_after:
            out["period"] = s[p_after[0][0]:p_after[0][1]]
            after = s[p_after[0][1]:]
    else:
        p_end = [p for p in periods if not s[p[1]:].strip()]
        if p_end:
            out["period"] = s[p_end[-1][0]:p_end[-1][1]]
            before = s[: p_end[-1][0]]
    if after.strip():
        out["note"] = after.strip()
    roles = [r for r in order if r]
    if "note" not in out and amount and "note" in roles and "amount" in roles and roles.index("note") < roles.index("amount"):
        m = re.search(r"(?<!\S)(Nguồn\b.*|\([^()]*\))\s*$", before)
        if m and before[: m.start()].strip():
            out["note"] = m.group(1).strip()
            before = before[: m.start()]
            p_end = [p for p in periods if p[1] <= len(before.rstrip()) and not before[p[1]:].strip()]
            if "period" not in out and p_end:
                out["period"] = s[p_end[-1][0]:p_end[-1][1]]
                before = before[: p_end[-1][0]]
    if before.strip():
        out["description"] = before.strip()
    return out


def spaced_header(text: str, vocab: ColumnVocabulary | None = None) -> list[str] | None:
    """The roles of a space-separated header line ("TT Nội dung thực hiện Thời gian thực hiện
    Dự toán kinh phí Ghi chú" → code, description, period, amount, note), or ``None`` when the
    line is not a header: it must start with a code phrase followed by a description phrase,
    and header phrases must cover most of it."""
    vocab = vocab or vocabulary()
    found = vocab.matches(text, loose=True)
    if len(found) < 2 or found[0][0] != 0 or found[0][2].role != "code" or found[1][2].role != "description":
        return None
    if vocab.coverage(text) < 0.6 and len(found) < 3:
        return None
    return [spec.role for _, _, spec in found]


def _spaced_row(parts: list[tuple[int, str]], order: list[str], header: Header, file: str) -> Row:
    """A row from its lines: the line holding the amount is split by type; the other lines
    continue the description (or a note left open with "và", ",", "+")."""
    first_line, first_text = parts[0]
    code = parse_code(first_text)
    texts = [(n, clean(t)) for n, t in parts]
    texts[0] = (first_line, clean(first_text)[len(CODE_RE.match(clean(first_text)).group(0)):].strip() if code else clean(first_text))
    splits = [(n, split_spaced(t, order)) for n, t in texts]
    amount_at = max((k for k, (_, sp) in enumerate(splits) if "amount" in sp), default=None)
    main = amount_at if amount_at is not None else 0
    cells: dict[str, Cell] = {}

    def put(role: str, n: int, value: str) -> None:
        c = Cell(value, f"{file}:{n}", n, (n,))
        if role in cells:
            cells[role].extend(c)
        else:
            cells[role] = c

    for k, (n, t) in enumerate(texts):
        if k == main:
            for role in ("description", "period", "amount", "note"):
                if role in splits[k][1]:
                    put(role, n, splits[k][1][role])
        elif k > main and "note" in cells and re.search(r"(\bvà|[,+&])$", cells["note"].text):
            put("note", n, t)
        elif t:
            put("description", n, t)
    roles = list(dict.fromkeys(["code", *order, "description", "period", "amount", "note"]))
    columns = [Column(i, r, r) for i, r in enumerate(roles)]
    row_header = Header(columns, header.where, header.line, header.lines)
    row_cells: list[Cell | None] = [cells.get(r) for r in roles]
    row_cells[0] = Cell(code, f"{file}:{first_line}", first_line, (first_line,)) if code else None
    return Row("item", code, row_cells, row_header, f"{file}:{first_line}", first_line)


def read_spaced(lines: Sequence[str], file: str, vocab: ColumnVocabulary | None = None, first_line: int = 1) -> list[Table]:
    """Tables of space-separated text as extracted from PDF (000). ``lines[k]`` is line
    ``first_line + k``.

    A table opens at a header line (:func:`spaced_header`); pieces of a wrapped header
    ("Thời gian" / "thực hiện") below or around it are skipped. A row is a line starting with a
    code (a "-"/"+" bullet only when it prints an amount or a period), plus the lines directly
    below it; a total row starts with a total label ("TỔNG CỘNG (II) 1.015.000.000") and takes
    a following "(Bằng chữ: …)" line as its ``words`` cell. Any other line ends the table: it
    and everything up to the next header is ``Table.after`` (paragraphs). The table's unit is
    the one in its header ("Dự toán (triệu đồng)"), else the last "Đơn vị tính" line above it.

    Raises ``TableError`` for a "Đơn vị tính" line naming a unit that is not a unit of amount.
    """
    vocab = vocab or vocabulary()
    tables: list[Table] = []
    table: Table | None = None
    in_rows = False
    unit: tuple[str, int] | None = None
    current: list[tuple[int, str]] | None = None
    last_total: Row | None = None
    block: list[str] = []
    block_start = 0
    prev_blank = True

    def flush_row() -> None:
        nonlocal current
        if current and table is not None:
            table.rows.append(_spaced_row(current, order, table.header, file))
        current = None

    def flush_block() -> None:
        nonlocal block
        if block and table is not None:
            table.after.append(Block(block_start, block))
        block = []

    order: list[str] = list(DEFAULT_ORDER)
    for k, raw in enumerate(lines):
        n = first_line + k
        text = clean(raw)
        if not text:
            flush_row()
            flush_block()
            prev_blank = True
            continue
        if re.match(r"\W*đơn vị", text, re.I):
            u = unit_line(text, f"{file}:{n}", n)
            if u:
                unit = (u, n)
                flush_row()
                flush_block()
                prev_blank = False
                continue
        roles = spaced_header(text, vocab)
        if roles:
            flush_row()
            flush_block()
            order = roles
            columns = [Column(i, r, r) for i, r in enumerate(roles)]
            table = Table(Header(columns, f"{file}:{n}", n, (n,)))
            in_header = _unit(text, f"{file}:{n}", n)  # "Dự toán kinh phí (triệu đồng)"
            if in_header:
                table.unit, table.unit_where, table.unit_line = in_header, f"{file}:{n}", n
            elif unit:
                table.unit, table.unit_where, table.unit_line = unit[0], f"{file}:{unit[1]}", unit[1]
            tables.append(table)
            in_rows, last_total, prev_blank = True, None, False
            continue
        if table is not None and in_rows:
            found = vocab.matches(text, loose=True)
            if not table.rows and current is None and len(found) >= 2 and not re.search(r"\d", text) \
                    and vocab.coverage(text) >= 0.8:
                # the header wrapped onto a second line: "TT Nội dung" / "Thời gian … Dự toán Ghi chú"
                order = list(dict.fromkeys(order + [spec.role for _, _, spec in found]))
                table.header.columns = [Column(i, r, r) for i, r in enumerate(order)]
                table.header.lines += (n,)
                in_header = _unit(text, f"{file}:{n}", n)
                if in_header:
                    table.unit, table.unit_where, table.unit_line = in_header, f"{file}:{n}", n
                continue
            if vocab.is_fragment(text):
                flush_row()
                prev_blank = False
                continue
            total = vocab.total(text)
            if total and total.group("label").strip():
                flush_row()
                sp = split_spaced(total.group("rest"), ("amount", "note"))
                label = total.group("label").strip()
                cells = {"description": Cell(label, f"{file}:{n}", n, (n,))}
                if "amount" in sp:
                    cells["amount"] = Cell(sp["amount"], f"{file}:{n}", n, (n,))
                roles_t = ["code", "description", "amount", "words"]
                header = Header([Column(i, r, r) for i, r in enumerate(roles_t)], table.header.where, table.header.line)
                last_total = Row("total", None, [None, cells["description"], cells.get("amount"), None], header, f"{file}:{n}", n)
                table.rows.append(last_total)
                prev_blank = False
                continue
            if WORDS_RE.match(text) and last_total is not None and last_total.cells[3] is None:
                flush_row()
                last_total.cells[3] = Cell(text, f"{file}:{n}", n, (n,))
                prev_blank = False
                continue
            code = parse_code(text)
            if code is not None:
                rest = text[len(CODE_RE.match(text).group(0)):]
                sp = split_spaced(rest, order)
                if code not in "-+*•" or "amount" in sp or "period" in sp:
                    flush_row()
                    current = [(n, raw)]
                    prev_blank = False
                    continue
            if current is not None and not prev_blank:
                current.append((n, raw))
                continue
            flush_row()
            in_rows = False
            table.end_line = n - 1
        if table is None:
            prev_blank = False
            continue
        if not block:
            block_start = n
        block.append(raw)
        prev_blank = False
    flush_row()
    flush_block()
    return tables
