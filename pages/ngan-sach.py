"""Ngân sách: spending by source, quarter and unit within one scope (stage and kind); the
lines behind every bar, their document line, and the lines as Excel or CSV.

Units are grouped by kind (``data/vocabulary/units.csv``; the printed name when the
vocabulary does not know the unit): the filter and the bar hover name the units as printed,
the lines table shows each line's unit as printed."""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from charts import budget as charts  # noqa: E402
from charts import format as fmt  # noqa: E402
from charts.theme import KIND_LABELS, SOURCE_LABELS, SOURCE_ORDER  # noqa: E402
from loaders.text.periods import quarters_label
from ui import provenance, tables  # noqa: E402
from ui.i18n import PLOTLY_CONFIG  # noqa: E402
from ui.filters import direction_select, scope_select, unit_select  # noqa: E402
from ui.state import url_multiselect, url_toggle, warehouse  # noqa: E402
from ui.figures import figure  # noqa: E402
from warehouse.workbook import frame_to_csv, frame_to_xlsx  # noqa: E402

wh = warehouse()
st.title("Ngân sách")
scope = scope_select(wh)
if not scope:
    st.stop()

c1, c2, c3 = st.columns([1, 2, 3])
direction = direction_select(container=c1)
sources = url_multiselect("Nguồn kinh phí", SOURCE_ORDER, "source", format_func=SOURCE_LABELS.get, container=c2)
unit_groups = wh.units(scope.filter())
units = unit_select("Phòng/đơn vị", unit_groups["unit_group"], unit_groups["units_printed"], "unit", container=c3)
f = scope.filter(sources=tuple(sources), units=tuple(units), direction=direction)

total = wh.total(f)
narrowed = [", ".join(SOURCE_LABELS[s] for s in sources)] if sources else []
narrowed += [", ".join(units)] if units else []
st.markdown(f"**{scope.caption()}**" + (f" · {'; '.join(narrowed)}" if narrowed else ""))
if scope.version_caption():
    st.caption(scope.version_caption() + (" — mỗi phiên bản cộng riêng, không cộng dồn các lần điều chỉnh."
                                          if scope.versions > 1 else ""))
    if scope.version_label.startswith("Theo QĐ") or scope.phase_vn in ("dự toán đã giao", "điều chỉnh"):
        st.page_link("pages/dieu-chinh.py", label="Xem các lần điều chỉnh dự toán và các dòng được điều chỉnh",
                     icon=":material/history:", query_params={"province": scope.province, "year": str(scope.fiscal_year)})
if scope.kind != "budget":
    label = KIND_LABELS[scope.kind][:1].upper() + KIND_LABELS[scope.kind][1:]
else:
    label = "Tổng chi" if direction == "expenditure" else "Tổng thu"
st.metric(f"{label} theo bộ lọc", fmt.vnd(total))

spread = url_toggle("Chia đều các dòng nhiều quý / cả năm cho từng quý", "spread", default=False)

#: The chart tabs: (by funding source and by quarter, by unit).
CHART_VIEWS = ["Theo nguồn kinh phí và quý", "Theo phòng/đơn vị"]


def _points(event):
    if event is None:  # the chart's tab is not open
        return []
    try:
        return event.selection.points or []
    except AttributeError:
        return []


