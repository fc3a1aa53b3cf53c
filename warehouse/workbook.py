"""Formatted Excel workbooks and Excel-friendly CSV of any table the pages show.

* :func:`frame_to_xlsx`: one sheet per DataFrame, Vietnamese column headers and value labels
  (never codes: "Sự nghiệp KH&CN (SNKH)", not "SNKH"; "Chi", not "expenditure"), a bold
  frozen header row with filters, the VND number format on amount columns (integer đồng),
  and a "Nguồn dữ liệu" sheet (provenance: when, what, from which warehouse and documents).
* :func:`frame_to_csv`: the same headers and labels, UTF-8 with a BOM so Excel opens
  Vietnamese text correctly, integers without decimals.
* :func:`province_year_report`: the one-click report of a province and year.
* :func:`lines_to_xlsx`: budget lines with a SUM row (a formula of ours, the only one).

Text that starts like a formula ("=", "+", "-", "@", tab, CR: OWASP "CSV Injection") is
shown, never run. In an .xlsx every text cell is typed as text (:func:`text_cell`:
``data_type = "s"``, an inline string): Excel shows "=1+1" as written and never evaluates it,
so the value stays verbatim. A CSV has no cell types, so the CSV download — meant to be opened
in Excel — puts an apostrophe before such text (:func:`neutral_text`): "'=1+1". This guard is
for spreadsheet downloads only; the Fiscal Data Package (``warehouse.export``) keeps every
value verbatim.

Build these only when the user asks (a button), not on every page run. Amounts stay
integers in đồng; nothing is rounded or summed here except the report's group totals,
which come from ``warehouse.queries`` (leaf lines only).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from io import BytesIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from loaders.text.catalogue import FIELD_LABELS_VN
from loaders.vocab import Direction, DocumentKind, FundingSource, Phase

# A text starting with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

VND_FORMAT = '#,##0" đ"'
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
PROVENANCE_SHEET = "Nguồn dữ liệu"

# Column name -> Vietnamese header (columns not listed keep their name).
HEADERS = {
    "province": "Tỉnh", "fiscal_year": "Năm", "year": "Năm", "phase": "Giai đoạn (chuẩn)", "phase_vn": "Giai đoạn",
    "direction": "Thu/Chi", "funding_source": "Nguồn kinh phí", "funding_note": "Nguồn như in", "unit": "Phòng/đơn vị",
    "unit_kind": "Loại đơn vị", "unit_group": "Phòng/đơn vị (theo loại)", "units_printed": "Tên đơn vị như in",
    "field": "Lĩnh vực", "appendix": "Phụ lục", "section": "Mục", "code": "TT", "parent_id": "Dòng cha",
    "is_subtotal": "Dòng tổng mục", "description": "Nội dung", "period": "Thời gian", "quarters": "Quý",
    "quarter_label": "Quý", "amount_vnd": "Số tiền (đồng)", "amount_text": "Số tiền như in", "amount_unit": "Đơn vị tính",
    "document": "Văn bản", "source_line": "Dòng", "description_line": "Dòng nội dung", "note": "Ghi chú",
    "line_id": "Mã dòng", "task_id": "Nhiệm vụ", "lines": "Số dòng", "scope": "Phạm vi", "label": "Tổng in",
    "kind": "Loại", "printed_amount_vnd": "Số in (đồng)", "words_amount_vnd": "Số bằng chữ (đồng)",
    "computed_amount_vnd": "Tổng các dòng (đồng)", "status": "Kết quả", "detail": "Chi tiết", "words_line": "Dòng bằng chữ",
    "words_text": "Bằng chữ", "name": "Tên", "group": "Nhóm", "subgroup": "Nhóm con", "comparator": "So sánh",
    "target_value": "Mục tiêu", "target_unit": "Đơn vị đo", "target_text": "Mục tiêu như in", "lead_unit": "Đơn vị chủ trì",
    "lead_unit_kind": "Loại đơn vị chủ trì", "assignees": "Người thực hiện", "lead_unit_group": "Đơn vị chủ trì (theo loại)",
    "legal_basis": "Căn cứ", "actual_value": "Thực hiện", "actual_period": "Kỳ", "actual_source": "Nguồn số liệu",
    "status_vn": "Trạng thái", "progress_pct": "Tiến độ (%)", "partners": "Đơn vị phối hợp",
    "expected_result": "Kết quả dự kiến", "timing_text": "Thời gian như in", "deadline": "Thời hạn",
    "budget_vnd": "Kinh phí (đồng)", "value": "Giá trị", "qualitative": "Định tính", "indicator_id": "Mã chỉ tiêu",
}
# Column name -> {code: Vietnamese label}.
LABELS: dict[str, Mapping] = {
    "funding_source": FundingSource.labels(),
    "direction": Direction.labels(),
    "phase": Phase.labels(),
    "status": {"match": "Khớp", "mismatch": "Không khớp", "unchecked": "Chưa đối chiếu được"},  # every ReconciliationStatus
    "kind": {"printed_total": "Tổng in trong văn bản", "subtotal": "Tổng mục", "task": "Nhiệm vụ", "project": "Dự án",
             "budget": "Dòng ngân sách", **DocumentKind.labels()},  # budget lines: warehouse.queries kinds
    "field": FIELD_LABELS_VN,
}
BOOLEAN_LABELS = {True: "Có", False: "Không"}


def neutral_text(value):
    """``value`` with a leading apostrophe when it is text starting with = + - @ (or tab/CR),
    so that Excel or LibreOffice opening a CSV shows it instead of running it; other values
    (numbers, dates, ``None``) unchanged. For CSV downloads only."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutral_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text columns went through :func:`neutral_text` (numbers, dates
    and booleans are untouched, so amounts stay integers). For CSV downloads only."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutral_text)
    return out


