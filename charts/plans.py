"""Charts for targets, tasks, province comparison and trends (Plotly, Vietnamese labels).

Colours follow ``charts.theme``: status colours for targets and tasks, the field scale for
fields of work, source colours for funding sources, stage colours for budget stages.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from . import format as fmt
from .budget import MILLION, _layout, wrap
from .theme import (
    FIELD_COLORS,
    FIELD_OTHER_LABEL,
    SOURCE_COLORS,
    SOURCE_LABELS,
    SOURCE_ORDER,
    STAGE_COLORS,
    STATUS_COLORS,
    scope_name,
)

TREND_YEARS = (2020, 2026)


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bullet(df: pd.DataFrame, title: str = "Thực hiện so với chỉ tiêu (% chỉ tiêu)") -> go.Figure:
    """Bullet chart of targets that have an actual [indicator_id, name, progress_pct,
    status_vn, target_text, actual_value, target_unit]: grey bands (0–80%, 80–100%,
    100–150%), the actual as a bar in its status colour, the target as a marker at 100%.
    Rows without ``progress_pct`` are left out (the page says how many)."""
    df = df[df["progress_pct"].notna()].reset_index(drop=True)
    names = [f"{i + 1}. {_short(n)}" for i, n in enumerate(df["name"])]
    fig = go.Figure()
    for lo, hi, colour in ((0, 80, "#eeeeee"), (80, 100, "#dddddd"), (100, 150, "#cccccc")):
        fig.add_bar(y=names, x=[hi - lo] * len(df), base=[lo] * len(df), orientation="h", marker_color=colour,
                    width=0.8, hoverinfo="skip", showlegend=False)
    fig.add_bar(
        y=names,
        x=[min(float(p), 150.0) for p in df["progress_pct"]],
        orientation="h",
        width=0.35,
        marker_color=[STATUS_COLORS.get(s, "#999") for s in df["status_vn"]],
        name="Thực hiện",
        customdata=list(df["indicator_id"]),
        hovertext=[
            f"Chỉ tiêu: {t}<br>Thực hiện: {fmt.number(a, 2)} {u or ''}<br>{s}"
            for t, a, u, s in zip(df["target_text"], df["actual_value"], df["target_unit"], df["status_vn"])
        ],
        hovertemplate="%{y}<br>%{hovertext}<extra></extra>",
    )
    fig.add_scatter(
        y=names, x=[100] * len(df), mode="markers", marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": "#1b2733"}},
        name="Chỉ tiêu (100%)", hoverinfo="skip",
    )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title="% chỉ tiêu", range=[0, 150], ticksuffix="%")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, title, height=max(260, 110 + 30 * len(df)))


def status_counts(counts: pd.DataFrame, title: str) -> go.Figure:
    """One horizontal bar per status [status_vn, n] in its status colour, in the given
    order (top to bottom), the count written beside each bar."""
    fig = go.Figure(
        go.Bar(
            x=list(counts["n"]),
            y=list(counts["status_vn"]),
            orientation="h",
            marker_color=[STATUS_COLORS.get(s, "#999") for s in counts["status_vn"]],
            text=[str(int(n)) for n in counts["n"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_xaxes(title="số nhiệm vụ", rangemode="tozero")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, title, height=max(200, 90 + 34 * len(counts)))


def tasks_by_unit(df: pd.DataFrame, labels: dict[str, str], title: str = "Số nhiệm vụ theo đơn vị chủ trì và lĩnh vực") -> go.Figure:
    """Stacked horizontal bars of task counts by lead unit and field, one colour per field
    (the field scale). ``df`` has lead_unit (as printed), field and, from
    ``Warehouse.tasks``, lead_unit_group (the unit's kind, else its printed name): bars are
    per group, and the hover names the lead units as printed ("Như in: …") when they differ
    from the bar's label. Labels wrap, they are never shortened; ``customdata`` is the group."""
    unknown = "Chưa rõ đơn vị chủ trì"
    group = df["lead_unit_group"] if "lead_unit_group" in df.columns else df["lead_unit"]
    frame = pd.DataFrame({"group": group.fillna(unknown).to_numpy(), "printed": df["lead_unit"].to_numpy(),
                          "field": df["field"].fillna("khac").to_numpy()})
    counts = frame.groupby(["group", "field"]).size().reset_index(name="n")
    printed = frame.dropna(subset=["printed"]).groupby("group")["printed"].agg(lambda s: "; ".join(sorted(set(s))))
    order = counts.groupby("group")["n"].sum().sort_values().index.tolist()
    fig = go.Figure()
    for field in [f for f in FIELD_COLORS if f in set(counts["field"])]:
        part = counts[counts["field"] == field]
        name = labels.get(field, FIELD_OTHER_LABEL)
        hover = [f"{g}<br>Như in: {printed[g]}" if g in printed.index and printed[g] != g else g for g in part["group"]]
        fig.add_bar(y=[wrap(u, 48) for u in part["group"]], x=list(part["n"]), orientation="h", name=name,
                    marker_color=FIELD_COLORS[field], customdata=list(part["group"]), hovertext=hover,
                    hovertemplate="%{hovertext}<br>" + name + ": %{x} nhiệm vụ<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=[wrap(u, 48) for u in order], automargin=True)
    fig.update_xaxes(title="số nhiệm vụ")
    # every category gets the same band: wide enough for the longest (wrapped) name
    most_lines = max((wrap(u, 48).count("<br>") + 1 for u in order), default=1)
    # the legend sits below the plot inside the same height: room for one row per field (a
    # narrow column wraps it one per row), so a few bars are not squeezed to slivers
    legend = 22 * len(fig.data)
    return _layout(fig, title, height=max(300, 140 + max(26, 16 * most_lines + 8) * len(order)) + legend)


def timeline(df: pd.DataFrame, reference: date, title: str = "Thời hạn và thời gian thực hiện") -> go.Figure:
    """Tasks on a time axis, coloured by status [name, period_start, period_end, deadline,
    status_vn]: a bar from the planned start to the end (or deadline), a diamond at a deadline
    without a start, and a dashed line at the reference date."""
    fig = go.Figure()
    df = df.reset_index(drop=True)
    labels = [f"{i + 1}. {_short(n, 55)}" for i, n in enumerate(df["name"])]
    for status, colour in STATUS_COLORS.items():
        part_idx = [i for i, s in enumerate(df["status_vn"]) if s == status]
        if not part_idx:
            continue
        starts, ends, ys, points_x, points_y = [], [], [], [], []
        for i in part_idx:
            r = df.loc[i]
            end = r["period_end"] if pd.notna(r["period_end"]) else r["deadline"]
            start = r["period_start"] if pd.notna(r["period_start"]) else None
            if pd.notna(end) and start is not None:
                starts.append(pd.Timestamp(start))
                ends.append(pd.Timestamp(end) + pd.Timedelta(days=1))
                ys.append(labels[i])
            elif pd.notna(end):
                points_x.append(pd.Timestamp(end))
                points_y.append(labels[i])
        if ys:
            fig.add_bar(
                y=ys, x=[(e - s).total_seconds() * 1000 for s, e in zip(starts, ends)], base=starts, orientation="h",
                marker_color=colour, name=status, legendgroup=status,
                hovertemplate="%{y}<br>%{base|%d/%m/%Y} – %{x}<extra></extra>",
            )
        if points_x:
            fig.add_scatter(x=points_x, y=points_y, mode="markers", marker={"symbol": "diamond", "size": 11, "color": colour},
                            name=f"{status} (hạn)", legendgroup=status, hovertemplate="%{y}<br>Hạn: %{x|%d/%m/%Y}<extra></extra>")
    fig.add_vline(x=pd.Timestamp(reference).timestamp() * 1000, line_dash="dash", line_color="#1b2733")
    fig.add_annotation(x=pd.Timestamp(reference), y=1.0, yref="paper", yanchor="bottom",
                       text=f"Ngày tham chiếu {reference:%d/%m/%Y}", showarrow=False)
    fig.update_xaxes(type="date", tickformat="%m/%Y")
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=labels)
    return _layout(fig, title, height=max(320, 90 + 24 * len(df)))


def compare_budget(df: pd.DataFrame, per_capita: bool, title: str) -> go.Figure:
    """Bars of one scope (one stage and kind, chosen by the page) per province and year
    [province, fiscal_year, funding_source, amount_vnd, population], stacked by source; in
    triệu đồng, or đồng per inhabitant when ``per_capita``."""
    fig = go.Figure()
    df = df.copy()
    df["label"] = [f"{p}<br>{y}" for p, y in zip(df["province"], df["fiscal_year"])]
    order = list(dict.fromkeys(df.sort_values(["province", "fiscal_year"])["label"]))
    for source in SOURCE_ORDER:
        part = df[df["funding_source"] == source]
        if part.empty:
            continue
        if per_capita:
            y = [None if pd.isna(p) or not p else a / p for a, p in zip(part["amount_vnd"], part["population"])]
            hover = [f"{fmt.number(v, 0)} đ/người" if v is not None else "không có số dân" for v in y]
        else:
            y = list(part["amount_vnd"] / MILLION)
            hover = [fmt.vnd(int(a)) for a in part["amount_vnd"]]
        fig.add_bar(x=list(part["label"]), y=y, name=SOURCE_LABELS[source], marker_color=SOURCE_COLORS[source],
                    hovertext=hover, hovertemplate="%{x}<br>%{hovertext}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title="đồng/người" if per_capita else "triệu đồng", tickformat=",.0f")
    fig.update_xaxes(title=None, tickangle=0, categoryorder="array", categoryarray=order)
    return _layout(fig, title, height=420)


def trend(df: pd.DataFrame, markers: list[tuple[float, str]], title: str) -> go.Figure:
    """Budget over the years, one line per scope [fiscal_year, phase_vn, kind, amount_vnd].

    A line joins only consecutive years of the same stage and kind: a year without data
    leaves a gap, and a scope with a single year is a lone marker. ``markers`` are vertical
    lines for scope changes ``[(x position, text)]``."""
    fig = go.Figure()
    years = list(range(TREND_YEARS[0], TREND_YEARS[1] + 1))
    for (stage, kind), part in df.groupby(["phase_vn", "kind"], sort=False):
        by_year = {int(y): int(a) for y, a in zip(part["fiscal_year"], part["amount_vnd"])}
        name = scope_name(stage, kind)
        fig.add_scatter(
            x=years,
            y=[by_year[y] / MILLION if y in by_year else None for y in years],
            mode="lines+markers",
            connectgaps=False,
            name=name,
            line={"color": STAGE_COLORS.get(stage, "#555"), "dash": "solid" if kind == "budget" else "dot"},
            marker={"size": 9, "symbol": "circle" if kind == "budget" else "diamond"},
            hovertext=[fmt.vnd(by_year[y]) if y in by_year else "" for y in years],
            hovertemplate="Năm %{x} – " + name + "<br>%{hovertext}<extra></extra>",
        )
    for i, (x, text) in enumerate(markers):
        fig.add_vline(x=x, line_dash="dot", line_color="#b03a2e")
        fig.add_annotation(x=x, y=1.0 - 0.08 * i, yref="paper", yanchor="bottom", text=text, showarrow=False, xanchor="right",
                           font={"color": "#b03a2e", "size": 11}, bgcolor="rgba(255,255,255,0.8)")
    fig.update_xaxes(title="Năm", dtick=1, range=[TREND_YEARS[0] - 0.5, TREND_YEARS[1] + 0.5])
    fig.update_yaxes(title="triệu đồng", tickformat=",.0f", rangemode="tozero")
    return _layout(fig, title, height=440)


def series(df: pd.DataFrame, title: str) -> go.Figure:
    """Indicator values over periods [period_end, value, period, province]: a line per
    province (points of one indicator and one unit)."""
    fig = go.Figure()
    for province in df["province"].drop_duplicates():
        part = df[df["province"] == province].sort_values("period_end")
        fig.add_scatter(x=list(pd.to_datetime(part["period_end"])), y=[float(v) for v in part["value"]], mode="lines+markers", name=province,
                        text=list(part["period"]), hovertemplate="%{text}: %{y}<extra>" + province + "</extra>")
    fig.update_xaxes(title="Cuối kỳ báo cáo", type="date", tickformat="%m/%Y")
    return _layout(fig, title, height=360)
