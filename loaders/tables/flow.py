"""Tables of PDF text whose cells wrap column by column (``data/raw/003``)."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

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
from loaders.tables.settings import (
    DEFAULT,
    FlowSettings,
    HeaderSettings,
    TableSettings,
    TyperSettings,
)
from loaders.tables.trace import (
    CellChoice,
    ColumnInfo,
    PieceChoice,
    Placement,
    RowExplanation,
    Segment,
    TableExplanation,
    Term,
    active,
    fill_cells,
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

    Every score and bound is a named field of ``settings`` (:class:`TyperSettings`; a family
    extends it), read where it is used, so that :meth:`explain_fit` can say which ones
    decided a fit.
    """

    #: Words after which a wrapped text is not finished (it goes on in the next line).
    OPEN_WORDS = frozenset(
        "và của với cho các về trong theo để từ tại đến hoặc hay là được có những nhằm như gồm "
        "giữa đối cùng mọi do vào".split()
    )

    #: The scores (an instance's own after ``__init__``; a subclass that does not call it
    #: gets the defaults).
    settings: Any = TyperSettings()

    def __init__(self, settings: TyperSettings | None = None):
        """``settings``: the typer's scores (default: :class:`TyperSettings`' defaults).
        Raises ``TypeError`` when it is not a :class:`TyperSettings`."""
        settings = TyperSettings() if settings is None else settings
        if not isinstance(settings, TyperSettings):
            raise TypeError(f"{type(self).__name__} takes TyperSettings, not {type(settings).__name__}")
        self.settings: Any = settings

    def fresh(self) -> None:
        """Forget memoised scores (a family's typer that caches its fits clears its cache);
        :meth:`explain_fit` calls it on its private copy."""

    def explain_fit(self, role: str | None, pieces: list[FlowPiece],
                    before: list[FlowPiece]) -> tuple[float, list[tuple[str, float]]]:
        """:meth:`fit` computed afresh on a copy of the typer (no memoised score), with the
        settings it read on the way as ("Class.field", value), in the order read: the rules
        that decided the fit. For the debug view only (slower than :meth:`fit`)."""
        probe = copy.copy(self)
        probe.settings = _Reading(self.settings)
        probe.fresh()
        value = probe.fit(role, pieces, before)
        return value, list(dict.fromkeys(probe.settings.read))

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
        s = self.settings
        if role == "amount":
            return s.max_amount_pieces
        if role == "period":
            return s.max_period_pieces
        if role == "code":
            return s.max_code_pieces
        return s.max_free_pieces

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
        s = self.settings
        first = texts[0].lstrip()
        lower = bool(first) and first[0].islower()
        if not before:
            return -s.lower_start_penalty if lower else 0.0
        prev = before[-1]
        score = -s.after_break_penalty  # a cell printed before a page break is finished unless it shows otherwise
        if self.is_open(prev):
            score += s.after_break_open_bonus
        if lower:
            score += s.after_break_lower_bonus
        if prev.rstrip().endswith("."):
            score -= s.after_break_full_stop_penalty
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
        s = self.settings
        if role == "amount":
            return s.typed_fit if looks_like_number(joined.split(" (")[0]) else -s.typed_misfit
        if role == "period":
            return s.typed_fit if TIMING_RE.fullmatch(joined) else -s.typed_misfit
        return self.free(texts, before)


class _Reading:
    """A settings object that notes every field read (for :meth:`FlowTyper.explain_fit`)."""

    def __init__(self, settings: TyperSettings):
        self._settings = settings
        self.read: list[tuple[str, float]] = []

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._settings, name)
        self.read.append((f"{type(self._settings).__name__}.{name}", value))
        return value


def _flow_header_start(text: str, vocab: ColumnVocabulary, hs: HeaderSettings = DEFAULT.header) -> bool:
    """A line that opens a header: a code phrase ("STT", "TT"), then more header phrases
    (``hs.flow_min_phrases`` in all), and header words making up most of it
    (``hs.flow_coverage``)."""
    found = vocab.matches(text, loose=True)
    return len(found) >= hs.flow_min_phrases and found[0][0] == 0 and found[0][2].role == "code" \
        and vocab.coverage(text) >= hs.flow_coverage


