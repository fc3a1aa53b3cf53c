"""A Word or PDF plan of several appendices of different families, and a table of proposals
alone (blind rounds 19 and 21, documents ``z5`` and ``k6``; ``loaders.documents.family_parts``,
``loaders.families.proposal_table``).

* "Phụ lục I — chỉ tiêu", "Phụ lục II — nhiệm vụ", "Phụ lục III — dự toán" in one Word file:
  each appendix is read by its own family (only the budget was read, the targets and tasks
  named as not read); a table after a page break without a heading of its own goes on with
  the appendix before it;
* the tasks' money beside the document's own budget table is the budget's detail: kept on
  each task, not stored a second time as budget lines, and said in a warning;
* "Kinh phí đề xuất năm 2020" over "Tổng số | Nguồn SNKH | Vốn ĐTPT" (a plan letter's table of
  proposals, no other family's) is read like an estimate table, its lines proposals.
"""
from __future__ import annotations

from pathlib import Path

from loaders.documents import ManifestEntry, read_document
from tests.docgen import write_docx

PLAN = [
    ("p", "KẾ HOẠCH Hoạt động khoa học và công nghệ năm 2025"),
    ("p", "Phấn đấu hoàn thành các chỉ tiêu (Phụ lục I), nhiệm vụ (Phụ lục II), kinh phí (Phụ lục III)."),
    ("p", "Phụ lục I"),
    ("p", "CÁC CHỈ TIÊU CHỦ YẾU NĂM 2025"),
    ("table", [["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2025"],
               ["1", "Số nhiệm vụ KH&CN cấp tỉnh được nghiệm thu", "nhiệm vụ", "≥ 12"],
               ["2", "Số phương tiện đo được kiểm định", "phương tiện đo", "≥ 45.000"]]),
    ("p", "Phụ lục II"),
    ("p", "DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2025"),
    ("table", [["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành", "Kinh phí (triệu đồng)"],
               ["1", "Tuyển chọn nhiệm vụ KH&CN cấp tỉnh mở mới", "Phòng Quản lý khoa học", "30/6/2025", "4.480"],
               ["2", "Phát triển tài sản trí tuệ", "Phòng Quản lý công nghệ", "31/12/2025", "1.100"],
               ["3", "Thanh tra chuyên ngành", "Thanh tra Sở", "Quý IV/2025", "Không"]]),
    ("p", "Phụ lục III"),
    ("p", "DỰ TOÁN KINH PHÍ THỰC HIỆN KẾ HOẠCH NĂM 2025"),
    ("p", "Đơn vị tính: triệu đồng"),
    ("table", [["TT", "Nội dung", "Dự toán năm 2025", "Ghi chú"],
               ["A", "KINH PHÍ SỰ NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ", "6.180", ""],
               ["1", "Nhiệm vụ KH&CN cấp tỉnh mở mới", "4.480", ""],
               ["2", "Chương trình phát triển tài sản trí tuệ", "1.100", ""],
               ["3", "Nhiệm vụ KH&CN cấp cơ sở", "600", ""]]),
    ("page", None),
    ("table", [["B", "KINH PHÍ QUẢN LÝ HÀNH CHÍNH", "1.240", ""],
               ["1", "Kinh phí không thực hiện chế độ tự chủ", "1.240", ""],
               ["", "TỔNG CỘNG (A+B)", "7.420", ""]]),
    ("p", "GIÁM ĐỐC"),
]


def _read(path: Path, year: int):
    return read_document(path, ManifestEntry(file=path.name, province="Hà Tĩnh", fiscal_years=[year], kind="plan"))


def test_each_appendix_of_a_word_plan_is_read_by_its_own_family(tmp_path):
    result = _read(write_docx(PLAN, tmp_path / "kh.docx"), 2025)
    assert [(i.name, i.target_value) for i in result.indicators] == [
        ("Số nhiệm vụ KH&CN cấp tỉnh được nghiệm thu", 12.0), ("Số phương tiện đo được kiểm định", 45_000.0)]
    assert [(t.name, t.budget_vnd) for t in result.tasks] == [
        ("Tuyển chọn nhiệm vụ KH&CN cấp tỉnh mở mới", 4_480_000_000),
        ("Phát triển tài sản trí tuệ", 1_100_000_000), ("Thanh tra chuyên ngành", None)]
    leaves = [(b.code, b.amount_vnd, b.funding_source) for b in result.budget_lines if not b.is_subtotal]
    # the table after the page break goes on with Phụ lục III (its section B, its total)
    assert leaves == [("1", 4_480_000_000, "SNKH"), ("2", 1_100_000_000, "SNKH"), ("3", 600_000_000, "SNKH"),
                      ("1", 1_240_000_000, "QLNN")]
    assert {b.phase_vn for b in result.budget_lines} == {"dự toán"}  # the tasks' money is not stored again
    assert [(t.printed_amount_vnd, t.status) for t in result.totals if t.kind == "printed_total"] == [
        (7_420_000_000, "match")]
    assert any("chi tiết của bảng dự toán" in i.message for i in result.issues)


