"""Budget lines from a money table of cells: one reader for every family whose tables print
amounts by line (budget appendices, estimate and execution disclosures, adjustment decisions,
plan-vs-execution tables, and any table the officer maps by hand).

Input: a table of the table model (:class:`~loaders.tables.model.Table`, read from a workbook,
a Word or PDF table or tab-separated text) and its column plan
(:class:`~loaders.tables.plan.ColumnPlan`: what each column holds). Output
(:class:`MoneyRead`): budget lines, printed totals and subtotals to reconcile, percentage
checks and issues with their line.

Rules (GLOSSARY "Money"; ``../shared/reference/PUBLIC_FORMS.md``):

* one budget line per row and money column that prints an amount; "-", "–", "x" and an
  empty cell print none; anything else that is not an amount refuses the document, naming
  the cell;
* a money column splitting the row's amount by source gives one line per source, each with
  the same code; the group's "Tổng số" column is then the row's total, checked against its
  parts (a printed total of the row, reconciled) — it is a line itself only when no part is
  printed (one amount for several sources: MIXED unless the row's note names one);
* the hierarchy comes from the row codes (I, 1, 1.1, a, -): a row whose children print
  amounts in the same column is a subtotal, reconciled against its leaves and never added
  to them; a printed total ("TỔNG CỘNG (I+II)", "Cộng") is reconciled per column against the
  leaves it covers; a total written as a formula nobody could compute is marked "công thức,
  không có giá trị" and taken from the lines, with a warning;
* the funding source of a line: its split column, else :func:`loaders.text.sources.resolve_source`
  (its own source or note cell, its parents' and sections', the column heading);
* its flow (spending, revenue, spending of retained fees, fees paid over): its wording or its
  headings' (:mod:`loaders.text.flows`);
* its period: an execution column's own quarters ("Ước thực hiện Quý I" → quarter 1,
  "Lũy kế đến hết quý III" → 1–3, cumulative); a plan column's row timing cell ("Quý II"),
  else the column's period, else the whole year;
* a percentage column is checked against its numerator and denominator in the same row and
  never stored as money; a formula of the row of column numbers ("5=6+7") is checked on
  every row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from loaders.model import STAGE_PHASE, BudgetLine, ParseIssue, PrintedTotal, RatioCheck
from loaders.tables.model import Cell, Row, Table
from loaders.tables.plan import ColumnPlan, ColumnRole, guess_plan, number_rows
from loaders.text.columns import vocabulary
from loaders.text.flows import FLOW_FIELDS, inherited_flow
from loaders.text.normal import clean, norm
from loaders.text.numbers import (
    NumberFormatError,
    canonical_unit,
    check_percent,
    cell_to_vnd,
    english_grouped,
    is_money_unit,
    parse_signed_number,
    split_amount_unit,
    to_vnd,
)
from loaders.text.outline import CODE_RE, cell_code, code_kind, code_parents, parse_code
from loaders.text.periods import PeriodFormatError, parse_period, read_schedule
from loaders.text.sources import (
    Ancestor,
    SourceChoice,
    classify_source,
    is_source_heading,
    read_source,
    resolve_source,
)
from loaders.text.units import names_a_unit, read_unit, unit_sections
from loaders.vocab import ReconciliationStatus

#: Cells that print no amount.
NO_AMOUNT_RE = re.compile(r"^(?:[-–—‒―]+|x|X|\.+|…)$")
_SCOPE_SPLIT_RE = re.compile(r"[+,;]")
_SECTION_TOTAL_RE = re.compile(r"\s*cộng\b", re.I)  # "Cộng", "Cộng mục II" — never "Tổng cộng"


@dataclass
class MoneyContext:
    """What the family knows around the table: ``file`` (for messages), ``prefix`` of line
    ids ("PL1", "B1"), the fiscal ``year``, the ``unit_of_amounts`` when the table prints none
    (``None``: refuse amounts with no unit), whether that default was stated by the document
    (``unit_stated``), the organisational ``org_unit`` of the appendix ("Phòng/đơn vị: …"),
    the ``appendix`` name, the stage of money columns whose header names none
    (``default_stage``), the ``version`` of estimates it holds (an adjustment decision's
    number)."""

    file: str
    prefix: str
    year: int
    unit_of_amounts: str | None = None
    unit_stated: bool = True
    org_unit: str | None = None
    appendix: str | None = None
    default_stage: str | None = None
    version: str | None = None
    headings: list[str] = field(default_factory=list)  # titles above the table, nearest first: they may name the source of every line
    #: How ids and scopes are written (a family keeps the ids its documents always had):
    #: fields {prefix}, {codes} (the row's code path "I/1"), {key} (the column's), {year}, {stage}, {column}, {code}.
    line_id_format: str = "{prefix}/{codes}{key}"  # {key} is "" for a table of one money column
    subtotal_scope_format: str = "{appendix} / {code}{section}{column}"
    total_scope_format: str = "{appendix}{scope}{column}"


@dataclass
class MoneyRead:
    """What one table gave (see the module docstring)."""

    lines: list[BudgetLine] = field(default_factory=list)
    totals: list[PrintedTotal] = field(default_factory=list)
    ratios: list[RatioCheck] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)  # lines of rows with an amount not read (no code)


@dataclass
class _Node:
    row: Row
    code: str | None
    description: str | None
    line: int
    parent: "_Node | None" = None
    children: list["_Node"] = field(default_factory=list)
    path: str = ""  # the codes from the top: "I/1" ("I/1#2" for a repeated code)


def _desc_of(row: Row, plan: ColumnPlan) -> str | None:
    for role in ("description", "lead"):
        for c in plan.of(role):
            cell = row.cells[c.index]
            if cell is not None and cell.text:
                return cell.text
    return None


def _nodes(table: Table, plan: ColumnPlan, ctx: MoneyContext, out: MoneyRead) -> tuple[list[_Node], list[Row]]:
    """The coded rows as a tree, and the total rows. A heading row whose first cell holds a
    code and its text ("I. Kinh phí sự nghiệp khoa học", a merged section row) is read as that
    code and description; a row with no code that prints an amount cannot be placed and is
    reported, never added."""
    nodes: list[_Node] = []
    totals: list[Row] = []
    for row in table.rows:
        if row.kind == "total":
            totals.append(row)
            continue
        code, desc = row.code, _desc_of(row, plan)
        code_col = plan.first("code")
        if code_col is not None and code_col.index != row.header.index("code"):  # the officer named another code column
            cell = row.cells[code_col.index]
            code = cell_code(cell.text) if cell is not None else None
        if code is None:
            first = next((c for c in row.cells if c is not None and c.text), None)
            code = parse_code(first.text) if first is not None else None
            if code is not None:
                rest = clean(first.text[len(CODE_RE.match(clean(first.text)).group(0)):])
                desc_col = plan.first("description")
                if desc is None or (desc_col is not None and first is row.cells[desc_col.index]) or first.text == desc:
                    desc = rest or desc
            else:
                if any(_cell(row, c) is not None for c in plan.of("amount")):
                    at = f" (ô {first.where})" if first is not None and first.where != row.where else ""
                    out.issues.append(ParseIssue(row.line, f"{ctx.appendix or ctx.prefix}: hàng không có số thứ tự{at}, không "
                                                 "xếp được vào bảng — số tiền của hàng không được đọc", text=row.text()))
                    out.unread.append(row.line)
                continue
        nodes.append(_Node(row, code, desc, row.line))
    for node, parent in zip(nodes, code_parents([n.code for n in nodes])):
        node.parent = nodes[parent] if parent is not None else None
        if node.parent is not None:
            node.parent.children.append(node)
    used: dict[str, int] = {}
    for node in nodes:
        chain, n = [], node
        while n is not None:
            chain.append(n.code)
            n = n.parent
        base = "/".join(reversed(chain))
        k = used.get(base, 0)
        used[base] = k + 1
        node.path = base if k == 0 else f"{base}#{k + 1}"
    return nodes, totals


def _cell(row: Row, col: ColumnRole) -> Cell | None:
    cell = row.cells[col.index] if col.index < len(row.cells) else None
    if cell is None:
        return None
    if cell.formula_error:
        return cell
    return cell if cell.text and not NO_AMOUNT_RE.match(cell.text.strip()) else None


def _money_nodes(nodes: list[_Node], table: Table, plan: ColumnPlan, scope: str, amounts: list[ColumnRole],
                 out: MoneyRead) -> list[_Node]:
    """The rows that hold money. A row whose "ĐVT" / "Đơn vị tính" cell names a unit that is no
    unit of money ("nhiệm vụ", "hồ sơ", "phương tiện", "%") counts things, not đồng: its numbers
    are never read as amounts (a table of results read as triệu đồng stored 14 nhiệm vụ as
    14.000.000 đ). A table of such rows only gives a warning and no line; in a table mixing
    both, those rows are left out with a warning naming them."""
    measure = plan.first("measure")
    if measure is None:
        return nodes
    counted = {id(n) for n in nodes if (c := n.row.cells[measure.index] if measure.index < len(n.row.cells) else None)
               is not None and c.text.strip() and not is_money_unit(c.text)}
    if not counted:
        return nodes
    with_numbers = [n for n in nodes if any(_cell(n.row, col) is not None for col in amounts)]
    if all(id(n) in counted for n in with_numbers):
        out.issues.append(ParseIssue(table.header.line, f"{scope}: cột '{measure.label}' ghi đơn vị của số lượng "
                                     "(nhiệm vụ, hồ sơ …), không phải đơn vị tiền: bảng này không được đọc như số tiền",
                                     text=measure.label))
        return []
    left = [n.line for n in nodes if id(n) in counted]
    out.issues.append(ParseIssue(left[0], f"{scope}: các dòng {', '.join(map(str, left))} ghi số lượng (cột "
                                 f"'{measure.label}' không phải đơn vị tiền): không đọc như số tiền"))
    for n in nodes:
        n.children = [c for c in n.children if id(c) not in counted]
    return [n for n in nodes if id(n) not in counted]


def _unit(col: ColumnRole, table: Table, ctx: MoneyContext) -> str | None:
    return col.unit or table.unit or ctx.unit_of_amounts


def _row_unit(row: Row, plan: ColumnPlan) -> str | None:
    """The unit of money a row's "ĐVT" cell names ("triệu đồng"), ``None`` when it names none."""
    measure = plan.first("measure")
    cell = row.cells[measure.index] if measure is not None and measure.index < len(row.cells) else None
    return canonical_unit(cell.text) if cell is not None and cell.text.strip() and is_money_unit(cell.text) else None


