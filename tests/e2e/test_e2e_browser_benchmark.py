"""``benchmarks.browser`` runs end to end (one run per step, a short RSS check) and reports every
interaction with its click-to-still time, server and browser CPU (no timing is asserted: the
figures depend on the machine; docs/PERFORMANCE.md has the measured ones)."""
import json

from benchmarks.browser import STEPS, main, report


def test_browser_benchmark_reports_every_interaction(tmp_path, capsys):
    out = tmp_path / "browser.json"
    results = main(["--repeat", "1", "--rss-reruns", "2", "--json", str(out)])
    assert json.loads(out.read_text(encoding="utf-8"))["steps"].keys() == results["steps"].keys()
    assert list(results["steps"]) == [name for name, _, _ in STEPS]
    for name, step in results["steps"].items():
        assert len(step["ms"]["runs"]) == 1 and step["ms"]["median"] > 0, name
        assert step["server_cpu_ms"]["median"] > 0, name  # every interaction runs the script
        assert step["browser_cpu_ms"]["median"] >= 0, name
    assert results["rss"]["reruns"] == 2 and results["rss"]["after_mb"] > 0
    printed = capsys.readouterr().out
    assert report(results) in printed
    for words in ("load average", "click → still", "server CPU ms", "browser CPU ms", "server RSS"):
        assert words in printed