def text_cell(cell) -> None:
    """Type an openpyxl cell holding a ``str`` as text (an inline string), whatever it starts
    with: openpyxl would store "=1+1" as a formula (and "#N/A" as an error) from the value
    alone. The value is kept verbatim; a spreadsheet shows it and never runs it."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def _is_amount(column: str) -> bool:
    return column.endswith("_vnd") or column.endswith("(đồng)")


def vietnamese(df: pd.DataFrame, headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``df`` with Vietnamese value labels and headers (``headers`` first, then
    ``HEADERS``); amount columns stay integers (nullable ``Int64``), booleans become
    "Có"/"Không"."""
    out = df.copy()
    for col in out.columns:
        if col in LABELS:
            out[col] = out[col].map(lambda v, m=LABELS[col]: m.get(v, v) if isinstance(v, str) else v)
        elif out[col].dtype == bool or str(out[col].dtype) == "boolean":
            out[col] = out[col].map(lambda v: BOOLEAN_LABELS.get(v, v) if not pd.isna(v) else None)
        elif _is_amount(col) or col in ("source_line", "fiscal_year", "year", "lines", "description_line", "words_line"):
            out[col] = pd.array(out[col], dtype="Int64") if len(out) else out[col]
    names = {**HEADERS, **(headers or {})}
    return out.rename(columns={c: names.get(c, c) for c in out.columns})


def _cell_value(v):
    if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)):
        return None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


def _write_sheet(ws, df: pd.DataFrame, title: str | None, headers: Mapping[str, str] | None = None) -> None:
    amount_cols = {i for i, c in enumerate(df.columns, start=1) if _is_amount(c)}
    shown = vietnamese(df, headers)
    top = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
        text_cell(ws.cell(row=1, column=1))
        top = 3
    for c, name in enumerate(shown.columns, start=1):
        cell = ws.cell(row=top, column=c, value=name)
        text_cell(cell)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r, row in enumerate(shown.itertuples(index=False), start=top + 1):
        for c, v in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=_cell_value(v))
            text_cell(cell)  # text, never a formula
            if c in amount_cols:
                cell.number_format = VND_FORMAT
    last_col = get_column_letter(max(len(shown.columns), 1))
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    ws.auto_filter.ref = f"A{top}:{last_col}{top + len(shown)}"
    for c, name in enumerate(shown.columns, start=1):
        values = [str(name)] + [str(v) for v in shown.iloc[:200, c - 1] if v is not None]
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, max(len(v) for v in values) + 2))


