"""Unit names (``loaders/text/units.py``, ``data/vocabulary/units.csv``): the name as printed
and its kind across provinces, and their application in the enrichment pass
(``loaders.enrich.apply_unit_kinds``)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.enrich import enrich
from loaders.model import BudgetLine, DocumentMeta, IndicatorTarget, ParseResult, Task
from loaders.text.units import (
    KIND_SEPARATOR,
    is_unit_kind,
    load_unit_vocabulary,
    read_unit,
    unit_abbreviations,
    unit_kind,
    unit_kinds,
)
from loaders.text.vocabulary import VocabularyError

OFFICE = "Văn phòng Sở"
APPLICATION = "Trung tâm Ứng dụng KH&CN"
INNOVATION = "Trung tâm Đổi mới sáng tạo"
TDC = "Chi cục / Phòng TĐC"
KDC = "Phòng Khoa học, Công nghệ, ĐMST và CĐS"


def kinds(*names: str) -> str:
    return KIND_SEPARATOR.join(names)


@pytest.mark.parametrize(
    "text, printed, kind, assignees",
    [
        # one office, four spellings (004 and the brief)
        ("Văn phòng", "Văn phòng", OFFICE, None),
        ("Văn phòng Sở", "Văn phòng Sở", OFFICE, None),
        ("VP Sở", "VP Sở", OFFICE, None),
        ("Văn phòng (Kiều)", "Văn phòng", OFFICE, "Kiều"),
        ("Văn phòng Sở (Thuận, Cuộc, Kiều)", "Văn phòng Sở", OFFICE, "Thuận, Cuộc, Kiều"),
        ("Trung tâm Ứng dụng Tiên bộ KH&CN (Vũ Quan và Huỳnh Phước Thành)", "Trung tâm Ứng dụng Tiên bộ KH&CN",
         APPLICATION, "Vũ Quan và Huỳnh Phước Thành"),
        ("Trung tâm Ứng dụng (Lê Trung Tâm và Lữ Ngọc Lan Trinh)", "Trung tâm Ứng dụng", APPLICATION,
         "Lê Trung Tâm và Lữ Ngọc Lan Trinh"),
        # one kind for every application centre, whatever the province calls it
        ("Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
         APPLICATION, None),
        ("Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ",
         "Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ", APPLICATION, None),
        ("Trung tâm Thông tin và Ứng dụng KH&CN", "Trung tâm Thông tin và Ứng dụng KH&CN", APPLICATION, None),
        # an information and statistics centre is another kind
        ("Trung tâm Thông tin và Thống kê KH&CN", "Trung tâm Thông tin và Thống kê KH&CN", "Trung tâm Thông tin KH&CN", None),
        # 000: the unit after "Phòng/đơn vị:" without "Phòng"
        ("Kế hoạch - Quản lý khoa học", "Kế hoạch - Quản lý khoa học", "Phòng Kế hoạch – Quản lý khoa học", None),
        ("Quản lý Công nghệ - ATBX,HN và Sở hữu trí tuệ", "Quản lý Công nghệ - ATBX,HN và Sở hữu trí tuệ",
         "Phòng Quản lý chuyên ngành", None),
        ("Quản lý Tiêu chuẩn - Đo lường - Chất lượng", "Quản lý Tiêu chuẩn - Đo lường - Chất lượng", TDC, None),
        ("Trung tâm Kỹ thuật tiêu chuẩn - Đo lường - Chất lượng", "Trung tâm Kỹ thuật tiêu chuẩn - Đo lường - Chất lượng",
         "Trung tâm Kỹ thuật TĐC", None),
        ("Trung tâm TĐC", "Trung tâm TĐC", "Trung tâm Kỹ thuật TĐC", None),
        ("Chi cục Tiêu chuẩn Đo lường Chất lượng (TĐC)", "Chi cục Tiêu chuẩn Đo lường Chất lượng (TĐC)", TDC, None),
        ("Phòng TĐC", "Phòng TĐC", TDC, None),
        # 2025 names, lists with a shared head and a qualifier (kept in the printed name)
        ("TT ĐMST", "TT ĐMST", INNOVATION, None),
        ("Phòng KĐC, TT ĐMST", "Phòng KĐC, TT ĐMST", kinds(KDC, INNOVATION), None),
        ("Phòng Khoa học, Công nghệ, Đổi mới sáng tạo và Chuyển đổi số",
         "Phòng Khoa học, Công nghệ, Đổi mới sáng tạo và Chuyển đổi số", KDC, None),
        ("Văn phòng Sở, Phòng KĐC, TĐC, HTS theo chức năng nhiệm vụ",
         "Văn phòng Sở, Phòng KĐC, TĐC, HTS theo chức năng nhiệm vụ", kinds(OFFICE, KDC, TDC, "Phòng HTS"), None),
        ("Các phòng CM, NV, đơn vị sự nghiệp thuộc Sở", "Các phòng CM, NV, đơn vị sự nghiệp thuộc Sở",
         "Các phòng, đơn vị thuộc Sở", None),
        ("Văn phòng Sở và Phòng KĐC", "Văn phòng Sở và Phòng KĐC", kinds(OFFICE, KDC), None),
        ("Văn phòng (Kiều), TT ĐMST", "Văn phòng, TT ĐMST", kinds(OFFICE, INNOVATION), "Kiều"),
        ("VĂN PHÒNG SỞ", "VĂN PHÒNG SỞ", OFFICE, None),
        ("  Văn   phòng\tSở ", "Văn phòng Sở", OFFICE, None),  # white space squeezed
    ],
)
def test_a_unit_is_stored_as_printed_with_its_kind_beside_it(text, printed, kind, assignees):
    r = read_unit(text)
    assert (r.printed, r.kind, r.assignees, r.recognised) == (printed, kind, assignees, True)
    assert is_unit_kind(r.kind)
    assert unit_kind(text) == kind
    assert read_unit(r.printed).printed == r.printed  # reading the stored name again keeps it


def test_the_printed_name_is_in_unicode_nfc():
    decomposed = "Văn phòng Sở".replace("ă", "a\u0306").replace("ò", "o\u0300").replace("ở", "o\u031b\u0309")
    assert decomposed != "Văn phòng Sở"
    r = read_unit(decomposed)
    assert (r.printed, r.kind) == ("Văn phòng Sở", OFFICE)


def test_kinds_are_generic_not_one_provinces_names():
    """The kinds of units.csv are labels of kinds, each once; spellings of other provinces
    give the same kind, and a kind never contains the separator of kind lists."""
    all_kinds = unit_kinds()
    assert len(all_kinds) == len(set(all_kinds))
    assert not any(";" in k for k in all_kinds)
    assert APPLICATION in all_kinds and "Trung tâm Ứng dụng tiến bộ KH&CN" not in all_kinds
    assert "Chi cục TĐC" not in all_kinds and "Phòng KĐC" not in all_kinds


def test_typo_in_an_abbreviation_is_corrected_and_reported():
    r = read_unit("Văn phòng Sở, Phòng KĐC, Trung tâm ĐSMT theo chức năng nhiệm vụ")
    assert r.printed == "Văn phòng Sở, Phòng KĐC, Trung tâm ĐSMT theo chức năng nhiệm vụ"  # the typo stays printed
    assert (r.kind, r.corrections) == (kinds(OFFICE, KDC, INNOVATION), ("ĐSMT → ĐMST",))
    assert "ĐSMT" not in unit_abbreviations() and {"KĐC", "HTS", "TĐC", "ĐMST"} <= unit_abbreviations()


@pytest.mark.parametrize(
    "text, printed",
    [
        ("Phòng Hợp tác quốc tế", "Phòng Hợp tác quốc tế"),
        ("  Phòng   Hợp tác quốc tế (Lan) ", "Phòng Hợp tác quốc tế"),
        ("TĐC", "TĐC"),  # a bare TĐC may be the Chi cục / Phòng or the Trung tâm Kỹ thuật: not guessed
        ("Văn phòng Sở, Ban Quản lý dự án", "Văn phòng Sở, Ban Quản lý dự án"),  # one unit unknown: no kind
        # "và" inside a name does not cut it into two known units
        ("Trung tâm Ứng dụng và Thông tin khoa học", "Trung tâm Ứng dụng và Thông tin khoa học"),
    ],
)
def test_unknown_units_are_kept_as_printed_without_a_kind(text, printed):
    r = read_unit(text)
    assert (r.printed, r.kind, r.recognised) == (printed, None, False)
    assert unit_kind(text) is None and not is_unit_kind(r.printed)


def test_parentheses_that_are_not_names_stay():
    r = read_unit("Phòng Quản lý chuyên ngành (ATBX, SHTT)")
    assert (r.printed, r.assignees) == ("Phòng Quản lý chuyên ngành (ATBX, SHTT)", None)
    assert read_unit("Văn phòng (Sở)").assignees is None
    assert read_unit("Văn phòng (Sở)").printed == "Văn phòng (Sở)"


def test_empty():
    assert read_unit(None) == read_unit("  ") == read_unit("", None)
    r = read_unit(None)
    assert (r.printed, r.kind, r.assignees, r.recognised) == ("", None, None, False)


_NAMES = st.lists(st.sampled_from(["Thuận", "Kiều", "Lê Văn An", "Huỳnh Thị Thanh Liễu"]), min_size=1, max_size=3,
                  unique=True)


@settings(max_examples=100, deadline=None)
@given(unit=st.sampled_from(["Văn phòng", "Văn phòng Sở", "VP Sở", "Chi cục TĐC", "Thanh tra Sở", "Phòng KĐC"]),
       names=_NAMES, sep=st.sampled_from([", ", " và ", "; "]), space=st.sampled_from([" ", "  ", ""]))
def test_assignees_never_become_part_of_the_unit(unit, names, sep, space):
    r = read_unit(f"{unit}{space}({sep.join(names)})")
    assert r.recognised and is_unit_kind(r.kind)
    assert r.printed == unit  # the printed name without the parenthesis of names
    assert r.assignees == sep.join(names)
    assert all(n not in r.printed and n not in r.kind for n in names)


def test_enrich_keeps_the_printed_unit_and_puts_the_kind_beside_it():
    meta = DocumentMeta(file_name="x.txt")
    result = ParseResult(meta=meta)
    result.budget_lines.append(BudgetLine("L1", 2025, "approved", "dự toán", "expenditure", "SNKH", 10, 1000,
                                          description="Hội nghị", unit="VP  Sở"))
    result.budget_lines.append(BudgetLine("L2", 2025, "approved", "dự toán", "expenditure", "SNKH", 11, 1000,
                                          description="Mua giống", unit="Trung tâm Ứng dụng"))
    result.tasks.append(Task("T1", 2025, "Tổng hợp báo cáo", 20, lead_unit="Văn phòng (Kiều)"))
    result.tasks.append(Task("T2", 2025, "Tổng hợp", 21, lead_unit="Văn phòng Sở, Trung tâm ĐSMT"))
    result.tasks.append(Task("T3", 2025, "Kiểm tra", 22, lead_unit="Thanh tra Sở (Lan)", assignees="Lan, Huệ"))
    result.indicators.append(IndicatorTarget("I1", 2025, "Chỉ số PII", 30, lead_unit="Phòng Hợp tác quốc tế"))
    enrich(result)
    (b1, b2), (t1, t2, t3), ind = result.budget_lines, result.tasks, result.indicators[0]
    assert (b1.unit, b1.unit_kind) == ("VP Sở", OFFICE)
    assert (b2.unit, b2.unit_kind) == ("Trung tâm Ứng dụng", APPLICATION)  # never another province's name
    assert (t1.lead_unit, t1.lead_unit_kind, t1.assignees) == ("Văn phòng", OFFICE, "Kiều")
    assert (t2.lead_unit, t2.lead_unit_kind) == ("Văn phòng Sở, Trung tâm ĐSMT", kinds(OFFICE, INNOVATION))
    assert (t3.lead_unit, t3.assignees) == ("Thanh tra Sở", "Lan, Huệ")  # the parser's assignees are kept
    assert (ind.lead_unit, ind.lead_unit_kind) == ("Phòng Hợp tác quốc tế", None)  # unknown: no kind, no warning
    typo = [i for i in result.issues if "ĐSMT" in i.message]
    assert len(typo) == 1 and typo[0].line == 21 and INNOVATION in typo[0].message
    assert not [i for i in result.issues if "Hợp tác" in i.message]
    before = [(r.unit, r.unit_kind) for r in result.budget_lines] + [(t.lead_unit, t.lead_unit_kind, t.assignees)
                                                                     for t in result.tasks]
    enrich(result)  # a second pass changes nothing and warns no more
    assert [(r.unit, r.unit_kind) for r in result.budget_lines] + [(t.lead_unit, t.lead_unit_kind, t.assignees)
                                                                   for t in result.tasks] == before
    assert len([i for i in result.issues if "ĐSMT" in i.message]) == 1


def test_shipped_documents_units_all_have_a_kind(parsed, manifest):
    for name in manifest:
        r = parsed(name)
        records = [(b.unit, b.unit_kind) for b in r.budget_lines if b.unit] + [
            (t.lead_unit, t.lead_unit_kind) for t in r.tasks if t.lead_unit] + [
            (i.lead_unit, i.lead_unit_kind) for i in r.indicators if i.lead_unit]
        assert all(is_unit_kind(k) for _, k in records), (name, {u for u, k in records if not is_unit_kind(k)})
        assert all(read_unit(u).printed == u for u, _ in records)  # stored as printed, normal form


def test_bad_vocabulary_names_file_and_line(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("kind,description,abbreviations,spellings,comment\nVăn phòng Sở,,VP,văn phòng,\n"
                    "Văn phòng Sở,,,vp,dup\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as info:
        load_unit_vocabulary(path)
    assert info.value.line == 3 and "Văn phòng Sở" in str(info.value)
    path.write_text("kind,description,abbreviations,spellings,comment\nPhòng X,,,(phòng x,bad\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as info:
        load_unit_vocabulary(path)
    assert info.value.line == 2
    path.write_text("kind,description,abbreviations,spellings,comment\nPhòng A; Phòng B,,,phòng a,\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as info:
        load_unit_vocabulary(path)
    assert info.value.line == 2 and "';'" in str(info.value)


def test_the_unit_a_document_is_of():
    from loaders.text.units import document_unit

    # a disclosure the unit publishes itself: its name under the department, written out later
    lines = ["SỞ KHOA HỌC VÀ CÔNG NGHỆ HÀ TĨNH\t\tBiểu số 03", "TRUNG TÂM KỸ THUẬT TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG", "",
             "CÔNG KHAI TÌNH HÌNH THỰC HIỆN DỰ TOÁN", "(Kèm theo Quyết định số 86/QĐ-TTKT của Giám đốc Trung tâm Kỹ thuật "
             "Tiêu chuẩn Đo lường Chất lượng)"]
    assert document_unit(lines) == ("Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng", 2)
    assert document_unit(["PHỤ LỤC", "Đơn vị: Trung tâm Ứng dụng khoa học và công nghệ", "Đơn vị tính: đồng"]) == (
        "Trung tâm Ứng dụng khoa học và công nghệ", 2)
    # the department itself, a unit of amount, nothing: no unit
    assert document_unit(["UBND TỈNH QUẢNG NINH", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Đơn vị: Sở Khoa học và Công nghệ"]) is None
    assert document_unit(["PHỤ LỤC", "Đơn vị: triệu đồng"]) is None
