"""Yearly S&T plan with its budget tables (family of ``data/raw/001_…``, Điện Biên, Kế hoạch
KH&CN năm 2022); profile ``data/profiles/plan_budget.toml``.

Two budget parts are read (see ``../shared/GLOSSARY.md``, "Money"):

* The plan-vs-execution table (tab-separated, read by :func:`loaders.tables.cells.read_tsv`): amount
  columns whose header names a stage ("KHTW giao", "KH UBND giao", "Tình hình thực hiện",
  "Thực hiện 6 tháng đầu năm", "Ước thực hiện" — ``data/vocabulary/columns.csv``) and a year
  ("Năm 2020" over them or beside them), in any order; the unit from "Đơn vị tính" or the
  header cell. Rows: Roman sections, numbered items, a printed total ("TỔNG SỐ"). An empty cell
  prints no amount (it is not 0). A section heading that names a source ("Kinh phí SNKH")
  gives it to its items.
* The estimate of the plan year ("III. Dự toán ngân sách cho hoạt động KH&CN năm 2022"):
  lines "1. …: 30.906,3 triệu đồng", "a. Kinh phí sự nghiệp KH&CN: …", "- …: …",
  "b. Kinh phí đầu tư phát triển …", "+ Dự án … với tổng mức đầu tư 10.000,0 triệu đồng. Năm
  2022, đề nghị bố trí vốn đầu tư là 3.000 triệu đồng". Each amount carries its own unit; in a
  line with several amounts the allocated one follows an allocation phrase of the profile and
  the total investment is kept as the note. A project line allocated "vốn đầu tư" with no
  source above it is development investment (DTPT). Stage: the profile's (đề xuất, proposed).

A line that cannot be read is reported ("không đọc được dòng …") and the totals over it are
``unchecked``, not mismatches of the document. The narrative results of section A are read by
``loaders.families.narrative``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from loaders.families import narrative
from loaders.families.budget_appendix import table_title_year
from loaders.families.money_table import MoneyContext, plan_money_table, read_money_table
from loaders.model import (
    ASSUMED_UNIT,
    STAGE_PHASE,
    BudgetLine,
    DocumentMeta,
    ParseIssue,
    ParseResult,
    PrintedTotal,
)
from loaders.tables.cells import read_tsv
from loaders.tables.model import Row, SourceRow, Table, TableError
from loaders.tables.plan import guess_plan
from loaders.tables.profiles import load_profile
from loaders.text.normal import clean
from loaders.text.numbers import (
    NumberFormatError,
    UnitError,
    canonical_unit,
    is_money_unit,
    looks_like_number,
    to_vnd,
)
from loaders.text.outline import CODE_RE, code_kind, code_parents
from loaders.text.sources import Ancestor, resolve_source
from loaders.vocab import Stage

LAYOUT = "plan_budget"
PROFILE = load_profile(LAYOUT)
ESTIMATE_STAGE = PROFILE.words["estimate_stage"]
# Stages a plan-vs-execution table compares (the estimate's own stage is separate).
TABLE_STAGES = {Stage.KHTW_GIAO, Stage.KH_UBND_GIAO, Stage.THUC_HIEN, Stage.THUC_HIEN_6T, Stage.UOC_THUC_HIEN,
                Stage.QUYET_TOAN, Stage.DU_TOAN, Stage.DIEU_CHINH}
HALF_YEAR = Stage.THUC_HIEN_6T


def _phrases(key: str) -> str:
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in PROFILE.list(key))


ESTIMATE_HEADING_RE = re.compile(rf"^\s*[IVX]+\.\s*(?:{_phrases('estimate_headings')})\b.*?năm\s+(?P<y>(?:19|20)\d{{2}})", re.I)
NEXT_HEADING_RE = re.compile(r"^\s*(?:[IVX]+|[A-Z])\.\s+\S")
AMOUNT_RE = re.compile(
    r"(?<![\d.,])(?P<num>[-−]?\d[\d.,]*\d|\d)\s*(?P<unit>triệu đồng|tỷ đồng|tỉ đồng|nghìn đồng|ngàn đồng|đồng|triệu|tỷ|tỉ)(?!\w)",
    re.I,
)
ALLOCATION_RE = re.compile(rf"(?:{_phrases('allocation_phrases')})", re.I)
TOTAL_INVESTMENT_RE = re.compile(rf"(?:{_phrases('total_investment_phrases')})", re.I)
INVESTMENT_RE = re.compile(rf"(?:{_phrases('investment_phrases')})", re.I)


def _plan_tables(lines: list[str], file: str, rows: Mapping[int, SourceRow] | None = None) -> list[Table]:
    """Tables of cells with at least two amount columns of a plan/execution stage, unless
    every row's "ĐVT" counts things ("Nhiệm vụ", "%", "Doanh nghiệp"): a table of targets or
    results, not of money (``loaders.families.plan_targets`` reads targets)."""
    out = []
    for table in read_tsv(lines, file, rows=rows):
        cols = [c for c in table.header.columns if c.role == "amount" and c.stage in TABLE_STAGES]
        if len(cols) >= 2 and not _counts_things(table):
            out.append(table)
    return out


def _counts_things(table: Table) -> bool:
    """True when the table has a "ĐVT" column and no item row names a unit of money in it."""
    measure = next((c for c in table.header.columns if c.role == "measure"), None)
    if measure is None:
        return False
    units = [r.cells[measure.index].text for r in table.rows
             if r.kind == "item" and measure.index < len(r.cells) and r.cells[measure.index] is not None
             and r.cells[measure.index].text.strip()]
    return bool(units) and not any(is_money_unit(u) for u in units)



def _has_estimate(lines: list[str]) -> bool:
    """An estimate heading followed, before the next heading, by a coded line with an amount."""
    for k, raw in enumerate(lines):
        if ESTIMATE_HEADING_RE.match(raw):
            for nxt in lines[k + 1:]:
                if NEXT_HEADING_RE.match(nxt):
                    return False
                if CODE_RE.match(clean(nxt)) and AMOUNT_RE.search(nxt):
                    return True
    return False


def detect(lines: list[str], rows: Mapping[int, SourceRow] | None = None) -> bool:
    """True for a plan whose budget table compares stages by year (KHTW giao / KH UBND giao /
    thực hiện …) in tab-separated columns, or whose estimate section ("III. Dự toán … năm
    2025") lists coded lines with amounts."""
    if _has_estimate(lines):
        return True
    if not rows and not any("\t" in ln for ln in lines):
        return False
    try:
        return bool(_plan_tables(lines, "", rows))
    except TableError:
        return True  # a plan table with an unreadable unit: parse() reports it with its line


# --------------------------------------------------------------------------- the table


@dataclass
class _Node:
    row: Row
    code: str
    description: str
    parent: "_Node | None" = None
    children: list["_Node"] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.parent.path}/{self.code}" if self.parent else self.code


