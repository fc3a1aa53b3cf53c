"""The debug view of a whole document: its family's parser run once with the table readers
recording why they read each table as they did (``loaders.tables.debug``,
``loaders.tables.trace``). ``python -m warehouse debug-table FILE`` prints it.
"""
from __future__ import annotations

from pathlib import Path

from loaders.documents import (
    DocumentError,
    ManifestEntry,
    identify,
    parse_identified,
    read_manifest,
)
from loaders.model import DocumentMeta
from loaders.tables.debug import explain_lines
from loaders.tables.trace import TableExplanation, collecting


def explain_document(path: Path, entry: ManifestEntry | None = None) -> list[TableExplanation]:
    """Every table of the document at ``path`` as its family's parser reads it (the same
    readers, typer and settings as ``loaders.documents.read_document``), explained: one
    :class:`TableExplanation` per table, in the order read. ``entry``: the manifest row (by
    default the one of ``manifest.csv`` beside the file, if any), for metadata a family
    needs (the plan year when the title prints none).

    A document no family knows is read by the reader its text fits
    (``loaders.tables.debug.explain_lines``). A table read twice (a family reading a region
    again) is explained once, as last read. Raises ``DocumentError`` when the file cannot be
    read or the parser fails.
    """
    path = Path(path)
    if entry is None:
        try:
            entry = read_manifest(path.parent).get(path.name)
        except DocumentError:
            entry = None
    doc = identify(path)
    if doc.parser is None:
        return explain_lines(doc.lines, path.name)
    meta = DocumentMeta(file_name=path.name)
    if entry is not None:
        meta.province, meta.fiscal_years, meta.kind = entry.province, list(entry.fiscal_years), entry.kind
    with collecting() as trace:
        parse_identified(doc, meta)
    last: dict[tuple[str, str, int | None], TableExplanation] = {}
    for t in trace.tables:
        last.pop((t.reader, t.file, t.line), None)
        last[(t.reader, t.file, t.line)] = t
    return sorted(last.values(), key=lambda t: t.line or 0)
