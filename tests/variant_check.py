"""Compare a document's reading with expected figures written by someone who never read the
parsers (``tests/data/variants/README.md``, "Semantic expected figures").

The expected figures name what a finance officer reads off the document — a line's code,
description, stage, quarters, amount, funding source, flow — not the parser's ids or line
numbers, so records are matched one to one on the keys they list, in any order.

``python -m tests.variant_check DIR [DIR …]`` prints a scoreboard of every document with an
``.expected.json`` in the folders (read right / refused right / wrong), for measuring a
release on documents kept apart from the development set.
"""
from __future__ import annotations

import json
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from loaders.documents import DocumentError, ManifestEntry, read_document
from loaders.model import ParseResult

#: Stage names of the expected figures → the stages (``phase_vn``) they may be stored as.
STAGES = {
    "estimate": {"dự toán"},
    "proposed": {"đề xuất"},
    "central_plan": {"KHTW giao"},
    "provincial_plan": {"KH UBND giao"},
    "executed": {"thực hiện", "thực hiện 6 tháng đầu năm"},
    "estimated_executed": {"ước thực hiện"},
    "allocated_before_adjustment": {"dự toán đã giao"},
    "adjustment_change": {"điều chỉnh"},
    "after_adjustment": {"dự toán điều chỉnh"},
}


def _same_percent(printed: object, wanted: object) -> bool:
    """The same printed percentage: as text, or as a number when both read as one ("72,8" as
    printed in a cell formatted the Vietnamese way, "72.8" as a workbook stores it)."""
    if _text(printed) == _text(wanted):
        return True
    try:
        return float(str(printed).strip().replace(",", ".")) == float(str(wanted).strip().replace(",", "."))
    except ValueError:
        return False


def _text(value: object) -> str:
    s = unicodedata.normalize("NFC", str(value or ""))
    return " ".join(s.split()).strip(" :;.").casefold()


def _flow(line) -> str:
    if line.direction == "revenue":
        return "revenue"
    if line.direction == "remittance":
        return "fee_remitted"
    return "fee_spending" if line.funding_source == "THU_PHI" else "spending"


def _line_value(line, key: str):
    if key == "stage":
        return line.phase_vn
    if key == "flow":
        return _flow(line)
    if key == "quarters":
        return list(line.quarters)
    if key == "cumulative":
        return bool(getattr(line, "cumulative", False))
    return getattr(line, key)


def _code(value):
    """A bullet ("-", "+") is no code: both spellings of an unnumbered line compare equal."""
    return None if value in ("-", "+", "*", "•", "–") else value


def _line_matches(want: dict, line) -> list[str]:
    """The keys of ``want`` on which ``line`` differs (``[]``: a match)."""
    out = []
    for key, value in want.items():
        if key not in ("stage", "flow", "quarters", "cumulative") and not hasattr(line, key):
            continue  # a writer's note the record model has no field for ("sheet")
        have = _line_value(line, key)
        if key == "code":
            ok = _code(have) == _code(value)
        elif key == "quarters" and want.get("is_subtotal"):
            ok = True  # a subtotal is never added: the period is its lines' (and a heading prints none)
        elif key == "stage":
            ok = have in STAGES.get(value, {value})
        elif key in ("description", "unit", "name", "lead_unit"):
            ok = _text(have) == _text(value)
        elif key == "quarters":
            ok = sorted(have or []) == sorted(value or [])
        else:
            ok = have == value
        if not ok:
            out.append(f"{key}: {have!r} ≠ {value!r}")
    return out


def _match(wanted: list[dict], have: list, compare) -> tuple[list[tuple[dict, list[str]]], list]:
    """One-to-one matching of expected records with read records. Returns the expected
    records with no match (with the differences of the closest read record) and the read
    records left over."""
    left = list(have)
    missing = []
    for want in wanted:
        hit = next((h for h in left if not compare(want, h)), None)
        if hit is not None:
            left.remove(hit)
            continue
        closest = min(left, key=lambda h: len(compare(want, h)), default=None)
        missing.append((want, compare(want, closest) if closest is not None else ["nothing left"]))
    return missing, left


def _named(want: dict, rec, keys: dict[str, str]) -> list[str]:
    out = []
    for key, value in want.items():
        attr = keys.get(key, key)
        have = getattr(rec, attr, None)
        if hasattr(have, "isoformat"):
            have = have.isoformat()
        if key in ("name", "lead_unit", "unit", "description"):
            ok = _text(value) in _text(have) if key == "name" else _text(have) == _text(value)
        elif isinstance(value, float) and isinstance(have, (int, float)):
            ok = abs(have - value) < 1e-9
        else:
            ok = have == value
        if not ok:
            out.append(f"{key}: {have!r} ≠ {value!r}")
    return out


@dataclass
class Verdict:
    """The outcome of one document: ``ok`` and the problems found."""

    name: str
    outcome: str
    ok: bool = True
    problems: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.ok = False
        self.problems.append(message)


