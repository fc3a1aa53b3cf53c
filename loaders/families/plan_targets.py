"""Plans with indicator targets, focus tasks and key projects: one profile per table family on
the table model (``loaders.tables``), for any subset of appendices.

Seen: ``data/raw/003_912c6259a13f4ad4.txt`` (Điện Biên 2026, PDF text: Phụ lục I "DANH MỤC
CÁC CHỈ TIÊU CỤ THỂ", Phụ lục II "DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM", Phụ lục III "DANH MỤC
CÁC DỰ ÁN TRỌNG TÂM"); vocabulary in ``../shared/GLOSSARY.md``. A plan may hold only targets,
targets and tasks, tasks or projects in appendices, or a target table with no "Phụ lục"
heading; tables are tab-separated or PDF text (``loaders.families.plan_doc.read_tables``). Which table
is which comes from its header (``data/vocabulary/columns.csv``), never from its position:

* a **target table** has a name column ("Mục tiêu", "Chỉ tiêu", "Nội dung") and a target
  column ("Năm 2026", "Kế hoạch năm 2026", "Chỉ tiêu"), usually a lead unit ("Đơn vị chủ trì
  tổng hợp", "Cơ quan chủ trì"), a unit of measure ("ĐVT") and a note or legal basis ("Ghi
  chú", "Căn cứ"). Rows are headings and targets outlined I → 1 → 1.1 → - → +; a row with no
  target and no lead followed by a deeper row is a heading. → :class:`IndicatorTarget`;
* a **task or project table** → ``loaders.families.task_plan.read_task_table``.

Ids: ``<prefix>/<scope>/<n>``: the prefix is the appendix label ("PLI" for "Phụ lục I",
"PL2" for "Phụ lục 2", "CT" for a target table printed without one); a target numbered in
the table keeps its number ("PL/12"; the heading's code comes first when numbers restart);
a "-" target takes its rank under the nearest numbered heading ("PLI/2.1/1"), a "+" target
the rank of its "-" and its own ("PLI/2.1/2.1").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Mapping

from loaders.families.plan_cells import (
    PROFILE,
    TargetFormatError,
    norm,
    parse_target,
    split_citations,
    target_remark,
)
from loaders.families.plan_doc import (
    Region,
    plan_year,
    read_headers,
    read_tables,
    regions,
)
from loaders.families.task_plan import is_task_table, read_task_table
from loaders.model import DocumentMeta, IndicatorActual, IndicatorTarget, ParseIssue, ParseResult, RatioCheck
from loaders.tables.model import Row, SourceRow, Table
from loaders.tables.plan import header_periods
from loaders.text.numbers import check_percent, looks_like_number
from loaders.text.outline import code_depth, code_kind
from loaders.text.periods import quarter_bounds

__all__ = ["LAYOUT", "TargetFormatError", "detect", "parse", "parse_target"]

LAYOUT = "plan_targets"
#: Id prefix of a target table printed without an appendix heading ("CT/3": chỉ tiêu 3).
NO_APPENDIX_PREFIX = PROFILE.words["target_prefix"]



def is_target_table(roles: list[str | None]) -> bool:
    """A table of indicator targets: a name column and a target column."""
    return "description" in roles and "target" in roles


def _text(row: Row, role: str) -> str | None:
    cell = row.get(role)
    return norm(cell.text) if cell and norm(cell.text) else None


@dataclass
class _Heading:
    level: int
    code: str
    title: str


_NO_FIGURE = frozenset({"-", "–", "—", "x", "X"})
_PERCENT_HEAD_RE = re.compile(r"%|tỷ lệ|tỉ lệ|so với", re.IGNORECASE)


def _percent_columns(table: Table, results: list[_ResultColumn]) -> list[tuple[int, str, int, int]]:
    """The percentage columns of a results table and what each divides: ``[(index, header,
    numerator index, denominator index)]``. From the row of column numbers when it prints a
    formula ("7=6/4"), else the widest result column (the cumulative figure) over the targets
    ("Tỷ lệ so với KH (%)")."""
    target = next((c.index for c in table.header.columns if c.role == "target"), None)
    numbers = table.column_numbers or []
    by_number = {clean_number: k for k, t in enumerate(numbers) for clean_number in [t.strip().strip("()")] if clean_number}
    widest = min(results, key=lambda r: (r.start, -r.end.toordinal()), default=None)
    out = []
    for c in table.header.columns:
        if c.role not in (None, "ratio") or not c.text or not _PERCENT_HEAD_RE.search(c.text):
            continue
        formula = numbers[c.index] if c.index < len(numbers) else ""
        m = re.fullmatch(r"\(?\s*\w+\s*=\s*(\w+)\s*/\s*(\w+)\s*\)?", formula.strip())
        if m and m.group(1) in by_number and m.group(2) in by_number:
            out.append((c.index, c.text, by_number[m.group(1)], by_number[m.group(2)]))
        elif widest is not None and target is not None:
            out.append((c.index, c.text, widest.index, target))
    return out


def _figure(text: str | None) -> float | None:
    """A figure of a results table as a number ("1.400", "86,4", "95%", the value of a target
    "≥ 80"), ``None`` otherwise."""
    if not text or norm(text) in {"-", "x", "X"}:
        return None
    try:
        _, value, _, qualitative = parse_target(norm(text))
    except TargetFormatError:
        return None
    return None if qualitative else value


def _check_percentages(row: Row, table: Table, checks: list[tuple[int, str, int, int]], label: str, year: int,
                       result: ParseResult) -> None:
    """Each percentage of a results row against the two figures it divides: a
    :class:`RatioCheck` (match / mismatch / unchecked with the reason); a mismatch is also a
    warning naming the line (the printed percentage is never used)."""
    for index, header, num_i, den_i in checks:
        cell = row.cells[index] if index < len(row.cells) else None
        if cell is None or not norm(cell.text) or norm(cell.text) in {"-", "x", "X"}:
            continue
        check = RatioCheck(scope=label, code=row.code, column_label=header, printed=norm(cell.text),
                           source_line=cell.line or row.line, fiscal_year=year,
                           source_ref=cell.where if cell.where != row.where else None)
        result.ratios.append(check)
        printed = _figure(cell.text.replace("%", ""))
        num, den = (_figure(row.cells[i].text) if i < len(row.cells) and row.cells[i] is not None else None
                    for i in (num_i, den_i))
        if printed is None:
            check.detail = "ô tỷ lệ không phải số"
            continue
        if num is None or not den:
            check.detail = "thiếu số liệu để tính tỷ lệ"
            continue
        check.computed, ok = check_percent(norm(cell.text), num, den)
        check.status = "match" if ok else "mismatch"
        if not ok:
            check.detail = f"in {check.printed} nhưng {num:g} / {den:g} = {check.computed}%"
            result.issues.append(ParseIssue(check.source_line, f"{label}: tỷ lệ '{header}' in {check.printed} nhưng tính từ "
                                            f"số liệu là {check.computed}% — không dùng tỷ lệ in sẵn", text=row.text()))


def unread_columns(table: Table, result: ParseResult) -> None:
    """Say which columns of a target table printing figures were not read ("Thực hiện 2024"
    with no stage beside "Kế hoạch 2025", a "Tỷ lệ (%)" of the results), never leave them in
    silence: one warning per column, on the header's line."""
    results = result_columns(table, 2000)  # the periods do not matter here, only which columns
    checked = {index for index, *_ in _percent_columns(table, results)} if results else set()
    for c in table.header.columns:
        if c.role is None and c.index not in checked and c.text and any(
                r.kind == "item" and c.index < len(r.cells) and r.cells[c.index] is not None
                and looks_like_number(r.cells[c.index].text) for r in table.rows):
            result.issues.append(ParseIssue(table.header.line, f"cột '{c.text}' có số liệu nhưng không phải chỉ tiêu "
                                            "của năm kế hoạch hay kết quả thực hiện: không đọc cột này", text=c.text))


