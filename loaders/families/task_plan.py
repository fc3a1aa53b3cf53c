"""Task tables of plans: tasks (nhiệm vụ) and key projects (dự án), one profile on the table
model (``loaders.tables``).

A task table is any table whose header (``data/vocabulary/columns.csv``) has a name column
("Nội dung công việc", "Tên nhiệm vụ", "Nhiệm vụ", "Tên dự án" …) and a lead, partners or
result column ("Chủ trì", "Đơn vị chủ trì", "Đơn vị thực hiện"; "Phối hợp"; "Kết quả", "Sản
phẩm" …), in any order and wording; it may have a timing column ("Thời gian thực hiện",
"Thời gian hoàn thành", "Thời hạn"), a proposed budget ("Đề xuất kinh phí … (đồng)", "Kinh
phí (triệu đồng)", "Dự kiến kinh phí (tỷ đồng)"), a funding source ("Nguồn kinh phí", "Nguồn
vốn") and a note ("Ghi chú"). Seen: ``data/raw/004_…`` (Sóc Trăng 2024, tab-separated, 80
tasks, amounts in đồng) and Phụ lục II / III of ``data/raw/003_…`` (PDF text, read by
``loaders.families.plan_targets``). Rows: section headings (a Roman numeral, or a row with only a
title such as "<b>Công tác …</b>"), tasks numbered "1", "13.", printed totals ("Tổng cộng").

Every task becomes a :class:`Task` (kind "project" when the table lists projects: its
appendix title or name header says "dự án"); every amount a :class:`BudgetLine` (phase
"proposed", stage "đề xuất", linked by ``task_id``), in integer đồng from the unit of the
column, of the "Đơn vị tính" line or printed in the cell; a table whose amounts have no unit
at all is refused. The funding source comes from the amount's own note, a source column, a
note naming a source, or the amount column's heading (``loaders.text.sources.classify_source``);
a note that speaks of a source no rule knows is a warning with its line.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Mapping

from loaders.families.plan_cells import (
    ENVELOPE_RE,
    PROFILE,
    SOURCE_WORDS_RE,
    Amount,
    money_unit,
    norm,
    phrases_re,
    read_amount,
    source_of,
    split_lead_unit,
)
from loaders.families.plan_doc import Region, plan_year, read_headers, read_tables, regions
from loaders.model import (
    STAGE_PHASE,
    BudgetLine,
    DocumentMeta,
    ParseIssue,
    ParseResult,
    PrintedTotal,
    Task,
)
from loaders.tables.model import Column, Row, SourceRow, Table
from loaders.text.columns import vocabulary
from loaders.text.normal import clean
from loaders.text.numbers import NO_AMOUNT_RE, NumberFormatError, to_vnd, ungroup_spaces
from loaders.text.outline import is_section
from loaders.text.periods import read_schedule
from loaders.text.sources import classify_source

LAYOUT = "task_plan"
#: Id prefix of a task table printed without an appendix heading ("ST/13": số thứ tự 13).
NO_APPENDIX_PREFIX = PROFILE.words["task_prefix"]
STAGE = PROFILE.stage  # a plan's task budgets are proposals (GLOSSARY "Đề xuất kinh phí")
ESTIMATE_STAGE = "dự toán"  # … unless the title says they are the year's estimate
_COMPLETION_RE = re.compile(rf"\b(?:{phrases_re(PROFILE.list('completion_words'))})\b", re.I)
_DUE_RE = re.compile(rf"\b(?:{phrases_re(PROFILE.list('due_words'))})\b", re.I)
_NAME_SOURCE_RE = re.compile(r"(?P<src>(?:nguồn|Nguồn)\s[^()]*)")


def is_task_table(table: Table) -> bool:
    """A table of tasks or projects: a name column and a lead, partners or result column."""
    roles = set(table.header.roles())
    return "description" in roles and bool(roles & {"lead", "partners", "result"}) and "target" not in roles


def is_project_table(table: Table, title: str) -> bool:
    """A table of projects: its appendix title or its name header says "dự án"."""
    desc = next((c.text for c in table.header.columns if c.role == "description"), "")
    return "DỰ ÁN" in title.upper() or "dự án" in desc.lower()


def _text(row: Row, role: str) -> str | None:
    cell = row.get(role)
    return norm(cell.text) if cell and norm(cell.text) else None


def _line(row: Row, role: str) -> int | None:
    cell = row.get(role)
    return cell.line if cell else None


def _is_heading(row: Row) -> bool:
    """A section of the table: a row without code, or a part letter / Roman numeral ("I",
    "A"), even when it prints the section's amount (a subtotal of its tasks) or its source."""
    if row.kind == "heading":
        return True
    data = ("lead", "partners", "result", "period")
    return is_section(row.code) and not any(row.get(r) for r in data)


@dataclass
class _Context:
    """What every row of a task table shares."""

    table: Table
    region: Region
    year: int
    kind: str
    unit: str | None
    heading: str | None  # text of the amount column's heading
    prefix: str
    with_section: bool  # numbers restart in each section: the id holds the section code
    tsv: bool
    unread: list[int]  # lines of amounts that could not be read
    stage: str = STAGE  # the amount column's stage when its header names one ("Dự toán kinh phí"), else the family's
    section_note: str | None = None  # the source the current section's row names ("I. … | Nguồn SNKH"): its tasks inherit it


