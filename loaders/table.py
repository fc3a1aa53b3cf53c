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
    r"^(?P<code>(?:XX|XIX|XVIII|XVII|XVI|XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)(?:\.\d{1,2})?\.?"
    r"|\d{1,3}(?:\.\d{1,3})*\.?|[a-zđ][.)]|[A-HĐ]\.?|[-+*•])(?=\s|$)"
)
# A part letter ("A", "B." …) above Roman sections: "A Kinh phí sự nghiệp khoa học 450.000".
PART_RE = re.compile(r"[A-HĐ]")
# "(Bằng chữ: …)", "Số tiền bằng chữ: …", "Viết bằng chữ: …": a total written in words.
WORDS_RE = re.compile(r"^\s*\(?\s*(?:(?:số tiền|viết)\s+)?bằng chữ\s*:", re.I)
_TAG_RE = re.compile(r"<[^>]+>")
_YEAR_RE = re.compile(r"\b((?:19|20)\d{2})\b")
_PAGE_NUMBER_RE = re.compile(r"\s*(?:-\s*)?\d{1,4}(?:\s*-)?\s*")
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
    "II …" → "II", "1. …" → "1", "3.1 …" → "3.1", "a) …" → "a", "A. …" → "A" (a part),
    "- …" → "-"; ``None`` when there is none."""
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

    A capital letter ("A", "B") opens a part (no parent); a Roman numeral opens a section (its
    parent is the part, else none); "1.2" belongs to "1" when "1" is printed in
    the same section, else to the section; a number belongs to the section (else the part); a
    letter ("a") to the last number (else the section); "-" to the last letter or number; "+"
    (and "*", "•") to the last "-", else the last letter or number. Source: the numbering of
    Vietnamese administrative tables (GLOSSARY "Money": parts A, B, Roman sections, numbered
    lines, "-" lines).
    """
    parents: list[int | None] = []
    part: int | None = None
    section: int | None = None
    by_code: dict[str, int] = {}
    last: dict[str, int | None] = {"num": None, "letter": None, "-": None}
    for i, code in enumerate(codes):
        if PART_RE.fullmatch(code):
            parent, part, section, by_code = None, i, i, {}
            last = {"num": None, "letter": None, "-": None}
        elif re.fullmatch(r"[IVX]+", code):
            parent, section, by_code = part, i, {}
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
    # header cells are a few words: a row with a sentence in it continues a row cut by the
    # page break ("mục đích, yêu cầu đề ra. Hội thảo …" | "nguồn kinh phí khác)")
    if any(len(t.split()) > 15 for t in texts):
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

    Lines without a tab are not table rows: a blank line or a page number ("2", "- 2 -")
    keeps the table open (a page break), "Đơn vị tính: …" sets the unit of the next table,
    any other text ends it.
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
        elif not raw.strip() or _PAGE_NUMBER_RE.fullmatch(raw):
            continue  # a blank line or a page number between two parts of a table
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


def _header_follows(lines: Sequence[str], k: int, vocab: ColumnVocabulary) -> bool:
    """True when the first non-blank line from ``lines[k]`` on is a table header."""
    for raw in lines[k:]:
        if clean(raw):
            return spaced_header(clean(raw), vocab) is not None
    return False


