"""Rules found by the blind office-file and public-form rounds of 8 December 2026 (documents
written by helpers that never read the parsers; ``tests/data/variants`` v*, w*): each is a
general rule of the documents' families, tested here on a small document of its own.

* a table printing no "Đơn vị tính", read in the family's default unit, whose amount in words
  is 1 000 times its printed total: refused (never stored 1 000 times too small);
* "TỔNG CỘNG (B = I + II + III)": the total of part B only, whose sections part A numbers the
  same way;
* the same header repeated after a note ("(tiếp theo)") continues the table in its unit;
* "Trang 3" between two parts of a table is a page number;
* a "Thời gian hoàn thành" column is a deadline, not the period the money covers;
* "Dự toán đề xuất năm 2023" in a report on 2022 is next year's proposal;
* a split row's "Tổng số" counts the children that print only a total;
* a sheet that only sums the document by funding source ("Biểu 01") checks the detail of
  another sheet ("Biểu 02"), never adds lines of its own;
* "Thường xuyên" in a timing column: the money covers the whole year;
* a "Cả năm" column beside quarter columns is each row's total of its quarters (a check);
* next year's proposal column in a plan table ("Dự kiến kế hoạch năm 2022 (đề xuất)") is read
  in its year; a split by budget level under three merged header rows is read as such;
* "Đơn vị tính: triệu đồng" over a header "(nghìn đồng)" refuses the table;
* a results table's "Tỷ lệ % (Lũy kế/KH năm)" is checked like "Tỷ lệ so với KH (%)";
* rows printing an amount after a table's last row are checked (a total) or named (money not
  given out, "chưa phân bổ"), never dropped; allocation rounds "Đợt 1 | Đợt 2" are columns of
  their own.
"""
from __future__ import annotations

import pytest

from loaders.documents import DocumentError
from tests.helpers import read_text_document

APPENDIX = """PHỤ LỤC
DỰ TOÁN KINH PHÍ HOẠT ĐỘNG KHOA HỌC VÀ CÔNG NGHỆ NĂM 2023
Đơn vị: Sở Khoa học và Công nghệ
TT\tNội dung\tThời gian thực hiện\tDự toán kinh phí\tNguồn kinh phí
1\tTuyên truyền ngày KH&CN\tQuý II\t65.000\tNguồn SNKH
2\tChỉnh lý tài liệu\tQuý III\t120.000\tNguồn QLNN
\tTỔNG CỘNG\t\t185.000\t
(Bằng chữ: {words}./.)
"""


def test_an_assumed_unit_the_amount_in_words_contradicts_is_refused(tmp_path):
    text = APPENDIX.format(words="Một trăm tám mươi lăm triệu đồng")
    with pytest.raises(DocumentError) as err:
        read_text_document(tmp_path, "pl.txt", text, "Hà Tĩnh", 2023, "budget_appendices")
    assert "nghìn đồng" in str(err.value) and "185.000.000" in str(err.value)
    assert err.value.line == 8  # the line of the amount in words


def test_an_assumed_unit_the_words_confirm_is_read_with_its_warning(tmp_path):
    text = APPENDIX.format(words="Một trăm tám mươi lăm nghìn đồng")
    result = read_text_document(tmp_path, "pl.txt", text, "Hà Tĩnh", 2023, "budget_appendices")
    assert [b.amount_vnd for b in result.budget_lines] == [65_000, 120_000]
    assert any("không in" in i.message and "được hiểu theo" in i.message for i in result.issues)


DISCLOSURE = """CÔNG KHAI DỰ TOÁN NGÂN SÁCH NĂM 2026
Đơn vị tính: triệu đồng
STT\tNội dung\tDự toán năm 2026
A\tDỰ TOÁN THU, CHI, NỘP NGÂN SÁCH PHÍ, LỆ PHÍ\t
I\tSố thu phí, lệ phí\t100
II\tChi từ nguồn thu phí được để lại\t60
III\tSố phí, lệ phí nộp ngân sách nhà nước\t40
B\tDỰ TOÁN CHI NGÂN SÁCH NHÀ NƯỚC\t
I\tChi quản lý hành chính\t500
II\tChi sự nghiệp khoa học và công nghệ\t700
\tTỔNG CỘNG (B = I + II)\t1.200
"""


def test_a_total_naming_its_part_covers_that_part_only(tmp_path):
    result = read_text_document(tmp_path, "ck.txt", DISCLOSURE, "Lào Cai", 2026, "disclosure")
    grand = [t for t in result.totals if t.kind == "printed_total"]
    assert len(grand) == 1 and grand[0].printed_amount_vnd == 1_200_000_000
    assert grand[0].status == "match"  # part A's fee spending (60) is not in part B's total


