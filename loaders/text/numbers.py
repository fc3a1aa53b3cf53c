"""Vietnamese number formats, units of amounts and amounts in words.

Rules from ``../shared/GLOSSARY.md`` ("Money"):

* "." groups thousands and "," marks decimals: ``3.300.000.000`` = 3,300,000,000;
  ``7.665,99`` (triệu đồng) = 7,665.99 million.
* A dot that is *not* followed by exactly three digits is a decimal point
  (``2.5`` tỷ = 2.5 billion).
* Amounts are integers in đồng (computed with ``Decimal``, never ``float``);
  1 nghìn = 10^3, 1 triệu = 10^6, 1 tỷ = 10^9 đồng ("Đơn vị tính: Đồng / triệu đồng / tỷ đồng").
* A negative amount is printed "-5.000.000", "− 5.000.000" or "(5.000.000)" (accounting style).
* A dash alone in an amount cell ("-", "–", "—") means no amount (:data:`NO_AMOUNT_RE`). Anything
  else that is not a number in these formats is refused, never read as a guess: digit groups
  separated by spaces ("5 000 000"), a number with a unit word ("5 triệu"), a number behind an
  em dash ("—5.000.000").

Errors: :class:`NumberFormatError` (a text that is not a number), and its subclasses
:class:`AmountError` (a number that is not a valid amount: not whole đồng, above
:data:`MAX_VND`) and :class:`UnitError` (a unit of amount that is not known).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from loaders.paths import DATA

UNIT_FACTORS = {
    "đồng": 1,
    "nghìn đồng": 1_000,
    "triệu đồng": 1_000_000,
    "tỷ đồng": 1_000_000_000,
}
#: Spellings of the units of amount, reviewed data (``data/vocabulary/amount_units.csv``:
#: "Tr.đ", "(ngàn đồng)", "tỉ đồng", "1.000.000 đồng", the typing slips "Tiệu đồng", "Triệu dồng").
AMOUNT_UNITS_CSV = DATA / "vocabulary" / "amount_units.csv"


@functools.cache
def _unit_by_spelling() -> dict[str, str]:
    import csv

    out: dict[str, str] = {}
    with AMOUNT_UNITS_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["unit"] not in UNIT_FACTORS or int(row["factor"]) != UNIT_FACTORS[row["unit"]]:
                raise UnitError(f"{AMOUNT_UNITS_CSV.name}: đơn vị {row['unit']!r} / hệ số {row['factor']!r} không hợp lệ")
            for spelling in row["spellings"].split("|"):
                out[" ".join(spelling.strip().lower().split())] = row["unit"]
    return out


#: The label of a unit line: "Đơn vị tính:", "Đơn vị:", "ĐV tính:", "ĐVT:" (PUBLIC_FORMS.md).
UNIT_LABEL_RE = re.compile(r"^\s*(?:đơn vị tính|đơn vị|đv tính|đvt)\s*:?", re.I)

MAX_VND = 10**15  # an amount above this (a million tỷ) is a reading error, not a budget line

# A number as printed: digits with "." thousand groups and an optional "," decimal part,
# or digits with a single "." decimal point.
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
# A signed amount as printed in a cell: "-5.000.000", "− 5.000.000", "(5.000.000)", "45,5".
_SIGNED_RE = re.compile(r"^(?P<sign>[-−–+]\s?)?(?P<body>[^\s()]+)$|^\((?P<paren>[^\s()]+)\)$")
#: A dash alone ("-", "−", "–", "—") in an amount cell: the cell holds no amount (NULL, never 0).
NO_AMOUNT_RE = re.compile(r"^\s*[-−–—]\s*$")
# Something that looks like a number a table would print (possibly misprinted, e.g. with a
# letter O for a zero): used to refuse "1.2.3" or "40.000.00O" rather than skip them.
NUMBER_LIKE_RE = re.compile(r"^(?:[-−–+]\s?)?(?:\d[\d.,OoIl]*|\(\d[\d.,OoIl]*\))$")


# Thousands grouped with a space as some typists do ("1 250 000 000", also with a no-break,
# narrow or thin space): only whole groups of three digits, and at least two of them or a
# decimal part ("1 250 000", "1 234,5"), so "12 45" and "120 150" (two numbers of adjacent
# columns run together in extracted text) are never read as one.
_SPACE_GROUPED_RE = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3}){2,}(?![\d.,])|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?=,\d+(?![\d.,])))")


def ungroup_spaces(text: str) -> str:
    """``text`` with thousands grouped by spaces joined: "1 250 000 000" → "1250000000",
    "(2 500 000)" → "(2500000)", "1 234,5" → "1234,5". Groups must be three digits after a
    first group of one to three, at least two groups or a decimal part ("120 150" is left as
    printed: two numbers); anything else is left as printed."""
    return _SPACE_GROUPED_RE.sub(lambda m: re.sub(r"[ \u00a0\u202f\u2009]", "", m.group(1)), text.strip())


# Thousands separated by commas, as an Excel set to English types them: two groups at least
# ("1,250,000", "1,250,000,000"), no dot. A Vietnamese decimal has one comma, so this is never
# one; a lone "186,400" stays a decimal (186,4).
_ENGLISH_GROUPED_RE = re.compile(r"\d{1,3}(?:,\d{3}){2,}")


def english_grouped(text: str) -> bool:
    """True for an amount whose thousands are separated by commas ("1,250,000,000"): read as
    thousands by :func:`parse_vn_number`; callers say so in a warning (GLOSSARY: "." groups)."""
    s = text.strip().strip("()").lstrip("-−– ").replace("\u00a0", "").replace(" ", "")
    return bool(_ENGLISH_GROUPED_RE.fullmatch(s))


class NumberFormatError(ValueError):
    """Raised when a text is not a number in the Vietnamese format."""


class AmountError(NumberFormatError):
    """Raised when a number is not a valid amount of money (not whole đồng, too large)."""


class UnitError(NumberFormatError):
    """Raised when a unit of amount is not one of đồng / nghìn đồng / triệu đồng / tỷ đồng."""


def parse_vn_number(text: str) -> Decimal:
    """Parse an unsigned number printed the Vietnamese way.

    ``"3.300.000.000"`` → ``Decimal(3300000000)``; ``"7.665,99"`` → ``Decimal("7665.99")``;
    ``"2.5"`` → ``Decimal("2.5")``; ``"10.000,0"`` → ``Decimal("10000.0")``; ``"0,7"`` → 0.7;
    ``"1,250,000,000"`` (commas between two or more groups of thousands: :func:`english_grouped`)
    → 1250000000.

    Raises ``NumberFormatError`` for anything else (empty text, letters, "1,2,3", "1.2.3").
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if not s or not NUMBER_RE.fullmatch(s):
        raise NumberFormatError(f"không phải số: {text!r}")
    if _ENGLISH_GROUPED_RE.fullmatch(s):
        s = s.replace(",", "")  # "1,250,000,000": thousands of an English-set Excel (never a decimal)
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


