"""Rules found by blind round 25 (the habits of different offices, written by a helper that never
read the parsers: ``f1``, ``f2``, ``f5``, ``f6``, ``f7``), each on a small document of its own.

* a line more than 100 times the printed total that holds it ("1.500" in a column of tỷ đồng
  under "II. Chuyển đổi số 2,3") refuses the document (it was stored as 1.500 tỷ);
* a table printing no unit whose every amount prints its own ("385.850.000 đ") is in that unit
  (the report was refused);
* a report's Word file is never split by its "Biểu 1", "Biểu 2" (its results were lost);
* top lines two or more of which name their money ("1. Chi sự nghiệp khoa học …", "2. Chi đầu
  tư phát triển …") are sections by source: "3. Nhiệm vụ … từ ngân sách sự nghiệp khoa học Trung
  ương" beside them is SNKH_TW (it was UNSPECIFIED);
* "Nguồn: Kinh phí quản lý hành chính" under a sheet's title names the source of its lines;
* a summary by source before the sheets of the detail, its "TỔNG CỘNG" at the top, checks them;
* a task printed over several rows (one per activity, its name merged down) gives one line per
  activity and a budget that is their sum; "Cộng trang", "Cộng chuyển sang trang sau", "Trang
  trước chuyển sang" are never lines (they were stored as subtotals); a total printed with spaces
  between thousands ("2 857 500 000") is read.
"""
from __future__ import annotations

import pytest
from openpyxl import Workbook

from loaders.documents import DocumentError, ManifestEntry, read_document
from tests.docgen import write_docx
from tests.helpers import read_text_document


def _entry(path, kind, year, province="Cần Thơ"):
    return ManifestEntry(file=path.name, province=province, fiscal_years=[year], kind=kind)


PROJECTS = """Phụ lục III
DANH MỤC DỰ ÁN NĂM 2026
Đơn vị tính: tỷ đồng
STT\tTên dự án\tĐơn vị chủ trì\tThời gian thực hiện\tDự kiến kinh phí\tNguồn
I\tChuyển đổi số\t\t\t2,3\t
1\tNền tảng dữ liệu số\tPhòng HTS\tNăm 2026\t0,8\tSNKH
2\tNâng cấp Trung tâm giám sát, điều hành\tPhòng HTS\tQuý II-IV/2026\t1.500\tSNKH
\tTỔNG CỘNG\t\t\t2,3\t
"""


def test_a_line_a_hundred_times_its_total_refuses_the_document(tmp_path):
    with pytest.raises(DocumentError) as err:
        read_text_document(tmp_path, "da.txt", PROJECTS, "Cần Thơ", 2026, "plan")
    assert "'1.500'" in str(err.value) and "hơn 100 lần" in str(err.value)
    assert err.value.line == 7


REPORT = [
    ("p", "BÁO CÁO"),
    ("p", "Kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2020"),
    ("p", "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM 2020"),
    ("p", "1. Công tác quản lý khoa học"),
    ("p", "- Tổ chức đánh giá, nghiệm thu 05 nhiệm vụ KH&CN cấp tỉnh."),
    ("p", "2. Tình hình thực hiện các chỉ tiêu chủ yếu"),
    ("p", "Biểu 1. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU 6 THÁNG ĐẦU NĂM 2020"),
    ("table", [["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2020", "Thực hiện 6 tháng đầu năm", "Tỷ lệ so với kế hoạch (%)"],
               ["1", "Nhiệm vụ KH&CN cấp tỉnh được đánh giá, nghiệm thu", "Nhiệm vụ", "12", "05", "41,7"],
               ["2", "Phương tiện đo được kiểm định, hiệu chuẩn", "Phương tiện", "≥ 18.000", "9.215", "51,2"],
               ["3", "Kinh phí sự nghiệp khoa học và công nghệ (dự toán giao / thực hiện)", "Triệu đồng", "28.450",
                "11.236,5", "39,5"]]),
    ("p", "Biểu 2. TÌNH HÌNH THỰC HIỆN KINH PHÍ 6 THÁNG ĐẦU NĂM 2020"),
    ("table", [["STT", "Nội dung", "Dự toán giao năm 2020", "Thực hiện 6 tháng đầu năm", "Ghi chú"],
               ["I", "Nguồn kinh phí sự nghiệp khoa học", "470.000.000 đ", "289.500.000 đ", ""],
               ["1", "Hoạt động tiêu chuẩn, đo lường, chất lượng", "320.000.000 đ", "104.500.000 đ", ""],
               ["2", "Hỗ trợ phát triển tài sản trí tuệ", "150.000.000 đ", "185.000.000 đ", ""],
               ["", "Tổng cộng", "470.000.000 đ", "289.500.000 đ", ""]]),
    ("p", "II. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2020"),
    ("p", "- Tập trung giải ngân kinh phí các nhiệm vụ KH&CN."),
]


