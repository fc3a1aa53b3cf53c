"""Vietnamese number formats and amounts in words.

Rules from ``../shared/GLOSSARY.md`` ("Money"):

* "." groups thousands and "," marks decimals: ``3.300.000.000`` = 3,300,000,000;
  ``7.665,99`` (triệu đồng) = 7,665.99 million.
* A dot that is *not* followed by exactly three digits is a decimal point
  (``2.5`` tỷ = 2.5 billion).
* Amounts are stored as integers in đồng; 1 triệu = 10^6 đồng, 1 tỷ = 10^9 đồng.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from vietnam_number import w2n

UNIT_FACTORS = {
    "đồng": 1,
    "nghìn đồng": 1_000,
    "triệu đồng": 1_000_000,
    "tỷ đồng": 1_000_000_000,
}

# A number as printed: digits with "." thousand groups and an optional "," decimal part,
# or digits with a single "." decimal point.
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
# An amount in đồng as printed in a budget table: 1–3 digits then at least one ".ddd" group.
VND_AMOUNT_RE = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,]*\d)")


class NumberFormatError(ValueError):
    """Raised when a text is not a number in the Vietnamese format."""


def parse_vn_number(text: str) -> Decimal:
    """Parse a number printed the Vietnamese way.

    ``"3.300.000.000"`` → ``Decimal(3300000000)``; ``"7.665,99"`` → ``Decimal("7665.99")``;
    ``"2.5"`` → ``Decimal("2.5")``; ``"10.000,0"`` → ``Decimal("10000.0")``; ``"0,7"`` → 0.7.

    Raises ``NumberFormatError`` for anything else (empty text, letters, "1,2,3").
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if not s or not NUMBER_RE.fullmatch(s):
        raise NumberFormatError(f"không phải số: {text!r}")
    if "," in s:
        integer, _, decimals = s.rpartition(",")
        if "," in integer or not re.fullmatch(r"\d{1,3}(\.\d{3})*|\d+", integer):
            raise NumberFormatError(f"số không hợp lệ: {text!r}")
        s = integer.replace(".", "") + "." + decimals
    elif "." in s:
        groups = s.split(".")
        if all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3:
            s = "".join(groups)
        elif len(groups) == 2:
            pass  # "2.5": a decimal point
        else:
            raise NumberFormatError(f"số không hợp lệ: {text!r}")
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise NumberFormatError(f"không phải số: {text!r}") from exc


def unit_factor(unit: str) -> int:
    """Factor from a printed unit ("Đồng", "triệu đồng", "tỷ đồng") to đồng.

    Raises ``KeyError`` for an unknown unit.
    """
    key = " ".join(unit.lower().replace("đơn vị tính:", "").split())
    if key in ("đ", "vnđ", "vnd"):
        key = "đồng"
    if key in ("triệu", "tr.đ", "trđ"):
        key = "triệu đồng"
    if key in ("tỷ", "tỉ", "tỉ đồng"):
        key = "tỷ đồng"
    return UNIT_FACTORS[key]


def to_vnd(text: str, unit: str = "đồng") -> int:
    """Convert a printed amount in ``unit`` to an integer number of đồng.

    ``to_vnd("7.665,99", "triệu đồng")`` → 7_665_990_000; ``to_vnd("2.5", "tỷ đồng")`` →
    2_500_000_000. Raises ``NumberFormatError`` when the text is not a number or does not
    come to a whole number of đồng.
    """
    value = parse_vn_number(text) * unit_factor(unit)
    if value != value.to_integral_value():
        raise NumberFormatError(f"{text!r} {unit} không tròn đồng")
    return int(value)


_WORDS_NOISE = re.compile(r"[().,/:;]")


def words_to_vnd(text: str) -> int:
    """Read an amount written in words ("Bằng chữ") as an integer number of đồng.

    ``"(Bằng chữ: Một tỷ không trăm mười lăm triệu đồng./.)"`` → 1_015_000_000.
    Handles không trăm, linh/lẻ, mốt, tư, lăm, nghìn/ngàn, triệu, tỷ and "chẵn" (exactly).
    Raises ``NumberFormatError`` when the words are not a number.
    """
    s = text.lower()
    s = re.sub(r"^\W*bằng chữ\s*:?", "", s.strip())
    s = _WORDS_NOISE.sub(" ", s)
    s = re.sub(r"\b(đồng|chẵn|chẳn|vnđ)\b", " ", s)
    s = s.replace("ngàn", "nghìn").replace("tỉ", "tỷ")
    s = " ".join(s.split())
    if not s:
        raise NumberFormatError(f"không đọc được số bằng chữ: {text!r}")
    try:
        value = w2n(s)
    except Exception as exc:  # the library raises several kinds of errors
        raise NumberFormatError(f"không đọc được số bằng chữ: {text!r}") from exc
    if value is None:
        raise NumberFormatError(f"không đọc được số bằng chữ: {text!r}")
    return int(value)
