"""The one read path: every page reads the warehouse through these functions.

A ``Warehouse`` holds one read-only DuckDB connection and gives each query its own cursor
(a DuckDB connection is not thread-safe; Streamlit serves each session on its own thread).
When the file is swapped by a build or ingest (``warehouse.store``), the next query reopens
it. All amounts are ``int`` đồng; sums count leaf lines only (``NOT is_subtotal``), so no
subtotal is ever added to its own lines.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from loaders.text.periods import quarters_label
from loaders.text.units import KIND_SEPARATOR


NO_UNIT = "(không theo đơn vị)"  # label of lines printed without a unit
# Units: ``unit`` is the name as printed, ``unit_kind`` its kind across provinces
# (data/vocabulary/units.csv), NULL when the vocabulary does not know it. Within a province the
# pages group lines by their "unit group": the kind, else the printed name (a unit nobody
# classified stays apart under its own name), else NO_UNIT; the printed names of a group are
# always shown beside it (``units_printed``).
UNIT_GROUP = f"coalesce(unit_kind, unit, '{NO_UNIT}')"
LEAD_UNIT_GROUP = "coalesce(lead_unit_kind, lead_unit)"

# What a budget figure is: a line of a budget table ("budget"), the proposed budget of a task
# in a task plan ("task", e.g. the Sóc Trăng 2024 plan) or the estimated envelope of a project
# ("project", e.g. Phụ lục III of the Điện Biên 2026 plan). A headline never adds two kinds.
KINDS = ("budget", "task", "project")
# ``budget_lines`` with its ``kind``, derived from the task or project a line belongs to.
LINES = """(SELECT b.*, CASE WHEN b.task_id IS NULL THEN 'budget'
                            WHEN t.kind = 'project' THEN 'project' ELSE 'task' END AS kind
           FROM budget_lines b LEFT JOIN tasks t ON t.document = b.document AND t.task_id = b.task_id)
           AS budget_lines"""


@dataclass(frozen=True)
class BudgetFilter:
    """Filters of the budget pages. ``None`` or an empty tuple means "all"."""

    province: str | None = None
    fiscal_year: int | None = None
    phase: str | None = None
    phase_vn: str | None = None
    sources: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # unit groups (UNIT_GROUP: the kind, else the printed name; NO_UNIT)
    direction: str | None = "expenditure"
    documents: tuple[str, ...] = ()
    quarter: int | None = None  # lines whose timing includes this quarter
    kind: str | None = None  # one of KINDS; None = all kinds (never for a headline figure)

    def table(self) -> str:
        """What to read: the plain ``budget_lines`` table when no condition needs the
        ``kind`` of a line (no kind, or "budget": a line without a task), else ``LINES``
        (joined to the tasks)."""
        return "budget_lines" if self.kind in (None, "budget") else LINES

    def where(self) -> tuple[str, list]:
        """SQL condition over ``budget_lines`` (or ``LINES`` for a task or project kind) and
        its parameters."""
        clauses, params = ["TRUE"], []
        for column, value in (
            ("province", self.province),
            ("fiscal_year", self.fiscal_year),
            ("phase", self.phase),
            ("phase_vn", self.phase_vn),
            ("direction", self.direction),
            ("kind", None if self.kind == "budget" else self.kind),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.kind == "budget":  # what LINES calls "budget", without the join to tasks
            clauses.append("task_id IS NULL")
        for column, values in (("funding_source", self.sources), ("document", self.documents)):
            if values:
                clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        if self.units:
            named = [u for u in self.units if u != NO_UNIT]
            parts = [f"coalesce(unit_kind, unit) IN ({', '.join('?' for _ in named)})"] if named else []
            if NO_UNIT in self.units:
                parts.append("unit IS NULL")
            clauses.append("(" + " OR ".join(parts) + ")")
            params.extend(named)
        if self.quarter is not None:
            clauses.append("list_contains(quarters, ?)")
            params.append(self.quarter)
        return " AND ".join(clauses), params


LEAF = "NOT is_subtotal AND amount_vnd IS NOT NULL"


@dataclass
class Warehouse:
    """Read-only access to the DuckDB warehouse at ``path``."""

    path: Path
    _con: duckdb.DuckDBPyConnection | None = field(default=None, init=False, repr=False)
    _identity: tuple | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def _file_identity(self) -> tuple:
        st = os.stat(self.path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def identity(self) -> tuple:
        """What changes when the warehouse is rebuilt or ingested into (a swap makes a new
        file): the file's (inode, mtime in ns, size). Caches of query results key on it.
        Raises ``FileNotFoundError`` when the warehouse has not been built."""
        return self._file_identity()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor on the current warehouse file (reopened after a swap).

        Raises ``FileNotFoundError`` when the warehouse has not been built.
        """
        with self._lock:
            identity = self._file_identity()
            if self._con is None or identity != self._identity:
                # The old connection is not closed here: other sessions' cursors may still be
                # running queries on it (DuckDB refuses to close a busy connection). Dropping
                # the reference lets it close once its last cursor is done. The new file is
                # attached to a new in-memory database: ``duckdb.connect(path)`` would hand back
                # the process's cached instance of the old file while it is still open.
                con = duckdb.connect(":memory:")
                con.execute("ATTACH ? AS warehouse (READ_ONLY)", [str(self.path)])
                self._con = con
                self._identity = identity
            cur = self._con.cursor()
        cur.execute("USE warehouse")
        return cur

    def df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run ``sql`` on a fresh cursor and return a DataFrame."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def scalar(self, sql: str, params: list | None = None):
        cur = self.cursor()
        try:
            row = cur.execute(sql, params or []).fetchone()
            return row[0] if row else None
        finally:
            cur.close()

    # --- catalogue of what the warehouse holds -------------------------------------------
    def documents(self, province: str | None = None) -> pd.DataFrame:
        """One row per document (of ``province`` when given): file, province, years, kind,
        number, lines, totals, mismatches, issues (counts joined once, not per document)."""
        return self.df(
            """
            SELECT d.document, d.province, array_to_string(d.fiscal_years, ', ') AS fiscal_years,
                   d.kind, d.issuer, d.number, d.issued_date, d.issued_text, d.title, d.layout,
                   coalesce(b.n, 0) AS budget_lines, coalesce(t.n, 0) AS totals,
                   coalesce(t.mismatches, 0) AS mismatches, coalesce(i.n, 0) AS issues
            FROM documents d
            LEFT JOIN (SELECT document, count(*) AS n FROM budget_lines WHERE $1 IS NULL OR province = $1
                       GROUP BY 1) b USING (document)
            LEFT JOIN (SELECT document, count(*) AS n, count(*) FILTER (WHERE status = 'mismatch') AS mismatches
                       FROM totals WHERE $1 IS NULL OR province = $1 GROUP BY 1) t USING (document)
            LEFT JOIN (SELECT document, count(*) AS n FROM parse_issues GROUP BY 1) i USING (document)
            WHERE $1 IS NULL OR d.province = $1
            ORDER BY d.province, d.document
            """,
            [province],
        )

    def provinces(self) -> list[str]:
        """Provinces that have budget lines, alphabetical."""
        return list(self.df("SELECT DISTINCT province FROM budget_lines ORDER BY province")["province"])

    def busiest_province(self) -> str | None:
        """The province with the most budget lines: the default province of every page."""
        return self.scalar("SELECT province FROM budget_lines GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")

    def default_year(self, province: str | None = None) -> int | None:
        """The newest year with an allocated or executed budget (else the newest year)."""
        return self.scalar(
            """SELECT fiscal_year FROM budget_lines WHERE (? IS NULL OR province = ?)
               ORDER BY (phase IN ('approved', 'adjusted', 'executed')) DESC, fiscal_year DESC LIMIT 1""",
            [province, province],
        )

    def years(self, province: str | None = None) -> list[int]:
        """Fiscal years with budget lines (for ``province`` when given), newest first."""
        sql = "SELECT DISTINCT fiscal_year FROM budget_lines WHERE (? IS NULL OR province = ?) ORDER BY 1 DESC"
        return [int(y) for y in self.df(sql, [province, province])["fiscal_year"]]

    def stages(self, province: str | None = None, fiscal_year: int | None = None) -> pd.DataFrame:
        """The scopes of the chosen province and year: one row per (phase, phase_vn, kind)
        with its leaf total (đồng) and line count, allocated stages first and, within a stage,
        budget lines before task proposals and project envelopes. A scope never mixes two
        stages or two kinds (see ``KINDS``)."""
        return self.df(
            f"""
            SELECT phase, phase_vn, kind, (sum(amount_vnd) FILTER (WHERE {LEAF}))::BIGINT AS amount_vnd, count(*) AS lines
            FROM {LINES}
            WHERE (? IS NULL OR province = ?) AND (? IS NULL OR fiscal_year = ?)
            GROUP BY phase, phase_vn, kind ORDER BY CASE phase WHEN 'approved' THEN 1 WHEN 'adjusted' THEN 2
                 WHEN 'executed' THEN 3 ELSE 4 END, phase_vn,
                 CASE kind WHEN 'budget' THEN 1 WHEN 'task' THEN 2 ELSE 3 END
            """,
            [province, province, fiscal_year, fiscal_year],
        )

    def units(self, f: BudgetFilter) -> pd.DataFrame:
        """The unit groups of the lines in ``f``'s province, year, stage and kind, whatever
        the direction, alphabetical: columns unit_group (``UNIT_GROUP``: the kind, else the
        printed name, else ``NO_UNIT``; the values ``BudgetFilter.units`` takes) and
        units_printed (the names as printed in that group, "; "-joined, NULL for NO_UNIT)."""
        g = BudgetFilter(f.province, f.fiscal_year, f.phase, f.phase_vn, direction=None, kind=f.kind)
        where, params = g.where()
        return self.df(
            f"""SELECT {UNIT_GROUP} AS unit_group, string_agg(DISTINCT unit, '; ' ORDER BY unit) AS units_printed
                FROM {g.table()} WHERE {where} GROUP BY 1 ORDER BY 1""",
            params,
        )

    # --- budget --------------------------------------------------------------------------
    def totals_by(self, f: BudgetFilter, by: str) -> pd.DataFrame:
        """Leaf amounts summed by ``by`` ∈ {funding_source, unit, unit_group, direction,
        fiscal_year, phase_vn, field, document, province}: columns [by, amount_vnd (int
        đồng), lines]. ``unit`` is the name as printed (``NO_UNIT`` when none);
        ``unit_group`` the kind, else the printed name (``UNIT_GROUP``), with a column
        units_printed (the printed names of the group, "; "-joined) after it. Raises
        ``ValueError`` for another ``by``."""
        allowed = {"funding_source", "unit", "unit_group", "direction", "fiscal_year", "phase_vn", "field", "document",
                   "province"}
        if by not in allowed:
            raise ValueError(f"cannot group by {by!r}")
        where, params = self._where(f)
        col = {"unit": f"coalesce(unit, '{NO_UNIT}')", "unit_group": UNIT_GROUP}.get(by, by)
        printed = ", string_agg(DISTINCT unit, '; ' ORDER BY unit) AS units_printed" if by == "unit_group" else ""
        df = self.df(
            f"""SELECT {col} AS {by}{printed}, sum(amount_vnd)::BIGINT AS amount_vnd, count(*) AS lines
                FROM {f.table()} WHERE {where} AND {LEAF} GROUP BY 1 ORDER BY amount_vnd DESC, 1""",
            params,
        )
        return df.astype({"amount_vnd": "int64"}) if len(df) else df

    def total(self, f: BudgetFilter) -> int:
        """Sum of the leaf lines matching ``f`` in đồng (0 when none)."""
        where, params = self._where(f)
        return int(self.scalar(f"SELECT coalesce(sum(amount_vnd), 0)::BIGINT FROM {f.table()} WHERE {where} AND {LEAF}", params))

    def by_quarter(self, f: BudgetFilter, spread: bool) -> pd.DataFrame:
        """Leaf amounts by quarter and funding source: columns [quarter_label, quarter_order,
        funding_source, amount_vnd].

        ``spread=True`` divides a multi-quarter or whole-year line evenly over its quarters
        in whole đồng (the remainder goes to the earliest quarters, so the parts add up to
        the line exactly). ``spread=False`` keeps each such line in its own group
        ("Quý II–III", "Cả năm"). Lines without timing form "Không rõ thời gian".
        Either way every đồng is counted once.
        """
        where, params = self._where(f)
        if spread:
            df = self.df(
                f"""
                WITH l AS (SELECT funding_source, amount_vnd, quarters, len(quarters) AS n
                           FROM {f.table()} WHERE {where} AND {LEAF}),
                q AS (SELECT funding_source, amount_vnd, n, unnest(quarters) AS quarter,
                             generate_subscripts(quarters, 1) AS idx FROM l WHERE n > 0)
                SELECT quarter, funding_source,
                       sum(amount_vnd // n + CASE WHEN idx <= amount_vnd % n THEN 1 ELSE 0 END)::BIGINT AS amount_vnd
                FROM q GROUP BY ALL
                UNION ALL
                SELECT NULL AS quarter, funding_source, sum(amount_vnd)::BIGINT FROM l WHERE n = 0 GROUP BY ALL
                """,
                params,
            )
            df["quarter_label"] = df["quarter"].map(lambda q: quarters_label(()) if pd.isna(q) else quarters_label((int(q),)))
            df["quarter_order"] = df["quarter"].fillna(99).astype(int)
        else:
            df = self.df(
                f"""SELECT quarters, funding_source, sum(amount_vnd)::BIGINT AS amount_vnd
                    FROM {f.table()} WHERE {where} AND {LEAF} GROUP BY ALL""",
                params,
            )
            df["quarter_label"] = df["quarters"].map(lambda qs: quarters_label(tuple(int(q) for q in qs)))
            df["quarter_order"] = df["quarters"].map(
                lambda qs: (min(qs) * 10 + len(qs)) if len(qs) and len(qs) < 4 else (50 if len(qs) == 4 else 99)
            )
        df = df.groupby(["quarter_label", "quarter_order", "funding_source"], as_index=False)["amount_vnd"].sum()
        return df.sort_values(["quarter_order", "funding_source"]).reset_index(drop=True).astype({"amount_vnd": "int64"})

    def lines(self, f: BudgetFilter, leaves_only: bool = True) -> pd.DataFrame:
        """Budget lines with provenance: description, period, source, unit (as printed,
        ``NO_UNIT`` when none), unit_kind (NULL when unknown), unit_group (``UNIT_GROUP``),
        amount (đồng), document and source line, ordered as printed."""
        where, params = self._where(f)
        leaf = f"AND {LEAF}" if leaves_only else ""
        return self.df(
            f"""
            SELECT province, fiscal_year, phase, phase_vn, direction, funding_source, funding_note,
                   coalesce(unit, '{NO_UNIT}') AS unit, unit_kind, {UNIT_GROUP} AS unit_group, field, appendix,
                   section, code, parent_id,
                   is_subtotal, description, period, array_to_string(quarters, ',') AS quarters,
                   amount_vnd, amount_text, amount_unit, document, source_line, description_line,
                   note, line_id, task_id, {"'budget' AS kind" if f.kind == "budget" else "kind"}
            FROM {LINES if f.kind != "budget" else "budget_lines"} WHERE {where} {leaf}
            ORDER BY document, source_line, phase_vn
            """,
            params,
        )

    @staticmethod
    def _where(f: BudgetFilter) -> tuple[str, list]:
        return f.where()

    # --- reconciliation --------------------------------------------------------------------
    def reconciliation(self, province: str | None = None, fiscal_year: int | None = None, only_mismatches: bool = False) -> pd.DataFrame:
        """Printed totals and subtotals with their check: document, scope, label, printed
        amount, amount in words, computed sum of covered lines (đồng), status, detail, line."""
        return self.df(
            """
            SELECT document, province, fiscal_year, phase_vn, scope, label, kind,
                   printed_amount_vnd, words_amount_vnd, computed_amount_vnd, status, detail,
                   source_line, words_line, words_text
            FROM totals
            WHERE (? IS NULL OR province = ?) AND (? IS NULL OR fiscal_year = ?)
              AND (NOT ? OR status = 'mismatch')
            ORDER BY document, source_line
            """,
            [province, province, fiscal_year, fiscal_year, only_mismatches],
        )

    def parse_issues(self, province: str | None = None) -> pd.DataFrame:
        """Warnings the parsers left (rows they could not place, values they could not read)."""
        return self.df(
            """SELECT i.document, i.line, i.severity, i.message, i.text FROM parse_issues i
               JOIN documents d USING (document) WHERE (? IS NULL OR d.province = ?)
               ORDER BY i.document, i.line""",
            [province, province],
        )

    # --- execution (plan vs actual) --------------------------------------------------------
    def execution(self, province: str) -> pd.DataFrame:
        """Central plan, provincial plan and execution by line and year (wide), with the
        execution rate = thực hiện / KH UBND giao (%). Columns: fiscal_year, code,
        description, section, khtw_vnd, ubnd_vnd, executed_vnd, executed_stage,
        is_subtotal, rate_pct, document, source_line."""
        df = self.df(
            """
            SELECT fiscal_year, code, section, description, is_subtotal, document, source_line,
                   max(amount_vnd) FILTER (WHERE phase_vn = 'KHTW giao') AS khtw_vnd,
                   max(amount_vnd) FILTER (WHERE phase_vn = 'KH UBND giao') AS ubnd_vnd,
                   max(amount_vnd) FILTER (WHERE phase = 'executed') AS executed_vnd,
                   max(phase_vn) FILTER (WHERE phase = 'executed') AS executed_stage,
                   bool_or(is_subtotal) FILTER (WHERE phase_vn = 'KH UBND giao') AS sub
            FROM budget_lines
            WHERE province = ? AND phase_vn IN ('KHTW giao', 'KH UBND giao', 'thực hiện', 'thực hiện 6 tháng đầu năm')
            GROUP BY fiscal_year, code, section, description, is_subtotal, document, source_line
            ORDER BY fiscal_year, source_line
            """,
            [province],
        )
        if len(df):
            df = df.groupby(["fiscal_year", "code", "section", "description", "document", "source_line"], as_index=False).agg(
                khtw_vnd=("khtw_vnd", "max"),
                ubnd_vnd=("ubnd_vnd", "max"),
                executed_vnd=("executed_vnd", "max"),
                executed_stage=("executed_stage", "max"),
                is_subtotal=("sub", "max"),
            )
            for c in ("khtw_vnd", "ubnd_vnd", "executed_vnd"):
                df[c] = df[c].astype("Int64")
            df["is_subtotal"] = df["is_subtotal"].fillna(False).astype(bool)
            df["rate_pct"] = [
                (round(e * 100 / u, 1) if pd.notna(e) and pd.notna(u) and u else None)
                for e, u in zip(df["executed_vnd"], df["ubnd_vnd"])
            ]
            df = df.sort_values(["fiscal_year", "source_line"]).reset_index(drop=True)
        return df

    def execution_totals(self, province: str) -> pd.DataFrame:
        """Leaf totals of budget lines (not task or project figures) per year and stage, for
        the execution chart: fiscal_year, phase, phase_vn, amount_vnd, document, lines."""
        return self.df(
            f"""SELECT fiscal_year, phase, phase_vn, sum(amount_vnd)::BIGINT AS amount_vnd,
                       min(document) AS document, count(*) AS lines
                FROM {LINES} WHERE province = ? AND {LEAF} AND direction = 'expenditure' AND kind = 'budget'
                GROUP BY ALL ORDER BY fiscal_year, phase_vn""",
            [province],
        )

    def execution_rates(self, province: str) -> pd.DataFrame:
        """The execution rate of each year that has both a provincial plan and an execution:
        fiscal_year, ubnd_vnd (KH UBND giao, đồng), executed_vnd (đồng), executed_stage
        ("thực hiện" or "thực hiện 6 tháng đầu năm"), rate_pct = executed / KH UBND giao × 100
        (float, %), documents. Leaf lines only (no subtotal added), budget lines only."""
        df = self.df(
            f"""SELECT fiscal_year,
                       (sum(amount_vnd) FILTER (WHERE phase_vn = 'KH UBND giao'))::BIGINT AS ubnd_vnd,
                       (sum(amount_vnd) FILTER (WHERE phase = 'executed'))::BIGINT AS executed_vnd,
                       max(phase_vn) FILTER (WHERE phase = 'executed') AS executed_stage,
                       string_agg(DISTINCT document, ', ') AS documents
                FROM {LINES} WHERE province = ? AND {LEAF} AND direction = 'expenditure' AND kind = 'budget'
                  AND (phase_vn = 'KH UBND giao' OR phase = 'executed')
                GROUP BY fiscal_year HAVING ubnd_vnd IS NOT NULL AND executed_vnd IS NOT NULL AND ubnd_vnd <> 0
                ORDER BY fiscal_year""",
            [province],
        )
        df["rate_pct"] = [e * 100 / u for e, u in zip(df["executed_vnd"], df["ubnd_vnd"])]
        return df

    def proposed_beside_execution(self, province: str) -> pd.DataFrame:
        """Proposed (đề xuất) lines printed in the same documents as a plan/execution table
        (the next year's estimate shown beside 2020–2021): fiscal_year, code, description,
        funding_source, amount_vnd, is_subtotal, note, document, source_line."""
        return self.df(
            """SELECT fiscal_year, code, description, funding_source, amount_vnd, is_subtotal, note,
                      document, source_line
               FROM budget_lines WHERE province = ? AND phase = 'proposed' AND document IN
                    (SELECT DISTINCT document FROM budget_lines WHERE province = ? AND phase_vn = 'KH UBND giao')
               ORDER BY source_line""",
            [province, province],
        )

    # --- indicators (chỉ tiêu) -------------------------------------------------------------
    def indicator_provinces(self) -> list[str]:
        return list(self.df("SELECT DISTINCT province FROM indicators ORDER BY 1")["province"])

    def indicator_years(self, province: str) -> list[int]:
        df = self.df("SELECT DISTINCT fiscal_year FROM indicators WHERE province = ? ORDER BY 1 DESC", [province])
        return [int(y) for y in df["fiscal_year"]]

    def targets(self, province: str, fiscal_year: int, entries_csv: Path | None = None) -> pd.DataFrame:
        """Targets of ``province`` for ``fiscal_year`` with their best actual and status.

        The actual is, in order: the latest entry typed on the Chỉ tiêu page for this target
        and year (``entries_csv``, with who and when), else a figure from a document of the
        same province whose catalogue code matches and whose period ends within the year.
        Columns: indicator_id, document, source_line, group, subgroup, name, code, field,
        comparator, target_value, target_unit, target_text, qualitative, parsed, lead_unit (as
        printed), lead_unit_kind (NULL when unknown), lead_unit_group (the kind, else the
        printed name), legal_basis, actual_value, actual_period, actual_source, status, status_vn,
        progress_pct, good_direction.
        """
        from loaders.text.catalogue import default_catalogue

        from . import kpi

        df = self.df(
            f"""SELECT indicator_id, document, source_line, "group", subgroup, name, code, field,
                      comparator, target_value, target_unit, target_text, qualitative, parsed,
                      lead_unit, lead_unit_kind, {LEAD_UNIT_GROUP} AS lead_unit_group, legal_basis, note
               FROM indicators WHERE province = ? AND fiscal_year = ? ORDER BY source_line""",
            [province, fiscal_year],
        )
        docs = self.df(
            """SELECT code, value, period, document, source_line, period_end FROM indicator_actuals
               WHERE province = ? AND code IS NOT NULL AND parent_id IS NULL
                 AND year(period_end) = ? ORDER BY period_end DESC, source_line""",
            [province, fiscal_year],
        )
        doc_actual = {}
        for row in docs.itertuples():
            doc_actual.setdefault(row.code, (row.value, row.period, f"{row.document}, dòng {row.source_line}"))
        manual = latest_entries(entries_csv, province, str(fiscal_year))
        directions = {e.code: e.good_direction for e in default_catalogue()}
        values, periods, sources = [], [], []
        for row in df.itertuples():
            key = (row.document, row.indicator_id)
            if key in manual:
                m = manual[key]
                values.append(m["value"])
                periods.append(m["period"])
                sources.append(f"nhập tay: {m['entered_by']}, {m['entered_at']}")
            elif row.code in doc_actual:
                v, p, s = doc_actual[row.code]
                values.append(v)
                periods.append(p)
                sources.append(s)
            else:
                values.append(None)
                periods.append(None)
                sources.append(None)
        df["actual_value"] = pd.array(values, dtype="Float64")
        df["actual_period"] = periods
        df["actual_source"] = sources
        df["good_direction"] = df["code"].map(directions)
        df["status"] = [
            kpi.status(c, None if pd.isna(t) else t, None if pd.isna(a) else float(a), bool(q), g, bool(p))
            for c, t, a, q, g, p in zip(
                df["comparator"], df["target_value"], df["actual_value"], df["qualitative"], df["good_direction"], df["parsed"]
            )
        ]
        df["status_vn"] = df["status"].map(kpi.STATUS_VN)
        df["progress_pct"] = [
            kpi.progress_pct(c, None if pd.isna(t) else t, None if pd.isna(a) else float(a), g)
            for c, t, a, g in zip(df["comparator"], df["target_value"], df["actual_value"], df["good_direction"])
        ]
        return df

    def actuals(self, province: str | None = None) -> pd.DataFrame:
        """Indicator actuals read from documents: province, code, name, period, period_start,
        period_end, value, unit, parent_id, field, document, source_line, sentence, note."""
        return self.df(
            """SELECT province, actual_id, code, name, period, period_start, period_end, value, unit,
                      parent_id, field, document, source_line, sentence, note
               FROM indicator_actuals WHERE (? IS NULL OR province = ?) ORDER BY province, document, source_line""",
            [province, province],
        )

    # --- tasks (nhiệm vụ) ------------------------------------------------------------------
    def task_provinces(self) -> list[str]:
        return list(self.df("SELECT DISTINCT province FROM tasks ORDER BY 1")["province"])

    def task_years(self, province: str) -> list[int]:
        df = self.df("SELECT DISTINCT fiscal_year FROM tasks WHERE province = ? ORDER BY 1 DESC", [province])
        return [int(y) for y in df["fiscal_year"]]

    def tasks(self, province: str, fiscal_year: int | None = None, status_journal: Path | None = None) -> pd.DataFrame:
        """Tasks and projects (``kind`` "task" / "project") of ``province`` with timing, lead
        unit (``lead_unit`` as printed, ``lead_unit_kind`` its kind or NULL,
        ``lead_unit_group`` the kind else the printed name), assignees, field and budget
        (đồng, may be NA), and the latest completion recorded by an
        editor (``warehouse.task_entries``; ``status_journal`` overrides its file): columns
        recorded ("done" / "not_done" / None), recorded_by, recorded_at, recorded_note."""
        from .task_entries import latest_task_statuses, task_key

        df = self.df(
            f"""SELECT task_id, kind, section, name, lead_unit, lead_unit_kind, {LEAD_UNIT_GROUP} AS lead_unit_group,
                      assignees, partners, expected_result,
                      timing_text, deadline, period_start, period_end, recurring, budget_vnd,
                      budget_text, budget_note, field, document, source_line, fiscal_year
               FROM tasks WHERE province = ? AND (? IS NULL OR fiscal_year = ?) ORDER BY document, source_line""",
            [province, fiscal_year, fiscal_year],
        )
        df["budget_vnd"] = df["budget_vnd"].astype("Int64")
        recorded = latest_task_statuses(status_journal)
        rows = [recorded.get(task_key(d, t), {}) for d, t in zip(df["document"], df["task_id"])]
        df["recorded"] = [r.get("status") for r in rows]
        df["recorded_by"] = [r.get("recorded_by") for r in rows]
        df["recorded_at"] = [r.get("recorded_at") for r in rows]
        df["recorded_note"] = [r.get("note") or None for r in rows]
        return df

    # --- comparison and trends -------------------------------------------------------------
    def province_table(self) -> pd.DataFrame:
        """The reference table: code_gso, name, region, population_2023, successor_2025."""
        return self.df("SELECT * FROM provinces ORDER BY name")

    def budget_by_province_year(self, provinces: list[str] | None, years: list[int] | None = None,
                                with_documents: bool = True) -> pd.DataFrame:
        """Leaf spending by province, year, phase, stage, kind (``KINDS``) and source (đồng),
        with the population of 2023: province, fiscal_year, phase, phase_vn, kind,
        funding_source, amount_vnd, lines, population, and (``with_documents``) documents
        (file names joined by ", "). ``provinces`` / ``years``: ``None`` or empty = all.

        One aggregate over the lines; budget lines (no task) are summed straight from the
        table and only task and project figures are joined to their task for their kind, the
        province table is joined to the result: without documents this stays close to a bare
        GROUP BY (docs/PERFORMANCE.md); the documents of one scope come from
        ``scope_documents``."""
        where, params = _scope_where(provinces, years)
        docs = ", string_agg(DISTINCT document, ', ' ORDER BY document) AS documents" if with_documents else ""
        keys = "province, fiscal_year, phase, phase_vn, kind, funding_source"
        return self.df(
            f"""WITH a AS (
                    SELECT {keys.replace('kind', "'budget' AS kind")}, sum(amount_vnd)::BIGINT AS amount_vnd,
                           count(*) AS lines{docs}
                    FROM budget_lines WHERE task_id IS NULL AND {where} AND {LEAF} AND direction = 'expenditure'
                    GROUP BY ALL
                    UNION ALL
                    SELECT {keys}, sum(amount_vnd)::BIGINT AS amount_vnd, count(*) AS lines{docs}
                    FROM {LINES} WHERE task_id IS NOT NULL AND {where} AND {LEAF} AND direction = 'expenditure'
                    GROUP BY ALL)
                SELECT a.*, p.population_2023 AS population FROM a LEFT JOIN provinces p ON p.name = a.province
                ORDER BY province, fiscal_year, phase_vn, kind, funding_source""",
            params + params,
        )

    def scope_documents(self, provinces: list[str] | None, years: list[int] | None, phase_vn: str, kind: str) -> pd.DataFrame:
        """The documents of the leaf spending lines of one scope (stage ``phase_vn`` and
        ``kind``) by province and year (``None`` = all): province, fiscal_year, documents
        (", "-joined)."""
        where, params = _scope_where(provinces, years)
        return self.df(
            f"""SELECT province, fiscal_year, string_agg(DISTINCT document, ', ' ORDER BY document) AS documents
                FROM {LINES} WHERE {where} AND phase_vn = ? AND kind = ? AND {LEAF} AND direction = 'expenditure'
                GROUP BY ALL ORDER BY province, fiscal_year""",
            params + [phase_vn, kind],
        )

    def budget_by_unit_kind(self, provinces: list[str] | None, years: list[int] | None, phase_vn: str,
                            kind: str) -> pd.DataFrame:
        """Leaf spending of one scope (stage ``phase_vn`` and ``kind`` of figure) by province,
        year and unit kind, for comparing provinces (``None`` = all provinces / years):
        province, fiscal_year, unit_kind (the kind of ``data/vocabulary/units.csv``; NULL for
        lines whose unit the vocabulary does not know or that print none), units_printed (the
        names as printed behind the row, "; "-joined; NULL when no line prints a unit),
        amount_vnd (đồng), lines. Kinds, never printed names, are the compared key: one
        province's name is not another's."""
        where, params = _scope_where(provinces, years)
        return self.df(
            f"""SELECT province, fiscal_year, unit_kind,
                       string_agg(DISTINCT unit, '; ' ORDER BY unit) AS units_printed,
                       sum(amount_vnd)::BIGINT AS amount_vnd, count(*) AS lines
                FROM {LINES} WHERE {where} AND phase_vn = ? AND kind = ? AND {LEAF} AND direction = 'expenditure'
                GROUP BY ALL ORDER BY province, fiscal_year, amount_vnd DESC""",
            params + [phase_vn, kind],
        )

    def years_of(self, provinces: list[str]) -> list[int]:
        """Fiscal years with budget lines or tasks of any of ``provinces``, oldest first (one
        query, whatever the number of provinces)."""
        df = self.df(
            """SELECT DISTINCT fiscal_year FROM (
                   SELECT fiscal_year FROM budget_lines WHERE province IN (SELECT unnest(?::VARCHAR[]))
                   UNION ALL SELECT fiscal_year FROM tasks WHERE province IN (SELECT unnest(?::VARCHAR[])))
               WHERE fiscal_year IS NOT NULL ORDER BY 1""",
            [list(provinces), list(provinces)],
        )
        return [int(y) for y in df["fiscal_year"]]

    def execution_provinces(self) -> list[str]:
        """Provinces with at least one year that has both a KH UBND giao plan (non-zero) and
        an execution of budget lines (what ``execution_rates`` needs), alphabetical; one query."""
        df = self.df(
            f"""SELECT province FROM {LINES}
                WHERE {LEAF} AND direction = 'expenditure' AND kind = 'budget'
                  AND (phase_vn = 'KH UBND giao' OR phase = 'executed')
                GROUP BY province, fiscal_year
                HAVING (sum(amount_vnd) FILTER (WHERE phase_vn = 'KH UBND giao')) <> 0
                   AND count(*) FILTER (WHERE phase = 'executed') > 0
                ORDER BY 1"""
        )
        return list(dict.fromkeys(df["province"]))

    def tasks_by_field(self, provinces: list[str] | None, years: list[int] | None = None, kind: str = "task") -> pd.DataFrame:
        """Counts of tasks (``kind="task"``) or projects (``"project"``) by province, year and
        field (``None`` = all), with their budgets (đồng): province, fiscal_year, field ("khac"
        when none), tasks, budget_vnd, documents."""
        where, params = _scope_where(provinces, years)
        return self.df(
            f"""SELECT province, fiscal_year, coalesce(field, 'khac') AS field, count(*) AS tasks,
                       coalesce(sum(budget_vnd), 0)::BIGINT AS budget_vnd,
                       string_agg(DISTINCT document, ', ') AS documents
                FROM tasks WHERE {where} AND kind = ?
                GROUP BY ALL ORDER BY province, fiscal_year, field""",
            params + [kind],
        )

    def tasks_by_lead_unit_kind(self, provinces: list[str] | None, years: list[int] | None = None,
                                kind: str = "task") -> pd.DataFrame:
        """Counts of tasks (``kind="task"``) or projects (``"project"``) by province, year and
        kind of lead unit (``None`` = all provinces / years), for comparing provinces:
        province, fiscal_year, lead_unit_kind (a kind of ``data/vocabulary/units.csv``; NULL
        for tasks whose lead unit the vocabulary does not know or that name none), tasks,
        shared (of those, tasks led by several units together), lead_units_printed (the lead
        units as printed of the tasks led by this kind alone, "; "-joined; NULL when none).
        A task led by several units of known kinds ("Văn phòng Sở, Trung tâm ĐMST") counts
        once for each of its kinds, so the rows of a province may add up to more than its
        tasks."""
        where, params = _scope_where(provinces, years)
        several = f"cell_kind LIKE '%{KIND_SEPARATOR}%'"
        return self.df(
            f"""WITH t AS (SELECT province, fiscal_year, lead_unit, lead_unit_kind AS cell_kind,
                                  unnest(coalesce(string_split(lead_unit_kind, '{KIND_SEPARATOR}'), [NULL])) AS lead_unit_kind
                           FROM tasks WHERE {where} AND kind = ?)
                SELECT province, fiscal_year, lead_unit_kind, count(*) AS tasks,
                       count(*) FILTER (WHERE {several}) AS shared,
                       string_agg(DISTINCT lead_unit, '; ' ORDER BY lead_unit)
                           FILTER (WHERE cell_kind IS NULL OR NOT {several}) AS lead_units_printed
                FROM t GROUP BY ALL ORDER BY province, fiscal_year, tasks DESC, lead_unit_kind""",
            params + [kind],
        )

    def actuals_by_code(self, provinces: list[str]) -> pd.DataFrame:
        """Whole (not breakdown) actuals with a catalogue code, by province and period."""
        return self.df(
            f"""SELECT province, code, any_value(name) AS name, period, period_start, period_end,
                       sum(value) AS value, any_value(unit) AS unit, any_value(field) AS field,
                       string_agg(document || ':' || source_line, ', ') AS sources
                FROM indicator_actuals
                WHERE province IN (SELECT unnest(?::VARCHAR[])) AND code IS NOT NULL AND parent_id IS NULL
                GROUP BY province, code, period, period_start, period_end
                ORDER BY code, province, period_start""",
            [list(provinces)],
        )