# Charts, lines and downloads rerun alone when a bar or a row is clicked (a fragment): the
# filters above and their queries are not run again for a click.
@st.fragment
def details(f, spread: bool, scope, narrowed: list[str]) -> None:
    # Two views, one drawn at a time (a tab that is not open runs nothing and draws nothing:
    # two charts per filter change instead of three; issue 17). The first is what a meeting
    # asks first — by funding source and by quarter —, the second the spending by unit.
    by_money, by_unit = st.tabs(CHART_VIEWS, key="chart_view", on_change="rerun")
    ev_source = ev_quarter = ev_unit = None
    if by_money.open:
        with by_money:
            left, right = st.columns(2)
            with left:
                ev_source = st.plotly_chart(
                    figure(charts.by_source, wh.totals_by(f, "funding_source"), "Theo nguồn kinh phí (triệu đồng)"),
                    on_select="rerun",
                    selection_mode="points",
                    key="chart_source",
                    width="stretch",
                    config=PLOTLY_CONFIG,
                )
            with right:
                title = (
                    "Theo quý — dòng nhiều quý chia đều (triệu đồng)"
                    if spread
                    else "Theo quý — dòng nhiều quý / cả năm để riêng (triệu đồng)"
                )
                ev_quarter = st.plotly_chart(
                    figure(charts.by_quarter, wh.by_quarter(f, spread), title),
                    on_select="rerun",
                    selection_mode="points",
                    key="chart_quarter",
                    width="stretch",
                    config=PLOTLY_CONFIG,
                )
    if by_unit.open:
        with by_unit:
            ev_unit = st.plotly_chart(
                figure(charts.by_unit, wh.totals_by(f, "unit_group")),
                on_select="rerun",
                selection_mode="points",
                key="chart_unit",
                width="stretch",
                config=PLOTLY_CONFIG,
            )

    # Drill-down: a click on a bar narrows the table to the lines behind it.
    lines = wh.lines(f)
    groups = {q: quarters_label(tuple(int(x) for x in q.split(",") if x)) for q in lines["quarters"].unique()}
    lines["quarter_group"] = lines["quarters"].map(groups)  # one label per distinct timing, not per line
    picked = []
    for point in _points(ev_source):
        lines = lines[lines["funding_source"] == point["customdata"]]
        picked.append(SOURCE_LABELS[point["customdata"]])
    for point in _points(ev_quarter):
        qlabel, source = point["customdata"]
        if spread and qlabel.startswith("Quý"):
            q = {"Quý I": "1", "Quý II": "2", "Quý III": "3", "Quý IV": "4"}[qlabel]
            lines = lines[lines["quarters"].str.split(",").map(lambda qs: q in qs)]
        else:
            lines = lines[lines["quarter_group"] == qlabel]
        lines = lines[lines["funding_source"] == source]
        picked.append(f"{qlabel} · {SOURCE_LABELS[source]}")
    for point in _points(ev_unit):
        lines = lines[lines["unit_group"] == point["customdata"]]
        picked.append(point["customdata"])
    lines = lines.reset_index(drop=True)

    st.subheader("Các dòng chi tiết")
    if picked:
        st.info("Đang xem các dòng của: " + "; ".join(picked) + ". Bấm lại vào biểu đồ (hoặc nhấn đúp) để bỏ chọn.")
    lines_total = int(lines["amount_vnd"].sum()) if len(lines) else 0
    st.caption(f"{len(lines)} dòng · cộng {fmt.vnd(lines_total)} · chỉ các dòng chi tiết (dòng tổng mục không cộng thêm)")
    view = pd.DataFrame(
        {
            "Nội dung": lines["description"].fillna("(không có nội dung)"),
            "Số tiền": lines["amount_vnd"],
            "Nguồn": lines["funding_source"].map(SOURCE_LABELS),
            "Thời gian": lines["period"],
            "Văn bản": lines["document"],
            "Dòng": lines["source_line"],
            "Vị trí trong tệp": lines["location"],
            "Phòng/đơn vị (như in)": lines["unit"],
        }
    )
    table = tables.show(
        view,
        {"Nội dung": st.column_config.TextColumn(width="large"), "Số tiền": tables.amount_column(), "Dòng": st.column_config.NumberColumn(width="small")},
        on_select="rerun",
        selection_mode="single-row",
        key="lines_table",
    )
    rows = getattr(getattr(table, "selection", None), "rows", []) or []
    if rows:
        row = lines.iloc[rows[0]]
        st.markdown(
            f"**{tables.text(row['description'], '(không có nội dung)')}** — {fmt.vnd(int(row['amount_vnd']))}, "
            f"{tables.text(row['period'], 'không rõ thời gian')}, {SOURCE_LABELS[row['funding_source']]}"
            + (f" ({row['funding_note']})" if tables.text(row["funding_note"], "") else "")
        )
        desc_line = row["description_line"]
        provenance.show(row["document"], int(row["source_line"]), None if pd.isna(desc_line) else int(desc_line),
                        location=row.get("location"))
    else:
        st.caption("Chọn một dòng trong bảng để xem dòng gốc trong văn bản.")

    # The files are built only when a button is pressed (deferred download), never on a rerun;
    # headers and labels are Vietnamese (warehouse.workbook).
    name = f"ngan-sach_{scope.province}_{scope.fiscal_year}_{scope.phase_vn}".replace(" ", "-")
    export = lines[tables.LINE_EXPORT_COLUMNS]
    about = {"Phạm vi": scope.caption(), "Bộ lọc": "; ".join(narrowed + picked) or "không", "Tổng cộng": fmt.vnd(lines_total)}
    d1, d2 = st.columns(2)
    d1.download_button(
        "Tải Excel (.xlsx)",
        data=lambda: frame_to_xlsx({"Dòng ngân sách": export}, title=f"Dòng ngân sách — {scope.caption()}", provenance=about),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )
    d2.download_button("Tải CSV", data=lambda: frame_to_csv(export), file_name=f"{name}.csv", mime="text/csv", on_click="ignore")


details(f, spread, scope, narrowed)