def _amount_unit(table: Table, issues: list[ParseIssue]) -> tuple[str | None, bool]:
    """Unit of the amount column (column, then "Đơn vị tính"); an error when amounts are
    printed with no unit anywhere (never guessed). Returns (unit, ok)."""
    col = next((c for c in table.header.columns if c.role == "amount"), None)
    if col is None:
        return None, True
    unit = col.unit or table.unit
    if unit:
        return unit, True
    for row in table.items():
        cell = row.get("amount")
        if cell and re.match(r"^\s*\d", cell.text) and not money_unit(cell.text.split("(")[0]):
            issues.append(ParseIssue(
                table.header.line,
                f"cột kinh phí '{col.text}' không ghi đơn vị tính (đồng, triệu đồng, tỷ đồng) và số tiền "
                f"'{norm(cell.text)}' (dòng {cell.line}) cũng không: không đọc theo đơn vị đoán",
                severity="error",
            ))
            return None, False
    return None, True


def _funding(ctx: _Context, row: Row, amount: Amount, name: str) -> tuple[str, str | None, str | None]:
    """(funding source, funding note, problem) of a row's amount: the first note that names
    a source among the amount's parenthesis, the source column, the note column and a
    parenthesis of the name ("(… đăng ký nguồn chi thường xuyên …)"); else the heading."""
    column = _text(row, "source")  # a source column holds source notes only
    candidates = [amount.note, column, _text(row, "note")]
    m = _NAME_SOURCE_RE.search(" ".join(re.findall(r"\(([^()]*)\)?", name)))
    if m:
        candidates.append(norm(m.group("src")).rstrip(").;"))
    notes = [c for c in candidates if c and (c is column or classify_source(c) or SOURCE_WORDS_RE.search(c))
             and not ENVELOPE_RE.search(c)]
    for note in notes:
        code, funding_note, problem = source_of(note, None)
        if code != "UNSPECIFIED":
            return code, funding_note, None
    if ctx.section_note and not notes:  # the section's source, inherited (GLOSSARY "Nguồn")
        return source_of(ctx.section_note, None)
    return source_of(notes[0] if notes else None, ctx.heading)


def _task(ctx: _Context, row: Row, section: str | None, section_code: str | None, task_id: str, used: set[str],
          result: ParseResult) -> str:
    """Read one task row into ``result`` (its :class:`Task`, its budget line, its issues);
    returns its id (made unique)."""
    issues = result.issues
    while task_id in used:
        task_id += "'"
    used.add(task_id)
    name = _text(row, "description") or ""
    lead, assignees = split_lead_unit(_text(row, "lead"))
    task = Task(
        task_id=task_id,
        fiscal_year=ctx.year,
        name=name,
        source_line=_line(row, "description") or row.line,
        kind=ctx.kind,
        section=section,
        lead_unit=lead,
        assignees=assignees,
        partners=_text(row, "partners"),
        expected_result=_text(row, "result"),
    )
    label = f"{ctx.region.label + ' ' if ctx.region.label else ''}{task_id}"
    if not name:
        issues.append(ParseIssue(row.line, f"{label}: không có tên nhiệm vụ"))
    if lead is None and "lead" in ctx.table.header.roles():
        issues.append(ParseIssue(row.line, f"{label}: không thấy đơn vị chủ trì", text=name))
    elif lead and lead.startswith("Các ") and task.partners is None and "partners" in ctx.table.header.roles():
        issues.append(ParseIssue(row.line, f"{label}: chỉ có một ô đơn vị, coi là đơn vị chủ trì (cột Phối hợp để trống)",
                                 text=lead))
    notes: list[str] = []
    timing = None
    if "period" in ctx.table.header.roles():
        task.timing_text = _text(row, "period")
        if task.timing_text is None:
            issues.append(ParseIssue(row.line, f"{label}: không thấy thời gian thực hiện", text=name))
        else:
            period_col = next(c for c in ctx.table.header.columns if c.role == "period")
            completion = bool(_COMPLETION_RE.search(period_col.text))
            timing = read_schedule(task.timing_text, ctx.year, completion)
            for problem in timing.problems:
                issues.append(ParseIssue(_line(row, "period"), f"{label}: thời gian — {problem}", text=task.timing_text))
            task.deadline, task.recurring = timing.deadline, timing.recurring
            task.period_start, task.period_end = timing.period_start, timing.period_end
            if task.deadline is None and _DUE_RE.search(period_col.text) and timing.period_end \
                    and timing.period_start and timing.period_start.year == timing.period_end.year:
                task.deadline = timing.period_end  # "Thời gian hoàn thành: Năm 2026": due by its end
            notes.extend(timing.notes)
            _own_deadline(ctx, row, task, period_col, label, issues)
    note_cell = _text(row, "note")
    if note_cell:
        notes.insert(0, note_cell)
    if ctx.tsv and row.continued:
        later = [n for n in row.lines if n != row.line]
        notes.append("gộp dòng tiếp trang " + ", ".join(str(n) for n in later))
    task.note = "; ".join(notes) or None
    if ctx.kind == "task" and "result" in ctx.table.header.roles() and task.expected_result is None and not ctx.tsv:
        issues.append(ParseIssue(row.line, f"{label}: ô Kết quả trống", text=name))
    _budget(ctx, row, task, timing, section_code, label, result)
    result.tasks.append(task)
    return task_id


def _own_deadline(ctx: _Context, row: Row, task: Task, period_col, label: str, issues: list[ParseIssue]) -> None:
    """A table with a timing column and a completion column of its own ("Thời gian thực hiện:
    Quý II-IV | Thời hạn hoàn thành: 15/12/2026"): the deadline is the completion column's (the
    timing column gives the window and the money's quarters). "Thường xuyên" there: none."""
    due = next((c for c in ctx.table.header.columns if c.role == "period" and c is not period_col
                and _COMPLETION_RE.search(c.text)), None)
    if due is None or _COMPLETION_RE.search(period_col.text) or due.index >= len(row.cells):
        return
    cell = row.cells[due.index]
    text = norm(cell.text) if cell is not None else ""
    if not text:
        return
    schedule = read_schedule(text, ctx.year, True)
    for problem in schedule.problems:
        issues.append(ParseIssue(cell.line or row.line, f"{label}: thời hạn — {problem}", text=text))
    deadline = schedule.deadline
    if deadline is None and _DUE_RE.search(due.text) and schedule.period_end and schedule.period_start \
            and schedule.period_start.year == schedule.period_end.year:
        deadline = schedule.period_end  # "Năm 2026": due by its end
    task.deadline = deadline
    task.recurring = task.recurring or schedule.recurring


