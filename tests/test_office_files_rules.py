"""Rules found by blind round 23 (office files as departments send them, written by a helper
that never read the parsers: ``a1``, ``a2``, ``a3``, ``a6``), each on a small document of its own.

* "Dự toán năm 2024" over "Tổng số | Sự nghiệp KH&CN | Quản lý nhà nước | Thu phí được để lại":
  the year belongs to the amount words, and "Quản lý nhà nước" alone names the QLNN part (its
  lines were UNSPECIFIED and counted twice, once as the row's total);
* a title ending with its unit, "DANH MỤC NHIỆM VỤ … (đơn vị tính: triệu đồng)", then "(Kèm theo
  …)" above the header: the table's amounts are in that unit (the table was refused);
* "Phụ lục II (tiếp theo)" over the second Word table of a tasks appendix: the same appendix
  goes on (the part was read alone, by another family);
* a timing column and a completion column ("Thời gian thực hiện: Quý II-IV | Thời hạn hoàn
  thành: 15/12/2026"): the deadline is the completion column's;
* "Kinh phí sự nghiệp KH&CN Trung ương hỗ trợ (… ủy quyền địa phương quản lý)": central money
  (the words name who manages the project, not a budget level).
"""
from __future__ import annotations

from datetime import date

from loaders.documents import ManifestEntry, read_document
from loaders.text.sources import classify_source
from tests.docgen import write_docx

def _split_workbook(path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["PHỤ LỤC 01"])
    ws.append(["DỰ TOÁN KINH PHÍ NĂM 2024"])
    ws.append([None, None, None, None, "Đơn vị tính: nghìn đồng"])
    ws.append(["TT", "Nội dung", "Dự toán năm 2024", None, None, None])
    ws.append([None, None, "Tổng số", "Sự nghiệp KH&CN", "Quản lý nhà nước", "Thu phí được để lại"])
    ws.merge_cells("C4:F4")
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.append(["I", "Văn phòng Sở", 395000, 45000, 350000, None])
    ws.append(["1", "Hội nghị tổng kết", 65000, 45000, 20000, None])
    ws.append(["2", "Sửa chữa tài sản", 330000, None, 330000, None])
    ws.append(["II", "Chi cục TĐC", 65000, None, None, 65000])
    ws.append(["1", "Chi phục vụ thu phí", 65000, None, None, 65000])
    ws.append([None, "TỔNG CỘNG", 460000, 45000, 350000, 65000])
    wb.save(path)
    return path


def test_a_part_headed_quan_ly_nha_nuoc_under_a_year_is_qlnn(tmp_path):
    path = _split_workbook(tmp_path / "dt.xlsx")
    result = read_document(path, ManifestEntry(file=path.name, province="Quảng Ngãi", fiscal_years=[2024],
                                               kind="budget_appendices"))
    leaves = sorted((b.code, b.amount_vnd, b.funding_source) for b in result.budget_lines if not b.is_subtotal)
    assert leaves == [("1", 20_000_000, "QLNN"), ("1", 45_000_000, "SNKH"), ("1", 65_000_000, "THU_PHI"),
                      ("2", 330_000_000, "QLNN")]
    assert all(t.status == "match" for t in result.totals)


TASKS = [
    ("p", "Phụ lục II"),
    ("p", "DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2026 VÀ KINH PHÍ ĐỀ XUẤT (đơn vị tính: triệu đồng)"),
    ("p", "(Kèm theo Kế hoạch số 215/KH-SKHCN ngày 20/01/2026 của Sở Khoa học và Công nghệ)"),
    ("table", [["Stt", "Tên nhiệm vụ", "Đơn vị chủ trì", "Thời gian thực hiện", "Thời hạn hoàn thành", "Kinh phí đề xuất", "Nguồn kinh phí"],
               ["1", "Triển khai các nhiệm vụ KH&CN cấp tỉnh mở mới", "Phòng KĐC", "Quý II-IV", "15/12/2026", "9.850", "Nguồn SNKH"],
               ["2", "Điều tra thống kê KH&CN", "Phòng KĐC", "Tháng 5-9", "Thường xuyên", "185,75", "Nguồn SNKH"]]),
    ("page", None),
    ("p", "Phụ lục II (tiếp theo)"),
    ("table", [["Stt", "Tên nhiệm vụ", "Đơn vị chủ trì", "Thời gian thực hiện", "Thời hạn hoàn thành", "Kinh phí đề xuất", "Nguồn kinh phí"],
               ["3", "Nâng cấp Trung tâm giám sát, điều hành thông minh", "Phòng HTS", "Năm 2026", "31/12/2026", "12.500", "Nguồn QLNN"],
               ["", "Tổng cộng", None, "", "", "22.535,75", ""]]),
]