@dataclass(frozen=True)
class _ResultColumn:
    """A column of results beside the targets: its index, header and the period it covers."""

    index: int
    text: str
    period: str  # "Q3/2025", "9T/2025" (cumulative from 1 January), "H1/2025", "2024"
    start: date
    end: date
    year: int


def _period_label(quarters: tuple[int, ...], year: int, cumulative: bool) -> str:
    """(3,) → "Q3/2025"; (1, 2) → "H1/2025"; (1, 2, 3) → "9T/2025" (nine months, the
    cumulative figure of an execution report); (1, 2, 3, 4) → "2025"; else "Q2–Q3/2025"."""
    if quarters == (1, 2, 3, 4):
        return str(year)
    if len(quarters) == 1 and not cumulative:
        return f"Q{quarters[0]}/{year}"
    if quarters == (1, 2):
        return f"H1/{year}"
    if quarters == (3, 4):
        return f"H2/{year}"
    if quarters[0] == 1:
        return f"{3 * quarters[-1]}T/{year}"
    return f"Q{quarters[0]}–Q{quarters[-1]}/{year}"


def result_columns(table: Table, year: int, doc_quarters: tuple[int, ...] = ()) -> list[_ResultColumn]:
    """The columns of results (role "actual", ``loaders.families.plan_flow.PlanTyper``) of a
    target table with the period each covers, from its header (``header_periods``: "Thực
    hiện quý III" → Q3; "Lũy kế 9 tháng" → 1 January to 30 September; "Thực hiện 2024" → the
    year 2024). A header that names no period covers the document's own period
    (``doc_quarters``: a report's quarter; ``()``: the whole year of ``year``)."""
    out = []
    for c in table.header.columns:
        if c.role != "actual":
            continue
        quarters, cumulative, _ = header_periods(c.text, doc_quarters)
        quarters = tuple(quarters) or tuple(doc_quarters) or (1, 2, 3, 4)
        if cumulative:
            quarters = tuple(range(1, max(quarters) + 1))
        y = c.year or year
        out.append(_ResultColumn(c.index, c.text, _period_label(quarters, y, cumulative),
                                 quarter_bounds(quarters[0], y)[0], quarter_bounds(quarters[-1], y)[1], y))
    return out


