"""One generic reader of counted results in prose ("claims"), driven by reviewed data only:
the indicator phrases of ``data/catalogue/indicators.csv`` and the nouns and words of
``data/catalogue/unit_nouns.csv`` / ``claim_words.csv`` (:mod:`loaders.claim_words`). It
knows no document: the report and narrative parsers only cut their text into
:class:`Paragraph` objects and give the period the document covers.

What a claim is (all matching on :func:`loaders.catalogue.normalize_text`):

* a number and the noun that follows it: "kiểm định 5.759 phương tiện đo", "06 hồ sơ",
  "23 tin, bài", "2.506 (PTĐ)", "74.000.000đ" (money, in đồng), "47,8%", a ratio "07/08 đơn
  vị" (value 7, note "07/08 (87,5%)"), a zero in words "không nhận được đơn thư";
* its indicator: among the catalogue phrases around it (not crossing another number, a ";"
  or a sentence end), a phrase that contains the number beats one that contains its noun,
  which beats one elsewhere in the clause; then a phrase whose indicator is counted in the
  same noun (or the same class of noun), then the longest. Coordinated counts ("05 UBND
  huyện, 04 sở và 02 công ty đề xuất") share one clause. With no phrase in the clause, the
  sentence and then the paragraph are searched, for an indicator of the same class of noun;
* breakdowns: a parenthesised list right after the noun ("222 mẫu (143 mẫu dây điện, …)"),
  parts after a breakdown word in the clause ("trong đó đạt 2.506 (PTĐ) và ko đạt 53"), a
  list of items after a paragraph ending in "trong đó:" / "cụ thể:" (an item is a part when
  it reads "label: number" or counts the same noun; "+" items are parts of the "-" item
  above), and ratios whose denominator is an earlier count ("07/08 đơn vị" of "08 đơn
  vị"). One part after "trong đó" is an "of which" subset (``partial``, its own unit);
  several parts are a full breakdown (the whole's unit, checked to add up);
* shares: a percentage after "chiếm" is the share of the count before it (checked);
* periods: :func:`period_of_paragraph` (cut-offs, a year or quarter named in the paragraph);
  a part has the period of its whole.

What is not a claim, silently: dates, years, document numbers ("Thông tư số 15/2018"),
durations and sizes (``ignore`` nouns), sizes/targets/rules before the number ("quy mô",
"tiến tới", "tối đa"), figures repeated from above ("3 dự án trên"), a percentage restating a
ratio, a figure in a clause that states a target ("Phấn đấu … đạt 80%"). Reported as a warning with its line: a number followed by a word that is not a known
noun, a count whose indicator no phrase names, a percentage with no indicator, a planned
amount ("tổng mức đầu tư 10.000,0 triệu đồng"), breakdowns that do not add up, shares that
do not match their counts, and lists whose item count differs from the count announcing them.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field as dc_field
from datetime import date
from typing import Sequence

from .catalogue import CatalogueEntry, default_catalogue, normalize_mapped
from .claim_words import ClaimWords, default_claim_words
from .model import IndicatorActual, ParseIssue
from .numbers import NumberFormatError, parse_vn_number
from .periods import find_periods

#: Note prefix of an "of which" part (its value need not add up with its siblings).
PARTIAL_NOTE = "trong đó"
#: Tolerance of a printed share against count / whole, in percentage points (shares are
#: printed with one decimal and forced to add up to 100: 7/23 = 30,43% is printed 30,5%).
SHARE_TOLERANCE_PP = 0.1

_NUM_RE = re.compile(r"(?<![\w/.,:\-])(?P<n>\d{1,3}(?:\.\d{3})+|\d+)(?P<dec>,\d+)?")
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")
_WORD_RE = re.compile(r"\s+(?P<w>[^\W\d_][\w&]*)")
_BULLET_RE = re.compile(r"^\s*(?P<b>(?:[-•]\s*)?\+|[-•])\s*")


# ----------------------------------------------------------------------------- paragraphs


@dataclass
class Paragraph:
    """A bullet or paragraph with its wrapped lines joined by single spaces.

    ``starts`` holds ``(offset, line_number)`` of every joined line, so any offset in
    ``text`` maps back to the 1-based line where it was printed (:meth:`line_at`).
    ``heading`` is the numbered heading above it; ``section`` the Roman-numeral part;
    ``bullet`` the marker it was printed with ("-", "+", "- +") when the parser removed it
    from ``text`` (``None``: look at the start of ``text``).
    """

    text: str
    starts: list[tuple[int, int]]
    heading: str | None = None
    section: str | None = None
    kind: str = "item"  # "item" | "heading"
    bullet: str | None = None

    @property
    def line(self) -> int:
        return self.starts[0][1]

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for off, ln in self.starts:
            if off > offset:
                break
            line = ln
        return line

    def sentence_bounds(self) -> list[int]:
        """Offsets where sentences start (a ". " followed by a capital, a digit or a
        bullet; not after a short abbreviation such as "TP."), plus ``len(text) + 1``."""
        bounds = [0]
        for m in re.finditer(r"[.!?]\s+(?=[-+]?\s*[A-ZĐÀ-Ỹ0-9])", self.text):
            word = self.text[: m.start()].rsplit(" ", 1)[-1]
            if len(word) <= 3 and word.isupper():
                continue  # "TP. Điện Biên Phủ"
            bounds.append(m.end())
        bounds.append(len(self.text) + 1)
        return bounds

    def sentence_at(self, offset: int) -> str:
        """The sentence of ``text`` that holds ``offset``."""
        bounds = self.sentence_bounds()
        for a, b in zip(bounds, bounds[1:]):
            if a <= offset < b:
                return self.text[a:b].strip()
        return self.text.strip()

    @property
    def level(self) -> int:
        """0 without a bullet, 1 for "-", 2 for "+" or "- +"."""
        marker = self.bullet
        if marker is None:
            m = _BULLET_RE.match(self.text)
            marker = m.group("b") if m else ""
        return 2 if "+" in marker else (1 if marker.strip() else 0)


# ----------------------------------------------------------------------------- records


@dataclass
class Quantity:
    """A number found in a paragraph, in normalised-text offsets: ``a:b`` the number
    (for a zero in words, the zero phrase), ``na:nb`` its noun (``na == nb`` when none)."""

    a: int
    b: int
    na: int
    nb: int
    value: float
    kind: str  # "count" | "money" | "percent" | "ratio" | "bare" | "zero"
    unit: str | None
    noun_class: str | None = None
    of: float | None = None
    approx: str | None = None
    zero: str | None = None
    share_of: Quantity | None = None


@dataclass
class Claim:
    """A result read from the text, before it becomes an :class:`IndicatorActual`."""

    paragraph: Paragraph
    quantity: Quantity
    offset: int  # in the paragraph's printed text
    value: float
    unit: str | None
    code: str | None
    name: str
    note: str | None = None
    field: str | None = None
    label: str | None = None
    parent: Claim | None = None
    partial: bool = False
    notes: list[str] = dc_field(default_factory=list)
    order: tuple[int, int] = (0, 0)

    @property
    def line(self) -> int:
        return self.paragraph.line_at(self.offset)

    @property
    def sentence(self) -> str:
        return self.paragraph.sentence_at(self.offset)


@dataclass(frozen=True)
class DocPeriod:
    """The period a document's results cover: label as stored ("Q1/2024", "2020–6/2021"),
    first and last day."""

    label: str
    start: date
    end: date


# ----------------------------------------------------------------------------- text


class _Text:
    """A paragraph's text in normal form with maps both ways and clause boundaries."""

    def __init__(self, para: Paragraph):
        self.para = para
        self.orig = para.text
        self.s, self.idx = normalize_mapped(para.text)
        inv = [0] * (len(self.orig) + 2)
        j = 0
        for o in range(len(self.orig) + 2):
            while j < len(self.idx) and self.idx[j] < o:
                j += 1
            inv[o] = j
        self.inv = inv
        sentences = sorted({inv[min(b, len(self.orig))] for b in para.sentence_bounds()})
        self.sentence_starts = sentences
        semis = [m.end() for m in re.finditer(r";", self.s)]
        self.clause_starts = sorted(set(sentences) | set(semis))
        # parentheses: (open, close) in normal offsets
        self.parens: list[tuple[int, int]] = []
        stack = []
        for k, ch in enumerate(self.s):
            if ch == "(":
                stack.append(k)
            elif ch == ")" and stack:
                self.parens.append((stack.pop(), k))
        for k in stack:
            self.parens.append((k, len(self.s)))

    def orig_offset(self, k: int) -> int:
        if not self.idx:
            return 0
        return self.idx[min(k, len(self.idx) - 1)]

    def printed(self, a: int, b: int) -> str:
        if b <= a:
            return ""
        return self.orig[self.orig_offset(a): self.orig_offset(b - 1) + 1]

    def clause(self, k: int) -> tuple[int, int]:
        start = max((c for c in self.clause_starts if c <= k), default=0)
        end = min((c for c in self.clause_starts if c > k), default=len(self.s) + 1)
        return start, end

    def sentence(self, k: int) -> tuple[int, int]:
        start = max((c for c in self.sentence_starts if c <= k), default=0)
        end = min((c for c in self.sentence_starts if c > k), default=len(self.s) + 1)
        return start, end

    def paren_of(self, k: int) -> tuple[int, int] | None:
        inside = [(o, c) for o, c in self.parens if o < k < c]
        return max(inside, default=None)


