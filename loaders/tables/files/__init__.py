"""Readers for uploaded documents (.xlsx, .xls, .docx, .pdf): what the parsers read, with provenance.

Every reader returns an :class:`Extracted` document:

* ``lines``: the document as text lines, the way the text profiles (``loaders.families.budget_appendix``
  and the others) read a ``.txt`` file. A table row becomes **one line** whose cells are
  joined by a tab (the convention of the shipped extracted texts, e.g. ``004_…``); empty
  cells keep their tab so columns stay aligned, trailing empty cells are dropped.
  Line ``n`` of a non-text document is ``lines[n - 1]``: records' ``source_line`` point
  into this list, and ``loaders.documents.read_lines`` returns the same list, so a page
  that shows "line n" of a workbook shows this row.
* ``refs``: one human location per line, in Vietnamese: ``"Ngân sách!A12"`` (a workbook
  row), ``"Đoạn 12"`` (a DOCX paragraph), ``"Bảng 1, hàng 5"`` (a DOCX table row),
  ``"Trang 2, dòng 14"`` / ``"Trang 2, bảng 1, hàng 5"`` (PDF).
* ``tables``: every table as rows of :class:`Cell`, each with its own reference
  (``"Ngân sách!E12"``, ``"Bảng 1, hàng 5, cột 3"``, ``"Trang 2, bảng 1, hàng 5, cột 3"``)
  and the line it was flattened into, for the table model.

Readers never write anything and refuse hostile input before reading it (``loaders.tables.files.limits``).
Errors are :class:`FormatError` (Vietnamese message naming the sheet and cell or the page);
``loaders.documents`` turns them into ``DocumentError``.
"""
from __future__ import annotations

from pathlib import Path

from loaders.tables.files.extracted import Cell, Extracted, FormatError, Table, row_line  # noqa: F401 - the readers' API

SUFFIXES = {".xlsx", ".xls", ".docx", ".pdf"}


def extract(path: Path) -> Extracted:
    """Read ``path`` with the reader of its suffix (.xlsx, .xls, .docx, .pdf; a legacy .xls is read
    as the same workbook saved as .xlsx, ``loaders.tables.files.xls``).

    Raises ``FormatError`` for an unsupported suffix, a file over the size limit, a corrupt,
    password-protected or hostile file (Vietnamese message; ``loaders.tables.files.filecheck`` first).
    The same bytes read before (in this process, or in another process of this program under
    the same limits) are not read again (``loaders.tables.files.cache``).
    """
    from loaders.tables.files import cache, docx, pdf, xls, xlsx

    path = Path(path)
    suffix = path.suffix.lower()
    readers = {".xlsx": xlsx.read, ".xls": xls.read, ".docx": docx.read, ".pdf": pdf.read}
    if suffix not in readers:
        raise FormatError(f"định dạng {suffix!r} chưa được hỗ trợ")
    preflight(path)
    key = cache.key(path)
    kept = cache.get(key)
    if kept is not None:
        return kept
    extracted = readers[suffix](path)
    cache.put(key, extracted)
    return extracted


def preflight(path: Path) -> None:
    """``loaders.tables.files.filecheck.preflight`` with its refusal as a ``FormatError``."""
    from loaders.tables.files.filecheck import FileRefused
    from loaders.tables.files.filecheck import preflight as check

    try:
        check(path)
    except FileRefused as exc:
        raise FormatError(exc.message) from exc