def test_a_word_file_of_one_family_is_still_read_whole(tmp_path):
    only_budget = PLAN[:2] + PLAN[10:]
    result = _read(write_docx(only_budget, tmp_path / "dt.docx"), 2025)
    assert not result.indicators and not result.tasks
    assert len([b for b in result.budget_lines if not b.is_subtotal]) == 4


PROPOSAL = [
    ("p", "KẾ HOẠCH khoa học và công nghệ và dự toán ngân sách năm 2020"),
    ("p", "Tổng kinh phí đề xuất năm 2020 là 6,500 tỷ đồng (chi tiết tại biểu dưới đây)."),
    ("p", "Đơn vị tính: Tỷ đồng"),
    ("table", [["TT", "Nội dung", "Kinh phí đề xuất năm 2020", None, None, "Ghi chú"],
               ["", "", "Tổng số", "Nguồn SNKH", "Vốn ĐTPT", ""],
               ["I", "Chi đầu tư phát triển", "3,000", "0,450", "2,550", ""],
               ["1", "Dự án nâng cao năng lực phòng thử nghiệm", "3,000", "0,450", "2,550", "Chuyển tiếp"],
               ["II", "Chi sự nghiệp khoa học và công nghệ", "3,500", "3,500", "-", ""],
               ["1", "Nhiệm vụ KH&CN cấp tỉnh chuyển tiếp", "2,125", "2,125", "-", ""],
               ["2", "Nhiệm vụ KH&CN cấp tỉnh mở mới", "1,375", "1,375", "-", ""],
               ["", "TỔNG CỘNG (I+II)", "6,502", "3,950", "2,550", ""]]),
]


def test_a_table_of_proposals_alone_is_read_as_proposals(tmp_path):
    result = _read(write_docx(PROPOSAL, tmp_path / "de_xuat.docx"), 2020)
    leaves = sorted((b.source_line, b.code, b.amount_vnd, b.funding_source, b.phase_vn)
                    for b in result.budget_lines if not b.is_subtotal)
    assert [x[1:] for x in leaves] == [("1", 450_000_000, "SNKH", "đề xuất"), ("1", 2_550_000_000, "DTPT", "đề xuất"),
                      ("1", 2_125_000_000, "SNKH", "đề xuất"), ("2", 1_375_000_000, "SNKH", "đề xuất")]
    # the printed 6,502 against 6,500 of lines: shown, never hidden
    mismatched = [t for t in result.totals if t.kind == "printed_total" and t.status == "mismatch"]
    assert [(t.printed_amount_vnd, t.computed_amount_vnd) for t in mismatched] == [(6_502_000_000, 6_500_000_000)]


def test_next_years_tasks_beside_this_years_budget_keep_their_lines(tmp_path):
    blocks = PLAN[:2] + PLAN[5:7] + [
        ("table", [["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian thực hiện", "Kinh phí đề xuất năm 2026 (triệu đồng)"],
                   ["1", "Tuyển chọn nhiệm vụ KH&CN cấp tỉnh mở mới", "Phòng Quản lý khoa học", "Năm 2026", "4.480"],
                   ["2", "Phát triển tài sản trí tuệ", "Phòng Quản lý công nghệ", "Năm 2026", "1.100"]])] + PLAN[8:]
    result = _read(write_docx(blocks, tmp_path / "kh.docx"), 2025)
    proposals = [(b.fiscal_year, b.amount_vnd) for b in result.budget_lines if b.task_id is not None]
    assert proposals == [(2026, 4_480_000_000), (2026, 1_100_000_000)]
    assert not any("chi tiết của bảng dự toán" in i.message for i in result.issues)
