"""Điều chỉnh dự toán: the versions of a year's estimate in date order — the estimate as first
allocated, then each adjustment decision (Quyết định điều chỉnh dự toán) with its totals by
source, the moves it states and whether they match its lines, whether it continues the version
before it — and, for one decision, what it moved line by line (before, change, after, with
document, line and cell). The latest version is the one the other pages follow
(``Warehouse.budget_versions``)."""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from charts import execution as charts  # noqa: E402
from charts import format as fmt  # noqa: E402
from charts.theme import SOURCE_LABELS  # noqa: E402
from loaders.vocab import ReconciliationStatus  # noqa: E402
from ui import provenance, tables  # noqa: E402
from ui.i18n import PLOTLY_CONFIG  # noqa: E402
from ui.filters import province_select, year_select  # noqa: E402
from ui.state import url_select, url_toggle, warehouse  # noqa: E402
from ui.figures import figure  # noqa: E402

STATUS = ReconciliationStatus.labels()

wh = warehouse()
st.title("Điều chỉnh dự toán")
provinces = wh.version_provinces()
if not provinces:
    st.info("Kho dữ liệu chưa có dự toán nào (văn bản dự toán, công khai dự toán hoặc quyết định điều chỉnh).")
    st.stop()
c1, c2 = st.columns([2, 1])
province = province_select(wh, provinces, container=c1)
year = year_select(wh, province, wh.version_years(province), "Năm ngân sách", container=c2)
versions = wh.budget_versions(province, year)
decisions = versions[versions["kind"] == "decision"].reset_index(drop=True)
latest = versions.iloc[-1]

st.markdown(f"**Các phiên bản dự toán {year} · {province} · chỉ các dòng chi tiết, mỗi phiên bản cộng riêng**")
m1, m2, m3 = st.columns(3)
m1.metric("Số quyết định điều chỉnh", str(len(decisions)))
m2.metric("Dự toán ban đầu (chi)", fmt.vnd(versions.iloc[0]["total_vnd"]), help=versions.iloc[0]["source"])
m3.metric("Dự toán mới nhất (chi)", fmt.vnd(latest["total_vnd"]), help=latest["label"])
st.caption(f"Phiên bản mới nhất: **{latest['label']}** — các trang Ngân sách, Thực hiện ngân sách và Xu hướng dùng phiên bản "
           "này. Không cộng các phiên bản với nhau: mỗi phiên bản là toàn bộ dự toán tại một thời điểm.")
if decisions.empty:
    st.info(f"Năm {year} chưa có quyết định điều chỉnh dự toán nào trong kho: dự toán là {versions.iloc[0]['label'].lower()}.")

view = pd.DataFrame({
    "Phiên bản": versions["label"] + versions["is_latest"].map({True: " (mới nhất)", False: ""}),
    "Văn bản": versions["source"],
    "Tổng chi": versions["total_vnd"],
    "Chi NSNN (không kể chi từ phí)": versions["state_vnd"],
    "Tăng": versions["increase_vnd"],
    "Giảm": versions["decrease_vnd"],
    "Số tăng, giảm văn bản ghi": versions["status"].map(lambda s: STATUS.get(s, "—") if isinstance(s, str) else "—"),
    "Nối tiếp phiên bản trước": versions["chain_status"].map(lambda s: STATUS.get(s, "—") if isinstance(s, str) else "—"),
})
tables.show(view, {c: tables.amount_column() for c in ("Tổng chi", "Chi NSNN (không kể chi từ phí)", "Tăng", "Giảm")}
            | {"Văn bản": st.column_config.TextColumn(width="large")}, key="versions_table")
for row in versions.itertuples():
    if row.chain_status == "mismatch":
        st.warning(f"{row.label}: {row.chain_detail}.")
    if row.status == "mismatch":
        st.warning(f"{row.label}: số tăng, giảm ghi trong văn bản không khớp các dòng — {row.detail}.")
