"""Excel workbooks of the public disclosure forms (Thông tư 61/2017/TT-BTC as amended by
Thông tư 90/2018/TT-BTC; ``../shared/reference/PUBLIC_FORMS.md``) for a department to fill in
and upload.

Unlike the data-entry templates of this package (one record per row, a hidden version marker,
read by :mod:`loaders.families.templates.importer`), these workbooks *are* the forms as a unit
publishes them, and a filled one is read back by the disclosure family
(:mod:`loaders.families.disclosure`) through :func:`loaders.documents.read_document`, exactly
as a form the unit made itself. They carry no marker sheet.

* ``bieu02`` — estimate disclosure ("CÔNG KHAI DỰ TOÁN NGÂN SÁCH NĂM 2025"): TT | Nội dung |
  Dự toán được giao.
* ``bieu03`` — execution disclosure ("ĐÁNH GIÁ THỰC HIỆN DỰ TOÁN THU - CHI NGÂN SÁCH QUÝ
  (Quý I năm 2025)", "… 6 THÁNG ĐẦU NĂM 2025", "… NĂM 2025"): TT | Nội dung | Dự toán năm |
  Ước thực hiện <kỳ> (or "Thực hiện <kỳ>") | [Ước thực hiện lũy kế từ đầu năm đến hết Quý … năm …] |
  <kỳ>/Dự toán năm (%) | [Lũy kế/Dự toán năm (%)].

Layout of the sheet (``FIRST_ROW`` …): the unit line "Đơn vị: " (the department types its
name after the colon), the title with the period, "(Dùng cho đơn vị dự toán cấp trên và đơn
vị dự toán sử dụng ngân sách nhà nước)", the unit of amounts "ĐV tính: Đồng" (or "Triệu
đồng"), the header, a row of column numbers ("A | B | 1 | 2 | 3=2/1": the % columns name
their operands), then the standard rows ``ROWS`` — part I (fees: revenue, spending of
retained fees, fees paid over) and part II (state-budget spending: 1 Chi quản lý hành chính,
2 Nghiên cứu khoa học with 2.1 and its "- Nhiệm vụ khoa học công nghệ cấp quốc gia / cấp tỉnh
/ cấp cơ sở", 2.2, 2.3, then the other functions and the programmes). Amount cells are
empty: a row left empty gives no figure; a parent row may be left empty or carry its total
(then checked against its lines). A "Hướng dẫn" sheet says how to fill it.
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

FORM_KINDS = ("bieu02", "bieu03")
FORM_TITLES = {
    "bieu02": "Biểu 02 — công khai dự toán ngân sách (Thông tư 61/2017, 90/2018)",
    "bieu03": "Biểu 03 — đánh giá thực hiện dự toán thu – chi ngân sách (Thông tư 61/2017, 90/2018)",
}
# period key -> (quarters covered, words in the column header, words in the title)
PERIODS: dict[str, tuple[tuple[int, ...], str, str]] = {
    "q1": ((1,), "Quý I", "QUÝ (Quý I năm {y})"),
    "q2": ((2,), "Quý II", "QUÝ (Quý II năm {y})"),
    "q3": ((3,), "Quý III", "QUÝ (Quý III năm {y})"),
    "q4": ((4,), "Quý IV", "QUÝ (Quý IV năm {y})"),
    "6t": ((1, 2), "6 tháng đầu năm", "6 THÁNG ĐẦU NĂM {y}"),
    "9t": ((1, 2, 3), "9 tháng đầu năm", "9 THÁNG ĐẦU NĂM {y}"),
    "nam": ((1, 2, 3, 4), "năm", "NĂM {y}"),
}
PERIOD_LABELS = {"q1": "Quý I", "q2": "Quý II", "q3": "Quý III", "q4": "Quý IV", "6t": "6 tháng đầu năm",
                 "9t": "9 tháng đầu năm", "nam": "Cả năm"}
STAGES = ("ước thực hiện", "thực hiện")
AMOUNT_UNITS = {"đồng": ("Đồng", "#,##0"), "triệu đồng": ("Triệu đồng", "#,##0.###")}
SHEETS = {"bieu02": "Bieu 02", "bieu03": "Bieu 03"}
HELP_SHEET = "Hướng dẫn"

# The standard rows (code, content, level): part I fees, part II state-budget spending.
ROWS: list[tuple[str, str, int]] = [
    ("I", "Tổng số thu, chi, nộp ngân sách phí, lệ phí", 0),
    ("1", "Số thu phí, lệ phí", 1),
    ("1.1", "Lệ phí", 2),
    ("1.2", "Phí", 2),
    ("2", "Chi từ nguồn thu phí được để lại", 1),
    ("2.1", "Chi sự nghiệp khoa học và công nghệ", 2),
    ("a", "Kinh phí nhiệm vụ thường xuyên", 3),
    ("b", "Kinh phí nhiệm vụ không thường xuyên", 3),
    ("2.2", "Chi quản lý hành chính", 2),
    ("a", "Kinh phí thực hiện chế độ tự chủ", 3),
    ("b", "Kinh phí không thực hiện chế độ tự chủ", 3),
    ("3", "Số phí, lệ phí nộp ngân sách nhà nước", 1),
    ("3.1", "Lệ phí", 2),
    ("3.2", "Phí", 2),
    ("II", "Dự toán chi ngân sách nhà nước", 0),
    ("1", "Chi quản lý hành chính", 1),
    ("1.1", "Kinh phí thực hiện chế độ tự chủ", 2),
    ("1.2", "Kinh phí không thực hiện chế độ tự chủ", 2),
    ("2", "Nghiên cứu khoa học", 1),
    ("2.1", "Kinh phí thực hiện nhiệm vụ khoa học công nghệ", 2),
    ("-", "Nhiệm vụ khoa học công nghệ cấp quốc gia", 3),
    ("-", "Nhiệm vụ khoa học công nghệ cấp tỉnh", 3),
    ("-", "Nhiệm vụ khoa học công nghệ cấp cơ sở", 3),
    ("2.2", "Kinh phí nhiệm vụ thường xuyên theo chức năng", 2),
    ("2.3", "Kinh phí nhiệm vụ không thường xuyên", 2),
    ("3", "Chi sự nghiệp giáo dục, đào tạo và dạy nghề", 1),
    ("3.1", "Kinh phí nhiệm vụ thường xuyên", 2),
    ("3.2", "Kinh phí nhiệm vụ không thường xuyên", 2),
    ("4", "Chi hoạt động kinh tế", 1),
    ("4.1", "Kinh phí nhiệm vụ thường xuyên", 2),
    ("4.2", "Kinh phí nhiệm vụ không thường xuyên", 2),
    ("5", "Chi sự nghiệp bảo vệ môi trường", 1),
    ("6", "Chi sự nghiệp văn hóa thông tin", 1),
    ("7", "Chương trình mục tiêu quốc gia", 1),
    ("8", "Chương trình mục tiêu", 1),
]

FIRST_ROW = 1
ORG_ROW, TITLE_ROW, SUBTITLE_ROW, USE_ROW, UNIT_ROW, HEADER_ROW, NUMBERS_ROW = 1, 3, 4, 5, 6, 7, 8
FIRST_DATA_ROW = NUMBERS_ROW + 1
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
PART_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def columns(kind: str, year: int, period: str = "q1", stage: str = "ước thực hiện",
            cumulative: bool = False) -> list[tuple[str, str, str | None]]:
    """The columns of a form: ``[(header, column number, role)]``, role ∈ {None (TT,
    Nội dung), "amount", "percent"}. Raises ``KeyError`` for an unknown kind or period,
    ``ValueError`` for a stage other than ``STAGES`` or a cumulative column on a period that
    does not start a year-to-date of its own (a whole year)."""
    if kind == "bieu02":
        return [("TT", "A", None), ("Nội dung", "B", None), ("Dự toán được giao", "1", "amount")]
    if kind != "bieu03":
        raise KeyError(kind)
    quarters, words, _ = PERIODS[period]
    if stage not in STAGES:
        raise ValueError(f"giai đoạn {stage!r}: chọn một trong {', '.join(STAGES)}")
    if cumulative and quarters == (1, 2, 3, 4):
        raise ValueError("cột lũy kế chỉ dùng cho kỳ quý, 6 tháng hoặc 9 tháng")
    name = stage[:1].upper() + stage[1:]
    own = f"{name} {words} {year}" if words.endswith("năm") else f"{name} {words} năm {year}"
    cols = [("TT", "A", None), ("Nội dung", "B", None), ("Dự toán năm", "1", "amount"), (own, "2", "amount")]
    if cumulative:
        cols.append((f"{name} lũy kế từ đầu năm đến hết Quý {('I', 'II', 'III', 'IV')[max(quarters) - 1]} năm {year}", "3",
                     "amount"))
        cols.append((f"{name}/Dự toán năm (%)", "4=2/1", "percent"))
        cols.append(("Lũy kế/Dự toán năm (%)", "5=3/1", "percent"))
    else:
        cols.append((f"{name}/Dự toán năm (%)", "3=2/1", "percent"))
    return cols


def title(kind: str, year: int, period: str = "q1") -> str:
    """The form's title with its period: "CÔNG KHAI DỰ TOÁN NGÂN SÁCH NĂM 2025"; "ĐÁNH GIÁ
    THỰC HIỆN DỰ TOÁN THU - CHI NGÂN SÁCH QUÝ (Quý I năm 2025)"."""
    if kind == "bieu02":
        return f"CÔNG KHAI DỰ TOÁN NGÂN SÁCH NĂM {year}"
    return "ĐÁNH GIÁ THỰC HIỆN DỰ TOÁN THU - CHI NGÂN SÁCH " + PERIODS[period][2].format(y=year)


