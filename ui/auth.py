"""Who uses the dashboard and what they may do: ``current_user()``, ``can(role)``,
``require(role)``.

Roles, each including the one before: ``viewer`` reads; ``editor`` imports documents, enters
actuals and rebuilds the warehouse; ``admin`` also manages users and reads the audit log.
A visitor who has not logged in is a viewer: nothing that writes is reachable without login.

Two ways to log in:

* **OpenID Connect** (an ``[auth]`` section in ``.streamlit/secrets.toml``): Streamlit's
  ``st.login`` / ``st.user``; roles come from the e-mail lists ``[skhcn] editors`` and
  ``[skhcn] admins`` of the same file.
* **Local accounts** otherwise: ``streamlit-authenticator``
  (https://github.com/mkhorasani/Streamlit-Authenticator) over the accounts file of
  ``warehouse.users`` (bcrypt hashes, outside git). The file is created on first start with an
  ``admin`` whose one-time password is printed on the server's console and must be changed
  at first login. A login lasts across reloads through a signed cookie (a JWT signed by the
  library with the file's cookie key) that also names the account's ``session_version``
  (``warehouse.users``): logout, a password change and an admin reset bump the version, so
  every older cookie is refused and every open session of the account becomes anonymous at
  its next run. Failed logins are throttled and every login is logged
  (``warehouse.logins``). Why the cookie is not HttpOnly: ``docs/RELIABILITY.md``, section
  "Phiên đăng nhập / sessions".

The login box sits in the sidebar and is handled by :func:`gate`, called by ``app.py`` before
the navigation is built, so the pages offered always match the role of this run.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import streamlit as st

from warehouse import users  # audit (sqlite-utils, pandas) is imported where it writes: the gate runs
# before the navigation of every run and must stay light
if TYPE_CHECKING:
    from warehouse import audit

ROLES = users.ROLES
ROLE_VN = {"viewer": "xem", "editor": "biên tập", "admin": "quản trị"}
ROLE_PERSON = {"viewer": "người xem", "editor": "biên tập viên", "admin": "quản trị viên"}  # who holds the role
ANONYMOUS = "Khách"
LOGIN_FIELDS = {"Form name": "Đăng nhập", "Username": "Tên đăng nhập", "Password": "Mật khẩu", "Login": "Đăng nhập"}


@dataclass(frozen=True)
class User:
    """The person of this session. ``role`` ∈ {"viewer", "editor", "admin"}; ``source`` is
    "anonymous", "local" or "oidc"; ``username`` is the login (local) or e-mail (OIDC)."""

    name: str
    role: str = "viewer"
    username: str | None = None
    source: str = "anonymous"

    @property
    def logged_in(self) -> bool:
        return self.source != "anonymous"


def oidc_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (``st.login``)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def _oidc_user() -> User:
    if not st.user.get("is_logged_in", False):
        return User(ANONYMOUS)
    email = st.user.get("email")
    conf = st.secrets.get("skhcn", {})
    role = "admin" if email in conf.get("admins", []) else "editor" if email in conf.get("editors", []) else "viewer"
    return User(st.user.get("name") or email, role, email, "oidc")


def _end_local_session() -> None:
    """Forget this browser session's login (the account's sessions were ended elsewhere)."""
    for key in ("authentication_status", "username", "name", "email", "roles", "session_version"):
        st.session_state[key] = None


def _local_user() -> User:
    state = st.session_state
    if not state.get("authentication_status"):
        return User(ANONYMOUS)
    username = state.get("username")
    account = users.load()["credentials"]["usernames"].get(username)
    version = state.get("session_version")
    if account is None or version is None or version != users.session_version(account):
        # removed since login, or logout / password change / reset since this session began
        _end_local_session()
        return User(ANONYMOUS)
    return User(account.get("name") or username, users.role_of(account), username, "local")


def current_user() -> User:
    """The user of this session (an anonymous viewer when nobody has logged in). The role is
    read afresh on every run, so a change by an admin applies at the user's next click."""
    return _oidc_user() if oidc_configured() else _local_user()