_DONE_RE = re.compile(r"^(?:đã\s+)?(?:hoàn thành|đạt)\b", re.I)
_NOT_DONE_RE = re.compile(r"^(?:chưa|không)\s+(?:hoàn thành|đạt)\b", re.I)


def _actual_value(text: str) -> tuple[float | None, str | None, str | None]:
    """A result cell → ``(value, unit, why not read)``: a number in the indicator's unit
    ("1.234", "95,5%"); "Hoàn thành"/"Đạt" → 1, "Chưa hoàn thành"/"Không đạt" → 0 (the
    convention of ``warehouse.kpi`` for qualitative targets); anything else (a comparator, a
    range, words) is not read and the reason is given."""
    t = norm(text)
    if _NOT_DONE_RE.match(t):
        return 0.0, None, None
    if _DONE_RE.match(t):
        return 1.0, None, None
    try:
        comp, value, unit, qual = parse_target(t)
    except TargetFormatError as exc:
        return None, None, str(exc)
    if qual or value is None:
        return None, None, f"kết quả không phải số: {text!r}"
    if comp != "=":
        return None, None, f"kết quả in kèm dấu so sánh ({comp}), không phải số đã đạt: {text!r}"
    return value, unit, None


def _read_actuals(row: Row, ind: IndicatorTarget, columns: list[_ResultColumn], label: str,
                  result: ParseResult) -> None:
    """One :class:`IndicatorActual` per result column printing a figure for the target
    ``ind`` (id ``<indicator id>@<period>``, its name, unit: the cell's, else the target's,
    else the ĐVT column's); a cell that cannot be read is a warning naming its line."""
    for col in columns:
        cell = row.cells[col.index] if col.index < len(row.cells) else None
        text = norm(cell.text) if cell is not None else ""
        if not text or text in {"-", "x", "X", "–", "—"}:
            continue
        value, unit, why = _actual_value(text)
        line = cell.line or row.line
        if value is None:
            result.issues.append(ParseIssue(line, f"{label}: cột '{col.text}': {why}; không đọc kết quả này", text=text))
            continue
        result.actuals.append(IndicatorActual(
            actual_id=f"{ind.indicator_id}@{col.period}", name=ind.name, period=col.period, value=value,
            source_line=line, unit=unit or ind.target_unit or _text(row, "measure"),
            period_start=col.start, period_end=col.end, fiscal_year=col.year, note=f"cột '{col.text}'",
            source_ref=cell.where if cell.where != row.where else None,
        ))


