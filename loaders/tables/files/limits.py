"""Limits that refuse hostile or oversized uploads *before* they are parsed.

Every file first goes through ``loaders.tables.files.filecheck.preflight`` (the one check of every
document, text or not, with the numbers below): size (``MAX_FILE_MB``, below the page's
``server.maxUploadSize``), empty files, password-protected or legacy Office files
(OLE2), broken zips, zip bombs (entry ratio and total unpacked size) and XML parts with a DTD
or entities. Then, per format:

* openpyxl must parse through ``defusedxml`` (checked: it does when defusedxml is installed);
* a PDF may have at most ``MAX_PDF_PAGES`` pages, a sheet at most ``MAX_ROWS`` rows read.
"""
from __future__ import annotations

# The numbers of ``loaders.tables.files.filecheck`` (which reads them from here: one set of limits).
MAX_FILE_MB = 50  # the page's server.maxUploadSize is higher (100), so our message shows
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # all entries of one Office file together
MAX_ENTRY_RATIO = 200  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 10_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected Office file, or .xls/.doc
# Per format, checked by the readers.
MAX_PDF_PAGES = 500
MAX_ROWS = 100_000  # rows read from one sheet
