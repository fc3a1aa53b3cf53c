"""Plan with targets, focus tasks and key projects: Điện Biên, Sở KH&CN, plan for 2026.

Source: ``data/raw/003_912c6259a13f4ad4.txt`` ("KẾ HOẠCH Triển khai thực hiện phát triển khoa
học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 … năm 2026"), text extracted from
PDF/DOCX. Vocabulary: ``../shared/GLOSSARY.md``. Three appendices are read:

* **Phụ lục I** "DANH MỤC CÁC CHỈ TIÊU CỤ THỂ": ``STT | Mục tiêu | Năm 2026 | Đơn vị chủ trì
  tổng hợp | Ghi chú``. Groups are numbered ("1 …", "2 …"), subgroups "2.1 …"; indicators
  start with "-" or "+". A "-" line without target and lead unit followed by "+" lines is a
  heading of those "+" indicators. → :class:`IndicatorTarget` (``PLI/<group or subgroup>/<n>``
  such as "PLI/1/2", "PLI/3.2/5"; "+" indicators ``PLI/<subgroup>/<heading>.<n>`` such as
  "PLI/2.1/2.1" for the first "+" under the second "-" of 2.1).
* **Phụ lục II** "DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM": ``Stt | Tên nhiệm vụ | Chủ trì | Phối hợp |
  Kết quả | Thời gian hoàn thành | Ghi chú``, sections "I", "II", "III.1" …, task numbers
  restart in each section. → :class:`Task` kind "task" (``PLII/<section>/<n>``).
* **Phụ lục III** "DANH MỤC CÁC DỰ ÁN TRỌNG TÂM": ``Stt | Tên nhiệm vụ, dự án | Chủ trì | Kết quả
  cần đạt được | Dự kiến kinh phí (tỷ đồng)``, numbered 1…n across sections. → :class:`Task`
  kind "project" (``PLIII/<n>``) and one proposed :class:`BudgetLine` per project.

How the text is laid out (what the reader relies on):

* Every cell wraps over several lines, usually separated by a blank line; the cells of one
  row come column by column (all lines of the name, then the lead unit, …). Sometimes the
  first lines of several cells share one text line ("5 Tổng hợp … Phòng KĐC Các phòng …"):
  such lines are split at unit names, timing words and legal-citation starts.
* A row starts at its number, alone on a line or followed by the name. Page breaks repeat
  the table header ("STT Mục tiêu Năm 2026" / "Stt Tên nhiệm vụ …"), sometimes after a bare
  page number; a row cut by a page break continues after the header with the remaining
  lines of each of its cells, still column by column.
* After a page break the continuation of the name and of the result can follow each other
  with nothing in between. They are told apart by the column widths measured on the rest
  of the table (a line wider than the result column is name text; a line goes to the cell
  whose last line could not have held its first word, i.e. the cell that was wrapped).
* Footnotes ("1 Tiêu chí tối thiểu …") sit at the bottom of a page; the marker is a digit
  glued to the end of the indicator name ("…UAV...)1"). The footnote becomes the note.

``source_line`` of an indicator or task is the line where its name starts (its number or
"-"/"+" marker can be alone on the line before); of a budget line, the line where the
amount is printed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from loaders.model import (
    BudgetLine,
    DocumentMeta,
    IndicatorTarget,
    ParseIssue,
    ParseResult,
    PrintedTotal,
    Task,
)
from loaders.numbers import NumberFormatError, parse_vn_number, to_vnd, unit_factor
from loaders.periods import PeriodFormatError, parse_period
from loaders.sources import classify_source

LAYOUT = "plan_targets"

# --------------------------------------------------------------------------------------
# Document structure
# --------------------------------------------------------------------------------------

_APPENDIX_RE = re.compile(r"^\s*Phụ\s+lục\s+(?P<no>I{1,3})\s*$", re.I)
_PL1_TITLE_RE = re.compile(r"DANH\s+MỤC\s+CÁC\s+CHỈ\s+TIÊU", re.I)
_PL2_TITLE_RE = re.compile(r"DANH\s+MỤC\s+CÁC\s+NHIỆM\s+VỤ", re.I)
_PL3_TITLE_RE = re.compile(r"DANH\s+MỤC\s+CÁC\s+DỰ\s+ÁN", re.I)
# Header rows repeated on every page, and the fragments that follow them.
_HEADER_RE = re.compile(r"^\s*(?:STT|Stt|TT)\s+(?:Mục\s+tiêu|Tên\s+nhiệm\s+vụ)\b")
_HEADER_TAIL_RE = re.compile(
    r"^(?:Đơn vị chủ trì|tổng hợp|Ghi chú|Thời gian|hoàn thành|Dự kiến kinh|phí \((?:tỷ|triệu|nghìn)? ?đồng\))$"
)
_DATE_TEXT_RE = re.compile(r"ngày\s*(?P<d>\d*)\s*tháng\s*(?P<m>\d*)\s*năm\s*(?P<y>\d{4})")
_PROVINCE_RE = re.compile(r"^\s*UBND\s+TỈNH\s+(?P<p>.+?)\s*$")
_TITLE_YEAR_RE = re.compile(r"năm\s+(?P<y>20\d{2})\s*$")

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_SECTION_RE = re.compile(r"^(?P<code>(?:X|IX|VIII|VII|VI|V|IV|III|II|I)(?:\.\d+)?)(?:\s+(?P<title>\S.*))?$")
_ROW_BARE_RE = re.compile(r"^(?P<no>\d{1,3})$")
_ROW_INLINE_RE = re.compile(r"^(?P<no>\d{1,3})\s+(?P<rest>[A-ZĐÀ-Ỹ].*)$")
_INT_RE = re.compile(r"^\d{1,3}$")

# --------------------------------------------------------------------------------------
# Units (Phòng / đơn vị), as printed in this plan
# --------------------------------------------------------------------------------------

# Words a lead / partner cell is made of. Abbreviations are the units of the 2025
# reorganisation (GLOSSARY: Phòng KĐC, HTS, TĐC, Trung tâm ĐMST; "ĐSMT" is a typo seen once).
_UNIT_ABBREVIATIONS = {"KĐC", "HTS", "TĐC", "ĐMST", "ĐSMT", "KH", "CM", "NV", "TT", "SHTT", "ATBX"}
_UNIT_WORDS = {
    "Văn", "phòng", "Phòng", "Sở", "sở", "Trung", "tâm", "theo", "chức", "năng", "nhiệm", "vụ",
    "Các", "các", "đơn", "vị", "sự", "nghiệp", "thuộc", "có", "liên", "quan", "Thanh", "tra",
    "Chi", "cục",
} | _UNIT_ABBREVIATIONS
# A cell starts with one of these.
_UNIT_HEAD_RE = re.compile(r"^(?:Văn phòng|Phòng|Trung tâm|TT|Các phòng|Các đơn vị|Thanh tra|Chi cục)\b")
# A unit name that can end a text line (lead unit of Phụ lục I, or a merged line).
_UNIT_NAME = (
    r"(?:Văn phòng Sở|Phòng (?:KĐC|HTS|TĐC|[A-ZĐ]{2,}(?:\s*-\s*[A-ZĐ]{2,})*)|Trung tâm ĐMST|TT ĐMST"
    r"|Trung tâm [A-ZĐ]{2,}|Thanh tra Sở|Chi cục [A-ZĐ]{2,})"
)
# Words after which a unit cell is not finished.
_UNIT_OPEN_END_RE = re.compile(
    r"(?:,|\bTrung|\bTrung tâm|\bVăn|\btheo|\bchức|\bđơn|\bvị|\bsự|\bthuộc|\bCác|\bCác phòng|\bCác đơn vị|\bcó)$"
)

# --------------------------------------------------------------------------------------
# Legal basis (Ghi chú)
# --------------------------------------------------------------------------------------

_DOC_KIND = r"(?:Nghị quyết|Kế hoạch|Quyết định|Chỉ thị|Kết luận|Thông tư|Nghị định|Công văn|Thông báo)"
_NOTE_START_RE = re.compile(rf"^{_DOC_KIND}\s+số\b")
# A line that continues a legal citation cut at the end of the previous line.
_NOTE_CONT_RE = re.compile(
    r"^(?:\d{1,5}[-/][A-ZĐ]|[A-ZĐ]{2,}/|ngày\s+\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{1,2}/\d{4}\s*(?:;|của|$)"
    r"|UBND\b|hoạch số|quyết số|của UBND)"
)
_CITATION_RE = re.compile(
    rf"^(?P<head>{_DOC_KIND}\s+số\s+\S+)\s*(?P<gap>.*?)\s*(?P<tail>ngày\s+\d{{1,2}}/\d{{1,2}}/\d{{4}}.*)?$"
)

# --------------------------------------------------------------------------------------
# Timing (Thời gian hoàn thành)
# --------------------------------------------------------------------------------------

_TIMING_RE = re.compile(
    r"^(?:Thường xuyên|Định kỳ\b.*|Hằng (?:tháng|quý|năm)|Hàng (?:tháng|quý|năm)|\d{1,2}/\d{1,2}/\d{4}"
    r"|(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}|Qu[ýí]\s+[IV].*|Qúy\s+[IV].*|Tháng\s+\d.*|Năm\s+20\d{2}"
    r"|[Tt]rước\s+(?:ngày\s+)?\d{1,2}/\d{1,2}(?:/\d{4})?)$"
)
_TIMING_CONT_RE = re.compile(r"^(?:\d{1,2}\s+hàng\s+(?:tháng|quý|năm)|hàng\s+(?:tháng|quý|năm)|năm\s+20\d{2})$")

# Inline anchors used to split a text line that holds the start of several cells.
_INLINE_UNIT_RE = re.compile(
    r"(?<=\s)(?:Văn phòng Sở|Phòng (?:KĐC|HTS|TĐC)|Trung tâm ĐMST|TT ĐMST|Các phòng|Các đơn vị)(?=\s|,|$)"
)
_INLINE_TIMING_RE = re.compile(r"(?<=\s)(?:Thường xuyên|Định kỳ ngày|\d{1,2} hàng tháng)(?=\s|$)")
_INLINE_NOTE_RE = re.compile(rf"(?<=\s)(?:{_DOC_KIND} số|\d+/KH-UBND|UBND tỉnh\s*$)")

# Budget cell of Phụ lục III: "5", "2.5", "20 (giai đoạn 1 năm 2026 – 2028: Tổng kinh phí 55 tỷ đồng)".
_BUDGET_RE = re.compile(r"^(?P<amount>\d{1,4}(?:[.,]\d{1,3})?)(?:\s*\((?P<note>.*))?$")
_TRAILING_BUDGET_RE = re.compile(r"^(?P<text>.*\D)\s+(?P<amount>\d{1,4}(?:[.,]\d{1,3})?)$")
_TOTAL_RE = re.compile(
    r"^(?P<label>(?:TỔNG CỘNG|Tổng cộng|TỔNG SỐ|Tổng số|Cộng)(?:\s*\([^()]*\))?)\s*:?\s*"
    r"(?P<amount>\d[\d.,]*)?\s*(?:tỷ đồng|triệu đồng|đồng)?$"
)
_MULTI_YEAR_RE = re.compile(r"Tổng\s+kinh\s+phí", re.I)
_SOURCE_TEXT_RE = re.compile(r"(?P<src>(?:nguồn|Nguồn)\s[^()]*)")

# --------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------


class TargetFormatError(ValueError):
    """Raised by :func:`parse_target` for a target that names a number it cannot read."""


_COMPARATOR_WORDS: list[tuple[re.Pattern[str], str]] = [
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
_DURATION_UNITS = {"ngày", "ngày làm việc", "tháng", "giờ", "tuần", "năm"}
_LOWER_BOUND_NOTE_RE = re.compile(r"^(?:trên|tối thiểu|ít nhất|không dưới|hơn)\b", re.I)
_NUMBER_START_RE = re.compile(r"^(?P<num>\d+(?:[.,]\d+)*)\s*(?P<rest>.*)$")
_TARGET_START_RE = re.compile(
    r"^(?:[≥≤<>]|Trung bình|Khoảng|khoảng|Trên|Dưới|Tối thiểu|Tối đa|Ít nhất|Không quá|Hoàn thành|Đạt\b|\d)"
)
# "…GRDP 17%", "… ≥ 0,7", "… > 300 cán bộ (người)", "… Hoàn thành" at the end of a name line
# (a range "17-20%" is taken too, so that it is reported as unreadable rather than lost).
_TARGET_TAIL_RE = re.compile(
    r"(?:^|\s)(?P<t>(?:[≥≤<>]\s*)?\d+(?:[.,]\d+)?(?:\s*[-–]\s*\d+(?:[.,]\d+)?)?"
    r"(?:\s*%|\s+[^\d≥≤<>]{1,40})?|Hoàn thành)\s*$"
)


def parse_target(text: str) -> tuple[str | None, float | None, str | None, bool]:
    """Read a target cell of Phụ lục I ("Năm 2026") into ``(comparator, value, unit, qualitative)``.

    * ``comparator`` ∈ {"=", ">=", ">", "<=", "<"}, or ``None`` when qualitative;
    * ``value``: a float read with :func:`loaders.numbers.parse_vn_number` ("0,7" → 0.7,
      "08" → 8.0); a percentage stays in percent ("17%" → 17.0, unit "%");
    * ``unit``: "%", "điểm" (index points), "ngày", "người/1 vạn dân", or the counted noun as
      printed ("doanh nghiệp", "sáng chế/giải pháp hữu ích"); a trailing "/năm" is dropped
      (the target is already a one-year target); a parenthesis after the unit is not part of
      it; ``None`` when nothing follows the number ("≥ 0,7", an index from 0 to 1);
    * ``qualitative``: True, with the other three ``None``, for a cell without any number
      ("Hoàn thành").

    Rules (document ``003_912c6259a13f4ad4.txt``, Phụ lục I):

    * "≥"/"≤"/">"/"<" as printed; "Trên" → ">", "Dưới" → "<", "Tối thiểu" → ">="; a bare
      number → "=" (nothing printed: "reach this value").
    * "9,5 người/1 vạn dân (Trên 600 người)" → (">=", 9.5, "người/1 vạn dân", False): the
      parenthesis restates the same target as a head count with "Trên" (above), so the
      density is a floor; ">=" rather than ">" because 9.5 itself is printed without
      comparator and 600 is only its rounded equivalent.
    * "Trung bình khoảng 90 ngày (…)" → ("<=", 90.0, "ngày", False): an approximate average
      duration (time to approve a task) is a ceiling — a shorter time meets the target.
      "Khoảng" with any other unit → "=".

    Raises :class:`TargetFormatError` when the cell has digits but no readable number
    after an optional comparator word ("Hỗ trợ 20-40 dự án").
    """
    s = " ".join(text.split())
    if not s:
        raise TargetFormatError("ô chỉ tiêu trống")
    if not re.search(r"\d", s):
        return None, None, None, True
    comparator = "="
    for pattern, comp in _COMPARATOR_WORDS:
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


# --------------------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split())


def _join(parts: list[str]) -> str:
    """Join wrapped cell lines: a space between lines, none after a hyphen glued to a code
    ("17-" + "NQ/TU" → "17-NQ/TU", "1876/KH-" + "UBND")."""
    out = ""
    for part in parts:
        p = _norm(part)
        if not p:
            continue
        if out and re.search(r"[\w/]-$", out) and re.match(r"[A-ZĐ0-9]", p):
            out += p
        elif out:
            out += " " + p
        else:
            out = p
    return out


def _is_unit_text(text: str, need_head: bool) -> bool:
    """True when ``text`` is only made of unit words ("Phòng KĐC,", "CM, NV, đơn", "thuộc Sở")."""
    s = _norm(text)
    if not s or (need_head and not _UNIT_HEAD_RE.match(s)):
        return False
    words = [w for w in re.split(r"[\s,;]+", s) if w]
    return bool(words) and all(w in _UNIT_WORDS for w in words)


def _unit_prefix(text: str) -> tuple[str, str] | None:
    """Split "Văn phòng Sở Nâng cấp …" into a complete unit name and the rest (a merged line)."""
    s = _norm(text)
    if not _UNIT_HEAD_RE.match(s):
        return None
    words = s.split(" ")
    taken: list[str] = []
    for i, w in enumerate(words):
        bare = w.strip(",;")
        if bare not in _UNIT_WORDS or (i > 0 and bare == "Các"):
            break
        taken.append(w)
    if not taken or len(taken) == len(words):
        return None
    head = " ".join(taken)
    if _UNIT_OPEN_END_RE.search(head) and not re.search(r"\bCác (?:phòng|đơn vị)$", head):
        return None
    return head, " ".join(words[len(taken):])


def _split_legal(text: str) -> tuple[str, str]:
    """Split a legal-basis cell into (citations joined with "; ", residue text).

    The residue is text that is no part of a citation: a name line the extraction put in
    the legal-basis column at a page break ("Kế hoạch số 2185/KH-UBND Trung ương ngày …").
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
# Lines of an appendix
# --------------------------------------------------------------------------------------


