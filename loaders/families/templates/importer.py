"""Read a filled data-entry template into the same records as the document parsers.

Every cell of every data row is validated; each problem is a ``ParseIssue`` whose message
names the sheet and the cell ("Sheet Ngân sách, ô H12: 'một trăm' không phải số tiền") and
whose ``line`` is the row's line in the extracted workbook (``loaders.tables.files``), which is
also every record's ``source_line``. Problems that make a figure unreadable are errors (the
document is refused, nothing is saved); the rest are warnings.

Quarterly execution (kind ``execution``) is modelled in the existing stage vocabulary, not
with new stages: each row "thực hiện trong quý N" is a ``BudgetLine`` of phase ``executed``,
stage (``phase_vn``) "thực hiện", ``quarters=(N,)`` and ``period`` "Quý N". So the stage
"thực hiện" of a year adds up the quarters (execution so far), the by-quarter views split it,
and nothing is summed across stages. "Lũy kế từ đầu năm" (cumulative to the end of quarter N)
is not a separate amount (it would count the quarters twice): it is a ``PrintedTotal`` of
that line, covering the line's quarters 1…N in the same file, reconciled like any printed
total; when an earlier quarter is not in the file it cannot be checked and a warning says so.
A "TỔNG CỘNG" row is a printed total over the sheet's expenditure lines (of its stage for
budgets, of its quarter for execution).

Sources: the template layout of ``loaders.families.templates.spec``; amounts are integers in đồng.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from loaders.families.templates import spec as S
from loaders.model import (
    STAGE_PHASE,
    BudgetLine,
    DocumentMeta,
    IndicatorActual,
    IndicatorTarget,
    ParseIssue,
    ParseResult,
    PrintedTotal,
    Task,
)
from loaders.tables.files.extracted import Cell, Extracted, Table
from loaders.text.numbers import NumberFormatError, parse_vn_number
from loaders.text.periods import ROMAN_QUARTERS, PeriodFormatError, parse_period
from loaders.text.sources import classify_source

ROMAN = {v: k for k, v in ROMAN_QUARTERS.items()}
EXECUTED = "thực hiện"


def _norm(text: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def _marker(ex: Extracted) -> list | None:
    rows = ex.hidden.get(S.MARKER_SHEET)
    if rows is None:
        table = next((t for t in ex.tables if t.name == S.MARKER_SHEET), None)
        rows = [[c.value for c in r] for r in table.rows] if table else None
    if rows and rows[0] and rows[0][0] == S.MARKER:
        return list(rows[0]) + [None, None]
    return None


def detect_extracted(ex: Extracted) -> bool:
    """True for a workbook made from one of our templates (it carries the version marker)."""
    return ex.format in ("xlsx", "xls") and _marker(ex) is not None


@dataclass
class _Row:
    number: int  # the Excel row
    line: int  # the line in the extracted workbook
    cells: dict[str, Cell]  # field -> cell


class _Reader:
    """Validates cells of one sheet, collecting issues."""

    def __init__(self, sheet: str, issues: list[ParseIssue]):
        self.sheet, self.issues = sheet, issues

    def where(self, cell: Cell) -> str:
        return f"Sheet {self.sheet}, ô {cell.ref.rsplit('!', 1)[-1]}"

    def error(self, line: int | None, message: str, severity: str = "error") -> None:
        self.issues.append(ParseIssue(line, message, severity=severity))

    def text(self, cell: Cell | None) -> str | None:
        return cell.text if cell is not None and cell.text else None

    def _numeric(self, cell: Cell | None, line: int, what: str):
        """The number in a cell (``int``/``float``/``Decimal``), ``None`` when empty or not a
        number (then an error names the cell: "'một trăm' không phải <what>")."""
        if cell is None or cell.value is None or cell.text == "":
            return None
        v = cell.value
        if isinstance(v, str):
            try:
                return parse_vn_number(v)
            except NumberFormatError:
                v = None
        if v is None or isinstance(v, bool) or isinstance(v, (datetime, date)):
            self.error(line, f"{self.where(cell)}: '{cell.text}' không phải {what}")
            return None
        return v

    def amount(self, cell: Cell | None, line: int, allow_negative: bool = False) -> int | None:
        """Integer đồng from a number cell, or a number typed as text ("40.000.000")."""
        v = self._numeric(cell, line, "số tiền")
        if v is None:
            return None
        if v != int(v):
            self.error(line, f"{self.where(cell)}: '{cell.text}' không tròn đồng (số tiền ghi bằng đồng, không có phần lẻ)")
            return None
        if v < 0 and not allow_negative:
            self.error(line, f"{self.where(cell)}: số tiền âm '{cell.text}'")
            return None
        return int(v)

    def number(self, cell: Cell | None, line: int) -> float | None:
        v = self._numeric(cell, line, "số")
        return None if v is None else float(v)

    def choice(self, cell: Cell | None, line: int, col: S.Column) -> str | None:
        """The list value (as listed) a cell names, case and spacing aside; a funding source
        may also be written as a note ("Nguồn SNKH"). Free text where the list is not strict."""
        text = self.text(cell)
        if text is None:
            return None
        values = S.LISTS[col.list_name]
        for v in values:
            if _norm(v) == _norm(text):
                return v
        if col.list_name == "Nguồn kinh phí":
            code = classify_source(text)
            if code:
                return next(label for label, c in S.SOURCES.items() if c == code)
        if not col.strict:
            return text
        self.error(line, f"{self.where(cell)}: '{text}' không có trong danh sách '{col.list_name}'")
        return None

    def period(self, cell: Cell | None, line: int) -> tuple[str | None, tuple[int, ...]]:
        text = self.text(cell)
        if text is None:
            return None, ()
        if _norm(text) == _norm("Cả năm"):
            return "Cả năm", (1, 2, 3, 4)
        try:
            p = parse_period(text)
        except PeriodFormatError:
            self.error(line, f"{self.where(cell)}: '{text}' không phải thời gian (Quý I … Quý IV, 'Quý II, III' hoặc Cả năm)")
            return None, ()
        return p.label, p.quarters

    def date(self, cell: Cell | None, line: int) -> date | None:
        if cell is None or cell.value is None or cell.text == "":
            return None
        v = cell.value
        if isinstance(v, datetime):
            return v.date()
        if isinstance(v, date):
            return v
        for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(str(v).strip(), fmt).date()
            except ValueError:
                continue
        self.error(line, f"{self.where(cell)}: '{cell.text}' không phải ngày (dd/mm/yyyy)")
        return None


def _row_number(cell: Cell) -> int:
    return int(re.search(r"(\d+)$", cell.ref).group(1))


def _header(table: Table, sp: S.Spec, reader: _Reader) -> tuple[int, dict[str, int]] | None:
    """Index of the header row and field -> column index; issues for missing columns."""
    labels = {_norm(c.label): c for c in sp.columns}
    best = None
    for i, row in enumerate(table.rows[:15]):
        found = {labels[_norm(c.text)].field: j for j, c in enumerate(row) if _norm(c.text) in labels}
        if best is None or len(found) > len(best[1]):
            best = (i, found)
    if best is None or not best[1]:
        reader.error(None, f"Sheet {sp.sheet}: không thấy hàng tiêu đề của mẫu (các cột {', '.join(c.label for c in sp.columns)})")
        return None
    i, found = best
    line = table.lines[i]
    missing = [c.label for c in sp.columns if c.field not in found and (c.required or c.type in ("amount",))]
    for label in missing:
        reader.error(line, f"Sheet {sp.sheet}, hàng {i + 1}: thiếu cột '{label}'")
    for j, c in enumerate(table.rows[i]):
        if c.text and _norm(c.text) not in labels:
            reader.error(line, f"Sheet {sp.sheet}, ô {c.ref.rsplit('!', 1)[-1]}: cột '{c.text}' không thuộc mẫu, bị bỏ qua", "warning")
    return (i, found) if not missing else None


def _year(table: Table, header_index: int, meta: DocumentMeta, reader: _Reader) -> int | None:
    """The fiscal year: the manifest / upload form, else the sheet's year cell."""
    printed = None
    for i, row in enumerate(table.rows[:header_index]):
        if row and _norm(row[0].text) == _norm(S.YEAR_LABEL) and len(row) > 1 and row[1].text:
            cell = row[1]
            v = cell.value
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == int(v) and 2000 <= v <= 2100:
                printed = int(v)
            elif isinstance(v, str) and v.strip().isdigit() and 2000 <= int(v) <= 2100:
                printed = int(v)
            else:
                reader.error(table.lines[i], f"{reader.where(cell)}: '{cell.text}' không phải năm (2000–2100)")
    declared = meta.fiscal_years[0] if meta.fiscal_years else None
    if declared and printed and declared != printed:
        reader.error(None, f"Sheet {reader.sheet}: năm ghi trong mẫu ({printed}) khác năm khai báo ({declared})", "warning")
    year = declared or printed
    if year is None:
        reader.error(None, f"Sheet {reader.sheet}, ô B{S.YEAR_ROW}: chưa ghi năm ngân sách (hoặc chọn năm khi tải lên)")
    return year


