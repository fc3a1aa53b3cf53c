"""Bounded localhost load test: many real Streamlit sessions change filters while documents
are imported, and every total they are shown must be the value before or after the imports.

    .venv/bin/python scripts/load_test.py                        # 20 sessions, 60 s, 3 imports
    .venv/bin/python scripts/load_test.py --sessions 4 --duration 15 --imports 1 --json out.json

How: the app is started exactly as in the browser tests (``tests/e2e/server.py``: a copy of
``data/raw`` and its warehouse in a temporary folder, a free port on 127.0.0.1). Each session
speaks Streamlit's own websocket protocol (``/_stcore/stream``, the protobuf ``BackMsg`` /
``ForwardMsg`` of the installed Streamlit, as the browser does), so every session is a real
server session running the real page script; no browser is needed, which keeps 20+ sessions
within two cores. A session opens Tổng quan and then, until the end, picks another province in
the "Tỉnh" box (a widget change, as a click would send) and waits for the run to finish,
recording the response time, any exception or error shown, and the "Tổng chi" metric with the
province, year and stage the page shows.

Meanwhile ``--imports`` synthetic budget appendices (the layout of ``data/raw/000_…``, made by
``scripts/benchmark.py``) are ingested with ``python -m warehouse ingest``, one per province:
the first into Điện Biên 2024 (``--allow-overlap``, so a total people are looking at changes),
the others into provinces that had no data. Before and after the load, one session visits
every province to record each total "before" and "after"; a total seen during the load that
is neither is an error. Errors must be 0; the report gives the counts, the totals seen and the
response-time percentiles. Traffic goes to 127.0.0.1 only, bounded by ``--duration``.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

RUN_TIMEOUT = 120.0  # seconds for one script run under load
NEW_PROVINCES = ["Lai Châu", "Hà Giang", "Cao Bằng", "Bắc Kạn", "Lào Cai", "Yên Bái", "Tuyên Quang", "Hòa Bình"]
WATCHED = "Tổng chi"  # the headline of a budget-line scope; other scopes: the first metric


@dataclass
class View:
    """What one run of the page showed."""

    seconds: float
    scope: tuple[str, str, str] | None  # province, year, stage as shown
    total: str | None
    errors: list[str]
    provinces: list[str]
    province_id: str | None


@dataclass
class Results:
    views: list[View] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    imports: list[dict] = field(default_factory=list)


class Session:
    """One Streamlit session over the websocket protocol."""

    def __init__(self, port: int):
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.ws = None

    async def __aenter__(self):
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None, open_timeout=60)
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def run(self, query: str, widgets: dict[str, str] | None = None) -> View:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        for wid, value in (widgets or {}).items():
            w = msg.rerun_script.widget_states.widgets.add()
            w.id = wid
            w.string_value = value
        t0 = time.monotonic()
        await self.ws.send(msg.SerializeToString())
        boxes: dict[str, tuple[str, list[str], str]] = {}
        metrics: dict[str, str] = {}
        errors: list[str] = []
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=RUN_TIMEOUT)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                et = el.WhichOneof("type")
                if et == "selectbox":
                    boxes[el.selectbox.label] = (el.selectbox.id, list(el.selectbox.options), el.selectbox.raw_value)
                elif et == "metric":
                    metrics[el.metric.label] = el.metric.body
                elif et == "exception":
                    errors.append(f"exception: {el.exception.type} {el.exception.message[:200]}")
                elif et == "alert" and el.alert.format == 1:  # ERROR
                    errors.append(f"error shown: {el.alert.body[:200]}")
            elif kind == "page_not_found":
                errors.append("page not found")
            elif kind == "script_finished":
                if fwd.script_finished == 1:  # FINISHED_WITH_COMPILE_ERROR (0, 2, 3: finished, rerun, fragment)
                    errors.append(f"script finished with status {fwd.script_finished}")
                break
        seconds = time.monotonic() - t0
        prov = boxes.get("Tỉnh")
        year = next((v for k, v in boxes.items() if k.startswith("Năm")), None)
        stage = next((v for k, v in boxes.items() if k.startswith("Giai đoạn")), ("", [], ""))
        scope = (prov[2], year[2], stage[2]) if prov and year else None
        headline = metrics.get(WATCHED) or next(iter(metrics.values()), None)
        return View(seconds, scope, headline, errors, prov[1] if prov else [], prov[0] if prov else None)


async def _survey(port: int) -> dict[tuple, str]:
    """Each province's total on Tổng quan (its default year and stage), one session."""
    out: dict[tuple, str] = {}
    async with Session(port) as s:
        first = await s.run("")
        for province in first.provinces:
            v = await s.run(f"province={province}", {first.province_id: province})
            if v.scope and v.total:
                out[v.scope] = v.total
    return out


async def _user(port: int, deadline: float, rng: random.Random, results: Results) -> None:
    try:
        async with Session(port) as s:
            view = await s.run("")
            results.views.append(view)
            while time.monotonic() < deadline:
                if not view.provinces or not view.province_id:
                    results.errors.append("no province box on the page")
                    return
                province = rng.choice(view.provinces)
                view = await s.run(f"province={province}", {view.province_id: province})
                results.views.append(view)
                results.errors.extend(view.errors)
                await asyncio.sleep(rng.uniform(0.2, 1.0))  # a person reads before the next click
    except (OSError, asyncio.TimeoutError, websockets.WebSocketException) as exc:
        results.errors.append(f"session: {type(exc).__name__}: {exc}")


