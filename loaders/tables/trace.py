"""What the table readers decided and why: the records of the debug view
(``loaders.tables.debug``) and the collector the readers fill *only while one is active*.

A reader asks :func:`active` once per call; with no collector active (always, outside the
debug view) it gets ``None`` and records nothing, so reading costs what it did. Within
``with collecting() as trace:`` every reader run records a :class:`TableExplanation` per
table in ``trace.tables``: its header and why it is one, the lines skipped and why (a page
number, a repeated header, a row of column numbers), and a :class:`RowExplanation` per row —
why it is a row, which rows it continues, and for text wrapped column by column
(``read_flow``) the placement of every piece: for each column the pieces placed there with
the score terms that decided it (:class:`Term`: the typer's fit and the settings it used,
the wrap penalty, the open-end penalty …) and the runner-up placement with its score.

Scores are in points (see ``loaders.tables.settings``); a *total* is the best sum of every
cell's score over a page segment of a row, the quantity the reader maximises.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from loaders.tables.model import Row


@dataclass
class Term:
    """One term of a cell's score: ``name`` ("fit", "inner_start", "open_end", "wrap"), its
    signed ``value`` (points), the named settings it came from as (``"Class.field"``,
    value) — for the fit, the settings the typer read while scoring — and a short note."""

    name: str
    value: float
    settings: list[tuple[str, float]] = field(default_factory=list)
    note: str = ""


@dataclass
class Placement:
    """A cell's content in one placing of a segment: its pieces as (line, text), the terms of
    its score and their sum ``score``, and ``total``, the best total of the whole segment
    in which the cell holds exactly these pieces."""

    pieces: list[tuple[int, str]]
    terms: list[Term]
    score: float
    total: float


@dataclass
class CellChoice:
    """Why a column of a row segment holds what it holds: the ``chosen`` placement, and the
    ``runner_up``, the best placing of the segment in which this cell holds something else
    (``None`` when there is no other possible placing)."""

    column: int
    role: str | None
    header: str
    chosen: Placement
    runner_up: Placement | None = None

    @property
    def margin(self) -> float | None:
        """How many points the chosen placing beats the runner-up by (≥ 0)."""
        return None if self.runner_up is None else self.chosen.total - self.runner_up.total


@dataclass
class PieceChoice:
    """Where a piece of text went (``column``, index in the header) and the best other column
    for it (``runner_up``) with the points it would cost (``margin``); ``None`` when no
    other column could take it."""

    line: int
    text: str
    column: int
    runner_up: int | None = None
    margin: float | None = None


@dataclass
class Segment:
    """The placing of one page segment of a row (0: before any page break; 1: the part
    printed after the first repeated header …): its best ``total``, a :class:`CellChoice`
    per data column and a :class:`PieceChoice` per piece."""

    index: int
    total: float
    cells: list[CellChoice] = field(default_factory=list)
    pieces: list[PieceChoice] = field(default_factory=list)


@dataclass
class CellText:
    """A cell of the final row: column index, role, header text, text and lines."""

    column: int
    role: str | None
    header: str
    text: str
    lines: tuple[int, ...] = ()


@dataclass
class RowExplanation:
    """A row as read: the line it starts at, its code and kind ("item", "heading", "total",
    "continued" for a row merged into the one above, …), the rules that made it
    (``reasons``), the placing of its segments (``read_flow`` only) and its final cells."""

    line: int | None
    code: str | None
    kind: str
    reasons: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    cells: list[CellText] = field(default_factory=list)


@dataclass
class Event:
    """A line the reader skipped or used outside any row, and why ("page number",
    "repeated header", "column numbers", "footnote", "unit", "end of table", …)."""

    line: int | None
    kind: str
    text: str


@dataclass
class ColumnInfo:
    """A header column: index, role, text as printed, and its width in characters when the
    flow reader measured one (``None``: no width, no wrap penalty)."""

    index: int
    role: str | None
    text: str
    width: int | None = None


@dataclass
class TableExplanation:
    """One table as a reader read it: the reader ("flow", "cells", "spaced"), the file and
    header line, the columns, why the header is one (``header_reasons``), the rows, and the
    events (lines skipped, page breaks) in document order."""

    reader: str
    file: str
    line: int | None
    columns: list[ColumnInfo] = field(default_factory=list)
    header_reasons: list[str] = field(default_factory=list)
    rows: list[RowExplanation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def event(self, line: int | None, kind: str, text: str) -> None:
        self.events.append(Event(line, kind, text))

    def row(self, line: int | None, code: str | None, kind: str, *reasons: str) -> RowExplanation:
        """A new row explanation, appended."""
        rx = RowExplanation(line, code, kind, list(reasons))
        self.rows.append(rx)
        return rx


@dataclass
class TableTrace:
    """What the readers record while it is active (:func:`collecting`): the tables in the
    order they were read."""

    tables: list[TableExplanation] = field(default_factory=list)

    def table(self, reader: str, file: str, line: int | None, columns: list[ColumnInfo],
              reasons: list[str]) -> TableExplanation:
        """A new table explanation, appended."""
        tx = TableExplanation(reader, file, line, columns, reasons)
        self.tables.append(tx)
        return tx


_CURRENT: ContextVar[TableTrace | None] = ContextVar("loaders_table_trace", default=None)


def active() -> TableTrace | None:
    """The collector of the current context, or ``None`` (nothing is recorded)."""
    return _CURRENT.get()


@contextmanager
def collecting() -> Iterator[TableTrace]:
    """Record what every table reader run inside the block decides: ``with collecting() as
    trace: read_flow(…)``, then ``trace.tables``."""
    trace = TableTrace()
    token = _CURRENT.set(trace)
    try:
        yield trace
    finally:
        _CURRENT.reset(token)


@contextmanager
def paused() -> Iterator[None]:
    """Record nothing inside the block (a reader run as a probe, e.g. the first pass of
    ``loaders.tables.region.read_region``)."""
    token = _CURRENT.set(None)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def columns_of(row_header) -> list[ColumnInfo]:
    """The :class:`ColumnInfo` of a ``Header``."""
    return [ColumnInfo(c.index, c.role, c.text) for c in row_header.columns]


def fill_cells(rx: RowExplanation, row: Row) -> None:
    """Set ``rx.cells`` to the non-empty cells of the final ``row``."""
    rx.cells = [CellText(col.index, col.role, col.text, c.text, c.lines)
                for col, c in zip(row.header.columns, row.cells) if c is not None and c.text]
