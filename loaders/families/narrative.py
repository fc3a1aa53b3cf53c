"""Narrative results of a plan's evaluation section ("A. Đánh giá tình hình thực hiện … năm
2020 và 6 tháng đầu năm 2021"), as indicator actuals.

Layout (seen in ``data/raw/001_3dc3e512645fa543.txt``, the Điện Biên 2022 S&T plan): one
paragraph per printed line (a line starting in lower case continues the one above),
headings "II.", "1.", "a)", "*", bullets "-", "+" and "- +", and small tab-separated lists
("Lĩnh vực nông nghiệp: ⇥ 11 nhiệm vụ chiếm 47,8%"). The budget table inside the same
section (from "Đơn vị tính" / "TT ⇥ NỘI DUNG") is left to the parser of the tables, which
calls :func:`extract_actuals`.

The sentences are read by the generic claim reader :mod:`loaders.families.prose.claims` with the reviewed
catalogue (``data/catalogue/``): this module only finds the section and its period.

Period: the heading names the years the section covers ("năm 2020 và 6 tháng đầu năm
2021" → 2020-01-01..2021-06-30, label "2020–6/2021"); each paragraph's claims get the
period of :func:`loaders.families.prose.claims.period_of_paragraph` (a cut-off such as "Tính đến tháng 6
năm 2021" keeps the section period; "Tết Nguyên đán Canh Tý năm 2020" gives "2020").
"""
from __future__ import annotations

import re

from loaders.families.prose.claim_records import (
    DocPeriod,
    check_breakdowns,
    check_shares,
    claims_to_actuals,
)
from loaders.families.prose.claims import extract_claims
from loaders.families.prose.paragraphs import Paragraph
from loaders.model import DocumentMeta, IndicatorActual, ParseIssue
from loaders.text.outline import PROSE_HEADING_RE
from loaders.text.periods import find_periods

ID_PREFIX = "KQ"  # kết quả (results narrative)

# "A. Đánh giá …", "PHẦN A. KẾT QUẢ …", "Phần thứ nhất: Tình hình …" (the letter is a capital)
_SECTION_A_RE = re.compile(
    r"^(?:(?i:phần)\s+)?(?:A|(?i:thứ nhất))[.:]?\s+(?i:đánh giá|kết quả|tình hình)\b.*?\b(?:19|20)\d{2}"
)
_SECTION_END_RE = re.compile(r"^(?:(?:(?i:phần)\s+)?(?:B|(?i:thứ hai))[.:]?\s|(?i:đơn vị tính)|(?:TT|STT)\t)")
_HEAD_RE = PROSE_HEADING_RE


def section_period(heading: str) -> DocPeriod | None:
    """The period a section heading names: from the first day of its first period phrase to
    the last day of its last ("năm 2020 và 6 tháng đầu năm 2021" → 2020-01-01..2021-06-30,
    label "2020–6/2021"; "năm 2023" → "2023"). ``None`` when it names none."""
    spans = [f.time for f in find_periods(heading) if f.time.start and f.time.end]
    if not spans:
        return None
    start, end = min(t.start for t in spans), max(t.end for t in spans)
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        label = str(start.year)
    elif start.month == 1 and start.day == 1:
        label = f"{start.year}–{end.month}/{end.year}" if (end.month, end.day) != (12, 31) else f"{start.year}–{end.year}"
    else:
        label = f"{start.month}/{start.year}–{end.month}/{end.year}"
    return DocPeriod(label, start, end)


def section_a_paragraphs(lines: list[str]) -> tuple[list[Paragraph], DocPeriod | None]:
    """Paragraphs of section A (heading "A. Đánh giá tình hình thực hiện … năm 2020 và 6
    tháng đầu năm 2021") up to the budget table or section B, and the period its heading
    names (``None`` when the heading is not found: then no paragraph is returned). Each
    printed line is a paragraph; a line starting in lower case continues the one above;
    tabs become spaces. Headings ("II.", "1.", "a)", "*") get ``kind="heading"``.
    """
    start = period = None
    for i, line in enumerate(lines):
        if _SECTION_A_RE.match(line.strip()):
            period = section_period(line.strip())
            if period is not None:
                start = i
                break
    if start is None:
        return [], None
    paragraphs: list[Paragraph] = []
    heading: str | None = None
    for i in range(start + 1, len(lines)):
        raw = lines[i].strip()
        if not raw:
            continue
        if _SECTION_END_RE.match(raw):
            break
        s = " ".join(raw.replace("*", " ").split()) if raw.startswith("*") else " ".join(raw.split())
        if paragraphs and s[0].islower() and not _HEAD_RE.match(s):
            para = paragraphs[-1]
            joined = para.text + " "
            para.starts.append((len(joined), i + 1))
            para.text = joined + s
            continue
        if _HEAD_RE.match(raw) and len(s) < 250:
            heading = s
            paragraphs.append(Paragraph(s, [(0, i + 1)], heading, "A", kind="heading"))
            continue
        paragraphs.append(Paragraph(s, [(0, i + 1)], heading, "A"))
    return paragraphs, period


def extract_actuals(lines: list[str], meta: DocumentMeta) -> tuple[list[IndicatorActual], list[ParseIssue]]:
    """Read the counted results of section A of a plan.

    ``lines``: the whole document (as :func:`loaders.documents.read_lines` gives it);
    ``meta`` is not modified. Returns ``(actuals, issues)``:

    * actuals with ids ``KQ/<line>/<k>``, ``source_line`` = line of the figure, ``sentence``,
      ``unit`` the counted noun ("nhiệm vụ", "giấy phép", "cuộc", "%" for printed rates and
      shares), ``code`` the catalogue code, the period described in the module docstring.
      Breakdown parts carry the whole's unit and ``parent_id``; "43/43" is stored as 43
      with note "43/43 (100%)";
    * issues: everything :func:`loaders.families.prose.claims.extract_claims` could not read (with line
      and sentence), breakdowns that do not add up, shares that do not match their counts,
      and an "error" when section A is not found. Never raises on content.
    """
    paragraphs, period = section_a_paragraphs(lines)
    if period is None:
        return [], [ParseIssue(None, "không tìm thấy phần A (đánh giá năm … và 6 tháng đầu năm …)", severity="error")]
    claims, issues = extract_claims(paragraphs)
    actuals = claims_to_actuals(claims, ID_PREFIX, period)
    issues.extend(check_shares(claims))
    issues.extend(check_breakdowns(actuals))
    return actuals, issues
