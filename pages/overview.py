"""Tổng quan: the year's money by source, reconciliation status, documents held."""
import streamlit as st

from charts import budget as charts
from charts import format as fmt
from ui import provenance
from ui.filters import province_year_stage
from ui.downloads import XLSX_MIME, file_stem
from ui.state import warehouse
from warehouse.entries import entries_path
from warehouse.queries import BudgetFilter
from warehouse.workbook import province_year_report

wh = warehouse()
st.title("Tổng quan")
province, year, phase, phase_vn = province_year_stage(wh)

if province:
    spend = BudgetFilter(province, year, phase, phase_vn, direction="expenditure")
    revenue = BudgetFilter(province, year, phase, phase_vn, direction="revenue")
    recon = wh.reconciliation(province, year)
    recon = recon[recon["phase_vn"] == phase_vn] if phase_vn else recon
    mismatches = recon[recon["status"] == "mismatch"]

    c1, c2, c3 = st.columns(3)
    c1.metric("Tổng chi", fmt.vnd(wh.total(spend)))
    c2.metric("Tổng thu (phí, lệ phí)", fmt.vnd(wh.total(revenue)))
    c3.metric(
        "Tổng cộng đã đối chiếu",
        f"{len(recon) - len(mismatches)}/{len(recon)} khớp" if len(recon) else "không có tổng in",
    )

    by_source = wh.totals_by(spend, "funding_source")
    if len(by_source):
        st.plotly_chart(charts.by_source(by_source, f"Chi theo nguồn kinh phí — {province} {year} (triệu đồng)"), width="stretch")
        table = by_source.assign(
            Nguồn=by_source["funding_source"].map(charts.SOURCE_LABELS),
            **{"Số tiền": by_source["amount_vnd"].map(fmt.vnd), "Số dòng": by_source["lines"]},
        )[["Nguồn", "Số tiền", "Số dòng"]]
        st.dataframe(table, hide_index=True, width="stretch")

    st.download_button(  # built when clicked (deferred), never on a rerun
        "Tải báo cáo tỉnh – năm (.xlsx)",
        data=lambda: province_year_report(wh, province, year, entries_path()),
        file_name=f"bao-cao_{file_stem(province)}_{year}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        key="province_year_report",
        help="Theo nguồn, theo quý, theo đơn vị; đối chiếu tổng cộng; chỉ tiêu; nhiệm vụ; mọi dòng với văn bản và dòng gốc.",
    )

    st.subheader("Đối chiếu tổng cộng")
    if recon.empty:
        st.info("Văn bản của giai đoạn này không in tổng cộng nào để đối chiếu.")
    elif mismatches.empty:
        st.success(f"Tất cả {len(recon)} tổng cộng và tổng mục in trong văn bản khớp đến từng đồng với các dòng chi tiết.")
    else:
        st.error(f"{len(mismatches)} tổng cộng KHÔNG khớp với các dòng chi tiết:")
        for row in mismatches.itertuples():
            st.markdown(f"- **{row.document}**, dòng **{row.source_line}** — {row.scope}: {row.detail}")
    with st.expander("Bảng đối chiếu"):
        st.dataframe(
            recon.assign(
                **{
                    "Số in": recon["printed_amount_vnd"].map(fmt.vnd),
                    "Bằng chữ": recon["words_amount_vnd"].map(fmt.vnd),
                    "Tổng các dòng": recon["computed_amount_vnd"].map(fmt.vnd),
                    "Kết quả": recon["status"].map({"match": "khớp", "mismatch": "KHÔNG KHỚP"}),
                }
            )[["document", "source_line", "scope", "Số in", "Bằng chữ", "Tổng các dòng", "Kết quả", "detail"]].rename(
                columns={"document": "Văn bản", "source_line": "Dòng", "scope": "Phạm vi", "detail": "Chi tiết"}
            ),
            hide_index=True,
            width="stretch",
        )
        if len(recon):
            pick = st.selectbox(
                "Xem dòng tổng cộng trong văn bản",
                list(recon.index),
                format_func=lambda i: f"{recon.loc[i, 'document']} · dòng {recon.loc[i, 'source_line']} · {recon.loc[i, 'scope']}",
            )
            provenance.show(recon.loc[pick, "document"], int(recon.loc[pick, "source_line"]))

    issues = wh.parse_issues(province)
    if len(issues):
        with st.expander(f"Cảnh báo khi đọc văn bản ({len(issues)})"):
            st.dataframe(issues.rename(columns={"document": "Văn bản", "line": "Dòng", "message": "Nội dung"}), hide_index=True, width="stretch")

st.subheader("Văn bản trong kho dữ liệu")
docs = wh.documents()
st.dataframe(
    docs.assign(
        kind=docs["kind"].map({"budget_appendices": "Phụ lục dự toán", "plan": "Kế hoạch", "report": "Báo cáo"}),
        number=docs["number"].fillna(""),
        title=docs["title"].fillna(""),
    )[["document", "province", "fiscal_years", "kind", "number", "title", "budget_lines", "totals", "mismatches"]].rename(
        columns={
            "document": "Tệp",
            "province": "Tỉnh",
            "fiscal_years": "Năm",
            "kind": "Loại",
            "number": "Số hiệu",
            "title": "Tiêu đề",
            "budget_lines": "Dòng ngân sách",
            "totals": "Tổng cộng",
            "mismatches": "Không khớp",
        }
    ),
    hide_index=True,
    width="stretch",
)