def _budget(ctx: _Context, row: Row, task: Task, timing, section_code: str | None, label: str,
            result: ParseResult) -> None:
    cell = _first_printed_amount(ctx.table, row)
    envelopes = [norm(p) for p in re.findall(r"\(([^()]*)\)", task.name) if ENVELOPE_RE.search(p)]
    if cell is None or ctx.unit is None and not money_unit(cell.text):
        if "amount" in ctx.table.header.roles() and ctx.kind == "project":
            result.issues.append(ParseIssue(row.line, f"{label}: không thấy dự kiến kinh phí", text=task.name))
        task.budget_note = "; ".join(envelopes) or None
        return
    amount = read_amount(cell.text, ctx.unit or "đồng")
    if amount.text is None:  # "-", "Không": no budget
        task.budget_note = "; ".join(envelopes) or None
        return
    task.budget_text = amount.text
    task.budget_vnd = amount.amount_vnd
    line = cell.line or row.line
    if amount.problem:
        result.issues.append(ParseIssue(line, f"{label}: kinh phí — {amount.problem}", text=amount.text))
    if amount.amount_text is None:
        named = classify_source(amount.text)
        task.budget_note = amount.text if named else None
        what = f"chỉ ghi nguồn ({amount.text}), không có số tiền" if named else "chỉ có chữ, không phải số tiền"
        result.issues.append(ParseIssue(line, f"{label}: ô kinh phí {what}", text=amount.text))
        return
    task.budget_note = "; ".join([n for n in [amount.note] if n] + envelopes) or None
    if amount.amount_vnd is None:
        ctx.unread.append(line)
        return
    source, funding_note, problem = _funding(ctx, row, amount, task.name)
    if problem:
        where = _line(row, "source") or _line(row, "note") or line
        result.issues.append(ParseIssue(where, f"{label}: {problem}; nguồn để {source}", text=funding_note))
    period_col = next((c for c in ctx.table.header.columns if c.role == "period"), None)
    if timing is not None and period_col is not None and _DUE_RE.search(period_col.text) and task.deadline:
        # "Thời gian hoàn thành": when the work is due, not when its money is spent —
        # the amount is the year's estimate (its deadline stays on the task)
        period, quarters = f"Năm {ctx.year}", (1, 2, 3, 4)
    elif timing is not None and period_col is not None:
        period, quarters = task.timing_text, timing.quarters_in(ctx.year)
        if not quarters and timing.recurring and timing.period_start is None and timing.period_end is None:
            quarters = (1, 2, 3, 4)  # "Thường xuyên", "Định kỳ hằng tháng": all through the plan's year
    else:
        period, quarters = f"Năm {ctx.year}", (1, 2, 3, 4)
    result.budget_lines.append(BudgetLine(
        line_id=task.task_id,
        fiscal_year=ctx.year,
        phase=STAGE_PHASE[ctx.stage],
        phase_vn=ctx.stage,
        direction="expenditure",
        funding_source=source,
        source_line=line,
        amount_vnd=amount.amount_vnd,
        description=task.name,
        description_line=task.source_line,
        funding_note=funding_note,
        unit=task.lead_unit,
        appendix=ctx.region.label,
        section=section_code or task.section,
        code=row.code,
        period=period,
        quarters=quarters,
        amount_text=amount.amount_text,
        amount_unit=amount.unit or ctx.unit or "đồng",
        note=task.budget_note,
        task_id=task.task_id,
    ))


def _total(ctx: _Context, row: Row, covers: list[str], unread: list[int], result: ParseResult) -> None:
    label = _text(row, "description") or "Tổng cộng"
    cell = row.get("amount")
    try:
        if cell is None:
            raise NumberFormatError("không có số tiền")
        first, *rest = re.split(r"\s+", ungroup_spaces(norm(cell.text)))  # "2 857 500 000": thousands by spaces
        if rest and rest[0][:1].isdigit():  # "5 000 00": digit groups split by spaces, never read as 5
            raise NumberFormatError(f"các nhóm chữ số cách nhau bằng dấu cách: {norm(cell.text)!r}")
        printed = to_vnd(first, money_unit(cell.text) or ctx.unit or "")
    except (NumberFormatError, KeyError) as exc:
        result.issues.append(ParseIssue(row.line, f"{ctx.region.label or 'Bảng nhiệm vụ'}: dòng tổng không đọc được ({exc})",
                                        text=row.text()))
        return
    if unread:
        result.issues.append(ParseIssue(
            row.line,
            f"không đọc được {len(unread)} ô kinh phí (dòng {', '.join(map(str, unread))}): tổng các dòng đọc được "
            "thiếu các ô đó, không phải văn bản cộng sai",
        ))
    result.totals.append(PrintedTotal(
        scope=ctx.region.label or "Bảng nhiệm vụ",
        label=label,
        kind="printed_total",
        fiscal_year=ctx.year,
        phase_vn=ctx.stage,
        printed_amount_vnd=printed,
        printed_text=norm(cell.text) or None,
        source_line=cell.line or row.line,
        covers=list(covers),
        unread_lines=list(unread),
    ))