@dataclass
class _Line:
    no: int  # 1-based line number in the document
    text: str  # stripped
    after_break: bool = False  # first line after a repeated page header


def _appendix_bounds(lines: list[str]) -> dict[str, tuple[int, int, int]]:
    """{"I": (heading index, first index, end index), …} for the appendices whose title
    follows the "Phụ lục X" line."""
    found: list[tuple[str, int]] = []
    titles = {"I": _PL1_TITLE_RE, "II": _PL2_TITLE_RE, "III": _PL3_TITLE_RE}
    for i, raw in enumerate(lines):
        m = _APPENDIX_RE.match(raw)
        if not m:
            continue
        no = m.group("no").upper()
        following = " ".join(lines[i + 1 : i + 4])
        if titles[no].search(following):
            found.append((no, i))
    bounds: dict[str, tuple[int, int, int]] = {}
    for k, (no, i) in enumerate(found):
        end = found[k + 1][1] if k + 1 < len(found) else len(lines)
        if no not in bounds:
            bounds[no] = (i, i + 1, end)
    return bounds


def _table_lines(lines: list[str], start: int, end: int) -> list[_Line]:
    """Non-blank lines of a table from its first header on, without the repeated headers
    and the page numbers printed just before them; the line after a header is flagged."""
    out: list[_Line] = []
    i = start
    # Skip the appendix title block up to the first header.
    while i < end and not _HEADER_RE.match(lines[i]):
        i += 1
    pending_break = False
    first_header = True
    while i < end:
        raw = lines[i]
        if _HEADER_RE.match(raw):
            # A page number printed just before a header that starts at column 0.
            if out and _INT_RE.match(out[-1].text) and not raw[:1].isspace() and not first_header:
                out.pop()
            j = i + 1
            while j < end and j <= i + 8 and (not lines[j].strip() or _HEADER_TAIL_RE.match(_norm(lines[j]))):
                j += 1
            i = j
            pending_break = not first_header
            first_header = False
            continue
        text = _norm(raw)
        if text:
            out.append(_Line(i + 1, text, pending_break))
            pending_break = False
        i += 1
    return out


