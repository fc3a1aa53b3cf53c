"""Streamlit's legacy multipage pass, handed over to ``app.py`` (no heavy imports here: a page
calls this before importing anything else, so the legacy menu is gone within a moment)."""
from __future__ import annotations

import streamlit as st


def leave_legacy_run() -> None:
    """First call of every page: hand a run of Streamlit's legacy multipage mode over to
    ``app.py``.

    Streamlit decides once per server process, when the first browser session opens,
    whether the app is a legacy multipage app: it is when a ``pages/`` folder sits next to
    the main script (``PagesManager.uses_pages_directory``), until ``st.navigation`` runs.
    That first session therefore runs a legacy pass that lists the files of ``pages/`` and,
    for a deep link, finds the page by its file name. Each page file is named after its URL
    path (``pages/ngan-sach.py`` for ``/ngan-sach``), so the legacy pass finds it instead of
    answering "Page not found"; this function then ends the legacy mode and runs ``app.py``
    in its place (page config, warehouse, navigation — which runs this same page again,
    normally) and stops the legacy run. Widget values of the run (a click) are kept.
    Outside that pass it does nothing.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return
    if not getattr(PagesManager, "uses_pages_directory", False):
        return
    import runpy

    from streamlit.runtime.scriptrunner import get_script_run_ctx

    PagesManager.uses_pages_directory = False
    runpy.run_path(str(get_script_run_ctx().pages_manager.main_script_path), run_name="__main__")
    st.stop()