def _section_subtotals(ctx: _Context, sections: list[tuple[Row, str | None, str, int, str | None]],
                       result: ParseResult) -> None:
    """A section row that prints an amount ("I. Nhiệm vụ quản lý khoa học | 755.500.000 |
    Nguồn SNKH") is the subtotal of the task budgets under it, up to the next section (one
    printing no amount too): a
    budget line marked subtotal (never added) and reconciled against those lines. Its source
    is the one its own row names (``note``), else its lines'."""
    for k, (row, code, title, start, note_of_section) in enumerate(sections):
        if row.get("amount") is None:
            continue  # a heading printing no amount: no subtotal, it only ends the section before
        end = len(result.budget_lines)
        later = [s for s in sections[k + 1:]]
        if later:
            end = later[0][3]
        covered = [b for b in result.budget_lines[start:end] if not b.is_subtotal and b.amount_vnd is not None]
        cell = row.get("amount")
        amount = read_amount(cell.text, ctx.unit or "đồng")
        if amount.amount_vnd is None:
            result.issues.append(ParseIssue(row.line, f"mục {code or title}: không đọc được số tiền của mục", text=cell.text))
            continue
        source, note, _ = source_of(note_of_section, ctx.heading)
        line_id = f"{ctx.prefix}/{code or 'muc' + str(k + 1)}"
        kinds = {b.funding_source for b in covered}
        result.budget_lines.append(BudgetLine(
            line_id=line_id, fiscal_year=ctx.year, phase=STAGE_PHASE[ctx.stage], phase_vn=ctx.stage,
            direction="expenditure", funding_source=source if source != "UNSPECIFIED" else (
                kinds.pop() if len(kinds) == 1 else "MIXED" if kinds else "UNSPECIFIED"),
            funding_note=note, source_line=cell.line or row.line, amount_vnd=amount.amount_vnd, description=title,
            appendix=ctx.region.label, section=code, code=code, is_subtotal=True, amount_text=amount.amount_text,
            amount_unit=amount.unit or ctx.unit or "đồng",
        ))
        for b in covered:
            b.parent_id = b.parent_id or line_id
        result.totals.append(PrintedTotal(
            scope=f"{ctx.region.label or 'Bảng nhiệm vụ'} / {code or title}", label=f"{code or ''} {title}".strip(),
            kind="subtotal", fiscal_year=ctx.year, phase_vn=ctx.stage, printed_amount_vnd=amount.amount_vnd,
            source_line=cell.line or row.line, covers=[b.line_id for b in covered], printed_text=amount.amount_text,
        ))


def _subtotals(ctx: _Context, children: dict[str, list[str]], result: ParseResult, first: int) -> set[str]:
    """A task whose sub-tasks ("1.1", "a", "-") print amounts is their subtotal: its budget
    line is marked ``is_subtotal`` (never added to its parts) and reconciled against them.
    Returns the ids of the subtotal lines."""
    lines = {b.line_id: b for b in result.budget_lines[first:]}

    def is_subtotal(task_id: str) -> bool:
        return task_id in lines and any(k in lines for k in children.get(task_id, []))

    def leaves(task_id: str) -> list[str]:
        out = []
        for child in children.get(task_id, []):
            out.extend(leaves(child) if is_subtotal(child) else [child])
        return [c for c in out if c in lines]

    subtotal_ids = set()
    for parent, kids in children.items():
        if not is_subtotal(parent):
            continue
        line = lines[parent]
        line.is_subtotal = True
        subtotal_ids.add(parent)
        for k in kids:
            if k in lines:
                lines[k].parent_id, lines[k].level = parent, line.level + 1
        result.totals.append(PrintedTotal(
            scope=f"{ctx.region.label or 'Bảng nhiệm vụ'} {parent}", label=line.code or parent, kind="subtotal",
            fiscal_year=ctx.year, phase_vn=ctx.stage, printed_amount_vnd=line.amount_vnd, source_line=line.source_line,
            covers=leaves(parent),
        ))
    return subtotal_ids


def title_stage(lines: list[str], first: int, header_line: int | None) -> str | None:
    """The stage a title above a task table gives its money when the amount column names
    none: "DANH MỤC NHIỆM VỤ VÀ DỰ TOÁN KINH PHÍ NĂM 2026" → "dự toán" (a line in capitals
    between line ``first`` and the header holding an estimate phrase of
    ``data/vocabulary/columns.csv``); ``None`` otherwise — the family's stage, a proposal,
    stands ("KẾ HOẠCH" names the document, not its money)."""
    if header_line is None:
        return None
    for raw in lines[max(first, header_line - 12) - 1: header_line - 1]:
        text = clean(raw.replace("\t", " "))
        if not text or text != text.upper() or not re.search(r"[A-ZĐ]", text):
            continue
        if any(spec.role == "amount" and spec.stage == ESTIMATE_STAGE for _, _, spec in vocabulary().matches(text)):
            return ESTIMATE_STAGE
    return None