def can(role: str) -> bool:
    """True when the current user has ``role`` or a higher one."""
    return ROLES.index(current_user().role) >= ROLES.index(role)


def refusal(role: str, user: User | None = None) -> str:
    """Why a page for ``role`` is closed to ``user`` (the current user by default), in
    Vietnamese: "Trang này cần đăng nhập với quyền biên tập viên." and, for a logged-in user,
    the role the account has."""
    user = user or current_user()
    said = f"Trang này cần đăng nhập với quyền {ROLE_PERSON[role]}."
    if user.logged_in:
        said += f" Tài khoản {user.name} có quyền {ROLE_PERSON[user.role]}."
    return said


def require(role: str) -> None:
    """Stop the page unless the current user has ``role``: a Vietnamese message naming the
    role (:func:`refusal`) and, for a visitor who has not logged in, the login box right
    there (:func:`_page_login`). A login made in that box opens the page in the same run."""
    if can(role):
        return
    user = current_user()
    notice = st.empty()
    notice.warning(refusal(role, user))
    if not user.logged_in and _page_login() and can(role):
        notice.empty()
        return
    st.stop()


def actor() -> audit.Actor:
    """The current user as the author of a write (audit log)."""
    from warehouse import audit

    u = current_user()
    return audit.Actor(u.username or u.name, u.role)


# --- local accounts: login box, logout, first password change --------------------------------
LOCKED_ACCOUNT = "Tài khoản tạm khóa vì đăng nhập sai nhiều lần: thử lại sau {seconds} giây."


def client_address() -> str | None:
    """The visitor's address as Streamlit sees it (``st.context.ip_address``): ``None`` on
    localhost, behind a reverse proxy on the same host, or without a request (tests)."""
    try:
        return st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context
        return None


def _https() -> bool:
    try:
        return (st.context.url or "").startswith("https://")
    except Exception:  # noqa: BLE001
        return False


def _versioned_cookie_model():
    """A subclass of streamlit-authenticator's ``CookieModel`` whose JWT also carries the
    account's session version (claim ``sv``), refused once the account's version moved on,
    and set with ``SameSite=Strict`` and, over HTTPS, ``Secure``. Signing and checking stay the
    library's (PyJWT, HS256, the file's cookie key)."""
    import jwt
    from streamlit_authenticator.models import CookieModel

    class VersionedCookieModel(CookieModel):
        def get_cookie(self):
            token = super().get_cookie()
            if not token:
                return token
            account = users.load()["credentials"]["usernames"].get(token.get("username"))
            if account is None or token.get("sv") != users.session_version(account):
                return None  # issued before a logout, password change or reset
            st.session_state["session_version"] = token["sv"]  # the library logs in with it next
            return token

        def set_cookie(self):
            if self.cookie_expiry_days != 0:
                self.exp_date = self._set_exp_date()
                self.cookie_manager.set(self.cookie_name, self._token_encode(),
                                        expires_at=datetime.now() + timedelta(days=self.cookie_expiry_days),
                                        same_site="strict", secure=True if _https() else None)

        def _token_encode(self):
            return jwt.encode({"username": st.session_state["username"], "exp_date": self.exp_date,
                               "sv": st.session_state["session_version"]}, self.cookie_key, algorithm="HS256")

    return VersionedCookieModel


