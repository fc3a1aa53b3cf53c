"""Show where a figure came from: the document's own lines around its source line, and — for
an uploaded .xlsx/.docx/.pdf — the place a reader of that file finds it ("trang 3, bảng 2,
hàng 5, cột 4", "trang tính Dự toán, ô D12": the ``location`` the warehouse keeps beside
``source_line``, ``loaders.tables.files.location``)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

from .state import paths


@lru_cache(maxsize=32)
def _lines(path: str, mtime: float) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The document's lines and, for an office file, each line's place in it ("Trang 2, bảng
    1, hàng 5"; ``()`` for a text file)."""
    from loaders.documents import read_extracted, read_lines
    from loaders.tables.files import SUFFIXES

    file = Path(path)
    if file.suffix.lower() in SUFFIXES:
        extracted = read_extracted(file)
        return tuple(extracted.lines), tuple(extracted.refs)
    return tuple(read_lines(file)), ()


def excerpt(document: str, line: int, context: int = 2) -> str | None:
    """Lines ``line-context … line+context`` of ``document`` in the documents folders (the
    first that has it, the order the build read them in: a name is one document), the source
    line marked with "▶"; each line headed by its number, or by its place in an office file
    ("Trang 2, bảng 1, hàng 5"); ``None`` when the file is not there."""
    path = next((folder / document for folder in paths()[0] if (folder / document).is_file()), None)
    if path is None:
        return None
    lines, refs = _lines(str(path), path.stat().st_mtime)
    lo, hi = max(1, line - context), min(len(lines), line + context)
    if refs:
        width = max(len(refs[n - 1]) for n in range(lo, hi + 1)) if hi >= lo else 0
        return "\n".join(f"{'▶' if n == line else ' '} {refs[n - 1]:<{width}} │ {lines[n - 1]}" for n in range(lo, hi + 1))
    return "\n".join(f"{'▶' if n == line else ' '} {n:>4} │ {lines[n - 1]}" for n in range(lo, hi + 1))


def place(line, location=None) -> str:
    """The words after a document's name: its ``location`` in an uploaded file when known
    ("trang 3, bảng 2, hàng 5"), else "dòng 17" (a text document's line)."""
    if isinstance(location, str) and location.strip():
        return location
    return f"dòng {int(line)}"


def show(document: str, line: int, extra_line: int | None = None, location: str | None = None) -> None:
    """Render where the figure was printed — "Nguồn: **x.pdf**, trang 3, bảng 2, hàng 5, cột 4"
    for an uploaded file (``location``), "Nguồn: **x.txt**, dòng **17**" for a text — and the
    excerpt (and the line of a re-attached description, when given)."""
    if isinstance(location, str) and location.strip():
        st.caption(f"Nguồn: **{document}**, **{location}**")
    else:
        st.caption(f"Nguồn: **{document}**, dòng **{line}**")
    text = excerpt(document, int(line))
    if text:
        st.code(text, language=None)
    if extra_line:
        more = excerpt(document, int(extra_line), context=1)
        if more:
            st.caption(f"Nội dung in tách khỏi bảng, dòng {extra_line}:")
            st.code(more, language=None)
