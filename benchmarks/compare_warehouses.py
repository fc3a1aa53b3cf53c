"""Compare two warehouses table by table, row by row (every column but the build's clock).

    .venv/bin/python -m benchmarks.compare_warehouses OLD.duckdb NEW.duckdb [OLD2 NEW2 …]

Every table of the ``main`` schema of either file is compared: the same tables, the same
columns (names and types), and the same multiset of rows, with the columns of
:data:`IGNORED` left out (when the documents were loaded and built, and the folder the
build read: they differ between any two builds). Amounts are compared as stored (integer
đồng), no tolerance. Exit status 0 when every pair is identical, 1 otherwise; the first
differing rows of each table are printed.
"""
from __future__ import annotations

import sys

import duckdb

#: (table, column) pairs that differ between two builds of the same documents.
IGNORED = {("documents", "loaded_at"), ("documents", "folder")}
#: rows of ``meta`` that are the build's own clock or location.
IGNORED_META_KEYS = ("built_at", "raw_dir", "raw_files", "raw_fingerprint")


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_schema = 'main' ORDER BY table_name, ordinal_position", [schema]).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, []).append((column, dtype))
    return out


def compare(old: str, new: str, show: int = 5) -> list[str]:
    """The differences between warehouse files ``old`` and ``new`` (empty: identical)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{old}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{new}' AS b (READ_ONLY)")
    ta, tb = _tables(con, "a"), _tables(con, "b")
    problems: list[str] = []
    for t in sorted(set(ta) ^ set(tb)):
        problems.append(f"table {t}: only in {'old' if t in ta else 'new'}")
    for t in sorted(set(ta) & set(tb)):
        if ta[t] != tb[t]:
            problems.append(f"table {t}: columns differ: {ta[t]} vs {tb[t]}")
            continue
        cols = [c for c, _ in ta[t] if (t, c) not in IGNORED]
        sel = ", ".join(f'"{c}"' for c in cols)
        where = ""
        if t == "meta":
            keys = ", ".join(f"'{k}'" for k in IGNORED_META_KEYS)
            where = f" WHERE key NOT IN ({keys})"
        n_a = con.execute(f'SELECT count(*) FROM a."{t}"{where}').fetchone()[0]
        n_b = con.execute(f'SELECT count(*) FROM b."{t}"{where}').fetchone()[0]
        # multiset difference both ways (EXCEPT ALL keeps duplicates)
        only_a = con.execute(f'SELECT {sel} FROM a."{t}"{where} EXCEPT ALL SELECT {sel} FROM b."{t}"{where}').fetchall()
        only_b = con.execute(f'SELECT {sel} FROM b."{t}"{where} EXCEPT ALL SELECT {sel} FROM a."{t}"{where}').fetchall()
        if n_a != n_b or only_a or only_b:
            problems.append(f"table {t}: {n_a} vs {n_b} rows, {len(only_a)} only in old, {len(only_b)} only in new")
            for r in only_a[:show]:
                problems.append(f"  - {r}")
            for r in only_b[:show]:
                problems.append(f"  + {r}")
    con.close()
    return problems


def summary(path: str) -> str:
    """Row counts of the fact tables, for the log."""
    con = duckdb.connect(path, read_only=True)
    try:
        parts = [f"{t} {con.execute(f'SELECT count(*) FROM {t}').fetchone()[0]}"
                 for t in ("documents", "budget_lines", "totals", "parse_issues", "tasks", "indicators")]
        amount = con.execute("SELECT sum(amount_vnd) FROM budget_lines").fetchone()[0]
        return ", ".join(parts) + f", sum(amount_vnd) {amount}"
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or len(args) % 2:
        print(__doc__)
        return 2
    bad = 0
    for old, new in zip(args[::2], args[1::2]):
        problems = compare(old, new)
        print(f"{'IDENTICAL' if not problems else 'DIFFERENT'}: {old} vs {new} ({summary(new)})")
        for p in problems:
            print("  " + p)
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