#: An amount printed in square brackets: a memo figure ("[50.000.000]"), counted elsewhere.
#: A remark saying the row's money is counted elsewhere: "Đã bao gồm trong mục 2", "đã tính ở dòng 3".
_INCLUDED_RE = re.compile(r"\bđã\s+(?:bao\s+gồm|tính|cộng)\s+(?:trong|ở|tại|vào)\s+(?:mục|dòng|khoản|phần|nội dung)", re.I)
_MEMO_RE = re.compile(r"\[\s*[-−(]?\d[\d.,\s]*\)?\s*\]")


def _amount(cell: Cell, col: ColumnRole, table: Table, ctx: MoneyContext, out: MoneyRead, row: Row,
            row_unit: str | None = None) -> int | None:
    """The amount of a cell in đồng (in ``row_unit``, the row's "ĐVT" cell, when it names a unit
    of money); an error issue (the document is refused) when the cell is not an amount."""
    if cell.formula_error:
        return None
    unit = row_unit or _unit(col, table, ctx)
    if unit is None:
        out.issues.append(ParseIssue(row.line, f"{ctx.appendix or ctx.prefix}: cột '{col.label}' không ghi đơn vị tính "
                                     "(đồng, triệu đồng, tỷ đồng) và văn bản cũng không: không đọc theo đơn vị đoán",
                                     severity="error", text=cell.text))
        return None
    try:
        value, used = cell_to_vnd(cell.text, unit)
        if english_grouped(cell.text):
            out.issues.append(ParseIssue(row.line, f"ô {cell.where}: {cell.text!r} phân cách hàng nghìn bằng dấu phẩy "
                                         "(Excel đặt kiểu tiếng Anh): đọc là số nguyên, cần kiểm tra lại", text=cell.text))
        if used != canonical_unit(unit):
            out.issues.append(ParseIssue(row.line, f"ô {cell.where} ghi đơn vị riêng ({cell.text!r}): đọc theo {used}, "
                                         f"không theo đơn vị của cột ({canonical_unit(unit)})", text=cell.text))
        return -abs(value) if col.sign < 0 else value  # a column of decreases: negative, printed with a sign or not
    except NumberFormatError as exc:
        hint = ""
        if re.fullmatch(r"-?\d{1,3}\.\d{4,}", cell.text.strip()):
            hint = " (dấu chấm phân cách hàng nghìn có thể đã bị xuất thành dấu thập phân: cần kiểm tra lại ô này)"
        out.issues.append(ParseIssue(row.line, f"Không đọc được số tiền (ô {cell.where}, cột '{col.label}'): {exc}{hint}",
                                     severity="error", text=row.text()))
        return None


