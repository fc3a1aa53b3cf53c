"""Limits that refuse hostile or oversized uploads *before* they are parsed.

Every file first goes through ``loaders.filecheck.preflight`` (the one check of every
document, text or not, with the numbers below): size (``MAX_FILE_MB``, the page's
``server.maxUploadSize`` too), empty files, password-protected or legacy Office files
(OLE2), broken zips, zip bombs (entry ratio and total unpacked size) and XML parts with a DTD
or entities. Then, per format:

* openpyxl must parse through ``defusedxml`` (checked: it does when defusedxml is installed);
* a PDF may have at most ``MAX_PDF_PAGES`` pages, a sheet at most ``MAX_ROWS`` rows read.
"""
from __future__ import annotations

from pathlib import Path

from . import FormatError

# The numbers of ``loaders.filecheck`` (which reads them from here: one set of limits).
MAX_FILE_MB = 50  # the page's server.maxUploadSize is the same number
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # all entries of one Office file together
MAX_ENTRY_RATIO = 200  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 10_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected Office file, or .xls/.doc
# Per format, checked by the readers.
MAX_PDF_PAGES = 500
MAX_ROWS = 100_000  # rows read from one sheet


def preflight(path: Path) -> None:
    """``loaders.filecheck.preflight`` with its refusal as a ``FormatError``."""
    from ..filecheck import FileRefused, preflight as check

    try:
        check(path)
    except FileRefused as exc:
        raise FormatError(exc.message) from exc


def require_defusedxml() -> None:
    """Raise ``FormatError`` unless openpyxl parses XML through defusedxml."""
    from openpyxl import xml as openpyxl_xml

    if not openpyxl_xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a requirement
        raise FormatError("thiếu thư viện defusedxml: không đọc tệp Office khi chưa có lớp bảo vệ XML")
