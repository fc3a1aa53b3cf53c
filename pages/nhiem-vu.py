"""Nhiệm vụ: the tasks of one province and plan year — what is known of their progress on a
reference date, by lead unit and field, on a time line — and, apart from them, the plan's
projects with their estimated envelopes. Editors (``ui.auth.can("editor")``) record completion
when they know it (``warehouse.task_entries``); viewers see what was recorded, read only.
Lead units are grouped by kind (the printed name when the vocabulary does not know the unit);
tables show them as printed."""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

from datetime import date, datetime  # noqa: E402

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from charts import format as fmt  # noqa: E402
from charts import plans as charts  # noqa: E402
from loaders.text.catalogue import FIELD_LABELS_VN
from ui import auth, provenance, tables  # noqa: E402
from ui.i18n import PLOTLY_CONFIG  # noqa: E402
from ui.filters import province_select, unit_select, year_select  # noqa: E402
from ui.state import today, url_date, url_multiselect, warehouse  # noqa: E402
from ui.figures import figure  # noqa: E402
from warehouse import tasks as status_rules  # noqa: E402
from warehouse.queries import lead_unit_rows  # noqa: E402
from warehouse.task_entries import MAX_NOTE, TaskStatusError, record_task_status, task_history, task_key  # noqa: E402

wh = warehouse()
st.title("Nhiệm vụ")
provinces = wh.task_provinces()
if not provinces:
    st.info("Chưa có kế hoạch nhiệm vụ nào trong kho dữ liệu.")
    st.stop()
c1, c2, c3 = st.columns([2, 1, 1])
province = province_select(wh, provinces, container=c1)
year = year_select(wh, province, wh.task_years(province), "Năm kế hoạch", container=c2)
default_reference = status_rules.default_reference(year, today())
reference = url_date("Ngày tham chiếu", "ref", default_reference, container=c3)

rows = wh.tasks(province, year)
units = lead_unit_rows(rows)  # one row per (task, lead unit): a cell naming several units is split
f1, f2 = st.columns(2)
leads = unit_select("Đơn vị chủ trì", units["unit_group"], units["unit"], "lead", container=f1)
fields = url_multiselect("Lĩnh vực", sorted(rows["field"].dropna().unique()), "field", format_func=lambda f: FIELD_LABELS_VN.get(f, f), container=f2)
if leads:  # a task led by several units is kept when any of them is chosen
    rows = rows[rows.index.isin(units.loc[units["unit_group"].isin(leads), "row"])]
if fields:
    rows = rows[rows["field"].isin(fields)]
rows = rows.assign(
    status=[
        status_rules.task_status(d, s, e, r, reference, c)
        for d, s, e, r, c in zip(rows["deadline"], rows["period_start"], rows["period_end"], rows["recurring"], rows["recorded"])
    ]
)
rows["status_vn"] = rows["status"].map(status_rules.STATUS_VN)
tasks = rows[rows["kind"] != "project"].reset_index(drop=True)
projects = rows[rows["kind"] == "project"].reset_index(drop=True)

def tasks_by_unit_rows(tasks: pd.DataFrame) -> pd.DataFrame:
    """The tasks once per lead unit (``lead_unit_rows``) for the chart by unit: lead_unit_group
    (the unit's kind, else its printed words), lead_unit (the unit's words as printed),
    field, task (row of ``tasks``); the tasks of a document that prints no lead unit at all
    are left out (said once by ``say_units``)."""
    printed = tasks[tasks["document_prints_lead_unit"]]
    split = lead_unit_rows(printed)
    return pd.DataFrame({
        "task": split["row"].to_numpy(),
        "lead_unit_group": split["unit_group"].to_numpy(),
        "lead_unit": split["unit"].to_numpy(),
        "field": printed.loc[split["row"], "field"].to_numpy(),
    })


def say_units(tasks: pd.DataFrame, by_unit: pd.DataFrame) -> None:
    """The notes under the chart by unit: a task led by several units counts for each, and
    a document whose task table prints no lead unit is named once (not one "Chưa rõ đơn vị
    chủ trì" per task)."""
    shared = by_unit.groupby("task").size()
    shared = shared[shared > 1]
    if len(shared):
        st.caption(
            f"Một nhiệm vụ do nhiều đơn vị chủ trì được tính cho từng đơn vị: {len(shared)} nhiệm vụ do "
            f"{int(shared.min())}–{int(shared.max())} đơn vị cùng chủ trì, nên biểu đồ có {len(by_unit)} lượt đơn vị "
            f"cho {by_unit['task'].nunique()} nhiệm vụ; số nhiệm vụ ({len(tasks)}) đếm mỗi nhiệm vụ một lần. "
            "Cột «Chủ trì (như in)» giữ nguyên ô của văn bản."
        )
    silent = tasks[~tasks["document_prints_lead_unit"]]
    for document, n in silent["document"].value_counts(sort=False).items():
        st.info(f"Văn bản {document} không in đơn vị chủ trì (bảng nhiệm vụ không có cột này): {n} nhiệm vụ của văn bản "
                "không được xếp theo đơn vị chủ trì.")