def _quarters(row: Row, col: ColumnRole, plan: ColumnPlan, year: int, subtotal: bool,
              problems: list[str] | None = None) -> tuple[tuple[int, ...], str | None]:
    """(quarters, period as printed) of an amount (module docstring). A subtotal without a
    timing of its own has none: its lines say when. A timing cell naming a day that does not
    exist ("31/02/2024") adds "Ngày không có thật: 31/02/2024 (dòng 12)" (or the cell's place)
    to ``problems`` (the caller's warnings) and keeps the printed text as the period."""
    executed = col.stage in ("thực hiện", "ước thực hiện", "thực hiện 6 tháng đầu năm", "quyết toán")
    if executed and col.quarters:
        return col.quarters, col.period_label
    timing = next((row.cells[c.index] for c in plan.of("period") if row.cells[c.index] is not None), None)
    unread = None
    if timing is not None and timing.text:
        try:
            period = parse_period(timing.text)
            return period.quarters, timing.text
        except PeriodFormatError:
            schedule = read_schedule(timing.text, year)
            if schedule.quarters_in(year):  # "2026-2027" for the 2026 amount: its year
                return schedule.quarters_in(year), timing.text
            impossible = [p for p in schedule.problems if p.startswith("ngày không có thật")]
            if impossible:  # a day that does not exist: kept as printed, and said (never silent)
                unread = timing.text
                if problems is not None:
                    problems.extend(f"{p[:1].upper()}{p[1:]} ({_place(timing.where)})" for p in impossible)
    if col.quarters:
        return col.quarters, unread or col.period_label
    if executed or subtotal:
        return (), unread  # execution of a period nobody printed: "Không rõ thời gian", never a guess
    return (1, 2, 3, 4), unread  # money planned for the fiscal year, no timing of its own: the year


def _place(where: str) -> str:
    """A cell's place for a message: "dòng 12" for a line of a text document ("x.txt:12"),
    else as the reader gave it ("ô Ngân sách!E12", "bảng 2, hàng 5")."""
    m = re.fullmatch(r".*:(\d+)", where or "")
    return f"dòng {m.group(1)}" if m else f"ô {where}"


def _own_notes(row: Row, plan: ColumnPlan) -> list[str | None]:
    out: list[str | None] = []
    for c in plan.of("source"):
        cell = row.cells[c.index]
        if cell is not None and cell.text:
            text = cell.text
            out.append(text if re.match(r"(?i)nguồn\b", text) or classify_source(text) else f"Nguồn {text}")
    for c in plan.of("note"):
        cell = row.cells[c.index]
        if cell is not None and cell.text:
            out.append(cell.text)
    desc = row.get("description")
    paren = _SOURCE_PAREN_RE.search(desc.text) if desc is not None and desc.text else None
    if paren and classify_source(paren.group(1)):  # "… ủy quyền cho địa phương quản lý (nguồn SNKH Trung ương)"
        out.append(paren.group(1))
    return out


#: A line's name ending with its source or its level in parentheses: "(nguồn SNKH Trung ương)", "(NSTW)".
_SOURCE_PAREN_RE = re.compile(r"\(\s*((?:nguồn|kinh phí|vốn|ngân sách|ns)\b[^()]*|nstw)\s*\)\s*$", re.I)


def _central_mention(node: _Node) -> str | None:
    """"NSTW" in "Nhiệm vụ KH&CN cấp quốc gia (NSTW)": the central level a line's name ends with,
    naming no nature of money (:attr:`loaders.text.sources.SourceReading.central_only`)."""
    paren = _SOURCE_PAREN_RE.search(node.description or "")
    return paren.group(1) if paren and read_source(paren.group(1)).central_only else None


def _ancestors(node: _Node, plan: ColumnPlan) -> list[Ancestor]:
    out = []
    n = node.parent
    while n is not None:
        notes = [t for t in _own_notes(n.row, plan) if t]
        # a section's heading (I, II, A) names the source of its lines ("II. Các nhiệm vụ … từ ngân sách SNKH Trung ương")
        out.append(Ancestor(n.description, notes[0] if notes else None, heading=code_kind(n.code) in ("roman", "part")))
        n = n.parent
    return out


def _unit_sections(nodes: list[_Node]) -> set[int]:
    """Top sections (Roman or part codes) of a table organised by unit
    (:func:`loaders.text.units.unit_sections`: "I. Văn phòng Sở" known, its sibling "IV. Trung
    tâm Đổi mới sáng tạo và Chuyển đổi số" named like an organisation), and lines listing units
    under one line ("5. Kinh phí hoạt động thường xuyên của các đơn vị sự nghiệp" over "- Trung
    tâm Kỹ thuật TĐC", "- Trung tâm Chuyển đổi số": one known, the siblings named like an
    organisation are units too, by the same rule). Returns their ``id``s."""
    top = [n for n in nodes if n.parent is None and code_kind(n.code) in ("roman", "part")]
    out = {id(top[k]) for k in unit_sections([n.description for n in top])}
    for parent in nodes:
        if parent.children:
            out |= {id(parent.children[k]) for k in unit_sections([n.description for n in parent.children])}
    return out


