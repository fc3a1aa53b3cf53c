"""The Điện Biên 2026 S&T plan (003_…): Phụ lục I targets, Phụ lục II tasks, Phụ lục III projects.

Expected values below were read off the document (line numbers refer to ``cat -n``).
"""
from datetime import date
from pathlib import Path

import pytest

from loaders.families.plan_targets import TargetFormatError, detect, parse, parse_target
from loaders.model import DocumentMeta

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
PLAN_2026 = "003_912c6259a13f4ad4.txt"
OTHERS = [
    "000_3dbcd40b8eb90139.txt",
    "001_3dc3e512645fa543.txt",
    "002_f08a4011d44ed5e3.txt",
    "004_f16e394b373b4c86.txt",
]


def read(name: str) -> list[str]:
    return (RAW / name).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def lines():
    return read(PLAN_2026)


@pytest.fixture(scope="module")
def result(lines):
    return parse(lines, DocumentMeta(file_name=PLAN_2026))


def indicator(result, name_start):
    (found,) = [i for i in result.indicators if i.name.startswith(name_start)]
    return found


def task(result, task_id):
    (found,) = [t for t in result.tasks if t.task_id == task_id]
    return found


# --- detect ---------------------------------------------------------------------------


def test_detect_accepts_the_plan(lines):
    assert detect(lines)


@pytest.mark.parametrize("name", OTHERS)
def test_detect_rejects_the_other_documents(name):
    assert not detect(read(name))


def test_parse_refuses_another_layout():
    with pytest.raises(ValueError):
        parse(read(OTHERS[0]), DocumentMeta(file_name=OTHERS[0]))


# --- parse_target ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("≥ 0,7", (">=", 0.7, None, False)),
        ("> 28,6 điểm", (">", 28.6, "điểm", False)),
        ("17,5%", ("=", 17.5, "%", False)),
        ("≥ 65%", (">=", 65.0, "%", False)),
        ("60% (phát triển mới trên 250 trạm 5G)", ("=", 60.0, "%", False)),
        # The parenthesis restates the target as a floor ("Trên" = above): ">=".
        ("9,5 người/1 vạn dân (Trên 600 người)", (">=", 9.5, "người/1 vạn dân", False)),
        # An approximate average duration is a ceiling: "<=".
        ("Trung bình khoảng 90 ngày (tính từ ngày chốt nhận hồ sơ)", ("<=", 90.0, "ngày", False)),
        ("Hoàn thành", (None, None, None, True)),
        ("> 08 doanh nghiệp", (">", 8.0, "doanh nghiệp", False)),
        ("08 sáng chế/giải pháp hữu ích", ("=", 8.0, "sáng chế/giải pháp hữu ích", False)),
        ("> 25 nhiệm vụ/năm", (">", 25.0, "nhiệm vụ", False)),
        ("> 300 cán bộ (người)", (">", 300.0, "cán bộ", False)),
        ("≥ 0 công trình", (">=", 0.0, "công trình", False)),
        ("Trên 600 người", (">", 600.0, "người", False)),
        ("Tối thiểu 3 mô hình", (">=", 3.0, "mô hình", False)),
    ],
)
def test_parse_target(text, expected):
    assert parse_target(text) == expected


@pytest.mark.parametrize("text", ["20-40 dự án", "Hỗ trợ 5 dự án", "", "1,2,3 %"])
def test_parse_target_rejects_unreadable_numbers(text):
    with pytest.raises(TargetFormatError):
        parse_target(text)


# --- counts and totals ----------------------------------------------------------------


def test_counts(result):
    assert len(result.indicators) == 60
    assert len([t for t in result.tasks if t.kind == "task"]) == 58
    assert len([t for t in result.tasks if t.kind == "project"]) == 7


