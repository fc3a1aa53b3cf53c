"""The generic claim reader (``loaders/claims.py`` and its data ``data/catalogue/*.csv``) on
short texts in the wordings of the departments' reports, one rule per test."""
from __future__ import annotations

from datetime import date

import pytest

from loaders.families.prose.claim_records import (
    DocPeriod,
    check_breakdowns,
    check_shares,
    claims_to_actuals,
    period_of_paragraph,
)
from loaders.families.prose.claim_words import load_claim_words
from loaders.families.prose.claims import extract_claims
from loaders.families.prose.paragraphs import Paragraph
from loaders.text.catalogue import CatalogueError

Q3 = DocPeriod("Q3/2025", date(2025, 7, 1), date(2025, 9, 30))


def paras(*texts: str) -> list[Paragraph]:
    """One paragraph per text, on lines 1, 2, …"""
    return [Paragraph(t, [(0, k)]) for k, t in enumerate(texts, 1)]


def read(*texts: str, doc: DocPeriod = Q3):
    claims, issues = extract_claims(paras(*texts))
    actuals = claims_to_actuals(claims, "T", doc)
    return actuals, issues + check_breakdowns(actuals) + check_shares(claims)


def figures(actuals) -> list[tuple]:
    return [(a.value, a.unit, a.code, a.parent_id) for a in actuals]


def test_count_with_its_noun_and_indicator():
    actuals, issues = read("Trung tâm đã kiểm định 1.234 phương tiện đo các loại.")
    assert figures(actuals) == [(1234, "phương tiện đo", "instruments_verified", None)]
    assert actuals[0].actual_id == "T/1/1" and actuals[0].source_line == 1 and not issues


@pytest.mark.parametrize(
    "text",
    [
        "Ban hành Quyết định số 250/QĐ-UBND ngày 06/02/2024 phê duyệt danh mục.",
        "Báo cáo công tác thống kê theo Thông tư số 15/2018/TT-BKHCN.",
        "Tổng kết 10 năm thực hiện Nghị quyết số 37-NQ/TW.",
        "Áp dụng TCVN ISO 9001:2015 tại cơ quan.",
        "Mô hình trồng tỏi quy mô 02ha tại xã; nuôi gà quy mô 3.700 con.",
        "Triển khai trong giai đoạn 2021-2025 và định hướng đến năm 2030.",
    ],
)
def test_references_dates_durations_and_sizes_are_not_results(text):
    assert read(text) == ([], [])


def test_a_number_with_an_unknown_noun_is_reported_with_its_line():
    actuals, issues = read("Mở đầu.", "Tổ chức 02 đợt truyền thông về sở hữu trí tuệ.")
    assert actuals == []
    assert [(i.line, "02 (đợt" in i.message) for i in issues] == [(2, True)]


def test_a_count_no_phrase_names_is_reported():
    actuals, issues = read("Sở đã tiếp 05 đoàn khách quốc tế.")
    assert actuals == [] and len(issues) == 1 and "05" in issues[0].message


def test_money_glued_to_the_number_and_in_millions():
    actuals, _ = read("Đến nay có 07/08 đơn vị đã nộp 74.000.000đ tiền xử phạt; đơn vị còn lại chưa nộp 1,5 triệu đồng tiền phạt.")
    money = [(a.value, a.unit, a.code) for a in actuals if a.unit == "đồng"]
    assert money == [(74_000_000, "đồng", "fines_collected_vnd"), (1_500_000, "đồng", "fines_outstanding_vnd")]
    assert all(isinstance(a.value, int) for a in actuals if a.unit == "đồng")


def test_a_number_repeated_in_words_is_left_out():
    actuals, issues = read("Tổ chức nghiệm thu 05 (năm) nhiệm vụ KH&CN cấp tỉnh.")
    assert figures(actuals) == [(5, "nhiệm vụ", "st_tasks_accepted", None)] and not issues


def test_zero_written_in_words_needs_an_indicator():
    actuals, issues = read("Trong quý không nhận được đơn thư; chưa có tổ chức đại diện sở hữu công nghiệp.")
    assert figures(actuals) == [(0, "đơn thư", "complaints_received", None)]
    assert actuals[0].note == "không nhận được" and not issues


def test_parenthesised_list_is_a_full_breakdown_checked_to_add_up():
    actuals, issues = read("Thử nghiệm 86 mẫu (52 mẫu xăng dầu, 34 mẫu phân bón).")
    assert figures(actuals) == [(86, "mẫu", "samples_tested", None), (52, "mẫu", "samples_tested", "T/1/1"),
                                (34, "mẫu", "samples_tested", "T/1/1")]
    assert [a.name.rsplit(" – ", 1)[1] for a in actuals[1:]] == ["xăng dầu", "phân bón"] and not issues
    _, issues = read("Thử nghiệm 86 mẫu (52 mẫu xăng dầu, 33 mẫu phân bón).")
    assert len(issues) == 1 and "86" in issues[0].message and "85" in issues[0].message


