"""Bảng điều khiển ngân sách và chỉ tiêu của Sở KH&CN — entry point.

    streamlit run app.py

Declares the navigation, builds the warehouse on first start (or when ``data/raw`` changed),
then hands over to the page chosen. All pages live in ``pages/``; navigation is built here
only. Each page file is named after its URL path (``pages/ngan-sach.py`` is ``/ngan-sach``):
Streamlit's legacy multipage pass of the first session after a start finds pages by file name
(see ``ui.state.leave_legacy_run``), so a deep link never meets "Page not found".
"""
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent  # page paths from the app's own folder, whatever the cwd

PAGES = {
    "Ngân sách": [
        st.Page(HERE / "pages" / "tong-quan.py", title="Tổng quan", icon=":material/dashboard:", default=True),
        st.Page(HERE / "pages" / "ngan-sach.py", title="Ngân sách", icon=":material/account_balance:"),
        st.Page(HERE / "pages" / "thuc-hien.py", title="Thực hiện ngân sách", icon=":material/fact_check:"),
    ],
    "Kế hoạch và kết quả": [
        st.Page(HERE / "pages" / "chi-tieu.py", title="Chỉ tiêu", icon=":material/flag:"),
        st.Page(HERE / "pages" / "nhiem-vu.py", title="Nhiệm vụ", icon=":material/task_alt:"),
        st.Page(HERE / "pages" / "so-sanh.py", title="So sánh tỉnh", icon=":material/compare_arrows:"),
        st.Page(HERE / "pages" / "xu-huong.py", title="Xu hướng 2020–2026", icon=":material/trending_up:"),
    ],
}


def main() -> None:
    st.set_page_config(page_title="Ngân sách KH&CN", page_icon=":material/science:", layout="wide")
    page = st.navigation(PAGES)  # the menu shows at once, also while a first build runs
    from ui.state import ensure_warehouse

    ensure_warehouse()
    page.run()


main()
