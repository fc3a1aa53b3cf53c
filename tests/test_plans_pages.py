"""AppTest for the plan/KPI pages over the real warehouse, incl. an entered actual that
changes a status and survives a rebuild."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from warehouse import store
from warehouse.entries import record_actuals

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PLAN_2026 = "003_912c6259a13f4ad4.txt"


@pytest.fixture()
def app(built_db, monkeypatch, tmp_path):
    monkeypatch.setenv("SKHCN_DB", str(built_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(built_db["raw"]))
    monkeypatch.setenv("SKHCN_ENTRIES", str(tmp_path / "entries.sqlite"))

    def make(page: str, login: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        if login:  # a session that has logged in (the login box itself is tested in tests/e2e)
            at.session_state["authentication_status"] = True
            at.session_state["username"] = login
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return make


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_indicators_page_counts_and_entered_actual(app, built_db, tmp_path):
    at = app("pages/indicators.py", province="Điện Biên", kyear="2026")
    m = metrics(at)
    assert m["Số chỉ tiêu"] == "60" and m["Chưa có số liệu"] == "60"
    record_actuals(
        [
            {"entered_by": "Cán bộ A", "province": "Điện Biên", "document": PLAN_2026, "indicator_id": "PLI/1/1", "period": "2026", "value": 18},
            {"entered_by": "Cán bộ A", "province": "Điện Biên", "document": PLAN_2026, "indicator_id": "PLI/3.1/4", "period": "2026", "value": 120},
        ]
    )
    at = app("pages/indicators.py", province="Điện Biên", kyear="2026")
    m = metrics(at)
    assert m["Đạt"] == "1" and m["Chưa đạt"] == "1" and m["Chưa có số liệu"] == "58"
    # a correction (latest entry wins): 80 days meets "Trung bình khoảng 90 ngày"
    record_actuals([{"entered_by": "Cán bộ B", "province": "Điện Biên", "document": PLAN_2026, "indicator_id": "PLI/3.1/4", "period": "2026", "value": 80}])
    # entries live outside the warehouse: a rebuild keeps them
    store.build(built_db["raw"], built_db["db"])
    at = app("pages/indicators.py", province="Điện Biên", kyear="2026")
    assert metrics(at)["Đạt"] == "2"


def test_editor_save_without_a_change_writes_nothing(app, editor_account):
    at = app("pages/indicators.py", login=editor_account, province="Điện Biên", kyear="2026")
    at.button(key="save_actuals").click().run()
    assert any("Không có số liệu nào thay đổi" in i.value for i in at.info)


def test_tasks_page_with_fixed_today(app):
    at = app("pages/tasks.py", province="Sóc Trăng", tyear="2024", today="2024-07-01")
    m = metrics(at)
    assert m["Số nhiệm vụ"] == "80"
    assert m["Kinh phí đề xuất"] == "1,8 tỷ đ"
    assert any("1.800.506.000 đ" in c.value for c in at.caption)
    overdue_early = int(m["Quá hạn"])
    at = app("pages/tasks.py", province="Sóc Trăng", tyear="2024", today="2024-12-31")
    assert int(metrics(at)["Quá hạn"]) > overdue_early
    at = app("pages/tasks.py", province="Điện Biên", tyear="2026", today="2026-03-01")
    assert metrics(at)["Số nhiệm vụ"] == "65"  # 58 focus tasks + 7 key projects
    assert metrics(at)["Kinh phí đề xuất"] == "141,5 tỷ đ"
    assert any("141.500.000.000 đ" in c.value for c in at.caption)


def test_compare_page_notes_scope_differences(app):
    at = app("pages/compare.py", provinces="Điện Biên|Sóc Trăng", years="2024")
    infos = " ".join(i.value for i in at.info)
    assert "giai đoạn khác nhau" in infos
    assert "Sóc Trăng sáp nhập vào Cần Thơ" in infos
    table = at.dataframe[0].value
    assert "11.523.500.000 đ" in set(table["Tổng chi"])
    assert "1.800.506.000 đ" in set(table["Tổng chi"])


def test_trends_page_marks_scope_changes(app):
    at = app("pages/trends.py", province="Điện Biên")
    captions = " ".join(c.value for c in at.caption)
    assert "Sở TT&TT hợp nhất vào Sở KH&CN" in captions
    assert any("6 tháng đầu năm" in w.value for w in at.warning)
    yoy = at.dataframe[0].value
    assert {"Giai đoạn", "Năm", "Số tiền", "So với năm trước"} <= set(yoy.columns)


def test_viewers_cannot_enter_actuals_when_login_is_configured(built_db, monkeypatch, tmp_path):
    monkeypatch.setenv("SKHCN_DB", str(built_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(built_db["raw"]))
    monkeypatch.setenv("SKHCN_ENTRIES", str(tmp_path / "entries.sqlite"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "demo",
        "client_secret": "demo",
        "server_metadata_url": "http://localhost/.well-known/openid-configuration",
    }
    at.secrets["skhcn"] = {"editors": ["truongphong@skhcn.example"]}
    at.query_params["province"] = "Điện Biên"
    at.query_params["kyear"] = "2026"
    at.run()
    at.switch_page("pages/indicators.py").run()
    assert not at.exception, at.exception
    assert any("Chỉ cán bộ có quyền biên tập" in i.value for i in at.info)
    assert [b.label for b in at.button] == ["Đăng nhập"]  # st.login; no save button for a viewer
    assert not at.text_input  # no name field either
    assert len(at.dataframe) >= 1  # the targets stay visible, read only


def test_anonymous_visitor_reads_but_cannot_write(app):
    at = app("pages/indicators.py", province="Điện Biên", kyear="2026")
    assert [b.label for b in at.button] == ["Đăng nhập"]  # only the login box
    assert not at.text_input
    assert any("Chỉ cán bộ có quyền biên tập" in i.value for i in at.info)
    assert len(at.dataframe) >= 1


def test_editor_sees_the_editor_under_their_login_name(app, editor_account):
    at = app("pages/indicators.py", login=editor_account, province="Điện Biên", kyear="2026")
    assert any(b.label == "Lưu số liệu thực hiện" for b in at.button)
    assert any("Biên Tập Viên" in c.value for c in at.caption)
    assert not at.text_input  # the name comes from the login, nobody types it
