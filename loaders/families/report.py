"""Quarterly activity report: "Kết quả hoạt động khoa học và công nghệ Quý I/2024 và nhiệm
vụ trọng tâm công tác Quý II/2024" (layout of ``data/raw/002_f08a4011d44ed5e3.txt``, Sơn La;
see ``../shared/GLOSSARY.md``): prose extracted from PDF, hard-wrapped, one blank line
between printed lines.

* Roman-numeral parts of results ("I. KẾT QUẢ CỤ THỂ TRÊN TỪNG LĨNH VỰC", "KẾT QUẢ THỰC
  HIỆN …", any part that is not the focus part) with numbered fields ("5. Công tác Quản lý tiêu chuẩn đo
  lường chất lượng", "7.1. …") and "-"/"+" bullets holding the counts of the period;
* optionally an evaluation part ("II. ĐÁNH GIÁ CHUNG") repeating highlights;
* a part of the next period's focus tasks ("III. NHIỆM VỤ TRỌNG TÂM CÔNG TÁC QUÝ II NĂM
  2024", "PHƯƠNG HƯỚNG, NHIỆM VỤ …").

This module only cuts the text into paragraphs and finds the periods (the title names the
reported quarter and the quarter of the focus tasks). The counts are read by the generic
claim reader :mod:`loaders.families.prose.claims` with the reviewed catalogue (``data/catalogue/``); what
it cannot read is reported as an issue with its line. """
from __future__ import annotations

import re
from datetime import date

from loaders.families.money_table import MoneyContext, plan_money_table, read_money_table
from loaders.families.prose.claim_records import (
    DocPeriod,
    check_breakdowns,
    check_shares,
    claims_to_actuals,
)
from loaders.families.prose.claims import extract_claims
from loaders.families.prose.paragraphs import Paragraph
from loaders.model import DocumentMeta, ParseIssue, ParseResult, Task
from loaders.tables.model import TableError
from loaders.tables.region import read_region
from loaders.text.periods import find_periods, read_schedule

LAYOUT = "report"
#: A report reads every table of its Word or PDF file itself (results, money, in "Biểu 1",
#: "Biểu 2"…): its file is never split by appendix (``loaders.documents.family_parts``).
READS_EVERY_TABLE = True
#: Prefix of the actual ids of this layout ("BC/<line>/<k>": a layout code, never a province).
ID_PREFIX = "BC"  # báo cáo (report)

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# "Kết quả hoạt động khoa học và công nghệ Quý I/2024", "Kết quả thực hiện nhiệm vụ KH&CN
# quý III năm 2025": the results title, with the reported period after it.
_TITLE_RE = re.compile(r"(?:Kết quả|Tình hình)\s+(?:hoạt động|thực hiện|công tác|triển khai)\b(?P<rest>.{0,120})", re.I)
# "nhiệm vụ trọng tâm công tác Quý II/2024", "phương hướng, nhiệm vụ quý IV năm 2025"
_NEXT_RE = re.compile(r"(?:nhiệm vụ trọng tâm|phương hướng,? nhiệm vụ|nhiệm vụ)\b(?P<rest>.{0,60})", re.I)
_ROMAN_HEAD_RE = re.compile(r"^(?P<r>I|II|III|IV|V|VI)\.\s+(?P<title>.+)$")
_NUM_HEAD_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\.\s+(?P<title>\S.*)$")
_BULLET_RE = re.compile(r"^(?:[-•]\s*)?[-+•]\s*")
_END_RE = re.compile(r"^Trên đây là\b")
_FOCUS_RE = re.compile(r"TRỌNG TÂM|PHƯƠNG HƯỚNG|^NHIỆM VỤ|KẾ HOẠCH (?:QUÝ|6 THÁNG|NĂM)")
_REPEAT_PARTS = ("ĐÁNH GIÁ",)


def _is_focus(section: str) -> bool:
    """A part listing the next period's tasks ("NHIỆM VỤ TRỌNG TÂM …", "PHƯƠNG HƯỚNG, NHIỆM
    VỤ …"), not results ("KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ III/2025" is results)."""
    return bool(_FOCUS_RE.search(section.upper()))


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
            bullet = _BULLET_RE.match(s)
            text = _BULLET_RE.sub("", s)
            current = Paragraph(text, [(0, lineno)], heading, section, bullet=bullet.group(0).strip() if bullet else "")
            paragraphs.append(current)
        else:
            joined = current.text + " "
            current.starts.append((len(joined), lineno))
            current.text = joined + s
    return paragraphs


