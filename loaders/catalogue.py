"""Indicator catalogue and fields of work (lĩnh vực): recognise the same measure across
provinces and years, and put indicators, results, tasks and budget lines in a field.

Both rule sets are reviewed data files, not code (see ``data/catalogue/README.md``):

* ``data/catalogue/indicators.csv`` — ``code,name_vn,unit,good_direction,field,phrases``:
  one row per measure, with the Vietnamese phrases that name it in plans and reports.
* ``data/catalogue/fields.csv`` — ``field,name_vn,priority,keywords``: the keywords of
  each field of work; when a text matches several fields the lowest ``priority`` wins.

Matching rule (shared by both files):

1. The text is normalised by :func:`normalize_text`: Unicode NFC, lower case, one space
   between words, en/em dashes as "-", no space around "&", old-style tone placement
   ("hoá", "thuỷ") rewritten to the new style ("hóa", "thủy"), "tỉ" as "tỷ", and every
   spelling of "khoa học và công nghệ" (KH&CN, KH & CN, KHCN, khoa học công nghệ,
   khoa học, công nghệ) as ``kh&cn``.
2. A phrase or keyword is a Python regular expression written in that normal form. It
   must match whole words: it is wrapped as ``(?<!\\w)(?:phrase)(?!\\w)``. In the CSV
   cell, ``|`` at the top level separates phrases; inside parentheses it is the usual
   regex alternation.
3. :func:`match_indicator` returns the code whose phrase matches the longest span of the
   text (the most specific phrase); equal spans go to the row listed first in the file.
4. :func:`assign_field` reads the description first. Among the fields whose keywords
   match it, the lowest ``priority`` wins. Only when the description matches no field
   is the unit name used (its parenthesised assignee removed; for a list of units, the
   first unit that matches decides).

Sources of the phrases: the five documents in ``data/raw`` (Điện Biên 2024 budget
appendices, 2022 plan, 2026 plan; Sơn La Q1/2024 report; Sóc Trăng 2024 task plan) and the
field list of ``../shared/GLOSSARY.md``.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Iterable, Sequence

from .model import BudgetLine, ParseIssue, ParseResult
from .sources import source_issue
from .units import read_unit
from .vocabulary import memo_on_text, pinned_get

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "data" / "catalogue"
INDICATORS_CSV = CATALOGUE_DIR / "indicators.csv"
FIELDS_CSV = CATALOGUE_DIR / "fields.csv"

#: Field code → Vietnamese label shown on pages. The codes are the only ones allowed in
#: both CSV files; ``fields.csv`` repeats the labels for reviewers (a test keeps them equal).
FIELD_LABELS_VN: dict[str, str] = {
    "quan_ly_khoa_hoc": "Quản lý khoa học (nhiệm vụ KH&CN)",
    "tdc": "Tiêu chuẩn – Đo lường – Chất lượng (TĐC)",
    "shtt": "Sở hữu trí tuệ (SHTT)",
    "atbx": "An toàn bức xạ, hạt nhân (ATBX)",
    "thanh_tra": "Thanh tra",
    "thong_tin_thong_ke": "Thông tin – thống kê KH&CN",
    "ung_dung_chuyen_giao": "Ứng dụng – chuyển giao công nghệ",
    "dmst": "Đổi mới sáng tạo (ĐMST), khởi nghiệp",
    "cds": "Chuyển đổi số (CĐS)",
    "van_phong": "Văn phòng (hành chính, tổ chức, tài chính, CCHC)",
}
FIELDS: tuple[str, ...] = tuple(FIELD_LABELS_VN)
GOOD_DIRECTIONS: tuple[str, ...] = ("up", "down", "target")

INDICATOR_COLUMNS = ("code", "name_vn", "unit", "good_direction", "field", "phrases")
FIELD_COLUMNS = ("field", "name_vn", "priority", "keywords")

_CODE_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


class CatalogueError(ValueError):
    """A catalogue file cannot be used. The message reads ``<file>:<line>: <problem>``;
    ``path`` and ``line`` (1-based line of the CSV file, 1 = header) are kept as attributes."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = Path(path)
        self.line = line
        self.problem = message
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class CatalogueEntry:
    """One measure of ``indicators.csv``.

    ``phrases`` are the phrases as written in the file (normal form, see
    :func:`normalize_text`); ``patterns`` their compiled whole-word regexes; ``line`` the
    CSV line they came from.
    """

    code: str
    name_vn: str
    unit: str
    good_direction: str  # "up" | "down" | "target"
    field: str
    phrases: tuple[str, ...]
    line: int
    patterns: tuple[re.Pattern[str], ...] = dc_field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class FieldRule:
    """One field of ``fields.csv``: its keywords (as written and compiled) and priority."""

    field: str
    name_vn: str
    priority: int
    keywords: tuple[str, ...]
    line: int
    patterns: tuple[re.Pattern[str], ...] = dc_field(default=(), compare=False, repr=False)


