"""Benchmarks of the read path at national scale (``python -m benchmarks.run --lines N``).

``benchmarks.synthetic`` writes seeded synthetic budget appendices (34 provinces × 2020–2026)
in the shipped layout and builds (and caches) their warehouse; ``benchmarks.run`` times the
build, the page queries, full page runs (AppTest), a naive pandas reader and the bare DuckDB
floor. See docs/PERFORMANCE.md.
"""
