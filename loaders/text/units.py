"""Unit names (phòng / đơn vị of a department): the name as printed and its kind, read with
the reviewed vocabulary ``data/vocabulary/units.csv`` (format and the choice of kinds:
``data/vocabulary/README.md``).

A unit is stored **as the document prints it** (normal form only: :func:`loaders.text.normal.clean`,
Unicode NFC and white space squeezed), and its **kind** beside it, never instead of it. The
kind is a label shared by every province for one kind of unit ("Trung tâm Ứng dụng KH&CN" for
Sóc Trăng's "Trung tâm Ứng dụng", Điện Biên's "Trung tâm Thông tin và Ứng dụng tiến bộ
KH&CN" and Gia Lai's "Trung tâm Ứng dụng tiến bộ KH&CN"): pages group and compare by kind and
show the printed name. :func:`loaders.enrich.apply_unit_kinds` applies :func:`read_unit` to
budget-line units and to the lead units of tasks and indicators.

Rules of :func:`read_unit`:

1. Parentheses holding person names ("(Thuận)", "(Thuận, Cuộc, Kiều)", "(Vũ Quan và Huỳnh
   Phước Thành)": every word capitalised, 1–5 words per name) are assignees (GLOSSARY
   "Phòng / đơn vị": the person is not part of the unit). They are taken out of the printed
   name ("Văn phòng Sở (Thuận)" is stored as "Văn phòng Sở") and returned as ``assignees``.
   Every other parenthesis stays ("Chi cục Tiêu chuẩn Đo lường Chất lượng (TĐC)").
2. For the kind, the rest is cut at ",", ";", "+" and at " và " before the head of another
   unit ("Văn phòng Sở và Phòng KĐC"; "Trung tâm Ứng dụng và Thông tin khoa học" stays one
   piece); from the left, the longest run of pieces whose folded words
   (:func:`loaders.text.vocabulary.fold`, punctuation dropped) match a row's spelling in full
   is one unit (a parenthesis that holds no names, such as an abbreviation "Chi cục Tiêu chuẩn
   Đo lường Chất lượng (TĐC)", may be left out). A bare abbreviation after a unit with a head
   word takes that head ("Phòng KĐC, HTS" → two Phòng). Trailing qualifiers ("theo chức năng
   nhiệm vụ", rows ``@qualifier``) name no unit: left out of the kind, kept in the name.
3. A piece that matches no row is tried once more with one all-capital abbreviation
   corrected by swapping two adjacent letters (a known abbreviation of the file: "ĐSMT" →
   "ĐMST"); the correction is reported in ``corrections`` (the printed name keeps "ĐSMT").
4. The kind of a cell is the kinds of its units joined by "; " (kinds never contain ";"),
   each kind once, in printed order; ``None`` as soon as one piece matches no row: a kind
   is only ever made of kinds of the vocabulary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from loaders.text.normal import clean
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
COLUMNS = ("kind", "description", "abbreviations", "spellings", "comment")
QUALIFIER = "@qualifier"
KIND_SEPARATOR = "; "  # between the kinds of a cell that names several units

# A list is cut at "," ";" "+", and at " và " only before the head of another unit: "Trung tâm
# Ứng dụng và Thông tin khoa học" is one unit, "Văn phòng Sở và Phòng KĐC" two.
_SPLIT_RE = re.compile(
    r"\s*[,;+]\s*|\s+và\s+(?=(?:phòng|văn phòng|trung tâm|tt|chi cục|thanh tra|các|ban|vp|p\.)\b)", re.I
)
_PAREN_RE = re.compile(r"\(([^()]*)\)")
_SPACED_PAREN_RE = re.compile(r"\s*\(([^()]*)\)")
_PUNCT_RE = re.compile(r"[(),;:/+.]")
_HEADS = ("phong", "trung tam", "tt", "chi cuc")
_NOT_A_NAME = {"Sở", "Phòng", "Ban", "Cục", "Viện", "Bộ", "Tỉnh", "Huyện", "Trung", "Chi"}


@dataclass(frozen=True)
class UnitEntry:
    """One kind of ``units.csv``: the kind (the label shared by every province), its
    description, abbreviations (as printed, "KĐC"), compiled spellings and the CSV line."""

    kind: str
    description: str
    abbreviations: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    line: int


@dataclass(frozen=True)
class UnitVocabulary:
    """The kinds of the file (without qualifiers) and the qualifier patterns."""

    kinds: tuple[UnitEntry, ...]
    qualifiers: tuple[re.Pattern[str], ...]

    @property
    def abbreviations(self) -> frozenset[str]:
        return frozenset(a for u in self.kinds for a in u.abbreviations)


def load_unit_vocabulary(path: Path | str | None = None) -> UnitVocabulary:
    """Read and check ``units.csv`` (default ``data/vocabulary/units.csv``).

    Raises :class:`~loaders.text.vocabulary.VocabularyError` ("file:line: problem") for a wrong
    header, an empty kind or spelling, a kind repeated or containing ";" (the separator of
    :data:`KIND_SEPARATOR`), or an invalid regular expression.
    """

    path = Path(path) if path is not None else UNITS_CSV
    kinds: list[UnitEntry] = []
    qualifiers: list[re.Pattern[str]] = []
    seen: dict[str, int] = {}
    for line, row in read_rows(path, COLUMNS):
        name = row["kind"]
        if not name:
            raise VocabularyError(path, line, "thiếu loại đơn vị (cột kind)")
        if name in seen:
            raise VocabularyError(path, line, f"loại đơn vị {name!r} đã có ở dòng {seen[name]}")
        if ";" in name:
            raise VocabularyError(path, line, f"loại đơn vị {name!r} chứa dấu ';' (dấu phân cách các loại)")
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
        kinds.append(UnitEntry(name, row["description"] or name, abbreviations, tuple(patterns), line))
    return UnitVocabulary(tuple(kinds), tuple(qualifiers))


_cache = FileCache()


def default_units() -> UnitVocabulary:
    """The vocabulary of ``data/vocabulary/units.csv`` (re-read when it changes)."""
    return _cache.get(UNITS_CSV, load_unit_vocabulary)


@dataclass(frozen=True)
class UnitReading:
    """A unit cell read (rules in the module docstring):

    * ``cell`` — the whole cell in the normal form of stored text (:func:`clean`);
    * ``printed`` — the unit's name as printed: ``cell`` without the assignee parentheses
      ("Văn phòng Sở (Thuận)" → "Văn phòng Sở"); what the warehouse stores as the unit;
    * ``kind`` — the kind of the vocabulary, or the kinds of a list of units joined by
      :data:`KIND_SEPARATOR`; ``None`` when any unit of the cell is not in the vocabulary;
    * ``assignees`` — the names of the parentheses, joined by ", " unless printed
      otherwise ("Vũ Quan và Huỳnh Phước Thành"), or ``None``;
    * ``corrections`` — typo corrections made to find the kind, e.g. "ĐSMT → ĐMST".
    """

    cell: str
    printed: str
    kind: str | None
    assignees: str | None
    corrections: tuple[str, ...] = ()

    @property
    def recognised(self) -> bool:
        """True when the vocabulary knows every unit of the cell (``kind`` is set)."""
        return self.kind is not None


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
    for entry in vocab.kinds:
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
    ATBX,HN và Sở hữu trí tuệ") into a :class:`UnitReading`: the name as printed (assignees
    taken out), its kind, the assignees and the typo corrections (rules in the module
    docstring; kinds from ``data/vocabulary/units.csv``).

    ``"Văn phòng (Kiều)"`` → printed "Văn phòng", kind "Văn phòng Sở", assignees "Kiều";
    ``"TT ĐMST"`` → printed "TT ĐMST", kind "Trung tâm Đổi mới sáng tạo";
    ``"Phòng Hợp tác quốc tế"`` → printed as is, kind ``None``.
    ``None`` or blank gives ``UnitReading("", "", None, None)``. Never raises on content;
    ``vocabulary`` defaults to :func:`default_units`.
    """
    cell = clean(text)
    if not cell:
        return UnitReading("", "", None, None)
    return _read_unit(cell, default_units() if vocabulary is None else vocabulary)


