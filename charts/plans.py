"""Charts for targets, tasks, province comparison and trends (Plotly, Vietnamese labels)."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from . import format as fmt
from .budget import MILLION, _layout
from .theme import SOURCE_COLORS, SOURCE_LABELS, SOURCE_ORDER, STAGE_COLORS

STATUS_COLORS = {"Đạt": "#2a9d55", "Chưa đạt": "#c0392b", "Chưa có số liệu": "#b8b8b8", "Chưa đọc được chỉ tiêu": "#7f8c8d"}
FIELD_COLORS = [
    "#1f6fb2", "#e07b00", "#2a9d55", "#8e44ad", "#17a2b8", "#c0392b", "#7f8c8d", "#d4ac0d", "#5d6d7e", "#a04000", "#b8b8b8",
]


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bullet(df: pd.DataFrame, title: str = "Thực hiện so với chỉ tiêu (% chỉ tiêu)") -> go.Figure:
    """Bullet chart of targets [name, progress_pct, status_vn, target_text, actual_value,
    target_unit]: grey bands (0–80%, 80–100%, 100–150%), the actual as a bar, the target as a
    marker at 100%. Indicators without an actual show only their band and marker."""
    df = df.reset_index(drop=True)
    names = [f"{i + 1}. {_short(n)}" for i, n in enumerate(df["name"])]
    fig = go.Figure()
    for lo, hi, colour in ((0, 80, "#eeeeee"), (80, 100, "#dddddd"), (100, 150, "#cccccc")):
        fig.add_bar(y=names, x=[hi - lo] * len(df), base=[lo] * len(df), orientation="h", marker_color=colour,
                    width=0.8, hoverinfo="skip", showlegend=False)
    prog = df["progress_pct"].astype("Float64")
    fig.add_bar(
        y=names,
        x=[None if pd.isna(p) else min(float(p), 150.0) for p in prog],
        orientation="h",
        width=0.35,
        marker_color=[STATUS_COLORS.get(s, "#999") for s in df["status_vn"]],
        name="Thực hiện",
        customdata=list(df["indicator_id"]),
        hovertext=[
            f"Chỉ tiêu: {t}<br>Thực hiện: {fmt.number(a, 2) if not pd.isna(a) else '—'} {u or ''}<br>{s}"
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
    return _layout(fig, title, height=max(300, 90 + 26 * len(df)))


def tasks_by_unit(df: pd.DataFrame, labels: dict[str, str], title: str = "Số nhiệm vụ theo đơn vị chủ trì và lĩnh vực") -> go.Figure:
    """Stacked horizontal bars of task counts [lead_unit, field] (one colour per field)."""
    counts = df.assign(lead_unit=df["lead_unit"].fillna("(chưa rõ)").map(lambda s: _short(s, 45)),
                       field=df["field"].fillna("khac")).groupby(["lead_unit", "field"]).size().reset_index(name="n")
    order = counts.groupby("lead_unit")["n"].sum().sort_values().index.tolist()
    fig = go.Figure()
    for i, field in enumerate(sorted(counts["field"].unique())):
        part = counts[counts["field"] == field]
        fig.add_bar(y=list(part["lead_unit"]), x=list(part["n"]), orientation="h", name=labels.get(field, "Khác"),
                    marker_color=FIELD_COLORS[i % len(FIELD_COLORS)],
                    hovertemplate="%{y}<br>" + labels.get(field, "Khác") + ": %{x} nhiệm vụ<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=order, automargin=True)
    fig.update_xaxes(title="số nhiệm vụ")
    return _layout(fig, title, height=max(300, 90 + 30 * len(order)))


def timeline(df: pd.DataFrame, today: date, title: str = "Thời hạn và thời gian thực hiện") -> go.Figure:
    """Tasks on a time axis: a bar from period_start to period_end (or deadline), a diamond
    at deadlines without a start, and a line at ``today``. ``df``: name, period_start,
    period_end, deadline, status."""
    colours = {"Quá hạn": "#c0392b", "Sắp đến hạn": "#e07b00", "Còn hạn": "#1f6fb2", "Thường xuyên": "#7f8c8d", "Không rõ": "#b8b8b8"}
    fig = go.Figure()
    df = df.reset_index(drop=True)
    labels = [f"{i + 1}. {_short(n, 55)}" for i, n in enumerate(df["name"])]
    for status, colour in colours.items():
        part_idx = [i for i, s in enumerate(df["status"]) if s == status]
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
                marker_color=colour, name=status, hovertemplate="%{y}<br>%{base|%d/%m/%Y} – %{x}<extra></extra>",
            )
        if points_x:
            fig.add_scatter(x=points_x, y=points_y, mode="markers", marker={"symbol": "diamond", "size": 11, "color": colour},
                            name=f"{status} (hạn)", hovertemplate="%{y}<br>Hạn: %{x|%d/%m/%Y}<extra></extra>")
    fig.add_vline(x=pd.Timestamp(today).timestamp() * 1000, line_dash="dash", line_color="#1b2733")
    fig.add_annotation(x=pd.Timestamp(today), y=1.02, yref="paper", text=f"Hôm nay {today:%d/%m/%Y}", showarrow=False)
    fig.update_xaxes(type="date", tickformat="%m/%Y")
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=labels)
    return _layout(fig, title, height=max(320, 90 + 24 * len(df)))


def compare_budget(df: pd.DataFrame, per_capita: bool, title: str) -> go.Figure:
    """Grouped/stacked bars: x = "province · year · stage", stacked by source; values in
    triệu đồng, or đồng per inhabitant when ``per_capita``."""
    fig = go.Figure()
    df = df.copy()
    df["label"] = [f"{p}<br>{y} · {s}" for p, y, s in zip(df["province"], df["fiscal_year"], df["phase_vn"])]
    for source in SOURCE_ORDER:
        part = df[df["funding_source"] == source]
        if part.empty:
            continue
        if per_capita:
            y = [None if pd.isna(p) or not p else a / p for a, p in zip(part["amount_vnd"], part["population"])]
            hover = [f"{fmt.number(v, 0)} đ/người" if v is not None else "không có số dân" for v in y]
        else:
            y = part["amount_vnd"] / MILLION
            hover = [fmt.vnd(int(a)) for a in part["amount_vnd"]]
        fig.add_bar(x=list(part["label"]), y=list(y), name=SOURCE_LABELS[source], marker_color=SOURCE_COLORS[source],
                    hovertext=hover, hovertemplate="%{x}<br>%{hovertext}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title="đồng/người" if per_capita else "triệu đồng", tickformat=",.0f")
    fig.update_xaxes(title=None, tickangle=0, tickfont={"size": 10})
    return _layout(fig, title, height=440)


def trend(df: pd.DataFrame, markers: list[tuple[float, str]], title: str) -> go.Figure:
    """Budget over the years by stage [fiscal_year, phase_vn, amount_vnd] with vertical
    markers for scope changes ``[(year position, text)]``."""
    fig = go.Figure()
    for stage in df["phase_vn"].drop_duplicates():
        part = df[df["phase_vn"] == stage].sort_values("fiscal_year")
        fig.add_scatter(
            x=[int(y) for y in part["fiscal_year"]], y=[int(a) / MILLION for a in part["amount_vnd"]], mode="lines+markers", name=stage,
            line={"color": STAGE_COLORS.get(stage, "#555")},
            hovertext=[fmt.vnd(int(a)) for a in part["amount_vnd"]],
            hovertemplate="Năm %{x} – " + stage + "<br>%{hovertext}<extra></extra>",
        )
    for i, (x, text) in enumerate(markers):
        fig.add_vline(x=x, line_dash="dot", line_color="#b03a2e")
        fig.add_annotation(x=x, y=1.02 - 0.08 * i, yref="paper", text=text, showarrow=False, xanchor="right",
                           font={"color": "#b03a2e", "size": 11}, bgcolor="rgba(255,255,255,0.8)")
    fig.update_xaxes(title="Năm", dtick=1, range=[2019.5, 2026.5])
    fig.update_yaxes(title="triệu đồng", tickformat=",.0f", rangemode="tozero")
    return _layout(fig, title, height=440)


def series(df: pd.DataFrame, title: str) -> go.Figure:
    """Indicator values over periods [period_end, value, period, province, name]."""
    fig = go.Figure()
    for province in df["province"].drop_duplicates():
        part = df[df["province"] == province].sort_values("period_end")
        fig.add_scatter(x=list(pd.to_datetime(part["period_end"])), y=[float(v) for v in part["value"]], mode="lines+markers", name=province,
                        text=list(part["period"]), hovertemplate="%{text}: %{y}<extra>" + province + "</extra>")
    fig.update_xaxes(title="Cuối kỳ báo cáo", type="date", tickformat="%m/%Y")
    return _layout(fig, title, height=360)


def today_window(today: date, days: int = 30) -> tuple[date, date]:
    """(today, today + days): the "upcoming" window."""
    return today, today + timedelta(days=days)