# --------------------------------------------------------------------------------------
# Phụ lục I: indicator targets
# --------------------------------------------------------------------------------------

_GROUP_RE = re.compile(r"^(?P<no>[1-9]\d?)\s+(?P<title>[^\d\s].*)$")
_SUBGROUP_RE = re.compile(r"^(?P<g>[1-9]\d?)\.(?P<s>\d{1,2})\s+(?P<title>[^\d\s].*)$")
_ITEM_RE = re.compile(r"^(?P<marker>[-+])\s*(?P<rest>.*)$")
_FOOTNOTE_MARK_RE = re.compile(r"(?<=[^\d\s])(?P<n>\d)$")
_LEAD_IN_LINE_RE = re.compile(rf"(?:^|\s)(?P<unit>{_UNIT_NAME})\s*(?=$|{_DOC_KIND}\s+số)")


@dataclass
class _Block:
    marker: str
    lines: list[_Line]
    group: str | None
    group_no: str
    subgroup: str | None
    subgroup_no: str | None


def _pl1_blocks(tl: list[_Line], issues: list[ParseIssue]) -> tuple[list[_Block], dict[str, tuple[int, str]]]:
    """Cut Phụ lục I into indicator blocks; footnotes are returned apart ({n: (line, text)})."""
    markers = {m.group("n") for ln in tl if (m := _FOOTNOTE_MARK_RE.search(ln.text))}
    footnotes: dict[str, tuple[int, str]] = {}
    blocks: list[_Block] = []
    group = subgroup = None
    group_no = "0"
    subgroup_no: str | None = None
    expected_group = 1
    k = 0
    while k < len(tl):
        ln = tl[k]
        m = _GROUP_RE.match(ln.text)
        is_group = m and int(m.group("no")) == expected_group and not m.group("no").startswith("0")
        if is_group and not re.search(_UNIT_NAME, ln.text):
            group, group_no = _norm(m.group("title")), m.group("no")
            subgroup, subgroup_no = None, None
            expected_group += 1
            k += 1
            continue
        if m and not m.group("no").startswith("0") and (
            (m.group("no") in markers and not re.search(_UNIT_NAME, ln.text)) or len(ln.text) > 100
        ):
            # A footnote (its number is not the next group, and a name ends with the same
            # digit, or the line is wider than any table line): runs to the next page
            # header, long lines only.
            parts = [m.group("title")]
            k += 1
            while k < len(tl) and not tl[k].after_break and len(tl[k].text) > 60 and not _ITEM_RE.match(tl[k].text):
                parts.append(tl[k].text)
                k += 1
            footnotes[m.group("no")] = (ln.no, _join(parts))
            continue
        m = _SUBGROUP_RE.match(ln.text)
        if m and m.group("g") == group_no:
            subgroup, subgroup_no = _norm(m.group("title")), f"{m.group('g')}.{m.group('s')}"
            k += 1
            continue
        m = _ITEM_RE.match(ln.text)
        if m:
            first = _Line(ln.no, m.group("rest").strip(), ln.after_break)
            blocks.append(_Block(m.group("marker"), [first] if first.text else [], group, group_no, subgroup, subgroup_no))
            k += 1
            continue
        if blocks:
            blocks[-1].lines.append(ln)
        else:
            issues.append(ParseIssue(ln.no, "Phụ lục I: dòng trước chỉ tiêu đầu tiên, bỏ qua", text=ln.text))
        k += 1
    return blocks, footnotes


