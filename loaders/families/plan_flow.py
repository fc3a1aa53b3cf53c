"""Reading the PDF text of plan tables: what a target, a unit name, a timing, a citation, an
amount look like, for ``loaders.tables.flow.read_flow`` (:class:`PlanTyper`).

In PDF text the cells of a row come one after the other, wrapped over several lines, and the
first lines of several cells may share a text line (``data/raw/003_…``). ``read_flow`` places
every piece of text in a column by the best total score; this module gives the scores of the
plan families (targets, tasks, projects) from the cell readers of :mod:`loaders.families.plan_cells`.
Nothing here knows a document: only the kinds of text a column holds.

Every score is a named field of :class:`PlanSettings` (which extends the base typer's
``loaders.tables.settings.TyperSettings``), with its default, what it rewards or penalises
and a check of its range: ``PlanTyper(2026, PlanSettings(unit_fit=2.5))``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
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
from loaders.tables.settings import TyperSettings, setting
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


@dataclass(frozen=True)
class PlanSettings(TyperSettings):
    """The scores of :class:`PlanTyper` (plan tables: targets, tasks, projects), beside the
    base typer's (``TyperSettings``: ``typed_misfit`` is the plan's "cannot be in this
    column" too, and its free-text scores). The bounds of the search are larger: a plan's
    cells are long. Kinds and checks: ``loaders.tables.settings``."""

    # -- bounds of the search (a cell takes at most so many pieces) --------------------
    max_amount_pieces: int = setting(12, "count", "the most pieces an amount cell of a plan may take")
    max_period_pieces: int = setting(6, "count", "the most pieces a timing cell of a plan may take")
    max_target_pieces: int = setting(8, "count", "the most pieces a target cell may take")
    max_lead_pieces: int = setting(14, "count", "the most pieces a lead-unit cell may take")
    max_partners_pieces: int = setting(14, "count", "the most pieces a partners cell may take")
    max_source_pieces: int = setting(6, "count", "the most pieces a funding-source cell may take")
    max_measure_pieces: int = setting(3, "count", "the most pieces a unit-of-measure cell may take")
    # -- a column left empty in a row ---------------------------------------------------
    empty_description_penalty: float = setting(
        8.0, "penalty", "a row whose name (description) cell is empty: every row has a name")
    empty_lead_penalty: float = setting(
        3.0, "penalty", "a row whose lead-unit cell is empty: most rows name their lead unit")
    empty_target_penalty: float = setting(
        3.0, "penalty", "a row whose target cell is empty: an indicator row prints its target")
    empty_amount_penalty: float = setting(
        1.0, "penalty", "a row whose amount cell is empty (allowed: some rows print none)")
    empty_period_penalty: float = setting(
        1.0, "penalty", "a row whose timing cell is empty (allowed: some rows print none)")
    # -- units (lead, partners) ---------------------------------------------------------
    unit_fit: float = setting(
        3.0, "bonus", "a lead/partners cell that starts with a unit name ('Phòng KĐC', 'Văn phòng Sở', "
                      "'Các phòng')")
    unit_list_bonus: float = setting(
        1.0, "bonus", "a unit cell going on with another unit name after a comma or an open end (a list of "
                      "units)")
    unit_open_bonus: float = setting(
        1.0, "bonus", "a unit cell left open (a comma, 'và', a head word alone: 'Trung tâm') going on with "
                      "unit words or a short lower-case piece")
    unit_theo_bonus: float = setting(
        0.5, "bonus", "a complete unit name ('Phòng HTS') going on with 'theo …' unit words")
    unit_like_bonus: float = setting(
        0.5, "bonus", "a unit cell going on with unit words ('Tiêu chuẩn Đo lường', 'CM, đơn vị sự')")
    unit_like_after_break_bonus: float = setting(
        0.0, "bonus", "the same after a page break (no evidence the cell goes on: neutral)")
    unit_lower_bonus: float = setting(
        0.5, "bonus", "a unit name wrapped onto a short lower-case piece ('Phòng Quản lý' / 'khoa học')")
    unit_short_words: int = setting(
        3, "count", "a lower-case piece of at most this many words may go on a unit name")
    # -- targets ------------------------------------------------------------------------
    target_fit: float = setting(
        4.0, "bonus", "a target cell read as a comparator, number and unit ('≥ 65%', '17,5%')")
    qualitative_target_fit: float = setting(
        4.0, "bonus", "a target cell that is a qualitative target ('Hoàn thành', 'Đạt')")
    relative_target_fit: float = setting(
        3.5, "bonus", "a target shaped like a relative target but unreadable ('Tăng 3 bậc'): surely the "
                      "target cell, the family reports it")
    unreadable_target_fit: float = setting(
        0.5, "bonus", "a target shaped like a target but unreadable ('15-20 doanh nghiệp'): probably the "
                      "target cell")
    target_unit_misfit: float = setting(
        4.0, "penalty", "a target whose unit holds a number, a comparator or more than target_unit_max_words "
                        "words: the target ran into the next cell")
    target_unit_max_words: int = setting(
        6, "count", "the most words the unit of a target may have")
    close_parenthesis_penalty: float = setting(
        3.0, "penalty", "a target with a ')' it did not open: it took the end of another cell")
    open_parenthesis_penalty: float = setting(
        2.0, "penalty", "a target or amount with a '(' it does not close: its text goes on in the next lines")
    # -- timings, amounts, sources, measures, citations --------------------------------
    period_fit: float = setting(
        4.0, "bonus", "a timing cell ('Quý II', 'Thường xuyên', 'trước 30/6/2026') that starts with a capital "
                      "or a timing word")
    period_lower_fit: float = setting(
        1.0, "bonus", "a timing-shaped cell starting with another lower-case word (doubtful)")
    amount_fit: float = setting(4.0, "bonus", "an amount cell holding a readable number ('141,5')")
    amount_unreadable_fit: float = setting(
        1.0, "bonus", "an amount cell shaped like an amount whose number cannot be read")
    source_fit: float = setting(
        3.0, "bonus", "a funding-source cell naming a source ('Nguồn SNKH')")
    source_misfit_penalty: float = setting(
        1.0, "penalty", "a funding-source cell naming no source (scored as free text, minus this)")
    measure_fit: float = setting(
        1.0, "bonus", "a unit-of-measure cell of at most measure_max_words words and no digit ('%', "
                      "'doanh nghiệp')")
    measure_misfit: float = setting(
        4.0, "penalty", "a unit-of-measure cell with a digit or more than measure_max_words words")
    measure_max_words: int = setting(3, "count", "the most words of a unit of measure")
    citation_fit: float = setting(
        2.0, "bonus", "a note/basis cell that starts like a citation ('Kế hoạch số …', 'Nghị quyết số …')")
    # -- free text (names, results) -----------------------------------------------------
    text_unit_penalty: float = setting(
        1.0, "penalty", "a name or result that starts like a unit name ('Phòng KĐC'): a unit is not a name")
    text_timing_penalty: float = setting(
        2.0, "penalty", "a name or result that starts like a timing ('Quý II'): a timing has its column")
    text_number_end_penalty: float = setting(
        1.0, "penalty", "a name that ends with a comparator or a bare number (the target's start)")
    list_end_penalty: float = setting(
        1.0, "penalty", "a list item ('- …') ending a cell that did not begin as a list")
    bullet_more_bonus: float = setting(
        2.0, "bonus", "after a page break: a bullet going on a list of bullets")
    unit_words_more_penalty: float = setting(
        0.5, "penalty", "after a page break: unit words go on a unit cell, not on free text")
    # -- after a page break (the cell printed before it goes on) -------------------------
    target_more_fit: float = setting(
        1.5, "bonus", "a target cell left open before the break going on after it")
    target_more_misfit: float = setting(
        4.0, "penalty", "text after the break going on a target cell that was complete")
    amount_more_fit: float = setting(
        1.5, "bonus", "an amount cell left open before the break going on after it")
    period_more_fit: float = setting(
        2.0, "bonus", "a timing not finished before the break ('trước', 'ngày') completed after it")
    citation_more_fit: float = setting(
        1.5, "bonus", "a citation going on after the break (its number or date; or a new citation after "
                      "';')")


#: Stages of an amount column (``data/vocabulary/columns.csv``) that report results: beside an
#: indicator's target they are its actuals.
EXECUTED_STAGES = frozenset({"thực hiện", "ước thực hiện", "thực hiện 6 tháng đầu năm"})
#: Stages of a planned figure: beside a column of units of measure they are the year's targets.
PLANNED_STAGES = frozenset({"KH UBND giao", "KHTW giao"})


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

    def __init__(self, year: int | None = None, settings: PlanSettings | None = None):
        """``year``: the plan year, for timings that print none; ``settings``: the scores
        (default ``PlanSettings()``). Raises ``TypeError`` when ``settings`` is not a
        :class:`PlanSettings`."""
        settings = PlanSettings() if settings is None else settings
        if not isinstance(settings, PlanSettings):
            raise TypeError(f"PlanTyper takes PlanSettings, not {type(settings).__name__}")
        super().__init__(settings)
        self.year = year or date.today().year
        self._cache: dict = {}
        self._max = {"target": settings.max_target_pieces, "period": settings.max_period_pieces,
                     "amount": settings.max_amount_pieces, "lead": settings.max_lead_pieces,
                     "partners": settings.max_partners_pieces, "source": settings.max_source_pieces,
                     "measure": settings.max_measure_pieces}

    def fresh(self) -> None:
        self._cache = {}

    # -- header -----------------------------------------------------------------------
    def columns(self, columns: list[Column]) -> list[Column]:
        """A column headed by a year alone or "Kế hoạch năm 2026" holds the targets; then a
        "Chỉ tiêu" column before it names the indicators. "Kế hoạch năm" is a plan amount in
        the vocabulary (money tables print "Kế hoạch năm 2024 | Ước thực hiện"); beside a
        "Chỉ tiêu" column and with no money unit it is the year's targets."""
        amounts = [c for c in columns if c.role == "amount"]
        # "Chỉ tiêu | ĐVT | Kế hoạch năm | Thực hiện quý III": a column of units of measure and
        # no money unit over any amount column: the figures count things, they are no money
        counted = any(c.role == "measure" for c in columns) and not any(c.unit for c in amounts)
        indicators = any(c.role == "target" for c in columns) or counted and any(c.stage in PLANNED_STAGES for c in amounts)
        for c in columns:
            executed = c.role == "amount" and c.stage in EXECUTED_STAGES
            if c.year is not None and not executed and (c.role is None or indicators and c.role == "amount" and c.unit is None):
                c.role, c.stage = "target", None
            elif counted and c.role == "amount" and c.stage in PLANNED_STAGES and c.year in (None, self.year):
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
        by_year = [c for c in columns if c.role == "target" and c.year is not None]
        if len(by_year) >= 2 and any(c.year == self.year for c in by_year):
            # "Thực hiện 2024 | Kế hoạch 2025": the plan year's column holds the targets; last
            # year's is a result, never a target (it is left unread, and said by the family)
            for c in by_year:
                if c.year != self.year:
                    c.role, c.stage = None, None
        if any(c.role == "target" for c in columns):
            # "Thực hiện 2024", "Thực hiện quý III", "Lũy kế", "Ước thực hiện" beside the
            # targets: results of the indicators (read as actuals), never targets nor money
            for c in columns:
                if c.role == "amount" and c.stage in EXECUTED_STAGES and c.unit is None:
                    c.role = "actual"
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
        return self._max.get("target" if role == "actual" else role or "", self.settings.max_free_pieces)

    _FREE = frozenset({"description", "result", "note", "basis", None})

    def fit(self, role: str | None, pieces: list, before: list) -> float:
        if role == "actual":  # a result is printed like a target ("95%", "1.234", "Hoàn thành"), or not yet
            role = "target" if pieces else None
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
                return -self.settings.typed_misfit
            if role == "target" and not starts_like_target(first):
                return -self.settings.typed_misfit
            if role == "amount" and not first[:1].isdigit():
                return -self.settings.typed_misfit
        texts, before_lines = self.lines(pieces), self.lines(before)
        key = (role, tuple(texts), tuple(before_lines[-1:]), bool(before_lines))
        if key not in self._cache:
            self._cache[key] = self._fit(role, texts, before_lines)
        return self._cache[key]

    def _fit(self, role: str | None, texts: list[str], before: list[str]) -> float:
        s = self.settings
        if not texts:
            if before:
                return 0.0
            if role == "description":
                return -s.empty_description_penalty
            if role == "lead":
                return -s.empty_lead_penalty
            if role == "target":
                return -s.empty_target_penalty
            if role == "amount":
                return -s.empty_amount_penalty
            if role == "period":
                return -s.empty_period_penalty
            return 0.0
        if before:
            return self._more(role, texts, before)
        joined = join_wrapped(texts)
        if role in ("lead", "partners"):
            return self._unit(texts)
        if role == "target":
            return self._target(joined)
        if role == "period":
            if not _timing_shape(joined, self.year):
                return -s.typed_misfit
            lower_ok = re.match(r"(?:trước|tháng|quý|từ|đến|hạn|chậm|sau|năm|\d)", joined)
            return s.period_fit if (joined[:1].isupper() or lower_ok) else s.period_lower_fit
        if role == "amount":
            a = read_amount(joined, "đồng")  # its shape only: the unit is the family's business
            if a.amount_text is None:
                return -s.typed_misfit
            try:
                parse_vn_number(a.amount_text)  # the unit is the family's business, not the cut's
                score = s.amount_fit
            except NumberFormatError:
                score = s.amount_unreadable_fit
            return score - (s.open_parenthesis_penalty if joined.count("(") > joined.count(")") else 0.0)
        if role == "source":
            return s.source_fit if classify_source(joined) else self.free(texts, before) - s.source_misfit_penalty
        if role == "measure":
            fits = len(joined.split()) <= s.measure_max_words and not re.search(r"\d", joined)
            return s.measure_fit if fits else -s.measure_misfit
        if role in ("note", "basis") and CITATION_START_RE.match(norm(texts[0])):
            return s.citation_fit
        return self._text(texts)

    def _text(self, texts: list[str]) -> float:
        s = self.settings
        score = self.free(texts, [])
        first, last = norm(texts[0]), norm(texts[-1])
        if is_unit_start(first) and unit_like(first):
            score -= s.text_unit_penalty  # a unit name is not a name or a result
        if _timing_shape(first, self.year):
            score -= s.text_timing_penalty
        if re.fullmatch(r"[≥≤<>]|\d+(?:[.,]\d+)?%?", last):
            score -= s.text_number_end_penalty  # a name does not end with a comparator or a bare number
        if len(texts) > 1 and _BULLET_RE.match(last) and not _BULLET_RE.match(first):
            score -= s.list_end_penalty  # a list item ends a cell that did not begin as a list
        return score

    def _unit(self, texts: list[str]) -> float:
        s = self.settings
        pieces = [norm(t) for t in texts]
        if not is_unit_start(pieces[0]):
            return -s.typed_misfit
        score, prev = s.unit_fit, pieces[0]
        for p in pieces[1:]:
            step = self._unit_more(p, prev)
            if step is None:
                return -s.typed_misfit
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
        s = self.settings
        short = len(p.split()) <= s.unit_short_words
        if is_unit_start(p):
            return s.unit_list_bonus if opened else None  # a list of units goes on after a comma
        if opened:
            return s.unit_open_bonus if (unit_like(p) or (p[:1].islower() and short)) else None
        if closed:
            return s.unit_theo_bonus if p.startswith("theo ") and unit_like(p) else None
        if unit_like(p):
            return s.unit_like_after_break_bonus if after_break else s.unit_like_bonus
        if p[:1].islower() and short and not after_break:
            return s.unit_lower_bonus  # "Phòng Quản lý" / "khoa học"
        return None

    def _target(self, joined: str) -> float:
        s = self.settings
        if not starts_like_target(joined):
            return -s.typed_misfit
        try:
            comp, value, unit, qual = parse_target(joined)
        except TargetFormatError:
            # shaped like a target but unreadable: the family reports it ("Tăng 3 bậc" is
            # surely the target cell, "15-20 doanh nghiệp" probably)
            return s.relative_target_fit if RELATIVE_TARGET_RE.match(norm(joined)) else s.unreadable_target_fit
        if qual:
            return s.qualitative_target_fit if norm(joined) in QUALITATIVE_TARGETS else -s.typed_misfit
        if unit and unit != "%" and (re.search(r"%|[≥≤<>]|\d{2,}", unit)
                                     or len(unit.split()) > s.target_unit_max_words):
            return -s.target_unit_misfit
        if joined.count(")") > joined.count("("):
            return -s.close_parenthesis_penalty
        return s.target_fit - (s.open_parenthesis_penalty if joined.count("(") > joined.count(")") else 0.0)

    def free(self, texts: list[str], before: list[str]) -> float:
        s = self.settings
        score = super().free(texts, before)
        if before and _BULLET_RE.match(norm(texts[0])) and any(_BULLET_RE.match(norm(b)) for b in before):
            score += s.bullet_more_bonus  # a bullet goes on a list of bullets (which end with a full stop)
        if before and unit_like(texts[0]):
            score -= s.unit_words_more_penalty  # unit words go on a unit cell
        if before and len(texts) > 1 and _BULLET_RE.match(norm(texts[-1])) and not _BULLET_RE.match(norm(texts[0])) \
                and not _BULLET_RE.match(norm(before[-1])):
            score -= s.list_end_penalty  # a list item ends a cell that was no list
        return score

    def heading(self, code: str | None) -> bool:
        """Rows numbered with a Roman numeral ("II", "III.1") are section headings: all their
        text is the title."""
        return code_kind(code) in ("roman", "roman_sub")

    def _more(self, role: str | None, texts: list[str], before: list[str]) -> float:
        """Score of ``texts`` continuing a cell that holds ``before`` (after a page break)."""
        s = self.settings
        prev = norm(before[-1])
        whole = join_wrapped(before + texts)
        if role in ("lead", "partners"):
            score = 0.0
            for p in texts:
                step = self._unit_more(norm(p), prev, after_break=True)
                if step is None:
                    return -s.typed_misfit
                score += step
                prev = norm(p)
            return score
        if role == "target":
            return s.target_more_fit if self.is_open(join_wrapped(before)) else -s.target_more_misfit
        if role == "amount":
            return s.amount_more_fit if self.is_open(join_wrapped(before)) else -s.typed_misfit
        if role == "period":
            done = join_wrapped(before)
            waiting = self.is_open(prev) or re.search(r"\b(?:ngày|tháng|quý|trước|đến|từ)$", prev)
            if _timing_shape(whole, self.year) and (waiting or not _timing_shape(done, self.year)):
                return s.period_more_fit
            return -s.typed_misfit
        if role in ("note", "basis"):
            first = norm(texts[0])
            if _CITATION_CONT_RE.match(first) and not _CITATION_DONE_RE.search(prev.split(";")[-1]):
                return s.citation_more_fit
            if CITATION_START_RE.match(first) and prev.rstrip().endswith(";"):
                return s.citation_more_fit
        return self.free(texts, before)