def _flow_header_more(text: str, vocab: ColumnVocabulary) -> bool:
    """A wrapped piece of a header: header words, a year, a unit in parentheses."""
    s = re.sub(r"\([^()]*\)|\b(?:19|20)\d{2}\b", " ", norm(text))
    words = [w for w in re.split(r"[\s,]+", s) if w]
    return bool(words) and all(w in vocab.header_words or w == "năm" for w in words) or (
        not words and bool(norm(text))
    )


def _flow_header_at(texts: Sequence[str], k: int, vocab: ColumnVocabulary,
                    hs: HeaderSettings = DEFAULT.header) -> tuple[int, list[str]] | None:
    """The header starting at line ``k`` of ``texts``: (index after it, its lines), or None.
    It opens with a code phrase and another header phrase on one line ("STT Mục tiêu Năm
    2026"), or with the code phrase alone ("STT", ``hs.flow_alone_coverage``) when the lines
    below hold header phrases."""
    t = texts[k]
    if not t:
        return None
    alone = [spec.role for _, _, spec in vocab.matches(t, loose=True)] == ["code"] \
        and vocab.coverage(t) >= hs.flow_alone_coverage
    if not (_flow_header_start(t, vocab, hs) or alone):
        return None
    parts, j = [t], k + 1
    while j < len(texts) and (not texts[j] or (_flow_header_more(texts[j], vocab)
                                              and not _flow_header_start(texts[j], vocab, hs))):
        if texts[j]:
            parts.append(texts[j])
        j += 1
    if alone and not _flow_header_start(" ".join(parts), vocab, hs):
        return None
    return j, parts


def _header_reasons(parts: list[str], vocab: ColumnVocabulary, hs: HeaderSettings) -> list[str]:
    """Why lines ``parts`` are a header (debug view): the phrases found and the coverage."""
    first = parts[0]
    found = vocab.matches(first, loose=True)
    phrases = ", ".join(f"{spec.phrase!r} ({spec.role})" for _, _, spec in found)
    out = [f"opens with the code phrase {found[0][2].phrase!r}; {len(found)} header phrase(s) on its line "
           f"[{phrases}] (HeaderSettings.flow_min_phrases={hs.flow_min_phrases}), coverage "
           f"{vocab.coverage(first):.2f} (HeaderSettings.flow_coverage={hs.flow_coverage}"
           + (f", code phrase alone: flow_alone_coverage={hs.flow_alone_coverage}" if len(found) == 1 else "") + ")"]
    if len(parts) > 1:
        out.append(f"goes on over {len(parts) - 1} line(s) of header words, years and units: "
                   + " | ".join(repr(p) for p in parts[1:]))
    return out


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
                 widths: dict[int, int] | None, fs: FlowSettings = DEFAULT.flow,
                 explain: list[Segment] | None = None) -> list[list[FlowPiece]]:
    """Place the pieces of each page segment of a row in the columns, in column order, by
    the best total fit (dynamic programming over the cut points). Besides the typer's fit,
    a cell starting inside a line costs a little (``fs.inner_start_penalty``), a cell ending
    open ("và", ",") in the row's last segment costs more (``fs.open_end_penalty``), and with
    ``widths`` (column → characters) a line that would not have wrapped there costs
    (:func:`_wrap_penalty`). Returns the pieces of each data column (columns but the code).

    ``explain``: a list that receives a :class:`Segment` per non-empty segment (the debug
    view: every cell's terms and its runner-up); ``None`` (the default) computes nothing more.
    """
    cols = [c for c in columns if c.role != "code"]
    cells: list[list[FlowPiece]] = [[] for _ in cols]
    last_seg = max((x for x, seg in enumerate(segments) if seg), default=-1)
    neg = float("-inf")
    inner_start_penalty, open_end_penalty = fs.inner_start_penalty, fs.open_end_penalty
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
                    inner[x + 1] = inner[x] + _wrap_penalty([seg[x]], [seg[x - 1]] if x else [], width, fs)
            prev_k, best_k, back_k = best[k - 1], best[k], back[k]
            for i in range(n + 1):
                for j in range(i, max(-1, i - limit - 1), -1):
                    if prev_k[j] == neg:
                        continue
                    score = typer.fit(col.role, seg[j:i], before)
                    if i > j:
                        if not seg[j].starts_line:
                            score -= inner_start_penalty
                        if open_end[i - 1]:
                            score -= open_end_penalty  # a cell cannot end on "và", "của", a comma: it goes on
                        if width:
                            score -= inner[i] - inner[j + 1] + _wrap_penalty([seg[j]], before[-1:], width, fs)
                    total = prev_k[j] + score
                    if total > best_k[i]:
                        best_k[i], back_k[i] = total, j
        cuts = []
        i = n
        for k in range(m, 0, -1):
            j = back[k][i]
            cuts.append((j, i))
            i = j
        cuts.reverse()
        if explain is not None:
            explain.append(_explain_segment(cols, seg, s_i, cells, cuts, best[m][n], open_end, typer, widths, fs))
        for k, (j, i) in enumerate(cuts):
            cells[k].extend(seg[j:i])
    return cells