def _ends_with(pattern: re.Pattern[str] | None, text: str, max_words: int = 0) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text`` followed by at most ``max_words`` words."""
    if pattern is None:
        return None
    last = None
    for m in pattern.finditer(text):
        rest = text[m.end():].strip()
        if len(rest.split()) <= max_words and not re.search(r"[.;:]", rest):
            last = m
    return last


def _number(text: str) -> float:
    value = parse_vn_number(text)
    return int(value) if value == value.to_integral_value() else float(value)


# ----------------------------------------------------------------------------- quantities


def _noun_at(t: _Text, pos: int, words: ClaimWords):
    """The longest noun of ``unit_nouns.csv`` right after ``pos`` (after spaces, glued to the
    number as in "74.000.000đ", or in brackets as in "2.506 (PTĐ)"): ``(noun, start, end)``
    in normal offsets, or ``None``."""
    s = t.s
    starts = [(pos + len(s[pos:]) - len(s[pos:].lstrip()), False)]
    bracket = re.match(r"\s*\(\s*", s[pos:])
    if bracket:
        starts.append((pos + bracket.end(), True))
    best = None
    for start, closed in starts:
        for noun in words.nouns:
            for p in noun.patterns:
                # matched on the rest of the text: a noun glued to the number ("74.000.000đ")
                # is a whole word even though a digit precedes it
                nm = p.match(s[start:])
                if not nm or nm.end() == 0:
                    continue
                end = start + nm.end()
                if closed:
                    close = re.match(r"\s*\)", s[end:])
                    if not close:
                        continue
                    end += close.end()
                if best is None or nm.end() > best[0]:
                    best = (nm.end(), noun, start, end)
    return None if best is None else best[1:]


def find_quantities(t: _Text, words: ClaimWords) -> tuple[list[Quantity], list[tuple[int, str, str]]]:
    """Numbers and zeros of one paragraph. Returns the quantities (by position) and the
    numbers that could not be read: ``(normal offset, message, kind)`` with kind
    "unread" or "plan"."""
    s = t.s
    roles = words.roles
    out: list[Quantity] = []
    problems: list[tuple[int, str, str]] = []
    for m in _NUM_RE.finditer(s):
        a, b = m.start(), m.end()
        n, dec = m.group("n"), m.group("dec") or ""
        after = s[b:]
        before = s[max(0, a - 30):a]
        if not dec and _YEAR_RE.fullmatch(n):
            continue
        if _ends_with(roles["not_count_before"], before):
            continue
        ratio = re.match(r"/(?P<of>\d{1,3}(?:\.\d{3})+|\d+)(?![\w/.\-]|,\d)", after)
        if ratio:
            if _YEAR_RE.fullmatch(ratio.group("of")):
                continue
            of_end = b + ratio.end()
            noun = _noun_at(t, of_end, words)
            q = Quantity(a, of_end, of_end, of_end, _number(n), "ratio", None, of=_number(ratio.group("of")))
            if noun and noun[0].kind == "count":
                q.na, q.nb, q.unit, q.noun_class = noun[1], noun[2], noun[0].unit, noun[0].noun_class
            out.append(q)
            continue
        if re.match(r"[/\-:][\w\d]|\.\d", after):
            continue  # "84/UBND", "37-NQ", "9001:2015": a reference
        try:
            value = _number(n + dec)
        except NumberFormatError:
            problems.append((a, f"số {n + dec} không đọc được", "unread"))
            continue
        pct = re.match(r"\s?%", after)
        if pct:
            q = Quantity(a, b + pct.end(), b, b + pct.end(), value, "percent", "%")
        else:
            noun = _noun_at(t, b, words)
            if noun is None:
                wm = _WORD_RE.match(after)
                if wm and not (roles["not_count_after"] and roles["not_count_after"].fullmatch(wm.group("w"))):
                    problems.append((a, f"số {n + dec} ({wm.group('w')} …) chưa được đọc thành chỉ số", "unread"))
                    continue
                out.append(Quantity(a, b, b, b, value, "bare", None))
                continue
            row, na, nb = noun
            if row.kind == "ignore":
                continue
            if row.kind == "money":
                q = Quantity(a, b, na, nb, int(round(value * row.scale)), "money", row.unit, row.noun_class)
            else:
                q = Quantity(a, b, na, nb, value, "count", row.unit, row.noun_class)
        clause_start = t.clause(a)[0]
        prefix = s[clause_start:a]
        if _ends_with(roles["not_result"], prefix, max_words=3):
            continue
        if roles["target_clause"] is not None and roles["target_clause"].search(prefix):
            continue
        if roles["not_result_after"] and roles["not_result_after"].match(s, q.nb + len(s[q.nb:]) - len(s[q.nb:].lstrip())):
            continue
        if q.kind == "percent" and roles["restatement"]:
            if any(r.start() <= a < r.end() for r in roles["restatement"].finditer(s)):
                continue
        if q.kind == "money":
            plan = _ends_with(roles["plan_figure"], prefix)
            if plan:
                problems.append(
                    (a, f"{plan.group(0)} {t.printed(a, q.nb)}: số kế hoạch của dự án, không phải kết quả; "
                        "không đưa vào số liệu thực hiện", "plan"))
                continue
        approx = _ends_with(roles["approximate"], prefix)
        if approx:
            q.approx = approx.group(0)
        if q.kind == "percent":
            share = _ends_with(roles["share"], prefix)
            if share and out and out[-1].kind in ("count", "bare"):
                q.share_of = out[-1]
        out.append(q)
    if roles["zero"] is not None:
        for zm in roles["zero"].finditer(s):
            pos = zm.end()
            extra = re.match(r"\s+(?:các|bất kỳ|một)\b", s[pos:])
            if extra:
                pos += extra.end()
            noun = _noun_at(t, pos, words)
            if noun and noun[0].kind == "count":
                out.append(Quantity(zm.start(), zm.end(), noun[1], noun[2], 0, "zero", noun[0].unit,
                                    noun[0].noun_class, zero=zm.group(0)))
    out.sort(key=lambda q: q.a)
    return out, problems


# ----------------------------------------------------------------------------- indicators


@dataclass(frozen=True)
class _PhraseHit:
    entry: CatalogueEntry
    start: int
    end: int


def _phrase_hits(t: _Text, entries: Sequence[CatalogueEntry]) -> list[_PhraseHit]:
    hits = []
    for entry in entries:
        for p in entry.patterns:
            for m in p.finditer(t.s):
                if m.end() > m.start():
                    hits.append(_PhraseHit(entry, m.start(), m.end()))
    return hits


def _kind_fits(q: Quantity, entry: CatalogueEntry) -> bool:
    if q.kind == "percent":
        return entry.unit == "%"
    if q.kind == "money":
        return entry.unit == "đồng"
    return entry.unit not in ("%", "đồng")


def _agreement(q: Quantity, entry: CatalogueEntry, words: ClaimWords) -> int:
    if q.unit and entry.unit.lower() == q.unit.lower():
        return 2
    if q.noun_class and words.unit_class(entry.unit) == q.noun_class:
        return 1
    return 0


def _choose(q: Quantity, hits: list[_PhraseHit], lo: int, hi: int, others: list[Quantity], words: ClaimWords,
            tiers: tuple[int, ...] = (0, 1, 2), min_agree: int = 0) -> CatalogueEntry | None:
    best = None
    for h in hits:
        if not _kind_fits(q, h.entry):
            continue
        if any(o is not q and h.start <= o.a < h.end for o in others):
            continue  # the phrase belongs to another number
        if h.start <= q.a and q.b <= h.end:
            tier = 0
        elif q.na < q.nb and h.start < q.nb and h.end > q.na:
            tier = 1
        elif lo <= h.start and h.end <= hi:
            tier = 2
        else:
            continue
        if tier not in tiers:
            continue
        agree = _agreement(q, h.entry, words)
        if agree < min_agree:
            continue
        distance = min(abs(h.start - q.a), abs(h.end - q.b))
        key = (tier == 0, agree, -tier, h.end - h.start, -distance)
        if best is None or key > best[0]:
            best = (key, h.entry)
    return best[1] if best else None


def _window(t: _Text, q: Quantity, qs: list[Quantity]) -> tuple[int, int]:
    lo, hi = t.clause(q.a)
    k = qs.index(q)
    if k > 0:
        lo = max(lo, qs[k - 1].nb)
    if k + 1 < len(qs):
        nxt = qs[k + 1]
        hi = min(hi, nxt.a)
        paren = t.paren_of(nxt.a)
        if paren and paren[0] >= q.nb:
            hi = min(hi, paren[0])
    own = t.paren_of(q.a)
    if own:
        lo, hi = max(lo, own[0] + 1), min(hi, own[1])
    return lo, hi


def _groups(t: _Text, qs: list[Quantity]) -> dict[int, list[Quantity]]:
    """Coordinated counts ("05 UBND huyện, 04 sở và 02 công ty"): id → its group."""
    groups: dict[int, list[Quantity]] = {}
    current = [qs[0]] if qs else []
    for prev, q in zip(qs, qs[1:]):
        gap = t.s[prev.nb:q.a]
        if prev.kind in ("count", "zero") and q.kind == "count" and re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", gap):
            current.append(q)
        else:
            for x in current:
                groups[id(x)] = current
            current = [q]
    for x in current:
        groups[id(x)] = current
    return groups


def indicator_of(t: _Text, q: Quantity, qs: list[Quantity], hits: list[_PhraseHit], words: ClaimWords,
                 groups: dict[int, list[Quantity]]) -> CatalogueEntry | None:
    """The catalogue entry naming ``q`` (rules in the module docstring), or ``None``."""
    group = groups.get(id(q), [q])
    lo = _window(t, group[0], qs)[0]
    hi = _window(t, group[-1], qs)[1]
    entry = _choose(q, hits, lo, hi, qs, words)
    if entry is None:
        slo, shi = t.sentence(q.a)
        entry = _choose(q, hits, slo, shi, qs, words, tiers=(2,), min_agree=1)
    if entry is None:
        entry = _choose(q, hits, 0, len(t.s) + 1, qs, words, tiers=(2,), min_agree=1)
    return entry


# ----------------------------------------------------------------------------- extraction


def _label_case(label: str) -> str:
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


def _clean_label(text: str) -> str:
    """A label as printed, trimmed; "Long name (Short name)" gives the short name."""
    s = " ".join(text.split()).strip(" ,;:.-–+")
    short = re.search(r"\(([^()]{3,60})\)$", s)
    if short and len(s) > 80:
        return short.group(1).strip()
    if s.count("(") < s.count(")") and s.endswith(")"):
        s = s[:-1]
    if s.count("(") > s.count(")") and s.startswith("("):
        s = s[1:]
    return s.strip(" ,;:.-–+")


class _Extractor:
    def __init__(self, paragraphs: Sequence[Paragraph], entries: Sequence[CatalogueEntry], words: ClaimWords):
        self.paragraphs = list(paragraphs)
        self.entries = entries
        self.by_code = {e.code: e for e in entries}
        self.words = words
        self.claims: list[Claim] = []
        self.issues: list[ParseIssue] = []
        self.texts: dict[int, _Text] = {}
        self.quantities: dict[int, list[Quantity]] = {}
        self.claim_of: dict[int, Claim] = {}  # id(quantity) -> claim
        self.entry_of: dict[int, CatalogueEntry | None] = {}
        self.labels: dict[int, str] = {}  # id(quantity) -> label of its list item

    # -- per paragraph
    def scan(self) -> None:
        for k, para in enumerate(self.paragraphs):
            if para.kind != "item":
                continue
            t = _Text(para)
            self.texts[k] = t
            qs, problems = find_quantities(t, self.words)
            self.quantities[k] = qs
            for pos, message, _kind in problems:
                off = t.orig_offset(pos)
                self.issues.append(ParseIssue(para.line_at(off), message, text=para.sentence_at(off)))
            hits = _phrase_hits(t, self.entries)
            groups = _groups(t, qs)
            for q in qs:
                self.entry_of[id(q)] = indicator_of(t, q, qs, hits, self.words, groups)

    def claim(self, k: int, q: Quantity) -> Claim:
        if id(q) in self.claim_of:
            return self.claim_of[id(q)]
        para, t = self.paragraphs[k], self.texts[k]
        entry = self.entry_of.get(id(q))
        off = t.orig_offset(q.a)
        c = Claim(para, q, off, q.value, q.unit, entry.code if entry else None, entry.name_vn if entry else "",
                  field=entry.field if entry else None, order=(k, off))
        if q.kind == "ratio":
            pct = 100 * q.value / q.of if q.of else 0
            c.notes.append(f"{t.printed(q.a, q.b)} ({_pct(pct)})")
        if q.approx:
            c.notes.append(f"{q.approx} {t.printed(q.a, q.b)}")
        if q.kind == "zero":
            c.notes.append(q.zero)
        self.claim_of[id(q)] = c
        return c

    def make_part(self, whole: Claim, k: int, q: Quantity, label: str | None, partial: bool,
                  segment_end: int | None = None) -> None:
        """Make ``q`` a part of ``whole``. The part keeps an indicator of its own only when a
        phrase names its number or noun, or lies in its own segment (from its number to
        ``segment_end``, the next part or the clause end): "trong đó 04 cơ sở vi phạm"."""
        part = self.claim(k, q)
        t = self.texts[k]
        if segment_end is None:
            segment_end = t.clause(q.a)[1]
        own = _choose(q, _phrase_hits(t, self.entries), q.a, segment_end, self.quantities[k], self.words)
        if own is not None and own.code == whole.code:
            own = None
        part.parent, part.partial = whole, partial
        if own is not None:
            part.code, part.name, part.field = own.code, own.name_vn, own.field
        else:
            part.code, part.field = whole.code, whole.field
            part.name = f"{whole.name} – {_label_case(label)}" if label else whole.name
            if label and label.lower().startswith("lĩnh vực "):
                part.field = label[len("lĩnh vực "):].strip()
        part.label = label
        if not partial:
            if q.unit and whole.unit and q.unit != whole.unit and q.kind != "ratio":
                part.notes.append(t.printed(q.a, q.nb))
            part.unit = whole.unit
        elif part.unit is None:
            part.unit = whole.unit

    # -- breakdowns inside one paragraph
    def inline_parts(self, k: int) -> None:
        t, qs = self.texts[k], [q for q in self.quantities[k] if q.kind != "percent"]
        words = self.words
        for q in qs:  # "222 mẫu (143 mẫu dây điện, …)"
            if q.kind not in ("count", "zero"):
                continue
            m = re.match(r"\s*(?:các loại\s*)?\(", t.s[q.nb:])
            if not m:
                continue
            paren = t.paren_of(q.nb + m.end())
            if paren is None:
                continue
            inside = [p for p in qs if paren[0] < p.a < paren[1] and t.paren_of(p.a) == paren]
            if not inside:
                continue
            whole = self.claim(k, q)
            for j, p in enumerate(inside):
                end = inside[j + 1].a if j + 1 < len(inside) else paren[1]
                label = _clean_label(t.printed(p.nb, end))
                self.make_part(whole, k, p, label or None, partial=False, segment_end=end)
        if words.roles["breakdown"] is None:
            return
        for bm in words.roles["breakdown"].finditer(t.s):
            rest = t.s[bm.end():].strip()
            if rest in (":", ""):
                continue  # a list follows in the next paragraphs
            sent = t.sentence(bm.start())
            paren = t.paren_of(bm.start())
            limit = paren[0] if paren else bm.start()
            before = [q for q in qs if sent[0] <= q.a and q.nb <= limit and q.kind in ("count", "zero", "ratio")]
            if not before:
                continue
            whole_q = before[-1]
            end = paren[1] if paren else t.clause(bm.start())[1]
            parts = [q for q in qs if bm.end() <= q.a < end and id(q) not in self.claim_of
                     and q.kind in ("count", "zero", "ratio", "bare")]
            if not parts:
                continue
            whole = self.claim(k, whole_q)
            partial = len(parts) == 1
            for j, p in enumerate(parts):
                stop = parts[j + 1].a if j + 1 < len(parts) else end
                tail = re.split(r"\s(?:và|,)\s|[,;.)]", t.printed(p.nb, stop), maxsplit=1)[0]
                label = _clean_label(t.printed(p.na, p.nb) + " " + tail) if p.na < p.nb else None
                self.make_part(whole, k, p, label, partial=partial, segment_end=stop)

    # -- lists of items below a paragraph ending in "trong đó:"
    def lists(self) -> None:
        words = self.words
        for k in sorted(self.texts):
            t = self.texts[k]
            intro = _ends_with(words.roles["breakdown"], t.s.rstrip(" :") + " ", 0)
            if not t.s.rstrip().endswith(":") or intro is None:
                continue
            qs = [q for q in self.quantities[k] if q.kind in ("count", "ratio", "zero")]
            if not qs:
                continue
            whole = self.claim(k, qs[-1])
            intro_level = self.paragraphs[k].level
            items: list[tuple[int, int]] = []  # (paragraph index, level)
            j = k + 1
            while j < len(self.paragraphs) and j in self.texts:
                para = self.paragraphs[j]
                label = self._label(j)
                if para.level > intro_level or (label is not None and intro_level == 0):
                    items.append((j, para.level if para.level > intro_level else intro_level + 1))
                    j += 1
                    continue
                break
            parts_made = 0
            last_at_level: dict[int, Claim] = {}
            top = min((lv for _, lv in items), default=0)
            for j, lv in items:
                first = next((q for q in self.quantities[j] if q.kind != "percent"), None)
                label = self._label(j)
                if first is None or id(first) in self.claim_of and self.claim_of[id(first)].parent is not None:
                    continue
                if label is None and not (first.unit and first.unit == whole.unit):
                    continue
                parent = whole
                if lv > top:
                    parent = last_at_level.get(lv - 1) or last_at_level.get(top) or whole
                self.make_part(parent, j, first, label, partial=False, segment_end=len(self.texts[j].s) + 1)
                for q in self.quantities[j]:
                    self.labels[id(q)] = label or ""
                last_at_level[lv] = self.claim(j, first)
                for deeper in [x for x in last_at_level if x > lv]:
                    del last_at_level[deeper]
                parts_made += 1
            first_level = [j for j, lv in items if lv == top]
            if not parts_made and first_level and len(first_level) != whole.value:
                para = self.paragraphs[k]
                self.issues.append(ParseIssue(
                    whole.line,
                    f"{whole.name or 'số liệu'}: in {vn_number(whole.value)} {whole.unit or ''} nhưng liệt kê "
                    f"{len(first_level)} mục",
                    text=para.sentence_at(whole.offset)))

    def _label(self, j: int) -> str | None:
        """"Label: 04 dự án" → "Label" when the item's first number follows its colon."""
        t = self.texts.get(j)
        if t is None:
            return None
        first = next((q for q in self.quantities[j] if q.kind != "percent"), None)
        if first is None:
            return None
        head = t.s[:first.a].rstrip()
        if not head.endswith(":"):
            return None
        label = _clean_label(_BULLET_RE.sub("", t.printed(0, len(head) - 1)))
        return label or None

    def ratios(self) -> None:
        """"07/08 đơn vị" is a part of an earlier "08 đơn vị" of the same paragraph or heading."""
        by_whole: dict[int, list[Claim]] = defaultdict(list)
        for k in sorted(self.texts):
            for q in self.quantities[k]:
                if q.kind != "ratio" or (id(q) in self.claim_of and self.claim_of[id(q)].parent is not None):
                    continue
                whole = None
                for j in range(k, -1, -1):
                    if j not in self.texts or self.paragraphs[j].heading != self.paragraphs[k].heading:
                        continue
                    for w in reversed(self.quantities[j]):
                        if (j == k and w.a >= q.a) or w is q or w.kind not in ("count",):
                            continue
                        if w.value == q.of and (q.unit is None or w.unit == q.unit):
                            whole = (j, w)
                            break
                    if whole:
                        break
                if whole:
                    self.make_part(self.claim(*whole), k, q, None, partial=False)
                    by_whole[id(self.claim(*whole))].append(self.claim(k, q))
        # "05/06 đơn vị đã nộp" alone is an "of which" subset; "07/08 … 01/08" a full breakdown
        for parts in by_whole.values():
            whole = parts[0].parent
            if sum(p.value for p in parts) != whole.value:
                for p in parts:
                    p.partial = True
                    p.unit = p.quantity.unit or whole.unit

    def finish(self) -> None:
        """Make claims of every remaining quantity; report those no phrase names."""
        for k in sorted(self.texts):
            t = self.texts[k]
            for q in self.quantities[k]:
                c = self.claim_of.get(id(q))
                entry = self.entry_of.get(id(q))
                if c is None:
                    if q.kind == "bare":
                        continue  # a number alone is read only as a part of a list
                    if entry is None:
                        if q.kind == "zero":
                            continue
                        off = t.orig_offset(q.a)
                        self.issues.append(ParseIssue(
                            self.paragraphs[k].line_at(off),
                            f"số {t.printed(q.a, q.b)} ({t.printed(q.na, q.nb) or 'không có danh từ'}) chưa được "
                            "đọc thành chỉ số: không có cụm từ nào của danh mục chỉ tiêu",
                            text=self.paragraphs[k].sentence_at(off)))
                        continue
                    c = self.claim(k, q)
                label = self.labels.get(id(q))
                if label and c.parent is None and c.name and " – " not in c.name:
                    c.name = f"{c.name} – {_label_case(label)}"
                    if label.lower().startswith("lĩnh vực "):
                        c.field = label[len("lĩnh vực "):].strip()
                if q.share_of is not None and id(q.share_of) in self.claim_of:
                    c.label = self.claim_of[id(q.share_of)].label
                c.note = "; ".join(n for n in c.notes if n) or None
                self.claims.append(c)
        self.claims.sort(key=lambda c: c.order)