def _section_source(node: _Node) -> tuple[str | None, str | None]:
    """The source named by a row's own note cell, else by the description of the section
    (Roman) row it belongs to (or is): "Kinh phí SNKH", "… ngân sách SNKH Trung ương"."""
    top = node
    while top.parent is not None:
        top = top.parent
    section = [Ancestor(top.description, heading=True)] if code_kind(top.code) == "roman" else []
    choice = resolve_source([node.row.text_of("note"), node.row.text_of("source")], section)
    return (choice.code, choice.note) if choice.code != "UNSPECIFIED" else (None, None)


def _read_table(table: Table, result: ParseResult) -> None:
    """A plan-vs-execution table (stages over years) read by the one money-table reader
    (:func:`loaders.families.money_table.read_money_table`): every stage column of every
    year, "-" for nothing, percentage columns checked, subtotals and totals reconciled per
    column. Line ids keep the family's form "B<year>/<stage>/<codes>"."""
    issues = result.issues
    plan = guess_plan(table)
    for c in plan.columns:
        if c.role is None and any(r.cells[c.index] is not None and looks_like_number(r.cells[c.index].text)
                                  for r in table.rows):
            issues.append(ParseIssue(table.header.line, f"Cột {c.label or c.index + 1!r} có số nhưng tiêu đề không "
                                     "nhận ra (không có trong data/vocabulary/columns.csv): bỏ qua cột này"))
        if c.role == "amount" and c.stage in TABLE_STAGES and c.year is None:
            # "Dự toán năm 2025 | Thực hiện 6 tháng đầu năm": beside columns of one year, a
            # stage printed without its year is of that year
            named = {o.year for o in plan.of("amount") if o.year is not None}
            if len(named) == 1:
                c.year = named.pop()
                c.why += f"; năm {c.year} theo các cột số tiền khác của bảng"
        # next year's proposal beside the stages of this year ("KH UBND giao năm 2021 | Ước thực
        # hiện năm 2021 | Dự kiến kế hoạch năm 2022 (đề xuất)"): read, in its own year
        proposal = c.role == "amount" and c.stage == Stage.DE_XUAT and c.year is not None
        if c.role == "amount" and (c.stage not in TABLE_STAGES and not proposal or c.year is None):
            issues.append(ParseIssue(table.header.line, f"Cột {c.label!r}: không rõ giai đoạn hoặc năm, bỏ qua cột này"))
            c.role = "ignore"
    columns = plan.of("amount")
    if not columns:
        return
    years = sorted({c.year for c in columns})
    label = f"Bảng {years[0]}–{years[-1]}" if len(years) > 1 else f"Bảng {years[0]}"
    unit = table.unit or next((c.unit for c in columns if c.unit), None)
    if unit is None and any(c.unit is None for c in columns):
        issues.append(ParseIssue(table.header.line, f"{label}: không in đơn vị tính; số tiền được hiểu theo {PROFILE.unit}",
                                  about=ASSUMED_UNIT))
    ctx = MoneyContext("", "B", years[0], unit_of_amounts=unit or canonical_unit(PROFILE.unit), appendix=label,
                       line_id_format="B{year}/{stage}/{codes}", subtotal_scope_format="{appendix} / {code} / {stage} {year}",
                       total_scope_format="{appendix} / {stage} {year}")
    shared = [(c.stage, c.year) for c in columns]
    if len(set(shared)) < len(shared):  # "Thực hiện quý III | Lũy kế thực hiện đến hết quý III": one stage twice
        ctx.line_id_format, ctx.total_scope_format = "B{year}/{stage}/{codes}{key}", "{appendix} / {stage} {year}{column}"
    read = read_money_table(table, plan, ctx)
    for line in read.lines:
        if line.phase_vn == HALF_YEAR:
            line.period, line.note = f"6 tháng đầu năm {line.fiscal_year}", "Chỉ 6 tháng đầu năm"
        elif line.period is None:
            line.period = f"Năm {line.fiscal_year}"
    result.budget_lines.extend(read.lines)
    result.totals.extend(read.totals)
    result.ratios.extend(read.ratios)
    issues.extend(read.issues)