def read_task_table(table: Table, region: Region, year: int, result: ParseResult, tsv: bool,
                    stage: str | None = None) -> None:
    """Read one task or project table into ``result`` (tasks, budget lines, printed totals,
    issues). ``stage``: the stage of amounts whose column names none, as the title says
    (:func:`title_stage`); else the family's ("đề xuất").

    Ids: ``<appendix prefix or "ST">/<n>``, with the section code (or the section's rank
    when it has none) in between ("PLII/III.1/2") when the numbers restart in each section;
    a sub-task keeps its printed code ("ST/3.1") or, for "a", "-", "+", takes its parent's id
    and its rank ("ST/3.a", "ST/3.2"). Errors (a table whose amounts have no unit) are issues
    with severity "error"."""
    unit, ok = _amount_unit(table, result.issues)
    if not ok:
        return
    col = next((c for c in table.header.columns if c.role == "amount"), None)
    if col is not None and col.year and col.year != year:
        # "Kinh phí đề xuất năm 2026" in the 2025 plan: next year's tasks and money, read in their year
        result.issues.append(ParseIssue(table.header.line, f"{region.label or 'Bảng nhiệm vụ'}: cột '{col.text}' ghi năm "
                                        f"{col.year}: các nhiệm vụ và kinh phí được đọc theo năm {col.year}", text=col.text))
        year = col.year
    items = [r for r in table.rows if r.kind == "item" and not _is_heading(r)]
    numbers = [r.code for r in items if r.code and r.code.isdigit()]
    kind = "project" if is_project_table(table, region.title) else "task"
    ctx = _Context(table, region, year, kind, unit, col.text if col else None,
                   region.prefix or NO_APPENDIX_PREFIX, len(set(numbers)) < len(numbers), tsv, [],
                   (col.stage if col is not None and col.stage
                    else (header_stage(col.text) if col is not None else None) or stage or STAGE))
    section = section_code = None
    sections = 0
    used: set[str] = set()
    first = len(result.budget_lines)
    expected = None
    by_code: dict[str, str] = {}  # printed code → task id, in the current section
    last_numbered: str | None = None
    children: dict[str, list[str]] = {}
    totals: list[tuple[Row, int]] = []  # read once the subtotals are known
    section_rows: list[tuple[Row, str | None, str, int, str | None]] = []  # sections printing their amount: subtotals
    last_task: Task | None = None
    activities = 0
    for row in table.rows:
        carried = _PAGE_CARRY_RE.match(norm(row.text()))
        if row.kind == "total" and not carried:
            totals.append((row, len(result.budget_lines)))
            continue
        if carried:
            # "Cộng trang", "Cộng chuyển sang trang sau", "Trang trước chuyển sang": sums of the pages,
            # never lines; the table's total checks the lines
            result.issues.append(ParseIssue(row.line, f"{ctx.region.label or 'Bảng nhiệm vụ'}: dòng cộng theo trang "
                                            f"'{carried.group(0)}' không phải dòng tiền (tổng cộng của bảng đối chiếu "
                                            "các dòng)", text=row.text()))
            continue
        if last_task is not None and _is_activity(row):
            activities += 1
            _activity(ctx, row, last_task, activities, result)
            continue
        if _is_heading(row):
            last_task = None
            title = _text(row, "description") or norm(row.text())
            sections += 1
            section_code = row.code or None
            section = f"{section_code} {title}".strip() if section_code else title
            expected, by_code, last_numbered = None, {}, None
            notes = [t for t in (_text(row, "source"), _text(row, "note"), title) if t and classify_source(t)]
            ctx.section_note = notes[0] if notes else None
            # every section ends the one before (a subtotal covers its own section only); those
            # printing an amount are subtotals (``_section_subtotals``)
            section_rows.append((row, section_code, title, len(result.budget_lines), ctx.section_note))
            continue
        code = row.code or ""
        parent = None
        if re.fullmatch(r"\d+(?:\.\d+)+", code):
            parent = by_code.get(code.rsplit(".", 1)[0])
        elif re.fullmatch(r"[a-zđ]|[-+*•]", code):
            parent = last_numbered
        elif not code.isdigit():
            result.issues.append(ParseIssue(row.line, "dòng không nhận dạng được trong bảng nhiệm vụ", text=row.text()))
            continue
        if code.isdigit():
            n = int(code)
            if tsv and expected is not None and n != expected:
                result.issues.append(ParseIssue(row.line, f"số thứ tự {n} (mong đợi {expected})"))
            expected = n + 1
        if parent and not re.fullmatch(r"\d+(?:\.\d+)+", code):
            rank = code if code.isalpha() else str(len(children.get(parent, [])) + 1)
            task_id = f"{parent}.{rank}"
        else:
            scope = (section_code or str(sections)) if ctx.with_section else None
            task_id = f"{ctx.prefix}/{scope}/{code}" if scope else f"{ctx.prefix}/{code}"
        task_id = _task(ctx, row, section, section_code, task_id, used, result)
        last_task, activities = result.tasks[-1], 0
        if parent:
            children.setdefault(parent, []).append(task_id)
        if code[:1].isdigit():
            by_code[code], last_numbered = task_id, task_id
    _subtotals(ctx, children, result, first)
    _section_subtotals(ctx, section_rows, result)
    since = first
    for row, upto in totals:
        # "Cộng" under a section covers the lines since the total before it; "Tổng cộng", all of them
        start = since if _SECTION_TOTAL_RE.match(_text(row, "description") or norm(row.text())) else first
        since = upto
        leaves = [b.line_id for b in result.budget_lines[start:upto] if not b.is_subtotal]
        _total(ctx, row, leaves, sorted(n for n in ctx.unread if n < (row.line or 0)), result)
    _split_by_source(ctx, result, first, [row for row, _ in totals])


#: Rows that carry a sum from page to page: "Cộng trang", "Cộng chuyển sang trang sau", "Trang
#: trước chuyển sang", "Chuyển sang trang sau", "Mang sang".
_PAGE_CARRY_RE = re.compile(r"^(?:cộng\s+trang(?:\s+\d{1,3}(?![\d.,]|\s\d))?(?:\s+chuyển\s+sang(?:\s+trang\s+sau)?)?|cộng\s+chuyển\s+sang(?:\s+trang\s+sau)?"
                            r"|trang\s+trước\s+chuyển\s+sang|chuyển\s+sang\s+trang\s+sau|mang\s+sang)\b", re.I)


def _is_activity(row: Row) -> bool:
    """A row without a code or a name of its own that prints an amount, under a task: one more
    activity of that task (its name, code and timing merged down from the task's row, its money
    its own: "3. Kiểm tra, đánh giá, nghiệm thu … | Kiểm tra tiến độ … | 45 000 000" then
    " | | Đánh giá, nghiệm thu cấp tỉnh 14 nhiệm vụ | 210 000 000")."""
    if row.code or _text(row, "description") or row.get("amount") is None:
        return False
    cell = row.get("amount")
    return bool(cell.text and not NO_AMOUNT_RE.match(cell.text.strip()))


