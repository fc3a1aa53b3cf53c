"""Bảng điều khiển ngân sách và chỉ tiêu của Sở KH&CN — entry point.

    streamlit run app.py

Builds the warehouse on first start (or when ``data/raw`` changed), then hands over to the
page chosen in the navigation. All pages live in ``pages/``; navigation is built here only.
"""
import streamlit as st

from ui.state import ensure_warehouse

PAGES = {
    "Ngân sách": [
        st.Page("pages/overview.py", title="Tổng quan", icon=":material/dashboard:", default=True),
        st.Page("pages/budget.py", title="Ngân sách", icon=":material/account_balance:", url_path="ngan-sach"),
        st.Page("pages/execution.py", title="Thực hiện ngân sách", icon=":material/fact_check:", url_path="thuc-hien"),
    ],
    "Kế hoạch và kết quả": [
        st.Page("pages/indicators.py", title="Chỉ tiêu", icon=":material/flag:", url_path="chi-tieu"),
        st.Page("pages/tasks.py", title="Nhiệm vụ", icon=":material/task_alt:", url_path="nhiem-vu"),
        st.Page("pages/compare.py", title="So sánh tỉnh", icon=":material/compare_arrows:", url_path="so-sanh"),
        st.Page("pages/trends.py", title="Xu hướng 2020–2026", icon=":material/trending_up:", url_path="xu-huong"),
    ],
}


def main() -> None:
    st.set_page_config(page_title="Ngân sách KH&CN", page_icon=":material/science:", layout="wide")
    ensure_warehouse()
    st.navigation(PAGES).run()


main()
