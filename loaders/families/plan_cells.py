"""Cells of plan tables: a target (chỉ tiêu), a timing, an amount, a unit, a legal note.

The readers of the plan families (``loaders.families.plan_targets``, ``loaders.families.task_plan``) hand every
cell of a target, task or project row to one of these functions; none of them knows a
document, a province or a column position. Vocabulary and number formats:
``../shared/GLOSSARY.md`` ("Money", "Time"); amounts go through :mod:`loaders.text.numbers`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from loaders.tables.profiles import load_profile
from loaders.text.numbers import (
    NumberFormatError,
    canonical_unit,
    parse_vn_number,
    ungroup_spaces,
    to_vnd,
)
from loaders.text.sources import Ancestor, classify_source, resolve_source

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
    reported in ``problem``; thousands grouped with spaces (``"5 000 000"``) are read
    (:func:`loaders.text.numbers.ungroup_spaces`); other digit groups split by spaces
    (``"5 000 00"``) give no amount at all (never 5), ``"—5.000.000"`` (no sign the parser
    reads) is text, not an amount.
    """
    s = norm(text)
    if not s or NO_AMOUNT_RE.match(s):
        return Amount(text=None)
    m = _AMOUNT_RE.match(ungroup_spaces(s))
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
    if rest[:1].isdigit() or (rest[:1] in "-−–" and rest[1:2].isdigit()):
        # "5 000 00": digit groups split by spaces that are no thousands, never read as 5
        out.problem = f"không đọc được số tiền {s!r}: các nhóm chữ số cách nhau bằng dấu cách"
        return out
    try:
        out.amount_vnd = to_vnd(m.group("amount"), used)
    except (NumberFormatError, KeyError) as exc:
        out.problem = f"không đọc được số tiền {m.group('amount')!r} ({used}): {exc}"
        return out
    if rest:
        out.problem = f"chữ sau số tiền chưa đọc: {rest!r}"
    return out


def source_of(note: str | None, heading: str | None) -> tuple[str, str | None, str | None]:
    """Funding source of an amount: ``(code, funding_note, problem)``, by the one inheritance
    rule (:func:`loaders.text.sources.resolve_source`): the amount's own note decides when it
    names a source; else the column heading ("Đề xuất kinh phí ngân sách sự nghiệp KH&CN cấp
    (đồng)" → SNKH, noted "tiêu đề cột: …"); else "UNSPECIFIED". ``problem`` is set when the
    note speaks of money sources ("nguồn chi thường xuyên, Trung ương giao") but names none
    that is known: never a silent default.
    """
    choice = resolve_source([note], [Ancestor(heading, heading=True)] if heading else [])
    problem = None
    if not (note and classify_source(note)) and note and SOURCE_WORDS_RE.search(note) and not ENVELOPE_RE.search(note):
        problem = f"không nhận ra nguồn kinh phí trong ghi chú: {note!r}"
    if choice.inherited:
        return choice.code, f"tiêu đề cột: {norm(heading)}", problem
    if choice.code != "UNSPECIFIED":
        return choice.code, note, None
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