# ----------------------------------------------------------------------------- normalising

# Old-style tone placement on the second vowel of "oa", "oe", "uy" at the end of a
# syllable ("hoá", "khoẻ", "thuỷ") → new style ("hóa", "khỏe", "thủy"). Not after "q":
# in "quý" the "u" belongs to "qu" and the tone is already on "y".
_OLD_TONE = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_OLD_TONE_RE = re.compile(r"(?<![qQ])(" + "|".join(_OLD_TONE) + r")(?!\w)")
_DASH_RE = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_AMP_RE = re.compile(r"\s*&\s*")
_TI_RE = re.compile(r"(?<!\w)tỉ(?!\w)")
_KHCN_RE = re.compile(
    r"(?<!\w)(?:khoa học (?:và|&) công nghệ|khoa học,? công nghệ|kh&cn|khcn)(?!\w)"
)


def _canonical(s: str) -> str:
    """Steps of :func:`normalize_text` that are safe on a regex too (no case change)."""
    s = unicodedata.normalize("NFC", s)
    s = _DASH_RE.sub("-", s)
    s = _OLD_TONE_RE.sub(lambda m: _OLD_TONE[m.group(1)], s)
    s = _TI_RE.sub("tỷ", s)
    return s


def normalize_text(text: str | None) -> str:
    """Return ``text`` in the normal form phrases and keywords are written in.

    NFC, lower case, whitespace runs → one space, en/em dashes → "-", no space around "&",
    old-style tone placement → new style ("hoá" → "hóa"), "tỉ" → "tỷ", and "khoa học và
    công nghệ" / "khoa học công nghệ" / "khoa học, công nghệ" / "KH & CN" / "KHCN" →
    "kh&cn". ``None`` gives "".

    >>> normalize_text("Sở Khoa học và Công nghệ  hoá")
    'sở kh&cn hóa'
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFC", text).lower()
    s = " ".join(s.split())
    s = _AMP_RE.sub("&", s)
    s = _canonical(s)
    s = _KHCN_RE.sub("kh&cn", s)
    return s


def _sub_mapped(pattern: re.Pattern[str], repl, s: str, idx: list[int]) -> tuple[str, list[int]]:
    out: list[str] = []
    new_idx: list[int] = []
    pos = 0
    for m in pattern.finditer(s):
        out.append(s[pos:m.start()])
        new_idx.extend(idx[pos:m.start()])
        r = repl(m) if callable(repl) else repl
        span = idx[m.start():m.end()] or [idx[m.start()] if m.start() < len(idx) else (idx[-1] + 1 if idx else 0)]
        out.append(r)
        new_idx.extend(span[min(k, len(span) - 1)] for k in range(len(r)))
        pos = m.end()
    out.append(s[pos:])
    new_idx.extend(idx[pos:])
    return "".join(out), new_idx


_SPACES_RE = re.compile(r"\s+")


def normalize_mapped(text: str | None) -> tuple[str, list[int]]:
    """:func:`normalize_text` with an offset map: returns ``(normal, index)`` where
    ``index[i]`` is the offset in ``text`` of the character that became ``normal[i]``
    (``len(index) == len(normal)``). ``text`` is expected in NFC (as
    :func:`loaders.documents.read_lines` gives it); a span ``[a, b)`` of ``normal`` was
    printed at ``text[index[a]:index[b - 1] + 1]``.
    """
    if not text:
        return "", []
    s = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    idx = list(range(len(s)))
    s, idx = _sub_mapped(_SPACES_RE, " ", s, idx)
    lead = len(s) - len(s.lstrip(" "))
    s, idx = s.strip(" "), idx[lead:lead + len(s.strip(" "))]
    s, idx = _sub_mapped(_AMP_RE, "&", s, idx)
    s, idx = _sub_mapped(_DASH_RE, "-", s, idx)
    s, idx = _sub_mapped(_OLD_TONE_RE, lambda m: _OLD_TONE[m.group(1)], s, idx)
    s, idx = _sub_mapped(_TI_RE, "tỷ", s, idx)
    s, idx = _sub_mapped(_KHCN_RE, "kh&cn", s, idx)
    return s, idx


def split_phrases(cell: str) -> list[str]:
    """Split a ``phrases`` / ``keywords`` cell on ``|`` outside parentheses and brackets.

    ``"a|b (c|d)"`` → ``["a", "b (c|d)"]``. Surrounding spaces are stripped; empty pieces
    are kept (as "") so the validator can report them.
    """
    parts: list[str] = []
    depth = 0
    in_class = False
    escaped = False
    cur: list[str] = []
    for ch in cell:
        if escaped:
            cur.append(ch)
            escaped = False
            continue
        if ch == "\\":
            cur.append(ch)
            escaped = True
            continue
        if in_class:
            if ch == "]":
                in_class = False
            cur.append(ch)
            continue
        if ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "|" and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur).strip())
    return parts


def _compile_phrase(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{phrase})(?!\w)")


def _check_phrase(phrase: str, path: Path, line: int, what: str) -> re.Pattern[str]:
    if not phrase:
        raise CatalogueError(path, line, f"empty {what} (check for a doubled or trailing '|')")
    letters = re.sub(r"\\.", "", phrase)  # regex escapes such as \d, \S are not text
    if any(ch.isupper() for ch in letters):
        raise CatalogueError(path, line, f"{what} {phrase!r} must be lower case")
    normal = _KHCN_RE.sub("kh&cn", _canonical(phrase))
    if normal != phrase:
        raise CatalogueError(path, line, f"{what} {phrase!r} is not in normal form; write {normal!r}")
    try:
        return _compile_phrase(phrase)
    except re.error as exc:
        raise CatalogueError(path, line, f"{what} {phrase!r} is not a valid regular expression: {exc}") from None


def _read_rows(
    path: Path, columns: Sequence[str], error: type[ValueError] | None = None
) -> Iterable[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for each non-empty row of a UTF-8 CSV file whose header is
    exactly ``columns`` (a row whose first cell starts with "#" is a comment). Raises
    ``error(path, line, message)`` (default :class:`CatalogueError`) for a file that cannot be
    opened, an empty file, a wrong header, a row with the wrong number of cells or text that
    is not UTF-8. Shared by the catalogue and ``data/vocabulary`` files."""
    error = error or CatalogueError
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise error(path, None, f"cannot open: {exc.strerror or exc}") from None
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise error(path, 1, "file is empty") from None
        except UnicodeDecodeError:
            raise error(path, 1, "not UTF-8 text") from None
        header = [h.strip() for h in header]
        if tuple(header) != tuple(columns):
            raise error(path, 1, f"header must be {','.join(columns)} (found {','.join(header)})")
        try:
            for row in reader:
                line = reader.line_num
                if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
                    continue
                if len(row) != len(columns):
                    raise error(path, line, f"expected {len(columns)} columns, found {len(row)}")
                yield line, {c: v.strip() for c, v in zip(columns, row)}
        except UnicodeDecodeError:
            raise error(path, reader.line_num + 1, "not UTF-8 text") from None
        except csv.Error as exc:
            raise error(path, reader.line_num, f"CSV error: {exc}") from None


