"""AppTest for the plan/KPI pages over the real warehouse: an entered actual that changes a
status and survives a rebuild, task status from what is known (and what editors record),
tasks and projects apart, comparisons within one scope, trends that never join scopes."""
import os
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages_helpers import APP, charts, metrics, open_page, texts
from warehouse import store, users
from warehouse.entries import record_actuals
from warehouse.queries import Warehouse
from warehouse.task_entries import record_task_status, task_key

PLAN_2026 = "003_912c6259a13f4ad4.txt"
INDICATORS = "pages/chi-tieu.py"
TASKS = "pages/nhiem-vu.py"


@pytest.fixture()
def app(built_db, monkeypatch, tmp_path):
    monkeypatch.setenv("SKHCN_DB", str(built_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(built_db["raw"]))
    monkeypatch.setenv("SKHCN_ENTRIES", str(tmp_path / "entries.sqlite"))  # entered actuals and task records

    def make(page: str | None = None, login: str | None = None, **params) -> AppTest:
        """``open_page`` for a session that has logged in as ``login`` (the login box itself
        is tested in tests/e2e)."""
        if not login:
            return open_page(page, **params)
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = login
        at.session_state["session_version"] = users.current_session(login)  # a live login (ui.auth)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return make


def test_indicators_page_counts_and_entered_actual(app, built_db):
    at = app(INDICATORS, province="Điện Biên", year="2026")
    m = metrics(at)
    assert m["Số chỉ tiêu"] == "60" and m["Chưa có số liệu"] == "60"
    # no actual yet: no chart of 54 empty bars, a Vietnamese empty state instead
    assert charts(at) == []
    assert any("Chưa có số liệu thực hiện cho chỉ tiêu định lượng nào" in i.value for i in at.info)
    record_actuals(
        [
            {"entered_by": "Cán bộ A", "province": "Điện Biên", "document": PLAN_2026, "indicator_id": "PLI/1/1", "period": "2026", "value": 18},
            {"entered_by": "Cán bộ A", "province": "Điện Biên", "document": PLAN_2026, "indicator_id": "PLI/3.1/4", "period": "2026", "value": 120},
        ]
    )
    at = app(INDICATORS, province="Điện Biên", year="2026")
    m = metrics(at)
    assert m["Đạt"] == "1" and m["Chưa đạt"] == "1" and m["Chưa có số liệu"] == "58"
    (bullet,) = charts(at)
    measured = [t for t in bullet["data"] if t.get("name") == "Thực hiện"]
    assert len(measured[0]["y"]) == 2  # only the targets that have an actual
    # a correction (latest entry wins): 80 days meets "Trung bình khoảng 90 ngày"
    record_actuals([{"entered_by": "Cán bộ B", "province": "Điện Biên", "document": PLAN_2026, "indicator_id": "PLI/3.1/4", "period": "2026", "value": 80}])
    # entries live outside the warehouse: a rebuild keeps them
    store.build(built_db["raw"], built_db["db"])
    at = app(INDICATORS, province="Điện Biên", year="2026")
    assert metrics(at)["Đạt"] == "2"


def test_indicators_page_shows_one_province(app):
    at = app(INDICATORS, province="Điện Biên", year="2026")
    report = at.dataframe[1].value  # actuals read from reports
    assert len(report) and "Tỉnh" not in report.columns
    assert set(report["Văn bản"]) == {"001_3dc3e512645fa543.txt"}  # Điện Biên's, not Sơn La's
    issues = at.dataframe[2].value
    assert set(issues["Văn bản"]) <= {"001_3dc3e512645fa543.txt", "003_912c6259a13f4ad4.txt", "000_3dbcd40b8eb90139.txt"}
    assert list(issues.columns) == ["Văn bản", "Dòng", "Mức độ", "Nội dung", "Dòng gốc"]


def test_editor_save_without_a_change_writes_nothing(app, editor_account):
    at = app(INDICATORS, login=editor_account, province="Điện Biên", year="2026")
    at.button(key="save_actuals").click().run()
    assert any("Không có số liệu nào thay đổi" in i.value for i in at.info)
    assert not os.path.exists(os.environ["SKHCN_ENTRIES"])


def test_indicators_are_named_as_printed_and_saved_by_row(app, editor_account):
    """The tables show no internal id (PLI/1/2, KQ/37/1): targets by their name, a part of a
    reported figure by the name of its whole; an edit is saved for the target of its row."""
    from warehouse.queries import latest_entries

    at = app(INDICATORS, login=editor_account, province="Điện Biên", year="2026")
    (editor,) = at.data_editor
    table = editor.value
    assert "Mã" not in table.columns and table["Chỉ tiêu"].iloc[1].startswith("Ti trọng đóng góp của KHCN")
    report = next(d.value for d in at.dataframe if "Thuộc" in d.value.columns)
    shown = " ".join(str(v) for c in ("Chỉ tiêu", "Thuộc") for v in report[c])
    assert not re.search(r"\b[A-Z]+/\d", shown), shown  # no "KQ/37/1"
    assert set(report["Thuộc"]) - {""} <= set(report["Chỉ tiêu"])  # a whole named as it is listed
    at.session_state["actuals_editor"] = {"edited_rows": {1: {"Thực hiện": 10.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="save_actuals").click().run()
    assert not at.exception, at.exception
    saved = latest_entries(Path(os.environ["SKHCN_ENTRIES"]), "Điện Biên", "2026")
    assert {k[1]: v["value"] for k, v in saved.items()} == {"PLI/1/2": 10.0}


def test_tasks_status_reflects_what_is_known(app, monkeypatch, built_db):
    """A 2024 plan read in November 2026 is judged as of 31/12/2024: its dated tasks are due
    with no result recorded; none is "Quá hạn" until an editor records it not completed."""
    monkeypatch.setenv("SKHCN_TODAY", "2026-11-30")
    at = app(TASKS, province="Sóc Trăng", year="2024")
    m = metrics(at)
    assert m["Số nhiệm vụ"] == "80"
    assert m["Đến hạn, chưa ghi nhận kết quả"] == "78" and m["Quá hạn (đã xác nhận chưa xong)"] == "0"
    assert m["Kinh phí đề xuất của nhiệm vụ"] == "1,8 tỷ đ"
    assert "tình trạng tính đến 31/12/2024 (cuối năm kế hoạch)" in texts(at)
    assert at.date_input(key="w_ref").value == date(2024, 12, 31)
    wh = Warehouse(Path(built_db["db"]))
    listing = wh.tasks("Sóc Trăng", 2024)
    dated = listing[listing["deadline"].notna()]
    record_task_status(task_key(dated["document"].iloc[0], dated["task_id"].iloc[0]), "not_done", "Cán bộ A", "báo cáo quý IV", warehouse=wh)
    record_task_status(task_key(dated["document"].iloc[1], dated["task_id"].iloc[1]), "done", "Cán bộ A", None, warehouse=wh)
    m = metrics(app(TASKS, province="Sóc Trăng", year="2024"))
    assert m["Quá hạn (đã xác nhận chưa xong)"] == "1" and m["Đã hoàn thành (đã ghi nhận)"] == "1"
    assert m["Đến hạn, chưa ghi nhận kết quả"] == "76"
    # an earlier reference date chosen in the URL: fewer tasks due
    m = metrics(app(TASKS, province="Sóc Trăng", year="2024", ref="2024-07-01"))
    assert int(m["Đến hạn, chưa ghi nhận kết quả"]) < 76


def test_tasks_and_projects_are_counted_apart(app, monkeypatch):
    monkeypatch.setenv("SKHCN_TODAY", "2026-03-01")
    at = app(TASKS, province="Điện Biên", year="2026")
    m = metrics(at)
    assert m["Số nhiệm vụ"] == "58"  # the focus tasks only
    assert m["Số dự án"] == "7" and m["Kinh phí dự kiến của dự án"] == "141,5 tỷ đ"
    assert "Kinh phí đề xuất của nhiệm vụ" not in m  # no task of this plan states a budget
    assert any("141.500.000.000 đ" in c.value and "không cộng với kinh phí nhiệm vụ" in c.value for c in at.caption)
    assert at.date_input(key="w_ref").value == date(2026, 3, 1)  # the current year: today


def test_field_and_status_colours_are_their_own(app):
    from charts.theme import FIELD_COLORS, SOURCE_COLORS, STATUS_COLORS

    at = app(TASKS, province="Sóc Trăng", year="2024")
    status_chart, field_chart = charts(at)[:2]
    field_colours = {t["marker"]["color"] for t in field_chart["data"]}
    assert field_colours <= set(FIELD_COLORS.values())
    assert not field_colours & set(SOURCE_COLORS.values())
    assert set(status_chart["data"][0]["marker"]["color"]) <= set(STATUS_COLORS.values())


def test_compare_states_one_scope_and_gathers_its_caveats(app):
    at = app("pages/so-sanh.py")
    scope = at.selectbox(key="w_scope").value
    stage, kind = scope.split(":")
    (budget_chart, *_) = charts(at)
    totals = at.dataframe[0].value
    assert totals["Số tiền"].dtype.kind == "i"
    # one scope only: the 141,5 tỷ project envelopes and the task proposals are not in it
    assert 141_500_000_000 not in set(totals["Số tiền"]) and 1_800_506_000 not in set(totals["Số tiền"])
    assert len([i for i in at.info if "Lưu ý khi so sánh" in i.value]) == 1  # one box, not six
    assert "Không cộng vào biểu đồ trên" in texts(at)
    at = app("pages/so-sanh.py", scope="đề xuất:task")
    totals = at.dataframe[0].value
    assert list(totals["Tỉnh"]) == ["Sóc Trăng"] and list(totals["Số tiền"]) == [1_800_506_000]
    assert "Đề xuất · kinh phí đề xuất của nhiệm vụ" in texts(at)
    indicators = next(d.value for d in at.dataframe if "Chỉ tiêu" in d.value.columns)
    assert "Mã" not in indicators.columns and "code" not in indicators.columns


def test_compare_puts_units_of_one_kind_side_by_side_with_their_printed_names(app):
    """Provinces are compared by kind of unit (data/vocabulary/units.csv), never by printed
    name; the names as printed are listed beside each kind."""
    at = app("pages/so-sanh.py", scope="dự toán:budget")
    by_kind = next(d.value for d in at.dataframe if "Loại đơn vị" in d.value.columns)
    row = by_kind.set_index("Loại đơn vị").loc["Trung tâm Ứng dụng KH&CN"]
    assert row["Điện Biên 2024"] == 1_336_000_000
    assert row["Tên như in"] == "Điện Biên: Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ"
    assert by_kind["Điện Biên 2024"].sum() == 11_523_500_000  # every line has a unit of a known kind
    leads = next(d.value for d in at.dataframe if "Loại đơn vị chủ trì" in d.value.columns).set_index("Loại đơn vị chủ trì")
    # one kind, two provinces' names: Sóc Trăng's "Chi cục TĐC" (2024) and Điện Biên's "Phòng TĐC" (2026)
    assert (leads.loc["Chi cục / Phòng TĐC", "Sóc Trăng 2024"], leads.loc["Chi cục / Phòng TĐC", "Điện Biên 2026"]) == (22, 2)
    assert leads.loc["Chi cục / Phòng TĐC", "Tên như in"] == "Sóc Trăng: Chi cục TĐC · Điện Biên: Phòng TĐC"
    assert "Sóc Trăng: Trung tâm Ứng dụng;" in leads.loc["Trung tâm Ứng dụng KH&CN", "Tên như in"]
    assert "Sơn La 2024: 46 nhiệm vụ (không ghi đơn vị chủ trì)" in " ".join(c.value for c in at.caption)


def test_trend_never_joins_stages_kinds_or_missing_years(app):
    at = app("pages/xu-huong.py", province="Điện Biên", scopes="đề xuất:budget|đề xuất:project")
    (trend, *_) = charts(at)
    for trace in trend["data"]:  # every year on the axis, a gap (None) where the scope has none
        assert trace["x"] == list(range(2020, 2027)) and trace["connectgaps"] is False
    proposals = {t["name"]: [x for x, y in zip(t["x"], t["y"]) if y is not None] for t in trend["data"]}
    assert proposals == {"Đề xuất": [2022], "Đề xuất · kinh phí dự kiến của dự án": [2026]}  # two lone points, no line
    captions = " ".join(c.value for c in at.caption)
    assert "Sở TT&TT hợp nhất vào Sở KH&CN" in captions
    assert any("6 tháng đầu năm" in w.value for w in at.warning)
    yoy = at.dataframe[0].value
    assert {"Giai đoạn · loại số liệu", "Năm", "Số tiền", "So với năm trước"} <= set(yoy.columns)
    # by default the project envelopes are not drawn (named in the caption instead)
    default = app("pages/xu-huong.py", province="Điện Biên")
    (default_trend, *_) = charts(default)
    assert "Đề xuất · kinh phí dự kiến của dự án" not in {t["name"] for t in default_trend["data"]}
    assert "Không vẽ (chọn ở ô trên để thêm): Đề xuất · kinh phí dự kiến của dự án 2026: 141,5 tỷ đ." in texts(default)


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
    at.query_params["year"] = "2026"
    at.run()
    at.switch_page(INDICATORS).run()
    assert not at.exception, at.exception
    assert any("Chỉ cán bộ có quyền biên tập" in i.value for i in at.info)
    assert [b.label for b in at.button] == ["Đăng nhập"]  # st.login; no save button for a viewer
    assert not at.text_input  # no name field either
    assert len(at.dataframe) >= 1  # the targets stay visible, read only


def test_anonymous_visitor_reads_but_cannot_write(app):
    at = app(INDICATORS, province="Điện Biên", year="2026")
    assert [b.label for b in at.button] == ["Đăng nhập"]  # only the login box
    assert not at.text_input
    assert any("Chỉ cán bộ có quyền biên tập" in i.value for i in at.info)
    assert len(at.dataframe) >= 1


def test_editor_sees_the_editor_under_their_login_name(app, editor_account):
    at = app(INDICATORS, login=editor_account, province="Điện Biên", year="2026")
    assert any(b.label == "Lưu số liệu thực hiện" for b in at.button)
    assert any("Biên Tập Viên" in c.value for c in at.caption)
    assert not at.text_input  # the name comes from the login, nobody types it


def test_tasks_by_unit_leaves_each_bar_its_band_beside_the_legend():
    """The legend (one row per field at worst) sits inside the figure's height: six units
    of seven fields keep at least 26 px per bar (in the 2026 plan, split units gave six bars
    squeezed to slivers under a seven-line legend)."""
    import pandas as pd

    from charts.plans import tasks_by_unit
    from charts.theme import FIELD_COLORS

    fields = list(FIELD_COLORS)[:7]
    units = [f"Đơn vị {i}" for i in range(6)]
    df = pd.DataFrame([(u, u, f) for u in units for f in fields], columns=["lead_unit", "lead_unit_group", "field"])
    fig = tasks_by_unit(df, {})
    plot = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b - 22 * len(fig.data) - 60  # title, x axis
    assert len(fig.data) == len(fields)
    assert plot / len(units) >= 26
