"""Bảng điều khiển ngân sách và chỉ tiêu của Sở KH&CN — entry point.

    streamlit run app.py

Handles login (``ui.auth.gate``), declares the navigation, builds the warehouse on first start
(or when the documents changed: the shipped ``data/raw`` and the uploads of the data directory,
``loaders.paths``; an older checkout's data is first moved there, ``warehouse.migrate``), then hands over to the page chosen. All pages live in ``pages/``;
the navigation is built here only, per user: pages that write or administer are shown in the menu
only to the roles allowed to use them, yet registered for everyone, so a link to one of them
opens the page, whose ``ui.auth.require`` says in Vietnamese which role it needs and offers the
login box (never Streamlit's English "Page not found"). Each page
file is named after its URL path (``pages/ngan-sach.py`` is ``/ngan-sach``): Streamlit's legacy
multipage pass of the first session after a start finds pages by file name (see
``ui.legacy.leave_legacy_run``), so a deep link never meets "Page not found".
"""
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent  # page paths from the app's own folder, whatever the cwd

PAGES = {
    "Ngân sách": [
        st.Page(HERE / "pages" / "tong-quan.py", title="Tổng quan", icon=":material/dashboard:", default=True),
        st.Page(HERE / "pages" / "ngan-sach.py", title="Ngân sách", icon=":material/account_balance:"),
        st.Page(HERE / "pages" / "thuc-hien.py", title="Thực hiện ngân sách", icon=":material/fact_check:"),
        st.Page(HERE / "pages" / "dieu-chinh.py", title="Điều chỉnh dự toán", icon=":material/history:"),
    ],
    "Kế hoạch và kết quả": [
        st.Page(HERE / "pages" / "chi-tieu.py", title="Chỉ tiêu", icon=":material/flag:"),
        st.Page(HERE / "pages" / "nhiem-vu.py", title="Nhiệm vụ", icon=":material/task_alt:"),
        st.Page(HERE / "pages" / "so-sanh.py", title="So sánh tỉnh", icon=":material/compare_arrows:"),
        st.Page(HERE / "pages" / "xu-huong.py", title="Xu hướng 2020–2026", icon=":material/trending_up:"),
    ],
}
# Pages for a role and up: {section: [(role, script, title, icon)]}. Every visitor's navigation
# holds them (see ``pages_for``); each page checks the role itself (``ui.auth.require``).
ROLE_PAGES = {
    "Quản trị": [
        ("editor", HERE / "pages" / "nhap-du-lieu.py", "Nhập dữ liệu", ":material/upload_file:"),
        ("editor", HERE / "pages" / "kho-du-lieu.py", "Kho dữ liệu", ":material/database:"),
        ("admin", HERE / "pages" / "quan-tri.py", "Quản trị", ":material/admin_panel_settings:"),
    ],
}


def pages_for(can, page=st.Page) -> dict[str, list]:
    """The navigation of a user: ``PAGES`` plus every ``ROLE_PAGES`` page, shown in the menu
    when ``can(role)`` and hidden otherwise (``st.Page(visibility="hidden")``: still opened by
    its URL, where the page asks for a login). A section whose pages are all hidden is not
    shown. ``page`` builds a page (``st.Page``; tests pass a stand-in)."""
    pages = {section: list(items) for section, items in PAGES.items()}
    for section, items in ROLE_PAGES.items():
        pages.setdefault(section, []).extend(
            page(script, title=title, icon=icon, visibility="visible" if can(role) else "hidden")
            for role, script, title, icon in items
        )
    return pages


def main() -> None:
    st.set_page_config(page_title="Ngân sách KH&CN", page_icon=":material/science:", layout="wide")
    from ui import auth, style

    style.apply()  # Streamlit's own texts in Vietnamese, the print stylesheet (docs/UI_VIETNAMESE.md)

    auth.gate()
    st.set_option("client.showSidebarNavigation", True)  # see .streamlit/config.toml
    page = st.navigation(pages_for(auth.can))  # the menu shows at once, also while a first build runs
    from ui.state import ensure_warehouse

    ensure_warehouse()
    from warehouse.statedb import StoreBusy

    try:
        page.run()
    except StoreBusy as exc:  # the entries store stayed locked by another writer: a notice, not a traceback
        st.warning(str(exc))


main()
