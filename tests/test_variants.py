"""The development set: documents of the shipped families from other provinces, years and
wordings (``tests/data/variants``), each read and compared figure by figure with its
``.expected.json`` (format in ``tests/data/variants/README.md``)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.documents import DocumentError, ManifestEntry, read_document
from tests.variant_check import check

VARIANTS = Path(__file__).resolve().parent / "data" / "variants"
TABLES = ("budget_lines", "totals", "indicators", "actuals", "tasks")
ORDER_ID = {
    "budget_lines": "line_id",
    "totals": "scope",
    "indicators": "indicator_id",
    "actuals": "actual_id",
    "tasks": "task_id",
}


def _cases() -> list[Path]:
    return sorted(p for p in VARIANTS.glob("*.expected.json"))


def _document(expected: Path) -> Path:
    stem = expected.name[: -len(".expected.json")]
    docs = [p for p in VARIANTS.iterdir() if p.name.startswith(stem + ".") and not p.name.endswith(".json")]
    assert len(docs) == 1, f"{expected.name}: expected one document named {stem}.<ext>, found {docs}"
    return docs[0]


def _plain(value):
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@pytest.mark.parametrize("expected_path", _cases(), ids=lambda p: p.name[: -len(".expected.json")])
def test_variant(expected_path: Path) -> None:
    spec = json.loads(expected_path.read_text(encoding="utf-8"))
    if "outcome" in spec:  # expected figures written by someone who never read the parsers (variant_check)
        verdict = check(expected_path)
        assert verdict.ok, "\n".join(verdict.problems)
        return
    doc = _document(expected_path)
    entry = ManifestEntry(file=doc.name, **spec["meta"])
    if spec.get("error"):
        with pytest.raises(DocumentError) as info:
            read_document(doc, entry)
        err = spec["error"]
        assert info.value.line == err.get("line"), str(info.value)
        assert err["contains"].lower() in str(info.value).lower(), str(info.value)
        return
    result = read_document(doc, entry)
    for table in TABLES:
        if table not in spec:
            continue
        want = spec[table]
        have = sorted(getattr(result, table), key=lambda r: (r.source_line, str(getattr(r, ORDER_ID[table]))))
        got = [{k: _plain(getattr(r, k)) for k in w} for r, w in zip(have, want)]
        assert len(have) == len(want), f"{table}: {len(have)} read, {len(want)} expected; first read: {got[:3]}"
        for i, (w, g) in enumerate(zip(want, got)):
            assert g == w, f"{table}[{i}] (line {have[i].source_line})"
    for issue in spec.get("issues", []):
        found = [
            i for i in result.issues
            if i.line == issue["line"] and issue["contains"].lower() in (i.message + " " + (i.text or "")).lower()
        ]
        assert found, f"no warning at line {issue['line']} containing {issue['contains']!r}: " + "; ".join(
            f"{i.line}: {i.message}" for i in result.issues
        )


def test_development_set_is_not_empty() -> None:
    assert _cases(), "tests/data/variants holds no documents"