def read_spaced(lines: Sequence[str], file: str, vocab: ColumnVocabulary | None = None, first_line: int = 1) -> list[Table]:
    """Tables of space-separated text as extracted from PDF (000). ``lines[k]`` is line
    ``first_line + k``.

    A table opens at a header line (:func:`spaced_header`); pieces of a wrapped header
    ("Thời gian" / "thực hiện") below or around it are skipped. A row is a line starting with a
    code (a "-"/"+" bullet only when it prints an amount or a period), plus the lines directly
    below it; a total row starts with a total label ("TỔNG CỘNG (II) 1.015.000.000") and takes
    a following "(Bằng chữ: …)" line as its ``words`` cell. A bare number just above a header is
    a page number (skipped, never a row "2"). Any other line ends the table: it
    and everything up to the next header is ``Table.after`` (paragraphs). The table's unit is
    the one in its header ("Dự toán (triệu đồng)"), else the last "Đơn vị tính" line above it.

    Raises ``TableError`` for a "Đơn vị tính" line naming a unit that is not a unit of amount,
    and for a header whose unit differs from the "Đơn vị tính" line above it ("Đơn vị tính:
    đồng" over "Kinh phí (triệu đồng)": amounts a million times apart, never guessed).
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
            if in_header and unit and unit[0] != in_header:
                raise TableError(f"'Đơn vị tính: {unit[0]}' (dòng {unit[1]}) khác đơn vị trong tiêu đề cột "
                                 f"({in_header}): không rõ số tiền tính theo đơn vị nào", f"{file}:{n}", n)
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
            if _PAGE_NUMBER_RE.fullmatch(text) and _header_follows(lines, k + 1, vocab):
                flush_row()  # a page number above a repeated header ("2" / "TT Nội dung …")
                prev_blank = True
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


# --------------------------------------------------------------------------- cells wrapped column by column (flow)
#
# PDF text of a table with narrow columns (``data/raw/003``): every cell wraps over several
# lines and a row's cells come one after the other, column by column (all lines of the name,
# then the lead unit, …); the first lines of several cells sometimes share one text line; a
# header wraps over several lines and is repeated after each page break, sometimes after a
# page number; a row cut by a page break goes on after the repeated header with the rest of
# each of its cells, still column by column; a footnote may sit at the foot of a page. Which
# text belongs to which column is decided by the *type* of the text (a unit name, a timing,
# an amount …), which only the document family knows: the family gives a :class:`FlowTyper`.


@dataclass
class FlowPiece:
    """A piece of a row's text: a whole text line, or part of one cut at an anchor."""

    line: int
    text: str
    starts_line: bool = True
    ends_line: bool = True


class FlowTyper:
    """How well a text fits a column, for :func:`read_flow`. This base knows amounts, periods
    and free text; document families subclass it (``loaders.plan_cells.PlanTyper``).

    * :meth:`anchors`: offsets inside a line where another cell may start (a line holding
      the first lines of several cells);
    * :meth:`fit`: a score for ``pieces`` (of one cell, in order) in a column of ``role``,
      given the pieces ``before`` already in that cell (a part printed before a page break);
      higher is better, 0 is neutral, negative is implausible. :meth:`lines` gives their
      text line by line (pieces cut from one line joined again);
    * :meth:`max_pieces`: the most pieces a cell of ``role`` may take (bounds the search).
    """

    #: Words after which a wrapped text is not finished (it goes on in the next line).
    OPEN_WORDS = frozenset(
        "và của với cho các về trong theo để từ tại đến hoặc hay là được có những nhằm như gồm "
        "giữa đối cùng mọi do vào".split()
    )

    def columns(self, columns: list[Column]) -> list[Column]:
        """The columns of a header, as the family reads them (e.g. a column headed by a year,
        "Năm 2026", holds the year's targets). Default: as found."""
        return columns

    def bullets(self, columns: list[Column]) -> bool:
        """Whether "-" / "+" lines open rows in a table with these columns (lists of
        indicators) rather than bullets inside a cell (lists in a result). Default: no."""
        return False

    def anchors(self, text: str) -> list[int]:
        return [m.start(1) for m in re.finditer(r"\s{2,}(\S)", text)]

    def heading(self, code: str | None) -> bool:
        """Whether a row with this code is a heading whose text is all its title (a family
        rule, e.g. Roman-numbered sections). Default: no."""
        return False

    def max_pieces(self, role: str | None) -> int:
        return {"amount": 8, "period": 4, "code": 1}.get(role or "", 10_000)

    def is_open(self, text: str) -> bool:
        """True when ``text`` cannot end a cell: it ends with a comma, a hyphen, an open
        parenthesis or a function word ("và", "của" …)."""
        s = text.rstrip()
        if not s:
            return False
        if s.count("(") > s.count(")") or s[-1] in ",-–(;:":
            return True
        last = s.split()[-1].lower()
        return last in self.OPEN_WORDS

    def free(self, texts: list[str], before: list[str]) -> float:
        """Score of free text (names, results, notes): a new cell should start with a capital
        letter, a digit, a bullet or a quote; a continuation fits an open cell best."""
        first = texts[0].lstrip()
        lower = bool(first) and first[0].islower()
        if not before:
            return -2.0 if lower else 0.0
        prev = before[-1]
        score = -0.5  # a cell printed before a page break is finished unless it shows otherwise
        if self.is_open(prev):
            score += 1.5
        if lower:
            score += 0.5
        if prev.rstrip().endswith("."):
            score -= 1.0
        return score

    @staticmethod
    def lines(pieces: Sequence[FlowPiece]) -> list[str]:
        """The text of ``pieces`` line by line: a piece cut from inside a line is joined to
        the piece before it when that piece comes from the same line."""
        out: list[str] = []
        for k, p in enumerate(pieces):
            if out and not p.starts_line and pieces[k - 1].line == p.line:
                out[-1] = f"{out[-1]} {p.text}"
            else:
                out.append(p.text)
        return out

    def fit(self, role: str | None, pieces: list[FlowPiece], before: list[FlowPiece]) -> float:
        texts, before = self.lines(pieces), self.lines(before)
        if not texts:
            return 0.0
        joined = " ".join(" ".join(t.split()) for t in texts)
        if role == "amount":
            return 3.0 if looks_like_number(joined.split(" (")[0]) else -6.0
        if role == "period":
            return 3.0 if TIMING_RE.fullmatch(joined) else -6.0
        return self.free(texts, before)


