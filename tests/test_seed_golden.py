"""The five shipped documents still give exactly the figures frozen in tests/data/golden."""
import json

import pytest
from golden import GOLDEN, fresh, seed_files


@pytest.mark.parametrize("name", seed_files())
@pytest.mark.parametrize("table", ["budget_lines", "totals", "indicators", "actuals", "tasks"])
def test_seed_figures_unchanged(name, table):
    golden = json.loads((GOLDEN / (name.rsplit(".", 1)[0] + ".json")).read_text(encoding="utf-8"))
    got = json.loads(json.dumps(fresh(name), ensure_ascii=False))
    want = golden[table]
    have = got[table]
    key = next(iter(want[0])) if want else None
    if key:
        missing = {r[key] for r in want} - {r[key] for r in have}
        extra = {r[key] for r in have} - {r[key] for r in want}
        assert not missing and not extra, f"{table}: missing {sorted(missing)[:10]}, extra {sorted(extra)[:10]}"
    for a, b in zip(want, have):
        assert a == b
    assert len(want) == len(have)
