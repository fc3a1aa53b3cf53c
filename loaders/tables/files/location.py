"""Where a reader of an uploaded file finds a figure (issue 18, item 5): the page, table,
row and column of a PDF, the table, row and column of a Word file, the sheet and cell of a
workbook — not the line of the text the readers flattened the file into.

The readers already name every line and cell (``Extracted.refs``, ``Cell.ref``: "Trang 3,
bảng 2, hàng 5", "Bảng 1, hàng 5, cột 4", "Dự toán!D12", "Dự toán, hàng 12"); this module
turns those names into the words a page shows after a document's name (:func:`describe`) and
gives each record of a reading its own (:func:`locate`).
"""
from __future__ import annotations

import re

from loaders.model import ParseResult
from loaders.tables.files.extracted import Extracted

_CELL = re.compile(r"^(?P<sheet>.+)!\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d+)$")
_ROW = re.compile(r"^(?P<sheet>.+), hàng (?P<row>\d+)$")


def describe(ref: str | None, fmt: str) -> str | None:
    """The words for a reader's reference, for a file of format ``fmt`` ("xlsx", "xls",
    "docx", "pdf"); ``None`` for no reference.

    * workbook cell ``"Dự toán!D12"`` → ``"trang tính Dự toán, ô D12"``; row ``"Dự toán, hàng
      12"`` → ``"trang tính Dự toán, hàng 12"``;
    * PDF ``"Trang 3, bảng 2, hàng 5, cột 4"`` → ``"trang 3, bảng 2, hàng 5, cột 4"``; ``"Trang
      2, dòng 14"`` → ``"trang 2, dòng 14"`` (a line of text outside tables);
    * Word ``"Bảng 2, hàng 5, cột 4"`` → ``"bảng 2, hàng 5, cột 4"``; ``"Đoạn 12"`` → ``"đoạn 12"``.
    """
    if not ref:
        return None
    if fmt in ("xlsx", "xls"):
        m = _CELL.match(ref)
        if m:
            return f"trang tính {m['sheet']}, ô {m['col']}{m['row']}"
        m = _ROW.match(ref)
        if m:
            return f"trang tính {m['sheet']}, hàng {m['row']}"
        return f"trang tính {ref}"
    return ref[:1].lower() + ref[1:]


def locate(result: ParseResult, extracted: Extracted) -> None:
    """Give every record of ``result`` (read from ``extracted``) its ``location``: the cell of
    its amount when the reader knows it (``source_ref`` of a budget line or a printed
    percentage), else the row or line it was printed on (``source_line`` in
    ``extracted.refs``). A record whose line is not one of the file's (a reader's own
    numbering) keeps ``None``."""
    fmt = extracted.format
    for records in (result.budget_lines, result.totals, result.ratios, result.versions, result.indicators,
                    result.actuals, result.tasks):
        for record in records:
            cell = getattr(record, "source_ref", None)
            record.location = describe(cell or extracted.ref(record.source_line), fmt)
