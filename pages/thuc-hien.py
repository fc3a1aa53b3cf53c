"""Thực hiện ngân sách: the execution rate of each year as the headline, central plan vs
provincial plan vs execution by year and by line, and the next year's estimate of the same
document kept apart (a proposal is not a plan)."""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from charts import budget as charts  # noqa: E402
from charts import format as fmt  # noqa: E402
from charts.theme import SOURCE_LABELS  # noqa: E402
from ui import provenance, tables  # noqa: E402
from ui.filters import province_select  # noqa: E402
from ui.state import warehouse  # noqa: E402

HALF = "thực hiện 6 tháng đầu năm"

wh = warehouse()
st.title("Thực hiện ngân sách")
provinces = wh.execution_provinces()
if not provinces:
    st.info("Chưa có văn bản nào có cả số kế hoạch và số thực hiện.")
    st.stop()
province = province_select(wh, provinces)
rates = wh.execution_rates(province)
table = wh.execution(province)
years = [int(y) for y in rates["fiscal_year"]]

st.markdown(
    f"**Kế hoạch và thực hiện {years[0]}–{years[-1]} · {province} · chỉ các dòng chi tiết (không cộng dòng tổng mục)**"
    if len(years) > 1
    else f"**Kế hoạch và thực hiện {years[0]} · {province} · chỉ các dòng chi tiết (không cộng dòng tổng mục)**"
)
cols = st.columns(max(len(rates), 2))
for col, r in zip(cols, rates.itertuples()):
    half = r.executed_stage == HALF
    col.metric(
        f"Tỷ lệ thực hiện {r.fiscal_year}" + (" (6 tháng đầu năm)" if half else ""),
        fmt.pct(r.rate_pct),
        help=f"Thực hiện {fmt.vnd(r.executed_vnd)} / KH UBND giao {fmt.vnd(r.ubnd_vnd)} ({r.documents})",
    )
    col.caption(f"{fmt.vnd_short(r.executed_vnd)} / {fmt.vnd_short(r.ubnd_vnd)} KH UBND giao")
st.caption("Tỷ lệ thực hiện = thực hiện / kế hoạch UBND tỉnh giao (KH UBND giao). KHTW giao: kế hoạch Trung ương giao.")
if (rates["executed_stage"] == HALF).any():
    half_years = ", ".join(str(y) for y in rates.loc[rates["executed_stage"] == HALF, "fiscal_year"])
    st.warning(f"Số thực hiện năm {half_years} chỉ gồm 6 tháng đầu năm: tỷ lệ của năm đó không so được với tỷ lệ cả năm.")

totals = wh.execution_totals(province)
totals = totals[totals["fiscal_year"].isin(years)]
st.plotly_chart(charts.execution(totals, f"Kế hoạch và thực hiện — {province} (triệu đồng)"), width="stretch")

for year in years:
    part = table[table["fiscal_year"] == year]
    half = (part["executed_stage"] == HALF).any()
    st.subheader(f"Năm {year}" + (" — thực hiện 6 tháng đầu năm" if half else ""))
    executed = "Thực hiện 6 tháng" if half else "Thực hiện"
    view = pd.DataFrame(
        {
            "TT": part["code"],
            "Nội dung": part["description"] + part["is_subtotal"].map({True: " (tổng mục)", False: ""}),
            "Tỷ lệ": part["rate_pct"].astype("Float64"),
            "KH UBND giao": part["ubnd_vnd"],
            executed: part["executed_vnd"],
            "KHTW giao": part["khtw_vnd"],
            "Văn bản": part["document"],
            "Dòng": part["source_line"],
        }
    )
    tables.show(
        tables.decimals(view, {"Tỷ lệ": fmt.pct}),
        {
            "TT": st.column_config.TextColumn(width="small"),
            "Tỷ lệ": st.column_config.Column(width="small", help="Thực hiện / KH UBND giao"),
            **{c: tables.amount_column() for c in ("KHTW giao", "KH UBND giao", executed)},
        },
    )
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
    leaves = estimate[~estimate["is_subtotal"]]
    st.subheader(f"Dự toán đề xuất năm {year} (cùng văn bản)")
    st.caption("Số đề xuất cho năm sau, in cùng văn bản: không phải kế hoạch được giao, không cộng vào tỷ lệ thực hiện.")
    st.metric(f"Tổng dự toán đề xuất {year}", fmt.vnd(int(leaves["amount_vnd"].sum())))
    by_source = leaves.groupby("funding_source")["amount_vnd"].sum().sort_values(ascending=False)
    st.caption("Gồm: " + "; ".join(f"{SOURCE_LABELS[s]} {fmt.vnd_short(a)}" for s, a in by_source.items()))
    tables.show(
        pd.DataFrame(
            {
                "Nội dung": estimate["description"] + estimate["is_subtotal"].map({True: " (tổng mục)", False: ""}),
                "Nguồn": estimate["funding_source"].map(SOURCE_LABELS),
                "Số tiền": estimate["amount_vnd"],
                "Ghi chú": estimate["note"],
                "Văn bản": estimate["document"],
                "Dòng": estimate["source_line"],
            }
        ),
        {"Nội dung": st.column_config.TextColumn(width="large"), "Số tiền": tables.amount_column()},
    )
    with st.expander("Dòng gốc trong văn bản"):
        first = estimate.iloc[0]
        provenance.show(first["document"], int(first["source_line"]))