def _throttled_check(check, config: dict):
    """Wrap the library's ``check_credentials``: refuse at once while the account or address
    is locked (``stauth.LoginError`` with the Vietnamese notice), count failures, log every
    attempt, and remember the session version the password was checked against."""
    import streamlit_authenticator as stauth

    from warehouse import logins

    def checked(username: str, password: str) -> bool:
        from warehouse.statedb import StoreBusy

        client = client_address()
        st.session_state["login_lock"] = 0
        try:
            wait = logins.locked(username, client)
            if wait:
                logins.refused(username, client, wait)
                raise stauth.LoginError(LOCKED_ACCOUNT.format(seconds=wait))
            # bcrypt refuses a password over 72 bytes (ValueError): no stored one is that long
            ok = len(password.encode("utf-8")) <= users.MAX_PASSWORD_BYTES and check(username, password)
            account = config["credentials"]["usernames"].get(username)
            if ok and account is not None:
                st.session_state["session_version"] = users.session_version(account)
                logins.succeeded(username, users.role_of(account), client)
            else:
                st.session_state["login_lock"] = logins.failed(username, client)
        except StoreBusy as exc:  # the throttle's store is locked: no login now, said
            raise stauth.LoginError(str(exc)) from exc
        return ok

    return checked


def _authenticator(sleep: bool = True):
    import streamlit_authenticator as stauth

    config = users.load()
    cookie = config["cookie"]
    kwargs = {} if sleep else {"login_sleep_time": 0}
    auth = stauth.Authenticate(config["credentials"], cookie.get("name", "skhcn_auth"), cookie.get("key", "unset"),
                               cookie.get("expiry_days", 7), auto_hash=False, **kwargs)
    # Same object, our subclass: the library made it and rendered its cookie component once.
    auth.cookie_controller.cookie_model.__class__ = _versioned_cookie_model()
    model = auth.authentication_controller.authentication_model
    model.check_credentials = _throttled_check(model.check_credentials, config)
    return auth


def _cookie_name() -> str:
    return users.load()["cookie"].get("name", "skhcn_auth")


def _has_cookie() -> bool:
    """True when the browser sent our login cookie (read from the websocket handshake)."""
    try:
        return isinstance(st.context.cookies.get(_cookie_name()), str)
    except Exception:  # noqa: BLE001 - no request context (bare mode, AppTest)
        return False


def ensure_accounts() -> None:
    """Create the accounts file on first start and print the admin's one-time password on
    the server console (once per process)."""
    if oidc_configured():
        return
    password = users.ensure()
    if password:
        print(
            f"\n=== Tài khoản quản trị đầu tiên (tệp {users.users_path()}): tên đăng nhập 'admin', "
            f"mật khẩu một lần: {password} — đổi ngay khi đăng nhập ===\n",
            flush=True,
        )


def _change_password_form(user: User) -> None:
    st.title("Đổi mật khẩu")
    st.info(f"{user.name}: đây là lần đăng nhập đầu (hoặc mật khẩu vừa được cấp lại). Hãy đặt mật khẩu mới.")
    with st.form("change_password"):
        rule = f"Mật khẩu {users.PASSWORD_RULE}."
        new = st.text_input("Mật khẩu mới", type="password", max_chars=users.MAX_PASSWORD_BYTES, help=rule)
        again = st.text_input("Nhập lại mật khẩu mới", type="password", max_chars=users.MAX_PASSWORD_BYTES)
        st.caption(rule)
        if st.form_submit_button("Lưu mật khẩu"):
            if new != again:
                st.error("Hai mật khẩu không giống nhau.")
            else:
                try:
                    # refused under the accounts lock if this session was ended meanwhile
                    version = users.set_password(user.username, new, session=st.session_state.get("session_version"))
                except users.UserError as exc:
                    st.error(str(exc))
                else:
                    from warehouse import audit

                    # this session goes on; other sessions and every cookie (this browser's
                    # too: a reload asks for the new password) are refused from now on
                    st.session_state["session_version"] = version
                    audit.record(actor(), "users", target=f"password {user.username}")
                    st.rerun()
    st.stop()


def _must_change(user: User) -> bool:
    return bool(users.load()["credentials"]["usernames"].get(user.username, {}).get("must_change"))


def _set_show_login(value: bool) -> None:
    st.session_state["show_login"] = value


