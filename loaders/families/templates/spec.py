"""What each data-entry template holds: its sheet, columns, drop-down lists and version.

Five kinds (``KINDS``): ``budget`` (dự toán / giao by line), ``execution`` (thực hiện by
quarter, with lũy kế), ``indicators`` (chỉ tiêu), ``actuals`` (số liệu thực hiện of
indicators), ``tasks`` (nhiệm vụ). Each has one data sheet laid out as

    row 1   title
    row 2   "Năm ngân sách" | <year>          (the year; the province comes from the upload form)
    row 3   the header row (labels below; columns may be moved, labels must stay)
    row 4…  one record per row; a row whose content cell says "TỔNG CỘNG" is a printed total

plus a "Hướng dẫn" sheet (instructions in Vietnamese), a "Danh mục" sheet (the drop-down
lists; staff may add their units there) and a hidden sheet ``MARKER_SHEET`` whose first row
is ``MARKER, kind, VERSION``. A workbook with another version is refused by the importer.
"""
from __future__ import annotations

from dataclasses import dataclass

from loaders.text.sources import SOURCE_LABELS_VN

MARKER = "SKHCN-MAU"
MARKER_SHEET = "_mau"
VERSION = 1
TITLE_ROW, YEAR_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
DATA_ROWS = 1000  # rows prepared with drop-downs and formats
YEAR_LABEL = "Năm ngân sách"
TOTAL_LABEL = "TỔNG CỘNG"

# Drop-down lists: name -> values (as shown to staff). Stored on the "Danh mục" sheet.
SOURCES = {label: code for code, label in SOURCE_LABELS_VN.items()}
STAGES = ["dự toán", "KHTW giao", "KH UBND giao", "điều chỉnh", "đề xuất"]
QUARTERS = {"Quý I": 1, "Quý II": 2, "Quý III": 3, "Quý IV": 4}
TIMINGS = [*QUARTERS, "Cả năm"]
DIRECTIONS = {"Chi": "expenditure", "Thu": "revenue"}
COMPARATORS = {"=": "=", "≥": ">=", ">": ">", "≤": "<=", "<": "<", "định tính": None}
TASK_KINDS = {"Nhiệm vụ": "task", "Dự án": "project"}
ACTUAL_PERIODS = [*QUARTERS, "6 tháng đầu năm", "9 tháng", "Cả năm"]
UNITS_LIST_ROWS = 200  # room for the department's units on "Danh mục"

LISTS: dict[str, list[str]] = {
    "Nguồn kinh phí": list(SOURCES),
    "Giai đoạn": STAGES,
    "Thời gian": TIMINGS,
    "Quý": list(QUARTERS),
    "Thu/Chi": list(DIRECTIONS),
    "So sánh": list(COMPARATORS),
    "Loại": list(TASK_KINDS),
    "Kỳ": ACTUAL_PERIODS,
    "Phòng/đơn vị": [],  # filled with the province's units when known
}


@dataclass(frozen=True)
class Column:
    """One column of a template.

    ``field``: the key the importer gives the value; ``type`` ∈ {"text", "amount" (integer
    đồng), "number", "choice" (one of ``LISTS[list_name]``), "period" (quarters or "Cả năm",
    free text allowed), "date"}; ``required``: an empty cell is an error; ``strict``: the
    drop-down refuses other values (else Excel only warns, e.g. for units); ``width`` in
    characters; ``help``: the line of the instructions sheet.
    """

    label: str
    field: str
    type: str = "text"
    required: bool = False
    list_name: str | None = None
    strict: bool = True
    width: int = 14
    help: str = ""


def _unit(label: str = "Phòng/đơn vị", field: str = "unit") -> Column:
    return Column(label, field, "choice", list_name="Phòng/đơn vị", strict=False, width=28,
                  help="chọn trong danh sách (sheet Danh mục, có thể thêm) hoặc gõ tên phòng/đơn vị")


CODE = Column("TT", "code", width=6, help="số thứ tự như in (1, 2, 3.1 …), không bắt buộc")
SOURCE = Column("Nguồn kinh phí", "funding_source", "choice", True, "Nguồn kinh phí", width=24,
                help="chọn trong danh sách")
NOTE = Column("Ghi chú", "note", width=24, help="tùy ý")


@dataclass(frozen=True)
class Spec:
    """A template kind: its data sheet, title, columns and the document kind it gives."""

    kind: str
    sheet: str
    title: str
    document_kind: str  # the manifest kind: budget_appendices | plan | report
    columns: tuple[Column, ...]
    content_field: str  # the column whose "TỔNG CỘNG" marks a total row


