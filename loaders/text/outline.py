"""The outline codes of Vietnamese administrative tables: parts A, B; Roman sections I, II;
numbers 1, 1.1; letters a); bullets -, + (GLOSSARY "Money")."""
from __future__ import annotations

import re
from typing import Sequence

from loaders.text.normal import clean

CODE_RE = re.compile(
    r"^(?P<code>(?:XX|XIX|XVIII|XVII|XVI|XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)(?:\.\d{1,2})?\.?"
    r"|\d{1,3}(?:\.\d{1,3})*\.?|[a-zđ][.)]|[A-HĐ]\.?|[-+*•])(?=\s|$)"
)
# A part letter ("A", "B." …) above Roman sections: "A Kinh phí sự nghiệp khoa học 450.000".
PART_RE = re.compile(r"[A-HĐ]")
# "(Bằng chữ: …)", "Số tiền bằng chữ: …", "Viết bằng chữ: …": a total written in words.


def parse_code(text: str | None) -> str | None:
    """The row code a line starts with, without its trailing "." or ")":
    "II …" → "II", "1. …" → "1", "3.1 …" → "3.1", "a) …" → "a", "A. …" → "A" (a part),
    "- …" → "-"; ``None`` when there is none."""
    m = CODE_RE.match(clean(text))
    if not m:
        return None
    code = m.group("code")
    return code.rstrip(".)") or code


def cell_code(text: str | None) -> str | None:
    """The code of a code cell, which holds nothing else: "1." → "1", "a" → "a", "II" → "II";
    ``None`` for "<b>Công tác …</b>" or any cell that is more than a code."""
    t = clean(text)
    if re.fullmatch(r"[a-zđ]", t):
        return t
    m = CODE_RE.match(t)
    return parse_code(t) if m and m.end() == len(t) else None



def code_parents(codes: Sequence[str]) -> list[int | None]:
    """The parent of each row (an index into ``codes``, or ``None``) from the codes alone.

    A capital letter ("A", "B") opens a part (no parent); a Roman numeral opens a section (its
    parent is the part, else none); "1.2" belongs to "1" when "1" is printed in
    the same section, else to the section; a number belongs to the section (else the part); a
    letter ("a") to the last number (else the section); "-" to the last letter or number; "+"
    (and "*", "•") to the last "-", else the last letter or number. Source: the numbering of
    Vietnamese administrative tables (GLOSSARY "Money": parts A, B, Roman sections, numbered
    lines, "-" lines).
    """
    parents: list[int | None] = []
    part: int | None = None
    section: int | None = None
    by_code: dict[str, int] = {}
    last: dict[str, int | None] = {"num": None, "letter": None, "-": None}
    for i, code in enumerate(codes):
        if PART_RE.fullmatch(code):
            parent, part, section, by_code = None, i, i, {}
            last = {"num": None, "letter": None, "-": None}
        elif re.fullmatch(r"[IVX]+", code):
            parent, section, by_code = part, i, {}
            last = {"num": None, "letter": None, "-": None}
        elif re.fullmatch(r"\d+(?:\.\d+)*", code):
            prefix = code.rsplit(".", 1)[0] if "." in code else None
            parent = by_code.get(prefix, section) if prefix else section
            by_code[code] = i
            last = {"num": i, "letter": None, "-": None}
        elif re.fullmatch(r"[a-zđ]", code):
            parent = last["num"] if last["num"] is not None else section
            last["letter"], last["-"] = i, None
        elif code == "-":
            parent = next((p for p in (last["letter"], last["num"], section) if p is not None), None)
            last["-"] = i
        else:
            parent = next((p for p in (last["-"], last["letter"], last["num"], section) if p is not None), None)
        parents.append(parent)
    return parents



ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
           "XVI", "XVII", "XVIII", "XIX", "XX"]