def read_target_table(table: Table, region: Region, year: int, lines: list[str], result: ParseResult,
                      targets: bool = True, doc_quarters: tuple[int, ...] = ()) -> None:
    """Read one target table into ``result.indicators`` (and issues). Targets are read with
    :func:`loaders.families.plan_cells.parse_target`; one that cannot be read is kept with
    ``parsed=False`` and a warning naming its line. The figures of its result columns
    (:func:`result_columns`) become ``result.actuals`` of the row's indicator.
    ``targets=False`` (a report: the year's targets belong to the plan) reads the results
    only; ``doc_quarters``: the quarters of the document's own period, for a result column
    that names none."""
    issues = result.issues
    prefix = region.prefix or NO_APPENDIX_PREFIX
    results = result_columns(table, year, doc_quarters)
    percents = _percent_columns(table, results) if results else []
    rows = [r for r in table.rows if r.kind != "total"]
    numbered = [r.code for r in rows if r.code and code_kind(r.code) in ("number", "sub", "subsub") and r.get("target")]
    unique_numbers = len(set(numbered)) == len(numbered)
    stack: list[_Heading] = []
    dashes: dict[str, int] = {}
    pluses: dict[tuple[str, int], int] = {}
    used: set[str] = set()
    notes_used: set[str] = set()
    for k, row in enumerate(rows):
        # a heading printed without code ("<b>Khoa học và công nghệ</b>") opens a section
        level = code_depth(row.code) if row.code or row.kind != "heading" else -1
        name = _text(row, "description") or ""
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        data = row.get("target") or row.get("lead")
        deeper = nxt is not None and code_depth(nxt.code) > level
        if row.code is None and row.kind != "heading" and not data:
            issues.append(ParseIssue(row.line, f"{region.label or 'Bảng chỉ tiêu'}: dòng không thuộc chỉ tiêu nào, bỏ qua",
                                     text=row.text()))
            continue
        while stack and stack[-1].level >= level:
            stack.pop()
        scope = next((h.code for h in reversed(stack) if h.level <= 4), None)
        if row.code == "-":
            dashes[scope or ""] = dashes.get(scope or "", 0) + 1
        if row.kind == "heading" or (not data and (deeper or level <= 1)):
            title = name or norm(row.text())
            if title:
                stack.append(_Heading(level, row.code or "", title))
            continue
        if row.code == "+":
            d = dashes.get(scope or "", 0)
            pluses[(scope or "", d)] = pluses.get((scope or "", d), 0) + 1
            local = f"{d}.{pluses[(scope or '', d)]}"
        elif row.code == "-":
            local = str(dashes[scope or ""])
        else:
            local = row.code or str(k + 1)
        if row.code and row.code not in "-+" and unique_numbers:
            scope = None
        indicator_id = f"{prefix}/{scope}/{local}" if scope else f"{prefix}/{local}"
        while indicator_id in used:
            indicator_id += "'"
        used.add(indicator_id)
        titles = [h.title for h in stack]
        ind = IndicatorTarget(
            indicator_id=indicator_id,
            fiscal_year=year,
            name=name,
            source_line=(row.get("description").line if row.get("description") else None) or row.line,
            group=titles[0] if titles else None,
            subgroup=" / ".join(titles[1:]) or None,
            target_text=_text(row, "target"),
            lead_unit=_text(row, "lead"),
        )
        label = f"{region.label or 'Bảng chỉ tiêu'} {indicator_id}"
        _notes(ind, row, table, notes_used)
        _check_percentages(row, table, percents, label, year, result)
        if not targets:
            ind.target_unit = _text(row, "measure")
            _read_actuals(row, ind, results, label, result)
            continue
        if ind.target_text in _NO_FIGURE:
            # "-" under the plan year: no target is set for it (its results, if any, are read)
            _read_actuals(row, ind, results, label, result)
            continue
        _target(ind, row, label, issues)
        _read_actuals(row, ind, results, label, result)
        if not name:
            issues.append(ParseIssue(row.line, f"{label}: không có tên chỉ tiêu", text=row.text()))
        if ind.lead_unit is None and "lead" in table.header.roles():
            issues.append(ParseIssue(ind.source_line, f"{label}: không thấy đơn vị chủ trì", text=name))
        for n in row.split_lines:
            issues.append(ParseIssue(n, f"{label}: dòng sau ngắt trang in chung nhiều cột, đã chia theo loại chữ",
                                     text=norm(lines[n - 1])))
        result.indicators.append(ind)
    for mark, cell in table.footnotes.items():
        if mark not in notes_used:
            issues.append(ParseIssue(cell.line, f"{region.label or 'Bảng chỉ tiêu'}: chú thích {mark} không gắn được vào chỉ tiêu nào",
                                     text=cell.text))


