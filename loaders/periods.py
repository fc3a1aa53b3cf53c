"""Timing cells of budget lines: quarters and whole years.

Forms seen in the seeds (``../shared/GLOSSARY.md``, "Time"): "Quý II", "Qúy IV",
"Quý I,II", "Quý II, III, IV", "Năm 2024" (the whole fiscal year).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ROMAN_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}

# "Quý", "Qúy" (misplaced accent), "Quí"; the list of quarters after it.
QUARTER_RE = re.compile(
    r"(?P<label>(?:Qu[ýíy]|Qúy|QUÝ)\s+(?P<list>(?:IV|III|II|I)(?:\s*[,;\-–]\s*(?:IV|III|II|I))*))(?![A-Za-z])"
)
YEAR_RE = re.compile(r"(?P<label>(?:Năm|NĂM|năm|Cả năm)\s+(?P<year>(?:19|20)\d{2}))")
TIMING_RE = re.compile(f"(?:{QUARTER_RE.pattern})|(?:{YEAR_RE.pattern.replace('?P<label>', '?P<ylabel>')})")


@dataclass(frozen=True)
class Period:
    """A parsed timing cell: the label as printed and the quarters (1–4) it covers."""

    label: str
    quarters: tuple[int, ...]
    year: int | None = None

    @property
    def is_whole_year(self) -> bool:
        return self.quarters == (1, 2, 3, 4)

    @property
    def quarters_text(self) -> str:
        """Quarters as "2,3" (the export format)."""
        return ",".join(str(q) for q in self.quarters)


class PeriodFormatError(ValueError):
    """Raised when a timing cell is not a quarter list or a year."""


def parse_period(text: str) -> Period:
    """Parse a timing cell.

    ``"Quý I,II"`` → quarters (1, 2); ``"Qúy IV"`` → (4,); ``"Quý II, III, IV"`` → (2, 3, 4);
    ``"Năm 2024"`` → (1, 2, 3, 4) with ``year=2024``. A dash between quarters is a range
    (``"Quý II-IV"`` → (2, 3, 4)). Raises ``PeriodFormatError`` otherwise.
    """
    s = " ".join(text.split())
    m = QUARTER_RE.fullmatch(s)
    if m:
        parts = re.split(r"\s*([,;\-–])\s*", m.group("list"))
        quarters: list[int] = []
        i = 0
        while i < len(parts):
            q = ROMAN_QUARTERS[parts[i]]
            if i + 2 < len(parts) and parts[i + 1] in "-–":
                end = ROMAN_QUARTERS[parts[i + 2]]
                quarters.extend(range(q, end + 1))
                i += 3
            else:
                quarters.append(q)
                i += 2
        return Period(label=s, quarters=tuple(sorted(set(quarters))))
    m = YEAR_RE.fullmatch(s)
    if m:
        return Period(label=s, quarters=(1, 2, 3, 4), year=int(m.group("year")))
    raise PeriodFormatError(f"không đọc được thời gian: {text!r}")


def quarters_label(quarters: tuple[int, ...] | list[int]) -> str:
    """Vietnamese label of a quarter set: (2,) → "Quý II"; (2, 3) → "Quý II–III";
    (1, 2, 3, 4) → "Cả năm"; () → "Không rõ thời gian"."""
    qs = tuple(sorted(quarters))
    if not qs:
        return "Không rõ thời gian"
    if qs == (1, 2, 3, 4):
        return "Cả năm"
    roman = {v: k for k, v in ROMAN_QUARTERS.items()}
    if len(qs) > 1 and qs == tuple(range(qs[0], qs[-1] + 1)):
        return f"Quý {roman[qs[0]]}–{roman[qs[-1]]}"
    return "Quý " + ", ".join(roman[q] for q in qs)
