"""Never the same document twice: content keys and scope overlaps.

* ``content_key``: SHA-256 of the document's *text* with layout noise removed (Unicode NFC,
  whitespace runs collapsed, blank lines dropped, line endings ignored), so a copy under
  another name, re-saved with CRLF, UTF-16 or a trailing space has the same key as the
  original.
* ``scopes``: what a document's budget lines count towards — province, fiscal year, stage,
  direction, unit (its kind, else its name as printed), the period of an execution figure
  (its quarters and whether it is "lũy kế") and the budget version (the adjustment decision);
  two documents sharing a scope would be summed twice on every page. So the Q1 and the Q2
  execution disclosures of one unit, the disclosures of two units, and two rounds of
  adjustment decisions never conflict, while two copies of one quarter's report do. The
  annual estimate an execution disclosure restates ("Dự toán năm") counts towards no scope:
  the pages take the estimate from an estimate document when one is held, and from the
  earliest execution report only when none is (``warehouse.queries``, budget versions).
* a document *number* (số hiệu, e.g. "68/KH-SKHCN") seen twice for the same province and kind
  is the same document.

One rule for every write (:func:`refused`): the same text or the same number is always refused;
a shared scope is refused unless the officer allowed the overlap (``ingest --allow-overlap``,
the upload page's checkbox, kept in the manifest column ``allow_overlap`` so that a rebuild
keeps the decision). ``ingest`` refuses the new document; ``build`` reads ``data/raw`` in file
name order (the order the manifest is written in) and leaves out every document refused against
one read before it: the *first* document is kept, the later one is listed in the warehouse's
``excluded_documents`` table and the command exits with status 1 (``warehouse.store.build``).
Adjustment decisions (their ``version``) and execution reports of different periods have
different scopes, so they are never refused here.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from loaders.model import ParseResult

Scope = tuple  # (province, fiscal_year, stage, direction, unit, period, version)

#: The stage of an annual estimate, restated by execution disclosures (Biểu 03 "Dự toán năm").
_ESTIMATE = "dự toán"


def line_scope(province: str | None, fiscal_year: int, phase_vn: str, phase: str, direction: str,
               unit: str | None, quarters, cumulative: bool, version: str | None) -> Scope:
    """The scope of one budget line (module docstring); ``unit`` is the unit's kind, else its
    name as printed, else ``None``; the period counts for execution figures only."""
    period = (tuple(int(q) for q in (quarters if quarters is not None else ())), bool(cumulative)) \
        if phase == "executed" else None
    return (province or "", int(fiscal_year), phase_vn, direction, unit or None, period, version or None)


def document_scopes(scoped: list[tuple[Scope, str]]) -> set[Scope]:
    """The scopes of one document from ``(scope, phase)`` of each of its lines: a document that
    states execution counts its restated annual estimate towards no scope."""
    executes = any(phase == "executed" for _, phase in scoped)
    return {sc for sc, _ in scoped if not (executes and sc[2] == _ESTIMATE)}


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
    """The scopes (:func:`line_scope`) of the document's budget lines (:func:`document_scopes`)."""
    prov = result.meta.province
    return document_scopes([
        (line_scope(prov, bl.fiscal_year, bl.phase_vn, bl.phase, bl.direction, bl.unit_kind or bl.unit, bl.quarters,
                    bl.cumulative, bl.version), bl.phase)
        for bl in result.budget_lines])


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
            out.append(Conflict("scope", h.document, describe(shared[0]) + (
                f" và {len(shared) - 1} phạm vi khác" if len(shared) > 1 else "")))
    return out


def refused(found: list[Conflict], overlap_allowed: Callable[[Conflict], bool] = lambda c: False) -> list[Conflict]:
    """The conflicts (of :func:`conflicts`) that keep a document out of the warehouse: every
    "content" and "number" conflict, and a "scope" conflict unless ``overlap_allowed(conflict)``
    (the officer allowed that overlap). Used by ``ingest`` and ``build`` alike."""
    return [c for c in found if c.kind != "scope" or not overlap_allowed(c)]


def describe(scope: Scope) -> str:
    """A scope in words: "Nghệ An 2025, ước thực hiện Quý I, chi, Sở KH&CN"."""
    from loaders.text.periods import quarters_label

    p, y, stage, direction, unit, period, version = scope
    out = f"{p} {y}, {stage}"
    if period is not None and period[0]:
        out += (" lũy kế đến hết " + quarters_label((max(period[0]),))) if period[1] else " " + quarters_label(period[0])
    out += ", " + ("chi" if direction == "expenditure" else "thu")
    if unit:
        out += f", {unit}"
    if version:
        out += f", theo QĐ số {version}"
    return out


def _norm(number: str) -> str:
    return "".join(number.split()).upper()
