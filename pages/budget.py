"""Ngân sách: spending by source, quarter and unit; the lines behind every bar."""
import pandas as pd
import streamlit as st

from charts import budget as charts
from charts import format as fmt
from charts.theme import SOURCE_LABELS, SOURCE_ORDER
from loaders.periods import quarters_label
from ui import provenance
from ui.filters import direction_select, province_year_stage
from ui.state import url_multiselect, url_toggle, warehouse
from warehouse.export import csv_bytes, lines_to_xlsx
from warehouse.queries import BudgetFilter

wh = warehouse()
st.title("Ngân sách")
province, year, phase, phase_vn = province_year_stage(wh)
if not province:
    st.stop()

c1, c2, c3 = st.columns([1, 2, 3])
direction = direction_select(container=c1)
sources = url_multiselect("Nguồn kinh phí", SOURCE_ORDER, "source", format_func=SOURCE_LABELS.get, container=c2)
base = BudgetFilter(province, year, phase, phase_vn, direction=direction)
units = url_multiselect("Phòng/đơn vị", wh.units(base), "unit", container=c3)
f = BudgetFilter(province, year, phase, phase_vn, tuple(sources), tuple(units), direction)

total = wh.total(f)
label = "Tổng chi" if direction == "expenditure" else "Tổng thu"
st.metric(f"{label} theo bộ lọc", fmt.vnd(total))

spread = url_toggle("Chia đều các dòng nhiều quý / cả năm cho từng quý", "spread", default=False)

left, right = st.columns(2)
with left:
    ev_source = st.plotly_chart(
        charts.by_source(wh.totals_by(f, "funding_source"), "Theo nguồn kinh phí (triệu đồng)"),
        on_select="rerun",
        selection_mode="points",
        key="chart_source",
        width="stretch",
    )
with right:
    title = (
        "Theo quý — dòng nhiều quý chia đều (triệu đồng)"
        if spread
        else "Theo quý — dòng nhiều quý / cả năm để riêng (triệu đồng)"
    )
    ev_quarter = st.plotly_chart(
        charts.by_quarter(wh.by_quarter(f, spread), title),
        on_select="rerun",
        selection_mode="points",
        key="chart_quarter",
        width="stretch",
    )
ev_unit = st.plotly_chart(
    charts.by_unit(wh.totals_by(f, "unit")),
    on_select="rerun",
    selection_mode="points",
    key="chart_unit",
    width="stretch",
)

# Drill-down: a click on a bar narrows the table to the lines behind it.
lines = wh.lines(f)
lines["quarter_group"] = lines["quarters"].map(lambda q: quarters_label(tuple(int(x) for x in q.split(",") if x)))
picked = []


def _points(event):
    try:
        return event.selection.points or []
    except AttributeError:
        return []


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
    lines = lines[lines["unit"] == point["customdata"]]
    picked.append(point["customdata"])

st.subheader("Các dòng chi tiết")
if picked:
    st.info("Đang xem các dòng của: " + "; ".join(picked) + ". Bấm lại vào biểu đồ (hoặc nhấn đúp) để bỏ chọn.")
lines_total = int(lines["amount_vnd"].sum()) if len(lines) else 0
st.caption(f"{len(lines)} dòng · cộng {fmt.vnd(lines_total)} · chỉ các dòng chi tiết (dòng tổng mục không cộng thêm)")
view = lines.assign(
    **{
        "Nội dung": lines["description"].fillna("(không có nội dung)"),
        "Thời gian": lines["period"],
        "Nguồn": lines["funding_source"].map(SOURCE_LABELS),
        "Số tiền": lines["amount_vnd"].map(fmt.vnd),
        "Phòng/đơn vị": lines["unit"],
        "Văn bản": lines["document"],
        "Dòng": lines["source_line"],
    }
)[["Nội dung", "Số tiền", "Nguồn", "Thời gian", "Văn bản", "Dòng", "Phòng/đơn vị"]]
table = st.dataframe(
    view,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="lines_table",
    column_config={"Nội dung": st.column_config.TextColumn(width="large"), "Dòng": st.column_config.NumberColumn(width="small")},
)
rows = getattr(getattr(table, "selection", None), "rows", []) or []
if rows:
    row = lines.iloc[rows[0]]
    st.markdown(
        f"**{row['description'] or '(không có nội dung)'}** — {fmt.vnd(int(row['amount_vnd']))}, "
        f"{row['period'] or 'không rõ thời gian'}, {SOURCE_LABELS[row['funding_source']]}"
        + (f" ({row['funding_note']})" if row["funding_note"] else "")
    )
    desc_line = row["description_line"]
    provenance.show(row["document"], int(row["source_line"]), None if pd.isna(desc_line) else int(desc_line))
else:
    st.caption("Chọn một dòng trong bảng để xem dòng gốc trong văn bản.")

name = f"ngan-sach_{province}_{year}_{phase_vn}".replace(" ", "-")
d1, d2 = st.columns(2)
d1.download_button(
    "Tải Excel (.xlsx)",
    data=lines_to_xlsx(lines, f"Dòng ngân sách — {province} {year} — {phase_vn}"),
    file_name=f"{name}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
d2.download_button(
    "Tải CSV",
    data=csv_bytes(lines.drop(columns=["quarter_group"])),
    file_name=f"{name}.csv",
    mime="text/csv",
)