def test_a_report_in_word_reads_its_results_and_its_money_in_cells_that_print_their_unit(tmp_path):
    path = write_docx(REPORT, tmp_path / "bc.docx")
    result = read_document(path, _entry(path, "report", 2020, "Bình Định"))
    assert [(a.value, a.period) for a in result.actuals][:2] == [(5, "H1/2020"), (9215, "H1/2020")]
    leaves = sorted((b.code, b.phase_vn, b.amount_vnd) for b in result.budget_lines if not b.is_subtotal)
    assert leaves == [("1", "dự toán", 320_000_000), ("1", "thực hiện 6 tháng đầu năm", 104_500_000),
                      ("2", "dự toán", 150_000_000), ("2", "thực hiện 6 tháng đầu năm", 185_000_000)]
    assert {b.funding_source for b in result.budget_lines} == {"SNKH"}


def _workbook(path, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_top_lines_by_source_make_a_line_named_after_its_money_a_section(tmp_path):
    path = _workbook(tmp_path / "kh.xlsx", [("Biểu 02", [
        ["TÌNH HÌNH THỰC HIỆN KẾ HOẠCH, DỰ TOÁN NĂM 2023, 2024 VÀ DỰ KIẾN NĂM 2025"],
        [None, None, None, None, "Đơn vị tính: Triệu đồng"],
        ["TT", "Nội dung", "Năm 2023", "Năm 2024", "Năm 2025"],
        [None, None, "Thực hiện", "KH UBND tỉnh giao", "Dự toán đề xuất"],
        ["1.", "Chi sự nghiệp khoa học và công nghệ", 1000, 1100, 1200],
        ["2.", "Chi đầu tư phát triển khoa học và công nghệ", 3000, 6500, 11000],
        ["3.", "Nhiệm vụ KH&CN được cấp kinh phí từ ngân sách sự nghiệp khoa học Trung ương", 1270, 880, 950],
        [None, "TỔNG CỘNG (1+2+3)", 5270, 8480, 13150],
    ])])
    result = read_document(path, _entry(path, "plan", 2024, "Lâm Đồng"))
    assert {b.code: b.funding_source for b in result.budget_lines} == {"1": "SNKH", "2": "DTPT", "3": "SNKH_TW"}


def test_a_sheet_per_source_under_a_summary_with_its_total_on_top(tmp_path):
    head = [["DỰ TOÁN CHI NGÂN SÁCH NHÀ NƯỚC NĂM 2023"], [], [None, None, "Đơn vị tính: Nghìn đồng"]]
    path = _workbook(tmp_path / "dt.xlsx", [
        ("Tổng hợp", [["TỔNG HỢP DỰ TOÁN CHI NGÂN SÁCH NĂM 2023 THEO NGUỒN KINH PHÍ"],
                      [None, None, "Đơn vị tính: Nghìn đồng"],
                      ["STT", "Nguồn kinh phí", "Dự toán năm 2023", "Ghi chú"],
                      [None, "TỔNG CỘNG", 869000, None],
                      ["1", "Kinh phí sự nghiệp khoa học và công nghệ", 569000, "Chi tiết tại Biểu số 01"],
                      ["2", "Kinh phí quản lý hành chính", 300000, "Chi tiết tại Biểu số 02"]]),
        ("Biểu 01", [["Biểu số 01"]] + head[:1] + [["Nguồn: Kinh phí sự nghiệp khoa học và công nghệ"]] + head[2:] + [
            ["STT", "Nội dung", "Dự toán năm 2023"], [None, "TỔNG CỘNG", 560000],
            ["1", "Nhiệm vụ khoa học và công nghệ cấp tỉnh", 400000], ["2", "Hội đồng tư vấn", 160000]]),
        ("Biểu 02", [["Biểu số 02"]] + head[:1] + [["Nguồn: Kinh phí quản lý hành chính"]] + head[2:] + [
            ["STT", "Nội dung", "Dự toán năm 2023"], [None, "TỔNG CỘNG", 300000],
            ["1", "Quỹ lương", 250000], ["2", "Chỉnh lý tài liệu", 50000]]),
    ])
    result = read_document(path, _entry(path, "budget_appendices", 2023, "Đắk Lắk"))
    assert [(b.amount_vnd, b.funding_source) for b in result.budget_lines] == [
        (400_000_000, "SNKH"), (160_000_000, "SNKH"), (250_000_000, "QLNN"), (50_000_000, "QLNN")]
    summary = {t.label: (t.printed_amount_vnd, t.status) for t in result.totals if "tổng hợp" in t.scope}
    # the summary's SNKH figure (569) is not its sheet's (560): shown, never hidden
    assert summary == {"TỔNG CỘNG": (869_000_000, "mismatch"),
                       "1 Kinh phí sự nghiệp khoa học và công nghệ": (569_000_000, "mismatch"),
                       "2 Kinh phí quản lý hành chính": (300_000_000, "match")}


TASKS = """KẾ HOẠCH NHIỆM VỤ NĂM 2021
Đơn vị tính: đồng
STT\tTên nhiệm vụ\tHoạt động cụ thể\tThời gian thực hiện\tĐơn vị chủ trì\tĐề xuất kinh phí (đồng)\tGhi chú
1.\tKiểm tra, nghiệm thu nhiệm vụ KH&CN\tKiểm tra tiến độ 25 nhiệm vụ\tTháng 3 - 11/2021\tPhòng Quản lý khoa học\t45 000 000\tNguồn SNKH
\t\tĐánh giá, nghiệm thu 14 nhiệm vụ\tTháng 3 - 11/2021\tPhòng Quản lý khoa học\t210 000 000\tNguồn SNKH
\tCộng trang\t\t\t\t255 000 000\t
\tCộng chuyển sang trang sau\t\t\t\t255 000 000\t
\tTrang trước chuyển sang\t\t\t\t255 000 000\t
2.\tĐiều tra thống kê KH&CN\tĐiều tra tiềm lực KH&CN\tQuý III/2021\tTrung tâm Thông tin\t150 000 000\tNguồn SNKH
\tTỔNG CỘNG\t\t\t\t405 000 000\t
"""


def test_a_task_over_several_activity_rows_and_page_sums(tmp_path):
    result = read_text_document(tmp_path, "nv.txt", TASKS, "Thanh Hóa", 2021, "plan")
    assert [(t.name[:16], t.budget_vnd) for t in result.tasks] == [("Kiểm tra, nghiệm", 255_000_000),
                                                                  ("Điều tra thống k", 150_000_000)]
    assert [(b.code, b.amount_vnd, b.is_subtotal) for b in result.budget_lines] == [
        ("1", 45_000_000, False), ("1", 210_000_000, False), ("2", 150_000_000, False)]
    assert [(t.printed_amount_vnd, t.status) for t in result.totals] == [(405_000_000, "match")]
    assert sum("cộng theo trang" in i.message for i in result.issues) == 3
