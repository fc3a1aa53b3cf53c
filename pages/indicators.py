"""Chỉ tiêu: each target vs its actual, status by comparator, actuals entered by staff."""
import pandas as pd
import streamlit as st

from charts import format as fmt
from charts import plans as charts
from loaders.catalogue import FIELD_LABELS_VN
from ui import auth
from ui.state import url_multiselect, url_select, warehouse
from warehouse import entries as journal
from warehouse.kpi import STATUS_VN

wh = warehouse()
st.title("Chỉ tiêu")
provinces = wh.indicator_provinces()
if not provinces:
    st.info("Chưa có kế hoạch nào có chỉ tiêu trong kho dữ liệu.")
    st.stop()
c1, c2 = st.columns([2, 1])
province = url_select("Tỉnh", provinces, "province", container=c1)
year = url_select("Năm kế hoạch", wh.indicator_years(province), "kyear", parse=int, container=c2)
targets = wh.targets(province, year, journal.entries_path())

f1, f2, f3 = st.columns(3)
groups = url_multiselect("Nhóm chỉ tiêu", sorted(targets["group"].dropna().unique()), "group", container=f1)
leads = url_multiselect("Đơn vị chủ trì", sorted(targets["lead_unit"].dropna().unique()), "lead", container=f2)
fields = url_multiselect("Lĩnh vực", sorted(targets["field"].dropna().unique()), "field", format_func=lambda f: FIELD_LABELS_VN.get(f, f), container=f3)
view = targets
if groups:
    view = view[view["group"].isin(groups)]
if leads:
    view = view[view["lead_unit"].isin(leads)]
if fields:
    view = view[view["field"].isin(fields)]

counts = view["status_vn"].value_counts()
m1, m2, m3, m4 = st.columns(4)
m1.metric("Số chỉ tiêu", len(view))
m2.metric("Đạt", int(counts.get(STATUS_VN["achieved"], 0)))
m3.metric("Chưa đạt", int(counts.get(STATUS_VN["not_achieved"], 0)))
m4.metric("Chưa có số liệu", int(counts.get(STATUS_VN["no_data"], 0)))
unparsed = view[~view["parsed"]]
if len(unparsed):
    st.warning(f"{len(unparsed)} chỉ tiêu chưa đọc được mục tiêu (giữ nguyên văn, không bỏ qua).")

numeric = view[~view["qualitative"]]
if len(numeric):
    st.plotly_chart(charts.bullet(numeric, f"Thực hiện so với chỉ tiêu {year} (% chỉ tiêu)"), width="stretch")
qual = view[view["qualitative"]]
if len(qual):
    st.caption(
        f"Chỉ tiêu định tính (hoàn thành / chưa): {int((qual['status'] == 'achieved').sum())} hoàn thành, "
        f"{int((qual['status'] == 'not_achieved').sum())} chưa, {int((qual['status'] == 'no_data').sum())} chưa có số liệu."
    )

st.subheader("Bảng chỉ tiêu và số liệu thực hiện")
st.caption(
    "Sửa cột **Thực hiện** (số theo đơn vị của chỉ tiêu; với chỉ tiêu định tính: 1 = hoàn thành, 0 = chưa), "
    "rồi bấm **Lưu**. Mỗi lần lưu được ghi lại kèm người nhập (tài khoản đăng nhập) và thời điểm; "
    "số liệu nhập tay vẫn còn khi kho dữ liệu được xây dựng lại từ văn bản."
)
table = pd.DataFrame(
    {
        "Mã": view["indicator_id"],
        "Chỉ tiêu": view["name"],
        "Mục tiêu": view["target_text"],
        "Thực hiện": view["actual_value"].astype("float"),
        "Trạng thái": view["status_vn"],
        "Nguồn số liệu": view["actual_source"].fillna(""),
        "Nhóm": view["group"].fillna(""),
        "Đơn vị chủ trì": view["lead_unit"].fillna(""),
        "Lĩnh vực": view["field"].map(lambda f: FIELD_LABELS_VN.get(f, "") if isinstance(f, str) else ""),
        "Văn bản": view["document"],
        "Dòng": view["source_line"],
    }
).reset_index(drop=True)
may_edit = auth.can("editor")
if not may_edit:
    st.info("Chỉ cán bộ có quyền biên tập mới nhập số liệu thực hiện: hãy đăng nhập (thanh bên).")
if not may_edit:
    st.dataframe(table, hide_index=True, width="stretch")
    edited = table
else:
    edited = st.data_editor(
        table,
        key="actuals_editor",
        hide_index=True,
        width="stretch",
        disabled=[c for c in table.columns if c != "Thực hiện"],
        column_config={
            "Thực hiện": st.column_config.NumberColumn("Thực hiện", format="%.2f", help="Số liệu thực hiện năm"),
            "Chỉ tiêu": st.column_config.TextColumn(width="large"),
            "Mã": st.column_config.TextColumn(width="small"),
        },
    )
if may_edit:
    who = auth.current_user()
    st.caption(f"Người nhập: **{who.name}** (tài khoản đăng nhập)")
if may_edit and st.button("Lưu số liệu thực hiện", type="primary", key="save_actuals"):
    before = table.set_index("Mã")["Thực hiện"]
    after = edited.set_index("Mã")["Thực hiện"]
    changed = [i for i in after.index if not (pd.isna(after[i]) and pd.isna(before[i])) and after[i] != before[i]]
    changed = [i for i in changed if not pd.isna(after[i])]
    docs = view.set_index("indicator_id")
    rows = [
        {
            "entered_by": who.name,
            "province": province,
            "document": docs.loc[i, "document"],
            "indicator_id": i,
            "code": docs.loc[i, "code"],
            "period": str(year),
            "value": float(after[i]),
        }
        for i in changed
    ]
    if not rows:
        st.info("Không có số liệu nào thay đổi.")
    else:
        try:
            n = journal.record_actuals(rows, actor=auth.actor())
        except journal.EntryError as exc:
            st.error(f"Chưa lưu, không số liệu nào được ghi: {exc}.")
        else:
            st.success(f"Đã lưu {n} số liệu thực hiện.")
            st.rerun()

with st.expander("Căn cứ và dòng gốc của chỉ tiêu"):
    pick = st.selectbox("Chỉ tiêu", list(view.index), format_func=lambda i: f"{view.loc[i, 'indicator_id']} · {view.loc[i, 'name'][:90]}")
    if pick is not None:
        from ui import provenance

        row = view.loc[pick]
        st.markdown(f"**Căn cứ:** {row['legal_basis'] or '—'}")
        provenance.show(row["document"], int(row["source_line"]))

st.subheader("Số liệu thực hiện đọc từ báo cáo")
actuals = wh.actuals()
if len(actuals):
    st.dataframe(
        pd.DataFrame(
            {
                "Tỉnh": actuals["province"],
                "Chỉ tiêu": actuals["name"],
                "Kỳ": actuals["period"],
                "Giá trị": [fmt.number(v, 2) for v in actuals["value"]],
                "Đơn vị": actuals["unit"],
                "Thuộc": actuals["parent_id"].fillna(""),
                "Văn bản": actuals["document"],
                "Dòng": actuals["source_line"],
                "Câu gốc": actuals["sentence"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
issues = wh.parse_issues()
if len(issues):
    with st.expander(f"Cảnh báo khi đọc văn bản ({len(issues)}): dòng không xếp được, chỉ tiêu không đọc được, số liệu không cộng khớp"):
        st.dataframe(issues, hide_index=True, width="stretch")
