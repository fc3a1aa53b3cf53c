"""The reviewed header synonyms of ``data/vocabulary/columns.csv``: what a column header means
(role, stage)."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable

from loaders.paths import DATA
from loaders.text.normal import clean, norm
from loaders.text.numbers import NUMBER_LIKE_RE

COLUMNS_CSV = DATA / "vocabulary" / "columns.csv"
_YEAR_RE = re.compile(r"\b((?:19|20)\d{2})\b")


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class ColumnSpec:
    """What a header phrase means: the column's role and, for amounts, its stage."""

    role: str
    phrase: str
    stage: str | None = None


#: Texts whose header phrases a vocabulary remembers (emptied when full).
_MATCHES_MEMO = 4096


class ColumnVocabulary:
    """The reviewed header synonyms (``columns.csv``): phrase → role and stage."""

    def __init__(self, specs: Iterable[ColumnSpec]):
        specs = list(specs)
        self.columns = [s for s in specs if s.role != "total"]
        self.total_labels = tuple(norm(s.phrase) for s in specs if s.role == "total")
        alternatives = sorted({norm(s.phrase) for s in self.columns}, key=len, reverse=True)
        self._by_phrase = {norm(s.phrase): s for s in self.columns}
        self._re = re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)")
        self._loose_re = re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")")
        self.header_words = {w for a in alternatives for w in a.split()}
        total = "|".join(re.escape(t) for t in sorted(self.total_labels, key=len, reverse=True))
        # "TỔNG CỘNG (I+II)", and a label with words before its scope: "TỔNG CỘNG CHI THƯỜNG XUYÊN (A = I + II)"
        self._total_re = re.compile(
            rf"^(?P<label>(?:{total})\b(?:(?:\s+[^\s\d()]+){{1,6}}(?=\s*\((?-i:[\sA-ZĐ0-9.+=,;-]*)\)))?"
            rf"\s*(?:\((?P<scope>[^()]*)\))?)\s*:?\s*(?P<rest>.*)$", re.I)
        self._matched: dict[tuple[str | None, bool], tuple[tuple[int, int, ColumnSpec], ...]] = {}

    @classmethod
    def load(cls, path: Path = COLUMNS_CSV) -> "ColumnVocabulary":
        """Read ``columns.csv`` (columns role, phrase, stage, note)."""
        with path.open(encoding="utf-8", newline="") as fh:
            return cls(ColumnSpec(r["role"], r["phrase"], r["stage"] or None) for r in csv.DictReader(fh))

    def matches(self, text: str, loose: bool = False) -> list[tuple[int, int, ColumnSpec]]:
        """Non-overlapping header phrases in ``text``, leftmost-longest: (start, end, spec)
        with offsets into ``norm(text)``. ``loose``: a phrase may run into the next word
        ("Ghi chúThời gian" as extracted from a PDF).

        The phrases of a text are found once (the table reader asks for a line's phrases
        twice: is it a header, is it a wrapped piece of one); each call returns a new list."""
        key = (text, loose)
        found = self._matched.get(key)
        if found is None:
            regex = self._loose_re if loose else self._re
            found = tuple((m.start(), m.end(), self._by_phrase[m.group(1)]) for m in regex.finditer(norm(text)))
            if len(self._matched) >= _MATCHES_MEMO:
                self._matched.clear()
            self._matched[key] = found
        return list(found)

    def classify(self, text: str) -> ColumnSpec | None:
        """The role of a header cell: the (longest) phrase it starts with, once years
        ("Năm 2020") and parentheses ("(triệu đồng)") are set aside; ``None`` when it starts
        with none ("Chi cho các đơn vị sự nghiệp" is not a header)."""
        s = re.sub(r"\([^()]*\)", " ", norm(text))
        s = " ".join(re.sub(r"\b(?:19|20)\d{2}\b", " ", s).replace("/", " ").split())  # "Tăng (+)/Giảm (-)"
        s = re.sub(r"\s+,", ",", re.sub(r"^(?:năm\s+)+", "", s))  # "Tăng (+), giảm (-)" → "Tăng, giảm"
        found = self.matches(s)
        spec = found[0][2] if found and found[0][0] == 0 else None
        if spec is not None and spec.role == "source" and _names_a_source(s):
            return None  # "Nguồn QLNN" heads that source's amounts (a split by source), not source notes
        return spec

    def coverage(self, text: str) -> float:
        """Share (0–1) of a text's letters that belong to header phrases, a year or a unit."""
        s = norm(text)
        s = re.sub(r"\([^()]*\)", " ", s)
        s = _YEAR_RE.sub(" ", s)
        letters = len(re.sub(r"\W", "", s))
        if not letters:
            return 0.0
        covered = sum(len(re.sub(r"\W", "", s[a:b])) for a, b, _ in self.matches(s))
        return covered / letters

    def total(self, text: str) -> re.Match[str] | None:
        """A printed total label at the start of ``text`` ("TỔNG CỘNG (I+II) 1.000"), followed
        by nothing or by a number: the match with groups ``label``, ``scope`` and ``rest``;
        ``None`` otherwise ("Tổng hợp kết quả", "Cộng tác viên" are not totals)."""
        m = self._total_re.match(clean(text))
        if not m:
            return None
        rest = m.group("rest")
        if rest and not NUMBER_LIKE_RE.match(rest.split()[0]) and not re.match(r"^[-−–(]?\s?\d", rest):
            return None
        return m

    def is_fragment(self, text: str, max_words: int = 4) -> bool:
        """True for a piece of a wrapped header ("Thời gian", "thực hiện", "Dự toán kinh", "phí")."""
        words = norm(text).split()
        return 0 < len(words) <= max_words and all(w in self.header_words for w in words)


def _names_a_source(text: str) -> bool:
    """True when a header names one funding source ("Nguồn SNKH", "Nguồn QLNN", "Vốn ĐTPT"):
    the column holds that source's amounts, unlike "Nguồn kinh phí" / "Nguồn vốn", which
    hold a source note per row (``loaders.text.sources.classify_source``)."""
    from loaders.text.sources import classify_source  # sources' vocabulary loads after this one

    return classify_source(text) not in (None, "UNSPECIFIED", "MIXED")


@cache
def vocabulary() -> ColumnVocabulary:
    """The shared vocabulary of ``data/vocabulary/columns.csv`` (read once)."""
    return ColumnVocabulary.load()

