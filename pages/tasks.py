"""Nhiệm vụ: tasks by lead unit and field, deadlines vs today, task budgets."""
import os
from datetime import date

import pandas as pd
import streamlit as st

from charts import format as fmt
from charts import plans as charts
from loaders.catalogue import FIELD_LABELS_VN
from ui import provenance
from ui.state import url_multiselect, url_select, warehouse
from warehouse import kpi

wh = warehouse()
st.title("Nhiệm vụ")
provinces = wh.task_provinces()
if not provinces:
    st.info("Chưa có kế hoạch nhiệm vụ nào trong kho dữ liệu.")
    st.stop()
c1, c2, c3 = st.columns([2, 1, 1])
province = url_select("Tỉnh", provinces, "province", container=c1)
year = url_select("Năm", wh.task_years(province), "tyear", parse=int, container=c2)
# "today" can be fixed for reviews and tests: ?today=2026-06-30 or SKHCN_TODAY
override = st.query_params.get("today") or os.environ.get("SKHCN_TODAY")
try:
    default_today = date.fromisoformat(override) if override else date.today()
except ValueError:
    default_today = date.today()
today = c3.date_input("Ngày tham chiếu", value=default_today, format="DD/MM/YYYY", key="today")

tasks = wh.tasks(province, year)
f1, f2 = st.columns(2)
leads = url_multiselect("Đơn vị chủ trì", sorted(tasks["lead_unit"].dropna().unique()), "lead", container=f1)
fields = url_multiselect("Lĩnh vực", sorted(tasks["field"].dropna().unique()), "field", format_func=lambda f: FIELD_LABELS_VN.get(f, f), container=f2)
if leads:
    tasks = tasks[tasks["lead_unit"].isin(leads)]
if fields:
    tasks = tasks[tasks["field"].isin(fields)]
tasks = tasks.assign(
    status=[kpi.task_status(d, e, r, today) for d, e, r in zip(tasks["deadline"], tasks["period_end"], tasks["recurring"])]
)

m1, m2, m3, m4 = st.columns(4)
m1.metric("Số nhiệm vụ", len(tasks))
m2.metric("Quá hạn", int((tasks["status"] == kpi.OVERDUE).sum()))
m3.metric("Sắp đến hạn (30 ngày)", int((tasks["status"] == kpi.UPCOMING).sum()))
budget_total = int(tasks["budget_vnd"].sum(skipna=True)) if tasks["budget_vnd"].notna().any() else 0
m4.metric("Kinh phí đề xuất", fmt.vnd_short(budget_total), help=fmt.vnd(budget_total))
st.caption(f"Tổng kinh phí đề xuất của các nhiệm vụ đang xem: {fmt.vnd(budget_total)}")

if len(tasks):
    st.plotly_chart(charts.tasks_by_unit(tasks, FIELD_LABELS_VN), width="stretch")
    dated = tasks[tasks["deadline"].notna() | tasks["period_end"].notna()]
    if len(dated):
        st.plotly_chart(charts.timeline(dated, today, f"Thời hạn nhiệm vụ so với ngày {today:%d/%m/%Y}"), width="stretch")

for label, status in (("Quá hạn", kpi.OVERDUE), ("Sắp đến hạn trong 30 ngày", kpi.UPCOMING)):
    part = tasks[tasks["status"] == status]
    st.subheader(f"{label} ({len(part)})")
    if len(part):
        st.dataframe(
            pd.DataFrame(
                {
                    "Nhiệm vụ": part["name"],
                    "Thời gian": part["timing_text"],
                    "Hạn": pd.to_datetime(part["deadline"]).dt.strftime("%d/%m/%Y"),
                    "Chủ trì": part["lead_unit"],
                    "Văn bản": part["document"],
                    "Dòng": part["source_line"],
                }
            ),
            hide_index=True,
            width="stretch",
        )

st.subheader("Tất cả nhiệm vụ")
table = pd.DataFrame(
    {
        "Nhóm": tasks["section"],
        "Nhiệm vụ": tasks["name"],
        "Loại": tasks["kind"].map({"task": "Nhiệm vụ", "project": "Dự án"}),
        "Chủ trì": tasks["lead_unit"],
        "Người thực hiện": tasks["assignees"],
        "Phối hợp": tasks["partners"],
        "Thời gian": tasks["timing_text"],
        "Tình trạng hạn": tasks["status"],
        "Kinh phí": tasks["budget_vnd"].map(fmt.vnd),
        "Lĩnh vực": tasks["field"].map(lambda f: FIELD_LABELS_VN.get(f, "") if isinstance(f, str) else ""),
        "Văn bản": tasks["document"],
        "Dòng": tasks["source_line"],
    }
).reset_index(drop=True)
sel = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="task_table")
rows = getattr(getattr(sel, "selection", None), "rows", []) or []
if rows:
    row = tasks.iloc[rows[0]]
    st.markdown(f"**{row['name']}** — kết quả dự kiến: {row['expected_result'] or '—'}")
    if pd.notna(row["budget_vnd"]):
        st.markdown(f"Kinh phí: {fmt.vnd(int(row['budget_vnd']))}" + (f" ({row['budget_note']})" if row["budget_note"] else ""))
    provenance.show(row["document"], int(row["source_line"]))

budgeted = tasks[tasks["budget_vnd"].notna()]
if len(budgeted):
    st.subheader(f"Kinh phí đề xuất của nhiệm vụ ({len(budgeted)} nhiệm vụ, {fmt.vnd(int(budgeted['budget_vnd'].sum()))})")
    st.dataframe(
        pd.DataFrame(
            {
                "Nhiệm vụ": budgeted["name"],
                "Chủ trì": budgeted["lead_unit"],
                "Kinh phí": budgeted["budget_vnd"].map(fmt.vnd),
                "Như in": budgeted["budget_text"],
                "Ghi chú nguồn": budgeted["budget_note"],
                "Văn bản": budgeted["document"],
                "Dòng": budgeted["source_line"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
