"""Xu hướng 2020–2026: budget by stage and source over the years, indicator series,
year-over-year change, with scope changes marked."""
import pandas as pd
import streamlit as st

from charts import format as fmt
from charts import plans as charts
from charts.theme import SOURCE_LABELS
from ui.state import url_select, warehouse

wh = warehouse()
st.title("Xu hướng 2020–2026")
provinces = sorted(set(wh.provinces()) | set(wh.indicator_provinces()), key=lambda p: -len(wh.years(p)))
province = url_select("Tỉnh", provinces, "province")  # default: the province with the longest series
budget = wh.budget_by_province_year([province])
ref = wh.province_table().set_index("name")

markers = [(2025.0, "2025: Sở TT&TT hợp nhất vào Sở KH&CN")]
if province in ref.index and ref.loc[province, "successor_2025"] != province:
    markers.append((2025.5, f"1/7/2025: sáp nhập vào {ref.loc[province, 'successor_2025']}"))

if len(budget):
    by_stage = budget.groupby(["fiscal_year", "phase", "phase_vn"], as_index=False).agg(
        amount_vnd=("amount_vnd", "sum"), documents=("documents", lambda d: ", ".join(sorted(set(", ".join(d).split(", ")))))
    )
    st.plotly_chart(charts.trend(by_stage, markers, f"Ngân sách {province} theo năm và giai đoạn (triệu đồng)"), width="stretch")
    st.caption(
        "Mỗi đường là một giai đoạn: dự toán / giao, thực hiện, đề xuất (dự án, nhiệm vụ). "
        "Đề xuất dự án là mức kinh phí dự kiến, không phải số được giao."
    )
    rows = []
    for stage, part in by_stage.groupby("phase_vn"):
        part = part.sort_values("fiscal_year")
        prev = None
        for r in part.itertuples():
            change = None if prev is None or prev.fiscal_year != r.fiscal_year - 1 or not prev.amount_vnd else (r.amount_vnd - prev.amount_vnd) / prev.amount_vnd * 100
            rows.append({"Giai đoạn": stage, "Năm": r.fiscal_year, "Số tiền": fmt.vnd(int(r.amount_vnd)),
                         "So với năm trước": fmt.pct(change) if change is not None else "—", "Văn bản": r.documents})
            prev = r
    st.subheader("Thay đổi so với năm trước (cùng giai đoạn)")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    by_source = budget.groupby(["fiscal_year", "phase_vn", "funding_source"], as_index=False)["amount_vnd"].sum()
    st.subheader("Theo nguồn kinh phí")
    st.dataframe(
        by_source.assign(
            **{"Nguồn": by_source["funding_source"].map(SOURCE_LABELS), "Số tiền": by_source["amount_vnd"].map(fmt.vnd)}
        )[["fiscal_year", "phase_vn", "Nguồn", "Số tiền"]].rename(columns={"fiscal_year": "Năm", "phase_vn": "Giai đoạn"}),
        hide_index=True,
        width="stretch",
    )
    if (budget["phase_vn"] == "thực hiện 6 tháng đầu năm").any():
        st.warning("Số thực hiện năm 2021 chỉ gồm 6 tháng đầu năm.")
else:
    st.info("Tỉnh này chưa có dòng ngân sách nào.")

st.subheader("Chỉ tiêu theo kỳ")
actuals = wh.actuals_by_code([province])
if len(actuals):
    codes = actuals.groupby("code")["name"].first()
    code = url_select("Chỉ tiêu", list(codes.index), "code", format_func=lambda c: codes[c])
    part = actuals[actuals["code"] == code]
    st.plotly_chart(charts.series(part, f"{codes[code]} ({part['unit'].iloc[0] or ''})"), width="stretch")
    st.dataframe(part[["period", "value", "unit", "sources"]].rename(columns={"period": "Kỳ", "value": "Giá trị", "unit": "Đơn vị", "sources": "Văn bản:dòng"}), hide_index=True, width="stretch")
else:
    st.info("Chưa có số liệu thực hiện chỉ tiêu cho tỉnh này.")
for x, text in markers:
    st.caption(f"Thay đổi phạm vi — {text}")