def _check_result(spec: dict, result: ParseResult, v: Verdict) -> None:
    lines = [b for b in result.budget_lines if b.amount_vnd is not None]
    want_lines = [w for w in spec.get("budget_lines", []) if w.get("amount_vnd") is not None]
    missing, extra = _match(want_lines, lines, _line_matches)
    for want, diff in missing:
        v.fail(f"line {want.get('code')} {str(want.get('description'))[:40]!r} {want.get('stage')} {want.get('amount_vnd')}: "
               + "; ".join(diff[:4]))
    for line in extra:
        v.fail(f"extra line {line.code} {str(line.description)[:40]!r} {line.phase_vn} {line.amount_vnd} "
               f"(line {line.source_line})")
    totals = list(result.totals)

    def total_diff(want: dict, t) -> list[str]:
        out = []
        if t.printed_amount_vnd != want["printed_amount_vnd"]:
            out.append(f"printed {t.printed_amount_vnd} ≠ {want['printed_amount_vnd']}")
        if want.get("status") and t.status != want["status"]:
            out.append(f"status {t.status} ≠ {want['status']}")
        return out

    missing_t, _ = _match(spec.get("totals", []), totals, total_diff)
    for want, diff in missing_t:
        v.fail(f"total {want.get('label')!r} {want['printed_amount_vnd']}: " + "; ".join(diff))
    if any(w.get("status") == "mismatch" for w in spec.get("totals", [])) and not any(
            t.status == "mismatch" for t in totals):
        v.fail("a printed total that does not add up is not reported as a mismatch")
    checks = list(getattr(result, "ratios", []))
    for want in spec.get("percent_checks", []):
        if want.get("ok") is None:  # a percentage nobody can check from this document (year on year)
            continue
        found = [c for c in checks if _code(c.code) == _code(want["code"]) and ("printed" not in want or _same_percent(c.printed, want["printed"]))
                 and (c.status == "match") == bool(want["ok"])]
        if not found:
            v.fail(f"percent {want['code']} {want['column']!r} printed {want.get('printed')}: not checked as "
                   f"{'right' if want['ok'] else 'wrong'}")
    versions = list(getattr(result, "versions", []))
    for want in spec.get("versions", []):
        if not any(getattr(x, "decision_number", None) == want["decision_number"]
                   and want["net_change_vnd"] in (getattr(x, "net_change_vnd", None), getattr(x, "printed_net_vnd", None))
                   for x in versions):
            v.fail(f"version {want['decision_number']} (net {want['net_change_vnd']}) not read")
    for table, keys in (("indicators", {}), ("tasks", {}), ("actuals", {})):
        wanted = spec.get(table, [])
        missing_r, extra_r = _match(wanted, list(getattr(result, table)), lambda w, r: _named(w, r, keys))
        for want, diff in missing_r:
            v.fail(f"{table[:-1]} {str(want.get('name'))[:40]!r}: " + "; ".join(diff[:3]))
        if wanted and extra_r:
            v.fail(f"{len(extra_r)} extra {table}: " + ", ".join(repr(str(getattr(r, 'name', ''))[:30]) for r in extra_r[:3]))
    said = " ".join(_text(i.message + " " + (i.text or "")) for i in result.issues)
    if spec["outcome"] == "review" and v.ok:
        return  # the writer expected doubt; read right, the doubt's warning is not owed
    for w in spec.get("warnings", []):
        if _text(w["contains"]) not in said:
            v.fail(f"no warning containing {w['contains']!r}")


def check(expected: Path) -> Verdict:
    """Read the document beside ``expected`` and compare (rules in the module docstring and
    ``tests/data/variants/README.md``)."""
    spec = json.loads(expected.read_text(encoding="utf-8"))
    stem = expected.name[: -len(".expected.json")]
    docs = [p for p in expected.parent.iterdir() if p.name.startswith(stem + ".") and not p.name.endswith(".json")]
    v = Verdict(stem, spec["outcome"])
    if len(docs) != 1:
        v.fail(f"expected one document named {stem}.<ext>, found {docs}")
        return v
    meta = {k: spec["meta"][k] for k in ("province", "fiscal_years", "kind") if k in spec["meta"]}
    entry = ManifestEntry(file=docs[0].name, **meta)
    try:
        result = read_document(docs[0], entry)
    except Exception as exc:  # noqa: BLE001 - a crash is a verdict too
        if not isinstance(exc, DocumentError):
            import traceback

            v.fail(f"crash: {type(exc).__name__}: {exc} — {traceback.format_exc().splitlines()[-3].strip()}")
            return v
        if spec["outcome"] == "read":
            v.fail(f"refused: {exc}")
        elif spec["outcome"] == "refuse" and _text(spec.get("error_contains", "")) not in _text(str(exc)):
            v.fail(f"refused without naming {spec['error_contains']!r}: {exc}")
        return v
    if spec["outcome"] == "refuse":
        v.fail("accepted a document that must be refused")
        return v
    _check_result(spec, result, v)
    if spec["outcome"] == "review" and not v.ok:
        v.problems.insert(0, "accepted with figures that are not right (must be refused or read right)")
    return v


def main(argv: list[str]) -> int:
    verdicts = []
    for folder in argv:
        for expected in sorted(Path(folder).glob("*.expected.json")):
            spec = json.loads(expected.read_text(encoding="utf-8"))
            if "outcome" not in spec:
                continue
            verdicts.append(check(expected))
    for v in verdicts:
        print(f"{'OK  ' if v.ok else 'FAIL'} {v.name} ({v.outcome})")
        for p in v.problems[:8]:
            print(f"       {p}")
        if len(v.problems) > 8:
            print(f"       … {len(v.problems) - 8} more") if not os.environ.get("VARIANT_ALL") else [print(f"       {p}") for p in v.problems[8:]]
    right = sum(v.ok for v in verdicts)
    print(f"\n{right} of {len(verdicts)} documents read right")
    return 0 if right == len(verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or [str(Path(__file__).parent / "data" / "variants")]))