def _activity(ctx: _Context, row: Row, task: Task, k: int, result: ParseResult) -> None:
    """The budget line of one more activity of ``task`` (:func:`_is_activity`): its own amount,
    the task's lead unit, source and timing unless it prints its own; the task's budget is the
    sum of its activities. Its line id is the task's with "#k"."""
    words = [c.text for c in row.cells if c is not None and c.text and c is not row.get("amount")
             and c is not row.get("period") and c is not row.get("lead") and c is not row.get("note")]
    name = norm(" ".join(words)) or task.name
    part = Task(task_id=f"{task.task_id}#{k}", fiscal_year=task.fiscal_year, name=name, source_line=row.line,
                kind=task.kind, section=task.section, lead_unit=task.lead_unit)
    timing = None
    text = _text(row, "period") or task.timing_text
    if text:
        part.timing_text = text
        timing = read_schedule(text, ctx.year)
    before = len(result.budget_lines)
    _budget(ctx, row, part, timing, task.section, f"{task.task_id} (hoạt động {k + 1})", result)
    for line in result.budget_lines[before:]:
        line.task_id, line.code = task.task_id, line.code or task.task_id.rsplit("/", 1)[-1]
    if part.budget_vnd is not None:
        task.budget_vnd = (task.budget_vnd or 0) + part.budget_vnd


def _first_printed_amount(table: Table, row: Row):
    """The row's amount cell: its first money column's — or, in a table split by source without
    a total column ("Kinh phí đề xuất: Nguồn SNKH | Nguồn QLNN"), the first source column that
    prints an amount (a row printing "-" for SNKH and 120.000 for QLNN is money too;
    :func:`_split_by_source` then gives one line per source printed)."""
    cell = row.get("amount")
    if cell is not None and norm(cell.text) not in _NOTHING:
        return cell
    parts = [c for c, _ in _source_columns(table)]
    money = [c for c in table.header.columns if c.role == "amount"]
    if not parts or not money or money[0] not in parts:
        return cell  # a total column, or no split: its cell says it all
    for c in parts:
        other = row.cells[c.index] if c.index < len(row.cells) else None
        if other is not None and norm(other.text) not in _NOTHING:
            return other
    return cell


_NOTHING = {"", "-", "x", "X", "–", "—"}
_SECTION_TOTAL_RE = re.compile(r"\s*cộng\b", re.I)  # "Cộng" of a section, never "Tổng cộng"


def _source_columns(table: Table) -> list[tuple[Column, str]]:
    """The money columns of a task table that split its amount by funding source ("Kinh phí
    đề xuất | Tổng số | Trong đó: SNKH | QLNN"): ``[(column, source code)]`` of the columns
    whose last header row names one source; empty when the table has none."""
    out = []
    for c in table.header.columns:
        if c.role != "amount":
            continue
        named = classify_source(clean((c.parts or (c.text,))[-1]))
        if named not in (None, "UNSPECIFIED", "MIXED"):
            out.append((c, named))
    return out


def _split_by_source(ctx: _Context, result: ParseResult, first: int, total_rows: list[Row]) -> None:
    """A task table whose amount is split by source in columns ("Tổng số | Trong đó: SNKH |
    QLNN", :func:`_source_columns`): each budget line read from the first money column (the
    row's total) becomes one line per source column printing an amount (id ``<id>/<source>``,
    that source, the same task, unit and period), and the row's total is kept as a check of its
    parts (a ``PrintedTotal``); the section subtotals and the printed totals are checked per
    column too. A cell of a source column that cannot be read is an issue naming its line.
    Nothing changes for a table without source columns. Source: the estimate columns of the
    public forms (Biểu 02 of TT 61/2017, ``../shared/reference/PUBLIC_FORMS.md``)."""
    parts = _source_columns(ctx.table)
    money = [c for c in ctx.table.header.columns if c.role == "amount"]
    if len(money) >= 2 and not parts:
        for c in money[1:]:
            if c.year is not None and money[0].year is not None and c.year != money[0].year:
                _year_column(ctx, result, first, c)  # "Kinh phí năm 2025 (đã giao) | Kinh phí năm 2026 (đề xuất)"
                continue
            result.issues.append(ParseIssue(ctx.table.header.line, f"{ctx.region.label or 'Bảng nhiệm vụ'}: cột tiền "
                                            f"'{c.text}' không được đọc (bảng nhiệm vụ chỉ đọc cột tiền đầu tiên, "
                                            f"'{money[0].text}', và các cột của năm khác): số liệu của cột này không vào kho",
                                            text=c.text))
        return
    if not parts or len(money) < 2:
        return  # one money column naming a source is the source of every amount in it
    label = ctx.region.label or "Bảng nhiệm vụ"
    total_col = next(c for c in ctx.table.header.columns if c.role == "amount")
    with_total = all(c is not total_col for c, _ in parts)
    rows = {}
    for row in ctx.table.rows:
        cell = row.cells[total_col.index] if total_col.index < len(row.cells) else None
        rows[(cell.line if cell is not None and cell.line else None) or row.line] = row
    kept: list[BudgetLine] = []
    ids: dict[str, dict[str, str]] = {}  # old line id -> {source: part id}
    for line in result.budget_lines[first:]:
        row = rows.get(line.source_line)
        if row is None:
            kept.append(line)
            continue
        mine: list[BudgetLine] = []
        for col, source in parts:
            cell = row.cells[col.index] if col.index < len(row.cells) else None
            if cell is None or not norm(cell.text) or norm(cell.text) in {"-", "x", "X", "–", "—"}:
                continue
            amount = read_amount(cell.text, ctx.unit or "đồng")
            if amount.amount_vnd is None:
                result.issues.append(ParseIssue(cell.line or row.line, f"{label}: dòng {line.code or ''}: không đọc được "
                                                f"số tiền cột '{col.text}' ({amount.problem or 'không phải số tiền'})",
                                                text=cell.text))
                ctx.unread.append(cell.line or row.line)
                continue
            mine.append(dataclasses.replace(
                line, line_id=f"{line.line_id}/{source}", funding_source=source, funding_note=norm(col.parts[-1] if col.parts else col.text),
                amount_vnd=amount.amount_vnd, amount_text=amount.amount_text, amount_unit=amount.unit or ctx.unit or "đồng",
                source_line=cell.line or row.line))
        if not mine:
            kept.append(line)
            if with_total and line.amount_vnd:
                result.issues.append(ParseIssue(line.source_line, f"{label}: dòng {line.code or ''}: cột tổng có số tiền "
                                                "nhưng các cột theo nguồn để trống: nguồn theo cột tổng", text=line.description))
            continue
        ids[line.line_id] = {b.funding_source: b.line_id for b in mine}
        kept.extend(mine)
        if not with_total and line.task_id:  # no total column: the task's budget is its parts'
            for task in result.tasks:
                if task.task_id == line.task_id:
                    task.budget_vnd = sum(b.amount_vnd for b in mine)
        if with_total:
            result.totals.append(PrintedTotal(
                scope=f"{label} / {line.code or line.line_id} ({total_col.text})", label=f"{line.code or ''} {line.description or ''}".strip(),
                kind="subtotal", fiscal_year=line.fiscal_year, phase_vn=line.phase_vn, printed_amount_vnd=line.amount_vnd,
                source_line=line.source_line, covers=[b.line_id for b in mine]))
    for b in kept:  # a part's parent is the parent's part of the same source
        if b.parent_id in ids:
            b.parent_id = ids[b.parent_id].get(b.funding_source)
    result.budget_lines[first:] = kept
    if not with_total:  # read before the split from the first source column alone: checked per column below
        result.totals[:] = [t for t in result.totals if not any(c in ids for c in t.covers)]
    for total in result.totals:  # the subtotals and totals of this table, read before the split
        if any(c in ids for c in total.covers):
            total.covers = [p for c in total.covers for p in (ids[c].values() if c in ids else [c])]
    _split_totals(ctx, result, first, parts, total_rows, ids)


