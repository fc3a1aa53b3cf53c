"""Task plan with a proposed budget per task: Sóc Trăng, "KẾ HOẠCH NHIỆM VỤ NĂM 2024".

Layout (``data/raw/004_f16e394b373b4c86.txt``, see ``../shared/GLOSSARY.md``):

* a tab-separated table of 7 columns, its header row repeated on every page::

    STT | Nội dung công việc | Thời gian thực hiện | Đơn vị chủ trì | Đơn vị phối hợp |
    Dự kiến kết quả đạt được | Đề xuất kinh phí ngân sách sự nghiệp KH&CN cấp (đồng)

* group headings are rows whose first cell is ``<b>…</b>`` and whose other cells are empty;
* a task row starts with its number ("13.");
* a row split across a page break continues in a row whose first cell is empty: its cells
  are appended to the task above, cell by cell;
* cells may hold ``<p>``/``<b>`` markup left by the PDF conversion (removed here);
* the budget cell holds an amount in đồng, optionally "đồng" and a funding note in
  parentheses ("30.000.000 đồng (kinh phí pháp chế)"), or text only ("Kinh phí nông thôn
  mới"), which is *not* an amount.

Every task becomes a :class:`Task`; every task with an amount also becomes a
:class:`BudgetLine` (phase "proposed" / "đề xuất", expenditure).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

from loaders.model import BudgetLine, DocumentMeta, ParseIssue, ParseResult, Task
from loaders.numbers import NumberFormatError, to_vnd
from loaders.periods import ROMAN_QUARTERS
from loaders.sources import classify_source

LAYOUT = "task_plan"
PROVINCE = "Sóc Trăng"
N_COLUMNS = 7
COL_NO, COL_NAME, COL_TIMING, COL_LEAD, COL_PARTNERS, COL_RESULT, COL_BUDGET = range(N_COLUMNS)

_HEADER_RE = re.compile(r"^STT\tNội dung công việc\tThời gian thực hiện\tĐơn vị chủ trì\t")
_TITLE_RE = re.compile(r"KẾ HOẠCH NHIỆM VỤ NĂM\s+(?P<year>(?:19|20)\d{2})", re.I)
_TASK_NO_RE = re.compile(r"^(?P<no>\d{1,3})\.?$")
_HEADING_RE = re.compile(r"^<b>(?P<text>.+?)</b>$")
_TAG_RE = re.compile(r"<[^>]+>")
# "500.000.000 đồng (dự kiến kinh phí …)" / "50.000.000" / "30.000.000 đồng (kinh phí pháp chế)"
_AMOUNT_CELL_RE = re.compile(
    r"^(?P<amount>\d{1,3}(?:\.\d{3})+)\s*(?:đồng|đ)?\s*(?:\((?P<note>[^()]*)\)?)?\s*(?P<rest>.*)$"
)
# A bare amount names no source, but the column heading does ("Đề xuất kinh phí ngân sách sự
# nghiệp KH&CN cấp"): as with a section heading (GLOSSARY: "child lines inherit it"), the
# amount inherits SNKH, and the funding note says where the source came from.
_NO_SOURCE_NOTE = (
    "ô không ghi nguồn; tiêu đề cột: Đề xuất kinh phí ngân sách sự nghiệp KH&CN cấp (đồng)"
)
_COLUMN_SOURCE = "SNKH"
_LEAD_RE = re.compile(r"^(?P<unit>.*?)\s*\((?P<names>[^()]*)\)\s*$")


def clean_cell(text: str) -> str:
    """Remove the HTML markup of the PDF conversion (``<p>``, ``<b>``) and squeeze spaces."""
    s = _TAG_RE.sub(" ", text)
    s = html.unescape(s)
    return " ".join(s.split())


def detect(lines: list[str]) -> bool:
    """True when ``lines`` are a task plan laid out like the Sóc Trăng 2024 plan.

    It looks for the 7-column tab-separated header ("STT / Nội dung công việc / Thời gian
    thực hiện / Đơn vị chủ trì / … / Đề xuất kinh phí …") in the document.
    """
    for line in lines:
        if _HEADER_RE.match(line) and "Đề xuất kinh phí" in line and line.count("\t") >= N_COLUMNS - 1:
            return True
    return False


# ----------------------------------------------------------------------------- timing


@dataclass
class Timing:
    """A parsed "Thời gian thực hiện" cell.

    ``period_start``/``period_end`` bound the whole window when every step is dated;
    ``deadline`` is the last absolute date by which the task (or its last dated step)
    must be done; ``recurring`` keeps "Thường xuyên" / "Định kỳ …" as printed;
    ``problems`` lists what could not be read (e.g. the non-existent date "30/2").
    """

    text: str
    period_start: date | None = None
    period_end: date | None = None
    deadline: date | None = None
    recurring: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def quarters(self) -> tuple[int, ...]:
        """Quarters (1–4) covered by the window, () when either end is unknown or the
        window leaves the year of its start."""
        if self.period_start is None or self.period_end is None:
            return ()
        if self.period_start.year != self.period_end.year:
            return ()
        first = (self.period_start.month - 1) // 3 + 1
        last = (self.period_end.month - 1) // 3 + 1
        return tuple(range(first, last + 1))


@dataclass
class _Step:
    pos: int
    start: date | None
    end: date | None
    failed: bool = False


_Q_RE = re.compile(r"\bqu[ýíy]\s+(?P<q>(?-i:IV|III|II|I))\b(?:\s*/\s*(?P<y>\d{4})|\s+năm\s+(?P<y2>\d{4}))?", re.I)
_MONTH_RE = re.compile(
    r"\btháng\s+(?P<list>\d{1,2}(?:\s*[-–,]\s*\d{1,2}(?![\d/]))*)(?:\s*/\s*(?P<y>\d{4}))?", re.I
)
_DAYS_DATE_RE = re.compile(r"(?<![\d/])(?P<d1>\d{1,2})\s*,\s*(?P<d2>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/])")
_FULL_DATE_RE = re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/])")
_SHORT_DATE_RE = re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/])")
_DEADLINE_BEFORE_RE = re.compile(r"(?:trước|chậm nhất|hạn chót|hạn)\s*(?:ngày\s*)?$", re.I)
_START_AFTER_RE = re.compile(r"^\s*(?:\([^)]*\)\s*)?bắt đầu", re.I)
_RECURRING_RE = re.compile(r"thường xuyên|định kỳ[^;.]*|h[àằ]ng tháng|h[àằ]ng năm|h[àằ]ng quý", re.I)
_RELATIVE_RE = re.compile(r"sau\s+\d+\s+ngày\s+kể\s+từ[^;.]*", re.I)


def _month_end(d: date) -> date:
    return d + relativedelta(day=31)


def _month_list(text: str) -> list[int]:
    months: list[int] = []
    for piece in re.split(r"\s*,\s*", text.strip()):
        bounds = re.split(r"\s*[-–]\s*", piece)
        if len(bounds) == 2:
            months.extend(range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            months.append(int(bounds[0]))
    return months


def parse_timing(text: str | None, year: int) -> Timing:
    """Parse a "Thời gian thực hiện" cell of the Sóc Trăng task plan.

    Forms read (year ``year`` when none is printed): "Tháng 5", "Tháng 01/2024",
    "Tháng 6-11", "Tháng 5,6", "Quý II", "quý IV", "29/01/2024", "25, 26/4/2024",
    "trước 30/1", "Chậm nhất ngày 15/6/2024", "tháng 5 bắt đầu triển khai" (start only) and
    schedules of several steps ("Tháng 5: …; Tháng 6: …; 30/7/2024: …"), whose window runs
    from the first step to the last. Month ends and quarter bounds come from
    ``dateutil.relativedelta``. A date that does not exist ("30/2") is reported in
    ``problems`` and leaves the bound it would set unknown; a step dated relative to an
    event ("sau 15 ngày kể từ khi …") leaves ``period_end`` unknown. Never raises.
    """
    raw = text or ""
    timing = Timing(text=raw)
    if not raw.strip():
        return timing
    rec = _RECURRING_RE.search(raw)
    if rec:
        timing.recurring = rec.group(0).strip()
    work = raw
    steps: list[_Step] = []

    def consume(m: re.Match[str]) -> None:
        nonlocal work
        work = work[: m.start()] + " " * (m.end() - m.start()) + work[m.end():]

    def make_date(y: int, m: int, d: int, pos: int, label: str) -> date | None:
        try:
            return date(y, m, d)
        except ValueError:
            timing.problems.append(f"ngày không tồn tại: {label}")
            steps.append(_Step(pos, None, None, failed=True))
            return None

    for m in list(_Q_RE.finditer(work)):
        y = int(m.group("y") or m.group("y2") or year)
        start = date(y, 3 * ROMAN_QUARTERS[m.group("q")] - 2, 1)
        steps.append(_Step(m.start(), start, start + relativedelta(months=3, days=-1)))
        consume(m)
    for m in list(_MONTH_RE.finditer(work)):
        y = int(m.group("y") or year)
        months = _month_list(m.group("list"))
        if not all(1 <= mo <= 12 for mo in months):
            timing.problems.append(f"tháng không hợp lệ: {m.group(0)}")
            steps.append(_Step(m.start(), None, None, failed=True))
            consume(m)
            continue
        start = date(y, min(months), 1)
        end = _month_end(date(y, max(months), 1))
        if _START_AFTER_RE.match(raw[m.end():]):
            end = None
            timing.notes.append(f"chỉ có thời điểm bắt đầu: {m.group(0)}")
        steps.append(_Step(m.start(), start, end))
        consume(m)
    for m in list(_DAYS_DATE_RE.finditer(work)):
        y, mo = int(m.group("y")), int(m.group("m"))
        d1 = make_date(y, mo, int(m.group("d1")), m.start(), m.group(0))
        d2 = make_date(y, mo, int(m.group("d2")), m.start(), m.group(0))
        if d1 and d2:
            steps.append(_Step(m.start(), d1, d2))
        consume(m)
    for regex in (_FULL_DATE_RE, _SHORT_DATE_RE):
        for m in list(regex.finditer(work)):
            y = int(m.groupdict().get("y") or year)
            d = make_date(y, int(m.group("m")), int(m.group("d")), m.start(), m.group(0))
            if d is not None:
                is_deadline = bool(_DEADLINE_BEFORE_RE.search(raw[: m.start()]))
                steps.append(_Step(m.start(), None if is_deadline else d, d))
            consume(m)

    if not steps:
        if not timing.recurring:
            timing.problems.append("không đọc được thời gian")
        return timing
    steps.sort(key=lambda s: s.pos)
    good = [s for s in steps if not s.failed]
    if not good:
        return timing
    # The window starts with the first step, when that step has a start (not "trước 30/1",
    # not an unreadable date).
    if steps[0].start is not None:
        timing.period_start = min(s.start for s in good if s.start is not None)
    # It ends with the last step, when that step has an end (not "bắt đầu", not unreadable).
    last = steps[-1]
    if last.end is not None:
        timing.deadline = max(s.end for s in good if s.end is not None)
        timing.period_end = timing.deadline
    rel = _RELATIVE_RE.search(raw)
    if rel and rel.start() > last.pos:
        # "Chậm nhất ngày 30/6/2024 …; sau 15 ngày kể từ khi …": the deadline printed stays,
        # the end of the whole window is unknown.
        timing.period_end = None
        timing.notes.append(f"bước sau tính tương đối, chưa có ngày: {rel.group(0).strip()}")
    if timing.period_start and timing.period_end and timing.period_start > timing.period_end:
        timing.problems.append("thời điểm bắt đầu sau thời điểm kết thúc")
    return timing


# ----------------------------------------------------------------------------- budget


@dataclass
class Budget:
    """A parsed "Đề xuất kinh phí" cell: amount in đồng (None for text only), the cell as
    printed, the amount as printed and the funding note (parenthesised note, or the whole
    text when it names a funding source)."""

    text: str | None
    amount_vnd: int | None = None
    amount_text: str | None = None
    note: str | None = None
    problem: str | None = None


def parse_budget_cell(text: str | None) -> Budget:
    """Read a budget cell of the Sóc Trăng plan (amounts in đồng, "." thousands).

    ``"30.000.000 đồng (kinh phí pháp chế)"`` → 30_000_000 with note "kinh phí pháp chế";
    ``"50.217.500"`` → 50_217_500, no note; ``"Kinh phí nông thôn mới"`` → no amount, note
    "Kinh phí nông thôn mới"; a text that names no source → no amount, no note. Never
    raises: an amount that cannot be read is reported in ``problem``.
    """
    s = clean_cell(text or "")
    if not s:
        return Budget(text=None)
    m = _AMOUNT_CELL_RE.match(s)
    if not m:
        note = s if classify_source(s) else None
        return Budget(text=s, note=note)
    try:
        amount = to_vnd(m.group("amount"), "đồng")
    except NumberFormatError as exc:
        return Budget(text=s, problem=str(exc))
    note = (m.group("note") or "").strip() or None
    problem = None
    if m.group("rest"):
        problem = f"chữ sau số tiền chưa đọc: {m.group('rest')!r}"
    return Budget(text=s, amount_vnd=amount, amount_text=m.group("amount"), note=note, problem=problem)


def split_lead_unit(text: str | None) -> tuple[str | None, str | None]:
    """Split "Văn phòng Sở (Thuận)" into ("Văn phòng Sở", "Thuận"): names in trailing
    parentheses are assignees, not part of the unit (GLOSSARY "Phòng / đơn vị")."""
    s = clean_cell(text or "")
    if not s:
        return None, None
    m = _LEAD_RE.match(s)
    if m and m.group("unit"):
        return m.group("unit").strip(), m.group("names").strip() or None
    return s, None


# ----------------------------------------------------------------------------- parse


@dataclass
class _Row:
    no: str
    line: int
    section: str | None
    cells: list[str]
    cell_lines: list[int | None]
    continued_on: list[int] = field(default_factory=list)


def _split(line: str) -> list[str]:
    cells = line.split("\t")
    if len(cells) < N_COLUMNS:
        cells += [""] * (N_COLUMNS - len(cells))
    return cells


def parse(lines: list[str], meta: DocumentMeta) -> ParseResult:
    """Parse the Sóc Trăng task plan (``004_f16e394b373b4c86.txt`` layout).

    Returns a :class:`ParseResult` with one :class:`Task` per numbered row (``task_id``
    "ST/<n>", ``source_line`` = the line of its number) and one :class:`BudgetLine` per task
    whose budget cell holds an amount (đồng; ``line_id`` "ST/<n>", ``source_line`` = the line
    where the amount is printed, phase "proposed" / "đề xuất", funding source from
    :func:`loaders.sources.classify_source` of the note, "UNSPECIFIED" without one).
    Rows continued across a page (empty first cell) are merged into the task above.
    What cannot be read is reported in ``issues``; never raises on content.
    """
    result = ParseResult(meta=meta)
    issues = result.issues
    year = None
    for i, line in enumerate(lines[:40]):
        m = _TITLE_RE.search(line)
        if m:
            year = int(m.group("year"))
            break
    if year is None:
        year = meta.fiscal_years[0] if meta.fiscal_years else None
    if year is None:
        issues.append(ParseIssue(None, "không tìm thấy năm của kế hoạch", severity="error"))
        return result
    if meta.layout is None:
        meta.layout = LAYOUT
    if meta.kind is None:
        meta.kind = "plan"
    if meta.province is None:
        meta.province = PROVINCE
    if not meta.fiscal_years:
        meta.fiscal_years = [year]

    rows: list[_Row] = []
    section: str | None = None
    in_table = False
    for idx, line in enumerate(lines):
        lineno = idx + 1
        if _HEADER_RE.match(line):
            in_table = True
            continue
        if not line.strip():
            continue
        if not in_table or "\t" not in line:
            if in_table and rows:
                in_table = False  # prose after the table
            continue
        cells = _split(line)
        first = cells[COL_NO].strip()
        rest_empty = not any(c.strip() for c in cells[1:])
        hm = _HEADING_RE.match(first)
        if hm and rest_empty:
            section = clean_cell(hm.group("text"))
            continue
        tm = _TASK_NO_RE.match(first)
        if tm:
            rows.append(
                _Row(
                    no=tm.group("no"),
                    line=lineno,
                    section=section,
                    cells=[c.strip() for c in cells[:N_COLUMNS]],
                    cell_lines=[lineno if c.strip() else None for c in cells[:N_COLUMNS]],
                )
            )
            if len(cells) > N_COLUMNS and any(c.strip() for c in cells[N_COLUMNS:]):
                issues.append(ParseIssue(lineno, "dòng có nhiều hơn 7 cột; phần thừa bị bỏ", text=line))
            continue
        if not first:
            if not rows:
                issues.append(ParseIssue(lineno, "dòng tiếp nối không có nhiệm vụ phía trên", text=line))
                continue
            prev = rows[-1]
            for c in range(1, N_COLUMNS):
                piece = cells[c].strip()
                if not piece:
                    continue
                prev.cells[c] = f"{prev.cells[c]} {piece}".strip()
                if prev.cell_lines[c] is None:
                    prev.cell_lines[c] = lineno
            prev.continued_on.append(lineno)
            continue
        issues.append(ParseIssue(lineno, "dòng không nhận dạng được trong bảng nhiệm vụ", text=line))

    expected = 1
    for row in rows:
        n = int(row.no)
        if n != expected:
            issues.append(ParseIssue(row.line, f"số thứ tự {n} (mong đợi {expected})"))
        expected = n + 1
        result.tasks.append(_task(row, year, result))
    return result


def _task(row: _Row, year: int, result: ParseResult) -> Task:
    c = [clean_cell(x) for x in row.cells]
    task_id = f"ST/{row.no}"
    timing = parse_timing(c[COL_TIMING] or None, year)
    for p in timing.problems:
        result.issues.append(
            ParseIssue(row.cell_lines[COL_TIMING] or row.line, f"{task_id}: thời gian — {p}", text=c[COL_TIMING])
        )
    lead, assignees = split_lead_unit(c[COL_LEAD])
    budget = parse_budget_cell(row.cells[COL_BUDGET])
    budget_line_no = row.cell_lines[COL_BUDGET] or row.line
    if budget.problem:
        result.issues.append(ParseIssue(budget_line_no, f"{task_id}: kinh phí — {budget.problem}", text=budget.text))
    if budget.text and budget.amount_vnd is None and not budget.problem:
        what = (
            f"chỉ ghi nguồn ({budget.note}), không có số tiền"
            if budget.note
            else "chỉ có chữ, không phải số tiền"
        )
        result.issues.append(ParseIssue(budget_line_no, f"{task_id}: ô kinh phí {what}", text=budget.text))
    notes = list(timing.notes)
    if row.continued_on:
        notes.append("gộp dòng tiếp trang " + ", ".join(str(n) for n in row.continued_on))
    task = Task(
        task_id=task_id,
        fiscal_year=year,
        name=c[COL_NAME],
        source_line=row.line,
        kind="task",
        section=row.section,
        lead_unit=lead,
        assignees=assignees,
        partners=c[COL_PARTNERS] or None,
        expected_result=c[COL_RESULT] or None,
        timing_text=c[COL_TIMING] or None,
        deadline=timing.deadline,
        period_start=timing.period_start,
        period_end=timing.period_end,
        recurring=timing.recurring,
        budget_vnd=budget.amount_vnd,
        budget_text=budget.text,
        budget_note=budget.note,
        note="; ".join(notes) or None,
    )
    if budget.amount_vnd is not None:
        result.budget_lines.append(
            BudgetLine(
                line_id=task_id,
                fiscal_year=year,
                phase="proposed",
                phase_vn="đề xuất",
                direction="expenditure",
                funding_source=classify_source(budget.note) or _COLUMN_SOURCE,
                source_line=budget_line_no,
                amount_vnd=budget.amount_vnd,
                description=task.name,
                funding_note=budget.note or "tiêu đề cột: ngân sách sự nghiệp KH&CN",
                unit=lead,
                section=row.section,
                code=row.no,
                period=task.timing_text,
                quarters=timing.quarters,
                amount_text=budget.amount_text,
                amount_unit="đồng",
                task_id=task_id,
                note=None if budget.note else _NO_SOURCE_NOTE,
            )
        )
    return task
