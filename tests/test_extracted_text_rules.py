"""Rules found by blind round 26 (plain text extracted from PDF or Word, as the seeds are, written
by a helper that never read the parsers: ``g2``, ``g3``), each on a small document of its own.

* rows of a money table in plain text that no reader knew (a report's budget table with a
  header wrapped over several lines) are named in one warning with their lines — the table
  was dropped without a word;
* "ĐỀ XUẤT DỰ TOÁN NGÂN SÁCH KH&CN NĂM 2021" over "TT | Nội dung | Kinh phí đề xuất" in a plan
  filed for 2019–2021: the title names the year of the columns that name none (the table was
  named unread).
"""
from __future__ import annotations

from tests.helpers import read_text_document

REPORT = """BÁO CÁO
Kết quả hoạt động khoa học và công nghệ quý III năm 2025

I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ

1. Công tác quản lý khoa học

- Tổ chức nghiệm thu 05 nhiệm vụ KH&CN cấp tỉnh.

II. TÌNH HÌNH THỰC HIỆN DỰ TOÁN NGÂN SÁCH NHÀ NƯỚC

Đơn vị tính: 1.000 đồng

TT Nội dung
Dự toán năm

2025
Thực hiện quý

III năm 2025

I Chi sự nghiệp khoa học và công nghệ 38.460.000 9.215.400

1
Thực hiện các nhiệm vụ KH&CN cấp tỉnh
21.500.000 5.830.000

2
Hoạt động KH&CN phục vụ quản lý nhà nước
16.960.000 3.385.400

 Tổng cộng 38.460.000 9.215.400

III. NHIỆM VỤ TRỌNG TÂM QUÝ IV NĂM 2025

- Hoàn thành nghiệm thu các nhiệm vụ KH&CN kết thúc năm 2025.
"""


def test_rows_of_a_money_table_no_reader_knew_are_named(tmp_path):
    result = read_text_document(tmp_path, "bc.txt", REPORT, "Quảng Ninh", 2025, "report")
    named = [i for i in result.issues if "dòng có số tiền như dòng của một bảng" in i.message]
    assert len(named) == 1 and not result.budget_lines
    assert "dòng 22, 26, 30" in named[0].message


PLAN = """KẾ HOẠCH KHOA HỌC VÀ CÔNG NGHỆ NĂM 2021
II. Tình hình thực hiện năm 2019 và 2020

Đơn vị tính: triệu đồng

TT\tNội dung\tKH UBND giao năm 2019\tThực hiện năm 2019\tKH UBND giao năm 2020\tƯớc thực hiện năm 2020
I\tKinh phí sự nghiệp khoa học và công nghệ\t3.000\t2.950\t3.200\t3.100

III. Đề xuất dự toán ngân sách KH&CN năm 2021

ĐỀ XUẤT DỰ TOÁN NGÂN SÁCH KH&CN NĂM 2021

Đơn vị tính: triệu đồng

TT\tNội dung\tKinh phí đề xuất\tGhi chú
I\tKinh phí sự nghiệp khoa học và công nghệ\t3.550\t
1\tNhiệm vụ KH&CN cấp tỉnh\t2.350\t
2\tHoạt động KH&CN cấp huyện\t1.200\t
\tTỔNG CỘNG\t3.550\t
"""


def test_a_proposal_table_takes_the_year_its_title_names(tmp_path):
    from pathlib import Path

    from loaders.documents import ManifestEntry, read_document

    path = Path(tmp_path) / "kh.txt"
    path.write_text(PLAN, encoding="utf-8")
    result = read_document(path, ManifestEntry(file=path.name, province="Hà Tĩnh", fiscal_years=[2019, 2020, 2021],
                                               kind="plan"))
    leaves = [(b.fiscal_year, b.phase_vn, b.amount_vnd) for b in result.budget_lines
              if not b.is_subtotal and b.fiscal_year == 2021]
    assert leaves == [(2021, "đề xuất", 2_350_000_000), (2021, "đề xuất", 1_200_000_000)]
    assert [t.status for t in result.totals if t.kind == "printed_total" and t.fiscal_year == 2021] == ["match"]


def test_a_source_printed_between_the_timing_and_the_amount():
    from loaders.tables.spaced import split_spaced

    assert split_spaced("Hội nghị tổng kết công tác KH&CN năm 2022 Quý I SNKH 25.000.000") == {
        "amount": "25.000.000", "note": "SNKH", "period": "Quý I", "description": "Hội nghị tổng kết công tác KH&CN năm 2022"}
    # the seeds' order (the amount, then its note) is read as before
    assert split_spaced("Tuyên truyền Quý II 40.000.000 Nguồn SNKH") == {
        "amount": "40.000.000", "period": "Quý II", "note": "Nguồn SNKH", "description": "Tuyên truyền"}
    # a description ending with words that are no source keeps them
    assert split_spaced("Kiểm tra Quý II chất lượng 25.000.000")["description"] == "Kiểm tra Quý II chất lượng"


def test_a_source_abbreviation_right_before_the_amount_on_a_row_without_timing():
    from loaders.tables.spaced import split_spaced

    assert split_spaced("Nhiệm vụ KH&CN cấp tỉnh SNKH 6.350.000.000") == {
        "amount": "6.350.000.000", "note": "SNKH", "description": "Nhiệm vụ KH&CN cấp tỉnh"}
    assert split_spaced("Nhiệm vụ KH&CN cấp quốc gia SNKH TW 1.200.000.000")["note"] == "SNKH TW"
    # "KH&CN" before it stays in the description; capitals that name no source stay too
    assert split_spaced("Hoạt động quản lý nhiệm vụ KH&CN SNKH 410.000.000")["description"] == "Hoạt động quản lý nhiệm vụ KH&CN"
    assert split_spaced("Đề án 06 TW 50.000.000") == {"amount": "50.000.000", "description": "Đề án 06 TW"}
    # "Nguồn SNKH" where the header puts the note before the amount is the whole note
    assert split_spaced("Khảo sát tại các huyện Nguồn SNKH 35.000.000", ("code", "description", "note", "amount"))[
        "note"] == "Nguồn SNKH"
