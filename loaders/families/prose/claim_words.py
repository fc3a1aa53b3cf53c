"""The reviewed words a figure is read with, besides the indicator phrases of
``data/catalogue/indicators.csv`` (format: ``data/catalogue/README.md``):

* ``data/catalogue/unit_nouns.csv`` — ``nouns,unit,class,kind,scale,comment``: the nouns a
  count is printed with ("5.759 phương tiện đo", "23 tin, bài", "74.000.000đ"), the unit
  stored for them, a class that groups related nouns (an indicator counted in "đơn vị" is
  also counted in "công ty", "sở": class ``organisation``), ``kind`` ``count`` / ``money``
  (``scale`` đồng per printed unit) / ``ignore`` (durations and sizes, not results);
* ``data/catalogue/claim_words.csv`` — ``role,phrases,comment``: breakdown words ("trong
  đó"), zero words ("không nhận được"), approximations ("hơn"), shares ("chiếm"), contexts
  that make a number something other than a result, and words before a number that make it
  a reference ("Thông tư số 15").

Phrases use the syntax and normal form of the indicator catalogue
(:func:`loaders.text.catalogue.normalize_text`); a mistake stops the load with
:class:`loaders.text.catalogue.CatalogueError` naming file and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from loaders.text.catalogue import (
    CATALOGUE_DIR,
    CatalogueError,
    _check_phrase,
    _read_rows,
)
from loaders.text.vocabulary import split_phrases

UNIT_NOUNS_CSV = CATALOGUE_DIR / "unit_nouns.csv"
CLAIM_WORDS_CSV = CATALOGUE_DIR / "claim_words.csv"
NOUN_COLUMNS = ("nouns", "unit", "class", "kind", "scale", "comment")
WORD_COLUMNS = ("role", "phrases", "comment")
NOUN_KINDS = ("count", "money", "ignore")
ROLES = (
    "breakdown", "zero", "approximate", "share", "not_result", "target_clause", "not_result_after", "restatement",
    "plan_figure", "not_count_before", "not_count_after", "not_period_before",
)


@dataclass(frozen=True)
class UnitNoun:
    """One row of ``unit_nouns.csv`` with its compiled nouns."""

    unit: str
    noun_class: str
    kind: str
    scale: int
    patterns: tuple[re.Pattern[str], ...]
    line: int


@dataclass(frozen=True)
class ClaimWords:
    """Both files: the nouns (file order) and, per role, one compiled alternation of its
    phrases (``None`` when a role has no row)."""

    nouns: tuple[UnitNoun, ...]
    roles: dict[str, re.Pattern[str] | None]

    def unit_class(self, unit: str | None) -> str | None:
        """Class of a stored unit ("công ty" → "organisation"), ``None`` when unknown."""
        for n in self.nouns:
            if n.unit == unit:
                return n.noun_class
        return None


def load_unit_nouns(path: Path | str | None = None) -> list[UnitNoun]:
    """Read ``unit_nouns.csv``. Raises :class:`CatalogueError` for a wrong header, an empty
    noun or class, a ``kind`` other than count/money/ignore, a count or money row without a
    unit, a ``scale`` that is not a positive whole number, or a phrase that is not in normal
    form or not a valid regular expression."""
    path = Path(path) if path is not None else UNIT_NOUNS_CSV
    out: list[UnitNoun] = []
    for line, row in _read_rows(path, NOUN_COLUMNS):
        if row["kind"] not in NOUN_KINDS:
            raise CatalogueError(path, line, f"kind {row['kind']!r} must be one of {', '.join(NOUN_KINDS)}")
        if row["kind"] != "ignore" and not row["unit"]:
            raise CatalogueError(path, line, "unit is empty")
        if not row["class"]:
            raise CatalogueError(path, line, "class is empty")
        try:
            scale = int(row["scale"] or 1)
            if scale <= 0:
                raise ValueError
        except ValueError:
            raise CatalogueError(path, line, f"scale {row['scale']!r} is not a positive whole number") from None
        phrases = split_phrases(row["nouns"])
        patterns = tuple(_check_phrase(p, path, line, "noun") for p in phrases)
        out.append(UnitNoun(row["unit"], row["class"], row["kind"], scale, patterns, line))
    return out


def load_claim_words(path: Path | str | None = None, nouns_path: Path | str | None = None) -> ClaimWords:
    """Read ``claim_words.csv`` (and ``unit_nouns.csv``). Raises :class:`CatalogueError`
    for a wrong header, a role not in :data:`ROLES`, or a phrase that is empty, not in
    normal form or not a valid regular expression."""
    path = Path(path) if path is not None else CLAIM_WORDS_CSV
    phrases: dict[str, list[str]] = {r: [] for r in ROLES}
    for line, row in _read_rows(path, WORD_COLUMNS):
        if row["role"] not in ROLES:
            raise CatalogueError(path, line, f"role {row['role']!r} must be one of {', '.join(ROLES)}")
        for p in split_phrases(row["phrases"]):
            _check_phrase(p, path, line, "phrase")
            phrases[row["role"]].append(p)
    roles = {
        r: (re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in ps) + r")(?!\w)") if ps else None)
        for r, ps in phrases.items()
    }
    return ClaimWords(tuple(load_unit_nouns(nouns_path)), roles)


_cached: dict[tuple[float, float], ClaimWords] = {}


def default_claim_words() -> ClaimWords:
    """Both default files, re-read when either changes on disk."""
    stamp = tuple(p.stat().st_mtime if p.exists() else -1.0 for p in (UNIT_NOUNS_CSV, CLAIM_WORDS_CSV))
    if stamp not in _cached:
        _cached.clear()
        _cached[stamp] = load_claim_words()
    return _cached[stamp]