why = {date(year, 12, 31): "cuối năm kế hoạch", today(): "hôm nay"}.get(reference, "ngày tham chiếu đã chọn")
filtered = " · đang lọc" if leads or fields else ""
st.markdown(f"**Nhiệm vụ kế hoạch {year} · {province} · tình trạng tính đến {reference:%d/%m/%Y} ({why}){filtered}**")
count = tasks["status"].value_counts()
budgeted = tasks[tasks["budget_vnd"].notna()]
top = st.columns(4)
top[0].metric("Số nhiệm vụ", len(tasks))
if len(budgeted):
    budget_total = int(budgeted["budget_vnd"].sum())
    top[1].metric(
        "Kinh phí đề xuất của nhiệm vụ", fmt.vnd_short(budget_total),
        help=f"{fmt.vnd(budget_total)} · {len(budgeted)}/{len(tasks)} nhiệm vụ có ghi kinh phí đề xuất",
    )
if len(projects):
    envelope = int(projects["budget_vnd"].sum(skipna=True)) if projects["budget_vnd"].notna().any() else 0
    top[2].metric("Số dự án", len(projects))
    top[3].metric("Kinh phí dự kiến của dự án", fmt.vnd_short(envelope), help=fmt.vnd(envelope))
status_cols = st.columns(4)
for col, code, label in (
    (status_cols[0], status_rules.DONE, "Đã hoàn thành (đã ghi nhận)"),
    (status_cols[1], status_rules.DUE, "Đến hạn, chưa ghi nhận kết quả"),
    (status_cols[2], status_rules.SOON, "Sắp đến hạn (30 ngày)"),
    (status_cols[3], status_rules.LATE, "Quá hạn (đã xác nhận chưa xong)"),
):
    col.metric(label, int(count.get(code, 0)))
notes = [
    "Kế hoạch không ghi nhiệm vụ đã xong hay chưa. \"Đến hạn, chưa ghi nhận kết quả\": hạn (hoặc cuối thời gian thực hiện) "
    "đã qua so với ngày tham chiếu và chưa ai ghi nhận kết quả. Một nhiệm vụ chỉ \"Quá hạn\" khi cán bộ đã ghi nhận là chưa hoàn thành."
]
if len(budgeted):
    notes.append(f"Kinh phí đề xuất của nhiệm vụ: {fmt.vnd(budget_total)} ({len(budgeted)}/{len(tasks)} nhiệm vụ có ghi kinh phí).")
if len(projects):
    notes.append(
        f"Kinh phí dự kiến của {len(projects)} dự án: {fmt.vnd(envelope)} — kinh phí dự kiến (thường nhiều năm) trong kế hoạch, "
        "không phải số được giao, không cộng với kinh phí nhiệm vụ."
    )
st.caption(" ".join(notes))

if len(tasks):
    order = [s for s in status_rules.STATUS_ORDER if s in set(tasks["status"])]
    counts = pd.DataFrame({"status_vn": [status_rules.STATUS_VN[s] for s in order], "n": [int(count[s]) for s in order]})
    st.plotly_chart(figure(charts.status_counts, counts, f"Tình trạng {len(tasks)} nhiệm vụ tính đến {reference:%d/%m/%Y}"), width="stretch", config=PLOTLY_CONFIG)
    by_unit = tasks_by_unit_rows(tasks)
    if len(by_unit):
        st.plotly_chart(figure(charts.tasks_by_unit, by_unit, FIELD_LABELS_VN), width="stretch", config=PLOTLY_CONFIG)
    say_units(tasks, by_unit)
    dated = tasks[tasks["deadline"].notna() | tasks["period_end"].notna()]
    if len(dated):
        st.plotly_chart(figure(charts.timeline, dated, reference, f"Thời hạn nhiệm vụ so với ngày {reference:%d/%m/%Y}"), width="stretch", config=PLOTLY_CONFIG)
else:
    st.info("Không có nhiệm vụ nào theo bộ lọc này.")

