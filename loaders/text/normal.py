"""The normal forms of printed text, all built on Unicode NFC (documents may come in NFD:
"ệ" as "e" + two combining marks).

* :func:`clean` — the form every stored text has: markup removed, NFC, white space squeezed;
  :func:`norm` is its lower case, for matching header phrases;
* :func:`normalize_text` / :func:`normalize_mapped` — the catalogue's matching form (keeps
  diacritics: "hoá" → "hóa", every spelling of KH&CN → "kh&cn"), with an offset map;
* :func:`fold` (in :mod:`loaders.text.vocabulary`, built on :func:`strip_marks`) — the
  diacritic-free key of short labels (source notes, unit names).
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
import unicodedata

_TAG_RE = re.compile(r"<[^>]+>")


def clean(text: str | None) -> str:
    """Cell text without conversion markup (``<b>``, ``<p>``, entities), spaces squeezed, NFC."""
    if not text:
        return ""
    return _clean(text)


@lru_cache(maxsize=1 << 14)
def _clean(text: str) -> str:
    """:func:`clean` of a non-empty text, memoised (a table reader cleans each line several
    times: to classify it, to split its code, to split its cells)."""
    s = html.unescape(_TAG_RE.sub(" ", text))
    return " ".join(unicodedata.normalize("NFC", s).split())


def norm(text: str | None) -> str:
    """Lower-case, squeezed form of a text, for matching phrases."""
    return clean(text).lower()



def strip_marks(text: str) -> str:
    """``text`` without combining marks, "đ" → "d": "Nguồn" → "Nguon", "Đồng" → "Dong"."""
    s = unicodedata.normalize("NFD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.replace("đ", "d").replace("Đ", "D")


# ----------------------------------------------------------------------------- the catalogue's form

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