class Numbering:
    """Which codes may open the next row: the next Roman numeral, the next number (or 1 after
    a Roman heading), the next sub-number of the last number ("2.1" after "2"), a bullet when
    bullets are rows."""

    def __init__(self, bullets: bool):
        self.bullets = bullets
        self.roman: str | None = None
        self.number = 0
        self.sub: tuple[int, int] | None = None
        self.fresh = True  # 1 may (re)start the numbers

    def accepts(self, code: str) -> bool:
        if code in ("-", "+"):
            return self.bullets
        if code in ROMANS or re.fullmatch(r"(?:X|IX|IV|V?I{0,3})\.\d+", code):
            main, _, sub = code.partition(".")
            cur = ROMANS.index(self.roman.partition(".")[0]) if self.roman else -1
            if not sub:
                return ROMANS.index(main) == cur + 1
            cur_sub = int(self.roman.partition(".")[2] or 0) if self.roman else 0
            return (ROMANS.index(main) == cur and int(sub) == cur_sub + 1) or (
                ROMANS.index(main) == cur + 1 and sub == "1")
        m = re.fullmatch(r"(\d{1,3})(?:\.(\d{1,2}))?", code)
        if not m:
            return False
        n = int(m.group(1))
        if m.group(2) is None:
            return n == self.number + 1 or (n == 1 and self.fresh)
        s = int(m.group(2))
        last = self.sub if self.sub and self.sub[0] == n else (n, 0)
        return n == self.number and s == last[1] + 1

    def take(self, code: str) -> None:
        if code in ("-", "+"):
            return
        if code[0] in "IVX":
            self.roman, self.fresh = code, True
            return
        m = re.fullmatch(r"(\d{1,3})(?:\.(\d{1,2}))?", code)
        if m.group(2) is None:
            self.number, self.sub, self.fresh = int(m.group(1)), None, False
        else:
            self.sub = (int(m.group(1)), int(m.group(2)))



#: Kinds of outline codes, outermost first: a part letter ("A"), a Roman section ("II"), a
#: Roman sub-section ("II.1"), a number ("3"), a sub-number ("3.1"), a sub-sub-number
#: ("3.1.2"), a letter ("a"), a dash bullet ("-"), a plus bullet ("+", "*", "•").
KINDS = ("part", "roman", "roman_sub", "number", "sub", "subsub", "letter", "dash", "plus")
_KIND_RES = (
    ("part", re.compile(r"[A-HĐ]")),
    ("roman", re.compile(r"[IVX]+")),
    ("roman_sub", re.compile(r"[IVX]+\.\d+")),
    ("number", re.compile(r"\d+")),
    ("sub", re.compile(r"\d+\.\d+")),
    ("subsub", re.compile(r"\d+\.\d+\.\d+")),
    ("letter", re.compile(r"[a-zđ]")),
    ("dash", re.compile(r"-")),
    ("plus", re.compile(r"[+*•]")),
)


def code_kind(code: str | None) -> str | None:
    """The kind of an outline code (:data:`KINDS`): "II" → "roman", "II.1" → "roman_sub",
    "3.1" → "sub", "a" → "letter", "-" → "dash"; ``None`` for anything else. "I" and "V"
    are Roman numerals, never part letters (a part is "A" … "H")."""
    if not code:
        return None
    for kind, rx in _KIND_RES:
        if rx.fullmatch(code):
            return kind
    return None


def code_depth(code: str | None) -> int:
    """The depth of an outline code: its index in :data:`KINDS` (a part is 0); ``len(KINDS)``
    for no code or an unknown one."""
    kind = code_kind(code)
    return KINDS.index(kind) if kind else len(KINDS)


def is_section(code: str | None) -> bool:
    """True for a code that opens a section: a part letter, a Roman numeral or a Roman
    sub-section ("A", "II", "III.1")."""
    return code_kind(code) in ("part", "roman", "roman_sub")


#: A heading of prose (a plan's or report's body): "II. ", "3. ", "a) ", "* ".
PROSE_HEADING_RE = re.compile(r"^(?:[IVX]+\.|\d+\.|[a-zđ]\)|\*)\s")