def test_a_tasks_appendix_in_two_word_tables_with_its_unit_in_the_title(tmp_path):
    path = write_docx([("p", "KẾ HOẠCH năm 2026"), ("p", "Phụ lục I"), ("p", "CÁC CHỈ TIÊU NĂM 2026"),
                       ("table", [["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2026"],
                                  ["1", "Số nhiệm vụ KH&CN cấp tỉnh được phê duyệt mới", "nhiệm vụ", "≥ 25"]])] + TASKS,
                      tmp_path / "kh.docx")
    result = read_document(path, ManifestEntry(file=path.name, province="Lâm Đồng", fiscal_years=[2026], kind="plan"))
    assert [(t.name[:20], t.budget_vnd, t.deadline) for t in result.tasks] == [
        ("Triển khai các nhiệm", 9_850_000_000, date(2026, 12, 15)),
        ("Điều tra thống kê KH", 185_750_000, None),  # "Thường xuyên" in the completion column
        ("Nâng cấp Trung tâm g", 12_500_000_000, date(2026, 12, 31))]
    # the money's quarters come from the timing column
    assert [b.quarters for b in result.budget_lines] == [(2, 3, 4), (2, 3), (1, 2, 3, 4)]
    assert [i.target_value for i in result.indicators] == [25.0]
    assert [t.status for t in result.totals if t.kind == "printed_total"] == ["match"]


def test_a_central_project_delegated_to_the_province_is_central_money():
    heading = "KINH PHÍ SỰ NGHIỆP KH&CN TRUNG ƯƠNG HỖ TRỢ (dự án thuộc Chương trình nông thôn miền núi ủy quyền địa phương quản lý)"
    assert classify_source(heading) == "SNKH_TW"
    assert classify_source("Kinh phí sự nghiệp KH&CN ngân sách địa phương") == "SNKH"


def test_a_header_cell_naming_its_unit_in_parentheses_is_still_a_header(tmp_path):
    """"Dự toán (ĐVT: triệu đồng)" in a header row is its column's unit, never a unit line that
    would take the header row away (the title rule reads a line of text alone)."""
    from tests.helpers import read_text_document

    text = ("DỰ TOÁN KINH PHÍ NĂM 2024\nTT\tNội dung\tDự toán (ĐVT: triệu đồng)\tGhi chú\n"
            "1\tHội nghị\t100\tNguồn SNKH\n2\tKiểm tra\t200\tNguồn QLNN\n\tTỔNG CỘNG\t300\t\n")
    result = read_text_document(tmp_path, "dt.txt", text, "Hà Tĩnh", 2024, "budget_appendices")
    assert [(b.code, b.amount_vnd) for b in result.budget_lines] == [("1", 100_000_000), ("2", 200_000_000)]


def test_a_mismatch_shows_the_total_as_printed(tmp_path):
    """The officer finds the cell by what it prints: "18.865,34" (triệu đồng), beside the amount in
    đồng (blind round 23, ``a3``)."""
    from tests.helpers import read_text_document

    text = ("DỰ TOÁN KINH PHÍ NĂM 2023\nĐơn vị tính: triệu đồng\nTT\tNội dung\tDự toán năm 2023\n"
            "I\tKinh phí sự nghiệp KH&CN\t18.865,34\n1\tNhiệm vụ cấp tỉnh\t10.000,33\n2\tNhiệm vụ cấp cơ sở\t8.865\n"
            "\tTỔNG CỘNG\t18.865,34\n")
    result = read_text_document(tmp_path, "dt.txt", text, "Nghệ An", 2023, "budget_appendices")
    mismatches = [i.message for i in result.issues if "không khớp" in i.message]
    assert mismatches and all("(in '18.865,34')" in m for m in mismatches)
    assert all("18.865.340.000" in m for m in mismatches)
