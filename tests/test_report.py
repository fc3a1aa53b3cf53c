"""Tests of loaders.families.report on the Sơn La Q1/2024 report (data/raw/002_…)."""
from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
from helpers import printed, read, shows_value  # noqa: F401

from loaders.families import report
from loaders.families.prose.claim_records import is_partial
from loaders.model import DocumentMeta, IndicatorActual

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
FILE = RAW / "002_f08a4011d44ed5e3.txt"


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return read(FILE)


@pytest.fixture(scope="module")
def result(lines):
    return report.parse(lines, DocumentMeta(file_name=FILE.name))


def find(actuals, value, code):
    """The one actual of this value and catalogue code (names come from the catalogue)."""
    found = [a for a in actuals if a.value == value and a.code == code]
    assert len(found) == 1, (value, code, found)
    return found[0]


def parts_of(actuals, whole):
    return [a for a in actuals if a.parent_id == whole.actual_id]


def test_detect_only_this_layout():
    for path in sorted(RAW.glob("*.txt")):
        assert report.detect(read(path)) is (path.name == FILE.name), path.name


def test_period_and_meta(result, lines):
    assert result.actuals
    for a in result.actuals:
        assert (a.period, a.period_start, a.period_end, a.fiscal_year) == (
            "Q1/2024",
            date(2024, 1, 1),
            date(2024, 3, 31),
            2024,
        )
    assert (result.meta.layout, result.meta.fiscal_years) == ("report", [2024])
    assert not [i for i in result.issues if i.severity == "error"]
    # the province comes from the manifest or the command line, never from the text
    assert result.meta.province is None
    assert report.parse(lines, DocumentMeta(file_name=FILE.name, province="Lai Châu")).meta.province == "Lai Châu"


def test_instruments_breakdown_adds_up(result):
    whole = find(result.actuals, 5759, "instruments_verified")
    assert (whole.unit, whole.source_line, whole.parent_id) == ("phương tiện đo", 228, None)
    parts = parts_of(result.actuals, whole)
    assert [p.value for p in parts] == [3544, 77, 194, 298, 1646]
    assert sum(p.value for p in parts) == whole.value
    assert [p.source_line for p in parts] == [228, 228, 230, 230, 230]
    assert {p.unit for p in parts} == {"phương tiện đo"}
    assert [p.code for p in parts] == ["instruments_verified"] * 5
    assert [p.name.rsplit(" – ", 1)[1] for p in parts] == ["dung tích", "khối lượng", "áp suất", "độ dài", "điện/điện tử"]


def test_samples_breakdown_adds_up(result):
    whole = find(result.actuals, 222, "samples_tested")
    assert (whole.unit, whole.source_line) == ("mẫu", 226)
    parts = parts_of(result.actuals, whole)
    assert [(p.value, p.code, p.name) for p in parts] == [
        (143, "samples_tested", f"{whole.name} – dây điện"),
        (8, "samples_tested", f"{whole.name} – vật liệu xây dựng"),
        (71, "samples_tested", f"{whole.name} – nước"),
    ]
    assert sum(p.value for p in parts) == whole.value


def test_fines_and_units_paying(result):
    units = find(result.actuals, 8, "sanctioned_units")
    paid = find(result.actuals, 7, "sanctioned_units_paid")
    unpaid = find(result.actuals, 1, "sanctioned_units_unpaid")
    assert paid.parent_id == unpaid.parent_id == units.actual_id
    assert paid.note.startswith("07/08") and unpaid.note.startswith("01/08")
    fine_paid = find(result.actuals, 74_000_000, "fines_collected_vnd")
    fine_unpaid = find(result.actuals, 11_000_000, "fines_outstanding_vnd")
    assert fine_paid.parent_id is None and fine_unpaid.parent_id is None
    assert (fine_paid.unit, fine_paid.source_line) == ("đồng", 159)
    assert (fine_unpaid.unit, fine_unpaid.source_line) == ("đồng", 161)