def _inner_wraps(seg: list[FlowPiece], width: int | None, fs: FlowSettings) -> list[float]:
    """Running sums of the wrap penalty of each piece after the piece before it (as in
    :func:`_assign_flow`): the penalty of pieces ``j+1 … i-1`` is ``inner[i] - inner[j+1]``."""
    inner = [0.0] * (len(seg) + 1)
    if width:
        for x in range(len(seg)):
            inner[x + 1] = inner[x] + _wrap_penalty([seg[x]], [seg[x - 1]] if x else [], width, fs)
    return inner


def _cut_terms(col: Column, seg: list[FlowPiece], j: int, i: int, before: list[FlowPiece], open_end: list[bool],
               typer: FlowTyper, width: int | None, inner: list[float], fs: FlowSettings) -> tuple[list[Term], float]:
    """The terms of the score of pieces ``seg[j:i]`` in column ``col`` (debug view): the
    typer's fit with the settings it read, then the penalties :func:`_assign_flow` subtracts;
    and the score, computed in the same order as there (so it is the same number)."""
    fit, used = typer.explain_fit(col.role, seg[j:i], before)
    terms = [Term("fit", fit, used, f"{type(typer).__name__}.fit({col.role!r})")]
    score = fit
    if i > j:
        if not seg[j].starts_line:
            terms.append(Term("inner_start", -fs.inner_start_penalty,
                              [("FlowSettings.inner_start_penalty", fs.inner_start_penalty)],
                              "the cell starts inside a text line"))
            score -= fs.inner_start_penalty
        if open_end[i - 1]:
            terms.append(Term("open_end", -fs.open_end_penalty, [("FlowSettings.open_end_penalty", fs.open_end_penalty)],
                              f"the cell would end open (…{seg[i - 1].text[-24:]!r})"))
            score -= fs.open_end_penalty
        if width:
            wrap = inner[i] - inner[j + 1] + _wrap_penalty([seg[j]], before[-1:], width, fs)
            if wrap:
                terms.append(_wrap_term(seg[j:i], before[-1:], width, wrap, fs))
            score -= wrap
    return terms, score


def _wrap_term(pieces: list[FlowPiece], before: list[FlowPiece], width: int, wrap: float, fs: FlowSettings) -> Term:
    """The wrap term of a cell (debug view), naming the rules of :func:`_wrap_penalty` that
    applied: lines wider than the column, lines wrapped although their first word fitted."""
    over = early = 0
    prev = before[-1] if before else None
    for p in pieces:
        if p.starts_line and p.ends_line and len(p.text) > width:
            over += 1
        if prev is not None and prev.starts_line and prev.ends_line and p.starts_line \
                and width - (len(prev.text) + 1 + len(p.text.split()[0])) >= 0:
            early += 1
        prev = p
    used, why = [], []
    if over:
        used.append(("FlowSettings.overwide_penalty", fs.overwide_penalty))
        why.append(f"{over} line(s) wider than the column ({width} characters)")
    if early:
        used += [("FlowSettings.early_wrap_penalty", fs.early_wrap_penalty),
                 ("FlowSettings.early_wrap_room_penalty", fs.early_wrap_room_penalty)]
        why.append(f"{early} line(s) whose first word fitted on the line above")
    return Term("wrap", -wrap, used, "; ".join(why))


