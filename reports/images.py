"""Plotly figures as PNG pictures for the meeting report: Plotly's static export with kaleido
(v1, which drives a Chrome-family browser through choreographer), pointed at the system's
chromium — never a browser downloaded by ``kaleido.get_chrome()``.

``BROWSER_PATH`` (choreographer's variable) is set to ``/usr/bin/chromium`` (or
``$SKHCN_CHROMIUM``) when that file exists and the variable is not set already. One browser
is kept running for the process (``kaleido.start_sync_server``) once a picture has been
asked for, so the second report of a session does not wait for a browser to start again.

A figure that cannot be exported (no browser, kaleido missing, a timeout) gives ``None`` and
a logged warning naming the reason; the report then prints a stated note in place of the
picture (``MISSING_NOTE``), never crashes.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
import warnings
from pathlib import Path

log = logging.getLogger(__name__)

SYSTEM_CHROMIUM = Path(os.environ.get("SKHCN_CHROMIUM", "/usr/bin/chromium"))
MISSING_NOTE = "(Không xuất được biểu đồ thành ảnh: {reason}. Số liệu của biểu đồ có trong bảng trên.)"
_lock = threading.Lock()
_server = {"started": False, "failed": None}


def _browser() -> str | None:
    """The browser kaleido will drive: ``$BROWSER_PATH``, else the system chromium; ``None``
    when neither exists."""
    if os.environ.get("BROWSER_PATH") and Path(os.environ["BROWSER_PATH"]).exists():
        return os.environ["BROWSER_PATH"]
    if SYSTEM_CHROMIUM.exists():
        os.environ["BROWSER_PATH"] = str(SYSTEM_CHROMIUM)
        return str(SYSTEM_CHROMIUM)
    return None


def _start() -> None:
    """Start kaleido's persistent browser once per process (under ``_lock``)."""
    import kaleido

    if not _server["started"]:
        kaleido.start_sync_server(silence_warnings=True)
        _server["started"] = True
        atexit.register(_stop)


def _stop() -> None:
    try:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
    except Exception:  # noqa: BLE001 - the process is ending
        pass


def to_png(fig, width: int = 900, height: int | None = None, scale: float = 2.0) -> tuple[bytes | None, str | None]:
    """``(png bytes, None)`` for a Plotly figure, or ``(None, reason)`` when it cannot be
    exported (the reason in Vietnamese, also logged as a warning). ``width``/``height`` in
    CSS pixels (height: the figure's own, else 400); ``scale`` multiplies the resolution."""
    if _browser() is None:
        reason = f"không tìm thấy trình duyệt {SYSTEM_CHROMIUM}"
        log.warning("chart export skipped: %s", reason)
        return None, reason
    try:
        import plotly.io as pio

        with _lock, warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "kopts ignored if using a server": expected
            _start()
            png = pio.to_image(fig, format="png", width=width, height=height or fig.layout.height or 400, scale=scale)
        return png, None
    except Exception as exc:  # noqa: BLE001 - any export failure leaves a note, never a crash
        reason = f"lỗi xuất ảnh ({type(exc).__name__})"
        log.warning("chart export failed: %s: %s", type(exc).__name__, exc)
        return None, reason
