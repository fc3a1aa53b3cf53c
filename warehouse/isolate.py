"""Parse one document in a child process bounded in memory, CPU time and wall-clock time
(issue 19, item 4).

A hostile or pathological file (a PDF page stream inflating to 600 MB, a workbook with a
191 MB shared-strings part) must not hold a server core, its memory or the warehouse's write
lock for minutes. Every reading of ``warehouse.store`` (``preview``, ``ingest``, each file
of a ``build``) and the upload page's first look at a file therefore runs ``func(*args)``
through :func:`run` / :func:`start`:

* in a child process of a ``forkserver`` context (``spawn`` where there is none): it starts
  from a single-threaded server process that has the parsers imported (fast, and safe from
  the app server's threads), never from a fork of the server itself, and without importing
  the program's main module (:func:`_without_main`);
* with ``resource.setrlimit``: ``RLIMIT_AS`` (``memory_mb``) and ``RLIMIT_CPU``
  (``cpu_s``; the kernel stops the child even when nobody waits for it any more);
* killed by the parent after ``wall_s`` seconds;
* with the parent's ``SKHCN_*`` environment and reading context (forced layouts, plan
  recording, profile folder: ``loaders.tables.layouts.reading_context``), so it reads as the
  parent would; the plans it records are recorded in the parent too.

The child reports how far the reading is (``loaders.tables.files.progress``: each page of a
PDF, each sheet of a workbook, each step of the parse) to the parent, which passes it to the
``on_progress`` of :func:`run` / :func:`start` (the upload page's progress bar). Readings of
office files are kept for the next child (``loaders.tables.files.cache``, in the folder
:func:`extracted_cache` of the instance's private folder), so a file read to find its family
is not laid out again for its preview. :func:`warm` starts the children's server ahead of
the first reading (the upload page calls it when an editor opens it).

The limits are ``loaders.tables.files.limits.current()`` (one place, environment overrides).
A refusal is a ``DocumentError`` naming the file and the limit, in Vietnamese; an error the
reading raises in the child (``DocumentError`` with its line, or a parser's own exception) is
raised again in the parent as it was.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from loaders.documents import DocumentError
from loaders.tables.files import limits as parse_limits
from loaders.tables.files.limits import ParseLimits

# Imported once by the fork server, so each child starts with the parsers loaded.
PRELOAD = ["loaders.documents", "loaders.sniff", "loaders.tables.files.pdf", "loaders.tables.files.xlsx",
           "loaders.tables.files.xls", "loaders.tables.files.docx", "warehouse.store", "warehouse.isolate",
           "loaders.preload"]  # last: the vocabularies read once for every child (loaders/preload.py)
ENV_PREFIX = "SKHCN_"
NAME_PREFIX = "skhcn-parse:"  # the name of every child process of this module


def _without_main(get_preparation_data):
    """``multiprocessing.spawn.get_preparation_data`` for the children of this module without
    the program's main module: a child started by ``forkserver``/``spawn`` would otherwise
    run the main script again (Streamlit runs each page as ``__main__``, and a page script
    must not run in a parsing child); other processes are left as multiprocessing makes them."""
    def preparation_data(name: str) -> dict:
        data = get_preparation_data(name)
        if str(name).startswith(NAME_PREFIX):
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    preparation_data.wrapped = get_preparation_data
    return preparation_data


_context = None


def _mp_context():
    """The multiprocessing context of the children: ``forkserver`` with :data:`PRELOAD`
    (Linux, macOS), else ``spawn``."""
    global _context
    if _context is None:
        from multiprocessing import spawn

        if not hasattr(spawn.get_preparation_data, "wrapped"):
            spawn.get_preparation_data = _without_main(spawn.get_preparation_data)
        if "forkserver" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
        else:
            ctx = multiprocessing.get_context("spawn")
        _context = ctx
    return _context


def _apply_limits(bounds: ParseLimits) -> None:
    """In the child: cap its address space and CPU time (hard CPU limit 5 s above the soft
    one, where SIGXCPU stops it)."""
    import resource

    def capped(kind: int, soft: int, hard: int) -> None:
        _, old_hard = resource.getrlimit(kind)
        if old_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, old_hard), min(hard, old_hard)
        resource.setrlimit(kind, (soft, hard))

    memory = bounds.memory_mb * parse_limits.MB
    capped(resource.RLIMIT_AS, memory, memory)
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime) + bounds.cpu_s
    capped(resource.RLIMIT_CPU, cpu, cpu + 5)


def _apply_env(env: dict[str, str]) -> None:
    """In the child: the parent's ``SKHCN_*`` variables (the fork server kept those of its
    own start)."""
    for key in [k for k in os.environ if k.startswith(ENV_PREFIX) and k not in env]:
        del os.environ[key]
    os.environ.update(env)


def _portable(exc: BaseException, file_name: str) -> BaseException:
    """``exc`` if it survives pickling, else a ``DocumentError`` with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any exception that cannot cross the pipe
        return DocumentError(file_name, f"lỗi khi đọc ({type(exc).__name__}: {exc})")


