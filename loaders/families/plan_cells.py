"""Cells of plan tables: a target (chỉ tiêu), a timing, an amount, a unit, a legal note.

The readers of the plan families (``loaders.families.plan_targets``, ``loaders.families.task_plan``) hand every
cell of a target, task or project row to one of these functions; none of them knows a
document, a province or a column position. Vocabulary and number formats:
``../shared/GLOSSARY.md`` ("Money", "Time"); amounts go through :mod:`loaders.text.numbers`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from loaders.tables.profiles import load_profile
from loaders.text.numbers import (
    NumberFormatError,
    canonical_unit,
    parse_vn_number,
    to_vnd,
)
from loaders.text.periods import PeriodFormatError, parse_period
from loaders.text.sources import classify_source

PROFILE = load_profile("plan_tables")


def phrases_re(phrases: tuple[str, ...] | list[str]) -> str:
    """An alternation of printed phrases, longest first, any spacing between words."""
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))


def norm(text: str | None) -> str:
    """Squeeze white space ("" for None)."""
    return " ".join((text or "").split())


def join_wrapped(parts: list[str]) -> str:
    """Join the lines of a wrapped cell: a space between lines, none after a hyphen glued to
    a code ("17-" + "NQ/TU" → "17-NQ/TU", "1876/KH-" + "UBND" → "1876/KH-UBND")."""
    out = ""
    for part in parts:
        p = norm(part)
        if not p:
            continue
        if out and re.search(r"[\w/]-$", out) and re.match(r"[A-ZĐ0-9]", p):
            out += p
        elif out:
            out += " " + p
        else:
            out = p
    return out


# --------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------


class TargetFormatError(ValueError):
    """Raised by :func:`parse_target` for a target that names a number it cannot read."""


COMPARATOR_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:≥|>=|=>)\s*"), ">="),
    (re.compile(r"^(?:≤|<=|=<)\s*"), "<="),
    (re.compile(r"^>\s*"), ">"),
    (re.compile(r"^<\s*"), "<"),
    (re.compile(r"^(?:tối thiểu|ít nhất|không dưới|không thấp hơn|từ)\s+", re.I), ">="),
    (re.compile(r"^(?:tối đa|không quá|không vượt quá|không cao hơn)\s+", re.I), "<="),
    (re.compile(r"^(?:trên|hơn|vượt)\s+", re.I), ">"),
    (re.compile(r"^dưới\s+", re.I), "<"),
    (re.compile(r"^(?:trung bình\s+)?(?:khoảng|xấp xỉ|gần)\s+", re.I), "~"),
    (re.compile(r"^(?:trung bình|đạt|bằng)\s+", re.I), "="),
]
#: A target stated as a change ("Tăng 3 bậc", "Giảm 10% so với năm 2025"): no absolute value.
RELATIVE_TARGET_RE = re.compile(r"^(?:tăng|giảm)(?:\s+thêm)?(?:\s+(?:ít nhất|tối thiểu|khoảng))?\s+\d", re.I)
_DURATION_UNITS = {"ngày", "ngày làm việc", "tháng", "giờ", "tuần", "năm"}
_LOWER_BOUND_NOTE_RE = re.compile(r"^(?:trên|tối thiểu|ít nhất|không dưới|hơn)\b", re.I)
_NUMBER_START_RE = re.compile(r"^(?P<num>\d+(?:[.,]\d+)*)\s*(?P<rest>.*)$")
#: Words a qualitative target is printed with (a target cell without any number).
QUALITATIVE_TARGETS = PROFILE.list("qualitative_targets")
def parse_target(text: str) -> tuple[str | None, float | None, str | None, bool]:
    """Read a target cell ("Năm 2026", "Kế hoạch 2025", "Chỉ tiêu") into
    ``(comparator, value, unit, qualitative)``.

    * ``comparator`` ∈ {"=", ">=", ">", "<=", "<"}, or ``None`` when qualitative;
    * ``value``: a float read with :func:`loaders.text.numbers.parse_vn_number` ("0,7" → 0.7,
      "08" → 8.0); a percentage stays in percent ("17%" → 17.0, unit "%");
    * ``unit``: "%", "điểm", "ngày", "người/1 vạn dân", or the counted noun as printed
      ("doanh nghiệp"); a trailing "/năm" is dropped (the target is already a one-year
      target); a parenthesis after the unit is not part of it; ``None`` when nothing follows
      the number ("≥ 0,7", an index from 0 to 1);
    * ``qualitative``: True, with the other three ``None``, for a cell without any number
      ("Hoàn thành", "Đạt").

    Rules (Phụ lục I of ``003_912c6259a13f4ad4.txt`` and GLOSSARY):

    * "≥"/"≤"/">"/"<" as printed; "Trên" → ">", "Dưới" → "<", "Tối thiểu" → ">="; a bare
      number → "=" (nothing printed: "reach this value").
    * "9,5 người/1 vạn dân (Trên 600 người)" → (">=", 9.5, …): a parenthesis that restates
      the target with "Trên"/"Tối thiểu" makes the printed value a floor.
    * "Trung bình khoảng 90 ngày (…)" → ("<=", 90.0, "ngày", False): an approximate
      duration is a ceiling; "Khoảng" with any other unit → "=".

    Raises :class:`TargetFormatError` for an empty cell, a cell with digits but no readable
    number after an optional comparator word ("Hỗ trợ 20-40 dự án", "17-20%"), or a target
    stated as a change ("Tăng 3 bậc": no value to reach is printed).
    """
    s = norm(text)
    if not s:
        raise TargetFormatError("ô chỉ tiêu trống")
    if RELATIVE_TARGET_RE.match(s):
        raise TargetFormatError(f"chỉ tiêu tính theo mức tăng/giảm, không có giá trị đích: {text!r}")
    if not re.search(r"\d", s):
        return None, None, None, True
    comparator = "="
    for pattern, comp in COMPARATOR_WORDS:
        m = pattern.match(s)
        if m:
            comparator = comp
            s = s[m.end():]
            break
    m = _NUMBER_START_RE.match(s)
    if not m:
        raise TargetFormatError(f"không đọc được chỉ tiêu: {text!r}")
    try:
        value = float(parse_vn_number(m.group("num")))
    except NumberFormatError as exc:
        raise TargetFormatError(f"không đọc được số trong chỉ tiêu: {text!r}") from exc
    rest = m.group("rest").strip()
    paren = None
    pm = re.search(r"\((?P<p>[^()]*)\)?\s*$", rest)
    if pm:
        paren = pm.group("p").strip()
        rest = rest[: pm.start()].strip()
    if re.match(r"^\d", rest) or re.search(r"^[-–]\s*\d", rest):
        raise TargetFormatError(f"chỉ tiêu có nhiều số (khoảng?): {text!r}")
    if rest.startswith("%"):
        unit: str | None = "%"
        if rest[1:].strip():
            raise TargetFormatError(f"chữ sau dấu %: {text!r}")
    else:
        unit = re.sub(r"\s*/\s*năm$", "", rest).strip() or None
    if comparator == "~":
        comparator = "<=" if unit in _DURATION_UNITS else "="
    if comparator == "=" and paren and _LOWER_BOUND_NOTE_RE.match(paren):
        comparator = ">="
    return comparator, value, unit, False


def target_remark(text: str) -> str | None:
    """The parenthesis that ends a target cell ("60% (phát triển mới trên 250 trạm 5G)" →
    "phát triển mới trên 250 trạm 5G"), kept as a note; ``None`` without one."""
    m = re.search(r"\((?P<p>[^()]*)\)?\s*$", norm(text))
    return m.group("p").strip() if m and m.group("p").strip() else None


# --------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------


@dataclass
class Timing:
    """A read timing cell ("Thời gian hoàn thành", "Thời hạn", "Thời gian thực hiện").

    ``period_start``/``period_end`` bound the whole window when every step is dated;
    ``deadline`` is the last date by which the task (or its last dated step) must be done
    (a window shorter than a year: a date, months, quarters); ``recurring`` keeps
    "Thường xuyên" / "Định kỳ …" as printed; ``problems`` lists what could not be read
    (e.g. the non-existent date "30/2"); ``notes`` what was read with a caveat.
    """

    text: str
    period_start: date | None = None
    period_end: date | None = None
    deadline: date | None = None
    recurring: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def quarters(self) -> tuple[int, ...]:
        """Quarters (1–4) covered by the window, () when either end is unknown or the
        window leaves the year of its start."""
        if self.period_start is None or self.period_end is None:
            return ()
        if self.period_start.year != self.period_end.year:
            return ()
        first = (self.period_start.month - 1) // 3 + 1
        last = (self.period_end.month - 1) // 3 + 1
        return tuple(range(first, last + 1))


@dataclass
class _Step:
    pos: int
    start: date | None
    end: date | None
    failed: bool = False


_ROMAN = r"(?-i:IV|III|II|I)"
_Q_RE = re.compile(
    rf"\bq[uú][ýíy]\s+(?P<list>{_ROMAN}(?:\s*[,;\-–]\s*{_ROMAN})*)\b"
    r"(?:\s*/\s*(?P<y>\d{4})|\s*,?\s+năm\s+(?P<y2>\d{4}))?",
    re.I,
)
_MONTH_RE = re.compile(
    r"\btháng\s+(?P<list>\d{1,2}(?:\s*[-–,]\s*\d{1,2}(?![\d/]))*)(?:\s*(?:/|năm)\s*(?P<y>\d{4}))?", re.I
)
_DAYS_DATE_RE = re.compile(r"(?<![\d/])(?P<d1>\d{1,2})\s*,\s*(?P<d2>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/])")
_FULL_DATE_RE = re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/])")
_SHORT_DATE_RE = re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/])")
_DEADLINE_BEFORE_RE = re.compile(r"(?:trước|chậm nhất|hạn chót|hạn)\s*(?:ngày\s*)?$", re.I)
_START_AFTER_RE = re.compile(r"^\s*(?:\([^)]*\)\s*)?bắt đầu", re.I)
_RECURRING_RE = re.compile(
    r"thường xuyên|liên tục|định kỳ[^;.]*|h[àằ]ng (?:ngày|tuần|tháng|quý|năm)[^;.]*", re.I
)
# The whole of a recurring timing cell ("Định kỳ ngày 25 hàng tháng", "Hằng quý").
_RECURRING_SHAPE_RE = re.compile(
    r"thường xuyên|liên tục|định kỳ(?:\s+(?:ngày|hàng|hằng|tháng|quý|năm|lần|vào|\d{1,2}(?:/\d{1,2})?))*"
    r"|h[àằ]ng\s+(?:ngày|tuần|tháng|quý|năm)",
    re.I,
)
_RELATIVE_RE = re.compile(r"sau\s+\d+\s+ngày\s+kể\s+từ[^;.]*", re.I)
_YEAR_RANGE_RE = re.compile(
    r"(?:giai đoạn\s+)?(?P<a>(?:19|20)\d{2})\s*[-–]\s*(?P<b>(?:19|20)\d{2})", re.I
)
_WHOLE_YEAR_RE = re.compile(r"(?:cả\s+)?năm\s+(?P<y>(?:19|20)\d{2})", re.I)


def _month_list(text: str) -> list[int]:
    months: list[int] = []
    for piece in re.split(r"\s*,\s*", text.strip()):
        bounds = re.split(r"\s*[-–]\s*", piece)
        if len(bounds) == 2:
            months.extend(range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            months.append(int(bounds[0]))
    return months


def parse_timing(text: str | None, year: int, completion: bool = False) -> Timing:
    """Read a timing cell of a plan table (GLOSSARY "Time"); ``year`` is the plan year,
    used when a date or month prints none.

    Forms read: "Thường xuyên", "Liên tục", "Định kỳ ngày 25 hàng tháng", "Hằng tháng"
    (recurring, as printed); "2026-2030", "Giai đoạn 2026 – 2030", "Năm 2026" (a window of
    whole years, no deadline); "Tháng 5", "Tháng 01/2024", "Tháng 6-11", "Tháng 5,6",
    "Quý II", "Quý I,II", "Quý II/2026", "quý IV năm 2025", "30/6/2026", "25, 26/4/2024",
    "trước 30/1", "Chậm nhất ngày 15/6/2024", "tháng 5 bắt đầu triển khai" (start only), and
    schedules of several steps ("Tháng 5: …; Tháng 6: …; 30/7/2024: …") whose window runs
    from the first step to the last and whose deadline is the end of the last dated step.
    A deadline "trước 30/1" has no start. A date that does not exist ("30/2") is a
    problem and leaves the bound it would set unknown; a step dated relative to an event
    ("sau 15 ngày kể từ khi …") leaves ``period_end`` unknown. Never raises: what cannot be
    read is listed in ``problems``.
    """
    raw = text or ""
    timing = Timing(text=raw)
    s = norm(raw).rstrip(".;,")
    if not s:
        return timing
    m = _YEAR_RANGE_RE.fullmatch(s)
    if m:
        a, b = int(m.group("a")), int(m.group("b"))
        if a > b:
            timing.problems.append(f"năm bắt đầu sau năm kết thúc: {s}")
            return timing
        timing.period_start, timing.period_end = date(a, 1, 1), date(b, 12, 31)
        return timing
    m = _WHOLE_YEAR_RE.fullmatch(s)
    if m:
        y = int(m.group("y"))
        timing.period_start, timing.period_end = date(y, 1, 1), date(y, 12, 31)
        return timing
    rec = _RECURRING_RE.search(raw)
    if rec:
        timing.recurring = norm(rec.group(0))
    work = raw
    steps: list[_Step] = []

    def consume(m: re.Match[str]) -> None:
        nonlocal work
        work = work[: m.start()] + " " * (m.end() - m.start()) + work[m.end():]

    def make_date(y: int, mo: int, d: int, pos: int, label: str) -> date | None:
        try:
            return date(y, mo, d)
        except ValueError:
            timing.problems.append(f"ngày không tồn tại: {label}")
            steps.append(_Step(pos, None, None, failed=True))
            return None

    for m in list(_Q_RE.finditer(work)):
        y = int(m.group("y") or m.group("y2") or year)
        try:
            quarters = parse_period("Quý " + m.group("list")).quarters
        except PeriodFormatError:
            timing.problems.append(f"quý không hợp lệ: {m.group(0)}")
            steps.append(_Step(m.start(), None, None, failed=True))
            consume(m)
            continue
        start = date(y, 3 * quarters[0] - 2, 1)
        steps.append(_Step(m.start(), start, date(y, 3 * quarters[-1], 1) + relativedelta(day=31)))
        consume(m)
    for m in list(_MONTH_RE.finditer(work)):
        y = int(m.group("y") or year)
        months = _month_list(m.group("list"))
        if not all(1 <= mo <= 12 for mo in months):
            timing.problems.append(f"tháng không hợp lệ: {m.group(0)}")
            steps.append(_Step(m.start(), None, None, failed=True))
            consume(m)
            continue
        start = date(y, min(months), 1)
        end: date | None = date(y, max(months), 1) + relativedelta(day=31)
        if _START_AFTER_RE.match(raw[m.end():]):
            end = None
            timing.notes.append(f"chỉ có thời điểm bắt đầu: {m.group(0)}")
        steps.append(_Step(m.start(), start, end))
        consume(m)
    for m in list(_DAYS_DATE_RE.finditer(work)):
        y, mo = int(m.group("y")), int(m.group("m"))
        d1 = make_date(y, mo, int(m.group("d1")), m.start(), m.group(0))
        d2 = make_date(y, mo, int(m.group("d2")), m.start(), m.group(0))
        if d1 and d2:
            steps.append(_Step(m.start(), d1, d2))
        consume(m)
    for regex in (_FULL_DATE_RE, _SHORT_DATE_RE):
        for m in list(regex.finditer(work)):
            y = int(m.groupdict().get("y") or year)
            d = make_date(y, int(m.group("m")), int(m.group("d")), m.start(), m.group(0))
            if d is not None:
                is_deadline = completion or bool(_DEADLINE_BEFORE_RE.search(raw[: m.start()]))
                steps.append(_Step(m.start(), None if is_deadline else d, d))
            consume(m)

    if not steps:
        if not timing.recurring:
            timing.problems.append("không đọc được thời gian")
        return timing
    steps.sort(key=lambda st: st.pos)
    good = [st for st in steps if not st.failed]
    if not good:
        return timing
    if steps[0].start is not None:
        timing.period_start = min(st.start for st in good if st.start is not None)
    last = steps[-1]
    if last.end is not None:
        timing.deadline = max(st.end for st in good if st.end is not None)
        timing.period_end = timing.deadline
    rel = _RELATIVE_RE.search(raw)
    if rel and rel.start() > last.pos:
        timing.period_end = None
        timing.notes.append(f"bước sau tính tương đối, chưa có ngày: {rel.group(0).strip()}")
    if timing.period_start and timing.period_end and timing.period_start > timing.period_end:
        timing.problems.append("thời điểm bắt đầu sau thời điểm kết thúc")
    return timing


def looks_like_timing(text: str, year: int) -> bool:
    """True when the whole of ``text`` is shaped like a timing cell ("Thường xuyên",
    "2026-2030", "Quý II", "trước 30/1", "Tháng 13/2026" — a wrong value is still a timing,
    reported by :func:`parse_timing`), not a sentence that mentions a date."""
    s = re.sub(r"\s*\([^()]*\)$", "", norm(text).rstrip(".;,"))
    if not s or len(s) > 60:
        return False
    if _YEAR_RANGE_RE.fullmatch(s) or _WHOLE_YEAR_RE.fullmatch(s):
        return True
    t = parse_timing(s, year)
    if t.recurring:
        return not re.sub(r"[-–,;/()\s]", "", _RECURRING_SHAPE_RE.sub(" ", s))
    if "không đọc được thời gian" in t.problems:
        return False
    # Every word must belong to the timing ("Tháng 5", "trước 30/1"), not to a sentence.
    rest = s
    for regex in (_Q_RE, _MONTH_RE, _DAYS_DATE_RE, _FULL_DATE_RE, _SHORT_DATE_RE):
        rest = regex.sub(" ", rest)
    return not re.sub(r"(?i)\b(?:trước|chậm nhất|hạn|ngày|năm|đến|từ)\b|[-–,;/()]", " ", rest).strip()


# --------------------------------------------------------------------------------------
# Amounts
# --------------------------------------------------------------------------------------

#: A money unit as printed in a heading or a cell ("(triệu đồng)", "Đơn vị tính: đồng").
MONEY_UNIT_RE = re.compile(r"(?<![\w])(?P<u>nghìn đồng|ngàn đồng|triệu đồng|tỷ đồng|tỉ đồng|đồng|VNĐ|VND)(?![\w])", re.I)
_AMOUNT_RE = re.compile(
    r"^(?P<amount>\d+(?:[.,]\d+)*)\s*(?P<unit>(?:nghìn|ngàn|triệu|tỷ|tỉ)(?:\s+đồng)?|tr\.?\s?đ(?:ồng)?|đồng|đ|VNĐ)?(?![\w])"
    r"\s*(?P<rest>.*)$",
    re.I,
)
#: A budget cell that says "none": a dash, "Không".
NO_AMOUNT_RE = re.compile(r"^(?:[-–—]+|không|x)$", re.I)
#: A multi-year envelope beside a year's amount ("Tổng kinh phí 55 tỷ đồng").
ENVELOPE_RE = re.compile(r"tổng\s+(?:kinh\s+phí|mức\s+đầu\s+tư|vốn)", re.I)
#: Words of a note that speaks about money sources ("nguồn …", "vốn …", "ngân sách …").
SOURCE_WORDS_RE = re.compile(r"\b(?:nguồn|vốn|ngân sách|kinh phí)\b", re.I)


def money_unit(text: str | None) -> str | None:
    """The unit of amount named anywhere in a text ("12 tỷ đồng", "Kinh phí (triệu đồng)"),
    canonical (``loaders.text.numbers.canonical_unit``), or None."""
    m = MONEY_UNIT_RE.search(text or "")
    return canonical_unit(m.group("u")) if m else None


@dataclass
class Amount:
    """A read budget cell.

    ``amount_vnd``: integer đồng, ``None`` when the cell holds no amount (text only, or
    unreadable: then ``problem`` says why); ``amount_text``: the number as printed;
    ``unit``: the unit it was read in (the cell's own, else the column's); ``note``: the
    parenthesis after the amount, or the whole text of a cell without amount;
    ``envelope``: the multi-year total named in the note, as printed.
    """

    text: str | None
    amount_vnd: int | None = None
    amount_text: str | None = None
    unit: str | None = None
    note: str | None = None
    envelope: str | None = None
    problem: str | None = None


def read_amount(text: str | None, unit: str) -> Amount:
    """Read a budget cell printed in ``unit`` ("đồng", "triệu đồng", "tỷ đồng").

    ``"30.000.000 đồng (kinh phí pháp chế)"`` (đồng) → 30_000_000, note "kinh phí pháp
    chế"; ``"45,5"`` (triệu đồng) → 45_500_000; ``"2.5"`` (tỷ đồng) → 2_500_000_000;
    ``"20 (giai đoạn 1 năm 2026 – 2028: Tổng kinh phí 55 tỷ đồng)"`` (tỷ đồng) →
    20_000_000_000 with the note kept and ``envelope`` "Tổng kinh phí 55 tỷ đồng" (the
    year's figure is the amount, the envelope is not added); ``"Kinh phí nông thôn mới"``
    → no amount, note = the text. A unit printed in the cell wins over ``unit``. Never
    raises: an amount that cannot be read (``"50.000.00"``, text after the amount) is
    reported in ``problem``.
    """
    s = norm(text)
    if not s or NO_AMOUNT_RE.match(s):
        return Amount(text=None)
    m = _AMOUNT_RE.match(s)
    if not m:
        return Amount(text=s, note=s)
    used = unit
    if m.group("unit") and m.group("unit").lower() != "đ":
        used = canonical_unit(m.group("unit"))
    rest = m.group("rest")
    note = None
    if rest.startswith("("):
        close = rest.rfind(")")
        note = norm(rest[1:close] if close > 0 else rest[1:]) or None
        rest = rest[close + 1 :].strip() if close > 0 else ""
    out = Amount(text=s, amount_text=m.group("amount"), unit=used, note=note)
    if note:
        em = re.search(r"tổng\s+(?:kinh\s+phí|mức\s+đầu\s+tư|vốn)[^;()]*", note, re.I)
        if em:
            out.envelope = norm(em.group(0))
    try:
        out.amount_vnd = to_vnd(m.group("amount"), used)
    except (NumberFormatError, KeyError) as exc:
        out.problem = f"không đọc được số tiền {m.group('amount')!r} ({used}): {exc}"
        return out
    if rest:
        out.problem = f"chữ sau số tiền chưa đọc: {rest!r}"
    return out


def source_of(note: str | None, heading: str | None) -> tuple[str, str | None, str | None]:
    """Funding source of an amount: ``(code, funding_note, problem)``.

    The amount's own note decides when it names a source (``classify_source``); else the
    column heading ("Đề xuất kinh phí ngân sách sự nghiệp KH&CN cấp (đồng)" → SNKH, as a
    section heading's source is inherited by its lines, GLOSSARY "Nguồn"); else
    "UNSPECIFIED". ``problem`` is set when the note speaks of money sources ("nguồn chi
    thường xuyên, Trung ương giao") but names none that is known: never a silent default.
    """
    code = classify_source(note)
    if code:
        return code, note, None
    problem = None
    if note and SOURCE_WORDS_RE.search(note) and not ENVELOPE_RE.search(note):
        problem = f"không nhận ra nguồn kinh phí trong ghi chú: {note!r}"
    head = classify_source(heading)
    if head:
        return head, f"tiêu đề cột: {norm(heading)}", problem
    return "UNSPECIFIED", note if problem else None, problem


# --------------------------------------------------------------------------------------
# Units (Phòng / đơn vị) and legal notes
# --------------------------------------------------------------------------------------

_ASSIGNEE_RE = re.compile(r"^(?P<unit>.*?)\s*\((?P<names>[^()]*)\)\s*$")


def split_lead_unit(text: str | None) -> tuple[str | None, str | None]:
    """Split "Văn phòng Sở (Thuận)" into ("Văn phòng Sở", "Thuận"): names in trailing
    parentheses are assignees, not part of the unit (GLOSSARY "Phòng / đơn vị")."""
    s = norm(text)
    if not s:
        return None, None
    m = _ASSIGNEE_RE.match(s)
    if m and m.group("unit"):
        return m.group("unit").strip(), m.group("names").strip() or None
    return s, None


#: Kinds of legal documents a note cites ("Kế hoạch số 1876/KH-UBND ngày 17/3/2026 …").
DOC_KIND = rf"(?:{phrases_re(PROFILE.list('legal_kinds'))})"
CITATION_START_RE = re.compile(rf"^(?:{DOC_KIND}\s+số\b|Theo\s+{DOC_KIND}\b|Căn cứ\b)")
_CITATION_RE = re.compile(
    rf"^(?P<head>{DOC_KIND}\s+số\s+\S+)\s*(?P<gap>.*?)\s*(?P<tail>ngày\s+\d{{1,2}}/\d{{1,2}}/\d{{4}}.*)?$"
)


def split_citations(text: str) -> tuple[str, str]:
    """Split a legal-basis cell into (citations joined with "; ", residue text).

    The residue is text inside a citation that is no part of it: a word of another column
    printed on the same line at a page break ("Kế hoạch số 2185/KH-UBND Trung ương ngày
    20/5/2025 …" → residue "Trung ương"). A cell that cites nothing is all residue.
    """
    citations: list[str] = []
    residue: list[str] = []
    for part in [p.strip() for p in text.split(";")]:
        if not part:
            continue
        m = _CITATION_RE.match(part)
        if not m:
            residue.append(part)
            continue
        gap = m.group("gap").strip()
        if gap and m.group("tail"):
            residue.append(gap)
            citations.append(f"{m.group('head')} {m.group('tail')}")
        else:
            citations.append(part)
    return "; ".join(citations), " ".join(residue)


# --------------------------------------------------------------------------------------
# Units of the department (lead / partners cells)
# --------------------------------------------------------------------------------------

#: Words that open the name of a unit (GLOSSARY "Phòng / đơn vị"): "Văn phòng Sở", "Phòng
#: KĐC", "Trung tâm ĐMST", "TT ĐMST", "Chi cục TĐC", "Thanh tra Sở", "Sở Công Thương",
#: "UBND huyện …", and plural units "Các phòng …", "Các đơn vị …". The head must be followed
#: by a capitalised word, an abbreviation, "theo", a comma or nothing: "Phòng thử nghiệm",
#: "Trung tâm dữ liệu" are not units.
UNIT_HEAD_RE = re.compile(
    rf"^(?:(?P<head>{phrases_re(PROFILE.list('unit_heads'))})(?:$|[\s,;]+(?P<next>\S+))"
    rf"|UBND\s+(?:{phrases_re(PROFILE.list('ubnd_heads'))})\b"
    rf"|Các\s+(?:{phrases_re(PROFILE.list('plural_unit_heads'))})\b)"
)
#: Syllables of unit names and lists of units (``unit_words`` of the profile).
UNIT_WORDS = frozenset(PROFILE.words["unit_words"].split())
_WORD_RE = re.compile(r"[^\s,;.()/–-]+")


def _abbreviation(word: str) -> bool:
    """"KĐC", "HTS", "KH&CN", "ATBX": two or more capitals (digits and & allowed)."""
    return len(word) >= 2 and sum(ch.isupper() for ch in word) >= 2 and not any(ch.islower() for ch in word)


@lru_cache(maxsize=65536)
def unit_like(text: str) -> bool:
    """True when every word of ``text`` belongs to unit names: words of :data:`UNIT_WORDS`
    ("Tiêu chuẩn Đo lường", "đơn vị sự nghiệp thuộc Sở") or abbreviations ("KĐC, HTS");
    not a sentence ("Các báo cáo kết quả", "Đường truyền Internet bảo đảm")."""
    words = _WORD_RE.findall(text)
    return bool(words) and all(w.lower() in UNIT_WORDS or _abbreviation(w) for w in words)


@lru_cache(maxsize=65536)
def is_unit_start(text: str) -> bool:
    """True when a cell text starts like a unit name ("Phòng Quản lý khoa học", "Văn phòng
    Sở,", "Các phòng", "Trung tâm") and reads as unit names; not a result that starts with a
    unit word ("Phòng thử nghiệm đạt chuẩn", "Trung tâm dữ liệu của tỉnh")."""
    s = norm(text)
    m = UNIT_HEAD_RE.match(s)
    if not m:
        return False
    nxt = m.group("next") if m.group("head") else None
    if nxt and not (nxt[0].isupper() or nxt.rstrip(",;").lower() in UNIT_WORDS or _abbreviation(nxt)):
        return False
    rest = s[m.end():].strip(" ,;")
    if not rest or unit_like(rest):
        return True
    words = _WORD_RE.findall(rest)
    # A proper name the vocabulary does not know ("Sở Công Thương", "Trung tâm Phục vụ hành
    # chính công"): capitalised words, few lower-case words after them.
    lower = [w for w in words if not w[0].isupper() and w.lower() not in UNIT_WORDS]
    if "Các" in words[1:] or words[0] == "Các":
        return False  # "Các phòng Các nhiệm vụ …": a second cell on the same line
    return (words[0][0].isupper() or _abbreviation(words[0])) and len(lower) <= 1