def _org_unit(node: _Node, plan: ColumnPlan, ctx: MoneyContext, unit_sections: set[int] = frozenset()) -> str | None:
    """The department's unit a line belongs to: its "Đơn vị chủ trì" cell (or a parent's),
    else — unless the table's own "Phòng/đơn vị" names one of the department's units — a section
    named after a unit ("I. Văn phòng Sở": sections by unit; ``unit_sections`` of
    :func:`_unit_sections`), else the appendix's "Phòng/đơn vị". In a table of units or
    districts ("TT | Đơn vị | Dự toán") the line is itself the unit paid: no department unit."""
    if plan.first("description") is None:
        # a table of units ("STT | Đơn vị | Dự toán"): a line of one of the department's units is
        # that unit's money ("Chi cục TĐC"); a district or a firm paid is no unit of the department
        lead = plan.first("lead")
        cell = node.row.cells[lead.index] if lead is not None and lead.index < len(node.row.cells) else None
        if cell is not None and cell.text and names_a_unit(cell.text):
            return cell.text
        return ctx.org_unit
    n: _Node | None = node
    while n is not None:
        for c in plan.of("lead"):
            cell = n.row.cells[c.index]
            if cell is not None and cell.text:
                return cell.text
        n = n.parent
    if ctx.org_unit and read_unit(ctx.org_unit).kind is not None:
        # the table's own "Đơn vị: Chi cục TĐC": its sections are groups of that unit's work
        # ("I. Quản lý tiêu chuẩn, đo lường, chất lượng"), never other units
        return ctx.org_unit
    n = node
    while n is not None:
        if n.description and len(n.description) <= 80 and (id(n) in unit_sections
                                                            or read_unit(n.description).kind is not None):
            return _unit_name(n.description)
        n = n.parent
    return ctx.org_unit


_TRAILING_PAREN_RE = re.compile(r"\s*\([^()]*\)\s*$")


def _unit_name(text: str) -> str:
    """A section's unit as named, without a parenthesis that says what its lines are about:
    "Phòng Quản lý khoa học (nhiệm vụ khoa học và công nghệ)" → "Phòng Quản lý khoa học", when
    what is left still names a unit (:func:`loaders.text.units.names_a_unit`)."""
    short = _TRAILING_PAREN_RE.sub("", text)
    return short if short != text and names_a_unit(short) else text


def plan_money_table(table: Table, label: str, default_stage: str | None = None,
                     doc_quarters: tuple[int, ...] = ()) -> tuple[ColumnPlan, str | None, list[ParseIssue]]:
    """The column plan of a money table (:func:`loaders.tables.plan.guess_plan`), the unit of
    its amounts as printed (its unit line or a money column's header; ``None`` when neither
    says) and, as issues of severity "error", every doubt about a column (the document is
    refused and the upload page shows its columns to the officer). ``label`` names the table
    in the messages. A table printing no unit whose every amount prints its own, one unit
    ("1.130.000.000 đ", "385.850.000 đ"), is in that unit."""
    plan = guess_plan(table, default_stage, doc_quarters)
    issues = [ParseIssue(table.header.line, f"{label}: {doubt} — cần xác nhận các cột (trang Nhập dữ liệu) "
                         "hoặc một mẫu bố cục (--profile)", severity="error") for doubt in plan.doubts()]
    unit = table.unit or next((c.unit for c in plan.of("amount") if c.unit), None) or _cells_unit(table, plan)
    return plan, unit, issues


def _cells_unit(table: Table, plan: ColumnPlan) -> str | None:
    """The one unit every amount cell of ``table`` prints ("45.000.000 đ"), ``None`` when a cell
    prints a number without a unit, cells print different units, or no cell prints one."""
    units = set()
    for row in table.rows:
        for col in plan.of("amount"):
            cell = row.cells[col.index] if col.index < len(row.cells) else None
            text = cell.text.strip() if cell is not None and cell.text else ""
            if not text or NO_AMOUNT_RE.match(text):
                continue
            amount, own = split_amount_unit(text)
            if own is None:
                return None
            units.add(own)
    return units.pop() if len(units) == 1 else None


def _unread_number_columns(table: Table, plan: ColumnPlan, scope: str, out: MoneyRead) -> None:
    """A column the plan gives no role that prints numbers in item rows ("Trong đó: Kinh phí
    thực hiện tự chủ | … không thực hiện tự chủ", a split by category, not by source; a header
    the vocabulary does not know) is named in a warning, once: its figures are not stored and
    not checked — never dropped in silence."""
    for c in plan.columns:
        if c.role is not None or c.index >= len(table.header.columns):
            continue
        printed = [r for r in number_rows(table, c.index) if r.kind == "item"]
        if printed:
            out.issues.append(ParseIssue(table.header.line, f"{scope}: cột '{c.label or c.index + 1}' có số ở {len(printed)} dòng "
                                         "nhưng không phải cột tiền đọc được (tiêu đề không rõ giai đoạn hay nguồn): "
                                         "không lưu, không đối chiếu cột này", text=c.label))