def _provenance(ws, provenance: Mapping[str, object], documents: list[str]) -> None:
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 90
    rows = [("Xuất lúc", datetime.now().strftime("%d/%m/%Y %H:%M")), *provenance.items()]
    rows.append(("Quy ước", "Số tiền là số nguyên, đơn vị đồng; chỉ cộng các dòng chi tiết (dòng tổng mục không cộng thêm)."))
    rows.append(("Truy nguồn", "Cột 'Văn bản' và 'Dòng' chỉ văn bản và dòng in ra từng con số."))
    if documents:
        rows.append(("Văn bản", "\n".join(documents)))
    for r, (k, v) in enumerate(rows, start=1):
        key = ws.cell(row=r, column=1, value=k)
        key.font = Font(bold=True)
        value = ws.cell(row=r, column=2, value=str(v) if v is not None else "")
        value.alignment = Alignment(wrap_text=True, vertical="top")
        text_cell(key)
        text_cell(value)


def frame_to_xlsx(
    sheets: pd.DataFrame | Mapping[str, pd.DataFrame],
    title: str | None = None,
    provenance: Mapping[str, object] | None = None,
    headers: Mapping[str, str] | None = None,
) -> bytes:
    """An .xlsx (bytes) of one DataFrame or of ``{sheet name: DataFrame}``.

    Column names are the warehouse's (``amount_vnd``, ``funding_source`` …) and are shown
    with Vietnamese headers and labels (``HEADERS``, ``LABELS``); columns ending in ``_vnd``
    get the VND format. ``title`` is written above the first sheet's table. ``provenance``
    adds rows ("Bộ lọc": …) to the "Nguồn dữ liệu" sheet, which also lists the documents of
    every ``document`` column. ``headers`` names columns ``HEADERS`` does not know (or names
    them otherwise). Sheet names are cut to Excel's 31 characters.
    """
    if isinstance(sheets, pd.DataFrame):
        sheets = {"Dữ liệu": sheets}
    wb = Workbook()
    wb.remove(wb.active)
    documents: set[str] = set()
    for i, (name, df) in enumerate(sheets.items()):
        ws = wb.create_sheet(name[:31])
        _write_sheet(ws, df, title if i == 0 else None, headers)
        if "document" in df.columns:
            documents.update(str(d) for d in df["document"].dropna().unique())
    _provenance(wb.create_sheet(PROVENANCE_SHEET), provenance or {}, sorted(documents))
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def frame_to_csv(df: pd.DataFrame, headers: Mapping[str, str] | None = None) -> bytes:
    """CSV bytes with Vietnamese headers and labels, UTF-8 with a BOM (Excel shows the
    diacritics), amounts as integers in đồng. The file is meant to be opened in Excel, and
    CSV has no cell types: text starting with = + - @ (tab, CR) gets a leading apostrophe
    (:func:`neutral_frame`) so the spreadsheet shows it and never runs it ("=1+1" →
    "'=1+1"). Use the Fiscal Data Package (``warehouse.export``) for verbatim values."""
    return neutral_frame(vietnamese(df, headers)).to_csv(index=False).encode("utf-8-sig")


def province_year_report(wh, province: str, year: int, entries=None) -> bytes:
    """The report workbook of one province and fiscal year (bytes), from ``warehouse.queries``:

    * "Tổng hợp": per stage, the leaf total and its split by funding source (đồng);
    * "Theo quý", "Theo đơn vị": leaf amounts per stage by quarter group and by unit group
      (the unit's kind, else its name as printed, with the printed names beside it);
    * "Đối chiếu": every printed total and subtotal of the year with its check;
    * "Chỉ tiêu": targets with actual and status (Đạt / Đang thực hiện / Chưa đạt / Chưa có số liệu), actuals
      typed on the Chỉ tiêu page read from ``entries`` (the store of ``warehouse.entries``);
    * "Nhiệm vụ": tasks of the year; "Dòng ngân sách": every leaf line with its document
      and line; "Nguồn dữ liệu": provenance.
    """
    from .queries import BudgetFilter

    stages = wh.stages(province, year)
    summary, quarters, units = [], [], []
    for st in stages.itertuples():
        f = BudgetFilter(province, year, st.phase, st.phase_vn, direction="expenditure")
        by_source = wh.totals_by(f, "funding_source")
        row = {"phase_vn": st.phase_vn, "amount_vnd": wh.total(f)}
        for s in by_source.itertuples():
            row[LABELS["funding_source"].get(s.funding_source, s.funding_source) + " (đồng)"] = int(s.amount_vnd)
        summary.append(row)
        q = wh.by_quarter(f, spread=False)
        if len(q):
            quarters.append(q.assign(phase_vn=st.phase_vn)[["phase_vn", "quarter_label", "funding_source", "amount_vnd"]])
        u = wh.totals_by(f, "unit_group")
        if len(u):
            units.append(u.assign(phase_vn=st.phase_vn)[["phase_vn", "unit_group", "units_printed", "amount_vnd", "lines"]])
    summary_df = pd.DataFrame(summary)
    for col in summary_df.columns:
        if col.endswith("(đồng)"):
            summary_df[col] = pd.array(summary_df[col], dtype="Int64")
    sheets = {
        "Tổng hợp": summary_df,
        "Theo quý": pd.concat(quarters, ignore_index=True) if quarters else pd.DataFrame(),
        "Theo đơn vị": pd.concat(units, ignore_index=True) if units else pd.DataFrame(),
        "Đối chiếu": wh.reconciliation(province, year),
    }
    targets = wh.targets(province, year, entries)
    if len(targets):
        sheets["Chỉ tiêu"] = targets[["group", "name", "target_text", "actual_value", "actual_period", "status_vn",
                                      "lead_unit", "lead_unit_kind", "actual_source", "document", "source_line"]]
    tasks = wh.tasks(province, year)
    if len(tasks):
        sheets["Nhiệm vụ"] = tasks[["kind", "name", "lead_unit", "lead_unit_kind", "assignees", "partners", "timing_text",
                                    "deadline", "budget_vnd", "document", "source_line"]]
    sheets["Dòng ngân sách"] = wh.lines(BudgetFilter(province, year, direction=None))
    return frame_to_xlsx(
        sheets,
        title=f"Báo cáo ngân sách KH&CN — {province} — năm {year}",
        provenance={"Tỉnh": province, "Năm": year, "Kho dữ liệu": wh.path},
    )


