"""Tests of loaders.families.task_plan on the Sóc Trăng 2024 task plan (data/raw/004_…)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import read, read_text_document

from loaders.families import task_plan
from loaders.model import DocumentMeta
from loaders.text.numbers import to_vnd
from loaders.text.periods import read_schedule

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
FILE = RAW / "004_f16e394b373b4c86.txt"


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return read(FILE)


@pytest.fixture(scope="module")
def result(lines):
    return task_plan.parse(lines, DocumentMeta(file_name=FILE.name))


@pytest.fixture(scope="module")
def tasks(result):
    return {t.task_id: t for t in result.tasks}


def test_detect_only_this_layout():
    for path in sorted(RAW.glob("*.txt")):
        assert task_plan.detect(read(path)) is (path.name == FILE.name), path.name


def test_meta_filled(result, lines):
    assert result.meta.layout == "task_plan"
    assert result.meta.fiscal_years == [2024]
    # The province comes from the manifest or the command line, never from the parser.
    assert result.meta.province is None
    given = task_plan.parse(lines, DocumentMeta(file_name=FILE.name, province="Sóc Trăng")).meta
    assert given.province == "Sóc Trăng"


def test_eighty_tasks_in_order(result):
    assert len(result.tasks) == 80
    assert [t.task_id for t in result.tasks] == [f"ST/{n}" for n in range(1, 81)]
    assert all(t.kind == "task" and t.fiscal_year == 2024 for t in result.tasks)
    assert all(t.name and t.timing_text and t.lead_unit for t in result.tasks)
    assert not [i for i in result.issues if i.severity == "error"]


def test_eighteen_amounts_totalling(result):
    with_amount = [t for t in result.tasks if t.budget_vnd is not None]
    assert len(with_amount) == 18
    assert sum(t.budget_vnd for t in with_amount) == 1_800_506_000
    assert len(result.budget_lines) == 18
    assert sum(b.amount_vnd for b in result.budget_lines) == 1_800_506_000
    assert {b.task_id for b in result.budget_lines} == {t.task_id for t in with_amount}


def test_budget_line_fields(result, tasks):
    for b in result.budget_lines:
        t = tasks[b.task_id]
        assert b.line_id == t.task_id == f"ST/{b.code}"
        assert (b.phase, b.phase_vn, b.direction, b.fiscal_year) == ("proposed", "đề xuất", "expenditure", 2024)
        assert b.amount_unit == "đồng"
        assert b.amount_vnd == t.budget_vnd
        assert b.unit == t.lead_unit
        assert b.period == t.timing_text
        assert b.description == t.name
        assert b.funding_note == (t.budget_note or "tiêu đề cột: Đề xuất kinh phí ngân sách sự nghiệp KH&CN cấp (đồng)")


def test_funding_sources(result):
    by_id = {b.line_id: b for b in result.budget_lines}
    assert by_id["ST/4"].funding_source == "OTHER"  # kinh phí pháp chế
    assert by_id["ST/9"].funding_source == "OTHER"
    assert by_id["ST/54"].funding_source == "SNKH"  # kinh phí sự nghiệp KH&CN
    assert by_id["ST/2"].funding_source == "MIXED"  # sự nghiệp KH&CN và nguồn kinh phí khác
    assert by_id["ST/37"].funding_source == "SNKH"  # bare amount: inherits the column heading's source
    assert "tiêu đề cột" in by_id["ST/37"].funding_note
    assert by_id["ST/77"].amount_vnd == 30_288_500
    assert by_id["ST/52"].amount_vnd == 50_217_500


def test_row_split_across_pages_is_merged(tasks):
    # Task 2 starts on line 14; its result and budget cells continue on line 17 after the
    # repeated header (line 16).
    t2 = tasks["ST/2"]
    assert t2.source_line == 14
    assert t2.budget_vnd == 500_000_000
    assert t2.budget_text == "500.000.000 đồng (dự kiến kinh phí sự nghiệp KH&CN và nguồn kinh phí khác)"
    assert t2.budget_note == "dự kiến kinh phí sự nghiệp KH&CN và nguồn kinh phí khác"
    assert t2.expected_result.endswith("Tổ chức Hội thảo: Tháng 9/2024")
    assert "Hội thảo được tổ chức đảm bảo mục đích, yêu cầu đề ra" in t2.expected_result
    # Task 53's schedule continues on line 101 (timing cell only).
    t53 = tasks["ST/53"]
    assert t53.timing_text.endswith("15/9/2024: Hoàn chỉnh hồ sơ gửi đến Hội đồng Quốc gia.")
    assert t53.deadline == date(2024, 9, 15)
    assert t53.period_start == date(2024, 4, 1)
    assert "101" in t53.note
    # The continuation lines do not become tasks of their own.
    assert not {17, 101} & {t.source_line for t in tasks.values()}


def test_merge_of_a_synthetic_split_row():
    header = "STT\tNội dung công việc\tThời gian thực hiện\tĐơn vị chủ trì\tĐơn vị phối hợp\t" \
             "Dự kiến kết quả đạt được\tĐề xuất kinh phí ngân sách sự nghiệp KH&CN cấp (đồng)"
    lines = [
        "KẾ HOẠCH NHIỆM VỤ NĂM 2025",
        header,
        "<b>Nhóm A</b>\t\t\t\t\t\t",
        "1.\tViệc thứ nhất, phần đầu\tQuý I\tThanh tra Sở (An)\t\tKết quả\t1.000.000",
        "",
        header,
        "\tphần sau\t\t\t\t\t đồng (kinh phí sự nghiệp KH&CN)",
        "2.\tViệc thứ hai\tTháng 3\tVăn phòng\t\t\t",
    ]
    result = task_plan.parse(lines, DocumentMeta(file_name="synthetic"))
    t1, t2 = result.tasks
    assert t1.name == "Việc thứ nhất, phần đầu phần sau"
    assert t1.fiscal_year == 2025 and t1.section == "Nhóm A"
    assert (t1.lead_unit, t1.assignees) == ("Thanh tra Sở", "An")
    assert t1.budget_vnd == 1_000_000 and t1.budget_note == "kinh phí sự nghiệp KH&CN"
    assert result.budget_lines[0].funding_source == "SNKH"
    assert result.budget_lines[0].quarters == (1,)
    assert (t2.task_id, t2.source_line, t2.period_end) == ("ST/2", 8, date(2025, 3, 31))


def test_assignees_are_kept_apart(tasks):
    assert (tasks["ST/13"].lead_unit, tasks["ST/13"].assignees) == ("Văn phòng Sở", "Thuận")
    assert (tasks["ST/15"].lead_unit, tasks["ST/15"].assignees) == ("Văn phòng", "Kiều")
    assert (tasks["ST/26"].lead_unit, tasks["ST/26"].assignees) == ("Văn phòng", "Thuận, Cuộc, Kiều")
    assert (tasks["ST/27"].lead_unit, tasks["ST/27"].assignees) == (
        "Trung tâm Ứng dụng",
        "Lê Trung Tâm và Lữ Ngọc Lan Trinh",
    )
    assert (tasks["ST/1"].lead_unit, tasks["ST/1"].assignees) == ("Phòng Nghiệp vụ", None)
    assert all("(" not in t.lead_unit for t in tasks.values())
    # Partners are kept as printed, names included.
    assert tasks["ST/52"].partners == "Chi cục TĐC (Huỳnh Thị Thanh Liễu)"


def test_text_only_budget_cell_is_not_an_amount(result, tasks):
    for tid in ("ST/3", "ST/5", "ST/53"):
        t = tasks[tid]
        assert t.budget_vnd is None, tid
        assert t.budget_text, tid
        assert tid not in {b.task_id for b in result.budget_lines}
    assert tasks["ST/5"].budget_text == "Kinh phí nông thôn mới"
    assert tasks["ST/5"].budget_note == "Kinh phí nông thôn mới"
    assert tasks["ST/3"].budget_note is None
    flagged = {i.line for i in result.issues if "ô kinh phí" in i.message}
    assert flagged == {18, 22, 98}


def test_empty_budget_cells(tasks):
    assert tasks["ST/1"].budget_text is None and tasks["ST/1"].budget_vnd is None


def test_sections(result, tasks):
    assert len({t.section for t in result.tasks}) == 5
    assert tasks["ST/1"].section == "Công tác tham mưu Xây dựng cơ chế, chính sách, pháp luật về khoa học và công nghệ"
    assert tasks["ST/13"].section == "Công tác tổ chức bộ máy và quản trị hành chính"
    assert tasks["ST/42"].section == "Công tác chuyên môn, nghiệp vụ"
    assert tasks["ST/80"].section == "Công tác chuyên môn, nghiệp vụ"


def test_markup_removed(tasks):
    assert "<" not in "".join(
        (t.name or "") + (t.timing_text or "") + (t.expected_result or "") + (t.budget_text or "") for t in tasks.values()
    )
    assert tasks["ST/70"].expected_result.startswith("03 đơn vị được cấp Giấy xác nhận")


@pytest.mark.parametrize(
    "tid, start, end, deadline",
    [
        ("ST/1", date(2024, 1, 1), date(2024, 1, 31), date(2024, 1, 31)),  # Tháng 01/2024
        ("ST/3", date(2024, 5, 1), date(2024, 5, 31), date(2024, 5, 31)),  # Tháng 5
        ("ST/13", None, date(2024, 1, 30), date(2024, 1, 30)),  # trước 30/1
        ("ST/26", date(2024, 5, 1), None, None),  # tháng 5 bắt đầu triển khai
        ("ST/36", date(2024, 1, 29), date(2024, 1, 29), date(2024, 1, 29)),  # 29/01/2024
        ("ST/38", date(2024, 4, 25), date(2024, 4, 26), date(2024, 4, 26)),  # 25, 26/4/2024
        ("ST/46", date(2024, 1, 1), date(2024, 3, 31), date(2024, 3, 31)),  # Quý I
        ("ST/50", None, date(2024, 6, 15), date(2024, 6, 15)),  # Chậm nhất ngày 15/6/2024
        ("ST/51", date(2024, 5, 1), date(2024, 11, 30), date(2024, 11, 30)),  # Tháng 5: … Tháng 10,11: …
        ("ST/52", date(2024, 5, 1), date(2024, 7, 30), date(2024, 7, 30)),  # … 30/7/2024: …
        ("ST/56", None, None, date(2024, 6, 30)),  # … ; sau 15 ngày kể từ khi …
        ("ST/57", date(2024, 5, 1), date(2024, 6, 30), date(2024, 6, 30)),  # Tháng 5,6
        ("ST/59", date(2024, 6, 1), date(2024, 11, 30), date(2024, 11, 30)),  # Tháng 6-11
        ("ST/76", date(2024, 11, 1), date(2024, 12, 31), date(2024, 12, 31)),  # Tháng 11- 12
        ("ST/80", date(2024, 10, 1), date(2024, 12, 31), date(2024, 12, 31)),  # quý IV
    ],
)
def test_timing_parsed(tasks, tid, start, end, deadline):
    t = tasks[tid]
    assert (t.period_start, t.period_end, t.deadline) == (start, end, deadline), t.timing_text


def test_impossible_date_is_reported_not_guessed(result, tasks):
    # "trước 30/2": February has no 30th.
    assert tasks["ST/16"].deadline is None and tasks["ST/16"].period_end is None
    assert tasks["ST/17"].period_start is None and tasks["ST/17"].deadline == date(2024, 3, 31)
    assert {i.line for i in result.issues if "30/2" in i.message} == {38, 41, 42}


def test_parse_timing_direct():
    t = read_schedule("Thường xuyên", 2024)
    assert t.recurring == "Thường xuyên" and t.deadline is None and not t.problems
    t = read_schedule("Quý II/2025", 2024)
    assert (t.period_start, t.period_end) == (date(2025, 4, 1), date(2025, 6, 30))
    assert read_schedule("không rõ", 2024).problems


def test_quarters_of_budget_lines(result):
    q = {b.line_id: b.quarters for b in result.budget_lines}
    assert q["ST/57"] == (2,)  # Tháng 5,6
    assert q["ST/69"] == (3,)  # Quý III
    assert q["ST/70"] == (2, 3, 4)  # Tháng 6 … Tháng 11, 12
    assert q["ST/77"] == (4,)  # Tháng 11, 12
    assert q["ST/39"] == (1, 2)  # "trước 30/6" in the 2024 plan: the plan year up to its deadline


def test_source_lines_point_to_the_figures(lines, result):
    for t in result.tasks:
        text = lines[t.source_line - 1]
        assert text.startswith(f"{t.task_id.split('/')[1]}.\t"), t.task_id
        assert t.name[:40] in text, t.task_id
    for b in result.budget_lines:
        assert b.amount_text in lines[b.source_line - 1], b.line_id
        assert to_vnd(b.amount_text) == b.amount_vnd


def test_unit_line_above_a_pdf_text_task_table_gives_its_amounts_unit() -> None:
    """PDF text (space-separated, read as a flow table): "Đơn vị tính: triệu đồng" above the
    header is the unit of the "Kinh phí" column; without it the amounts are refused."""
    from loaders.families import task_plan
    from loaders.model import DocumentMeta

    table = [
        "TT Nội dung nhiệm vụ Đơn vị chủ trì Thời gian Kinh phí",
        "1 Khảo sát nhu cầu ứng dụng công nghệ của doanh nghiệp Phòng Quản lý chuyên ngành Quý II 120,5",
    ]
    meta = DocumentMeta(file_name="x.txt", province="Hưng Yên", fiscal_years=[2025])
    r = task_plan.parse(["Đơn vị tính: triệu đồng", ""] + table, meta)
    assert [(t.lead_unit, t.budget_vnd) for t in r.tasks] == [("Phòng Quản lý chuyên ngành", 120_500_000)]
    r = task_plan.parse(table, DocumentMeta(file_name="x.txt", province="Hưng Yên", fiscal_years=[2025]))
    assert any(i.severity == "error" and "đơn vị tính" in i.message for i in r.issues)


@pytest.mark.parametrize("cell", ["5 000 00", "—5.000.000"])
def test_an_amount_cell_that_cannot_be_read_stores_no_amount_and_says_so(tmp_path, cell):
    """Issue 19: '5 000 000' was stored as 5 đ (the first digit group; now read as thousands grouped
    with spaces, 5.000.000 đ — '5 000 00' is no such grouping). An unreadable budget
    cell gives no amount and a warning on its line, never a guessed number."""
    from loaders.documents import read_document, read_manifest
    from tests.helpers import RAW

    name = "004_f16e394b373b4c86.txt"
    lines = (RAW / name).read_text(encoding="utf-8").split("\n")
    assert "\t500.000.000 đồng (" in lines[13]
    lines[13] = lines[13].replace("\t500.000.000 đồng (", f"\t{cell} đồng (")
    path = tmp_path / "soc_trang_bien_the.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = read_document(path, read_manifest(RAW)[name].model_copy(update={"file": path.name}))
    assert not [b for b in result.budget_lines if b.source_line == 14]
    assert all(b.amount_vnd is None or b.amount_vnd >= 1_000_000 for b in result.budget_lines)
    assert [t.budget_vnd for t in result.tasks if t.source_line == 14] == [None]
    assert [i for i in result.issues if i.line == 14]


def test_a_second_years_money_column_gives_its_own_lines(tmp_path):
    """"Kinh phí năm 2025 (đã giao) | Kinh phí năm 2026 (đề xuất)": one line per task and year,
    each in the stage its header names; next year's figures were dropped without a word (blind u06)."""
    text = ("KẾ HOẠCH NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ NĂM 2025 - 2026\nĐơn vị tính: đồng\n"
            "STT\tNhiệm vụ\tĐơn vị chủ trì\tKinh phí năm 2025 (đã giao)\tKinh phí năm 2026 (đề xuất)\tNguồn kinh phí\n"
            "1\tNghiên cứu chế biến sâu sản phẩm chè\tPhòng KĐC\t850.000.000\t1.200.000.000\tSNKH\n"
            "2\tXây dựng chỉ dẫn địa lý\tPhòng KĐC\t-\t750.000.000\tSNKH\n"
            "\tTổng cộng\t\t850.000.000\t1.950.000.000\t\n")
    r = read_text_document(tmp_path, "kh.txt", text, "Thái Nguyên", 2025, "plan")
    got = sorted((b.fiscal_year, b.phase_vn, b.amount_vnd, b.funding_source) for b in r.budget_lines)
    assert got == [(2025, "dự toán", 850_000_000, "SNKH"), (2026, "đề xuất", 750_000_000, "SNKH"),
                   (2026, "đề xuất", 1_200_000_000, "SNKH")]
    assert sorted((t.fiscal_year, t.printed_amount_vnd, t.status) for t in r.totals) == [
        (2025, 850_000_000, "match"), (2026, 1_950_000_000, "match")]