def _explain_segment(cols: list[Column], seg: list[FlowPiece], s_i: int, cells: list[list[FlowPiece]],
                     cuts: list[tuple[int, int]], best_total: float, open_end: list[bool], typer: FlowTyper,
                     widths: dict[int, int] | None, fs: FlowSettings) -> Segment:
    """Why :func:`_assign_flow` placed segment ``seg`` as ``cuts`` (debug view).

    Scores every possible cell (column ``k``, pieces ``j:i``) again, then the best total
    before it (``ahead[k][j]``, the placing's forward pass) and after it (``behind[k][i]``,
    the same pass backwards): a cell's *total* is ``ahead + score + behind``, the best
    placing of the segment in which that cell holds exactly those pieces. The runner-up of
    a column is its best other cell; the runner-up of a piece is the best other column."""
    n, m = len(seg), len(cols)
    neg = float("-inf")
    options: list[dict[tuple[int, int], float]] = []
    for k, col in enumerate(cols):
        limit = typer.max_pieces(col.role)
        options.append({(j, i): 0.0 for i in range(n + 1) for j in range(max(0, i - limit), i + 1)})
    ahead = [[neg] * (n + 1) for _ in range(m + 1)]
    ahead[0][0] = 0.0
    behind = [[neg] * (n + 1) for _ in range(m + 1)]
    behind[m][n] = 0.0
    scored: dict[tuple[int, int, int], tuple[list[Term], float]] = {}

    col_widths = [widths.get(c.index) if widths else None for c in cols]
    inners = [_inner_wraps(seg, w, fs) for w in col_widths]

    def score(k: int, j: int, i: int) -> float:
        key = (k, j, i)
        if key not in scored:
            scored[key] = _cut_terms(cols[k], seg, j, i, cells[k], open_end, typer, col_widths[k], inners[k], fs)
        return scored[key][1]

    # Only the cells a complete placing can use are scored (both passes reach them).
    reach_a = [[False] * (n + 1) for _ in range(m + 1)]
    reach_a[0][0] = True
    for k in range(m):
        for (j, i) in options[k]:
            if reach_a[k][j]:
                reach_a[k + 1][i] = True
    reach_b = [[False] * (n + 1) for _ in range(m + 1)]
    reach_b[m][n] = True
    for k in range(m - 1, -1, -1):
        for (j, i) in options[k]:
            if reach_b[k + 1][i]:
                reach_b[k][j] = True
    usable = [[(j, i) for (j, i) in options[k] if reach_a[k][j] and reach_b[k + 1][i]] for k in range(m)]
    for k in range(m):
        for (j, i) in usable[k]:
            ahead[k + 1][i] = max(ahead[k + 1][i], ahead[k][j] + score(k, j, i))
    for k in range(m - 1, -1, -1):
        for (j, i) in usable[k]:
            behind[k][j] = max(behind[k][j], score(k, j, i) + behind[k + 1][i])

    def through(k: int, j: int, i: int) -> float:
        return ahead[k][j] + scored[(k, j, i)][1] + behind[k + 1][i]

    def placement(k: int, j: int, i: int) -> Placement:
        terms, sc = scored[(k, j, i)]
        return Placement([(p.line, p.text) for p in seg[j:i]], terms, sc, through(k, j, i))

    out = Segment(s_i, best_total)
    piece_best: list[dict[int, float]] = [{} for _ in range(n)]
    for k, col in enumerate(cols):
        j0, i0 = cuts[k]
        # another content: an empty cell elsewhere in the segment is the same (empty) cell
        others = [(through(k, j, i), j, i) for (j, i) in usable[k] if (j, i) != (j0, i0) and (i > j or i0 > j0)]
        runner = max(others, key=lambda x: x[0], default=None)
        out.cells.append(CellChoice(col.index, col.role, col.text, placement(k, j0, i0),
                                    placement(k, runner[1], runner[2]) if runner else None))
        # the best total with piece p in column k: max over cells j <= p < i
        by_start: dict[int, list[float]] = {}
        for (j, i) in usable[k]:
            if i > j:
                by_start.setdefault(j, [neg] * (n + 1))[i] = through(k, j, i)
        for j, row in by_start.items():
            run = neg
            for i in range(n, j, -1):  # run = best total of a cell starting at j and ending at i or later
                run = max(run, row[i])
                p = i - 1
                if run > piece_best[p].get(k, neg):
                    piece_best[p][k] = run
    where = {p: k for k, (j, i) in enumerate(cuts) for p in range(j, i)}
    for p, piece in enumerate(seg):
        k = where[p]
        alt = max(((t, kk) for kk, t in piece_best[p].items() if kk != k), default=None)
        own = piece_best[p].get(k, best_total)
        out.pieces.append(PieceChoice(piece.line, piece.text, cols[k].index,
                                      cols[alt[1]].index if alt else None, own - alt[0] if alt else None))
    return out