def _importer(paths: dict, n: int, duration: float, results: Results, stop: threading.Event) -> None:
    from benchmark import document

    rng = random.Random(7)
    docs = Path(paths["base"]) / "imports"
    docs.mkdir(exist_ok=True)
    targets = [("Điện Biên", ["--allow-overlap"])] + [(p, []) for p in NEW_PROVINCES]
    gap = duration / (n + 1)
    last = 0.0
    for i in range(n):  # evenly spread; a slow import shortens the next wait (all n always run)
        if stop.wait(max(0.0, gap - last)) and i == 0:
            return
        province, extra = targets[i % len(targets)]
        path = docs / f"load_{i}_{province.replace(' ', '_')}_2024.txt"
        path.write_text(document(2024, 500, rng), encoding="utf-8")
        t0 = time.monotonic()
        r = subprocess.run(
            [sys.executable, "-m", "warehouse", "ingest", str(path), "--province", province, "--year", "2024",
             "--kind", "budget_appendices", "--raw", str(paths["raw"]), "--raw", str(paths["uploads"]),
             "--db", str(paths["db"]), *extra],  # the server's folders: shipped copy, then its uploads
            cwd=ROOT, capture_output=True, text=True,
            env=os.environ | {"SKHCN_ENTRIES": str(paths["entries"]), "SKHCN_DATA": str(paths["data"]), "SKHCN_MIGRATE": "0"},
        )
        last = time.monotonic() - t0
        results.imports.append({"file": path.name, "province": province, "seconds": round(last, 2),
                                "status": r.returncode})
        if r.returncode != 0:
            results.errors.append(f"import {path.name} failed: {r.stderr.strip()[-300:]}")


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _load(port: int, sessions: int, duration: float, seed: int, results: Results) -> None:
    deadline = time.monotonic() + duration
    await asyncio.gather(*(_user(port, deadline, random.Random(seed + i), results) for i in range(sessions)))


def _run(coro_factory, *args):
    """``asyncio.run(coro_factory(*args))`` on a thread of its own, so the load test also runs
    inside a process that already has an event loop (pytest after Playwright's sync API)."""
    out: dict = {}

    def target():
        try:
            out["value"] = asyncio.run(coro_factory(*args))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            out["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out.get("value")


def run_load(sessions: int = 20, duration: float = 60.0, imports: int = 3, seed: int = 1, base: Path | None = None) -> dict:
    """Start the app on a fresh copy of the documents, run the load and return the report
    (``errors`` must be 0; see the module docstring). Bounded by ``duration`` plus the time of
    the surveys and of the last runs."""
    from tests.e2e.server import StreamlitServer, build_warehouse

    base = Path(base or tempfile.mkdtemp(prefix="skhcn-load-"))
    paths = build_warehouse(base)  # documents, warehouse, entries/audit store and accounts in ``base``
    results = Results()
    with StreamlitServer(paths) as server:
        before = _run(_survey, server.port)
        stop = threading.Event()
        importer = threading.Thread(target=_importer, args=(paths, imports, duration, results, stop), daemon=True)
        t0 = time.monotonic()
        importer.start()
        _run(_load, server.port, sessions, duration, seed, results)
        stop.set()
        importer.join(timeout=300)
        wall = time.monotonic() - t0
        after = _run(_survey, server.port)
    seen: dict[str, Counter] = defaultdict(Counter)
    torn = []
    for v in results.views:
        if v.scope is None or v.total is None:
            continue
        key = " · ".join(v.scope)
        seen[key][v.total] += 1
        allowed = {before.get(v.scope), after.get(v.scope)} - {None}
        if v.total not in allowed:
            torn.append(f"{key}: {v.total} (trước {before.get(v.scope)}, sau {after.get(v.scope)})")
    times = [v.seconds for v in results.views]
    changed = {" · ".join(k): (before.get(k), after[k]) for k in after if before.get(k) != after[k]}
    return {
        "sessions": sessions,
        "duration_s": duration,
        "wall_s": round(wall, 1),
        "page_runs": len(times),
        "errors": len(results.errors) + len(torn),
        "error_details": results.errors[:50] + torn[:50],
        "totals_outside_before_after": len(torn),
        "response_s": {
            "p50": round(_percentile(times, 0.5), 3), "p90": round(_percentile(times, 0.9), 3),
            "p99": round(_percentile(times, 0.99), 3), "max": round(max(times, default=float("nan")), 3),
            "mean": round(statistics.fmean(times), 3) if times else None,
        },
        "imports": results.imports,
        "totals_changed_by_imports": changed,
        "totals_seen": {k: dict(c) for k, c in sorted(seen.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--imports", type=int, default=3, help="documents ingested during the load")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args()
    report = run_load(args.sessions, args.duration, args.imports, args.seed)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    sys.exit(1 if report["errors"] else 0)


if __name__ == "__main__":
    main()
