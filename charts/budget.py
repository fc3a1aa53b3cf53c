"""Budget charts. Inputs are DataFrames from ``warehouse.queries`` with ``amount_vnd`` in
integer đồng; axes show triệu đồng (stated in the title), hover shows the exact đồng.
Every bar carries ``customdata`` = the key it was grouped by, so a click can drill into the
lines behind it.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from . import format as fmt
import textwrap

from .theme import FONT, LABEL_COLORS, NEUTRAL, SEPARATORS, SOURCE_COLORS, SOURCE_LABELS, SOURCE_ORDER, STAGE_COLORS, stage_name

MILLION = 1_000_000


def wrap(text: str, width: int = 42) -> str:
    """A long axis label broken into lines (Plotly ``<br>``), never shortened: two different
    names stay two different labels."""
    return "<br>".join(textwrap.wrap(str(text), width)) or str(text)


def _layout(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}},
        separators=SEPARATORS,
        font={"family": FONT},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        # below the plot, anchored to the figure's bottom edge: Plotly then keeps room for
        # it, so it never covers rotated axis labels (y=-0.15 of the plot height did)
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "title": None},
        hoverlabel={"font": {"family": FONT}},
        clickmode="event+select",
    )
    return fig


def _hover(amounts: pd.Series) -> list[str]:
    return [fmt.vnd(int(a)) for a in amounts]


def by_source(df: pd.DataFrame, title: str = "Chi theo nguồn kinh phí (triệu đồng)") -> go.Figure:
    """Horizontal bars of ``df`` [funding_source, amount_vnd], one colour per source."""
    df = df.copy()
    df["order"] = df["funding_source"].map(SOURCE_ORDER.index)
    df = df.sort_values("order", ascending=False)
    fig = go.Figure(
        go.Bar(
            x=df["amount_vnd"] / MILLION,
            y=[SOURCE_LABELS[s] for s in df["funding_source"]],
            orientation="h",
            marker_color=[SOURCE_COLORS[s] for s in df["funding_source"]],
            customdata=list(df["funding_source"]),
            text=[fmt.vnd_short(a) for a in df["amount_vnd"]],
            textposition="auto",
            hovertext=_hover(df["amount_vnd"]),
            hovertemplate="%{y}<br>%{hovertext}<extra></extra>",
        )
    )
    fig.update_xaxes(title="triệu đồng", tickformat=",.0f")
    return _layout(fig, title, height=max(220, 70 + 45 * len(df)))


def by_quarter(df: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars by quarter (or quarter group) and source from ``by_quarter``."""
    fig = go.Figure()
    order = list(df.sort_values("quarter_order")["quarter_label"].drop_duplicates())
    for source in SOURCE_ORDER:
        part = df[df["funding_source"] == source]
        if part.empty:
            continue
        fig.add_bar(
            x=list(part["quarter_label"]),
            y=part["amount_vnd"] / MILLION,
            name=SOURCE_LABELS[source],
            marker_color=SOURCE_COLORS[source],
            customdata=list(zip(part["quarter_label"], [source] * len(part))),
            hovertext=_hover(part["amount_vnd"]),
            hovertemplate="%{x} – " + SOURCE_LABELS[source] + "<br>%{hovertext}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(categoryorder="array", categoryarray=order, title=None)
    fig.update_yaxes(title="triệu đồng", tickformat=",.0f")
    return _layout(fig, title)


def by_unit(df: pd.DataFrame, title: str = "Chi theo phòng/đơn vị (triệu đồng)") -> go.Figure:
    """Horizontal bars of ``df`` [unit_group, units_printed, amount_vnd]
    (``Warehouse.totals_by(f, "unit_group")``: the unit's kind, else its name as printed),
    largest on top, in the neutral colour (a single series: the colour means nothing). The
    hover names the units as the documents print them ("Như in: …") when they differ from
    the bar's label; long labels wrap, they are never shortened. ``customdata`` is the group."""
    df = df.sort_values("amount_vnd")
    groups = list(df["unit_group"])
    printed = list(df["units_printed"]) if "units_printed" in df.columns else [None] * len(df)
    shown = [
        f"{g}<br>Như in: {p}" if isinstance(p, str) and p and p != g else str(g)
        for g, p in zip(groups, printed)
    ]
    fig = go.Figure(
        go.Bar(
            x=df["amount_vnd"] / MILLION,
            y=[wrap(u) for u in groups],
            orientation="h",
            marker_color=NEUTRAL,
            customdata=groups,
            text=[fmt.vnd_short(a) for a in df["amount_vnd"]],
            textposition="auto",
            hovertext=[f"{s}<br>{h}" for s, h in zip(shown, _hover(df["amount_vnd"]))],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig.update_xaxes(title="triệu đồng", tickformat=",.0f")
    fig.update_yaxes(automargin=True)
    return _layout(fig, title, height=max(260, 80 + 42 * len(df)))


EXECUTION_STAGES = ["KHTW giao", "KH UBND giao", "thực hiện", "thực hiện 6 tháng đầu năm"]


def execution(df: pd.DataFrame, title: str = "Kế hoạch và thực hiện theo năm (triệu đồng)") -> go.Figure:
    """Grouped bars per year for the plan and execution stages of ``execution_totals``
    [fiscal_year, phase_vn, amount_vnd] (other stages are left out: a proposal is not a plan).
    Each bar carries its amount inside it (hidden when the bar is too narrow, the hover keeps
    it); a half-year execution is its own stage, named so in the legend."""
    fig = go.Figure()
    df = df[df["phase_vn"].isin(EXECUTION_STAGES)]
    for stage in EXECUTION_STAGES:
        part = df[df["phase_vn"] == stage]
        if part.empty:
            continue
        fig.add_bar(
            x=[str(int(y)) for y in part["fiscal_year"]],
            y=[int(a) / MILLION for a in part["amount_vnd"]],
            name=stage_name(stage),
            marker_color=STAGE_COLORS.get(stage, NEUTRAL),
            customdata=list(zip(part["fiscal_year"], [stage] * len(part))),
            text=[fmt.vnd_short(a) for a in part["amount_vnd"]],
            textposition="inside",
            textangle=0,
            insidetextanchor="end",
            hovertext=_hover(part["amount_vnd"]),
            hovertemplate="Năm %{x} – " + stage + "<br>%{hovertext}<extra></extra>",
        )
    fig.update_layout(barmode="group", uniformtext={"minsize": 10, "mode": "hide"})
    fig.update_xaxes(title="Năm", type="category")
    fig.update_yaxes(title="triệu đồng", tickformat=",.0f")
    return _layout(fig, title, height=420)


def rate_bars(df: pd.DataFrame, title: str) -> go.Figure:
    """Execution rate (%) per line [description, rate_pct, executed_stage]; the rate is
    written just beyond its bar (the axis leaves room for it)."""
    df = df.dropna(subset=["rate_pct"])
    fig = go.Figure(
        go.Bar(
            x=df["rate_pct"],
            y=[wrap(d, 60) for d in df["description"]],
            orientation="h",
            marker_color=[STAGE_COLORS.get(s, STAGE_COLORS["thực hiện"]) for s in df["executed_stage"]],
            text=[fmt.pct(v) for v in df["rate_pct"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        )
    )
    top = float(df["rate_pct"].max()) if len(df) else 100.0
    fig.update_xaxes(title="% so với KH UBND giao", ticksuffix="%", range=[0, max(120.0, top + 20)])
    fig.update_yaxes(automargin=True, autorange="reversed")
    return _layout(fig, title, height=max(260, 80 + 40 * len(df)))


__all__ = ["by_source", "by_quarter", "by_unit", "execution", "rate_bars", "wrap", "LABEL_COLORS"]
