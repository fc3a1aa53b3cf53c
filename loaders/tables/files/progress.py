"""Progress of a long reading, for whoever waits for it (issue 18, item 9).

The readers say how far they are — ``report("Đọc trang", 3, 9)`` after the third page of a
nine-page PDF — and whoever called them decides what to do with it: nothing by default; the
child process of ``warehouse.isolate`` sends it to its parent, and the upload page shows it as
a progress bar. Loaders know nothing of Streamlit: a report is a step name (Vietnamese, as
shown), a count done and a total (``total`` 0 when unknown).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Reporter = Callable[[str, int, int], None]

_reporter: ContextVar[Reporter | None] = ContextVar("skhcn_progress", default=None)


def report(step: str, done: int, total: int = 0) -> None:
    """Say that ``done`` of ``total`` parts of ``step`` are finished (nothing happens when
    nobody listens). A listener's failure never stops the reading."""
    listener = _reporter.get()
    if listener is not None:
        try:
            listener(step, done, total)
        except Exception:  # noqa: BLE001 - progress is a courtesy, never a reason to fail
            pass


@contextmanager
def reporting(listener: Reporter | None) -> Iterator[None]:
    """Within the block, :func:`report` calls ``listener(step, done, total)``."""
    token = _reporter.set(listener)
    try:
        yield
    finally:
        _reporter.reset(token)
