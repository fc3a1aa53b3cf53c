"""Streamlit's own texts in Vietnamese and a print stylesheet, applied once per run by
``app.py`` (``apply()``, right after ``st.set_page_config``).

* ``ui/style.css`` — CSS: what is hidden and why (the uploader's limit line), and the print
  stylesheet (A4 portrait; no sidebar, header, toolbars or buttons; charts and tables zoomed
  to the page's width and never cut across pages).
* ``ui/style.js`` — a small script (``st.html(..., unsafe_allow_javascript=True)``; it holds
  no user data): it replaces Streamlit's English strings (``ui.i18n.TEXTS`` and
  ``PATTERNS``) in texts and in the ``title`` / ``aria-label`` / ``placeholder`` attributes
  that tooltips and screen readers read, as Streamlit adds them; and it measures the main
  column's width on the screen so that the print stylesheet can zoom charts and tables to
  ``PRINT_WIDTH_PX``.

Both are sent on every run (Streamlit keeps an identical element as it is, and the script
runs once per browser tab). The script element (≈ 12 KB with its dictionary) is above
Streamlit's ``global.minCachedMessageSize`` (10 KB): after a session's first run the server
sends only a reference to the copy the browser keeps; on the server a py-spy profile of ten
filter changes on Ngân sách did not list ``apply`` among the calls above 9 ms per change. Everything is documented in ``docs/UI_VIETNAMESE.md``.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

from ui import i18n

HERE = Path(__file__).resolve().parent
# The width (CSS px) charts and tables are zoomed to on paper: A4 (210 mm) less the two 12 mm
# margins of ui/style.css's @page is 186 mm ≈ 703 px; a little less, so that a chart in a
# column (whose gaps do not shrink) still fits.
PRINT_WIDTH_PX = 680


@cache
def _css() -> str:
    return (HERE / "style.css").read_text(encoding="utf-8")


@cache
def script() -> str:
    """The ``<script>`` element: the settings (``texts``, ``patterns``, ``printWidth``) then
    ``ui/style.js``."""
    settings = {"texts": i18n.TEXTS, "patterns": i18n.PATTERNS, "printWidth": PRINT_WIDTH_PX}
    body = (HERE / "style.js").read_text(encoding="utf-8")
    data = json.dumps(settings, ensure_ascii=False).replace("</", "<\\/")
    return f'<script id="skhcn-chrome">window.__skhcnChrome = {data};\n{body}</script>'


def apply() -> None:
    """Send the stylesheet (to Streamlit's event container: it takes no room) and the script
    (an element hidden by the stylesheet)."""
    st.html(f"<style>{_css()}</style>")
    st.html(script(), unsafe_allow_javascript=True)