# ----------------------------------------------------------------------------- loading


def load_indicator_catalogue(path: Path | str | None = None) -> list[CatalogueEntry]:
    """Read and validate ``indicators.csv`` (default ``data/catalogue/indicators.csv``).

    Returns the entries in file order. Raises :class:`CatalogueError` naming the file and
    line when: the header is not ``code,name_vn,unit,good_direction,field,phrases``; a row
    has the wrong number of cells; a code is not snake_case or repeats an earlier code;
    ``name_vn`` or ``unit`` is empty; ``good_direction`` is not up/down/target; ``field``
    is not a code of :data:`FIELD_LABELS_VN`; ``phrases`` is empty or holds an empty,
    upper-case, non-normal-form or invalid regex phrase; or a phrase is already listed
    under another code (the same words cannot name two measures).
    """
    path = Path(path) if path is not None else INDICATORS_CSV
    entries: list[CatalogueEntry] = []
    seen_codes: dict[str, int] = {}
    seen_phrases: dict[str, str] = {}
    for line, row in _read_rows(path, INDICATOR_COLUMNS):
        code = row["code"]
        if not _CODE_RE.match(code):
            raise CatalogueError(path, line, f"code {code!r} must be snake_case (a-z, 0-9, _)")
        if code in seen_codes:
            raise CatalogueError(path, line, f"duplicate code {code!r} (first on line {seen_codes[code]})")
        seen_codes[code] = line
        if not row["name_vn"]:
            raise CatalogueError(path, line, f"{code}: name_vn is empty")
        if not row["unit"]:
            raise CatalogueError(path, line, f"{code}: unit is empty")
        if row["good_direction"] not in GOOD_DIRECTIONS:
            raise CatalogueError(
                path, line, f"{code}: good_direction {row['good_direction']!r} must be one of {', '.join(GOOD_DIRECTIONS)}"
            )
        if row["field"] not in FIELD_LABELS_VN:
            raise CatalogueError(path, line, f"{code}: unknown field {row['field']!r} (allowed: {', '.join(FIELDS)})")
        if not row["phrases"]:
            raise CatalogueError(path, line, f"{code}: phrases is empty")
        phrases = split_phrases(row["phrases"])
        patterns = []
        for p in phrases:
            patterns.append(_check_phrase(p, path, line, "phrase"))
            if p in seen_phrases and seen_phrases[p] != code:
                raise CatalogueError(path, line, f"{code}: phrase {p!r} is already listed under {seen_phrases[p]!r}")
            seen_phrases[p] = code
        entries.append(
            CatalogueEntry(
                code=code,
                name_vn=row["name_vn"],
                unit=row["unit"],
                good_direction=row["good_direction"],
                field=row["field"],
                phrases=tuple(phrases),
                line=line,
                patterns=tuple(patterns),
            )
        )
    return entries


