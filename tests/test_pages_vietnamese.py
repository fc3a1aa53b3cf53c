"""Every page, as a new user opens it and in a few other views: Vietnamese only (no None,
nan, snake_case codes or English words in texts, table headers, table cells or charts), the
same default province and year everywhere, one province per page (So sánh aside). The pages
for editors and admins too, logged in (documents held, audit log), and a link to one of them
opened by a visitor: the role it needs, in Vietnamese, and the login box."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.e2e.server import app_pages
from tests.pages_helpers import (
    APP,
    TIMEOUT,
    chart_texts,
    charts,
    english_or_code,
    open_page,
    table_texts,
    texts,
)
from warehouse import audit, users

PAGES = [p.script for p in app_pages()]
VIEWS = [(p, {}) for p in PAGES] + [
    ("pages/tong-quan.py", {"province": "Điện Biên", "year": "2026"}),
    ("pages/tong-quan.py", {"province": "Sóc Trăng", "year": "2024"}),
    ("pages/ngan-sach.py", {"province": "Điện Biên", "year": "2024", "direction": "revenue"}),
    ("pages/nhiem-vu.py", {"province": "Sóc Trăng", "year": "2024"}),
    ("pages/nhiem-vu.py", {"province": "Sơn La", "year": "2024"}),
    ("pages/chi-tieu.py", {"province": "Điện Biên", "year": "2026", "group": "Mục tiêu đóng góp cho tăng trưởng"}),
    ("pages/so-sanh.py", {"scope": "đề xuất:project", "percap": "1"}),
    ("pages/xu-huong.py", {"province": "Sơn La"}),
]


@pytest.fixture()
def app(built_db, monkeypatch, tmp_path):
    monkeypatch.setenv("SKHCN_DB", str(built_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(built_db["raw"]))
    monkeypatch.setenv("SKHCN_ENTRIES", str(tmp_path / "entries.csv"))
    return open_page


@pytest.mark.parametrize("page, params", VIEWS, ids=[f"{p.split('/')[-1][:-3]}-{'-'.join(v.values()) or 'mặc định'}" for p, v in VIEWS])
def test_page_is_vietnamese_only(app, page, params):
    at = app(page, **params)
    assert english_or_code(texts(at)) == []
    assert english_or_code(table_texts(at)) == []
    for fig in charts(at):
        assert english_or_code(chart_texts(fig)) == [], fig["layout"]["title"]["text"]


@pytest.mark.parametrize("page", PAGES)
def test_one_default_province_and_year(app, page):
    at = app(page)
    boxes = {b.label: b.value for b in at.selectbox}
    if "Tỉnh" in boxes:
        assert boxes["Tỉnh"] == "Điện Biên"
    years = [v for k, v in boxes.items() if k.startswith("Năm")]
    if page in ("pages/tong-quan.py", "pages/ngan-sach.py", "pages/dieu-chinh.py"):  # Điện Biên's estimate is 2024's
        assert years == [2024]
    elif years:  # pages whose data have other years open on their newest
        assert years == [2026]


def test_trend_indicators_tab_is_vietnamese_and_draws_only_itself(app):
    at = app("pages/xu-huong.py", province="Điện Biên")
    assert [t.label for t in at.tabs] == ["Ngân sách theo năm", "Chỉ tiêu theo kỳ"]
    assert "Chỉ tiêu" not in {b.label for b in at.selectbox}  # the closed tab ran nothing
    at.session_state["trend_view"] = "Chỉ tiêu theo kỳ"  # the reader opens the second tab
    at.run()
    assert not at.exception, at.exception
    assert "Chỉ tiêu" in {b.label for b in at.selectbox}
    assert not any("theo năm và giai đoạn" in f["layout"]["title"]["text"] for f in charts(at))  # budget not drawn
    assert at.dataframe and {"Kỳ", "Giá trị", "Đơn vị", "Văn bản: dòng"} <= set(at.dataframe[0].value.columns)
    assert english_or_code(texts(at)) == [] and english_or_code(table_texts(at)) == []
    for fig in charts(at):
        assert english_or_code(chart_texts(fig)) == []


ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?")


def _logged_in(login: str | None, page: str) -> AppTest:
    """The app opened on ``page`` (a script path) by ``login`` (None: a visitor)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if login:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = login
        at.session_state["session_version"] = users.current_session(login)  # a live login (ui.auth)
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_documents_held_are_in_words(app, editor_account):
    at = _logged_in(editor_account, "pages/kho-du-lieu.py")
    docs = next(d.value for d in at.dataframe if "Loại văn bản" in d.value.columns)
    assert list(docs.columns)[:7] == ["Văn bản", "Tỉnh", "Năm", "Loại văn bản", "Cơ quan ban hành", "Số hiệu",
                                      "Ngày ban hành"]
    assert {"Phụ lục dự toán", "Kế hoạch", "Báo cáo"} <= set(docs["Loại văn bản"])
    assert not any(ISO_TIME.search(d) for d in docs["Ngày ban hành"])
    assert any(re.fullmatch(r"\d{2}/\d{2}/\d{4}", d) for d in docs["Ngày ban hành"])  # dates were read
    assert all(re.fullmatch(r"\d{4}(, \d{4})*", y) for y in docs["Năm"] if y)
    shown = table_texts(at)
    assert english_or_code(shown) == [] and "None" not in shown and not ISO_TIME.search(shown)
    assert english_or_code(texts(at)) == []