def _notes(ind: IndicatorTarget, row: Row, table: Table, used: set[str]) -> None:
    """Legal basis (citations of the note or basis column) and note (the target's
    parenthesis, other text of the note column, the row's footnotes)."""
    notes = []
    if ind.target_text:
        remark = target_remark(ind.target_text)
        if remark and re.search(r"\d", ind.target_text.split("(")[0]):
            notes.append(remark)
    legal, residue = split_citations(" ; ".join(t for t in (_text(row, "basis"), _text(row, "note")) if t))
    ind.legal_basis = legal or None
    if residue:
        notes.append(residue)
    for mark in row.footnotes:
        if mark in table.footnotes:
            notes.append(table.footnotes[mark].text)
            used.add(mark)
    ind.note = "; ".join(notes) or None


def _target(ind: IndicatorTarget, row: Row, label: str, issues: list[ParseIssue]) -> None:
    if ind.target_text is None:
        ind.parsed = False
        issues.append(ParseIssue(ind.source_line, f"{label}: không tìm thấy chỉ tiêu năm", text=ind.name))
        return
    try:
        comp, value, unit, qual = parse_target(ind.target_text)
    except TargetFormatError as exc:
        ind.parsed = False
        issues.append(ParseIssue(row.get("target").line, f"{label}: {exc}", text=ind.target_text))
        return
    ind.comparator, ind.target_value, ind.qualitative = comp, value, qual
    ind.target_unit = unit or (_text(row, "measure") if not qual else None)


def detect(lines: list[str], rows: Mapping[int, SourceRow] | None = None) -> bool:
    """True when the document holds a target table, or a task or project table under an
    appendix heading ("Phụ lục II"). Never raises."""
    try:
        for region in regions(lines):
            for roles in read_headers(lines, region, rows):
                if is_target_table(roles):
                    return True
                if region.label and "description" in roles and set(roles) & {"lead", "partners", "result"}:
                    return True
    except Exception:  # detect never raises: a layout it cannot read is not its layout
        return False
    return False


def parse(lines: list[str], meta: DocumentMeta, rows: Mapping[int, SourceRow] | None = None) -> ParseResult:
    """Read every target, task and project table of a plan (``003_912c6259a13f4ad4.txt`` and
    plans of other provinces with any subset of its appendices).

    ``lines``: the document's text lines; every record's ``source_line`` is 1-based (an
    indicator's or a task's: the line where its name starts; an amount's: where it is
    printed). Returns a :class:`ParseResult` with ``indicators`` (targets in their printed
    unit, see :func:`parse_target`; unreadable ones kept with ``parsed=False``), ``tasks``
    (kind "task" or "project"), ``budget_lines`` (proposed amounts in đồng, linked by
    ``task_id``), ``totals`` and ``issues``. ``meta`` is completed in place (number, issued
    date or text, title, issuer, province from "UBND TỈNH …" when the manifest gives none,
    kind, layout, fiscal year) without overwriting fields already set.

    Raises ``ValueError`` when the text is not this layout (:func:`detect` is False) or
    names no plan year (title "… năm 2026" or manifest).
    """
    if not detect(lines, rows):
        raise ValueError("không phải kế hoạch có bảng chỉ tiêu hoặc phụ lục nhiệm vụ / dự án")
    result = ParseResult(meta=meta)
    parts = regions(lines)
    first_appendix = parts[1].start if len(parts) > 1 else len(lines)
    year = plan_year(lines, meta, first_appendix, result.issues)
    if year is None:
        raise ValueError("không xác định được năm kế hoạch (tiêu đề không có 'năm YYYY')")
    meta.layout = meta.layout or LAYOUT
    meta.kind = meta.kind or "plan"
    for region in parts:
        tsv = any(ln.count("\t") >= 2 for ln in lines[region.start - 1 : region.end])
        for table in read_tables(lines, region, meta.file_name, year, result.issues, rows):
            if is_target_table(table.header.roles()):
                # a report's table repeats the plan's targets beside its results: results only
                read_target_table(table, region, year, lines, result, targets=meta.kind != "report")
                unread_columns(table, result)
            elif is_task_table(table):
                read_task_table(table, region, year, result, tsv)
    return result