def load_field_rules(path: Path | str | None = None) -> list[FieldRule]:
    """Read and validate ``fields.csv`` (default ``data/catalogue/fields.csv``).

    Returns the rules sorted by priority (lowest first). Raises :class:`CatalogueError`
    naming the file and line when: the header is not ``field,name_vn,priority,keywords``;
    a field code is not one of :data:`FIELD_LABELS_VN` or repeats; ``priority`` is not a
    whole number or repeats another field's; ``keywords`` is empty or holds an empty,
    upper-case, non-normal-form or invalid regex keyword; or a field of
    :data:`FIELD_LABELS_VN` has no row (reported on the last line).
    """
    path = Path(path) if path is not None else FIELDS_CSV
    rules: list[FieldRule] = []
    seen: dict[str, int] = {}
    priorities: dict[int, str] = {}
    last_line = 1
    for line, row in _read_rows(path, FIELD_COLUMNS):
        last_line = line
        code = row["field"]
        if code not in FIELD_LABELS_VN:
            raise CatalogueError(path, line, f"unknown field {code!r} (allowed: {', '.join(FIELDS)})")
        if code in seen:
            raise CatalogueError(path, line, f"duplicate field {code!r} (first on line {seen[code]})")
        seen[code] = line
        try:
            priority = int(row["priority"])
        except ValueError:
            raise CatalogueError(path, line, f"{code}: priority {row['priority']!r} is not a whole number") from None
        if priority in priorities:
            raise CatalogueError(path, line, f"{code}: priority {priority} already used by {priorities[priority]!r}")
        priorities[priority] = code
        if not row["keywords"]:
            raise CatalogueError(path, line, f"{code}: keywords is empty")
        keywords = split_phrases(row["keywords"])
        patterns = tuple(_check_phrase(k, path, line, "keyword") for k in keywords)
        rules.append(
            FieldRule(
                field=code,
                name_vn=row["name_vn"] or FIELD_LABELS_VN[code],
                priority=priority,
                keywords=tuple(keywords),
                line=line,
                patterns=patterns,
            )
        )
    missing = [f for f in FIELDS if f not in seen]
    if missing:
        raise CatalogueError(path, last_line, f"no row for field(s): {', '.join(missing)}")
    return sorted(rules, key=lambda r: r.priority)