def extract_claims(
    paragraphs: Sequence[Paragraph],
    entries: Sequence[CatalogueEntry] | None = None,
    words: ClaimWords | None = None,
) -> tuple[list[Claim], list[ParseIssue]]:
    """Read every claim of the ``paragraphs`` (only ``kind == "item"``; rules in the module
    docstring). Returns the claims in document order and the warnings (numbers not read,
    planned amounts, lists whose count differs from their items). Breakdown sums and shares
    are checked by :func:`check_breakdowns` and :func:`check_shares` on the records. Never
    raises on content. ``entries`` / ``words`` default to the files in ``data/catalogue``.
    """
    ex = _Extractor(paragraphs, entries if entries is not None else default_catalogue(),
                    words if words is not None else default_claim_words())
    ex.scan()
    ex.lists()
    for k in sorted(ex.texts):
        ex.inline_parts(k)
    ex.ratios()
    ex.finish()
    return ex.claims, ex.issues


# ----------------------------------------------------------------------------- periods


def _label_for(start: date, end: date, doc: DocPeriod) -> str:
    if (start, end) == (doc.start, doc.end):
        return doc.label
    y = start.year
    if start.year == end.year:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return str(y)
        if (start.month, start.day, end.month, end.day) == (1, 1, 6, 30):
            return f"H1/{y}"
        if (start.month, start.day, end.month, end.day) == (7, 1, 12, 31):
            return f"H2/{y}"
        if start.day == 1 and start.month % 3 == 1 and end.month == start.month + 2 and (end.month, end.day) in (
                (3, 31), (6, 30), (9, 30), (12, 31)):
            return f"Q{(start.month + 2) // 3}/{y}"
        if start.month == end.month:
            return f"{start.month}/{y}"
    return f"{start.month}/{start.year}–{end.month}/{end.year}"


