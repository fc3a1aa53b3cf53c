"""Reviewed vocabularies under ``data/vocabulary/`` (funding sources, unit names): the shared
normal form they are matched in, and a small CSV reader that names file and line on errors.

Normal form (:func:`fold`), used for short labels such as source notes and unit names where
spelling varies far more than meaning:

* Unicode NFD, combining marks dropped, "đ" → "d", lower case: "Nguồn SNKH" → "nguon snkh",
  "Qúy" → "quy", "ĐTPT" → "dtpt" (documents typed without diacritics read the same);
* abbreviation dots: single letters joined ("Q.L.N.N" → "qlnn"), any other dot a space
  ("NS.TW" → "ns tw");
* every spelling of *khoa học và công nghệ* → ``khcn``: "KH&CN", "KH & CN", "KH-CN",
  "KH/CN", "KH và CN", "KHCN", "khoa học và công nghệ", "khoa học, công nghệ",
  "khoa học công nghệ" (also glued to a prefix: "SNKH&CN" → "snkhcn");
* "-", "–", "—", "_" and runs of white space → one space; "(", ")", ",", ";", ":", "/",
  "+" are kept, with a space on each side.

Phrases in the CSV files are regular expressions; they may be written with diacritics
("ngân sách tỉnh"), :func:`fold_pattern` folds them the same way before compiling, and
they match whole words only.
"""
from __future__ import annotations

import contextlib
import csv
import functools
import re
import threading
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from loaders.paths import DATA
from loaders.text.normal import strip_marks

VOCABULARY_DIR = DATA / "vocabulary"


class VocabularyError(ValueError):
    """A vocabulary file cannot be used: ``str()`` is ``"<file>:<line>: <problem>"``."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path, self.line, self.problem = Path(path), line, message
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {message}")


_KHCN_RE = re.compile(
    r"(?<![a-z])((?:sn|ns|kp)?)(?:kh\s*(?:&|-|/|\bva\b)\s*cn|khcn"
    r"|khoa hoc\s*(?:va|&|,)?\s*cong nghe)(?![a-z])"
)
_LETTER_DOTS_RE = re.compile(r"(?<![a-z])(?:[a-z]\.){1,}[a-z](?![a-z])\.?")
_SPACED_PUNCT_RE = re.compile(r"\s*([(),;:/+])\s*")
_DASH_RE = re.compile(r"[\-\u2010-\u2015\u2212_]+")




def fold(text: str | None) -> str:
    """Return ``text`` in the vocabulary normal form (see the module docstring); ``None``
    gives "". Never raises.

    >>> fold("Nguồn  KP sự nghiệp KH & CN")
    'nguon kp su nghiep khcn'
    >>> fold("Q.L.N.N; NS.TW")
    'qlnn ; ns tw'
    """
    if not text:
        return ""
    s = strip_marks(text).lower()
    s = _LETTER_DOTS_RE.sub(lambda m: m.group(0).replace(".", ""), s)
    s = s.replace(".", " ")
    s = " ".join(s.split())
    s = _KHCN_RE.sub(lambda m: f"{m.group(1)}khcn", s)
    s = _DASH_RE.sub(" ", s)
    s = _SPACED_PUNCT_RE.sub(r" \1 ", s)
    return " ".join(s.split())


def fold_pattern(pattern: str) -> str:
    """Fold a regular expression written with diacritics the way :func:`fold` folds text
    (marks dropped, "đ" → "d", lower case). Escapes (``\\d``, ``\\S``, ``\\W``) are kept
    as written."""
    out = re.sub(r"(\\.)|([^\\]+)", lambda m: m.group(1) or m.group(2).lower(), strip_marks(pattern))
    return _KHCN_RE.sub(lambda m: f"{m.group(1)}khcn", out)


def compile_phrase(pattern: str) -> re.Pattern[str]:
    """Compile a folded phrase to match whole words (``(?<![a-z0-9])(?:…)(?![a-z0-9])``).
    Raises ``re.error`` for an invalid expression."""
    return re.compile(rf"(?<![a-z0-9])(?:{fold_pattern(pattern)})(?![a-z0-9])")


def read_rows(path: Path, columns: Sequence[str]) -> Iterable[tuple[int, dict[str, str]]]:
    """:func:`read_csv_rows` raising :class:`VocabularyError`."""
    return read_csv_rows(path, columns, VocabularyError)


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



def read_csv_rows(
    path: Path, columns: Sequence[str], error: type[ValueError]
) -> Iterable[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for each non-empty row of a UTF-8 CSV file whose header is
    exactly ``columns`` (a row whose first cell starts with "#" is a comment). Raises
    ``error(path, line, message)`` for a file that cannot be
    opened, an empty file, a wrong header, a row with the wrong number of cells or text that
    is not UTF-8. Shared by the catalogue and ``data/vocabulary`` files."""
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


