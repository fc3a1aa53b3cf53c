"""Kho dữ liệu (editors): rebuild the warehouse from the documents folder, see the last
failed build, the documents held (and those left out as duplicates) and every check that failed (printed totals and printed
percentages that do not match their lines, with document, line and cell)."""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

import streamlit as st  # noqa: E402

from charts import format as fmt  # noqa: E402
from ui import auth, tables  # noqa: E402
from ui.state import paths, warehouse  # noqa: E402
from warehouse import store  # noqa: E402

auth.require("editor")
st.title("Kho dữ liệu")
raw, db = paths()
failure = store.last_failure(db)
state = store.auto_build_state(raw, db)
if state == "failed" and failure:
    st.error(f"Lần xây dựng tự động gần nhất không thành công ({fmt.moment(failure['at']) or failure['at']}): "
             f"{failure['error']}")
elif state == "fresh":
    st.success("Kho dữ liệu khớp với thư mục văn bản.")
else:
    st.info("Thư mục văn bản đã thay đổi; kho dữ liệu sẽ được xây dựng lại.")
st.caption(f"Văn bản có sẵn (chỉ đọc): {raw[0]} · văn bản tải lên: {raw[-1]} · kho dữ liệu: {db}")
if st.button("Xây dựng lại kho dữ liệu", type="primary"):
    with st.spinner("Đang xây dựng lại…"):
        try:
            report = store.build(raw, db, actor=auth.actor(), wait=30, action="rebuild")
        except store.LockBusy:
            st.warning("Một lệnh khác đang ghi kho dữ liệu; thử lại sau.")
        except store.DocumentError as exc:
            st.error(f"Không xây dựng được, kho dữ liệu giữ nguyên: {exc}")
        else:
            st.success(f"Đã xây dựng lại: {len(report.documents)} văn bản, {report.budget_lines} dòng ngân sách, "
                       f"{len(report.mismatches)} tổng cộng không khớp.")
            for o in report.overlaps:
                st.warning(f"Trùng phạm vi: {o}")
            for r in report.recovered:
                st.info(r)
wh = warehouse()
st.subheader("Văn bản trong kho")
tables.excluded_documents(wh.excluded_documents())
tables.show(tables.documents_table(wh.documents()), {"Trích yếu": st.column_config.TextColumn(width="large")})

st.subheader("Kiểm tra tổng cộng và tỷ lệ %")
recon = wh.reconciliation(only_mismatches=True)
ratios = wh.ratio_checks(only_mismatches=True)
if recon.empty and ratios.empty:
    st.success("Mọi tổng cộng và tỷ lệ % in trong các văn bản đều khớp với các dòng chi tiết (hoặc chưa kiểm tra được).")
if len(recon):
    st.error(f"{len(recon)} tổng cộng KHÔNG khớp với các dòng chi tiết:")
    for row in recon.itertuples():
        st.markdown(f"- **{row.document}**, dòng **{row.source_line}** ({row.province}, {row.fiscal_year}) — {row.scope}: "
                    f"{tables.text(row.detail)}")
if len(ratios):
    tables.ratio_mismatches(ratios, f"{len(ratios)} tỷ lệ % in trong văn bản KHÔNG khớp với số tiền của cùng dòng:")

every_issue = wh.parse_issues()
if len(every_issue):
    with st.expander(f"Cảnh báo khi đọc văn bản, mọi văn bản ({len(every_issue)})"):
        tables.issues(every_issue)