def _split_name_target(prefix: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    """Split the lines before the lead unit into name lines and target lines."""
    for i in range(1, len(prefix)):
        if _TARGET_START_RE.match(prefix[i].text):
            return prefix[:i], prefix[i:]
    if not prefix:
        return [], []
    last = prefix[-1]
    m = _TARGET_TAIL_RE.search(last.text)
    if m and m.start("t") > 0:
        name_part = last.text[: m.start("t")].strip()
        return prefix[:-1] + [_Line(last.no, name_part)], [_Line(last.no, m.group("t"))]
    return prefix, []


def _parse_pl1(lines: list[str], bounds: tuple[int, int, int], year: int, result: ParseResult) -> None:
    issues = result.issues
    tl = _table_lines(lines, bounds[1], bounds[2])
    blocks, footnotes = _pl1_blocks(tl, issues)
    counters: dict[str, int] = {}
    heading_no: dict[str, int] = {}
    heading_text: dict[str, str | None] = {}
    used_ids: set[str] = set()
    for b_index, block in enumerate(blocks):
        scope = block.subgroup_no or block.group_no
        if not block.lines:
            issues.append(ParseIssue(None, "Phụ lục I: chỉ tiêu trống", text=block.marker))
            continue
        # Lead unit: a unit name at the end of a line, or before the legal citation.
        lead_at = None
        for idx, ln in enumerate(block.lines):
            found = list(_LEAD_IN_LINE_RE.finditer(ln.text))
            if found:
                lead_at = (idx, found[-1])
                break
        next_marker = blocks[b_index + 1].marker if b_index + 1 < len(blocks) else None
        if block.marker == "-":
            counters[scope] = counters.get(scope, 0) + 1
            heading_text[scope] = None
            heading_no[scope] = counters[scope]
        if lead_at is None and block.marker == "-" and next_marker == "+":
            heading_text[scope] = _join([ln.text for ln in block.lines])
            counters[f"{scope}+{heading_no[scope]}"] = 0
            continue
        if block.marker == "+":
            key = f"{scope}+{heading_no.get(scope, 0)}"
            counters[key] = counters.get(key, 0) + 1
            local = f"{heading_no.get(scope, 0)}.{counters[key]}"
        else:
            local = str(counters[scope])
        indicator_id = f"PLI/{scope}/{local}"
        while indicator_id in used_ids:
            indicator_id += "'"
        used_ids.add(indicator_id)
        subgroup = block.subgroup
        if block.marker == "+" and heading_text.get(scope):
            subgroup = f"{subgroup} / {heading_text[scope]}" if subgroup else heading_text[scope]
        first_line = block.lines[0].no
        if lead_at is None:
            text = _join([ln.text for ln in block.lines])
            result.indicators.append(
                IndicatorTarget(indicator_id, year, text, first_line, group=block.group, subgroup=subgroup, parsed=False)
            )
            issues.append(
                ParseIssue(first_line, f"Phụ lục I {indicator_id}: không tìm thấy đơn vị chủ trì / chỉ tiêu", text=text)
            )
            continue
        idx, lm = lead_at
        lead_line = block.lines[idx]
        prefix = block.lines[:idx]
        before = lead_line.text[: lm.start("unit")].strip()
        if before:
            prefix = prefix + [_Line(lead_line.no, before)]
        after = lead_line.text[lm.end("unit"):].strip()
        legal_lines = ([_Line(lead_line.no, after)] if after else []) + block.lines[idx + 1 :]
        name_lines, target_lines = _split_name_target(prefix)
        name = _join([ln.text for ln in name_lines])
        legal, residue = _split_legal(_join([ln.text for ln in legal_lines]))
        if residue:
            residue_line = next((ln.no for ln in legal_lines if residue.split(" ")[0] in ln.text), lead_line.no)
            issues.append(
                ParseIssue(
                    residue_line,
                    f"Phụ lục I {indicator_id}: chữ trong cột Ghi chú không phải căn cứ; "
                    "nối vào tên chỉ tiêu (dòng bị ngắt trang)",
                    text=residue,
                )
            )
            name = f"{name} {residue}".strip()
        note = None
        fm = _FOOTNOTE_MARK_RE.search(name)
        if fm and fm.group("n") in footnotes:
            name = name[: fm.start()].rstrip()
            note = footnotes[fm.group("n")][1]
        target_text = _join([ln.text for ln in target_lines]) or None
        ind = IndicatorTarget(
            indicator_id=indicator_id,
            fiscal_year=year,
            name=name,
            source_line=name_lines[0].no if name_lines else first_line,
            group=block.group,
            subgroup=subgroup,
            target_text=target_text,
            lead_unit=lm.group("unit"),
            legal_basis=legal or None,
            note=note,
        )
        if not name:
            whole = _join([ln.text for ln in block.lines])
            issues.append(ParseIssue(first_line, f"Phụ lục I {indicator_id}: không có tên chỉ tiêu", text=whole))
        if target_text is None:
            ind.parsed = False
            issues.append(ParseIssue(first_line, f"Phụ lục I {indicator_id}: không tìm thấy chỉ tiêu năm", text=name))
        else:
            try:
                comp, value, unit, qual = parse_target(target_text)
            except TargetFormatError as exc:
                ind.parsed = False
                issues.append(ParseIssue(target_lines[0].no, f"Phụ lục I {indicator_id}: {exc}", text=target_text))
            else:
                ind.comparator, ind.target_value, ind.target_unit, ind.qualitative = comp, value, unit, qual
                pm = re.search(r"\((?P<p>[^()]*)\)?\s*$", target_text)
                if pm and not qual:
                    extra = pm.group("p").strip()
                    ind.note = f"{extra}; {ind.note}" if ind.note else extra
        result.indicators.append(ind)
    used_notes = {ind.note for ind in result.indicators if ind.note}
    for n, (line_no, text) in footnotes.items():
        if not any(text in u for u in used_notes):
            issues.append(ParseIssue(line_no, f"Phụ lục I: chú thích {n} không gắn được vào chỉ tiêu nào", text=text))


# --------------------------------------------------------------------------------------
# Phụ lục II / III: rows of tasks and projects
# --------------------------------------------------------------------------------------

_NAME, _UNIT, _RESULT, _TIMING, _NOTE, _BUDGET = range(6)


@dataclass
class _Piece:
    no: int
    text: str
    whole: bool = True  # the whole text line (not part of a merged line)


@dataclass
class _Row:
    number: str
    section_code: str
    section_title: str
    start_line: int
    segments: list[list[_Piece]] = field(default_factory=list)
    name: list[_Piece] = field(default_factory=list)
    units: list[list[_Piece]] = field(default_factory=list)
    result: list[_Piece] = field(default_factory=list)
    timing: list[_Piece] = field(default_factory=list)
    note: list[_Piece] = field(default_factory=list)
    budget: list[_Piece] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)