def test_audit_log_is_in_words(app, admin_account, editor_account):
    who = audit.Actor(editor_account, "editor")
    audit.record(who, "upload", "ke_hoach_2026.txt", sha256="ab" * 32, rows=12)
    audit.record(who, "enter_actuals", "003_912c6259a13f4ad4.txt#PLI/1/1", rows=1, detail="Điện Biên, kỳ 2026")
    audit.record(audit.Actor(admin_account, "admin"), "users", f"editor {editor_account}")
    audit.record(audit.Actor(admin_account, "admin"), "users", "add canbo.moi", detail="editor")
    audit.record(audit.Actor(audit.SYSTEM), "build", "data/raw", rows=300)
    at = _logged_in(admin_account, "pages/quan-tri.py")
    log = next(d.value for d in at.dataframe if "Thao tác" in d.value.columns)
    assert {"Tải văn bản lên", "Nhập số liệu thực hiện chỉ tiêu", "Quản lý tài khoản"} <= set(log["Thao tác"])
    assert {"biên tập viên", "quản trị viên"} <= set(log["Vai trò"])
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", t) for t in log["Thời điểm"])
    assert "thêm canbo.moi" in set(log["Đối tượng"])
    shown = table_texts(at)
    assert english_or_code(shown) == [] and "None" not in shown and not ISO_TIME.search(shown)
    assert english_or_code(texts(at)) == []


@pytest.mark.parametrize("page, role", [("pages/nhap-du-lieu.py", "biên tập viên"),
                                        ("pages/kho-du-lieu.py", "biên tập viên"),
                                        ("pages/quan-tri.py", "quản trị viên")])
def test_a_visitor_opening_a_role_page_is_asked_to_log_in(app, page, role):
    users.ensure()
    at = _logged_in(None, page)
    assert [w.value for w in at.warning] == [f"Trang này cần đăng nhập với quyền {role}."]
    assert {t.label for t in at.text_input} >= {"Tên đăng nhập", "Mật khẩu"}  # the login box
    assert any(b.label == "Đăng nhập" for b in at.button)
    assert "Page not found" not in texts(at) and english_or_code(texts(at)) == []
    assert not at.tabs and not at.get("file_uploader")  # nothing of the page itself


def test_a_visitor_logs_in_on_the_page_and_it_opens(app, editor_account):
    at = _logged_in(None, "pages/kho-du-lieu.py")
    name, password = at.text_input[0], at.text_input[1]
    name.input(editor_account)
    password.input("mat-khau-bien-tap")
    next(b for b in at.button if b.label == "Đăng nhập" and b.proto.is_form_submitter).click()
    at.run()
    assert not at.exception, at.exception
    assert not any("Trang này cần" in w.value for w in at.warning)
    assert any(b.label == "Xây dựng lại kho dữ liệu" for b in at.button)
    at.run()  # the next run: the menu and the sidebar know the editor
    assert not at.exception and "Trang này cần" not in texts(at)
