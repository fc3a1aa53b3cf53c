"""Reading the PDF text of plan tables: what a target, a unit name, a timing, a citation, an
amount look like, for ``loaders.tables.flow.read_flow`` (:class:`PlanTyper`).

In PDF text the cells of a row come one after the other, wrapped over several lines, and the
first lines of several cells may share a text line (``data/raw/003_…``). ``read_flow`` places
every piece of text in a column by the best total score; this module gives the scores of the
plan families (targets, tasks, projects) from the cell readers of :mod:`loaders.families.plan_cells`.
Nothing here knows a document: only the kinds of text a column holds.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from loaders.families.plan_cells import (
    CITATION_START_RE,
    COMPARATOR_WORDS,
    PROFILE,
    QUALITATIVE_TARGETS,
    RELATIVE_TARGET_RE,
    UNIT_HEAD_RE,
    TargetFormatError,
    is_unit_start,
    join_wrapped,
    norm,
    parse_target,
    phrases_re,
    read_amount,
    unit_like,
)
from loaders.tables.flow import FlowTyper
from loaders.tables.model import Column
from loaders.text.numbers import NumberFormatError, parse_vn_number
from loaders.text.outline import code_kind
from loaders.text.periods import is_timing_cell
from loaders.text.sources import classify_source

_NAMED_HEADS = [h for h in PROFILE.list("unit_heads") if h not in PROFILE.list("self_standing_heads")]
_TIMING_ANCHOR_RE = re.compile(
    r"(?<=\s)(?:Thường xuyên|Định kỳ|Hằng|Hàng|Liên tục|Quý|Qúy|Tháng|trước|Trước|\d{1,2} hàng)"
)
_CITATION_CONT_RE = re.compile(
    r"^(?:\d{1,5}[-/][A-ZĐ]|[A-ZĐ]{2,}/|ngày\s+\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{1,2}/\d{4}\s*(?:;|của|$)"
    r"|UBND\b|của\b|hoạch số|quyết số|NQ/|KH/)"
)
_CITATION_DONE_RE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}\s+của\s+\S+")
_COMPARATOR_BEFORE_RE = re.compile(
    r"(?:[≥≤<>=]|\b(?:khoảng|xấp xỉ|gần|trên|dưới|tối thiểu|tối đa|ít nhất|không quá|không dưới|hơn|đạt|bằng|từ|tăng|giảm|thêm))\s*$",
    re.I,
)
_BULLET_RE = re.compile(r"^[-+•]\s*\S")
# A unit head that a name must follow ("Phòng" KĐC, "Văn phòng" Sở, "Trung tâm" ĐMST).
_NAMED_HEAD_END_RE = re.compile(rf"(?:^|\s)(?:{phrases_re(_NAMED_HEADS)})\s+$")


@lru_cache(maxsize=65536)
def starts_like_target(text: str) -> bool:
    """True when ``text`` starts like a target: a qualitative word ("Hoàn thành", "Đạt"),
    a number, or comparator words before a number ("≥ 65%", "Trung bình khoảng 90")."""
    s = norm(text)
    if re.match("(?:" + "|".join(QUALITATIVE_TARGETS) + r")(?=$|[\s.,;(])", s) or RELATIVE_TARGET_RE.match(s):
        return True
    for pattern, _ in COMPARATOR_WORDS:
        m = pattern.match(s)
        if m:
            s = s[m.end():]
            break
    return bool(re.match(r"\d", s))


@lru_cache(maxsize=65536)
def _timing_shape(text: str, year: int) -> bool:
    return is_timing_cell(text, year)


class PlanTyper(FlowTyper):
    """The plan families' knowledge of their cells, for ``loaders.tables.flow.read_flow``: what a
    target, a unit, a timing, a citation, an amount, a source note look like.

    Scores (see ``FlowTyper.fit``): in the first part of a row a cell of a typed column
    earns a bonus when its text has the column's type and a penalty when it has not; a part
    printed after a page break (``before`` not empty) only scores where there is evidence that
    the cell goes on (an open parenthesis, a comma, a citation without its date, a timing
    not finished), so that text is not spread over columns for nothing.
    """

    OPEN_WORDS = FlowTyper.OPEN_WORDS | {"thuộc", "sự", "trung"}

    def __init__(self, year: int | None = None):
        """``year``: the plan year, for timings that print none."""
        self.year = year or date.today().year
        self._cache: dict = {}

    # -- header -----------------------------------------------------------------------
    def columns(self, columns: list[Column]) -> list[Column]:
        """A column headed by a year alone or "Kế hoạch năm 2026" holds the targets; then a
        "Chỉ tiêu" column before it names the indicators. "Kế hoạch năm" is a plan amount in
        the vocabulary (money tables print "Kế hoạch năm 2024 | Ước thực hiện"); beside a
        "Chỉ tiêu" column and with no money unit it is the year's targets."""
        indicators = any(c.role == "target" for c in columns)
        for c in columns:
            if c.year is not None and (c.role is None or indicators and c.role == "amount" and c.unit is None):
                c.role, c.stage = "target", None
        names = [c for c in columns if c.role == "description"]
        if len(names) >= 2 and any(c.year for c in names):
            for c in names:
                if c.year:
                    c.role = "target"  # "Nội dung | Mục tiêu năm 2026": the year's targets
        roles = [c.role for c in columns]
        if "description" not in roles and roles.count("target") >= 2:
            first = next(c for c in columns if c.role == "target")
            first.role = "description"
        return columns

    def bullets(self, columns: list[Column]) -> bool:
        return any(c.role == "target" for c in columns)

    # -- cells ------------------------------------------------------------------------
    def anchors(self, text: str) -> list[int]:
        """Where another cell may start inside a line (a line holding the first lines of
        several cells): before a unit name ("Phòng KĐC", "Các phòng"), any capitalised word
        after a unit name on the line ("Văn phòng Sở Nâng cấp …"), a number or comparator
        (not between a comparator and its number, nor inside "ngày 20/5/2025", "số
        2185/KH-UBND"), a qualitative target ("Hoàn thành"), a timing word, a citation or its
        continuation ("Kế hoạch số", "1876/KH-UBND", "ngày 20/5/2025", "UBND tỉnh"), or a gap
        of several spaces. Never right after a word that needs the next ("của UBND")."""
        cuts = set(super().anchors(text))
        unit_seen = False
        for m in re.finditer(r"(?:^|(?<=\s))(\S)", text):
            ch, pos = m.group(1), m.start(1)
            before, after = text[:pos], text[pos:]
            words = before.split()
            if UNIT_HEAD_RE.match(after) and is_unit_start(" ".join(after.split()[:3])):
                unit_seen = True
            if pos == 0 or words in (["-"], ["+"], ["•"]):
                continue  # "- Hình thành …": the bullet and its text
            if words and words[-1].lower() in self.OPEN_WORDS and not (ch.isdigit() or ch in "≥≤<>"):
                continue  # "của UBND tỉnh", "với Trung ương": the same cell goes on
            if ch.isdigit():
                if _COMPARATOR_BEFORE_RE.search(before) or re.search(r"\bngày\s*$", before):
                    continue
                if re.search(r"\bsố\s*$", before) and re.match(r"\d+[-/]", after):
                    continue  # "Kế hoạch số 2185/KH-UBND"
                cuts.add(pos)
            elif ch in "≥≤<>":
                cuts.add(pos)
            elif ch.isupper() and not _NAMED_HEAD_END_RE.search(before):
                if (unit_seen or UNIT_HEAD_RE.match(after) or starts_like_target(after)
                        or CITATION_START_RE.match(after) or _CITATION_CONT_RE.match(after)):
                    cuts.add(pos)
        for m in _TIMING_ANCHOR_RE.finditer(text):
            if not text[: m.start()].split()[-1].lower() in self.OPEN_WORDS:
                cuts.add(m.start())
        for m in re.finditer(r"(?<=\s)(?=ngày\s+\d{1,2}/\d{1,2}/\d{4})", text):
            cuts.add(m.start())
        return sorted(cuts)

    def max_pieces(self, role: str | None) -> int:
        return {"target": 8, "period": 6, "amount": 12, "lead": 14, "partners": 14, "source": 6,
                "measure": 3}.get(role or "", 10_000)

    _FREE = frozenset({"description", "result", "note", "basis", None})

    def fit(self, role: str | None, pieces: list, before: list) -> float:
        if role in self._FREE and pieces:
            # Free text is judged by its first and last lines only (and the line before it):
            # a cheap key, as the search tries every cut of long names and results.
            first, last = pieces[0].text, pieces[-1].text
            if role in ("note", "basis"):
                prev = [join_wrapped([p.text for p in before])] if before else []  # a citation is judged whole
            else:
                prev = [before[-1].text] if before else []
            key = (role, first, last, tuple(prev))
            if key not in self._cache:
                self._cache[key] = self._fit(role, [first] if len(pieces) == 1 else [first, last], prev)
            return self._cache[key]
        if pieces and not before:
            # A typed cell is judged first by how it starts: most cuts fail there.
            first = pieces[0].text
            if role in ("lead", "partners") and not is_unit_start(first.split(",")[0] if "," in first else first):
                return -6.0
            if role == "target" and not starts_like_target(first):
                return -6.0
            if role == "amount" and not first[:1].isdigit():
                return -6.0
        texts, before_lines = self.lines(pieces), self.lines(before)
        key = (role, tuple(texts), tuple(before_lines[-1:]), bool(before_lines))
        if key not in self._cache:
            self._cache[key] = self._fit(role, texts, before_lines)
        return self._cache[key]

    def _fit(self, role: str | None, texts: list[str], before: list[str]) -> float:
        if not texts:
            return 0.0 if before else {"description": -8.0, "lead": -3.0, "target": -3.0, "amount": -1.0,
                                        "period": -1.0}.get(role or "", 0.0)
        if before:
            return self._more(role, texts, before)
        joined = join_wrapped(texts)
        if role in ("lead", "partners"):
            return self._unit(texts)
        if role == "target":
            return self._target(joined)
        if role == "period":
            if not _timing_shape(joined, self.year):
                return -6.0
            lower_ok = re.match(r"(?:trước|tháng|quý|từ|đến|hạn|chậm|sau|năm|\d)", joined)
            return 4.0 if (joined[:1].isupper() or lower_ok) else 1.0
        if role == "amount":
            a = read_amount(joined, "đồng")  # its shape only: the unit is the family's business
            if a.amount_text is None:
                return -6.0
            try:
                parse_vn_number(a.amount_text)  # the unit is the family's business, not the cut's
                score = 4.0
            except NumberFormatError:
                score = 1.0
            return score - (2.0 if joined.count("(") > joined.count(")") else 0.0)
        if role == "source":
            return 3.0 if classify_source(joined) else self.free(texts, before) - 1.0
        if role == "measure":
            return 1.0 if len(joined.split()) <= 3 and not re.search(r"\d", joined) else -4.0
        if role in ("note", "basis") and CITATION_START_RE.match(norm(texts[0])):
            return 2.0
        return self._text(texts)

    def _text(self, texts: list[str]) -> float:
        score = self.free(texts, [])
        first, last = norm(texts[0]), norm(texts[-1])
        if is_unit_start(first) and unit_like(first):
            score -= 1.0  # a unit name is not a name or a result
        if _timing_shape(first, self.year):
            score -= 2.0
        if re.fullmatch(r"[≥≤<>]|\d+(?:[.,]\d+)?%?", last):
            score -= 1.0  # a name does not end with a comparator or a bare number
        if len(texts) > 1 and _BULLET_RE.match(last) and not _BULLET_RE.match(first):
            score -= 1.0  # a list item ends a cell that did not begin as a list
        return score

    def _unit(self, texts: list[str]) -> float:
        pieces = [norm(t) for t in texts]
        if not is_unit_start(pieces[0]):
            return -6.0
        score, prev = 3.0, pieces[0]
        for p in pieces[1:]:
            step = self._unit_more(p, prev)
            if step is None:
                return -6.0
            score += step
            prev = p
        return score

    def _unit_more(self, p: str, prev: str, after_break: bool = False) -> float | None:
        """Score of ``p`` going on a unit cell that ends with ``prev``; None: impossible (a
        citation, a date, a timing, a sentence, or a new unit without a comma before it)."""
        if CITATION_START_RE.match(p) or _CITATION_CONT_RE.match(p) or re.search(r"\d{1,2}/\d{1,2}", p):
            return None
        if _timing_shape(p, self.year):
            return None
        last = prev.split(",")[-1].strip()
        head = UNIT_HEAD_RE.match(last)
        # "Trung tâm", "Các phòng": a head word alone at the end of a line goes on.
        bare_head = bool(head) and (not head.group("head") or not head.group("next")) and head.end() >= len(last)
        opened = self.is_open(prev) or bare_head
        # "Phòng HTS", "Văn phòng Sở": a name ending with an abbreviation or "Sở" is complete.
        closed = not opened and bool(re.search(r"(?:\b[A-ZĐ][A-ZĐ&]+|\bSở)$", prev.rstrip()))
        short = len(p.split()) <= 3
        if is_unit_start(p):
            return 1.0 if opened else None  # a list of units goes on after a comma
        if opened:
            return 1.0 if (unit_like(p) or (p[:1].islower() and short)) else None
        if closed:
            return 0.5 if p.startswith("theo ") and unit_like(p) else None
        if unit_like(p):
            return 0.0 if after_break else 0.5
        if p[:1].islower() and short and not after_break:
            return 0.5  # "Phòng Quản lý" / "khoa học"
        return None

    def _target(self, joined: str) -> float:
        if not starts_like_target(joined):
            return -6.0
        try:
            comp, value, unit, qual = parse_target(joined)
        except TargetFormatError:
            # shaped like a target but unreadable: the family reports it ("Tăng 3 bậc" is
            # surely the target cell, "15-20 doanh nghiệp" probably)
            return 3.5 if RELATIVE_TARGET_RE.match(norm(joined)) else 0.5
        if qual:
            return 4.0 if norm(joined) in QUALITATIVE_TARGETS else -6.0
        if unit and unit != "%" and (re.search(r"%|[≥≤<>]|\d{2,}", unit) or len(unit.split()) > 6):
            return -4.0
        if joined.count(")") > joined.count("("):
            return -3.0
        return 4.0 - (2.0 if joined.count("(") > joined.count(")") else 0.0)

    def free(self, texts: list[str], before: list[str]) -> float:
        score = super().free(texts, before)
        if before and _BULLET_RE.match(norm(texts[0])) and any(_BULLET_RE.match(norm(b)) for b in before):
            score += 2.0  # a bullet goes on a list of bullets (which end with a full stop)
        if before and unit_like(texts[0]):
            score -= 0.5  # unit words go on a unit cell
        if before and len(texts) > 1 and _BULLET_RE.match(norm(texts[-1])) and not _BULLET_RE.match(norm(texts[0])) \
                and not _BULLET_RE.match(norm(before[-1])):
            score -= 1.0  # a list item ends a cell that was no list
        return score

    def heading(self, code: str | None) -> bool:
        """Rows numbered with a Roman numeral ("II", "III.1") are section headings: all their
        text is the title."""
        return code_kind(code) in ("roman", "roman_sub")

    def _more(self, role: str | None, texts: list[str], before: list[str]) -> float:
        """Score of ``texts`` continuing a cell that holds ``before`` (after a page break)."""
        prev = norm(before[-1])
        whole = join_wrapped(before + texts)
        if role in ("lead", "partners"):
            score = 0.0
            for p in texts:
                step = self._unit_more(norm(p), prev, after_break=True)
                if step is None:
                    return -6.0
                score += step
                prev = norm(p)
            return score
        if role == "target":
            return 1.5 if self.is_open(join_wrapped(before)) else -4.0
        if role == "amount":
            return 1.5 if self.is_open(join_wrapped(before)) else -6.0
        if role == "period":
            done = join_wrapped(before)
            waiting = self.is_open(prev) or re.search(r"\b(?:ngày|tháng|quý|trước|đến|từ)$", prev)
            if _timing_shape(whole, self.year) and (waiting or not _timing_shape(done, self.year)):
                return 2.0
            return -6.0
        if role in ("note", "basis"):
            first = norm(texts[0])
            if _CITATION_CONT_RE.match(first) and not _CITATION_DONE_RE.search(prev.split(";")[-1]):
                return 1.5
            if CITATION_START_RE.match(first) and prev.rstrip().endswith(";"):
                return 1.5
        return self.free(texts, before)
