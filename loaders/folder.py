"""The documents folder (``data/raw``): which files are documents. A light module (no
parser is imported), so the app can check on every page view whether the warehouse is
still up to date (``warehouse.freshness``)."""
from __future__ import annotations

from pathlib import Path

from loaders.tables import files as formats

MANIFEST_NAME = "manifest.csv"
DOCUMENT_SUFFIXES = {".txt"} | formats.SUFFIXES  # .xlsx, .xls, .docx, .pdf through loaders.tables.files


def list_documents(raw_dir: Path) -> list[Path]:
    """Document files in ``raw_dir`` (sorted by name; the manifest itself excluded)."""
    return sorted(p for p in raw_dir.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