def _flow_header_start(text: str, vocab: ColumnVocabulary) -> bool:
    """A line that opens a header: a code phrase ("STT", "TT"), then at least one more
    header phrase, and header words making up most of it."""
    found = vocab.matches(text, loose=True)
    return len(found) >= 2 and found[0][0] == 0 and found[0][2].role == "code" and vocab.coverage(text) >= 0.5


def _flow_header_more(text: str, vocab: ColumnVocabulary) -> bool:
    """A wrapped piece of a header: header words, a year, a unit in parentheses."""
    s = re.sub(r"\([^()]*\)|\b(?:19|20)\d{2}\b", " ", norm(text))
    words = [w for w in re.split(r"[\s,]+", s) if w]
    return bool(words) and all(w in vocab.header_words or w == "năm" for w in words) or (
        not words and bool(norm(text))
    )


def _flow_header_at(texts: Sequence[str], k: int, vocab: ColumnVocabulary) -> tuple[int, list[str]] | None:
    """The header starting at line ``k`` of ``texts``: (index after it, its lines), or None.
    It opens with a code phrase and another header phrase on one line ("STT Mục tiêu Năm
    2026"), or with the code phrase alone ("STT") when the lines below hold header phrases."""
    t = texts[k]
    if not t:
        return None
    alone = [spec.role for _, _, spec in vocab.matches(t, loose=True)] == ["code"] and vocab.coverage(t) == 1.0
    if not (_flow_header_start(t, vocab) or alone):
        return None
    parts, j = [t], k + 1
    while j < len(texts) and (not texts[j] or (_flow_header_more(texts[j], vocab) and not _flow_header_start(texts[j], vocab))):
        if texts[j]:
            parts.append(texts[j])
        j += 1
    if alone and not _flow_header_start(" ".join(parts), vocab):
        return None
    return j, parts


def _flow_columns(text: str, vocab: ColumnVocabulary, where: str, line: int) -> list[Column]:
    """Columns of a header whose wrapped parts are joined into ``text``. In PDF text a header
    cell starts with a capital letter ("STT | Mục tiêu | Năm 2026 | Đơn vị chủ trì tổng hợp |
    Ghi chú", "TT | Chỉ tiêu | Kế hoạch năm 2026"): the text is cut before each capitalised
    word that is not an abbreviation, two pieces are joined again when only together they
    are a header phrase ("Số" + "TT"), and a piece that is no phrase and holds no year goes
    with the piece before it."""
    s = clean(text)
    words = s.split(" ")
    chunks: list[str] = []
    for w in words:
        starts = w[:1].isupper() and not (sum(ch.isupper() for ch in w) >= 2 or "&" in w)
        if chunks and not starts:
            chunks[-1] += " " + w
        else:
            chunks.append(w)
    merged: list[str] = []
    for c in chunks:
        if merged and vocab.classify(merged[-1]) is None and not _YEAR_RE.search(merged[-1]) \
                and vocab.classify(f"{merged[-1]} {c}") is not None:
            merged[-1] = f"{merged[-1]} {c}"
        elif merged and vocab.classify(c) is None and not _YEAR_RE.search(c):
            merged[-1] = f"{merged[-1]} {c}"
        else:
            merged.append(c)
    columns = []
    for i, t in enumerate(merged):
        spec = vocab.classify(t)
        year = _YEAR_RE.search(t)
        columns.append(Column(i, spec.role if spec else None, t, spec.stage if spec else None,
                              int(year.group(1)) if year else None, _unit(t, where, line)))
    return columns


