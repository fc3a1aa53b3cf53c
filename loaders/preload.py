"""Read the vocabulary and catalogue files once in the parse children's fork server
(``warehouse.isolate.PRELOAD``), so that each child starts with them loaded.

Every document is parsed in its own child process forked from that server
(``warehouse.isolate``). Without this module each child read and compiled the vocabularies
again: ≈ 0.25 CPU-second per document (580 regular expressions of
``data/catalogue/*.csv`` and ``data/vocabulary/*.csv``), more than the parse itself of a
document of a few hundred lines (issue 17, item 4).

Only the caches that check the file's mtime on use are filled (``FileCache`` of units,
funding sources and flows; the catalogue's indicators and field rules; the claim words):
a file edited after the server started has another mtime, so the child reads it again,
exactly as before. Importing this module has that side effect and nothing else; a file that
cannot be read is left for the parse to report (in the child, as before), never raised here.
"""
from __future__ import annotations


def warm() -> list[str]:
    """Load every mtime-checked default vocabulary and catalogue; returns the names of those
    that could not be loaded (their error is raised again where a parser needs them)."""
    from loaders.families.prose.claim_words import default_claim_words
    from loaders.text import flows
    from loaders.text.catalogue import default_catalogue, default_field_rules
    from loaders.text.sources import default_vocabulary
    from loaders.text.units import default_units

    steps = {
        "units": default_units,
        "funding sources": default_vocabulary,
        "flows": lambda: flows._cache.get(flows.FLOWS_CSV, flows.load_flows),
        "indicator catalogue": default_catalogue,
        "field rules": default_field_rules,
        "claim words": default_claim_words,
    }
    failed = []
    for name, load in steps.items():
        try:
            load()
        except Exception:  # noqa: BLE001 - reported by the parse that needs it, in the child
            failed.append(name)
    return failed


FAILED = warm()
