"""Golden figures of the five shipped documents (``data/raw``), frozen before the table-model
rewrite: every amount, printed total, target, actual and task a document gives, with its line.

    python tests/golden.py            # rewrite tests/data/golden/*.json (review the diff!)

``tests/test_seed_golden.py`` compares a fresh parse with these files. Unit and lead-unit names
are frozen as printed (``unit``, ``lead_unit``: the document's text, assignees in parentheses
taken out); their kinds (``unit_kind``, ``lead_unit_kind``) are left out on purpose, as they
follow the reviewed vocabulary (``data/vocabulary/units.csv``), as are other derived fields
(field of work, catalogue code).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: python tests/golden.py
    sys.path.insert(0, str(ROOT))
RAW = ROOT / "data" / "raw"
GOLDEN = Path(__file__).resolve().parent / "data" / "golden"

BUDGET_KEYS = (
    "line_id", "fiscal_year", "phase", "phase_vn", "direction", "funding_source", "source_line",
    "amount_vnd", "is_subtotal", "code", "parent_id", "quarters", "description", "unit",
)
TOTAL_KEYS = ("scope", "kind", "fiscal_year", "phase_vn", "printed_amount_vnd", "computed_amount_vnd",
              "words_amount_vnd", "status", "source_line")
INDICATOR_KEYS = ("indicator_id", "fiscal_year", "name", "source_line", "comparator", "target_value",
                  "target_unit", "qualitative", "lead_unit")
ACTUAL_KEYS = ("actual_id", "period", "value", "source_line", "unit", "parent_id")
TASK_KEYS = ("task_id", "fiscal_year", "kind", "name", "source_line", "deadline", "budget_vnd", "lead_unit")


def _pick(obj, keys) -> dict:
    out = {}
    for k in keys:
        v = getattr(obj, k)
        if isinstance(v, tuple):
            v = list(v)
        elif hasattr(v, "isoformat"):
            v = v.isoformat()
        out[k] = v
    return out


def snapshot(result) -> dict:
    """The golden figures of one ``ParseResult`` as plain JSON-able data."""
    return {
        "budget_lines": sorted((_pick(b, BUDGET_KEYS) for b in result.budget_lines), key=lambda r: r["line_id"]),
        "totals": sorted((_pick(t, TOTAL_KEYS) for t in result.totals), key=lambda r: (r["source_line"], r["scope"])),
        "indicators": sorted((_pick(i, INDICATOR_KEYS) for i in result.indicators), key=lambda r: r["indicator_id"]),
        "actuals": sorted((_pick(a, ACTUAL_KEYS) for a in result.actuals), key=lambda r: r["actual_id"]),
        "tasks": sorted((_pick(t, TASK_KEYS) for t in result.tasks), key=lambda r: r["task_id"]),
    }


def seed_files() -> list[str]:
    from loaders.documents import read_manifest

    return sorted(read_manifest(RAW))


def fresh(name: str) -> dict:
    from loaders.documents import read_document, read_manifest

    return snapshot(read_document(RAW / name, read_manifest(RAW)[name]))


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in seed_files():
        path = GOLDEN / (Path(name).stem + ".json")
        path.write_text(json.dumps(fresh(name), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
