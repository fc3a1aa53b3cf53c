"""``benchmarks.browser`` runs end to end (one run per step, a short RSS check) and reports every
interaction with its click-to-still time, server and browser CPU (no timing is asserted: the
figures depend on the machine; docs/PERFORMANCE.md has the measured ones).

It runs as its own process, as a person runs it (``python -m benchmarks.browser``): Playwright's
sync API cannot start inside the e2e session's own Playwright (its event loop)."""
import json
import subprocess
import sys
from pathlib import Path

from benchmarks.browser import FLOOR_SESSION_STEP, FLOOR_STEP, STEPS, report

ROOT = Path(__file__).resolve().parents[2]


def test_browser_benchmark_reports_every_interaction(tmp_path):
    out = tmp_path / "browser.json"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.browser", "--repeat", "1", "--rss-reruns", "2", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert list(results["steps"]) == [name for name, _, _ in STEPS] + [FLOOR_STEP, FLOOR_SESSION_STEP]  # the floors last
    for name, step in results["steps"].items():
        assert len(step["ms"]["runs"]) == 1 and step["ms"]["median"] > 0, name
        assert step["ms_any"]["median"] >= step["ms"]["median"], name  # the last change of any kind comes no earlier
        if name in (FLOOR_STEP, FLOOR_SESSION_STEP):
            # Streamlit's smallest app reruns in less than one tick of the process clock (10 ms on
            # Linux): with one run its server CPU may read 0 (a fresh-clone CI run did)
            assert step["server_cpu_ms"]["median"] >= 0, name
        else:
            assert step["server_cpu_ms"]["median"] > 0, name  # every interaction runs the project's script
        assert step["browser_cpu_ms"]["median"] >= 0, name
    assert results["rss"]["reruns"] == 2 and results["rss"]["after_mb"] > 0
    printed = run.stdout
    assert report(results) in printed
    for words in ("load average", "click → still", "incl. canvas ms", "server CPU ms", "browser CPU ms", "server RSS"):
        assert words in printed