# ----------------------------------------------------------------------------- periods


def _period_in(text: str):
    """The first reporting period with a year in ``text``: one quarter ("Quý I/2024", "quý 1
    năm 2024") or a part of a year ("6 tháng đầu năm 2025"); a :class:`ParsedTime` or ``None``."""
    for f in find_periods(text):
        t = f.time
        if t.year is None or t.start is None:
            continue
        if (t.kind == "quarters" and len(t.quarters) == 1) or t.kind == "part_of_year":
            return t
    return None


def _short(t) -> tuple[str, str]:
    """Stored label and id key of a reporting period: ("Q1/2024", "Q1"), ("H1/2025", "H1"),
    ("1–9/2025", "M1-9")."""
    if t.kind == "quarters":
        return f"Q{t.quarters[0]}/{t.year}", f"Q{t.quarters[0]}"
    if (t.start.month, t.end.month) == (1, 6):
        return f"H1/{t.year}", "H1"
    if (t.start.month, t.end.month) == (7, 12):
        return f"H2/{t.year}", "H2"
    return f"{t.start.month}–{t.end.month}/{t.year}", f"M{t.start.month}-{t.end.month}"


def _timing_text(t) -> str:
    if t.kind == "quarters":
        return f"Quý {_ROMAN[t.quarters[0]]}/{t.year}"
    return t.label


def _title_periods(lines: list[str]):
    """``(reported, next)`` periods: the reported one from the title; the next one from the
    title ("… và nhiệm vụ trọng tâm quý II/2024") or else from the heading of the focus part
    ("II. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II/2024"). Either may be ``None``."""
    head = " ".join(_clean(l) for l in lines[:30] if l.strip())
    reported = nxt = None
    m = _TITLE_RE.search(head)
    if not m:
        return None, None
    reported = _period_in(m.group("rest"))
    if reported is None:
        return None, None
    after = head[m.start("rest"):]
    for n in _NEXT_RE.finditer(after):
        nxt = _period_in(n.group("rest"))
        if nxt is not None and nxt.start > reported.start:
            return reported, nxt
    for line in lines:
        rm = _ROMAN_HEAD_RE.match(_clean(line))
        if rm and any(w in rm.group("title").upper() for w in ("TRỌNG TÂM", "PHƯƠNG HƯỚNG")):
            nxt = _period_in(rm.group("title"))
            if nxt is not None and nxt.start > reported.start:
                return reported, nxt
    return reported, None


def detect(lines: list[str], rows: object = None) -> bool:
    """True for a periodic activity report: a title "Kết quả / Tình hình hoạt động (thực
    hiện, công tác) … Quý <I–IV>/<year>" (or "6 tháng đầu năm <year>") in the first 30 lines,
    and the next period's focus tasks named in the title ("nhiệm vụ trọng tâm … Quý …") or
    in the heading of a later part ("II. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II/2024")."""
    reported, nxt = _title_periods(lines)
    return reported is not None and nxt is not None


