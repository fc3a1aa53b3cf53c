"""Chỉ tiêu: a person types actuals into the table, signs and saves; after a reload the
targets' status follows the comparator ("Đạt" / "Chưa đạt"). The entries go to the
session's own journal (SKHCN_ENTRIES in the tmp dir), never to data/entries.

This file writes to the session's journal, so it is named to run after the other e2e files;
no other test depends on indicator actuals."""
from __future__ import annotations

import csv
from urllib.parse import urlencode

from tests.e2e.helpers import edit_cell, errors_on, grid_cell, metric
from tests.e2e.server import app_pages, open_page, rerun_after, wait_for_app

INDICATORS = next(p for p in app_pages() if p.script == "pages/chi-tieu.py")
EDITOR = '.st-key-actuals_editor [data-testid="stDataFrame"]'
WHO = "Nguyễn Thị Kiểm Thử"

# Kế hoạch 2026 of Điện Biên (003_912c6259a13f4ad4.txt): the first two targets, in %
# (more is better): PLI/1/1 "17%" and PLI/1/2 "17,5%".
ENTRIES = [(0, "PLI/1/1", "17%", "20", "Đạt"), (1, "PLI/1/2", "17,5%", "10", "Chưa đạt")]


def _counts(page) -> dict[str, int]:
    return {k: int(metric(page, k)) for k in ("Đạt", "Chưa đạt", "Chưa có số liệu")}


def test_entered_actual_changes_status_after_reload(page, server):
    open_page(page, server, INDICATORS.route, urlencode({"province": "Điện Biên", "year": "2026"}))
    assert errors_on(page) == []
    before = _counts(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0  # nothing measured: no empty bars
    editor = page.locator(EDITOR)
    assert editor.count() == 1, "no data editor with key actuals_editor"

    for row, code, target, value, _ in ENTRIES:
        assert grid_cell(page, editor, row, "Mã").text_content() == code
        assert grid_cell(page, editor, row, "Mục tiêu").text_content() == target
        assert grid_cell(page, editor, row, "Trạng thái").text_content() == "Chưa có số liệu"
        cell = grid_cell(page, editor, row, "Thực hiện", cursor=True)
        edit_cell(page, cell, value)
        assert float(grid_cell(page, editor, row, "Thực hiện").text_content()) == float(value)

    # saving without a name: a Vietnamese message, nothing written
    rerun_after(page, page.get_by_role("button", name="Lưu số liệu thực hiện").click)
    refused = page.locator('[data-testid="stAlertContentError"]').inner_text()
    assert refused == "Chưa lưu: hãy ghi tên người nhập (ít nhất 2 ký tự) rồi bấm Lưu lại."

    who = page.get_by_label("Người nhập", exact=True)
    rerun_after(page, lambda: (who.fill(WHO), who.press("Enter")))
    rerun_after(page, page.get_by_role("button", name="Lưu số liệu thực hiện").click)
    assert errors_on(page) == []

    # the journal of this session got the two rows, signed
    with open(server.paths["entries"], encoding="utf-8") as fh:
        saved = {r["indicator_id"]: r for r in csv.DictReader(fh)}
    for _, code, _, value, _ in ENTRIES:
        assert float(saved[code]["value"]) == float(value) and saved[code]["entered_by"] == WHO

    page.reload(wait_until="domcontentloaded")
    wait_for_app(page)
    assert errors_on(page) == []
    editor = page.locator(EDITOR)
    for row, code, _, value, status in ENTRIES:
        assert grid_cell(page, editor, row, "Mã").text_content() == code
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
