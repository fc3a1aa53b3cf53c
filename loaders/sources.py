"""Funding sources (nguồn kinh phí) named in notes and headings.

Codes and meanings from ``../shared/GLOSSARY.md`` ("Money" → "Nguồn"): SNKH, QLNN,
THU_PHI (fees and charges), DTPT (development investment), SNKH_TW (central S&T budget),
MIXED ("Nguồn QLNN và Nguồn SNKH"), OTHER (pháp chế, nông thôn mới, nguồn khác),
UNSPECIFIED (nothing printed).
"""
from __future__ import annotations

import re
import unicodedata

from .vocab import FundingSource

SOURCE_LABELS_VN = FundingSource.labels()  # labels live in loaders.vocab


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("SNKH_TW", re.compile(r"SNKH\s*(Trung ương|TW)|sự nghiệp khoa học\s+Trung ương", re.I)),
    ("SNKH", re.compile(r"\bSNKH\b|sự nghiệp (khoa học|KH&CN|KHCN|KH & CN)", re.I)),
    ("QLNN", re.compile(r"\bQLNN\b|kinh phí quản lý nhà nước|nguồn quản lý nhà nước", re.I)),
    ("THU_PHI", re.compile(r"thu phí|phí,? lệ phí|nguồn phí", re.I)),
    ("DTPT", re.compile(r"ĐTPT|DTPT|đầu tư phát triển", re.I)),
    ("OTHER", re.compile(r"pháp chế|nông thôn mới|nguồn (kinh phí )?khác|xã hội hóa", re.I)),
]


def classify_source(text: str | None) -> str | None:
    """Return the funding-source code named in ``text``, or ``None`` when none is named.

    ``"Nguồn SNKH"`` → "SNKH"; ``"Nguồn QLNN và Nguồn SNKH"`` → "MIXED";
    ``"Nguồn thu phí"`` → "THU_PHI"; ``"(02 nhiệm vụ)"`` → None.
    Only apply it to a source note or a heading that names a source: a description such as
    "Chi hoạt động KH&CN phục vụ quản lý nhà nước" is not a source.
    """
    if not text:
        return None
    s = _norm(text)
    found = [code for code, pattern in _PATTERNS if pattern.search(s)]
    if "SNKH_TW" in found and "SNKH" in found:
        found.remove("SNKH")
    if not found:
        return None
    if len(found) > 1:
        return "MIXED"
    return found[0]


def is_source_note(text: str) -> bool:
    """True when a text block is a source note ("Nguồn QLNN", "Nguồn QLNN và Nguồn SNKH")
    rather than a description."""
    s = _norm(text)
    return bool(re.match(r"^Nguồn\b", s)) and classify_source(s) is not None and len(s) <= 80
