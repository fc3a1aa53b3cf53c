"""Charts of execution by quarter and of budget versions (Plotly, Vietnamese labels).

Inputs are the DataFrames of ``warehouse.queries`` (``execution_by_quarter``,
``version_totals``, ``decision_moves``) with amounts in integer đồng; axes show triệu đồng
(stated in the title or axis), hovers the exact đồng and where each figure comes from. A
figure no document states on its own (derived: "suy ra từ …") is drawn hatched and named so
in the legend; the estimate's own quarter schedule is drawn only beside an execution figure.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from . import format as fmt
from .budget import MILLION, _layout, wrap
from .theme import NEUTRAL, SOURCE_COLORS, SOURCE_LABELS, SOURCE_ORDER, STAGE_COLORS

RATE_COLOR = "#37474f"  # the execution-rate line (its own axis, in %)


def _million(values) -> list[float | None]:
    return [None if pd.isna(v) else int(v) / MILLION for v in values]


def quarters(df: pd.DataFrame, title: str) -> go.Figure:
    """Execution of one stage by quarter from ``execution_by_quarter`` (the rows of one
    stage): bars for each quarter's own figure (hatched where derived), the estimate's
    schedule beside them where both exist, a line for the year to date, and the year-to-date
    rate against the year's estimate (%) on a second axis. Every point carries
    ``customdata`` = the quarter."""
    df = df.sort_values("quarter")
    stage = df["stage"].iloc[0] if len(df) else "thực hiện"
    colour = STAGE_COLORS.get(stage, STAGE_COLORS["thực hiện"])
    label = df["stage_label"].iloc[0] if len(df) else "Thực hiện"
    x = list(df["quarter_label"])
    fig = go.Figure()
    for derived, name, pattern in ((False, f"{label} trong quý (văn bản ghi)", ""),
                                   (True, f"{label} trong quý (suy ra)", "/")):
        part = df[(df["derived"] == derived) & df["amount_vnd"].notna()]
        if part.empty:
            continue
        fig.add_bar(
            x=list(part["quarter_label"]), y=_million(part["amount_vnd"]), name=name, offsetgroup="execution",
            marker={"color": colour, "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "white", "size": 8,
                                                  "solidity": 0.35} if pattern else {"shape": ""}},
            opacity=0.75 if derived else 1.0,
            customdata=list(part["quarter"]),
            text=[fmt.vnd_short(a) for a in part["amount_vnd"]], textposition="inside", insidetextanchor="middle",
            hovertext=[f"{fmt.vnd(a)}<br>{h}<br>{s}" for a, h, s in zip(part["amount_vnd"], part["how"], part["sources"])],
            hovertemplate="%{x}<br>%{hovertext}<extra></extra>",
        )
    sched = df[df["schedule_vnd"].notna()]
    if len(sched):
        fig.add_bar(
            x=list(sched["quarter_label"]), y=_million(sched["schedule_vnd"]), name="Lịch dự kiến của dự toán",
            offsetgroup="schedule", marker={"color": "rgba(0,0,0,0)", "line": {"color": NEUTRAL, "width": 2}},
            customdata=list(sched["quarter"]),
            hovertext=[fmt.vnd(a) for a in sched["schedule_vnd"]],
            hovertemplate="%{x} – lịch dự kiến<br>%{hovertext}<extra></extra>",
        )
    to_date = df[df["to_date_vnd"].notna()]
    if len(to_date):
        fig.add_scatter(
            x=list(to_date["quarter_label"]), y=_million(to_date["to_date_vnd"]), name="Lũy kế từ đầu năm",
            mode="lines+markers", line={"color": colour, "width": 2},
            marker={"size": 10, "color": colour, "symbol": ["circle-open" if d else "circle" for d in to_date["to_date_derived"]]},
            customdata=list(to_date["quarter"]),
            hovertext=[f"{lab}: {fmt.vnd(a)}<br>{h}<br>{s}" for lab, a, h, s in
                       zip(to_date["to_date_label"], to_date["to_date_vnd"], to_date["to_date_how"], to_date["to_date_sources"])],
            hovertemplate="%{hovertext}<extra></extra>",
        )
        rated = to_date[to_date["to_date_rate_pct"].notna()]
        if len(rated):
            fig.add_scatter(
                x=list(rated["quarter_label"]), y=[float(v) for v in rated["to_date_rate_pct"]], yaxis="y2",
                name="Tỷ lệ lũy kế / dự toán năm (%)", mode="lines+markers+text", line={"color": RATE_COLOR, "dash": "dot"},
                marker={"size": 8, "color": RATE_COLOR}, text=[fmt.pct(v) for v in rated["to_date_rate_pct"]],
                textposition="top center", customdata=list(rated["quarter"]),
                hovertemplate="%{x}: %{text} dự toán năm<extra></extra>",
            )
    top = max([100.0] + [float(v) + 15 for v in df["to_date_rate_pct"].dropna()])
    fig.update_layout(
        barmode="group",
        yaxis={"title": "triệu đồng", "tickformat": ",.0f", "rangemode": "tozero"},
        yaxis2={"title": "% dự toán năm", "overlaying": "y", "side": "right", "ticksuffix": "%", "range": [0, top],
                "dtick": 20, "showgrid": False, "zeroline": False},
        uniformtext={"minsize": 10, "mode": "hide"},
    )
    fig.update_xaxes(categoryorder="array", categoryarray=x, type="category", title=None, range=[-0.5, len(x) - 0.5])
    return _layout(fig, title, height=440)


def versions(df: pd.DataFrame, order: list[str], title: str) -> go.Figure:
    """Each version of a year's estimate as a horizontal bar split by funding source, from
    ``version_totals`` [key, label, funding_source, amount_vnd]; ``order``: the labels in date
    order (the first on top)."""
    fig = go.Figure()
    for source in SOURCE_ORDER:
        part = df[df["funding_source"] == source]
        if part.empty:
            continue
        fig.add_bar(
            y=[wrap(v, 34) for v in part["label"]], x=_million(part["amount_vnd"]), orientation="h",
            name=SOURCE_LABELS[source], marker_color=SOURCE_COLORS[source], customdata=list(part["key"]),
            hovertext=[fmt.vnd(a) for a in part["amount_vnd"]],
            hovertemplate="%{y}<br>" + SOURCE_LABELS[source] + ": %{hovertext}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=[wrap(v, 34) for v in order], autorange="reversed", automargin=True)
    fig.update_xaxes(title="triệu đồng", tickformat=",.0f")
    return _layout(fig, title, height=max(240, 110 + 52 * len(order)))


def moves(df: pd.DataFrame, title: str) -> go.Figure:
    """What a decision moved: one horizontal bar per line it changed (``decision_moves``
    rows with ``moved``, leaves), the signed change in triệu đồng (a decrease to the left);
    one series, so in the neutral colour, the sign written on the bar."""
    df = df[df["moved"] & ~df["is_subtotal"]]
    names = [wrap(f"{c + ' ' if isinstance(c, str) and c not in ('-', '+') else ''}{d}", 40)
             for c, d in zip(df["code"], df["description"])]
    fig = go.Figure(
        go.Bar(
            y=names, x=_million(df["change_vnd"]), orientation="h", marker_color=NEUTRAL,
            text=[("+" if int(v) > 0 else "−") + fmt.vnd_short(abs(int(v))) for v in df["change_vnd"]],
            textposition="outside", cliponaxis=False, customdata=list(df["source_line"]),
            hovertext=[fmt.vnd(int(v)) for v in df["change_vnd"]],
            hovertemplate="%{y}<br>%{hovertext}<extra></extra>",
        )
    )
    values = [int(v) / MILLION for v in df["change_vnd"]]
    low, high = min(values + [0.0]), max(values + [0.0])
    pad = 0.3 * max(high - low, 1.0)  # room for the amount written beyond each bar's end
    fig.update_yaxes(automargin=True, autorange="reversed")
    fig.update_xaxes(title="triệu đồng (tăng +, giảm −)", tickformat=",.0f", zeroline=True, zerolinecolor="#999",
                     range=[low - (pad if low < 0 else 0), high + (pad if high > 0 else 0)])
    return _layout(fig, title, height=max(260, 100 + 58 * len(df)))
