"""Chỉ tiêu: each target of one province and plan year vs its actual, status by comparator,
actuals entered by staff; the actuals read from that province's reports (targets and actuals
are named as printed, never by their internal ids). Lead units are
filtered by kind (the printed name when the vocabulary does not know the unit) and shown as
printed."""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from charts import format as fmt  # noqa: E402
from charts import plans as charts  # noqa: E402
from loaders.text.catalogue import FIELD_LABELS_VN
from ui import auth, provenance, tables  # noqa: E402
from ui.i18n import PLOTLY_CONFIG  # noqa: E402
from ui.filters import province_select, unit_select, year_select  # noqa: E402
from ui.state import url_multiselect, warehouse  # noqa: E402
from ui.figures import figure  # noqa: E402
from warehouse import entries as journal  # noqa: E402
from warehouse.kpi import STATUS_VN  # noqa: E402
from warehouse.queries import lead_unit_rows  # noqa: E402

wh = warehouse()
st.title("Chỉ tiêu")
# every province with targets or with results read from its reports (a report without a
# plan in the warehouse still shows its results, with their periods)
provinces = sorted(set(wh.indicator_provinces()) | set(wh.actual_provinces()))
if not provinces:
    st.info("Chưa có kế hoạch nào có chỉ tiêu, cũng chưa có báo cáo nào có số liệu thực hiện trong kho dữ liệu.")
    st.stop()
c1, c2 = st.columns([2, 1])
province = province_select(wh, provinces, container=c1)
plan_years = wh.indicator_years(province)
year = year_select(wh, province, plan_years, "Năm kế hoạch", container=c2)


def reported_actuals(province: str) -> pd.DataFrame:
    """The actuals read from ``province``'s reports, every period, shown with their period."""
    actuals = wh.actuals(province)
    periods = wh.actual_periods(province)
    st.subheader(f"Số liệu thực hiện đọc từ báo cáo của {province}")
    if not len(actuals):
        st.info(f"Chưa có báo cáo nào của {province} có số liệu thực hiện.")
        return actuals
    st.caption(f"{len(actuals)} số liệu của mọi kỳ đã báo cáo — kỳ: {', '.join(periods)} (cột «Kỳ»). "
               "Một số liệu chỉ được so với chỉ tiêu của năm có kỳ kết thúc trong năm đó.")
    tables.show(
        tables.decimals(
            pd.DataFrame(
                {
                    "Chỉ tiêu": actuals["name"],
                    "Kỳ": actuals["period"],
                    "Giá trị": actuals["value"],
                    "Đơn vị": actuals["unit"],
                    "Thuộc": tables.parent_names(actuals),
                    "Văn bản": actuals["document"],
                    "Dòng": actuals["source_line"],
                    "Câu gốc": actuals["sentence"],
                }
            ),
            {"Giá trị": lambda v: fmt.number(v, 2)},
        ),
        {"Chỉ tiêu": st.column_config.TextColumn(width="large")},
    )
    return actuals


if year is None:  # reported results, no target document
    st.info(f"{province} chưa có văn bản kế hoạch nào có chỉ tiêu trong kho dữ liệu: trang chỉ hiện số liệu thực hiện "
            "đọc từ báo cáo của tỉnh (không có mục tiêu để so).")
    shown = reported_actuals(province)
    tables.scoped_issues(wh, province, None, list(dict.fromkeys(shown["document"])))
    st.stop()
try:
    targets = wh.targets(province, year, journal.entries_path())
    store_busy = False
except journal.StoreBusy as exc:  # another writer holds the entries store: the page goes on without typed actuals
    st.warning(f"{exc} Bảng dưới chưa gồm số liệu nhập tay.")
    targets = wh.targets(province, year, journal.entries_path(), entered=False)
    store_busy = True