# --------------------------------------------------------------------------- the estimate


@dataclass
class _Item:
    code: str
    line: int
    text: str
    description: str
    amount_text: str | None = None
    unit: str | None = None
    note: str | None = None
    investment: bool = False
    unread: bool = False
    amount_offset: int | None = None  # where the allocated amount starts in ``text``
    parent: "_Item | None" = None
    children: list["_Item"] = field(default_factory=list)
    line_obj: BudgetLine | None = None


def _clause_start(text: str, start: int) -> int:
    """Where the clause of an amount starting at ``start`` begins (after the last ". " or "; ")."""
    head = text[:start]
    cut = max(head.rfind(". "), head.rfind("; "))
    return cut + 1 if cut >= 0 else 0


def _read_item(code: str, text: str, line: int, year: int, issues: list[ParseIssue]) -> _Item:
    """Description, allocated amount (with its own unit) and note of one estimate line."""
    item = _Item(code, line, text, text)
    found = []
    for m in AMOUNT_RE.finditer(text):
        c0 = _clause_start(text, m.start())
        clause = text[c0: m.start()]
        phrase = TOTAL_INVESTMENT_RE.search(clause) or ALLOCATION_RE.search(clause)
        kind = ("total" if TOTAL_INVESTMENT_RE.search(clause) else "colon" if clause.rstrip().endswith(":")
                else "alloc" if phrase else "plain")
        # where the wording of this amount starts ("với tổng mức đầu tư …", "đề nghị bố trí …")
        marker = c0 + phrase.start() if phrase and kind != "colon" else m.start()
        found.append((kind, m, clause, marker))
    if not found:
        return item
    chosen = [f for f in found if f[0] != "total"]
    pick = None
    if len(chosen) == 1:
        pick = chosen[0]
    elif chosen:
        pick = next((f for f in reversed(chosen) if f[0] == "alloc"), None) or \
            next((f for f in reversed(chosen) if f[0] == "colon"), None)
    totals = [f for f in found if f[0] == "total"]
    if totals:
        m = totals[0][1]
        item.note = f"Tổng mức đầu tư {m.group('num')} {m.group('unit')}"
    if pick is None:
        item.unread = True
        issues.append(ParseIssue(line, f"Dự toán {year}: không đọc được dòng {line} (không rõ số tiền nào được bố trí)",
                                 text=text))
        return item
    kind, m, clause, _ = pick
    item.amount_text, item.unit = m.group("num"), canonical_unit(m.group("unit"))
    item.amount_offset = m.start()
    item.investment = kind == "alloc" and bool(INVESTMENT_RE.search(clause))
    # the description ends where the amounts start: "…: 30.906,3", "… với tổng mức đầu tư …",
    # "…. Năm 2022, đề nghị bố trí …"
    desc = text[: min(f[3] for f in found)]
    sentence = max(desc.rfind(". "), desc.rfind("; "))
    if sentence >= 0 and re.fullmatch(r"\s*(?:Năm\s+\d{4}\s*,?)?\s*", desc[sentence + 2:]):
        desc = desc[:sentence]
    desc = re.sub(r"(?:\s+(?:với|là)|[\s,.:;])+$", "", desc)
    item.description = desc or text
    years = {int(y) for y in re.findall(r"\bNăm\s+((?:19|20)\d{2})\b", clause, re.I)}
    if years and year not in years:
        issues.append(ParseIssue(line, f"Dự toán {year}: dòng bố trí vốn cho năm {sorted(years)}", text=text))
    return item


