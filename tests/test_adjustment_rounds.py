"""An adjustment decision whose table prints two rounds side by side (PUBLIC_FORMS.md: "One
year can have several rounds"): "Dự toán giao đầu năm | Điều chỉnh lần 1 (QĐ số …) | Dự toán
sau điều chỉnh lần 1 | Điều chỉnh lần 2 | Dự toán sau điều chỉnh lần 2". The document is this
decision's version: its change and its estimate after, and the estimate after the round before
as its "dự toán đã giao"; the earlier round belongs to its own decision (counted from its own
document) and is named, not stored; the sentence naming the earlier decision states that
decision's moves, not this one's. Before, the table was refused as two columns of one stage."""
from __future__ import annotations

from loaders.documents import ManifestEntry, read_document
from tests.helpers import read_text_document
from warehouse import store
from warehouse.queries import BudgetFilter, Warehouse

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


def test_the_document_is_its_own_round(tmp_path):
    result = _read(tmp_path)
    assert [v.version_id for v in result.versions] == ["3947/QĐ-UBND"]
    v = result.versions[0]
    # the estimate after round 1 is this decision's "dự toán đã giao"
    assert (v.before_vnd, v.after_vnd, v.increase_vnd, v.decrease_vnd, v.net_change_vnd) == (
        1_700_000_000, 1_900_000_000, 300_000_000, 100_000_000, 200_000_000)
    # "giảm 300.000.000 … (lần 1)" is the first decision's statement, not a mismatch of this one
    assert (v.printed_increase_vnd, v.printed_decrease_vnd, v.status) == (300_000_000, 100_000_000, "match")
    by = {(b.code, b.phase_vn): b.amount_vnd for b in result.budget_lines if b.amount_vnd is not None}
    assert by[("1", "dự toán đã giao")] == 700_000_000
    assert by[("1", "điều chỉnh")] == -100_000_000
    assert by[("1", "dự toán điều chỉnh")] == 600_000_000
    assert {b.version for b in result.budget_lines} == {"3947/QĐ-UBND"}
    assert {t.status for t in result.totals} == {"match"}
    assert not any("không rõ cột nào" in i.message for i in result.issues)


def test_the_earlier_round_is_named_not_stored(tmp_path):
    result = _read(tmp_path)
    named = [i.message for i in result.issues if "không phải quyết định này" in i.message]
    assert len(named) == 2 and any("1987/QĐ-UBND" in m for m in named)  # the original and round 1's change
    assert not any(b.amount_vnd == 1_000_000_000 for b in result.budget_lines)  # the original allocation


def test_a_row_that_does_not_follow_from_the_round_before_is_warned(tmp_path):
    result = _read(tmp_path, after3="450.000.000", total="1.850.000.000")
    problems = [i.message for i in result.issues if "dự toán đã giao 200.000.000 + điều chỉnh 300.000.000" in i.message]
    assert len(problems) == 1 and "dòng 3" in problems[0]


def test_the_pages_count_the_decision_once(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "dc_2020_lan2.txt").write_text(HEAD + TABLE.format(after3="500.000.000", total="1.900.000.000"), encoding="utf-8")
    (raw / "manifest.csv").write_text(
        "file,province,fiscal_years,kind\n" f"dc_2020_lan2.txt,{PROVINCE},{YEAR},decision\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    store.build(raw, db)
    wh = Warehouse(db)
    listed = wh.budget_versions(PROVINCE, YEAR)
    decision = listed[listed["kind"] == "decision"]
    assert list(decision["version_id"]) == ["3947/QĐ-UBND"]
    assert int(decision["total_vnd"].iloc[0]) == 1_900_000_000  # never round 1's after beside round 2's
    after = BudgetFilter(province=PROVINCE, fiscal_year=YEAR, phase_vn="dự toán điều chỉnh")
    assert wh.total(after) == 1_900_000_000


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
