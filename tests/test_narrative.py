"""Tests of loaders.families.narrative on section A of the Điện Biên 2022 plan (data/raw/001_…)."""
from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
from helpers import printed, shows_value  # noqa: F401

from loaders.families import narrative, report
from loaders.families.prose.claim_records import is_partial
from loaders.model import DocumentMeta

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
FILE = RAW / "001_3dc3e512645fa543.txt"
DEFAULT_PERIOD = ("2020–6/2021", date(2020, 1, 1), date(2021, 6, 30), None)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return FILE.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def extracted(lines):
    return narrative.extract_actuals(lines, DocumentMeta(file_name=FILE.name))


@pytest.fixture(scope="module")
def actuals(extracted):
    return extracted[0]


@pytest.fixture(scope="module")
def issues(extracted):
    return extracted[1]


def at(actuals, line, value, unit=None):
    found = [a for a in actuals if a.source_line == line and a.value == value and (unit is None or a.unit == unit)]
    assert len(found) == 1, (line, value, unit, found)
    return found[0]


def parts_of(actuals, whole):
    return [a for a in actuals if a.parent_id == whole.actual_id]


def test_only_section_a_is_read(actuals):
    assert actuals
    # Section A starts at line 13; the 2020–2021 budget table starts at line 235.
    assert all(13 < a.source_line < 235 for a in actuals)


def test_provincial_tasks_by_field(actuals):
    whole = at(actuals, 63, 23, "nhiệm vụ")
    parts = parts_of(actuals, whole)
    assert [(p.source_line, p.value, p.field) for p in parts] == [
        (65, 11, "nông nghiệp"),
        (66, 2, "công nghệ thông tin"),
        (67, 7, "văn hóa xã hội và du lịch"),
        (68, 1, "y tế - giáo dục"),
        (69, 2, "khác"),
    ]
    assert sum(p.value for p in parts) == whole.value
    shares = [a for a in actuals if a.unit == "%" and a.name.startswith("Tỷ trọng nhiệm vụ KH&CN cấp tỉnh")]
    assert [(s.source_line, s.value) for s in shares] == [(65, 47.8), (66, 8.7), (67, 30.5), (68, 4.3), (69, 8.7)]
    assert all(s.parent_id is None for s in shares)


def test_national_tasks_nested_breakdown(actuals):
    nat = at(actuals, 37, 5)
    ntmn = at(actuals, 39, 4)
    assert ntmn.parent_id == nat.actual_id
    assert at(actuals, 45, 1).parent_id == nat.actual_id
    assert [p.value for p in parts_of(actuals, nat)] == [4, 1]
    assert [p.value for p in parts_of(actuals, ntmn)] == [3, 1]
    assert {nat.unit, ntmn.unit} == {"nhiệm vụ"} and ntmn.note == "04 dự án"


def test_licences(actuals):
    assert at(actuals, 115, 17).unit == "giấy phép"
    assert at(actuals, 115, 14).unit == "cơ sở"
    six = at(actuals, 115, 6)
    assert six.unit == "nhân viên" and "chứng chỉ" in six.name


def test_iso_ratios_and_breakdown(actuals):
    total = at(actuals, 159, 172, "cơ quan")
    mandatory = at(actuals, 161, 43, "cơ quan")
    communes = at(actuals, 165, 129, "cơ quan")
    assert mandatory.note == "43/43 (100%)"
    assert communes.note == "129/129 (100%)"
    assert [p.value for p in parts_of(actuals, total)] == [43, 129]
    assert [p.value for p in parts_of(actuals, mandatory)] == [19, 10, 14]


def test_inspections_and_checks(actuals):
    assert at(actuals, 201, 6).unit == "cuộc"  # 06 cuộc kiểm tra TĐC
    insp = at(actuals, 211, 4, "cuộc")  # 04 cuộc thanh tra = 03 + 01
    assert [p.value for p in parts_of(actuals, insp)] == [3, 1]
    ptd = at(actuals, 205, 2559)
    assert [p.value for p in parts_of(actuals, ptd)] == [2506, 53]