def read_money_table(table: Table, plan: ColumnPlan, ctx: MoneyContext) -> MoneyRead:
    """Budget lines, totals and checks of one money table (rules in the module docstring).

    Amounts are integers in đồng, signed; ``fiscal_year`` is the column's year when its header
    prints one, else ``ctx.year``. Errors (an amount cell that is not an amount, a money
    column with no unit, a column whose header names another unit than the table's
    "Đơn vị tính" line) are issues of severity "error": the caller refuses the document.
    """
    out = MoneyRead()
    scope = ctx.appendix or ctx.prefix
    amounts = plan.of("amount")
    stated = table.unit or ctx.unit_of_amounts
    for col in amounts if plan.from_profile is None else ():  # the officer's decided unit wins
        if col.unit and stated and col.unit != stated:
            # "Đơn vị tính: triệu đồng" over "Dự toán (đồng)": amounts a million times apart
            out.issues.append(ParseIssue(
                table.header.line, f"'Đơn vị tính: {stated}' khác đơn vị trong tiêu đề cột '{col.label}' ({col.unit}): "
                "không rõ số tiền tính theo đơn vị nào", text=col.label, severity="error"))
            return out
    _unread_number_columns(table, plan, scope, out)
    nodes, total_rows = _nodes(table, plan, ctx, out)
    nodes = _money_nodes(nodes, table, plan, scope, amounts, out)
    if not nodes:
        return out
    values: dict[tuple[int, int], int | None] = {}  # (id(node), column index) → amount
    cells: dict[tuple[int, int], Cell] = {}
    warned: set[tuple[int | None, str]] = set()  # unreadable timings already said
    for node in nodes:
        remark = _remark(node.row, plan)
        included = bool(remark and _INCLUDED_RE.search(remark)) and not node.children
        for col in amounts:
            cell = _cell(node.row, col)
            if cell is None:
                continue
            if included and cell.text.strip() and not NO_AMOUNT_RE.match(cell.text.strip()):
                # "Ghi chú: Đã bao gồm trong mục 2": the row recalls money counted in another line
                out.issues.append(ParseIssue(node.line, f"ô {cell.where}: {cell.text.strip()!r} là số ghi nhớ — ghi chú "
                                             f"'{remark}': đã tính ở dòng khác, không lưu, không cộng", text=node.row.text()))
                continue
            if _MEMO_RE.fullmatch(cell.text.strip()):
                # "[50.000.000]" ("đã bao gồm ở mục 2"): a figure recalled for the reader, already
                # counted in another line — said, never stored (it would be counted twice)
                out.issues.append(ParseIssue(node.line, f"ô {cell.where}: {cell.text.strip()!r} trong ngoặc vuông là số ghi nhớ "
                                             "(đã tính ở dòng khác): không lưu, không cộng", text=node.row.text()))
                continue
            cells[(id(node), col.index)] = cell
            values[(id(node), col.index)] = _amount(cell, col, table, ctx, out, node.row, _row_unit(node.row, plan))


    def printed(node: _Node, col: ColumnRole) -> bool:
        return (id(node), col.index) in values and values[(id(node), col.index)] is not None

    def has_below(node: _Node, col: ColumnRole) -> bool:
        return any(printed(c, col) or has_below(c, col) for c in node.children)

    unit_sections = _unit_sections(nodes)
    # top lines two or more of which name their money ("1. Chi sự nghiệp khoa học và công nghệ", "2. Chi
    # đầu tư phát triển …") are the table's sections by source, whatever their codes: "3. Nhiệm vụ KH&CN
    # được cấp kinh phí từ ngân sách sự nghiệp khoa học Trung ương" beside them is a section by its name too
    tops = [n for n in nodes if n.parent is None]
    source_tops = sum(1 for n in tops if n.description and is_source_heading(n.description)) >= 2
    by_key: dict[tuple[int, int], BudgetLine] = {}
    inherited: set[tuple[int, int]] = set()  # lines whose source came from a heading, not from themselves
    for node in nodes:
        if amounts and not any((id(node), c.index) in values for c in amounts):
            # a line printed with no amount ("1.1 Quý II, III"): kept, amount NULL, never 0
            first_col = amounts[0]
            values[(id(node), first_col.index)] = None
            cells[(id(node), first_col.index)] = Cell("", node.row.where, node.line, (node.line,))
        for col in amounts:
            key = (id(node), col.index)
            if key not in values:
                continue
            cell = cells[key]
            if col.group_total and any(printed(node, p) for p in plan.group_parts(col.group)):
                continue  # the row's total of its split amount: checked below, not a line
            stage = col.stage or ctx.default_stage
            if stage not in STAGE_PHASE:
                out.issues.append(ParseIssue(node.line, f"{scope}: cột '{col.label}': không rõ giai đoạn của số tiền "
                                             "(dự toán, kế hoạch, thực hiện …)", severity="error"))
                continue
            year = col.year or ctx.year
            problems: list[str] = []
            quarters, period = _quarters(node.row, col, plan, year, has_below(node, col), problems)
            for problem in problems:
                if (node.line, problem) not in warned:  # once per row, not per amount column
                    warned.add((node.line, problem))
                    out.issues.append(ParseIssue(node.line, problem, text=period))
            flow = inherited_flow([node.description] + [a.description for a in _ancestors(node, plan)])
            direction, flow_source = FLOW_FIELDS[flow]
            own_source = True
            if col.source and col.group is not None and not col.group_total:
                source, note = col.source, col.source_label
            elif col.group_total:
                own = [t for t in _own_notes(node.row, plan) if classify_source(t)]
                source, note = (classify_source(own[0]), own[0]) if own else ("MIXED", f"cột '{col.label}' (nhiều nguồn)")
            else:
                # a section's name is its own source ("B. Kinh phí quản lý hành chính"); a line's name
                # that reads as a source ("Kinh phí chuyển đổi số, ứng dụng CNTT") gives way to a
                # section, a column or a title above that names one: under "B. … quản lý hành chính"
                # it is QLNN money
                section = code_kind(node.code) in ("roman", "part") or source_tops and node.parent is None
                named = is_source_heading(node.description) or (section and classify_source(node.description))
                own = _own_notes(node.row, plan) + ([node.description] if named and section else [])
                choice = resolve_source(own, _ancestors(node, plan) + [Ancestor(col.label, heading=True)]
                                        + [Ancestor(h, heading=True) for h in ctx.headings]
                                        + ([Ancestor(node.description, heading=True)] if named and not section else []),
                                        central=_central_mention(node))
                if named and not section and choice.note == " ".join(node.description.split()):
                    choice = SourceChoice(choice.code, choice.note, False, choice.problem)  # its own name decided
                source, note = choice.code, choice.note
                own_source = not choice.inherited and source != "UNSPECIFIED"
                if choice.problem:
                    out.issues.append(ParseIssue(node.line, f"{scope}: dòng {node.code}: {choice.problem}; "
                                                 "dòng được ghi là chưa ghi nguồn (UNSPECIFIED)", text=choice.note))
            if col.level == "TW" and source == "SNKH":  # the central budget's share of science money
                source, note = "SNKH_TW", f"{note}; cột '{col.label}'" if note else f"cột '{col.label}'"
            if flow_source:  # fees: the money of the fee part is fee money, whatever the function ("Chi quản lý hành chính")
                source, note = flow_source, note if source == flow_source else node.description
            if not own_source:
                inherited.add(key)
            line_id = ctx.line_id_format.format(prefix=ctx.prefix, codes=node.path, key=f"@{col.key()}" if len(amounts) > 1 else "",
                                                year=year, stage=stage, column=col.label, code=node.code)
            by_key[key] = BudgetLine(
                line_id=line_id, fiscal_year=year, phase=STAGE_PHASE[stage], phase_vn=stage, direction=direction,
                funding_source=source, funding_note=note, source_line=cell.line or node.line,
                amount_vnd=values[key], amount_text=cell.text or None, amount_unit=split_amount_unit(cell.text)[1] or _row_unit(node.row, plan) or _unit(col, table, ctx) or "đồng",
                description=node.description, unit=col.org_unit or _org_unit(node, plan, ctx, unit_sections), appendix=ctx.appendix,
                section=_section(node), code=node.code, level=_level(node),
                # a parent printing 0 over children that print nothing in this column ("=SUM(D21:D21)"
                # over a "-"): the sum of nothing, a subtotal — never a leaf of its own
                is_subtotal=has_below(node, col) or bool(node.children) and values[key] == 0,
                period=period, quarters=tuple(quarters), cumulative=col.cumulative, column_label=col.label,
                source_ref=cell.where if cell.where != node.row.where else None, version=ctx.version,
                note=_remark(node.row, plan),
            )
    for (nid, ci), line in by_key.items():  # a subtotal without a source of its own: its leaves'
        node = next(n for n in nodes if id(n) == nid)
        if line.is_subtotal and (nid, ci) in inherited:
            kinds = {lf.funding_source for lf in _leaves(node, ci, by_key) if lf.amount_vnd is not None}
            if kinds:
                line.funding_source = kinds.pop() if len(kinds) == 1 else "MIXED"
    for (nid, ci), line in by_key.items():
        node = next(n for n in nodes if id(n) == nid)
        parent = node.parent
        while parent is not None and (id(parent), ci) not in by_key:
            parent = parent.parent
        line.parent_id = by_key[(id(parent), ci)].line_id if parent is not None else None
    out.lines.extend(sorted(by_key.values(), key=lambda b: (b.source_line, b.line_id)))
    _printed_totals(table, total_rows, nodes, plan, by_key, ctx, out)
    _subtotals(nodes, amounts, by_key, values, ctx, out)
    _split_totals(nodes, plan, by_key, values, cells, ctx, out)
    _formula_checks(table, nodes, plan, values, ctx, out)
    _ratios(table, nodes, plan, by_key, values, ctx, out, total_rows)
    return out


