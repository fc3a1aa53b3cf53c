"""Formatted Excel workbooks and Excel-friendly CSV of any table the pages show.

* :func:`frame_to_xlsx`: one sheet per DataFrame, Vietnamese column headers and value labels
  (never codes: "Sự nghiệp KH&CN (SNKH)", not "SNKH"; "Chi", not "expenditure"), a bold
  frozen header row with filters, the VND number format on amount columns (integer đồng),
  and a "Nguồn dữ liệu" sheet (provenance: when, what, from which warehouse and documents).
* :func:`frame_to_csv`: the same headers and labels, UTF-8 with a BOM so Excel opens
  Vietnamese text correctly, integers without decimals.
* :func:`province_year_report`: the one-click report of a province and year.

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

from .export import FORMULA_START, neutral_frame

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
        top = 3
    for c, name in enumerate(shown.columns, start=1):
        cell = ws.cell(row=top, column=c, value=name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r, row in enumerate(shown.itertuples(index=False), start=top + 1):
        for c, v in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=_cell_value(v))
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"  # text, never a formula (CSV/formula injection)
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
        ws.cell(row=r, column=1, value=k).font = Font(bold=True)
        ws.cell(row=r, column=2, value=str(v) if v is not None else "").alignment = Alignment(wrap_text=True, vertical="top")


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
    diacritics), amounts as integers in đồng; text starting with = + - @ gets a leading
    apostrophe (``warehouse.export.neutral_frame``) so a spreadsheet never runs it."""
    return neutral_frame(vietnamese(df, headers)).to_csv(index=False).encode("utf-8-sig")


def province_year_report(wh, province: str, year: int, entries=None) -> bytes:
    """The report workbook of one province and fiscal year (bytes), from ``warehouse.queries``:

    * "Tổng hợp": per stage, the leaf total and its split by funding source (đồng);
    * "Theo quý", "Theo đơn vị": leaf amounts per stage by quarter group and by unit group
      (the unit's kind, else its name as printed, with the printed names beside it);
    * "Đối chiếu": every printed total and subtotal of the year with its check;
    * "Chỉ tiêu": targets with actual and status (Đạt / Chưa đạt / Chưa có số liệu), actuals
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
