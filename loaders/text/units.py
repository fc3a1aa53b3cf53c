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


def _known(variants: tuple[str, ...], head: str | None, vocab: UnitVocabulary):
    """The first of ``variants`` (ways of writing one run of pieces) the vocabulary knows, as
    ``(entry, variant)``; a variant without a head word is also tried after ``head`` (the head
    of the unit before it: "Phòng KĐC, HTS" → "Phòng HTS"). ``None`` when none is known. The
    longest-run rule of :func:`read_unit` and :func:`split_units` asks this for each run."""
    for variant in dict.fromkeys(variants):
        entry = _match(_key(variant), vocab)
        if entry is None and head and _head_of(variant) is None:
            entry = _match(_key(f"{head} {variant}"), vocab)
        if entry is not None:
            return entry, variant
    return None


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
            hit = _known((cand, " ".join(_PAREN_RE.sub(" ", cand).split())), head, vocab)
            if hit:
                found = (hit[0], j, hit[1])
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


@dataclass(frozen=True)
class UnitPart:
    """One unit of a lead-unit cell (:func:`split_units`): ``printed`` — its words as
    printed ("Phòng KĐC", "HTS", "Trung tâm ĐSMT"; a trailing qualifier such as "theo chức
    năng nhiệm vụ" left out); ``kind`` — its kind of the vocabulary, or ``None`` when the
    vocabulary does not know it."""

    printed: str
    kind: str | None


# a unit's head word inside a piece, for text whose line breaks were squeezed ("Phòng KĐC
# Trung tâm ĐMST"): only used when every part it makes is known to the vocabulary
_HEAD_START_RE = re.compile(r"\s(?=(?:Văn phòng|Phòng|Trung tâm|TT|Chi cục|Thanh tra)\b)")