def parse_signed_number(text: str) -> Decimal:
    """Parse a number with an optional sign: "-5.000.000", "− 5.000.000", "(5.000.000)",
    "+450.000.000" (an increase, printed with its sign),
    thousands grouped with spaces ("1 250 000 000": :func:`ungroup_spaces`).

    A minus sign (hyphen, U+2212 or en dash, optionally followed by one space) or
    parentheses around the number make it negative. Raises ``NumberFormatError``.
    """
    s = " ".join(ungroup_spaces(text).replace("\u00a0", " ").split())
    m = _SIGNED_RE.match(s)
    if not m:
        raise NumberFormatError(f"không phải số: {text!r}")
    if m.group("paren") is not None:
        return -parse_vn_number(m.group("paren"))
    value = parse_vn_number(m.group("body"))
    return -value if m.group("sign") and not m.group("sign").startswith("+") else value  # "+450.000.000": an increase


def check_percent(printed: str, numerator, denominator) -> tuple[str, bool]:
    """A printed percentage against the two figures it divides: ``(computed, ok)``, the
    computed percentage as text with the printed number of decimals ("73,3") and whether the
    printed one agrees (within half its last digit, or within one of it on the exact value).
    ``printed``: the cell ("73,3", "75 %"); ``numerator`` / ``denominator``: numbers (int đồng,
    or a count as a float), the denominator not zero. Raises ``NumberFormatError`` when the
    printed text is no number."""
    text = printed.replace("%", "").strip()
    value = parse_signed_number(text)
    decimals = len(text.split(",")[1]) if "," in text else 0
    exact = Decimal(str(numerator)) * 100 / Decimal(str(denominator))
    step = Decimal(1).scaleb(-decimals)
    rounded = exact.quantize(step)
    return str(rounded).replace(".", ","), abs(rounded - value) <= step / 2 or abs(exact - value) <= step


def looks_like_number(text: str) -> bool:
    """True when ``text`` is shaped like a printed number, well formed or not
    ("45,5", "-5.000.000", "(5.000.000)", "1.2.3", "40.000.00O")."""
    return bool(NUMBER_LIKE_RE.match(" ".join(ungroup_spaces(text).split())))