TASKS = """Phụ lục
DANH MỤC NHIỆM VỤ NĂM 2026
Đơn vị tính: triệu đồng
TT\tNhiệm vụ\tĐơn vị chủ trì\tThời gian thực hiện\tDự toán năm 2026\tNguồn kinh phí
I\tKHOA HỌC, CÔNG NGHỆ\t\t\t96,25\t
1\tĐánh giá trình độ công nghệ\tPhòng KĐC\tQuý III/2026\t96,25\tSNKH
II\tĐỔI MỚI SÁNG TẠO; ĐO LƯỜNG\t\t\t415,5\t
2\tCuộc thi khởi nghiệp\tTrung tâm ĐMST\tTháng 6-9/2026\t350,0\tSNKH
Ghi chú: nhiệm vụ số 2 phối hợp với Tỉnh đoàn.
(tiếp theo)
TT\tNhiệm vụ\tĐơn vị chủ trì\tThời gian thực hiện\tDự toán năm 2026\tNguồn kinh phí
3\tKiểm tra đo lường\tPhòng TĐC\tQuý II/2026\t65,5\tQLNN
III\tCHUYỂN ĐỔI SỐ\t\t\t\t
4\tTuyên truyền chuyển đổi số\tVăn phòng Sở\tThường xuyên\t120,0\tQLNN
\tTỔNG CỘNG\t\t\t631,75\t
"""


def test_a_header_repeated_after_a_note_continues_the_table_in_its_unit(tmp_path):
    result = read_text_document(tmp_path, "nv.txt", TASKS, "Lào Cai", 2026, "plan")
    leaves = [b for b in result.budget_lines if not b.is_subtotal]
    assert [b.amount_vnd for b in leaves] == [96_250_000, 350_000_000, 65_500_000, 120_000_000]
    # section II runs across the break and ends at section III, which prints no amount
    sections = {t.label.split()[0]: (t.printed_amount_vnd, t.status) for t in result.totals if t.kind == "subtotal"}
    assert sections["II"] == (415_500_000, "match")
    assert [t.status for t in result.totals if t.kind == "printed_total"] == ["match"]
    # "Thường xuyên": all through the year
    assert leaves[-1].quarters == (1, 2, 3, 4)
PROJECTS = """Phụ lục II
DANH MỤC DỰ ÁN TRỌNG TÂM NĂM 2026
Đơn vị tính: tỷ đồng
Stt\tTên nhiệm vụ, dự án\tChủ trì\tThời gian hoàn thành\tDự kiến kinh phí\tNguồn vốn
1\tPhòng thí nghiệm công nghệ sinh học\tTrung tâm Ứng dụng\tQuý IV/2026\t12\tVốn đầu tư phát triển
2\tGiống lúa chịu mặn\tPhòng Quản lý khoa học\tNăm 2026\t2,5\tSNKH
Trang 3
Stt\tTên nhiệm vụ, dự án\tChủ trì\tThời gian hoàn thành\tDự kiến kinh phí\tNguồn vốn
3\tTrung tâm đổi mới sáng tạo\tTrung tâm ĐMST\tQuý III/2026\t8\tSNKH
\tTổng cộng\t\t\t22,5\t
"""


def test_a_completion_column_gives_deadlines_and_the_money_covers_the_year(tmp_path):
    result = read_text_document(tmp_path, "da.txt", PROJECTS, "Cần Thơ", 2026, "plan")
    assert [b.quarters for b in result.budget_lines] == [(1, 2, 3, 4)] * 3
    assert [str(t.deadline) for t in result.tasks] == ["2026-12-31", "2026-12-31", "2026-09-30"]
    # "Trang 3" is a page number: the total after it checks all three projects
    assert [(t.printed_amount_vnd, t.status) for t in result.totals] == [(22_500_000_000, "match")]


REPORT = """Biểu 01
TÌNH HÌNH THỰC HIỆN DỰ TOÁN NĂM 2022
Đơn vị tính: triệu đồng
TT\tNội dung\tKH UBND giao năm 2022\tƯớc thực hiện năm 2022
I\tKinh phí sự nghiệp khoa học và công nghệ\t1.000\t950
II\tKinh phí quản lý nhà nước\t500\t500
\tTỔNG SỐ\t1.500\t1.450

Biểu 02
DỰ KIẾN DỰ TOÁN NGÂN SÁCH NĂM 2023
Đơn vị tính: triệu đồng
TT\tNội dung\tDự toán đề xuất năm 2023\tGhi chú
I\tKinh phí sự nghiệp khoa học và công nghệ\t1.200\t
II\tKinh phí quản lý nhà nước\t550\t
\tTỔNG CỘNG\t1.750\t
"""


@pytest.mark.parametrize("years", [[2022], [2022, 2023]])
def test_next_years_proposal_beside_a_report_is_a_proposal_of_its_year(tmp_path, years):
    from loaders.documents import ManifestEntry, read_document

    path = tmp_path / "bc.txt"
    path.write_text(REPORT, encoding="utf-8")
    result = read_document(path, ManifestEntry(file="bc.txt", province="Thanh Hóa", fiscal_years=years, kind="plan"))
    proposed = [(b.fiscal_year, b.amount_vnd) for b in result.budget_lines if b.phase_vn == "đề xuất"]
    assert proposed == [(2023, 1_200_000_000), (2023, 550_000_000)]
    assert not any(b.phase_vn == "dự toán" for b in result.budget_lines)


