"""Show where a figure came from: the document's own lines around its source line."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

from .state import paths


@lru_cache(maxsize=32)
def _lines(path: str, mtime: float) -> tuple[str, ...]:
    from loaders.documents import read_lines

    return tuple(read_lines(Path(path)))


def excerpt(document: str, line: int, context: int = 2) -> str | None:
    """Lines ``line-context … line+context`` of ``document`` in the documents folders (the
    first that has it, the order the build read them in: a name is one document), numbered,
    the source line marked with "▶"; ``None`` when the file is not there."""
    path = next((folder / document for folder in paths()[0] if (folder / document).is_file()), None)
    if path is None:
        return None
    lines = _lines(str(path), path.stat().st_mtime)
    lo, hi = max(1, line - context), min(len(lines), line + context)
    return "\n".join(f"{'▶' if n == line else ' '} {n:>4} │ {lines[n - 1]}" for n in range(lo, hi + 1))


def show(document: str, line: int, extra_line: int | None = None) -> None:
    """Render the excerpt (and the line of a re-attached description, when given)."""
    st.caption(f"Nguồn: **{document}**, dòng **{line}**")
    text = excerpt(document, int(line))
    if text:
        st.code(text, language=None)
    if extra_line:
        more = excerpt(document, int(extra_line), context=1)
        if more:
            st.caption(f"Nội dung in tách khỏi bảng, dòng {extra_line}:")
            st.code(more, language=None)