# Default files, re-read when they change on disk (a reviewer may edit them while the
# dashboard runs).
_cache: dict[tuple[str, Path], tuple[float, list]] = {}


def _default(kind: str) -> list:
    return pinned_get(("catalogue", kind), lambda: _load_default(kind))


def _load_default(kind: str) -> list:
    path = INDICATORS_CSV if kind == "indicators" else FIELDS_CSV
    key = (kind, path)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = -1.0
    hit = _cache.get(key)
    if hit is None or hit[0] != mtime:
        data = load_indicator_catalogue(path) if kind == "indicators" else load_field_rules(path)
        _cache[key] = (mtime, data)
        return data
    return hit[1]


def default_catalogue() -> list[CatalogueEntry]:
    """The entries of ``data/catalogue/indicators.csv`` (cached until the file changes)."""
    return _default("indicators")


def default_field_rules() -> list[FieldRule]:
    """The rules of ``data/catalogue/fields.csv`` (cached until the file changes)."""
    return _default("fields")


# ----------------------------------------------------------------------------- matching


def match_indicator(text: str | None, entries: Sequence[CatalogueEntry] | None = None) -> str | None:
    """Return the catalogue code named by ``text``, or ``None``.

    ``text`` is an indicator name or a result's name as printed ("Phương tiện đo được
    kiểm định", "Số lượng đơn đăng ký sáng chế, giải pháp hữu ích"). It is normalised
    (:func:`normalize_text`); every phrase of every entry is searched as a whole-word
    regex; the entry whose phrase matches the longest span wins, and on equal spans the
    entry listed first. ``entries`` defaults to :func:`default_catalogue`.
    """
    s = normalize_text(text)
    if not s:
        return None
    if entries is None:
        entries = default_catalogue()
    best: tuple[int, int] | None = None
    best_code: str | None = None
    for order, entry in enumerate(entries):
        for pattern in entry.patterns:
            for m in pattern.finditer(s):
                key = (m.end() - m.start(), -order)
                if m.end() > m.start() and (best is None or key > best):
                    best, best_code = key, entry.code
    return best_code