SPLIT = """DỰ TOÁN NĂM 2020
Đơn vị tính: đồng
STT\tNội dung\tTổng số\tTrong đó: SNKH\tQLNN
II\tChi sự nghiệp khoa học và công nghệ\t1.500.000\t1.000.000\t-
1\tNhiệm vụ cấp tỉnh\t1.000.000\t1.000.000\t-
2\tHoạt động quản lý nhà nước (SNKH và QLNN)\t500.000\t-\t-
\tTỔNG CỘNG\t1.500.000\t1.000.000\t-
"""


def test_a_split_total_counts_children_printing_only_the_total(tmp_path):
    result = read_text_document(tmp_path, "dt.txt", SPLIT, "Quảng Bình", 2020, "budget_appendices")
    row_checks = [t for t in result.totals if t.kind == "subtotal" and t.printed_amount_vnd == 1_500_000]
    assert row_checks and all(t.status == "match" for t in row_checks)


SUMMARY_AND_DETAIL = """Biểu 01
TỔNG HỢP DỰ TOÁN NĂM 2025 THEO NGUỒN KINH PHÍ
Đơn vị tính: đồng
STT\tNguồn kinh phí\tDự toán năm 2025\tGhi chú
1\tKinh phí sự nghiệp khoa học và công nghệ\t300.000.000\t
2\tKinh phí quản lý nhà nước\t{qlnn}\t
\tTổng cộng\t{total}\t

Biểu 02
CHI TIẾT DỰ TOÁN NĂM 2025
Đơn vị tính: đồng
STT\tNội dung\tThời gian\tDự toán năm 2025\tNguồn kinh phí
1\tHội thảo khoa học\tQuý II\t300.000.000\tNguồn SNKH
2\tThanh tra chuyên ngành\tQuý III\t100.000.000\tNguồn QLNN
\tTỔNG CỘNG\t\t400.000.000\t
"""


@pytest.mark.parametrize(("qlnn", "total", "status"), [("100.000.000", "400.000.000", "match"),
                                                       ("150.000.000", "450.000.000", "mismatch")])
def test_a_summary_sheet_by_source_checks_the_detail_sheet(tmp_path, qlnn, total, status):
    text = SUMMARY_AND_DETAIL.format(qlnn=qlnn, total=total)
    result = read_text_document(tmp_path, "dt.txt", text, "Nghệ An", 2025, "budget_appendices")
    assert [b.amount_vnd for b in result.budget_lines] == [300_000_000, 100_000_000]  # the detail only
    summary = [t for t in result.totals if "tổng hợp theo nguồn" in t.scope]
    assert len(summary) == 3  # SNKH, QLNN and the summary's total
    assert {t.status for t in summary[1:]} == {status} and summary[0].status == "match"
    assert not any("không thấy bảng" in i.message for i in result.issues)


# --- rounds 17 and 18 (x*, y*) -------------------------------------------------------------

def _workbook(tmp_path, name: str, rows: list[list], merges: list[str], province: str, year: int, kind: str):
    """Write ``rows`` as the one sheet of ``name`` (.xlsx; ``merges``: ranges merged as a finance
    officer merges a header, "C3:F3") and read it as the build does."""
    from openpyxl import Workbook

    from loaders.documents import ManifestEntry, read_document

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    path = tmp_path / name
    wb.save(path)
    return read_document(path, ManifestEntry(file=name, province=province, fiscal_years=[year], kind=kind))


def test_a_year_column_beside_quarter_columns_checks_each_row(tmp_path):
    rows = [["KẾ HOẠCH PHÂN BỔ DỰ TOÁN NĂM 2024 THEO QUÝ"], ["ĐVT: Triệu đồng"],
            ["TT", "Nội dung", "Dự toán phân bổ", None, None, None, "Cả năm"],
            [None, None, "Quý I", "Quý II", "Quý III", "Quý IV", None],
            ["1", "Đề tài chuyển tiếp", "450,0", "620,5", "380,0", "249,5", "1.700,0"],
            ["2", "Thanh tra chuyên ngành", "15,0", "20,0", "25,0", "10,0", "75,0"],
            [None, "TỔNG CỘNG", "465,0", "640,5", "405,0", "259,5", "1.775,0"]]
    result = _workbook(tmp_path, "q.xlsx", rows, ["C3:F3", "G3:G4", "A3:A4", "B3:B4"], "Hậu Giang", 2024,
                       "budget_appendices")
    assert sorted({b.quarters for b in result.budget_lines}) == [(1,), (2,), (3,), (4,)]  # money stored once, by quarter
    year_checks = {t.printed_amount_vnd: t.status for t in result.totals if "Cả năm" in t.scope}
    assert year_checks == {1_700_000_000: "match", 75_000_000: "mismatch", 1_775_000_000: "mismatch"}


def test_a_results_percentage_headed_tỷ_lệ_percent_is_checked(tmp_path):
    rows = [["BÁO CÁO KẾT QUẢ QUÝ III NĂM 2025"],
            ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện Quý III", "Lũy kế 9 tháng", "Tỷ lệ % (Lũy kế/KH năm)"],
            ["1", "Nhiệm vụ KH&CN cấp tỉnh được nghiệm thu", "Nhiệm vụ", "18", "5", "11", "61,1"],
            ["2", "Phương tiện đo được kiểm định", "Phương tiện đo", "25.000", "6.000", "14.000", "24,0"]]
    result = _workbook(tmp_path, "bc.xlsx", rows, [], "Thanh Hóa", 2025, "report")
    assert [(c.code, c.status) for c in result.ratios] == [("1", "match"), ("2", "mismatch")]  # 14 000 / 25 000 = 56 %
    assert any("24,0" in i.message and "56" in i.message for i in result.issues)