#: The child's cyclic garbage collector: a collection of the youngest generation after this
#: many new container objects (Python's default is 700). A parse allocates millions of small
#: objects that live until the result is sent, most in no cycle; with the default every
#: collection walks them again (half of a large document's parsing time, issue 17, item 4).
GC_THRESHOLD = (50_000, 20, 100)


def _quiet_gc() -> None:
    """In the child: move everything inherited from the fork server (the imported parsers,
    vocabularies) to the permanent generation (``gc.freeze``: never garbage, never walked
    again) and collect less often (:data:`GC_THRESHOLD`). Changes when memory held by
    reference cycles is given back, never what is read."""
    import gc

    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def _child(conn, func: Callable, args: tuple, bounds: ParseLimits, env: dict, context: tuple, file_name: str,
           report: bool = False) -> None:
    """The child's body: limits, environment, reading context, ``func(*args)``; sends
    ``("progress", step, done, total)`` as the reading goes (only when ``report``: a parent
    that does not listen, e.g. a build waiting for another document, must not fill the pipe),
    then ``("ok", value, recorded plans)``, ``("memory",)`` or ``("error", exception)``."""
    from loaders.tables import layouts
    from loaders.tables.files import progress

    from .files import fault_point

    def tell(step: str, done: int, total: int) -> None:
        conn.send(("progress", step, done, total))

    try:
        _quiet_gc()
        _apply_env(env)
        _apply_limits(bounds)
        fault_point("parse")  # test hook: a reading that hangs
        with layouts.in_context(context) as seen, progress.reporting(tell if report else None):
            value = func(*args)
        reply: tuple = ("ok", value, seen or [])
    except MemoryError:
        reply = ("memory",)
    except BaseException as exc:  # noqa: BLE001 - sent to the parent, raised there
        reply = ("error", _portable(exc, file_name))
    try:
        conn.send(reply)
    except MemoryError:
        conn.send(("memory",))
    except Exception as exc:  # noqa: BLE001 - a value that cannot be pickled
        conn.send(("error", DocumentError(file_name, f"không gửi được kết quả đọc ({type(exc).__name__}: {exc})")))
    finally:
        conn.close()


