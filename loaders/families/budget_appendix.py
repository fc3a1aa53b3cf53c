"""Budget appendices ("Phụ lục 1–7", dự toán kinh phí), one table per unit, as extracted from PDF.

Family of ``data/raw/000_…`` (Điện Biên, Dự toán kinh phí 2024); profile
``data/profiles/budget_appendix.toml`` (stage, default unit, the labels of the unit line…).
Tables are read by :func:`loaders.tables.spaced.read_spaced`; this module adds what the family needs:

* an appendix opens at a heading "Phụ lục N" (labels from the profile); a document with no
  heading is one appendix, "Bảng 1";
* "(Kèm theo Kế hoạch số 68/KH-SKHCN ngày 18 tháng 01 năm 2024 …)" names the plan it belongs
  to; "Phòng/đơn vị: …" (or "Đơn vị thực hiện:", "Đơn vị:" …) names the unit, before or after
  the table;
* the PDF extraction may move multi-line cells out of the table: after a table segment come
  the title, the unit line and then, in row order, the descriptions of the rows printed without
  one and the source notes ("Nguồn QLNN") of the rows printed without one. They are re-attached
  in that order. Text between the table and the unit line, and any upper-case block, is a title,
  whatever its wording.

Rules (GLOSSARY "Money"): a section's or parent's funding source is inherited by its children;
a line whose description starts with a revenue word ("Thu") is revenue; a line whose children
carry amounts is a subtotal, reconciled against its leaves, never added to them; amounts keep
their sign. Problems are issues with their line: an amount that is not an amount refuses the
document; a note that claims a source but cannot be classified, lines with no source at all,
descriptions that cannot be re-attached are warnings.
"""
from __future__ import annotations

import contextlib
import contextvars
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterator, Mapping

from loaders.families.money_table import MoneyContext, read_money_table
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
from loaders.tables.model import (
    WORDS_RE,
    Block,
    Cell,
    Column,
    Row,
    SourceRow,
    Table,
    TableError,
    unit_line,
)
from loaders.tables.plan import ColumnPlan, guess_plan
from loaders.tables.profiles import load_profile
from loaders.tables.region import read_region
from loaders.tables.spaced import read_spaced, spaced_header, split_spaced
from loaders.text.columns import vocabulary
from loaders.text.normal import clean
from loaders.text.numbers import (
    NO_AMOUNT_RE,
    NumberFormatError,
    canonical_unit,
    cell_to_vnd,
    english_grouped,
    looks_like_number,
    split_amount_unit,
    to_vnd,
    words_to_vnd,
)
from loaders.text.outline import CODE_RE, code_kind, code_parents, parse_code
from loaders.text.periods import PeriodFormatError, impossible_dates, parse_period, read_schedule
from loaders.text.units import read_unit, unit_sections
from loaders.text.sources import (
    Ancestor,
    classify_source,
    is_source_heading,
    is_source_note,
    resolve_source,
)

LAYOUT = "budget_appendix"
PROFILE = load_profile(LAYOUT)
STAGE = PROFILE.stage

_FORBIDDEN_ROLES = {"lead", "partners", "result", "target", "measure"}  # task / indicator tables


def _phrases_re(phrases: tuple[str, ...]) -> str:
    """An alternation of printed phrases: any spacing between words, "/" with or without spaces."""
    alts = []
    for phrase in phrases:
        parts = re.split(r"(\s*/\s*|\s+)", phrase.strip())
        alts.append("".join(
            r"\s*/\s*" if p.strip() == "/" else r"\s+" if not p.strip() else re.escape(p) for p in parts
        ))
    return "|".join(alts)


APPENDIX_RE = re.compile(
    rf"^\s*(?P<label>{_phrases_re(PROFILE.list('appendix_labels'))})\s+(?:số\s+)?(?P<n>\d+|[IVX]+)\s*$", re.I
)
ORG_UNIT_RE = re.compile(
    rf"^\s*(?!đơn vị tính)(?:{_phrases_re(PROFILE.list('org_unit_labels'))})\s*:\s*(?P<unit>\S.*?)\s*$", re.I
)
ATTACHED_TO_RE = re.compile(
    rf"Kèm theo\s+(?P<kind>{_phrases_re(PROFILE.list('attached_kinds'))})\s+số\s+(?P<number>[\w/\-.]+)"
    r"(?:\s+ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4}))?",
    re.I,
)
_DATE_SHAPED_RE = re.compile(r"\d\s*/\s*\d|(?i:tháng)")
TITLE_YEAR_RE = re.compile(r"\bNĂM\s+(?P<y>(?:19|20)\d{2})\b")
AMOUNT_SHAPED_RE = re.compile(r"(?<![\d.,/])\d{1,3}(?:\.\d{3})+(?![\d/])|(?<![\d.,/])\d+,\d+(?![\d/])")
REVENUE_RE = re.compile(rf"^(?:{'|'.join(re.escape(p) for p in PROFILE.list('revenue_prefixes'))})\b")
SOURCE_CLAIM_RE = re.compile(rf"^\(?\s*(?:{'|'.join(re.escape(p.strip()) for p in PROFILE.list('source_note_prefixes'))})\b", re.I)


def _is_table_header(line: str) -> list[str] | None:
    if "\t" in line:
        return None
    roles = spaced_header(line)
    if roles and not (set(roles) & _FORBIDDEN_ROLES):
        return roles
    return None


def detect(lines: list[str], rows: Mapping[int, SourceRow] | None = None) -> bool:
    """True for budget appendices: a space-separated table header "TT Nội dung …" (no lead /
    partner / result / target column), a row below it that prints an amount, and either an
    amount column in the header or a printed total ("TỔNG CỘNG … 1.000").

    The scan stops at the first line where the answer is known to be True (a header, then a
    row with an amount, and an amount column or a total): every condition only turns from
    False to True, so the rest of the document cannot change it. A budget appendix is thus
    recognised from its first table header and rows, not by reading the whole document."""
    vocab = vocabulary()
    header_seen = amount_column = amount_row = total = False
    for line in lines:
        if header_seen and amount_row and (amount_column or total):
            return True
        if "\t" in line or not line.strip():
            continue
        roles = _is_table_header(line)
        if roles:
            header_seen = True
            amount_column = amount_column or "amount" in roles
            continue
        if not header_seen:
            continue
        m = vocab.total(line)
        if m and m.group("rest"):
            total = True
        m = CODE_RE.match(clean(line))
        if m and "amount" in split_spaced(clean(line)[m.end():]):
            amount_row = True
    return header_seen and amount_row and (amount_column or total) or _detect_cells(lines, rows)


#: Stages of amount columns a table of this family may print besides the profile's: none, except
#: while :func:`reading_stages` reads a table of proposals alone (``loaders.families.proposal_table``).
_EXTRA_STAGES: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("extra_stages", default=())


@contextlib.contextmanager
def reading_stages(*stages: str) -> Iterator[None]:
    """Within the block, an appendix table may print amount columns of ``stages`` too
    ("Kinh phí đề xuất năm 2020" over "Tổng số | Nguồn SNKH | Vốn ĐTPT"); each line keeps its
    column's stage."""
    token = _EXTRA_STAGES.set(tuple(stages))
    try:
        yield
    finally:
        _EXTRA_STAGES.reset(token)


#: Roles of task and indicator tables; a table of cells may name the unit in charge of each
#: line ("Đơn vị chủ trì") and still be an estimate table.
_FORBIDDEN_CELL_ROLES = _FORBIDDEN_ROLES - {"lead"}
_TASK_NAME_RE = re.compile(r"nhiệm vụ|dự án|đề tài", re.I)