def test_parts_without_a_noun_count_in_their_wholes_noun():
    actuals, issues = read("Đang quản lý 12 nhiệm vụ KH&CN (10 cấp tỉnh, 2 cấp cơ sở).")
    assert figures(actuals) == [(12, "nhiệm vụ", "st_tasks_managed", None), (10, "nhiệm vụ", "st_tasks_managed", "T/1/1"),
                                (2, "nhiệm vụ", "st_tasks_managed", "T/1/1")]
    assert [a.name.rsplit(" – ", 1)[1] for a in actuals[1:]] == ["cấp tỉnh", "cấp cơ sở"] and not issues
    _, issues = read("Đang quản lý 12 nhiệm vụ KH&CN (10 cấp tỉnh, 3 cấp cơ sở).")
    assert len(issues) == 1 and "≠" in issues[0].message
    # outside brackets after a count, a number with an unknown word is still said, not dropped
    _, issues = read("Tổ chức 10 cấp tỉnh.")
    assert len(issues) == 1 and "10" in issues[0].message
    # in brackets that are not the parts of the count before them, it is said too
    _, issues = read("Tiếp nhận 09 hồ sơ của tổ chức (07 giấy phép, 2 cấp cơ sở).")
    assert any(i.message.startswith("số 2 (cấp") for i in issues)


def test_a_count_with_parts_that_no_phrase_names_is_said_never_stored_nameless():
    actuals, issues = read("Hỗ trợ 26 doanh nghiệp (19 doanh nghiệp nhỏ và vừa, 07 hợp tác xã) áp dụng mã vạch.")
    assert actuals == []
    assert len(issues) == 1 and "số 26 (doanh nghiệp) và các phần" in issues[0].message


def test_a_meter_is_counted_never_read_as_money():
    actuals, issues = read("Kiểm định 6.842 phương tiện đo (4.215 công tơ điện, 1.830 đồng hồ nước, 797 cân các loại).")
    assert [(a.value, a.unit) for a in actuals] == [(6842, "phương tiện đo"), (4215, "phương tiện đo"),
                                                    (1830, "phương tiện đo"), (797, "phương tiện đo")]
    assert [a.name.rsplit(" – ", 1)[1] for a in actuals[1:]] == ["công tơ điện", "đồng hồ nước", "cân các loại"]
    assert not issues


def test_money_with_its_parts_labelled_before_their_amounts():
    actuals, issues = read("Thu phí, lệ phí 46.800.000 đồng (phí thẩm định an toàn bức xạ 38.400.000 đồng, "
                           "lệ phí cấp chứng chỉ 8.400.000 đồng).")
    assert figures(actuals) == [(46800000, "đồng", "fees_collected_vnd", None),
                                (38400000, "đồng", "fees_collected_vnd", "T/1/1"),
                                (8400000, "đồng", "fees_collected_vnd", "T/1/1")]
    assert [a.name.rsplit(" – ", 1)[1] for a in actuals[1:]] == ["phí thẩm định an toàn bức xạ", "lệ phí cấp chứng chỉ"]
    assert not issues


def test_brackets_further_on_in_the_clause_hold_parts_of_the_same_noun_only():
    actuals, issues = read("Phối hợp triển khai 03 dự án thuộc Chương trình nông thôn miền núi (02 dự án Trung ương "
                           "quản lý, 01 dự án ủy quyền địa phương quản lý).")
    assert [(a.value, a.parent_id) for a in actuals] == [(3, None), (2, "T/1/1"), (1, "T/1/1")] and not issues
    actuals, _ = read("Cập nhật 67 văn bản của Trung ương (trong đó: 13 văn bản về cải cách hành chính).")
    assert actuals[1].note == "trong đó"  # an "of which" subset, not a breakdown that fails to add up


def test_one_part_after_trong_do_is_an_of_which_subset_with_its_own_indicator():
    actuals, issues = read("Kiểm tra 27 cơ sở kinh doanh xăng dầu, trong đó 04 cơ sở vi phạm.")
    assert figures(actuals) == [(27, "cơ sở", "facilities_inspected", None), (4, "cơ sở", "violations_found", "T/1/1")]
    assert actuals[1].note == "trong đó" and not issues