def period_of_paragraph(para: Paragraph, doc: DocPeriod, words: ClaimWords | None = None) -> tuple[str, date, date, int | None]:
    """The period of the claims of one paragraph: ``(label, start, end, fiscal_year)``.

    ``doc`` is the period the document's results cover. A cut-off inside it ("Tính đến hết
    tháng 6 năm 2021", "đến nay") ends the period there (from ``doc.start``). Otherwise, when
    the paragraph names exactly one year, quarter, part of a year or month range that overlaps
    ``doc`` (not after "từ", "sang", "bắt đầu": a start is not a period; dates of documents
    are not periods), the claims get that period clipped to ``doc`` ("Tết Nguyên đán Canh Tý
    năm 2020" → "2020"); else ``doc``. ``fiscal_year`` is the year when the period lies in
    one year, else ``None``.
    """
    words = words or default_claim_words()
    found = find_periods(para.text)
    specific: set[tuple[date, date]] = set()
    cut: date | None = None
    as_of = False
    for f in found:
        t = f.time
        if t.as_of:
            as_of = True
            if t.end is not None and doc.start <= t.end <= doc.end:
                cut = max(cut, t.end) if cut else t.end
            continue
        if t.kind not in ("year", "quarters", "part_of_year", "months") or t.start is None or t.end is None:
            continue
        prefix = para.text[max(0, f.start - 12):f.start]
        if _ends_with(words.roles["not_period_before"], normalize_mapped(prefix)[0] + " "):
            continue
        start, end = max(t.start, doc.start), min(t.end, doc.end)
        if start <= end:
            specific.add((start, end))
    if as_of:
        start, end = doc.start, cut or doc.end
    elif len(specific) == 1:
        start, end = specific.pop()
    else:
        start, end = doc.start, doc.end
    fiscal = start.year if start.year == end.year else None
    return _label_for(start, end, doc), start, end, fiscal