def parse_extracted(ex: Extracted, meta: DocumentMeta) -> ParseResult:
    """Read a filled template (``detect_extracted`` is true) into a ``ParseResult``.

    Errors (refusing the document): unknown kind or version of the template, missing data
    sheet or columns, no year, an unreadable amount / number / date / list value, a missing
    required cell, the same execution line twice for one quarter. Returns records whose
    ``source_line`` is the row's line in ``ex.lines`` and whose ids are "<sheet>!<row>".
    """
    issues: list[ParseIssue] = []
    result = ParseResult(meta=meta, issues=issues)
    marker = _marker(ex)
    kind, version = marker[1], marker[2]
    if kind not in S.SPECS:
        issues.append(ParseIssue(None, f"Sheet {S.MARKER_SHEET}: loại mẫu lạ {kind!r}", "error"))
        return result
    if str(version) != str(S.VERSION):
        issues.append(ParseIssue(
            None, f"Mẫu '{kind}' phiên bản {version} không còn được hỗ trợ: hãy tải mẫu mới (phiên bản {S.VERSION}) "
            "và chép số liệu sang", "error"))
        return result
    sp = S.SPECS[kind]
    table = next((t for t in ex.tables if t.name == sp.sheet), None)
    if table is None:
        issues.append(ParseIssue(None, f"Không thấy sheet '{sp.sheet}' của mẫu '{kind}' (đã đổi tên hoặc xóa?)", "error"))
        return result
    reader = _Reader(sp.sheet, issues)
    head = _header(table, sp, reader)
    if head is None:
        return result
    h, columns = head
    year = _year(table, h, meta, reader)
    if year is None:
        return result
    meta.fiscal_years = meta.fiscal_years or [year]
    meta.kind = meta.kind or sp.document_kind
    meta.layout = f"template_{kind}"
    meta.title = meta.title or f"{sp.title.capitalize()} năm {year} (mẫu nhập liệu)"
    rows = []
    for i in range(h + 1, len(table.rows)):
        cells = {f: table.rows[i][j] for f, j in columns.items() if j < len(table.rows[i])}
        if not any(c.text for c in cells.values()):
            continue
        rows.append(_Row(_row_number(table.rows[i][0]), table.lines[i], cells))
    builders = {"budget": _budget, "execution": _execution, "indicators": _indicators, "actuals": _actuals, "tasks": _tasks}
    builders[kind](rows, sp, year, reader, result)
    if not (result.budget_lines or result.indicators or result.actuals or result.tasks) and not any(
        i.severity == "error" for i in issues
    ):
        issues.append(ParseIssue(None, f"Sheet {sp.sheet}: mẫu chưa có dòng số liệu nào", "error"))
    return result


