"""So sánh tỉnh: provinces and years side by side by field, with scope notes."""
import pandas as pd
import streamlit as st

from charts import format as fmt
from charts import plans as charts
from loaders.catalogue import FIELD_LABELS_VN
from ui.state import url_multiselect, url_toggle, warehouse

wh = warehouse()
st.title("So sánh tỉnh")
all_provinces = sorted(set(wh.provinces()) | set(wh.task_provinces()) | set(wh.indicator_provinces()))
c1, c2 = st.columns([2, 2])
provinces = url_multiselect("Tỉnh", all_provinces, "provinces", container=c1) or all_provinces
years_all = sorted({y for p in provinces for y in wh.years(p)} | {y for p in provinces for y in wh.task_years(p)})
years = url_multiselect("Năm", years_all, "years", container=c2) or years_all
per_capita = url_toggle("Tính bình quân đầu người (dân số 2023)", "percap")

budget = wh.budget_by_province_year(provinces, years)
ref = wh.province_table().set_index("name")

st.subheader("Ngân sách theo tỉnh, năm và giai đoạn")
notes = []
if len(budget):
    st.plotly_chart(
        charts.compare_budget(budget, per_capita, "Chi theo nguồn (đồng/người)" if per_capita else "Chi theo nguồn (triệu đồng)"),
        width="stretch",
    )
    summary = budget.groupby(["province", "fiscal_year", "phase", "phase_vn"], as_index=False).agg(
        amount_vnd=("amount_vnd", "sum"), population=("population", "first"), documents=("documents", "first")
    )
    summary["per_capita"] = [
        fmt.number(a / p, 0) + " đ/người" if pd.notna(p) and p else "không có số dân"
        for a, p in zip(summary["amount_vnd"], summary["population"])
    ]
    st.dataframe(
        pd.DataFrame(
            {
                "Tỉnh": summary["province"],
                "Năm": summary["fiscal_year"],
                "Giai đoạn": summary["phase_vn"],
                "Tổng chi": summary["amount_vnd"].map(fmt.vnd),
                "Bình quân": summary["per_capita"],
                "Văn bản": summary["documents"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    for (year,), part in summary.groupby(["fiscal_year"]):
        stages = set(part["phase_vn"])
        if part["province"].nunique() > 1 and len(stages) > 1:
            notes.append(
                f"Năm {year}: các tỉnh có số liệu ở giai đoạn khác nhau ({', '.join(sorted(stages))}) — "
                "đề xuất, dự toán và thực hiện không so trực tiếp được."
            )
    if (budget["phase_vn"] == "thực hiện 6 tháng đầu năm").any():
        notes.append("Có số thực hiện chỉ gồm 6 tháng đầu năm: không so với số cả năm.")
    if (budget["funding_source"] == "UNSPECIFIED").any():
        share = budget.loc[budget["funding_source"] == "UNSPECIFIED", "amount_vnd"].sum() / budget["amount_vnd"].sum()
        notes.append(f"{fmt.pct(share * 100)} số tiền không ghi nguồn trong văn bản (Chưa ghi nguồn).")
for p in provinces:
    if p in ref.index:
        succ = ref.loc[p, "successor_2025"]
        if succ and succ != p:
            notes.append(f"{p} sáp nhập vào {succ} từ 1/7/2025: số liệu từ 2025 thuộc đơn vị mới.")
        if pd.isna(ref.loc[p, "population_2023"]):
            notes.append(f"{p}: chưa có số dân 2023 trong bảng tham chiếu, không tính bình quân đầu người.")
notes.append("Từ 2025 Sở Thông tin và Truyền thông hợp nhất vào Sở KH&CN: phạm vi nhiệm vụ (chuyển đổi số) rộng hơn trước.")
for n in notes:
    st.info(n)

st.subheader("Nhiệm vụ theo lĩnh vực")
by_field = wh.tasks_by_field(provinces, years)
if len(by_field):
    pivot = by_field.assign(field=by_field["field"].map(lambda f: FIELD_LABELS_VN.get(f, "Khác"))).pivot_table(
        index="field", columns=["province", "fiscal_year"], values="tasks", aggfunc="sum", fill_value=0
    )
    pivot.columns = [f"{p} {y}" for p, y in pivot.columns]
    pivot.index.name = "Lĩnh vực"
    st.dataframe(pivot, width="stretch")

st.subheader("Số liệu thực hiện theo chỉ tiêu (kỳ ghi rõ)")
actuals = wh.actuals_by_code(provinces)
if len(actuals):
    actuals["Giá trị"] = [f"{fmt.number(v, 2)} {u or ''} ({p})" for v, u, p in zip(actuals["value"], actuals["unit"], actuals["period"])]
    wide = actuals.rename(columns={"code": "Mã", "name": "Chỉ tiêu"}).pivot_table(
        index=["Mã", "Chỉ tiêu"], columns="province", values="Giá trị", aggfunc=lambda s: "; ".join(s)
    )
    wide.columns.name = "Tỉnh"
    st.dataframe(wide, width="stretch")
    mixed = actuals.groupby("code")["period"].nunique()
    if (mixed > 1).any():
        st.warning(
            f"{int((mixed > 1).sum())} chỉ tiêu có số liệu ở các kỳ khác nhau (ví dụ quý và nửa năm): "
            "kỳ được ghi cạnh từng số, không cộng hay so trực tiếp."
        )
