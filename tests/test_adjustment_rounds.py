"""An adjustment decision whose table prints two rounds side by side (PUBLIC_FORMS.md: "One
year can have several rounds"): "Dự toán giao đầu năm | Điều chỉnh lần 1 (QĐ số …) | Dự toán
sau điều chỉnh lần 1 | Điều chỉnh lần 2 | Dự toán sau điều chỉnh lần 2". Each round is a budget
version of its own (the decision its columns name, else this decision), its row checks start
from the round before, and the sentence naming the earlier decision states that decision's
moves, not this one's. A later decision printing an earlier round again is left out by the
write path's guard against figures counted twice (said, with the overlapping version)."""
from __future__ import annotations

from datetime import date

from loaders.documents import ManifestEntry, read_document
from tests.helpers import read_text_document
from warehouse import store
from warehouse.queries import Warehouse

PROVINCE, YEAR = "Bình Định", 2020

HEAD = """UBND TỈNH BÌNH ĐỊNH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 3947/QĐ-UBND\tBình Định, ngày 19 tháng 10 năm 2020

QUYẾT ĐỊNH
Về việc điều chỉnh dự toán kinh phí sự nghiệp khoa học và công nghệ năm 2020 (lần 2)
Căn cứ Quyết định số 1987/QĐ-UBND ngày 05/6/2020 của Chủ tịch UBND tỉnh về việc điều chỉnh dự toán (lần 1), theo đó điều chỉnh giảm 300.000.000 đồng của 01 nội dung để tăng cho 01 nội dung;
QUYẾT ĐỊNH:
Điều 1. Điều chỉnh dự toán kinh phí sự nghiệp khoa học và công nghệ năm 2020 (lần 2):
- Điều chỉnh giảm 100.000.000 đồng của 01 nội dung;
- Điều chỉnh tăng 300.000.000 đồng cho 01 nội dung.

PHỤ LỤC
ĐIỀU CHỈNH DỰ TOÁN KINH PHÍ SỰ NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ NĂM 2020
Đơn vị tính: đồng
"""
TABLE = (
    "STT\tNội dung\tDự toán giao đầu năm\tĐiều chỉnh lần 1 tăng (+), giảm (-) (QĐ số 1987/QĐ-UBND)"
    "\tDự toán sau điều chỉnh lần 1\tĐiều chỉnh lần 2 tăng (+), giảm (-)\tDự toán sau điều chỉnh lần 2\tGhi chú\n"
    "1\tNhiệm vụ cấp tỉnh chuyển tiếp\t1.000.000.000\t(300.000.000)\t700.000.000\t(100.000.000)\t600.000.000\t\n"
    "2\tNhiệm vụ cấp tỉnh mở mới\t500.000.000\t300.000.000\t800.000.000\t-\t800.000.000\t\n"
    "3\tHội đồng tư vấn\t200.000.000\t-\t200.000.000\t300.000.000\t{after3}\t\n"
    "\tTỔNG CỘNG\t1.700.000.000\t-\t1.700.000.000\t200.000.000\t{total}\t\n"
)


def _read(tmp_path, after3="500.000.000", total="1.900.000.000"):
    text = HEAD + TABLE.format(after3=after3, total=total)
    return read_text_document(tmp_path, "dc_2020_lan2.txt", text, PROVINCE, YEAR, "decision")


def test_each_round_is_a_version_of_its_own(tmp_path):
    result = _read(tmp_path)
    versions = {v.version_id: v for v in result.versions}
    assert list(versions) == ["1987/QĐ-UBND", "3947/QĐ-UBND"]
    first, second = versions["1987/QĐ-UBND"], versions["3947/QĐ-UBND"]
    assert (first.before_vnd, first.after_vnd, first.increase_vnd, first.decrease_vnd, first.net_change_vnd) == (
        1_700_000_000, 1_700_000_000, 300_000_000, 300_000_000, 0)
    # the second round starts from the estimate after the first
    assert (second.before_vnd, second.after_vnd, second.increase_vnd, second.decrease_vnd, second.net_change_vnd) == (
        1_700_000_000, 1_900_000_000, 300_000_000, 100_000_000, 200_000_000)
    # the earlier decision's number, its date from the sentence naming it; this one's from the head
    assert (first.decision_number, first.decision_date) == ("1987/QĐ-UBND", date(2020, 6, 5))
    assert (second.decision_number, second.decision_date) == ("3947/QĐ-UBND", date(2020, 10, 19))
    # "giảm 300.000.000 … (lần 1)" is the first decision's statement, not a mismatch of the second
    assert (first.printed_decrease_vnd, second.printed_decrease_vnd, second.printed_increase_vnd) == (
        300_000_000, 100_000_000, 300_000_000)
    assert first.status == second.status == "match"