def _is_appendix_table(table: Table) -> bool:
    """A table of cells of this family: a code column, a description column (or, in a table of
    units or districts, "Đơn vị"), amount columns whose stage is the profile's (or none), no
    partner / result / target column."""
    plan = guess_plan(table, STAGE)  # the header's roles, or the officer's decisions for this header
    roles = {c.role for c in plan.columns}
    amounts = plan.of("amount")
    named_tasks = any(c.role == "description" and _TASK_NAME_RE.search(c.label) for c in plan.columns)
    if "lead" in roles and named_tasks:
        return False  # "Tên nhiệm vụ | Đơn vị chủ trì | Kinh phí": a list of tasks (loaders.families.task_plan)
    return "code" in roles and bool(roles & {"description", "lead"}) and bool(amounts) \
        and not roles & _FORBIDDEN_CELL_ROLES and all(c.stage in (None, STAGE, *_EXTRA_STAGES.get()) for c in amounts)


def _detect_cells(lines: list[str], rows: Mapping[int, SourceRow] | None = None) -> bool:
    """True when a table of cells (a workbook, Word or PDF table, tab-separated text) is an
    appendix table (:func:`_is_appendix_table`) with a row that prints an amount."""
    if not rows and not any("\t" in line for line in lines):
        return False
    try:
        tables = read_tsv(lines, "detect", rows=rows)
    except TableError:
        return False
    for t in tables:
        if not _is_appendix_table(t):
            continue
        amounts = [c.index for c in guess_plan(t, STAGE).of("amount")]
        if any(r.kind == "item" and any(r.cells[i] is not None and r.cells[i].text for i in amounts) for r in t.rows):
            return True
    return False


@dataclass
class _Row:
    row: Row
    code: str
    line: int
    description: str | None
    description_line: int | None
    period: str | None
    amount_text: str | None
    note: str | None
    note_line: int | None = None
    segment: int = 0
    remark: str | None = None  # a "Ghi chú" cell beside a source column
    children: list["_Row"] = field(default_factory=list)
    parent: "_Row | None" = None
    section: str | None = None
    level: int = 1
    line_id: str = ""


@dataclass
class _Total:
    label: str
    scope: str | None
    amount_text: str | None
    line: int
    words_text: str | None = None
    words_line: int | None = None
    at: str = ""  # " (ô PL1!D12)": the amount cell, for tables of cells


@dataclass
class _Appendix:
    name: str
    prefix: str
    line: int
    unit: str | None = None
    measure: str | None = None
    rows: list[_Row] = field(default_factory=list)
    totals: list[_Total] = field(default_factory=list)
    blocks: dict[int, list[Block]] = field(default_factory=dict)  # moved cells after segment k
    segments: int = 0
    unread: list[_Row] = field(default_factory=list)  # rows printing a number not read as an amount
    unplaced: list[int] = field(default_factory=list)  # lines of rows with an amount but no code
    money: list[tuple[Table, ColumnPlan]] = field(default_factory=list)  # tables of cells, read by money_table
    words: dict[int, "_WordsHolder"] = field(default_factory=dict)  # amount in words after table k
    # rows printing an amount after table k's last row, left as text: (line, label, amount as printed)
    trailing: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    # summaries by funding source: (table, plan, its total row left as text: (line, [label, amount]) or None)
    summaries: list[tuple[Table, ColumnPlan, tuple[int, list[str]] | None]] = field(default_factory=list)
    unit_summaries: list[tuple[Table, ColumnPlan]] = field(default_factory=list)  # summaries by unit
    table_units: dict[int, str] = field(default_factory=dict)  # id(table) → "Đơn vị: …" printed above it
    titles: list[str] = field(default_factory=list)  # the appendix's titles ("DỰ TOÁN KINH PHÍ SỰ NGHIỆP …")


def _regions(lines: list[str]) -> list[tuple[str, str, int, int]]:
    """(name, line-id prefix, first line, last line) of each appendix."""
    heads = [(i + 1, m) for i, raw in enumerate(lines) if (m := APPENDIX_RE.match(raw))]
    if not heads:
        return [("Bảng 1", "B1", 1, len(lines))]
    out = []
    for k, (n, m) in enumerate(heads):
        end = heads[k + 1][0] - 1 if k + 1 < len(heads) else len(lines)
        printed = " ".join(m.group("label").split()).lower()
        label = next((lab for lab in PROFILE.list("appendix_labels") if lab.lower() == printed), printed.capitalize())
        number = str(int(m.group("n"))) if m.group("n").isdigit() else m.group("n").upper()
        prefix = "PL" if label.lower() == "phụ lục" else "".join(w[0].upper() for w in label.split())
        out.append((f"{label} {number}", f"{prefix}{number}", n, end))
    return out


def _scan_text(app: _Appendix, raws: list[tuple[int, str]], doc: dict, issues: list[ParseIssue],
               last_total: _Total | None) -> list[Block]:
    """Read the special lines of text outside a table (unit line, attached-to line, amount in
    words, titles, header pieces); return the other paragraphs as blocks, titles removed."""
    vocab = vocabulary()
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    unit_seen_at = None

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append(Block(start, current))
        current = []

    for n, raw in raws:
        line = raw.strip()
        if not line:
            flush()
            continue
        m = ATTACHED_TO_RE.search(line)
        if m:
            flush()
            if "attached" not in doc:
                doc["attached"], doc["attached_line"] = m, n
            continue
        m = ORG_UNIT_RE.match(line)
        if m and not unit_line(line, app.name, n):  # "Đơn vị: triệu đồng" is the unit of amounts
            flush()
            app.unit = " ".join(m.group("unit").split())
            unit_seen_at = len(blocks)
            continue
        m = _SOURCE_LINE_RE.match(line)
        if m and classify_source(m.group("source")):
            # "Nguồn: Kinh phí sự nghiệp khoa học và công nghệ" under the title of a sheet per source:
            # the source of every line below it, as a title naming it would be
            flush()
            app.titles.append(clean(m.group("source")))
            continue
        if WORDS_RE.match(line):
            flush()
            if last_total is not None and last_total.words_text is None:
                last_total.words_text, last_total.words_line = line, n
            else:
                issues.append(ParseIssue(n, "Số bằng chữ không đi kèm tổng cộng nào", text=line))
            continue
        if not current:
            start = n
        current.append(raw)
    flush()
    out = []
    for k, b in enumerate(blocks):
        text = b.text
        if not _is_title(text):
            # a title in capitals with a line of its own under it ("(Phân bổ theo đơn vị thực hiện)"):
            # the capitals are a title all the same (it may name the source of every line)
            app.titles.extend(clean(ln) for ln in b.lines if _is_title(ln))
        if unit_seen_at is not None and k < unit_seen_at or _is_title(text):
            if AMOUNT_SHAPED_RE.search(text) and not _is_title(text):
                # a title prints no amount: this is a table line no rule read ("Tổng cộng kinh phí … 190.000.000")
                issues.append(ParseIssue(b.line, f"{app.name}: không đọc được dòng {b.line} (có số tiền nhưng không "
                                         "phải dòng của bảng hay dòng tổng cộng)", text=text))
            if _is_title(text):
                app.titles.append(text)
            y = TITLE_YEAR_RE.search(text.upper()) if _is_title(text) or "NĂM" in text.upper() else None
            if y:
                doc.setdefault("title_year", int(y.group("y")))
            continue
        if vocab.is_fragment(text, max_words=5):
            continue
        out.append(b)
    return out


#: A line naming the source of the table below it: "Nguồn: Kinh phí sự nghiệp khoa học và công nghệ",
#: "Nguồn kinh phí: Quản lý hành chính".
_SOURCE_LINE_RE = re.compile(r"^\W*nguồn(?:\s+kinh\s+phí|\s+vốn)?\s*:\s*(?P<source>\S.*?)\s*$", re.I)


