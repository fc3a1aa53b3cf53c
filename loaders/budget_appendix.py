"""Budget appendices ("Phụ lục 1–7"), one table per unit, as extracted from PDF.

Layout (Điện Biên, Dự toán kinh phí 2024, ``000_…``; see ``../shared/GLOSSARY.md``):

* ``Phụ lục N`` opens an appendix; ``(Kèm theo Kế hoạch số 68/KH-SKHCN ngày 18 tháng 01
  năm 2024 …)`` names the plan it belongs to; ``Đơn vị tính: Đồng`` gives the amount unit.
* A header line ``TT Nội dung thực hiện …`` opens a table segment. Each row is
  ``<code> [description] [timing] [amount] [note]``; codes are Roman numerals (sections),
  numbers such as ``1`` / ``3.1`` (items) and ``-`` (sub-items).
* ``TỔNG CỘNG``, ``TỔNG CỘNG (II)``, ``Tổng cộng (I+II+III)`` are printed totals, followed by
  ``(Bằng chữ: …)``, the total in words.
* The PDF extraction moved multi-line cells out of the table: after each table segment come
  the title, ``Phòng/đơn vị: <unit>`` and then, in row order, the descriptions of the rows
  that lack one and the source notes ("Nguồn QLNN") of the rows that lack one. They are
  re-attached here in that order.

Rules: a section's or parent's funding source is inherited by its children; a line whose
description starts with "Thu" (fee collection) is revenue; a line with child lines that
carry amounts is a subtotal, reconciled against its children, never added to them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .model import STAGE_PHASE, BudgetLine, DocumentMeta, ParseIssue, ParseResult, PrintedTotal
from .numbers import VND_AMOUNT_RE, NumberFormatError, to_vnd, unit_factor, words_to_vnd
from .periods import QUARTER_RE, YEAR_RE, PeriodFormatError, parse_period
from .sources import classify_source, is_source_note

LAYOUT = "budget_appendix"
STAGE = "dự toán"

APPENDIX_RE = re.compile(r"^\s*Phụ lục\s+(?P<n>[0-9IVX]+)\s*$", re.I)
ATTACHED_TO_RE = re.compile(
    r"Kèm theo\s+(?P<kind>Kế hoạch|Quyết định|Công văn)\s+số\s+(?P<number>[\w/\-.]+)"
    r"(?:\s+ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4}))?",
    re.I,
)
UNIT_OF_MEASURE_RE = re.compile(r"^\s*Đơn vị tính\s*:\s*(?P<unit>.+?)\s*$", re.I)
ORG_UNIT_RE = re.compile(r"^\s*Phòng\s*/\s*đơn vị\s*:\s*(?P<unit>.+?)\s*$", re.I)
HEADER_RE = re.compile(r"^\s*TT\s+Nội dung", re.I)
TOTAL_RE = re.compile(
    r"^\s*(?P<label>(?:TỔNG CỘNG|Tổng cộng|TỔNG SỐ|Tổng số)\s*(?:\((?P<scope>[IVX+\s]+)\))?)\s*(?P<amount>\S+)?\s*$"
)
WORDS_RE = re.compile(r"^\s*\(?\s*Bằng chữ\s*:", re.I)
TITLE_RE = re.compile(r"^\s*(DỰ TOÁN KINH PHÍ|KHOA HỌC, CÔNG NGHỆ)", re.I)
TITLE_YEAR_RE = re.compile(r"NĂM\s+(?P<y>(?:19|20)\d{2})\s*$")
ROW_RE = re.compile(r"^\s*(?P<code>(?:IX|IV|V?I{1,3}|V|X)(?=\s|$)|\d+(?:\.\d+)*\.?(?=\s|$)|-(?=\s))\s*(?P<rest>.*)$")
# Fragments of the wrapped table header ("Thời gian / thực hiện", "Dự toán kinh / phí").
HEADER_FRAGMENTS = {
    "thời gian",
    "thực hiện",
    "thời gian thực hiện",
    "dự toán kinh",
    "dự toán",
    "kinh phí",
    "phí",
    "dự toán kinh phí",
    "ghi chú",
}
TIMING_AT_END_RE = re.compile(rf"(?:{QUARTER_RE.pattern}|{YEAR_RE.pattern.replace('?P<label>', '?P<ylabel>')})\s*$")


def detect(lines: list[str]) -> bool:
    """True when the text holds budget appendices of this layout: a "Phụ lục N" heading,
    a "TT Nội dung thực hiện" table header and a "TỔNG CỘNG" total."""
    text = "\n".join(lines)
    return bool(
        re.search(r"^\s*Phụ lục\s+\d+\s*$", text, re.M | re.I)
        and re.search(r"^\s*TT\s+Nội dung thực hiện", text, re.M)
        and re.search(r"TỔNG CỘNG|Tổng cộng", text)
    )


@dataclass
class _Row:
    code: str
    line: int
    raw: str
    description: str | None
    period_text: str | None
    amount_text: str | None
    note: str | None
    description_line: int | None = None
    note_line: int | None = None
    segment: int = 0
    children: list["_Row"] = field(default_factory=list)
    parent: "_Row | None" = None
    section: str | None = None
    level: int = 1
    line_id: str = ""


@dataclass
class _Block:
    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return _join(self.lines)


@dataclass
class _Total:
    label: str
    scope: str | None
    amount_text: str | None
    line: int
    words_text: str | None = None
    words_line: int | None = None


@dataclass
class _Appendix:
    name: str
    line: int
    unit: str | None = None
    unit_line: int | None = None
    measure: str = "đồng"
    rows: list[_Row] = field(default_factory=list)
    totals: list[_Total] = field(default_factory=list)
    # blocks printed after table segment k (descriptions and notes of its rows)
    blocks: dict[int, list[_Block]] = field(default_factory=dict)
    segments: int = 0


def _join(parts: list[str]) -> str:
    """Join wrapped lines of one cell, mending words split by a hyphen at the line end."""
    out = ""
    for part in parts:
        p = part.strip()
        if not p:
            continue
        if out.endswith("-") and not out.endswith(" -"):
            out += p
        elif out:
            out += " " + p
        else:
            out = p
    return " ".join(out.split())


def _split_row(rest: str) -> tuple[str | None, str | None, str | None, str | None]:
    """Split the text after a row code into (description, timing, amount, note)."""
    amount_text = None
    note = None
    before = rest
    matches = list(VND_AMOUNT_RE.finditer(rest))
    if matches:
        m = matches[-1]
        amount_text = m.group(0)
        before = rest[: m.start()]
        note = rest[m.end():].strip() or None
    period_text = None
    t = TIMING_AT_END_RE.search(before.rstrip())
    if t:
        period_text = " ".join(t.group(0).split())
        before = before.rstrip()[: t.start()]
    elif amount_text is None:
        # no amount: a heading, or a line such as "1.1 Quý II, III" (timing only)
        pass
    description = " ".join(before.split()) or None
    return description, period_text, amount_text, note


def _read_structure(lines: list[str], issues: list[ParseIssue]) -> tuple[list[_Appendix], dict]:
    """First pass: appendices, table rows, totals and the text blocks after each segment."""
    appendices: list[_Appendix] = []
    doc: dict = {}
    current: _Appendix | None = None
    in_table = False
    block: list[str] = []
    block_start = 0
    last_total: _Total | None = None

    def flush_block() -> None:
        nonlocal block
        if current is not None and block:
            text = _join(block)
            if text.lower() not in HEADER_FRAGMENTS:
                current.blocks.setdefault(current.segments, []).append(_Block(block_start, block))
        block = []

    for idx, raw in enumerate(lines, start=1):
        line = raw.strip()
        if APPENDIX_RE.match(line):
            flush_block()
            current = _Appendix(name=f"Phụ lục {APPENDIX_RE.match(line).group('n')}", line=idx)
            appendices.append(current)
            in_table = False
            last_total = None
            continue
        if current is None:
            continue
        m = ATTACHED_TO_RE.search(line)
        if m:
            doc.setdefault("attached", (m, idx))
            continue
        m = UNIT_OF_MEASURE_RE.match(line)
        if m:
            current.measure = m.group("unit")
            continue
        if HEADER_RE.match(line):
            flush_block()
            in_table = True
            current.segments += 1
            continue
        if not line:
            flush_block()
            continue
        if in_table:
            if line.lower() in HEADER_FRAGMENTS:
                continue
            m = TOTAL_RE.match(line)
            if m:
                last_total = _Total(m.group("label").strip(), m.group("scope"), m.group("amount"), idx)
                current.totals.append(last_total)
                in_table = False
                continue
            m = ROW_RE.match(line)
            if m and m.group("code"):
                code = m.group("code").rstrip(".")
                desc, period, amount, note = _split_row(m.group("rest"))
                if code == "-" and amount is None and period is None:
                    in_table = False  # a bulleted description block, not a row
                else:
                    current.rows.append(
                        _Row(code, idx, line, desc, period, amount, note, segment=current.segments)
                    )
                    continue
            else:
                in_table = False
        # outside a table
        if WORDS_RE.match(line):
            flush_block()
            if last_total is not None and last_total.words_text is None:
                last_total.words_text = line
                last_total.words_line = idx
            else:
                issues.append(ParseIssue(idx, "Số bằng chữ không đi kèm tổng cộng nào", text=line))
            continue
        m = ORG_UNIT_RE.match(line)
        if m:
            flush_block()
            current.unit = m.group("unit")
            current.unit_line = idx
            continue
        if TITLE_RE.match(line):
            flush_block()
            ty = TITLE_YEAR_RE.search(line)
            if ty:
                doc.setdefault("title_year", int(ty.group("y")))
                doc.setdefault("title", None)
            continue
        if line.lower() in HEADER_FRAGMENTS and not block:
            continue
        if not block:
            block_start = idx
        block.append(raw)
    flush_block()
    return appendices, doc


def _split_candidates(block: _Block) -> list[tuple[int, int]]:
    """Positions inside a block where a new description may start: (score, index)."""
    out = []
    for i in range(1, len(block.lines)):
        prev = block.lines[i - 1].rstrip()
        nxt = block.lines[i].strip()
        if not nxt or not nxt[0].isupper():
            continue
        score = 1
        if prev.endswith((")", ".", ";", ":", "…")):
            score += 2
        out.append((score, i))
    return out


def _fit_blocks(blocks: list[_Block], needed: int) -> list[_Block]:
    """Split blocks at the most likely boundaries until there are ``needed`` of them."""
    blocks = list(blocks)
    while len(blocks) < needed:
        best = None
        for bi, b in enumerate(blocks):
            for score, pos in _split_candidates(b):
                if best is None or score > best[0]:
                    best = (score, bi, pos)
        if best is None:
            break
        _, bi, pos = best
        b = blocks[bi]
        blocks[bi: bi + 1] = [_Block(b.line, b.lines[:pos]), _Block(b.line + pos, b.lines[pos:])]
    return blocks


def _attach_blocks(app: _Appendix, issues: list[ParseIssue]) -> None:
    """Re-attach the descriptions and notes printed after each table segment."""
    for seg in range(1, app.segments + 1):
        rows = [r for r in app.rows if r.segment == seg]
        blocks = app.blocks.get(seg, [])
        notes = [b for b in blocks if is_source_note(b.text)]
        descs = [b for b in blocks if not is_source_note(b.text)]
        lacking = [r for r in rows if r.description is None]
        descs = _fit_blocks(descs, len(lacking))
        if len(descs) != len(lacking):
            issues.append(
                ParseIssue(
                    rows[0].line if rows else app.line,
                    f"{app.name}: {len(lacking)} dòng thiếu nội dung nhưng có {len(descs)} đoạn mô tả "
                    "sau bảng; không gắn được nội dung cho các dòng này",
                )
            )
        else:
            for row, b in zip(lacking, descs):
                row.description = b.text
                row.description_line = b.line
        # A note block belongs to the first row at or after the row whose description
        # precedes it (cells are moved out row by row, column by column).
        order = sorted([(b.line, "desc", b) for b in descs] + [(b.line, "note", b) for b in notes], key=lambda t: t[0])
        cursor = 0
        for _, kind, b in order:
            if kind == "desc":
                owner = next((i for i, r in enumerate(rows) if r.description_line == b.line), None)
                if owner is not None:
                    cursor = owner
                continue
            target = next(
                (i for i in range(cursor, len(rows)) if rows[i].note is None and rows[i].amount_text is not None),
                None,
            )
            if target is None:
                issues.append(ParseIssue(b.line, f"{app.name}: ghi chú nguồn không gắn được vào dòng nào", text=b.text))
                continue
            rows[target].note = b.text
            rows[target].note_line = b.line
            cursor = target + 1


def _build_hierarchy(app: _Appendix) -> None:
    section: _Row | None = None
    last_item: _Row | None = None
    by_code: dict[str, _Row] = {}
    for row in app.rows:
        if re.fullmatch(r"[IVX]+", row.code):
            section = row
            row.parent, row.level, row.section = None, 1, row.code
            last_item = None
            by_code = {}
        elif row.code == "-":
            parent = last_item or section
            row.parent = parent
            row.level = (parent.level + 1) if parent else 1
            row.section = section.code if section else None
        else:
            prefix = row.code.rsplit(".", 1)[0] if "." in row.code else None
            parent = by_code.get(prefix) if prefix else None
            parent = parent or section
            row.parent = parent
            row.level = (parent.level + 1) if parent else 1
            row.section = section.code if section else None
            by_code[row.code] = row
            last_item = row
        if row.parent is not None:
            row.parent.children.append(row)
    used: dict[str, int] = {}
    for row in app.rows:
        path = []
        node: _Row | None = row
        while node is not None:
            path.append(node.code)
            node = node.parent
        base = "/".join([app.name.replace("Phụ lục ", "PL")] + list(reversed(path)))
        n = used.get(base, 0)
        used[base] = n + 1
        row.line_id = base if n == 0 else f"{base}#{n + 1}"


def parse(lines: list[str], meta: DocumentMeta) -> ParseResult:
    """Read budget appendices into budget lines and printed totals.

    ``lines``: the document's text lines (line numbers are 1-based indexes into it).
    ``meta``: metadata from the manifest or command line; ``fiscal_year`` defaults to the
    year printed in the title ("… NĂM 2024"). Amounts are integers in đồng.

    Returns a ``ParseResult`` whose budget lines have phase ``approved`` / stage "dự toán".
    Problems (an unreadable amount, a description that cannot be re-attached) become
    ``ParseIssue`` records; an amount that cannot be read is an error.
    Source: ``000_3dbcd40b8eb90139.txt`` (Kế hoạch 68/KH-SKHCN, Sở KH&CN Điện Biên).
    """
    issues: list[ParseIssue] = []
    appendices, doc = _read_structure(lines, issues)
    year = (meta.fiscal_years[0] if meta.fiscal_years else None) or doc.get("title_year")
    if year is None:
        issues.append(ParseIssue(None, "Không xác định được năm ngân sách (cần --year)", severity="error"))
        return ParseResult(meta=meta, issues=issues)
    if doc.get("title_year") and meta.fiscal_years and doc["title_year"] not in meta.fiscal_years:
        issues.append(
            ParseIssue(None, f"Năm trong tiêu đề ({doc['title_year']}) khác năm khai báo ({year})")
        )
    meta.fiscal_years = meta.fiscal_years or [year]
    meta.layout = LAYOUT
    meta.kind = meta.kind or "budget_appendices"
    if "attached" in doc:
        m, _ = doc["attached"]
        meta.number = meta.number or m.group("number")
        if m.group("y") and meta.issued_date is None:
            meta.issued_date = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        meta.title = meta.title or f"Dự toán kinh phí năm {year} (kèm theo {m.group('kind')} số {m.group('number')})"

    result = ParseResult(meta=meta, issues=issues)
    for app in appendices:
        _attach_blocks(app, issues)
        _build_hierarchy(app)
        if app.unit is None:
            issues.append(ParseIssue(app.line, f"{app.name}: không thấy dòng 'Phòng/đơn vị'"))
        try:
            factor_unit = app.measure
            unit_factor(factor_unit)
        except KeyError:
            issues.append(ParseIssue(app.line, f"{app.name}: đơn vị tính lạ {app.measure!r}", severity="error"))
            continue
        lines_by_row = _rows_to_lines(app, year, issues)
        result.budget_lines.extend(lines_by_row.values())
        result.totals.extend(_totals(app, lines_by_row, year, issues))
    return result


def _source_of(row: _Row) -> tuple[str, str | None]:
    """Funding source of a row: its own note, else a source named by its section heading
    or parent, inherited downwards; ``UNSPECIFIED`` when nothing is printed."""
    own = classify_source(row.note)
    if own:
        return own, row.note
    node = row.parent
    while node is not None:
        inherited = classify_source(node.note) or (
            classify_source(node.description) if node.description and node.description.lower().startswith("nguồn") else None
        )
        if inherited:
            return inherited, node.note or node.description
        node = node.parent
    if row.description and row.description.lower().startswith("nguồn"):
        named = classify_source(row.description)
        if named:
            return named, row.description
    return "UNSPECIFIED", None


def _rows_to_lines(app: _Appendix, year: int, issues: list[ParseIssue]) -> dict[int, BudgetLine]:
    out: dict[int, BudgetLine] = {}
    for row in app.rows:
        amount = None
        if row.amount_text is not None:
            try:
                amount = to_vnd(row.amount_text, app.measure)
            except NumberFormatError as exc:
                issues.append(ParseIssue(row.line, f"Không đọc được số tiền: {exc}", severity="error", text=row.raw))
        elif re.search(r"\d{1,3}[.,]\d{3}|\d[.,]\d+\s*(Nguồn|\(|$)", row.raw.split(None, 1)[-1]):
            issues.append(
                ParseIssue(row.line, "Có số nhưng không đọc được số tiền (sai định dạng?)", severity="error", text=row.raw)
            )
        quarters: tuple[int, ...] = ()
        if row.period_text:
            try:
                period = parse_period(row.period_text)
                quarters = period.quarters
                if period.year and period.year != year:
                    issues.append(ParseIssue(row.line, f"Thời gian {row.period_text!r} khác năm ngân sách {year}"))
            except PeriodFormatError as exc:
                issues.append(ParseIssue(row.line, str(exc), text=row.raw))
        source, note = _source_of(row)
        desc = row.description
        direction = "revenue" if desc and re.match(r"^Thu\b", desc) else "expenditure"
        is_subtotal = any(c.amount_text is not None or c.children for c in row.children)
        if desc is None and not is_subtotal:
            issues.append(ParseIssue(row.line, f"{app.name}: dòng {row.code} không có nội dung", text=row.raw))
        out[id(row)] = BudgetLine(
            line_id=row.line_id,
            fiscal_year=year,
            phase=STAGE_PHASE[STAGE],
            phase_vn=STAGE,
            direction=direction,
            funding_source=source,
            funding_note=note,
            source_line=row.line,
            amount_vnd=amount,
            amount_text=row.amount_text,
            amount_unit=" ".join(app.measure.lower().split()),
            description=desc,
            description_line=row.description_line,
            unit=app.unit,
            appendix=app.name,
            section=row.section,
            code=row.code,
            parent_id=row.parent.line_id if row.parent else None,
            level=row.level,
            is_subtotal=is_subtotal,
            period=row.period_text,
            quarters=quarters,
            note=row.note if row.note and not classify_source(row.note) else None,
        )
    # A subtotal's source and direction summarise its leaves.
    for row in reversed(app.rows):
        bl = out[id(row)]
        if bl.is_subtotal:
            leaves = [out[id(c)] for c in row.children]
            kinds = {leaf.funding_source for leaf in leaves if leaf.amount_vnd is not None}
            if not classify_source(row.note) and kinds:
                bl.funding_source = kinds.pop() if len(kinds) == 1 else "MIXED"
            dirs = {leaf.direction for leaf in leaves}
            if len(dirs) == 1:
                bl.direction = dirs.pop()
    return out


def _leaves(row: _Row) -> list[_Row]:
    if not any(c.amount_text is not None or c.children for c in row.children):
        return [row]
    out: list[_Row] = []
    for c in row.children:
        out.extend(_leaves(c))
    return out


def _words(total: _Total, issues: list[ParseIssue]) -> int | None:
    if total.words_text is None:
        return None
    try:
        return words_to_vnd(total.words_text)
    except NumberFormatError as exc:
        issues.append(ParseIssue(total.words_line, str(exc), text=total.words_text))
        return None


def _totals(app: _Appendix, lines_by_row: dict[int, BudgetLine], year: int, issues: list[ParseIssue]) -> list[PrintedTotal]:
    out: list[PrintedTotal] = []
    top = [r for r in app.rows if r.parent is None]
    for total in app.totals:
        if total.amount_text is None:
            issues.append(ParseIssue(total.line, f"{app.name}: tổng cộng không có số tiền"))
            continue
        try:
            printed = to_vnd(total.amount_text, app.measure)
        except NumberFormatError as exc:
            issues.append(ParseIssue(total.line, f"Không đọc được tổng cộng: {exc}", severity="error"))
            continue
        if total.scope:
            wanted = {s.strip() for s in total.scope.split("+") if s.strip()}
            roots = [r for r in top if r.code in wanted]
            missing = wanted - {r.code for r in roots}
            if missing:
                issues.append(ParseIssue(total.line, f"{app.name}: tổng cộng nhắc tới mục không có: {sorted(missing)}"))
            scope = f"{app.name} ({total.scope.replace(' ', '')})"
        else:
            roots = top
            scope = app.name
        covered = [lf for r in roots for lf in _leaves(r)]
        covered_lines = [lines_by_row[id(r)] for r in covered]
        out.append(
            PrintedTotal(
                scope=scope,
                label=total.label,
                kind="printed_total",
                fiscal_year=year,
                phase_vn=STAGE,
                printed_amount_vnd=printed,
                source_line=total.line,
                covers=[bl.line_id for bl in covered_lines if bl.direction == "expenditure"],
                words_text=total.words_text,
                words_amount_vnd=_words(total, issues),
                words_line=total.words_line,
            )
        )
    for row in app.rows:
        bl = lines_by_row[id(row)]
        if bl.is_subtotal and bl.amount_vnd is not None:
            out.append(
                PrintedTotal(
                    scope=f"{app.name} / {row.code}" + (f" ({row.section})" if row.section and row.section != row.code else ""),
                    label=f"{row.code} {bl.description or ''}".strip(),
                    kind="subtotal",
                    fiscal_year=year,
                    phase_vn=STAGE,
                    printed_amount_vnd=bl.amount_vnd,
                    source_line=row.line,
                    covers=[lines_by_row[id(lf)].line_id for lf in _leaves(row)],
                )
            )
    return out