def test_lines_carry_their_round_and_totals_check_per_column(tmp_path):
    result = _read(tmp_path)
    by = {(b.code, b.phase_vn, b.version): b.amount_vnd for b in result.budget_lines if b.amount_vnd is not None}
    assert by[("1", "dự toán đã giao", "1987/QĐ-UBND")] == 1_000_000_000
    assert by[("1", "điều chỉnh", "1987/QĐ-UBND")] == -300_000_000
    assert by[("1", "dự toán điều chỉnh", "1987/QĐ-UBND")] == 700_000_000
    assert by[("1", "điều chỉnh", "3947/QĐ-UBND")] == -100_000_000
    assert by[("1", "dự toán điều chỉnh", "3947/QĐ-UBND")] == 600_000_000
    assert not any("không rõ cột nào" in i.message for i in result.issues)
    assert {t.status for t in result.totals} == {"match"}


def test_a_row_that_does_not_follow_from_the_round_before_is_warned(tmp_path):
    result = _read(tmp_path, after3="450.000.000", total="1.850.000.000")
    problems = [i.message for i in result.issues if "dự toán sau lần điều chỉnh trước" in i.message]
    assert len(problems) == 1 and "dòng 3 (3947/QĐ-UBND)" in problems[0]


def test_each_round_is_listed_and_a_later_decision_restating_one_is_not_counted_twice(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "dc_2020_lan2.txt").write_text(HEAD + TABLE.format(after3="500.000.000", total="1.900.000.000"), encoding="utf-8")
    (raw / "manifest.csv").write_text(
        "file,province,fiscal_years,kind\n" f"dc_2020_lan2.txt,{PROVINCE},{YEAR},decision\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    store.build(raw, db)
    listed = Warehouse(db).budget_versions(PROVINCE, YEAR)
    assert list(listed[listed["kind"] == "decision"]["version_id"]) == ["1987/QĐ-UBND", "3947/QĐ-UBND"]
    # a later decision printing the same first round again: left out, and said (the write path's
    # guard against figures counted twice, warehouse.duplicates), never added to the first
    later = (HEAD + TABLE.format(after3="500.000.000", total="1.900.000.000")).replace("3947/QĐ-UBND", "4100/QĐ-UBND")
    later = later.replace("19 tháng 10", "20 tháng 11").replace("Hội đồng tư vấn", "Hội đồng tư vấn KH&CN")
    (raw / "dc_2020_lan3.txt").write_text(later, encoding="utf-8")
    with (raw / "manifest.csv").open("a", encoding="utf-8") as f:
        f.write(f"dc_2020_lan3.txt,{PROVINCE},{YEAR},decision\n")
    report = store.build(raw, db)
    assert any(e.startswith("dc_2020_lan3.txt") and "1987/QĐ-UBND" in e and "cộng hai lần" in e for e in report.excluded)
    listed = Warehouse(db).budget_versions(PROVINCE, YEAR)
    assert list(listed[listed["kind"] == "decision"]["version_id"]) == ["1987/QĐ-UBND", "3947/QĐ-UBND"]


def test_one_round_reads_as_before(tmp_path):
    """A table of one round: one version, the document's number, no round in the line ids."""
    text = HEAD + (
        "STT\tNội dung\tDự toán đã giao\tĐiều chỉnh tăng (+), giảm (-)\tDự toán sau điều chỉnh\n"
        "1\tNhiệm vụ cấp tỉnh chuyển tiếp\t1.000.000.000\t(100.000.000)\t900.000.000\n"
        "2\tNhiệm vụ cấp tỉnh mở mới\t500.000.000\t300.000.000\t800.000.000\n"
        "\tTỔNG CỘNG\t1.500.000.000\t200.000.000\t1.700.000.000\n")
    result = read_document(_write(tmp_path, text), ManifestEntry(file="dc.txt", province=PROVINCE,
                                                                 fiscal_years=[YEAR], kind="decision"))
    assert [v.version_id for v in result.versions] == ["3947/QĐ-UBND"]
    assert {b.version for b in result.budget_lines} == {"3947/QĐ-UBND"}
    assert not any("lan" in b.line_id for b in result.budget_lines)


def _write(tmp_path, text):
    path = tmp_path / "dc.txt"
    path.write_text(text, encoding="utf-8")
    return path