def test_two_parts_after_trong_do_take_the_unit_of_their_whole():
    actuals, _ = read("Đã tiến hành 04 cuộc thanh tra chuyên ngành, trong đó 03 nhiệm vụ KH&CN và 01 cơ sở bức xạ.")
    assert figures(actuals) == [(4, "cuộc", "inspections", None), (3, "cuộc", "inspections", "T/1/1"),
                                (1, "cuộc", "inspections", "T/1/1")]
    assert actuals[1].note == "03 nhiệm vụ"


def test_list_of_items_with_levels_and_shares():
    actuals, issues = read(
        "Đang triển khai 18 nhiệm vụ KH&CN cấp tỉnh, bao gồm:",
        "- Lĩnh vực nông nghiệp: 09 nhiệm vụ, chiếm 50%;",
        "- Lĩnh vực y tế: 03 nhiệm vụ, chiếm 16,7%;",
        "- Lĩnh vực khác: 06 nhiệm vụ, chiếm 33,3%.",
        "Nghiệm thu 07 nhiệm vụ, trong đó:",
        "- Nhiệm vụ cấp tỉnh: 05 nhiệm vụ",
        "+ Xếp loại khá: 05 nhiệm vụ",
        "- Nhiệm vụ cấp cơ sở: 02 nhiệm vụ",
    )
    parents = {a.actual_id: a.parent_id for a in actuals}
    assert parents["T/2/1"] == parents["T/3/1"] == parents["T/4/1"] == "T/1/1"
    assert [a.value for a in actuals if a.unit == "%"] == [50, 16.7, 33.3]
    assert parents["T/6/1"] == parents["T/8/1"] == "T/5/1" and parents["T/7/1"] == "T/6/1"
    assert not issues


def test_a_wrong_share_is_reported():
    _, issues = read("Đang triển khai 18 nhiệm vụ KH&CN cấp tỉnh, bao gồm:", "- Lĩnh vực nông nghiệp: 09 nhiệm vụ, chiếm 40%;",
                     "- Lĩnh vực y tế: 09 nhiệm vụ, chiếm 50%.")
    assert any(i.line == 2 and "40%" in i.message for i in issues)


def test_a_list_whose_items_are_not_parts_is_counted():
    _, issues = read("- Phối hợp thanh tra, kiểm tra 02 cuộc, cụ thể:", "+ Kiểm tra cửa hàng vàng.", "+ Kiểm tra xăng dầu.",
                     "+ Kiểm tra phân bón.")
    assert [(i.line, "liệt kê 3 mục" in i.message) for i in issues] == [(1, True)]


def test_ratios_are_parts_of_an_earlier_count_full_or_of_which():
    actuals, issues = read("Đôn đốc 08 đơn vị thực hiện quyết định xử phạt (có 07/08 đơn vị đã nộp, 01/08 đơn vị chưa nộp).")
    assert figures(actuals) == [(8, "đơn vị", "sanctioned_units", None), (7, "đơn vị", "sanctioned_units_paid", "T/1/1"),
                                (1, "đơn vị", "sanctioned_units_unpaid", "T/1/1")]
    assert actuals[1].note == "07/08 (87,5%)" and not issues
    actuals, issues = read("Đôn đốc 06 đơn vị thực hiện quyết định xử phạt; có 05/06 đơn vị đã nộp.")
    assert actuals[1].parent_id == "T/1/1" and actuals[1].note.startswith("trong đó") and not issues


def test_coordinated_counts_share_their_predicate():
    actuals, _ = read("Hiện có 3 doanh nghiệp, 2 hợp tác xã đề xuất hỗ trợ truy xuất nguồn gốc cho 17 sản phẩm.")
    assert [(a.value, a.code) for a in actuals] == [(3, "traceability_proposers"), (2, "traceability_proposers"),
                                                    (17, "traceability_products")]


@pytest.mark.parametrize(
    "text",
    [
        "Phấn đấu đến hết năm 2025 tỷ lệ hồ sơ TTHC xử lý trực tuyến toàn trình đạt 80%.",
        "Cập nhật TTHC tiến tới 100% dịch vụ công trực tuyến đủ điều kiện.",
        "Nhà nước hỗ trợ tối đa 50% tổng kinh phí thực hiện dự án.",
        "Lập báo cáo kinh tế kỹ thuật của 3 dự án trên trình cơ quan chuyên môn.",
    ],
)
def test_targets_rules_and_repeated_figures_are_not_results(text):
    assert read(text) == ([], [])