def _login_form(key: str) -> bool:
    """The login form (streamlit-authenticator, Vietnamese labels) in the current container,
    and its submit: throttled (``warehouse.logins``), refusals said in Vietnamese. Returns
    True when this run's submit logged in. One form per run: the authenticator renders its
    cookie component under a fixed key."""
    import streamlit_authenticator as stauth

    state = st.session_state
    state["login_form_shown"] = True
    refused = False
    try:
        _authenticator().login(location="main", fields=LOGIN_FIELDS, key=key)
    except stauth.LoginError as exc:  # locked (warehouse.logins), or the library's own refusals
        st.error(str(exc))
        refused = True
    if state.get("authentication_status"):  # logged in by this run's submit
        state["show_login"] = False
        return True
    if state.get("authentication_status") is False and not refused:
        st.error("Tên đăng nhập hoặc mật khẩu không đúng.")
        if state.get("login_lock"):
            st.error(LOCKED_ACCOUNT.format(seconds=state["login_lock"]))
    return False


def _page_login() -> bool:
    """The login box of a page the visitor may not open (:func:`require`), in the page itself:
    the form (local accounts) or the "Đăng nhập" button (OpenID Connect). When the sidebar's
    box already shows the form, or the gate read a login cookie this run, the page points
    there instead (one authenticator per run). Returns True when this run logged in here."""
    if oidc_configured():
        st.button("Đăng nhập", key="page_login_button", on_click=st.login, type="primary")
        return False
    state = st.session_state
    if state.get("login_form_shown") or state.get("show_login"):
        st.info("Hãy đăng nhập ở ô Đăng nhập (thanh bên).")
        return False
    if not _login_form("page_login_form"):
        return False
    user = _local_user()
    st.caption(f"Đã đăng nhập: **{user.name}** ({ROLE_PERSON[user.role]})")
    if _must_change(user):  # no page before the new password
        _change_password_form(user)
    return True


def _local_gate() -> None:
    ensure_accounts()
    state = st.session_state
    state["login_form_shown"] = False  # this run's authenticator, if any, is made below
    if not state.get("authentication_status") and not state.get("logout") and _has_cookie():
        state["login_form_shown"] = True
        _authenticator(sleep=False).login(location="unrendered")  # a signed cookie from an earlier login
    user = _local_user()
    box = st.sidebar.container(key="auth_box")
    if user.logged_in:
        caption = box.empty()
        if box.button("Đăng xuất", key="logout_button"):
            from warehouse import audit

            who = actor()
            users.end_sessions(user.username)  # every cookie of the account is refused from now on
            audit.record(who, "logout", target=user.username)
            with box:  # no rerun here: the cookie must be deleted by this run's element
                _authenticator(sleep=False).logout(location="unrendered")
            state["show_login"] = False
            caption.caption("Đã đăng xuất.")
            return
        caption.caption(f"Đăng nhập: **{user.name}** ({ROLE_VN[user.role]})")
        if _must_change(user):
            _change_password_form(user)
        return
    if not state.get("show_login"):
        box.button("Đăng nhập", key="show_login_button", on_click=_set_show_login, args=(True,))
        return
    with box:
        if _login_form("login_form"):
            user = _local_user()
            st.caption(f"Đã đăng nhập: **{user.name}**")
    if user.logged_in:
        if _must_change(user):  # no page before the new password, not even this run's
            _change_password_form(user)
        return
    with box:
        st.button("Huỷ", key="cancel_login", on_click=_set_show_login, args=(False,))


def _oidc_gate() -> None:
    user = _oidc_user()
    box = st.sidebar.container(key="auth_box")
    if user.logged_in:
        box.caption(f"Đăng nhập: **{user.name}** ({ROLE_VN[user.role]})")
        box.button("Đăng xuất", key="logout_button", on_click=st.logout)
    else:
        box.button("Đăng nhập", key="show_login_button", on_click=st.login)


def gate() -> User:
    """Handle login, logout and a required password change for this run (sidebar), and
    return the user; call before building the navigation."""
    if oidc_configured():
        _oidc_gate()
    else:
        _local_gate()
    return current_user()