@dataclass
class _FlowRow:
    code: str | None
    line: int
    segments: list[list[FlowPiece]]
    total: str | None = None
    footnotes: list[str] = field(default_factory=list)


_ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
           "XVI", "XVII", "XVIII", "XIX", "XX"]


class _Numbering:
    """Which codes may open the next row: the next Roman numeral, the next number (or 1 after
    a Roman heading), the next sub-number of the last number ("2.1" after "2"), a bullet when
    bullets are rows."""

    def __init__(self, bullets: bool):
        self.bullets = bullets
        self.roman: str | None = None
        self.number = 0
        self.sub: tuple[int, int] | None = None
        self.fresh = True  # 1 may (re)start the numbers

    def accepts(self, code: str) -> bool:
        if code in ("-", "+"):
            return self.bullets
        if code in _ROMANS or re.fullmatch(r"(?:X|IX|IV|V?I{0,3})\.\d+", code):
            main, _, sub = code.partition(".")
            cur = _ROMANS.index(self.roman.partition(".")[0]) if self.roman else -1
            if not sub:
                return _ROMANS.index(main) == cur + 1
            cur_sub = int(self.roman.partition(".")[2] or 0) if self.roman else 0
            return (_ROMANS.index(main) == cur and int(sub) == cur_sub + 1) or (
                _ROMANS.index(main) == cur + 1 and sub == "1")
        m = re.fullmatch(r"(\d{1,3})(?:\.(\d{1,2}))?", code)
        if not m:
            return False
        n = int(m.group(1))
        if m.group(2) is None:
            return n == self.number + 1 or (n == 1 and self.fresh)
        s = int(m.group(2))
        last = self.sub if self.sub and self.sub[0] == n else (n, 0)
        return n == self.number and s == last[1] + 1

    def take(self, code: str) -> None:
        if code in ("-", "+"):
            return
        if code[0] in "IVX":
            self.roman, self.fresh = code, True
            return
        m = re.fullmatch(r"(\d{1,3})(?:\.(\d{1,2}))?", code)
        if m.group(2) is None:
            self.number, self.sub, self.fresh = int(m.group(1)), None, False
        else:
            self.sub = (int(m.group(1)), int(m.group(2)))


_FOOTNOTE_MARK_RE = re.compile(r"(?<=[^\d\s])(\d)$")


def _assign_flow(columns: list[Column], segments: list[list[FlowPiece]], typer: FlowTyper,
                 widths: dict[int, int] | None) -> list[list[FlowPiece]]:
    """Place the pieces of each page segment of a row in the columns, in column order, by
    the best total fit (dynamic programming over the cut points). Besides the typer's fit,
    a cell starting inside a line costs a little, a cell ending open ("và", ",") in the row's
    last segment costs more, and with ``widths`` (column → characters) a line that would not
    have wrapped there costs (:func:`_wrap_penalty`)."""
    cols = [c for c in columns if c.role != "code"]
    cells: list[list[FlowPiece]] = [[] for _ in cols]
    last_seg = max((x for x, seg in enumerate(segments) if seg), default=-1)
    neg = float("-inf")
    for s_i, seg in enumerate(segments):
        if not seg:
            continue
        n, m = len(seg), len(cols)
        open_end = [s_i == last_seg and typer.is_open(p.text) for p in seg]
        best = [[neg] * (n + 1) for _ in range(m + 1)]
        back = [[0] * (n + 1) for _ in range(m + 1)]
        best[0][0] = 0.0
        for k in range(1, m + 1):
            col = cols[k - 1]
            before = cells[k - 1]
            limit = typer.max_pieces(col.role)
            width = widths.get(col.index) if widths else None
            # Wrap penalties are additive: piece x after piece x-1 of the same cell; the first
            # piece of the cell after the cell's text printed before the page break.
            inner = [0.0] * (n + 1)
            if width:
                for x in range(n):
                    inner[x + 1] = inner[x] + _wrap_penalty([seg[x]], [seg[x - 1]] if x else [], width)
            prev_k, best_k, back_k = best[k - 1], best[k], back[k]
            for i in range(n + 1):
                for j in range(i, max(-1, i - limit - 1), -1):
                    if prev_k[j] == neg:
                        continue
                    score = typer.fit(col.role, seg[j:i], before)
                    if i > j:
                        if not seg[j].starts_line:
                            score -= 0.3
                        if open_end[i - 1]:
                            score -= 2.0  # a cell cannot end on "và", "của", a comma: it goes on
                        if width:
                            score -= inner[i] - inner[j + 1] + _wrap_penalty([seg[j]], before[-1:], width)
                    total = prev_k[j] + score
                    if total > best_k[i]:
                        best_k[i], back_k[i] = total, j
        i = n
        for k in range(m, 0, -1):
            j = back[k][i]
            cells[k - 1].extend(seg[j:i])
            i = j
    return cells