def parse(lines: list[str], meta: DocumentMeta, rows: object = None) -> ParseResult:
    """Parse a quarterly report (``002_f08a4011d44ed5e3.txt`` layout).

    Returns a :class:`ParseResult` with

    * ``actuals``: the counts of the results parts for the reported quarter (period
      "Q1/2024", 2024-01-01..2024-03-31 for the shipped file; "H1/2025" for a half-year
      report), ids ``BC/<line>/<k>``, value as
      printed (counts; fines in đồng), ``code`` from the catalogue, breakdown parts linked by
      ``parent_id``; a figure of the evaluation part ("ĐÁNH GIÁ") equal to one already read
      (same indicator, value and unit) is kept once;
    * ``tasks``: the bullets of the focus part as tasks of the next period (timing
      "Quý II/2024", period 2024-04-01..2024-06-30, deadline = end of that quarter), ids
      ``BC/Q<q>/<k>`` (``BC/H2/<k>`` for "6 tháng cuối năm");
    * ``issues``: what :func:`loaders.families.prose.claims.extract_claims` could not read, breakdowns that
      do not add up, and an "error" when the title names no quarter.

    The province is never read from the text: it comes from ``meta`` (manifest or command
    line).
    """
    result = ParseResult(meta=meta)
    reported, nxt = _title_periods(lines)
    if reported is None:
        result.issues.append(ParseIssue(None, "không tìm thấy kỳ báo cáo (quý, 6 tháng) trong tiêu đề", severity="error"))
        return result
    year = reported.year
    if meta.layout is None:
        meta.layout = LAYOUT
    if meta.kind is None:
        meta.kind = "report"
    if not meta.fiscal_years:
        meta.fiscal_years = [year]

    # a budget table in the report ("II. TÌNH HÌNH THỰC HIỆN DỰ TOÁN NGÂN SÁCH": Dự toán năm |
    # Lũy kế thực hiện đến hết Quý III | Tỷ lệ (%)) is read by the one money-table reader; its
    # lines are no prose
    in_tables = _money_tables(lines, meta, rows, year, reported.quarters, result)
    paragraphs = build_paragraphs(["" if n in in_tables else ln for n, ln in enumerate(lines, start=1)])
    # every numbered part except the focus tasks of the next period is read for results
    results = [p for p in paragraphs if p.section and not _is_focus(p.section)]
    claims, issues = extract_claims(results)
    # The evaluation part repeats highlights of the results: keep a figure once.
    seen: set[tuple] = set()
    kept = []
    for c in claims:
        key = (c.code or c.name, c.value, c.unit)
        if any(w in (c.paragraph.section or "").upper() for w in _REPEAT_PARTS) and key in seen:
            continue
        seen.add(key)
        kept.append(c)
    doc = DocPeriod(_short(reported)[0], reported.start, reported.end)
    result.actuals.extend(claims_to_actuals(kept, ID_PREFIX, doc))  # after the results tables' figures
    result.issues.extend(issues)
    result.issues.extend(check_shares(kept))
    result.issues.extend(check_breakdowns(result.actuals))

    if nxt is not None:
        key, ny = _short(nxt)[1], nxt.year
        timing = _timing_text(nxt)
        focus = [p for p in paragraphs if p.kind == "item" and p.section and _is_focus(p.section)]
        for k, p in enumerate(focus, 1):
            name, lead, deadline, when = _task_remark(p.text.strip(), ny)
            result.tasks.append(
                Task(
                    task_id=f"{ID_PREFIX}/{key}/{k}",
                    fiscal_year=ny,
                    name=name,
                    source_line=p.line,
                    kind="task",
                    section=p.heading,
                    lead_unit=lead,
                    timing_text=when or timing,
                    deadline=deadline or nxt.end,
                    period_start=nxt.start,
                    period_end=nxt.end,
                )
            )
    else:
        result.issues.append(ParseIssue(None, "không tìm thấy kỳ của nhiệm vụ trọng tâm trong tiêu đề"))
    return result


def _results_table(table, meta: DocumentMeta, lines: list[str], year: int, quarters: tuple[int, ...],
                   result: ParseResult) -> bool:
    """Read a table of indicator results ("Chỉ tiêu | ĐVT | Kế hoạch năm 2025 | Thực hiện quý
    III | Lũy kế 9 tháng") into ``result.actuals`` with the target-table reader
    (:func:`loaders.families.plan_targets.read_target_table`, results only: a report's
    targets repeat the plan's, and its column is named in a warning as not read); a column
    without a period of its own is the reported quarter. False (nothing read) when the
    table is not one: it has no column of targets and of results."""
    from dataclasses import replace

    from loaders.families.plan_doc import Region
    from loaders.families.plan_flow import PlanTyper
    from loaders.families.plan_targets import is_target_table, read_target_table, unread_columns

    trial = PlanTyper(year).columns([replace(c) for c in table.header.columns])
    roles = [c.role for c in trial]
    if not (is_target_table(roles) and "actual" in roles):
        return False
    PlanTyper(year).columns(table.header.columns)
    region = Region(None, ID_PREFIX, "", table.header.line or 1, len(lines))
    read_target_table(table, region, year, lines, result, targets=False, doc_quarters=tuple(quarters))
    unread_columns(table, result)
    for c in table.header.columns:
        if c.role == "target":
            result.issues.append(ParseIssue(table.header.line, f"cột '{c.text}': chỉ tiêu kế hoạch in lại trong báo cáo, "
                                            "không đọc (chỉ tiêu lấy từ kế hoạch năm); đọc các cột kết quả", text=c.text))
    return True


