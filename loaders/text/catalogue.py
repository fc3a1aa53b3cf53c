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

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Iterable, Sequence

from loaders.model import BudgetLine
from loaders.paths import DATA
from loaders.text.normal import _KHCN_RE, _canonical, normalize_text
from loaders.text.vocabulary import (
    memo_on_text,
    pinned_get,
    read_csv_rows,
    split_phrases,
)

CATALOGUE_DIR = DATA / "catalogue"
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


def _same_kind_of_unit(unit: str | None, entry: CatalogueEntry) -> bool:
    """A figure in ``unit`` can be the catalogue measure ``entry``: a percentage only a
    percentage, a count or amount only a measure that is no percentage; an unknown unit any."""
    if not unit or not unit.strip():
        return True
    return (unit.strip() == "%") == (entry.unit.strip() == "%")


def match_indicator(text: str | None, entries: Sequence[CatalogueEntry] | None = None,
                    unit: str | None = None) -> str | None:
    """Return the catalogue code named by ``text``, or ``None``.

    ``text`` is an indicator name or a result's name as printed ("Phương tiện đo được
    kiểm định", "Số lượng đơn đăng ký sáng chế, giải pháp hữu ích"). It is normalised
    (:func:`normalize_text`); every phrase of every entry is searched as a whole-word
    regex; the entry whose phrase matches the longest span wins, and on equal spans the
    entry listed first. ``entries`` defaults to :func:`default_catalogue`. ``unit``: the
    figure's unit when known ("%", "hồ sơ"): a percentage never names a count and a count never
    a percentage ("Tỷ lệ hồ sơ TTHC được tiếp nhận, giải quyết đúng hạn", in %, is not the
    number of applications received).
    """
    s = normalize_text(text)
    if not s:
        return None
    if entries is None:
        entries = default_catalogue()
    if unit:
        entries = [e for e in entries if _same_kind_of_unit(unit, e)]
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
    hành Bản tin" under "Hoạt động điểm TBT"); then the line's ``unit_kind`` (the kind
    shared across provinces, ``data/vocabulary/units.csv``), then its ``unit`` as printed
    (a unit the vocabulary does not know). Each step uses
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
    for unit in dict.fromkeys(u for u in (line.unit_kind, line.unit) if u):
        found = assign_field(None, unit, rules)
        if found:
            return found
    return None


def _field_of_section(section: str | None, rules: Sequence[FieldRule]) -> str | None:
    """Heading path "A › B": the most specific heading (last) first."""
    if not section:
        return None
    for part in reversed([p.strip() for p in section.split("›")]):
        found = matching_fields(part, rules)
        if found:
            return found[0]
    return None




def _read_rows(path: Path, columns: Sequence[str]) -> Iterable[tuple[int, dict[str, str]]]:
    """:func:`loaders.text.vocabulary.read_csv_rows` raising :class:`CatalogueError`."""
    return read_csv_rows(path, columns, CatalogueError)
