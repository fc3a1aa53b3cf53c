"""Tables of space-separated text as extracted from PDF (``data/raw/000``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from loaders.tables.cells import _PAGE_NUMBER_RE
from loaders.tables.model import (
    WORDS_RE,
    Block,
    Cell,
    Column,
    Header,
    Row,
    Table,
    TableError,
    _unit,
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
from loaders.text.columns import ColumnVocabulary, vocabulary
from loaders.text.normal import clean
from loaders.text.numbers import NO_AMOUNT_RE, NUMBER_LIKE_RE, UNIT_LABEL_RE
from loaders.text.outline import CODE_RE, parse_code
from loaders.text.periods import TIMING_RE, is_place_date_line
from loaders.text.sources import classify_source

_YEAR_WORDS_RE = re.compile(r"\b(?:19|20)\d{2}\b")
DEFAULT_ORDER = ("code", "description", "period", "amount", "note")


# --------------------------------------------------------------------------- space-separated


@dataclass
class _Span:
    start: int
    end: int
    tail: int = -1  # where the text after the amount starts (after a unit word "đồng")

    def text(self, s: str) -> str:
        return s[self.start:self.end].strip()


_UNIT_WORD_RE = re.compile(r"^(?:đồng|đ|VNĐ)(?!\w)\s*")
#: A unit of amount printed after a number in the amount cell ("5 triệu", "2 tỷ đồng", "5tr"):
#: not the table's "Đơn vị tính", so the cell is not read (``to_vnd`` refuses it, with its line).
_OTHER_UNIT_RE = re.compile(r"^(?:triệu|tr\.?đ?|tỷ|tỉ|nghìn|ngàn)(?:\s*(?:đồng|đ))?(?!\w)\s*", re.IGNORECASE)
#: A number behind a character that is no sign the parser reads ("—5.000.000", "+5.000.000").
_ODD_SIGN_RE = re.compile(r"^[^\w\s()\-−–]+\s?\d[\d.,]*$")
# Patterns of the row splitter, compiled once (not per call; issue 17, item 4).
_TOKEN_RE = re.compile(r"\S+")
_GLUED_UNIT_RE = re.compile(r"(\d[\d.,]*)(triệu|tr\.?đ?|tỷ|tỉ|nghìn|ngàn)", re.IGNORECASE)
_UNIT_SUFFIX_RE = re.compile(r"(?<=\d)(?:đồng|đ|VNĐ)$")
_THREE_DIGITS_RE = re.compile(r"\d{3}")
_FIRST_GROUP_RE = re.compile(r"[-−–(]?\d{1,3}")
_NOTE_AT_END_RE = re.compile(r"(?<!\S)(Nguồn\b.*|\([^()]*\))\s*$")
_OPEN_NOTE_RE = re.compile(r"(\bvà|[,+&])$")
_LEADING_NON_WORD_RE = re.compile(r"^\W+")
_DIGIT_RE = re.compile(r"\d")
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")


_COUNT_NOTE_RE = re.compile(r"0\d\s+[^\W\d]")  # "03 doanh nghiệp", "02 lớp": a count in the note cell


def _at_cell_end(tail: str) -> bool:
    """What follows a cell of the amount column: nothing, a note ("Nguồn …", "(…)", a count
    written with its leading zero, "03 doanh nghiệp") or another typed cell (it starts with a
    capital)."""
    return not tail or tail[0] == "(" or tail[0].isupper() or bool(_COUNT_NOTE_RE.match(tail))


def _amount_span(s: str, masked: list[tuple[int, int]]) -> _Span | None:
    """The amount cell of a space-separated row: the rightmost number-shaped token (with its
    sign) that is followed by nothing, a note ("Nguồn …", "(…)") or another typed cell.

    That cell is returned as printed even when it is not a well-formed amount, so that
    ``to_vnd`` refuses it with its line instead of a number further left (in the
    description: "Tổ chức 2 Hội nghị Quý II 5 triệu") being taken for the amount: digit
    groups separated by spaces ("5 000 000"; the GLOSSARY's thousands separator is "."), a
    number with another unit of amount ("5 triệu", "5tr"), a number behind a character that
    is no sign ("—5.000.000"). A dash alone ("-", "–", "—") before a note or at the end is
    the amount cell left empty (:data:`NO_AMOUNT_RE`)."""
    tokens = [m.span() for m in _TOKEN_RE.finditer(s)]
    for k in range(len(tokens) - 1, -1, -1):
        a, b = tokens[k]
        tok = s[a:b]
        if any(ms <= a < me for ms, me in masked):
            continue
        tail = s[b:].strip()
        if NO_AMOUNT_RE.match(tok) and (not tail or tail[0] == "(" or tail.startswith("Nguồn")):
            return _Span(a, b, b)  # "Quý II - Nguồn SNKH": the amount cell is empty
        if _ODD_SIGN_RE.match(tok) and _at_cell_end(tail):
            return _Span(a, b, b)  # "—5.000.000": refused by to_vnd, never read without its sign
        glued = _GLUED_UNIT_RE.fullmatch(tok)
        if glued and _at_cell_end(tail):
            return _Span(a, b, b)  # "5tr": another unit than the table's, refused by to_vnd
        suffix = _UNIT_SUFFIX_RE.search(tok)
        if suffix:  # "40.000.000đ": the unit printed with the amount
            b -= len(suffix.group(0))
            tok = s[a:b]
        if not NUMBER_LIKE_RE.match(tok):
            continue
        if _THREE_DIGITS_RE.fullmatch(tok) and _at_cell_end(tail):
            start = k
            while start > 0 and _THREE_DIGITS_RE.fullmatch(s[tokens[start - 1][0]:tokens[start - 1][1]]):
                start -= 1
            if start > 0 and _FIRST_GROUP_RE.fullmatch(s[tokens[start - 1][0]:tokens[start - 1][1]]) \
                    and not any(ms <= tokens[start - 1][0] < me for ms, me in masked):
                return _Span(tokens[start - 1][0], b, b)  # "5 000 000": digit groups split by spaces
        digits = tok.lstrip("-−–(")
        if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
            continue  # "02 lớp", "07 cơ sở": a count, never an amount
        if _YEAR_RE.fullmatch(tok) and k > 0 and s[tokens[k - 1][0]:tokens[k - 1][1]].isalpha():
            continue  # "… Tết Nguyên đán Giáp Thìn 2024", "năm 2024": a year in the description
        tail_at = b + len(suffix.group(0)) if suffix else b
        if not suffix:
            unit_word = _UNIT_WORD_RE.match(s[b:].lstrip())
            if unit_word:  # "40.000.000 đồng Nguồn SNKH"
                tail_at = len(s) - len(s[b:].lstrip()) + unit_word.end()
        tail = s[tail_at:].strip()
        other_unit = _OTHER_UNIT_RE.match(tail)
        if other_unit and _at_cell_end(tail[other_unit.end():]):
            end = tail_at + (len(s[tail_at:]) - len(s[tail_at:].lstrip())) + len(other_unit.group(0).rstrip())
            return _Span(a, end, end)  # "5 triệu": refused by to_vnd, not skipped for a number further left
        if not _at_cell_end(tail):
            continue  # "5 doanh nghiệp": a number inside the description
        if k > 0 and s[tokens[k - 1][0]:tokens[k - 1][1]] in ("−", "–", "-") and tok[0].isdigit():
            a = tokens[k - 1][0]  # "− 5.000.000": a sign separated by a space
        return _Span(a, b, tail_at)
    return None


#: A source word ending a text: "Nguồn" before "SNKH" makes "Nguồn SNKH" one note.
_SOURCE_WORD_END_RE = re.compile(r"(?:nguồn|kinh phí|vốn)\s*$", re.I)
#: One or two source abbreviations in capitals at the end of a text ("SNKH", "QLNN", "SNKH TW").
_CAPS_SOURCE_RE = re.compile(r"(?<=\s)((?:[A-ZĐ&]{2,6})(?:\s+[A-ZĐ&]{2,6})?)\s*$")


def _is_bare_source(text: str) -> bool:
    """A short source note alone ("SNKH", "QLNN", "SNKH TW", "Thu phí"): one to three words that
    name one funding source (:func:`loaders.text.sources.classify_source`)."""
    words = text.split()
    return 0 < len(words) <= 3 and not any(ch.isdigit() for ch in text) \
        and classify_source(text) not in (None, "UNSPECIFIED")


def split_spaced(text: str, order: Sequence[str | None] = DEFAULT_ORDER) -> dict[str, str]:
    """Recognise the cells of one space-separated row (text after its code) by type, from
    the right: the amount, a period right before or after it, a note after it (or before it
    when the header puts the note column first), and the description that is left.

    ``"Tuyên truyền Quý II 40.000.000 Nguồn SNKH"`` → ``{"description": "Tuyên truyền",
    "period": "Quý II", "amount": "40.000.000", "note": "Nguồn SNKH"}``. Roles not found
    are absent. The amount is not validated here (``to_vnd`` does that).

    A row is split once: the cells of a text are memoised on the text with its spaces
    squeezed and on the one thing ``order`` decides (whether the note column comes before the
    amount column), so the reader, its row builder and ``detect`` splitting the same line
    pay once. Each call returns a new dict.
    """
    s = " ".join(text.split())
    roles = [r for r in order if r]
    note_first = "note" in roles and "amount" in roles and roles.index("note") < roles.index("amount")
    return dict(_split_squeezed(s, note_first))


@lru_cache(maxsize=16384)
def _split_squeezed(s: str, note_first: bool) -> tuple[tuple[str, str], ...]:
    """:func:`split_spaced` of ``s`` (spaces already squeezed) as (role, text) pairs in the
    order found; ``note_first``: the header puts the note column before the amount."""
    periods = [(m.start(), m.end()) for m in TIMING_RE.finditer(s)]
    out: dict[str, str] = {}
    amount = _amount_span(s, periods)
    before, after = (s[: amount.start], s[amount.tail:]) if amount else (s, "")
    if amount:
        out["amount"] = amount.text(s)
        p_before = [p for p in periods if p[1] <= amount.start and not s[p[1]:amount.start].strip()]
        p_after = [p for p in periods if p[0] >= amount.tail and not s[amount.tail:p[0]].strip()]
        if not p_before and not s[amount.tail:].strip():
            # "Hội nghị tổng kết Quý I SNKH 25.000.000": the source column printed between the timing
            # and the amount (its header displaced by the extraction): a short source note right
            # after a period, right before the amount
            between = [p for p in periods if p[1] < amount.start and _is_bare_source(s[p[1]:amount.start])]
            if between:
                out["note"] = s[between[-1][1]:amount.start].strip()
                p_before = [between[-1]]
            elif not note_first:
                # "I Nhiệm vụ KH&CN cấp tỉnh SNKH 6.350.000.000": a source abbreviation in capitals
                # right before the amount (the same column, on a row printing no timing); "Nguồn
                # SNKH" there is a note the header places before the amount (below)
                m = _CAPS_SOURCE_RE.search(s[:amount.start])
                if m and m.start() > 0 and not _SOURCE_WORD_END_RE.search(s[:m.start()]):
                    words = m.group(1).split()
                    # "SNKH TW" (a source and its level), else the last word alone ("KH&CN SNKH": SNKH)
                    tail = None
                    if len(words) == 2 and words[-1] in ("TW", "ĐP") and _is_bare_source(" ".join(words)):
                        tail = " ".join(words)
                    elif _is_bare_source(words[-1]):
                        tail = words[-1]
                    if tail:
                        out["note"] = tail
                        before = s[:amount.start].rstrip()[: -len(tail)]
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
    if "note" not in out and amount and note_first:
        m = _NOTE_AT_END_RE.search(before)
        if m and before[: m.start()].strip():
            out["note"] = m.group(1).strip()
            before = before[: m.start()]
            p_end = [p for p in periods if p[1] <= len(before.rstrip()) and not before[p[1]:].strip()]
            if "period" not in out and p_end:
                out["period"] = s[p_end[-1][0]:p_end[-1][1]]
                before = before[: p_end[-1][0]]
    if before.strip():
        out["description"] = before.strip()
    return tuple(out.items())


def spaced_header(text: str, vocab: ColumnVocabulary | None = None,
                  settings: TableSettings | None = None) -> list[str] | None:
    """The roles of a space-separated header line ("TT Nội dung thực hiện Thời gian thực hiện
    Dự toán kinh phí Ghi chú" → code, description, period, amount, note), or ``None`` when the
    line is not a header: it must start with a code phrase followed by a description phrase,
    and header phrases must cover most of it (``HeaderSettings.spaced_coverage``) unless it
    holds enough of them (``spaced_min_phrases``)."""
    vocab = vocab or vocabulary()
    hs = (settings or DEFAULT).header
    found = vocab.matches(text, loose=True)
    if len(found) < 2 or found[0][0] != 0 or found[0][2].role != "code" or found[1][2].role != "description":
        return None
    if vocab.coverage(text) < hs.spaced_coverage and len(found) < hs.spaced_min_phrases:
        return None
    return [spec.role for _, _, spec in found]


def _spaced_header_reason(text: str, vocab: ColumnVocabulary, hs: HeaderSettings) -> str:
    """Why a line is a header (debug view)."""
    found = vocab.matches(text, loose=True)
    phrases = ", ".join(f"{spec.phrase!r} ({spec.role})" for _, _, spec in found)
    return (f"a code phrase, then a description phrase; {len(found)} phrase(s) [{phrases}], coverage "
            f"{vocab.coverage(text):.2f} (HeaderSettings.spaced_coverage={hs.spaced_coverage} unless "
            f"spaced_min_phrases={hs.spaced_min_phrases})")


#: A lone lower-case letter at the left margin followed by a column gap ("a    Kinh phí …"):
#: the code cell of a lettered row, printed without "." or ")" (Biểu 02/03 of TT 61/2017).
_LETTER_CELL_RE = re.compile(r"^\s{0,3}(?P<code>[a-zđ])\s{2,}(?=\S)")


def row_code(raw: str) -> tuple[str | None, str]:
    """The code a line of space-separated text starts with and the text after it:
    "3.1 Kinh phí …" → ("3.1", "Kinh phí …"); "a    Kinh phí …" → ("a", "Kinh phí …") (a letter
    alone in its cell); ``(None, text)`` when the line has no code."""
    text = clean(raw)
    code = parse_code(text)
    if code is not None:
        return code, text[len(CODE_RE.match(text).group(0)):].strip()
    m = _LETTER_CELL_RE.match(raw.replace("\t", "  "))
    if m:
        return m.group("code"), clean(raw.replace("\t", "  ")[m.end():])
    return None, text


def _leads_a_row(lines: Sequence[str], k: int, order: Sequence[str]) -> bool:
    """Whether line ``k`` (no code) is among the first lines of a description printed above
    its row's code and amount: within the next three lines, with no blank line and no other
    code between, comes a line that starts with a number code and prints an amount."""
    for raw in lines[k + 1:k + 4]:
        if not clean(raw):
            return False
        code, rest = row_code(raw)
        if code is not None:
            return code not in "-+*•" and "amount" in split_spaced(rest, order)
    return False


def _bullet_of_a_money_list(lines: Sequence[str], k: int, order: Sequence[str]) -> bool:
    """Whether the bullet line ``k`` printing no amount is an empty row of a list of bullets
    that print amounts ("- cấp quốc gia" / "- cấp tỉnh 18.600" / "- cấp cơ sở 900"): the next
    line with the same bullet, before a blank line or a line with another code, prints an
    amount. A bullet list with no amount at all continues the description above it."""
    bullet = row_code(lines[k])[0]
    for raw in lines[k + 1:k + 12]:
        code, rest = row_code(raw)
        if not clean(raw) or (code is not None and code != bullet):
            return False
        if code == bullet:
            return "amount" in split_spaced(rest, order)
    return False


# A note that stops before its source is named: "Nguồn QLNN và Nguồn", "Kinh phí", "NS".
_NOTE_WAITS_RE = re.compile(r"(?:\bvà|[,+&]|\b(?:nguồn|kinh phí|ngân sách|ns|vốn|quỹ))$", re.IGNORECASE)


def _note_tail(note: str, text: str) -> str | None:
    """The last words of ``text`` (a line below the row's amount line) that finish a note
    left waiting for its source (``_NOTE_WAITS_RE``): the fewest (one to four) whose addition
    makes the note name a funding source that the note alone does not fully name
    ("Nguồn QLNN và Nguồn" + "SNKH" → "Nguồn QLNN và Nguồn SNKH", mixed); ``None`` when no
    such words end the line."""
    if not _NOTE_WAITS_RE.search(note.strip()):
        return None
    words = text.split()
    for k in range(1, min(4, len(words)) + 1):
        tail = " ".join(words[-k:])
        joined = f"{note} {tail}"
        if classify_source(joined) is not None and classify_source(joined) != classify_source(note):
            return tail
    return None


def _spaced_row(parts: list[tuple[int, str]], order: list[str], header: Header, file: str,
                rx: RowExplanation | None = None, lead: list[tuple[int, str]] = ()) -> Row:
    """A row from its lines: the line holding the amount is split by type; the other lines
    continue the description (or a note left open with "và", ",", "+"); ``lead``: lines printed
    above the code's line that open the description (a vertically centred cell). ``rx``: the
    row's explanation (debug view), which receives how each line was used."""
    first_line, first_text = parts[0]
    code, rest = row_code(first_text)
    texts = [(n, clean(t)) for n, t in parts]
    texts[0] = (first_line, rest.strip())
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

    for n, t in lead:
        put("description", n, clean(t))
        if rx is not None:
            rx.reasons.append(f"line {n}: printed above the code's line, opens the description")

    for k, (n, t) in enumerate(texts):
        if k == main:
            for role in ("description", "period", "amount", "note"):
                if role in splits[k][1]:
                    put(role, n, splits[k][1][role])
            if rx is not None:
                found = ", ".join(f"{r} {v!r}" for r, v in splits[k][1].items())
                rx.reasons.append(f"line {n}: " + ("the line with the amount, " if amount_at is not None else "")
                                  + f"cells recognised by type from the right: {found or 'none'}")
        elif k > main and "note" in cells and (tail := _note_tail(cells["note"].text, t)) is not None:
            # "… ISO Năm 2024 25.000.000 Nguồn QLNN và Nguồn" / "9001:2015 SNKH": the wrapped
            # description and the end of the note share the next line; the words that complete
            # the note's source go to the note, the rest to the description
            if t[: len(t) - len(tail)].strip():
                put("description", n, t[: len(t) - len(tail)].strip())
            put("note", n, tail)
            if rx is not None:
                rx.reasons.append(f"line {n}: {tail!r} ends the note left open ({cells['note'].text[-12:]!r})")
        elif k > main and "note" in cells and _OPEN_NOTE_RE.search(cells["note"].text):
            put("note", n, t)
            if rx is not None:
                rx.reasons.append(f"line {n}: continues the note left open ({cells['note'].text[-12:]!r})")
        elif t:
            put("description", n, t)
            if rx is not None:
                rx.reasons.append(f"line {n}: continues the description (a line below the row, no blank line)")
    roles = list(dict.fromkeys(["code", *order, "description", "period", "amount", "note"]))
    columns = [Column(i, r, r) for i, r in enumerate(roles)]
    row_header = Header(columns, header.where, header.line, header.lines)
    row_cells: list[Cell | None] = [cells.get(r) for r in roles]
    row_cells[0] = Cell(code, f"{file}:{first_line}", first_line, (first_line,)) if code else None
    return Row("item", code, row_cells, row_header, f"{file}:{first_line}", first_line)


def _header_follows(lines: Sequence[str], k: int, vocab: ColumnVocabulary, settings: TableSettings | None = None) -> bool:
    """True when the first non-blank line from ``lines[k]`` on is a table header."""
    for raw in lines[k:]:
        if clean(raw):
            return spaced_header(clean(raw), vocab, settings) is not None
    return False


def read_spaced(lines: Sequence[str], file: str, vocab: ColumnVocabulary | None = None, first_line: int = 1,
                settings: TableSettings | None = None) -> list[Table]:
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

    ``settings``: the header thresholds (:class:`TableSettings`, default ``TableSettings()``).
    Within ``loaders.tables.trace.collecting()`` every table is also explained (debug view).
    """
    vocab = vocab or vocabulary()
    hs = (settings or DEFAULT).header
    trace = active()
    tx: TableExplanation | None = None
    explained: list[tuple[RowExplanation, Row]] = []
    tables: list[Table] = []
    table: Table | None = None
    in_rows = False
    unit: tuple[str, int] | None = None
    current: list[tuple[int, str]] | None = None
    current_lead: list[tuple[int, str]] = []  # the lines above the current row's code that open it
    lead: list[tuple[int, str]] = []  # lines waiting for the row they open (``_leads_a_row``)
    last_total: Row | None = None
    block: list[str] = []
    block_start = 0
    prev_blank = True

    def flush_row() -> None:
        nonlocal current, current_lead
        if current and table is not None:
            rx = None
            if tx is not None:
                rx = tx.row(current[0][0], row_code(current[0][1])[0], "item", f"line {current[0][0]}: starts with a code"
                            + (f", {len(current) - 1} line(s) below it (no blank line) go on" if len(current) > 1 else ""))
            table.rows.append(_spaced_row(current, order, table.header, file, rx, current_lead))
            if rx is not None:
                explained.append((rx, table.rows[-1]))
        current, current_lead = None, []

    def flush_block() -> None:
        nonlocal block
        if block and table is not None:
            table.after.append(Block(block_start, block))
        block = []

    order: list[str] = list(DEFAULT_ORDER)
    first_roles: list[str] | None = None  # the roles of the table's first header line
    header_open = False  # right below a header (first or repeated): its wrapped pieces may follow
    for k, raw in enumerate(lines):
        n = first_line + k
        text = clean(raw)
        if not text:
            flush_row()
            flush_block()
            prev_blank = True
            continue
        if UNIT_LABEL_RE.match(_LEADING_NON_WORD_RE.sub("", text)):  # "Đơn vị tính:", "ĐVT:", "ĐV tính:"
            u = unit_line(text, f"{file}:{n}", n)
            if u:
                unit = (u, n)
                flush_row()
                flush_block()
                prev_blank = False
                continue
        roles = spaced_header(text, vocab, settings)
        if roles and table is not None and table.rows and not block and roles == first_roles:
            # the header repeated on the next page ("TT Nội dung …" after "2" and a page break):
            # the same table goes on, nothing in between was text
            flush_row()
            table.header.lines += (n,)
            if tx is not None:
                tx.event(n, "repeated header", "the same header after a page break: the table goes on")
            header_open, prev_blank = True, False
            continue
        if roles:
            flush_row()
            flush_block()
            first_roles = roles
            header_open = True
            order = roles
            columns = [Column(i, r, r) for i, r in enumerate(roles)]
            table = Table(Header(columns, f"{file}:{n}", n, (n,)))
            if trace is not None:
                tx = trace.table("spaced", file, n, [ColumnInfo(c.index, c.role, c.text) for c in columns],
                                 [f"line {n}: " + _spaced_header_reason(text, vocab, hs)])
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
            if header_open and current is None and len(found) >= hs.spaced_wrap_min_phrases \
                    and not _DIGIT_RE.search(text) and vocab.coverage(text) >= hs.spaced_wrap_coverage:
                # the header wrapped onto a second line: "TT Nội dung" / "Thời gian … Dự toán Ghi chú"
                order = list(dict.fromkeys(order + [spec.role for _, _, spec in found]))
                table.header.columns = [Column(i, r, r) for i, r in enumerate(order)]
                table.header.lines += (n,)
                in_header = _unit(text, f"{file}:{n}", n)
                if in_header:
                    table.unit, table.unit_where, table.unit_line = in_header, f"{file}:{n}", n
                if tx is not None:
                    tx.columns = [ColumnInfo(c.index, c.role, c.text) for c in table.header.columns]
                    tx.header_reasons.append(
                        f"line {n}: the header wrapped onto it ({len(found)} phrases, no digit, coverage "
                        f"{vocab.coverage(text):.2f} ≥ HeaderSettings.spaced_wrap_coverage={hs.spaced_wrap_coverage})")
                continue
            # ("tỉnh" right under a row whose description wrapped goes on the row: a fragment
            # of a header never follows a row without a blank line)
            if (current is None or prev_blank) and vocab.is_fragment(text, hs.fragment_max_words) or (
                    header_open and current is None and _YEAR_WORDS_RE.search(text)
                    and vocab.is_fragment(_YEAR_WORDS_RE.sub(" ", text), hs.fragment_max_words)):
                # a piece of a wrapped header, years included ("2023 được giao" under "Dự toán năm")
                flush_row()
                if tx is not None:
                    tx.event(n, "header fragment", f"{text!r}: a piece of a wrapped header (at most "
                             f"HeaderSettings.fragment_max_words={hs.fragment_max_words} header words)")
                prev_blank = False
                continue
            header_open = False
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
                if tx is not None:
                    explained.append((tx.row(n, None, "total", f"line {n}: starts with a total label {label!r}"),
                                      last_total))
                prev_blank = False
                continue
            if WORDS_RE.match(text) and last_total is not None and last_total.cells[3] is None:
                flush_row()
                last_total.cells[3] = Cell(text, f"{file}:{n}", n, (n,))
                if tx is not None:
                    tx.event(n, "amount in words", "'(Bằng chữ: …)' under the total: its words cell")
                prev_blank = False
                continue
            if _PAGE_NUMBER_RE.fullmatch(text) and (_header_follows(lines, k + 1, vocab, settings)
                                                    or last_total is not None or not any(t.strip() for t in lines[k + 1:])):
                # a page number above a repeated header ("2" / "TT Nội dung …"), below the
                # table's total or at the end of the document: never a row "2"
                flush_row()
                if tx is not None:
                    tx.event(n, "page number", f"{text!r} printed above a repeated header")
                prev_blank = True
                continue
            code, rest = row_code(raw)
            if code is not None:
                sp = split_spaced(rest, order)
                if code not in "-+*•" or "amount" in sp or "period" in sp or _bullet_of_a_money_list(lines, k, order):
                    flush_row()
                    current = [(n, raw)]
                    current_lead, lead = lead, []
                    prev_blank = False
                    continue
            signed = is_place_date_line(text)  # "Quảng Ninh, ngày 12 tháng 01 năm 2023": the signatures
            if current is not None and not prev_blank and not signed:
                current.append((n, raw))
                continue
            if (prev_blank or lead) and not signed and _leads_a_row(lines, k, order):
                # a cell centred vertically in a Word table: the first lines of a description
                # printed above the line of its code and amount ("   Tuyên truyền …" / "2  Việt Nam
                # … 45.000.000"): they open the next row
                flush_row()
                lead.append((n, raw))
                if tx is not None:
                    tx.event(n, "lead line", f"{text[:40]!r}: above the next row's code and amount (no blank "
                             "line between): the start of its description")
                prev_blank = False
                continue
            flush_row()
            in_rows = False
            table.end_line = n - 1
            if tx is not None:
                tx.event(n, "end of table", f"{text[:50]!r}: " + (
                    "the place-and-date line of the signatures" if signed else "no code, not below a row")
                    + ": the table ends, the text after it is kept (moved descriptions, notes)")
        if table is None:
            prev_blank = False
            continue
        if not block:
            block_start = n
        block.append(raw)
        prev_blank = False
    flush_row()
    flush_block()
    for rx, row in explained:
        fill_cells(rx, row)
    return tables