XLSX_COLUMNS = [
    ("province", "Tỉnh", 14),
    ("fiscal_year", "Năm", 7),
    ("phase_vn", "Giai đoạn", 16),
    ("direction", "Chiều", 10),
    ("unit", "Phòng/đơn vị (như in)", 30),
    ("unit_kind", "Loại đơn vị", 24),
    ("appendix", "Phụ lục", 12),
    ("code", "TT", 6),
    ("description", "Nội dung", 60),
    ("period", "Thời gian", 16),
    ("funding_source", "Nguồn", 12),
    ("amount_vnd", "Số tiền (đồng)", 18),
    ("document", "Văn bản", 28),
    ("source_line", "Dòng", 7),
]


def lines_to_xlsx(df: pd.DataFrame, title: str) -> bytes:
    """An Excel workbook (openpyxl) of budget lines with a header row, a VND number format
    on the amount column and a total row computed by a SUM formula *and* written as a value
    check in the title. ``df`` has the columns of ``Warehouse.lines``. Text cells are typed as
    text (:func:`text_cell`): the SUM is the only formula.

    Returns the .xlsx file as bytes.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Dong ngan sach"
    total = int(df["amount_vnd"].fillna(0).astype("int64").sum()) if len(df) else 0
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    text_cell(ws["A1"])
    ws.append([f"Tổng cộng: {total:,} đồng ({len(df)} dòng)".replace(",", ".")])
    ws.append([])
    ws.append([label for _, label, _ in XLSX_COLUMNS])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    amount_col = next(i for i, (c, _, _) in enumerate(XLSX_COLUMNS, start=1) if c == "amount_vnd")
    for record in df.to_dict("records"):
        row = []
        for col, _, _ in XLSX_COLUMNS:
            value = record.get(col)
            if col == "amount_vnd":
                value = None if pd.isna(value) else int(value)
            elif col in ("fiscal_year", "source_line"):
                value = None if pd.isna(value) else int(value)
            elif isinstance(value, float) and pd.isna(value):
                value = None
            row.append(value)
        ws.append(row)
        for cell in ws[ws.max_row]:
            text_cell(cell)  # text, never a formula (openpyxl would write "=…" as one)
    first, last = 5, 4 + len(df)
    letter = get_column_letter(amount_col)
    ws.append([])
    ws.cell(row=last + 2, column=amount_col - 1, value="Tổng cộng").font = Font(bold=True)
    total_cell = ws.cell(row=last + 2, column=amount_col, value=f"=SUM({letter}{first}:{letter}{max(last, first)})")
    total_cell.font = Font(bold=True)
    for r in range(first, last + 3):
        ws.cell(row=r, column=amount_col).number_format = VND_FORMAT
    for i, (_, _, width) in enumerate(XLSX_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A5"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
