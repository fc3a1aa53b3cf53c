"""After a family's parser: catalogue codes, fields of work, unit names and the checks of
funding-source notes, applied to every :class:`~loaders.model.ParseResult` the same way
(``loaders.documents.read_document`` calls :func:`enrich`)."""
from __future__ import annotations

import re
from typing import Sequence

from loaders.model import ParseIssue, ParseResult
from loaders.text.catalogue import (
    FIELD_LABELS_VN,
    CatalogueEntry,
    FieldRule,
    _field_of_section,
    assign_field,
    default_catalogue,
    default_field_rules,
    match_indicator,
)
from loaders.text.sources import source_issue
from loaders.text.units import read_unit

_DIGITS_RE = re.compile(r"\d+")


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
    * units: after the fields (which read the unit as the parser gave it),
      :func:`apply_unit_kinds` stores each unit as printed (assignees taken out) and its
      kind beside it, on budget lines, tasks and indicators;
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
            ind.code = match_indicator(ind.name, entries, unit=None if ind.qualitative else ind.target_unit)
        ind.field = resolve_field(ind.field, ind.code, ind.name, ind.lead_unit)

    for act in result.actuals:
        if act.code is None:
            act.code = match_indicator(act.name, entries, unit=act.unit)
            if act.code is None and act.unit:
                act.code = match_indicator(f"{act.name} {act.unit}", entries, unit=act.unit)
        act.field = resolve_field(act.field, act.code, act.name, None)

    for task in result.tasks:
        if task.field in FIELD_LABELS_VN:
            continue
        found = None
        if task.field:
            found = assign_field(task.field, None, rules)
        found = found or assign_field(task.name, task.lead_unit, rules) or _field_of_section(task.section, rules)
        task.field = found

    apply_unit_kinds(result)
    warn_unread_sources(result)
    warn_unspecified_sources(result)
    warn_repeated_lines(result)


def warn_repeated_lines(result: ParseResult) -> None:
    """A leaf line printed twice — the same description, amount, timing, source, stage, column and parent on two
    lines of one table (a row typed again by the finance officer) — is warned on its second
    line, naming the first: both are stored as printed (the document is what it says), and the
    printed total usually shows whether it counts the row once; the officer decides. Short names
    ("Lệ phí", "Phí") repeat legitimately under different parents and are keyed by their parent."""
    descriptions = {b.line_id: b.description for b in result.budget_lines}
    seen: dict[tuple, int] = {}
    for b in sorted(result.budget_lines, key=lambda b: b.source_line):
        if b.is_subtotal or b.amount_vnd is None or not b.description or len(b.description) < 12:
            continue
        key = (b.appendix, b.section, descriptions.get(b.parent_id), " ".join(b.description.split()).casefold(),
               b.amount_vnd, b.phase_vn, b.fiscal_year, b.column_label, b.period, tuple(b.quarters), b.funding_source)
        first = seen.setdefault(key, b.source_line)
        if first != b.source_line:
            result.issues.append(ParseIssue(b.source_line, f"dòng {b.source_line} lặp lại dòng {first} (cùng nội dung "
                                            f"'{b.description[:60]}' và số tiền): kiểm tra có gõ trùng không — cả hai dòng "
                                            "được lưu như văn bản in", text=b.description))