def _without_assignees(cell: str) -> tuple[str, list[str]]:
    """``cell`` without its parentheses of person names (and the space before them), and
    those names; a word glued after a removed parenthesis keeps one space before it."""
    names: list[str] = []

    def take(m: re.Match[str]) -> str:
        inner = " ".join(m.group(1).split())
        if not _is_person_list(inner):
            return m.group(0)
        names.append(inner)
        after = cell[m.end():m.end() + 1]
        return " " if after.isalnum() else ""

    return " ".join(_SPACED_PAREN_RE.sub(take, cell).split()), names


@memo_on_text()
def _read_unit(cell: str, vocab: UnitVocabulary) -> UnitReading:
    """:func:`read_unit` of a cleaned, non-empty cell (memoised per distinct cell)."""
    printed, assignees = _without_assignees(cell)
    rest = printed.strip(" ,;-–")
    pieces = [p for p in _SPLIT_RE.split(rest) if p and p.strip(" -–")]
    kinds: list[str] = []
    corrections: list[str] = []
    known = bool(pieces)
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
            kinds.append(entry.kind)
            head = _head_of(cand) or head
            i = j
            continue
        piece = _strip_qualifier(pieces[i], vocab)
        fixed = _typo_fix(piece, head, vocab)
        if fixed:
            kinds.append(fixed[0].kind)
            corrections.append(fixed[1])
        elif piece.strip(" -–"):
            known = False
        head = _head_of(piece) or head
        i += 1
    kind = KIND_SEPARATOR.join(dict.fromkeys(kinds)) if known and kinds else None
    return UnitReading(cell, printed, kind, ", ".join(assignees) or None, tuple(corrections))


def unit_kind(text: str | None) -> str | None:
    """The kind of a unit cell (:func:`read_unit`), or ``None`` when the vocabulary does not
    know every unit of it: ``"VP Sở (Hương)"`` → "Văn phòng Sở"; ``"Phòng KĐC, TT ĐMST"`` →
    "Phòng Khoa học, Công nghệ, ĐMST và CĐS; Trung tâm Đổi mới sáng tạo"; ``"Phòng Hợp tác quốc
    tế"`` → ``None``."""
    return read_unit(text).kind


def unit_kinds() -> tuple[str, ...]:
    """The kinds of ``data/vocabulary/units.csv``, in file order (for pages and checks)."""
    return tuple(u.kind for u in default_units().kinds)


def is_unit_kind(name: str | None) -> bool:
    """True when ``name`` is a kind of the vocabulary, or several joined by
    :data:`KIND_SEPARATOR` (what :func:`read_unit` gives for a list of known units)."""
    if not name:
        return False
    known = set(unit_kinds())
    return all(part in known for part in name.split(KIND_SEPARATOR))


def unit_abbreviations() -> frozenset[str]:
    """Abbreviations of unit names as printed ("KĐC", "HTS", "TĐC", "ĐMST", "VP"…), from
    the ``abbreviations`` column of ``units.csv``: for parsers that must tell a unit cell
    from other text."""
    return default_units().abbreviations