def _wrap_penalty(pieces: list[FlowPiece], before: list[FlowPiece], width: int,
                  fs: FlowSettings = DEFAULT.flow) -> float:
    """How implausible it is that whole lines ``pieces`` (after ``before``) wrap in a column
    ``width`` characters wide: a line wider than the column (``fs.overwide_penalty``), or a
    line whose first word would have fitted at the end of the line above it (then the cell
    had not wrapped; the more room was left, the less likely: ``fs.early_wrap_penalty`` +
    ``fs.early_wrap_room_penalty`` × the share of the width left)."""
    penalty = 0.0
    prev = before[-1] if before else None
    for p in pieces:
        if p.starts_line and p.ends_line and len(p.text) > width:
            penalty += fs.overwide_penalty
        if prev is not None and prev.starts_line and prev.ends_line and p.starts_line:
            room = width - (len(prev.text) + 1 + len(p.text.split()[0]))
            if room >= 0:
                penalty += fs.early_wrap_penalty + fs.early_wrap_room_penalty * room / width
        prev = p
    return penalty


def _is_caps_title(text: str, min_letters: int = DEFAULT.flow.caps_title_min_letters) -> bool:
    """A title in capitals ("NHIỆM VỤ VÀ GIẢI PHÁP"): at least ``min_letters`` letters
    (``FlowSettings.caps_title_min_letters``), all upper-case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= min_letters and all(c.isupper() for c in letters)


def read_flow(lines: Sequence[str], file: str, typer: FlowTyper, vocab: ColumnVocabulary | None = None,
              first_line: int = 1, settings: TableSettings | None = None) -> list[Table]:
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

    ``settings``: the header thresholds and placement terms (:class:`TableSettings`; default
    ``TableSettings()``); the typer carries its own scores. Within
    ``loaders.tables.trace.collecting()`` every table is also explained (the debug view).
    """
    vocab = vocab or vocabulary()
    settings = settings or DEFAULT
    hs, fs = settings.header, settings.flow
    trace = active()
    tx: TableExplanation | None = None  # the explanation of the current table (debug view)
    rxs: dict[int, RowExplanation] = {}  # id(_FlowRow) -> its explanation
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
        found = _flow_header_at(texts, k, vocab, hs)
        if found:
            j, parts = found
            columns = typer.columns(_flow_columns(" ".join(parts), vocab, f"{file}:{n}", n))
            header = Header(columns, f"{file}:{n}", n, tuple(nums[x] for x in range(k, j) if texts[x]))
            if table is not None and [c.role for c in columns] == table.header.roles():
                if current is not None:
                    current.segments.append([])  # a page break: the row goes on after it
                if tx is not None:
                    tx.event(n, "repeated header", "the same header after a page break"
                             + (f": row {current.code or '?'} (line {current.line}) goes on after it" if current else ""))
            else:
                table = Table(header)
                if pending_unit is not None:  # "Đơn vị tính: triệu đồng" printed above the header
                    table.unit, table.unit_where, table.unit_line = pending_unit[0], f"{file}:{pending_unit[1]}", pending_unit[1]
                    pending_unit = None
                tables.append(table)
                raw_rows[id(table)] = []
                numbering = Numbering(typer.bullets(columns))
                current = None
                if trace is not None:
                    tx = trace.table("flow", file, n, [ColumnInfo(c.index, c.role, c.text) for c in columns],
                                     _header_reasons(parts, vocab, hs))
                    if table.unit:
                        tx.event(table.unit_line, "unit", f"'Đơn vị tính' above the header: {table.unit}")
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
            while j < len(texts) and not _flow_header_at(texts, j, vocab, hs):
                j += 1
            # the footnote runs to the next page header, or to the end of the table
            body = Cell("", f"{file}:{n}")
            for x in range(k, j):
                if texts[x]:
                    body.extend(Cell(texts[x], f"{file}:{nums[x]}", nums[x], (nums[x],)))
            body.text = body.text[len(fm.group(1)):].strip()
            table.footnotes[fm.group(1)] = body
            if tx is not None:
                tx.event(n, "footnote", f"footnote {fm.group(1)} at the foot of a page (its marker is glued to a "
                         f"word of the table): {body.text[:60]!r}")
            k = j
            continue
        total = vocab.total(t)
        if total and not parse_code(t):
            current = _FlowRow(None, n, [[FlowPiece(n, t)]], total=total.group("label").strip())
            raw_rows[id(table)].append(current)
            if tx is not None:
                rxs[id(current)] = tx.row(n, None, "total", f"starts with a total label {current.total!r}")
            k += 1
            continue
        if current is not None and current.total and re.fullmatch(r"[\d.,]+", t) and len(current.segments[0]) == 1:
            current.segments[0].append(FlowPiece(n, t))  # "TỔNG CỘNG" / "141,5"
            if tx is not None:
                rxs[id(current)].reasons.append(f"line {n}: the total's amount {t!r} on its own line")
            k += 1
            continue
        at = next((x for x in range(k + 1, len(texts)) if texts[x]), None)
        nxt = texts[at] if at is not None else ""
        if re.fullmatch(r"\d{1,4}", t) and at is not None and _flow_header_at(texts, at, vocab, hs):
            if tx is not None:
                tx.event(n, "page number", f"{t!r} printed above a repeated header")
            k += 1  # the page number printed above a repeated header
            continue
        code = parse_code(t)
        rest = t[len(CODE_RE.match(t).group(0)):].strip() if code else ""
        if code is not None and (code in ROMANS or PART_RE.fullmatch(code)) and not numbering.accepts(code) \
                and _is_caps_title(rest, fs.caps_title_min_letters):
            if tx is not None:
                tx.event(n, "end of table", f"a heading of the document in capitals {t[:50]!r} (the numbering does "
                         f"not accept {code!r}; FlowSettings.caps_title_min_letters={fs.caps_title_min_letters})")
                tx = None
            table, current = None, None  # a heading of the document ("II. NHIỆM VỤ VÀ GIẢI PHÁP") ends the table
            k += 1
            continue
        if code is not None and numbering.accepts(code) and (not rest or not rest[0].islower()):
            bare_number = not rest and code[0].isdigit()
            if not (bare_number and (parse_code(nxt) or re.fullmatch(r"[\d.,]+", nxt) or vocab.total(nxt))):
                if tx is not None:
                    why = _numbering_reason(numbering, code)
                    rxs_row = tx.row(n, code, "item", f"opens with the code {code!r}: {why}"
                                     + ("" if rest else "; the code alone on its line"))
                numbering.take(code)
                current = _FlowRow(code, n, [[]])
                raw_rows[id(table)].append(current)
                if tx is not None:
                    rxs[id(current)] = rxs_row
                if rest:
                    current.segments[0].extend(_flow_pieces(n, rest, typer, starts_line=False))
                k += 1
                continue
            if tx is not None:
                tx.event(n, "not a row", f"a bare number {t!r} followed by a code, a number or a total: an amount")
        if current is None:
            current = _FlowRow(None, n, [[]])  # text before the first row: kept, the family decides
            raw_rows[id(table)].append(current)
            if tx is not None:
                rxs[id(current)] = tx.row(n, None, "item", "text before the first row (kept: the family decides)")
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
        placed = _place_rows(tbl, rows, typer, None, fs)
        widths = _column_widths(tbl, placed, fs)
        tx = _table_trace(trace, tbl) if trace is not None else None
        if tx is not None:
            for c in tx.columns:
                c.width = widths.get(c.index)
        placed = _place_rows(tbl, rows, typer, widths, fs, {id(r): rxs[id(r)] for r in rows} if tx else None)
        for r in rows:
            tbl.rows.append(_flow_row(tbl, r, placed.get(id(r)), file, typer.heading(r.code)))
            if tx is not None:
                rx = rxs[id(r)]
                row = tbl.rows[-1]
                rx.kind = row.kind
                if row.kind == "heading":
                    rx.reasons.append("a heading (FlowTyper.heading): all its text is the title")
                if row.continued:
                    rx.reasons.append(f"continued after {len(r.segments) - 1} page break(s)")
                if r.footnotes:
                    rx.reasons.append(f"footnote marker(s) {', '.join(r.footnotes)} removed from its text")
                fill_cells(rx, row)
    return tables


