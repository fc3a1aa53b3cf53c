"""Quản trị (admins only): user accounts and roles, and the audit log of every write."""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from ui import auth, tables  # noqa: E402
from warehouse import audit, users  # noqa: E402

auth.require("admin")
st.title("Quản trị")

tab_users, tab_audit = st.tabs(["Tài khoản và vai trò", "Nhật ký ghi dữ liệu"])
with tab_users:
    if auth.oidc_configured():
        st.info("Đăng nhập qua OpenID Connect: vai trò lấy từ danh sách [skhcn] editors / admins trong .streamlit/secrets.toml.")
    else:
        accounts = users.list_users()
        st.dataframe(
            pd.DataFrame(
                {
                    "Tên đăng nhập": [u["username"] for u in accounts],
                    "Họ tên": [u["name"] for u in accounts],
                    "Vai trò": [auth.ROLE_PERSON[u["role"]] for u in accounts],
                    "Phải đổi mật khẩu": ["có" if u["must_change"] else "" for u in accounts],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        c1, c2 = st.columns(2)
        with c1.form("add_user", clear_on_submit=True):
            st.markdown("**Thêm tài khoản**")
            login = st.text_input("Tên đăng nhập", max_chars=40)
            name = st.text_input("Họ tên", max_chars=100)
            role = st.selectbox("Vai trò", users.ROLES, format_func=auth.ROLE_PERSON.get, index=1)
            if st.form_submit_button("Thêm"):
                try:
                    password = users.add_user(login, name, role)
                except users.UserError as exc:
                    st.error(str(exc))
                else:
                    audit.record(auth.actor(), "users", target=f"add {login}", detail=role)
                    st.success(f"Đã thêm {login}. Mật khẩu một lần (chỉ hiện lần này): `{password}`")
        with c2.form("change_user"):
            st.markdown("**Đổi vai trò, cấp lại mật khẩu, xoá**")
            who = st.selectbox("Tài khoản", [u["username"] for u in accounts])
            new_role = st.selectbox("Vai trò mới", users.ROLES, format_func=auth.ROLE_PERSON.get)
            action = st.radio("Việc", ["Đổi vai trò", "Cấp lại mật khẩu", "Xoá tài khoản"], horizontal=True)
            if st.form_submit_button("Thực hiện") and who:
                try:
                    if action == "Đổi vai trò":
                        users.set_role(who, new_role)
                        message, detail = f"{who}: {auth.ROLE_PERSON[new_role]}", new_role
                    elif action == "Cấp lại mật khẩu":
                        message, detail = f"Mật khẩu một lần mới của {who}: `{users.reset_password(who)}`", "reset"
                    else:
                        users.remove_user(who)
                        message, detail = f"Đã xoá {who}", "remove"
                except users.UserError as exc:
                    st.error(str(exc))
                else:
                    audit.record(auth.actor(), "users", target=f"{detail} {who}")
                    st.success(message)

with tab_audit:
    log = audit.recent(1000)
    actions = sorted(log["action"].unique()) if len(log) else []
    chosen = st.multiselect("Loại thao tác", actions, format_func=lambda a: audit.ACTION_LABELS.get(a, a),
                            placeholder="Tất cả")
    if chosen:
        log = log[log["action"].isin(chosen)]
    tables.show(tables.audit_table(log))