def test_project_budgets_total(result):
    projects = [t for t in result.tasks if t.kind == "project"]
    assert sum(t.budget_vnd for t in projects) == 141_500_000_000
    assert [t.budget_vnd / 1e9 for t in projects] == [5, 20, 2.5, 30, 56, 23, 5]
    assert sum(b.amount_vnd for b in result.budget_lines) == 141_500_000_000


def test_ids_are_unique(result):
    ids = [i.indicator_id for i in result.indicators]
    assert len(set(ids)) == len(ids)
    task_ids = [t.task_id for t in result.tasks]
    assert len(set(task_ids)) == len(task_ids)
    assert len({b.line_id for b in result.budget_lines}) == 7


def test_every_indicator_target_is_read(result):
    assert all(i.parsed for i in result.indicators)
    qualitative = [i for i in result.indicators if i.qualitative]
    assert len(qualitative) == 6
    assert all(i.comparator is None and i.target_value is None and i.target_text == "Hoàn thành" for i in qualitative)
    assert all(i.comparator in {"=", ">=", ">", "<=", "<"} for i in result.indicators if not i.qualitative)
    assert all(i.lead_unit and i.legal_basis for i in result.indicators)


def test_every_task_timing_is_read(result):
    for t in result.tasks:
        if t.kind == "task":
            assert t.timing_text, t.task_id
            assert t.deadline or t.recurring or (t.period_start and t.period_end), t.task_id
            assert t.lead_unit, t.task_id


# --- source lines ---------------------------------------------------------------------


def _first_words(text: str, n: int = 3) -> str:
    return " ".join(text.split()[:n])


def test_source_lines_point_at_the_names(result, lines):
    for ind in result.indicators:
        assert _first_words(ind.name) in lines[ind.source_line - 1], ind.indicator_id
    for t in result.tasks:
        assert _first_words(t.name) in lines[t.source_line - 1], t.task_id
    for b in result.budget_lines:
        assert b.amount_text in lines[b.source_line - 1].split(), b.line_id
        assert _first_words(b.description) in lines[b.description_line - 1], b.line_id


# --- Phụ lục I spot checks ------------------------------------------------------------


def test_indicator_on_one_line(result):
    ind = indicator(result, "Chỉ số chuyển đổi số cấp tỉnh")  # line 206
    assert ind.source_line == 206
    assert (ind.comparator, ind.target_value, ind.target_unit) == (">=", 0.7, None)
    assert ind.lead_unit == "Phòng KĐC"
    assert ind.legal_basis == "Kế hoạch số 2185/KH-UBND ngày 20/5/2025 của UBND tỉnh"
    assert ind.group == "Về chuyển đổi số"
    assert ind.subgroup == "Chuyển đổi số trong hệ thống chính trị"
    assert ind.indicator_id == "PLI/2.1/1"


def test_indicator_wrapped_over_lines(result):
    ind = indicator(result, "Tỉ trọng đóng góp của năng suất nhân tố tổng hợp")  # lines 188-200
    assert ind.name == "Tỉ trọng đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế"
    assert (ind.target_text, ind.comparator, ind.target_value, ind.target_unit) == ("50%", "=", 50.0, "%")
    assert ind.lead_unit == "Phòng TĐC"
    assert ind.legal_basis == (
        "Nghị quyết số 17-NQ/TU ngày 27/02/2026; Kế hoạch số 1876/KH-UBND ngày 17/3/2026 của UBND tỉnh"
    )
    assert ind.group == "Mục tiêu đóng góp cho tăng trưởng" and ind.subgroup is None


def test_plus_indicators_sit_under_their_heading(result):
    ind = indicator(result, "Tỷ lệ phủ sóng 5G trên địa bàn")  # "+" under "- Về hạ tầng…", line 213
    assert ind.subgroup == "Chuyển đổi số trong hệ thống chính trị / Về hạ tầng, nền tảng số và dữ liệu dùng chung"
    assert ind.target_text == "60% (phát triển mới trên 250 trạm 5G)"
    assert ind.target_value == 60.0 and ind.target_unit == "%"
    assert ind.lead_unit == "Phòng HTS"
    assert ind.indicator_id == "PLI/2.1/2.1"
    headings = [i for i in result.indicators if i.name.startswith("Về ")]
    assert headings == []


