"""Never the same document twice: content keys and scope overlaps.

* ``content_key``: SHA-256 of the document's *text* with layout noise removed (Unicode NFC,
  whitespace runs collapsed, blank lines dropped, line endings ignored), so a copy under
  another name, re-saved with CRLF, UTF-16 or a trailing space has the same key as the
  original.
* ``scopes``: what a document's budget lines count towards, ``(province, fiscal_year, stage,
  direction)``; two documents sharing a scope would be summed twice on every page.
* a document *number* (số hiệu, e.g. "68/KH-SKHCN") seen twice for the same province and kind
  is the same document.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from loaders.model import ParseResult

Scope = tuple[str, int, str, str]


def content_key(lines: list[str]) -> str:
    """Hex SHA-256 of ``lines`` (as ``loaders.documents.read_lines`` returns them) with
    whitespace runs collapsed and blank lines dropped."""
    h = hashlib.sha256()
    for ln in lines:
        norm = " ".join(ln.split())
        if norm:
            h.update(norm.encode("utf-8") + b"\n")
    return h.hexdigest()


def scopes(result: ParseResult) -> set[Scope]:
    """``(province, fiscal_year, stage (phase_vn), direction)`` of every budget line."""
    prov = result.meta.province or ""
    return {(prov, bl.fiscal_year, bl.phase_vn, bl.direction) for bl in result.budget_lines}


@dataclass(frozen=True)
class Conflict:
    """``kind``: "content" (same text), "number" (same số hiệu) or "scope" (same province,
    year, stage and direction of budget lines); ``other``: the document already held."""

    kind: str
    other: str
    detail: str

    def message(self) -> str:
        if self.kind == "content":
            return f"trùng nội dung với văn bản đã có {self.other} (chỉ khác tên tệp, khoảng trắng hoặc xuống dòng)"
        if self.kind == "number":
            return f"cùng số hiệu {self.detail} với văn bản đã có {self.other}"
        return f"cùng tỉnh, năm, giai đoạn với văn bản đã có {self.other} ({self.detail}): số liệu sẽ bị cộng hai lần"


@dataclass(frozen=True)
class Held:
    """What the warehouse (or the folder being built) already holds of one document."""

    document: str
    content_key: str | None
    province: str | None
    kind: str | None
    number: str | None
    scopes: frozenset


def held_of(result: ParseResult, key: str) -> Held:
    m = result.meta
    return Held(m.file_name, key, m.province, m.kind, m.number, frozenset(scopes(result)))


def conflicts(result: ParseResult, key: str, held: list[Held]) -> list[Conflict]:
    """Every way ``result`` (content key ``key``) duplicates a document in ``held``."""
    out: list[Conflict] = []
    mine = scopes(result)
    m = result.meta
    for h in held:
        if h.document == m.file_name:
            continue
        if h.content_key == key:
            out.append(Conflict("content", h.document, ""))
            continue
        if m.number and h.number and _norm(m.number) == _norm(h.number) and h.province == m.province and h.kind == m.kind:
            out.append(Conflict("number", h.document, m.number))
            continue
        shared = sorted(mine & h.scopes)
        if shared:
            p, y, stage, direction = shared[0]
            more = f" và {len(shared) - 1} phạm vi khác" if len(shared) > 1 else ""
            out.append(Conflict("scope", h.document, f"{p} {y}, {stage}, {'chi' if direction == 'expenditure' else 'thu'}{more}"))
    return out


def _norm(number: str) -> str:
    return "".join(number.split()).upper()
