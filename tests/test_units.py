"""Unit names (``loaders/units.py``, ``data/vocabulary/units.csv``) and their application in
the enrichment pass (``loaders.text.catalogue.canonicalise_units``)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.enrich import enrich
from loaders.model import BudgetLine, DocumentMeta, IndicatorTarget, ParseResult, Task
from loaders.text.units import (
    canonical_unit,
    is_canonical_unit,
    load_unit_vocabulary,
    read_unit,
    unit_abbreviations,
)
from loaders.text.vocabulary import VocabularyError


@pytest.mark.parametrize(
    "text, name, assignees",
    [
        # one office, four spellings (004 and the brief)
        ("Văn phòng", "Văn phòng Sở", None),
        ("Văn phòng Sở", "Văn phòng Sở", None),
        ("VP Sở", "Văn phòng Sở", None),
        ("Văn phòng (Kiều)", "Văn phòng Sở", "Kiều"),
        ("Văn phòng Sở (Thuận, Cuộc, Kiều)", "Văn phòng Sở", "Thuận, Cuộc, Kiều"),
        ("Trung tâm Ứng dụng Tiên bộ KH&CN (Vũ Quan và Huỳnh Phước Thành)", "Trung tâm Ứng dụng tiến bộ KH&CN",
         "Vũ Quan và Huỳnh Phước Thành"),
        ("Trung tâm Ứng dụng (Lê Trung Tâm và Lữ Ngọc Lan Trinh)", "Trung tâm Ứng dụng tiến bộ KH&CN",
         "Lê Trung Tâm và Lữ Ngọc Lan Trinh"),
        # 000: the unit after "Phòng/đơn vị:" without "Phòng"
        ("Kế hoạch - Quản lý khoa học", "Phòng Kế hoạch – Quản lý khoa học", None),
        ("Quản lý Công nghệ - ATBX,HN và Sở hữu trí tuệ", "Phòng Quản lý Công nghệ – ATBX,HN và SHTT", None),
        ("Trung tâm Kỹ thuật tiêu chuẩn - Đo lường - Chất lượng", "Trung tâm Kỹ thuật TĐC", None),
        ("Trung tâm TĐC", "Trung tâm Kỹ thuật TĐC", None),
        ("Chi cục Tiêu chuẩn Đo lường Chất lượng (TĐC)", "Chi cục TĐC", None),
        # 2025 names, lists with a shared head and a qualifier
        ("TT ĐMST", "Trung tâm ĐMST", None),
        ("Phòng KĐC, TT ĐMST", "Phòng KĐC, Trung tâm ĐMST", None),
        ("Văn phòng Sở, Phòng KĐC, TĐC, HTS theo chức năng nhiệm vụ",
         "Văn phòng Sở, Phòng KĐC, Phòng TĐC, Phòng HTS", None),
        ("Các phòng CM, NV, đơn vị sự nghiệp thuộc Sở", "Các phòng, đơn vị thuộc Sở", None),
        ("Văn phòng Sở và Phòng KĐC", "Văn phòng Sở, Phòng KĐC", None),
        ("VĂN PHÒNG SỞ", "Văn phòng Sở", None),
    ],
)
def test_spellings_give_one_canonical_name(text, name, assignees):
    got_name, got_assignees, recognised = canonical_unit(text)
    assert (got_name, got_assignees, recognised) == (name, assignees, True)
    assert is_canonical_unit(got_name)
    assert canonical_unit(got_name) == (name, None, True)  # idempotent


def test_typo_in_an_abbreviation_is_corrected_and_reported():
    r = read_unit("Văn phòng Sở, Phòng KĐC, Trung tâm ĐSMT theo chức năng nhiệm vụ")
    assert (r.name, r.recognised, r.corrections) == ("Văn phòng Sở, Phòng KĐC, Trung tâm ĐMST", True, ("ĐSMT → ĐMST",))
    assert "ĐSMT" not in unit_abbreviations() and {"KĐC", "HTS", "TĐC", "ĐMST"} <= unit_abbreviations()


@pytest.mark.parametrize(
    "text, name",
    [
        ("Phòng Hợp tác quốc tế", "Phòng Hợp tác quốc tế"),
        ("  Phòng   Hợp tác quốc tế (Lan) ", "Phòng Hợp tác quốc tế"),
        ("TĐC", "TĐC"),  # a bare TĐC is the Chi cục before 2025 and the Phòng after: not guessed
        ("Văn phòng Sở, Ban Quản lý dự án", "Văn phòng Sở, Ban Quản lý dự án"),
        # "và" inside a name does not cut it into two known units
        ("Trung tâm Ứng dụng và Thông tin khoa học", "Trung tâm Ứng dụng và Thông tin khoa học"),
    ],
)
def test_unknown_units_are_kept_cleaned_and_not_recognised(text, name):
    got, _, recognised = canonical_unit(text)
    assert (got, recognised) == (name, False)
    assert not is_canonical_unit(got)


def test_parentheses_that_are_not_names_stay():
    assert canonical_unit("Phòng Quản lý chuyên ngành (ATBX, SHTT)")[1] is None
    assert canonical_unit("Văn phòng (Sở)")[1] is None


def test_empty():
    assert canonical_unit(None) == ("", None, False)
    assert canonical_unit("  ") == ("", None, False)


_NAMES = st.lists(st.sampled_from(["Thuận", "Kiều", "Lê Văn An", "Huỳnh Thị Thanh Liễu"]), min_size=1, max_size=3,
                  unique=True)


@settings(max_examples=100, deadline=None)
@given(unit=st.sampled_from(["Văn phòng", "Văn phòng Sở", "VP Sở", "Chi cục TĐC", "Thanh tra Sở", "Phòng KĐC"]),
       names=_NAMES, sep=st.sampled_from([", ", " và ", "; "]), space=st.sampled_from([" ", "  ", ""]))
def test_assignees_never_become_part_of_the_unit(unit, names, sep, space):
    name, assignees, recognised = canonical_unit(f"{unit}{space}({sep.join(names)})")
    assert recognised and is_canonical_unit(name)
    assert assignees == sep.join(names)
    assert all(n not in name for n in names)


def test_enrich_puts_canonical_units_and_keeps_the_printed_text():
    meta = DocumentMeta(file_name="x.txt")
    result = ParseResult(meta=meta)
    result.budget_lines.append(BudgetLine("L1", 2025, "approved", "dự toán", "expenditure", "SNKH", 10, 1000,
                                          description="Hội nghị", unit="VP Sở"))
    result.tasks.append(Task("T1", 2025, "Tổng hợp báo cáo", 20, lead_unit="Văn phòng (Kiều)"))
    result.tasks.append(Task("T2", 2025, "Tổng hợp", 21, lead_unit="Văn phòng Sở, Trung tâm ĐSMT"))
    result.indicators.append(IndicatorTarget("I1", 2025, "Chỉ số PII", 30, lead_unit="Phòng Hợp tác quốc tế"))
    enrich(result)
    bl, t1, t2, ind = result.budget_lines[0], result.tasks[0], result.tasks[1], result.indicators[0]
    assert (bl.unit, bl.unit_printed) == ("Văn phòng Sở", "VP Sở")
    assert (t1.lead_unit, t1.lead_unit_printed, t1.assignees) == ("Văn phòng Sở", "Văn phòng (Kiều)", "Kiều")
    assert t2.lead_unit == "Văn phòng Sở, Trung tâm ĐMST"
    assert (ind.lead_unit, ind.lead_unit_printed) == ("Phòng Hợp tác quốc tế", None)
    typo = [i for i in result.issues if "ĐSMT" in i.message]
    assert len(typo) == 1 and typo[0].line == 21
    enrich(result)  # a second pass changes nothing
    assert (bl.unit, bl.unit_printed, t1.lead_unit_printed) == ("Văn phòng Sở", "VP Sở", "Văn phòng (Kiều)")


def test_shipped_documents_units_are_all_recognised(parsed, manifest):
    for name in manifest:
        r = parsed(name)
        units = {b.unit for b in r.budget_lines if b.unit} | {t.lead_unit for t in r.tasks if t.lead_unit} | {
            i.lead_unit for i in r.indicators if i.lead_unit}
        assert all(is_canonical_unit(u) for u in units), (name, [u for u in units if not is_canonical_unit(u)])


def test_bad_vocabulary_names_file_and_line(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("unit,full_name,abbreviations,spellings,comment\nVăn phòng Sở,,VP,văn phòng,\n"
                    "Văn phòng Sở,,,vp,dup\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as info:
        load_unit_vocabulary(path)
    assert info.value.line == 3 and "Văn phòng Sở" in str(info.value)
    path.write_text("unit,full_name,abbreviations,spellings,comment\nPhòng X,,,(phòng x,bad\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as info:
        load_unit_vocabulary(path)
    assert info.value.line == 2