totals = wh.version_totals(province, year)
if len(totals):
    st.plotly_chart(figure(charts.versions, totals, list(versions["label"]), f"Các phiên bản dự toán {year} theo nguồn (triệu đồng)"),
                    width="stretch", config=PLOTLY_CONFIG)

if len(decisions):
    st.subheader("Quyết định điều chỉnh đã chuyển những gì")
    keys = list(decisions["key"])
    rows = {r["key"]: r for r in decisions.to_dict("records")}
    key = url_select("Quyết định", keys, "decision", default=keys[-1], format_func=lambda k: rows[k]["label"])
    d = rows[key]
    moves = wh.decision_moves(province, year, d["documents"][0])
    leaves = moves[~moves["is_subtotal"]]
    stated = []
    if pd.notna(d["printed_increase_vnd"]):
        stated.append(f"tăng {fmt.vnd(d['printed_increase_vnd'])}")
    if pd.notna(d["printed_decrease_vnd"]):
        stated.append(f"giảm {fmt.vnd(d['printed_decrease_vnd'])}")
    st.markdown(
        f"**{d['label']}** ({d['source']}" + (f", {d['issuer']}" if isinstance(d["issuer"], str) else "") + "): "
        f"các dòng tăng **{fmt.vnd(d['increase_vnd'])}**, giảm **{fmt.vnd(d['decrease_vnd'])}**, "
        f"thay đổi ròng **{fmt.vnd(d['change_vnd'])}**; "
        + (f"văn bản ghi {', '.join(stated)} — {STATUS.get(d['status'], d['status']).lower()}." if stated
           else "văn bản không ghi tổng số tăng, giảm.")
    )
    c1, c2, c3 = st.columns(3)
    c1.metric("Dự toán đã giao (trước)", fmt.vnd(d["before_vnd"]))
    c2.metric("Điều chỉnh (ròng)", fmt.vnd(d["change_vnd"]))
    c3.metric("Dự toán sau điều chỉnh", fmt.vnd(d["total_vnd"]))
    if leaves["moved"].any():
        st.plotly_chart(figure(charts.moves, leaves, "Các dòng được điều chỉnh (triệu đồng)"), width="stretch", config=PLOTLY_CONFIG)
    show_all = url_toggle("Hiện cả các dòng không thay đổi", "allmoves", default=False)
    shown = moves if show_all else moves[moves["moved"]]
    st.caption(f"{int(leaves['moved'].sum())} dòng chi tiết được điều chỉnh"
               + ("" if show_all else f" (trong {len(leaves)} dòng chi tiết của quyết định)") + ". Dòng tổng mục "
               "(in đậm trong văn bản) không cộng thêm.")
    tables.show(
        pd.DataFrame({
            "TT": shown["code"],
            "Nội dung": shown["description"] + shown["is_subtotal"].map({True: " (tổng mục)", False: ""}),
            "Nguồn": shown["funding_source"].map(SOURCE_LABELS),
            "Dự toán đã giao": shown["before_vnd"],
            "Điều chỉnh tăng (+), giảm (−)": shown["change_vnd"],
            "Dự toán sau điều chỉnh": shown["after_vnd"],
            "Văn bản": shown["document"],
            "Dòng": shown["source_line"],
            "Ô": shown["cells"],
        }),
        {"Nội dung": st.column_config.TextColumn(width="large"),
         **{c: tables.amount_column() for c in ("Dự toán đã giao", "Điều chỉnh tăng (+), giảm (−)", "Dự toán sau điều chỉnh")}},
        key="moves_table",
    )
    with st.expander("Dòng gốc trong văn bản quyết định"):
        if len(shown):
            shown = shown.reset_index(drop=True)
            pick = st.selectbox("Dòng", list(shown.index), key="move_line",
                                format_func=lambda i: f"{provenance.place(shown.loc[i, 'source_line'], shown.loc[i, 'location'])} · "
                                                      f"{shown.loc[i, 'description']}")
            provenance.show(shown.loc[pick, "document"], int(shown.loc[pick, "source_line"]), location=shown.loc[pick, "location"])
