"""Generate an empty data-entry workbook (.xlsx) for one template kind, with openpyxl.

The workbook has the data sheet (title, year cell, bold frozen header with filters, VND
number format on amount columns, drop-down lists by data validation), "Hướng dẫn" (how to
fill it, in Vietnamese), "Danh mục" (the lists, referenced through defined names so staff
can extend the units) and the hidden version marker (``spec.MARKER_SHEET``).
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from loaders.families.templates import spec as S

VND_FORMAT = "#,##0"
LISTS_SHEET = "Danh mục"
HELP_SHEET = "Hướng dẫn"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def _list_name(name: str) -> str:
    """Defined name of a drop-down list: "Nguồn kinh phí" → "ds_1" (ASCII, stable order)."""
    return f"ds_{list(S.LISTS).index(name) + 1}"


def build_template(kind: str, units: list[str] | None = None, year: int | None = None) -> bytes:
    """The template workbook of ``kind`` (one of ``spec.KINDS``) as .xlsx bytes.

    ``units``: the department's units for the "Phòng/đơn vị" list (staff may add more on
    "Danh mục"); ``year``: prefilled in the year cell. Raises ``KeyError`` for an unknown kind.
    """
    sp = S.SPECS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = sp.sheet
    _lists(wb, units or [])
    _data_sheet(ws, sp, year)
    _help_sheet(wb, sp)
    marker = wb.create_sheet(S.MARKER_SHEET)
    marker.append([S.MARKER, kind, S.VERSION])
    marker.sheet_state = "hidden"
    wb.active = 0
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_template(kind: str, out: Path, units: list[str] | None = None, year: int | None = None) -> Path:
    """Write :func:`build_template` to ``out`` (parent folders created); returns ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(build_template(kind, units, year))
    return out


def _lists(wb: Workbook, units: list[str]) -> None:
    ws = wb.create_sheet(LISTS_SHEET)
    for c, (name, values) in enumerate(S.LISTS.items(), start=1):
        values = units if name == "Phòng/đơn vị" else values
        ws.cell(row=1, column=c, value=name).font = Font(bold=True)
        for r, v in enumerate(values, start=2):
            ws.cell(row=r, column=c, value=v)
        last = 1 + (S.UNITS_LIST_ROWS if name == "Phòng/đơn vị" else len(values))
        letter = get_column_letter(c)
        ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"
        wb.defined_names[_list_name(name)] = DefinedName(_list_name(name), attr_text=ref)
        ws.column_dimensions[letter].width = max(14, max((len(str(v)) for v in values), default=0) + 2)