def _section(node: _Node) -> str | None:
    n: _Node | None = node
    while n is not None:
        if code_kind(n.code) in ("roman", "part"):
            return n.code
        n = n.parent
    return None


def _level(node: _Node) -> int:
    level, n = 1, node.parent
    while n is not None:
        level, n = level + 1, n.parent
    return level


def _remark(row: Row, plan: ColumnPlan) -> str | None:
    for c in plan.of("note"):
        cell = row.cells[c.index]
        if cell is not None and cell.text and not classify_source(cell.text):
            return cell.text
    return None


def _leaves(node: _Node, ci: int, by_key: dict) -> list[BudgetLine]:
    """The leaf lines under ``node`` in column ``ci`` (the node itself when it is a leaf)."""
    line = by_key.get((id(node), ci))
    if line is not None and not line.is_subtotal:
        return [line]
    return [lf for c in node.children for lf in _leaves(c, ci, by_key)]


def _subtotals(nodes, amounts, by_key, values, ctx: MoneyContext, out: MoneyRead) -> None:
    for node in nodes:
        for col in amounts:
            line = by_key.get((id(node), col.index))
            if line is None or not line.is_subtotal or line.amount_vnd is None:
                continue
            several = len(amounts) > 1
            out.totals.append(PrintedTotal(
                scope=ctx.subtotal_scope_format.format(appendix=ctx.appendix or ctx.prefix, code=node.code,
                                                       column=f" ({col.label})" if several else "",
                                                       section=f" ({line.section})" if line.section and line.section != node.code else "",
                                                       stage=line.phase_vn, year=line.fiscal_year),
                label=f"{node.code} {node.description or ''}".strip(),
                kind="subtotal", fiscal_year=line.fiscal_year, phase_vn=line.phase_vn, printed_amount_vnd=line.amount_vnd,
                source_line=line.source_line, covers=[lf.line_id for lf in _leaves(node, col.index, by_key)],
                printed_text=line.amount_text,
            ))


def _split_totals(nodes, plan: ColumnPlan, by_key, values, cells, ctx: MoneyContext, out: MoneyRead) -> None:
    """A row's printed total of its split amount ("Tổng số" beside "SNKH | QLNN") against its
    parts: a printed total of the row, reconciled (and unchecked when it is a formula nobody
    could compute)."""
    for node in nodes:
        for total_col in [c for c in plan.of("amount") if c.group_total]:
            key = (id(node), total_col.index)
            parts = [by_key[(id(node), p.index)] for p in plan.group_parts(total_col.group) if (id(node), p.index) in by_key]
            if key not in cells or not parts:
                continue
            cell = cells[key]
            covers = [lf.line_id for p in plan.group_parts(total_col.group) for lf in _leaves(node, p.index, by_key)]
            # children printing only the total of the split (no part) are lines of the total column
            covers += [lf.line_id for c in node.children for lf in _leaves(c, total_col.index, by_key)
                       if lf.line_id not in covers]
            if values[key] is None:
                continue  # a formula without value: the parts are the figures
            out.totals.append(PrintedTotal(
                scope=f"{ctx.appendix or ctx.prefix} / {node.code} ({total_col.label})",
                label=f"{node.code} {node.description or ''} — {total_col.label}".strip(), kind="subtotal",
                fiscal_year=parts[0].fiscal_year, phase_vn=parts[0].phase_vn, printed_amount_vnd=values[key],
                source_line=cell.line or node.line, covers=covers, printed_text=cell.text or None,
            ))


