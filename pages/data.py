"""Kho dữ liệu (editors): rebuild the warehouse from the documents folder, see the last
failed build and the documents held."""
import streamlit as st

from ui import auth
from ui.state import paths, warehouse
from warehouse import store

auth.require("editor")
st.title("Kho dữ liệu")
raw, db = paths()
failure = store.last_failure(db)
state = store.auto_build_state(raw, db)
if state == "failed" and failure:
    st.error(f"Lần xây dựng tự động gần nhất không thành công ({failure['at']}): {failure['error']}")
elif state == "fresh":
    st.success("Kho dữ liệu khớp với thư mục văn bản.")
else:
    st.info("Thư mục văn bản đã thay đổi; kho dữ liệu sẽ được xây dựng lại.")
st.caption(f"Thư mục văn bản: {raw.name}/ · kho dữ liệu: {db.name}")
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
st.subheader("Văn bản trong kho")
st.dataframe(warehouse().documents(), hide_index=True, width="stretch")
