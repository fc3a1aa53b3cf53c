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
    return at


def test_navigation_follows_the_role():
    import ast

    source = (ROOT / "app.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    role_pages = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "ROLE_PAGES")
    declared = {}
    for pair in ast.walk(role_pages):
        if isinstance(pair, ast.Tuple) and isinstance(pair.elts[0], ast.Constant):
            path = pair.elts[1].args[0]  # HERE / "pages" / "<url>.py"
            declared["pages/" + path.right.value] = pair.elts[0].value
    assert declared == {"pages/nhap-du-lieu.py": "editor", "pages/kho-du-lieu.py": "editor", "pages/quan-tri.py": "admin"}
    # pages_for itself, with stand-in pages
    func = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "pages_for")
    ns = {"PAGES": {"Ngân sách": ["overview"]}, "ROLE_PAGES": {"Quản trị": [("editor", "data"), ("admin", "admin")]}}
    exec(compile(ast.Module([func], []), "app.py", "exec"), ns)
    levels = {"viewer": 0, "editor": 1, "admin": 2}
    nav = {role: ns["pages_for"](lambda need, r=role: levels[r] >= levels[need]) for role in levels}
    assert nav["viewer"] == {"Ngân sách": ["overview"]}
    assert nav["editor"] == {"Ngân sách": ["overview"], "Quản trị": ["data"]}
    assert nav["admin"] == {"Ngân sách": ["overview"], "Quản trị": ["data", "admin"]}


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
    assert any("quyền biên tập" in w.value for w in at.warning) and not at.button
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
    assert config["client"]["toolbarMode"] == "viewer"
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
