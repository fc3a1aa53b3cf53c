"""One figure per scope across documents: which budget lines a sum across documents counts.

A year's execution is often held for several periods of the same stage (Biểu 03 of Quý I, of
6 tháng, "lũy kế đến hết Quý III" — Thông tư 61/2017/TT-BTC, Thông tư 90/2018/TT-BTC), and a
year's estimate is restated by every execution report and before / after each adjustment
decision. Adding them up would count money several times. The write path marks every budget
line once, after each build and ingest (:func:`mark_counted`, column ``budget_lines.counted``);
the read path (``warehouse.queries``) filters on that column. A line is NOT counted when it is:

* an execution period contained in a wider period of the same province, year, stage and unit
  (its kind, else its printed name — as the import's overlap check, ``warehouse.duplicates``):
  Quý I inside 6 tháng inside 9 tháng leaves the widest, the year-to-date figure; periods that
  do not contain each other (Quý I, Quý II, Quý III reported one by one) all count and add up;
  a line without quarters covers the year;
* the "Dự toán năm" restated by a document that states execution, when the year has an
  estimate document; else all of them but the earliest (``Warehouse.budget_versions``, rule 1);
* "dự toán đã giao" of every decision but the earliest, "dự toán điều chỉnh" of every decision
  but the latest (the estimate before the first and after the last change).

The changes ("điều chỉnh") of all decisions add up and are always counted.
"""
from __future__ import annotations

import duckdb

from .quarters import period_label

# Stages of an estimate and its versions (loaders.vocab.Stage): the estimate as held, and the
# three stages of an adjustment decision (before, signed change, after).
ESTIMATE, BEFORE, CHANGE, AFTER = "dự toán", "dự toán đã giao", "điều chỉnh", "dự toán điều chỉnh"

# The period of an execution line as one integer: first quarter × 10 + last quarter (11 = Quý
# I, 12 = 6 tháng đầu năm, 13 = 9 tháng, 14 = cả năm, 22 = Quý II); no quarters = the year (14).
SPAN_OF = "(coalesce(list_min({t}quarters), 1) * 10 + coalesce(list_max({t}quarters), 4))"
SPAN = SPAN_OF.format(t="")

_SUPERSEDED_SPANS = f"""
    WITH sp AS (SELECT DISTINCT province, fiscal_year, phase_vn, coalesce(unit_kind, unit, '') AS ug,
                       document, {SPAN} AS span
                FROM budget_lines WHERE phase = 'executed')
    SELECT DISTINCT s.document, s.phase_vn, s.fiscal_year, s.ug, s.span FROM sp s JOIN sp o
        ON o.province = s.province AND o.fiscal_year = s.fiscal_year AND o.phase_vn = s.phase_vn AND o.ug = s.ug
    WHERE o.span <> s.span AND o.span // 10 <= s.span // 10 AND o.span % 10 >= s.span % 10"""

_SUPERSEDED_STAGES = f"""
    WITH executing AS (SELECT DISTINCT document FROM budget_lines WHERE phase = 'executed'),
         est AS (SELECT x.province, x.fiscal_year, x.phase_vn, x.document,
                        any_value(coalesce(d.issued_date, DATE '9999-12-31')) AS issued,
                        x.document IN (SELECT document FROM executing) AS restated
                 FROM (SELECT DISTINCT province, fiscal_year, phase_vn, document FROM budget_lines
                       WHERE phase_vn IN ('{ESTIMATE}', '{BEFORE}', '{AFTER}')) x
                      LEFT JOIN documents d ON d.document = x.document
                 GROUP BY ALL),
         ranked AS (SELECT *, rank() OVER (PARTITION BY province, fiscal_year, phase_vn
                                           ORDER BY restated, issued, document) AS first_rank,
                           rank() OVER (PARTITION BY province, fiscal_year, phase_vn
                                        ORDER BY issued DESC, document DESC) AS last_rank,
                           bool_and(restated) OVER (PARTITION BY province, fiscal_year, phase_vn) AS only_restated
                    FROM est)
    SELECT document, phase_vn, fiscal_year FROM ranked
    WHERE (phase_vn = '{ESTIMATE}' AND restated AND (NOT only_restated OR first_rank > 1))
       OR (phase_vn = '{BEFORE}' AND first_rank > 1) OR (phase_vn = '{AFTER}' AND last_rank > 1)"""


def mark_counted(con: duckdb.DuckDBPyConnection) -> int:
    """Set ``budget_lines.counted`` of every line by the rules of this module (the whole
    warehouse: a document arriving later can supersede lines of an earlier one). Run by the
    write path after every build and ingest, inside its transaction. Returns how many lines
    are left out of sums across documents."""
    con.execute("UPDATE budget_lines SET counted = true WHERE NOT counted")
    con.execute(f"""UPDATE budget_lines b SET counted = false FROM ({_SUPERSEDED_SPANS}) z
                    WHERE z.document = b.document AND z.phase_vn = b.phase_vn AND z.fiscal_year = b.fiscal_year
                      AND z.ug = coalesce(b.unit_kind, b.unit, '') AND z.span = {SPAN_OF.format(t='b.')}""")
    con.execute(f"""UPDATE budget_lines b SET counted = false FROM ({_SUPERSEDED_STAGES}) z
                    WHERE z.document = b.document AND z.phase_vn = b.phase_vn AND z.fiscal_year = b.fiscal_year""")
    return int(con.execute("SELECT count(*) FROM budget_lines WHERE NOT counted").fetchone()[0])


def span_label(span: int) -> str:
    """The period of a ``SPAN`` code: 11 → "Quý I", 12 → "6 tháng đầu năm", 14 → "Cả năm"."""
    return period_label(span // 10, span % 10)
