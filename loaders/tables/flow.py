"""Tables of PDF text whose cells wrap column by column (``data/raw/003``)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from loaders.tables.model import (
    Cell,
    Column,
    Header,
    Row,
    Table,
    TableError,
    _unit,
    unit_line,
)
from loaders.text.columns import _YEAR_RE, ColumnVocabulary, vocabulary
from loaders.text.normal import clean, norm
from loaders.text.numbers import looks_like_number
from loaders.text.outline import CODE_RE, PART_RE, ROMANS, Numbering, parse_code
from loaders.text.periods import TIMING_RE

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
    and free text; document families subclass it (``loaders.families.plan_cells.PlanTyper``).

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
    * A row opens at a line starting with a code the numbering accepts (:class:`Numbering`:
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
    numbering = Numbering(False)
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
                numbering = Numbering(typer.bullets(columns))
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
        if code is not None and (code in ROMANS or PART_RE.fullmatch(code)) and not numbering.accepts(code) \
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