def _required(row: _Row, sp: S.Spec, reader: _Reader) -> bool:
    ok = True
    for col in sp.columns:
        if col.required and not reader.text(row.cells.get(col.field)):
            ref = row.cells.get(col.field)
            where = reader.where(ref) if ref else f"Sheet {sp.sheet}, hàng {row.number}"
            reader.error(row.line, f"{where}: thiếu '{col.label}'")
            ok = False
    return ok


def _is_total(row: _Row, sp: S.Spec) -> bool:
    cell = row.cells.get(sp.content_field)
    return cell is not None and _norm(cell.text).startswith(_norm(S.TOTAL_LABEL))


def _col(sp: S.Spec, field: str) -> S.Column:
    return next(c for c in sp.columns if c.field == field)


def _line_id(sp: S.Spec, row: _Row) -> str:
    return f"{sp.sheet}!{row.number}"


def _entries(rows: list[_Row], sp: S.Spec, rd: _Reader, totals: list[_Row]):
    """Yield the entry rows of a sheet in order, appending its TỔNG CỘNG rows to ``totals``; a
    row missing a required cell is reported (``_required``) and skipped."""
    for row in rows:
        if _is_total(row, sp):
            totals.append(row)
        elif _required(row, sp, rd):
            yield row


def _budget(rows: list[_Row], sp: S.Spec, year: int, rd: _Reader, result: ParseResult) -> None:
    totals: list[_Row] = []
    for row in _entries(rows, sp, rd, totals):
        c = row.cells
        stage = rd.choice(c.get("phase_vn"), row.line, _col(sp, "phase_vn"))
        source = rd.choice(c.get("funding_source"), row.line, _col(sp, "funding_source"))
        direction = rd.choice(c.get("direction"), row.line, _col(sp, "direction"))
        period, quarters = rd.period(c.get("period"), row.line)
        amount = rd.amount(c.get("amount"), row.line, allow_negative=stage == "điều chỉnh")
        unit = rd.choice(c.get("unit"), row.line, _col(sp, "unit"))
        if None in (stage, source, direction, amount):
            continue
        result.budget_lines.append(BudgetLine(
            line_id=_line_id(sp, row), fiscal_year=year, phase=STAGE_PHASE[stage], phase_vn=stage,
            direction=S.DIRECTIONS[direction], funding_source=S.SOURCES[source], funding_note=source,
            source_line=row.line, amount_vnd=amount, amount_text=c["amount"].text, amount_unit="đồng",
            description=rd.text(c.get("description")), unit=unit, appendix=sp.sheet, code=rd.text(c.get("code")),
            period=period, quarters=quarters, note=rd.text(c.get("note")), source_ref=c["amount"].ref,
        ))
    stages = sorted({bl.phase_vn for bl in result.budget_lines})
    for row in totals:
        stage = rd.choice(row.cells.get("phase_vn"), row.line, _col(sp, "phase_vn"))
        if stage is None and len(stages) == 1:
            stage = stages[0]
        cover = [bl for bl in result.budget_lines if bl.phase_vn == stage and bl.direction == "expenditure"]
        _total(row, sp, rd, result, year, stage, cover, f"{sp.sheet}" + (f" ({stage})" if len(stages) > 1 else ""),
               "amount", S.TOTAL_LABEL, multi_hint="ghi Giai đoạn cho hàng tổng cộng")