def _split_line(ln: _Line) -> list[_Piece]:
    """Split a text line holding the first lines of several cells
    ("Các báo cáo Thường xuyên", "giám sát thường xuyên 25 hàng tháng  1876/KH-UBND",
    "Phòng KĐC Các phòng Các nhiệm vụ được theo dõi, Định kỳ ngày Kế hoạch số")."""
    text = ln.text
    unit_cuts = [m.start() for m in _INLINE_UNIT_RE.finditer(text)]
    timing_cuts = [m.start() for m in _INLINE_TIMING_RE.finditer(text)]
    note_cuts = [m.start() for m in _INLINE_NOTE_RE.finditer(text)]
    cuts = sorted(set(unit_cuts + timing_cuts))
    if note_cuts:
        before = text[: note_cuts[0]].strip()
        if cuts or _is_unit_text(before, need_head=False) or _TIMING_RE.match(before):
            cuts = sorted(set(cuts + note_cuts[:1]))
    pieces: list[str] = []
    last = 0
    for c in cuts:
        if text[last:c].strip():
            pieces.append(text[last:c].strip())
        last = c
    pieces.append(text[last:].strip())
    out: list[_Piece] = []
    for p in pieces:
        up = _unit_prefix(p)
        if up:
            out.append(_Piece(ln.no, up[0], False))
            out.append(_Piece(ln.no, up[1], False))
        else:
            out.append(_Piece(ln.no, p, len(pieces) == 1))
    return [p for p in out if p.text]


def _rows(tl: list[_Line], has_budget: bool, prefix: str, issues: list[ParseIssue]) -> tuple[list[_Row], list[_Line]]:
    """Group the lines of Phụ lục II/III into rows (one list of pieces per page segment);
    also returns lines that look like printed totals."""
    rows: list[_Row] = []
    totals: list[_Line] = []
    section_code, section_title = "", ""
    title_open = False
    last_in_section = 0
    last_global = 0
    current: _Row | None = None
    skip_next = False
    for k, ln in enumerate(tl):
        text = ln.text
        nxt = tl[k + 1].text if k + 1 < len(tl) else None
        sm = _SECTION_RE.match(text)
        if sm and _valid_section(sm.group("code"), section_code):
            section_code = sm.group("code")
            section_title = _norm(sm.group("title") or "")
            title_open = True
            last_in_section = 0
            current = None
            continue
        tm = _TOTAL_RE.match(text) if has_budget else None
        if tm:
            if not tm.group("amount") and nxt is not None and _BUDGET_RE.fullmatch(nxt):
                skip_next = True
                ln = _Line(ln.no, f"{text} {nxt}")
            totals.append(ln)
            current = None
            continue
        if skip_next:
            skip_next = False
            continue
        no, rest = None, None
        bm = _ROW_BARE_RE.match(text)
        im = _ROW_INLINE_RE.match(text)
        if bm:
            no = int(bm.group("no"))
        elif im:
            no, rest = int(im.group("no")), im.group("rest")
        if no is not None and no in (last_in_section + 1, last_global + 1):
            is_row = True
            if has_budget and rest is None and current is not None and not _current_has_budget(current):
                # A bare number after the result: the budget, unless a name follows it.
                is_row = nxt is not None and not any(r.match(nxt) for r in (_ROW_BARE_RE, _SECTION_RE, _BUDGET_RE))
            if is_row:
                current = _Row(str(no), section_code, section_title, ln.no)
                current.segments.append([])
                rows.append(current)
                last_in_section, last_global = no, no
                title_open = False
                if rest:
                    current.segments[-1].extend(_split_line(_Line(ln.no, rest)))
                continue
        if title_open and current is None:
            section_title = _join([section_title, text])
            continue
        if current is None:
            issues.append(ParseIssue(ln.no, f"{prefix}: dòng không thuộc mục nào", text=text))
            continue
        if ln.after_break:
            current.segments.append([])
        current.segments[-1].extend(_split_line(ln))
    return rows, totals


def _current_has_budget(row: _Row) -> bool:
    """Whether a Phụ lục III row (still being read) already shows its amount."""
    seen_unit = False
    for seg in row.segments:
        for p in seg:
            if _is_unit_text(p.text, need_head=True):
                seen_unit = True
            elif seen_unit and (_BUDGET_RE.match(p.text) or _TRAILING_BUDGET_RE.match(p.text) and not p.whole):
                return True
    return False


def _valid_section(code: str, current: str) -> bool:
    """A Roman section code that may follow ``current`` ("I" → "II", "III" → "III.1" …)."""
    main, _, sub = code.partition(".")
    cur_main, _, cur_sub = current.partition(".")
    if main not in _ROMAN:
        return False
    if not current:
        return main == "I" and not sub
    ci = _ROMAN.index(cur_main)
    mi = _ROMAN.index(main)
    if sub:
        return (mi == ci and (int(sub) == (int(cur_sub) + 1 if cur_sub else 1))) or (mi == ci + 1 and sub == "1")
    return mi == ci + 1