PLAN_WITH_PROPOSAL = """Biểu số 02 - TÌNH HÌNH THỰC HIỆN NĂM 2021 VÀ DỰ KIẾN KẾ HOẠCH NĂM 2022
Đơn vị tính: nghìn đồng
TT\tNội dung\tKH UBND giao năm 2021\tƯớc thực hiện năm 2021\tDự kiến kế hoạch năm 2022 (đề xuất)
I\tKinh phí sự nghiệp khoa học và công nghệ\t14.380.000\t13.793.250\t15.110.000
II\tVốn đầu tư phát triển cho khoa học và công nghệ\t8.000.000\t7.450.000\t9.000.000
\tTỔNG SỐ CHI (I+II)\t22.380.000\t21.243.250\t24.110.000
"""


def test_next_years_proposal_column_in_a_plan_table_is_read_in_its_year(tmp_path):
    result = read_text_document(tmp_path, "kh.txt", PLAN_WITH_PROPOSAL, "Phú Yên", 2021, "plan")
    proposed = sorted((b.fiscal_year, b.amount_vnd) for b in result.budget_lines if b.phase_vn == "đề xuất")
    assert proposed == [(2022, 9_000_000_000), (2022, 15_110_000_000)]
    assert not any("bỏ qua cột" in i.message for i in result.issues)


def test_a_split_by_budget_level_under_three_header_rows(tmp_path):
    rows = [["CÔNG KHAI DỰ TOÁN NĂM 2022"], ["Đơn vị tính: Nghìn đồng"],
            ["STT", "Nội dung", "Dự toán được giao năm 2022", None, None],
            [None, None, "Tổng số", "Chia ra", None],
            [None, None, None, "Ngân sách trung ương", "Ngân sách địa phương"],
            ["1", "Chi quản lý hành chính", "5.500.500", "-", "5.500.500"],
            ["2", "Nghiên cứu khoa học", "16.115.300", "3.050.000", "13.065.300"]]
    result = _workbook(tmp_path, "ck.xlsx", rows, ["C3:E3", "D4:E4", "C4:C5", "A3:A5", "B3:B5"], "Thái Bình", 2022,
                       "disclosure")
    lines = sorted((b.code, b.funding_source, b.amount_vnd) for b in result.budget_lines)
    assert lines == [("1", "QLNN", 5_500_500_000), ("2", "SNKH", 13_065_300_000), ("2", "SNKH_TW", 3_050_000_000)]


CLASH = """KẾ HOẠCH NHIỆM VỤ NĂM 2022
Đơn vị tính: triệu đồng
STT\tNội dung công việc\tThời gian thực hiện\tĐơn vị chủ trì\tĐề xuất kinh phí (nghìn đồng)
1\tKiểm tra tiến độ nhiệm vụ\tThường xuyên\tPhòng Quản lý khoa học\t85.000
"""


def test_a_unit_line_contradicting_the_column_header_refuses_the_table(tmp_path):
    with pytest.raises(DocumentError) as err:
        read_text_document(tmp_path, "nv.txt", CLASH, "Kon Tum", 2022, "plan")
    assert "triệu đồng" in str(err.value) and "nghìn đồng" in str(err.value) and err.value.line == 3


ALLOCATION = """PHỤ LỤC 01
PHÂN BỔ CHI TIẾT DỰ TOÁN KINH PHÍ SỰ NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ NĂM 2026 (ĐỢT 2)
Đơn vị tính: đồng
STT\tNội dung\tĐơn vị thực hiện\tDự toán phân bổ Đợt 1\tDự toán phân bổ Đợt 2
1\tĐề tài cà phê chè\tPhòng KĐC\t1.250.000.000\t-
2\tDự án IoT sầu riêng\tPhòng KĐC\t980.000.000\t620.000.000
\tCỘNG\t\t2.230.000.000\t620.000.000
\tTổng số đã phân bổ (đợt 1 + đợt 2)\t\t2.850.000.000\t
\tKinh phí còn lại chưa phân bổ\t\t450.000.000\t
\tTỔNG DỰ TOÁN ĐƯỢC GIAO NĂM 2026\t\t3.300.000.000\t
"""


def test_rows_after_the_table_are_checked_or_named_never_dropped(tmp_path):
    result = read_text_document(tmp_path, "pb.txt", ALLOCATION, "Lâm Đồng", 2026, "decision")
    assert sum(b.amount_vnd for b in result.budget_lines) == 2_850_000_000  # allocated only
    after = [t for t in result.totals if "đợt 1 + đợt 2" in t.label]
    assert [(t.printed_amount_vnd, t.status) for t in after] == [(2_850_000_000, "match")]
    named = [i for i in result.issues if "in sau bảng" in i.message]
    assert [i.line for i in named] == [9, 10]  # the money not given out, and the envelope that counts it
    assert "chưa phân bổ" in named[0].message