def _total(row: _Row, sp: S.Spec, rd: _Reader, result: ParseResult, year: int, stage: str | None,
           cover: list[BudgetLine], scope: str, field: str, label: str, multi_hint: str) -> None:
    cell = row.cells.get(field)
    if cell is None or cell.value is None:
        where = rd.where(cell) if cell is not None else f"Sheet {sp.sheet}, hàng {row.number}"
        rd.error(row.line, f"{where}: hàng {label} không có số (công thức chưa được tính? mở và lưu lại bằng Excel); "
                           "không đối chiếu", "warning")
        return
    printed = rd.amount(cell, row.line)
    if printed is None:
        return
    if stage is None:
        rd.error(row.line, f"{rd.where(cell)}: không biết {label} thuộc giai đoạn / quý nào ({multi_hint}); không đối chiếu",
                 "warning")
        return
    result.totals.append(PrintedTotal(
        scope=scope, label=label, kind="printed_total", fiscal_year=year, phase_vn=stage if stage in STAGE_PHASE else EXECUTED,
        printed_amount_vnd=printed, source_line=row.line, covers=[bl.line_id for bl in cover],
    ))


def _execution(rows: list[_Row], sp: S.Spec, year: int, rd: _Reader, result: ParseResult) -> None:
    seen: dict[tuple, dict[int, tuple[BudgetLine | None, _Row]]] = {}
    cumulative: list[tuple[tuple, int, _Row]] = []
    totals: list[_Row] = []
    for row in _entries(rows, sp, rd, totals):
        c = row.cells
        source = rd.choice(c.get("funding_source"), row.line, _col(sp, "funding_source"))
        quarter = rd.choice(c.get("quarter"), row.line, _col(sp, "quarter"))
        unit = rd.choice(c.get("unit"), row.line, _col(sp, "unit"))
        amount = rd.amount(c.get("amount"), row.line)
        cum = rd.amount(c.get("cumulative"), row.line)
        if source is None or quarter is None:
            continue
        if amount is None and cum is None and not any(
            i.line == row.line and i.severity == "error" for i in rd.issues
        ):
            rd.error(row.line, f"Sheet {sp.sheet}, hàng {row.number}: chưa có số thực hiện trong quý hay lũy kế")
            continue
        q = S.QUARTERS[quarter]
        key = (rd.text(c.get("code")), _norm(rd.text(c.get("description"))), _norm(unit or ""), source)
        if q in seen.get(key, {}):
            first = seen[key][q][1]
            rd.error(row.line, f"Sheet {sp.sheet}, hàng {row.number}: dòng '{rd.text(c.get('description'))}' "
                               f"{quarter} đã có ở hàng {first.number} (số sẽ bị tính hai lần)")
            continue
        bl = None
        if amount is not None:
            bl = BudgetLine(
                line_id=_line_id(sp, row), fiscal_year=year, phase=STAGE_PHASE[EXECUTED], phase_vn=EXECUTED,
                direction="expenditure", funding_source=S.SOURCES[source], funding_note=source, source_line=row.line,
                amount_vnd=amount, amount_text=c["amount"].text, amount_unit="đồng",
                description=rd.text(c.get("description")), unit=unit, appendix=sp.sheet, code=rd.text(c.get("code")),
                period=f"{quarter}/{year}", quarters=(q,), note=rd.text(c.get("note")), source_ref=c["amount"].ref,
            )
            result.budget_lines.append(bl)
        seen.setdefault(key, {})[q] = (bl, row)
        if cum is not None:
            cumulative.append((key, q, row))
    for key, q, row in cumulative:
        lines = seen[key]
        missing = [n for n in range(1, q + 1) if lines.get(n, (None,))[0] is None]
        desc = rd.text(row.cells.get("description"))
        cell = row.cells["cumulative"]
        if missing:
            rd.error(row.line, f"{rd.where(cell)}: lũy kế đến hết quý {ROMAN[q]} của dòng '{desc}' không đối chiếu được: "
                               f"tệp không có số thực hiện quý {', '.join(ROMAN[n] for n in missing)} của dòng này", "warning")
            continue
        cover = [lines[n][0] for n in range(1, q + 1)]
        _total(row, sp, rd, result, year, EXECUTED, cover, f"{sp.sheet} / {desc} / lũy kế quý {ROMAN[q]}", "cumulative",
               f"Lũy kế đến hết quý {ROMAN[q]}", multi_hint="")
    quarters = sorted({bl.quarters[0] for bl in result.budget_lines})
    for row in totals:
        quarter = rd.choice(row.cells.get("quarter"), row.line, _col(sp, "quarter"))
        q = S.QUARTERS[quarter] if quarter else (quarters[0] if len(quarters) == 1 else None)
        hint = "ghi Quý cho hàng tổng cộng"
        if row.cells.get("amount") is not None and row.cells["amount"].text:
            cover = [bl for bl in result.budget_lines if bl.quarters == (q,)]
            _total(row, sp, rd, result, year, EXECUTED if q else None, cover, f"{sp.sheet} / quý {ROMAN.get(q, '?')}",
                   "amount", S.TOTAL_LABEL, hint)
        if row.cells.get("cumulative") is not None and row.cells["cumulative"].text:
            cover = [bl for bl in result.budget_lines if q and bl.quarters[0] <= q]
            _total(row, sp, rd, result, year, EXECUTED if q else None, cover,
                   f"{sp.sheet} / lũy kế quý {ROMAN.get(q, '?')}", "cumulative", f"{S.TOTAL_LABEL} lũy kế", hint)


