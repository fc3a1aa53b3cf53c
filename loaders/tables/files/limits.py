"""Limits that refuse hostile or oversized uploads *before* or *while* they are parsed: the
one place their numbers live (issue 19, items 4 and 7; documented in docs/RELIABILITY.md,
"Giới hạn khi đọc văn bản / parse limits").

Every file first goes through ``loaders.tables.files.filecheck.preflight`` (the one check of every
document, text or not): size (``MAX_FILE_MB``, below the page's ``server.maxUploadSize``), empty
files, password-protected or legacy Office files (OLE2; a .xls goes on to its reader, which refuses an
encrypted or corrupt one), broken zips, zip bombs (entry ratio
and total unpacked size) and XML parts with a DTD or entities. Then, per format, the readers
check pages (PDF), the inflated size of a PDF's compressed streams and the rows of a sheet (.xlsx,
and .xls before its sheet is copied).
Around all of it, ``warehouse.isolate`` parses each document in a child process bounded in
memory (``RLIMIT_AS``), CPU time (``RLIMIT_CPU``) and wall-clock time (killed by the parent).

The numbers that may need tuning are fields of :class:`ParseLimits`; :func:`current` reads
them anew on every call, each overridable by an environment variable (``SKHCN_PARSE_*``,
whole numbers; an invalid value is ignored with the default kept).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields

# Fixed numbers of ``loaders.tables.files.filecheck``.
MAX_FILE_MB = 50  # the page's server.maxUploadSize is higher (100), so our Vietnamese message shows
RATIO_FLOOR = 1024 * 1024  # the ratio check applies to entries above this uncompressed size
MAX_ENTRIES = 10_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected Office file, or .xls/.doc

MB = 1024 * 1024


@dataclass(frozen=True)
class ParseLimits:
    """Bounds on reading one document (field: environment variable, default).

    * ``memory_mb`` (``SKHCN_PARSE_MEMORY_MB``, 2048): address space of the child process
      that parses (``RLIMIT_AS``; the interpreter with the parsers imported uses ~400 MB of it).
    * ``cpu_s`` (``SKHCN_PARSE_CPU_S``, 120): CPU seconds of that child (``RLIMIT_CPU``: the
      kernel stops it even if nobody waits for it any more).
    * ``wall_s`` (``SKHCN_PARSE_WALL_S``, 120): seconds the parent waits before killing it.
    * ``pdf_pages`` (``SKHCN_PARSE_MAX_PAGES``, 500): pages of a PDF.
    * ``pdf_inflated_mb`` (``SKHCN_PARSE_PDF_INFLATED_MB``, 200): the compressed
      (FlateDecode) streams of a PDF inflated, all together.
    * ``unzipped_mb`` (``SKHCN_PARSE_UNZIPPED_MB``, 100): the parts of an .xlsx/.docx
      uncompressed, all together (sizes declared in the zip directory; zipfile never inflates
      a part beyond its declared size).
    * ``zip_ratio`` (``SKHCN_PARSE_ZIP_RATIO``, 200): uncompressed / compressed size of one part
      above 1 MB (real .xlsx parts: < 30).
    * ``sheet_rows`` (``SKHCN_PARSE_MAX_ROWS``, 100 000): rows read from one sheet (.xlsx or .xls;
      an Excel 97–2003 sheet holds at most 65 536).
    """

    memory_mb: int = 2048
    cpu_s: int = 120
    wall_s: int = 120
    pdf_pages: int = 500
    pdf_inflated_mb: int = 200
    unzipped_mb: int = 100
    zip_ratio: int = 200
    sheet_rows: int = 100_000


ENV = {
    "memory_mb": "SKHCN_PARSE_MEMORY_MB",
    "cpu_s": "SKHCN_PARSE_CPU_S",
    "wall_s": "SKHCN_PARSE_WALL_S",
    "pdf_pages": "SKHCN_PARSE_MAX_PAGES",
    "pdf_inflated_mb": "SKHCN_PARSE_PDF_INFLATED_MB",
    "unzipped_mb": "SKHCN_PARSE_UNZIPPED_MB",
    "zip_ratio": "SKHCN_PARSE_ZIP_RATIO",
    "sheet_rows": "SKHCN_PARSE_MAX_ROWS",
}


def current() -> ParseLimits:
    """The limits now: the defaults of :class:`ParseLimits`, each replaced by its environment
    variable (:data:`ENV`) when that holds a positive whole number."""
    values = {}
    for f in fields(ParseLimits):
        raw = os.environ.get(ENV[f.name], "").strip()
        if raw.isdigit() and int(raw) > 0:
            values[f.name] = int(raw)
    return ParseLimits(**values)