def test_special_targets(result):
    workforce = indicator(result, "Nhân lực thực hiện công tác nghiên cứu khoa học")  # line 576
    assert (workforce.comparator, workforce.target_value, workforce.target_unit) == (">=", 9.5, "người/1 vạn dân")
    assert workforce.target_text == "9,5 người/1 vạn dân (Trên 600 người)"
    approval = indicator(result, "Thời gian phê duyệt nhiệm vụ KHCN, ĐMST")  # line 615
    assert (approval.comparator, approval.target_value, approval.target_unit) == ("<=", 90.0, "ngày")
    pii = indicator(result, "Chỉ số về đổi mới sáng tạo (PII)")  # line 730
    assert (pii.comparator, pii.target_value, pii.target_unit, pii.lead_unit) == (">", 28.6, "điểm", "Phòng KĐC")
    incubator = indicator(result, "Hình thành vườn ươm/trung tâm đổi mới sáng tạo")  # lines 774-778
    assert (incubator.target_value, incubator.target_unit) == (1.0, "vườn ươm/trung tâm ĐMST")
    assert incubator.lead_unit == "Văn phòng Sở"


def test_name_cut_by_a_page_break_is_repaired(result):
    # Line 347 ends in the legal-basis column; "Trung ương" (line 354, after the page
    # header) finishes the name.
    ind = indicator(result, "Tỷ lệ cơ sở dữ liệu của tỉnh được số hóa")
    assert ind.name == "Tỷ lệ cơ sở dữ liệu của tỉnh được số hóa và liên thông với Trung ương"
    assert (ind.comparator, ind.target_value, ind.lead_unit) == (">", 50.0, "Trung tâm ĐMST")
    assert ind.legal_basis == "Kế hoạch số 2185/KH-UBND ngày 20/5/2025 của UBND tỉnh"
    assert any(i.line == 354 and "Trung ương" in (i.text or "") for i in result.issues)


def test_footnote_becomes_the_note(result):
    ind = indicator(result, "Thương mại hóa thành công sản phẩm")  # marker ")1" line 638, footnote line 671
    assert ind.name.endswith("UAV...)")
    assert ind.note.startswith("Tiêu chí tối thiểu để ghi nhận việc “thương mại hóa thành công”")
    assert (ind.target_value, ind.target_unit) == (5.0, "sản phẩm")
    after = indicator(result, "Tỷ lệ kết quả nghiên cứu được ứng dụng")  # legal basis runs over the footnote
    assert after.legal_basis.endswith("Kế hoạch số 2185/KH-UBND ngày 20/5/2025 của UBND tỉnh")


def test_unreadable_target_is_kept_with_an_issue(lines):
    changed = list(lines)
    assert changed[168].startswith("- Tỉ trọng giá trị tăng thêm")  # line 169
    changed[168] = changed[168].replace("17% Phòng KĐC", "17-20% Phòng KĐC")
    res = parse(changed, DocumentMeta(file_name="x"))
    assert len(res.indicators) == 60
    ind = indicator(res, "Tỉ trọng giá trị tăng thêm")
    assert ind.parsed is False and ind.target_text == "17-20%" and ind.comparator is None
    assert any(i.line == 169 and "PLI/1/1" in i.message for i in res.issues)


# --- Phụ lục II spot checks -----------------------------------------------------------


