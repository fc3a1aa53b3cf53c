"""Kept for ``scripts/load_test.py`` and old habits: the benchmark now lives in the
``benchmarks`` package (``python -m benchmarks.run --lines N``, see docs/PERFORMANCE.md).

    .venv/bin/python scripts/benchmark.py --lines 100000   # same as python -m benchmarks.run
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import document, vn  # noqa: E402,F401  (load_test imports document)

if __name__ == "__main__":
    from benchmarks.run import main

    main()
