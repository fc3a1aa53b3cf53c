"""Thực hiện ngân sách: central plan vs provincial plan vs execution, execution rate."""
import streamlit as st

from charts import budget as charts
from charts import format as fmt
from ui import provenance
from ui.state import url_select, warehouse

wh = warehouse()
st.title("Thực hiện ngân sách")
st.caption(
    "KHTW giao: kế hoạch Trung ương giao · KH UBND giao: kế hoạch UBND tỉnh giao · "
    "Tỷ lệ thực hiện = thực hiện / KH UBND giao."
)
provinces = [p for p in wh.provinces() if len(wh.execution(p))]
if not provinces:
    st.info("Chưa có văn bản nào có số liệu kế hoạch và thực hiện.")
    st.stop()
province = url_select("Tỉnh", provinces, "province")
table = wh.execution(province)
totals = wh.execution_totals(province)
totals = totals[totals["fiscal_year"].isin(sorted(set(table["fiscal_year"]) | {max(table["fiscal_year"]) + 1}))]

st.plotly_chart(charts.execution(totals, f"Kế hoạch và thực hiện — {province} (triệu đồng)"), width="stretch")
if (table["executed_stage"] == "thực hiện 6 tháng đầu năm").any():
    years = sorted(set(table.loc[table["executed_stage"] == "thực hiện 6 tháng đầu năm", "fiscal_year"]))
    st.warning(
        "Số thực hiện năm " + ", ".join(str(y) for y in years) + " chỉ gồm 6 tháng đầu năm: "
        "tỷ lệ thực hiện của năm đó không so được với cả năm."
    )

for year in sorted(set(table["fiscal_year"])):
    part = table[table["fiscal_year"] == year]
    st.subheader(f"Năm {year}")
    half = (part["executed_stage"] == "thực hiện 6 tháng đầu năm").any()
    view = part.assign(
        **{
            "TT": part["code"],
            "Nội dung": part["description"] + part["is_subtotal"].map({True: " (tổng mục)", False: ""}),
            "KHTW giao": part["khtw_vnd"].map(fmt.vnd),
            "KH UBND giao": part["ubnd_vnd"].map(fmt.vnd),
            ("Thực hiện 6 tháng" if half else "Thực hiện"): part["executed_vnd"].map(fmt.vnd),
            "Tỷ lệ": part["rate_pct"].map(fmt.pct),
            "Văn bản": part["document"],
            "Dòng": part["source_line"],
        }
    ).drop(columns=list(part.columns))
    st.dataframe(view, hide_index=True, width="stretch")
    st.plotly_chart(
        charts.rate_bars(
            part[~part["is_subtotal"]],
            f"Tỷ lệ thực hiện {year} theo dòng (%)" + (" — chỉ 6 tháng đầu năm" if half else ""),
        ),
        width="stretch",
    )

estimate = wh.proposed_beside_execution(province)
if len(estimate):
    year = int(estimate["fiscal_year"].max())
    st.subheader(f"Dự toán đề xuất năm {year} (cùng văn bản)")
    leaves = estimate[~estimate["is_subtotal"]]
    st.metric(f"Tổng dự toán đề xuất {year}", fmt.vnd(int(leaves["amount_vnd"].sum())))
    st.dataframe(
        estimate.assign(
            **{
                "Nội dung": estimate["description"] + estimate["is_subtotal"].map({True: " (tổng mục)", False: ""}),
                "Nguồn": estimate["funding_source"].map(charts.SOURCE_LABELS),
                "Số tiền": estimate["amount_vnd"].map(fmt.vnd),
                "Ghi chú": estimate["note"],
                "Văn bản": estimate["document"],
                "Dòng": estimate["source_line"],
            }
        )[["Nội dung", "Nguồn", "Số tiền", "Ghi chú", "Văn bản", "Dòng"]],
        hide_index=True,
        width="stretch",
    )
    with st.expander("Dòng gốc trong văn bản"):
        first = estimate.iloc[0]
        provenance.show(first["document"], int(first["source_line"]))
