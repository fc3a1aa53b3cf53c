"""Streamlit glue shared by the pages: the cached warehouse, the first-start build with a
progress bar, and filter widgets whose values live in the URL (so a view can be shared).

Paths (``loaders.paths``): the documents are read from the shipped ``data/raw`` (read-only;
``SKHCN_RAW`` overrides) and the data directory's ``uploads/`` (``SKHCN_DATA``, default
``~/.local/share/skhcn-dashboard``), where uploads are written; the warehouse is
``<data dir>/warehouse.duckdb`` (``SKHCN_DB`` overrides).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from warehouse import freshness  # light: the parsers are imported only when a build is due
from warehouse.queries import Warehouse, open_warehouse


def paths() -> tuple[tuple[Path, ...], Path]:
    """(the documents folders in reading order — the shipped documents, then the uploads, the
    last one written by an upload —, the warehouse file), read from the environment at each
    call (``loaders.paths``)."""
    return freshness.folders_of(None), freshness.default_db()


_MIGRATED = False


def migrate_once() -> None:
    """Move what an earlier version wrote into the checkout (uploads in ``data/raw``, accounts,
    entries, saved layouts) to the data directory, once per process (``warehouse.migrate``);
    what was moved is printed on the server console and written to the audit log."""
    global _MIGRATED
    if _MIGRATED:
        return
    _MIGRATED = True
    from warehouse import migrate

    try:
        migrate.migrate_if_enabled()
    except Exception as exc:  # noqa: BLE001 - the app goes on over what it has; the console says why
        print(f"CẢNH BÁO: không chuyển được dữ liệu cũ sang thư mục dữ liệu: {exc}", flush=True)


def published() -> str | None:
    """``SKHCN_PARQUET``: a Parquet publication (``warehouse.publish``, local folder or
    ``s3://…``) this app reads instead of the DuckDB file: a read-only replica, which never
    builds (the writer instance builds and publishes)."""
    return os.environ.get("SKHCN_PARQUET") or None


def _show_failure(failure: dict | None, db: Path) -> None:
    """The last failed automatic build, shown to editors once per session (viewers keep
    reading the last good warehouse and are not bothered); with no warehouse at all the
    page stops with a message fit for everyone."""
    from ui import auth

    if failure and auth.can("editor") and st.session_state.get("_build_failure_seen") != failure.get("at"):
        st.session_state["_build_failure_seen"] = failure.get("at")
        st.error(
            f"Không xây dựng lại được kho dữ liệu ({failure.get('at')}): {failure.get('error')}. "
            "Trang vẫn dùng kho dữ liệu cũ; sửa hoặc gỡ văn bản lỗi trong thư mục văn bản rồi xây dựng lại."
        )
    if not db.exists():
        st.info("Kho dữ liệu chưa sẵn sàng. Vui lòng quay lại sau.")
        st.stop()


def ensure_warehouse() -> None:
    """Build the warehouse on first start, and rebuild it when ``data/raw`` changed, with a
    progress bar, under the writers' lock (``warehouse.lock``). If another writer holds the
    lock, or a build fails, the last good warehouse keeps being served; a failure is
    remembered, so the same folder is not rebuilt on every page view (``auto_build_state``),
    and shown once to editors. A fault of the disk (full, read-only: ``store.StorageError``,
    "Hết dung lượng đĩa khi ghi kho dữ liệu: kho cũ vẫn được dùng.") or any other unexpected
    error of the build is shown to everyone as a message, never a traceback, and the page
    goes on over the old warehouse (retried after ``freshness.RETRY_STORAGE_S``)."""
    if published():
        return
    migrate_once()
    raw, db = paths()
    state = freshness.auto_build_state(raw, db)
    if state == "fresh":
        return
    if state == "failed":
        _show_failure(freshness.last_failure(db), db)
        return
    from warehouse import audit, store
    try:
        with st.status("Đang xây dựng kho dữ liệu từ các văn bản…", expanded=True) as status:
            bar = st.progress(0.0, text="Bắt đầu")
            try:
                report = store.build(raw, db, progress=lambda f, m: bar.progress(min(f, 1.0), text=m),
                                     actor=audit.Actor(audit.SYSTEM), wait=0, remember_failure=True, action="build")
            except store.LockBusy:
                status.update(label="Một lệnh khác đang cập nhật kho dữ liệu; trang dùng kho hiện có",
                              state="complete", expanded=False)
                raise
            except store.StorageError as exc:  # disk full, read-only: said to everyone, the old warehouse serves
                status.update(label=str(exc), state="error", expanded=False)
                raise
            except store.DocumentError:
                status.update(label="Kho dữ liệu chưa được cập nhật", state="error", expanded=False)
                raise
            except Exception as exc:  # noqa: BLE001 - any other fault: a message, never a traceback page
                import traceback

                traceback.print_exc()  # the server log keeps the details
                error = store.StorageError(db.parent, "Lỗi hệ thống khi xây dựng kho dữ liệu (xem nhật ký máy chủ)", repr(exc))
                store.remember_build_failure(db, raw, error)
                status.update(label=str(error), state="error", expanded=False)
                raise error from exc
            status.update(
                label=f"Đã xây dựng kho: {len(report.documents)} văn bản, {report.budget_lines} dòng ngân sách"
                + (f"; {len(report.excluded)} văn bản trùng không được tính (xem Kho dữ liệu)" if report.excluded else ""),
                state="error" if report.excluded else "complete",
                expanded=False,
            )
    except store.LockBusy:
        if not db.exists():
            st.info("Một lệnh khác đang xây dựng kho dữ liệu. Vui lòng tải lại trang sau ít phút.")
            st.stop()
    except store.StorageError as exc:
        if not db.exists():
            st.error(str(exc))
            st.stop()
        st.warning(str(exc))
        _show_failure(None, db)
    except store.DocumentError:
        _show_failure(store.last_failure(db), db)


@st.cache_resource
def _warehouse(source: str) -> Warehouse:
    return open_warehouse(source) if published() == source else Warehouse(Path(source))


# Reads that depend on more than the warehouse (entries typed by editors, the task status
# journal) or are raw SQL: never cached.
UNCACHED = frozenset({"targets", "tasks", "df", "rows", "scalar", "cursor", "identity"})


@st.cache_data(max_entries=1024, ttl=6 * 3600, show_spinner=False)
def _read(db: str, identity: tuple, method: str, args: tuple, kwargs: tuple):
    """``Warehouse.<method>(*args, **kwargs)`` of the warehouse whose file identity is
    ``identity``: a new build or ingest (a new file) is a new key, so nothing stale is read."""
    return getattr(_warehouse(db), method)(*args, **dict(kwargs))


class CachedWarehouse:
    """The warehouse as pages read it: every query of ``Warehouse`` (but ``UNCACHED``) goes
    through ``st.cache_data``, keyed on the warehouse identity (file inode, mtime, size, or
    the published Parquet folder's build id) and the arguments (filters are frozen
    dataclasses), and shared by every session; a result is a copy, so a page may change it.
    Other attributes are the ``Warehouse``'s own."""

    def __init__(self, wh: Warehouse):
        self._wh = wh

    def __getattr__(self, name: str):
        attr = getattr(self._wh, name)
        if name.startswith("_") or name in UNCACHED or not callable(attr):
            return attr

        def read(*args, **kwargs):
            return _read(str(self._wh.path), self._wh.identity(), name, args, tuple(sorted(kwargs.items())))

        read.__doc__ = attr.__doc__
        return read


def warehouse() -> CachedWarehouse:
    """The shared read-only warehouse (one connection, a cursor per query), its query
    results cached across reruns and sessions (``CachedWarehouse``)."""
    return CachedWarehouse(_warehouse(published() or str(paths()[1])))


def _remembered(key: str):
    """The last value chosen for filter ``key`` in this session (kept across pages)."""
    return st.session_state.get(f"keep_{key}")


def _remember(key: str, value, asked: bool = False) -> None:
    """Keep ``value`` for the next pages; ``asked``: the reader chose it (URL, a pick that
    is not the page's default), so a page that lacks it says so (``url_select``)."""
    st.session_state[f"keep_{key}"] = value
    st.session_state[f"keep_asked_{key}"] = asked


def _parsed(key: str, parse: Callable[[str], Any]) -> Any:
    wanted = st.query_params.get(key)
    if wanted is None:
        return None
    try:
        return parse(wanted)
    except ValueError:
        return wanted  # unreadable ("year=abc"): still a request the page cannot honour


def url_select(
    label: str,
    options: Sequence[Any],
    key: str,
    default: Any = None,
    format_func: Callable[[Any], str] = str,
    parse: Callable[[str], Any] = str,
    container: Any = st,
    missing: Callable[..., None] | None = None,
) -> Any:
    """A selectbox whose value is read from and written to the query parameter ``key``.

    Precedence: the widget's own state, then the URL, then the value chosen earlier in the
    session (on another page), then ``default``, then the first option.

    Never a silent fallback: a value asked for — in the URL, or chosen by the reader before
    — that is not among ``options`` (this page has no data for it) is replaced by the next
    value of the precedence, and ``missing(label, wanted, shown, options, format_func, how)``
    is called (default ``ui.filters.say_missing``: "… không có dữ liệu cho trang này", the
    values that exist); ``how`` is "url", or "earlier" (a choice made on an earlier page, or
    on this page before another selector took its data away). A page's own default is no
    request. The request is kept (the URL and the session keep the value asked for, not the
    replacement) until the reader picks another value, so the next page that has it shows
    it, and the notice stays on every rerun of a page that lacks it.
    """
    options = list(options)
    if not options:
        return None
    widget_key = f"w_{key}"
    asked_key = f"asked_{key}"
    widget = st.session_state.get(widget_key)
    asked = st.session_state.get(asked_key)
    # a request replaced earlier stands until the reader picks another value
    standing = asked is not None and (widget not in options or widget == asked["shown"])
    fallback = default if default in options else options[0]
    wanted = None
    if widget in options and not standing:
        value, chosen_by_reader = widget, widget != fallback or bool(st.session_state.get(f"keep_asked_{key}"))
    else:
        requests = []
        if standing:
            requests.append((asked["wanted"], asked["how"]))
        url = _parsed(key, parse)
        if url is not None:
            requests.append((url, "earlier" if url == widget else "url"))  # the page's own last value
        kept = _remembered(key)
        if kept is not None and st.session_state.get(f"keep_asked_{key}"):
            requests.append((kept, "earlier"))
        pool = [r for r, _ in requests] + ([kept] if kept is not None else [])
        value = next((r for r in pool if r in options), fallback)
        chosen_by_reader = bool(requests) and requests[0][0] == value
        if requests and requests[0][0] not in options:
            wanted = requests[0]
    # (re)assign before the widget exists: state left by the same key on another page is
    # otherwise dropped by Streamlit
    st.session_state[widget_key] = value
    chosen = container.selectbox(label, options, key=widget_key, format_func=format_func)
    if wanted is not None and chosen == value:
        st.session_state[asked_key] = {"wanted": wanted[0], "how": wanted[1], "shown": value}
        st.query_params[key] = str(wanted[0])  # the link still asks for what was asked
        if missing is None:
            from .filters import say_missing as missing
        missing(label, wanted[0], value, options, format_func, wanted[1])
        return chosen
    st.session_state.pop(asked_key, None)
    st.query_params[key] = str(chosen)
    _remember(key, chosen, chosen_by_reader)
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
    means "all" (or what ``placeholder`` says it means). Values asked for (URL, or chosen
    on an earlier page) that are not among ``options`` are named by
    ``ui.filters.say_dropped`` when the page opens, never dropped silently."""
    options = list(options)
    widget_key = f"w_{key}"
    if widget_key not in st.session_state:
        wanted = st.query_params.get(key)
        if wanted is not None:
            asked, how = [v for v in wanted.split("|") if v], "url"
        else:
            asked, how = list(_remembered(key) or []), "earlier"
            if not st.session_state.get(f"keep_asked_{key}"):
                asked = [v for v in asked if v in options]
        chosen = [v for v in asked if v in options]
        dropped = [v for v in asked if v not in options]
        if dropped:  # never dropped silently: the page names what it lacks
            from .filters import say_dropped

            say_dropped(label, dropped, chosen, options, format_func, how)
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
    _remember(key, list(chosen), bool(chosen))
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
    _remember(key, value, value != default)
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
    """(may this session write, the writer's name): editors and admins of ``ui.auth``."""
    from ui import auth

    return auth.can("editor"), auth.current_user().name

