"""Chỉ tiêu: an anonymous visitor cannot write; an editor logs in (sidebar), types actuals
into the table and saves; after a reload the targets' status follows the comparator ("Đạt" /
"Chưa đạt"). The entries go to the session's own store (SKHCN_ENTRIES in the tmp dir), never
to data/entries, signed with the editor's login.

This file writes to the session's journal, so it is named to run after the other e2e files;
no other test depends on indicator actuals."""
from __future__ import annotations

import sqlite3
from urllib.parse import urlencode

from tests.e2e.helpers import edit_cell, errors_on, grid_cell, metric
from tests.e2e.server import EDITOR, app_pages, open_page, rerun_after, wait_for_app

INDICATORS = next(p for p in app_pages() if p.script == "pages/chi-tieu.py")
EDITOR_GRID = '.st-key-actuals_editor [data-testid="stDataFrame"]'
WHO = "Nguyễn Thị Kiểm Thử"  # the editor's name in the accounts file (tests/e2e/server.py)

# Kế hoạch 2026 of Điện Biên (003_912c6259a13f4ad4.txt): the first two targets, in %
# (more is better): PLI/1/1 "17%" and PLI/1/2 "17,5%" (ids kept by the store, never shown:
# the table names each target as printed).
ENTRIES = [(0, "PLI/1/1", "Tỉ trọng giá trị tăng thêm", "17%", "20", "Đạt"),
           (1, "PLI/1/2", "Ti trọng đóng góp của KHCN", "17,5%", "10", "Chưa đạt")]


def _counts(page) -> dict[str, int]:
    return {k: int(metric(page, k)) for k in ("Đạt", "Chưa đạt", "Chưa có số liệu")}


def _login(page) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    rerun_after(page, sidebar.get_by_role("button", name="Đăng nhập", exact=True).click)
    sidebar.get_by_label("Tên đăng nhập", exact=True).fill(EDITOR[0])
    sidebar.get_by_label("Mật khẩu", exact=True).fill(EDITOR[1])
    rerun_after(page, sidebar.get_by_role("button", name="Đăng nhập", exact=True).click)
    assert WHO in sidebar.text_content()


def test_anonymous_visitor_cannot_write(page, server):
    open_page(page, server, INDICATORS.route, urlencode({"province": "Điện Biên", "year": "2026"}))
    assert errors_on(page) == []
    assert page.locator(EDITOR_GRID).count() == 0
    assert page.get_by_role("button", name="Lưu số liệu thực hiện").count() == 0
    assert "Chỉ cán bộ có quyền biên tập" in page.locator('[data-testid="stMain"]').text_content()
    assert "Quản trị" not in page.locator('[data-testid="stSidebarNav"]').text_content()


def test_entered_actual_changes_status_after_reload(page, server):
    open_page(page, server, INDICATORS.route, urlencode({"province": "Điện Biên", "year": "2026"}))
    _login(page)
    assert errors_on(page) == []
    before = _counts(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0  # nothing measured: no empty bars
    editor = page.locator(EDITOR_GRID)
    assert editor.count() == 1, "no data editor with key actuals_editor"

    for row, _, name, target, value, _ in ENTRIES:
        assert grid_cell(page, editor, row, "Chỉ tiêu").text_content().startswith(name)
        assert grid_cell(page, editor, row, "Mục tiêu").text_content() == target
        assert grid_cell(page, editor, row, "Trạng thái").text_content() == "Chưa có số liệu"
        cell = grid_cell(page, editor, row, "Thực hiện", cursor=True)
        edit_cell(page, cell, value)
        assert float(grid_cell(page, editor, row, "Thực hiện").text_content()) == float(value)

    rerun_after(page, page.get_by_role("button", name="Lưu số liệu thực hiện").click)
    assert errors_on(page) == []

    # the store of this session got the two rows, signed with the login, and an audit line
    with sqlite3.connect(server.paths["entries"]) as con:
        con.row_factory = sqlite3.Row
        saved = {r["indicator_id"]: r for r in con.execute("SELECT * FROM indicator_actuals")}
        audit = con.execute("SELECT actor, action, rows FROM audit WHERE action = 'enter_actuals'").fetchall()
        written = con.execute("SELECT target FROM audit WHERE action = 'enter_actuals'").fetchone()[0]
    for _, code, _, _, value, _ in ENTRIES:
        assert float(saved[code]["value"]) == float(value) and saved[code]["entered_by"] == WHO
    assert [tuple(a) for a in audit] == [(EDITOR[0], "enter_actuals", 2)]
    # the audit line says what was written: each target by the name the table shows, and its value
    assert written.startswith("003_912c6259a13f4ad4.txt: ") and "PLI/" not in written
    for _, _, name, _, value, _ in ENTRIES:
        assert f"» = {value}" in written and name in written

    page.reload(wait_until="domcontentloaded")
    wait_for_app(page)
    assert errors_on(page) == []
    assert WHO in page.locator('[data-testid="stSidebar"]').text_content()  # still logged in (signed cookie)
    editor = page.locator(EDITOR_GRID)
    for row, _, name, _, value, status in ENTRIES:
        assert grid_cell(page, editor, row, "Chỉ tiêu").text_content().startswith(name)
        assert grid_cell(page, editor, row, "Trạng thái").text_content() == status
        assert float(grid_cell(page, editor, row, "Thực hiện").text_content()) == float(value)
    # the chart now shows the two measured targets, and only them
    measured = page.locator('[data-testid="stPlotlyChart"]').locator(".js-plotly-plot").evaluate(
        "(gd) => gd.data.filter(t => t.name === 'Thực hiện').map(t => t.y.length)"
    )
    assert measured == [2]
    after = _counts(page)
    assert after == {
        "Đạt": before["Đạt"] + 1,
        "Chưa đạt": before["Chưa đạt"] + 1,
        "Chưa có số liệu": before["Chưa có số liệu"] - 2,
    }


def test_logout_lasts_across_a_reload(page, server):
    open_page(page, server, INDICATORS.route, urlencode({"province": "Điện Biên", "year": "2026"}))
    _login(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    page.wait_for_function("() => document.cookie.includes('skhcn_auth=')")
    kept = [c for c in page.context.cookies() if c["name"] == "skhcn_auth"]
    assert kept and kept[0]["sameSite"] == "Strict"  # HttpOnly cannot be set from JavaScript: docs/RELIABILITY.md
    rerun_after(page, sidebar.get_by_role("button", name="Đăng xuất", exact=True).click)
    assert page.locator(EDITOR_GRID).count() == 0  # read only at once
    page.reload(wait_until="domcontentloaded")
    wait_for_app(page)
    assert WHO not in sidebar.text_content()
    assert sidebar.get_by_role("button", name="Đăng nhập", exact=True).count() == 1
    assert page.locator(EDITOR_GRID).count() == 0
    # a copy of the cookie kept from before the logout no longer logs anyone in
    page.context.add_cookies(kept)
    page.reload(wait_until="domcontentloaded")
    wait_for_app(page)
    assert WHO not in sidebar.text_content()
    assert sidebar.get_by_role("button", name="Đăng nhập", exact=True).count() == 1