# ----------------------------------------------------------------------------- records


def _pct(x: float) -> str:
    return f"{round(x, 1):g}".replace(".", ",") + "%"


def vn_number(x: float) -> str:
    """A value printed the Vietnamese way: 5759 → "5.759", 47.8 → "47,8"."""
    if float(x) == int(x):
        return f"{int(x):,}".replace(",", ".")
    whole, _, frac = f"{float(x):.6f}".rstrip("0").partition(".")
    return f"{int(whole):,}".replace(",", ".") + ("," + frac if frac else "")


def claims_to_actuals(claims: list[Claim], id_prefix: str, doc: DocPeriod, words: ClaimWords | None = None) -> list[IndicatorActual]:
    """Turn claims into :class:`IndicatorActual` records with ids ``<prefix>/<line>/<k>``
    (k counts the figures of that line from 1, in print order), ``parent_id`` links, the
    period of :func:`period_of_paragraph` and, for an "of which" part, a note starting with
    :data:`PARTIAL_NOTE`."""
    ordered = sorted(claims, key=lambda c: (c.line, c.paragraph.line, c.offset))
    per_line: dict[int, int] = defaultdict(int)
    ids: dict[int, str] = {}
    for c in ordered:
        per_line[c.line] += 1
        ids[id(c)] = f"{id_prefix}/{c.line}/{per_line[c.line]}"
    periods: dict[int, tuple] = {}

    def period(c: Claim) -> tuple:
        if c.parent is not None:
            return period(c.parent)  # a breakdown is of the same period as its whole
        key = id(c.paragraph)
        if key not in periods:
            periods[key] = period_of_paragraph(c.paragraph, doc, words)
        return periods[key]

    out = []
    for c in ordered:
        label, start, end, fiscal = period(c)
        note = c.note
        if c.partial:
            note = PARTIAL_NOTE + (f": {note}" if note else "")
        out.append(IndicatorActual(
            actual_id=ids[id(c)], name=c.name, period=label, value=c.value, source_line=c.line, unit=c.unit,
            code=c.code, period_start=start, period_end=end,
            parent_id=ids.get(id(c.parent)) if c.parent is not None else None,
            sentence=c.sentence, field=c.field, note=note, fiscal_year=fiscal,
        ))
    return out