def matching_fields(text: str | None, rules: Sequence[FieldRule] | None = None) -> list[str]:
    """All fields whose keywords match ``text``, best first (lowest priority number).

    For review: a description that matches three or more fields is often an aggregate
    ("Chi cho các nhiệm vụ quản lý nhà nước (TĐC, SHTT, TT, CN, ATBX...)").
    """
    if not text:
        return []
    return list(_matching_fields(text, default_field_rules() if rules is None else rules))


@memo_on_text()
def _matching_fields(text: str, rules: Sequence[FieldRule]) -> tuple[str, ...]:
    """:func:`matching_fields` as a tuple, memoised per distinct text and rule list."""
    s = normalize_text(text)
    if not s:
        return ()
    hits = [r for r in rules if any(p.search(s) for p in r.patterns)]
    return tuple(r.field for r in sorted(hits, key=lambda r: r.priority))


_PAREN_RE = re.compile(r"\([^)]*\)")
_UNIT_SPLIT_RE = re.compile(r"[,;]| và (?=(?:phòng|trung tâm|văn phòng|thanh tra|chi cục)\b)", re.I)


def _unit_candidates(unit: str) -> list[str]:
    """``"Văn phòng Sở (Thuận), Phòng KĐC"`` → ``["Văn phòng Sở", "Phòng KĐC"]``; the whole
    name (without assignees) comes last, for names that contain a comma."""
    bare = " ".join(_PAREN_RE.sub(" ", unit).split())
    parts = [p.strip() for p in _UNIT_SPLIT_RE.split(bare) if p and p.strip()]
    return parts + ([bare] if bare and bare not in parts else [])


def assign_field(text: str | None, unit: str | None = None, rules: Sequence[FieldRule] | None = None) -> str | None:
    """Return the field code of an activity, or ``None`` when nothing matches.

    ``text`` is a description or task name ("Thẩm định điều kiện an toàn bức xạ ...");
    ``unit`` the lead unit as printed ("Thanh tra Sở", "Văn phòng Sở (Thuận)",
    "Phòng KĐC, TT ĐMST"). The description decides first: among the fields whose keywords
    match it, the one with the lowest ``priority`` wins. When the description matches no
    field, the unit name is tried, assignees in parentheses removed; for a list of units
    the first unit that matches decides. ``rules`` defaults to :func:`default_field_rules`.
    """
    if rules is None:
        rules = default_field_rules()
    found = matching_fields(text, rules)
    if found:
        return found[0]
    if unit:
        for candidate in _unit_candidates(unit):
            found = matching_fields(candidate, rules)
            if found:
                return found[0]
    return None


#: A short budget description (at most :data:`AGGREGATE_MAX_CHARS` characters) whose
#: keywords hit this many fields or more is a heading that adds up several fields ("Chi
#: cho các nhiệm vụ quản lý nhà nước (TĐC, SHTT, TT, CN, ATBX...)"): :func:`field_of_line`
#: does not take a field from it. Long descriptions listing several activities of one unit
#: are not affected.
AGGREGATE_MIN_FIELDS = 3
AGGREGATE_MAX_CHARS = 120


def _is_aggregate(text: str | None, found: list[str]) -> bool:
    return len(found) >= AGGREGATE_MIN_FIELDS and len(normalize_text(text)) <= AGGREGATE_MAX_CHARS


def field_of_line(
    line: BudgetLine,
    rules: Sequence[FieldRule] | None = None,
    *,
    parent_description: str | None = None,
) -> str | None:
    """Field code of a budget line, for the warehouse build (BudgetLine has no ``field``).

    Order: the line's ``description``; then ``parent_description`` (the description of
    the line named by ``line.parent_id``, when the caller has it: "- Biên tập và phát
    hành Bản tin" under "Hoạt động điểm TBT"); then the line's ``unit``. Each step uses
    the priority rule of :func:`assign_field`, except that a short description naming
    :data:`AGGREGATE_MIN_FIELDS` fields or more is skipped as an aggregate of fields.
    ``None`` when nothing decides: the 2020–2021 execution table of the Điện Biên 2022
    plan has no units, and "Kinh phí SNKH" or "Chi cho các đơn vị sự nghiệp" name no field.
    """
    if rules is None:
        rules = default_field_rules()
    for text in (line.description, parent_description):
        found = matching_fields(text, rules)
        if found and not _is_aggregate(text, found):
            return found[0]
    return assign_field(None, line.unit, rules)


