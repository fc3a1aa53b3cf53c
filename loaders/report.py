"""Quarterly activity report: Sơn La, "Kết quả hoạt động khoa học và công nghệ Quý I/2024
và nhiệm vụ trọng tâm công tác Quý II/2024".

Layout (``data/raw/002_f08a4011d44ed5e3.txt``, see ``../shared/GLOSSARY.md``): prose
extracted from PDF, hard-wrapped, one blank line between printed lines.

* ``I. KẾT QUẢ CỤ THỂ TRÊN TỪNG LĨNH VỰC``: numbered fields ("5. Công tác Quản lý tiêu chuẩn
  đo lường chất lượng", "7.1. …") with "- " bullets holding the counts of the quarter
  ("Thử nghiệm 222 mẫu (143 mẫu dây điện, 08 mẫu vật liệu xây dựng, 71 mẫu nước), kiểm
  định 5.759 phương tiện đo (3.544 PTĐ dung tích, …)");
* ``II. ĐÁNH GIÁ CHUNG``: numbered highlights, partly repeating section I;
* ``III. NHIỆM VỤ TRỌNG TÂM CÔNG TÁC QUÝ II NĂM 2024``: the same fields with the bullets of
  the next quarter's focus tasks.

Counts are read with the phrase table :data:`REPORT_MEASURES` (one regular expression per
measure, on the bullet with its wrapped lines joined); a number in sections I–II that no
phrase reads is reported as an issue, so nothing is dropped silently. The helpers
(:class:`Paragraph`, :class:`Measure`, :func:`find_measures`, :func:`check_breakdowns`)
are shared with :mod:`loaders.narrative`.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
import dataclasses
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from loaders.model import DocumentMeta, IndicatorActual, ParseIssue, ParseResult, Task
from loaders.numbers import NumberFormatError, parse_vn_number
from loaders.periods import ROMAN_QUARTERS

LAYOUT = "report"
ID_PREFIX = "SL"
PROVINCE = "Sơn La"

# A breakdown part whose note starts with this is an "of which" subset ("trong đó: 13 văn
# bản về cải cách hành chính" of 67): it need not add up with its siblings, only stay
# within the whole. Every other part must add up with its siblings to the whole.
PARTIAL_NOTE = "trong đó"

_TITLE_RE = re.compile(
    r"Kết quả hoạt động khoa học và công nghệ\s+Qu[ýy]\s+(?P<q>IV|III|II|I)\s*/\s*(?P<y>\d{4})", re.I
)
_NEXT_RE = re.compile(r"nhiệm vụ trọng tâm công tác\s+Qu[ýy]\s+(?P<q>IV|III|II|I)\s*/\s*(?P<y>\d{4})", re.I)
_ROMAN_HEAD_RE = re.compile(r"^(?P<r>I|II|III|IV|V|VI)\.\s+(?P<title>.+)$")
_NUM_HEAD_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\.\s+(?P<title>\S.*)$")
_BULLET_RE = re.compile(r"^[-+•]\s*")
_END_RE = re.compile(r"^Trên đây là\b")
NUMBER = r"(?:\d{1,3}(?:\.\d{3})+|\d+)"


# ----------------------------------------------------------------------------- paragraphs


@dataclass
class Paragraph:
    """A bullet or paragraph with its wrapped lines joined by single spaces.

    ``starts`` holds ``(offset, line_number)`` of every joined line, so any offset in
    ``text`` maps back to the 1-based line where it was printed (:meth:`line_at`).
    ``heading`` is the numbered heading above it; ``section`` the Roman-numeral part.
    """

    text: str
    starts: list[tuple[int, int]]
    heading: str | None = None
    section: str | None = None
    kind: str = "item"  # "item" | "heading"

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

    def sentence_at(self, offset: int) -> str:
        """The sentence of ``text`` that holds ``offset``: it ends at ". " followed by a
        capital letter or "- "/"+ " (not after a short abbreviation such as "TP.")."""
        bounds = [0]
        for m in re.finditer(r"[.!?]\s+(?=[-+]?\s*[A-ZĐÀ-Ỹ0-9])", self.text):
            word = self.text[: m.start()].rsplit(" ", 1)[-1]
            if len(word) <= 3 and word.isupper():
                continue  # "TP. Điện Biên Phủ"
            bounds.append(m.end())
        bounds.append(len(self.text) + 1)
        for a, b in zip(bounds, bounds[1:]):
            if a <= offset < b:
                return self.text[a:b].strip()
        return self.text.strip()


def _clean(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").split())


def build_paragraphs(lines: list[str], lo: int = 0, hi: int | None = None) -> list[Paragraph]:
    """Join the hard-wrapped lines ``lines[lo:hi]`` into paragraphs.

    A new paragraph starts at a Roman-numeral heading, a numbered line, a "-"/"+" bullet,
    or a capitalised line after a line ending in ".", ";" or ":". A numbered line is a
    heading (kept as its own paragraph, ``kind="heading"``) when the next printed line
    does not continue it (starts with a bullet, a capital or another number). Stops at
    "Trên đây là …" (the closing of a report).
    """
    hi = len(lines) if hi is None else hi
    printed = [(i + 1, _clean(lines[i])) for i in range(lo, hi) if lines[i].strip()]
    paragraphs: list[Paragraph] = []
    section: str | None = None
    heading: str | None = None
    current: Paragraph | None = None
    for k, (lineno, s) in enumerate(printed):
        if _END_RE.match(s):
            break
        nxt = printed[k + 1][1] if k + 1 < len(printed) else ""
        rm = _ROMAN_HEAD_RE.match(s)
        if rm and (s.upper() == s or len(s) < 80):
            section = rm.group("title").strip()
            heading = None
            current = None
            paragraphs.append(Paragraph(s, [(0, lineno)], None, section, kind="heading"))
            continue
        nm = _NUM_HEAD_RE.match(s)
        if nm:
            continues = bool(nxt) and not (
                _BULLET_RE.match(nxt) or _NUM_HEAD_RE.match(nxt) or _ROMAN_HEAD_RE.match(nxt) or nxt[0].isupper()
            )
            if s.endswith("-"):
                continues = True
            if not continues:
                title = nm.group("title").strip()
                parent = heading.split(" › ")[0] if heading and "." in nm.group("num") else None
                heading = f"{parent} › {title}" if parent else title
                current = None
                paragraphs.append(Paragraph(s, [(0, lineno)], heading, section, kind="heading"))
                continue
            current = Paragraph(s, [(0, lineno)], heading, section)
            paragraphs.append(current)
            continue
        new = (
            current is None
            or bool(_BULLET_RE.match(s))
            or (s[0].isupper() and current.text.rstrip().endswith((".", ";", ":")))
        )
        if new:
            text = _BULLET_RE.sub("", s)
            current = Paragraph(text, [(0, lineno)], heading, section)
            paragraphs.append(current)
        else:
            joined = current.text + " "
            current.starts.append((len(joined), lineno))
            current.text = joined + s
    return paragraphs


# ----------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    """One counted result and the phrase that prints it.

    ``pattern``: regular expression (case-insensitive) with a group ``n`` for the number
    (omit it and give ``value`` for a count printed in words, e.g. "không nhận được đơn
    thư" = 0). ``name``, ``field`` and ``note`` are format strings over the named groups
    of the match (e.g. ``{what}``); with groups ``n`` and ``of`` ("43/43") ``{pct}`` is
    n/of in per cent ("100%"). ``parts``: a regular expression applied to the group
    ``parts`` of ``pattern``, with groups ``n`` and ``what``; each match becomes a part
    named ``part_name.format(what=…)`` with the whole's unit. ``parent``: key of an earlier
    measure (same paragraph or an earlier one) that this one is a part of; ``partial``
    marks an "of which" subset. ``skip``: the phrase is read but yields no record (a
    figure repeated, or one that is not a result), so it is not reported as unread.
    """

    key: str
    pattern: str
    name: str
    unit: str
    field: str | None = None
    parent: str | None = None
    partial: bool = False
    value: float | None = None
    note: str | None = None
    parts: str | None = None
    part_name: str | None = None
    part_note: str | None = None
    skip: bool = False


@dataclass
class Hit:
    """A measure found in a paragraph: value, name, unit, offset of the figure."""

    measure: Measure
    paragraph: Paragraph
    offset: int
    end: int
    value: float
    name: str
    unit: str
    note: str | None
    field: str | None = None
    parent: Hit | None = None
    partial: bool = False
    consumed: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    order: tuple[int, int] = (0, 0)

    @property
    def line(self) -> int:
        return self.paragraph.line_at(self.offset)

    @property
    def sentence(self) -> str:
        return self.paragraph.sentence_at(self.offset)


def _number(text: str) -> float:
    value = parse_vn_number(text)
    return int(value) if value == value.to_integral_value() else float(value)


def _vn_decimal(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def vn_number(x: float) -> str:
    """A value printed the Vietnamese way: 5759 → "5.759", 47.8 → "47,8"."""
    if float(x) == int(x):
        return f"{int(x):,}".replace(",", ".")
    whole, _, frac = f"{float(x):.6f}".rstrip("0").partition(".")
    return f"{int(whole):,}".replace(",", ".") + ("," + frac if frac else "")


def _fmt(template: str | None, groups: dict[str, str]) -> str | None:
    if template is None:
        return None
    try:
        return template.format(**groups)
    except (KeyError, IndexError):
        return template


def find_measures(
    paragraphs: list[Paragraph], measures: tuple[Measure, ...] | list[Measure]
) -> tuple[list[Hit], list[ParseIssue]]:
    """Apply a phrase table to paragraphs (only ``kind == "item"``).

    Returns the hits in document order (a part follows its whole; ``skip`` phrases are
    left out) and issues for numbers that could not be read or parts whose whole was not
    found. A part is linked to the nearest earlier hit of its ``parent`` key. Never raises
    on content.
    """
    hits: list[Hit] = []
    issues: list[ParseIssue] = []
    by_key: dict[str, list[Hit]] = defaultdict(list)
    for p_index, para in enumerate(paragraphs):
        if para.kind != "item":
            continue
        para_hits: list[Hit] = []
        for meas in measures:
            for m in re.finditer(meas.pattern, para.text, re.I):
                groups = {k: " ".join(v.split()).strip(" ,;") for k, v in m.groupdict().items() if v is not None}
                try:
                    value = meas.value if "n" not in groups else _number(groups["n"])
                    if "n" in groups and "of" in groups:
                        groups["pct"] = _vn_decimal(round(100 * float(value) / _number(groups["of"]), 1)) + "%"
                except (NumberFormatError, ZeroDivisionError) as exc:
                    issues.append(ParseIssue(para.line_at(m.start()), f"{meas.name}: {exc}", text=m.group(0)))
                    continue
                if value is None and not meas.skip:
                    continue
                has_n = m.groupdict().get("n") is not None
                off = m.start("n") if has_n else m.start()
                end = m.end("n") if has_n else m.end()
                hit = Hit(
                    meas,
                    para,
                    off,
                    end,
                    value if value is not None else 0,
                    _fmt(meas.name, groups) or meas.name,
                    meas.unit,
                    _fmt(meas.note, groups),
                    field=_fmt(meas.field, groups),
                    partial=meas.partial,
                    order=(p_index, off),
                )
                hit.consumed.append((m.start(), m.end()) if meas.skip else (off, end))
                if m.groupdict().get("of") is not None:
                    hit.consumed.append((m.start("of"), m.end("of")))
                para_hits.append(hit)
                if meas.parts and m.groupdict().get("parts"):
                    base = m.start("parts")
                    found = False
                    for pm in re.finditer(meas.parts, m.group("parts"), re.I):
                        found = True
                        what = " ".join(pm.group("what").split()).strip(" ,;")
                        part = Hit(
                            meas,
                            para,
                            base + pm.start("n"),
                            base + pm.end("n"),
                            _number(pm.group("n")),
                            (meas.part_name or meas.name + " – {what}").format(what=what),
                            meas.unit,
                            meas.part_note,
                            field=_fmt(meas.field, groups),
                            parent=hit,
                            order=(p_index, base + pm.start("n")),
                        )
                        part.consumed.append((part.offset, part.end))
                        para_hits.append(part)
                    if not found:
                        issues.append(
                            ParseIssue(para.line_at(base), f"{meas.name}: không đọc được các phần", text=m.group("parts"))
                        )
        para_hits.sort(key=lambda h: h.order)
        for hit in para_hits:
            if hit.parent is None and hit.measure.parent and not hit.measure.skip:
                wholes = [w for w in by_key.get(hit.measure.parent, []) if w.order < hit.order]
                if wholes:
                    hit.parent = wholes[-1]
                else:
                    issues.append(
                        ParseIssue(hit.line, f"{hit.name}: không tìm thấy tổng ({hit.measure.parent})", text=hit.sentence)
                    )
            if hit.parent is None or hit.measure.parent:
                by_key[hit.measure.key].append(hit)
        hits.extend(para_hits)
    return hits, issues


def emitted(hits: list[Hit]) -> list[Hit]:
    """The hits that become records (``skip`` phrases removed)."""
    return [h for h in hits if not h.measure.skip]


_LEFTOVER_RE = re.compile(r"(?<![\w/.,:-])(?P<n>\d{1,3}(?:\.\d{3})+|\d+)(?![\w/]|[.,]\d)\s+(?P<w>[^\W\d_][\w&]*)")
_NOT_COUNT_BEFORE = re.compile(
    r"(?:số|số:|năm|ngày|tháng|khóa|khoá|nhóm|Trung ương|Thông tư|Nghị định|Quyết định|Kế hoạch|Chương trình|"
    r"giai đoạn|mức độ|ISO|TCVN|Điều|khoản)\s*$",
    re.I,
)
_NOT_COUNT_WORD = {"năm", "tháng", "ngày", "giờ", "và", "đến"}


def unread_numbers(paragraphs: list[Paragraph], hits: list[Hit], sections: tuple[str, ...] | None = None) -> list[ParseIssue]:
    """Issues for numbers followed by a word (a likely count) that no measure read, in the
    item paragraphs (of the given ``sections``). Dates, years, document numbers ("số 84/…")
    and durations ("10 năm") are skipped."""
    used: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for h in hits:
        used[id(h.paragraph)].extend(h.consumed)
    issues = []
    for para in paragraphs:
        if para.kind != "item" or (sections is not None and not any(s in (para.section or "") for s in sections)):
            continue
        for m in _LEFTOVER_RE.finditer(para.text):
            a = m.start("n")
            if any(x <= a < y for x, y in used[id(para)]):
                continue
            if m.group("w").lower() in _NOT_COUNT_WORD:
                continue
            if re.fullmatch(r"(?:19|20)\d{2}", m.group("n")):
                continue  # a year ("dự toán 2024 theo …")
            if _NOT_COUNT_BEFORE.search(para.text[max(0, a - 20):a]):
                continue
            issues.append(
                ParseIssue(
                    para.line_at(a),
                    f"số {m.group('n')} ({m.group('w')} …) chưa được đọc thành chỉ số",
                    text=para.sentence_at(a),
                )
            )
    return issues


def hits_to_actuals(
    hits: list[Hit],
    id_prefix: str,
    period: str,
    period_start: date | None,
    period_end: date | None,
    fiscal_year: int | None,
    period_of: Callable[[Hit], tuple[str, date | None, date | None, int | None] | None] | None = None,
) -> list[IndicatorActual]:
    """Turn hits into :class:`IndicatorActual` records with ids ``<prefix>/<line>/<k>``
    (k counts the figures of that line from 1, in print order) and ``parent_id`` links.
    ``period_of(hit)`` may return ``(period, start, end, fiscal_year)`` to override the
    default period of one hit."""
    ordered = sorted(hits, key=lambda h: (h.line, h.paragraph.line, h.offset))
    per_line: dict[int, int] = defaultdict(int)
    ids: dict[int, str] = {}
    for h in ordered:
        per_line[h.line] += 1
        ids[id(h)] = f"{id_prefix}/{h.line}/{per_line[h.line]}"
    actuals = []
    for h in ordered:
        p, ps, pe, fy = period, period_start, period_end, fiscal_year
        if period_of is not None:
            override = period_of(h)
            if override:
                p, ps, pe, fy = override
        note = h.note
        if h.partial:
            note = f"{PARTIAL_NOTE}" + (f": {note}" if note else "")
        actuals.append(
            IndicatorActual(
                actual_id=ids[id(h)],
                name=h.name,
                period=p,
                value=h.value,
                source_line=h.line,
                unit=h.unit,
                period_start=ps,
                period_end=pe,
                parent_id=ids.get(id(h.parent)) if h.parent is not None else None,
                sentence=h.sentence,
                field=h.field,
                note=note,
                fiscal_year=fy,
            )
        )
    return actuals


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
    Rule from the breakdowns printed in the Sơn La Q1/2024 report ("kiểm định 5.759
    phương tiện đo (3.544 PTĐ dung tích, 77 …)") and the Điện Biên 2022 plan ("05
    nhiệm vụ …, trong đó: 04 … 01 …").
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
                issues.append(
                    ParseIssue(
                        whole.source_line,
                        f"{whole.name} ({whole.actual_id}): {vn_number(whole.value)} {whole.unit or ''} "
                        f"≠ {detail} = {vn_number(total)}",
                        text=whole.sentence,
                    )
                )
            for p in full:
                if p.unit != whole.unit:
                    issues.append(
                        ParseIssue(p.source_line, f"{p.actual_id}: đơn vị {p.unit!r} khác tổng {whole.unit!r}", text=p.sentence)
                    )
        for p in parts:
            if is_partial(p) and p.value > whole.value:
                issues.append(
                    ParseIssue(
                        p.source_line,
                        f"{p.name} ({p.actual_id}): phần {vn_number(p.value)} lớn hơn tổng {vn_number(whole.value)}",
                        text=p.sentence,
                    )
                )
    return issues


# ----------------------------------------------------------------------------- Sơn La

_N = rf"(?P<n>{NUMBER})"
F_QLKH = "Quản lý khoa học"
F_CN = "Quản lý công nghệ"
F_ATBX = "ATBX, HN"
F_SHTT = "SHTT"
F_TT = "Thanh tra"
F_TDC = "TĐC"
F_INFO = "Thông tin, thống kê KH&CN"
F_GEN = "Tổng hợp"

#: Phrases of the Sơn La quarterly report that print a counted result.
REPORT_MEASURES: tuple[Measure, ...] = (
    Measure("dx_qg", rf"{_N} đề xuất đặt hàng nhiệm vụ KH&CN cấp thiết địa phương",
            "Đề xuất đặt hàng nhiệm vụ KH&CN cấp thiết địa phương (cấp quốc gia)", "đề xuất", F_QLKH),
    Measure("dx_ct", rf"{_N} đề xuất đặt hàng nhiệm vụ KH&CN thuộc Chương trình",
            "Đề xuất đặt hàng nhiệm vụ thuộc Chương trình KH&CN bảo vệ môi trường, phòng tránh thiên tai",
            "đề xuất", F_QLKH),
    Measure("gp_bx", rf"{_N} hồ sơ đề nghị cấp giấy phép tiến hành công việc bức xạ",
            "Hồ sơ đề nghị cấp giấy phép tiến hành công việc bức xạ", "hồ sơ", F_ATBX),
    Measure("cc_bx", rf"{_N} hồ sơ cấp chứng chỉ nhân viên bức xạ",
            "Hồ sơ cấp chứng chỉ nhân viên bức xạ", "hồ sơ", F_ATBX),
    Measure("cn_da", rf"ý kiến về công nghệ đối với {_N} dự án đầu tư",
            "Dự án đầu tư được góp ý về công nghệ", "dự án", F_CN),
    Measure("th_da", rf"Triển khai {_N} dự án xây dựng quản lý và phát triển thương hiệu",
            "Dự án phát triển thương hiệu sản phẩm chủ lực đang triển khai", "dự án", F_SHTT),
    Measure("tstt_da", rf"{_N} dự án thuộc Chương trình phát triển tài sản trí tuệ",
            "Dự án thuộc Chương trình phát triển tài sản trí tuệ đang triển khai", "dự án", F_SHTT),
    Measure("hd_nt", rf"Tổ chức {_N} Hội đồng tư vấn nghiệm thu",
            "Hội đồng tư vấn nghiệm thu dự án phát triển thương hiệu", "hội đồng", F_SHTT),
    Measure("da_nt", rf"Hội đồng tư vấn nghiệm thu {_N} dự án",
            "Dự án phát triển thương hiệu được nghiệm thu", "dự án", F_SHTT),
    Measure("tcd", r"không nhận được yêu cầu tiếp công dân", "Yêu cầu tiếp công dân", "yêu cầu", F_TT,
            value=0, note="không nhận được"),
    Measure("dt", r"không nhận được đơn thư", "Đơn thư khiếu nại, tố cáo", "đơn thư", F_TT,
            value=0, note="không nhận được"),
    Measure("xp_dv", rf"Đôn đốc {_N} đơn vị kinh doanh vàng thực hiện các Quyết định xử phạt",
            "Đơn vị kinh doanh vàng phải thực hiện quyết định xử phạt VPHC", "đơn vị", F_TT),
    Measure("xp_dv_nop", rf"{_N}/(?P<of>\d+) đơn vị đã nộp", "Đơn vị đã nộp tiền xử phạt VPHC", "đơn vị", F_TT,
            parent="xp_dv", note="{n}/{of}; đến thời điểm báo cáo"),
    Measure("xp_dv_chua", rf"{_N}/(?P<of>\d+) đơn vị chưa nộp", "Đơn vị chưa nộp tiền xử phạt VPHC", "đơn vị", F_TT,
            parent="xp_dv", note="{n}/{of}; đến thời điểm báo cáo"),
    Measure("xp_tien", rf"đã nộp {_N}\s?(?:đ|đồng)\b tiền xử phạt", "Tiền xử phạt VPHC đã nộp", "đồng", F_TT,
            note="đến thời điểm báo cáo"),
    Measure("xp_tien_chua", rf"chưa nộp {_N}\s?(?:đ|đồng)\b tiền xử phạt", "Tiền xử phạt VPHC chưa nộp", "đồng", F_TT,
            note="đến thời điểm báo cáo"),
    Measure("xp_hs", rf"tiếp nhận {_N} hồ sơ đề nghị xử phạt", "Hồ sơ đề nghị xử phạt VPHC tiếp nhận", "hồ sơ", F_TT),
    Measure("txng_huyen", rf"{_N} UBND huyện, {NUMBER} sở", "UBND huyện đề xuất hỗ trợ truy xuất nguồn gốc",
            "UBND huyện", F_TDC, note="hiện có"),
    Measure("txng_so", rf"{_N} sở và {NUMBER} công ty đề xuất", "Sở đề xuất hỗ trợ truy xuất nguồn gốc", "sở", F_TDC,
            note="hiện có"),
    Measure("txng_cty", rf"{_N} công ty đề xuất", "Công ty đề xuất hỗ trợ truy xuất nguồn gốc", "công ty", F_TDC,
            note="hiện có"),
    Measure("txng_sp", rf"hỗ trợ truy xuất là {_N} sản phẩm", "Sản phẩm, hàng hóa đề xuất hỗ trợ truy xuất nguồn gốc",
            "sản phẩm, hàng hóa", F_TDC, note="hiện có"),
    Measure("de_an_996", rf"Đề án 996 năm \d{{4}} của {_N} tổ chức, đơn vị",
            "Tổ chức, đơn vị đề xuất nhiệm vụ thuộc Đề án 996", "tổ chức, đơn vị", F_TDC),
    Measure("mau", rf"Thử nghiệm {_N} mẫu \((?P<parts>[^)]*)\)", "Mẫu thử nghiệm", "mẫu", F_TDC,
            parts=rf"(?P<n>{NUMBER}) mẫu (?P<what>[^,]+)", part_name="Mẫu thử nghiệm – {what}"),
    Measure("ptd", rf"kiểm định {_N} phương tiện đo \((?P<parts>[^)]*)\)", "Phương tiện đo được kiểm định",
            "phương tiện đo", F_TDC,
            parts=rf"(?P<n>{NUMBER}) (?:PTĐ|phương tiện đo) (?P<what>[^,]+)",
            part_name="Phương tiện đo được kiểm định – {what}"),
    Measure("tin_bai", rf"đăng tải {_N} tin, bài", "Tin, bài đăng trên Trang TTĐT của Sở", "tin, bài", F_INFO),
    Measure("van_ban", rf"cập nhật {_N} văn bản", "Văn bản cập nhật trên Trang TTĐT của Sở", "văn bản", F_INFO),
    Measure("van_ban_cchc", rf"trong đó: {_N} văn bản về cải cách hành chính", "Văn bản cập nhật về cải cách hành chính",
            "văn bản", F_INFO, parent="van_ban", partial=True),
    Measure("tin_tinh", rf"gửi {_N} tin lên trang TTĐT của tỉnh", "Tin gửi lên Trang TTĐT của tỉnh", "tin", F_INFO),
    Measure("gcn_nv", rf"Tiếp nhận {_N} hồ sơ đăng ký cấp giấy chứng nhận nhiệm vụ KH&CN",
            "Hồ sơ đăng ký cấp giấy chứng nhận nhiệm vụ KH&CN", "hồ sơ", F_INFO),
    Measure("nv_ubnd", rf"tham mưu thực hiện {_N} nhiệm vụ UBND tỉnh",
            "Nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao đã tham mưu thực hiện", "nhiệm vụ", F_GEN),
)


def _quarter_bounds(q: int, year: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    return start, start + relativedelta(months=3, days=-1)


def detect(lines: list[str]) -> bool:
    """True for a quarterly report titled "Kết quả hoạt động khoa học và công nghệ Quý
    <I–IV>/<year>" with the next quarter's "nhiệm vụ trọng tâm" (Sơn La layout)."""
    head = " ".join(_clean(l) for l in lines[:30] if l.strip())
    return bool(_TITLE_RE.search(head) and _NEXT_RE.search(head))


def parse(lines: list[str], meta: DocumentMeta) -> ParseResult:
    """Parse the Sơn La quarterly report (``002_f08a4011d44ed5e3.txt`` layout).

    Returns a :class:`ParseResult` with

    * ``actuals``: the counted results of sections I–II for the report's quarter (period
      "Q1/2024", 2024-01-01..2024-03-31 for this file), ids ``SL/<line>/<k>``, value as
      printed (counts; fines in đồng), breakdown parts linked by ``parent_id``;
    * ``tasks``: the bullets of section III as tasks of the next quarter (timing
      "Quý II/2024", period 2024-04-01..2024-06-30, deadline = end of that quarter),
      ids ``SL/Q<q>/<k>``;
    * ``issues``: :func:`check_breakdowns` failures, numbers no phrase read, and an
      "error" when the title (quarter and year) is not found.
    """
    result = ParseResult(meta=meta)
    head = " ".join(_clean(l) for l in lines[:30] if l.strip())
    tm, nm = _TITLE_RE.search(head), _NEXT_RE.search(head)
    if not tm:
        result.issues.append(ParseIssue(None, "không tìm thấy quý báo cáo trong tiêu đề", severity="error"))
        return result
    q, year = ROMAN_QUARTERS[tm.group("q").upper()], int(tm.group("y"))
    start, end = _quarter_bounds(q, year)
    if meta.layout is None:
        meta.layout = LAYOUT
    if meta.kind is None:
        meta.kind = "report"
    if meta.province is None and sum(PROVINCE in l for l in lines) >= 3:
        meta.province = PROVINCE
    if not meta.fiscal_years:
        meta.fiscal_years = [year]

    paragraphs = build_paragraphs(lines)
    results = [p for p in paragraphs if p.section and ("KẾT QUẢ" in p.section.upper() or "ĐÁNH GIÁ" in p.section.upper())]
    hits, issues = find_measures(results, REPORT_MEASURES)
    # Section II repeats highlights of section I: keep a figure once.
    seen: set[tuple[str, float]] = set()
    kept = []
    for h in emitted(hits):
        key = (h.name, h.value)
        if "ĐÁNH GIÁ" in (h.paragraph.section or "").upper() and key in seen:
            continue
        seen.add(key)
        kept.append(h)
    result.actuals = hits_to_actuals(kept, ID_PREFIX, f"Q{q}/{year}", start, end, year)
    result.issues.extend(issues)
    result.issues.extend(unread_numbers(results, hits))
    result.issues.extend(check_breakdowns(result.actuals))

    if nm:
        nq, ny = ROMAN_QUARTERS[nm.group("q").upper()], int(nm.group("y"))
        nstart, nend = _quarter_bounds(nq, ny)
        timing = f"Quý {nm.group('q').upper()}/{ny}"
        focus = [p for p in paragraphs if p.kind == "item" and p.section and "TRỌNG TÂM" in p.section.upper()]
        for k, p in enumerate(focus, 1):
            result.tasks.append(
                Task(
                    task_id=f"{ID_PREFIX}/Q{nq}/{k}",
                    fiscal_year=ny,
                    name=p.text.strip(),
                    source_line=p.line,
                    kind="task",
                    section=p.heading,
                    timing_text=timing,
                    deadline=nend,
                    period_start=nstart,
                    period_end=nend,
                )
            )
    else:
        result.issues.append(ParseIssue(None, "không tìm thấy quý của nhiệm vụ trọng tâm trong tiêu đề"))
    return result