_pins = threading.local()


@contextlib.contextmanager
def pinned() -> Iterator[None]:
    """Within this block (in this thread) every vocabulary file (:class:`FileCache`) and the
    catalogue files (``loaders.text.catalogue``) are read at most once: the first look-up checks
    the file as usual, later ones reuse that value without asking the disk again. The
    warehouse build pins them, so one build classifies every line with the same vocabulary
    and does not ``stat`` a file per line. Nested blocks share the outer pin."""
    outer = getattr(_pins, "values", None)
    if outer is None:
        _pins.values = {}
    try:
        yield
    finally:
        if outer is None:
            _pins.values = None


def pinned_get(key: object, load: Callable[[], object]) -> object:
    """``load()``, or inside :func:`pinned` the value it gave the first time for ``key``."""
    values = getattr(_pins, "values", None)
    if values is None:
        return load()
    if key not in values:
        values[key] = load()
    return values[key]


class FileCache:
    """Re-read a vocabulary file when it changes on disk (a reviewer may edit it while the
    dashboard runs): ``cache.get(path, loader)`` returns ``loader(path)``, cached by mtime
    (and read once per :func:`pinned` block)."""

    def __init__(self) -> None:
        self._data: dict[Path, tuple[float, object]] = {}

    def get(self, path: Path, loader):
        return pinned_get((id(self), path), lambda: self._get(path, loader))

    def _get(self, path: Path, loader):
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = -1.0
        hit = self._data.get(path)
        if hit is None or hit[0] != mtime:
            value = loader(path)
            self._data[path] = (mtime, value)
            return value
        return hit[1]


class _Identity:
    """A hashable stand-in for an object, equal only to itself (vocabularies are lists)."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Identity) and other.obj is self.obj


R = TypeVar("R")


def memo_on_text(maxsize: int = 1 << 16) -> Callable[[Callable[[str | None, object], R]], Callable[[str | None, object], R]]:
    """Memoise ``fn(text, vocabulary)``, a pure function of a text and of a loaded
    vocabulary, on the text and the vocabulary *object* (a file re-read after an edit is a
    new object, so it is never answered from the old one's cache). The result must be
    immutable (a frozen dataclass, a tuple, a string): it is shared by every caller. A
    document repeats its notes, units and descriptions on many lines; each distinct one is
    classified once. ``wrapper.cache_clear()`` empties the cache."""

    def decorate(fn: Callable[[str | None, object], R]) -> Callable[[str | None, object], R]:
        @functools.lru_cache(maxsize=maxsize)
        def cached(text: str | None, vocab: _Identity) -> R:
            return fn(text, vocab.obj)

        @functools.wraps(fn)
        def wrapper(text: str | None, vocabulary: object) -> R:
            try:
                return cached(text, _Identity(vocabulary))
            except TypeError:  # text not hashable: not ours to memoise
                return fn(text, vocabulary)

        wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return wrapper

    return decorate
