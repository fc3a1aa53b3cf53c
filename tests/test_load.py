"""Reduced load test (CI): a few real Streamlit sessions change filters while a document is
imported; no errors, and every total shown is the value before or after the import. The
full-size run (20 sessions, 60 s) is ``scripts/load_test.py``; results in docs/RELIABILITY.md.
No timing is asserted: response times are reported, not tested."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_test():
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "scripts" / "load_test.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_sessions_see_before_or_after_while_importing(tmp_path):
    report = _load_test().run_load(sessions=4, duration=15, imports=1, base=tmp_path)
    print(report["response_s"], report["page_runs"], report["imports"])
    assert report["errors"] == 0, report["error_details"]
    assert report["totals_outside_before_after"] == 0
    assert [i["status"] for i in report["imports"]] == [0]
    # the import changed a total the sessions were looking at, and they were served throughout
    assert any(k.startswith("Điện Biên · 2024") for k in report["totals_changed_by_imports"])
    assert report["page_runs"] > 4 * 3
    seen = report["totals_seen"]
    assert any(k.startswith("Điện Biên · 2024") for k in seen) and len(seen) >= 2
