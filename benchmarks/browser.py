"""What a person waits for in the browser: time from a click (or a new session's page load) to
a still page, measured in Debian's chromium, with the server's and the browser's CPU time per
interaction (issue 17).

    .venv/bin/python -m benchmarks.browser [--repeat 5] [--db PATH] [--post-script-gc on|off]
                                           [--rss-reruns 50] [--json FILE]

The app is started exactly as in the browser tests (``tests/e2e/server.py``: a fresh server on
a copy of the demo data plus the public forms of ``tests/versions_data.py``; ``--db`` serves a
copy of another warehouse instead, e.g. the million-line one of ``benchmarks.run``).

"Still" means: Streamlit's running indicator ``[data-testid="stStatusWidget"]`` is not shown,
the script state is ``notRunning`` with nothing stale (``tests.e2e.server._SETTLED``), and a
MutationObserver on the whole document (installed before any page script) has seen no DOM
change for ``QUIET_MS``. The time reported runs from the pointer-down on the option (or the
start of navigation, for a new session) to the *last* DOM change before that quiet spell, both
taken with the page's own ``performance.now()``. Changes inside a ``<canvas>`` (its fallback
content, which is never painted: the table grid's accessible copy of its cells, updated ~300 ms
after the grid has drawn) are waited for but not counted as seen: the figure is the last
visible change (``ms``), and the last change of any kind is reported beside it (``ms_any``,
"incl. canvas").

Interactions (``STEPS``): a new browser session's first page (Tổng quan, a new context each
time: no cache, new websocket, new Streamlit session); the same for a returning visitor (a new
tab of a context that has opened the app: its HTTP cache holds the static files); a filter change on Ngân sách (Tỉnh),
So sánh (Phạm vi so sánh) and Xu hướng (Tỉnh) to a value **seen** before: the runs go back and
forth between the first two options, so after the warm-up both are in ``st.cache_data`` (the
common case when a leader flips between provinces); and on Ngân sách a change to a **new**
province each run (the option before the current one, walking back from the default: every query and chart of
that province is a cache miss, the first visit of the day).

Server CPU is the user+system time of the streamlit process (``/proc/<pid>/stat``) over the
interaction, browser CPU the same summed over this process's chromium descendants (processes
that exit meanwhile are not counted). The load average is printed beside the figures: on a
shared machine they mean little without it. ``--rss-reruns N`` then makes N more filter
changes on Ngân sách and reports the server's RSS before and after (a check that turning
``runner.postScriptGC`` off does not let memory grow).

Last, the framework's floor (``FLOOR_SESSION_STEP`` and ``FLOOR_STEP``, unless ``--no-floor``):
a new session (empty cache) and the same change on the smallest Streamlit page with a select
box (``benchmarks/minimal_app.py``, its own server, the same config) — what Streamlit alone
costs a first visitor and per rerun on this machine and under this load.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.server import _SETTLED, RUN_TIMEOUT, VIEWPORT, StreamlitServer, build_warehouse, launch_chromium
from tests.versions_data import make_raw

QUIET_MS = 300
MINIMAL_APP = Path(__file__).resolve().parent / "minimal_app.py"
#: The framework's floor (``benchmarks/minimal_app.py``, its own server): a select box change,
#: and a new session's first page with an empty browser cache (what any Streamlit page costs
#: a first visitor on this machine: its frontend's code, the websocket, one script run).
FLOOR_STEP = "Sàn Streamlit: đổi ô chọn"
FLOOR_SESSION_STEP = "Sàn Streamlit: phiên mới"
TICK = os.sysconf("SC_CLK_TCK")

#: (name, route, the selectbox to change — ``None`` for a new session's first page)
STEPS = [
    ("Tổng quan: phiên mới", "tong-quan", None),
    ("Tổng quan: phiên mới, đã ghé", "tong-quan", "revisit"),
    ("Ngân sách: đổi tỉnh", "ngan-sach", "Tỉnh"),
    ("Ngân sách: tỉnh mới", "ngan-sach", ("new", "Tỉnh")),
    ("So sánh: đổi phạm vi", "so-sanh", re.compile(r"^Phạm vi so sánh")),
    ("Xu hướng: đổi tỉnh", "xu-huong", "Tỉnh"),
]

#: Installed in every document before its scripts: the time of the last DOM change and of the
#: pointer-down that starts a timed interaction.
_OBSERVE = """(() => {
  window.__perf = {last: performance.now(), lastAny: performance.now(), t0: null, armed: false};
  // A canvas's child nodes are its fallback content, never painted (HTML: the canvas element);
  // Streamlit's table grid keeps an accessible copy of its cells there and updates it ~300 ms
  // after it has drawn. Such changes count for stillness but not as something a person sees.
  new MutationObserver((records) => {
    const now = performance.now();
    window.__perf.lastAny = now;
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (!(el && el.closest('canvas'))) { window.__perf.last = now; break; }
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  document.addEventListener('pointerdown', () => {
    if (window.__perf.armed && window.__perf.t0 === null) window.__perf.t0 = performance.now();
  }, true);
})();"""

_STILL = f"""() => {{
  const settled = ({_SETTLED})();
  if (!settled || !window.__perf) return false;
  const busy = document.querySelector('[data-testid="stStatusWidget"]');
  if (busy && busy.offsetParent !== null && busy.textContent.trim()) return false;
  return performance.now() - window.__perf.lastAny >= {QUIET_MS};
}}"""


# --- CPU and memory of processes -------------------------------------------------------
def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user+system CPU seconds) of ``pid``, ``None`` when it has gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def cpu_s(pid: int) -> float:
    """User+system CPU seconds used so far by ``pid`` (0 when it has gone)."""
    s = _stat(pid)
    return s[1] if s else 0.0


def chromium_cpu_s(root: int, skip: int) -> float:
    """CPU seconds of the living chromium descendants of ``root`` (not under ``skip``)."""
    parent, cpu, names = {}, {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            s = _stat(int(entry))
            if s:
                parent[int(entry)], cpu[int(entry)] = s
                try:
                    names[int(entry)] = Path(f"/proc/{entry}/comm").read_text().strip()
                except OSError:
                    names[int(entry)] = ""
    total = 0.0
    for pid in cpu:
        if "chrom" not in names[pid]:
            continue
        p, seen = pid, 0
        while p > 1 and p != root and p != skip and seen < 64:
            p, seen = parent.get(p, 0), seen + 1
        if p == root:
            total += cpu[pid]
    return total


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MB (``VmRSS``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"no VmRSS for {pid}")


# --- interactions ------------------------------------------------------------------------
def _wait_still(page) -> tuple[float, float]:
    """Wait for a still page (no DOM change of any kind for ``QUIET_MS``); ms from the
    interaction's start to the last change a person can see (outside a canvas's fallback
    content) and to the last change of any kind."""
    page.wait_for_function(_STILL, timeout=RUN_TIMEOUT, polling=50)
    t0, last, last_any = page.evaluate("() => [window.__perf.t0, window.__perf.last, window.__perf.lastAny]")
    return last - (t0 or 0.0), last_any - (t0 or 0.0)


def new_session(browser, server: StreamlitServer, route: str, context=None) -> tuple[float, float]:
    """A new Streamlit session opening ``route`` in a new tab: of a new browser context (no
    cache: a first visit), or of ``context`` (a returning visitor: the browser's HTTP cache
    holds the hashed static files, which Streamlit serves as ``immutable``); ms from the start
    of navigation (``performance.now()`` = 0) to still (``_wait_still``'s pair)."""
    own = context is None
    if own:
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(_OBSERVE)
    page = context.new_page()
    try:
        page.goto(server.url(route), wait_until="domcontentloaded", timeout=RUN_TIMEOUT)
        return _wait_still(page)
    finally:
        page.close()
        if own:
            context.close()


def change(page, label, new: bool = False) -> tuple[float, float]:
    """Choose another option in the selectbox ``label``: the first or second one, whichever is
    not chosen (back and forth between two values), or with ``new`` the option before the
    current one (walking the list backwards from the page's default, the last province in
    the list for Ngân sách: values no earlier step chose, until the list wraps); ms to still
    (``_wait_still``'s pair)."""
    box = page.get_by_role("combobox", name=label, exact=True) if isinstance(label, str) \
        else page.get_by_role("combobox", name=label)
    box.click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=RUN_TIMEOUT)
    n = options.count()
    if n < 2:
        raise RuntimeError(f"{label}: fewer than two options to switch between")
    chosen = [options.nth(i).get_attribute("aria-selected") == "true" for i in range(n)]
    current = chosen.index(True) if True in chosen else -1
    target = options.nth((current - 1) % n if new else (1 if current == 0 else 0))
    page.evaluate("() => { window.__perf.t0 = null; window.__perf.armed = true; }")
    target.click()
    page.mouse.move(2, 2)  # off the charts, whose hover labels would change the DOM
    page.wait_for_function("() => window.__perf.t0 !== null", timeout=RUN_TIMEOUT)
    page.wait_for_function(  # the rerun started (or already ended, leaving no stale element)
        "() => document.querySelector('[data-testid=\"stApp\"]').getAttribute('data-test-script-state') !== 'notRunning'"
        " || performance.now() - window.__perf.t0 > 1000", timeout=RUN_TIMEOUT, polling=10)
    took = _wait_still(page)
    page.evaluate("() => { window.__perf.armed = false; }")
    return took


def _timed(interaction, repeat: int, me: int, server_pid: int) -> dict[str, list[float]]:
    """Run ``interaction`` (returning ``_wait_still``'s pair) ``repeat`` + 1 times, the first to
    warm the caches: ms, ms of any change, and the server's and the browser's CPU ms of each
    timed run."""
    runs: dict[str, list[float]] = {"ms": [], "ms_any": [], "server_cpu_ms": [], "browser_cpu_ms": []}
    for k in range(repeat + 1):
        s0, b0 = cpu_s(server_pid), chromium_cpu_s(me, server_pid)
        took = interaction()
        s1, b1 = cpu_s(server_pid), chromium_cpu_s(me, server_pid)
        if k:
            runs["ms"].append(took[0])
            runs["ms_any"].append(took[1])
            runs["server_cpu_ms"].append((s1 - s0) * 1000)
            runs["browser_cpu_ms"].append(max(0.0, b1 - b0) * 1000)
    return runs


def _summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per step (after one warm-up)")
    ap.add_argument("--db", type=Path, help="serve a copy of this warehouse instead of the demo data")
    ap.add_argument("--post-script-gc", choices=("config", "on", "off"), default="config",
                    help="Streamlit's runner.postScriptGC: as .streamlit/config.toml says, or forced")
    ap.add_argument("--rss-reruns", type=int, default=0, help="then this many filter changes, RSS before/after")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--no-floor", dest="floor", action="store_false",
                    help="skip the framework's floor (benchmarks/minimal_app.py, a select box change)")
    args = ap.parse_args(argv)
    extra = () if args.post_script_gc == "config" else ("--runner.postScriptGC", str(args.post_script_gc == "on").lower())
    load_before = os.getloadavg()
    steps: dict[str, dict[str, list[float]]] = {}
    rss = None
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        paths = build_warehouse(base, make_raw(base / "raw_src"))
        if args.db:
            shutil.copyfile(args.db, paths["db"])
        with StreamlitServer(paths, extra_args=extra) as server, sync_playwright() as pw:
            browser = launch_chromium(pw)
            me, spid = os.getpid(), server.proc.pid
            page = None
            for name, route, label in STEPS:
                if label is not None:
                    context = browser.new_context(viewport=VIEWPORT)
                    context.add_init_script(_OBSERVE)
                    page = context.new_page()
                    page.goto(server.url(route), wait_until="domcontentloaded", timeout=RUN_TIMEOUT)
                    _wait_still(page)
                def interaction(route=route, label=label, page=page):
                    if label is None:
                        return new_session(browser, server, route)
                    if label == "revisit":  # the page above filled the context's cache
                        return new_session(browser, server, route, context=page.context)
                    return change(page, label[1], new=True) if isinstance(label, tuple) else change(page, label)

                steps[name] = _timed(interaction, args.repeat, me, spid)
                rss_here = args.rss_reruns and route == "ngan-sach" and isinstance(label, str) and label != "revisit"
                if label is not None and not rss_here:
                    page.context.close()
                if rss_here:
                    before = rss_mb(spid)
                    for _ in range(args.rss_reruns):
                        change(page, label)
                    rss = {"reruns": args.rss_reruns, "before_mb": before, "after_mb": rss_mb(spid)}
                    page.context.close()
            if args.floor:
                with StreamlitServer(paths, extra_args=extra, app=MINIMAL_APP) as floor_server:
                    fpid = floor_server.proc.pid
                    context = browser.new_context(viewport=VIEWPORT)
                    context.add_init_script(_OBSERVE)
                    page = context.new_page()
                    page.goto(floor_server.url(), wait_until="domcontentloaded", timeout=RUN_TIMEOUT)
                    _wait_still(page)
                    steps[FLOOR_STEP] = _timed(lambda: change(page, "Tỉnh"), args.repeat, me, fpid)
                    context.close()
                    steps[FLOOR_SESSION_STEP] = _timed(lambda: new_session(browser, floor_server, ""), args.repeat, me, fpid)
            browser.close()
    load_after = os.getloadavg()
    results = {"post_script_gc": args.post_script_gc, "db": str(args.db) if args.db else "demo",
               "repeat": args.repeat, "load_before": load_before, "load_after": load_after, "cores": os.cpu_count(),
               "steps": {n: {k: _summary(v) | {"runs": v} for k, v in r.items()} for n, r in steps.items()},
               "rss": rss}
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return results


def report(r: dict) -> str:
    """The figures as a text table (medians, min–max; ms)."""
    lb, la = r["load_before"], r["load_after"]
    lines = [f"warehouse {r['db']}; runner.postScriptGC {r['post_script_gc']}; {r['repeat']} runs per step; "
             f"load average before {lb[0]:.2f} {lb[1]:.2f} {lb[2]:.2f}, after {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}; "
             f"cores {r['cores']}",
             f"{'step (click → still)':30} {'median ms':>10} {'min–max ms':>13} {'incl. canvas ms':>16} {'server CPU ms':>14} "
             f"{'browser CPU ms':>15}"]
    for name, s in r["steps"].items():
        t, ta, sc, bc = s["ms"], s["ms_any"], s["server_cpu_ms"], s["browser_cpu_ms"]
        lines.append(f"{name:30} {t['median']:10.0f} {t['min']:6.0f}–{t['max']:<6.0f} {ta['median']:16.0f} "
                     f"{sc['median']:14.0f} {bc['median']:15.0f}")
    if r["rss"]:
        x = r["rss"]
        lines.append(f"server RSS over {x['reruns']} more filter changes: {x['before_mb']:.0f} MB → {x['after_mb']:.0f} MB")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