f1, f2, f3 = st.columns(3)
groups = url_multiselect("Nhóm chỉ tiêu", sorted(targets["group"].dropna().unique()), "group", container=f1)
lead_units = lead_unit_rows(targets)  # a cell naming several units counts for each
leads = unit_select("Đơn vị chủ trì", lead_units["unit_group"], lead_units["unit"], "lead", container=f2)
fields = url_multiselect("Lĩnh vực", sorted(targets["field"].dropna().unique()), "field", format_func=lambda f: FIELD_LABELS_VN.get(f, f), container=f3)
view = targets
if groups:
    view = view[view["group"].isin(groups)]
if leads:
    view = view[view.index.isin(lead_units.loc[lead_units["unit_group"].isin(leads), "row"])]
if fields:
    view = view[view["field"].isin(fields)]

filtered = " · đang lọc" if groups or leads or fields else ""
st.markdown(f"**Chỉ tiêu kế hoạch {year} · {province} · {len(view)} chỉ tiêu{filtered}**")
counts = view["status_vn"].value_counts()
m1, m2, m5, m3, m4 = st.columns(5)
m1.metric("Số chỉ tiêu", len(view))
m2.metric("Đạt", int(counts.get(STATUS_VN["achieved"], 0)))
m5.metric("Đang thực hiện", int(counts.get(STATUS_VN["in_progress"], 0)),
          help="Chưa đạt chỉ tiêu năm nhưng số liệu mới đến một kỳ trong năm (quý, 6 tháng, 9 tháng): năm chưa kết thúc")
m3.metric("Chưa đạt", int(counts.get(STATUS_VN["not_achieved"], 0)))
m4.metric("Chưa có số liệu", int(counts.get(STATUS_VN["no_data"], 0)))
unparsed = view[~view["parsed"]]
if len(unparsed):
    st.warning(f"{len(unparsed)} chỉ tiêu chưa đọc được mục tiêu (giữ nguyên văn, không bỏ qua).")

numeric = view[~view["qualitative"]]
measured = numeric[numeric["progress_pct"].notna()]
if len(measured):
    st.plotly_chart(figure(charts.bullet, measured, f"Thực hiện so với chỉ tiêu {year} (% chỉ tiêu)"), width="stretch", config=PLOTLY_CONFIG)
    if len(measured) < len(numeric):
        st.caption(f"Biểu đồ chỉ gồm {len(measured)} chỉ tiêu đã có số liệu; {len(numeric) - len(measured)} chỉ tiêu định lượng còn lại chưa có số liệu thực hiện.")
elif len(numeric):
    st.info(
        f"Chưa có số liệu thực hiện cho chỉ tiêu định lượng nào của năm {year}: biểu đồ sẽ hiện khi có số liệu "
        "(đọc từ báo cáo, hoặc nhập ở bảng dưới)."
    )
qual = view[view["qualitative"]]
if len(qual):
    st.caption(
        f"Chỉ tiêu định tính (hoàn thành / chưa): {int((qual['status'] == 'achieved').sum())} hoàn thành, "
        f"{int((qual['status'] == 'in_progress').sum())} đang thực hiện, "
        f"{int((qual['status'] == 'not_achieved').sum())} chưa, {int((qual['status'] == 'no_data').sum())} chưa có số liệu."
    )

st.subheader("Bảng chỉ tiêu và số liệu thực hiện")
table = pd.DataFrame(
    {
        "Chỉ tiêu": view["name"],
        "Mục tiêu": view["target_text"],
        "Thực hiện": view["actual_value"].astype("float"),
        "Trạng thái": view["status_vn"],
        "Nguồn số liệu": view["actual_source"],
        "Nhóm": view["group"],
        "Đơn vị chủ trì (như in)": view["lead_unit"],
        "Lĩnh vực": view["field"].map(lambda f: FIELD_LABELS_VN.get(f) if isinstance(f, str) else None),
        "Văn bản": view["document"],
        "Dòng": view["source_line"],
    }
).reset_index(drop=True)
# read: "1.050", "98,5" the Vietnamese way whatever the browser's language ("localized" showed
# "1,050" in an English browser: one point zero five to a Vietnamese reader); typed: plain digits
ACTUAL_HELP = "Số liệu thực hiện năm, theo đơn vị của chỉ tiêu"
config = {
    "Thực hiện": st.column_config.NumberColumn("Thực hiện", format="plain", help=ACTUAL_HELP),
    "Chỉ tiêu": st.column_config.TextColumn(width="large"),
}
may_edit = auth.can("editor") and not store_busy  # no edits over a table missing the typed actuals
if store_busy and auth.can("editor"):
    st.info("Tạm thời chưa nhập được số liệu thực hiện (dữ liệu đang bận): tải lại trang sau ít giây.")