def _numbering_reason(numbering: Numbering, code: str) -> str:
    """Why the numbering accepts ``code`` (debug view)."""
    if code in ("-", "+"):
        return "a bullet opens a row in a list of indicators (FlowTyper.bullets)"
    if code[0] in "IVX":
        return f"the next Roman numeral (after {numbering.roman or 'none'})"
    if "." in code:
        return f"the next sub-number of {numbering.number}"
    if code == "1" and numbering.fresh:
        return "1 (re)starts the numbers"
    return f"the next number after {numbering.number}"


def _table_trace(trace, tbl: Table) -> TableExplanation | None:
    """The explanation recorded for ``tbl`` (matched by its header line)."""
    return next((t for t in reversed(trace.tables) if t.reader == "flow" and t.line == tbl.header.line), None)


def _place_rows(table: Table, rows: list[_FlowRow], typer: FlowTyper, widths: dict[int, int] | None,
                fs: FlowSettings = DEFAULT.flow, explain: dict[int, RowExplanation] | None = None,
                ) -> dict[int, list[list[FlowPiece]]]:
    """The pieces of every row (but totals) placed in the data columns: {id(row): cells}.
    A heading row (``typer.heading``) is all title. ``explain`` (debug view): the row
    explanations by ``id(row)``, which receive the placing of each segment."""
    cols = [c for c in table.header.columns if c.role != "code"]
    out = {}
    for r in rows:
        if r.total:
            continue
        if typer.heading(r.code):
            title = [p for seg in r.segments for p in seg]
            out[id(r)] = [title if c.role == "description" else [] for c in cols]
        else:
            segs = explain[id(r)].segments if explain is not None else None
            out[id(r)] = _assign_flow(table.header.columns, r.segments, typer, widths, fs, segs)
    return out