def _data_sheet(ws, sp: S.Spec, year: int | None) -> None:
    last_col = get_column_letter(len(sp.columns))
    ws.cell(row=S.TITLE_ROW, column=1, value=sp.title).font = Font(bold=True, size=13)
    ws.merge_cells(f"A{S.TITLE_ROW}:{last_col}{S.TITLE_ROW}")
    ws.cell(row=S.YEAR_ROW, column=1, value=S.YEAR_LABEL).font = Font(bold=True)
    ws.cell(row=S.YEAR_ROW, column=2, value=year)
    dv_year = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100",
                             error="Năm phải là số từ 2000 đến 2100", errorTitle="Năm không hợp lệ", showErrorMessage=True)
    ws.add_data_validation(dv_year)
    dv_year.add(f"B{S.YEAR_ROW}")
    ws.cell(row=S.YEAR_ROW, column=3, value="Đơn vị tính: đồng").font = Font(italic=True)
    first, last = S.FIRST_DATA_ROW, S.FIRST_DATA_ROW + S.DATA_ROWS - 1
    for c, col in enumerate(sp.columns, start=1):
        cell = ws.cell(row=S.HEADER_ROW, column=c, value=col.label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = col.width
        rng = f"{letter}{first}:{letter}{last}"
        if col.type == "amount":
            for r in range(first, last + 1):
                ws.cell(row=r, column=c).number_format = VND_FORMAT
            dv = DataValidation(type="decimal", allow_blank=True, operator="greaterThanOrEqual", formula1="-1E+15",
                                error="Ô này chỉ nhận số tiền (đồng), ví dụ 40000000", errorTitle="Không phải số tiền",
                                showErrorMessage=True)
        elif col.type == "number":
            dv = DataValidation(type="decimal", allow_blank=True, operator="greaterThanOrEqual", formula1="-1E+15",
                                error="Ô này chỉ nhận số", errorTitle="Không phải số", showErrorMessage=True)
        elif col.type == "date":
            for r in range(first, last + 1):
                ws.cell(row=r, column=c).number_format = "dd/mm/yyyy"
            dv = DataValidation(type="date", allow_blank=True, operator="greaterThan", formula1="1",
                                error="Ô này chỉ nhận ngày (dd/mm/yyyy)", errorTitle="Không phải ngày", showErrorMessage=True)
        elif col.list_name:
            dv = DataValidation(type="list", formula1=f"={_list_name(col.list_name)}", allow_blank=True,
                                showErrorMessage=True, errorStyle="stop" if col.strict else "warning",
                                error=f"Chọn một giá trị trong danh sách '{col.list_name}'",
                                errorTitle="Giá trị ngoài danh sách")
        else:
            continue
        ws.add_data_validation(dv)
        dv.add(rng)
    ws.row_dimensions[S.HEADER_ROW].height = 32
    ws.freeze_panes = f"A{S.FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{S.HEADER_ROW}:{last_col}{S.HEADER_ROW}"


def _help_sheet(wb: Workbook, sp: S.Spec) -> None:
    ws = wb.create_sheet(HELP_SHEET, 1)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 90
    rows = [
        (f"HƯỚNG DẪN NHẬP — {sp.title}", None),
        (None, None),
        ("Mẫu", f"{sp.kind}, phiên bản {S.VERSION} (không sửa sheet ẩn '{S.MARKER_SHEET}')"),
        ("Nhập ở sheet", f"'{sp.sheet}': mỗi hàng một dòng, từ hàng {S.FIRST_DATA_ROW}; không đổi tên các cột ở hàng {S.HEADER_ROW}"),
        ("Năm", f"ghi năm ngân sách vào ô B{S.YEAR_ROW}; tỉnh được chọn khi tải tệp lên"),
        ("Số tiền", "số nguyên, đơn vị đồng (40000000), không ghi chữ hay 'triệu'; Excel hiển thị 40.000.000"),
        ("Tổng cộng", f"có thể thêm một hàng ghi '{S.TOTAL_LABEL}' ở cột nội dung với số tổng: "
                      "tổng này được đối chiếu với các dòng, sai lệch được báo"),
        ("Danh sách chọn", f"các cột có mũi tên chọn giá trị trong sheet '{LISTS_SHEET}'; có thể thêm tên phòng/đơn vị ở đó"),
        ("Khi tải lên", "mọi ô được kiểm tra; lỗi được báo theo sheet và ô (ví dụ: Sheet Ngân sách, ô H12) "
                        "và không có gì được lưu cho tới khi sửa hết lỗi"),
        (None, None),
        ("Cột", "Cách ghi"),
    ]
    if sp.kind == "execution":
        rows.insert(7, ("Thực hiện theo quý", "mỗi dòng chi một hàng cho mỗi quý; 'Lũy kế từ đầu năm' được đối chiếu "
                                              "với tổng các quý của cùng dòng có trong tệp"))
    rows += [(col.label + (" (bắt buộc)" if col.required else ""), col.help) for col in sp.columns]
    for r, (a, b) in enumerate(rows, start=1):
        ws.cell(row=r, column=1, value=a)
        ws.cell(row=r, column=2, value=b).alignment = Alignment(wrap_text=True)
        if r == 1 or a == "Cột":
            ws.cell(row=r, column=1).font = Font(bold=True, size=13 if r == 1 else 11)
            ws.cell(row=r, column=2).font = Font(bold=True)
