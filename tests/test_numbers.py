"""Property tests of the number parser and the amount-in-words reader (loaders/numbers.py).

Printed forms follow the GLOSSARY ("Money"): "." groups thousands, "," marks decimals, a
minus sign or parentheses make an amount negative, amounts are whole đồng up to 10^15.
"""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from loaders.text.numbers import (
    MAX_VND,
    AmountError,
    NumberFormatError,
    UnitError,
    canonical_unit,
    find_unit,
    looks_like_number,
    to_vnd,
    words_to_vnd,
)

FACTORS = {"đồng": 1, "nghìn đồng": 10**3, "triệu đồng": 10**6, "tỷ đồng": 10**9}


def grouped(n: int) -> str:
    """A non-negative integer with "." thousand groups: 1234567 → "1.234.567"."""
    return f"{n:,}".replace(",", ".")


def printed(value: Decimal) -> str:
    """A non-negative decimal as a Vietnamese table prints it: "1.234,5"."""
    integer = int(value)
    frac = value - integer
    text = grouped(integer)
    if frac:
        text += "," + format(frac, "f").split(".")[1].rstrip("0")
    return text


SIGNS = [lambda t: "-" + t, lambda t: "− " + t, lambda t: "(" + t + ")", lambda t: "–" + t]


@given(st.integers(min_value=0, max_value=MAX_VND), st.sampled_from([None, *SIGNS]))
def test_whole_dong_amounts_round_trip_with_their_sign(n, sign):
    text = printed(Decimal(n))
    if sign is None:
        assert to_vnd(text, "đồng") == n
    else:
        assert to_vnd(sign(text), "Đồng") == -n


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=3),
    st.sampled_from(["nghìn đồng", "triệu đồng", "tỷ đồng"]),
)
def test_decimals_in_larger_units_become_exact_dong(units, decimals, unit):
    value = Decimal(units) / (10**decimals)
    expected = value * FACTORS[unit]
    text = printed(value)
    if expected != int(expected) or abs(expected) > MAX_VND:
        with pytest.raises(AmountError):
            to_vnd(text, unit)
    else:
        got = to_vnd(text, unit)
        assert got == int(expected) and isinstance(got, int)


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=9))
def test_a_fraction_of_a_dong_is_refused(n, tenth):
    with pytest.raises(AmountError):
        to_vnd(f"{grouped(n)},{tenth}", "đồng")


@given(st.integers(min_value=MAX_VND + 1, max_value=10**18))
def test_amounts_above_a_million_ty_are_refused(n):
    with pytest.raises(AmountError):
        to_vnd(printed(Decimal(n)), "đồng")


@given(st.integers(min_value=1000, max_value=10**12), st.data())
def test_a_misprinted_digit_is_refused_not_skipped(n, data):
    text = grouped(n)
    digits = [i for i, ch in enumerate(text) if ch.isdigit() and i > 0]
    i = data.draw(st.sampled_from(digits))
    bad = text[:i] + data.draw(st.sampled_from("OolI")) + text[i + 1:]
    assert looks_like_number(bad)
    with pytest.raises(NumberFormatError):
        to_vnd(bad, "đồng")


@pytest.mark.parametrize("text", ["1.2.3", "40.000.00O", "1,2,3", "12.3456.789", "5.000.000-", "(5.000.000"])
def test_number_like_texts_that_are_not_amounts(text):
    with pytest.raises(NumberFormatError):
        to_vnd(text, "đồng")


@pytest.mark.parametrize(
    "text, expected",
    [("45,5", 45_500_000), ("1.234,5", 1_234_500_000), ("2.5", 2_500_000), ("0", 0), ("-0,5", -500_000)],
)
def test_triệu_dong_decimals(text, expected):
    assert to_vnd(text, "triệu đồng") == expected


@pytest.mark.parametrize(
    "text, unit",
    [("Đơn vị tính: Đồng", "đồng"), ("Đơn vị tính: triệu đồng", "triệu đồng"), ("Đơn vị: Tr.đ", "triệu đồng"),
     ("(ngàn đồng)", "nghìn đồng"), ("Dự toán (tỷ đồng)", "tỷ đồng"), ("ĐƠN VỊ TÍNH: VNĐ", "đồng")],
)
def test_units_of_amounts(text, unit):
    assert find_unit(text) == unit