def _read_estimate(lines: list[str], result: ParseResult) -> None:
    issues = result.issues
    start = year = None
    for idx, raw in enumerate(lines, start=1):
        m = ESTIMATE_HEADING_RE.match(raw)
        if m:
            start, year = idx, int(m.group("y"))
            break
    if start is None:
        return
    # (code, line, text) of each item; a line without a code directly below an item (no blank
    # line between) continues its sentence
    raw_items: list[list] = []
    unread: list[int] = []
    previous_blank = True
    for idx in range(start + 1, len(lines) + 1):
        raw = lines[idx - 1]
        if NEXT_HEADING_RE.match(raw):
            break
        text = clean(raw)
        if not text:
            previous_blank = True
            continue
        m = CODE_RE.match(text)
        if m:
            raw_items.append([m.group("code").rstrip(".)"), idx, text[m.end():].strip(), [(0, idx)]])
        elif raw_items and not previous_blank:
            raw_items[-1][3].append((len(raw_items[-1][2]) + 1, idx))
            raw_items[-1][2] += " " + text
        else:
            if AMOUNT_RE.search(text):
                unread.append(idx)
            issues.append(ParseIssue(idx, f"Dự toán {year}: không đọc được dòng {idx} (không có số thứ tự)", text=raw))
        previous_blank = False
    items: list[_Item] = []
    amount_lines: dict[int, int] = {}
    for code, idx, text, parts in raw_items:
        item = _read_item(code, text, idx, year, issues)
        if item.amount_offset is not None:  # the line the allocated amount is printed on
            amount_lines[id(item)] = max(n for at, n in parts if at <= item.amount_offset)
        if item.unread:
            unread.append(idx)
        items.append(item)
    for item, parent in zip(items, code_parents([i.code for i in items])):
        item.parent = items[parent] if parent is not None else None
        if item.parent:
            item.parent.children.append(item)

    def chain(item: _Item) -> list[str]:
        return (chain(item.parent) if item.parent else []) + [item.code]

    def named_source(item: _Item) -> tuple[str | None, str | None]:
        # a numbered or lettered heading names its source ("a. Kinh phí sự nghiệp KH&CN"); the
        # wording of a "-" / "+" line describes an activity, not a source
        own = [item.description] if item.children or item.code not in "-+*•" else []
        ancestors = []
        node = item.parent
        while node is not None:
            ancestors.append(Ancestor(node.description, heading=True))  # a heading line: its wording names the source
            node = node.parent
        choice = resolve_source(own, ancestors)
        return (choice.code, choice.note) if choice.code != "UNSPECIFIED" else (None, None)

    unsourced: list[int] = []
    stage = ESTIMATE_STAGE
    for item in items:
        amount = None
        if item.amount_text is not None:
            try:
                amount = to_vnd(item.amount_text, item.unit)
            except NumberFormatError as exc:
                issues.append(ParseIssue(item.line, f"Không đọc được số tiền: {exc}", severity="error", text=item.text))
        source, note = named_source(item)
        if source is None and item.investment:
            source, note = "DTPT", None
        item.line_obj = BudgetLine(
            line_id=f"DT{year}/{'/'.join(chain(item))}#{item.line}", fiscal_year=year, phase=STAGE_PHASE[stage],
            phase_vn=stage, direction="expenditure", funding_source=source or "UNSPECIFIED", funding_note=note,
            source_line=amount_lines.get(id(item), item.line), amount_vnd=amount, amount_text=item.amount_text, amount_unit=item.unit or canonical_unit(PROFILE.unit),
            description=item.description, appendix=f"Dự toán {year}", section=None, code=item.code,
            parent_id=item.parent.line_obj.line_id if item.parent else None, level=len(chain(item)),
            is_subtotal=bool(item.children), period=f"Năm {year}", quarters=(1, 2, 3, 4), note=item.note,
        )
        if source is None and not item.children and amount is not None:
            unsourced.append(item.line)

    def leaves(item: _Item) -> list[_Item]:
        return [item] if not item.children else [lf for c in item.children for lf in leaves(c)]

    def within(item: _Item, top: _Item) -> bool:
        while item is not None and item is not top:
            item = item.parent
        return item is top

    def unread_under(item: _Item) -> list[int]:
        """Unread lines printed between a heading and the next line outside its subtree."""
        after = items[items.index(item) + 1:]
        end = next((i.line for i in after if not within(i, item)), None)
        return [n for n in unread if n > item.line and (end is None or n < end)]

    for item in items:
        bl = item.line_obj
        if bl.is_subtotal and bl.funding_source == "UNSPECIFIED":
            kinds = {lf.line_obj.funding_source for lf in leaves(item) if lf.line_obj.amount_vnd is not None}
            if kinds:
                bl.funding_source = kinds.pop() if len(kinds) == 1 else "MIXED"
        if bl.is_subtotal and bl.amount_vnd is not None:
            result.totals.append(PrintedTotal(
                scope=f"Dự toán {year} / {bl.code}. {bl.description}", label=f"{bl.code}. {bl.description}",
                kind="subtotal", fiscal_year=year, phase_vn=stage, printed_amount_vnd=bl.amount_vnd,
                source_line=bl.source_line, covers=[lf.line_obj.line_id for lf in leaves(item)],
                unread_lines=unread_under(item),
            ))
    if unsourced:
        issues.append(ParseIssue(unsourced[0], f"Dự toán {year}: không ghi nguồn kinh phí ở các dòng "
                                 + ", ".join(map(str, unsourced)) + " — để 'Chưa ghi nguồn'"))
    result.budget_lines.extend(i.line_obj for i in items)


