"""Numbers of a paragraph that may be results (:class:`Quantity`): a number and its noun
("5.759 phương tiện đo", "74.000.000đ", "47,8%", "07/08 đơn vị"), a zero in words ("không
nhận được đơn thư"), and the numbers that could not be read. Nouns and words come from
``data/catalogue/unit_nouns.csv`` and ``claim_words.csv`` (:mod:`loaders.families.prose.claim_words`);
rules in the docstring of :mod:`loaders.families.prose.claims`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.families.prose.claim_words import ClaimWords
from loaders.families.prose.paragraphs import NormalText
from loaders.text.numbers import NumberFormatError, parse_vn_number

_NUM_RE = re.compile(r"(?<![\w/.,:\-])(?P<n>\d{1,3}(?:\.\d{3})+|\d+)(?P<dec>,\d+)?")
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")
_WORD_RE = re.compile(r"\s+(?P<w>[^\W\d_][\w&]*)")


def ends_with(pattern: re.Pattern[str] | None, text: str, max_words: int = 0) -> re.Match[str] | None:
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
    noun_row: int | None = None  # the line of unit_nouns.csv its noun comes from
    pending: str | None = None  # a "bare" part's warning, said when no breakdown takes it


def _noun_at(t: NormalText, pos: int, words: ClaimWords):
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


def _in_parenthesised_list(t: NormalText, pos: int, before: list[Quantity]) -> bool:
    """Whether the number at ``pos`` lies in brackets that follow a counted or money figure
    of the same clause ("12 nhiệm vụ KH&CN (10 cấp tỉnh, …)"), with no other figure between."""
    paren = t.paren_of(pos)
    if paren is None:
        return False
    heads = [q for q in before if q.nb <= paren[0]]
    if not heads or heads[-1].kind not in ("count", "money"):
        return False
    return not re.search(r"[.;:]", t.s[heads[-1].nb:paren[0]])


def find_quantities(t: NormalText, words: ClaimWords) -> tuple[list[Quantity], list[tuple[int, str, str]]]:
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
        if ends_with(roles["not_count_before"], before):
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
                    message = f"số {n + dec} ({wm.group('w')} …) chưa được đọc thành chỉ số"
                    if _in_parenthesised_list(t, a, out):
                        # "12 nhiệm vụ (10 cấp tỉnh, 2 cấp cơ sở)": a part labelled by the
                        # words after it, counted in its whole's noun (read by the breakdown)
                        out.append(Quantity(a, b, b, b, value, "bare", None, pending=message))
                        continue
                    problems.append((a, message, "unread"))
                    continue
                out.append(Quantity(a, b, b, b, value, "bare", None))
                continue
            row, na, nb = noun
            if row.kind == "ignore":
                continue
            if row.kind == "money":
                q = Quantity(a, b, na, nb, int(round(value * row.scale)), "money", row.unit, row.noun_class,
                             noun_row=row.line)
            else:
                q = Quantity(a, b, na, nb, value, "count", row.unit, row.noun_class, noun_row=row.line)
        clause_start = t.clause(a)[0]
        prefix = s[clause_start:a]
        if ends_with(roles["not_result"], prefix, max_words=3):
            continue
        if roles["target_clause"] is not None and roles["target_clause"].search(prefix):
            continue
        if roles["not_result_after"] and roles["not_result_after"].match(s, q.nb + len(s[q.nb:]) - len(s[q.nb:].lstrip())):
            continue
        if q.kind == "percent" and roles["restatement"]:
            if any(r.start() <= a < r.end() for r in roles["restatement"].finditer(s)):
                continue
        if q.kind == "money":
            plan = ends_with(roles["plan_figure"], prefix)
            if plan:
                problems.append(
                    (a, f"{plan.group(0)} {t.printed(a, q.nb)}: số kế hoạch của dự án, không phải kết quả; "
                        "không đưa vào số liệu thực hiện", "plan"))
                continue
        approx = ends_with(roles["approximate"], prefix)
        if approx:
            q.approx = approx.group(0)
        if q.kind == "percent":
            share = ends_with(roles["share"], prefix)
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


def pct(x: float) -> str:
    return f"{round(x, 1):g}".replace(".", ",") + "%"


def vn_number(x: float) -> str:
    """A value printed the Vietnamese way: 5759 → "5.759", 47.8 → "47,8"."""
    if float(x) == int(x):
        return f"{int(x):,}".replace(",", ".")
    whole, _, frac = f"{float(x):.6f}".rstrip("0").partition(".")
    return f"{int(whole):,}".replace(",", ".") + ("," + frac if frac else "")