SPECS: dict[str, Spec] = {
    "budget": Spec(
        "budget", "Ngân sách", "DỰ TOÁN / KẾ HOẠCH KINH PHÍ THEO DÒNG", "budget_appendices",
        (
            CODE,
            Column("Nội dung", "description", required=True, width=50, help="nội dung chi / thu"),
            _unit(),
            SOURCE,
            Column("Giai đoạn", "phase_vn", "choice", True, "Giai đoạn", width=14,
                   help="dự toán, KHTW giao, KH UBND giao, điều chỉnh hoặc đề xuất"),
            Column("Thời gian", "period", "period", list_name="Thời gian", strict=False, width=14,
                   help="Quý I … Quý IV, Cả năm, hoặc gõ nhiều quý như 'Quý II, III'"),
            Column("Thu/Chi", "direction", "choice", True, "Thu/Chi", width=8, help="Chi (khoản chi) hoặc Thu (khoản thu)"),
            Column("Số tiền (đồng)", "amount", "amount", True, width=18,
                   help="số nguyên, đơn vị đồng (không ghi chữ, không ghi 'triệu')"),
            NOTE,
        ),
        "description",
    ),
    "execution": Spec(
        "execution", "Thực hiện", "THỰC HIỆN KINH PHÍ THEO QUÝ", "report",
        (
            CODE,
            Column("Nội dung", "description", required=True, width=50, help="nội dung chi, ghi giống nhau ở mọi quý"),
            _unit(),
            SOURCE,
            Column("Quý", "quarter", "choice", True, "Quý", width=9, help="quý có số thực hiện"),
            Column("Thực hiện trong quý (đồng)", "amount", "amount", width=20,
                   help="số đã chi trong quý (đồng)"),
            Column("Lũy kế từ đầu năm (đồng)", "cumulative", "amount", width=20,
                   help="tổng đã chi từ đầu năm đến hết quý; được đối chiếu với các quý trong tệp"),
            NOTE,
        ),
        "description",
    ),
    "indicators": Spec(
        "indicators", "Chỉ tiêu", "CHỈ TIÊU KẾ HOẠCH", "plan",
        (
            CODE,
            Column("Tên chỉ tiêu", "name", required=True, width=50, help="tên chỉ tiêu như trong kế hoạch"),
            Column("Nhóm", "group", width=20, help="nhóm chỉ tiêu, tùy ý"),
            Column("So sánh", "comparator", "choice", True, "So sánh", width=9,
                   help="=, ≥, >, ≤, < hoặc 'định tính' (hoàn thành / không)"),
            Column("Giá trị mục tiêu", "target_value", "number", width=14, help="số; để trống khi định tính"),
            Column("Đơn vị đo", "target_unit", width=14, help="%, điểm, nhiệm vụ …"),
            _unit("Đơn vị chủ trì", "lead_unit"),
            Column("Căn cứ", "legal_basis", width=24, help="văn bản giao chỉ tiêu, tùy ý"),
            NOTE,
        ),
        "name",
    ),
    "actuals": Spec(
        "actuals", "Số liệu thực hiện", "SỐ LIỆU THỰC HIỆN CHỈ TIÊU", "report",
        (
            CODE,
            Column("Tên chỉ tiêu", "name", required=True, width=50, help="tên chỉ tiêu như trong kế hoạch"),
            Column("Kỳ", "period", "choice", True, "Kỳ", width=16, help="quý, 6 tháng, 9 tháng hoặc cả năm"),
            Column("Giá trị", "value", "number", True, width=14, help="số"),
            Column("Đơn vị đo", "unit", width=14, help="%, điểm, nhiệm vụ …"),
            NOTE,
        ),
        "name",
    ),
    "tasks": Spec(
        "tasks", "Nhiệm vụ", "DANH MỤC NHIỆM VỤ", "plan",
        (
            CODE,
            Column("Tên nhiệm vụ", "name", required=True, width=50, help="tên nhiệm vụ / dự án"),
            Column("Loại", "kind", "choice", True, "Loại", width=11, help="Nhiệm vụ hoặc Dự án"),
            _unit("Đơn vị chủ trì", "lead_unit"),
            Column("Đơn vị phối hợp", "partners", width=24, help="tùy ý"),
            Column("Kết quả dự kiến", "expected_result", width=30, help="tùy ý"),
            Column("Thời hạn", "deadline", "date", width=12, help="ngày (dd/mm/yyyy)"),
            Column("Kinh phí (đồng)", "budget", "amount", width=18, help="số nguyên, đồng; để trống nếu không có"),
            NOTE,
        ),
        "name",
    ),
}
KINDS = tuple(SPECS)
