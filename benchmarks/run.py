"""Benchmark of the read path at 10k–1M budget lines (prints figures; asserts nothing).

    .venv/bin/python -m benchmarks.run --lines 10000 100000 1000000 [--json out.json]
    .venv/bin/python -m benchmarks.run --lines 2000 --repeat 3 --pages ngan-sach   # smoke size

For each size: the build (time, lines/s) of seeded synthetic documents with the real write
path (``benchmarks.synthetic``; above ``--store-max`` lines the warehouse is a DuckDB copy of
a real ``--base``-line build, see ``synthetic.replicate``); each page's queries through
``warehouse.queries.Warehouse`` (p50/p95 in ms, no cache); full page runs of ``app.py``
with Streamlit's AppTest, cold (new session, empty caches) and warm after a filter change
(another province: a new value, then one seen before); the naive way (all lines into pandas
on every rerun, then filter and group) and the floor (a bare DuckDB GROUP BY on the same
file), with the ratios; every query shape a page runs timed in one loop with its floor
(``query_shapes``: the same condition and aggregate as bare SQL, interleaved so both meet the
same load); the peak RSS of the process before and after the naive step.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import synthetic  # noqa: E402

APP = str(ROOT / "app.py")
PAGES = ("tong-quan", "ngan-sach", "so-sanh")
LEAF = "NOT is_subtotal AND amount_vnd IS NOT NULL"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stats(samples: list[float]) -> dict:
    """p50 / p95 / min of ``samples`` (ms), rounded to 0.01 ms."""
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(p95, 2), "min_ms": round(samples[0], 2)}


def timed(fn: Callable, repeat: int) -> dict:
    """p50 / p95 / min of ``repeat`` calls of ``fn`` (ms), after one warm-up call."""
    fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return _stats(samples)


def page_queries(wh, province: str, year: int, provinces: list[str]) -> dict[str, list[tuple[str, Callable]]]:
    """The warehouse reads of one run of each page (as the page issues them)."""
    from warehouse.queries import BudgetFilter

    stages = wh.stages(province, year)
    first = stages.iloc[0]
    f = BudgetFilter(province, year, first["phase"], first["phase_vn"], kind=first["kind"])
    return {
        "tong-quan": [
            ("stages", lambda: wh.stages(province, year)),
            ("total", lambda: wh.total(f)),
            ("totals_by source", lambda: wh.totals_by(f, "funding_source")),
            ("reconciliation", lambda: wh.reconciliation(province, year)),
            ("documents", lambda: wh.documents(province)),
        ],
        "ngan-sach": [
            ("provinces", lambda: wh.provinces()),
            ("units", lambda: wh.units(f)),
            ("total", lambda: wh.total(f)),
            ("totals_by source", lambda: wh.totals_by(f, "funding_source")),
            ("by_quarter spread", lambda: wh.by_quarter(f, True)),
            ("totals_by unit", lambda: wh.totals_by(f, "unit_group")),
            ("lines", lambda: wh.lines(f)),
        ],
        "so-sanh": [
            ("years_of (all)", lambda: wh.years_of(provinces)),
            ("budget_by_province_year (all)", lambda: wh.budget_by_province_year(None, None, with_documents=False)),
            ("scope_documents (all)", lambda: wh.scope_documents(None, None, first["phase_vn"], first["kind"])),
            ("budget_by_unit_kind (all)", lambda: wh.budget_by_unit_kind(None, None, first["phase_vn"], first["kind"])),
            ("tasks_by_field (all)", lambda: wh.tasks_by_field(None)),
            ("actuals_by_code (all)", lambda: wh.actuals_by_code(provinces)),
        ],
    }


def meeting_report(wh, province: str, year: int, repeat: int) -> dict:
    """The meeting report of one province-year (issue 16): the findings alone, the report's
    queries and tables without chart pictures, and the .docx and .pdf written from it; then
    one report with its charts exported by kaleido (the system chromium, kept running after
    its first start: the first call's browser start is in ``with_charts_first_ms``)."""
    from reports.content import build_report
    from reports.docx import to_docx
    from reports.findings import findings
    from reports.pdf import to_pdf

    out = {
        "findings": timed(lambda: findings(wh, province, year), repeat),
        "report_no_charts": timed(lambda: build_report(wh, province, year, charts=False), repeat),
        "docx_pdf_no_charts": timed(lambda: (lambda r: (to_docx(r), to_pdf(r)))(build_report(wh, province, year, charts=False)),
                                    repeat),
    }
    t0 = time.perf_counter()
    r = build_report(wh, province, year)
    to_docx(r), to_pdf(r)
    out["with_charts_first_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    out["with_charts"] = timed(lambda: (lambda r: (to_docx(r), to_pdf(r)))(build_report(wh, province, year)), repeat)
    out["chart_warnings"] = r.warnings
    return out


def floor_and_naive(db: Path, province: str, year: int, repeat: int, query_one: Callable, query_all: Callable) -> dict:
    """The floor (a bare DuckDB GROUP BY on a plain connection) and the naive reader (every
    line into pandas, then filter and group, as a page without SQL aggregates would on each
    rerun) beside the query path, for one province-year by source and all provinces × years."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    one_sql = (f"SELECT funding_source, sum(amount_vnd)::BIGINT, count(*) FROM budget_lines WHERE province = ? "
               f"AND fiscal_year = ? AND {LEAF} AND direction = 'expenditure' GROUP BY 1")
    all_sql = (f"SELECT province, fiscal_year, phase_vn, funding_source, sum(amount_vnd)::BIGINT, count(*) "
               f"FROM budget_lines WHERE {LEAF} AND direction = 'expenditure' GROUP BY ALL")

    def naive():
        lines = con.execute("SELECT * FROM budget_lines").df()
        leaf = lines[~lines["is_subtotal"] & lines["amount_vnd"].notna() & (lines["direction"] == "expenditure")]
        one = leaf[(leaf["province"] == province) & (leaf["fiscal_year"] == year)]
        one.groupby("funding_source")["amount_vnd"].agg(["sum", "count"])
        leaf.groupby(["province", "fiscal_year", "phase_vn", "funding_source"])["amount_vnd"].agg(["sum", "count"])

    out = {
        "floor_one": timed(lambda: con.execute(one_sql, [province, year]).fetchall(), repeat),
        "floor_all": timed(lambda: con.execute(all_sql).fetchall(), repeat),
        "query_one": timed(query_one, repeat),
        "query_all": timed(query_all, repeat),
    }
    rss_before = peak_rss_mb()
    out["naive"] = timed(naive, max(1, repeat // 4))
    out["peak_rss_naive_mb"] = round(peak_rss_mb(), 1)
    out["peak_rss_before_naive_mb"] = round(rss_before, 1)
    con.close()
    q, fl = out["query_one"]["p50_ms"] + out["query_all"]["p50_ms"], out["floor_one"]["p50_ms"] + out["floor_all"]["p50_ms"]
    out["ratio_query_to_floor_all"] = round(out["query_all"]["p50_ms"] / out["floor_all"]["p50_ms"], 2)
    out["ratio_query_to_floor_one"] = round(out["query_one"]["p50_ms"] / out["floor_one"]["p50_ms"], 2)
    out["ratio_naive_to_query"] = round(out["naive"]["p50_ms"] / q, 1)
    out["ratio_naive_to_floor"] = round(out["naive"]["p50_ms"] / fl, 1)
    return out


def interleaved(query: Callable, floor: Callable, repeat: int, floor_df: Callable | None = None) -> dict:
    """The project's query and its floor (and ``floor_df``, the same bare SQL fetched as a
    DataFrame) timed in the same loop, one after the other (the order rotated every round), so
    all meet the same machine load: p50/p95/min of each (ms) and the ratios of the medians to
    the project's query. One warm-up call of each first."""
    fns = {"query": query, "floor": floor} | ({"floor_df": floor_df} if floor_df else {})
    for fn in fns.values():
        fn()
    samples: dict[str, list[float]] = {k: [] for k in fns}
    names = list(fns)
    for k in range(repeat):
        for name in names[k % len(names):] + names[:k % len(names)]:
            t0 = time.perf_counter()
            fns[name]()
            samples[name].append((time.perf_counter() - t0) * 1000)

    out = {name: _stats(xs) for name, xs in samples.items()}
    out["ratio"] = round(out["query"]["p50_ms"] / max(out["floor"]["p50_ms"], 1e-6), 2)
    if floor_df:
        out["ratio_df"] = round(out["query"]["p50_ms"] / max(out["floor_df"]["p50_ms"], 1e-6), 2)
    return out


def query_shapes(db: Path, wh, province: str, year: int, repeat: int) -> dict:
    """Every query shape the pages run, each beside its floor (``interleaved``): the same
    condition (``BudgetFilter.where``) and aggregate as bare SQL on a plain read-only DuckDB
    connection, rows fetched as tuples (``floor``) and as a DataFrame (``floor_df``, DuckDB's
    own ``.df()``) — what is left is the project's own cost (its cursor, the labels and
    regrouping it adds; the floor groups by the same keys as the query). Shapes: by funding source, by quarter and the lines
    table of one province-year (Ngân sách), one province over the years (Xu hướng), all
    provinces × years (So sánh)."""
    import duckdb

    from warehouse.queries import BudgetFilter

    stages = wh.stages(province, year)
    first = stages.iloc[0]
    f = BudgetFilter(province, year, first["phase"], first["phase_vn"], kind=first["kind"])
    where, params = f.where()
    con = duckdb.connect(str(db), read_only=True)
    t = f.table()

    def bare(sql: str, args: list) -> tuple[Callable, Callable]:
        return (lambda: con.cursor().execute(sql, args).fetchall(), lambda: con.cursor().execute(sql, args).df())

    shapes = {
        "by source (one province-year)": (
            lambda: wh.totals_by(f, "funding_source"),
            bare(f"SELECT funding_source, sum(amount_vnd)::BIGINT, count(*) FROM {t} WHERE {where} AND {LEAF} GROUP BY 1",
                 params)),
        "by quarter (one province-year)": (
            lambda: wh.by_quarter(f, False),
            bare(f"SELECT quarters, funding_source, sum(amount_vnd)::BIGINT FROM {t} WHERE {where} AND {LEAF} GROUP BY ALL",
                 params)),
        "lines table (one province-year)": (
            lambda: wh.lines(f),
            bare(f"SELECT * FROM {t} WHERE {where} AND {LEAF} ORDER BY document, source_line, phase_vn", params)),
        "one province over the years": (
            lambda: wh.budget_by_province_year([province], with_documents=False),
            bare(f"SELECT province, fiscal_year, phase, phase_vn, kind, funding_source, sum(amount_vnd)::BIGINT, count(*) "
                 f"FROM budget_lines WHERE province = ? AND {LEAF} AND direction = 'expenditure' AND counted GROUP BY ALL",
                 [province])),
        "all provinces × years": (
            lambda: wh.budget_by_province_year(None, None, with_documents=False),
            bare(f"SELECT province, fiscal_year, phase, phase_vn, kind, funding_source, sum(amount_vnd)::BIGINT, count(*) "
                 f"FROM budget_lines WHERE {LEAF} AND direction = 'expenditure' AND counted GROUP BY ALL", [])),
    }
    try:
        return {name: interleaved(query, floor[0], repeat, floor[1]) for name, (query, floor) in shapes.items()}
    finally:
        con.close()


def page_runs(built: synthetic.Built, pages: tuple[str, ...], provinces: list[str], changes: int) -> dict:
    """Full runs of ``app.py`` through AppTest on the benchmark warehouse: per page the cold
    run (a new session after the caches are cleared) and warm runs after a change of the
    "Tỉnh" box, to provinces not yet seen (``new``) and back to one seen (``seen``), in ms."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    saved = {k: os.environ.get(k) for k in ("SKHCN_DB", "SKHCN_RAW")}
    os.environ["SKHCN_DB"] = str(built.db)
    os.environ["SKHCN_RAW"] = str(built.raw)
    try:
        return _page_runs(pages, provinces, changes)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _page_runs(pages: tuple[str, ...], provinces: list[str], changes: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    out = {}
    for page in pages:
        st.cache_data.clear()
        at = AppTest.from_file(APP, default_timeout=600)
        at.run()  # the session's landing page (Tổng quan) first, as a browser does
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception}")
        st.cache_data.clear()
        t0 = time.perf_counter()
        at.switch_page(f"pages/{page}.py").run()
        cold = (time.perf_counter() - t0) * 1000
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception}")
        box = _province_box(at)
        new, seen = [], []
        if box is not None:
            others = [p for p in provinces if p not in (box.value if isinstance(box.value, list) else [box.value])]
            for times in (new, seen):  # provinces not seen yet, then the same ones again
                for p in others[:changes]:
                    box = _province_box(at)
                    box.set_value([p] if isinstance(box.value, list) else p)
                    t0 = time.perf_counter()
                    at.run()
                    times.append((time.perf_counter() - t0) * 1000)
                    if at.exception:
                        raise RuntimeError(f"{page}: {at.exception}")
        out[page] = {
            "cold_ms": round(cold, 1),
            "warm_new_filter_p50_ms": round(statistics.median(new), 1) if new else None,
            "warm_seen_filter_p50_ms": round(statistics.median(seen), 1) if seen else None,
            "warm_new_filter_max_ms": round(max(new), 1) if new else None,
        }
    return out


def _province_box(at):
    """The "Tỉnh" selectbox (or multiselect, on So sánh) of the page shown, if any."""
    return next((b for b in list(at.selectbox) + list(at.multiselect) if b.label == "Tỉnh"), None)


def measure(lines: int, args) -> dict:
    """Every figure for one size (see the module docstring)."""
    from warehouse.queries import Warehouse

    cache = Path(args.cache_dir) if args.cache_dir else None
    if lines <= args.store_max:
        built = synthetic.build(lines, args.seed, cache, args.fresh, args.provinces, args.years)
        route, base = "store", None
    else:
        base = synthetic.build(args.base, args.seed, cache, args.fresh, args.provinces, args.years)
        built = synthetic.replicate(base, lines, cache_dir=cache, fresh=args.fresh)
        route = f"replicated from a real {base.budget_lines}-line build"
    result: dict = {
        "lines_requested": lines,
        "budget_lines": built.budget_lines,
        "documents": built.documents,
        "route": route,
        "build_s": round(built.build_s, 2) if built.build_s else None,
        "build_lines_per_s": round(built.lines_per_s) if built.lines_per_s else None,
        "base_build_s": round(base.build_s, 2) if base and base.build_s else None,
        "base_build_lines_per_s": round(base.lines_per_s) if base and base.lines_per_s else None,
        "warehouse_mb": round(built.db.stat().st_size / 1e6, 1),
    }
    wh = Warehouse(built.db)
    provinces = wh.provinces()
    province = wh.busiest_province()
    year = wh.default_year(province)
    result["queries"] = {
        page: {name: timed(fn, args.repeat) for name, fn in items}
        for page, items in page_queries(wh, province, year, provinces).items()
    }
    result["report"] = meeting_report(wh, province, year, max(1, min(args.repeat, 5)))
    result["queries_per_page_p50_ms"] = {
        page: round(sum(v["p50_ms"] for v in q.values()), 1) for page, q in result["queries"].items()
    }
    from warehouse.queries import BudgetFilter

    one = BudgetFilter(province, year, direction="expenditure")
    result["pages"] = page_runs(built, tuple(args.pages), provinces, args.changes) if args.pages else {}
    result["peak_rss_app_mb"] = round(peak_rss_mb(), 1)
    result["shapes"] = query_shapes(built.db, wh, province, year, args.repeat)
    result["versus"] = floor_and_naive(
        built.db, province, year, args.repeat,
        lambda: wh.totals_by(one, "funding_source"), lambda: wh.budget_by_province_year(None, None, with_documents=False),
    )
    return result


def report(r: dict) -> str:
    """The figures of one size as text."""
    out = [f"== {r['budget_lines']:,} budget lines, {r['documents']:,} documents ({r['route']}), "
           f"warehouse {r['warehouse_mb']} MB"]
    if r["build_s"]:
        out.append(f"build: {r['build_s']} s, {r['build_lines_per_s']:,} lines/s")
    else:
        out.append("build: reused from the cache (run with --fresh to time it)")
    if r["base_build_s"]:
        out.append(f"base build (real write path): {r['base_build_s']} s, {r['base_build_lines_per_s']:,} lines/s")
    for page, q in r["queries"].items():
        out.append(f"queries {page}: sum of p50 {r['queries_per_page_p50_ms'][page]} ms")
        for name, t in q.items():
            out.append(f"  {name:32s} p50 {t['p50_ms']:8.2f} ms  p95 {t['p95_ms']:8.2f} ms")
    if r.get("report"):
        m = r["report"]
        out.append(f"meeting report (one province-year): findings p50 {m['findings']['p50_ms']} ms; without charts "
                   f"{m['report_no_charts']['p50_ms']} ms, + .docx and .pdf {m['docx_pdf_no_charts']['p50_ms']} ms; with "
                   f"charts {m['with_charts']['p50_ms']} ms (first, browser start included: {m['with_charts_first_ms']} ms)")
    for page, p in r["pages"].items():
        out.append(f"page {page}: cold {p['cold_ms']} ms; warm after a filter change: new value p50 "
                   f"{p['warm_new_filter_p50_ms']} ms (max {p['warm_new_filter_max_ms']}), seen value p50 "
                   f"{p['warm_seen_filter_p50_ms']} ms")
    if r.get("shapes"):
        out.append("query shapes, each timed interleaved with its floor (bare SQL, same condition):")
        for name, x in r["shapes"].items():
            out.append(f"  {name:34s} query p50 {x['query']['p50_ms']:8.2f} ms  floor p50 {x['floor']['p50_ms']:8.2f} ms"
                       f" (as a DataFrame {x['floor_df']['p50_ms']:8.2f} ms)  = {x['ratio']}× ({x['ratio_df']}×)")
    v = r["versus"]
    out.append(f"floor (bare DuckDB GROUP BY): one province-year {v['floor_one']['p50_ms']} ms, "
               f"all provinces × years {v['floor_all']['p50_ms']} ms")
    out.append(f"query path: one province-year {v['query_one']['p50_ms']} ms ({v['ratio_query_to_floor_one']}× floor), "
               f"all provinces {v['query_all']['p50_ms']} ms ({v['ratio_query_to_floor_all']}× floor)")
    out.append(f"naive (all lines into pandas per rerun): {v['naive']['p50_ms']} ms = "
               f"{v['ratio_naive_to_query']}× the query path, {v['ratio_naive_to_floor']}× the floor")
    out.append(f"peak RSS: {r['peak_rss_app_mb']} MB (queries and pages), {v['peak_rss_naive_mb']} MB after the naive step")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[10_000, 100_000], help="budget lines (one size or several)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per query")
    parser.add_argument("--changes", type=int, default=3, help="filter changes per page run")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), help="pages run with AppTest (none: skip)")
    parser.add_argument("--store-max", type=int, default=150_000,
                        help="largest size built by the real write path; larger sizes are replicated")
    parser.add_argument("--base", type=int, default=10_000, help="size of the real build a larger size is replicated from")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--provinces", type=int, default=34, help="provinces of the corpus (34 after the 2025 merger)")
    parser.add_argument("--years", type=int, default=7, help="fiscal years from 2020 (7: 2020–2026)")
    parser.add_argument("--cache-dir", help="where warehouses are kept (default $SKHCN_BENCH_CACHE or /tmp/skhcn-bench)")
    parser.add_argument("--fresh", action="store_true", help="rebuild even when a cached warehouse exists")
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "No runtime found" of bare-mode caches

    # Entered actuals, users and audit of a benchmark run never touch data/, nor the user's data
    # directory (uploads, layouts: loaders.paths); nothing is moved from the checkout.
    state = Path(tempfile.mkdtemp(prefix="skhcn-bench-state-"))
    os.environ.setdefault("SKHCN_ENTRIES", str(state / "entries.sqlite"))
    os.environ.setdefault("SKHCN_USERS", str(state / "users.yaml"))
    os.environ["SKHCN_DATA"] = str(state / "data")
    os.environ["SKHCN_MIGRATE"] = "0"
    results = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())},
        "sizes": [],
    }
    for n in args.lines:
        r = measure(n, args)
        results["sizes"].append(r)
        print(report(r), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