def is_partial(actual: IndicatorActual) -> bool:
    """True for an "of which" part (note starting with :data:`PARTIAL_NOTE`)."""
    return bool(actual.note) and actual.note.startswith(PARTIAL_NOTE)


def check_breakdowns(actuals: list[IndicatorActual]) -> list[ParseIssue]:
    """Check that breakdowns add up.

    For every whole (an actual that other actuals name as ``parent_id``): the values of
    its full parts must add up to its value exactly (counts and đồng are whole numbers;
    a tolerance of 1e-9 covers float storage) and carry its unit; each "of which" part
    (:func:`is_partial`) must not exceed it. Returns one :class:`ParseIssue` (severity
    "warning", ``line`` = the whole's source line, ``text`` = its sentence) per failure,
    and one per part whose ``parent_id`` names no actual. Never raises.
    """
    by_id = {a.actual_id: a for a in actuals}
    children: dict[str, list[IndicatorActual]] = defaultdict(list)
    for a in actuals:
        if a.parent_id:
            children[a.parent_id].append(a)
    issues: list[ParseIssue] = []
    for pid, parts in children.items():
        whole = by_id.get(pid)
        if whole is None:
            for p in parts:
                issues.append(ParseIssue(p.source_line, f"{p.actual_id}: tổng {pid} không có trong danh sách", text=p.sentence))
            continue
        full = [p for p in parts if not is_partial(p)]
        if full:
            total = sum(p.value for p in full)
            if abs(total - whole.value) > 1e-9 * max(1.0, abs(whole.value)):
                detail = " + ".join(vn_number(p.value) for p in full)
                issues.append(ParseIssue(
                    whole.source_line,
                    f"{whole.name} ({whole.actual_id}): {vn_number(whole.value)} {whole.unit or ''} "
                    f"≠ {detail} = {vn_number(total)}",
                    text=whole.sentence))
            for p in full:
                if p.unit != whole.unit:
                    issues.append(ParseIssue(
                        p.source_line, f"{p.actual_id}: đơn vị {p.unit!r} khác tổng {whole.unit!r}", text=p.sentence))
        for p in parts:
            if is_partial(p) and p.value > whole.value:
                issues.append(ParseIssue(
                    p.source_line,
                    f"{p.name} ({p.actual_id}): phần {vn_number(p.value)} lớn hơn tổng {vn_number(whole.value)}",
                    text=p.sentence))
    return issues


