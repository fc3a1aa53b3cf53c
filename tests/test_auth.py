"""Roles: viewers read, editors write, admins manage users and read the audit log; no write
path for an anonymous visitor; the app serves the last good warehouse when a build fails and
tells editors once; viewers never see tracebacks."""
from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from warehouse import audit, users

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture()
def env(built_db, monkeypatch, tmp_path):
    monkeypatch.setenv("SKHCN_DB", str(built_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(built_db["raw"]))
    monkeypatch.setenv("SKHCN_ENTRIES", str(tmp_path / "entries.sqlite"))
    return tmp_path


def _app(login: str | None = None, script: str = APP) -> AppTest:
    at = AppTest.from_file(script, default_timeout=60)
    if login:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = login
        at.session_state["session_version"] = users.current_session(login)  # a live login (ui.auth)
    return at


def test_navigation_follows_the_role():
    """Every role page is in every visitor's navigation (a link to it opens the page, which
    asks for a login); the menu shows it only to the roles allowed."""
    import ast

    source = (ROOT / "app.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    role_pages = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "ROLE_PAGES")
    declared = {}
    for entry in ast.walk(role_pages):
        if isinstance(entry, ast.Tuple) and isinstance(entry.elts[0], ast.Constant):
            path = entry.elts[1]  # HERE / "pages" / "<url>.py"
            declared["pages/" + path.right.value] = entry.elts[0].value
    assert declared == {"pages/nhap-du-lieu.py": "editor", "pages/kho-du-lieu.py": "editor", "pages/quan-tri.py": "admin"}
    # pages_for itself, with stand-in pages: (script, visibility)
    func = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "pages_for")
    func.args.defaults = [ast.Constant(None)]  # the default page=st.Page: no Streamlit here
    ns = {"PAGES": {"Ngân sách": ["overview"]},
          "ROLE_PAGES": {"Quản trị": [("editor", "data", "Dữ liệu", None), ("admin", "admin", "Quản trị", None)]}}
    exec(compile(ast.fix_missing_locations(ast.Module([func], [])), "app.py", "exec"), ns)
    levels = {"viewer": 0, "editor": 1, "admin": 2}

    def stand_in(script, title, icon, visibility):
        return script, visibility

    nav = {role: ns["pages_for"](lambda need, r=role: levels[r] >= levels[need], stand_in) for role in levels}
    assert nav["viewer"] == {"Ngân sách": ["overview"], "Quản trị": [("data", "hidden"), ("admin", "hidden")]}
    assert nav["editor"] == {"Ngân sách": ["overview"], "Quản trị": [("data", "visible"), ("admin", "hidden")]}
    assert nav["admin"] == {"Ngân sách": ["overview"], "Quản trị": [("data", "visible"), ("admin", "visible")]}


def test_admin_page_refuses_others_and_shows_accounts_and_audit(env, editor_account, admin_account):
    audit.record(audit.Actor("bientap", "editor"), "ingest", "x.txt", rows=3)
    for login in (None, editor_account):
        at = _app(login, str(ROOT / "pages" / "quan-tri.py"))
        at.run()
        assert not at.exception
        assert any("quyền quản trị" in w.value for w in at.warning) and not at.tabs
    at = _app(admin_account, str(ROOT / "pages" / "quan-tri.py"))
    at.run()
    assert not at.exception
    accounts, log = at.dataframe[0].value, at.dataframe[1].value
    assert {"bientap", "quantri"} <= set(accounts["Tên đăng nhập"])
    assert "x.txt" in set(log["Đối tượng"]) and "bientap" in set(log["Người thực hiện"])


def test_admin_adds_an_editor(env, admin_account):
    at = _app(admin_account, str(ROOT / "pages" / "quan-tri.py"))
    at.run()
    at.text_input[0].input("canbo.moi")
    at.text_input[1].input("Cán Bộ Mới")
    at.button[0].click().run()  # "Thêm" of the add form
    assert not at.exception
    assert any("Mật khẩu một lần" in s.value for s in at.success)
    assert {"username": "canbo.moi", "name": "Cán Bộ Mới", "role": "editor", "must_change": True} in users.list_users()
    assert audit.recent(5)["target"].iloc[0] == "add canbo.moi"


def test_data_page_is_for_editors(env, editor_account):
    at = _app(None, str(ROOT / "pages" / "kho-du-lieu.py"))
    at.run()
    assert any("quyền biên tập" in w.value for w in at.warning)
    assert [b.label for b in at.button] == ["Đăng nhập"]  # the login box's, nothing of the page
    at = _app(editor_account, str(ROOT / "pages" / "kho-du-lieu.py"))
    at.run()
    assert not at.exception and any(b.label == "Xây dựng lại kho dữ liệu" for b in at.button)


def test_failed_build_keeps_the_last_good_warehouse(built_db, monkeypatch, tmp_path, editor_account):
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    shutil.copyfile(built_db["db"], db)
    (raw / "zz_bad.txt").write_text("Không phải văn bản ngân sách.\n", encoding="utf-8")
    monkeypatch.setenv("SKHCN_DB", str(db))
    monkeypatch.setenv("SKHCN_RAW", str(raw))
    monkeypatch.setenv("SKHCN_ENTRIES", str(tmp_path / "entries.sqlite"))
    before = db.read_bytes()
    at = _app()
    at.query_params["province"] = "Điện Biên"
    at.query_params["year"] = "2024"
    at.run()
    assert not at.exception
    assert not at.error  # a viewer is not bothered
    assert {m.label: m.value for m in at.metric}["Tổng chi"] == "11.523.500.000 đ"  # last good warehouse
    assert db.read_bytes() == before
    at = _app(editor_account)
    at.run()
    assert any("zz_bad.txt" in e.value for e in at.error)  # an editor is told
    log = audit.recent(5)
    assert log["ok"].iloc[0] == 0 and "zz_bad.txt" in log["detail"].iloc[0]
    n = len(audit.recent(100))
    _app().run()  # the same folder is not rebuilt on the next view
    assert len(audit.recent(100)) == n


def test_viewers_see_no_traceback_and_the_server_stays_local():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    # "minimal" (like "viewer") shows no developer options (clear cache, rerun settings, deploy);
    # it also drops the English main menu (docs/UI_VIETNAMESE.md)
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["server"]["address"] in ("127.0.0.1", "localhost")


def test_accounts_file_hashes_passwords(tmp_path):
    path = tmp_path / "users.yaml"
    first = users.ensure(path)
    assert first and users.ensure(path) is None  # created once
    text = path.read_text(encoding="utf-8")
    assert first not in text and "$2b$" in text
    assert users.authenticate("admin", first, path)["must_change"] is True
    assert users.authenticate("admin", "wrong-password", path) is None
    with pytest.raises(users.UserError):
        users.set_role("admin", "viewer", path)  # the last admin stays
    users.add_user("bientap", "Biên Tập", "editor", password="mat-khau-du-dai", path=path)
    assert users.authenticate("bientap", "mat-khau-du-dai", path)["role"] == "editor"
    with pytest.raises(users.UserError):
        users.set_password("bientap", "ngan", path)


def test_one_time_password_must_be_changed_before_anything_else(env):
    users.ensure()
    if "moi" not in {u["username"] for u in users.list_users()}:
        users.add_user("moi", "Cán Bộ Mới", "editor")  # generated one-time password
    at = _app("moi")
    at.query_params["province"] = "Điện Biên"
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Đổi mật khẩu"]  # no page until the password is changed
    assert not at.metric
    assert [t.label for t in at.text_input] == ["Mật khẩu mới", "Nhập lại mật khẩu mới"]


# --- sessions, throttling and the login lines of the audit log (issue 19) ----------------------
GATE = """
import streamlit as st
from ui import auth

user = auth.gate()
st.markdown(f"user={user.username or '-'}")
"""


@pytest.fixture()
def browser(monkeypatch, tmp_path):
    """A stand-in browser: the cookies and address Streamlit reads from the websocket handshake
    (``st.context.cookies`` / ``ip_address``, which AppTest cannot seed) and the cookies our
    login sets through the library's cookie component (recorded with their options)."""
    import types

    import extra_streamlit_components as stx
    from streamlit.runtime import context

    monkeypatch.setenv("SKHCN_ENTRIES", str(tmp_path / "entries.sqlite"))
    jar = types.SimpleNamespace(cookies={}, ip="203.0.113.7", set=[])
    monkeypatch.setattr(context, "_get_client_context",
                        lambda: types.SimpleNamespace(cookies=dict(jar.cookies), headers=[], remote_ip=jar.ip))

    def record_set(self, cookie, val, **options):
        jar.set.append((cookie, val, options))

    monkeypatch.setattr(stx.CookieManager, "set", record_set)
    return jar


def _gate_app() -> AppTest:
    return AppTest.from_string(GATE, default_timeout=60)


def _who(at: AppTest) -> str:
    """The login the gate let through ("-": anonymous). The gate's one stop is the password
    form of a one-time password, shown to the logged-in account only."""
    shown = [m.value[len("user="):] for m in at.markdown if m.value.startswith("user=")]
    if shown:
        return shown[0]
    assert [t.value for t in at.title] == ["Đổi mật khẩu"]
    return at.session_state["username"]


def _login(at: AppTest, login: str, password: str) -> AppTest:
    if not any(t.label == "Tên đăng nhập" for t in at.text_input):  # the box is closed: open it
        at.button(key="show_login_button").click().run()
    next(t for t in at.text_input if t.label == "Tên đăng nhập").input(login)
    next(t for t in at.text_input if t.label == "Mật khẩu").input(password)
    next(b for b in at.button if b.label == "Đăng nhập" and b.key != "show_login_button").click().run()
    assert not at.exception
    return at


def _account_with(login: str, password: str, role: str = "editor") -> str:
    users.ensure()
    if login not in {u["username"] for u in users.list_users()}:
        users.add_user(login, f"Người Thử {login}", role, password=password)
    else:
        users.set_password(login, password)
    return login


def _cookie_of_login(browser, login: str, password: str) -> tuple[AppTest, str]:
    """Log in through the form: the session, and the cookie value our login set in the browser."""
    at = _login(_gate_app().run(), login, password)
    assert _who(at) == login
    name, token, options = browser.set[-1]
    assert name == users.load()["cookie"]["name"] and options.get("same_site") == "strict"
    return at, token


def test_cookie_is_refused_after_logout(browser):
    login = _account_with("phien.dangxuat", "mat-khau-phien-1")
    _, token = _cookie_of_login(browser, login, "mat-khau-phien-1")
    browser.cookies = {users.load()["cookie"]["name"]: token}
    at = _gate_app().run()  # a new visit with the cookie: logged in without a password
    assert _who(at) == login
    other_tab = _gate_app().run()
    assert _who(other_tab) == login
    at.button(key="logout_button").click().run()
    assert not at.exception and any("Đã đăng xuất" in c.value for c in at.caption)
    again = _gate_app().run()  # the same cookie, presented again (a copy kept by someone else)
    assert _who(again) == "-" and [b.key for b in again.button] == ["show_login_button"]
    other_tab.run()  # an open session of the account ends at its next run
    assert _who(other_tab) == "-"
    log = audit.recent(20)
    assert ((log["action"] == "logout") & (log["actor"] == login)).any()


def test_cookie_is_refused_after_an_admin_reset(browser):
    login = _account_with("phien.capmoi", "mat-khau-phien-2")
    _, token = _cookie_of_login(browser, login, "mat-khau-phien-2")
    browser.cookies = {users.load()["cookie"]["name"]: token}
    live = _gate_app().run()
    assert _who(live) == login
    one_time = users.reset_password(login)  # the admin's reset
    stolen = _gate_app().run()
    assert _who(stolen) == "-"
    assert "Đổi mật khẩu" not in [t.value for t in stolen.title]  # no password form without the one-time password
    live.run()
    assert _who(live) == "-" and "Đổi mật khẩu" not in [t.value for t in live.title]
    # the one-time password itself leads to the form
    browser.cookies = {}
    at = _login(_gate_app().run(), login, one_time)
    assert _who(at) == login and [t.value for t in at.title] == ["Đổi mật khẩu"]


def test_a_password_change_through_an_ended_session_is_impossible(browser):
    login = _account_with("phien.doimk", "mat-khau-phien-3")
    one_time = users.reset_password(login)
    at = _login(_gate_app().run(), login, one_time)
    assert [t.value for t in at.title] == ["Đổi mật khẩu"]
    second = users.reset_password(login)  # meanwhile the admin resets again
    for t in at.text_input:
        t.input("mat-khau-cua-ke-gian")
    next(b for b in at.button if b.label == "Lưu mật khẩu").click().run()
    assert not at.exception and _who(at) == "-"
    assert users.authenticate(login, "mat-khau-cua-ke-gian") is None
    assert users.authenticate(login, second)["must_change"] is True
    # the same rule below the page: a change naming an old session is refused under the lock
    old = users.current_session(login)
    users.end_sessions(login)
    with pytest.raises(users.UserError, match="hết hiệu lực"):
        users.set_password(login, "mat-khau-cua-ke-gian", session=old)
    assert users.authenticate(login, "mat-khau-cua-ke-gian") is None


def test_a_password_change_ends_older_sessions_but_not_this_one(browser):
    login = _account_with("phien.tudoi", "mat-khau-phien-4")
    one_time = users.reset_password(login)
    at, token = _cookie_of_login(browser, login, one_time)
    assert [t.value for t in at.title] == ["Đổi mật khẩu"]
    browser.cookies = {users.load()["cookie"]["name"]: token}
    assert _who(_gate_app().run()) == login  # before the change the cookie works
    for t in at.text_input:
        t.input("mat-khau-moi-cua-toi")
    next(b for b in at.button if b.label == "Lưu mật khẩu").click().run()
    assert not at.exception and _who(at) == login and not at.title
    assert users.authenticate(login, "mat-khau-moi-cua-toi")["must_change"] is False
    assert _who(_gate_app().run()) == "-"  # the cookie of the one-time login is refused


def test_logins_are_throttled_per_account_and_released_after_the_back_off(browser, monkeypatch):
    import types

    from warehouse import logins

    clock = types.SimpleNamespace(now=1_000_000.0)
    monkeypatch.setattr(logins, "time", types.SimpleNamespace(time=lambda: clock.now))
    login = _account_with("phien.khoa", "mat-khau-phien-5")
    at = _gate_app().run()
    for i in range(logins.FREE):
        at = _login(at, login, f"sai-mat-khau-{i}")
        assert _who(at) == "-"
        clock.now += 1
    assert any("Tài khoản tạm khóa" in e.value and "thử lại sau 30 giây" in e.value for e in at.error)
    at = _login(at, login, "mat-khau-phien-5")  # the right password, during the lock
    assert _who(at) == "-"
    assert any("Tài khoản tạm khóa" in e.value for e in at.error)
    clock.now += logins.BASE_S
    at = _login(at, login, "mat-khau-phien-5")
    assert _who(at) == login
    log = audit.recent(50)
    mine = log[(log["action"] == "login") & (log["actor"] == login)]
    assert list(mine["ok"])[::-1] == [0] * logins.FREE + [0, 1]  # failures, the refusal, the success
    assert mine["detail"].str.contains("203.0.113.7").all()
    assert mine["detail"].iloc[1].startswith("tạm khóa")
    assert logins.locked(login, None) == 0  # the success cleared the account's count


def test_throttle_back_off_doubles_and_is_persisted(tmp_path):
    from warehouse import logins

    path, t = tmp_path / "state.sqlite", 5_000.0
    for _ in range(logins.FREE - 1):
        assert logins.failed("ai.do", "198.51.100.1", now=t, path=path) == 0
    assert logins.locked("ai.do", "198.51.100.1", now=t, path=path) == 0
    assert logins.failed("ai.do", "198.51.100.1", now=t, path=path) == 30
    assert logins.locked("Ai.Do ", None, now=t + 29.5, path=path) == 1  # per account, any address
    assert logins.locked("ai.do", None, now=t + 30, path=path) == 0
    assert logins.failed("ai.do", None, now=t + 31, path=path) == 60  # doubled
    assert logins.locked("khac", "198.51.100.1", now=t + 31, path=path) == 0  # the address is not locked yet
    # many accounts tried from one address: the address is locked
    for i in range(logins.FREE_CLIENT):
        logins.failed(f"tk{i}", "198.51.100.9", now=t, path=path)
    assert logins.locked("chua.thu", "198.51.100.9", now=t + 1, path=path) > 0
    assert logins.locked("chua.thu", "198.51.100.8", now=t + 1, path=path) == 0
    assert logins.lock_seconds(100) == logins.MAX_S
    # forgotten a day after the last failure
    assert logins.failed("ai.do", None, now=t + logins.FORGET_S + 100, path=path) == 0


def test_cookie_is_secure_over_https(browser):
    login = _account_with("phien.https", "mat-khau-phien-6")
    for url, secure in (("http://127.0.0.1:8501/", None), ("https://dashboard.example/", True)):
        at = _gate_app()
        at.context["url"] = url
        _login(at.run(), login, "mat-khau-phien-6")
        assert _who(at) == login
        assert browser.set[-1][2].get("secure") is secure and browser.set[-1][2]["same_site"] == "strict"


def test_the_password_form_states_the_limit_and_refuses_a_password_over_72_bytes(browser):
    login = _account_with("phien.daimk", "mat-khau-phien-5")
    one_time = users.reset_password(login)
    at = _login(_gate_app().run(), login, one_time)
    assert any("72 byte UTF-8" in c.value for c in at.caption)  # the limit, stated before typing
    # the box takes at most 72 characters (104 cannot be typed); 72 Vietnamese ones are ~150 bytes
    long = ("Mậtkhẩuđủdàiđểquágiớihạncủabcrypt" * 4)[:72]
    assert len(long.encode("utf-8")) > 72
    for t in at.text_input:
        t.input(long)
    next(b for b in at.button if b.label == "Lưu mật khẩu").click().run()
    assert not at.exception
    assert any("quá giới hạn 72 byte UTF-8" in e.value for e in at.error), [e.value for e in at.error]
    assert users.authenticate(login, one_time)["must_change"] is True  # nothing changed
    # a login with such a password is a failed login, not bcrypt's ValueError
    at = _login(_gate_app().run(), login, long)
    assert _who(at) == "-"