_PROPOSED_QUALIFIER_RE = re.compile(r"\(\s*(?:đề\s+xuất|dự\s+kiến)\s*\)", re.IGNORECASE)


def header_stage(text: str) -> str | None:
    """The stage a money column's header names anywhere in it ("Kinh phí năm 2026 (đề xuất)" →
    "đề xuất", "(đã giao)" → "dự toán"), ``None`` when it names none."""
    if _PROPOSED_QUALIFIER_RE.search(text):
        return STAGE  # "Kinh phí năm 2026 (đề xuất)", "(dự kiến)": proposed
    stages = [spec.stage for _, _, spec in vocabulary().matches(text) if spec.role == "amount" and spec.stage]
    return stages[-1] if stages else None  # the qualifier printed last ("… (đã giao)") says it


def _year_column(ctx: _Context, result: ParseResult, first: int, col: Column) -> None:
    """A money column of another year beside the first ("Kinh phí năm 2026 (đề xuất)" after
    "Kinh phí năm 2025 (đã giao)"): one more budget line per task printing an amount in it
    (id ``<task>@<year>``, that year, the stage its header names, else the table's; the task's
    source, unit and name), the sections' amounts as subtotals checked against them, the
    printed total checked. A cell that is not an amount is an issue naming its line."""
    label = ctx.region.label or "Bảng nhiệm vụ"
    stage = header_stage(col.text) or ctx.stage
    year = col.year
    unit = col.unit or ctx.unit or "đồng"
    by_line = {t.source_line: t for t in result.tasks}
    own = {b.task_id: b for b in result.budget_lines[first:] if b.task_id and not b.is_subtotal}
    added: list[BudgetLine] = []
    section: BudgetLine | None = None
    sections: list[tuple[BudgetLine, list[BudgetLine]]] = []
    for row in ctx.table.rows:
        cell = row.cells[col.index] if col.index < len(row.cells) else None
        text = norm(cell.text) if cell is not None else ""
        if row.kind == "total":
            if text and text not in {"-", "x", "X"}:
                amount = read_amount(cell.text, unit)
                if amount.amount_vnd is not None:
                    result.totals.append(PrintedTotal(
                        scope=f"{label} ({norm(col.text)})", label=_text(row, "description") or "Tổng cộng", kind="printed_total",
                        fiscal_year=year, phase_vn=stage, printed_amount_vnd=amount.amount_vnd, source_line=cell.line or row.line,
                        covers=[b.line_id for b in added if not b.is_subtotal]))
            continue
        if _is_heading(row):
            section = None
            if text and text not in {"-", "x", "X"}:
                amount = read_amount(cell.text, unit)
                if amount.amount_vnd is not None:
                    title = _text(row, "description") or norm(row.text())
                    section = BudgetLine(
                        line_id=f"{ctx.prefix}/{row.code or title}@{year}", fiscal_year=year, phase=STAGE_PHASE[stage],
                        phase_vn=stage, direction="expenditure", funding_source="UNSPECIFIED", source_line=cell.line or row.line,
                        amount_vnd=amount.amount_vnd, description=title, appendix=ctx.region.label, section=row.code,
                        code=row.code, is_subtotal=True, amount_text=amount.amount_text, amount_unit=amount.unit or unit,
                        period=f"Năm {year}", quarters=(1, 2, 3, 4))
                    added.append(section)
                    sections.append((section, []))
            continue
        if not text or text in {"-", "x", "X"}:
            continue
        name_cell = row.get("description")
        task = by_line.get((name_cell.line if name_cell is not None else None) or row.line)
        if task is None:
            continue
        amount = read_amount(cell.text, unit)
        if amount.amount_vnd is None:
            result.issues.append(ParseIssue(cell.line or row.line, f"{label}: {task.task_id}: cột '{col.text}': không đọc "
                                            f"được số tiền ({amount.problem or 'không phải số tiền'})", text=cell.text))
            continue
        base = own.get(task.task_id)
        source, note = (base.funding_source, base.funding_note) if base else _funding(ctx, row, amount, task.name)[:2]
        line = BudgetLine(
            line_id=f"{task.task_id}@{year}", fiscal_year=year, phase=STAGE_PHASE[stage], phase_vn=stage,
            direction="expenditure", funding_source=source,
            funding_note=note, source_line=cell.line or row.line, amount_vnd=amount.amount_vnd,
            description=task.name, description_line=task.source_line, unit=task.lead_unit, appendix=ctx.region.label,
            section=base.section if base else task.section, code=row.code, period=f"Năm {year}", quarters=(1, 2, 3, 4),
            amount_text=amount.amount_text, amount_unit=amount.unit or unit, task_id=task.task_id,
            parent_id=section.line_id if section else None)
        added.append(line)
        if section is not None:
            sections[-1][1].append(line)
    for sec, lines in sections:
        kinds = {b.funding_source for b in lines}
        sec.funding_source = kinds.pop() if len(kinds) == 1 else "MIXED" if kinds else "UNSPECIFIED"
        result.totals.append(PrintedTotal(
            scope=f"{label} / {sec.code or sec.description} ({norm(col.text)})", label=f"{sec.code or ''} {sec.description}".strip(),
            kind="subtotal", fiscal_year=year, phase_vn=stage, printed_amount_vnd=sec.amount_vnd, source_line=sec.source_line,
            covers=[b.line_id for b in lines]))
    result.budget_lines.extend(added)


