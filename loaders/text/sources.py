"""Funding sources (nguồn kinh phí) named in notes and headings, read with the reviewed
vocabulary ``data/vocabulary/funding_sources.csv`` (format: ``data/vocabulary/README.md``).

Codes and meanings from ``../shared/GLOSSARY.md`` ("Money" → "Nguồn"): SNKH, QLNN,
THU_PHI (fees and charges), DTPT (development investment), SNKH_TW (central S&T budget),
MIXED (several sources: "Nguồn QLNN và Nguồn SNKH"), OTHER (pháp chế, nông thôn mới,
nguồn khác, ODA…), UNSPECIFIED (nothing printed, or a note nobody could read).

API for parsers:

* :func:`classify_source` ``(text) -> code | None`` — the contract every parser uses.
* :func:`read_source` ``(text) -> SourceReading`` — the code *and* whether the text looks
  like a source note that no phrase matched (``reading.unrecognised``), with a Vietnamese
  explanation (``reading.problem``).
* :func:`source_issue` ``(text, line) -> ParseIssue | None`` — the warning to append when a
  source note was not recognised (``None`` otherwise).
* :func:`is_source_note` ``(text) -> bool`` — is a free-standing text block a source note
  rather than a description (PDF text where notes and descriptions are printed apart).

Decision on budget levels (documented in the CSV): "Trung ương" and "tỉnh/địa phương" are
*levels*, not natures. A level refines SNKH into SNKH_TW ("SNKH TW"); a level with no nature
("Ngân sách Trung ương", "NSTW hỗ trợ", "Ngân sách tỉnh") is never coded: it is reported as
unrecognised and stored UNSPECIFIED, because central money reaches a department both for S&T
tasks and for other programmes (the Điện Biên 2026 plan: "nguồn chi thường xuyên, Trung ương
giao" for ICT equipment).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from loaders.model import ParseIssue
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
from loaders.vocab import FundingSource

SOURCE_LABELS_VN = FundingSource.labels()  # labels live in loaders.vocab

FUNDING_SOURCES_CSV = VOCABULARY_DIR / "funding_sources.csv"
COLUMNS = ("code", "phrases", "comment")
#: Codes a phrase may give directly (SNKH_TW comes from SNKH + a central level).
NATURES = ("SNKH", "QLNN", "THU_PHI", "DTPT", "OTHER", "MIXED")
#: Special codes of the CSV: budget levels, words that only mark a note, and exclusions.
ROLES = ("@central", "@province", "@marker", "@not_source")

#: A note longer than this (characters) is never taken for a free-standing note block.
NOTE_MAX_CHARS = 80

_STRONG_SPLIT_RE = re.compile(r" (?:va|\+|;|/|hoac|cung voi) ")


@dataclass(frozen=True)
class SourcePhrase:
    """One phrase of the vocabulary: the code (or role) it gives and the CSV line."""

    code: str
    phrase: str
    line: int
    pattern: re.Pattern[str]


def load_source_vocabulary(path: Path | str | None = None) -> list[SourcePhrase]:
    """Read and check ``funding_sources.csv`` (default ``data/vocabulary/funding_sources.csv``).

    Returns one :class:`SourcePhrase` per phrase, in file order. Raises
    :class:`~loaders.text.vocabulary.VocabularyError` ("file:line: problem") for a wrong header,
    a code that is neither a source code (:data:`NATURES`) nor a role (:data:`ROLES`), an
    empty phrase or an invalid regular expression.
    """

    path = Path(path) if path is not None else FUNDING_SOURCES_CSV
    out: list[SourcePhrase] = []
    for line, row in read_rows(path, COLUMNS):
        code = row["code"]
        if code not in NATURES and code not in ROLES:
            raise VocabularyError(path, line, f"mã {code!r} không hợp lệ (dùng {', '.join(NATURES + ROLES)})")
        for phrase in split_phrases(row["phrases"]):
            if not phrase:
                raise VocabularyError(path, line, "cụm từ rỗng (thừa dấu '|'?)")
            try:
                pattern = compile_phrase(phrase)
            except re.error as exc:
                raise VocabularyError(path, line, f"biểu thức {phrase!r} không hợp lệ: {exc}") from None
            out.append(SourcePhrase(code, phrase, line, pattern))
    return out


_cache = FileCache()


def default_vocabulary() -> list[SourcePhrase]:
    """The phrases of ``data/vocabulary/funding_sources.csv`` (re-read when it changes)."""
    return _cache.get(FUNDING_SOURCES_CSV, load_source_vocabulary)


@dataclass(frozen=True)
class SourceReading:
    """What a note says about funding.

    ``code``: the source code (:data:`NATURES` or SNKH_TW) or ``None``; ``looks_like_source``:
    the text reads like a source note (a source word, a level or a marker such as "Nguồn",
    "Kinh phí", "NS"); ``matched``: the words that decided, in folded form ("snkh", "tw",
    "nguon qlnn"); ``problem``: a Vietnamese explanation when the note looks like a
    source but gives no code.
    """

    text: str
    code: str | None
    looks_like_source: bool
    matched: tuple[str, ...] = ()
    problem: str | None = None
    central_only: bool = False  # the note names the central level and no nature ("NSTW", "(ngân sách Trung ương)")

    @property
    def unrecognised(self) -> bool:
        """True when the text looks like a source note but no phrase gives a code."""
        return self.looks_like_source and self.code is None


def _spans(s: str, vocab: list[SourcePhrase]) -> list[tuple[int, int, SourcePhrase]]:
    """Non-overlapping matches in ``s`` (exclusions first, then longest first)."""
    found = []
    for sp in vocab:
        if sp.code == "@marker":
            continue
        for m in sp.pattern.finditer(s):
            if m.end() > m.start():
                found.append((m.start(), m.end(), sp))
    found.sort(key=lambda t: (t[2].code != "@not_source", -(t[1] - t[0]), t[0]))
    taken: list[tuple[int, int, SourcePhrase]] = []
    for a, b, sp in found:
        if all(b <= x or a >= y for x, y, _ in taken):
            taken.append((a, b, sp))
    return sorted(taken, key=lambda t: t[0])


def read_source(text: str | None, vocabulary: list[SourcePhrase] | None = None) -> SourceReading:
    """Read a source note ("Nguồn SNKH", "KP SN KH&CN", "Nguồn QLNN và Nguồn SNKH",
    "NSTW hỗ trợ") into a :class:`SourceReading`. Never raises.

    Rules: the text is folded (:func:`loaders.text.vocabulary.fold`: case, diacritics, spacing,
    abbreviation dots and every spelling of KH&CN); exclusions ("nguồn gốc", "đơn vị sự
    nghiệp") are removed; the longest phrases are taken without overlap. The note is split
    into parts at "và", "+", ";", "/", "hoặc". In each part every source phrase gives its
    code, SNKH with a central level gives SNKH_TW, and a level alone gives an *unknown*
    source. Result: no code → ``None``; one code in every part → that code; two codes, or a
    code beside an unknown source ("SNKH TW và đối ứng ngân sách tỉnh") → MIXED. Only an
    unknown source, or a marker word alone, → ``None`` with ``looks_like_source`` True.
    ``vocabulary`` defaults to :func:`default_vocabulary`. Each distinct text is read once
    per vocabulary (memoised).
    """
    if not text or not text.strip():
        return SourceReading("", None, False)
    return _read_source(text, default_vocabulary() if vocabulary is None else vocabulary)


@memo_on_text()
def _read_source(text: str, vocab: list[SourcePhrase]) -> SourceReading:
    printed = " ".join(text.split())
    s = fold(text)
    if not s:
        return SourceReading(printed, None, False)
    spans = _spans(s, vocab)
    kept = [(a, b, sp) for a, b, sp in spans if sp.code != "@not_source"]
    rest = list(s)
    for a, b, sp in spans:
        if sp.code == "@not_source":
            rest[a:b] = " " * (b - a)
    rest_s = "".join(rest)
    marker = any(sp.code == "@marker" and sp.pattern.search(rest_s) for sp in vocab)
    matched = tuple(s[a:b] for a, b, _ in kept)

    bounds = [0] + [m.start() for m in _STRONG_SPLIT_RE.finditer(s)] + [len(s)]
    part_codes: list[str | None] = []
    levels_only: list[str] = []
    for lo, hi in zip(bounds, bounds[1:]):
        inside = [sp for a, _, sp in kept if lo <= a < hi]
        natures = [sp.code for sp in inside if sp.code in NATURES]
        levels = {sp.code for sp in inside if sp.code in ("@central", "@province")}
        if natures:
            central = "@central" in levels and "@province" not in levels
            part_codes.extend("SNKH_TW" if n == "SNKH" and central else n for n in natures)
        elif levels:
            part_codes.append(None)
            levels_only.extend(sorted(levels))
    codes = {c for c in part_codes if c}
    looks = bool(kept) or marker
    if not codes:
        problem = None
        if looks:
            if levels_only:
                level = "Trung ương" if "@central" in levels_only else "tỉnh/địa phương"
                problem = (
                    f"ghi cấp ngân sách ({level}) nhưng không ghi tính chất nguồn "
                    "(sự nghiệp KH&CN, quản lý nhà nước, đầu tư phát triển, thu phí…)"
                )
            else:
                problem = "không khớp cụm từ nào trong danh mục nguồn kinh phí"
        central_only = bool(levels_only) and set(levels_only) == {"@central"}
        return SourceReading(printed, None, looks, matched, problem, central_only)
    if len(codes) > 1 or None in part_codes or "MIXED" in codes:
        return SourceReading(printed, "MIXED", True, matched)
    return SourceReading(printed, codes.pop(), True, matched)


def classify_source(text: str | None) -> str | None:
    """Return the funding-source code named in ``text``, or ``None`` when none is named.

    ``"Nguồn SNKH"`` → "SNKH"; ``"KP SN KH & CN"`` → "SNKH"; ``"SNKH TW"`` → "SNKH_TW";
    ``"Nguồn QLNN và Nguồn SNKH"`` → "MIXED"; ``"Nguồn thu phí"`` → "THU_PHI";
    ``"(02 nhiệm vụ)"`` → None; ``"Ngân sách Trung ương"`` → None (a level without a nature,
    see the module docstring: use :func:`read_source` or :func:`source_issue` to warn).
    Apply it to a source note or a heading that names a source: a description may mention
    sources in passing. Rules: :func:`read_source`; vocabulary:
    ``data/vocabulary/funding_sources.csv``.
    """
    return read_source(text).code


def source_issue(text: str | None, line: int | None, *, where: str | None = None) -> ParseIssue | None:
    """A warning for a source note that looks like one but names no known source, else
    ``None``. ``line`` is the 1-based line of the note; ``where`` an optional prefix of the
    message ("Phụ lục 3, dòng 2.1"). The issue's ``text`` is the note as printed, so the
    reviewer can add its wording to ``data/vocabulary/funding_sources.csv``.

    >>> source_issue("Nguồn vốn tự huy động của Trung tâm", 12).message[:32]
    'không nhận ra nguồn kinh phí "Ng'
    """
    reading = read_source(text)
    if not reading.unrecognised:
        return None
    prefix = f"{where}: " if where else ""
    return ParseIssue(
        line,
        f'{prefix}không nhận ra nguồn kinh phí "{reading.text}" ({reading.problem}); '
        "dòng được ghi là chưa ghi nguồn (UNSPECIFIED)",
        text=reading.text,
    )


def is_source_note(text: str) -> bool:
    """True when a free-standing text block is a source note ("Nguồn QLNN", "Nguồn QLNN và
    Nguồn SNKH", "KP SNKH", "Nguồn vốn khác") rather than a description: at most
    :data:`NOTE_MAX_CHARS` characters, reads like a source (:func:`read_source`), and either
    starts with a source word ("Nguồn", "Kinh phí", "NS", "Vốn") or is made mostly of
    vocabulary phrases. A note that is not recognised is still a note (the caller warns)."""
    reading = read_source(text)
    if not reading.looks_like_source or len(reading.text) > NOTE_MAX_CHARS:
        return False
    s = fold(text)
    if re.match(r"(?:nguon|kinh phi|kp|ns|ngan sach|von|tu nguon)\b", s):
        return True
    covered = sum(len(p.replace(" ", "")) for p in reading.matched)
    return covered * 2 >= len(s.replace(" ", ""))


@dataclass(frozen=True)
class Ancestor:
    """What a line inherits its source from: a parent line (its ``note`` cell, and its
    ``description`` when that is a source heading), or a heading whose wording names the
    source of everything under it (``heading=True``: a section heading the family knows to be
    one, "I. Kinh phí SNKH"; the amount column's heading, "Đề xuất kinh phí ngân sách sự
    nghiệp KH&CN (đồng)")."""

    description: str | None = None
    note: str | None = None
    heading: bool = False


@dataclass(frozen=True)
class SourceChoice:
    """The funding source of an amount (:func:`resolve_source`): ``code`` (a FundingSource
    value), ``note`` — the text that decided, as printed (``None`` when nothing did),
    ``inherited`` — it came from an ancestor, and ``problem`` — an own note that reads like a
    source but names none (the caller warns with the line)."""

    code: str
    note: str | None
    inherited: bool = False
    problem: str | None = None


def is_source_heading(text: str | None) -> bool:
    """True when a heading's or parent's description *is* a source ("I. Nguồn sự nghiệp khoa
    học", "a. Kinh phí sự nghiệp KH&CN", "Vốn đầu tư phát triển"), not an activity that
    mentions one ("Hỗ trợ doanh nghiệp KH&CN"): :func:`is_source_note` with a code. An
    explanation in parentheses at the end that names no source is set aside ("Chương trình
    mục tiêu quốc gia xây dựng nông thôn mới (ứng dụng KH&CN, truy xuất nguồn gốc …)")."""
    if not text:
        return False
    if is_source_note(text) and classify_source(text) is not None:
        return True
    # "3. Chương trình mục tiêu quốc gia xây dựng nông thôn mới (ứng dụng KH&CN, truy xuất …)":
    # the heading with an explanation in parentheses that names no source of its own
    m = _TRAILING_PAREN_RE.search(text)
    if m and m.start() and classify_source(m.group(1)) is None:
        head = text[:m.start()]
        return is_source_note(head) and classify_source(head) is not None
    return False


_TRAILING_PAREN_RE = re.compile(r"\s*\(([^()]*)\)\s*$")


def resolve_source(own: Iterable[str | None], ancestors: Iterable[Ancestor] = (), central: str | None = None) -> SourceChoice:
    """The one inheritance rule of funding sources (GLOSSARY "Nguồn": "Where a section header
    carries a source, its child lines inherit it").

    ``own``: the line's own notes in order of precedence (its source cell, its note cell, a
    parenthesis of its amount …); the first that names a source decides. Else
    ``ancestors``, nearest first (parent line, section heading, part, then the amount
    column's heading): the first whose note names a source, or whose description is a source
    heading (:func:`is_source_heading`), decides (``inherited``). Else ``UNSPECIFIED``.
    ``problem`` is set when an own note reads like a source nobody could classify
    (:func:`read_source`), so it is never a silent default. ``central``: the line's own mention
    of the central level and nothing else ("NSTW" at the end of its name,
    :attr:`SourceReading.central_only`): an inherited SNKH becomes SNKH_TW.
    """
    notes = [n for n in own if n and n.strip()]
    for note in notes:
        code = classify_source(note)
        if code:
            return SourceChoice(code, " ".join(note.split()))
    problem = None
    unread = next((read_source(n) for n in notes if read_source(n).unrecognised), None)
    if unread is not None:
        problem = f'không nhận ra nguồn kinh phí "{unread.text}" ({unread.problem})'
    for anc in ancestors:
        code = classify_source(anc.note)
        text = anc.note
        if not code and (anc.heading and classify_source(anc.description) or is_source_heading(anc.description)):
            code, text = classify_source(anc.description), anc.description
        if code:
            if code == "SNKH" and central:
                # "Nhiệm vụ KH&CN cấp quốc gia (NSTW)" under "Nghiên cứu khoa học": the heading gives
                # the nature, the line its central level — central science money
                return SourceChoice("SNKH_TW", f"{' '.join(text.split())}; {central}", True, problem)
            return SourceChoice(code, " ".join(text.split()), True, problem)
    return SourceChoice("UNSPECIFIED", unread.text if unread is not None else None, False, problem)
