"""Time expressions of the departments' documents: timing cells of budget lines and tasks,
and period phrases in running text.

Forms (``../shared/GLOSSARY.md``, "Time", and others seen in plans and reports):

* quarters: "Quý II", "Qúy IV", "Quý I,II", "Quý II, III, IV", "Quý II-IV", "Quý I và II",
  "Quý 1", "Q2", "quý III/2025", "Quý I năm 2024";
* years: "Năm 2024", "Cả năm", "2024" (a bare year, :func:`parse_timing` only), multi-year
  horizons "2026-2030", "giai đoạn 2021 - 2025";
* parts of a year: "6 tháng đầu năm" (H1), "6 tháng cuối năm 2021", "9 tháng đầu năm",
  "9 tháng năm 2025" (the first nine months);
* months: "Tháng 5", "Tháng 6-11", "Tháng 5,6", "Tháng 11- 12", "Tháng 9/2024",
  "tháng 6 năm 2021", "tháng 5 bắt đầu triển khai" (a start only);
* days: "30/6/2026", "29/01/2024", "25, 26/4/2024", "ngày 15 tháng 6 năm 2024";
* deadlines: "trước 30/1", "Trước ngày 30/6/2026", "Chậm nhất ngày 15/6/2024";
* ongoing: "Thường xuyên", "Định kỳ ngày 25 hàng tháng", "Hằng quý";
* cut-off dates in text: "Tính đến hết tháng 6 năm 2021", "đến hết quý I/2024", "đến nay".

:func:`parse_timing` reads one whole cell; :func:`find_periods` finds the phrases inside a
sentence; :func:`parse_period` is the strict reader of budget timing cells (quarters or
"Năm YYYY" only). Matching ignores case and diacritics ("Qúy", "quy", "QUÝ" are one word).
Dates come from ``datetime.date`` and ``dateutil.relativedelta`` (month ends); a day that
does not exist ("30/2") raises :class:`PeriodFormatError`, it is never moved.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from dateutil.relativedelta import relativedelta

ROMAN_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}

# "Quý", "Qúy" (misplaced accent), "Quí"; the list of quarters after it. Used by the budget
# appendix parser to find a timing cell inside a row.
QUARTER_RE = re.compile(
    r"(?P<label>(?:Qu[ýíy]|Qúy|QUÝ)\s+(?P<list>(?:IV|III|II|I)(?:\s*[,;\-–]\s*(?:IV|III|II|I))*))(?![A-Za-z])"
)
YEAR_RE = re.compile(r"(?P<label>(?:Năm|NĂM|năm|Cả năm)\s+(?P<year>(?:19|20)\d{2}))")
# "Tháng 6-9", "tháng 3, 4", "6 tháng cuối năm": months of the fiscal year, read by ``parse_timing``
MONTHS_RE = re.compile(r"(?:(?:Tháng|tháng|THÁNG)\s+\d{1,2}(?:\s*[-–,]\s*\d{1,2})*(?![\d/])"
                       r"|\d{1,2}\s+(?:tháng|THÁNG)\s+(?:đầu|cuối|ĐẦU|CUỐI)\s+(?:năm|NĂM)(?!\s+\d))")
TIMING_RE = re.compile(f"(?:{QUARTER_RE.pattern})|(?:{YEAR_RE.pattern.replace('?P<label>', '?P<ylabel>')})"
                       f"|(?:{MONTHS_RE.pattern})")


@dataclass(frozen=True)
class Period:
    """A parsed timing cell: the label as printed and the quarters (1–4) it covers."""

    label: str
    quarters: tuple[int, ...]
    year: int | None = None

    @property
    def is_whole_year(self) -> bool:
        return self.quarters == (1, 2, 3, 4)

    @property
    def quarters_text(self) -> str:
        """Quarters as "2,3" (the export format)."""
        return ",".join(str(q) for q in self.quarters)


class PeriodFormatError(ValueError):
    """Raised when a timing text cannot be read (message in Vietnamese, with the text)."""


#: Kinds of :class:`ParsedTime`.
KINDS = ("quarters", "year", "years", "part_of_year", "months", "days", "deadline", "as_of", "recurring")


@dataclass(frozen=True)
class ParsedTime:
    """A time expression read.

    ``label``: the text as printed (white space cleaned); ``kind``: one of :data:`KINDS`;
    ``start`` / ``end``: first and last day covered (``None`` when not printed or when no
    year is known); ``deadline``: the day by which something is due (the end of a span, the
    date of "trước 30/1"; ``None`` for ongoing work and for a start only); ``quarters``: the
    quarters (1–4) of one year the span covers, ``()`` when unknown or over several years;
    ``year``: the year (the first one for "2026-2030"); ``recurring``: the printed wording of
    ongoing work ("Thường xuyên", "Định kỳ ngày 25 hàng tháng"); ``start_only``: "tháng 5
    bắt đầu triển khai" (no end); ``as_of``: a cut-off ("Tính đến hết tháng 6 năm 2021":
    ``end`` is the cut-off day, ``start`` ``None``).
    """

    label: str
    kind: str
    start: date | None = None
    end: date | None = None
    deadline: date | None = None
    quarters: tuple[int, ...] = ()
    year: int | None = None
    recurring: str | None = None
    start_only: bool = False
    as_of: bool = False


@dataclass(frozen=True)
class FoundPeriod:
    """A period phrase found in running text: ``start``/``end`` offsets in the text given to
    :func:`find_periods`, and what it says."""

    start: int
    end: int
    time: ParsedTime


# ----------------------------------------------------------------------------- matching form


def _light(text: str) -> str:
    """Lower case without diacritics, one character for one character (offsets kept);
    dashes become "-"."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[:1]
        base = "d" if base in "đĐ" else base.lower()[:1] or ch
        if ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
            base = "-"
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