def test_task_with_deadline(result):
    t = task(result, "PLII/II/1")  # lines 1203-1243
    assert t.name.startswith("Rà soát, tham mưu cấp có thẩm quyền điều chỉnh")
    assert t.section == "II Về hoàn thiện thể chế, chính sách"
    assert t.lead_unit == "Phòng KĐC"
    assert t.partners == "Các phòng CM, đơn vị sự nghiệp thuộc Sở"
    assert t.timing_text == "30/6/2026" and t.deadline == date(2026, 6, 30)
    assert t.note == "Kế hoạch số 1876/KH-UBND ngày 17/3/2026 của UBND tỉnh"
    assert t.expected_result.endswith("để thống nhất, thông suốt")


def test_recurring_and_multi_year_tasks(result):
    assert task(result, "PLII/I/1").recurring == "Thường xuyên"
    monthly = task(result, "PLII/I/3")
    assert monthly.recurring == "Định kỳ ngày 25 hàng tháng" and monthly.deadline is None
    assert task(result, "PLII/I/7").recurring == "Định kỳ ngày 10 hàng tháng"
    horizon = task(result, "PLII/III.1/1")
    assert horizon.timing_text == "2026-2030"
    assert (horizon.period_start, horizon.period_end) == (date(2026, 1, 1), date(2030, 12, 31))
    assert task(result, "PLII/IV.1/2").period_end == date(2029, 12, 31)
    assert task(result, "PLII/VI/2").deadline == date(2026, 5, 31)


def test_units_split_into_lead_and_partners(result):
    t = task(result, "PLII/I/8")  # lines 1136-1150
    assert t.lead_unit == "Văn phòng Sở, Phòng KĐC, HTS, Trung tâm ĐMST theo chức năng nhiệm vụ"
    assert t.partners == "Các đơn vị có liên quan"
    t = task(result, "PLII/II/4")  # lines 1335-1338
    assert (t.lead_unit, t.partners) == ("TT ĐMST", "Văn phòng Sở, Phòng KĐC")
    t = task(result, "PLII/VI/3")  # lines 3100-3103
    assert (t.lead_unit, t.partners) == ("Phòng KĐC", "Trung tâm ĐMST")


def test_merged_line_is_split_into_cells(result):
    # Line 1027: "5 Tổng hợp … tỉnh Phòng KĐC Các phòng Các nhiệm vụ được theo dõi, Định kỳ ngày Kế hoạch số"
    t = task(result, "PLII/I/5")
    assert t.source_line == 1027
    assert t.name.endswith("của Ban Chỉ đạo Trung ương trên Hệ thống https://theodoinq.dcs.vn")
    assert t.lead_unit == "Phòng KĐC"
    assert t.partners == "Các phòng CM, đơn vị sự nghiệp thuộc Sở"
    assert t.expected_result == "Các nhiệm vụ được theo dõi, giám sát thường xuyên"
    assert t.recurring == "Định kỳ ngày 25 hàng tháng"
    assert t.note == "Kế hoạch số 1876/KH-UBND ngày 17/3/2026 của UBND tỉnh"


def test_rows_cut_by_page_breaks(result):
    # Name continues after the header (lines 2926-2928), result does not.
    t = task(result, "PLII/V/2")
    assert t.name.endswith("đồng thời tạo thuận lợi, không làm gián đoạn công tác của người học")
    assert t.expected_result == "Các báo cáo kết quả triển khai thực hiện"
    # Name and result both continue (lines 3123-3129).
    t = task(result, "PLII/VI/3")
    assert t.name.endswith("thiết kế, thẩm định và triển khai khi cập nhật hoặc hoàn thiện Khung kiến trúc số của tỉnh")
    assert t.expected_result.endswith("được tích hợp đầy đủ trong Khung kiến trúc số của tỉnh")
    # Only the result continues (lines 1463-1479).
    t = task(result, "PLII/III.1/2")
    assert t.name.endswith("xúc tiến đầu tư và chuyển giao công nghệ.")
    assert t.expected_result.endswith("được chuyển giao cho doanh nghiệp, HTX…")
    # The lead unit continues after a page number "20" and the header (lines 2762-2772).
    t = task(result, "PLII/IV.1/19")
    assert t.lead_unit == "Văn phòng Sở, Phòng KĐC, HTS, Trung tâm ĐMST"
    assert t.partners == "Các đơn vị liên quan"
    assert t.expected_result is None
    assert not any(x.task_id == "PLII/IV.1/20" for x in result.tasks)