def test_check_breakdowns_passes_on_the_document(result):
    assert report.check_breakdowns(result.actuals) == []
    assert not [i for i in result.issues if "≠" in i.message]


def test_check_breakdowns_reports_a_broken_copy(result):
    broken = copy.deepcopy(result.actuals)
    whole = find(broken, 5759, "instruments_verified")
    part = find(broken, 77, "instruments_verified")
    part.value = 78
    issues = report.check_breakdowns(broken)
    assert len(issues) == 1
    assert issues[0].line == whole.source_line == 228
    assert "5.759" in issues[0].message and "5.760" in issues[0].message


def test_check_breakdowns_other_failures(result):
    broken = copy.deepcopy(result.actuals)
    samples = find(broken, 222, "samples_tested")
    find(broken, 71, "samples_tested").unit = "lít"
    orphan = IndicatorActual("X/1/1", "mồ côi", "Q1/2024", 1, source_line=1, parent_id="X/0/0")
    cchc = find(broken, 13, "web_documents_updated")
    cchc.value = 70  # an "of which" part larger than its whole (67)
    messages = [i.message for i in report.check_breakdowns(broken + [orphan])]
    assert any("lít" in m for m in messages)
    assert any("X/0/0" in m for m in messages)
    assert any("lớn hơn tổng 67" in m for m in messages)
    assert samples.value == 222


def test_of_which_part_is_not_a_full_breakdown(result):
    docs = find(result.actuals, 67, "web_documents_updated")
    cchc = find(result.actuals, 13, "web_documents_updated")
    assert cchc.parent_id == docs.actual_id and cchc.name.endswith("cải cách hành chính")
    assert is_partial(cchc) and not is_partial(docs)


@pytest.mark.parametrize(
    "line, value, unit, code",
    [
        (29, 1, "đề xuất", "st_order_proposals"),
        (65, 6, "hồ sơ", "radiation_licences"),
        (67, 1, "hồ sơ", "radiation_worker_certificates"),
        (68, 13, "dự án", "technology_appraisals"),
        (144, 0, "đơn thư", "complaints_received"),
        (163, 3, "hồ sơ", "penalty_cases"),
        (193, 5, "UBND huyện", "traceability_proposers"),
        (197, 92, "sản phẩm, hàng hóa", "traceability_products"),
        (201, 8, "tổ chức, đơn vị", "metrology_programme_proposals"),
        (250, 23, "tin, bài", "web_articles"),
        (264, 3, "hồ sơ", "st_results_registered"),
        (457, 246, "nhiệm vụ", "assigned_tasks_completed"),
    ],
)
def test_spot_checks(result, line, value, unit, code):
    found = [a for a in result.actuals if (a.source_line, a.value) == (line, value)]
    assert len(found) == 1, found
    assert (found[0].unit, found[0].code) == (unit, code)


def test_every_source_line_shows_its_value(lines, result):
    for a in result.actuals:
        assert shows_value(lines[a.source_line - 1], a.value), (a.actual_id, a.value)
        assert shows_value(a.sentence, a.value), (a.actual_id, a.sentence)
        assert a.name and a.unit


def test_ids(result):
    ids = [a.actual_id for a in result.actuals]
    assert len(ids) == len(set(ids))
    for a in result.actuals:
        prefix, line, k = a.actual_id.split("/")
        assert (prefix, int(line)) == ("BC", a.source_line) and int(k) >= 1


def test_every_number_was_read(result):
    assert not [i for i in result.issues if "chưa được đọc" in i.message]