_Y = r"(?:19|20)\d{2}"
_QNUM = r"(?:iv|iii|ii|i|[1-4])(?![a-z0-9])"
_QLIST = rf"{_QNUM}(?:\s*(?:,|;|-|&|va|den)\s*(?:quy\s*)?{_QNUM})*"
# "/2024", "-2024", "năm 2024", "đầu năm 2021", "năm năm 2021" (a doubled word)
_YSUF = rf"(?:\s*(?:/|-|(?:(?:dau|cuoi)\s+)?(?:nam\s*)+)\s*(?P<y>{_Y}))?(?!\d)"
_MLIST = r"\d{1,2}(?!\d)(?:\s*(?:-|,|;|va|den)\s*\d{1,2}(?!\d))*"

_RECURRING = r"thuong xuyen|lien tuc|dinh ky(?:\s+(?:ngay|hang|thang|quy|nam|lan|vao|\d{1,2}(?:/\d{1,2})?))*|(?:ngay\s+\d{1,2}\s+)?(?:hang|hang)\s+(?:ngay|tuan|thang|quy|nam)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("recurring", re.compile(rf"(?<![a-z])(?:{_RECURRING})(?![a-z])")),
    ("years", re.compile(rf"(?<![a-z0-9/])(?:(?:giai doan|tu nam|tu|nam|cac nam)\s+)?(?P<y1>{_Y})\s*(?:-|den)\s*(?:nam\s+)?(?P<y2>{_Y})(?![0-9/])")),
    ("part_of_year", re.compile(rf"(?<![a-z0-9])(?P<n>\d{{1,2}}|sau|chin|ba)\s+thang\s+(?P<which>dau|cuoi)(?:\s+nam)?(?:\s*(?:/|-)?\s*(?P<y>{_Y}))?(?!\d)")),
    # "9 tháng năm 2025" (a report's title): the first nine months
    ("part_of_year", re.compile(rf"(?<![a-z0-9])(?P<n>\d{{1,2}}|sau|chin|ba)\s+thang\s+nam\s+(?P<y>{_Y})(?!\d)")),
    ("quarters", re.compile(rf"(?<![a-z0-9])(?:quy|qui|q)\.?\s*(?P<list>{_QLIST}){_YSUF}")),
    ("days", re.compile(rf"(?<![0-9/])(?P<d1>\d{{1,2}})\s*(?:,|-|va)\s*(?P<d2>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})(?:\s*/\s*(?P<y>{_Y}))?(?![0-9/])")),
    ("date", re.compile(rf"(?<![0-9/])(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})\s*/\s*(?P<y>{_Y})(?![0-9/])")),
    ("date", re.compile(rf"(?<![a-z])ngay\s+(?P<d>\d{{1,2}})\s+thang\s+(?P<m>\d{{1,2}})\s+nam\s+(?P<y>{_Y})(?!\d)")),
    ("months", re.compile(rf"(?<![a-z])thang\s+(?P<list>{_MLIST}){_YSUF}(?P<startonly>\s+bat dau(?:\s+[^\s,;.]+){{0,4}})?")),
    ("year", re.compile(rf"(?<![a-z])(?:ca\s+)?nam\s+(?P<y>{_Y})(?!\d)")),
    ("year", re.compile(r"(?<![a-z])ca\s+nam(?![a-z])")),
]
_SHORT_DATE = re.compile(r"(?<![0-9/])(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?![0-9/])")
_DEADLINE_PREFIX = re.compile(r"(?:truoc|cham nhat(?:\s+la)?|han chot|khong muon hon|han)(?:\s+ngay)?\s*$")
_AS_OF_PREFIX = re.compile(r"(?:tinh\s+)?(?:den|toi)\s+(?:het\s+)?(?:ngay\s+)?$")
_AS_OF_NOW = re.compile(r"(?<![a-z])(?:(?:tinh\s+)?den\s+(?:nay|thoi diem (?:hien tai|bao cao))|hien nay|hien tai)(?![a-z])")


