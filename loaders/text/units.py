"""Unit names (phòng / đơn vị of a department) read with the reviewed vocabulary
``data/vocabulary/units.csv`` (format: ``data/vocabulary/README.md``).

The same unit is printed in many ways ("Văn phòng", "Văn phòng Sở", "VP Sở", "Văn phòng
(Kiều)"); a person's name in parentheses is an assignee, not part of the unit
(``../shared/GLOSSARY.md``, "Phòng / đơn vị"). :func:`canonical_unit` gives one name per unit
so pages can group and compare; :func:`loaders.text.catalogue.enrich` applies it to budget-line
units, task lead units and indicator lead units and keeps the printed text beside them.

Rules of :func:`read_unit`:

1. Parentheses holding person names ("(Thuận)", "(Thuận, Cuộc, Kiều)", "(Vũ Quan và Huỳnh
   Phước Thành)": every word capitalised, 1–5 words per name) are assignees.
2. The rest is cut at ",", ";", "+" and at " và " before the head of another unit ("Văn
   phòng Sở và Phòng KĐC"; "Trung tâm Ứng dụng và Thông tin khoa học" stays one piece); from the left, the longest run of
   pieces whose folded words (:func:`loaders.text.vocabulary.fold`, punctuation dropped) match a
   row's spelling in full is one unit (a parenthesis that holds no names, such as an
   abbreviation "Chi cục Tiêu chuẩn Đo lường Chất lượng (TĐC)", may be left out). A bare abbreviation after a unit with a head word
   takes that head ("Phòng KĐC, HTS" → Phòng KĐC, Phòng HTS). Trailing qualifiers
   ("theo chức năng nhiệm vụ", rows ``@qualifier``) are dropped.
3. A piece that matches no row is tried once more with one all-capital abbreviation
   corrected by swapping two adjacent letters (a known abbreviation of the file: "ĐSMT" →
   "ĐMST"); the correction is reported in ``corrections``.
4. A piece still unmatched is kept as printed (white space cleaned) and the reading is not
   ``recognised``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from loaders.text.vocabulary import (
    VOCABULARY_DIR,
    FileCache,
    VocabularyError,
    compile_phrase,
    fold,
    memo_on_text,
    read_rows,
    split_phrases,
)

UNITS_CSV = VOCABULARY_DIR / "units.csv"
COLUMNS = ("unit", "full_name", "abbreviations", "spellings", "comment")
QUALIFIER = "@qualifier"

# A list is cut at "," ";" "+", and at " và " only before the head of another unit: "Trung tâm
# Ứng dụng và Thông tin khoa học" is one unit, "Văn phòng Sở và Phòng KĐC" two.
_SPLIT_RE = re.compile(
    r"\s*[,;+]\s*|\s+và\s+(?=(?:phòng|văn phòng|trung tâm|tt|chi cục|thanh tra|các|ban|vp|p\.)\b)", re.I
)
_PAREN_RE = re.compile(r"\(([^()]*)\)")
_PUNCT_RE = re.compile(r"[(),;:/+.]")
_HEADS = ("phong", "trung tam", "tt", "chi cuc")
_NOT_A_NAME = {"Sở", "Phòng", "Ban", "Cục", "Viện", "Bộ", "Tỉnh", "Huyện", "Trung", "Chi"}


@dataclass(frozen=True)
class UnitEntry:
    """One unit of ``units.csv``: canonical name, full name, abbreviations (as printed,
    "KĐC"), compiled spellings and the CSV line."""

    unit: str
    full_name: str
    abbreviations: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    line: int


@dataclass(frozen=True)
class UnitVocabulary:
    """The units of the file (without qualifiers) and the qualifier patterns."""

    units: tuple[UnitEntry, ...]
    qualifiers: tuple[re.Pattern[str], ...]

    @property
    def abbreviations(self) -> frozenset[str]:
        return frozenset(a for u in self.units for a in u.abbreviations)


def load_unit_vocabulary(path: Path | str | None = None) -> UnitVocabulary:
    """Read and check ``units.csv`` (default ``data/vocabulary/units.csv``).

    Raises :class:`~loaders.text.vocabulary.VocabularyError` ("file:line: problem") for a wrong
    header, an empty unit name or spelling, a repeated unit name or an invalid regular
    expression.
    """

    path = Path(path) if path is not None else UNITS_CSV
    units: list[UnitEntry] = []
    qualifiers: list[re.Pattern[str]] = []
    seen: dict[str, int] = {}
    for line, row in read_rows(path, COLUMNS):
        name = row["unit"]
        if not name:
            raise VocabularyError(path, line, "thiếu tên đơn vị (cột unit)")
        if name in seen:
            raise VocabularyError(path, line, f"đơn vị {name!r} đã có ở dòng {seen[name]}")
        seen[name] = line
        patterns = []
        for phrase in split_phrases(row["spellings"]):
            if not phrase:
                raise VocabularyError(path, line, f"{name}: cách viết rỗng (thừa dấu '|'?)")
            try:
                patterns.append(compile_phrase(phrase))
            except re.error as exc:
                raise VocabularyError(path, line, f"{name}: biểu thức {phrase!r} không hợp lệ: {exc}") from None
        if name == QUALIFIER:
            qualifiers.extend(patterns)
            continue
        abbreviations = tuple(a.strip() for a in row["abbreviations"].split("|") if a.strip())
        units.append(UnitEntry(name, row["full_name"] or name, abbreviations, tuple(patterns), line))
    return UnitVocabulary(tuple(units), tuple(qualifiers))


_cache = FileCache()


def default_units() -> UnitVocabulary:
    """The vocabulary of ``data/vocabulary/units.csv`` (re-read when it changes)."""
    return _cache.get(UNITS_CSV, load_unit_vocabulary)


@dataclass(frozen=True)
class UnitReading:
    """A unit cell read: ``name`` (canonical names joined by ", ", or the cleaned printed
    text for pieces not recognised), ``assignees`` (names from parentheses, joined by ", "
    unless printed otherwise, or ``None``), ``recognised`` (every piece matched a unit),
    ``corrections`` (typo corrections made, e.g. "ĐSMT → ĐMST")."""

    printed: str
    name: str
    assignees: str | None
    recognised: bool
    corrections: tuple[str, ...] = ()


def _is_person_list(inner: str) -> bool:
    parts = [p.strip() for p in re.split(r",|;|\s+và\s+", inner) if p.strip()]
    if not parts:
        return False
    for p in parts:
        words = p.split()
        if not 1 <= len(words) <= 5 or (len(words) == 1 and words[0] in _NOT_A_NAME):
            return False
        if not all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words):
            return False
    return True


def _key(text: str) -> str:
    """Folded words without punctuation; "P." / "P" before a name is "phòng"."""
    key = " ".join(_PUNCT_RE.sub(" ", fold(text)).split())
    return re.sub(r"^p (?=[a-z])", "phong ", key)


def _match(key: str, vocab: UnitVocabulary) -> UnitEntry | None:
    for entry in vocab.units:
        if any(p.fullmatch(key) for p in entry.patterns):
            return entry
    return None


def _strip_qualifier(text: str, vocab: UnitVocabulary) -> str:
    key = _key(text)
    for q in vocab.qualifiers:
        m = q.search(key)
        if m and m.end() == len(key) and m.start() > 0:
            # cut the printed text before the qualifier's first word
            first = key[m.start():].split()[0]
            words = text.split()
            for k in range(len(words) - 1, 0, -1):
                if _key(words[k]) == first and _key(" ".join(words[k:])) == key[m.start():]:
                    return " ".join(words[:k])
    return text


def _head_of(text: str) -> str | None:
    key = _key(text)
    for h in _HEADS:
        if key == h or key.startswith(h + " "):
            return "trung tam" if h == "tt" else h
    return None


def _transpositions(token: str):
    for k in range(len(token) - 1):
        if token[k] != token[k + 1]:
            yield token[:k] + token[k + 1] + token[k] + token[k + 2:]


def _typo_fix(piece: str, head: str | None, vocab: UnitVocabulary) -> tuple[UnitEntry, str] | None:
    known = vocab.abbreviations
    words = piece.split()
    for i, w in enumerate(words):
        bare = w.strip("(),;")
        if len(bare) < 3 or not bare.isupper() or bare in known:
            continue
        for cand in _transpositions(bare):
            if cand in known:
                fixed = " ".join(words[:i] + [w.replace(bare, cand)] + words[i + 1:])
                entry = _match(_key(fixed), vocab) or (head and _match(_key(f"{head} {fixed}"), vocab))
                if entry:
                    return entry, f"{bare} → {cand}"
    return None


def read_unit(text: str | None, vocabulary: UnitVocabulary | None = None) -> UnitReading:
    """Read a unit cell ("Văn phòng Sở (Thuận)", "Phòng KĐC, TT ĐMST", "Quản lý Công nghệ -
    ATBX,HN và Sở hữu trí tuệ") into a :class:`UnitReading` (rules in the module docstring).
    ``None`` or blank gives ``UnitReading("", "", None, False)``. Never raises on content;
    ``vocabulary`` defaults to :func:`default_units`.
    """
    printed = " ".join((text or "").split())
    if not printed:
        return UnitReading("", "", None, False)
    return _read_unit(printed, default_units() if vocabulary is None else vocabulary)


@memo_on_text()
def _read_unit(printed: str, vocab: UnitVocabulary) -> UnitReading:
    """:func:`read_unit` of a cleaned, non-empty cell (memoised per distinct cell)."""
    assignees: list[str] = []

    def take(m: re.Match[str]) -> str:
        inner = " ".join(m.group(1).split())
        if _is_person_list(inner):
            assignees.append(inner)
            return " "
        return m.group(0)

    rest = " ".join(_PAREN_RE.sub(take, printed).split()).strip(" ,;-–")
    pieces = [p for p in _SPLIT_RE.split(rest) if p and p.strip(" -–")]
    names: list[str] = []
    corrections: list[str] = []
    recognised = bool(pieces)
    head: str | None = None
    i = 0
    while i < len(pieces):
        found = None
        for j in range(len(pieces), i, -1):
            cand = _strip_qualifier(" ".join(pieces[i:j]), vocab)
            for variant in dict.fromkeys((cand, " ".join(_PAREN_RE.sub(" ", cand).split()))):
                entry = _match(_key(variant), vocab)
                if entry is None and head and _head_of(variant) is None:
                    entry = _match(_key(f"{head} {variant}"), vocab)
                if entry is not None:
                    found = (entry, j, variant)
                    break
            if found:
                break
        if found:
            entry, j, cand = found
            names.append(entry.unit)
            head = _head_of(cand) or head
            i = j
            continue
        piece = _strip_qualifier(pieces[i], vocab)
        fixed = _typo_fix(piece, head, vocab)
        if fixed:
            names.append(fixed[0].unit)
            corrections.append(fixed[1])
        elif piece.strip():
            names.append(piece.strip(" -–"))
            recognised = False
        head = _head_of(piece) or head
        i += 1
    unique = list(dict.fromkeys(n for n in names if n))
    if not unique:
        return UnitReading(printed, rest, ", ".join(assignees) or None, False, tuple(corrections))
    return UnitReading(printed, ", ".join(unique), ", ".join(assignees) or None, recognised, tuple(corrections))


def canonical_unit(text: str | None) -> tuple[str, str | None, bool]:
    """``(canonical name or the cleaned text, assignees, recognised)`` of a unit cell.

    ``"Văn phòng (Kiều)"`` → ("Văn phòng Sở", "Kiều", True); ``"VP Sở"`` → ("Văn phòng Sở",
    None, True); ``"Phòng KĐC, TT ĐMST"`` → ("Phòng KĐC, Trung tâm ĐMST", None, True);
    ``"Phòng Hợp tác quốc tế"`` → ("Phòng Hợp tác quốc tế", None, False). Rules: :func:`read_unit`;
    vocabulary: ``data/vocabulary/units.csv``.
    """
    r = read_unit(text)
    return r.name, r.assignees, r.recognised


def is_canonical_unit(name: str | None) -> bool:
    """True when ``name`` is a canonical unit name of the vocabulary, or a list of them
    joined by ", " (what :func:`canonical_unit` returns for a recognised cell). For pages:
    a stored unit for which this is False was printed in a spelling nobody has reviewed."""
    if not name:
        return False
    known = {u.unit for u in default_units().units}
    if name in known:
        return True
    # canonical names may contain ", " themselves ("Các phòng, đơn vị thuộc Sở"): longest first
    parts, rest = [], name
    while rest:
        for unit in sorted(known, key=len, reverse=True):
            if rest == unit or rest.startswith(unit + ", "):
                parts.append(unit)
                rest = rest[len(unit) + 2:] if rest != unit else ""
                break
        else:
            return False
    return bool(parts)


def unit_abbreviations() -> frozenset[str]:
    """Abbreviations of unit names as printed ("KĐC", "HTS", "TĐC", "ĐMST", "VP"…), from
    the ``abbreviations`` column of ``units.csv``: for parsers that must tell a unit cell
    from other text."""
    return default_units().abbreviations