elif not may_edit:
    st.info("Chỉ cán bộ có quyền biên tập mới nhập số liệu thực hiện: hãy đăng nhập (thanh bên).")
if not may_edit:
    tables.show(tables.decimals(table, {"Thực hiện": lambda v: fmt.number(v, 2)}),
                config | {"Thực hiện": st.column_config.Column("Thực hiện", help=ACTUAL_HELP)})
    edited = table
else:
    st.caption(
        "Sửa cột **Thực hiện** (số theo đơn vị của chỉ tiêu; với chỉ tiêu định tính: 1 = hoàn thành, 0 = chưa), "
        "rồi bấm **Lưu**. Mỗi lần lưu được ghi lại kèm người nhập (tài khoản đăng nhập) và thời điểm; "
        "số liệu nhập tay vẫn còn khi kho dữ liệu được xây dựng lại từ văn bản."
    )
    edited = st.data_editor(
        table,
        key="actuals_editor",
        hide_index=True,
        width="stretch",
        placeholder=tables.PLACEHOLDER,
        disabled=[c for c in table.columns if c != "Thực hiện"],
        column_config=config,
    )
if may_edit:
    who = auth.current_user()
    st.caption(f"Người nhập: **{who.name}** (tài khoản đăng nhập)")
if may_edit and st.button("Lưu số liệu thực hiện", type="primary", key="save_actuals"):
    # rows by position: the table shows no internal id (the editor keeps the rows in place)
    before, after = table["Thực hiện"], edited["Thực hiện"]
    changed = [i for i in after.index if not (pd.isna(after[i]) and pd.isna(before[i])) and after[i] != before[i]]
    changed = [i for i in changed if not pd.isna(after[i])]
    docs = view.reset_index(drop=True)
    rows = [
        {
            "entered_by": who.name,
            "province": province,
            "document": docs.loc[i, "document"],
            "indicator_id": docs.loc[i, "indicator_id"],
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
            names = {(r["document"], r["indicator_id"]): str(table.loc[i, "Chỉ tiêu"]) for r, i in zip(rows, changed)}
            n = journal.record_actuals(rows, actor=auth.actor(), names=names)
        except journal.EntryError as exc:
            st.error(f"Chưa lưu, không số liệu nào được ghi: {exc}.")
        except journal.StoreBusy as exc:
            st.error(f"Chưa lưu, không số liệu nào được ghi. {exc}")
        else:
            st.success(f"Đã lưu {n} số liệu thực hiện.")
            st.rerun()

with st.expander("Căn cứ và dòng gốc của chỉ tiêu"):
    pick = st.selectbox("Chỉ tiêu", list(view.index), format_func=lambda i: f"{view.loc[i, 'name'][:90]} ({provenance.place(view.loc[i, 'source_line'], view.loc[i, 'location'])})")
    if pick is not None:
        row = view.loc[pick]
        st.markdown(f"**Căn cứ:** {tables.text(row['legal_basis'])}")
        provenance.show(row["document"], int(row["source_line"]), location=row.get("location"))

shown = reported_actuals(province)
# the documents of this view: the targets' plan and the reports read above
tables.scoped_issues(wh, province, None, list(dict.fromkeys([*targets["document"], *shown["document"]])))
