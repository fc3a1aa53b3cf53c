"""The benchmark runs end to end at a small size and reports every figure (no timing is
asserted: the figures depend on the machine; docs/PERFORMANCE.md has the measured ones)."""
import json

from benchmarks.run import main, report

TIMINGS = {"p50_ms", "p95_ms", "min_ms"}


def test_benchmark_reports_every_figure(tmp_path, capsys):
    out = tmp_path / "bench.json"
    # 3 provinces × 2 years; 2000 lines are replicated from a real 300-line build, so both
    # routes (the write path and the DuckDB copy) run.
    results = main(["--lines", "2000", "--provinces", "3", "--years", "2", "--base", "300", "--store-max", "1000",
                    "--repeat", "2", "--changes", "1", "--pages", "ngan-sach", "so-sanh",
                    "--cache-dir", str(tmp_path / "cache"), "--json", str(out)])
    assert json.loads(out.read_text(encoding="utf-8")) == results
    (r,) = results["sizes"]
    assert r["budget_lines"] >= 2000 and r["documents"] > 6
    assert r["route"].startswith("replicated") and r["base_build_s"] > 0 and r["base_build_lines_per_s"] > 0
    assert r["build_s"] > 0  # the copy, timed
    assert set(r["queries"]) == {"tong-quan", "ngan-sach", "so-sanh"}
    for page in r["queries"].values():
        assert page and all(set(t) == TIMINGS for t in page.values())
    for page in ("ngan-sach", "so-sanh"):
        run = r["pages"][page]
        assert run["cold_ms"] > 0 and run["warm_new_filter_p50_ms"] > 0 and run["warm_seen_filter_p50_ms"] > 0
    v = r["versus"]
    for key in ("floor_one", "floor_all", "query_one", "query_all", "naive"):
        assert set(v[key]) == TIMINGS
    for key in ("ratio_query_to_floor_all", "ratio_query_to_floor_one", "ratio_naive_to_query", "ratio_naive_to_floor"):
        assert v[key] > 0
    assert r["peak_rss_app_mb"] > 0 and v["peak_rss_naive_mb"] >= r["peak_rss_app_mb"]
    # every query shape a page runs, timed in one loop with its floor (issue 17)
    assert set(r["shapes"]) == {"by source (one province-year)", "by quarter (one province-year)",
                                "lines table (one province-year)", "one province over the years", "all provinces × years"}
    for shape in r["shapes"].values():
        assert set(shape["query"]) == set(shape["floor"]) == set(shape["floor_df"]) == TIMINGS
        assert shape["ratio"] > 0 and shape["ratio_df"] > 0
    m = r["report"]  # the meeting report of one province-year (issue 16)
    for key in ("findings", "report_no_charts", "docx_pdf_no_charts", "with_charts"):
        assert set(m[key]) == TIMINGS
    assert m["with_charts_first_ms"] > 0 and isinstance(m["chart_warnings"], list)
    printed = capsys.readouterr().out
    assert printed.strip().endswith(report(r).strip().splitlines()[-1])
    for words in ("lines/s", "p50", "p95", "cold", "warm after a filter change", "floor", "naive", "peak RSS",
                  "meeting report", "query shapes", "all provinces × years"):
        assert words in printed


def test_second_run_reuses_the_cached_warehouse(tmp_path):
    args = ["--lines", "300", "--provinces", "2", "--years", "1", "--repeat", "1", "--pages",
            "--cache-dir", str(tmp_path)]
    first = main(args)["sizes"][0]
    again = main(args)["sizes"][0]
    assert first["build_s"] > 0 and again["build_s"] is None
    assert again["budget_lines"] == first["budget_lines"]


def test_post_script_gc_is_off_and_known_to_streamlit():
    """``.streamlit/config.toml`` turns Streamlit's forced ``gc.collect(2)`` after each run off
    (measured in docs/PERFORMANCE.md); the option must still exist in the installed Streamlit, or
    the setting would silently do nothing after an upgrade."""
    import tomllib
    from pathlib import Path

    from streamlit import config

    toml = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert toml["runner"]["postScriptGC"] is False
    assert "runner.postScriptGC" in config._config_options_template
