"""The Điện Biên 2022 plan (001_…): the 2020–2021 table and the 2022 estimate."""
import pytest

PLAN_2022 = "001_3dc3e512645fa543.txt"


@pytest.fixture(scope="module")
def result(parsed):
    return parsed(PLAN_2022)


def amount(result, year, stage, code, section=None):
    (line,) = [
        b
        for b in result.budget_lines
        if b.fiscal_year == year and b.phase_vn == stage and b.code == code and (section is None or b.section == section)
    ]
    return line


def test_stages_and_phases(result):
    pairs = {(b.fiscal_year, b.phase, b.phase_vn) for b in result.budget_lines}
    assert (2020, "approved", "KHTW giao") in pairs
    assert (2020, "approved", "KH UBND giao") in pairs
    assert (2020, "executed", "thực hiện") in pairs
    assert (2021, "executed", "thực hiện 6 tháng đầu năm") in pairs
    assert (2022, "proposed", "đề xuất") in pairs


def test_million_dong_cells_become_integer_dong(result):
    assert amount(result, 2021, "thực hiện 6 tháng đầu năm", "I").amount_vnd == 7_665_990_000
    assert amount(result, 2021, "thực hiện 6 tháng đầu năm", "5", "I").amount_vnd == 1_040_990_000
    assert amount(result, 2020, "KH UBND giao", "1", "I").amount_vnd == 6_014_000_000
    assert amount(result, 2021, "thực hiện 6 tháng đầu năm", "4", "I").amount_vnd == 0


def test_first_half_is_marked(result):
    line = amount(result, 2021, "thực hiện 6 tháng đầu năm", "I")
    assert line.quarters == (1, 2) and "6 tháng" in line.period


def test_empty_cells_are_not_zero(result):
    # KHTW giao is printed for sections only: items print nothing in that column
    assert not [b for b in result.budget_lines if b.phase_vn == "KHTW giao" and b.code == "1"]
    assert not amount(result, 2020, "KHTW giao", "I").is_subtotal


def test_all_totals_reconcile(result):
    printed = [t for t in result.totals if t.label == "TỔNG SỐ"]
    assert sorted(t.printed_amount_vnd for t in printed) == sorted(
        [14_908_000_000, 15_004_000_000, 14_993_000_000, 14_388_000_000, 14_518_000_000, 8_545_990_000]
    )
    assert all(t.status == "match" for t in result.totals), [t.detail for t in result.totals if t.status != "match"]
    assert all(t.source_line == 249 for t in printed)


def test_sources(result):
    assert amount(result, 2020, "thực hiện", "II").funding_source == "SNKH_TW"
    assert amount(result, 2020, "thực hiện", "3", "I").funding_source == "SNKH"


def test_estimate_2022(result):
    est = [b for b in result.budget_lines if b.fiscal_year == 2022]
    leaves = [b for b in est if not b.is_subtotal]
    assert sum(b.amount_vnd for b in leaves) == 30_906_300_000
    dtpt = [b for b in leaves if b.funding_source == "DTPT"]
    assert [b.amount_vnd for b in dtpt] == [3_000_000_000] * 3
    assert all("Tổng mức đầu tư" in b.note for b in dtpt)
    assert sum(b.amount_vnd for b in leaves if b.funding_source == "SNKH") == 21_906_300_000


def test_source_lines(result, raw_lines):
    lines = raw_lines(PLAN_2022)
    for b in result.budget_lines:
        if b.amount_text:
            assert b.amount_text in lines[b.source_line - 1]


def test_a_numeric_column_with_an_unknown_header_is_reported():
    from loaders.families import plan_budget
    from loaders.model import DocumentMeta

    lines = [
        "Đơn vị tính: triệu đồng",
        "TT\tNội dung\tNăm 2023\t\t",
        "\t\tKH UBND giao\tThực hiện\tChênh lệch",
        "I\tKinh phí SNKH\t1.000\t900\t100",
        "\tTỔNG SỐ\t1.000\t900\t100",
    ]
    assert plan_budget.detect(lines)
    r = plan_budget.parse(lines, DocumentMeta(file_name="x.txt", province="Sơn La"))
    assert {(b.phase_vn, b.amount_vnd) for b in r.budget_lines} == {("KH UBND giao", 1_000_000_000), ("thực hiện", 900_000_000)}
    assert any("Chênh lệch" in i.message and i.line == 2 for i in r.issues)


def test_a_rate_column_is_no_money_and_the_year_plan_is_the_provincial_allocation():
    """"Tỷ lệ %" / "Tỷ lệ giải ngân" are percentages (role ratio, never read, not reported);
    "Kế hoạch năm 2024" beside "Ước thực hiện năm 2024" is the plan allocated (KH UBND giao)."""
    from loaders.families import plan_budget
    from loaders.model import DocumentMeta

    lines = [
        "Đơn vị tính: triệu đồng",
        "STT\tNội dung\tKế hoạch năm 2024\tƯớc thực hiện năm 2024\tTỷ lệ %\tTỷ lệ giải ngân",
        "I\tKinh phí SNKH\t1.000\t900\t90\t85",
        "\tTổng cộng\t1.000\t900\t90\t85",
    ]
    assert plan_budget.detect(lines)
    r = plan_budget.parse(lines, DocumentMeta(file_name="x.txt", province="Sơn La"))
    assert {(b.fiscal_year, b.phase_vn, b.amount_vnd) for b in r.budget_lines} == {
        (2024, "KH UBND giao", 1_000_000_000), (2024, "ước thực hiện", 900_000_000)}
    assert not any("Tỷ lệ" in i.message for i in r.issues)
