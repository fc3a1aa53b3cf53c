"""What a person waits for in the browser: time from a click (or a page load) to a still page,
measured in Debian's chromium on the demo data plus the public forms of
``tests/versions_data.py`` (execution by quarter, budget versions).

    .venv/bin/python -m benchmarks.browser [--repeat 5] [--json FILE]

The app is started exactly as in the browser tests (``tests/e2e/server.py``). A page load is
timed from ``goto`` to the first moment the app is settled (script not running, connected,
nothing stale: ``tests.e2e.server._SETTLED``); an interaction from the click to the same
state after the rerun it started. Prints median and worst per step, with the load average
of the machine before and after (figures mean little on a loaded machine).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.server import _SETTLED, _WATCH, RUN_TIMEOUT, StreamlitServer, build_warehouse, launch_chromium
from tests.versions_data import make_raw

#: (name, route, query, the box to change, its option): interactions a leader makes before a meeting.
STEPS = [
    ("Tổng quan: mở trang", "tong-quan", "", None, None),
    ("Ngân sách: mở trang", "ngan-sach", "province=Điện+Biên&year=2024", None, None),
    ("Ngân sách: đổi tỉnh", "ngan-sach", "province=Điện+Biên&year=2024", "Tỉnh", "Nghệ An"),
    ("Thực hiện: mở trang", "thuc-hien", "province=Lai+Châu", None, None),
    ("Thực hiện: đổi khoản", "thuc-hien", "province=Lai+Châu", "Khoản", "Thu phí, lệ phí"),
    ("Điều chỉnh: mở trang", "dieu-chinh", "province=Nghệ+An&year=2025", None, None),
    ("Xu hướng: mở trang", "xu-huong", "", None, None),
]


def _settled_after(page, start: float) -> float:
    page.wait_for_function(_SETTLED, timeout=RUN_TIMEOUT)
    return (time.perf_counter() - start) * 1000


def _load(page, server: StreamlitServer, route: str, query: str) -> float:
    start = time.perf_counter()
    page.goto(server.url(route, query), wait_until="domcontentloaded", timeout=RUN_TIMEOUT)
    return _settled_after(page, start)


def _change(page, label: str, option: str) -> float:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    opt = page.get_by_role("option", name=option, exact=True)
    page.evaluate(_WATCH)
    start = time.perf_counter()
    opt.click()
    page.wait_for_function("() => window.__e2eRunSeen === true", timeout=RUN_TIMEOUT)
    return _settled_after(page, start)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per step (after one warm-up)")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    args = ap.parse_args(argv)
    before = os.getloadavg()
    figures: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        paths = build_warehouse(base, make_raw(base / "raw_src"))
        with StreamlitServer(paths) as server, sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            for name, route, query, label, option in STEPS:
                runs = []
                for k in range(args.repeat + 1):
                    took = _load(page, server, route, query)
                    if label is not None:
                        took = _change(page, label, option)
                    if k:  # the first run warms the caches
                        runs.append(took)
                figures[name] = runs
            browser.close()
    after = os.getloadavg()
    print(f"load average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
          f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}; cores {os.cpu_count()}")
    print(f"{'step':32} {'median ms':>10} {'worst ms':>10}")
    for name, runs in figures.items():
        print(f"{name:32} {statistics.median(runs):10.0f} {max(runs):10.0f}")
    if args.json:
        args.json.write_text(json.dumps({"load_before": before, "load_after": after, "ms": figures},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