def test_intellectual_property(actuals):
    apps = at(actuals, 191, 18, "đơn")
    granted = at(actuals, 191, 5, "văn bằng")
    assert granted.parent_id == apps.actual_id and is_partial(granted)


@pytest.mark.parametrize(
    "line, value, unit",
    [
        (75, 7, "mô hình"),
        (83, 2, "tổ chức"),
        (83, 0, "tổ chức"),
        (119, 2, "cơ sở"),
        (127, 5, "số"),
        (127, 11700, "ấn phẩm"),
        (129, 2250, "bản tin"),
        (139, 9, "đề tài/dự án"),
        (141, 17, "nhiệm vụ"),
        (147, 100, "%"),
        (155, 64, "TTHC"),
        (169, 3, "dự án"),
        (203, 100, "học viên"),
        (225, 1, "cuộc"),
    ],
)
def test_spot_checks(actuals, line, value, unit):
    at(actuals, line, value, unit)


def test_periods(actuals):
    by_line = {}
    for a in actuals:
        by_line.setdefault(a.source_line, set()).add((a.period, a.period_start, a.period_end, a.fiscal_year))
    for line in (37, 63, 115, 159, 191, 201, 205, 211, 223):
        assert by_line[line] == {DEFAULT_PERIOD}, line
    # "Tết Nguyên đán Canh Tý năm 2020", "công tác CCHC năm 2020": the year of the sentence.
    for line in (217, 221):
        assert by_line[line] == {("2020", date(2020, 1, 1), date(2020, 12, 31), 2020)}, line


def test_breakdowns_add_up_and_broken_copy_is_reported(actuals, issues):
    assert report.check_breakdowns(actuals) == []
    assert not [i for i in issues if "≠" in i.message]
    broken = copy.deepcopy(actuals)
    at(broken, 164, 14).value = 15
    found = report.check_breakdowns(broken)
    assert len(found) == 1 and found[0].line == 161 and "44" in found[0].message


def test_share_check_catches_a_wrong_share(lines):
    altered = list(lines)
    altered[64] = altered[64].replace("47,8%", "57,8%")
    _, found = narrative.extract_actuals(altered, DocumentMeta(file_name="x"))
    messages = [i.message for i in found if i.line == 65]
    assert any("57,8%" in m for m in messages)


def test_printed_shares_match_counts(issues):
    # 7/23 = 30,43% is printed 30,5% (rounded so that the shares add up to 100%): within tolerance.
    assert not [i for i in issues if i.line in range(63, 70)]


def test_issues(issues):
    assert not [i for i in issues if i.severity == "error"]
    # "Phối hợp thanh tra, kiểm tra 02 cuộc, cụ thể:" is followed by four "+" items.
    assert [i.line for i in issues if "liệt kê 4 mục" in i.message] == [215]
    # Investment totals are plans, reported and left out.
    assert sorted(i.line for i in issues if "tổng mức đầu tư" in i.message) == [171, 173, 175]
    assert not [i for i in issues if "chưa được đọc" in i.message]
    assert len(issues) == 4


def test_every_source_line_shows_its_value(lines, actuals):
    for a in actuals:
        assert shows_value(lines[a.source_line - 1], a.value), (a.actual_id, a.value)
        assert shows_value(a.sentence, a.value), (a.actual_id, a.sentence)


def test_ids(actuals):
    ids = [a.actual_id for a in actuals]
    assert len(ids) == len(set(ids))
    for a in actuals:
        prefix, line, _ = a.actual_id.split("/")
        assert (prefix, int(line)) == ("KQ", a.source_line)


def test_without_section_a():
    actuals, issues = narrative.extract_actuals(["KẾ HOẠCH", "B. Dự toán"], DocumentMeta(file_name="x"))
    assert actuals == [] and issues[0].severity == "error"