def _is_title(text: str) -> bool:
    """An upper-case block ("DỰ TOÁN KINH PHÍ HOẠT ĐỘNG …"): letters all capitals."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 10 and all(c.isupper() for c in letters)


def _read_appendix(lines: list[str], file: str, name: str, prefix: str, first: int, last: int,
                   doc: dict, issues: list[ParseIssue], rows: Mapping[int, SourceRow] | None = None) -> _Appendix:
    app = _Appendix(name=name, prefix=prefix, line=first)
    region = lines[first - 1: last]
    if any("\t" in ln for ln in region):  # tables of cells: a workbook, Word/PDF tables, tab-separated text
        return _read_cell_appendix(app, lines, file, first, last, doc, issues, rows)
    tables = [t for t in read_spaced(region, file, first_line=first) if not set(t.header.roles()) & _FORBIDDEN_ROLES]
    first_header = tables[0].header.line if tables else last + 1
    body = first + 1 if APPENDIX_RE.match(lines[first - 1]) else first  # no heading: line 1 is content
    pre = [(n, lines[n - 1]) for n in range(body, first_header)]
    _scan_text(app, pre, doc, issues, None)
    if not tables:
        issues.append(ParseIssue(first, f"{name}: không thấy bảng (dòng tiêu đề 'TT Nội dung …')"))
        return app
    for seg, table in enumerate(tables, start=1):
        app.segments = seg
        if table.unit and app.measure is None:
            app.measure = table.unit
        last_total = _add_rows(app, table, seg, issues)
        span = range(table.after[0].line, table.after[-1].line + len(table.after[-1].lines)) if table.after else range(0)
        after = [(n, lines[n - 1]) for n in span]
        app.blocks[seg] = _scan_text(app, after, doc, issues, last_total)
    return app


def _read_cell_appendix(app: _Appendix, lines: list[str], file: str, first: int, last: int, doc: dict,
                        issues: list[ParseIssue], rows: Mapping[int, SourceRow] | None) -> _Appendix:
    """An appendix whose table is given as cells (:func:`loaders.tables.region.read_region`):
    cells are explicit, so nothing is moved out of the table; the text before and after each
    table is read for the unit line, the attached-to line, the title and the amount in words."""
    body = first + 1 if APPENDIX_RE.match(lines[first - 1]) else first  # no heading: line 1 is content
    tables, text = read_region(lines, body, last, file, rows)
    for other in (t for t in tables if not _is_appendix_table(t)):
        _other_money_table(app, other, issues, text)
    tables = [t for t in tables if _is_appendix_table(t)]
    tables = _set_aside_unit_summaries(app, tables, issues)
    start = body
    for table in tables:  # "Đơn vị: Chi cục TĐC" above a table (a sheet per unit): the unit of that table's lines
        unit = next((" ".join(m.group("unit").split()) for n, t in text if start <= n < (table.header.line or 0)
                     and (m := ORG_UNIT_RE.match(t.strip())) and not unit_line(t.strip(), app.name, n)), None)
        if unit:
            app.table_units[id(table)] = unit
        if table.unit is None:  # "Đơn vị: … | Đơn vị tính: đồng" on the row above the table, read as text
            measure = next(((u, n) for n, t in text if start <= n < (table.header.line or 0)
                            and (u := unit_line(t.strip(), app.name, n))), None)
            if measure:
                table.unit, table.unit_where, table.unit_line = measure[0], f"{app.name}, dòng {measure[1]}", measure[1]
        start = max((r.line or 0 for r in table.rows), default=table.header.line or start) + 1
    first_header = tables[0].header.line if tables else last + 1
    _scan_text(app, [(n, t) for n, t in text if n < first_header], doc, issues, None)
    if not tables:
        if not app.summaries:  # a summary by source alone is checked against the document's lines
            issues.append(ParseIssue(first, f"{app.name}: không thấy bảng (hàng tiêu đề 'TT | Nội dung | Dự toán …')"))
        return app
    for seg, table in enumerate(tables, start=1):
        app.segments = seg
        plan = guess_plan(table, STAGE)
        for doubt in plan.doubts():
            issues.append(ParseIssue(table.header.line, f"{app.name}: {doubt} — cần xác nhận các cột (trang Nhập dữ liệu) "
                                     "hoặc một mẫu bố cục (--profile)", severity="error"))
        unit = next((c.unit for c in plan.of("amount") if c.unit), None) or table.unit
        if unit and app.measure is None:
            app.measure = unit
        app.money.append((table, plan))
        end = max((r.line or 0 for r in table.rows), default=table.header.line or first)
        following = tables[seg].header.line if seg < len(tables) else last + 1
        words = _WordsHolder()
        _scan_text(app, [(n, t) for n, t in text if end < n < following], doc, issues, words)
        app.words[seg] = words
        app.trailing[seg] = _trailing_amounts([(n, t) for n, t in text if end < n < following])
    return app


def _trailing_amounts(text: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """Rows after a table's last row that print a label and an amount in cells of their own
    ("Tổng số đã phân bổ (đợt 1 + đợt 2) | 24.050.000.000", "Kinh phí còn lại chưa phân bổ |
    2.450.000.000"): ``(line, label, amount as printed)``. The amount in words is not one."""
    by_line: dict[int, list[str]] = {}
    for n, t in text:
        if t and t.strip():
            by_line.setdefault(n, []).append(t.strip())
    out = []
    for n, parts in sorted(by_line.items()):
        numbers = [p for p in parts if looks_like_number(p)]
        labels = [p for p in parts if not looks_like_number(p)]
        if len(numbers) == 1 and labels and not WORDS_RE.match(labels[0]):
            out.append((n, clean(labels[0]), numbers[0]))
    return out


def _set_aside_unit_summaries(app: _Appendix, tables: list[Table], issues: list[ParseIssue]) -> list[Table]:
    """A table of units ("STT | Đơn vị | Tổng cộng | Chia ra …": a unit column, no description)
    beside tables that detail the lines (a "Tổng hợp" sheet over a sheet per unit) sums what
    those tables print: it is kept as checks of their lines (:func:`_unit_summary_totals`), never
    read as lines of its own — the same money would be counted twice. Alone in its appendix, a
    table of units (or districts) is the money itself. Returns the tables to read."""
    def roles(t: Table) -> set[str | None]:
        return {c.role for c in guess_plan(t, STAGE).columns}

    detailed = [t for t in tables if "description" in roles(t)]
    summaries = [t for t in tables if "lead" in roles(t) and "description" not in roles(t)]
    if not detailed or not summaries:
        return tables
    for t in summaries:
        app.unit_summaries.append((t, guess_plan(t, STAGE)))
        issues.append(ParseIssue(t.header.line, f"{app.name}: bảng tổng hợp theo đơn vị (dòng {t.header.line}) cộng lại "
                                 "các bảng chi tiết: dùng để đối chiếu, không đọc thành dòng tiền (tránh cộng hai lần)"))
    return [t for t in tables if t not in summaries]


def _same_unit(a: str | None, b: str | None) -> bool:
    """Two printed names of one unit: the same kind of the units vocabulary ("Trung tâm Ứng dụng
    tiến bộ KH&CN" / "… khoa học và công nghệ"), else the same text."""
    if not a or not b:
        return False
    ka, kb = read_unit(a).kind, read_unit(b).kind
    return ka == kb if ka and kb else clean(a).casefold() == clean(b).casefold()


def _checked_leaves(app: _Appendix, lines: list[BudgetLine], year: int, whole: bool) -> list[BudgetLine]:
    """The leaf lines a summary of ``app`` checks: the appendix's own, or — ``whole``, a summary
    printed apart from its detail — every spending line of this year's estimate in the document."""
    return [b for b in lines if (b.appendix == app.name or whole and b.direction == "expenditure"
                                 and b.fiscal_year == year and b.phase_vn == STAGE)
            and not b.is_subtotal and b.amount_vnd is not None]


def _unit_summary_totals(app: _Appendix, lines: list[BudgetLine], year: int, issues: list[ParseIssue],
                         whole: bool = False) -> list[PrintedTotal]:
    """Each amount of a summary by unit as a check of the detailed lines of that unit (and of
    its source, for a column of the split "Chia ra: Nguồn SNKH | Nguồn QLNN | …"); its total row
    checks all of them. ``whole``: the summary stands before the appendices that detail each
    unit (:func:`_front_summary`): it checks the lines of the whole document (spending, this
    year's estimate)."""
    out: list[PrintedTotal] = []
    leaves = _checked_leaves(app, lines, year, whole)
    for table, plan in app.unit_summaries:
        lead = plan.first("lead")
        unit = table.unit or app.measure or canonical_unit(PROFILE.unit)
        for row in table.rows:
            if row.kind not in ("item", "total"):
                continue
            name = row.cells[lead.index].text if lead is not None and row.cells[lead.index] is not None else None
            if row.kind == "item":
                mine = [b for b in leaves if _same_unit(b.unit, name)]
                if not mine:
                    issues.append(ParseIssue(row.line, f"{app.name}: bảng tổng hợp theo đơn vị: không thấy dòng chi tiết "
                                             f"nào của '{name}': không đối chiếu được", text=row.text()))
                    continue
            else:
                mine = leaves
            for col in plan.of("amount"):
                cell = row.cells[col.index] if col.index < len(row.cells) else None
                if cell is None or not cell.text or NO_AMOUNT_RE.match(cell.text):
                    continue
                try:
                    amount, _ = cell_to_vnd(cell.text, col.unit or unit)
                except NumberFormatError as exc:
                    issues.append(ParseIssue(row.line, f"{app.name}: bảng tổng hợp theo đơn vị: không đọc được số tiền "
                                             f"(ô {cell.where}): {exc}", severity="error", text=row.text()))
                    continue
                part = col.source if col.source and not col.group_total else None
                covers = [b.line_id for b in mine if part is None or b.funding_source == part]
                label = clean(" ".join(x for x in (row.code, name or (row.cells[0].text if row.cells[0] else None),
                                                   f"— {col.source_label or col.label}") if x))
                out.append(PrintedTotal(scope=f"{app.name} — tổng hợp theo đơn vị", label=label,
                                        kind="printed_total" if row.kind == "total" else "subtotal", fiscal_year=year,
                                        phase_vn=STAGE, printed_amount_vnd=amount, source_line=row.line, covers=covers))
    return out


def _is_source_summary(plan: ColumnPlan) -> bool:
    """A summary of the appendix by funding source ("STT | Nguồn kinh phí | Dự toán năm 2024"):
    a source column, an amount column, no description of its own."""
    roles = {c.role for c in plan.columns}
    return "source" in roles and bool(plan.of("amount")) and not roles & {"description", "lead"}


def _other_money_table(app: _Appendix, table: Table, issues: list[ParseIssue], text: list[tuple[int, str]]) -> None:
    """A table beside the appendix's that is not one of its money tables: a summary by
    funding source is kept to be checked against the lines (:func:`_source_summary_totals`),
    with its total row when the reader left that row as text ("| Tổng cộng | 8.158.000.000":
    no code, the label in the source column); any other table printing numbers under an amount
    column is said, never dropped silently."""
    plan = guess_plan(table, STAGE)
    if not plan.of("amount"):
        return
    if _is_source_summary(plan):
        end = max((r.line or 0 for r in table.rows), default=table.header.line or 0)
        after: dict[int, list[str]] = {}
        for n, t in text:
            if end < n <= end + 2 and t:
                after.setdefault(n, []).append(t)
        total = next(((n, parts) for n, parts in sorted(after.items())
                      if len(parts) >= 2 and vocabulary().total(parts[0]) and looks_like_number(parts[1])), None)
        app.summaries.append((table, plan, total))
        return
    amounts = [c.index for c in plan.of("amount")]
    if any(r.kind in ("item", "total") and any(i < len(r.cells) and r.cells[i] is not None and r.cells[i].text
                                               for i in amounts) for r in table.rows):
        header = " | ".join(c.text for c in table.header.columns if c.text)
        issues.append(ParseIssue(table.header.line, f"{app.name}: bảng '{header}' không phải bảng dự toán của văn bản "
                                 "(thiếu cột số thứ tự, nội dung hoặc số tiền theo dự toán): không đọc số liệu của bảng này",
                                 text=header))


def _source_summary_totals(app: _Appendix, lines: list[BudgetLine], year: int, issues: list[ParseIssue],
                           whole: bool = False) -> list[PrintedTotal]:
    """The rows of a summary by funding source as checks of the appendix's lines: each source's
    printed amount against the leaf lines of that source, the summary's total against all of
    them (the same money summarised: never lines of its own, it would be counted twice).
    ``whole``: the appendix is the summary alone ("Biểu 01 — Tổng hợp theo nguồn", the detail
    in "Biểu 02"): it checks the lines of the whole document (spending, this year's estimate)."""
    out: list[PrintedTotal] = []
    leaves = _checked_leaves(app, lines, year, whole)
    for table, plan, total in app.summaries:
        source_col = plan.first("source")
        amount_col = plan.of("amount")[0]
        unit = amount_col.unit or table.unit or app.measure or canonical_unit(PROFILE.unit)
        printed = [(row.line, row.kind, row.code, (c := row.cells[source_col.index]) and c.text,
                    row.cells[amount_col.index] if amount_col.index < len(row.cells) else None) for row in table.rows]
        if total is not None:
            printed.append((total[0], "total", None, total[1][0], Cell(total[1][1], f"dòng {total[0]}", total[0])))
        for line, kind, code, name, cell in printed:
            if cell is None or not cell.text or NO_AMOUNT_RE.match(cell.text):
                continue
            try:
                amount, _ = cell_to_vnd(cell.text, unit)
            except NumberFormatError as exc:
                issues.append(ParseIssue(line, f"{app.name}: bảng tổng hợp theo nguồn: không đọc được số tiền "
                                         f"(ô {cell.where}): {exc}", severity="error", text=cell.text))
                continue
            label = clean(" ".join(x for x in (code, name) if x))
            if kind != "total" and not code and name and vocabulary().total(name):
                kind = "total"  # "TỔNG CỘNG" in the source column (printed at the top, under the header)
            if kind == "total":
                covers = [b.line_id for b in leaves]
            else:
                source = classify_source(name) if name else None
                if source is None:
                    issues.append(ParseIssue(line, f"{app.name}: bảng tổng hợp theo nguồn: không nhận ra nguồn "
                                             f"'{label}': không đối chiếu được dòng này", text=label))
                    continue
                covers = [b.line_id for b in leaves if b.funding_source == source]
            out.append(PrintedTotal(scope=f"{app.name} — tổng hợp theo nguồn kinh phí", label=label or "Tổng cộng",
                                    kind="printed_total" if kind == "total" else "subtotal", fiscal_year=year,
                                    phase_vn=STAGE, printed_amount_vnd=amount, source_line=line, covers=covers))
    return out


@dataclass
class _WordsHolder:
    """Where :func:`_scan_text` puts the amount in words printed after a table of cells; it
    goes to the table's last printed total."""

    words_text: str | None = None
    words_line: int | None = None


def _amount_cell(row: Row) -> Cell | None:
    """The cell of the table's first amount column (``None`` when that cell is empty or holds
    a dash alone: no amount, ``loaders.text.numbers.NO_AMOUNT_RE``)."""
    cells = row.cells_of("amount")
    cell = cells[0][1] if cells else None
    return cell if cell is not None and cell.text and not NO_AMOUNT_RE.match(cell.text) else None


def _at(row: Row, cell: Cell | None) -> str:
    """" (ô PL1!D12)" when a cell has its own location (a workbook, Word or PDF table)."""
    return f" (ô {cell.where})" if cell is not None and cell.where != row.where else ""


def _add_rows(app: _Appendix, table: Table, seg: int, issues: list[ParseIssue]) -> _Total | None:
    """The rows of one table segment as ``_Row`` s and ``_Total`` s; returns the last total.

    A row of cells whose code cell holds the code and the text ("I. Nguồn sự nghiệp khoa
    học", a merged section cell) is read as that code and description; a row with no code at
    all cannot be placed in the hierarchy and is reported (with its amount, as not read).
    A "Nguồn"/"Nguồn kinh phí" column is the line's source note (read as "Nguồn <cell>", so
    "Quản lý nhà nước" there names QLNN, and a cell that names no source is reported);
    "Ghi chú" beside it is a note.
    """
    last_total = None
    split = _source_split_columns(table)
    if split:
        issues.append(ParseIssue(table.header.line, f"{app.name}: số tiền chia theo nguồn ở các cột "
                                 + ", ".join(f"'{c.text}'" for c, _ in split) + "; lưu số tiền của dòng, nguồn lấy theo "
                                 "cột có số (nhiều cột: MIXED), phần của từng nguồn chưa được lưu riêng"))
    for row in table.rows:
        if row.kind == "total":
            label_cell = next((c for c in (row.get("description"), row.get("code")) if c is not None
                               and vocabulary().total(c.text)), row.get("description") or row.get("code"))
            label = label_cell.text if label_cell else None
            m = vocabulary().total(label or "")
            amount = _amount_cell(row)
            last_total = _Total(label, m.group("scope") if m else None, amount.text if amount else None, row.line,
                                at=_at(row, amount))
            words = row.get("words")
            if words:
                last_total.words_text, last_total.words_line = words.text, words.line
            app.totals.append(last_total)
            continue
        code, desc_text = row.code, None
        desc = row.get("description")
        if code is None:  # a heading row of cells
            first_text = row.text()
            code = parse_code(first_text)
            if code is None:
                issues.append(ParseIssue(row.line, f"{app.name}: hàng không có số thứ tự{_at(row, row.cells[0] or desc)}, "
                                         "không xếp được vào bảng — không đọc", text=first_text))
                if _amount_cell(row) is not None:
                    app.unplaced.append(row.line)
                continue
            head = next(c for c in row.cells if c is not None and c.text)
            desc_text = clean(head.text[len(CODE_RE.match(clean(head.text)).group(0)):]) or None
        source = row.get("source")
        note = row.get("note")
        own = source or note
        own_text = own.text if own else None
        if source is not None and not re.match(r"(?i)nguồn\b", source.text):
            own_text = f"Nguồn {source.text}"  # the column says "Nguồn (kinh phí)": "Quản lý nhà nước" is a source
        amount = _amount_cell(row)
        if split and own_text is None:
            own_text = _split_note(row, split, amount, app, issues)
        app.rows.append(_Row(
            row, code, row.line, desc.text if desc else desc_text,
            desc.line if desc and desc.line != row.line else None,
            row.text_of("period"), amount.text if amount else None, own_text,
            own.line if own and own.line != row.line else None, segment=seg,
            remark=note.text if source is not None and note is not None else None,
        ))
    return last_total


_SPLIT_PREFIX_RE = re.compile(r"^(?:chia ra|trong đó|bao gồm|gồm)\s*:?\s*", re.I)


def _source_split_columns(table: Table) -> list[tuple[Column, str]]:
    """Columns that split a line's amount by funding source ("Tổng kinh phí | Chia ra: Nguồn
    SNKH | Nguồn QLNN"): no role of their own, a header naming a source once "Chia ra" /
    "Trong đó" is set aside, and a number in some item row. Returns (column, source label)."""
    if not any(c.role == "amount" for c in table.header.columns):
        return []
    out = []
    for col in table.header.columns:
        if col.role is not None:
            continue
        label = _SPLIT_PREFIX_RE.sub("", clean(col.text))
        if label and classify_source(label) and any(
                (c := r.cells[col.index]) is not None and AMOUNT_SHAPED_RE.search(c.text) or
                (c is not None and re.fullmatch(r"\d+", c.text.strip())) for r in table.rows if r.kind == "item"):
            out.append((col, label))
    return out


def _split_note(row: Row, split: list[tuple[Column, str]], amount: Cell | None, app: _Appendix,
                issues: list[ParseIssue]) -> str | None:
    """The source note of a row whose amount is split by source columns: the label of the one
    column printing a non-zero amount, or every "label amount" (a note naming several sources
    is MIXED). A split that does not add up to the row's amount is reported."""
    parts = []
    for col, label in split:
        cell = row.cells[col.index]
        if cell is None or not cell.text.strip() or re.fullmatch(r"[-–0]+", cell.text.strip()):
            continue
        try:
            parts.append((label, cell.text.strip(), to_vnd(cell.text, app.measure or canonical_unit(PROFILE.unit))))
        except NumberFormatError:
            issues.append(ParseIssue(row.line, f"{app.name}: không đọc được số tiền theo nguồn '{label}': {cell.text!r}",
                                     text=row.text()))
            return None
    if not parts:
        return None
    if amount is not None:
        try:
            whole = to_vnd(amount.text, app.measure or canonical_unit(PROFILE.unit))
        except NumberFormatError:
            whole = None
        if whole is not None and whole != sum(v for _, _, v in parts):
            issues.append(ParseIssue(row.line, f"{app.name}: dòng {row.code or ''}: số tiền theo nguồn ("
                                     + " + ".join(t for _, t, _ in parts) + f") không bằng số tiền {amount.text}",
                                     text=row.text()))
    return parts[0][0] if len(parts) == 1 else "; ".join(f"{label} {text}" for label, text, _ in parts)


def _split_candidates(block: Block) -> list[tuple[int, int]]:
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


def _fit_blocks(blocks: list[Block], needed: int) -> list[Block]:
    """Split blocks at the most likely boundaries until there are ``needed`` of them (two
    descriptions extracted without a blank line between them)."""
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
        blocks[bi: bi + 1] = [Block(b.line, b.lines[:pos]), Block(b.line + pos, b.lines[pos:])]
    return blocks


def _attach_blocks(app: _Appendix, issues: list[ParseIssue]) -> None:
    """Re-attach the descriptions and source notes printed after each table segment."""
    for seg in range(1, app.segments + 1):
        rows = [r for r in app.rows if r.segment == seg]
        blocks = app.blocks.get(seg, [])
        notes = [b for b in blocks if is_source_note(b.text)]
        descs = [b for b in blocks if not is_source_note(b.text)]
        lacking = [r for r in rows if r.description is None]
        if not lacking and not notes and not descs:
            continue
        descs = _fit_blocks(descs, len(lacking))
        if len(descs) != len(lacking):
            where = ", ".join(str(r.line) for r in lacking) or "—"
            issues.append(ParseIssue(
                rows[0].line if rows else app.line,
                f"{app.name}: {len(lacking)} dòng thiếu nội dung (dòng {where}) nhưng có {len(descs)} đoạn "
                "mô tả sau bảng; không gắn được nội dung cho các dòng này",
            ))
        else:
            for row, b in zip(lacking, descs):
                row.description, row.description_line = b.text, b.line
        # A note belongs to the first row at or after the row whose description precedes it
        # (cells are moved out row by row, column by column).
        order = sorted([(b.line, "desc", b) for b in descs] + [(b.line, "note", b) for b in notes], key=lambda t: t[0])
        cursor = 0
        for _, kind, b in order:
            if kind == "desc":
                owner = next((i for i, r in enumerate(rows) if r.description_line == b.line), None)
                cursor = owner if owner is not None else cursor
                continue
            target = next(
                (i for i in range(cursor, len(rows)) if rows[i].note is None and rows[i].amount_text is not None), None
            )
            if target is None:
                issues.append(ParseIssue(b.line, f"{app.name}: ghi chú nguồn không gắn được vào dòng nào", text=b.text))
                continue
            rows[target].note, rows[target].note_line = b.text, b.line
            cursor = target + 1


def _build_hierarchy(app: _Appendix) -> None:
    """Parents from the row codes (:func:`loaders.text.outline.code_parents`), then line ids."""
    for row, parent in zip(app.rows, code_parents([r.code for r in app.rows])):
        row.parent = app.rows[parent] if parent is not None else None
        node = row  # the section: the nearest Roman numeral above, else the part letter ("A")
        while node.parent is not None and code_kind(node.code) != "roman":
            node = node.parent
        row.section = node.code if code_kind(node.code) in ("roman", "part") else None
        row.level = row.parent.level + 1 if row.parent else 1
        if row.parent is not None:
            row.parent.children.append(row)
    used: dict[str, int] = {}
    for row in app.rows:
        path, node = [], row
        while node is not None:
            path.append(node.code)
            node = node.parent
        base = "/".join([app.prefix] + list(reversed(path)))
        n = used.get(base, 0)
        used[base] = n + 1
        row.line_id = base if n == 0 else f"{base}#{n + 1}"


def parse(lines: list[str], meta: DocumentMeta, rows: Mapping[int, SourceRow] | None = None) -> ParseResult:
    """Read budget appendices into budget lines and printed totals.

    ``lines``: the document's text lines (line numbers are 1-based indexes into it).
    ``meta``: metadata from the manifest or command line; the fiscal year defaults to the
    year printed in an upper-case title ("… NĂM 2024"). Amounts are integers in đồng, signed.

    Returns a ``ParseResult`` whose budget lines have the profile's stage ("dự toán", phase
    ``approved``). An amount or unit that cannot be read is an error (the document is
    refused, naming the line); other problems are warnings with their line.
    ``rows``: for an uploaded workbook, Word or PDF file, the cells of its table rows by line
    (``Extracted.cell_rows()``), so messages name the cell ("ô PL1!D12"); tables of cells are
    read by :func:`loaders.tables.region.read_region` whether or not ``rows`` is given.
    Source: ``000_3dbcd40b8eb90139.txt`` (Kế hoạch 68/KH-SKHCN, Sở KH&CN Điện Biên).
    """
    issues: list[ParseIssue] = []
    doc: dict = {}
    appendices = []
    regions = _regions(lines)
    for name, prefix, first, last in regions:
        try:
            appendices.append(_read_appendix(lines, meta.file_name, name, prefix, first, last, doc, issues, rows))
        except TableError as exc:
            issues.append(ParseIssue(exc.line, f"{name}: {exc}", severity="error"))
            return ParseResult(meta=meta, issues=issues)
    front = _front_summary(lines, meta.file_name, regions[0][2] - 1 if regions else 0, rows)
    year = (meta.fiscal_years[0] if meta.fiscal_years else None) or doc.get("title_year")
    if year is None:
        issues.append(ParseIssue(None, "Không xác định được năm ngân sách (cần --year)", severity="error"))
        return ParseResult(meta=meta, issues=issues)
    if doc.get("title_year") and meta.fiscal_years and doc["title_year"] not in meta.fiscal_years:
        issues.append(ParseIssue(None, f"Năm trong tiêu đề ({doc['title_year']}) khác năm khai báo ({year})"))
    meta.fiscal_years = meta.fiscal_years or [year]
    meta.layout = LAYOUT
    meta.kind = meta.kind or "budget_appendices"
    if "attached" in doc:
        m = doc["attached"]
        meta.number = meta.number or m.group("number")
        if m.group("y") and meta.issued_date is None:
            try:
                meta.issued_date = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:  # "ngày 31 tháng 02 năm 2024": said, never moved to another day
                at = doc.get("attached_line")
                printed = f"{int(m.group('d')):02d}/{int(m.group('m')):02d}/{m.group('y')}"
                issues.append(ParseIssue(at, f"Ngày không có thật: {printed}" + (f" (dòng {at})" if at else "")
                                         + ": ngày ban hành để trống", text=m.group(0)))
        meta.title = meta.title or f"Dự toán kinh phí năm {year} (kèm theo {m.group('kind')} số {m.group('number')})"

    result = ParseResult(meta=meta, issues=issues)
    for app in appendices:
        if not app.money and not app.rows and app.summaries:
            continue  # a sheet that only sums the document by source: checked once every line is read
        if app.money:
            # the letter's subject ("V/v phân bổ kinh phí sự nghiệp KH&CN …") above the first table
            # (an appendix after the letter, or a table in the letter itself)
            _read_money(app, year, meta.file_name, result,
                        subjects_of(lines, max(appendices[0].line, app.money[0][0].header.line)), lines)
            result.totals.extend(_source_summary_totals(app, result.budget_lines, year, result.issues))
            result.totals.extend(_unit_summary_totals(app, result.budget_lines, year, result.issues))
            continue
        _attach_blocks(app, issues)
        _build_hierarchy(app)
        if app.unit is None and app.rows and not _section_units(app):
            issues.append(ParseIssue(app.line, f"{app.name}: không thấy dòng đơn vị (Phòng/đơn vị: …)"))
        if app.measure is None and app.rows:
            app.measure = canonical_unit(PROFILE.unit)
            issues.append(ParseIssue(
                app.line, f"{app.name}: không in 'Đơn vị tính'; số tiền được hiểu theo {PROFILE.unit}", about=ASSUMED_UNIT
            ))
        lines_by_row = _rows_to_lines(app, year, issues)
        result.budget_lines.extend(lines_by_row.values())
        result.totals.extend(_totals(app, lines_by_row, year, issues))
    for app in appendices:  # "Biểu 01: Tổng hợp theo nguồn kinh phí", the detail in "Biểu 02"
        if not app.money and not app.rows and app.summaries:
            result.totals.extend(_source_summary_totals(app, result.budget_lines, year, result.issues, whole=True))
    if front is not None:  # "BIỂU TỔNG HỢP" by unit (or by source) before the appendices of the detail
        result.totals.extend(_unit_summary_totals(front, result.budget_lines, year, result.issues, whole=True))
        result.totals.extend(_source_summary_totals(front, result.budget_lines, year, result.issues, whole=True))
    return result


def _front_summary(lines: list[str], file: str, last: int, rows: Mapping[int, SourceRow] | None) -> _Appendix | None:
    """A summary by unit printed before the first appendix ("BIỂU TỔNG HỢP … CỦA CÁC PHÒNG, ĐƠN
    VỊ": "TT | Phòng, đơn vị | Tổng số | Trong đó: Nguồn SNKH | Nguồn QLNN", each unit detailed in
    its own "Phụ lục"), or by source ("STT | Nguồn kinh phí | Dự toán năm 2023" over a sheet per
    source): an appendix of checks only (:func:`_unit_summary_totals`,
    :func:`_source_summary_totals`), ``None`` when the lines before the first appendix hold no
    such table."""
    if last < 2 or not any("\t" in ln for ln in lines[:last]):
        return None
    try:
        tables, _ = read_region(lines, 1, last, file, rows)
    except TableError:
        return None
    app = _Appendix(name="Biểu tổng hợp", prefix="TH", line=1)
    for table in tables:
        roles = set(table.header.roles())
        plan = guess_plan(table, STAGE)
        if "lead" in roles and "description" not in roles and plan.of("amount"):
            app.unit_summaries.append((table, plan))
        elif _is_source_summary(plan):  # "TỔNG HỢP … THEO NGUỒN KINH PHÍ" over a sheet per source
            app.summaries.append((table, plan, None))
        else:
            continue
        if table.unit and app.measure is None:
            app.measure = table.unit
    return app if app.unit_summaries or app.summaries else None


SUBJECT_RE = re.compile(r"^\s*(?:V/v|Về việc)\b", re.I)


def subjects_of(lines: list[str], upto: int) -> list[str]:
    """The document's subject lines before line ``upto`` ("V/v phân bổ dự toán chi sự nghiệp
    khoa học và công nghệ cấp huyện năm 2022"): they may name the source of every line."""
    return [clean(raw) for raw in lines[:upto] if SUBJECT_RE.match(raw)]


_TITLE_YEAR_RE = re.compile(r"\bNĂM\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_PROPOSAL_RE = re.compile(r"\bđề\s+xuất\b", re.IGNORECASE)


def _own_titles(lines: list[str], after: int, header_line: int | None) -> list[str]:
    """The titles in capitals printed between line ``after`` (the end of the table before, or
    the appendix's start) and a table's header: what names that table alone."""
    if not header_line:
        return []
    return [clean(ln.replace("\t", " ")) for ln in lines[max(after, 0):header_line - 1] if _is_title(ln.replace("\t", " "))]


def table_title_year(lines: list[str], after: int, header_line: int | None) -> int | None:
    """The year the titles in capitals above a table name ("ĐỀ XUẤT DỰ TOÁN NGÂN SÁCH KH&CN NĂM
    2021"), between line ``after`` (the end of the table before) and its header; ``None`` when
    they name none or several."""
    years = {int(m.group(1)) for t in _own_titles(lines, after, header_line) if (m := _TITLE_YEAR_RE.search(t))}
    return years.pop() if len(years) == 1 else None


def _table_scope(titles: list[str], year: int) -> tuple[int, str, str | None]:
    """``(year, default stage, why)`` of a table from its own titles: "ĐỀ XUẤT DỰ TOÁN … NĂM
    2026" → (2026, "đề xuất"): a second sheet proposing next year's budget beside this year's
    estimate is neither this year's money nor an estimate. ``why`` names the title when it
    changed something, else ``None``."""
    own_year, stage, why = year, STAGE, None
    for title in titles:
        m = _TITLE_YEAR_RE.search(title)
        if m and int(m.group(1)) != year:
            own_year, why = int(m.group(1)), title
        if _PROPOSAL_RE.search(title):
            stage, why = "đề xuất", title
    return own_year, stage, why


def _read_money(app: _Appendix, year: int, file: str, result: ParseResult, subjects: list[str],
                lines: list[str] | None = None) -> None:
    """The tables of cells of an appendix, read by :func:`loaders.families.money_table.read_money_table`
    (every money column, split sources, subtotals, totals, percentages). A table whose own
    title names another year or a proposal (:func:`_table_scope`) is read in that year and
    stage, with a note naming the title."""
    if app.measure is None:
        app.measure = canonical_unit(PROFILE.unit)
        result.issues.append(ParseIssue(app.line, f"{app.name}: không in 'Đơn vị tính'; số tiền được hiểu theo {PROFILE.unit}",
                                        about=ASSUMED_UNIT))
    after = app.line - 1
    for seg, (table, plan) in enumerate(app.money, start=1):
        prefix = app.prefix if len(app.money) == 1 else f"{app.prefix}.{seg}"
        own_year, stage, why = _table_scope(_own_titles(lines, after, table.header.line), year) if lines else (year, STAGE, None)
        after = max([n for r in table.rows for c in r.cells if c is not None for n in (c.lines or (c.line,)) if n]
                    + [table.header.line or after])
        if why:
            result.issues.append(ParseIssue(table.header.line, f"{app.name}: bảng theo tiêu đề '{why}': năm {own_year}, "
                                            f"giai đoạn {stage} (cột tiền không ghi giai đoạn)", text=why))
            if stage != STAGE:
                plan = guess_plan(table, stage)  # columns that name no stage take the title's
        ctx = MoneyContext(file, prefix, own_year, unit_of_amounts=app.measure, org_unit=app.table_units.get(id(table), app.unit),
                           appendix=app.name, default_stage=stage, headings=app.titles + subjects)
        read = read_money_table(table, plan, ctx)
        result.budget_lines.extend(read.lines)
        result.ratios.extend(read.ratios)
        result.issues.extend(read.issues)
        words = app.words.get(seg)
        printed = [t for t in read.totals if t.kind == "printed_total"]
        if words is not None and words.words_text and printed:
            # the amount in words states the table's last total: of the totals printed on that row (one per
            # money column), the one it names, else the first column's
            row = [t for t in printed if t.source_line == printed[-1].source_line]
            try:
                amount = words_to_vnd(words.words_text)
            except NumberFormatError as exc:
                amount = None
                result.issues.append(ParseIssue(words.words_line, str(exc), text=words.words_text))
            last = next((t for t in row if t.printed_amount_vnd == amount), row[0])
            last.words_text, last.words_line, last.words_amount_vnd = words.words_text, words.words_line, amount
        result.totals.extend(read.totals)
        _trailing_totals(app, seg, read.lines, ctx, result)


_TOTAL_WORD_RE = re.compile(r"(?:tổng|cộng)\b", re.I)  # "Tổng số đã phân bổ (đợt 1 + đợt 2)"


def _trailing_totals(app: _Appendix, seg: int, lines: list[BudgetLine], ctx: MoneyContext, result: ParseResult) -> None:
    """The rows printing an amount after a table's last row (:func:`_trailing_amounts`): a
    total ("Tổng số đã phân bổ (đợt 1 + đợt 2)") is checked against the leaf lines of every
    money column of the table; any other row ("Kinh phí còn lại chưa phân bổ") is no line of
    the table (money not given out) and is named in a warning, never stored; a total after
    such a row (the envelope "TỔNG DỰ TOÁN ĐƯỢC GIAO") adds money that is no line, so it is
    named too, not reconciled."""
    leaves = [b for b in lines if not b.is_subtotal and b.amount_vnd is not None]
    outside: list[str] = []
    for n, label, printed in app.trailing.get(seg, []):
        try:
            amount, _ = cell_to_vnd(printed, ctx.unit_of_amounts or canonical_unit(PROFILE.unit))
        except NumberFormatError as exc:
            result.issues.append(ParseIssue(n, f"{app.name}: dòng '{label}' sau bảng: không đọc được số tiền ({exc})",
                                            text=printed))
            continue
        if (vocabulary().total(label) or _TOTAL_WORD_RE.match(label)) and not outside:
            result.totals.append(PrintedTotal(
                scope=f"{app.name} ({label})", label=label, kind="printed_total", fiscal_year=ctx.year,
                phase_vn=leaves[0].phase_vn if leaves else STAGE, printed_amount_vnd=amount, source_line=n,
                covers=[b.line_id for b in leaves]))
            continue
        result.issues.append(ParseIssue(
            n, f"{app.name}: dòng '{label}' ({printed}) in sau bảng"
            + (f", cộng cả số ngoài bảng ({'; '.join(outside)})" if outside else "")
            + ": không phải dòng chi của bảng — không lưu, không đối chiếu", text=label))
        outside.append(label)


def _claims_source(note: str | None) -> bool:
    return bool(note) and bool(SOURCE_CLAIM_RE.match(note))


def _source_of(row: _Row) -> tuple[str, str | None]:
    """Funding source of a row (:func:`loaders.text.sources.resolve_source`): its own note, or
    its description when it is a source heading; else its parents' and section's, inherited
    downwards; ``UNSPECIFIED`` when nothing is printed."""
    ancestors = []
    node = row.parent
    while node is not None:
        ancestors.append(Ancestor(node.description, node.note))
        node = node.parent
    own = [row.note] + ([row.description] if is_source_heading(row.description) else [])
    choice = resolve_source(own, ancestors)
    return choice.code, choice.note if choice.code != "UNSPECIFIED" else None


def _is_subtotal(row: _Row) -> bool:
    return any(c.amount_text is not None or c.children for c in row.children)


def _section_units(app: _Appendix) -> dict[int, str]:
    """The top sections of an appendix organised by unit ("I Văn phòng Sở", "II Phòng Quản lý
    khoa học", "IV Trung tâm Ứng dụng …": :func:`loaders.text.units.unit_sections`), by
    ``id`` of their row, with the unit as printed; empty for sections by activity."""
    tops = [r for r in app.rows if r.parent is None and code_kind(r.code) in ("roman", "part")]
    return {id(tops[k]): tops[k].description for k in unit_sections([r.description for r in tops])}


def _unit_of(row: "_Row", sections: dict[int, str], default: str | None) -> str | None:
    """A line's unit: the unit section it is in (or is), else the appendix's "Phòng/đơn vị"."""
    node = row
    while node is not None:
        if id(node) in sections:
            return sections[id(node)]
        node = node.parent
    return default


def _rows_to_lines(app: _Appendix, year: int, issues: list[ParseIssue]) -> dict[int, BudgetLine]:
    out: dict[int, BudgetLine] = {}
    unspecified: list[int] = []
    sections = _section_units(app)
    for row in app.rows:
        amount = None
        if row.amount_text is not None:
            try:
                amount, used = cell_to_vnd(row.amount_text, app.measure)
                if english_grouped(row.amount_text):
                    issues.append(ParseIssue(row.line, f"{app.name}: số tiền {row.amount_text!r} phân cách hàng nghìn bằng "
                                             "dấu phẩy (kiểu tiếng Anh): đọc là số nguyên, cần kiểm tra lại",
                                             text=row.amount_text))
                if used != canonical_unit(app.measure):
                    issues.append(ParseIssue(row.line, f"{app.name}: số tiền {row.amount_text!r} ghi đơn vị riêng: đọc theo "
                                             f"{used}, không theo đơn vị của bảng ({canonical_unit(app.measure)})",
                                             text=row.amount_text))
            except NumberFormatError as exc:
                issues.append(ParseIssue(row.line, f"Không đọc được số tiền{_at(row.row, _amount_cell(row.row))}: {exc}",
                                         severity="error", text=row.row.text()))
        quarters: tuple[int, ...] = ()
        if row.period:
            try:
                period = parse_period(row.period)
                quarters = period.quarters
                if period.year and period.year != year:
                    issues.append(ParseIssue(row.line, f"Thời gian {row.period!r} khác năm ngân sách {year}"))
            except PeriodFormatError as exc:
                quarters = read_schedule(row.period, year).quarters_in(year)  # "Tháng 6-9", "6 tháng cuối năm"
                if not quarters:
                    issues.append(ParseIssue(row.line, f"{str(exc)[:1].upper()}{str(exc)[1:]} (dòng {row.line})", text=row.row.text()))
        if not quarters and _DATE_SHAPED_RE.search(row.row.text()):  # a date that does not exist: said, never silent
            for problem in impossible_dates(row.row.text()):
                message = f"{problem[:1].upper()}{problem[1:]} (dòng {row.line})"
                if not any(i.line == row.line and i.message == message for i in issues):
                    issues.append(ParseIssue(row.line, message, text=row.row.text()))
        if row.note and not classify_source(row.note) and _claims_source(row.note):
            issues.append(ParseIssue(row.note_line or row.line, f"{app.name}: ghi chú nguồn không phân loại được: "
                                     f"{row.note!r}", text=row.note))
        source, note = _source_of(row)
        desc = row.description
        is_subtotal = _is_subtotal(row)
        direction = "revenue" if desc and REVENUE_RE.match(desc) else "expenditure"
        if desc is None and not is_subtotal:
            issues.append(ParseIssue(row.line, f"{app.name}: dòng {row.code} không có nội dung", text=row.row.text()))
        if row.amount_text is None and not row.children and AMOUNT_SHAPED_RE.search(row.row.text()):
            app.unread.append(row)
            issues.append(ParseIssue(row.line, f"{app.name}: không đọc được dòng {row.line} (có số nhưng không nhận "
                                     "ra ô số tiền)", text=row.row.text()))
        if source == "UNSPECIFIED" and amount is not None and not is_subtotal:
            unspecified.append(row.line)
        out[id(row)] = BudgetLine(
            line_id=row.line_id,
            fiscal_year=year,
            phase=STAGE_PHASE[STAGE],
            phase_vn=STAGE,
            direction=direction,
            funding_source=source,
            funding_note=note,
            source_line=(row.row.get("amount").line if row.row.get("amount") else None) or row.line,
            amount_vnd=amount,
            amount_text=row.amount_text,
            amount_unit=(split_amount_unit(row.amount_text)[1] if row.amount_text else None) or app.measure,
            description=desc,
            description_line=row.description_line,
            unit=_unit_of(row, sections, app.unit),
            appendix=app.name,
            section=row.section,
            code=row.code,
            parent_id=row.parent.line_id if row.parent else None,
            level=row.level,
            is_subtotal=is_subtotal,
            period=row.period,
            quarters=quarters,
            note=row.remark or (row.note if row.note and not classify_source(row.note) else None),
        )
    if unspecified:
        issues.append(ParseIssue(
            unspecified[0],
            f"{app.name}: không ghi nguồn kinh phí (không in, không kế thừa từ mục trên) ở các dòng "
            + ", ".join(str(n) for n in unspecified) + " — để 'Chưa ghi nguồn'",
        ))
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


def _within(row: _Row, top: _Row) -> bool:
    node: _Row | None = row
    while node is not None and node is not top:
        node = node.parent
    return node is top


def _leaves(row: _Row) -> list[_Row]:
    if not _is_subtotal(row):
        return [row]
    return [lf for c in row.children for lf in _leaves(c)]


def _words(total: _Total, issues: list[ParseIssue]) -> int | None:
    if total.words_text is None:
        return None
    try:
        return words_to_vnd(total.words_text)
    except NumberFormatError as exc:
        issues.append(ParseIssue(total.words_line, str(exc), text=total.words_text))
        return None


def _closed_section(app: _Appendix, total: _Total, top: list[_Row]) -> list[_Row]:
    """The top rows a total without scope closes when it is not the appendix's last word:
    "Cộng" printed under each section, before more rows or another total, adds up the top
    rows printed since the total before it (never the whole appendix). ``[]`` for the last
    total and for a total printed above every row (the whole appendix)."""
    if not any(r.line > total.line for r in app.rows) and not any(t.line > total.line for t in app.totals):
        return []
    before = max((t.line for t in app.totals if t.line < total.line), default=0)
    return [r for r in top if before < r.line < total.line]


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
            issues.append(ParseIssue(total.line, f"Không đọc được tổng cộng{total.at}: {exc}", severity="error"))
            continue
        if total.scope:
            wanted = {s.strip() for s in total.scope.split("+") if s.strip()}
            roots = [r for r in top if r.code in wanted]
            missing = wanted - {r.code for r in roots}
            if missing:
                issues.append(ParseIssue(total.line, f"{app.name}: tổng cộng nhắc tới mục không có: {sorted(missing)}"))
            scope = f"{app.name} ({total.scope.replace(' ', '')})"
        elif (section := _closed_section(app, total, top)):
            roots, scope = section, f"{app.name} ({'+'.join(r.code for r in section)})"
        else:
            roots, scope = top, app.name
        covered = [lines_by_row[id(lf)] for r in roots for lf in _leaves(r)]
        out.append(PrintedTotal(
            scope=scope, label=total.label, kind="printed_total", fiscal_year=year, phase_vn=STAGE,
            printed_amount_vnd=printed, source_line=total.line, printed_text=total.amount_text,
            covers=[bl.line_id for bl in covered if bl.direction == "expenditure"],
            unread_lines=[r.line for r in app.unread if any(_within(r, root) for root in roots)]
            + (app.unplaced if not total.scope else []),
            words_text=total.words_text, words_amount_vnd=_words(total, issues), words_line=total.words_line,
        ))
    for row in app.rows:
        bl = lines_by_row[id(row)]
        if bl.is_subtotal and bl.amount_vnd is not None:
            out.append(PrintedTotal(
                scope=f"{app.name} / {row.code}" + (f" ({row.section})" if row.section and row.section != row.code else ""),
                label=f"{row.code} {bl.description or ''}".strip(), kind="subtotal", fiscal_year=year, phase_vn=STAGE,
                printed_amount_vnd=bl.amount_vnd, source_line=bl.source_line, printed_text=bl.amount_text,
                covers=[lines_by_row[id(lf)].line_id for lf in _leaves(row)],
                unread_lines=[r.line for r in app.unread if _within(r, row)],
            ))
    return out