def _top(node: _Node) -> _Node:
    while node.parent is not None:
        node = node.parent
    return node


def _of_named_part(found: list[_Node], label: str, scope_text: str) -> list[_Node]:
    """Sections a total names by codes that several parts number alike ("TỔNG CỘNG CHI NGÂN
    SÁCH NHÀ NƯỚC (I+II+III)" under "A. DỰ TOÁN THU, CHI, NỘP … PHÍ, LỆ PHÍ" with its I, II, III
    and "B. DỰ TOÁN CHI NGÂN SÁCH NHÀ NƯỚC" with its own): those of the one part whose title
    holds the words the label prints before its codes ("chi ngân sách nhà nước"); all of them
    when no single part's does (the total is then checked against them all, a mismatch shown)."""
    codes = [n.code for n in found]
    if len(codes) == len(set(codes)):
        return found
    text = norm(clean(label.replace(f"({scope_text})", " "))).casefold()
    head = next((t for t in sorted(vocabulary().total_labels, key=len, reverse=True)
                 if text.startswith(t.casefold())), "")
    wanted = text[len(head):].strip(" :")
    if not wanted:
        return found
    parts = {id(_top(n)): _top(n) for n in found}
    named = [p for p in parts.values() if p is not None and p.description
             and wanted in norm(clean(p.description)).casefold()]
    if len(named) != 1:
        return found
    return [n for n in found if _top(n) is named[0]]


def _printed_totals(table: Table, total_rows: list[Row], nodes: list[_Node], plan: ColumnPlan, by_key,
                    ctx: MoneyContext, out: MoneyRead) -> None:
    tops = [n for n in nodes if n.parent is None]
    vocab = vocabulary()
    previous_line = 0
    for row in total_rows:
        label_cell = next((c for c in row.cells if c is not None and c.text and vocab.total(c.text)), None)
        label = label_cell.text if label_cell else "Tổng cộng"
        m = vocab.total(label)
        scope_text = m.group("scope") if m else None
        roots = tops
        scope = ctx.appendix or ctx.prefix
        if scope_text:
            # "(B = I + II + III)": the left side names the part the total covers, its right side
            # that part's sections — which other parts may number the same way (A.I, A.II, …)
            lhs = scope_text.split("=")[0].strip() if "=" in scope_text else None
            named = [n for n in nodes if lhs and n.code == lhs and code_kind(n.code) in ("roman", "part")]
            if len(named) == 1:
                scope_text = lhs
            wanted = [s.strip().split("=")[-1].strip() for s in _SCOPE_SPLIT_RE.split(scope_text.replace("=", "= ")) if s.strip()]
            wanted = [w for w in wanted if w]
            found = named if len(named) == 1 else (
                [n for n in tops if n.code in wanted] or [n for n in nodes if n.code in wanted and code_kind(n.code) in ("roman", "part")])
            missing = set(wanted) - {n.code for n in found}
            found = _of_named_part(found, label, scope_text)
            if found and not missing:
                roots = found
                scope = f"{scope} ({scope_text.replace(' ', '')})"
            elif missing:
                out.issues.append(ParseIssue(row.line, f"{scope}: tổng cộng nhắc tới mục không có: {sorted(missing)}"))
        elif any(n.line > row.line for n in nodes) or previous_line and _SECTION_TOTAL_RE.match(label):
            # "Cộng" under a section, before more rows — or after the "Cộng" of the section before
            # (the last section's, before "TỔNG CỘNG"): that section only
            roots = [n for n in tops if previous_line < n.line < row.line] or tops
            if roots is not tops:
                scope = f"{scope} ({'+'.join(n.code for n in roots)})"
        previous_line = row.line
        words = row.get("words")
        for col in plan.of("amount"):
            cell = row.cells[col.index] if col.index < len(row.cells) else None
            if cell is None:
                continue
            if not cell.formula_error and (not cell.text or NO_AMOUNT_RE.match(cell.text.strip())):
                continue
            parts = plan.group_parts(col.group) if col.group_total else [col]
            covers = [lf for n in roots for p in parts for lf in _leaves(n, p.index, by_key)]
            if col.group_total:  # rows printing only the total of the split (no part) are lines of the total column
                covers += [lf for n in roots for lf in _leaves(n, col.index, by_key)]
            covers = list({id(lf): lf for lf in covers}.values())
            spending = [lf for lf in covers if lf.direction == "expenditure"]
            covers = spending or covers  # a total of spending leaves revenue and fees paid over out
            computed = sum(lf.amount_vnd or 0 for lf in covers)
            label_full = label  # as printed; the column is in the scope
            if cell.formula_error:
                out.issues.append(ParseIssue(row.line, f"{scope}: '{label}' (ô {cell.where}) là công thức {cell.formula} không "
                                             f"có giá trị ({cell.formula_error}): tổng lấy từ các dòng, chưa đối chiếu được"))
                out.totals.append(PrintedTotal(
                    scope=ctx.total_scope_format.format(appendix=ctx.appendix or ctx.prefix, scope=scope[len(ctx.appendix or ctx.prefix):],
                                                        column=f" — {col.label}", stage=col.stage or ctx.default_stage,
                                                        year=col.year or ctx.year),
                    label=label_full, kind="printed_total", fiscal_year=col.year or ctx.year,
                    phase_vn=col.stage or ctx.default_stage or "", printed_amount_vnd=computed, source_line=row.line,
                    covers=[lf.line_id for lf in covers], formula_only=True,
                ))
                continue
            amount = _amount(cell, col, table, ctx, out, row)
            if amount is None:
                continue
            total = PrintedTotal(
                scope=ctx.total_scope_format.format(appendix=ctx.appendix or ctx.prefix, scope=scope[len(ctx.appendix or ctx.prefix):],
                                                    column=f" — {col.label}" if len(plan.of("amount")) > 1 else "",
                                                    stage=col.stage or ctx.default_stage, year=col.year or ctx.year),
                label=label_full, kind="printed_total",
                fiscal_year=col.year or ctx.year, phase_vn=col.stage or ctx.default_stage or "", printed_amount_vnd=amount,
                source_line=cell.line or row.line, covers=[lf.line_id for lf in covers],
                unread_lines=[n for n in out.unread if not scope_text], printed_text=cell.text or None,
            )
            if words is not None and col is plan.of("amount")[0]:
                total.words_text, total.words_line = words.text, words.line
            out.totals.append(total)


