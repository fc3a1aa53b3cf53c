"""Claims become records: the period of a paragraph's claims, :class:`IndicatorActual`
records with ids and parent links, and the checks of breakdowns and shares."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from loaders.families.prose.claim_words import ClaimWords, default_claim_words
from loaders.families.prose.claims import Claim
from loaders.families.prose.paragraphs import Paragraph
from loaders.families.prose.quantities import ends_with, vn_number
from loaders.model import IndicatorActual, ParseIssue
from loaders.text.normal import normalize_mapped
from loaders.text.periods import find_periods

#: Note prefix of an "of which" part (its value need not add up with its siblings).
PARTIAL_NOTE = "trong đó"
#: Tolerance of a printed share against count / whole, in percentage points (shares are
#: printed with one decimal and forced to add up to 100: 7/23 = 30,43% is printed 30,5%).
SHARE_TOLERANCE_PP = 0.1


@dataclass(frozen=True)
class DocPeriod:
    """The period a document's results cover: label as stored ("Q1/2024", "2020–6/2021"),
    first and last day."""

    label: str
    start: date
    end: date



def _label_for(start: date, end: date, doc: DocPeriod) -> str:
    if (start, end) == (doc.start, doc.end):
        return doc.label
    y = start.year
    if start.year == end.year:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return str(y)
        if (start.month, start.day, end.month, end.day) == (1, 1, 6, 30):
            return f"H1/{y}"
        if (start.month, start.day, end.month, end.day) == (7, 1, 12, 31):
            return f"H2/{y}"
        if start.day == 1 and start.month % 3 == 1 and end.month == start.month + 2 and (end.month, end.day) in (
                (3, 31), (6, 30), (9, 30), (12, 31)):
            return f"Q{(start.month + 2) // 3}/{y}"
        if start.month == end.month:
            return f"{start.month}/{y}"
    return f"{start.month}/{start.year}–{end.month}/{end.year}"


def period_of_paragraph(para: Paragraph, doc: DocPeriod, words: ClaimWords | None = None) -> tuple[str, date, date, int | None]:
    """The period of the claims of one paragraph: ``(label, start, end, fiscal_year)``.

    ``doc`` is the period the document's results cover. A cut-off inside it ("Tính đến hết
    tháng 6 năm 2021", "đến nay") ends the period there (from ``doc.start``). Otherwise, when
    the paragraph names exactly one year, quarter, part of a year or month range that overlaps
    ``doc`` (not after "từ", "sang", "bắt đầu": a start is not a period; dates of documents
    are not periods), the claims get that period clipped to ``doc`` ("Tết Nguyên đán Canh Tý
    năm 2020" → "2020"); else ``doc``. ``fiscal_year`` is the year when the period lies in
    one year, else ``None``.
    """
    words = words or default_claim_words()
    found = find_periods(para.text)
    specific: set[tuple[date, date]] = set()
    cut: date | None = None
    as_of = False
    for f in found:
        t = f.time
        if t.as_of:
            as_of = True
            if t.end is not None and doc.start <= t.end <= doc.end:
                cut = max(cut, t.end) if cut else t.end
            continue
        if t.kind not in ("year", "quarters", "part_of_year", "months") or t.start is None or t.end is None:
            continue
        prefix = para.text[max(0, f.start - 12):f.start]
        if ends_with(words.roles["not_period_before"], normalize_mapped(prefix)[0] + " "):
            continue
        start, end = max(t.start, doc.start), min(t.end, doc.end)
        if start <= end:
            specific.add((start, end))
    if as_of:
        start, end = doc.start, cut or doc.end
    elif len(specific) == 1:
        start, end = specific.pop()
    else:
        start, end = doc.start, doc.end
    fiscal = start.year if start.year == end.year else None
    return _label_for(start, end, doc), start, end, fiscal


def claims_to_actuals(claims: list[Claim], id_prefix: str, doc: DocPeriod, words: ClaimWords | None = None) -> list[IndicatorActual]:
    """Turn claims into :class:`IndicatorActual` records with ids ``<prefix>/<line>/<k>``
    (k counts the figures of that line from 1, in print order), ``parent_id`` links, the
    period of :func:`period_of_paragraph` and, for an "of which" part, a note starting with
    :data:`PARTIAL_NOTE`."""
    ordered = sorted(claims, key=lambda c: (c.line, c.paragraph.line, c.offset))
    per_line: dict[int, int] = defaultdict(int)
    ids: dict[int, str] = {}
    for c in ordered:
        per_line[c.line] += 1
        ids[id(c)] = f"{id_prefix}/{c.line}/{per_line[c.line]}"
    periods: dict[int, tuple] = {}

    def period(c: Claim) -> tuple:
        if c.parent is not None:
            return period(c.parent)  # a breakdown is of the same period as its whole
        key = id(c.paragraph)
        if key not in periods:
            periods[key] = period_of_paragraph(c.paragraph, doc, words)
        return periods[key]

    out = []
    for c in ordered:
        label, start, end, fiscal = period(c)
        note = c.note
        if c.partial:
            note = PARTIAL_NOTE + (f": {note}" if note else "")
        out.append(IndicatorActual(
            actual_id=ids[id(c)], name=c.name, period=label, value=c.value, source_line=c.line, unit=c.unit,
            code=c.code, period_start=start, period_end=end,
            parent_id=ids.get(id(c.parent)) if c.parent is not None else None,
            sentence=c.sentence, field=c.field, note=note, fiscal_year=fiscal,
        ))
    return out


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
                issues.append(ParseIssue(
                    whole.source_line,
                    f"{whole.name} ({whole.actual_id}): {vn_number(whole.value)} {whole.unit or ''} "
                    f"≠ {detail} = {vn_number(total)}",
                    text=whole.sentence))
            for p in full:
                if p.unit != whole.unit:
                    issues.append(ParseIssue(
                        p.source_line, f"{p.actual_id}: đơn vị {p.unit!r} khác tổng {whole.unit!r}", text=p.sentence))
        for p in parts:
            if is_partial(p) and p.value > whole.value:
                issues.append(ParseIssue(
                    p.source_line,
                    f"{p.name} ({p.actual_id}): phần {vn_number(p.value)} lớn hơn tổng {vn_number(whole.value)}",
                    text=p.sentence))
    return issues


def check_shares(claims: list[Claim]) -> list[ParseIssue]:
    """A share printed after "chiếm" must equal count / whole × 100 within
    :data:`SHARE_TOLERANCE_PP` percentage points, and the shares of one whole must add up to
    100 % (same tolerance). Returns one warning per failure, with the share's line."""
    issues = []
    by_whole: dict[int, list[Claim]] = defaultdict(list)
    for c in claims:
        q = c.quantity
        if q.kind != "percent" or q.share_of is None:
            continue
        count = next((x for x in claims if x.quantity is q.share_of), None)
        if count is None or count.parent is None:
            issues.append(ParseIssue(c.line, f"{c.name}: không tìm thấy số tương ứng với tỷ trọng", text=c.sentence))
            continue
        expected = 100 * float(count.value) / float(count.parent.value) if count.parent.value else 0.0
        if abs(expected - float(c.value)) > SHARE_TOLERANCE_PP + 1e-9:
            issues.append(ParseIssue(
                c.line,
                f"{c.name}: in {vn_number(c.value)}% nhưng {vn_number(count.value)}/{vn_number(count.parent.value)} = "
                f"{vn_number(round(expected, 2))}%",
                text=c.sentence))
        by_whole[id(count.parent)].append(c)
    for shares in by_whole.values():
        total = sum(float(s.value) for s in shares)
        if abs(total - 100) > SHARE_TOLERANCE_PP + 1e-9:
            issues.append(ParseIssue(shares[0].line, f"tổng các tỷ trọng = {vn_number(round(total, 2))}% (khác 100%)"))
    return issues