@dataclass
class ParquetWarehouse(Warehouse):
    """Read-only access to a warehouse published as Parquet (``warehouse.publish``): a local
    folder or an object-storage URL (``s3://bucket/prefix``, DuckDB's httpfs). The tables
    are views over the files of the current ``manifest.json``, so every query of
    ``Warehouse`` runs unchanged; a new publication is picked up at the next query (local:
    the manifest file changed; remote: checked every ``RECHECK_S`` seconds)."""

    path: Path | str
    RECHECK_S = 30.0
    _remote_identity: tuple = field(default=(0.0, None), init=False, repr=False)
    _probe: duckdb.DuckDBPyConnection | None = field(default=None, init=False, repr=False)

    def _connect(self) -> duckdb.DuckDBPyConnection:
        from .publish import is_remote

        con = duckdb.connect()
        if is_remote(self.path):
            con.execute("INSTALL httpfs")
            con.execute("LOAD httpfs")
        return con

    def _file_identity(self) -> tuple:
        from .publish import MANIFEST, is_remote, read_manifest

        if not is_remote(self.path):
            st = os.stat(Path(self.path) / MANIFEST)
            return (st.st_ino, st.st_mtime_ns, st.st_size)
        checked, build_id = self._remote_identity
        now = time.monotonic()
        if build_id is None or now - checked > self.RECHECK_S:
            if self._probe is None:
                self._probe = self._connect()
            build_id = read_manifest(self.path, self._probe.cursor())["build_id"]
            self._remote_identity = (now, build_id)
        return (build_id,)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor on in-memory views over the current publication. Raises
        ``FileNotFoundError`` when nothing has been published at ``path``."""
        from .publish import attach, read_manifest

        with self._lock:
            identity = self._file_identity()
            if self._con is None or identity != self._identity:
                con = self._connect()
                attach(con, self.path, read_manifest(self.path, con))
                self._con, self._identity = con, identity
            return self._con.cursor()


def open_warehouse(source: str | Path) -> Warehouse:
    """The reader of ``source``: a DuckDB file (``Warehouse``) or a Parquet publication,
    local folder or URL (``ParquetWarehouse``)."""
    from .publish import is_remote

    if is_remote(source) or Path(source).is_dir():
        return ParquetWarehouse(source)
    return Warehouse(Path(source))


def _scope_where(provinces: list[str] | None, years: list[int] | None) -> tuple[str, list]:
    """``province IN (…) AND fiscal_year IN (…)`` with one list parameter each (the plan is
    the same for 1 or 34 provinces; a long ``IN (?, ?, …)`` cost more than the GROUP BY);
    ``None`` or empty adds no condition at all (the cheapest: "all")."""
    clauses, params = ["TRUE"], []
    if provinces:
        clauses.append("province IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(provinces))
    if years:
        clauses.append("list_contains(?, fiscal_year)")
        params.append([int(y) for y in years])
    return " AND ".join(clauses), params


def latest_entries(path: Path | None, province: str, period: str) -> dict[tuple[str, str], dict]:
    """Latest typed actual per (document, indicator_id) for ``province`` and ``period`` from
    the entries store (``warehouse.entries``; ``{}`` when there is none)."""
    from .entries import latest

    return latest(province, period, path)