def test_q2_focus_tasks(result):
    tasks = result.tasks
    assert len(tasks) == 46
    assert [t.task_id for t in tasks] == [f"BC/Q2/{k}" for k in range(1, 47)]
    for t in tasks:
        assert (t.kind, t.fiscal_year, t.timing_text) == ("task", 2024, "Quý II/2024")
        assert (t.period_start, t.period_end, t.deadline) == (date(2024, 4, 1), date(2024, 6, 30), date(2024, 6, 30))
        assert 538 < t.source_line < 817
    first = tasks[0]
    assert first.source_line == 542
    assert first.section == "Công tác Quản lý, thực hiện các nhiệm vụ KH&CN"
    assert first.name.endswith("thực hiện nhiệm vụ khoa học và công nghệ cấp tỉnh sử dụng ngân sách nhà nước trên địa bàn tỉnh Sơn La.")
    tbt = [t for t in tasks if t.name == "Hoàn thiện nội dung và xuất bản Bản tin TBT số 01, số 02 năm 2024."]
    assert len(tbt) == 1 and tbt[0].source_line == 659
    assert tbt[0].section == "Công tác Quản lý tiêu chuẩn đo lường chất lượng"
    sub = [t for t in tasks if t.source_line == 710][0]
    assert sub.section == "Hoạt động Trung tâm Hỗ trợ khởi nghiệp đổi mới sáng tạo › Công tác thông tin KHCN, tin học và thống kê KHCN"


def test_missing_title_is_an_error():
    r = report.parse(["BÁO CÁO", "", "nội dung"], DocumentMeta(file_name="x"))
    assert r.actuals == [] and r.issues[0].severity == "error"


def test_half_year_report_of_another_layout_year():
    lines = [
        "BÁO CÁO",
        "Kết quả hoạt động khoa học và công nghệ 6 tháng đầu năm 2025 và nhiệm vụ trọng tâm 6 tháng cuối năm 2025",
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Công tác thanh tra",
        "- Kiểm tra 12 (mười hai) cơ sở kinh doanh xăng dầu.",
        "II. NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI NĂM 2025",
        "- Kiểm tra nhà nước về đo lường.",
    ]
    assert report.detect(lines)
    r = report.parse(lines, DocumentMeta(file_name="x.txt", province="Bắc Giang"))
    assert [(a.value, a.unit, a.code, a.period, a.period_start, a.period_end, a.source_line) for a in r.actuals] == [
        (12, "cơ sở", "facilities_inspected", "H1/2025", date(2025, 1, 1), date(2025, 6, 30), 5)
    ]
    assert [(t.task_id, t.timing_text, t.period_start, t.deadline, t.source_line) for t in r.tasks] == [
        ("BC/H2/1", "6 tháng cuối năm 2025", date(2025, 7, 1), date(2025, 12, 31), 7)
    ]


def test_next_period_named_only_in_the_focus_heading():
    lines = [
        "BÁO CÁO",
        "Tình hình thực hiện nhiệm vụ khoa học và công nghệ quý I/2025",
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "- Cấp 03 giấy phép tiến hành công việc bức xạ.",
        "II. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II/2025",
        "- Tiếp tục cấp phép.",
    ]
    assert report.detect(lines)
    r = report.parse(lines, DocumentMeta(file_name="x.txt", province="Nam Định"))
    assert [(a.value, a.code, a.period) for a in r.actuals] == [(3, "radiation_licences", "Q1/2025")]
    assert [(t.task_id, t.timing_text, t.deadline) for t in r.tasks] == [("BC/Q2/1", "Quý II/2025", date(2025, 6, 30))]
    assert not report.detect(lines[:4])  # no focus part: another layout


def test_a_focus_task_names_its_lead_unit_and_deadline_in_a_parenthesis():
    from datetime import date

    from loaders.families.report import _task_remark

    assert _task_remark("Tổ chức Hội đồng tư vấn năm 2026 (chủ trì: Phòng KĐC; hoàn thành trước 31/8/2025).", 2025) == (
        "Tổ chức Hội đồng tư vấn năm 2026", "Phòng KĐC", date(2025, 8, 31), "hoàn thành trước 31/8/2025")
    # a parenthesis that names neither stays in the name
    text = "Kiểm tra chất lượng xăng dầu (dịp Quốc khánh 2/9)."
    assert _task_remark(text, 2025) == (text, None, None, None)
    assert _task_remark("Hợp nhất dữ liệu (Đơn vị chủ trì: Phòng HTS)", 2025) == ("Hợp nhất dữ liệu", "Phòng HTS", None, None)
