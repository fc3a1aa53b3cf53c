"""Streamlit glue shared by the pages: the cached warehouse, the first-start build with a
progress bar, and filter widgets whose values live in the URL (so a view can be shared).

Paths: ``SKHCN_DB`` and ``SKHCN_RAW`` environment variables override ``data/warehouse.duckdb``
and ``data/raw``.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from warehouse import store
from warehouse.queries import Warehouse


def paths() -> tuple[Path, Path]:
    """(raw documents folder, warehouse file)."""
    raw = Path(os.environ.get("SKHCN_RAW", store.DEFAULT_RAW))
    db = Path(os.environ.get("SKHCN_DB", store.DEFAULT_DB))
    return raw, db


@st.cache_resource
def _build_lock() -> threading.Lock:
    return threading.Lock()


def ensure_warehouse() -> None:
    """Build the warehouse on first start, and rebuild it when ``data/raw`` changed,
    showing a progress bar. A document that cannot be read stops the app with its file and
    line (the previous warehouse, if any, stays in use)."""
    raw, db = paths()
    if not store.needs_build(raw, db):
        return
    with _build_lock():
        if not store.needs_build(raw, db):
            return
        with st.status("Đang xây dựng kho dữ liệu từ các văn bản…", expanded=True) as status:
            bar = st.progress(0.0, text="Bắt đầu")
            try:
                report = store.build(raw, db, progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
            except store.DocumentError as exc:
                status.update(label="Không xây dựng được kho dữ liệu", state="error")
                st.error(f"Không đọc được văn bản — {exc}")
                if not db.exists():
                    st.stop()
                return
            status.update(
                label=f"Đã xây dựng kho: {len(report.documents)} văn bản, {report.budget_lines} dòng ngân sách",
                state="complete",
                expanded=False,
            )


@st.cache_resource
def _warehouse(db: str) -> Warehouse:
    return Warehouse(Path(db))


def warehouse() -> Warehouse:
    """The shared read-only warehouse (one connection, a cursor per query)."""
    return _warehouse(str(paths()[1]))


def _remembered(key: str):
    """The last value chosen for filter ``key`` in this session (kept across pages)."""
    return st.session_state.get(f"keep_{key}")


def _remember(key: str, value) -> None:
    st.session_state[f"keep_{key}"] = value


def url_select(
    label: str,
    options: Sequence[Any],
    key: str,
    default: Any = None,
    format_func: Callable[[Any], str] = str,
    parse: Callable[[str], Any] = str,
    container: Any = st,
) -> Any:
    """A selectbox whose value is read from and written to the query parameter ``key``.

    Precedence: the widget's own state, then the URL, then the value chosen earlier in the
    session (on another page), then ``default``, then the first option.
    """
    options = list(options)
    if not options:
        return None
    widget_key = f"w_{key}"
    value = None
    if st.session_state.get(widget_key) in options:
        value = st.session_state[widget_key]
    else:
        wanted = st.query_params.get(key)
        if wanted is not None:
            try:
                parsed = parse(wanted)
            except ValueError:
                parsed = None
            if parsed in options:
                value = parsed
        if value is None and _remembered(key) in options:
            value = _remembered(key)
        if value is None:
            value = default if default in options else options[0]
    # (re)assign before the widget exists: state left by the same key on another page is
    # otherwise dropped by Streamlit
    st.session_state[widget_key] = value
    chosen = container.selectbox(label, options, key=widget_key, format_func=format_func)
    st.query_params[key] = str(chosen)
    _remember(key, chosen)
    return chosen


def url_multiselect(
    label: str,
    options: Sequence[Any],
    key: str,
    format_func: Callable[[Any], str] = str,
    container: Any = st,
    placeholder: str = "Tất cả",
) -> list[Any]:
    """A multiselect bound to the query parameter ``key`` (values joined by "|"); empty
    means "all" (or what ``placeholder`` says it means)."""
    options = list(options)
    widget_key = f"w_{key}"
    if widget_key not in st.session_state:
        wanted = st.query_params.get(key)
        if wanted is not None:
            chosen = [v for v in wanted.split("|") if v in options]
        else:
            chosen = [v for v in (_remembered(key) or []) if v in options]
    else:
        chosen = [v for v in st.session_state[widget_key] if v in options]
    st.session_state[widget_key] = chosen
    chosen = container.multiselect(
        label, options, key=widget_key, format_func=format_func, placeholder=placeholder, select_all=False
    )
    if chosen:
        st.query_params[key] = "|".join(str(c) for c in chosen)
    elif key in st.query_params:
        del st.query_params[key]
    _remember(key, list(chosen))
    return chosen


def url_toggle(label: str, key: str, default: bool = False, container: Any = st) -> bool:
    """A toggle bound to the query parameter ``key`` ("1" / "0")."""
    widget_key = f"w_{key}"
    if widget_key not in st.session_state:
        wanted = st.query_params.get(key)
        remembered = _remembered(key)
        st.session_state[widget_key] = (
            wanted == "1" if wanted is not None else (remembered if remembered is not None else default)
        )
    else:
        st.session_state[widget_key] = bool(st.session_state[widget_key])
    value = container.toggle(label, key=widget_key)
    st.query_params[key] = "1" if value else "0"
    _remember(key, value)
    return value


def today() -> date:
    """Today's date, or the date in ``SKHCN_TODAY`` (ISO, for reviews and tests)."""
    try:
        return date.fromisoformat(os.environ["SKHCN_TODAY"])
    except (KeyError, ValueError):
        return date.today()