def _split_totals(ctx: _Context, result: ParseResult, first: int, parts, total_rows: list[Row], ids) -> None:
    """The printed totals and section subtotals of each source column, checked against the
    leaf lines of that source."""
    label = ctx.region.label or "Bảng nhiệm vụ"
    lines = result.budget_lines[first:]
    for line in [b for b in lines if b.is_subtotal]:
        covers = [b.line_id for b in lines if not b.is_subtotal and b.parent_id == line.line_id]
        if covers:
            result.totals.append(PrintedTotal(
                scope=f"{label} / {line.code or line.line_id} ({line.funding_note})", label=f"{line.code or ''} {line.description or ''}".strip(),
                kind="subtotal", fiscal_year=line.fiscal_year, phase_vn=line.phase_vn, printed_amount_vnd=line.amount_vnd,
                source_line=line.source_line, covers=covers))
    for row in total_rows:
        for col, source in parts:
            cell = row.cells[col.index] if col.index < len(row.cells) else None
            if cell is None or not norm(cell.text):
                continue
            amount = read_amount(cell.text, ctx.unit or "đồng")
            if amount.amount_vnd is None:
                result.issues.append(ParseIssue(cell.line or row.line, f"{label}: dòng tổng, cột '{col.text}': không đọc được "
                                                "số tiền", text=cell.text))
                continue
            result.totals.append(PrintedTotal(
                scope=f"{label} ({norm(col.parts[-1] if col.parts else col.text)})", label=_text(row, "description") or "Tổng cộng",
                kind="printed_total", fiscal_year=ctx.year, phase_vn=ctx.stage, printed_amount_vnd=amount.amount_vnd,
                source_line=cell.line or row.line,
                covers=[b.line_id for b in lines if not b.is_subtotal and b.funding_source == source and b.source_line < (row.line or 0)]))


def detect(lines: list[str], rows: Mapping[int, SourceRow] | None = None) -> bool:
    """True when the document holds a task table (tab-separated or PDF text) in its body,
    i.e. printed without an appendix heading. Never raises."""
    try:
        body = regions(lines)[0]
        return any("description" in roles and set(roles) & {"lead", "partners", "result"} and "target" not in roles
                   for roles in read_headers(lines, body, rows))  # the headers only: no table is read
    except Exception:  # detect never raises: a layout it cannot read is not its layout
        return False


def parse(lines: list[str], meta: DocumentMeta, rows: Mapping[int, SourceRow] | None = None) -> ParseResult:
    """Read the task tables of a plan printed without appendices (``004_f16e394b373b4c86.txt``
    layout and its variants).

    ``lines``: the document's text lines; every record's ``source_line`` is 1-based.
    Returns a :class:`ParseResult` with ``tasks`` (``task_id`` "ST/<n>", ``source_line`` = the
    line where the name is printed), ``budget_lines`` (one per amount, in đồng, phase
    "proposed", stage "đề xuất", ``source_line`` = the line of the amount), ``totals`` (printed
    totals, covering the table's amounts) and ``issues``. ``meta`` is completed (layout,
    kind, fiscal year from the title "… năm 2024" or the manifest); the province is never
    guessed. An error issue (no plan year; a table whose amounts have no unit) makes
    ``loaders.documents.read_document`` refuse the document.
    """
    result = ParseResult(meta=meta)
    parts = regions(lines)
    year = plan_year(lines, meta, len(lines), result.issues)
    if year is None:
        result.issues.append(ParseIssue(None, "không tìm thấy năm của kế hoạch", severity="error"))
        return result
    meta.layout = meta.layout or LAYOUT
    meta.kind = meta.kind or "plan"
    for region in parts:
        tsv = any(ln.count("\t") >= 2 for ln in lines[region.start - 1 : region.end])
        for table in read_tables(lines, region, meta.file_name, year, result.issues, rows):
            if is_task_table(table):
                read_task_table(table, region, year, result, tsv, title_stage(lines, region.start, table.header.line))
    return result
