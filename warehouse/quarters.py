"""Execution by quarter from the periods the documents state (pure functions, no database:
``warehouse.queries.Warehouse.execution_by_quarter`` reads the figures and calls these).

An execution disclosure (Biểu 03 of Thông tư 61/2017 + 90/2018) states its execution for the
period it covers: a quarter ("Ước thực hiện Quý I năm 2025" → quarters (1,)), six months
("Thực hiện 6 tháng" → (1, 2)), the year to date ("Lũy kế từ đầu năm đến hết Quý III" →
(1, 2, 3), cumulative) or the year. A quarter nobody states on its own is **derived** from two
nested periods of the same stage that share an end: "6 tháng − Quý I = Quý II", "lũy kế đến
hết Quý III − 6 tháng = Quý III", "lũy kế 9 tháng − Quý III = 6 tháng đầu năm"; consecutive
periods add up to the year to date ("Quý I + Quý II = 6 tháng"). A derived figure says so
("suy ra từ 6 tháng đầu năm − Quý I") and names the figures it comes from; a stated figure
always wins over a derived one. Stages are never mixed: "thực hiện" and "ước thực hiện" are
derived apart.

Periods are contiguous quarter spans ``(first, last)``, 1 ≤ first ≤ last ≤ 4. Amounts are
integer đồng.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from loaders.text.periods import quarters_label

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(first: int, last: int) -> str:
    """Vietnamese name of the span of quarters ``first…last`` of one year: (1, 1) → "Quý I";
    (1, 2) → "6 tháng đầu năm"; (1, 3) → "9 tháng đầu năm" (lũy kế đến hết Quý III);
    (1, 4) → "Cả năm"; (3, 3) → "Quý III"; (2, 3) → "Quý II–III"."""
    if first == 1 and last == 2:
        return "6 tháng đầu năm"
    if first == 1 and last == 3:
        return "9 tháng đầu năm"
    return quarters_label(tuple(range(first, last + 1)))


def to_span(quarters) -> tuple[int, int] | None:
    """``(first, last)`` of a contiguous list of quarters, ``None`` for an empty or broken one
    ((1, 3) is not a period an execution figure covers)."""
    qs = sorted({int(q) for q in (() if quarters is None else quarters)})
    if not qs or qs != list(range(qs[0], qs[-1] + 1)) or qs[0] < 1 or qs[-1] > 4:
        return None
    return qs[0], qs[-1]


@dataclass(frozen=True)
class Figure:
    """One execution figure of a stage for a span of quarters: stated by documents (``how`` =
    "văn bản") or derived (``how`` = "suy ra từ …", ``parts`` = the figures it comes from)."""

    span: tuple[int, int]
    amount_vnd: int
    stage: str
    how: str = "văn bản"
    documents: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    cumulative: bool = False  # printed as "lũy kế"
    parts: tuple["Figure", ...] = field(default=(), compare=False)

    @property
    def derived(self) -> bool:
        return bool(self.parts)

    @property
    def label(self) -> str:
        return period_label(*self.span)

    @property
    def depth(self) -> int:
        """0 for a stated figure, else 1 + the deepest figure it comes from (fewer steps win)."""
        return 0 if not self.parts else 1 + max(p.depth for p in self.parts)

    def sources(self) -> str:
        """"exec_q1.xlsx: Ước thực hiện Quý I năm 2025" for a stated figure; for a derived one
        the sources of its parts, joined by "; "."""
        if not self.parts:
            cols = "; ".join(c for c in self.columns if c)
            return ", ".join(self.documents) + (f": {cols}" if cols else "")
        return "; ".join(dict.fromkeys(p.sources() for p in self.parts))


def derive(stated: list[Figure], max_rounds: int = 6) -> dict[tuple[int, int], Figure]:
    """Every span that ``stated`` (figures of ONE stage) gives, stated or derived: a stated
    figure for its span; else the difference of two nested spans sharing a start or an end,
    or the sum of two adjacent spans — the one with the fewest steps (then the earliest
    found). Returns ``{span: Figure}``."""
    known: dict[tuple[int, int], Figure] = {}
    for f in stated:
        known.setdefault(f.span, f)
    for _ in range(max_rounds):
        new: dict[tuple[int, int], Figure] = {}
        items = list(known.values())
        for x in items:
            for y in items:
                if x is y:
                    continue
                (a, b), (c, d) = x.span, y.span
                cand = None
                if a == c and d < b:  # same start: x − y covers (d+1 … b)
                    cand = ((d + 1, b), x.amount_vnd - y.amount_vnd, f"suy ra từ {x.label} − {y.label}")
                elif b == d and a < c:  # same end: x − y covers (a … c−1)
                    cand = ((a, c - 1), x.amount_vnd - y.amount_vnd, f"suy ra từ {x.label} − {y.label}")
                elif b + 1 == c and a < c:  # adjacent: x + y covers (a … d)
                    cand = ((a, d), x.amount_vnd + y.amount_vnd, f"suy ra từ {x.label} + {y.label}")
                if cand is None:
                    continue
                span, amount, how = cand
                fig = Figure(span, amount, x.stage, how, tuple(dict.fromkeys(x.documents + y.documents)),
                             tuple(dict.fromkeys(x.columns + y.columns)), parts=(x, y))
                best = new.get(span) or known.get(span)
                if best is None or (fig.depth < best.depth and best.derived):
                    new[span] = fig
        if not new:
            break
        known.update(new)
    return known


@dataclass
class QuarterRow:
    """One quarter of one stage: the figure of that quarter alone and the year to date."""

    stage: str
    quarter: int
    quarter_fig: Figure | None
    to_date_fig: Figure | None


def by_quarter(stated: list[Figure]) -> list[QuarterRow]:
    """Quarters 1–4 of each stage of ``stated`` (four rows per stage, in the order the stages
    are first met): the quarter's own figure and the cumulative figure to the end of the
    quarter, each stated, derived or ``None`` (nothing known). Stages are derived apart."""
    rows: list[QuarterRow] = []
    for stage in dict.fromkeys(f.stage for f in stated):
        known = derive([f for f in stated if f.stage == stage])
        rows += [QuarterRow(stage, q, known.get((q, q)), known.get((1, q))) for q in range(1, 5)]
    return rows
