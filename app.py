"""Bảng điều khiển ngân sách và chỉ tiêu của Sở KH&CN — entry point.

    streamlit run app.py

Handles login (``ui.auth.gate``), builds the warehouse on first start (or when ``data/raw``
changed), then hands over to the page chosen in the navigation. All pages live in ``pages/``;
the navigation is built here only, per user: pages that write or administer are offered
only to the roles allowed to use them (each such page also checks with ``ui.auth.require``).
"""
import streamlit as st

from ui import auth
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
# Pages offered only from a role up: {section: [(role, page)]}.
ROLE_PAGES = {
    "Quản trị": [
        ("editor", st.Page("pages/nhap-du-lieu.py", title="Nhập dữ liệu", icon=":material/upload_file:",
                           url_path="nhap-du-lieu")),
        ("editor", st.Page("pages/data.py", title="Kho dữ liệu", icon=":material/database:", url_path="kho-du-lieu")),
        ("admin", st.Page("pages/admin.py", title="Quản trị", icon=":material/admin_panel_settings:", url_path="quan-tri")),
    ],
}


def pages_for(can) -> dict[str, list]:
    """The navigation of a user: ``PAGES`` plus the ``ROLE_PAGES`` whose role ``can(role)``."""
    pages = {section: list(items) for section, items in PAGES.items()}
    for section, items in ROLE_PAGES.items():
        allowed = [page for role, page in items if can(role)]
        if allowed:
            pages.setdefault(section, []).extend(allowed)
    return pages


def main() -> None:
    st.set_page_config(page_title="Ngân sách KH&CN", page_icon=":material/science:", layout="wide")
    auth.gate()
    ensure_warehouse()
    st.navigation(pages_for(auth.can)).run()


main()
