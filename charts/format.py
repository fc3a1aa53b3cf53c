"""Vietnamese number formatting (Babel, locale vi_VN): "." groups thousands, "," decimals.

Amounts are integers in đồng; the short forms (triệu / tỷ) are for places where space is
short and always come with the unit.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd
from babel.numbers import format_decimal

LOCALE = "vi_VN"


def _missing(value) -> bool:
    return value is None or (not isinstance(value, (str, bytes)) and bool(pd.isna(value)))


def number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """``1234567.5`` → "1.234.567,5" (``decimals`` digits at most); ``None`` → "—"."""
    if _missing(value):
        return "—"
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def vnd(amount: int | None) -> str:
    """Full amount in đồng: ``1234567890`` → "1.234.567.890 đ"; ``None``/NA → "—"."""
    if _missing(amount):
        return "—"
    return f"{number(int(amount))} đ"


def vnd_short(amount: int | None) -> str:
    """Short amount with its unit: ``11523500000`` → "11,52 tỷ đ"; ``730000000`` →
    "730 triệu đ"; below one million the full amount in đồng."""
    if _missing(amount):
        return "—"
    a = Decimal(int(amount))
    if abs(a) >= 1_000_000_000:
        return f"{number(a / 1_000_000_000, 2)} tỷ đ"
    if abs(a) >= 1_000_000:
        return f"{number(a / 1_000_000, 2)} triệu đ"
    return vnd(int(amount))


def pct(value: float | None, decimals: int = 1) -> str:
    """``56.21`` → "56,2%"; ``None`` → "—"."""
    if _missing(value):
        return "—"
    return f"{number(value, decimals)}%"


def date(value) -> str:
    """A day as dd/mm/yyyy: ``2025-01-15`` (date, datetime, Timestamp or ISO text) →
    "15/01/2025"; ``None``/NaT/empty → "" (an empty cell, never "None")."""
    stamp = _timestamp(value)
    return "" if stamp is None else f"{stamp:%d/%m/%Y}"


def moment(value) -> str:
    """A time as dd/mm/yyyy HH:MM: ``"2026-12-07T06:24:25"`` → "07/12/2026 06:24";
    ``None``/NaT/empty → ""."""
    stamp = _timestamp(value)
    return "" if stamp is None else f"{stamp:%d/%m/%Y %H:%M}"


def _timestamp(value) -> pd.Timestamp | None:
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError):
        return None


def vnd_phrase(amount: int | None) -> str:
    """An amount for a sentence, with its unit in words: ``11523500000`` → "11,52 tỷ đồng";
    ``730000000`` → "730 triệu đồng"; below one million the full amount: ``500000`` →
    "500.000 đồng"; ``None``/NA → "—". Two decimals at most (rounded half-even by Babel)."""
    short = vnd_short(amount)
    return short[:-2] + " đồng" if short.endswith(" đ") else short


def change(old: int | float, new: int | float, decimals: int = 1) -> str:
    """The change from ``old`` to ``new`` in words: "tăng 12,3%", "giảm 3,2%", "không đổi"
    (a change that rounds to 0 at ``decimals`` digits is "không đổi"). Raises
    ``ZeroDivisionError`` when ``old`` is 0 (a growth from nothing has no percentage)."""
    rate = (new - old) * 100 / old
    shown = number(abs(rate), decimals)
    if shown.strip("0,") == "":
        return "không đổi"
    return f"{'tăng' if rate > 0 else 'giảm'} {shown}%"