def _field_of_section(section: str | None, rules: Sequence[FieldRule]) -> str | None:
    """Heading path "A › B": the most specific heading (last) first."""
    if not section:
        return None
    for part in reversed([p.strip() for p in section.split("›")]):
        found = matching_fields(part, rules)
        if found:
            return found[0]
    return None


def enrich(
    result: ParseResult,
    entries: Sequence[CatalogueEntry] | None = None,
    rules: Sequence[FieldRule] | None = None,
) -> None:
    """Fill catalogue codes and fields on a parser's result, in place; returns ``None``.

    * ``indicators`` and ``actuals``: ``code`` (when ``None``) from :func:`match_indicator`
      on ``name`` — for actuals, then on "name unit" ("Thử nghiệm" + "mẫu"). The sentence
      is not used: it often names several measures.
    * ``field`` on indicators and actuals: a valid field code already set is kept;
      otherwise the catalogue field of the code; otherwise a label a parser put there
      ("ATBX, HN", "TĐC") is turned into a code with :func:`assign_field`; otherwise
      :func:`assign_field` on the name (indicators: with ``lead_unit``). A value that
      is none of these becomes ``None``: ``field`` always holds a code or ``None``.
    * ``tasks``: ``field`` from :func:`assign_field` on ``name`` and ``lead_unit``, then
      the task's ``section`` heading (most specific part first); same keep/convert rule.
    * units: after the fields (which read the printed unit), :func:`canonicalise_units`
      puts canonical unit names on budget lines, tasks and indicators;
    * funding sources: :func:`warn_unread_sources` warns for every source note nobody
      could classify.

    Budget lines are left alone: use :func:`field_of_line` at warehouse-build time.
    ``entries`` / ``rules`` default to the files in ``data/catalogue``.
    """
    if entries is None:
        entries = default_catalogue()
    if rules is None:
        rules = default_field_rules()
    by_code = {e.code: e for e in entries}

    def resolve_field(current: str | None, code: str | None, name: str, unit: str | None) -> str | None:
        if current in FIELD_LABELS_VN:
            return current
        if code in by_code:
            return by_code[code].field
        if current:
            converted = assign_field(current, None, rules)
            if converted:
                return converted
        return assign_field(name, unit, rules)

    for ind in result.indicators:
        if ind.code is None:
            ind.code = match_indicator(ind.name, entries)
        ind.field = resolve_field(ind.field, ind.code, ind.name, ind.lead_unit)

    for act in result.actuals:
        if act.code is None:
            act.code = match_indicator(act.name, entries)
            if act.code is None and act.unit:
                act.code = match_indicator(f"{act.name} {act.unit}", entries)
        act.field = resolve_field(act.field, act.code, act.name, None)

    for task in result.tasks:
        if task.field in FIELD_LABELS_VN:
            continue
        found = None
        if task.field:
            found = assign_field(task.field, None, rules)
        found = found or assign_field(task.name, task.lead_unit, rules) or _field_of_section(task.section, rules)
        task.field = found

    canonicalise_units(result)
    warn_unread_sources(result)
    warn_unspecified_sources(result)