def warn_unread_sources(result: ParseResult) -> None:
    """Add a warning (line and note as printed) for every budget line stored as
    UNSPECIFIED although it prints a note that reads like a funding source nobody could
    classify ("Nguồn kinh phí cấp bù", "NSTW hỗ trợ"): :func:`loaders.text.sources.source_issue`.
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


#: Lines named (number, code and text) in the warning about lines without a source; more are "…".
MAX_NAMED_LINES = 12


def warn_unspecified_sources(result: ParseResult) -> None:
    """Add one warning listing the lines of money (not subtotals) stored as UNSPECIFIED because
    the document prints no funding source for them (nor a section above them), unless the
    parser already named those lines in a warning about missing sources. Every parser gets
    this check, so no family of documents leaves "Chưa ghi nguồn" unexplained. Returns ``None``."""
    said = " ".join(i.message for i in result.issues if "nguồn" in i.message)
    lines = [bl for bl in result.budget_lines
             if bl.funding_source == "UNSPECIFIED" and not bl.is_subtotal and bl.amount_vnd is not None]
    numbers_said = set(_DIGITS_RE.findall(said))  # "(?<!\d)N(?!\d)" found ⇔ N is a whole run of digits
    missing = [bl for bl in lines if str(bl.source_line) not in numbers_said]  # source_line: a line number (int)
    if not missing:
        return
    numbers = sorted({bl.source_line for bl in missing if bl.source_line is not None})
    named: dict[int, str] = {}  # the line as a reader finds it: its code and the start of its text
    for bl in missing:
        if bl.source_line is not None and bl.source_line not in named:
            text = " ".join(str(bl.description or "").split())
            label = " ".join(p for p in (bl.code, text[:60] + ("…" if len(text) > 60 else "")) if p)
            named[bl.source_line] = f"{bl.source_line} ({label})" if label else str(bl.source_line)
    shown = [named[n] for n in numbers[:MAX_NAMED_LINES]] + (["…"] if len(numbers) > MAX_NAMED_LINES else [])
    result.issues.append(ParseIssue(
        numbers[0] if numbers else None,
        f"{len(missing)} dòng tiền không ghi nguồn kinh phí (văn bản không in nguồn cho dòng hay mục của nó), "
        f"để 'Chưa ghi nguồn': dòng " + ", ".join(shown),
    ))


def apply_unit_kinds(result: ParseResult) -> None:
    """Put the unit as printed and its kind on every budget line (``unit`` / ``unit_kind``),
    task and indicator (``lead_unit`` / ``lead_unit_kind``), in place; returns ``None``.

    Rules (:func:`loaders.text.units.read_unit`, vocabulary ``data/vocabulary/units.csv``):

    * ``unit`` / ``lead_unit`` stay the text the parser read, in the normal form of stored
      text (:func:`loaders.text.normal.clean`: NFC, white space squeezed), without the
      parentheses of person names (GLOSSARY "Phòng / đơn vị": an assignee is not part of the
      unit). A task keeps those names in ``assignees`` (when the parser has not set it
      already); a budget line or an indicator has no such field, and the document's line
      keeps them. A cell holding nothing but names becomes ``None``.
    * ``unit_kind`` / ``lead_unit_kind`` is the kind shared across provinces, or ``None``
      when the vocabulary does not know the unit (no warning: the printed name is kept).
    * A kind found through a typo correction ("Trung tâm ĐSMT") adds a warning with the
      record's line and the cell as printed, once per line and cell.

    Idempotent: a second pass reads the stored name again and finds the same kind, and
    adds no warning twice.
    """
    said = {(i.line, i.text) for i in result.issues}

    def read(cell: str | None, line: int) -> tuple[str | None, str | None, str | None]:
        reading = read_unit(cell)
        if not reading.cell:
            return None, None, None
        if reading.corrections and (line, reading.printed) not in said:
            said.add((line, reading.printed))
            result.issues.append(
                ParseIssue(
                    line,
                    f'đơn vị "{reading.printed}" được xếp loại "{reading.kind}" '
                    f"(sửa lỗi gõ: {', '.join(reading.corrections)})",
                    text=reading.printed,
                )
            )
        return reading.printed or None, reading.kind, reading.assignees

    for bl in result.budget_lines:
        bl.unit, bl.unit_kind, _ = read(bl.unit, bl.source_line)
    for ind in result.indicators:
        ind.lead_unit, ind.lead_unit_kind, _ = read(ind.lead_unit, ind.source_line)
    for task in result.tasks:
        task.lead_unit, task.lead_unit_kind, assignees = read(task.lead_unit, task.source_line)
        if assignees and not task.assignees:
            task.assignees = assignees