def _other_money_tables(lines: list[str], meta: DocumentMeta, rows: Mapping[int, SourceRow] | None,
                        result: ParseResult) -> None:
    """A money table of cells that is neither a table of stages by year nor the estimate
    section ("STT | Nội dung | Thời gian | Kinh phí đề xuất | Nguồn": proposals for the rest of
    the year in a half-year report) is read by the one money-table reader
    (:func:`loaders.families.money_table.read_money_table`), in its own unit ("Đơn vị tính"
    above it or its header's) and the stage its header names. Only when the table's lines gave
    no record yet, and the year of its amounts is known: the document is of one fiscal year, or
    every money column names its own ("Dự toán đề xuất năm 2023" beside a report on 2022); a table with
    a doubt about a column or without a unit is named in a warning and not read (the
    document's other figures stand)."""
    years = sorted(set(meta.fiscal_years) | {b.fiscal_year for b in result.budget_lines})
    if not years:
        return
    try:
        tables = read_tsv(lines, meta.file_name, rows=rows)
    except TableError:
        return
    used = {b.source_line for b in result.budget_lines} | {t.source_line for t in result.totals}
    for k, table in enumerate(tables, start=1):
        span = {r.line for r in table.rows if r.line} | {table.header.line or 0}
        if span & used or not any(c.role == "amount" for c in table.header.columns) or _counts_things(table):
            continue
        label = f"Bảng {k} ({' | '.join(c.text for c in table.header.columns if c.text)})"
        plan, unit, doubts = plan_money_table(table, label)
        own_years = {c.year for c in plan.of("amount")}
        if None in own_years and len(years) != 1:
            # "ĐỀ XUẤT DỰ TOÁN NGÂN SÁCH KH&CN NĂM 2021" over "TT | Nội dung | Kinh phí đề xuất": the
            # table's own title in capitals names the year of its columns that name none
            before = max([r.line for t in tables[:k - 1] for r in t.rows if r.line] + [0])
            titled = table_title_year(lines, before, table.header.line)
            if titled in years:
                for c in plan.of("amount"):
                    c.year = c.year or titled
                own_years = {c.year for c in plan.of("amount")}
        if len(years) != 1 and (None in own_years or len(own_years) != 1):
            continue  # the year of its amounts is not known: left to the unread-table warning
        if doubts or unit is None:
            why = "; ".join(d.message for d in doubts) if doubts else f"{label}: không in đơn vị tính của số tiền"
            result.issues.append(ParseIssue(table.header.line, f"{why} — bảng này không được đọc"))
            continue
        year = years[0] if len(years) == 1 else own_years.pop()
        ctx = MoneyContext(meta.file_name, f"T{k}", year, unit_of_amounts=unit, appendix=label)
        read = read_money_table(table, plan, ctx)
        result.budget_lines.extend(read.lines)
        result.totals.extend(read.totals)
        result.ratios.extend(read.ratios)
        result.issues.extend(read.issues)


