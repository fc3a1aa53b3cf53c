"""Yearly S&T plan with its budget tables (Điện Biên, Kế hoạch KH&CN năm 2022, ``001_…``).

Two budget parts are read (see ``../shared/GLOSSARY.md``):

* The 2020–2021 table, tab-separated, in triệu đồng: for each year "KHTW giao" (central
  plan), "KH UBND giao" (provincial plan) and "Tình hình thực hiện" (execution; for 2021
  "6 tháng đầu năm 2021", the first half only). Rows: sections I, II and numbered items,
  then "TỔNG SỐ". A cell left empty prints no amount.
* The estimate for the plan year ("III. Dự toán ngân sách cho hoạt động KH&CN năm 2022"):
  "1. …: 30.906,3 triệu đồng", "a. Kinh phí sự nghiệp KH&CN: …", "- …: … triệu đồng",
  "b. Kinh phí đầu tư phát triển KH&CN: …", "+ Dự án … Năm 2022, đề nghị bố trí vốn đầu tư
  là 3.000 triệu đồng" (the project's total investment is kept as a note). These are
  proposals: phase ``proposed``, stage "đề xuất".

The narrative results of section A are read by ``loaders.narrative`` when available.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import narrative
from .model import STAGE_PHASE, BudgetLine, DocumentMeta, ParseIssue, ParseResult, PrintedTotal
from .numbers import NumberFormatError, to_vnd
from .sources import classify_source

LAYOUT = "plan_budget"

TABLE_UNIT_RE = re.compile(r"^\s*Đơn vị tính\s*:\s*(?P<unit>.+?)\s*$", re.I)
YEAR_HEADER_RE = re.compile(r"Năm\s+(?P<y>(?:19|20)\d{2})")
ESTIMATE_HEADING_RE = re.compile(r"^\s*[IVX]+\.\s*Dự toán ngân sách.*năm\s+(?P<y>\d{4})", re.I)
NEXT_HEADING_RE = re.compile(r"^\s*[IVX]+\.\s+\S")
ESTIMATE_ITEM_RE = re.compile(
    r"^\s*(?P<code>\d+\.|[a-zđ]\.|-|\+)\s*(?P<desc>.+?)\s*:\s*(?P<amount>\d[\d.,]*)\s*(?P<unit>triệu đồng|tỷ đồng|đồng)\s*\.?\s*$",
    re.I,
)
ESTIMATE_HEADING_ITEM_RE = re.compile(r"^\s*(?P<code>-|\+)\s*(?P<desc>.+)$")
PROJECT_RE = re.compile(
    r"^\s*\+\s*(?P<desc>Dự án\s+.+?)\s+với tổng mức đầu tư(?: là)?\s+(?P<total>\d[\d.,]*)\s*(?P<tunit>triệu đồng|tỷ đồng)"
    r".*?(?:Năm\s+(?P<y>\d{4})\s*,\s*)?đề nghị bố trí vốn(?: đầu tư)?(?: là)?\s+(?P<amount>\d[\d.,]*)\s*(?P<unit>triệu đồng|tỷ đồng)",
    re.I,
)

STAGES = {
    "khtw giao": "KHTW giao",
    "kh ubnd giao": "KH UBND giao",
    "tình hình thực hiện": "thực hiện",
}


def detect(lines: list[str]) -> bool:
    """True for a plan whose budget table has "KHTW giao" / "KH UBND giao" columns."""
    text = "\n".join(lines)
    return "KHTW giao" in text and "KH UBND giao" in text and "\t" in text


@dataclass
class _Column:
    index: int
    year: int
    stage: str
    stage_text: str
    half_year: bool = False


@dataclass
class _TableRow:
    code: str
    description: str
    line: int
    cells: list[str]
    children: list["_TableRow"] = field(default_factory=list)
    parent: "_TableRow | None" = None


def _columns(year_header: list[str], stage_header: list[str]) -> list[_Column]:
    years: list[int | None] = []
    current = None
    for cell in year_header:
        m = YEAR_HEADER_RE.search(cell)
        if m:
            current = int(m.group("y"))
        years.append(current)
    cols = []
    for i, cell in enumerate(stage_header):
        text = " ".join(cell.split())
        if not text:
            continue
        key = text.lower()
        stage = next((v for k, v in STAGES.items() if key.startswith(k)), None)
        if stage is None:
            continue
        year = years[i] if i < len(years) and years[i] else None
        m = YEAR_HEADER_RE.search(text) or re.search(r"(\d{4})", text)
        if year is None and m:
            year = int(m.group(1) if m.lastindex else m.group("y"))
        half = "6 tháng" in key
        if half:
            stage = "thực hiện 6 tháng đầu năm"
        cols.append(_Column(i, year, stage, text, half))
    return cols


def _read_table(lines: list[str], result: ParseResult) -> None:
    issues = result.issues
    unit = "triệu đồng"
    header_years: list[str] | None = None
    columns: list[_Column] = []
    rows: list[_TableRow] = []
    totals: list[_TableRow] = []
    for idx, raw in enumerate(lines, start=1):
        m = TABLE_UNIT_RE.match(raw)
        if m:
            unit = m.group("unit").strip().lower()
            continue
        if "\t" not in raw:
            continue
        cells = raw.split("\t")
        first = cells[0].strip()
        if first == "TT":
            header_years = cells
            continue
        if header_years is not None and not first and any("KHTW" in c or "UBND" in c for c in cells):
            columns = _columns(header_years, cells)
            continue
        if not columns:
            continue
        desc = cells[1].strip() if len(cells) > 1 else ""
        if re.match(r"^(TỔNG SỐ|TỔNG CỘNG|Tổng số|Tổng cộng)$", desc):
            totals.append(_TableRow("", desc, idx, cells))
            continue
        if re.fullmatch(r"[IVX]+|\d+", first):
            rows.append(_TableRow(first, desc, idx, cells))
        else:
            issues.append(ParseIssue(idx, "Dòng bảng không có số thứ tự, bỏ qua", text=raw))
    if not columns:
        issues.append(ParseIssue(None, "Không thấy tiêu đề cột KHTW giao / KH UBND giao", severity="error"))
        return
    section = None
    for row in rows:
        if re.fullmatch(r"[IVX]+", row.code):
            section = row
        elif section is not None:
            row.parent = section
            section.children.append(row)

    def cell_amount(row: _TableRow, col: _Column) -> tuple[int | None, str | None]:
        text = row.cells[col.index].strip() if col.index < len(row.cells) else ""
        if not text:
            return None, None
        try:
            return to_vnd(text, unit), text
        except NumberFormatError as exc:
            issues.append(ParseIssue(row.line, f"Không đọc được số tiền ({col.stage_text}): {exc}", severity="error"))
            return None, text

    def line_id(row: _TableRow, col: _Column) -> str:
        path = f"{row.parent.code}/{row.code}" if row.parent else row.code
        return f"B{col.year}/{col.stage}/{path}"

    for col in columns:
        leaf_ids: list[str] = []
        by_row: dict[int, BudgetLine] = {}
        for row in rows:
            amount, text = cell_amount(row, col)
            if amount is None and text is None:
                continue
            kids_with_amount = [c for c in row.children if cell_amount(c, col)[1] is not None]
            source = classify_source(row.description) if row.parent is None else None
            if source is None and row.parent is not None:
                source = classify_source(row.parent.description)
            bl = BudgetLine(
                line_id=line_id(row, col),
                fiscal_year=col.year,
                phase=STAGE_PHASE[col.stage],
                phase_vn=col.stage,
                direction="expenditure",
                funding_source=source or "UNSPECIFIED",
                funding_note=row.description if row.parent is None and source else (row.parent.description if row.parent else None),
                source_line=row.line,
                amount_vnd=amount,
                amount_text=text,
                amount_unit=unit,
                description=row.description,
                appendix="Bảng 2020–2021",
                section=row.parent.code if row.parent else row.code,
                code=row.code,
                parent_id=line_id(row.parent, col) if row.parent else None,
                level=2 if row.parent else 1,
                is_subtotal=bool(kids_with_amount),
                period=f"6 tháng đầu năm {col.year}" if col.half_year else f"Năm {col.year}",
                quarters=(1, 2) if col.half_year else (1, 2, 3, 4),
                note="Chỉ 6 tháng đầu năm" if col.half_year else None,
            )
            result.budget_lines.append(bl)
            by_row[id(row)] = bl
            if not bl.is_subtotal:
                leaf_ids.append(bl.line_id)
        for row in rows:
            bl = by_row.get(id(row))
            if bl is not None and bl.is_subtotal and bl.amount_vnd is not None:
                result.totals.append(
                    PrintedTotal(
                        scope=f"Bảng 2020–2021 / {row.code} / {col.stage} {col.year}",
                        label=f"{row.code} {row.description}",
                        kind="subtotal",
                        fiscal_year=col.year,
                        phase_vn=col.stage,
                        printed_amount_vnd=bl.amount_vnd,
                        source_line=row.line,
                        covers=[by_row[id(c)].line_id for c in row.children if id(c) in by_row],
                    )
                )
        for total in totals:
            amount, text = cell_amount(total, col)
            if amount is None:
                continue
            result.totals.append(
                PrintedTotal(
                    scope=f"Bảng 2020–2021 / {col.stage} {col.year}",
                    label=total.description,
                    kind="printed_total",
                    fiscal_year=col.year,
                    phase_vn=col.stage,
                    printed_amount_vnd=amount,
                    source_line=total.line,
                    covers=list(leaf_ids),
                )
            )


def _read_estimate(lines: list[str], result: ParseResult) -> None:
    issues = result.issues
    start = None
    year = None
    for idx, raw in enumerate(lines, start=1):
        m = ESTIMATE_HEADING_RE.match(raw)
        if m:
            start, year = idx, int(m.group("y"))
            break
    if start is None:
        return
    stage = "đề xuất"
    stack: dict[int, BudgetLine] = {}
    levels = {"num": 1, "letter": 2, "-": 3, "+": 4}
    made: list[BudgetLine] = []
    children: dict[str, list[BudgetLine]] = {}
    for idx in range(start + 1, len(lines) + 1):
        raw = lines[idx - 1]
        if NEXT_HEADING_RE.match(raw):
            break
        if not raw.strip():
            continue
        project = PROJECT_RE.match(raw)
        item = ESTIMATE_ITEM_RE.match(raw)
        heading = ESTIMATE_HEADING_ITEM_RE.match(raw)
        if project:
            code, desc, amount_text, unit = "+", project.group("desc"), project.group("amount"), project.group("unit")
            note = f"Tổng mức đầu tư {project.group('total')} {project.group('tunit')}"
        elif item:
            code, desc, amount_text, unit = item.group("code"), item.group("desc"), item.group("amount"), item.group("unit")
            note = None
        elif heading:
            code, desc, amount_text, unit, note = heading.group("code"), heading.group("desc"), None, None, None
        else:
            issues.append(ParseIssue(idx, "Dòng dự toán không đọc được", text=raw))
            continue
        kind = "num" if re.fullmatch(r"\d+\.", code) else "letter" if re.fullmatch(r"[a-zđ]\.", code) else code
        level = levels[kind]
        parent = None
        for lv in range(level - 1, 0, -1):
            if lv in stack:
                parent = stack[lv]
                break
        amount = None
        if amount_text is not None:
            try:
                amount = to_vnd(amount_text, unit)
            except NumberFormatError as exc:
                issues.append(ParseIssue(idx, f"Không đọc được số tiền: {exc}", severity="error", text=raw))
        source = classify_source(desc) if kind in ("letter",) else None
        if source is None and parent is not None:
            source = parent.funding_source if parent.funding_source != "MIXED" else None
        bl = BudgetLine(
            line_id=f"DT{year}/{'/'.join(s.code or '' for s in _chain(stack, level))}{'/' if level > 1 else ''}{code.rstrip('.')}#{idx}",
            fiscal_year=year,
            phase=STAGE_PHASE[stage],
            phase_vn=stage,
            direction="expenditure",
            funding_source=source or "UNSPECIFIED",
            funding_note=desc if kind == "letter" and source else None,
            source_line=idx,
            amount_vnd=amount,
            amount_text=amount_text,
            amount_unit=(unit or "triệu đồng").lower(),
            description=desc,
            appendix=f"Dự toán {year}",
            section=None,
            code=code.rstrip("."),
            parent_id=parent.line_id if parent else None,
            level=level,
            period=f"Năm {year}",
            quarters=(1, 2, 3, 4),
            note=note,
        )
        for lv in [k for k in stack if k >= level]:
            del stack[lv]
        stack[level] = bl
        made.append(bl)
        if parent is not None:
            children.setdefault(parent.line_id, []).append(bl)
    by_id = {bl.line_id: bl for bl in made}

    def leaves(bl: BudgetLine) -> list[BudgetLine]:
        kids = children.get(bl.line_id, [])
        if not kids:
            return [bl]
        return [lf for k in kids for lf in leaves(k)]

    for bl in made:
        kids = children.get(bl.line_id, [])
        bl.is_subtotal = bool(kids)
        if bl.is_subtotal and bl.funding_source == "UNSPECIFIED":
            kinds = {lf.funding_source for lf in leaves(bl) if lf.amount_vnd is not None}
            bl.funding_source = kinds.pop() if len(kinds) == 1 else "MIXED"
        if bl.is_subtotal and bl.amount_vnd is not None:
            result.totals.append(
                PrintedTotal(
                    scope=f"Dự toán {year} / {bl.code}. {bl.description}",
                    label=f"{bl.code}. {bl.description}",
                    kind="subtotal",
                    fiscal_year=year,
                    phase_vn=stage,
                    printed_amount_vnd=bl.amount_vnd,
                    source_line=bl.source_line,
                    covers=[lf.line_id for lf in leaves(bl)],
                )
            )
    for bl in made:
        if bl.parent_id and bl.parent_id not in by_id:  # pragma: no cover - defensive
            issues.append(ParseIssue(bl.source_line, "Dòng dự toán mất dòng cha"))
    result.budget_lines.extend(made)


def _chain(stack: dict[int, BudgetLine], level: int) -> list[BudgetLine]:
    return [stack[lv] for lv in sorted(stack) if lv < level]


def parse(lines: list[str], meta: DocumentMeta) -> ParseResult:
    """Read the 2020–2021 plan/execution table and the plan-year estimate.

    ``lines``: the document's text lines. Amounts are converted from triệu đồng to integer
    đồng ("7.665,99" → 7,665,990,000). Returns budget lines with stages KHTW giao /
    KH UBND giao (phase ``approved``), thực hiện / thực hiện 6 tháng đầu năm (``executed``)
    and đề xuất (``proposed``), plus the printed totals and section subtotals.
    Source: ``001_3dc3e512645fa543.txt`` (Sở KH&CN Điện Biên, Kế hoạch KH&CN năm 2022).
    """
    meta.layout = LAYOUT
    meta.kind = meta.kind or "plan"
    result = ParseResult(meta=meta)
    for idx, raw in enumerate(lines[:20], start=1):
        m = re.match(r"^\s*Số\s*:\s*(?P<n>.*?)\s*$", raw)
        if m and not meta.number:
            number = m.group("n").strip()
            meta.number = number if number and not number.startswith("/") else None
        m = re.search(r"ngày\s*(?P<d>\d*)\s*tháng\s*(?P<m>\d*)\s*năm\s*(?P<y>\d{4})", raw)
        if m and not meta.issued_text and not meta.issued_date:
            meta.issued_text = " ".join(raw.split(",", 1)[-1].split())
    _read_table(lines, result)
    _read_estimate(lines, result)
    years = sorted({bl.fiscal_year for bl in result.budget_lines})
    meta.fiscal_years = sorted(set(meta.fiscal_years) | set(years))
    actuals, issues = narrative.extract_actuals(lines, meta)
    result.actuals.extend(actuals)
    result.issues.extend(issues)
    return result