def warn_unread_sources(result: ParseResult) -> None:
    """Add a warning (line and note as printed) for every budget line stored as
    UNSPECIFIED although it prints a note that reads like a funding source nobody could
    classify ("Nguồn kinh phí cấp bù", "NSTW hỗ trợ"): :func:`loaders.sources.source_issue`.
    Parsers need not warn themselves; when a warning on the same line already quotes the
    note, none is added. Returns ``None``."""
    said: dict[int | None, list[str]] = {}
    for i in result.issues:
        said.setdefault(i.line, []).append(i.message + " " + (i.text or ""))
    for bl in result.budget_lines:
        if bl.funding_source != "UNSPECIFIED":
            continue
        note = bl.funding_note or bl.note
        issue = source_issue(note, bl.source_line, where=bl.appendix or None)
        if issue is None or any(issue.text in m for m in said.get(issue.line, [])):
            continue
        said.setdefault(issue.line, []).append(issue.message + " " + issue.text)
        result.issues.append(issue)


def warn_unspecified_sources(result: ParseResult) -> None:
    """Add one warning listing the lines of money (not subtotals) stored as UNSPECIFIED because
    the document prints no funding source for them (nor a section above them), unless the
    parser already named those lines in a warning about missing sources. Every parser gets
    this check, so no family of documents leaves "Chưa ghi nguồn" unexplained. Returns ``None``."""
    said = " ".join(i.message for i in result.issues if "nguồn" in i.message)
    lines = [bl for bl in result.budget_lines
             if bl.funding_source == "UNSPECIFIED" and not bl.is_subtotal and bl.amount_vnd is not None]
    missing = [bl for bl in lines if not re.search(rf"(?<!\d){bl.source_line}(?!\d)", said)]
    if not missing:
        return
    numbers = sorted({bl.source_line for bl in missing if bl.source_line is not None})
    result.issues.append(ParseIssue(
        numbers[0] if numbers else None,
        f"{len(missing)} dòng tiền không ghi nguồn kinh phí (văn bản không in nguồn cho dòng hay mục của nó), "
        f"để 'Chưa ghi nguồn': dòng " + ", ".join(str(n) for n in numbers),
    ))


def canonicalise_units(result: ParseResult) -> None:
    """Replace the unit of every budget line and the lead unit of every task and indicator
    by its canonical name (:func:`loaders.units.read_unit`, vocabulary
    ``data/vocabulary/units.csv``), in place; returns ``None``.

    The printed text is kept in ``unit_printed`` / ``lead_unit_printed`` (set only when it
    differs from the canonical name). Names in parentheses become the task's ``assignees``
    when the parser left them there. A unit that matches no row keeps its printed text
    (white space cleaned); a unit read through a typo correction ("Trung tâm ĐSMT") adds a
    warning with the record's line. Idempotent: a canonical name reads as itself.
    """
    warned: set[str] = set()

    def apply(printed: str | None, line: int) -> tuple[str | None, str | None, str | None]:
        if not printed:
            return printed, None, None
        reading = read_unit(printed)
        if not reading.name:
            return printed, None, None
        if reading.corrections and printed not in warned:
            warned.add(printed)
            result.issues.append(
                ParseIssue(
                    line,
                    f'đơn vị "{reading.printed}" được đọc là "{reading.name}" '
                    f"(sửa lỗi gõ: {', '.join(reading.corrections)})",
                    text=reading.printed,
                )
            )
        kept = reading.printed if reading.printed != reading.name else None
        return reading.name, kept, reading.assignees

    for bl in result.budget_lines:
        if bl.unit_printed is None:
            bl.unit, bl.unit_printed, _ = apply(bl.unit, bl.source_line)
    for ind in result.indicators:
        if ind.lead_unit_printed is None:
            ind.lead_unit, ind.lead_unit_printed, _ = apply(ind.lead_unit, ind.source_line)
    for task in result.tasks:
        if task.lead_unit_printed is None:
            task.lead_unit, task.lead_unit_printed, assignees = apply(task.lead_unit, task.source_line)
            if assignees and not task.assignees:
                task.assignees = assignees