def build_form(kind: str, year: int, period: str = "q1", stage: str = "ước thực hiện", cumulative: bool = False,
               amount_unit: str = "đồng", org_unit: str | None = None) -> bytes:
    """The workbook of form ``kind`` (``FORM_KINDS``) for ``year`` as .xlsx bytes.

    ``period`` (Biểu 03 only, ``PERIODS``: q1…q4, 6t, 9t, nam) and ``stage`` ("ước thực
    hiện" or "thực hiện") name the execution column; ``cumulative`` adds "Lũy kế từ đầu năm"
    with its % column; ``amount_unit`` ("đồng" | "triệu đồng") is printed in "ĐV tính: …"
    and sets the cells' number format; ``org_unit`` is written after "Đơn vị:" (else left
    for the department). Raises ``KeyError`` / ``ValueError`` as :func:`columns`."""
    if amount_unit not in AMOUNT_UNITS:
        raise ValueError(f"đơn vị tính {amount_unit!r}: chọn một trong {', '.join(AMOUNT_UNITS)}")
    cols = columns(kind, year, period, stage, cumulative)
    unit_label, number_format = AMOUNT_UNITS[amount_unit]
    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS[kind]
    last = get_column_letter(len(cols))
    ws.cell(row=ORG_ROW, column=1, value=f"Đơn vị: {org_unit or ''}".rstrip() + (" " if not org_unit else "")).font = Font(bold=True)
    ws.merge_cells(f"A{ORG_ROW}:{last}{ORG_ROW}")
    head = title(kind, year, period)
    if kind == "bieu03" and "(" in head:
        main, sub = head.split(" (", 1)
        _centred(ws, TITLE_ROW, last, main, bold=True, size=13)
        _centred(ws, SUBTITLE_ROW, last, "(" + sub, bold=True)
    else:
        _centred(ws, TITLE_ROW, last, head, bold=True, size=13)
    _centred(ws, USE_ROW, last, "(Dùng cho đơn vị dự toán cấp trên và đơn vị dự toán sử dụng ngân sách nhà nước)", italic=True)
    ws.cell(row=UNIT_ROW, column=len(cols), value=f"ĐV tính: {unit_label}").font = Font(italic=True)
    ws.cell(row=UNIT_ROW, column=len(cols)).alignment = Alignment(horizontal="right")
    widths = {None: 8, "amount": 20, "percent": 14}
    for c, (header, number, role) in enumerate(cols, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=header)
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        num = ws.cell(row=NUMBERS_ROW, column=c, value=number)
        num.font, num.border, num.alignment = Font(italic=True), BOX, Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = 52 if header == "Nội dung" else widths[role]
    ws.row_dimensions[HEADER_ROW].height = 48
    last_row = FIRST_DATA_ROW + len(ROWS) - 1
    for r, (code, text, level) in enumerate(ROWS, start=FIRST_DATA_ROW):
        ws.cell(row=r, column=1, value=None if code == "-" else code).alignment = Alignment(horizontal="center")
        content = ws.cell(row=r, column=2, value=("- " + text) if code == "-" else text)
        content.alignment = Alignment(indent=max(0, level - 1), wrap_text=True)
        bold = level <= 1
        for c, (_, _, role) in enumerate(cols, start=1):
            cell = ws.cell(row=r, column=c)
            cell.border = BOX
            if bold:
                cell.font = Font(bold=True)
            if level == 0:
                cell.fill = PART_FILL
            if role == "amount":
                cell.number_format = number_format
            elif role == "percent":
                cell.number_format = "0.0"
    for c, (_, _, role) in enumerate(cols, start=1):
        if role is None:
            continue
        letter = get_column_letter(c)
        dv = DataValidation(type="decimal", allow_blank=True, operator="greaterThanOrEqual", formula1="-1E+15",
                            showErrorMessage=True, errorTitle="Không phải số",
                            error="Ô này chỉ nhận số" + (f" ({unit_label.lower()})" if role == "amount" else " (%)"))
        ws.add_data_validation(dv)
        dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    _help(wb, kind, cols, unit_label)
    wb.active = 0
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_form(kind: str, out: Path, year: int, **options) -> Path:
    """Write :func:`build_form` to ``out`` (parent folders created); returns ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(build_form(kind, year, **options))
    return out


def file_name(kind: str, year: int, period: str = "q1") -> str:
    """"bieu02_2025.xlsx", "bieu03_q1_2025.xlsx"."""
    return f"{kind}_{year}.xlsx" if kind == "bieu02" else f"{kind}_{period}_{year}.xlsx"


def _centred(ws, row: int, last: str, text: str, bold: bool = False, italic: bool = False, size: int = 11) -> None:
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = Font(bold=bold, italic=italic, size=size)
    cell.alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A{row}:{last}{row}")


def _help(wb: Workbook, kind: str, cols, unit_label: str) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    ws.column_dimensions["A"].width = 110
    lines = [
        f"HƯỚNG DẪN ĐIỀN — {FORM_TITLES[kind]}",
        "",
        f"1. Ghi tên đơn vị sau chữ 'Đơn vị:' ở ô A{ORG_ROW} (ví dụ: Đơn vị: Sở Khoa học và Công nghệ tỉnh …).",
        f"2. Ghi số tiền theo đơn vị tính ghi trên biểu ({unit_label.lower()}), là số, không ghi chữ.",
        "3. Dòng không có số liệu thì để trống; không xoá dòng, có thể chèn thêm dòng chi tiết bắt đầu bằng dấu '-'.",
        "4. Các dòng I, II, 1, 2, 2.1 … có thể để trống hoặc ghi số tổng: số tổng được đối chiếu với các dòng chi tiết, "
        "sai lệch được báo khi tải lên.",
        "5. Phần I (phí, lệ phí): số thu, chi từ nguồn phí được để lại và số nộp ngân sách được giữ riêng, "
        "không cộng vào chi ngân sách nhà nước.",
        "6. Không đổi tên cột, tiêu đề và hàng số thứ tự cột: ứng dụng đọc kỳ báo cáo và giai đoạn từ đó.",
    ]
    if kind == "bieu03":
        lines.append("7. Cột tỷ lệ (%) có thể để trống; nếu ghi, tỷ lệ được kiểm tra với số tiền của cùng dòng.")
    lines.append("Sau khi điền, tải tệp lên ở trang Nhập dữ liệu (chọn tỉnh, năm; loại văn bản: Công khai ngân sách).")
    for r, text in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=1, value=text or None)
        cell.alignment = Alignment(wrap_text=True)
        if r == 1:
            cell.font = Font(bold=True, size=13)
