"""Tổng quan: "Tóm tắt" (the findings of reports.findings, each linked to its page) and "Tải báo
cáo họp" (.docx, .pdf: ui.meeting); the year's money by source (one scope: stage and kind), lines without a stated
source explained, reconciliation status, the province's documents."""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from charts import budget as charts  # noqa: E402
from charts import format as fmt  # noqa: E402
from charts.theme import KIND_LABELS, SOURCE_LABELS  # noqa: E402
from loaders.vocab import DocumentKind, ReconciliationStatus
from ui import meeting, provenance, tables  # noqa: E402
from ui.i18n import PLOTLY_CONFIG  # noqa: E402
from ui.downloads import XLSX_MIME, file_stem  # noqa: E402
from ui.filters import scope_select  # noqa: E402
from ui.state import today, warehouse  # noqa: E402
from ui.figures import figure  # noqa: E402
from warehouse.entries import entries_path  # noqa: E402
from warehouse.workbook import province_year_report  # noqa: E402



#: Spending by funding source: as a table (first) or as a chart.
SOURCE_VIEWS = ["Bảng", "Biểu đồ"]

wh = warehouse()
st.title("Tổng quan")
scope = scope_select(wh)

if scope:
    spend = scope.filter(direction="expenditure")
    total = wh.total(spend)
    recon = wh.reconciliation(scope.province, scope.fiscal_year)
    recon = recon[(recon["phase_vn"] == scope.phase_vn)
                  & (recon["document"].isin(scope.documents) if scope.documents else True)].reset_index(drop=True)
    ratios = wh.ratio_checks(scope.province, scope.fiscal_year, only_mismatches=True)
    mismatches = recon[recon["status"] == ReconciliationStatus.MISMATCH]
    matches = int((recon["status"] == ReconciliationStatus.MATCH).sum())
    unchecked = recon[recon["status"] == ReconciliationStatus.UNCHECKED]

    meeting.summary(wh, scope.province, scope.fiscal_year, today())
    meeting.downloads(wh, scope.province, scope.fiscal_year, today())

    st.markdown(f"**{scope.caption()}**")
    tables.excluded_documents(wh.excluded_documents(scope.province))
    if scope.version_caption():
        st.caption(scope.version_caption())
    c1, c2, c3 = st.columns(3)
    label = "Tổng chi" if scope.kind == "budget" else KIND_LABELS[scope.kind][:1].upper() + KIND_LABELS[scope.kind][1:]
    c1.metric(label, fmt.vnd(total))
    if scope.kind == "budget":
        revenue = scope.filter(direction="revenue")
        if scope.documents and wh.totals_by(revenue, "direction").empty:  # a decision moves spending only
            c2.metric("Tổng thu (phí, lệ phí)", "—", help="Phiên bản dự toán này không ghi số thu phí, lệ phí.")
        else:
            c2.metric("Tổng thu (phí, lệ phí)", fmt.vnd(wh.total(revenue)))
    c3.metric(
        "Tổng cộng đã đối chiếu",
        f"{matches}/{len(recon)} khớp" if len(recon) else "không có tổng in",
    )

    by_source = wh.totals_by(spend, "funding_source")
    if len(by_source):
        # The table first, the chart one click away (a tab that is not open draws nothing): the
        # chart's code (Plotly, 4.7 MB, loaded by the browser with the first chart) cost a new
        # session ~0.9 s in chromium on this page, which every reader opens first (issue 17:
        # first page ≤ 2 s; docs/PERFORMANCE.md).
        st.markdown(f"**Theo nguồn kinh phí — {scope.name} {scope.fiscal_year}, {scope.province}**")
        as_table, as_chart = st.tabs(SOURCE_VIEWS, key="source_view", on_change="rerun")
        if as_table.open:
            with as_table:
                table = pd.DataFrame(
                    {
                        "Nguồn": by_source["funding_source"].map(SOURCE_LABELS),
                        "Số tiền": by_source["amount_vnd"],
                        "Tỷ trọng": by_source["amount_vnd"] * 100 / total if total else None,
                        "Số dòng": by_source["lines"],
                    }
                )
                tables.show(tables.decimals(table, {"Tỷ trọng": fmt.pct}),
                            {"Số tiền": tables.amount_column(), "Số dòng": tables.count_column()})
        if as_chart.open:
            with as_chart:
                st.plotly_chart(
                    figure(charts.by_source, by_source,
                           f"Theo nguồn kinh phí — {scope.name} {scope.fiscal_year}, {scope.province} (triệu đồng)"),
                    width="stretch",
                    config=PLOTLY_CONFIG,
                )
        unspecified = by_source[by_source["funding_source"] == "UNSPECIFIED"]
        if len(unspecified):
            amount, n = int(unspecified["amount_vnd"].iloc[0]), int(unspecified["lines"].iloc[0])
            units = wh.totals_by(scope.filter(direction="expenditure", sources=("UNSPECIFIED",)), "unit")
            where = "; ".join(f"{u}: {fmt.vnd_short(a)}" for u, a in zip(units["unit"].head(3), units["amount_vnd"].head(3)))
            st.info(
                f"**Chưa ghi nguồn: {n} dòng, {fmt.vnd(amount)} ({fmt.pct(amount * 100 / total)} tổng chi).** "
                "Văn bản không ghi nguồn kinh phí cho các dòng này — không có ghi chú nguồn ở chính dòng, ở mục "
                "hay ở dòng cha — nên không xếp được vào SNKH, QLNN hay nguồn nào khác; số tiền vẫn nằm trong tổng chi. "
                f"Nhiều nhất ở: {where}."
            )
            st.page_link(
                "pages/ngan-sach.py",
                label=f"Xem {n} dòng chưa ghi nguồn",
                icon=":material/list:",
                query_params={
                    "province": scope.province,
                    "year": str(scope.fiscal_year),
                    "stage": f"{scope.phase}|{scope.phase_vn}|{scope.kind}",
                    "source": "UNSPECIFIED",
                },
            )
    else:
        st.info(f"Không có dòng chi nào trong phạm vi {scope.name.lower()} {scope.fiscal_year} của {scope.province}.")

    st.download_button(  # built when clicked (deferred), never on a rerun
        "Tải báo cáo tỉnh – năm (.xlsx)",
        data=lambda: province_year_report(wh, scope.province, scope.fiscal_year, entries_path()),
        file_name=f"bao-cao_{file_stem(scope.province)}_{scope.fiscal_year}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        key="province_year_report",
        help="Theo nguồn, theo quý, theo đơn vị; đối chiếu tổng cộng; chỉ tiêu; nhiệm vụ; mọi dòng với văn bản và dòng gốc.",
    )

    st.subheader("Đối chiếu tổng cộng")
    if recon.empty:
        st.info("Văn bản của giai đoạn này không in tổng cộng nào để đối chiếu.")
    elif mismatches.empty and unchecked.empty:
        st.success(f"Tất cả {len(recon)} tổng cộng và tổng mục in trong văn bản khớp đến từng đồng với các dòng chi tiết.")
    if len(mismatches):
        st.error(f"{len(mismatches)} tổng cộng KHÔNG khớp với các dòng chi tiết:")
        for row in mismatches.itertuples():
            st.markdown(f"- **{row.document}**, dòng **{row.source_line}** — {row.scope}: {tables.text(row.detail)}")
    if len(unchecked):
        st.warning(f"{len(unchecked)} tổng cộng chưa đối chiếu được (có dòng không đọc được bên dưới):")
        for row in unchecked.itertuples():
            st.markdown(f"- **{row.document}**, dòng **{row.source_line}** — {row.scope}: {tables.text(row.detail)}")
    if len(ratios):
        tables.ratio_mismatches(ratios, f"{len(ratios)} tỷ lệ % in trong văn bản năm {scope.fiscal_year} KHÔNG khớp với số tiền "
                                "của cùng dòng (tỷ lệ không phải số tiền, không cộng vào đâu):")
    if len(recon):
        with st.expander("Bảng đối chiếu"):
            tables.show(
                pd.DataFrame(
                    {
                        "Văn bản": recon["document"],
                        "Dòng": recon["source_line"],
                        "Vị trí trong tệp": recon["location"],
                        "Phạm vi": recon["scope"],
                        "Số in": recon["printed_amount_vnd"],
                        "Bằng chữ": recon["words_amount_vnd"],
                        "Tổng các dòng": recon["computed_amount_vnd"],
                        "Kết quả": recon["status"].map(ReconciliationStatus.labels()),
                        "Chi tiết": recon["detail"],
                    }
                ),
                {c: tables.amount_column() for c in ("Số in", "Bằng chữ", "Tổng các dòng")},
            )
            pick = st.selectbox(
                "Xem dòng tổng cộng trong văn bản",
                list(recon.index),
                format_func=lambda i: f"{recon.loc[i, 'document']} · {provenance.place(recon.loc[i, 'source_line'], recon.loc[i, 'location'])} · {recon.loc[i, 'scope']}",
            )
            provenance.show(recon.loc[pick, "document"], int(recon.loc[pick, "source_line"]), location=recon.loc[pick, "location"])

    tables.scoped_issues(wh, scope.province, scope.fiscal_year)  # the year's documents only

    st.subheader(f"Văn bản của {scope.province} trong kho dữ liệu")
    docs = wh.documents(scope.province)
    tables.show(
        pd.DataFrame(
            {
                "Tệp": docs["document"],
                "Năm": docs["fiscal_years"],
                "Loại": docs["kind"].map(lambda k: DocumentKind.labels().get(k, k)),
                "Số hiệu": docs["number"],
                "Tiêu đề": docs["title"],
                "Dòng ngân sách": docs["budget_lines"],
                "Tổng cộng": docs["totals"],
                "Không khớp": docs["mismatches"],
            }
        ),
        {"Tiêu đề": st.column_config.TextColumn(width="large")},
    )