def test_planned_amounts_are_reported_not_read():
    actuals, issues = read("+ Dự án nâng cao năng lực với tổng mức đầu tư là 10.000,0 triệu đồng.")
    assert actuals == [] and len(issues) == 1 and "tổng mức đầu tư" in issues[0].message


def test_approximations_go_to_the_note():
    actuals, _ = read("Tổ chức 02 lớp tập huấn về đo lường cho hơn 150 học viên.")
    assert [(a.value, a.code, a.note) for a in actuals] == [(2, "quality_training_events", None),
                                                            (150, "quality_trainees", "hơn 150")]


@pytest.mark.parametrize(
    "text, want",
    [
        ("Tính đến hết tháng 6 năm 2021, đã kiểm định 10 phương tiện đo.", ("2020–6/2021", date(2020, 1, 1), date(2021, 6, 30), None)),
        ("Tính đến hết tháng 3 năm 2021, đã kiểm định 10 phương tiện đo.", ("1/2020–3/2021", date(2020, 1, 1), date(2021, 3, 31), None)),
        ("Tết Nguyên đán năm 2020, thanh tra được 07 cơ sở.", ("2020", date(2020, 1, 1), date(2020, 12, 31), 2020)),
        ("Năm 2021, thanh tra được 07 cơ sở.", ("H1/2021", date(2021, 1, 1), date(2021, 6, 30), 2021)),
        ("Dự án bắt đầu từ năm 2021 đang ký hợp đồng với 07 cơ sở.", ("2020–6/2021", date(2020, 1, 1), date(2021, 6, 30), None)),
        ("Theo Quyết định ngày 07/8/2020, thanh tra được 07 cơ sở.", ("2020–6/2021", date(2020, 1, 1), date(2021, 6, 30), None)),
    ],
)
def test_period_of_a_paragraph(text, want):
    doc = DocPeriod("2020–6/2021", date(2020, 1, 1), date(2021, 6, 30))
    assert period_of_paragraph(Paragraph(text, [(0, 1)]), doc) == want


def test_parts_take_the_period_of_their_whole():
    doc = DocPeriod("2023–6/2024", date(2023, 1, 1), date(2024, 6, 30))
    actuals, _ = read("Trong năm 2023, Hội đồng đã nghiệm thu 03 nhiệm vụ, trong đó:", "+ Xếp loại khá: 03 nhiệm vụ.", doc=doc)
    assert [(a.period, a.fiscal_year) for a in actuals] == [("2023", 2023), ("2023", 2023)]


def test_claim_words_file_errors_name_file_and_line(tmp_path):
    words = tmp_path / "claim_words.csv"
    words.write_text("role,phrases,comment\nbreakdown,trong đó,ok\nsomething,abc,bad role\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_claim_words(words)
    assert info.value.line == 3 and "something" in str(info.value)
    words.write_text("role,phrases,comment\nzero,Không nhận được,upper case\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_claim_words(words)
    assert info.value.line == 2
    nouns = tmp_path / "unit_nouns.csv"
    nouns.write_text("nouns,unit,class,kind,scale,comment\nđồng,đồng,money,money,abc,bad scale\n", encoding="utf-8")
    words.write_text("role,phrases,comment\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_claim_words(words, nouns)
    assert info.value.line == 2 and "scale" in str(info.value)


def test_other_verbs_of_quarterly_reports_name_their_indicators() -> None:
    """"đã triển khai N nhiệm vụ KH&CN" (not only "đang triển khai") is the tasks in
    progress; "tổ chức N hội thảo" is the events held (catalogue phrases, no code)."""
    from loaders.families.prose.claims import extract_claims
    from loaders.families.prose.paragraphs import Paragraph

    text = "Sở đã triển khai 12 nhiệm vụ khoa học và công nghệ cấp tỉnh; phối hợp tổ chức 4 hội thảo chuyên đề."
    claims, issues = extract_claims([Paragraph(text, [(0, 7)])])
    assert [(c.value, c.code) for c in claims] == [(12, "st_tasks_in_progress"), (4, "st_events_held")]
    assert not issues


def test_an_amount_takes_a_money_measure_only_from_its_own_clause():
    """"… được giao là 37.355,0 triệu đồng; lũy kế … đã giải ngân 11.538,6 triệu đồng": the
    allocated amount is no disbursement (it was read as one through the sentence)."""
    actuals, issues = read("Tổng dự toán năm 2025 được giao là 37.355,0 triệu đồng; lũy kế 6 tháng đầu năm đã giải "
                           "ngân 11.538,6 triệu đồng.")
    assert [(a.value, a.code) for a in actuals] == [(11_538_600_000, "funds_disbursed_vnd")]
    assert any("37.355,0" in i.message for i in issues)