@pytest.mark.parametrize("text", ["Đơn vị tính: USD", "Đơn vị tính: lượt", "Đơn vị tính: triệu"])
def test_unknown_units_are_refused(text):
    if text.endswith("triệu"):
        assert find_unit(text) == "triệu đồng"  # "triệu" alone is a unit of amount
        return
    with pytest.raises(UnitError):
        find_unit(text)
    with pytest.raises(UnitError):
        to_vnd("5", text.split(":")[1])


def test_no_unit_named():
    assert find_unit("Nội dung thực hiện") is None
    with pytest.raises(UnitError):
        canonical_unit("")


# --------------------------------------------------------------------------- words

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _group(n: int, inner: bool, draw) -> list[str]:
    """Words of 0 < n < 1000; ``inner``: a group after a larger one ("không trăm linh năm")."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if inner or h:
        words += [DIGITS[h], "trăm"]
    if t == 0:
        if u:
            if words:
                words.append(draw(st.sampled_from(["linh", "lẻ"])))
            words.append(DIGITS[u])
    elif t == 1:
        words.append("mười")
        if u:
            words.append("lăm" if u == 5 else DIGITS[u])
    else:
        words += [DIGITS[t], draw(st.sampled_from(["mươi", "mươi", "chục"])) if u == 0 else "mươi"]
        if u == 1:
            words.append("mốt")
        elif u == 4:
            words.append(draw(st.sampled_from(["tư", "bốn"])))
        elif u == 5:
            words.append(draw(st.sampled_from(["lăm", "nhăm"])))
        elif u:
            words.append(DIGITS[u])
    return words


def _below_billion(n: int, inner: bool, draw) -> list[str]:
    words: list[str] = []
    for scale, word in ((10**6, "triệu"), (10**3, draw(st.sampled_from(["nghìn", "ngàn"]))), (1, None)):
        g = n // scale % 1000
        if g:
            words += _group(g, inner or bool(words), draw)
            if word:
                words.append(word)
    return words


def vietnamese_words(n: int, draw) -> str:
    """0 ≤ n < 10^15 written in Vietnamese words, as a "Bằng chữ" line would."""
    if n == 0:
        return "không"
    high, low = divmod(n, 10**9)
    words = []
    if high:
        words = _below_billion(high, False, draw) + ["tỷ"]
    if low:
        words += _below_billion(low, bool(high), draw)
    return " ".join(words)


@given(st.integers(min_value=0, max_value=10**15 - 1), st.data())
def test_amounts_in_words_round_trip(n, data):
    words = vietnamese_words(n, data.draw)
    dress = data.draw(st.sampled_from(["{} đồng", "(Bằng chữ: {} đồng./.)", "{} đồng chẵn", "{}"]))
    text = dress.format(words[0].upper() + words[1:])
    assert words_to_vnd(text) == n, text


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_amounts_in_words_of_the_num2words_library(n):
    words = num2words(n, lang="vi")
    assert words_to_vnd(words + " đồng") == n, words


@pytest.mark.parametrize(
    "words", ["(Bằng chữ: đồng./.)", "Một trăm mười hai ba đồng", "Một triệu nghìn đồng", "Mười mươi đồng", "tám tám"]
)
def test_words_that_are_not_a_number_are_refused(words):
    with pytest.raises(NumberFormatError):
        words_to_vnd(words)


def test_negative_amount_in_words():
    assert words_to_vnd("(Bằng chữ: Âm năm triệu đồng)") == -5_000_000


def test_thousands_grouped_with_spaces():
    from loaders.text.numbers import to_vnd, ungroup_spaces

    assert to_vnd("1 295 000 000") == 1_295_000_000
    assert to_vnd("(2 500 000)") == -2_500_000
    assert to_vnd("1\u00a0234,5", "triệu đồng") == 1_234_500_000
    # two numbers of adjacent columns run together, or groups that are not thousands: as printed
    assert ungroup_spaces("120 150") == "120 150" and ungroup_spaces("12 45") == "12 45"
    assert ungroup_spaces("1.200 450") == "1.200 450"


def test_thousands_grouped_with_commas_as_an_english_excel_types_them():
    from loaders.text.numbers import english_grouped, parse_vn_number, to_vnd

    assert to_vnd("1,250,000,000") == 1_250_000_000 and to_vnd("(2,500,000)") == -2_500_000
    assert english_grouped("1,250,000") and not english_grouped("186,400") and not english_grouped("1.250.000")
    assert parse_vn_number("186,400") == Decimal("186.4")  # one comma: the Vietnamese decimal mark


def test_an_increase_printed_with_its_plus_sign():
    from loaders.text.numbers import to_vnd

    assert to_vnd("+450.000.000") == 450_000_000 and to_vnd("-150.000.000") == -150_000_000