st.subheader("Danh sách nhiệm vụ")
shown = url_multiselect(
    "Tình trạng", [status_rules.STATUS_VN[s] for s in status_rules.STATUS_ORDER if s in set(tasks["status"])], "status"
)
listed = tasks[tasks["status_vn"].isin(shown)].reset_index(drop=True) if shown else tasks
table = pd.DataFrame(
    {
        "Nhiệm vụ": listed["name"],
        "Tình trạng": listed["status_vn"],
        "Hạn": pd.to_datetime(listed["deadline"]),
        "Thời gian": listed["timing_text"],
        "Chủ trì (như in)": listed["lead_unit"],
        "Đơn vị chủ trì (tách)": lead_unit_rows(listed).groupby("row")["unit"].agg(
            lambda u: " · ".join(x for x in u if isinstance(x, str)) or None).reindex(listed.index),
        "Người thực hiện": listed["assignees"],
        "Phối hợp": listed["partners"],
        "Kinh phí đề xuất": listed["budget_vnd"],
        "Lĩnh vực": listed["field"].map(lambda f: FIELD_LABELS_VN.get(f) if isinstance(f, str) else None),
        "Nhóm": listed["section"],
        "Văn bản": listed["document"],
        "Dòng": listed["source_line"],
    }
)
sel = tables.show(
    table,
    {
        "Nhiệm vụ": st.column_config.TextColumn(width="large"),
        "Hạn": st.column_config.DateColumn(format="DD/MM/YYYY"),
        "Kinh phí đề xuất": tables.amount_column(),
    },
    on_select="rerun",
    selection_mode="single-row",
    key="task_table",
)
picked = getattr(getattr(sel, "selection", None), "rows", []) or []
if picked:
    row = listed.iloc[picked[0]]
    st.markdown(f"**{row['name']}** — {row['status_vn']}; kết quả dự kiến: {tables.text(row['expected_result'])}")
    if pd.notna(row["budget_vnd"]):
        st.markdown(f"Kinh phí đề xuất: {fmt.vnd(int(row['budget_vnd']))}" + (f" ({row['budget_note']})" if tables.text(row["budget_note"], "") else ""))
    key = task_key(row["document"], row["task_id"])
    history = task_history(key)
    if history:
        st.caption(
            "Ghi nhận: "
            + "; ".join(
                f"{status_rules.RECORDED_VN[h['status']]} — {h['recorded_by']}, {datetime.fromisoformat(h['recorded_at']):%d/%m/%Y %H:%M}" + (f" ({h['note']})" if h["note"] else "")
                for h in history
            )
            + (" (mới nhất trước; ghi nhận mới nhất được dùng)" if len(history) > 1 else "")
        )
    provenance.show(row["document"], int(row["source_line"]), location=row.get("location"))
    if auth.can("editor"):
        user = auth.current_user()
        with st.form("record_status"):
            st.markdown("**Ghi nhận kết quả thực hiện** (chỉ cán bộ được phân quyền)")
            choice = st.radio(
                "Tình trạng", list(status_rules.RECORDED), format_func=status_rules.RECORDED_VN.get, horizontal=True, key="recorded_choice"
            )
            note = st.text_input("Ghi chú (văn bản, báo cáo làm căn cứ)", key="recorded_note", max_chars=MAX_NOTE)
            st.caption(f"Người ghi nhận: **{user.name}** (tài khoản đăng nhập)")
            if st.form_submit_button("Ghi nhận", type="primary"):
                try:
                    record_task_status(key, choice, user.name, note, warehouse=wh, actor=auth.actor())
                except TaskStatusError as exc:
                    st.error(f"Chưa ghi nhận, không có gì được ghi: {exc}.")
                else:
                    st.success("Đã ghi nhận.")
                    st.rerun()
    else:
        st.caption("Chỉ cán bộ có quyền biên tập mới ghi nhận được kết quả: hãy đăng nhập (thanh bên).")
else:
    st.caption("Chọn một nhiệm vụ trong bảng để xem dòng gốc trong văn bản" + (" và ghi nhận kết quả." if auth.can("editor") else "."))

if len(projects):
    st.subheader(f"Dự án ({len(projects)}) — kinh phí dự kiến")
    tables.show(
        pd.DataFrame(
            {
                "Nhóm": projects["section"],
                "Dự án": projects["name"],
                "Chủ trì": projects["lead_unit"],
                "Kinh phí dự kiến": projects["budget_vnd"],
                "Như in": projects["budget_text"],
                "Thời gian": projects["timing_text"],
                "Văn bản": projects["document"],
                "Dòng": projects["source_line"],
            }
        ),
        {"Dự án": st.column_config.TextColumn(width="large"), "Kinh phí dự kiến": tables.amount_column()},
    )

if len(budgeted):
    st.subheader(f"Kinh phí đề xuất của nhiệm vụ ({len(budgeted)} nhiệm vụ, {fmt.vnd(int(budgeted['budget_vnd'].sum()))})")
    tables.show(
        pd.DataFrame(
            {
                "Nhiệm vụ": budgeted["name"],
                "Chủ trì": budgeted["lead_unit"],
                "Kinh phí": budgeted["budget_vnd"],
                "Như in": budgeted["budget_text"],
                "Ghi chú nguồn": budgeted["budget_note"],
                "Văn bản": budgeted["document"],
                "Dòng": budgeted["source_line"],
            }
        ),
        {"Nhiệm vụ": st.column_config.TextColumn(width="large"), "Kinh phí": tables.amount_column()},
    )