def canonical_unit(text: str) -> str:
    """The unit of amount named by ``text``: "đồng", "nghìn đồng", "triệu đồng" or "tỷ đồng".

    Accepts "Đơn vị tính: Đồng", "(triệu đồng)", "Tr.đ", "ngàn đồng", "tỉ đồng", "VNĐ".
    Raises ``UnitError`` for anything else ("USD", "lượt", "").
    """
    s = unicodedata.normalize("NFC", text).lower()
    s = UNIT_LABEL_RE.sub("", s)
    s = " ".join(s.strip(" ().:;,").split())
    try:
        return _unit_by_spelling()[s]
    except KeyError:
        raise UnitError(f"đơn vị tính không rõ: {text.strip()!r}") from None


_UNIT_IN_TEXT_RE = re.compile(
    r"(?:(?:đơn vị tính|đơn vị|đv tính|đvt)\s*:\s*(?P<label>[^,;)]+?)\s*(?:[,;)]|$))|\((?P<paren>[^()]*?(?:đồng|dồng|vnđ|vnd|đ))\)",
    re.I,
)


def find_unit(text: str) -> str | None:
    """The unit of amount printed in ``text`` ("Đơn vị tính: triệu đồng" or a header cell
    "Dự toán (triệu đồng)"), canonical, or ``None`` when the text names no unit.

    Raises ``UnitError`` when the text names a unit that is not a unit of amount
    ("Đơn vị tính: USD").
    """
    m = _UNIT_IN_TEXT_RE.search(unicodedata.normalize("NFC", text))
    if not m:
        return None
    return canonical_unit(m.group("label") or m.group("paren"))


def is_money_unit(text: str) -> bool:
    """True when ``text`` names a unit of money ("đồng", "Tr.đ", "tỷ đồng": ``canonical_unit``
    knows it); False for units of things ("nhiệm vụ", "hồ sơ", "%")."""
    try:
        canonical_unit(text)
        return True
    except UnitError:
        return False


def unit_factor(unit: str) -> int:
    """Factor from a printed unit ("Đồng", "triệu đồng", "tỷ đồng") to đồng.

    Raises ``KeyError`` for an unknown unit.
    """
    try:
        return UNIT_FACTORS[canonical_unit(unit)]
    except UnitError as exc:
        raise KeyError(unit) from exc


def to_vnd(text: str, unit: str = "đồng") -> int:
    """Convert a printed amount in ``unit`` to an integer number of đồng, keeping its sign.

    ``to_vnd("7.665,99", "triệu đồng")`` → 7_665_990_000; ``to_vnd("2.5", "tỷ đồng")`` →
    2_500_000_000; ``to_vnd("(5.000.000)")`` → -5_000_000. Computed with ``Decimal``.
    Raises ``NumberFormatError`` when the text is not a number, ``UnitError`` for an unknown
    unit, ``AmountError`` when it is not a whole number of đồng or its size exceeds
    :data:`MAX_VND`.
    """
    value = parse_signed_number(text) * UNIT_FACTORS[canonical_unit(unit)]
    if value != value.to_integral_value():
        raise AmountError(f"{text!r} {unit} không phải số đồng chẵn")
    if abs(value) > MAX_VND:
        raise AmountError(f"{text!r} {unit} vượt quá 10^15 đồng: không phải số tiền đọc được")
    return int(value)


_CELL_UNIT_RE = re.compile(r"^(?P<amount>[-−–(]?\s?\d[\d.,\s\u00a0]*\)?)\s*(?P<unit>[^\d\s(][^\d()]*?)\.?$")


def split_amount_unit(text: str) -> tuple[str, str | None]:
    """An amount cell that prints its own unit: ``("45.000.000", "đồng")`` for "45.000.000 đ",
    ``("120", "triệu đồng")`` for "120 triệu", ``("12,5", "tỷ đồng")`` for "12,5 tỷ đồng"
    (spellings of ``data/vocabulary/amount_units.csv``); ``(text, None)`` when the cell prints
    no unit or words that are no unit ("5 cuộc")."""
    m = _CELL_UNIT_RE.match(" ".join(str(text).split()))
    if not m:
        return text, None
    unit = _unit_by_spelling().get(" ".join(m.group("unit").lower().split()))
    return (m.group("amount").strip(), unit) if unit else (text, None)


