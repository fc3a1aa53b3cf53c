"""Nhiệm vụ: a 2024 plan is judged as of its year end (not today); an anonymous visitor
chooses a task and sees no way to record it; an editor logs in, chooses a task with the
keyboard and records that it was not completed; the task becomes "Quá hạn" — the only way a
task is overdue. The record goes to the session's state store (SKHCN_ENTRIES, table
``task_status``), signed with the editor's name, with an audit row of the editor's login.

This file writes to the session's store, so it is named to run after the page tests."""
from __future__ import annotations

import sqlite3
from urllib.parse import urlencode

from tests.e2e.helpers import (
    chips,
    choose,
    combobox_value,
    errors_on,
    grid_cell,
    login,
    metric,
    remove_chip,
    select_row,
)
from tests.e2e.server import EDITOR, app_pages, open_page, rerun_after

TASKS = next(p for p in app_pages() if p.script == "pages/nhiem-vu.py")
DUE = "Đến hạn, chưa ghi nhận kết quả"
LATE = "Quá hạn (đã xác nhận chưa xong)"
WHO = "Nguyễn Thị Kiểm Thử"  # the editor's name in the accounts file (tests/e2e/server.py)
QUERY = urlencode({"province": "Sóc Trăng", "year": "2024", "status": DUE})
GRID = '.st-key-task_table [data-testid="stDataFrame"]'


def test_anonymous_visitor_sees_the_task_read_only(page, server):
    open_page(page, server, TASKS.route, QUERY)
    grid = page.locator(GRID)
    assert grid_cell(page, grid, 0, "Nhiệm vụ").text_content()  # the grid is drawn
    select_row(page, grid, 0)
    assert errors_on(page) == []
    assert "Tình trạng" in page.locator('[data-testid="stMain"]').text_content()
    assert page.locator('[data-testid="stForm"]').count() == 0
    assert page.get_by_role("button", name="Ghi nhận", exact=True).count() == 0
    assert "Chỉ cán bộ có quyền biên tập mới ghi nhận được kết quả" in page.locator('[data-testid="stMain"]').text_content()


def test_editor_records_a_task_not_completed(page, server):
    # the status filter in the address (see test_e2e_budget)
    open_page(page, server, TASKS.route, QUERY)
    login(page, *EDITOR)
    # opened afresh, logged in by the signed cookie: Glide (the grid) ignores the keyboard
    # after a rerun that replaced its rows (the login's), so the keyboard user starts fresh
    open_page(page, server, TASKS.route, QUERY)
    assert WHO in page.locator('[data-testid="stSidebar"]').text_content()
    shown = page.get_by_role("group", name="Ngày tham chiếu").inner_text()
    assert "".join(shown.split()) == "31/12/2024"  # the plan year is over: judged at its end
    assert metric(page, DUE) == "78" and metric(page, LATE) == "0"
    assert combobox_value(page, "Tỉnh") == "Sóc Trăng"
    assert chips(page, "Tình trạng") == [DUE]
    grid = page.locator(GRID)
    name = grid_cell(page, grid, 0, "Nhiệm vụ").text_content()
    select_row(page, grid, 0)
    form = page.locator('[data-testid="stForm"]')
    assert form.count() == 1, "no form to record the task's result"
    assert form.get_by_label("Người ghi nhận").count() == 0  # the name comes from the login
    assert WHO in form.text_content()
    form.get_by_text("Chưa hoàn thành", exact=True).click()
    form.get_by_label("Ghi chú (văn bản, báo cáo làm căn cứ)").fill("Báo cáo quý IV/2024")
    rerun_after(page, form.get_by_role("button", name="Ghi nhận").click)
    assert errors_on(page) == []

    assert metric(page, LATE) == "1" and metric(page, DUE) == "77"
    with sqlite3.connect(server.paths["entries"]) as con:
        rows = con.execute("SELECT status, recorded_by, note FROM task_status").fetchall()
        log = con.execute("SELECT actor, role, action, rows FROM audit WHERE action = 'enter_task_status'").fetchall()
    assert rows == [("not_done", WHO, "Báo cáo quý IV/2024")]
    assert log == [(EDITOR[0], "editor", "enter_task_status", 1)]
    # the task shows its new status in the list
    remove_chip(page, "Tình trạng", DUE)
    choose(page, "Tình trạng", "Quá hạn")
    assert grid_cell(page, grid, 0, "Tình trạng").text_content() == "Quá hạn"
    assert grid_cell(page, grid, 0, "Nhiệm vụ").text_content() == name
