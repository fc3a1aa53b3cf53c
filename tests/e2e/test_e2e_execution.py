"""Thực hiện ngân sách in a real browser over execution disclosures (``tests/versions_data.py``:
the shipped documents plus public forms of Lai Châu 2025 — an estimate, Quý I, 6 tháng, lũy
kế đến hết Quý III — and the variant disclosures and decisions): the quarter chart and table
are there, the derived quarters say so, the rate is against the latest version of the
estimate, and choosing another flow in the page's box redraws them. Its own server (the
session's server reads data/raw only)."""
from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import choose, errors_on, grid_cell, main_text, metric, trace_names
from tests.e2e.server import StreamlitServer, app_pages, build_warehouse, open_page
from tests.pages_helpers import english_or_code
from tests.versions_data import make_raw

EXECUTION = next(p for p in app_pages() if p.script == "pages/thuc-hien.py")
VERSIONS = next(p for p in app_pages() if p.script == "pages/dieu-chinh.py")
QUARTERS = "theo quý và lũy kế"


@pytest.fixture(scope="module")
def execution_server(tmp_path_factory, browser):
    base = tmp_path_factory.mktemp("e2e_execution")
    raw = make_raw(base / "documents")
    with StreamlitServer(build_warehouse(base, raw)) as s:
        yield s


def _grid(page):
    return page.locator('[data-testid="stDataFrame"]').first


def test_quarter_chart_and_table_on_the_execution_page(page, execution_server):
    open_page(page, execution_server, EXECUTION.route, "province=Lai Châu&year=2025")
    assert errors_on(page) == []
    assert metric(page, "Dự toán năm 2025") == "18.000.000.000 đ"
    assert metric(page, "Ước thực hiện lũy kế đến hết Quý III") == "12.150.000.000 đ"
    assert metric(page, "Tỷ lệ lũy kế / dự toán năm") == "67,5%"
    names = trace_names(page, QUARTERS)
    assert {"Ước thực hiện trong quý (văn bản ghi)", "Ước thực hiện trong quý (suy ra)", "Lũy kế từ đầu năm",
            "Tỷ lệ lũy kế / dự toán năm (%)"} == set(names)
    bars = page.locator('[data-testid="stPlotlyChart"]').filter(has_text=QUARTERS).locator("g.trace.bars g.point")
    assert bars.count() == 3  # Quý I stated, Quý II and III derived; nothing drawn for Quý IV
    grid = _grid(page)
    assert grid_cell(page, grid, 1, "Số trong quý lấy từ").inner_text().strip() == "suy ra từ 6 tháng đầu năm − Quý I"
    assert re.sub(r"\D", "", grid_cell(page, grid, 0, "Trong quý").inner_text()) == "3250000000"
    text = main_text(page)
    assert "Thực hiện theo quý so với dự toán năm" in text and "Dự toán giao đầu năm" in text
    assert english_or_code(text) == []


def test_another_flow_chosen_in_the_page(page, execution_server):
    open_page(page, execution_server, EXECUTION.route, "province=Lai Châu&year=2025")
    choose(page, "Khoản", "Thu phí, lệ phí")
    assert metric(page, "Ước thực hiện lũy kế đến hết Quý II") == "45.000.000 đ"
    assert "Ước thực hiện · Thu phí, lệ phí 2025 · Lai Châu" in main_text(page)
    assert errors_on(page) == []


def test_rate_follows_the_latest_decision(page, execution_server):
    open_page(page, execution_server, EXECUTION.route, "province=Nghệ An&year=2025")
    assert metric(page, "Dự toán năm 2025") == "28.381.200.000 đ"
    assert "Theo QĐ số 2874/QĐ-UBND, ngày 18/09/2025" in main_text(page)
    link = page.get_by_role("link", name="Xem các lần điều chỉnh dự toán năm này")
    link.click()
    page.wait_for_url(f"**/{VERSIONS.url_path}**")
    from tests.e2e.server import wait_for_app

    wait_for_app(page)
    assert metric(page, "Số quyết định điều chỉnh") == "2"
    assert errors_on(page) == []