def parse(lines: list[str], meta: DocumentMeta, rows: Mapping[int, SourceRow] | None = None) -> ParseResult:
    """Read the plan-vs-execution table(s) and the plan-year estimate.

    ``lines``: the document's text lines. Amounts become signed integer đồng in their printed
    unit ("7.665,99" triệu → 7,665,990,000). Returns budget lines with the stages of the table's
    columns (KHTW giao / KH UBND giao: ``approved``; thực hiện, thực hiện 6 tháng đầu năm, ước
    thực hiện: ``executed``) and the estimate's (đề xuất: ``proposed``), plus the printed totals
    and subtotals. A malformed amount or unit is an error naming its line.
    Source: ``001_3dc3e512645fa543.txt`` (Sở KH&CN Điện Biên, Kế hoạch KH&CN năm 2022).
    """
    meta.layout = LAYOUT
    meta.kind = meta.kind or "plan"
    result = ParseResult(meta=meta)
    for raw in lines[:20]:
        m = re.match(r"^\s*Số\s*:\s*(?P<n>.*?)\s*$", raw)
        if m and not meta.number:
            number = re.split(r"\t|\s{2,}", m.group("n").strip())[0]  # a header table's row: "Số: 12/BC-SKHCN\tPhú Thọ, ngày …"
            meta.number = number if number and not number.startswith("/") else None
        m = re.search(r"ngày\s*(?P<d>\d*)\s*tháng\s*(?P<m>\d*)\s*năm\s*(?P<y>\d{4})", raw)
        if m and not meta.issued_text and not meta.issued_date:
            meta.issued_text = " ".join(raw.split(",", 1)[-1].split())
    try:
        for table in _plan_tables(lines, meta.file_name, rows):
            _read_table(table, result)
    except (TableError, UnitError) as exc:
        result.issues.append(ParseIssue(getattr(exc, "line", None), str(exc), severity="error"))
        return result
    _read_estimate(lines, result)
    _other_money_tables(lines, meta, rows, result)
    years = sorted({bl.fiscal_year for bl in result.budget_lines})
    meta.fiscal_years = sorted(set(meta.fiscal_years) | set(years))
    actuals, issues = narrative.extract_actuals(lines, meta)
    result.actuals.extend(actuals)
    for issue in issues:
        if issue.severity == "error" and result.budget_lines:
            # the budget was read: a narrative part in another wording does not refuse it
            issue.severity, issue.message = "warning", f"Phần đánh giá (số liệu thực hiện): {issue.message}"
        result.issues.append(issue)
    return result