# "… năm 2026 (chủ trì: Phòng KĐC; hoàn thành trước 31/8/2025)." — the lead unit and the deadline
# of a focus task in a parenthesis at its end
_REMARK_RE = re.compile(r"\((?P<body>[^()]*)\)\s*[.;]?\s*$")
_LEAD_RE = re.compile(r"^(?:đơn vị\s+)?chủ trì\s*:\s*(?P<lead>.+)$", re.IGNORECASE)
_WHEN_RE = re.compile(r"^(?:hoàn thành|xong|trước|chậm nhất|hạn|thời hạn|thời gian|trong|quý|tháng|\d)", re.IGNORECASE)


def _task_remark(text: str, year: int) -> tuple[str, str | None, date | None, str | None]:
    """A focus task's ``(name, lead unit, deadline, timing as printed)`` from a parenthesis at
    the end of its bullet: "(chủ trì: Phòng KĐC; hoàn thành trước 31/8/2025)" → the name without
    it, "Phòng KĐC", 2025-08-31. A parenthesis naming neither is part of the name; a part
    naming a time with no date ("trong Quý III") leaves the deadline to the report's next
    period."""
    m = _REMARK_RE.search(text)
    if not m:
        return text, None, None, None
    lead = deadline = when = None
    for part in (p.strip() for p in re.split(r"[;]", m.group("body")) if p.strip()):
        lm = _LEAD_RE.match(part)
        if lm:
            lead = lm.group("lead").strip()
            continue
        if not _WHEN_RE.match(part):
            continue  # "dịp Quốc khánh 2/9" names an occasion, not a deadline
        schedule = read_schedule(re.sub(r"^hoàn thành\s+", "", part, flags=re.IGNORECASE), year, completion=True)
        if schedule.deadline is not None:
            deadline, when = schedule.deadline, part
    if lead is None and deadline is None:
        return text, None, None, None
    return text[:m.start()].rstrip(" .;,"), lead, deadline, when


def _money_tables(lines: list[str], meta: DocumentMeta, rows, year: int, quarters: tuple[int, ...],
                  result: ParseResult) -> set[int]:
    """Read the tables of a report into ``result``: a table of indicator results into
    ``actuals`` (:func:`_results_table`); a money table (budget lines, printed totals,
    percentages; each column in its own stage and period, "Lũy kế … đến hết Quý III" the
    quarters 1–3, cumulative) with :func:`loaders.families.money_table.read_money_table`.
    Returns the lines the tables occupy (no prose is read there). A money column nobody can
    place, a unit line that is no unit of amount, or no unit at all are issues (errors refuse
    the document)."""
    try:
        tables, text = read_region(lines, 1, len(lines), meta.file_name, rows)
    except TableError as exc:
        result.issues.append(ParseIssue(exc.line, str(exc), severity="error"))
        return set()
    outside = {n for n, _ in text}
    kept = []
    for table in tables:
        if _results_table(table, meta, lines, year, quarters, result):
            continue
        if any(c.role == "amount" for c in table.header.columns):
            kept.append(table)
    tables = kept
    for k, table in enumerate(tables, start=1):
        label = f"Bảng {k} (báo cáo)"
        plan, unit, doubts = plan_money_table(table, label, None, quarters)
        result.issues.extend(doubts)
        if unit is None:
            result.issues.append(ParseIssue(table.header.line, f"{label}: không in đơn vị tính của số tiền",
                                            severity="error"))
            continue
        ctx = MoneyContext(meta.file_name, f"{ID_PREFIX}-T{k}", year, unit_of_amounts=unit, appendix=label)
        read = read_money_table(table, plan, ctx)
        result.budget_lines.extend(read.lines)
        result.totals.extend(read.totals)
        result.ratios.extend(read.ratios)
        result.issues.extend(read.issues)
    return {n for n in range(1, len(lines) + 1) if n not in outside}