def _months_end(d: date) -> date:
    return d + relativedelta(day=31)


def quarter_bounds(q: int, year: int) -> tuple[date, date]:
    """First and last day of quarter ``q`` (1–4) of ``year``. Raises ``ValueError``
    outside 1–4."""
    if not 1 <= q <= 4:
        raise ValueError(f"quý {q} không tồn tại")
    start = date(year, 3 * q - 2, 1)
    return start, start + relativedelta(months=3, days=-1)


def _quarters_of_months(m1: int, m2: int) -> tuple[int, ...]:
    return tuple(range((m1 - 1) // 3 + 1, (m2 - 1) // 3 + 2))


def _qnum(token: str) -> int:
    token = token.strip().upper()
    return ROMAN_QUARTERS[token] if token in ROMAN_QUARTERS else int(token)


def _number_list(text: str, item: str) -> list[int]:
    """"6-11" → 6..11; "5,6" → [5, 6]; "II-IV" → 2..4 (``item`` is the token regex)."""
    tokens = re.findall(rf"{item}|-|den", text)
    out: list[int] = []
    i = 0
    while i < len(tokens):
        value = _qnum(tokens[i]) if not tokens[i].isdigit() or item != r"\d{1,2}" else int(tokens[i])
        if i + 2 < len(tokens) and tokens[i + 1] in ("-", "den"):
            end = _qnum(tokens[i + 2]) if item != r"\d{1,2}" else int(tokens[i + 2])
            out.extend(range(value, end + 1) if end >= value else [value, end])
            i += 3
        else:
            if tokens[i] not in ("-", "den"):
                out.append(value)
            i += 1
    return out


def _day(y: int | None, m: int, d: int, label: str) -> date | None:
    if not 1 <= m <= 12:
        raise PeriodFormatError(f"ngày không có thật: {label} (không có tháng {m})")
    if y is None:  # no year known: only check that the day exists in some year (29/2 does)
        try:
            date(2024, m, d)
        except ValueError:
            raise PeriodFormatError(f"ngày không có thật: {label}") from None
        return None
    try:
        return date(y, m, d)
    except ValueError:
        raise PeriodFormatError(f"ngày không có thật: {label}") from None


def _build(kind: str, m: re.Match[str], label: str, year: int | None) -> ParsedTime:
    g = m.groupdict()
    y = int(g["y"]) if g.get("y") else year
    if kind == "recurring":
        return ParsedTime(label, "recurring", year=year, recurring=label)
    if kind == "years":
        y1, y2 = int(g["y1"]), int(g["y2"])
        if y2 < y1:
            raise PeriodFormatError(f"năm kết thúc trước năm bắt đầu: {label!r}")
        if y1 == y2:
            return ParsedTime(label, "year", date(y1, 1, 1), date(y1, 12, 31), date(y1, 12, 31), (1, 2, 3, 4), y1)
        return ParsedTime(label, "years", date(y1, 1, 1), date(y2, 12, 31), date(y2, 12, 31), (), y1)
    if kind == "part_of_year":
        words = {"sau": 6, "chin": 9, "ba": 3}
        n = words.get(g["n"]) or int(g["n"])
        if not 1 <= n <= 12:
            raise PeriodFormatError(f"số tháng không hợp lệ: {label!r}")
        m1, m2 = (13 - n, 12) if g.get("which") == "cuoi" else (1, n)
        quarters = _quarters_of_months(m1, m2)
        if y is None:
            return ParsedTime(label, "part_of_year", quarters=quarters)
        return ParsedTime(label, "part_of_year", date(y, m1, 1), _months_end(date(y, m2, 1)),
                          _months_end(date(y, m2, 1)), quarters, y)
    if kind == "quarters":
        qs = sorted(set(_number_list(g["list"], r"iv|iii|ii|i|[1-4]")))
        if not qs or any(not 1 <= q <= 4 for q in qs):
            raise PeriodFormatError(f"quý không hợp lệ: {label!r}")
        if y is None:
            return ParsedTime(label, "quarters", quarters=tuple(qs))
        start, end = quarter_bounds(qs[0], y)[0], quarter_bounds(qs[-1], y)[1]
        return ParsedTime(label, "quarters", start, end, end, tuple(qs), y)
    if kind == "months":
        ms = _number_list(g["list"], r"\d{1,2}")
        if not ms or any(not 1 <= mo <= 12 for mo in ms):
            raise PeriodFormatError(f"tháng không hợp lệ: {label!r}")
        m1, m2 = min(ms), max(ms)
        quarters = _quarters_of_months(m1, m2)
        start_only = bool(g.get("startonly"))
        if y is None:
            return ParsedTime(label, "months", quarters=quarters, start_only=start_only)
        end = None if start_only else _months_end(date(y, m2, 1))
        return ParsedTime(label, "months", date(y, m1, 1), end, end, quarters, y, start_only=start_only)
    if kind == "days":
        d1 = _day(y, int(g["m"]), int(g["d1"]), label)
        d2 = _day(y, int(g["m"]), int(g["d2"]), label)
        q = _quarters_of_months(int(g["m"]), int(g["m"]))
        return ParsedTime(label, "days", d1, d2, d2, q, y)
    if kind == "date":
        d = _day(y, int(g["m"]), int(g["d"]), label)
        return ParsedTime(label, "days", d, d, d, _quarters_of_months(int(g["m"]), int(g["m"])), y)
    if kind == "year":
        if y is None:
            return ParsedTime(label, "year", quarters=(1, 2, 3, 4))
        return ParsedTime(label, "year", date(y, 1, 1), date(y, 12, 31), date(y, 12, 31), (1, 2, 3, 4), y)
    raise AssertionError(kind)


def _clean(text: str) -> str:
    return " ".join((text or "").replace("\u00a0", " ").split())


@functools.lru_cache(maxsize=1 << 16)  # pure; a document repeats its timing cells (memoised, issue 10)
def parse_timing(text: str | None, year: int | None = None) -> ParsedTime:
    """Read one timing cell or phrase (all forms of the module docstring).

    ``year`` is the document's year, used when the text prints none ("Tháng 5", "Quý II",
    "trước 30/1"); without it such texts get their quarters but no dates. Returns a
    :class:`ParsedTime`. Raises :class:`PeriodFormatError` (Vietnamese message with the
    text) for an empty or unreadable text, a quarter outside I–IV, a month outside 1–12 or a
    day that does not exist ("30/2").

    >>> parse_timing("Tháng 6-11", 2024).start, parse_timing("Tháng 6-11", 2024).end
    (datetime.date(2024, 6, 1), datetime.date(2024, 11, 30))
    """
    label = _clean(text)
    s = _light(label).strip(" .;:,")
    if not s:
        raise PeriodFormatError("thời gian trống")
    # a cut-off: "Tính đến hết tháng 6 năm 2021", "đến hết quý I/2024"
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(s):
            if m.end() != len(s):
                continue
            prefix = s[: m.start()]
            if kind in ("days", "date") and _DEADLINE_PREFIX.fullmatch(prefix.strip()) and prefix.strip():
                t = _build(kind, m, label, year)
                return replace(t, kind="deadline", start=None)
            if prefix.strip() and _AS_OF_PREFIX.fullmatch(prefix.lstrip()) and kind not in ("recurring", "years"):
                t = _build(kind, m, label, year)
                return replace(t, kind="as_of", start=None, deadline=None, as_of=True)
            if m.start() == 0:
                return _build(kind, m, label, year)
    if _AS_OF_NOW.fullmatch(s):
        return ParsedTime(label, "as_of", as_of=True, year=year)
    m = _SHORT_DATE.search(s)
    if m and m.end() == len(s):
        prefix = s[: m.start()].strip()
        d = _day(year, int(m.group("m")), int(m.group("d")), label)
        q = _quarters_of_months(int(m.group("m")), int(m.group("m")))
        if prefix and _DEADLINE_PREFIX.fullmatch(prefix):
            return ParsedTime(label, "deadline", None, d, d, q, year)
        if not prefix:
            return ParsedTime(label, "days", d, d, d, q, year)
    if re.fullmatch(_Y, s):
        y = int(s)
        return ParsedTime(label, "year", date(y, 1, 1), date(y, 12, 31), date(y, 12, 31), (1, 2, 3, 4), y)
    raise PeriodFormatError(f"không đọc được thời gian: {label!r}")


def _scan(text: str, year: int | None, short_dates: bool = False) -> tuple[list[FoundPeriod], list[tuple[int, int, str]]]:
    """Period phrases of ``text`` without overlap (longest first), and the phrases shaped like
    a period that cannot be one ("30/2", "quý V"): ``(found, failed)``, failed as
    ``(start, end, message)``. ``short_dates``: "30/6" (no year) is a date too (timing cells;
    in running text it may be a ratio)."""
    s = _light(text)
    found: list[FoundPeriod] = []
    failed: list[tuple[int, int, str]] = []
    patterns = list(_PATTERNS) + ([("date", _SHORT_DATE)] if short_dates else [])
    for kind, pattern in patterns:
        for m in pattern.finditer(s):
            label = _clean(text[m.start():m.end()])
            try:
                t = _build(kind, m, label, year)
            except PeriodFormatError as exc:
                failed.append((m.start(), m.end(), str(exc)))
                continue
            a = m.start()
            head = s[max(0, a - 24):a]
            pm = re.search(r"(?:tinh\s+)?(?:den|toi)\s+(?:het\s+)?(?:ngay\s+)?$", head)
            if pm and kind not in ("recurring", "years"):
                a = a - (len(head) - pm.start())
                t = replace(t, label=_clean(text[a:m.end()]), kind="as_of", start=None, deadline=None, as_of=True)
            dm = _DEADLINE_PREFIX.search(head) if kind in ("days", "date") else None
            if dm:
                a = a - (len(head) - dm.start())
                t = replace(t, label=_clean(text[a:m.end()]), kind="deadline", start=None)
            found.append(FoundPeriod(a, m.end(), t))
    for m in _AS_OF_NOW.finditer(s):
        found.append(FoundPeriod(m.start(), m.end(), ParsedTime(_clean(text[m.start():m.end()]), "as_of", as_of=True)))
    found.sort(key=lambda f: (-(f.end - f.start), f.start))
    kept: list[FoundPeriod] = []
    for f in found:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    failed = [x for x in failed if all(x[1] <= k.start or x[0] >= k.end for k in kept)]
    return sorted(kept, key=lambda f: f.start), failed


def impossible_dates(text: str) -> list[str]:
    """Messages for the dates of ``text`` that do not exist ("31/02/2024", "ngày 30 tháng 2
    năm 2025"), left to right: ``["ngày không có thật: 31/02/2024"]``. Never raises; a date
    is never moved to another day."""
    _, failed = _scan(text or "", None)
    return [msg for _, _, msg in sorted(failed) if msg.startswith("ngày không có thật")]


def find_periods(text: str, year: int | None = None) -> list[FoundPeriod]:
    """Period phrases inside running text, left to right, without overlap (the longest
    first): "Tính đến hết tháng 6 năm 2021" (an ``as_of`` cut-off), "quý I/2024", "năm 2020",
    "6 tháng đầu năm 2021", "2021-2025", "đến nay" (``as_of`` without a date). Offsets refer
    to ``text``. A phrase naming a day that does not exist is left out. Never raises.
    ``year`` fills phrases that print no year.
    """
    return _scan(text, year)[0]


@dataclass
class Schedule:
    """A timing cell of a plan table read as a schedule ("Thời gian thực hiện", "Thời hạn"):
    :func:`read_schedule`.

    ``period_start``/``period_end`` bound the whole window when every step is dated;
    ``deadline`` is the last date by which the work (or its last dated step) must be done
    (a window of whole years has none); ``recurring`` keeps "Thường xuyên" / "Định kỳ …" as
    printed; ``problems`` lists what could not be read (e.g. the non-existent date "30/2");
    ``notes`` what was read with a caveat.
    """

    text: str
    period_start: date | None = None
    period_end: date | None = None
    deadline: date | None = None
    recurring: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    #: the quarters a single step lists ("Quý II, IV/2026" → (2, 4)), when the cell is one
    #: such step; the window between its ends would add quarter III
    listed: tuple[int, ...] = ()

    @property
    def quarters(self) -> tuple[int, ...]:
        """Quarters (1–4) covered by the window, () when either end is unknown or the
        window leaves the year of its start; a single step listing quarters gives those
        quarters ("Quý II, IV" → (2, 4), never II–IV)."""
        if self.period_start is None or self.period_end is None:
            return ()
        if self.period_start.year != self.period_end.year:
            return ()
        if self.listed:
            return self.listed
        return _quarters_of_months(self.period_start.month, self.period_end.month)

    def quarters_in(self, year: int) -> tuple[int, ...]:
        """Quarters (1–4) of fiscal year ``year`` that the schedule covers, for an amount of
        that year (a plan's "Dự toán năm 2026" column): :attr:`quarters` when the window lies
        in ``year``; a window of several years covers the part inside ``year`` ("2026-2027"
        → (1, 2, 3, 4) for 2026; "7/2025-6/2026" → (1, 2)); a deadline without a start
        ("Trước 30/6/2026") covers the year up to it → (1, 2). () when the end is unknown,
        the schedule lies outside ``year``, or the last step is dated relative to an event.
        """
        end = self.period_end
        if end is None:
            return ()
        start = self.period_start
        if start is None:
            if self.deadline is None or self.deadline.year != year:
                return ()
            start = date(year, 1, 1)  # "Trước 30/6/2026": from the start of the plan year
        if start.year == end.year == year:
            return self.quarters if self.period_start is not None else _quarters_of_months(1, end.month)
        if start.year > year or end.year < year:
            return ()
        m1 = start.month if start.year == year else 1
        m2 = end.month if end.year == year else 12
        return _quarters_of_months(m1, m2)



_RELATIVE_STEP = re.compile(r"sau\s+\d+\s+ngay\s+ke\s+tu[^;.]*")


def read_schedule(text: str | None, year: int, completion: bool = False) -> Schedule:
    """Read a timing cell of a plan table as a schedule (GLOSSARY "Time"); ``year`` is the
    plan year, used when a step prints none. One grammar with :func:`parse_timing`: the steps
    are the period phrases :func:`_scan` finds (short dates "30/6" included).

    "Thường xuyên", "Định kỳ ngày 25 hàng tháng" → ``recurring`` as printed (dates printed
    beside it are still read); "2026-2030", "Năm 2026" → a window of whole years, no deadline;
    "Tháng 5", "Quý II/2026", "30/6/2026", "trước 30/1", "25, 26/4/2024" and schedules of
    several steps ("Tháng 5: …; Tháng 6: …; 30/7/2024: …") → the window from the first step
    to the last, the deadline at the end of the last dated step. ``completion``: the column
    holds completion dates ("Thời hạn"), so a date is a deadline, not a start. A deadline
    ("trước 30/1") has no start; "tháng 5 bắt đầu …" has no end; a last step dated relative
    to an event ("sau 15 ngày kể từ khi …") leaves ``period_end`` unknown. Never raises:
    what cannot be read is listed in ``problems`` (a day that does not exist, "30/2", is
    never moved).
    """
    raw = text or ""
    out = Schedule(text=raw)
    label = _clean(raw).rstrip(".;,")
    if not label:
        return out
    if re.fullmatch(_Y, label):  # "2026" alone in a timing column: that year
        out.period_start, out.period_end = date(int(label), 1, 1), date(int(label), 12, 31)
        return out
    steps, failed = _scan(label, year, short_dates=True)
    out.problems.extend(msg for _, _, msg in failed)
    dated = []
    for f in steps:
        t = f.time
        if t.kind == "recurring":
            out.recurring = out.recurring or t.label
            continue
        if t.kind in ("year", "years"):
            if f.start == 0 and f.end >= len(label) - 1 and not failed:
                out.period_start, out.period_end = t.start, t.end  # a window of whole years: no deadline
                return out
            continue  # a year mentioned inside a schedule ("(trình … năm 2025)") is not a step
        start = None if (completion and t.kind == "days" and t.start == t.end) else t.start
        dated.append((f.start, start, t.end, t))
        if t.start_only:
            out.notes.append(f"chỉ có thời điểm bắt đầu: {t.label}")
    if not dated and not failed:
        if not out.recurring:
            out.problems.append("không đọc được thời gian")
        return out
    if not dated:
        return out
    first_pos = min([p for p, *_ in dated] + [a for a, _, _ in failed])
    last_pos = max([p for p, *_ in dated] + [a for a, _, _ in failed])
    first = next(d for d in dated if d[0] == first_pos) if any(d[0] == first_pos for d in dated) else None
    last = next(d for d in dated if d[0] == last_pos) if any(d[0] == last_pos for d in dated) else None
    if len(dated) == 1 and dated[0][3].kind == "quarters" and len(dated[0][3].quarters) > 1:
        out.listed = tuple(dated[0][3].quarters)  # "Quý II, IV/2026": those quarters
    if first is not None and first[1] is not None:
        out.period_start = min(d[1] for d in dated if d[1] is not None)
    if last is not None and last[2] is not None:
        out.deadline = max(d[2] for d in dated if d[2] is not None)
        out.period_end = out.deadline
    rel = _RELATIVE_STEP.search(_light(label))
    if rel and rel.start() > last_pos:
        out.period_end = None
        out.notes.append(f"bước sau tính tương đối, chưa có ngày: {label[rel.start():rel.end()].strip()}")
    if out.period_start and out.period_end and out.period_start > out.period_end:
        out.problems.append("thời điểm bắt đầu sau thời điểm kết thúc")
    return out


def is_timing_cell(text: str, year: int) -> bool:
    """True when the whole of ``text`` is shaped like a timing cell ("Thường xuyên",
    "2026-2030", "Quý II", "trước 30/1", "Tháng 13/2026" — a wrong value is still a timing,
    reported by :func:`read_schedule`), not a sentence that mentions a date."""
    s = re.sub(r"\s*\([^()]*\)$", "", _clean(text).rstrip(".;,"))
    if not s or len(s) > 60:
        return False
    light = _light(s)
    steps, failed = _scan(s, year, short_dates=True)
    if not steps and not failed:
        return False
    rest = list(light)
    for a, b in [(f.start, f.end) for f in steps] + [(a, b) for a, b, _ in failed]:
        rest[a:b] = " " * (b - a)
    left = "".join(rest)
    return not re.sub(r"\b(?:truoc|cham nhat|han|ngay|nam|den|tu)\b|[-,;/()\s]", "", left)


#: The place-and-date line above a document's signatures ("Quảng Ninh, ngày 12 tháng 01 năm
#: 2023", "Hà Nội, ngày … tháng … năm …"; Nghị định 30/2020/NĐ-CP, thể thức văn bản): a
#: place of capitalised words, then the date in words (the year may wrap to the next line).
_PLACE_DATE_RE = re.compile(
    r"^(?:[A-ZĐÀ-Ỹ][^\W\d_]*\.?\s+){0,5}[A-ZĐÀ-Ỹ][^\W\d_]*\s*,\s*ngày\s+(?:\d{1,2}|[.…]+)\s+tháng\s+(?:\d{1,2}|[.…]+)"
    r"(?:\s+năm\s+(?:(?:19|20)\d{2}|[.…]+))?(?=\s|$)")


def is_place_date_line(text: str) -> bool:
    """Whether ``text`` (one line, as printed) starts with the place-and-date line that opens
    a document's signature block ("Quảng Ninh, ngày 12 tháng 01 năm 2023 …"). Never raises."""
    return bool(_PLACE_DATE_RE.match(" ".join(unicodedata.normalize("NFC", text or "").split())))


def parse_period(text: str) -> Period:
    """Parse a timing cell of a budget line: quarters or a whole year.

    ``"Quý I,II"`` → quarters (1, 2); ``"Qúy IV"`` → (4,); ``"Quý II, III, IV"`` → (2, 3, 4);
    ``"Quý 1"``, ``"Q2"``, ``"quý III/2025"`` (year kept); ``"Năm 2024"`` → (1, 2, 3, 4)
    with ``year=2024``. A dash between quarters is a range (``"Quý II-IV"`` → (2, 3, 4)).
    Raises ``PeriodFormatError`` for anything else ("Tháng 5", "2024": use
    :func:`parse_timing`).
    """
    t = parse_timing(text)
    label = _clean(text)
    if t.kind == "quarters":
        return Period(label=label, quarters=t.quarters, year=t.year)
    if t.kind == "year" and t.year is not None and re.match(r"(?:cả\s+)?năm\b", label, re.I):
        return Period(label=label, quarters=(1, 2, 3, 4), year=t.year)
    raise PeriodFormatError(f"không đọc được thời gian: {text!r}")


def quarters_label(quarters: tuple[int, ...] | list[int]) -> str:
    """Vietnamese label of a quarter set: (2,) → "Quý II"; (2, 3) → "Quý II–III";
    (1, 2, 3, 4) → "Cả năm"; () → "Không rõ thời gian"."""
    qs = tuple(sorted(quarters))
    if not qs:
        return "Không rõ thời gian"
    if qs == (1, 2, 3, 4):
        return "Cả năm"
    roman = {v: k for k, v in ROMAN_QUARTERS.items()}
    if len(qs) > 1 and qs == tuple(range(qs[0], qs[-1] + 1)):
        return f"Quý {roman[qs[0]]}–{roman[qs[-1]]}"
    return "Quý " + ", ".join(roman[q] for q in qs)