class Job:
    """One reading running in a child process (:func:`start`); :meth:`result` waits for it."""

    def __init__(self, func: Callable, args: tuple, file_name: str, bounds: ParseLimits | None = None,
                 on_progress: Callable[[str, int, int], None] | None = None):
        from loaders.tables import layouts
        from loaders.tables.files import cache

        self.file_name = file_name
        self.bounds = bounds or parse_limits.current()
        self.on_progress = on_progress
        env = {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIX)}
        env.setdefault(cache.ENV, str(extracted_cache()))
        ctx = _mp_context()
        self._conn, child_end = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=_child, args=(child_end, func, args, self.bounds, env, layouts.reading_context(), file_name,
                                 on_progress is not None),
            daemon=True, name=f"{NAME_PREFIX}{file_name}")
        self.started = time.monotonic()
        self.process.start()
        child_end.close()

    def _refused(self, message: str) -> DocumentError:
        return DocumentError(self.file_name, message)

    def _wait(self) -> tuple | None:
        deadline = self.started + self.bounds.wall_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._refused(f"đọc quá {self.bounds.wall_s} giây (giới hạn) — đã dừng")
            if self._conn.poll(min(left, 0.5)):
                try:
                    reply = self._conn.recv()
                except EOFError:  # the child died without a word
                    return None
                if reply[0] != "progress":
                    return reply
                if self.on_progress is not None:
                    self.on_progress(*reply[1:])

    def stop(self) -> None:
        """Kill the child if it still runs and release its resources (idempotent)."""
        if self.process is None:
            return
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self._conn.close()
        self.process.close()
        self.process = None

    def result(self) -> Any:
        """``func(*args)``'s value. Raises what it raised, or ``DocumentError`` naming the file
        and the limit when the child went over one (killed after ``wall_s``; out of memory;
        out of CPU time) or died otherwise. The child is gone when this returns or raises."""
        code = None
        try:
            reply = self._wait()
            if reply is None:
                self.process.join(5)
                code = self.process.exitcode
        finally:
            self.stop()
        if reply is None:
            if code == -signal.SIGXCPU:
                raise self._refused(f"dùng quá {self.bounds.cpu_s} giây CPU (giới hạn) — đã dừng")
            if code == -signal.SIGKILL:
                raise self._refused(f"bị dừng: quá giới hạn {self.bounds.cpu_s} giây CPU hoặc {self.bounds.memory_mb} MB bộ nhớ")
            raise self._refused(f"tiến trình đọc tệp dừng bất thường (mã {code}) — không đọc được")
        if reply[0] == "memory":
            raise self._refused(f"cần quá {self.bounds.memory_mb} MB bộ nhớ (giới hạn) — đã dừng")
        if reply[0] == "error":
            raise reply[1]
        _, value, seen = reply
        if seen:
            from loaders.tables import layouts

            for table, plan in seen:
                layouts.record(table, plan)
        return value


def start(func: Callable, args: tuple, file_name: str, bounds: ParseLimits | None = None,
          on_progress: Callable[[str, int, int], None] | None = None) -> Job:
    """Start ``func(*args)`` (a module-level function; arguments and value picklable) in a
    limited child process; ``file_name`` names the document in refusals. ``bounds``: the
    limits (default ``limits.current()``, read now). ``on_progress(step, done, total)`` is
    called in the waiting thread with each report of the reading (``loaders.tables.files.progress``)."""
    return Job(func, args, file_name, bounds, on_progress)


def run(func: Callable, args: tuple, file_name: str, bounds: ParseLimits | None = None,
        on_progress: Callable[[str, int, int], None] | None = None) -> Any:
    """``start(func, args, file_name, bounds, on_progress).result()``: see :meth:`Job.result`
    for what it raises."""
    return start(func, args, file_name, bounds, on_progress).result()


def extracted_cache() -> Path:
    """Where the children keep the office files they read (``loaders.tables.files.cache``):
    ``extracted/`` in this instance's private folder (``warehouse.scratch``, 0700, removed at exit)."""
    from . import scratch

    return scratch.instance_dir() / "extracted"


_warming: threading.Thread | None = None


def warm() -> None:
    """Start the server of the children (``forkserver`` with the parsers imported, a few
    seconds on a busy machine) in a background thread, once, so that the first reading does
    not wait for it; nothing for the ``spawn`` context."""
    global _warming
    if _warming is not None:
        return
    ctx = _mp_context()
    if ctx.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    _warming = threading.Thread(target=forkserver.ensure_running, name="skhcn-forkserver-warm", daemon=True)
    _warming.start()