FRONT_SUMMARY = """BIỂU TỔNG HỢP
DỰ TOÁN KINH PHÍ NĂM 2023 CỦA CÁC PHÒNG, ĐƠN VỊ THUỘC SỞ
Đơn vị tính: đồng
TT\tPhòng, đơn vị\tDự toán năm 2023\tGhi chú
1\tVăn phòng Sở\t165.000.000\tChi tiết tại Phụ lục 01
2\tThanh tra Sở\t30.000.000\tChi tiết tại Phụ lục 02
\tTỔNG CỘNG\t195.000.000\t

Phụ lục 01
DỰ TOÁN KINH PHÍ NĂM 2023
Phòng/đơn vị: Văn phòng Sở
Đơn vị tính: đồng
TT\tNội dung thực hiện\tThời gian thực hiện\tDự toán kinh phí\tNguồn kinh phí
1\tTuyên truyền ngày KH&CN\tQuý II\t45.000.000\tNguồn SNKH
2\tChỉnh lý tài liệu\tQuý III\t120.000.000\tNguồn QLNN
\tCộng\t\t165.000.000\t

Phụ lục 02
DỰ TOÁN KINH PHÍ NĂM 2023
Phòng/đơn vị: Thanh tra Sở
Đơn vị tính: đồng
TT\tNội dung thực hiện\tThời gian thực hiện\tDự toán kinh phí\tNguồn kinh phí
1\tThanh tra đo lường xăng dầu\tQuý II\t18.000.000\tNguồn QLNN
2\tThanh tra an toàn bức xạ\tQuý III\t15.500.000\tNguồn QLNN
\tCộng\t\t33.500.000\t
"""


def test_a_summary_by_unit_before_the_unit_appendices_checks_them(tmp_path):
    result = read_text_document(tmp_path, "th.txt", FRONT_SUMMARY, "Quảng Trị", 2023, "budget_appendices")
    assert sum(b.amount_vnd for b in result.budget_lines) == 198_500_000  # the detail only, never the summary
    checks = {(t.label.split(" — ")[0], t.status) for t in result.totals if "tổng hợp theo đơn vị" in t.scope}
    assert checks == {("1 Văn phòng Sở", "match"), ("2 Thanh tra Sở", "mismatch"), ("TỔNG CỘNG", "mismatch")}


# --- round 20 (q*: workbooks typed by finance officers, with their mistakes) -----------------

TYPED = """DỰ TOÁN KINH PHÍ NĂM 2023
Đơn vị tính: triệu đồng
TT\tNội dung\tDự toán năm 2023\tGhi chú
1\tChi quản lý hành chính\t211,0\t
a\tHội nghị, hội thảo sơ kết, tổng kết\t{typed}\t
b\tVăn phòng phẩm, in ấn tài liệu\t166,0\t
\tTỔNG CỘNG\t211,0\t
"""


def test_a_cell_typed_in_another_unit_than_its_table_is_refused(tmp_path):
    with pytest.raises(DocumentError) as err:
        read_text_document(tmp_path, "dt.txt", TYPED.format(typed="45000000"), "Hà Tĩnh", 2023, "budget_appendices")
    assert "45000000" in str(err.value) and "1.000 lần" in str(err.value) and err.value.line == 5
    # the same table typed right is read
    result = read_text_document(tmp_path, "dt.txt", TYPED.format(typed="45,0"), "Hà Tĩnh", 2023, "budget_appendices")
    assert [b.amount_vnd for b in result.budget_lines if not b.is_subtotal] == [45_000_000, 166_000_000]


MEMO = """DỰ TOÁN KINH PHÍ NĂM 2026
Đơn vị tính: nghìn đồng
TT\tNội dung\tDự toán\tGhi chú
I\tVăn phòng Sở\t\t
1\tHội đồng tư vấn tuyển chọn nhiệm vụ\t120.000\t
2\tThuê chuyên gia phản biện độc lập\t36.000\tĐã bao gồm trong mục 1
3\tVăn phòng phẩm\t50.000\t
\tCộng\t170.000\t
"""


def test_a_row_whose_remark_says_it_is_counted_elsewhere_is_not_stored(tmp_path):
    result = read_text_document(tmp_path, "dt.txt", MEMO, "Lào Cai", 2026, "budget_appendices")
    stored = [b.amount_vnd for b in result.budget_lines if not b.is_subtotal and b.amount_vnd is not None]
    assert stored == [120_000_000, 50_000_000]
    assert [t.status for t in result.totals if t.kind == "printed_total"] == ["match"]
    assert any(i.line == 6 and "Đã bao gồm trong mục 1" in i.message for i in result.issues)