def _indicators(rows: list[_Row], sp: S.Spec, year: int, rd: _Reader, result: ParseResult) -> None:
    for row in rows:
        if not _required(row, sp, rd):
            continue
        c = row.cells
        comp = rd.choice(c.get("comparator"), row.line, _col(sp, "comparator"))
        value = rd.number(c.get("target_value"), row.line)
        if comp is None:
            continue
        qualitative = S.COMPARATORS[comp] is None
        if not qualitative and value is None:
            cell = c.get("target_value")
            where = rd.where(cell) if cell else f"Sheet {sp.sheet}, hàng {row.number}"
            rd.error(row.line, f"{where}: thiếu giá trị mục tiêu (so sánh '{comp}')")
            continue
        unit = rd.text(c.get("target_unit"))
        value_text = c["target_value"].text if c.get("target_value") is not None else ""
        result.indicators.append(IndicatorTarget(
            indicator_id=_line_id(sp, row), fiscal_year=year, name=rd.text(c["name"]), source_line=row.line,
            group=rd.text(c.get("group")), code=None,
            target_text=" ".join(x for x in (comp, value_text, unit or "") if x),
            comparator=S.COMPARATORS[comp], target_value=None if qualitative else value, target_unit=unit,
            qualitative=qualitative, lead_unit=rd.choice(c.get("lead_unit"), row.line, _col(sp, "lead_unit")),
            legal_basis=rd.text(c.get("legal_basis")), note=rd.text(c.get("note")),
        ))