def _number(text: str) -> Decimal | None:
    try:
        return parse_signed_number(text.replace("%", "").strip())
    except NumberFormatError:
        return None


def _formula_checks(table: Table, nodes: list[_Node], plan: ColumnPlan, values, ctx: MoneyContext, out: MoneyRead) -> None:
    """The sums of the row of column numbers ("5=6+7", "3=1+2") checked on every row, except
    the totals of split groups (reconciled as row totals)."""
    for col in plan.columns:
        if not col.formula or "/" in col.formula or col.role != "amount" or col.group_total:
            continue
        terms = re.findall(r"([+-]?)\s*(\w+)", col.formula)
        operands = [(sign, plan.by_number(num)) for sign, num in terms]
        if not operands or any(o is None or o.role != "amount" for _, o in operands):
            continue
        for node in nodes:
            # the formula is of the printed figures: a decrease column stored signed
            # ("Điều chỉnh giảm", sign −1) is printed unsigned ("4=1+2-3")
            total = _printed(values.get((id(node), col.index)), col)
            parts = [(sign, _printed(values.get((id(node), o.index)), o)) for sign, o in operands]
            if total is None or all(v is None for _, v in parts):
                continue
            computed = sum((-(v or 0) if sign == "-" else (v or 0)) for sign, v in parts)
            if computed != total:
                out.issues.append(ParseIssue(
                    node.line, f"{ctx.appendix or ctx.prefix}: dòng {node.code}: cột {col.number} ('{col.label}') in "
                    f"{_vnd(total)} đ nhưng theo công thức {col.number}={col.formula} là {_vnd(computed)} đ",
                    text=node.row.text()))


def _printed(value: int | None, col: ColumnRole) -> int | None:
    """The figure as printed in ``col`` from the stored one (a column read with sign −1
    holds the negated printed figure)."""
    return None if value is None else value * (col.sign or 1)


def _vnd(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _ratios(table: Table, nodes: list[_Node], plan: ColumnPlan, by_key, values, ctx: MoneyContext, out: MoneyRead,
            total_rows: list[Row]) -> None:
    """Every printed percentage of a ratio column, on item and total rows, checked against
    its operands in the same row (:class:`~loaders.model.RatioCheck`); a mismatch is also a
    warning. The printed percentage is never used."""
    rows = [(n.row, n.code, id(n)) for n in nodes] + [(r, None, None) for r in total_rows]
    for col in plan.of("ratio"):
        for row, code, nid in rows:
            cell = row.cells[col.index] if col.index < len(row.cells) else None
            if cell is None or not cell.text or NO_AMOUNT_RE.match(cell.text.strip()):
                continue
            num_col = plan.columns[col.numerator] if col.numerator is not None else None
            year = (num_col.year if num_col is not None else None) or ctx.year
            check = RatioCheck(scope=f"{ctx.appendix or ctx.prefix} / {code or row.text_of('description') or 'tổng'}",
                               code=code, column_label=col.label, printed=cell.text, source_line=cell.line or row.line,
                               fiscal_year=year, source_ref=cell.where if cell.where != row.where else None)
            out.ratios.append(check)
            value = _number(cell.text)
            if value is None:
                check.detail = "ô tỷ lệ không phải số"
                continue
            if col.vs_last_year:  # checked against last year's document by the warehouse, when it holds it
                num_line = by_key.get((nid, col.numerator)) if nid is not None and col.numerator is not None else None
                check.numerator_line = num_line.line_id if num_line else None
                check.detail = "so với cùng kỳ năm trước: cần số liệu của năm trước"
                continue
            if col.numerator is None or col.denominator is None:
                check.detail = "không rõ tỷ lệ giữa hai cột nào"
                continue
            if nid is not None:
                num, den = values.get((nid, col.numerator)), values.get((nid, col.denominator))
                num_line, den_line = by_key.get((nid, col.numerator)), by_key.get((nid, col.denominator))
                check.numerator_line = num_line.line_id if num_line else None
                check.denominator_line = den_line.line_id if den_line else None
            else:
                num, den = (_row_amount(row, plan.columns[i], table, ctx) for i in (col.numerator, col.denominator))
            if num is None or not den:
                check.detail = "thiếu số liệu để tính tỷ lệ"
                continue
            check.computed, ok = check_percent(cell.text, num, den)
            check.status = ReconciliationStatus.MATCH.value if ok else ReconciliationStatus.MISMATCH.value
            if not ok:
                check.detail = f"in {cell.text} nhưng {_vnd(num)} / {_vnd(den)} = {check.computed}%"
                named = row.text_of("description") or ""
                out.issues.append(ParseIssue(check.source_line, f"{ctx.appendix or ctx.prefix}: dòng {code or 'tổng'}"
                                             + (f" ({named[:60]})" if named else "") + ": tỷ lệ "
                                             f"'{col.label}' in {cell.text} nhưng tính từ số tiền là {check.computed}% — "
                                             "không dùng tỷ lệ in sẵn", text=row.text()))


def _row_amount(row: Row, col: ColumnRole, table: Table, ctx: MoneyContext) -> int | None:
    """The amount a row prints in a column (a total row's), without reporting: ``None`` when
    there is none or it cannot be read (reported elsewhere)."""
    cell = _cell(row, col)
    unit = _unit(col, table, ctx)
    if cell is None or cell.formula_error or unit is None:
        return None
    try:
        return to_vnd(cell.text, unit)
    except NumberFormatError:
        return None