# --- Phụ lục III ----------------------------------------------------------------------


def test_project_with_multi_year_total(result):
    p = task(result, "PLIII/2")  # lines 3299-3329
    assert p.kind == "project"
    assert p.name == "Xây dựng hạ tầng kỹ thuật Trung tâm đổi mới sáng tạo tỉnh Điện Biên"
    assert p.lead_unit == "Văn phòng Sở"
    assert p.budget_vnd == 20_000_000_000
    assert p.budget_text == "20 (giai đoạn 1 năm 2026 – 2028: Tổng kinh phí 55 tỷ đồng)"
    assert "55 tỷ" in p.budget_note
    assert task(result, "PLIII/7").budget_note == "Tổng kinh phí 10 tỷ đồng"
    assert task(result, "PLIII/3").budget_vnd == 2_500_000_000  # "2.5" (line 3359)


def test_project_on_a_merged_line(result):
    p = task(result, "PLIII/6")  # line 3447: lead, result and amount on one line
    assert p.lead_unit == "Văn phòng Sở"
    assert p.expected_result == "Nâng cấp mở rộng, Hệ thống hội nghị trực tuyến tỉnh"
    assert p.budget_vnd == 23_000_000_000


def test_project_budget_lines(result):
    by_id = {b.line_id: b for b in result.budget_lines}
    assert list(by_id) == [f"PLIII/{n}" for n in range(1, 8)]
    b = by_id["PLIII/4"]
    assert (b.phase, b.phase_vn, b.direction) == ("proposed", "đề xuất", "expenditure")
    assert (b.fiscal_year, b.period, b.quarters) == (2026, "Năm 2026", (1, 2, 3, 4))
    assert (b.amount_vnd, b.amount_text, b.amount_unit) == (30_000_000_000, "30", "tỷ đồng")
    assert (b.unit, b.appendix, b.code, b.section, b.task_id) == ("Văn phòng Sở", "Phụ lục III", "4", "III", "PLIII/4")
    assert b.source_line == 3417
    assert all(x.funding_source == "UNSPECIFIED" for x in result.budget_lines)
    assert by_id["PLIII/5"].funding_note == "nguồn chi thường xuyên, Trung ương giao"
    assert by_id["PLIII/2"].note == task(result, "PLIII/2").budget_note


def test_no_printed_total_in_this_document(result):
    assert result.totals == []


@pytest.mark.parametrize("tail", [["Tổng cộng 141,5"], ["TỔNG CỘNG", "", "141,5"]])
def test_printed_total_when_present(lines, tail):
    res = parse(list(lines) + [""] + tail, DocumentMeta(file_name="x"))
    (total,) = res.totals
    assert total.kind == "printed_total" and total.phase_vn == "đề xuất"
    assert total.printed_amount_vnd == 141_500_000_000
    assert total.covers == [f"PLIII/{n}" for n in range(1, 8)]
    assert total.computed_amount_vnd is None and total.status is None
    assert len(res.budget_lines) == 7


# --- metadata -------------------------------------------------------------------------


def test_meta_from_the_text(result):
    meta = result.meta
    assert meta.number is None  # "Số:          /KH-SKHCN": left blank in the draft
    assert any(i.line == 10 and "Số văn bản" in i.message for i in result.issues)
    assert meta.issued_date is None and meta.issued_text == "tháng 3 năm 2026"
    assert meta.title.startswith("Kế hoạch Triển khai thực hiện phát triển khoa học")
    assert meta.title.endswith("năm 2026")
    assert meta.fiscal_years == [2026]
    assert meta.province == "Điện Biên"
    assert (meta.kind, meta.layout) == ("plan", "plan_targets")