def _period_of(label: str, year: int) -> tuple[str, date, date]:
    """"Quý II" → ("Q2/2025", 1/4, 30/6); "6 tháng đầu năm" → ("H1/2025", …);
    "9 tháng" → ("9T/2025", 1/1, 30/9); "Cả năm" → ("2025", 1/1, 31/12)."""
    if label in S.QUARTERS:
        q = S.QUARTERS[label]
        ends = {1: date(year, 3, 31), 2: date(year, 6, 30), 3: date(year, 9, 30), 4: date(year, 12, 31)}
        return f"Q{q}/{year}", date(year, 3 * q - 2, 1), ends[q]
    if label == "6 tháng đầu năm":
        return f"H1/{year}", date(year, 1, 1), date(year, 6, 30)
    if label == "9 tháng":
        return f"9T/{year}", date(year, 1, 1), date(year, 9, 30)
    return str(year), date(year, 1, 1), date(year, 12, 31)


def _actuals(rows: list[_Row], sp: S.Spec, year: int, rd: _Reader, result: ParseResult) -> None:
    for row in rows:
        if not _required(row, sp, rd):
            continue
        c = row.cells
        label = rd.choice(c.get("period"), row.line, _col(sp, "period"))
        value = rd.number(c.get("value"), row.line)
        if label is None or value is None:
            continue
        period, start, end = _period_of(label, year)
        result.actuals.append(IndicatorActual(
            actual_id=_line_id(sp, row), name=rd.text(c["name"]), period=period, value=value, source_line=row.line,
            unit=rd.text(c.get("unit")), period_start=start, period_end=end, fiscal_year=year, note=rd.text(c.get("note")),
        ))


def _tasks(rows: list[_Row], sp: S.Spec, year: int, rd: _Reader, result: ParseResult) -> None:
    for row in rows:
        if not _required(row, sp, rd):
            continue
        c = row.cells
        kind = rd.choice(c.get("kind"), row.line, _col(sp, "kind"))
        deadline = rd.date(c.get("deadline"), row.line)
        budget = rd.amount(c.get("budget"), row.line)
        if kind is None or (c.get("deadline") is not None and c["deadline"].text and deadline is None):
            continue
        if c.get("budget") is not None and c["budget"].text and budget is None:
            continue
        result.tasks.append(Task(
            task_id=_line_id(sp, row), fiscal_year=year, name=rd.text(c["name"]), source_line=row.line,
            kind=S.TASK_KINDS[kind], lead_unit=rd.choice(c.get("lead_unit"), row.line, _col(sp, "lead_unit")),
            partners=rd.text(c.get("partners")), expected_result=rd.text(c.get("expected_result")),
            deadline=deadline, timing_text=c["deadline"].text if c.get("deadline") is not None and c["deadline"].text else None,
            budget_vnd=budget, budget_text=c["budget"].text if c.get("budget") is not None and c["budget"].text else None,
            note=rd.text(c.get("note")),
        ))