def test_a_proposal_sheet_is_money_and_each_cộng_closes_its_section(tmp_path):
    from openpyxl import Workbook

    from loaders.documents import ManifestEntry, read_document

    wb = Workbook()
    first = wb.active
    first.title = "TH 2021"
    for row in [["TÌNH HÌNH THỰC HIỆN DỰ TOÁN NĂM 2021"], ["Đơn vị tính: Tỷ đồng"],
                ["TT", "Nội dung", "KH UBND giao năm 2021", "Ước thực hiện năm 2021"],
                ["I", "Kinh phí sự nghiệp khoa học và công nghệ", "6,000", "5,800"],
                [None, "TỔNG CỘNG", "6,000", "5,800"]]:
        first.append(row)
    second = wb.create_sheet("DT 2022")
    for row in [["DỰ TOÁN NGÂN SÁCH KHOA HỌC VÀ CÔNG NGHỆ NĂM 2022 (ĐỀ XUẤT)"], ["Đơn vị tính: Tỷ đồng"],
                ["TT", "Nội dung", "Đề xuất dự toán năm 2022", "Nguồn kinh phí"],
                ["I", "Kinh phí sự nghiệp khoa học và công nghệ", None, None],
                ["1", "Nhiệm vụ KH&CN cấp tỉnh chuyển tiếp", "3,450", "Nguồn SNKH"],
                ["2", "Nhiệm vụ KH&CN cấp tỉnh mở mới", "2,900", "Nguồn SNKH"],
                [None, "Cộng", "6,350", None],
                ["II", "Vốn đầu tư phát triển KH&CN", None, None],
                ["1", "Dự án Trung tâm Đổi mới sáng tạo", "4,200", "Vốn ĐTPT"],
                [None, "Cộng", "4,200", None],
                [None, "TỔNG CỘNG", "10,550", None]]:
        second.append(row)
    path = tmp_path / "kh.xlsx"
    wb.save(path)
    result = read_document(path, ManifestEntry(file="kh.xlsx", province="Sơn La", fiscal_years=[2021, 2022], kind="plan"))
    assert not result.indicators  # "Đề xuất dự toán năm 2022" is money, never targets
    proposed = [b for b in result.budget_lines if b.phase_vn == "đề xuất" and not b.is_subtotal and b.amount_vnd]
    assert sorted(b.amount_vnd for b in proposed) == [2_900_000_000, 3_450_000_000, 4_200_000_000]
    second_sheet = sorted((t.printed_amount_vnd, t.status) for t in result.totals if t.printed_amount_vnd in
                          (4_200_000_000, 6_350_000_000, 10_550_000_000))
    assert second_sheet == [(4_200_000_000, "match"), (6_350_000_000, "match"), (10_550_000_000, "match")]


ADJUSTMENT = """QUYẾT ĐỊNH
Về việc điều chỉnh dự toán kinh phí sự nghiệp khoa học và công nghệ năm 2022
Số: 2871/QĐ-UBND
Đơn vị tính: đồng
STT\tNội dung\tDự toán năm 2022\tDự toán năm 2022\tDự toán năm 2022
\t\tĐã giao\tĐiều chỉnh tăng (+), giảm (-)\tSau điều chỉnh
1\tNhiệm vụ KH&CN cấp tỉnh chuyển tiếp\t3.200.000.000\t(320.000.000)\t2.880.000.000
2\tKiểm tra nhà nước về chất lượng\t420.000.000\t-180.000.000\t240.000.000
3\tTổ chức Ngày hội khởi nghiệp\t450.000.000\t+500.000.000\t950.000.000
\tTỔNG CỘNG\t4.070.000.000\t0\t4.070.000.000
"""


def test_an_adjustment_headed_đã_giao_under_the_year_is_the_estimate_before(tmp_path):
    result = read_text_document(tmp_path, "dc.txt", ADJUSTMENT, "Quảng Ninh", 2022, "decision")
    stages = sorted({b.phase_vn for b in result.budget_lines})
    assert stages == ["dự toán điều chỉnh", "dự toán đã giao", "điều chỉnh"]
    v = result.versions[0]
    assert (v.before_vnd, v.after_vnd, v.net_change_vnd) == (4_070_000_000, 4_070_000_000, 0)


REPEATED = """KẾ HOẠCH NHIỆM VỤ NĂM 2025
Đơn vị tính: đồng
TT\tTên nhiệm vụ\tĐơn vị chủ trì\tThời gian thực hiện\tKinh phí\tNguồn kinh phí
1\tKiểm định phương tiện đo nhóm 2 trên địa bàn\tChi cục TĐC\tQuý II\t85.000.000\tNguồn SNKH
2\tKiểm định phương tiện đo nhóm 2 trên địa bàn\tChi cục TĐC\tQuý II\t85.000.000\tNguồn SNKH
3\tHội thảo khởi nghiệp\tTrung tâm ĐMST\tQuý III\t40.000.000\tNguồn SNKH
\tTỔNG CỘNG\t\t\t125.000.000\t
"""


def test_a_row_typed_twice_is_stored_as_printed_and_warned(tmp_path):
    result = read_text_document(tmp_path, "nv.txt", REPEATED, "Hậu Giang", 2025, "plan")
    assert len(result.budget_lines) == 3
    assert any(i.line == 5 and "lặp lại dòng 4" in i.message for i in result.issues)
    assert [t.status for t in result.totals] == ["mismatch"]


# --- round 19 (z*: PDFs as published) ---------------------------------------------------------