def test_meta_keeps_given_fields(lines):
    given = DocumentMeta(file_name="x", province="Điện Biên", title="Tiêu đề manifest", number="12/KH-SKHCN")
    res = parse(lines, given)
    assert res.meta is given
    assert (res.meta.title, res.meta.number, res.meta.province) == ("Tiêu đề manifest", "12/KH-SKHCN", "Điện Biên")


@pytest.mark.parametrize(
    "printed, expected",
    [
        # One timing reader for every plan table: a window shorter than a year ends on its
        # deadline (as in the task plans); several years have none, and one whole year has one
        # only because this column says "Thời gian hoàn thành" (due by the end of 2026).
        ("Quý II/2026", {"period_start": date(2026, 4, 1), "period_end": date(2026, 6, 30), "deadline": date(2026, 6, 30)}),
        ("Quý I,II", {"period_start": date(2026, 1, 1), "period_end": date(2026, 6, 30), "deadline": date(2026, 6, 30)}),
        ("Tháng 6-11", {"period_start": date(2026, 6, 1), "period_end": date(2026, 11, 30), "deadline": date(2026, 11, 30)}),
        ("trước 30/1", {"deadline": date(2026, 1, 30), "period_end": date(2026, 1, 30)}),
        ("Năm 2026", {"period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31), "deadline": date(2026, 12, 31)}),
        ("2026-2030", {"period_start": date(2026, 1, 1), "period_end": date(2030, 12, 31)}),
        ("Hằng tháng", {"recurring": "Hằng tháng"}),
    ],
)
def test_other_timing_forms(lines, printed, expected):
    changed = list(lines)
    assert changed[1234].strip() == "30/6/2026"  # line 1235: timing of PLII/II/1
    changed[1234] = printed
    t = task(parse(changed, DocumentMeta(file_name="x")), "PLII/II/1")
    assert t.timing_text == printed
    for key in ("deadline", "period_start", "period_end", "recurring"):
        assert getattr(t, key) == expected.get(key), key


def test_unreadable_timing_is_reported(lines):
    changed = list(lines)
    changed[1234] = "Tháng 13/2026"
    res = parse(changed, DocumentMeta(file_name="x"))
    t = task(res, "PLII/II/1")
    assert t.timing_text == "Tháng 13/2026" and t.deadline is None and t.period_start is None
    assert any(i.line == 1235 and "PLII/II/1" in i.message for i in res.issues)


def test_a_document_heading_in_capitals_ends_a_target_table_without_appendix() -> None:
    """"Tên chỉ tiêu" names the indicators; "II. NHIỆM VỤ VÀ GIẢI PHÁP" (a Roman numeral the
    table's numbering does not expect, before a title in capitals) ends the table: the text
    below goes in no cell."""
    from loaders.families import plan_targets
    from loaders.model import DocumentMeta

    lines = [
        "STT Tên chỉ tiêu Chỉ tiêu năm 2025 Cơ quan chủ trì Ghi chú",
        "",
        "1 Số đơn đăng ký nhãn hiệu được hỗ trợ 20 đơn Phòng Quản lý chuyên ngành",
        "",
        "II. NHIỆM VỤ VÀ GIẢI PHÁP",
        "",
        "Tăng cường công tác quản lý nhà nước về khoa học và công nghệ.",
    ]
    assert plan_targets.detect(lines)
    r = plan_targets.parse(lines, DocumentMeta(file_name="x.txt", province="Bình Định", fiscal_years=[2025]))
    (ind,) = r.indicators
    assert (ind.name, ind.target_value, ind.target_unit) == ("Số đơn đăng ký nhãn hiệu được hỗ trợ", 20.0, "đơn")
    assert ind.lead_unit == "Phòng Quản lý chuyên ngành" and ind.note is None