def cell_to_vnd(text: str, unit: str = "đồng") -> tuple[int, str]:
    """An amount cell in đồng and the unit it was read in: the unit the cell prints
    (:func:`split_amount_unit`: "120 triệu" in a table of đồng is 120.000.000 đồng, as printed),
    else ``unit`` (the column's or the table's). Raises like :func:`to_vnd`."""
    amount, own = split_amount_unit(text)
    used = own or canonical_unit(unit)
    return to_vnd(amount, used), used


# --------------------------------------------------------------------------- amounts in words

_DIGITS = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}
_SCALES = {"nghìn": 10**3, "triệu": 10**6, "tỷ": 10**9}
_WORDS_NOISE = re.compile(r"[().,/:;!\-–]")


def _bad(text: str) -> NumberFormatError:
    return NumberFormatError(f"không đọc được số bằng chữ: {text!r}")


def _read_tens(words: list[str], text: str) -> int:
    """Value 0–99 of "mười lăm", "hai mươi mốt", "ba chục", "tư", or nothing."""
    if not words:
        return 0
    tens = 0
    if words[0] == "mười":
        tens, words = 1, words[1:]
    elif len(words) >= 2 and words[1] in ("mươi", "chục"):
        if words[0] not in _DIGITS or _DIGITS[words[0]] < 2:
            raise _bad(text)
        tens, words = _DIGITS[words[0]], words[2:]
    if not words:
        return tens * 10
    if len(words) != 1 or words[0] not in _DIGITS:
        raise _bad(text)
    return tens * 10 + _DIGITS[words[0]]


def _read_group(words: list[str], text: str) -> int:
    """Value 0–999 of a group such as "không trăm linh năm", "mười lăm", "hai mươi mốt"."""
    hundreds = 0
    if len(words) >= 2 and words[1] == "trăm":
        if words[0] not in _DIGITS:
            raise _bad(text)
        hundreds, words = _DIGITS[words[0]], words[2:]
    if words and words[0] in ("linh", "lẻ"):
        words = words[1:]
        if not words:
            raise _bad(text)
    return hundreds * 100 + _read_tens(words, text)


def _read_words(words: list[str], text: str) -> int:
    """Value of number words: groups below a thousand, each closed by a scale word.

    Within a "tỷ" segment the scales descend (triệu, then nghìn); a "tỷ" closes the segment
    and multiplies all of it ("một nghìn tỷ" = 10^12; "một nghìn tỷ bảy trăm tỷ" = 1.700 tỷ).
    """
    total, segment, last, group = 0, 0, 10**12, []
    for w in words:
        if w not in _SCALES:
            group.append(w)
            continue
        scale = _SCALES[w]
        if w == "tỷ":
            if not group and not segment:
                raise _bad(text)
            total += (segment + (_read_group(group, text) if group else 0)) * scale
            segment, last, group = 0, 10**12, []
            continue
        if not group or scale >= last:
            raise _bad(text)
        segment += _read_group(group, text) * scale
        last, group = scale, []
    return total + segment + (_read_group(group, text) if group else 0)


def words_to_vnd(text: str) -> int:
    """Read an amount written in words ("Bằng chữ") as an integer number of đồng.

    ``"(Bằng chữ: Một tỷ không trăm mười lăm triệu đồng./.)"`` → 1_015_000_000;
    ``"Một nghìn tỷ đồng"`` → 10^12; ``"Âm năm triệu đồng"`` → -5_000_000.
    Reads không trăm, linh/lẻ, mốt, tư, lăm/nhăm, mươi/chục, nghìn/ngàn, triệu, tỷ/tỉ and
    "chẵn" (exactly), as in the GLOSSARY ("Bằng chữ"). Written here because the
    ``vietnam-number`` library reads "một nghìn tỷ" as 10,000,001,000.
    Raises ``NumberFormatError`` when the words are not a number.
    """
    s = unicodedata.normalize("NFC", text).lower()
    s = re.sub(r"^.*?bằng chữ\s*:?", "", s.strip())
    s = _WORDS_NOISE.sub(" ", s)
    s = re.sub(r"\b(đồng|chẵn|chẳn|vnđ|vnd|việt nam)\b", " ", s)
    s = s.replace("ngàn", "nghìn").replace("tỉ", "tỷ")
    words = s.split()
    negative = bool(words) and words[0] == "âm"
    if negative:
        words = words[1:]
    unknown = [w for w in words if w not in _DIGITS and w not in _SCALES and w not in ("trăm", "mươi", "chục", "mười", "linh", "lẻ")]
    if not words or unknown:
        raise _bad(text)
    value = _read_words(words, text)
    return -value if negative else value
