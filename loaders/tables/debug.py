"""The debug view of the table readers (issue 14): why each header is one, which lines were
skipped, and why each piece of text landed in its column — in the manner of pdfplumber's
``debug_tablefinder``, which shows the intermediate objects a table finder used.

    from loaders.tables.debug import explain_flow, format_tables

    tables = explain_flow(lines, "003.txt", PlanTyper(2026))   # -> list[TableExplanation]
    print(format_tables(tables, table=2, row="1"))

The readers record only inside ``loaders.tables.trace.collecting()`` (these functions open
one), so reading without the debug view costs nothing more. The records are the dataclasses
of :mod:`loaders.tables.trace`; :func:`to_dict` gives them as plain data (JSON). For a
whole document read by its family (the same readers with the family's typer and settings)
see ``loaders.explain.explain_document`` and ``python -m warehouse debug-table FILE``.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from loaders.tables.cells import read_cells, read_tsv
from loaders.tables.flow import FlowTyper, flow_headers, read_flow
from loaders.tables.model import SourceRow
from loaders.tables.settings import TableSettings
from loaders.tables.spaced import read_spaced
from loaders.tables.trace import (
    CellChoice,
    Placement,
    RowExplanation,
    TableExplanation,
    Term,
    collecting,
)
from loaders.text.columns import ColumnVocabulary


def explain_flow(lines: Sequence[str], file: str, typer: FlowTyper, vocab: ColumnVocabulary | None = None,
                 first_line: int = 1, settings: TableSettings | None = None) -> list[TableExplanation]:
    """The explanation of :func:`loaders.tables.flow.read_flow` on ``lines`` (same arguments):
    one :class:`TableExplanation` per table, each row with the placing of its segments."""
    with collecting() as trace:
        read_flow(lines, file, typer, vocab, first_line, settings)
    return trace.tables


def explain_tsv(lines: Sequence[str], file: str, vocab: ColumnVocabulary | None = None, first_line: int = 1,
                settings: TableSettings | None = None) -> list[TableExplanation]:
    """The explanation of :func:`loaders.tables.cells.read_tsv` (header rows and why, rows
    continued, column-number rows and page numbers skipped)."""
    with collecting() as trace:
        read_tsv(lines, file, vocab, first_line, settings=settings)
    return trace.tables


def explain_cells(rows: Iterable[SourceRow], vocab: ColumnVocabulary | None = None,
                  settings: TableSettings | None = None) -> list[TableExplanation]:
    """The explanation of :func:`loaders.tables.cells.read_cells`."""
    with collecting() as trace:
        read_cells(rows, vocab, settings)
    return trace.tables


def explain_spaced(lines: Sequence[str], file: str, vocab: ColumnVocabulary | None = None, first_line: int = 1,
                   settings: TableSettings | None = None) -> list[TableExplanation]:
    """The explanation of :func:`loaders.tables.spaced.read_spaced` (header lines and why,
    fragments and page numbers skipped, the lines of each row and how its cells were typed)."""
    with collecting() as trace:
        read_spaced(lines, file, vocab, first_line, settings)
    return trace.tables


def explain_lines(lines: Sequence[str], file: str, typer: FlowTyper | None = None,
                  settings: TableSettings | None = None) -> list[TableExplanation]:
    """The explanation of the reader that fits ``lines`` when no family is known: tab-separated
    (two tabs on a line) → :func:`explain_tsv`; a header of text wrapped column by column
    and a ``typer`` → :func:`explain_flow`; else :func:`explain_spaced`."""
    if any(ln.count("\t") >= 2 for ln in lines):
        return explain_tsv(lines, file, settings=settings)
    if typer is not None and flow_headers(lines, file, typer, settings=settings):
        return explain_flow(lines, file, typer, settings=settings)
    return explain_spaced(lines, file, settings=settings)


def to_dict(tables: Sequence[TableExplanation]) -> list[dict]:
    """The explanations as plain data (lists, dicts, numbers, strings) for JSON."""
    return [dataclasses.asdict(t) for t in tables]


def find_rows(tables: Sequence[TableExplanation], code: str) -> list[tuple[int, RowExplanation]]:
    """The rows whose code is ``code`` as (1-based table number, row)."""
    return [(k, r) for k, t in enumerate(tables, 1) for r in t.rows if r.code == code]


# --------------------------------------------------------------------------- text


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _num(x: float) -> str:
    return f"{x:+.2f}".replace("-", "−")


def _lines(pieces: list[tuple[int, str]]) -> str:
    lines = sorted({n for n, _ in pieces})
    if not lines:
        return ""
    return f"[{lines[0]}]" if len(lines) == 1 else f"[{lines[0]}–{lines[-1]}]"


def _term(t: Term) -> str:
    used = ", ".join(f"{name}={value:g}" for name, value in t.settings)
    if t.name == "fit" and not t.settings and not t.value:
        used = "neutral: no rule applied"
    return f"{t.name} {_num(t.value)}" + (f" ({used})" if used else "")


def _placement(p: Placement) -> str:
    if not p.pieces:
        return "(trống / empty)"
    texts = [_short(t, 40) for _, t in p.pieces]
    if len(texts) > 4:
        texts = texts[:2] + [f"… {len(texts) - 3} dòng / lines …"] + texts[-1:]
    return " ⏎ ".join(texts) + " " + _lines(p.pieces)


def _cell(c: CellChoice, columns: dict[int, str]) -> list[str]:
    out = [f"      {c.role or '?'} {_short(c.header, 24)!r} ← {_placement(c.chosen)}",
           f"          điểm / score {_num(c.chosen.score)} = " + " · ".join(_term(t) for t in c.chosen.terms)]
    if c.runner_up is not None:
        r = c.runner_up
        out.append(f"          á quân / runner-up: {_placement(r)} điểm / score {_num(r.score)} = "
                   + " · ".join(_term(t) for t in r.terms)
                   + f"; tổng / total {_num(r.total)}, kém / worse by {c.margin:.2f}")
    return out


def format_row(table_no: int, table: TableExplanation, row: RowExplanation, close: float = 3.0) -> str:
    """One row in detail: its kind and reasons, its final cells, and per segment each
    column's pieces with the terms of its score and the runner-up; pieces whose best other
    column is within ``close`` points are listed as close calls."""
    columns = {c.index: f"{c.role or '?'}" for c in table.columns}
    head = f"  Hàng / row {row.code or '—'} (bảng / table {table_no}, dòng / line {row.line}) · {row.kind}"
    out = [head]
    out += [f"    · {r}" for r in row.reasons]
    if row.cells:
        out.append("    ô / cells:")
        out += [f"      [{c.column}] {c.role or '?'}: {_short(c.text, 90)!r} {list(c.lines) if c.lines else ''}"
                for c in row.cells]
    for seg in row.segments:
        label = "trước ngắt trang / before any page break" if seg.index == 0 else \
            f"sau ngắt trang {seg.index} / after page break {seg.index}"
        out.append(f"    phần / segment {seg.index + 1} ({label}) — tổng / total {_num(seg.total)}")
        for c in seg.cells:
            out += _cell(c, columns)
        calls = [p for p in seg.pieces if p.margin is not None and p.margin < close]
        if calls:
            out.append(f"      sát nút / close calls (< {close:g} points):")
            out += [f"        {_short(p.text, 50)!r} [{p.line}] → {columns.get(p.column)}; "
                    f"next best / kế tiếp {columns.get(p.runner_up)} (kém / worse by {p.margin:.2f})" for p in calls]
    return "\n".join(out)


def format_table(table_no: int, table: TableExplanation, rows: bool = True) -> str:
    """A table: reader, header and why, columns (with widths), lines skipped, and its rows
    (in detail when ``rows``, else one line each)."""
    out = [f"Bảng / table {table_no} · {table.reader} · {table.file} · tiêu đề dòng / header line {table.line}"]
    out += [f"  vì sao là tiêu đề / why a header: {r}" for r in table.header_reasons]
    cols = " · ".join(f"[{c.index}] {c.role or '?'} {_short(c.text, 28)!r}" + (f" (rộng / width {c.width})" if c.width else "")
                      for c in table.columns)
    out.append(f"  cột / columns: {cols}")
    for e in table.events:
        out.append(f"  dòng / line {e.line}: {e.kind} — {e.text}")
    if rows:
        for r in table.rows:
            out.append(format_row(table_no, table, r))
    else:
        kinds: dict[str, int] = {}
        for r in table.rows:
            kinds[r.kind] = kinds.get(r.kind, 0) + 1
        codes = " ".join(r.code or "·" for r in table.rows)
        out.append(f"  {len(table.rows)} hàng / rows ({', '.join(f'{k} {v}' for k, v in kinds.items())}): {_short(codes, 200)}")
    return "\n".join(out)


def format_tables(tables: Sequence[TableExplanation], table: int | None = None, row: str | None = None) -> str:
    """The debug view as text. Without ``table`` and ``row``: a summary of every table (its
    header and why, columns, lines skipped, the codes of its rows). ``table`` (1-based): that
    table with every row in detail. ``row``: the rows with that code (in ``table`` only when
    given), in detail. Raises ``ValueError`` for a table number or a code not found."""
    if table is not None and not 1 <= table <= len(tables):
        raise ValueError(f"không có bảng {table} / no table {table}: {len(tables)} bảng / tables")
    chosen = [(table, tables[table - 1])] if table is not None else list(enumerate(tables, 1))
    if row is not None:
        found = [(k, t, r) for k, t in chosen for r in t.rows if r.code == row]
        if not found:
            raise ValueError(f"không có hàng {row!r} / no row {row!r}" + (f" trong bảng / in table {table}" if table else ""))
        return "\n\n".join(format_row(k, t, r) for k, t, r in found)
    if table is not None:
        return format_table(table, tables[table - 1], rows=True)
    head = f"{len(tables)} bảng / tables — chi tiết / details: --table N, --row CODE"
    return "\n\n".join([head] + [format_table(k, t, rows=False) for k, t in chosen])