def _column_widths(table: Table, placed: dict[int, list[list[FlowPiece]]],
                   fs: FlowSettings = DEFAULT.flow) -> dict[int, int]:
    """The width (characters) of each data column from a first placing: its widest whole line,
    leaving out lines half as wide again (``fs.width_outlier_ratio``) as most (90%,
    ``fs.width_percentile``) of its lines (a line the first placing put in the wrong column).
    A column with fewer than five (``fs.width_min_lines``) whole lines gets none."""
    cols = [c for c in table.header.columns if c.role != "code"]
    found: dict[int, list[int]] = {}
    for cells in placed.values():
        for col, pieces in zip(cols, cells):
            found.setdefault(col.index, []).extend(len(p.text) for p in pieces if p.starts_line and p.ends_line)
    widths = {}
    for i, v in found.items():
        if len(v) >= fs.width_min_lines:
            usual = sorted(v)[(len(v) * fs.width_percentile) // 100]
            widths[i] = max(x for x in v if x <= fs.width_outlier_ratio * usual)
    return widths


def flow_headers(lines: Sequence[str], file: str, typer: FlowTyper, vocab: ColumnVocabulary | None = None,
                 first_line: int = 1, settings: TableSettings | None = None) -> list[Header]:
    """The headers :func:`read_flow` would find in ``lines`` (a repeated header once), without
    reading the rows: to tell cheaply which tables a document holds."""
    vocab = vocab or vocabulary()
    hs = (settings or DEFAULT).header
    texts = [clean(raw) for raw in lines]
    out: list[Header] = []
    k = 0
    while k < len(texts):
        found = _flow_header_at(texts, k, vocab, hs)
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
