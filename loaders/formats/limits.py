"""Limits that refuse hostile or oversized uploads *before* they are parsed.

Every file first goes through ``loaders.filecheck.preflight`` (the one check of every
document, text or not): size (``filecheck.MAX_FILE_BYTES``; the page's
``server.maxUploadSize`` is a little larger so our Vietnamese message is the one shown),
empty files, password-protected or legacy Office files (OLE2), broken zips, zip bombs (entry
ratio and total unpacked size) and XML parts with a DTD or entities. Then, per format:

* openpyxl must parse through ``defusedxml`` (checked: it does when defusedxml is installed);
* a PDF may have at most ``MAX_PDF_PAGES`` pages, a sheet at most ``MAX_ROWS`` rows read.
"""
from __future__ import annotations

from pathlib import Path

from . import FormatError

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
