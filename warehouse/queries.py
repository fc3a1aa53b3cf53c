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
from loaders.text.units import split_units
from loaders.vocab import Stage

from .counting import AFTER, BEFORE, CHANGE, ESTIMATE, SPAN, span_label
from .quarters import Figure, by_quarter, period_label, to_span

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
# ``budget_lines`` with its ``kind``: stored at build (``warehouse.load.columns_of``, from the task or
# project a line belongs to; schema 13), so no query joins the tasks for it.
LINES = "budget_lines"


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
    # execution periods (``SPAN`` codes: 11 = Quý I, 12 = 6 tháng, 13 = 9 tháng, 14 = cả năm);
    # empty: with ``documents`` empty too, only what a sum across documents counts (``counted``)
    periods: tuple[int, ...] = ()

    def table(self) -> str:
        """What to read: ``budget_lines`` (each line holds its ``kind`` since schema 13)."""
        return LINES

    def where(self) -> tuple[str, list]:
        """SQL condition over ``budget_lines`` and its parameters."""
        clauses, params = ["TRUE"], []
        for column, value in (
            ("province", self.province),
            ("fiscal_year", self.fiscal_year),
            ("phase", self.phase),
            ("phase_vn", self.phase_vn),
            ("direction", self.direction),
            ("kind", self.kind),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
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
        if self.periods:
            clauses.append(f"(phase <> 'executed' OR {SPAN} IN ({', '.join('?' for _ in self.periods)}))")
            params.extend(int(p) for p in self.periods)
        elif not self.documents:  # several documents: one figure per stage and period, never their sum
            clauses.append("counted")
        return " AND ".join(clauses), params


LEAF = "NOT is_subtotal AND amount_vnd IS NOT NULL"

# Stages of an estimate and its versions (loaders.vocab.Stage): the estimate as held, and the
# three stages of an adjustment decision (before, signed change, after).
VERSION_STAGES = (ESTIMATE, BEFORE, CHANGE, AFTER)
# Money flows of a disclosure, kept apart (Biểu 03 part I: fees are never state-budget
# spending): key -> (Vietnamese label, SQL condition over budget_lines).
FLOWS = {
    "state": ("Chi ngân sách nhà nước", "direction = 'expenditure' AND funding_source <> 'THU_PHI'"),
    "fee_spending": ("Chi từ nguồn thu phí được để lại", "direction = 'expenditure' AND funding_source = 'THU_PHI'"),
    "revenue": ("Thu phí, lệ phí", "direction = 'revenue'"),
    "remittance": ("Phí, lệ phí nộp ngân sách nhà nước", "direction = 'remittance'"),
}
# Execution stages as the quarter view keeps them apart: a first-half execution of a plan
# table is "thực hiện" of quarters 1–2.
EXECUTION_STAGE_OF = {"thực hiện 6 tháng đầu năm": "thực hiện"}
SCHEDULE_LABEL = "Lịch dự kiến (dự toán chia theo quý ghi trên từng dòng)"
QUARTER_COLUMNS = [
    "stage", "stage_label", "quarter", "quarter_label", "amount_vnd", "how", "derived", "sources", "to_date_vnd",
    "to_date_label", "to_date_how", "to_date_derived", "to_date_sources", "estimate_vnd", "estimate_label", "rate_pct",
    "to_date_rate_pct", "schedule_vnd", "schedule_to_date_vnd", "schedule_label",
]


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

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        """Run ``sql`` on a fresh cursor and return its rows as tuples (for a few rows that
        Python labels or merges before one DataFrame is made: cheaper than pandas)."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
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

    def excluded_documents(self, province: str | None = None) -> pd.DataFrame:
        """Documents of the folder the last build left out as duplicates of an earlier one
        (of ``province`` when given; ``warehouse.duplicates.refused``): columns ``document``,
        ``kept_document``, ``kind`` ("content", "number" or "scope"), ``province``,
        ``fiscal_years`` (text "2024, 2025"), ``message`` (Vietnamese, naming both files).
        Empty for a warehouse or publication older than that table (schema 9)."""
        try:
            return self.df(
                """
                SELECT document, kept_document, kind, province, array_to_string(fiscal_years, ', ') AS fiscal_years,
                       message
                FROM excluded_documents
                WHERE $1 IS NULL OR province = $1
                ORDER BY document
                """,
                [province],
            )
        except duckdb.CatalogException:
            return pd.DataFrame(columns=["document", "kept_document", "kind", "province", "fiscal_years", "message"])

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
        stages or two kinds (see ``KINDS``). Sums count what a sum across documents counts
        (``counted``: one estimate, one figure per execution period)."""
        return self.df(
            f"""
            SELECT phase, phase_vn, kind, (sum(amount_vnd) FILTER (WHERE {LEAF}))::BIGINT AS amount_vnd, count(*) AS lines
            FROM {LINES}
            WHERE (? IS NULL OR province = ?) AND (? IS NULL OR fiscal_year = ?) AND counted
            GROUP BY phase, phase_vn, kind ORDER BY CASE phase WHEN 'approved' THEN 1 WHEN 'adjusted' THEN 2
                 WHEN 'executed' THEN 3 ELSE 4 END, phase_vn,
                 CASE kind WHEN 'budget' THEN 1 WHEN 'task' THEN 2 ELSE 3 END
            """,
            [province, province, fiscal_year, fiscal_year],
        )

    def units(self, f: BudgetFilter) -> pd.DataFrame:
        """The unit groups of the lines in ``f``'s province, year, stage, documents and kind,
        whatever the direction, alphabetical: columns unit_group (``UNIT_GROUP``: the kind,
        else the printed name, else ``NO_UNIT``; the values ``BudgetFilter.units`` takes) and
        units_printed (the names as printed in that group, "; "-joined, NULL for NO_UNIT)."""
        g = BudgetFilter(f.province, f.fiscal_year, f.phase, f.phase_vn, direction=None, documents=f.documents,
                         kind=f.kind)
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
        # a handful of groups: fetched as tuples, ordered and framed here (an ORDER BY and DuckDB's
        # DataFrame cost more than the aggregate itself at 1M lines: docs/PERFORMANCE.md)
        rows = self.rows(
            f"""SELECT {col} AS {by}{printed}, sum(amount_vnd)::BIGINT AS amount_vnd, count(*) AS lines
                FROM {f.table()} WHERE {where} AND {LEAF} GROUP BY 1""",
            params,
        )
        rows.sort(key=lambda r: (-r[-2], r[0] is None, r[0] if r[0] is not None else ""))  # amount desc, then key, NULL last
        names = [by] + (["units_printed"] if printed else []) + ["amount_vnd", "lines"]
        columns = {name: [r[k] for r in rows] for k, name in enumerate(names)}
        columns["amount_vnd"] = pd.array(columns["amount_vnd"], dtype="int64")
        columns["lines"] = pd.array(columns["lines"], dtype="int64")
        return pd.DataFrame(columns)

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
            rows = self.rows(
                f"""
                WITH l AS (SELECT funding_source, amount_vnd, quarters, len(quarters) AS n
                           FROM {f.table()} WHERE {where} AND {LEAF}),
                q AS (SELECT funding_source, amount_vnd, n, unnest(quarters) AS quarter,
                             generate_subscripts(quarters, 1) AS idx FROM l WHERE n > 0)
                SELECT [quarter], funding_source,
                       sum(amount_vnd // n + CASE WHEN idx <= amount_vnd % n THEN 1 ELSE 0 END)::BIGINT AS amount_vnd
                FROM q GROUP BY ALL
                UNION ALL
                SELECT []::INTEGER[], funding_source, sum(amount_vnd)::BIGINT FROM l WHERE n = 0 GROUP BY ALL
                """,
                params,
            )
        else:
            rows = self.rows(
                f"""SELECT quarters, funding_source, sum(amount_vnd)::BIGINT AS amount_vnd
                    FROM {f.table()} WHERE {where} AND {LEAF} GROUP BY ALL""",
                params,
            )
        # A few rows: labelled and merged in Python (one DataFrame at the end; pandas per
        # operation cost 8 ms of the 12 ms this query took at a million lines). Two quarter
        # lists with one label (e.g. [2, 3] and [3, 2]) are one group.
        groups: dict[tuple[str, int, str], int] = {}
        for quarters, source, amount in rows:
            qs = tuple(int(q) for q in quarters)
            if spread:  # one quarter (its number orders it) or none
                order = qs[0] if qs else 99
            else:
                order = (min(qs) * 10 + len(qs)) if qs and len(qs) < 4 else (50 if len(qs) == 4 else 99)
            key = (quarters_label(qs), order, source)
            groups[key] = groups.get(key, 0) + int(amount)
        keys = sorted(groups, key=lambda k: (k[1], k[2], k[0]))
        return pd.DataFrame(
            {
                "quarter_label": [k[0] for k in keys],
                "quarter_order": pd.array([k[1] for k in keys], dtype="int64"),
                "funding_source": [k[2] for k in keys],
                "amount_vnd": pd.array([groups[k] for k in keys], dtype="int64"),
            }
        )

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
                   amount_vnd, amount_text, amount_unit, document, source_line, description_line, location,
                   note, line_id, task_id, kind
            FROM {LINES} WHERE {where} {leaf}
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
                   source_line, words_line, words_text, location
            FROM totals
            WHERE (? IS NULL OR province = ?) AND (? IS NULL OR fiscal_year = ?)
              AND (NOT ? OR status = 'mismatch')
            ORDER BY document, source_line
            """,
            [province, province, fiscal_year, fiscal_year, only_mismatches],
        )

    def parse_issues(self, province: str | None = None, fiscal_year: int | None = None,
                     documents: tuple[str, ...] | list[str] | None = None) -> pd.DataFrame:
        """Warnings the parsers left (rows they could not place, values they could not read):
        document, line, severity, message, text, ordered by document and line. Scoped to the
        documents of ``province``, of ``fiscal_year`` (a document whose fiscal years include
        it) and among ``documents`` (file names) when given: a page shows the warnings of
        the documents it shows, never those of other years' plans."""
        docs = None if documents is None else list(documents)
        return self.df(
            """SELECT i.document, i.line, i.severity, i.message, i.text FROM parse_issues i
               JOIN documents d USING (document)
               WHERE (? IS NULL OR d.province = ?) AND (? IS NULL OR list_contains(d.fiscal_years, ?))
                 AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], i.document))
               ORDER BY i.document, i.line""",
            [province, province, fiscal_year, fiscal_year, docs, docs],
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
                  AND counted
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
                  AND (phase_vn = 'KH UBND giao' OR phase = 'executed') AND counted
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

    # --- budget versions (adjustment decisions) ----------------------------------------------
    def _unit_clause(self, unit: str | None) -> tuple[str, list]:
        """The SQL condition for one unit group (``UNIT_GROUP``: a kind of unit, else the
        name as printed, else ``NO_UNIT``; the values :meth:`units` lists); ``None``: all."""
        if unit is None:
            return "TRUE", []
        return f"{UNIT_GROUP} = ?", [unit]

    def _version_plans(self, province: str, years: list[int] | None = None) -> dict[int, list[dict]]:
        """The versions of each year of ``province`` (``years``: ``None`` = every year with an
        estimate), in date order, as plain dicts: key, kind, label, trend_label, source,
        phase, phase_vn, documents (tuple), version_id, decision_number, decision_date and the
        decision's row of ``budget_versions`` (kind "decision"). Rules: see
        :meth:`budget_versions`. Two queries, whatever the number of years."""
        where, params = _scope_where([province], years)
        docs = self.df(
            f"""SELECT b.fiscal_year, b.document, any_value(d.issued_date) AS issued_date, any_value(d.number) AS number,
                       any_value(d.kind) AS kind,
                       bool_or(b.phase_vn = '{ESTIMATE}') AS has_estimate,
                       bool_or(b.phase = 'executed') AS has_executed
                FROM budget_lines b JOIN documents d USING (document)
                WHERE {where.replace('province', 'b.province').replace('fiscal_year', 'b.fiscal_year')}
                  AND b.task_id IS NULL
                GROUP BY ALL HAVING bool_or(b.phase_vn IN ({_sql_list(VERSION_STAGES)}))
                ORDER BY b.fiscal_year, issued_date NULLS LAST, b.document""",
            params,
        )
        decisions = self.df(
            f"""SELECT * FROM budget_versions WHERE {where}
                ORDER BY fiscal_year, decision_date NULLS LAST, document, version_id""",
            params,
        )
        plans: dict[int, list[dict]] = {}
        for year in sorted(set(docs["fiscal_year"]) | set(decisions["fiscal_year"])):
            year = int(year)
            d = docs[docs["fiscal_year"] == year]
            dec = decisions[decisions["fiscal_year"] == year]
            held = d[d["has_estimate"] & ~d["document"].isin(dec["document"])]
            estimates, reports = held[~held["has_executed"]], held[held["has_executed"]]
            versions: list[dict] = []
            if len(estimates):
                versions.append(_original(estimates, ESTIMATE, "Dự toán giao đầu năm", "dự toán giao đầu năm"))
            elif len(reports) and (not len(dec) or _before(reports.iloc[0]["issued_date"], dec.iloc[0]["decision_date"])):
                versions.append(_original(reports.head(1), ESTIMATE, "Dự toán năm (in trong báo cáo thực hiện)",
                                          "dự toán năm in trong báo cáo thực hiện"))
            elif len(dec):
                first = dec.iloc[0]
                versions.append(_original(d[d["document"] == first["document"]].head(1), BEFORE,
                                          f"Dự toán đã giao (trước QĐ số {first['version_id']})",
                                          f"dự toán đã giao trước QĐ số {first['version_id']}"))
            for row in dec.itertuples(index=False):
                label = _decision_label(row.version_id, row.decision_date)
                versions.append({
                    "key": f"{row.document}|{row.version_id}", "kind": "decision", "label": label,
                    "trend_label": label[:1].lower() + label[1:], "source": row.document,
                    "phase": "adjusted", "phase_vn": AFTER, "documents": (row.document,),
                    "version_id": row.version_id, "decision_number": row.decision_number,
                    "decision_date": None if pd.isna(row.decision_date) else row.decision_date,
                    "decision": row._asdict(),
                })
            if versions:
                plans[year] = versions
        return plans

    def budget_versions(self, province: str, fiscal_year: int, unit: str | None = None) -> pd.DataFrame:
        """The versions of the estimate of ``province`` for ``fiscal_year``, in date order.

        1. The original: the estimate documents held for the year (stage "dự toán" of
           documents that state no execution: Biểu 02, budget appendices — all of them,
           each counted once); else the "Dự toán năm" column of the earliest execution
           disclosure (Biểu 03) when it was issued before the first decision; else the "dự toán đã giao" of the first decision.
        2. Each adjustment decision (``budget_versions``: decision number, date), by date:
           its "dự toán điều chỉnh" (the estimate after it).

        "Latest" (``is_latest``) is the most recent decision, else the original. Columns:
        order, key (what a page keeps in its URL), kind ("original" | "decision"), label
        ("Dự toán giao đầu năm", "Theo QĐ số 1456/QĐ-UBND, ngày 20/05/2025"), trend_label
        (the same, lower case), source (documents), phase, phase_vn, documents (tuple of file
        names), version_id, decision_number, decision_date, issuer, total_vnd (leaf spending of
        the version, all sources, đồng), state_vnd (the same without spending of retained fees,
        THU_PHI), before_vnd / change_vnd (the decision's own leaves: estimate before it and
        the net change; ``None`` for the original), increase_vnd, decrease_vnd, printed_increase_vnd,
        printed_decrease_vnd, status / detail (the decision's stated moves against its lines),
        changed_lines, chain_status ("match" | "mismatch" | ``None``: the decision's "dự toán
        đã giao" against the previous version, state budget only) and chain_detail, is_latest.
        ``unit``: only the lines of that unit (``NO_UNIT``: lines without one). Empty when
        the year has no estimate at all. Amounts are ``Int64`` đồng."""
        versions = self._version_plans(province, [fiscal_year]).get(int(fiscal_year), [])
        cols = ["order", "key", "kind", "label", "trend_label", "source", "phase", "phase_vn", "documents", "version_id",
                "decision_number", "decision_date", "issuer", "total_vnd", "state_vnd", "before_vnd", "change_vnd",
                "increase_vnd", "decrease_vnd", "printed_increase_vnd", "printed_decrease_vnd", "status", "detail",
                "changed_lines", "chain_status", "chain_detail", "is_latest"]
        if not versions:
            return pd.DataFrame(columns=cols)
        sums = self._stage_sums(province, [fiscal_year], unit)
        rows, previous = [], None
        for i, v in enumerate(versions):
            total = _version_sum(sums, v, v["phase_vn"])
            state = _version_sum(sums, v, v["phase_vn"], state_only=True)
            dec = v.get("decision") or {}
            row = {k: v.get(k) for k in cols if k in v}
            row.update(order=i, issuer=dec.get("issuer"), total_vnd=total, state_vnd=state, is_latest=i == len(versions) - 1,
                       increase_vnd=dec.get("increase_vnd"), decrease_vnd=dec.get("decrease_vnd"),
                       printed_increase_vnd=dec.get("printed_increase_vnd"), printed_decrease_vnd=dec.get("printed_decrease_vnd"),
                       status=dec.get("status"), detail=dec.get("detail"), changed_lines=dec.get("changed_lines"),
                       before_vnd=None, change_vnd=None, chain_status=None, chain_detail=None)
            if v["kind"] == "decision":
                row["before_vnd"] = _version_sum(sums, v, BEFORE)
                row["change_vnd"] = _version_sum(sums, v, CHANGE)
                before_state = _version_sum(sums, v, BEFORE, state_only=True)
                if previous is not None and previous["documents"] != v["documents"] and before_state is not None:
                    ok = before_state == previous["state_vnd"]
                    row["chain_status"] = "match" if ok else "mismatch"
                    if not ok:
                        row["chain_detail"] = (f"dự toán đã giao của quyết định {_dots(before_state)} đ khác phiên bản trước "
                                               f"({previous['label']}) {_dots(previous['state_vnd'])} đ: quyết định có thể chỉ ghi "
                                               "một phần dự toán")
            rows.append(row)
            previous = row
        df = pd.DataFrame(rows, columns=cols)
        for c in ("total_vnd", "state_vnd", "before_vnd", "change_vnd", "increase_vnd", "decrease_vnd",
                  "printed_increase_vnd", "printed_decrease_vnd"):
            df[c] = pd.array([None if pd.isna(x) else int(x) for x in df[c]], dtype="Int64")
        return df

    def _stage_sums(self, province: str, years: list[int] | None, unit: str | None = None) -> pd.DataFrame:
        """Leaf sums of the version stages per year, document, stage, direction and source
        (budget lines only): fiscal_year, document, phase_vn, direction, funding_source, amount_vnd."""
        where, params = _scope_where([province], years)
        uw, up = self._unit_clause(unit)
        return self.df(
            f"""SELECT fiscal_year, document, phase_vn, direction, funding_source, sum(amount_vnd)::BIGINT AS amount_vnd
                FROM budget_lines WHERE {where} AND {uw} AND task_id IS NULL AND {LEAF}
                  AND phase_vn IN ({_sql_list(VERSION_STAGES)}) GROUP BY ALL""",
            params + up,
        )

    def version_totals(self, province: str, fiscal_year: int, unit: str | None = None) -> pd.DataFrame:
        """Leaf spending of each version of :meth:`budget_versions` by funding source: key,
        label, funding_source, amount_vnd (int đồng). Each version is the sum of its own
        documents and stage only (nothing counted twice)."""
        versions = self._version_plans(province, [fiscal_year]).get(int(fiscal_year), [])
        sums = self._stage_sums(province, [fiscal_year], unit)
        rows = []
        for v in versions:
            part = sums[(sums["phase_vn"] == v["phase_vn"]) & sums["document"].isin(v["documents"])
                        & (sums["direction"] == "expenditure")]
            for source, amount in part.groupby("funding_source")["amount_vnd"].sum().items():
                rows.append({"key": v["key"], "label": v["label"], "funding_source": source, "amount_vnd": int(amount)})
        return pd.DataFrame(rows, columns=["key", "label", "funding_source", "amount_vnd"])

    def latest_versions(self, province: str, years: list[int] | None = None) -> pd.DataFrame:
        """The latest version of the estimate of each year of ``province`` (``years``: ``None``
        = all): the most recent adjustment decision, else the original (:meth:`budget_versions`),
        with its leaf spending by source: fiscal_year, key, kind, label, trend_label ("theo QĐ
        số …, ngày …" or "dự toán giao đầu năm"), phase, phase_vn, documents (", "-joined),
        funding_source, amount_vnd (int đồng). For trends: one estimate per year, never the
        sum of its versions. Three queries, whatever the number of years."""
        plans = self._version_plans(province, years)
        sums = self._stage_sums(province, list(plans) or None)
        rows = []
        for year, versions in plans.items():
            v = versions[-1]
            part = sums[(sums["fiscal_year"] == year) & (sums["phase_vn"] == v["phase_vn"])
                        & sums["document"].isin(v["documents"]) & (sums["direction"] == "expenditure")]
            for source, amount in part.groupby("funding_source")["amount_vnd"].sum().items():
                rows.append({"fiscal_year": year, "key": v["key"], "kind": v["kind"], "label": v["label"],
                             "trend_label": v["trend_label"], "phase": v["phase"], "phase_vn": v["phase_vn"],
                             "documents": ", ".join(v["documents"]), "funding_source": source, "amount_vnd": int(amount)})
        return pd.DataFrame(rows, columns=["fiscal_year", "key", "kind", "label", "trend_label", "phase", "phase_vn",
                                           "documents", "funding_source", "amount_vnd"])

    def decision_moves(self, province: str, fiscal_year: int, document: str) -> pd.DataFrame:
        """What the adjustment decision ``document`` moved, line by line, as it prints them:
        code, description, section, level, funding_source, unit, is_subtotal, before_vnd
        ("dự toán đã giao"), change_vnd ("điều chỉnh", signed: a decrease is negative),
        after_vnd ("dự toán điều chỉnh") — ``Int64`` đồng, NA where the line prints nothing —,
        moved (a non-zero change), version_id, document, source_line and cells (the three
        cells of an uploaded file, "C16 · D16 · E16") and location (where a reader of that file finds
        the change, else another of its figures), ordered as printed."""
        df = self.df(
            f"""SELECT code, description, section, min(level) AS level, funding_source, unit, bool_or(is_subtotal) AS is_subtotal,
                       (sum(amount_vnd) FILTER (WHERE phase_vn = '{BEFORE}'))::BIGINT AS before_vnd,
                       (sum(amount_vnd) FILTER (WHERE phase_vn = '{CHANGE}'))::BIGINT AS change_vnd,
                       (sum(amount_vnd) FILTER (WHERE phase_vn = '{AFTER}'))::BIGINT AS after_vnd,
                       any_value(version) AS version_id, document, source_line,
                       string_agg(source_ref, ' · ' ORDER BY CASE phase_vn WHEN '{BEFORE}' THEN 1 WHEN '{CHANGE}' THEN 2 ELSE 3 END)
                           AS cells,
                       coalesce(any_value(location) FILTER (WHERE phase_vn = '{CHANGE}'), any_value(location)) AS location
                FROM budget_lines
                WHERE province = ? AND fiscal_year = ? AND document = ? AND phase_vn IN ('{BEFORE}', '{CHANGE}', '{AFTER}')
                GROUP BY code, description, section, funding_source, unit, document, source_line
                ORDER BY source_line, code""",
            [province, fiscal_year, document],
        )
        for c in ("before_vnd", "change_vnd", "after_vnd"):
            df[c] = df[c].astype("Int64")
        df["moved"] = [bool(pd.notna(c) and c != 0) for c in df["change_vnd"]]
        return df

    def decision_provinces(self) -> list[str]:
        """Provinces with at least one adjustment decision, alphabetical."""
        return list(self.df("SELECT DISTINCT province FROM budget_versions ORDER BY 1")["province"])

    def decision_years(self, province: str) -> list[int]:
        """Years of ``province`` with an adjustment decision, newest first."""
        df = self.df("SELECT DISTINCT fiscal_year FROM budget_versions WHERE province = ? ORDER BY 1 DESC", [province])
        return [int(y) for y in df["fiscal_year"]]

    def version_provinces(self) -> list[str]:
        """Provinces with an estimate (a stage of ``VERSION_STAGES``) of budget lines, alphabetical."""
        df = self.df(f"""SELECT DISTINCT province FROM budget_lines WHERE task_id IS NULL
                         AND phase_vn IN ({_sql_list(VERSION_STAGES)}) ORDER BY 1""")
        return list(df["province"])

    def version_years(self, province: str) -> list[int]:
        """Years of ``province`` with an estimate that has versions (an estimate document or a
        decision), newest first."""
        df = self.df(
            f"""SELECT DISTINCT fiscal_year FROM budget_lines WHERE province = ? AND task_id IS NULL
                  AND phase_vn IN ({_sql_list(VERSION_STAGES)}) ORDER BY 1 DESC""",
            [province],
        )
        return [int(y) for y in df["fiscal_year"]]

    # --- execution by quarter (execution disclosures) ----------------------------------------
    def execution_years(self, province: str) -> list[int]:
        """Years of ``province`` whose execution can be shown by quarter against the estimate:
        leaf execution lines with a period, and an estimate version (or no provincial plan,
        KH UBND giao, which the plan view compares against instead). Newest first."""
        df = self.df(
            f"""SELECT fiscal_year FROM budget_lines WHERE province = ? AND task_id IS NULL AND {LEAF}
                GROUP BY fiscal_year
                HAVING count(*) FILTER (WHERE phase = 'executed' AND len(quarters) > 0) > 0
                   AND (count(*) FILTER (WHERE phase_vn IN ({_sql_list(VERSION_STAGES)})) > 0
                        OR count(*) FILTER (WHERE phase_vn IN ('KH UBND giao', 'KHTW giao')) = 0)
                ORDER BY 1 DESC""",
            [province],
        )
        return [int(y) for y in df["fiscal_year"]]

    def period_execution_provinces(self) -> list[str]:
        """Provinces with at least one year of :meth:`execution_years`, alphabetical; one query."""
        df = self.df(
            f"""SELECT DISTINCT province FROM (
                    SELECT province, fiscal_year FROM budget_lines WHERE task_id IS NULL AND {LEAF}
                    GROUP BY province, fiscal_year
                    HAVING count(*) FILTER (WHERE phase = 'executed' AND len(quarters) > 0) > 0
                       AND (count(*) FILTER (WHERE phase_vn IN ({_sql_list(VERSION_STAGES)})) > 0
                            OR count(*) FILTER (WHERE phase_vn IN ('KH UBND giao', 'KHTW giao')) = 0))
                ORDER BY 1"""
        )
        return list(df["province"])

    def execution_periods(self, province: str, fiscal_year: int, unit: str | None = None, flow: str = "state") -> pd.DataFrame:
        """The execution figures the documents state for ``province`` and ``fiscal_year``:
        one row per document, stage and period, the leaf lines of ``flow`` (``FLOWS``) summed
        over the document's columns of that period. Columns: stage ("thực hiện" — a
        "thực hiện 6 tháng đầu năm" line counts as "thực hiện" of quarters 1–2 —, "ước thực
        hiện", "quyết toán"), phase_vn (as stored), first_quarter, last_quarter, period_label,
        cumulative (printed "lũy kế"), amount_vnd (int đồng), lines, document, issued_date,
        columns (the column headers as printed, "; "-joined), first_line, units. Lines
        without a period, or with quarters that are not one span, are left out. Raises ``KeyError`` for an unknown flow."""
        fw = FLOWS[flow][1]
        uw, up = self._unit_clause(unit)
        df = self.df(
            f"""SELECT b.phase_vn, b.quarters, bool_or(b.cumulative) AS cumulative, sum(b.amount_vnd)::BIGINT AS amount_vnd,
                       count(*) AS lines, b.document, any_value(d.issued_date) AS issued_date,
                       string_agg(DISTINCT b.column_label, '; ') AS columns, min(b.source_line) AS first_line,
                       list(DISTINCT coalesce(b.unit, '{NO_UNIT}')) AS units
                FROM budget_lines b JOIN documents d USING (document)
                WHERE b.province = ? AND b.fiscal_year = ? AND b.phase = 'executed' AND b.task_id IS NULL
                  AND NOT b.is_subtotal AND b.amount_vnd IS NOT NULL AND {fw.replace('direction', 'b.direction').replace('funding_source', 'b.funding_source')}
                  AND {uw.replace('unit', 'b.unit')}
                GROUP BY b.phase_vn, b.quarters, b.document ORDER BY issued_date NULLS LAST, b.document, b.quarters""",
            [province, fiscal_year] + up,
        )
        spans = [to_span(q) for q in df["quarters"]]
        df["stage"] = df["phase_vn"].map(lambda s: EXECUTION_STAGE_OF.get(s, s))
        df["first_quarter"] = [s[0] if s else None for s in spans]
        df["last_quarter"] = [s[1] if s else None for s in spans]
        df = df.loc[pd.Series([s is not None for s in spans], index=df.index, dtype=bool)].reset_index(drop=True)
        df["period_label"] = [period_label(a, b) for a, b in zip(df["first_quarter"], df["last_quarter"])]
        df["units"] = [tuple(sorted(u)) for u in df["units"]]
        return df[["stage", "phase_vn", "first_quarter", "last_quarter", "period_label", "cumulative", "amount_vnd", "lines",
                   "document", "issued_date", "columns", "first_line", "units"]]

    def execution_spans(self, province: str, fiscal_year: int, phase_vn: str) -> pd.DataFrame:
        """The periods an executed stage ``phase_vn`` of ``province`` in ``fiscal_year`` is held
        for, widest first: span (``SPAN`` code), first_quarter, last_quarter, label ("Quý I",
        "6 tháng đầu năm", "9 tháng đầu năm", "Cả năm"), cumulative (printed "lũy kế"),
        documents (", "-joined), amount_vnd (leaf spending, int đồng) and counted (the period
        is part of the stage's one figure: not contained in a wider one, ``superseded``)."""
        where, params = _scope_where([province], [fiscal_year])
        df = self.df(
            f"""SELECT {SPAN} AS span, bool_or(cumulative) AS cumulative,
                       string_agg(DISTINCT document, ', ' ORDER BY document) AS documents,
                       (sum(amount_vnd) FILTER (WHERE {LEAF} AND direction = 'expenditure'))::BIGINT AS amount_vnd,
                       bool_or(counted) AS counted
                FROM budget_lines WHERE {where} AND phase = 'executed' AND phase_vn = ?
                GROUP BY 1 ORDER BY span % 10 - span // 10 DESC, span""",
            params + [phase_vn],
        )
        df["first_quarter"] = [int(x) // 10 for x in df["span"]]
        df["last_quarter"] = [int(x) % 10 for x in df["span"]]
        df["label"] = [period_label(a, b) for a, b in zip(df["first_quarter"], df["last_quarter"])]
        df["amount_vnd"] = pd.array([None if pd.isna(x) else int(x) for x in df["amount_vnd"]], dtype="Int64")
        return df[["span", "first_quarter", "last_quarter", "label", "cumulative", "documents", "amount_vnd", "counted"]]

    def execution_by_quarter(self, province: str, fiscal_year: int, unit: str | None = None, flow: str = "state") -> pd.DataFrame:
        """Execution of ``province`` in ``fiscal_year`` quarter by quarter, against the year's
        estimate (the latest version, :meth:`budget_versions`).

        For each stage of execution held ("thực hiện", "ước thực hiện", "quyết toán": never
        mixed) and each quarter 1–4: the figure of that quarter alone — as a document states
        it for exactly that quarter, else derived from the periods stated (6 tháng − Quý I =
        Quý II; lũy kế đến hết Quý III − 6 tháng = Quý III; ``warehouse.quarters``) and
        labelled "suy ra từ …" —, and the year to date at the quarter's end (stated or
        derived the same way). When two documents state the same period and stage for
        overlapping units, only the latest counts (a revision); for different units they add
        up. ``flow`` (``FLOWS``): "state" = state-budget spending (expenditure not financed
        by retained fees), "fee_spending", "revenue", "remittance"; ``unit``: one unit.

        Columns: stage, stage_label, quarter (1–4), quarter_label, amount_vnd (Int64 đồng, NA
        when unknown), how ("văn bản", "suy ra từ …" or NA), derived, sources (documents and
        columns the figure comes from), to_date_vnd, to_date_label ("6 tháng đầu năm"…),
        to_date_how, to_date_derived, to_date_sources, estimate_vnd (Int64: the latest version
        holding lines of ``flow``; when none does — a decision moves spending only — the "Dự toán
        năm" column of the latest execution report that prints one), estimate_label, rate_pct and to_date_rate_pct (float %, NA
        without an estimate), schedule_vnd and schedule_to_date_vnd (Int64: the estimate's own
        quarter schedule — the "dự toán" lines of the original version spread evenly over their
        quarters, whole đồng — only where the estimate has lines timed narrower than the year
        and the execution figure beside it exists; NA elsewhere), schedule_label."""
        periods = self.execution_periods(province, fiscal_year, unit, flow)
        stated = [Figure((int(r.first_quarter), int(r.last_quarter)), int(r.amount_vnd), r.stage, "văn bản", r.documents,
                         r.columns, bool(r.cumulative)) for r in _merge_periods(periods).itertuples()]
        rows = by_quarter(stated)
        versions = self._version_plans(province, [fiscal_year]).get(int(fiscal_year), [])
        sums = self._stage_sums(province, [fiscal_year], unit)
        estimate, estimate_label = None, None
        for v in reversed(versions):  # the latest version that holds lines of this flow
            total = _version_sum(sums, v, v["phase_vn"], flow=flow)
            if total is not None:
                estimate, estimate_label = total, v["label"]
                break
        if estimate is None and len(periods):  # no version holds this flow (a decision moves spending
            # only): the "Dự toán năm" column of the latest execution report that prints one
            for doc in reversed(list(dict.fromkeys(periods["document"]))):
                part = sums[(sums["document"] == doc) & (sums["phase_vn"] == ESTIMATE)]
                part = part[_flow_mask(part, flow)]
                if len(part):
                    estimate, estimate_label = int(part["amount_vnd"].sum()), f"Dự toán năm in trong báo cáo thực hiện ({doc})"
                    break
        schedule = self._schedule(province, fiscal_year, versions[0] if versions else None, unit, flow)
        out = []
        for r in rows:
            q, t = r.quarter_fig, r.to_date_fig
            sched = schedule.get(r.quarter) if schedule and q is not None else None
            sched_to_date = sum(schedule.get(k, 0) for k in range(1, r.quarter + 1)) if schedule and t is not None else None
            out.append({
                "stage": r.stage, "stage_label": stage_name(r.stage), "quarter": r.quarter,
                "quarter_label": quarters_label((r.quarter,)),
                "amount_vnd": q.amount_vnd if q else None, "how": q.how if q else None, "derived": bool(q and q.derived),
                "sources": q.sources() if q else None,
                "to_date_vnd": t.amount_vnd if t else None, "to_date_label": period_label(1, r.quarter),
                "to_date_how": t.how if t else None, "to_date_derived": bool(t and t.derived),
                "to_date_sources": t.sources() if t else None,
                "estimate_vnd": estimate, "estimate_label": estimate_label,
                "rate_pct": q.amount_vnd * 100 / estimate if q and estimate else None,
                "to_date_rate_pct": t.amount_vnd * 100 / estimate if t and estimate else None,
                "schedule_vnd": sched, "schedule_to_date_vnd": sched_to_date,
                "schedule_label": SCHEDULE_LABEL if schedule else None,
            })
        df = pd.DataFrame(out, columns=QUARTER_COLUMNS)
        for c in ("amount_vnd", "to_date_vnd", "estimate_vnd", "schedule_vnd", "schedule_to_date_vnd"):
            df[c] = pd.array([None if x is None or pd.isna(x) else int(x) for x in df[c]], dtype="Int64")
        for c in ("rate_pct", "to_date_rate_pct"):
            df[c] = pd.array([None if x is None else float(x) for x in df[c]], dtype="Float64")
        return df

    def _schedule(self, province: str, fiscal_year: int, original: dict | None, unit: str | None, flow: str) -> dict[int, int]:
        """The quarter schedule of the original estimate: its "dự toán" leaf lines of ``flow``
        spread evenly over their quarters in whole đồng (the remainder to the earliest
        quarters), ``{quarter: đồng}``; ``{}`` when no line is timed narrower than the year
        (an even split of whole-year lines is no schedule) or the original is no "dự toán"."""
        if not original or original["phase_vn"] != ESTIMATE:
            return {}
        uw, up = self._unit_clause(unit)
        docs = list(original["documents"])
        lines = self.df(
            f"""SELECT quarters, amount_vnd FROM budget_lines
                WHERE province = ? AND fiscal_year = ? AND phase_vn = '{ESTIMATE}' AND task_id IS NULL AND {LEAF}
                  AND document IN (SELECT unnest(?::VARCHAR[])) AND {FLOWS[flow][1]} AND {uw}""",
            [province, fiscal_year, docs] + up,
        )
        timed = [tuple(int(x) for x in q) for q in lines["quarters"]]
        if not any(q and q != (1, 2, 3, 4) for q in timed):
            return {}
        out: dict[int, int] = {}
        for qs, amount in zip(timed, lines["amount_vnd"]):
            if not qs:
                continue
            base, rest = divmod(int(amount), len(qs))
            for i, q in enumerate(sorted(qs)):
                out[q] = out.get(q, 0) + base + (1 if i < rest else 0)
        return out

    def execution_lines(self, province: str, fiscal_year: int, unit: str | None = None, flow: str = "state") -> pd.DataFrame:
        """The leaf execution lines behind :meth:`execution_by_quarter`, with provenance:
        phase_vn, period_label, first_quarter, last_quarter, cumulative, column_label, code,
        description, funding_source, unit, amount_vnd (int đồng), document, source_line,
        source_ref (the cell of an uploaded file), location (where a reader of that file finds it),
        ordered as printed."""
        uw, up = self._unit_clause(unit)
        df = self.df(
            f"""SELECT phase_vn, quarters, cumulative, column_label, code, description, funding_source,
                       coalesce(unit, '{NO_UNIT}') AS unit, amount_vnd, document, source_line, source_ref, location
                FROM budget_lines WHERE province = ? AND fiscal_year = ? AND phase = 'executed' AND task_id IS NULL
                  AND {LEAF} AND {FLOWS[flow][1]} AND {uw}
                ORDER BY document, source_line, column_label""",
            [province, fiscal_year] + up,
        )
        spans = [to_span(q) for q in df["quarters"]]
        df["first_quarter"] = [s[0] if s else None for s in spans]
        df["last_quarter"] = [s[1] if s else None for s in spans]
        df["period_label"] = [period_label(*s) if s else quarters_label(()) for s in spans]
        return df.drop(columns=["quarters"])

    # --- percentage checks ---------------------------------------------------------------------
    def ratio_checks(self, province: str | None = None, fiscal_year: int | None = None, only_mismatches: bool = False) -> pd.DataFrame:
        """Percentages printed in money tables ("Ước thực hiện/Dự toán năm (%)") checked
        against their amounts: document, province, fiscal_year, scope, code, column_label,
        printed (as printed, never money), computed, status ("match" | "mismatch" |
        "unchecked"), detail, source_line, source_ref (the cell of an uploaded file), location."""
        return self.df(
            """SELECT document, province, fiscal_year, scope, code, column_label, printed, computed, status, detail,
                      source_line, source_ref, location
               FROM ratio_checks
               WHERE (? IS NULL OR province = ?) AND (? IS NULL OR fiscal_year = ?) AND (NOT ? OR status = 'mismatch')
               ORDER BY province, document, source_line""",
            [province, province, fiscal_year, fiscal_year, only_mismatches],
        )

    # --- indicators (chỉ tiêu) -------------------------------------------------------------
    def indicator_provinces(self) -> list[str]:
        """Provinces with indicator targets (a plan's chỉ tiêu), alphabetical."""
        return list(self.df("SELECT DISTINCT province FROM indicators ORDER BY 1")["province"])

    def actual_provinces(self) -> list[str]:
        """Provinces with indicator actuals read from their reports (``indicator_actuals``),
        alphabetical: a province may report results without any target document in the
        warehouse (Sơn La's report of Q1/2024)."""
        return list(self.df("SELECT DISTINCT province FROM indicator_actuals ORDER BY 1")["province"])

    def actual_periods(self, province: str) -> list[str]:
        """The periods of ``province``'s reported actuals as printed ("Q1/2024",
        "2020–6/2021"), newest first (by the period's end)."""
        df = self.df(
            """SELECT period, max(period_end) AS e FROM indicator_actuals WHERE province = ?
               GROUP BY period ORDER BY e DESC, period""",
            [province],
        )
        return list(df["period"])

    def indicator_years(self, province: str) -> list[int]:
        """Plan years with indicator targets of ``province``, newest first."""
        df = self.df("SELECT DISTINCT fiscal_year FROM indicators WHERE province = ? ORDER BY 1 DESC", [province])
        return [int(y) for y in df["fiscal_year"]]

    def targets(self, province: str, fiscal_year: int, entries_csv: Path | None = None, entered: bool = True) -> pd.DataFrame:
        """Targets of ``province`` for ``fiscal_year`` with their best actual and status.

        The actual is, in order: the latest entry typed on the Chỉ tiêu page for this target
        and year (``entries_csv``, with who and when), else a figure from a document of the
        same province whose catalogue code matches and whose period ends within the year.
        Columns: indicator_id, document, source_line, group, subgroup, name, code, field,
        comparator, target_value, target_unit, target_text, qualitative, parsed, lead_unit (as
        printed), lead_unit_kind (NULL when unknown), lead_unit_group (the kind, else the
        printed name), legal_basis, actual_value, actual_period, actual_source, status (``warehouse.kpi``:
        "in_progress" for a target not yet reached by a figure of part of the year), status_vn,
        progress_pct, good_direction. ``entered=False`` leaves the typed actuals out (the page's
        fallback while the entries store is busy). Raises ``statedb.StoreBusy`` when the
        entries store stays locked by another writer.
        """
        from loaders.text.catalogue import default_catalogue

        from . import kpi

        df = self.df(
            f"""SELECT indicator_id, document, source_line, "group", subgroup, name, code, field,
                      comparator, target_value, target_unit, target_text, qualitative, parsed,
                      lead_unit, lead_unit_kind, {LEAD_UNIT_GROUP} AS lead_unit_group, legal_basis, note, location
               FROM indicators WHERE province = ? AND fiscal_year = ? ORDER BY source_line""",
            [province, fiscal_year],
        )
        # the latest period first; of two ending the same day, the longer one (the cumulative
        # "9T/2025" before the quarter "Q3/2025": a year's target is met by the year's total)
        docs = self.df(
            """SELECT code, name, value, period, document, source_line, period_end FROM indicator_actuals
               WHERE province = ? AND parent_id IS NULL
                 AND year(period_end) = ? ORDER BY period_end DESC, period_start ASC NULLS LAST, source_line""",
            [province, fiscal_year],
        )
        doc_actual: dict = {}
        by_name: dict = {}  # an actual the catalogue does not know: matched on the target's name as printed
        for row in docs.itertuples():
            found = (row.value, row.period, f"{row.document}, dòng {row.source_line}",
                     None if pd.isna(row.period_end) else pd.Timestamp(row.period_end).date())
            if row.code is not None and not pd.isna(row.code):
                doc_actual.setdefault(row.code, found)
            by_name.setdefault(_name_key(row.name), found)
        manual = latest_entries(entries_csv, province, str(fiscal_year)) if entered else {}
        directions = {e.code: e.good_direction for e in default_catalogue()}
        values, periods, sources, ends = [], [], [], []
        for row in df.itertuples():
            key = (row.document, row.indicator_id)
            if key in manual:
                m = manual[key]
                values.append(m["value"])
                periods.append(m["period"])
                sources.append(f"nhập tay: {m['entered_by']}, {m['entered_at']}")
                ends.append(None)
            elif row.code in doc_actual or (pd.isna(row.code) and _name_key(row.name) in by_name):
                v, p, s, e = doc_actual[row.code] if row.code in doc_actual else by_name[_name_key(row.name)]
                values.append(v)
                periods.append(p)
                sources.append(s)
                ends.append(e)
            else:
                values.append(None)
                periods.append(None)
                sources.append(None)
                ends.append(None)
        df["actual_value"] = pd.array(values, dtype="Float64")
        df["actual_period"] = periods
        df["actual_source"] = sources
        df["good_direction"] = df["code"].map(directions)
        df["status"] = [
            kpi.so_far(kpi.status(c, None if pd.isna(t) else t, None if pd.isna(a) else float(a), bool(q), g, bool(p)),
                       e, fiscal_year)
            for c, t, a, q, g, p, e in zip(
                df["comparator"], df["target_value"], df["actual_value"], df["qualitative"], df["good_direction"],
                df["parsed"], ends)
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
        (đồng, may be NA), document_prints_lead_unit (False when no task of the document
        names a lead unit: its task table has no unit column), and the latest completion
        recorded by an editor (``warehouse.task_entries``; ``status_journal`` overrides its file): columns
        recorded ("done" / "not_done" / None), recorded_by, recorded_at, recorded_note."""
        from .task_entries import latest_task_statuses, task_key

        df = self.df(
            f"""SELECT task_id, kind, section, name, lead_unit, lead_unit_kind, {LEAD_UNIT_GROUP} AS lead_unit_group,
                      assignees, partners, expected_result,
                      timing_text, deadline, period_start, period_end, recurring, budget_vnd,
                      budget_text, budget_note, field, document, source_line, fiscal_year, location
                      , document IN (SELECT document FROM tasks WHERE lead_unit IS NOT NULL) AS document_prints_lead_unit
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
        (file names joined by ", ") and spans (the ``SPAN`` codes of an executed stage,
        ","-joined; NULL for other stages). ``provinces`` / ``years``: ``None`` or empty = all.
        Only what a sum across documents counts (``counted``): one estimate, and per executed
        stage the widest period of each run of periods, never overlapping periods added up.

        One aggregate over the lines (their ``kind`` is stored at build), the province table
        joined to the result: without documents this is a bare GROUP BY and a join of a few
        rows (docs/PERFORMANCE.md); the documents of one scope come from ``scope_documents``."""
        where, params = _scope_where(provinces, years)
        docs = (", string_agg(DISTINCT document, ', ' ORDER BY document) AS documents, "
                f"string_agg(DISTINCT CASE WHEN phase = 'executed' THEN {SPAN}::VARCHAR END, ',') AS spans"
                if with_documents else "")
        # a few hundred groups at most: fetched as tuples, ordered and given their population
        # here (an ORDER BY, a join and DuckDB's DataFrame cost more than the aggregate itself)
        rows = self.rows(
            f"""SELECT province, fiscal_year, phase, phase_vn, kind, funding_source,
                       sum(amount_vnd)::BIGINT AS amount_vnd, count(*) AS lines{docs}
                FROM budget_lines WHERE {where} AND {LEAF} AND direction = 'expenditure' AND counted
                GROUP BY ALL""",
            params,
        )
        rows.sort(key=lambda r: (r[0], r[1], r[3], r[4], r[5]))
        names = ["province", "fiscal_year", "phase", "phase_vn", "kind", "funding_source", "amount_vnd", "lines"]
        names += ["documents", "spans"] if with_documents else []
        columns = {name: [r[k] for r in rows] for k, name in enumerate(names)}
        for name in ("fiscal_year", "amount_vnd", "lines"):
            columns[name] = pd.array(columns[name], dtype="int64" if name != "fiscal_year" else "int32")
        population = self._population()
        columns["population"] = pd.array([population.get(p) for p in columns["province"]], dtype="Int64")
        return pd.DataFrame(columns)

    def _population(self) -> dict[str, int | None]:
        """Each province's population of 2023 (the reference table, read once per warehouse)."""
        if getattr(self, "_population_of", None) is None:
            self._population_of = dict(self.rows("SELECT name, population_2023 FROM provinces"))
        return self._population_of

    def scope_documents(self, provinces: list[str] | None, years: list[int] | None, phase_vn: str, kind: str) -> pd.DataFrame:
        """The documents of the leaf spending lines of one scope (stage ``phase_vn`` and
        ``kind``) by province and year (``None`` = all): province, fiscal_year, documents
        (", "-joined) and, for an executed stage, periods (the periods counted, "9 tháng đầu
        năm", "Quý I + Quý II"; ``None`` for other stages)."""
        where, params = _scope_where(provinces, years)
        df = self.df(
            f"""SELECT province, fiscal_year, string_agg(DISTINCT document, ', ' ORDER BY document) AS documents,
                       CASE WHEN bool_or(phase = 'executed') THEN string_agg(DISTINCT {SPAN}::VARCHAR, ',' ORDER BY {SPAN}::VARCHAR) END AS spans
                FROM {LINES} WHERE {where} AND phase_vn = ? AND kind = ? AND {LEAF} AND direction = 'expenditure'
                  AND counted
                GROUP BY ALL ORDER BY province, fiscal_year""",
            params + [phase_vn, kind],
        )
        df["periods"] = [None if not isinstance(x, str) else " + ".join(span_label(int(c)) for c in x.split(","))
                         for x in df.pop("spans")]
        return df

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
                  AND counted
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
        for the units the vocabulary does not know and for tasks that name none), tasks,
        shared (of those, tasks led by several units together), lead_units_printed (the
        units as printed of the tasks led by this kind alone, "; "-joined; NULL when none:
        a bare "TĐC" in "Văn phòng Sở, Phòng KĐC, TĐC, HTS" is not a name of its own).
        Lead-unit cells are split into units (``lead_unit_rows``, ``split_units``): a task led
        by several units ("Văn phòng Sở, Trung tâm ĐMST") counts once for each of its kinds,
        so the rows of a province may add up to more than its tasks; the known units of a
        cell count even when another unit of the cell is unknown."""
        where, params = _scope_where(provinces, years)
        cells = self.df(
            f"""SELECT province, fiscal_year, lead_unit, count(*) AS n FROM tasks WHERE {where} AND kind = ?
                GROUP BY ALL""",
            params + [kind],
        )
        units = lead_unit_rows(cells)
        long = cells.loc[units["row"], ["province", "fiscal_year", "n"]].reset_index(drop=True)
        long["lead_unit_kind"] = units["unit_kind"].to_numpy()
        long["unit"] = units["unit"].to_numpy()
        long["shared"] = units["shared"].to_numpy()
        long["row"] = units["row"].to_numpy()
        # one count per (cell, kind): two unknown units of a cell are one NULL row
        long = long.drop_duplicates(["row", "lead_unit_kind", "unit"])
        cols = ["province", "fiscal_year", "lead_unit_kind", "tasks", "shared", "lead_units_printed"]
        if long.empty:
            return pd.DataFrame(columns=cols)
        key = ["province", "fiscal_year", "lead_unit_kind"]
        per_cell = long.groupby(["row", *key], dropna=False).agg(
            n=("n", "first"), shared=("shared", "first"),
            printed=("unit", lambda u: "; ".join(sorted({x for x in u if isinstance(x, str)})) or None)).reset_index()
        per_cell.loc[per_cell["shared"], "printed"] = None  # a bare "TĐC" of a list is no name of its own
        out = per_cell.groupby(key, dropna=False).agg(
            tasks=("n", "sum"),
            shared=("n", lambda n: int(n[per_cell.loc[n.index, "shared"]].sum())),
            lead_units_printed=("printed", lambda p: "; ".join(sorted({x for v in p if isinstance(v, str)
                                                                           for x in v.split("; ")})) or None),
        ).reset_index()
        out["tasks"] = out["tasks"].astype(int)
        out = out.sort_values(["province", "fiscal_year", "tasks", "lead_unit_kind"], ascending=[True, True, False, True],
                              na_position="last", kind="stable")
        return out[cols].reset_index(drop=True)

    def actuals_by_code(self, provinces: list[str]) -> pd.DataFrame:
        """Whole (not breakdown) actuals with a catalogue code, by province and period."""
        return self.df(
            """SELECT province, code, any_value(name) AS name, period, period_start, period_end,
                       sum(value) AS value, any_value(unit) AS unit, any_value(field) AS field,
                       string_agg(document || ':' || source_line, ', ') AS sources
                FROM indicator_actuals
                WHERE province IN (SELECT unnest(?::VARCHAR[])) AND code IS NOT NULL AND parent_id IS NULL
                GROUP BY province, code, period, period_start, period_end
                ORDER BY code, province, period_start""",
            [list(provinces)],
        )


def lead_unit_rows(df: pd.DataFrame, cell: str = "lead_unit") -> pd.DataFrame:
    """The lead units of the rows of ``df`` (tasks of ``Warehouse.tasks``, targets of
    ``Warehouse.targets``), one row per (row, unit): a cell naming several units ("Văn
    phòng Sở, Phòng KĐC, HTS, Trung tâm ĐMST theo chức năng nhiệm vụ") gives one row per
    unit (``loaders.text.units.split_units``), so a count per unit counts such a task once
    for each of its units, while a count of ``df``'s rows counts it once.

    Columns: row (the index label of ``df``), unit (the unit's words as printed; NA when
    the cell is empty), unit_kind (its kind of ``data/vocabulary/units.csv``, NA when
    unknown), unit_group (the kind, else the printed words: what pages group by, as
    ``LEAD_UNIT_GROUP`` for a cell of one unit), shared (the cell names several units),
    lead_unit (the whole cell as printed: the provenance). A unit named twice in one cell
    (two spellings of one kind) is one row."""
    rows = []
    for idx, text in zip(df.index, df[cell]):
        kept: dict[str, object] = {}  # group → its first unit in the cell
        for part in split_units(text if isinstance(text, str) else None):
            kept.setdefault(part.kind or part.printed, part)
        if not kept:
            rows.append((idx, None, None, None, False, text if isinstance(text, str) else None))
        for group, part in kept.items():
            rows.append((idx, part.printed, part.kind, group, len(kept) > 1, text))
    return pd.DataFrame(rows, columns=["row", "unit", "unit_kind", "unit_group", "shared", "lead_unit"])


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
    the same for 2 or 34 provinces; a long ``IN (?, ?, …)`` cost more than the GROUP BY);
    one province or one year is an equality (``province = ?``: at 1M lines the semi-join of
    one name cost 1.2 ms more than the equality, half the floor of the query: docs/PERFORMANCE.md);
    ``None`` or empty adds no condition at all (the cheapest: "all")."""
    clauses, params = ["TRUE"], []
    if provinces and len(provinces) == 1:
        clauses.append("province = ?")
        params.append(provinces[0])
    elif provinces:
        clauses.append("province IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(provinces))
    if years and len(years) == 1:
        clauses.append("fiscal_year = ?")
        params.append(int(years[0]))
    elif years:
        clauses.append("list_contains(?, fiscal_year)")
        params.append([int(y) for y in years])
    return " AND ".join(clauses), params


def _sql_list(values) -> str:
    """``'a', 'b'`` for an ``IN (…)`` of constants (quotes doubled)."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _dots(n) -> str:
    return "—" if n is None or pd.isna(n) else f"{int(n):,}".replace(",", ".")


def _day(d) -> str | None:
    """dd/mm/yyyy of a date (``None`` for none)."""
    if d is None or pd.isna(d):
        return None
    return pd.Timestamp(d).strftime("%d/%m/%Y")


def _decision_label(version_id: str, decision_date) -> str:
    """"Theo QĐ số 1456/QĐ-UBND, ngày 20/05/2025" (without the date when none is printed)."""
    day = _day(decision_date)
    return f"Theo QĐ số {version_id}" + (f", ngày {day}" if day else "")


def _before(a, b) -> bool:
    """``a`` is earlier than ``b`` or either date is unknown (dates of documents)."""
    return a is None or b is None or pd.isna(a) or pd.isna(b) or pd.Timestamp(a) < pd.Timestamp(b)


def _original(docs: pd.DataFrame, phase_vn: str, label: str, trend_label: str) -> dict:
    """The original version made of the documents ``docs`` (rows of ``_version_plans``)."""
    names = tuple(docs["document"])
    parts = []
    for row in docs.itertuples():
        what = ", ".join(x for x in (None if pd.isna(row.number) else f"số {row.number}", _day(row.issued_date)) if x)
        parts.append(row.document + (f" ({what})" if what else ""))
    dates = [d for d in docs["issued_date"] if not pd.isna(d)]
    return {"key": "original", "kind": "original", "label": label, "trend_label": trend_label, "source": "; ".join(parts),
            "phase": "approved", "phase_vn": phase_vn, "documents": names, "version_id": None, "decision_number": None,
            "decision_date": min(dates) if dates else None}


def _flow_mask(df: pd.DataFrame, flow: str | None) -> pd.Series:
    """Rows of ``df`` [direction, funding_source] in ``flow`` (``FLOWS``; ``None``: all spending)."""
    spend = df["direction"] == "expenditure"
    if flow is None:
        return spend
    if flow == "state":
        return spend & (df["funding_source"] != "THU_PHI")
    if flow == "fee_spending":
        return spend & (df["funding_source"] == "THU_PHI")
    return df["direction"] == flow


def _version_sum(sums: pd.DataFrame, version: dict, phase_vn: str, state_only: bool = False, flow: str | None = None) -> int | None:
    """Leaf total (đồng) of ``version``'s documents in stage ``phase_vn`` from ``_stage_sums``
    (all spending, ``state_only``: without fee spending, or ``flow``); ``None`` when the
    version holds no such line."""
    part = sums[(sums["phase_vn"] == phase_vn) & sums["document"].isin(version["documents"])]
    part = part[_flow_mask(part, "state" if state_only else flow)]
    return int(part["amount_vnd"].sum()) if len(part) else None


def _merge_periods(periods: pd.DataFrame) -> pd.DataFrame:
    """One stated figure per stage and period from ``execution_periods``: documents of
    different units add up; documents sharing a unit (a revised disclosure) — only the
    latest counts. Columns: stage, first_quarter, last_quarter, amount_vnd, documents,
    columns, cumulative (tuples for the documents and column headers)."""
    rows = []
    for (stage, a, b), part in periods.groupby(["stage", "first_quarter", "last_quarter"], sort=False):
        docs = list(dict.fromkeys(part["document"]))
        units = {d: set().union(*part.loc[part["document"] == d, "units"]) for d in docs}
        overlap = any(units[x] & units[y] for i, x in enumerate(docs) for y in docs[i + 1:])
        keep = part[part["document"] == docs[-1]] if overlap else part
        rows.append({"stage": stage, "first_quarter": int(a), "last_quarter": int(b), "amount_vnd": int(keep["amount_vnd"].sum()),
                     "documents": tuple(dict.fromkeys(keep["document"])),
                     "columns": tuple(dict.fromkeys(c for cs in keep["columns"] for c in str(cs).split("; ") if c)),
                     "cumulative": bool(keep["cumulative"].any())})
    return pd.DataFrame(rows, columns=["stage", "first_quarter", "last_quarter", "amount_vnd", "documents", "columns", "cumulative"])


def stage_name(phase_vn: str) -> str:
    """The Vietnamese label of a stage (``loaders.vocab.Stage``), else the stage with a capital."""
    return Stage.labels().get(phase_vn) or phase_vn[:1].upper() + phase_vn[1:]


def latest_entries(path: Path | None, province: str, period: str) -> dict[tuple[str, str], dict]:
    """Latest typed actual per (document, indicator_id) for ``province`` and ``period`` from
    the entries store (``warehouse.entries``; ``{}`` when there is none)."""
    from .entries import latest

    return latest(province, period, path)


def _name_key(name) -> str:
    """An indicator's name as a key across documents: case and spacing ignored ("Số doanh
    nghiệp  được hỗ trợ" = "số doanh nghiệp được hỗ trợ")."""
    return " ".join(str(name or "").split()).casefold()
