"""Rules found by blind round 24 (public forms as units publish them, written by a helper that
never read the parsers: ``d1``, ``d2``, ``d5``), each tested on a small document of its own.

* a subtotal saved as ``=SUM(D33,D34,D35)`` without its value, over a cell printing "-": Excel
  ignores text in the references of SUM, so does the formula reader (the subtotal was left
  without an amount);
* "TỔNG CỘNG CHI NGÂN SÁCH NHÀ NƯỚC (I+II+III)" in a form whose part A (fees) and part B
  (spending) both number their sections I, II, III: the total covers the part whose title holds
  the words it prints (the fee spending of part A was counted in, a false mismatch);
* lines listing units under one line ("- Trung tâm Kỹ thuật TĐC", "- Trung tâm Chuyển đổi số"):
  when one is a unit the vocabulary knows, each sibling named like an organisation is a unit
  too (as sections by unit already were).
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from loaders.documents import ManifestEntry, read_document
from tests.helpers import read_text_document


def _entry(path: Path, kind: str = "disclosure", year: int = 2024) -> ManifestEntry:
    return ManifestEntry(file=path.name, province="Quảng Ninh", fiscal_years=[year], kind=kind)


def test_a_sum_of_single_cells_ignores_a_dash_as_excel_does(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["CÔNG KHAI THỰC HIỆN DỰ TOÁN QUÝ I NĂM 2024"])
    ws.append(["ĐVT: Triệu đồng"])
    ws.append(["TT", "Nội dung", "Dự toán năm", "Ước thực hiện Quý I năm 2024"])
    ws.append(["1", "Kinh phí thực hiện nhiệm vụ khoa học công nghệ", "=SUM(C5,C6,C7)", "=SUM(D5,D6,D7)"])
    ws.append(["-", "Nhiệm vụ cấp quốc gia", 1200, "-"])
    ws.append(["-", "Nhiệm vụ cấp tỉnh", 8150, 1025.5])
    ws.append(["-", "Nhiệm vụ cấp cơ sở", 1000, 80])
    ws.append([None, "Tổng cộng", "=C4", "=D4+F4"])  # "+" over an empty cell: 0, as in Excel
    path = tmp_path / "ck.xlsx"
    wb.save(path)
    result = read_document(path, _entry(path))
    parent = {b.phase_vn: b.amount_vnd for b in result.budget_lines if b.code == "1"}
    assert parent == {"dự toán": 10_350_000_000, "ước thực hiện": 1_105_500_000}
    assert all(t.status == "match" for t in result.totals), [(t.label, t.status) for t in result.totals]


FORM = """CÔNG KHAI DỰ TOÁN NGÂN SÁCH NĂM 2022
Đơn vị tính: đồng
STT\tNội dung\tDự toán được giao
A\tDỰ TOÁN THU, CHI, NỘP NGÂN SÁCH PHÍ, LỆ PHÍ\t
I\tSố thu phí, lệ phí\t412.500.000
II\tChi từ nguồn thu phí được để lại\t268.000.000
III\tSố phí, lệ phí nộp ngân sách nhà nước\t144.500.000
B\tDỰ TOÁN CHI NGÂN SÁCH NHÀ NƯỚC\t
I\tChi quản lý hành chính\t3.800.000.000
II\tChi sự nghiệp khoa học và công nghệ\t10.570.000.000
III\tChi đầu tư phát triển\t2.000.000.000
\tTỔNG CỘNG CHI NGÂN SÁCH NHÀ NƯỚC (I+II+III)\t16.370.000.000
"""


def test_a_total_naming_its_part_covers_that_part_only(tmp_path):
    result = read_text_document(tmp_path, "ck.txt", FORM, "Nghệ An", 2022, "disclosure")
    total = next(t for t in result.totals if t.kind == "printed_total")
    assert (total.printed_amount_vnd, total.computed_amount_vnd, total.status) == (16_370_000_000, 16_370_000_000, "match")


UNITS = """DỰ TOÁN CHI NGÂN SÁCH NĂM 2026
Đơn vị tính: triệu đồng
STT\tNội dung\tDự toán năm 2026
I\tChi sự nghiệp khoa học và công nghệ\t11.717
1\tKinh phí hoạt động thường xuyên của các đơn vị sự nghiệp\t11.717
-\tTrung tâm Ứng dụng và Dịch vụ khoa học công nghệ\t4.812
-\tTrung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng\t3.960
-\tTrung tâm Chuyển đổi số\t2.945
\tTỔNG CỘNG\t11.717
"""


def test_units_listed_under_a_line_are_units(tmp_path):
    result = read_text_document(tmp_path, "dt.txt", UNITS, "Gia Lai", 2026, "budget_appendices")
    leaves = [(b.description, b.unit) for b in result.budget_lines if not b.is_subtotal]
    assert leaves == [(d, d) for d in ("Trung tâm Ứng dụng và Dịch vụ khoa học công nghệ",
                                       "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng", "Trung tâm Chuyển đổi số")]


SECTIONS = """DỰ TOÁN CHI NGÂN SÁCH NĂM 2025
Đơn vị tính: đồng
STT\tNội dung\tDự toán năm 2025
I\tVăn phòng Sở\t500.000.000
1\tChi quản lý hành chính\t500.000.000
II\tPhòng Quản lý khoa học (nhiệm vụ khoa học và công nghệ)\t700.000.000
1\tNhiệm vụ KH&CN cấp tỉnh chuyển tiếp\t700.000.000
\tTỔNG CỘNG\t1.200.000.000
"""


def test_a_unit_section_named_with_what_its_lines_are_about(tmp_path):
    """"II. Phòng Quản lý khoa học (nhiệm vụ khoa học và công nghệ)": the unit is the room, the
    parenthesis says what its lines are about (blind round 27, ``h2``)."""
    result = read_text_document(tmp_path, "dt.txt", SECTIONS, "Bình Định", 2025, "budget_appendices")
    assert {b.unit for b in result.budget_lines if b.code == "1"} == {"Văn phòng Sở", "Phòng Quản lý khoa học"}