UNRULED = """Phụ lục 1
DỰ TOÁN KINH PHÍ NĂM 2023
Phòng/đơn vị: Chi cục Tiêu chuẩn Đo lường Chất lượng
Đơn vị tính: đồng

TT Nội dung thực hiện Thời gian thực hiện Dự toán kinh phí Ghi chú

I NGUỒN KINH PHÍ QUẢN LÝ NHÀ NƯỚC 117.500.000

1 Kiểm tra chất lượng sản phẩm, hàng hóa phục vụ Quý IV 32.500.000
Tết Nguyên đán Giáp Thìn 2024

2 Tập huấn nghiệp vụ quản lý đo lường Quý I 85.000.000 02 lớp

TỔNG CỘNG 117.500.000
"""


def test_a_year_ending_a_wrapped_description_and_a_count_note_are_not_amounts(tmp_path):
    result = read_text_document(tmp_path, "pl.txt", UNRULED, "Lạng Sơn", 2023, "budget_appendices")
    assert [(b.amount_vnd, b.quarters) for b in result.budget_lines if not b.is_subtotal] == [
        (32_500_000, (4,)), (85_000_000, (1,))]
    assert {t.status for t in result.totals} == {"match"}


def test_a_section_naming_its_source_in_a_parenthesis(tmp_path):
    rows = [["DỰ TOÁN KINH PHÍ SỰ NGHIỆP KHOA HỌC NĂM 2021"], ["Đơn vị tính: nghìn đồng"],
            ["TT", "Nội dung", "Đơn vị chủ trì", "Dự toán"],
            ["I", "Nhiệm vụ cấp tỉnh (nguồn SNKH địa phương)", None, "200.000"],
            ["1", "Đề tài nuôi cá chình", "Phòng QLKH", "200.000"],
            ["II", "Nhiệm vụ cấp quốc gia ủy quyền cho địa phương quản lý (nguồn SNKH Trung ương)", None, "1.545.000"],
            ["1", "Dự án nông thôn miền núi", "Phòng QLKH", "1.545.000"],
            [None, "TỔNG CỘNG", None, "1.745.000"]]
    result = _workbook(tmp_path, "dt.xlsx", rows, [], "Quảng Ninh", 2021, "budget_appendices")
    assert [(b.code, b.funding_source) for b in result.budget_lines if not b.is_subtotal] == [("1", "SNKH"), ("1", "SNKH_TW")]


# --- round 21 (k*: one department's year, document by document) ----------------------------

def test_a_split_whose_chia_ra_heads_only_its_first_part_counts_each_row_once(tmp_path):
    rows = [["CÔNG KHAI DỰ TOÁN NGÂN SÁCH NĂM 2025"], ["Đơn vị tính: đồng"],
            ["TT", "Nội dung", "Dự toán được giao năm 2025", None, None],
            [None, None, "Tổng số", "Chia ra\nNgân sách địa phương", "Ngân sách trung ương bổ sung có mục tiêu"],
            ["A", "B", "1=2+3", "2", "3"],
            ["2", "Nghiên cứu khoa học", "15.550.000.000", "14.350.000.000", "1.200.000.000"],
            ["-", "Nhiệm vụ khoa học công nghệ cấp quốc gia (NSTW)", "1.200.000.000", "-", "1.200.000.000"],
            ["-", "Nhiệm vụ khoa học công nghệ cấp tỉnh", "14.350.000.000", "14.350.000.000", "-"]]
    result = _workbook(tmp_path, "ck.xlsx", rows, ["C3:E3", "A3:A4", "B3:B4"], "Hà Tĩnh", 2025, "disclosure")
    leaves = sorted((b.funding_source, b.amount_vnd) for b in result.budget_lines if not b.is_subtotal)
    assert leaves == [("SNKH", 14_350_000_000), ("SNKH_TW", 1_200_000_000)]  # the national task once, central money


def test_a_line_naming_the_central_level_under_a_science_heading_is_central_science_money(tmp_path):
    rows = [["ĐÁNH GIÁ THỰC HIỆN DỰ TOÁN 6 THÁNG NĂM 2025"], ["Đơn vị tính: đồng"],
            ["TT", "Nội dung", "Dự toán năm", "Thực hiện 6 tháng"],
            ["2", "Nghiên cứu khoa học", "15.550.000.000", "5.000.000.000"],
            ["-", "Nhiệm vụ KH&CN cấp quốc gia (NSTW)", "1.200.000.000", "360.000.000"],
            ["-", "Nhiệm vụ KH&CN cấp tỉnh", "14.350.000.000", "4.640.000.000"]]
    result = _workbook(tmp_path, "th.xlsx", rows, [], "Hà Tĩnh", 2025, "disclosure")
    national = {b.funding_source for b in result.budget_lines if "quốc gia" in b.description}
    provincial = {b.funding_source for b in result.budget_lines if "cấp tỉnh" in b.description}
    assert (national, provincial) == ({"SNKH_TW"}, {"SNKH"})


def test_planned_fee_revenue_is_revenue(tmp_path):
    from loaders.text.flows import inherited_flow

    assert inherited_flow(["DỰ KIẾN THU PHÍ, LỆ PHÍ"]) == "revenue"
    assert inherited_flow(["Chi từ nguồn thu phí được để lại"]) == "fee_spending"


