"""Numbers, words, periods and sources as printed in the seed documents."""
from decimal import Decimal

import pytest

from loaders.text.numbers import (
    NumberFormatError,
    parse_vn_number,
    to_vnd,
    words_to_vnd,
)
from loaders.text.periods import PeriodFormatError, parse_period, quarters_label
from loaders.text.sources import classify_source, is_source_note


@pytest.mark.parametrize(
    "text, unit, expected",
    [
        ("3.300.000.000", "đồng", 3_300_000_000),
        ("1.500.000", "Đồng", 1_500_000),
        ("7.665,99", "triệu đồng", 7_665_990_000),
        ("13.638", "triệu đồng", 13_638_000_000),
        ("10.000,0", "triệu đồng", 10_000_000_000),
        ("2.5", "tỷ đồng", 2_500_000_000),
        ("20", "tỷ đồng", 20_000_000_000),
        ("0", "triệu đồng", 0),
    ],
)
def test_amounts_to_integer_dong(text, unit, expected):
    value = to_vnd(text, unit)
    assert value == expected
    assert isinstance(value, int)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.23.456", "12.3456.789"])
def test_bad_numbers_are_rejected(text):
    with pytest.raises(NumberFormatError):
        parse_vn_number(text)


def test_fraction_of_a_dong_is_rejected():
    with pytest.raises(NumberFormatError):
        to_vnd("1,5", "đồng")


def test_decimal_comma():
    assert parse_vn_number("0,7") == Decimal("0.7")
    assert parse_vn_number("28,6") == Decimal("28.6")


@pytest.mark.parametrize(
    "words, expected",
    [
        ("(Bằng chữ: Một tỷ không trăm mười lăm triệu đồng./.)", 1_015_000_000),
        ("(Bằng chữ: Bảy trăm ba mươi triệu đồng./.)", 730_000_000),
        ("(Bằng chữ: Sáu tỷ năm trăm ba mươi sáu triệu đồng)", 6_536_000_000),
        ("(Bằng chữ: Ba mươi hai triệu năm trăm nghìn đồng./.)", 32_500_000),
        ("(Bằng chữ: Sáu trăm triệu đồng chẵn./.)", 600_000_000),
        ("(Bằng chữ: Một tỷ hai trăm năm mươi tư triệu đồng./.)", 1_254_000_000),
        ("Một trăm linh năm nghìn đồng", 105_000),
        ("Hai mươi mốt triệu đồng", 21_000_000),
        ("Ba mươi lăm ngàn đồng", 35_000),
    ],
)
def test_words_to_vnd(words, expected):
    assert words_to_vnd(words) == expected


def test_words_that_are_not_a_number():
    with pytest.raises(NumberFormatError):
        words_to_vnd("(Bằng chữ: đồng./.)")


@pytest.mark.parametrize(
    "text, quarters",
    [
        ("Quý II", (2,)),
        ("Qúy IV", (4,)),
        ("Quý I,II", (1, 2)),
        ("Quý I, II, III", (1, 2, 3)),
        ("Quý II, III, IV", (2, 3, 4)),
        ("Năm 2024", (1, 2, 3, 4)),
    ],
)
def test_periods(text, quarters):
    assert parse_period(text).quarters == quarters


def test_whole_year_keeps_its_year():
    p = parse_period("Năm 2024")
    assert p.year == 2024 and p.is_whole_year and p.quarters_text == "1,2,3,4"


@pytest.mark.parametrize("text", ["Tháng 5", "Quý V", "2024", ""])
def test_unknown_periods_raise(text):
    with pytest.raises(PeriodFormatError):
        parse_period(text)


def test_quarter_labels():
    assert quarters_label((2,)) == "Quý II"
    assert quarters_label((2, 3)) == "Quý II–III"
    assert quarters_label((1, 3)) == "Quý I, III"
    assert quarters_label((1, 2, 3, 4)) == "Cả năm"
    assert quarters_label(()) == "Không rõ thời gian"


@pytest.mark.parametrize(
    "text, code",
    [
        ("Nguồn SNKH", "SNKH"),
        ("Nguồn QLNN", "QLNN"),
        ("Nguồn QLNN và Nguồn SNKH", "MIXED"),
        ("Nguồn thu phí", "THU_PHI"),
        ("Nguồn thu phí, lệ phí", "THU_PHI"),
        ("Kinh phí đầu tư phát triển KH&CN", "DTPT"),
        ("Các nhiệm vụ KH&CN được cấp kinh phí từ ngân sách SNKH Trung ương", "SNKH_TW"),
        ("Kinh phí sự nghiệp KH&CN", "SNKH"),
        ("kinh phí pháp chế", "OTHER"),
        ("(02 nhiệm vụ)", None),
        (None, None),
    ],
)
def test_sources(text, code):
    assert classify_source(text) == code


def test_source_note_blocks():
    assert is_source_note("Nguồn QLNN và Nguồn SNKH")
    assert is_source_note("Nguồn QLNN")
    assert not is_source_note("Thanh tra việc chấp hành các quy định của pháp luật")