def url_date(label: str, key: str, default: date, container: Any = st) -> date:
    """A date input (DD/MM/YYYY) bound to the query parameter ``key`` (ISO date); a
    missing or unreadable parameter gives ``default``. The default is recomputed when the
    page's other choices change it (e.g. another plan year), unless the user picked a date."""
    widget_key = f"w_{key}"
    default_key = f"default_{key}"
    if widget_key not in st.session_state:
        try:
            st.session_state[widget_key] = date.fromisoformat(st.query_params.get(key) or "")
        except ValueError:
            st.session_state[widget_key] = default
    elif st.session_state.get(default_key, default) != default:
        st.session_state[widget_key] = default
    st.session_state[default_key] = default
    chosen = container.date_input(label, key=widget_key, format="DD/MM/YYYY")
    st.query_params[key] = chosen.isoformat()
    return chosen


def editing_rights() -> tuple[bool, str | None]:
    """(may this session write, the writer's name when known). Uses ``ui.auth`` (roles)
    when it exists, else ``editor_identity`` (where a ``None`` name means: ask for one)."""
    try:
        from ui import auth  # type: ignore[attr-defined]
    except ImportError:
        may_edit, identity, _ = editor_identity()
        return may_edit, identity
    return auth.can("editor"), auth.current_user().name


def editor_identity() -> tuple[bool, str | None, str]:
    """Who may write (enter actuals) in this session: ``(may_edit, name, mode)``.

    * ``mode == "oidc"``: an ``[auth]`` section is configured in ``.streamlit/secrets.toml``
      (Streamlit's built-in OpenID Connect login, ``st.login``). Only logged-in users whose
      e-mail is listed in ``[skhcn] editors`` may edit; ``name`` is their identity.
    * ``mode == "login"``: login is configured but this viewer has not logged in: read only.
    * ``mode == "open"``: no login configured (the shipped demo): anyone may edit and must
      type their name, which is stored with each entry.
    """
    try:
        auth = "auth" in st.secrets
        editors = set(st.secrets.get("skhcn", {}).get("editors", [])) if auth else set()
    except Exception:  # no secrets file at all
        auth, editors = False, set()
    if not auth:
        return True, None, "open"
    if not st.user.get("is_logged_in", False):
        return False, None, "login"
    email = st.user.get("email")
    return email in editors, st.user.get("name") or email, "oidc"