def test_a_task_table_split_by_source_without_a_total_column_reads_every_source(tmp_path):
    """Round 22 (m4): "Kinh phí đề xuất" merged over "Nguồn SNKH | Nguồn QLNN", no "Tổng số":
    a row printing "-" for SNKH and an amount for QLNN was dropped (read from the first column)."""
    rows = [["KẾ HOẠCH NHIỆM VỤ NĂM 2026"], ["Đơn vị tính: nghìn đồng"],
            ["STT", "Nội dung công việc", "Thời gian thực hiện", "Đơn vị chủ trì", "Kinh phí đề xuất", None],
            [None, None, None, None, "Nguồn SNKH", "Nguồn QLNN"],
            ["1", "Điều tra thống kê khoa học và công nghệ", "Quý II/2026", "Trung tâm ĐMST", "95.000", "30.000"],
            ["2", "Kiểm tra nhà nước về đo lường", "Quý III/2026", "Phòng TĐC", "-", "120.000"],
            ["3", "Tập huấn kỹ năng số", "Quý I/2026", "Văn phòng Sở", "-", "-"],
            [None, "TỔNG CỘNG", None, None, "95.000", "150.000"]]
    result = _workbook(tmp_path, "nv.xlsx", rows, ["E3:F3", "A3:A4", "B3:B4", "C3:C4", "D3:D4"], "Tuyên Quang", 2026, "plan")
    assert sorted((b.funding_source, b.amount_vnd) for b in result.budget_lines) == [
        ("QLNN", 30_000_000), ("QLNN", 120_000_000), ("SNKH", 95_000_000)]
    assert [t.budget_vnd for t in result.tasks] == [125_000_000, 120_000_000, None]
    assert sorted((t.printed_amount_vnd, t.status) for t in result.totals) == [
        (95_000_000, "match"), (150_000_000, "match")]


def test_a_task_tables_cộng_under_each_section_covers_that_section(tmp_path):
    """Round 22 (m5): "Cộng" after each section of a table of key projects, then "TỔNG CỘNG": each
    "Cộng" checked against the whole table so far (a false mismatch of 10,55 tỷ on section II)."""
    text = ("DANH MỤC DỰ ÁN, NHIỆM VỤ TRỌNG ĐIỂM NĂM 2026\nĐơn vị tính: tỷ đồng\n"
            "STT\tTên dự án, nhiệm vụ\tĐơn vị chủ trì\tThời gian thực hiện\tDự toán năm 2026\tNguồn vốn\n"
            "I\tNguồn sự nghiệp khoa học và công nghệ\t\t\t\t\n"
            "1\tTrung tâm dữ liệu đổi mới sáng tạo\tSở KH&CN\t2026\t3,25\tSNKH\n"
            "2\tGiống lúa thơm chịu mặn\tTrường Đại học Cần Thơ\t2026-2027\t2,80\tSNKH\n"
            "\tCộng\t\t\t6,05\t\n"
            "II\tNguồn vốn đầu tư phát triển\t\t\t\t\n"
            "1\tNâng cấp phòng thử nghiệm\tTrung tâm Kỹ thuật TĐC\t2026-2027\t12,50\tĐTPT\n"
            "\tCộng\t\t\t12,50\t\n"
            "\tTỔNG CỘNG (I+II)\t\t\t18,55\t\n")
    result = read_text_document(tmp_path, "da.txt", text, "Cần Thơ", 2026, "plan")
    assert sorted((t.printed_amount_vnd, t.status) for t in result.totals) == [
        (6_050_000_000, "match"), (12_500_000_000, "match"), (18_550_000_000, "match")]


def test_two_columns_of_one_stage_in_a_plan_table_keep_their_own_lines(tmp_path):
    """Round 22 (m2): "Thực hiện quý III | Lũy kế thực hiện đến hết quý III" — both "thực hiện
    2025": their lines took one id, so each total summed the other column's figures too."""
    rows = [["BÁO CÁO THỰC HIỆN DỰ TOÁN 9 THÁNG NĂM 2025"], ["ĐV tính: Triệu đồng"],
            ["TT", "Nội dung", "Dự toán năm 2025", "Thực hiện quý III", "Lũy kế thực hiện đến hết quý III"],
            ["I", "Chi quản lý hành chính (Nguồn QLNN)", None, None, None],
            ["1", "Kinh phí thực hiện chế độ tự chủ", "3.450,00", "812,35", "2.598,40"],
            ["2", "Kinh phí không thực hiện chế độ tự chủ", "620,50", "145,20", "310,75"],
            [None, "TỔNG CỘNG", "4.070,50", "957,55", "2.909,15"]]
    result = _workbook(tmp_path, "bc.xlsx", rows, [], "Hà Tĩnh", 2025, "report")
    assert len({b.line_id for b in result.budget_lines}) == len(result.budget_lines)  # one id per line
    assert len([b for b in result.budget_lines if not b.is_subtotal and b.amount_vnd is not None]) == 6
    assert sorted((t.printed_amount_vnd, t.status) for t in result.totals) == [
        (957_550_000, "match"), (2_909_150_000, "match"), (4_070_500_000, "match")]
