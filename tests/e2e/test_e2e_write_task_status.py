"""Nhiệm vụ: a 2024 plan is judged as of its year end (not today); an editor chooses a task
with the keyboard and records that it was not completed; the task becomes "Quá hạn" — the
only way a task is overdue. The record goes to the session's journal (beside SKHCN_ENTRIES).

This file writes to the session's journal, so it is named to run after the page tests."""
from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import urlencode

from tests.e2e.helpers import chips, choose, combobox_value, errors_on, grid_cell, metric, remove_chip, select_row
from tests.e2e.server import app_pages, open_page, rerun_after

TASKS = next(p for p in app_pages() if p.script == "pages/nhiem-vu.py")
DUE = "Đến hạn, chưa ghi nhận kết quả"
LATE = "Quá hạn (đã xác nhận chưa xong)"
WHO = "Trần Văn Kiểm Thử"


def test_editor_records_a_task_not_completed(page, server):
    # the status filter in the address (see test_e2e_budget: the grid ignores the keyboard
    # after a rerun that replaced its rows)
    open_page(page, server, TASKS.route, urlencode({"province": "Sóc Trăng", "year": "2024", "status": DUE}))
    shown = page.get_by_role("group", name="Ngày tham chiếu").inner_text()
    assert "".join(shown.split()) == "31/12/2024"  # the plan year is over: judged at its end
    assert metric(page, DUE) == "78" and metric(page, LATE) == "0"
    assert combobox_value(page, "Tỉnh") == "Sóc Trăng"
    assert chips(page, "Tình trạng") == [DUE]
    grid = page.locator('.st-key-task_table [data-testid="stDataFrame"]')
    name = grid_cell(page, grid, 0, "Nhiệm vụ").text_content()
    select_row(page, grid, 0)
    form = page.locator('[data-testid="stForm"]')
    assert form.count() == 1, "no form to record the task's result"
    form.get_by_text("Chưa hoàn thành", exact=True).click()
    form.get_by_label("Ghi chú (văn bản, báo cáo làm căn cứ)").fill("Báo cáo quý IV/2024")
    form.get_by_label("Người ghi nhận").fill(WHO)
    rerun_after(page, form.get_by_role("button", name="Ghi nhận").click)
    assert errors_on(page) == []

    assert metric(page, LATE) == "1" and metric(page, DUE) == "77"
    journal = Path(server.paths["entries"]).parent / "task_status.csv"
    with open(journal, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["status"], r["recorded_by"], r["note"]) for r in rows] == [("not_done", WHO, "Báo cáo quý IV/2024")]
    # the task shows its new status in the list
    remove_chip(page, "Tình trạng", DUE)
    choose(page, "Tình trạng", "Quá hạn")
    assert grid_cell(page, grid, 0, "Tình trạng").text_content() == "Quá hạn"
    assert grid_cell(page, grid, 0, "Nhiệm vụ").text_content() == name
