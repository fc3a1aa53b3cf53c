"""Paragraphs of prose documents for the claim reader (:mod:`loaders.families.prose.claims`): the text as
printed with the line of every offset, and the same text in the catalogue's normal form
(:func:`loaders.text.catalogue.normalize_mapped`) with maps both ways, sentences, clauses and
parentheses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.text.normal import _sub_mapped, normalize_mapped

# "05 (năm) nhiệm vụ": a number repeated in words is left out of the normal text
_SPELLED_RE = re.compile(
    r"(?<=\d)\s*\((?:(?:không|một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|tám|chín|mười|mươi|trăm|linh|lẻ|nghìn|ngàn)\s*)+\)"
)
BULLET_RE = re.compile(r"^\s*(?P<b>(?:[-•]\s*)?\+|[-•])\s*")


@dataclass
class Paragraph:
    """A bullet or paragraph with its wrapped lines joined by single spaces.

    ``starts`` holds ``(offset, line_number)`` of every joined line, so any offset in
    ``text`` maps back to the 1-based line where it was printed (:meth:`line_at`).
    ``heading`` is the numbered heading above it; ``section`` the Roman-numeral part;
    ``bullet`` the marker it was printed with ("-", "+", "- +") when the parser removed it
    from ``text`` (``None``: look at the start of ``text``).
    """

    text: str
    starts: list[tuple[int, int]]
    heading: str | None = None
    section: str | None = None
    kind: str = "item"  # "item" | "heading"
    bullet: str | None = None

    @property
    def line(self) -> int:
        return self.starts[0][1]

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for off, ln in self.starts:
            if off > offset:
                break
            line = ln
        return line

    def sentence_bounds(self) -> list[int]:
        """Offsets where sentences start (a ". " followed by a capital, a digit or a
        bullet; not after a short abbreviation such as "TP."), plus ``len(text) + 1``."""
        bounds = [0]
        for m in re.finditer(r"[.!?]\s+(?=[-+]?\s*[A-ZĐÀ-Ỹ0-9])", self.text):
            word = self.text[: m.start()].rsplit(" ", 1)[-1]
            if len(word) <= 3 and word.isupper():
                continue  # "TP. Điện Biên Phủ"
            bounds.append(m.end())
        bounds.append(len(self.text) + 1)
        return bounds

    def sentence_at(self, offset: int) -> str:
        """The sentence of ``text`` that holds ``offset``."""
        bounds = self.sentence_bounds()
        for a, b in zip(bounds, bounds[1:]):
            if a <= offset < b:
                return self.text[a:b].strip()
        return self.text.strip()

    @property
    def level(self) -> int:
        """0 without a bullet, 1 for "-", 2 for "+" or "- +"."""
        marker = self.bullet
        if marker is None:
            m = BULLET_RE.match(self.text)
            marker = m.group("b") if m else ""
        return 2 if "+" in marker else (1 if marker.strip() else 0)


class NormalText:
    """A paragraph's text in normal form with maps both ways and clause boundaries."""

    def __init__(self, para: Paragraph):
        self.para = para
        self.orig = para.text
        self.s, self.idx = _sub_mapped(_SPELLED_RE, "", *normalize_mapped(para.text))
        inv = [0] * (len(self.orig) + 2)
        j = 0
        for o in range(len(self.orig) + 2):
            while j < len(self.idx) and self.idx[j] < o:
                j += 1
            inv[o] = j
        self.inv = inv
        sentences = sorted({inv[min(b, len(self.orig))] for b in para.sentence_bounds()})
        self.sentence_starts = sentences
        semis = [m.end() for m in re.finditer(r";", self.s)]
        self.clause_starts = sorted(set(sentences) | set(semis))
        # parentheses: (open, close) in normal offsets
        self.parens: list[tuple[int, int]] = []
        stack = []
        for k, ch in enumerate(self.s):
            if ch == "(":
                stack.append(k)
            elif ch == ")" and stack:
                self.parens.append((stack.pop(), k))
        for k in stack:
            self.parens.append((k, len(self.s)))

    def orig_offset(self, k: int) -> int:
        if not self.idx:
            return 0
        return self.idx[min(k, len(self.idx) - 1)]

    def printed(self, a: int, b: int) -> str:
        if b <= a:
            return ""
        return self.orig[self.orig_offset(a): self.orig_offset(b - 1) + 1]

    def clause(self, k: int) -> tuple[int, int]:
        start = max((c for c in self.clause_starts if c <= k), default=0)
        end = min((c for c in self.clause_starts if c > k), default=len(self.s) + 1)
        return start, end

    def sentence(self, k: int) -> tuple[int, int]:
        start = max((c for c in self.sentence_starts if c <= k), default=0)
        end = min((c for c in self.sentence_starts if c > k), default=len(self.s) + 1)
        return start, end

    def paren_of(self, k: int) -> tuple[int, int] | None:
        inside = [(o, c) for o, c in self.parens if o < k < c]
        return max(inside, default=None)