def _unit_cells(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Group unit pieces into cells: lead (Chủ trì) first, then partners (Phối hợp)."""
    cells: list[list[_Piece]] = []
    for p in pieces:
        if not cells:
            cells.append([p])
            continue
        acc = _join([q.text for q in cells[-1]])
        if p.text.startswith("Các "):
            cells.append([p])
        elif _UNIT_OPEN_END_RE.search(acc):
            cells[-1].append(p)
        elif _UNIT_HEAD_RE.match(p.text):
            cells.append([p])
        else:
            cells[-1].append(p)
    return cells


def _assign_first(row: _Row, has_timing: bool, has_budget: bool) -> None:
    """Columns of the first page segment of a row: name → units → result → timing → note
    (or budget), read in order."""
    state = _NAME
    units: list[_Piece] = []
    for p in row.segments[0]:
        t = p.text
        if state >= _UNIT and state != _BUDGET and has_timing and _NOTE_START_RE.match(t):
            state = _NOTE
        if state == _NOTE:
            row.note.append(p)
            continue
        if has_budget and state in (_UNIT, _RESULT) and _BUDGET_RE.match(t):
            state = _BUDGET
        if state == _BUDGET:
            row.budget.append(p)
            continue
        if has_timing and _UNIT <= state < _TIMING and _TIMING_RE.match(t):
            state = _TIMING
            row.timing.append(p)
            continue
        if state == _TIMING:
            row.timing.append(p)
            continue
        if state == _NAME and _is_unit_text(t, need_head=True):
            state = _UNIT
        if state == _UNIT and _is_unit_text(t, need_head=False):
            units.append(p)
            continue
        if state == _NAME:
            row.name.append(p)
        else:
            state = _RESULT
            row.result.append(p)
    row.units = _unit_cells(units)


def _take_trailing_budget(row: _Row) -> None:
    """An amount glued to the end of the last result line ("… trực tuyến tỉnh 23")."""
    if row.budget or not row.result:
        return
    m = _TRAILING_BUDGET_RE.match(row.result[-1].text)
    if m:
        last = row.result.pop()
        row.result.append(_Piece(last.no, m.group("text").strip(), False))
        row.budget.append(_Piece(last.no, m.group("amount"), False))


@dataclass
class _Widths:
    name: int
    result: int


def _measure(rows: list[_Row]) -> _Widths:
    """Widest whole line of the name and result columns (first page segments only)."""
    name = max((len(p.text) for r in rows for p in r.name if p.whole), default=45)
    res = max((len(p.text) for r in rows for p in r.result if p.whole), default=30)
    return _Widths(name, res)


def _openness(cell: list[_Piece], word: str, width: int) -> float:
    """How far the last line of ``cell`` plus ``word`` overflows the column: > 0 means the
    word could not fit, so the cell was wrapped and may continue."""
    if not cell:
        return float("-inf")
    return len(cell[-1].text) + 1 + len(word) - width


def _assign_continuation(row: _Row, seg: list[_Piece], widths: _Widths, has_timing: bool, has_budget: bool) -> None:
    """Columns of a later page segment: the continuation of each cell, in column order."""
    state = _NAME
    for i, p in enumerate(seg):
        t = p.text
        if has_timing and (_NOTE_START_RE.match(t) or (row.note and _NOTE_CONT_RE.match(t))):
            state = _NOTE
        if state == _NOTE:
            row.note.append(p)
            continue
        if has_timing and (_TIMING_CONT_RE.match(t) or (row.timing and _TIMING_RE.match(t))):
            state = _TIMING
            row.timing.append(p)
            continue
        budget_text = _join([q.text for q in row.budget])
        if has_budget and (
            (not row.budget and _BUDGET_RE.match(t)) or ("(" in budget_text and ")" not in budget_text)
        ):
            row.budget.append(p)
            continue
        if state <= _UNIT and row.units and _is_unit_text(t, need_head=False):
            target = next((c for c in row.units if _UNIT_OPEN_END_RE.search(_join([q.text for q in c]))), row.units[-1])
            target.append(p)
            state = _UNIT
            continue
        if state == _NAME:
            unit_later = any(_is_unit_text(q.text, need_head=False) for q in seg[i + 1 :]) and bool(row.units)
            if unit_later or _goes_to_name(row, t, widths):
                row.name.append(p)
                continue
        state = _RESULT
        row.result.append(p)


def _goes_to_name(row: _Row, text: str, widths: _Widths) -> bool:
    """For a text line after a page break with no unit cell around it: does it continue the
    name rather than the result?"""
    if not row.result:
        return True
    if re.match(r"^[-+•]\s", text):
        bullets_in_result = any(re.match(r"^[-+•]\s", q.text) for q in row.result)
        bullets_in_name = any(re.match(r"^[-+•]\s", q.text) for q in row.name)
        if bullets_in_result and not bullets_in_name:
            return False
    if len(text) > widths.result:
        return True
    word = text.split(" ", 1)[0]
    return _openness(row.name, word, widths.name) > _openness(row.result, word, widths.result)


# --------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------


@dataclass
class _Timing:
    deadline: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    recurring: str | None = None


def _parse_timing(text: str, year: int) -> _Timing:
    """Read a "Thời gian hoàn thành" cell (GLOSSARY "Time").

    "30/6/2026" → deadline; "Thường xuyên", "Định kỳ ngày 25 hàng tháng" → recurring (as
    printed); "2026-2030" → 1/1/2026–31/12/2030; "Quý II/2026", "Quý I,II" → first day of
    the first quarter to last day of the last; "Tháng 5", "Tháng 6-11" → those months;
    "Năm 2026" → the year; "trước 30/1" → deadline (year = ``year`` when not printed).
    Raises ``ValueError`` for anything else.
    """
    s = _norm(text).rstrip(".;,")
    if re.fullmatch(r"Thường xuyên|Liên tục", s, re.I) or re.match(r"^(?:Định kỳ|Hằng|Hàng)\b", s, re.I):
        return _Timing(recurring=s)
    m = re.fullmatch(r"(?:[Tt]rước\s+(?:ngày\s+)?|[Hh]ạn\s+)?(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}))?", s)
    if m:
        y = m.group("y") or str(year)
        return _Timing(deadline=datetime.strptime(f"{m.group('d')}/{m.group('m')}/{y}", "%d/%m/%Y").date())
    m = re.fullmatch(r"(?:Giai đoạn\s+)?(?P<a>(?:19|20)\d{2})\s*[-–]\s*(?P<b>(?:19|20)\d{2})", s, re.I)
    if m:
        return _Timing(period_start=date(int(m.group("a")), 1, 1), period_end=date(int(m.group("b")), 12, 31))
    m = re.fullmatch(r"(?:Năm\s+)?(?P<y>20\d{2})", s, re.I)
    if m:
        return _Timing(period_start=date(int(m.group("y")), 1, 1), period_end=date(int(m.group("y")), 12, 31))
    m = re.fullmatch(r"(?P<q>(?:Qu[ýíy]|Qúy)\s+[IV][IV,;\s\-–]*?)\s*(?:[/,]\s*|\s+năm\s+)?(?P<y>20\d{2})?", s, re.I)
    if m:
        try:
            period = parse_period(m.group("q").strip())
        except PeriodFormatError as exc:
            raise ValueError(str(exc)) from exc
        y = int(m.group("y") or year)
        start = date(y, 1, 1) + relativedelta(months=3 * (period.quarters[0] - 1))
        end = date(y, 1, 1) + relativedelta(months=3 * period.quarters[-1], days=-1)
        return _Timing(period_start=start, period_end=end)
    m = re.fullmatch(r"Tháng\s+(?P<a>\d{1,2})(?:\s*[-–]\s*(?P<b>\d{1,2}))?(?:\s*(?:/|năm)\s*(?P<y>20\d{2}))?", s, re.I)
    if m:
        y = int(m.group("y") or year)
        a, b = int(m.group("a")), int(m.group("b") or m.group("a"))
        return _Timing(period_start=date(y, a, 1), period_end=date(y, b, 1) + relativedelta(months=1, days=-1))
    raise ValueError(f"không đọc được thời gian hoàn thành: {text!r}")


# --------------------------------------------------------------------------------------
# Phụ lục II / III → records
# --------------------------------------------------------------------------------------


def _read_rows(
    lines: list[str],
    bounds: tuple[int, int, int],
    prefix: str,
    has_timing: bool,
    has_budget: bool,
    issues: list[ParseIssue],
) -> tuple[list[_Row], list[_Line]]:
    """Rows of Phụ lục II (``has_timing``: timing and note columns) or III (``has_budget``:
    amount column), with every piece of text placed in its cell; and printed-total lines."""
    tl = _table_lines(lines, bounds[1], bounds[2])
    rows, totals = _rows(tl, has_budget, prefix, issues)
    for row in rows:
        if not row.segments[0] and len(row.segments) > 1:
            row.segments.pop(0)  # the row number was the last line of a page
        _assign_first(row, has_timing, has_budget)
    widths = _measure(rows)
    for row in rows:
        for seg in row.segments[1:]:
            _assign_continuation(row, seg, widths, has_timing, has_budget)
        if has_budget:
            _take_trailing_budget(row)
    return rows, totals


def _lead_partners(row: _Row, label: str) -> tuple[str | None, str | None]:
    cells = [_join([p.text for p in c]) for c in row.units]
    if not cells:
        row.issues.append(ParseIssue(row.start_line, f"{label}: không thấy đơn vị chủ trì"))
        return None, None
    if len(cells) == 1 and cells[0].startswith("Các "):
        row.issues.append(
            ParseIssue(
                row.start_line,
                f"{label}: chỉ có một ô đơn vị, coi là đơn vị chủ trì (cột Phối hợp để trống)",
                text=cells[0],
            )
        )
    if len(cells) > 2:
        row.issues.append(
            ParseIssue(row.start_line, f"{label}: {len(cells)} ô đơn vị, gộp các ô sau vào Phối hợp", text=" | ".join(cells))
        )
    return cells[0], ", ".join(cells[1:]) or None


def _section_label(row: _Row) -> str:
    return f"{row.section_code} {row.section_title}".strip()


def _unique(task_id: str, used: set[str]) -> str:
    while task_id in used:
        task_id += "'"
    used.add(task_id)
    return task_id


def _task_of_row(row: _Row, task_id: str, year: int, kind: str, label: str) -> Task:
    """The fields every Phụ lục II/III row gives: name, lead unit, partners, result."""
    lead, partners = _lead_partners(row, label)
    return Task(
        task_id=task_id,
        fiscal_year=year,
        name=_join([p.text for p in row.name]),
        source_line=row.name[0].no if row.name else row.start_line,
        kind=kind,
        section=_section_label(row),
        lead_unit=lead,
        partners=partners,
        expected_result=_join([p.text for p in row.result]) or None,
    )


def _parse_pl2(lines: list[str], bounds: tuple[int, int, int], year: int, result: ParseResult) -> None:
    rows, _ = _read_rows(lines, bounds, "Phụ lục II", True, False, result.issues)
    used: set[str] = set()
    for row in rows:
        task_id = _unique(f"PLII/{row.section_code}/{row.number}" if row.section_code else f"PLII/{row.number}", used)
        label = f"Phụ lục II {task_id}"
        task = _task_of_row(row, task_id, year, "task", label)
        name = task.name
        timing_text = _join([p.text for p in row.timing]) or None
        task.timing_text = timing_text
        task.note = _join([p.text for p in row.note]) or None
        if not name:
            row.issues.append(ParseIssue(row.start_line, f"{label}: không có tên nhiệm vụ"))
        if task.expected_result is None:
            row.issues.append(ParseIssue(row.start_line, f"{label}: ô Kết quả trống", text=name))
        if timing_text is None:
            row.issues.append(ParseIssue(row.start_line, f"{label}: không thấy thời gian hoàn thành", text=name))
        else:
            try:
                t = _parse_timing(timing_text, year)
            except ValueError as exc:
                row.issues.append(ParseIssue(row.timing[0].no, f"{label}: {exc}", text=timing_text))
            else:
                task.deadline, task.recurring = t.deadline, t.recurring
                task.period_start, task.period_end = t.period_start, t.period_end
        result.tasks.append(task)
        result.issues.extend(row.issues)


def _parse_pl3(lines: list[str], bounds: tuple[int, int, int], year: int, result: ParseResult) -> None:
    header = " ".join(lines[bounds[1] : min(bounds[2], bounds[1] + 20)])
    um = re.search(r"\((?P<u>tỷ đồng|triệu đồng|nghìn đồng|đồng)\)", header)
    unit = um.group("u") if um else "tỷ đồng"
    factor = unit_factor(unit)
    rows, totals = _read_rows(lines, bounds, "Phụ lục III", False, True, result.issues)
    used: set[str] = set()
    lines_made: list[BudgetLine] = []
    for row in rows:
        task_id = _unique(f"PLIII/{row.number}", used)
        label = f"Phụ lục III {task_id}"
        task = _task_of_row(row, task_id, year, "project", label)
        name, lead = task.name, task.lead_unit
        budget_text = _join([p.text for p in row.budget]) or None
        task.budget_text = budget_text
        # Multi-year totals: the parenthesis of the amount cell, or one in the name.
        notes = []
        bm = _BUDGET_RE.match(budget_text or "")
        if bm and bm.group("note"):
            notes.append(_norm(bm.group("note").rstrip(")")))
        notes += [_norm(p) for p in re.findall(r"\(([^()]*)\)", name) if _MULTI_YEAR_RE.search(p)]
        task.budget_note = "; ".join(notes) or None
        funding_note = None
        sm = _SOURCE_TEXT_RE.search(name) or _SOURCE_TEXT_RE.search(budget_text or "")
        if sm:
            funding_note = _norm(sm.group("src")).rstrip(").")
        if budget_text is None:
            row.issues.append(ParseIssue(row.start_line, f"{label}: không thấy dự kiến kinh phí", text=name))
        else:
            bm = _BUDGET_RE.match(budget_text)
            try:
                if not bm:
                    raise NumberFormatError(f"không đọc được kinh phí: {budget_text!r}")
                amount = parse_vn_number(bm.group("amount")) * factor
                if amount != amount.to_integral_value():
                    raise NumberFormatError(f"{budget_text!r} {unit} không tròn đồng")
                task.budget_vnd = int(amount)
            except NumberFormatError as exc:
                row.issues.append(ParseIssue(row.budget[0].no, f"{label}: {exc}", text=budget_text))
            else:
                period = parse_period(f"Năm {year}")
                bl = BudgetLine(
                    line_id=task_id,
                    fiscal_year=year,
                    phase="proposed",
                    phase_vn="đề xuất",
                    direction="expenditure",
                    funding_source=classify_source(funding_note) or "UNSPECIFIED",
                    source_line=row.budget[0].no,
                    amount_vnd=task.budget_vnd,
                    description=name,
                    description_line=task.source_line,
                    funding_note=funding_note,
                    unit=lead,
                    appendix="Phụ lục III",
                    section=row.section_code or None,
                    code=row.number,
                    period=period.label,
                    quarters=period.quarters,
                    amount_text=bm.group("amount"),
                    amount_unit=unit,
                    note=task.budget_note,
                    task_id=task_id,
                )
                lines_made.append(bl)
        if not name:
            row.issues.append(ParseIssue(row.start_line, f"{label}: không có tên dự án"))
        result.tasks.append(task)
        result.issues.extend(row.issues)
    result.budget_lines.extend(lines_made)
    for ln in totals:
        m = _TOTAL_RE.match(ln.text)
        try:
            if not m or not m.group("amount"):
                raise NumberFormatError("không có số tiền")
            printed = to_vnd(m.group("amount"), unit)
        except NumberFormatError as exc:
            result.issues.append(ParseIssue(ln.no, f"Phụ lục III: dòng tổng không đọc được ({exc})", text=ln.text))
            continue
        result.totals.append(
            PrintedTotal(
                scope="Phụ lục III",
                label=m.group("label"),
                kind="printed_total",
                fiscal_year=year,
                phase_vn="đề xuất",
                printed_amount_vnd=printed,
                source_line=ln.no,
                covers=[bl.line_id for bl in lines_made],
            )
        )


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def detect(lines: list[str]) -> bool:
    """True for the plan layout of ``003_912c6259a13f4ad4.txt``: a "Phụ lục I" whose title is
    "DANH MỤC CÁC CHỈ TIÊU …" with an "STT Mục tiêu" table, and a "Phụ lục II" "DANH MỤC
    CÁC NHIỆM VỤ …" (Phụ lục III, the projects, is optional). Never raises."""
    bounds = _appendix_bounds(lines)
    if "I" not in bounds or "II" not in bounds:
        return False
    start, _, end = bounds["I"]
    return any(_HEADER_RE.match(ln) and "Mục tiêu" in ln for ln in lines[start:end])


def _read_meta(lines: list[str], meta: DocumentMeta, first_appendix: int, issues: list[ParseIssue]) -> int | None:
    """Fill the metadata the text prints (only fields still empty); returns the plan year."""
    head = lines[:first_appendix]
    year = None
    for idx, raw in enumerate(head[:40]):
        m = _PROVINCE_RE.match(raw)
        if m and meta.province is None:
            meta.province = m.group("p").title()
        m = re.match(r"^\s*Số\s*:\s*(?P<n>\S*\s*/\s*\S+|\S+)", raw)
        if m:
            number = re.sub(r"\s+", "", m.group("n"))
            if number.startswith("/"):
                issues.append(ParseIssue(idx + 1, "Số văn bản để trống (bản chưa ký số)", text=_norm(raw)))
            elif not meta.number:
                meta.number = number
            dm = _DATE_TEXT_RE.search(raw)
            if dm:
                text = _norm(raw[raw.index("ngày", dm.start()) :])
                if dm.group("d") and dm.group("m"):
                    if meta.issued_date is None:
                        try:
                            meta.issued_date = date(int(dm.group("y")), int(dm.group("m")), int(dm.group("d")))
                        except ValueError:
                            issues.append(ParseIssue(idx + 1, "ngày ban hành không hợp lệ", text=text))
                elif not meta.issued_text and not meta.issued_date:
                    meta.issued_text = re.sub(r"^ngày\s+(?=tháng)", "", text)
        if _norm(raw).upper() == "KẾ HOẠCH":
            parts = []
            for nxt in head[idx + 1 : idx + 12]:
                s = _norm(nxt)
                if not s:
                    continue
                if s.startswith("Thực hiện") or s.startswith("Căn cứ") or len(parts) >= 4:
                    break
                parts.append(s)
            title = f"Kế hoạch {_join(parts)}".strip()
            ym = _TITLE_YEAR_RE.search(title)
            if ym:
                year = int(ym.group("y"))
            if not meta.title:
                meta.title = title
    if meta.issuer is None:
        for raw in head[:10]:
            if re.match(r"^\s*SỞ KHOA HỌC VÀ CÔNG NGHỆ\s*$", raw):
                meta.issuer = "Sở Khoa học và Công nghệ" + (f" tỉnh {meta.province}" if meta.province else "")
    return year


def parse(lines: list[str], meta: DocumentMeta) -> ParseResult:
    """Read the three appendices of the 2026 S&T plan of Điện Biên (``003_912c6259a13f4ad4.txt``).

    ``lines``: the document's text lines (``read_text().splitlines()``); every record's
    ``source_line`` is 1-based. Returns a :class:`ParseResult` with

    * ``indicators``: one :class:`IndicatorTarget` per indicator of Phụ lục I (targets in
      their printed unit: "%", "điểm", a count …; see :func:`parse_target`); a target that
      cannot be read is kept with ``parsed=False`` and a :class:`ParseIssue`;
    * ``tasks``: Phụ lục II focus tasks (kind "task": lead unit, partners, expected result,
      timing as printed and as ``deadline`` / ``period_start``–``period_end`` /
      ``recurring``), then Phụ lục III key projects (kind "project", ``budget_vnd`` in đồng
      from the "tỷ đồng" column; a multi-year total printed beside it goes to ``budget_note``);
    * ``budget_lines``: one proposed expenditure (phase "proposed", "đề xuất") per project
      amount, in integer đồng, ``line_id`` "PLIII/<n>", linked by ``task_id``;
    * ``totals``: a :class:`PrintedTotal` when Phụ lục III prints a total (this document
      prints none);
    * ``issues``: warnings for everything the reader could not place or had to repair.

    ``meta`` is completed in place (number, issued date/text, title, issuer, province, kind,
    layout, fiscal year) without overwriting fields already set, and returned as
    ``result.meta``. Raises ``ValueError`` when the text is not this layout
    (:func:`detect` is False).
    """
    if not detect(lines):
        raise ValueError("không phải bố cục kế hoạch có Phụ lục I (chỉ tiêu) và Phụ lục II (nhiệm vụ)")
    bounds = _appendix_bounds(lines)
    result = ParseResult(meta=meta)
    year = _read_meta(lines, meta, bounds["I"][0], result.issues)
    if year is None:
        year = meta.fiscal_years[0] if meta.fiscal_years else None
    if year is None:
        raise ValueError("không xác định được năm kế hoạch (tiêu đề không có 'năm YYYY')")
    meta.fiscal_years = sorted(set(meta.fiscal_years) | {year})
    meta.layout = meta.layout or LAYOUT
    meta.kind = meta.kind or "plan"
    _parse_pl1(lines, bounds["I"], year, result)
    _parse_pl2(lines, bounds["II"], year, result)
    if "III" in bounds:
        _parse_pl3(lines, bounds["III"], year, result)
    else:
        result.issues.append(ParseIssue(None, "không có Phụ lục III (dự án trọng tâm)"))
    return result