def check_shares(claims: list[Claim]) -> list[ParseIssue]:
    """A share printed after "chiếm" must equal count / whole × 100 within
    :data:`SHARE_TOLERANCE_PP` percentage points, and the shares of one whole must add up to
    100 % (same tolerance). Returns one warning per failure, with the share's line."""
    issues = []
    by_whole: dict[int, list[Claim]] = defaultdict(list)
    for c in claims:
        q = c.quantity
        if q.kind != "percent" or q.share_of is None:
            continue
        count = next((x for x in claims if x.quantity is q.share_of), None)
        if count is None or count.parent is None:
            issues.append(ParseIssue(c.line, f"{c.name}: không tìm thấy số tương ứng với tỷ trọng", text=c.sentence))
            continue
        expected = 100 * float(count.value) / float(count.parent.value) if count.parent.value else 0.0
        if abs(expected - float(c.value)) > SHARE_TOLERANCE_PP + 1e-9:
            issues.append(ParseIssue(
                c.line,
                f"{c.name}: in {vn_number(c.value)}% nhưng {vn_number(count.value)}/{vn_number(count.parent.value)} = "
                f"{vn_number(round(expected, 2))}%",
                text=c.sentence))
        by_whole[id(count.parent)].append(c)
    for shares in by_whole.values():
        total = sum(float(s.value) for s in shares)
        if abs(total - 100) > SHARE_TOLERANCE_PP + 1e-9:
            issues.append(ParseIssue(shares[0].line, f"tổng các tỷ trọng = {vn_number(round(total, 2))}% (khác 100%)"))
    return issues