def _wrap_penalty(pieces: list[FlowPiece], before: list[FlowPiece], width: int) -> float:
    """How implausible it is that whole lines ``pieces`` (after ``before``) wrap in a column
    ``width`` characters wide: a line wider than the column, or a line whose first word
    would have fitted at the end of the line above it (then the cell had not wrapped; the
    more room was left, the less likely)."""
    penalty = 0.0
    prev = before[-1] if before else None
    for p in pieces:
        if p.starts_line and p.ends_line and len(p.text) > width:
            penalty += 3.0
        if prev is not None and prev.starts_line and prev.ends_line and p.starts_line:
            room = width - (len(prev.text) + 1 + len(p.text.split()[0]))
            if room >= 0:
                penalty += 0.5 + 3.0 * room / width
        prev = p
    return penalty


def _is_caps_title(text: str) -> bool:
    """A title in capitals ("NHIỆM VỤ VÀ GIẢI PHÁP"): at least 10 letters, all upper-case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 10 and all(c.isupper() for c in letters)


def read_flow(lines: Sequence[str], file: str, typer: FlowTyper, vocab: ColumnVocabulary | None = None,
              first_line: int = 1) -> list[Table]:
    """Tables of PDF text whose cells wrap column by column (``data/raw/003``). ``lines[k]``
    is line ``first_line + k``.

    * A header opens with a code phrase and more header phrases ("STT Mục tiêu Năm 2026") and
      goes on over the following lines that hold only header words, years and units
      ("Đơn vị chủ trì", "tổng hợp", "phí (tỷ đồng)"); its columns are
      :func:`_flow_columns`. The same header again is a page break: a page number printed
      just before it is dropped, and the row being read goes on after it (a new *segment*).
    * A row opens at a line starting with a code the numbering accepts (:class:`_Numbering`:
      next Roman numeral, next number or 1 after a heading, next sub-number, a "-"/"+" bullet
      when ``typer.bullets``); the code may be alone on its line. A bare number on its own line is
      not a row when the next line is another code (it is an amount). A line starting with a
      total label ("Tổng cộng 141,5") is a total row. A heading of the document that the
      numbering does not accept, a Roman numeral or part letter before a title in capitals
      ("II. NHIỆM VỤ VÀ GIẢI PHÁP"), ends the table.
    * A footnote ("1 Tiêu chí …" just above a page header, whose marker is glued to a word
      of the table: "UAV...)1") is set apart in ``Table.footnotes`` and its marker removed
      from the text (the row lists it in ``Row.footnotes``).
    * Each row's pieces (lines, cut at ``typer.anchors``) are placed in the columns by
      :func:`_assign_flow`; a second placing uses the column widths the first one shows
      (:func:`_column_widths`), so that a line wider than a column cannot go in it and a line
      whose first word would have fitted on the line above does not continue that cell.

    Rows are ``item`` (code), ``total``; the reader does not decide headings (a family knows
    which cells a data row must have). The table's unit is the one of a "Đơn vị tính" line
    printed above its header (a header cell's own unit wins, :func:`unit_of`). Raises
    ``TableError`` for a header naming an unknown unit of amount.
    """
    vocab = vocab or vocabulary()
    texts = [clean(raw) for raw in lines]
    nums = [first_line + k for k in range(len(lines))]
    marks = {m.group(1) for t in texts if (m := _FOOTNOTE_MARK_RE.search(t))}
    tables: list[Table] = []
    raw_rows: dict[int, list[_FlowRow]] = {}
    table: Table | None = None
    numbering = _Numbering(False)
    current: _FlowRow | None = None
    pending_unit: tuple[str, int] | None = None
    k = 0
    while k < len(texts):
        t, n = texts[k], nums[k]
        if not t:
            k += 1
            continue
        found = _flow_header_at(texts, k, vocab)
        if found:
            j, parts = found
            columns = typer.columns(_flow_columns(" ".join(parts), vocab, f"{file}:{n}", n))
            header = Header(columns, f"{file}:{n}", n, tuple(nums[x] for x in range(k, j) if texts[x]))
            if table is not None and [c.role for c in columns] == table.header.roles():
                if current is not None:
                    current.segments.append([])  # a page break: the row goes on after it
            else:
                table = Table(header)
                if pending_unit is not None:  # "Đơn vị tính: triệu đồng" printed above the header
                    table.unit, table.unit_where, table.unit_line = pending_unit[0], f"{file}:{pending_unit[1]}", pending_unit[1]
                    pending_unit = None
                tables.append(table)
                raw_rows[id(table)] = []
                numbering = _Numbering(typer.bullets(columns))
                current = None
            k = j
            continue
        if table is None:
            try:
                unit = unit_line(t, f"{file}:{n}", n)
            except TableError:
                unit = None  # not a unit of amount ("Đơn vị tính: %"): a quantity table's, not money
            if unit:
                pending_unit = (unit, n)
            k += 1
            continue
        # A footnote at the foot of a page: "<n> <text>" up to the next header.
        fm = re.match(r"^(\d)\s+\S", t)
        if fm and fm.group(1) in marks and not numbering.accepts(fm.group(1)):
            j = k + 1
            while j < len(texts) and not _flow_header_at(texts, j, vocab):
                j += 1
            # the footnote runs to the next page header, or to the end of the table
            body = Cell("", f"{file}:{n}")
            for x in range(k, j):
                if texts[x]:
                    body.extend(Cell(texts[x], f"{file}:{nums[x]}", nums[x], (nums[x],)))
            body.text = body.text[len(fm.group(1)):].strip()
            table.footnotes[fm.group(1)] = body
            k = j
            continue
        total = vocab.total(t)
        if total and not parse_code(t):
            current = _FlowRow(None, n, [[FlowPiece(n, t)]], total=total.group("label").strip())
            raw_rows[id(table)].append(current)
            k += 1
            continue
        if current is not None and current.total and re.fullmatch(r"[\d.,]+", t) and len(current.segments[0]) == 1:
            current.segments[0].append(FlowPiece(n, t))  # "TỔNG CỘNG" / "141,5"
            k += 1
            continue
        at = next((x for x in range(k + 1, len(texts)) if texts[x]), None)
        nxt = texts[at] if at is not None else ""
        if re.fullmatch(r"\d{1,4}", t) and at is not None and _flow_header_at(texts, at, vocab):
            k += 1  # the page number printed above a repeated header
            continue
        code = parse_code(t)
        rest = t[len(CODE_RE.match(t).group(0)):].strip() if code else ""
        if code is not None and (code in _ROMANS or PART_RE.fullmatch(code)) and not numbering.accepts(code) \
                and _is_caps_title(rest):
            table, current = None, None  # a heading of the document ("II. NHIỆM VỤ VÀ GIẢI PHÁP") ends the table
            k += 1
            continue
        if code is not None and numbering.accepts(code) and (not rest or not rest[0].islower()):
            bare_number = not rest and code[0].isdigit()
            if not (bare_number and (parse_code(nxt) or re.fullmatch(r"[\d.,]+", nxt) or vocab.total(nxt))):
                numbering.take(code)
                current = _FlowRow(code, n, [[]])
                raw_rows[id(table)].append(current)
                if rest:
                    current.segments[0].extend(_flow_pieces(n, rest, typer, starts_line=False))
                k += 1
                continue
        if current is None:
            current = _FlowRow(None, n, [[]])  # text before the first row: kept, the family decides
            raw_rows[id(table)].append(current)
        current.segments[-1].extend(_flow_pieces(n, t, typer))
        k += 1
    for tbl in tables:
        rows = raw_rows[id(tbl)]
        for r in rows:
            for p in (p for seg in r.segments for p in seg):
                mk = _FOOTNOTE_MARK_RE.search(p.text)
                if mk and mk.group(1) in tbl.footnotes:
                    p.text = p.text[: mk.start()]
                    r.footnotes.append(mk.group(1))
        placed = _place_rows(tbl, rows, typer, None)
        placed = _place_rows(tbl, rows, typer, _column_widths(tbl, placed))
        for r in rows:
            tbl.rows.append(_flow_row(tbl, r, placed.get(id(r)), file, typer.heading(r.code)))
    return tables


def _place_rows(table: Table, rows: list[_FlowRow], typer: FlowTyper,
                widths: dict[int, int] | None) -> dict[int, list[list[FlowPiece]]]:
    """The pieces of every row (but totals) placed in the data columns: {id(row): cells}.
    A heading row (``typer.heading``) is all title."""
    cols = [c for c in table.header.columns if c.role != "code"]
    out = {}
    for r in rows:
        if r.total:
            continue
        if typer.heading(r.code):
            title = [p for seg in r.segments for p in seg]
            out[id(r)] = [title if c.role == "description" else [] for c in cols]
        else:
            out[id(r)] = _assign_flow(table.header.columns, r.segments, typer, widths)
    return out


def _column_widths(table: Table, placed: dict[int, list[list[FlowPiece]]]) -> dict[int, int]:
    """The width (characters) of each data column from a first placing: its widest whole line,
    leaving out lines half as wide again as most (90%) of its lines (a line the first placing
    put in the wrong column). A column with fewer than five whole lines gets none."""
    cols = [c for c in table.header.columns if c.role != "code"]
    found: dict[int, list[int]] = {}
    for cells in placed.values():
        for col, pieces in zip(cols, cells):
            found.setdefault(col.index, []).extend(len(p.text) for p in pieces if p.starts_line and p.ends_line)
    widths = {}
    for i, v in found.items():
        if len(v) >= 5:
            p90 = sorted(v)[(len(v) * 9) // 10]
            widths[i] = max(x for x in v if x <= 1.5 * p90)
    return widths


def flow_headers(lines: Sequence[str], file: str, typer: FlowTyper, vocab: ColumnVocabulary | None = None,
                 first_line: int = 1) -> list[Header]:
    """The headers :func:`read_flow` would find in ``lines`` (a repeated header once), without
    reading the rows: to tell cheaply which tables a document holds."""
    vocab = vocab or vocabulary()
    texts = [clean(raw) for raw in lines]
    out: list[Header] = []
    k = 0
    while k < len(texts):
        found = _flow_header_at(texts, k, vocab)
        if found:
            j, parts = found
            n = first_line + k
            columns = typer.columns(_flow_columns(" ".join(parts), vocab, f"{file}:{n}", n))
            if not out or [c.role for c in columns] != out[-1].roles():
                out.append(Header(columns, f"{file}:{n}", n))
            k = j
            continue
        k += 1
    return out


def _flow_pieces(line: int, text: str, typer: FlowTyper, starts_line: bool = True) -> list[FlowPiece]:
    cuts = sorted({a for a in typer.anchors(text) if 0 < a < len(text)})
    out, last = [], 0
    for c in cuts + [len(text)]:
        piece = text[last:c].strip()
        if piece:
            out.append(FlowPiece(line, piece, starts_line and last == 0, c == len(text)))
        last = c
    return out


def _flow_row(table: Table, r: _FlowRow, placed: list[list[FlowPiece]] | None, file: str, heading: bool) -> Row:
    header = table.header
    cells: list[Cell | None] = [None] * len(header.columns)
    code_i = header.index("code")
    if r.total:
        label = r.total
        body = " ".join(p.text for seg in r.segments for p in seg)
        rest = body[len(label):].strip() if body.startswith(label) else body
        desc_i = header.index("description")
        amt_i = header.index("amount")
        if desc_i is not None:
            cells[desc_i] = Cell(label, f"{file}:{r.line}", r.line, (r.line,))
        if amt_i is not None and rest:
            last = r.segments[0][-1].line
            cells[amt_i] = Cell(rest, f"{file}:{last}", last, (last,))
        return Row("total", None, cells, header, f"{file}:{r.line}", r.line)
    if code_i is not None and r.code:
        cells[code_i] = Cell(r.code, f"{file}:{r.line}", r.line, (r.line,))
    cols = [c for c in header.columns if c.role != "code"]
    for col, pieces in zip(cols, placed or []):
        if not pieces:
            continue
        cell = Cell("", f"{file}:{pieces[0].line}")
        for p in pieces:
            cell.extend(Cell(p.text, f"{file}:{p.line}", p.line, (p.line,)))
        cells[col.index] = cell
    continued = len([s for s in r.segments if s]) > 1
    later = {p.line for seg in r.segments[1:] for p in seg}
    split = tuple(sorted(n for n in later if sum(any(p.line == n for p in c) for c in (placed or [])) > 1))
    return Row("heading" if heading else "item", r.code, cells, header, f"{file}:{r.line}", r.line, continued,
               list(r.footnotes), split)