def _pieces(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of ``text`` cut at the list separators outside parentheses
    ("Chi cục TĐC (Tiêu chuẩn, Đo lường)" stays whole), in printed order, empty pieces
    dropped and each span trimmed of spaces and dashes."""
    spans: list[tuple[int, int]] = []
    depth, start, i = 0, 0, 0
    while i < len(text):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            m = _SPLIT_RE.match(text, i)  # "," ";" "+", " và " before a unit head
            if m and m.end() > i:
                spans.append((start, i))
                start = i = m.end()
                continue
        i += 1
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a] in " -–":
            a += 1
        while b > a and text[b - 1] in " -–":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def split_units(text: str | None, vocabulary: UnitVocabulary | None = None) -> tuple[UnitPart, ...]:
    """The units a lead-unit cell names, in printed order, each once: "Văn phòng Sở, Phòng
    KĐC, HTS, Trung tâm ĐMST theo chức năng nhiệm vụ" → Văn phòng Sở, Phòng KĐC, HTS,
    Trung tâm ĐMST (with their kinds). Rules:

    * assignee parentheses are left out (:func:`read_unit`, rule 1); the cell is cut at
      line breaks and, outside parentheses, at ",", ";", "+" and " và " before the head of
      another unit ("Trung tâm Thông tin và Ứng dụng …" stays one unit);
    * from the left, the longest run of pieces the vocabulary knows as one unit is one unit
      ("Phòng Khoa học, Công nghệ, ĐMST và CĐS" is one, although it holds commas); a bare
      abbreviation after a unit takes its head ("Phòng KĐC, HTS": HTS is a Phòng); an
      abbreviation with two letters swapped is read as the known one (rule 3 of
      :func:`read_unit`), its printed words kept;
    * a piece the vocabulary does not know is a unit of its own (kind ``None``) when it
      starts with a unit's head word or follows a known unit; otherwise it continues the
      unknown unit before it ("Phòng Hợp tác, Quốc tế" stays one unit: a name the file does
      not know is never cut into words);
    * a piece that is really several units glued together by a squeezed line break ("Phòng
      KĐC Trung tâm ĐMST") is cut before each head word when every part is then known;
    * trailing qualifiers ("theo chức năng nhiệm vụ") name no unit and are left out.

    ``None`` or blank gives ``()``. Never raises on content; ``vocabulary`` defaults to
    :func:`default_units`. The cell itself stays the provenance (the warehouse keeps it as
    printed); counts per unit count a task once for each of its units.
    """
    if text is None or not str(text).strip():
        return ()
    vocab = default_units() if vocabulary is None else vocabulary
    parts: list[UnitPart] = []
    for line in re.split(r"[\r\n]+", str(text)):
        cell = clean(line)
        if cell:
            parts.extend(_split_cell(cell, vocab))
    return tuple(dict.fromkeys(parts))


@memo_on_text()
def _split_cell(cell: str, vocab: UnitVocabulary) -> tuple[UnitPart, ...]:
    printed, _ = _without_assignees(cell)
    rest = printed.strip(" ,;-–")
    spans = _pieces(rest)
    pieces = [rest[a:b] for a, b in spans]
    units: list[list] = []  # [start in rest, printed, kind, known]
    head: str | None = None
    i = 0
    while i < len(pieces):
        found = None
        for j in range(len(pieces), i, -1):
            joined = rest[spans[i][0]:spans[j - 1][1]]  # as printed, separators included
            cand = _strip_qualifier(joined, vocab)
            spaced = _strip_qualifier(" ".join(pieces[i:j]), vocab)  # as read_unit reads it
            hit = _known((cand, spaced, " ".join(_PAREN_RE.sub(" ", cand).split())), head, vocab)
            if hit:
                found = (hit[0], j, cand)
                break
        if found:
            entry, j, cand = found
            units.append([spans[i][0], cand, entry.kind, True])  # printed: the words as printed
            head = _head_of(cand) or head
            i = j
            continue
        start = spans[i][0]
        piece = _strip_qualifier(pieces[i], vocab)
        i += 1
        if not piece.strip(" -–"):
            continue
        fixed = _typo_fix(piece, head, vocab)
        if fixed:
            units.append([start, piece, fixed[0].kind, True])
            head = _head_of(piece) or head
            continue
        glued = _glued(piece, vocab)
        if glued:
            units.extend([start, p.printed, p.kind, True] for p in glued)
            head = _head_of(glued[-1].printed) or head
            continue
        if _head_of(piece) is None and not _starts_unit(piece) and units and not units[-1][3]:
            # an unknown name with a comma in it: the piece continues it, as printed
            units[-1][1] = _strip_qualifier(rest[units[-1][0]:spans[i - 1][1]], vocab)
            continue
        units.append([start, piece, None, False])
        head = _head_of(piece) or head
    return tuple(UnitPart(p, k) for _, p, k, _ in units)


_OTHER_HEADS_RE = re.compile(r"^(?:văn phòng|thanh tra|ban|sở|viện|cục|ubnd|các)\b", re.IGNORECASE)


def _starts_unit(piece: str) -> bool:
    """True when ``piece`` starts with a head word of a unit other than ``_HEADS``."""
    return bool(_OTHER_HEADS_RE.match(piece))


def _glued(piece: str, vocab: UnitVocabulary) -> list[UnitPart] | None:
    """``piece`` cut before each unit head word when every part is a known unit, else ``None``."""
    chunks = _HEAD_START_RE.split(piece)
    if len(chunks) < 2:
        return None
    out = []
    for chunk in chunks:
        entry = _match(_key(_strip_qualifier(chunk, vocab)), vocab)
        if entry is None:
            return None
        out.append(UnitPart(_strip_qualifier(chunk, vocab), entry.kind))
    return out


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


# --- names that look like one of the department's units ------------------------------------
#: Words that open the name of one of the department's own units ("Văn phòng Sở", "Chi cục
#: TĐC", "Trung tâm Kỹ thuật TĐC", "Thanh tra Sở"); bodies outside the department (police,
#: press, ministries: the partners of a task) are not among them.
_DEPARTMENT_HEAD_RE = re.compile(r"^(?:Văn phòng|Phòng|Trung tâm|Chi cục|Thanh tra|Ban|Quỹ|Viện|Trạm)\s+(?P<next>\S+)",
                                 re.IGNORECASE)


def org_named(text: str | None) -> bool:
    """A name built like one of the department's units: a unit word, then a capitalised name
    or abbreviation ("Trung tâm Đổi mới sáng tạo và Chuyển đổi số", "Chi cục TĐC"); "Phòng
    chống thiên tai", "Trung tâm dữ liệu" are not. The kind may be unknown to the vocabulary."""
    m = _DEPARTMENT_HEAD_RE.match(clean(text or ""))
    return bool(m) and m.group("next")[:1].isupper()


def names_a_unit(text: str | None) -> bool:
    """A text naming one of the department's units: a kind of the units vocabulary
    (:func:`read_unit`), or a name built like one (:func:`org_named`)."""
    return bool(text) and (read_unit(text).kind is not None or org_named(text))


#: Longest description of a section that is a unit's name (a longer one is an activity).
UNIT_SECTION_MAX_CHARS = 80


def unit_sections(descriptions: list[str | None]) -> set[int]:
    """Which top sections of a table organised by unit are units: the positions in
    ``descriptions`` (the descriptions of the table's top sections, "I. Văn phòng Sở", "II.
    Phòng Quản lý khoa học", …) of the sections that name a unit. Only when one of them is a
    unit the vocabulary knows: then it and every sibling named like an organisation
    (:func:`org_named`, kind unknown) are; otherwise none is (sections by activity)."""
    short = {k: d for k, d in enumerate(descriptions) if d and len(d) <= UNIT_SECTION_MAX_CHARS}
    known = {k for k, d in short.items() if read_unit(d).kind is not None}
    return (known | {k for k, d in short.items() if org_named(d)}) if known else set()


# --- the unit a whole document is of ---------------------------------------------------------
_UNIT_LINE_RE = re.compile(r"^(?:tên\s+)?đơn vị(?:\s+(?:sử dụng ngân sách|dự toán|báo cáo|thực hiện))?\s*:\s*(?P<name>\S.*?)\s*$",
                           re.IGNORECASE)
_DEPARTMENT_RE = re.compile(r"^SỞ\s+KHOA\s+HỌC\s+VÀ\s+CÔNG\s+NGHỆ\b")
# "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH X TRUNG TÂM KỸ THUẬT … Số: 86/QĐ-TTKT" (a Word header cell)
_MERGED_ISSUER_RE = re.compile(r"SỞ\s+KHOA\s+HỌC\s+VÀ\s+CÔNG\s+NGHỆ(?:\s+(?:TỈNH|THÀNH PHỐ)\s+[^\sa-zà-ỹ]+(?:\s+[^\sa-zà-ỹ]+)*?)?"
                               r"\s+(?P<unit>(?:TRUNG TÂM|CHI CỤC|VĂN PHÒNG|PHÒNG|THANH TRA|BAN|QUỸ)(?:\s+[^\sa-zà-ỹ]+)+?)"
                               r"(?=\s+(?:Số\b|-{2,}|$))")


def _as_written(name: str, lines: list[str]) -> str:
    """``name`` as the document writes it elsewhere in mixed case ("TRUNG TÂM KỸ THUẬT …" →
    "Trung tâm Kỹ thuật …" from "(Kèm theo … của Giám đốc Trung tâm Kỹ thuật …)"), else as given."""
    if not name.isupper():
        return name
    pattern = re.compile(r"\s+".join(re.escape(w) for w in name.split()), re.IGNORECASE)
    for raw in lines[:60]:
        for m in pattern.finditer(clean(raw)):
            if not m.group(0).isupper():
                return m.group(0)
    return name


def document_unit(lines: list[str]) -> tuple[str, int] | None:
    """The department's unit a document is of, when it says so: ``(name, line)`` from a line
    "Đơn vị: Trung tâm …" ("Đơn vị sử dụng ngân sách:", "Tên đơn vị:") naming one of the
    department's units (:func:`names_a_unit`), else from the issuer block of the national
    header, a unit printed right under "SỞ KHOA HỌC VÀ CÔNG NGHỆ" (a disclosure the Trung tâm
    publishes itself). ``None`` for a document of the whole department (no such line; "Đơn vị:
    Sở Khoa học và Công nghệ" names no unit of it). The name is given as the document writes it
    in mixed case when it does (:func:`_as_written`). Source: PUBLIC_FORMS.md (each unit
    publishes its own disclosures) and GLOSSARY "Phòng / đơn vị"."""
    first_cells: list[tuple[int, str]] = []
    for n, raw in enumerate(lines[:40], start=1):
        cells = [clean(c) for c in raw.split("\t") if clean(c)]
        for cell in cells:
            m = _UNIT_LINE_RE.match(cell)
            if m and names_a_unit(m.group("name")):
                return _as_written(m.group("name"), lines), n
        if cells:
            first_cells.append((n, cells[0]))
    head = first_cells[:4]
    for (_, above), (n, cell) in zip(head, head[1:]):
        if _DEPARTMENT_RE.match(above) and org_named(cell):
            return _as_written(cell, lines), n
    for n, cell in head:
        m = _MERGED_ISSUER_RE.search(cell)
        if m and org_named(m.group("unit")):
            return _as_written(m.group("unit"), lines), n
    return None
