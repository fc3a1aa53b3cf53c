from loaders.text.periods import is_timing_cell, read_schedule

"""Cell readers of the plan families (loaders.families.plan_cells), the PDF-text typing (loaders.families.plan_flow)
and the task-table rules that no shipped document exercises (sub-tasks, empty budgets)."""
from datetime import date

import pytest

from loaders.families import task_plan
from loaders.families.plan_cells import (
    TargetFormatError,
    is_unit_start,
    parse_target,
    read_amount,
    source_of,
    split_citations,
    unit_like,
)
from loaders.families.plan_flow import PlanTyper
from loaders.model import DocumentMeta
from loaders.tables.flow import read_flow


@pytest.mark.parametrize(
    "text, unit, vnd, note, envelope, problem",
    [
        ("30.000.000 đồng (kinh phí pháp chế)", "đồng", 30_000_000, "kinh phí pháp chế", None, False),
        ("45,5", "triệu đồng", 45_500_000, None, None, False),
        ("2.5", "tỷ đồng", 2_500_000_000, None, None, False),
        ("20 (giai đoạn 1 năm 2026 – 2028: Tổng kinh phí 55 tỷ đồng)", "tỷ đồng", 20_000_000_000,
         "giai đoạn 1 năm 2026 – 2028: Tổng kinh phí 55 tỷ đồng", "Tổng kinh phí 55 tỷ đồng", False),
        ("50 triệu", "đồng", 50_000_000, None, None, False),  # the cell's unit wins
        ("30 tr.đ", "đồng", 30_000_000, None, None, False),
        ("50.000.00", "đồng", None, None, None, True),
        ("45.000.000 đồng cấp bổ sung", "đồng", 45_000_000, None, None, True),
    ],
)
def test_read_amount(text, unit, vnd, note, envelope, problem):
    a = read_amount(text, unit)
    assert (a.amount_vnd, a.note, a.envelope, bool(a.problem)) == (vnd, note, envelope, problem)


def test_budget_cells_without_amount():
    assert read_amount("-", "đồng").text is None  # no budget, nothing to warn about
    a = read_amount("Kinh phí nông thôn mới", "đồng")
    assert (a.amount_vnd, a.amount_text, a.note) == (None, None, "Kinh phí nông thôn mới")


def test_source_of_note_heading_and_unknown_note():
    assert source_of("kinh phí pháp chế", None)[0] == "OTHER"
    code, note, problem = source_of(None, "Đề xuất kinh phí ngân sách sự nghiệp KH&CN cấp (đồng)")
    assert (code, problem) == ("SNKH", None) and note.startswith("tiêu đề cột:")
    code, note, problem = source_of("nguồn chi thường xuyên, Trung ương giao", None)
    assert code == "UNSPECIFIED" and "nguồn" in problem  # never a silent default
    assert source_of("giai đoạn 2026 – 2027: Tổng kinh phí 15 tỷ đồng", None)[2] is None  # an envelope


@pytest.mark.parametrize(
    "text, completion, start, end, deadline, recurring",
    [
        ("Thường xuyên", False, None, None, None, "Thường xuyên"),
        ("Định kỳ ngày 25 hàng tháng", False, None, None, None, "Định kỳ ngày 25 hàng tháng"),
        ("2026 - 2030", False, date(2026, 1, 1), date(2030, 12, 31), None, None),
        ("Năm 2026", False, date(2026, 1, 1), date(2026, 12, 31), None, None),
        ("Quý II, III", False, date(2026, 4, 1), date(2026, 9, 30), date(2026, 9, 30), None),
        ("quý IV năm 2025", False, date(2025, 10, 1), date(2025, 12, 31), date(2025, 12, 31), None),
        ("30/6/2026", False, date(2026, 6, 30), date(2026, 6, 30), date(2026, 6, 30), None),
        ("30/6/2026", True, None, date(2026, 6, 30), date(2026, 6, 30), None),  # "Thời hạn": a deadline
        ("trước 30/1", False, None, date(2026, 1, 30), date(2026, 1, 30), None),
    ],
)
def test_read_schedule(text, completion, start, end, deadline, recurring):
    t = read_schedule(text, 2026, completion)
    assert (t.period_start, t.period_end, t.deadline, t.recurring, t.problems) == (start, end, deadline, recurring, [])


def test_timing_shape_is_the_whole_cell():
    assert is_timing_cell("Định kỳ ngày", 2026) and is_timing_cell("Tháng 13/2026", 2026)
    assert not is_timing_cell("giám sát thường xuyên", 2026)
    assert not is_timing_cell("Tháng 5 tổ chức hội nghị", 2026)


def test_relative_targets_are_not_guessed():
    with pytest.raises(TargetFormatError, match="tăng/giảm"):
        parse_target("Tăng 3 bậc")
    assert parse_target("Đạt") == (None, None, None, True)


@pytest.mark.parametrize(
    "text, unit",
    [("Phòng Quản lý khoa học", True), ("Văn phòng Sở,", True), ("Các đơn vị có", True), ("P. Quản lý công nghệ", True),
     ("Phòng thử nghiệm đạt chuẩn", False), ("Trung tâm dữ liệu của tỉnh", False), ("Các báo cáo", False),
     ("Công an tỉnh", True)],
)
def test_unit_names(text, unit):
    assert is_unit_start(text) is unit


