"""When the parser is not sure, the officer decides: the money tables of a document with each
column's guessed role, and the reading again with the officer's decisions, before anything is
saved (issue 14). The upload page (``pages/nhap-du-lieu.py``) is a thin view of this module.

* :func:`inspect` reads a document as ``read_document`` would and returns what it gave (or the
  refusal) together with every money table it planned (:class:`TableChoice`: the header, a few
  rows, each column's role and why, the unit of amounts).
* The officer's decisions are a :class:`~loaders.tables.layouts.Layout` per table
  (:func:`layout_for`): :func:`inspect` with ``decisions`` reads the document again with them,
  so the lines, totals and reconciliation shown change before saving.
* :func:`save_decision` keeps a decision as a layout profile (``data/profiles/layouts``) with
  who, when and from which document; the next table with that header is read with it.

Only the money tables of the families read by :mod:`loaders.families.money_table` (budget
appendices, plan tables, disclosures, adjustment decisions) are planned this way; task and
target tables have their own cell typing and are not offered.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loaders.documents import DocumentError, ManifestEntry, Overrides, read_document
from loaders.model import ParseResult
from loaders.tables import layouts
from loaders.tables.layouts import FIELDS, Layout
from loaders.tables.model import Table
from loaders.tables.plan import ColumnPlan, ColumnRole

SAMPLE_ROWS = 8


@dataclass
class TableChoice:
    """One money table of a document as the officer sees it: ``index`` (from 0, reading
    order), ``where`` (its header's location), ``signature`` (the key of a layout profile),
    ``columns`` (each :class:`~loaders.tables.plan.ColumnRole`: label, role, stage, period,
    source, why), ``unit`` (the unit of amounts the table prints, or ``None``), ``rows`` (the
    first rows' cell texts, for the view) and ``profile`` (the layout that decided, if any)."""

    index: int
    where: str
    signature: str
    columns: list[ColumnRole]
    unit: str | None
    rows: list[list[str]] = field(default_factory=list)
    profile: str | None = None
    doubts: list[str] = field(default_factory=list)


@dataclass
class Inspection:
    """A document read for the officer: ``result`` (``None`` when refused), ``error`` (the
    refusal, naming file and line), the money ``tables`` it planned."""

    result: ParseResult | None
    error: DocumentError | None
    tables: list[TableChoice]


def _choice(index: int, table: Table, plan: ColumnPlan) -> TableChoice:
    sample = [[c.text if c is not None else "" for c in r.cells] for r in table.rows[:SAMPLE_ROWS]]
    unit = table.unit or next((c.unit for c in plan.of("amount") if c.unit), None)
    return TableChoice(index, table.header.where, plan.signature(), list(plan.columns), unit, sample,
                       plan.from_profile, plan.doubts())


def inspect(path: Path, entry: ManifestEntry | None = None, overrides: Overrides | None = None,
            decisions: list[Layout] | None = None,
            read: Callable[[], ParseResult] | None = None,
            all_tables: Callable[[Path, list[Layout] | None], list] | None = None) -> Inspection:
    """Read ``path`` (``read_document``) with the officer's ``decisions`` (layouts applied to
    the tables whose header they name) and record every money table planned. Never raises
    ``DocumentError``: a refusal is returned in ``error`` with the tables seen before it.

    ``read``: the reading to run instead of ``read_document(path, entry, overrides)`` (the
    upload page passes ``warehouse.store.preview``, so the duplicate checks happen in the same
    reading; its ``DocumentError`` subclasses are returned in ``error`` as they are). When the
    document is refused because no family knows its layout, every table of cells is offered
    (read by ``all_tables(path, decisions)``, default :func:`_all_tables` in this process; the
    upload page reads them in a limited child process)."""
    with layouts.using(*(decisions or ())), layouts.recording() as seen:
        try:
            result, error = (read() if read is not None else read_document(path, entry, overrides)), None
        except DocumentError as exc:
            result, error = None, exc
    if not seen and error is not None:  # no family planned a money table (an unknown layout)
        seen = (all_tables or _all_tables)(path, decisions)
    tables: list[TableChoice] = []
    keys: set[tuple[str, str]] = set()
    for table, plan in seen:  # a parser may plan a table twice (detect, then parse): once is shown
        key = (table.header.where, plan.signature())
        if key not in keys:
            keys.add(key)
            tables.append(_choice(len(tables), table, plan))
    return Inspection(result, error, tables)


def _all_tables(path: Path, decisions: list[Layout] | None) -> list:
    from loaders.documents import identify
    from loaders.tables.model import TableError
    from loaders.tables.plan import guess_plan
    from loaders.tables.region import read_region

    try:
        doc = identify(path)
        if doc.parser is not None:  # a family read it and planned no money table (tasks, a template)
            return []
        tables, _ = read_region(doc.lines, 1, len(doc.lines), path.name, doc.rows)
    except (DocumentError, TableError):
        return []
    with layouts.using(*(decisions or ())), layouts.recording() as seen:
        for table in tables:
            guess_plan(table, None)
    return seen


def layout_for(choice: TableChoice, changes: dict[int, dict], unit: str | None = None, name: str = "xem-truoc",
               author: str | None = None, document: str | None = None) -> Layout:
    """The officer's decision for one table as a layout: every column's current role and
    attributes (the guess, or a saved profile's), with ``changes`` (column index → fields)
    applied; ``unit``: the unit of amounts they confirmed. Only the fields of
    :data:`~loaders.tables.layouts.FIELDS` are kept."""
    columns: dict[int, dict] = {}
    for c in choice.columns:
        fields = {"role": c.role or "ignore"}
        if c.role == "amount":
            fields.update(stage=c.stage, quarters=list(c.quarters), cumulative=c.cumulative)
            if c.year:
                fields["year"] = c.year
            if c.source and c.group is not None:
                fields["source"] = c.source
            if c.sign < 0:
                fields["sign"] = -1
        fields.update({k: v for k, v in changes.get(c.index, {}).items() if k in FIELDS})
        columns[c.index] = {k: v for k, v in fields.items() if v is not None}
    return Layout(name, choice.signature, columns, unit or choice.unit, author, None, document)


def save_decision(layout: Layout, name: str, author: str | None, document: str | None,
                  folder: Path | None = None) -> Path:
    """Keep a decision as the layout profile ``name`` (who, when, from which document) and
    return its file. Raises :class:`~loaders.tables.layouts.LayoutError` for a bad name."""
    layout.name, layout.author, layout.document, layout.created = name, author, document, None
    return layouts.save(layout, folder)