def test_unit_continuations():
    assert unit_like("Tiêu chuẩn Đo lường") and unit_like("CM, đơn vị sự") and unit_like("và Ứng dụng KH&CN")
    assert not unit_like("Đường truyền Internet bảo") and not unit_like("Trung ương")


def test_citations_and_residue():
    legal, rest = split_citations("Kế hoạch số 2185/KH-UBND Trung ương ngày 20/5/2025 của UBND tỉnh; Chỉ tiêu mới")
    assert legal == "Kế hoạch số 2185/KH-UBND ngày 20/5/2025 của UBND tỉnh"
    assert rest == "Trung ương Chỉ tiêu mới"


# ----------------------------------------------------------------------------- PDF text


FLOW = """STT
Nội dung công việc Đơn vị chủ trì Thời gian thực hiện Kinh phí (triệu đồng)

1 Tập huấn sở hữu trí tuệ Phòng Quản lý chuyên ngành Quý II 120

2
Hội thảo khởi nghiệp đổi mới sáng
tạo tỉnh năm 2025
Trung tâm Hỗ trợ
khởi nghiệp
Tháng 9
45,5
""".splitlines()


def test_read_flow_with_the_code_alone_on_the_header_line():
    (table,) = read_flow(FLOW, "x.txt", PlanTyper(2025))
    assert table.header.roles() == ["code", "description", "lead", "period", "amount"]
    assert table.header.columns[4].unit == "triệu đồng"
    first, second = table.rows
    assert [first.text_of(r) for r in ("description", "lead", "period", "amount")] == [
        "Tập huấn sở hữu trí tuệ", "Phòng Quản lý chuyên ngành", "Quý II", "120"]
    assert second.text_of("description") == "Hội thảo khởi nghiệp đổi mới sáng tạo tỉnh năm 2025"
    assert second.text_of("lead") == "Trung tâm Hỗ trợ khởi nghiệp"
    assert (second.text_of("period"), second.text_of("amount")) == ("Tháng 9", "45,5")
    assert second.get("amount").line == 12


# ----------------------------------------------------------------------------- task rules


def _plan(rows: list[str]) -> list[str]:
    header = "TT\tNội dung công việc\tĐơn vị chủ trì\tThời gian thực hiện\tKinh phí (triệu đồng)"
    return ["KẾ HOẠCH NHIỆM VỤ NĂM 2025", header, *rows]


def test_sub_tasks_make_their_task_a_subtotal():
    lines = _plan([
        "1\tHội nghị khoa học\tVăn phòng Sở\tQuý II\t100",
        "1.1\tChuẩn bị tài liệu\tVăn phòng Sở\tTháng 4\t40",
        "1.2\tTổ chức hội nghị\tVăn phòng Sở\tTháng 5\t70",
        "-\tBáo cáo kết quả\tVăn phòng Sở\tTháng 6\t",
        "2\tKiểm tra đo lường\tThanh tra Sở\tQuý III\t-",
        "\tTổng cộng\t\t\t210",
    ])
    r = task_plan.parse(lines, DocumentMeta(file_name="x.txt"))
    assert [t.task_id for t in r.tasks] == ["ST/1", "ST/1.1", "ST/1.2", "ST/1.2.1", "ST/2"]
    lines_by_id = {b.line_id: b for b in r.budget_lines}
    assert lines_by_id["ST/1"].is_subtotal and lines_by_id["ST/1.1"].parent_id == "ST/1"
    total, sub = sorted(r.totals, key=lambda t: t.kind)
    assert (total.kind, total.covers, total.printed_amount_vnd) == ("printed_total", ["ST/1.1", "ST/1.2"], 210_000_000)
    assert (sub.kind, sub.covers, sub.printed_amount_vnd) == ("subtotal", ["ST/1.1", "ST/1.2"], 100_000_000)
    assert r.tasks[-1].budget_vnd is None and not [i for i in r.issues if "ST/2" in i.message]  # "-": no budget


def test_target_table_with_headings_printed_without_code():
    from loaders.families.plan_targets import parse

    t = "\t"
    lines = ["KẾ HOẠCH", "Giao chỉ tiêu năm 2025", "", t.join(["STT", "Chỉ tiêu", "Kế hoạch 2025", "Đơn vị chủ trì"]),
             t.join(["<b>Khoa học và công nghệ</b>", "", "", ""]),
             t.join(["1", "Số nhiệm vụ", "≥ 10 nhiệm vụ", "Phòng Quản lý khoa học"]),
             t.join(["<b>Đo lường</b>", "", "", ""]),
             t.join(["2", "Số phương tiện đo", "12.000 phương tiện", "Trung tâm Kỹ thuật TĐC"])]
    r = parse(lines, DocumentMeta(file_name="x.txt"))
    assert [(i.indicator_id, i.group, i.comparator, i.target_value, i.source_line) for i in r.indicators] == [
        ("CT/1", "Khoa học và công nghệ", ">=", 10.0, 6), ("CT/2", "Đo lường", "=", 12000.0, 8)]
