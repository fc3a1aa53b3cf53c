"""AppTest of the pages that show budget versions and execution by quarter, over the warehouse
of ``tests/versions_data.py``: Thực hiện ngân sách (quarter table and chart, derived quarters
labelled, the estimate's version named), Điều chỉnh dự toán (versions, what a decision moved),
Ngân sách (the as-of selector, latest by default, one version at a time), Tổng quan and Kho
dữ liệu (percentages that do not match, with document, line and cell), Xu hướng (the latest
version of each year, said) and the form downloads of Nhập dữ liệu — no exception, Vietnamese
only."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages_helpers import APP, chart_texts, charts, english_or_code, metrics, open_page, table_texts, texts
from tests.versions_data import make_raw
from warehouse import users

EXECUTION = "pages/thuc-hien.py"
VERSIONS = "pages/dieu-chinh.py"
BUDGET = "pages/ngan-sach.py"
OVERVIEW = "pages/tong-quan.py"
TRENDS = "pages/xu-huong.py"


@pytest.fixture(scope="module")
def versions_db(tmp_path_factory):
    from warehouse.store import build

    base = tmp_path_factory.mktemp("versions_pages")
    raw = make_raw(base / "raw")
    db = base / "warehouse.duckdb"
    build(raw, db)
    return {"raw": raw, "db": db}


@pytest.fixture()
def app(versions_db, monkeypatch, tmp_path):
    monkeypatch.setenv("SKHCN_DB", str(versions_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(versions_db["raw"]))
    monkeypatch.setenv("SKHCN_ENTRIES", str(tmp_path / "entries.sqlite"))
    return open_page


def _vietnamese_only(at: AppTest) -> None:
    assert english_or_code(texts(at)) == []
    assert english_or_code(table_texts(at)) == []
    for fig in charts(at):
        assert english_or_code(chart_texts(fig)) == [], fig["layout"]["title"]["text"]


def _frame(element):
    value = element.value
    return value.data if hasattr(value, "data") and not hasattr(value, "columns") else value


def test_execution_by_quarter_with_derived_quarters(app):
    at = app(EXECUTION, province="Lai Châu", year="2025")
    m = metrics(at)
    assert m["Dự toán năm 2025"] == "18.000.000.000 đ"
    assert m["Ước thực hiện lũy kế đến hết Quý III"] == "12.150.000.000 đ"
    assert m["Tỷ lệ lũy kế / dự toán năm"] == "67,5%"
    shown = texts(at)
    assert "Thực hiện theo quý so với dự toán năm" in shown
    assert "Dự toán năm theo: **Dự toán giao đầu năm**" in shown
    assert "Thực hiện và ước thực hiện là hai loại số liệu khác nhau" in shown
    table = _frame(at.dataframe[0])
    assert list(table["Quý"]) == ["Quý I", "Quý II", "Quý III", "Quý IV"]
    assert list(table["Trong quý"][:3]) == [3_250_000_000, 4_100_000_000, 4_800_000_000]
    assert list(table["Số trong quý lấy từ"]) == ["văn bản", "suy ra từ 6 tháng đầu năm − Quý I",
                                                 "suy ra từ 9 tháng đầu năm − 6 tháng đầu năm", "chưa có số liệu"]
    assert table["Trong quý"].dtype.kind in "iu" or str(table["Trong quý"].dtype) == "Int64"  # numbers, not text
    (chart,) = charts(at)
    names = {t["name"] for t in chart["data"]}
    assert {"Ước thực hiện trong quý (văn bản ghi)", "Ước thực hiện trong quý (suy ra)", "Lũy kế từ đầu năm",
            "Tỷ lệ lũy kế / dự toán năm (%)"} == names
    derived = next(t for t in chart["data"] if t["name"].endswith("(suy ra)"))
    assert derived["x"] == ["Quý II", "Quý III"] and derived["marker"]["pattern"]["shape"] == "/"
    _vietnamese_only(at)


def test_execution_stage_and_flow_chosen(app):
    at = app(EXECUTION, province="Lai Châu", year="2025", exstage="thực hiện")
    assert "**Thực hiện · Chi ngân sách nhà nước 2025 · Lai Châu" in texts(at)
    table = _frame(at.dataframe[0])
    assert list(table["Trong quý"].isna()) == [True, False, True, True]  # Quý II only: nothing from the estimates
    assert not any(label.startswith("Thực hiện lũy kế") for label in metrics(at))  # no year to date is known
    at = app(EXECUTION, province="Nghệ An", year="2025", flow="revenue")
    shown = texts(at)
    assert "Ước thực hiện · Thu phí, lệ phí 2025 · Nghệ An" in shown
    assert metrics(at)["Ước thực hiện lũy kế đến hết Quý I"] == "57.350.000 đ"
    _vietnamese_only(at)


def test_execution_follows_the_latest_version_and_shows_the_schedule(app):
    at = app(EXECUTION, province="Nghệ An", year="2025")
    assert metrics(at)["Dự toán năm 2025"] == "28.381.200.000 đ"
    assert "Theo QĐ số 2874/QĐ-UBND, ngày 18/09/2025" in texts(at)
    at = app(EXECUTION, province="Điện Biên", year="2024")
    shown = texts(at)
    assert "Lịch dự kiến" in shown and "Kế hoạch và thực hiện theo năm" in shown  # both views of Điện Biên
    table = _frame(at.dataframe[0])
    assert "Lịch dự kiến trong quý" in table.columns
    assert table["Lịch dự kiến trong quý"].notna().tolist() == [False, True, False, False]  # only beside Quý II
    assert metrics(at)["Tỷ lệ thực hiện 2020"] == "99,9%"  # the plan view below is unchanged
    _vietnamese_only(at)


def test_versions_page_lists_decisions_and_moves(app):
    at = app(VERSIONS, province="Nghệ An", year="2025")
    m = metrics(at)
    assert m["Số quyết định điều chỉnh"] == "2"
    assert m["Dự toán mới nhất (chi)"] == "28.381.200.000 đ"
    versions = _frame(at.dataframe[0])
    assert list(versions["Phiên bản"]) == ["Dự toán giao đầu năm", "Theo QĐ số 1456/QĐ-UBND, ngày 20/05/2025",
                                           "Theo QĐ số 2874/QĐ-UBND, ngày 18/09/2025 (mới nhất)"]
    assert list(versions["Nối tiếp phiên bản trước"]) == ["—", "khớp", "khớp"]
    moves = _frame(at.dataframe[1])
    assert set(moves["Văn bản"]) == {"adj_2025_r2_nghean.xlsx"}  # the latest decision by default
    assert -1_000_000_000 in set(moves["Điều chỉnh tăng (+), giảm (−)"])
    at.selectbox(key="w_decision").select("adj_2025_r1_nghean.docx|1456/QĐ-UBND").run()
    moves = _frame(at.dataframe[1])
    assert set(moves["Văn bản"]) == {"adj_2025_r1_nghean.docx"} and -420_000_000 in set(moves["Điều chỉnh tăng (+), giảm (−)"])
    assert "văn bản ghi tăng 450.000.000 đ, giảm 450.000.000 đ — khớp" in texts(at)
    _vietnamese_only(at)
    at = app(VERSIONS, province="Lai Châu", year="2025")
    assert "chưa có quyết định điều chỉnh dự toán nào" in texts(at)


def test_budget_page_follows_one_version(app):
    at = app(BUDGET, province="Nghệ An", year="2025")
    assert metrics(at)["Tổng chi theo bộ lọc"] == "28.381.200.000 đ"  # the latest decision, not the sum of versions
    box = at.selectbox(key="w_version")
    assert box.label == "Theo phiên bản dự toán" and box.value.endswith("2874/QĐ-UBND")
    assert "Số liệu theo phiên bản dự toán: **Theo QĐ số 2874/QĐ-UBND, ngày 18/09/2025**" in texts(at)
    box.select("original").run()
    assert metrics(at)["Tổng chi theo bộ lọc"] == "28.543.200.000 đ"  # the estimate disclosure alone (fees included)
    assert at.query_params["version"] in (["original"], "original")
    _vietnamese_only(at)
    # a year held by several documents without a decision: one version, no box
    at = app(BUDGET, province="Lai Châu", year="2025")
    assert metrics(at)["Tổng chi theo bộ lọc"] == "18.000.000.000 đ"  # not 5 × the estimate the forms print
    assert not [b for b in at.selectbox if b.label == "Theo phiên bản dự toán"]


def test_budget_page_counts_one_execution_period(app):
    """Lai Châu 2025 "ước thực hiện" is held for Quý I, 6 tháng and lũy kế 9 tháng: the page
    counts the year to date once and offers each period on its own."""
    at = app(BUDGET, province="Lai Châu", year="2025", stage="executed|ước thực hiện|budget")
    assert metrics(at)["Tổng chi theo bộ lọc"] == "12.150.000.000 đ"  # lũy kế 9 tháng, not Q1 + 6 tháng + 9 tháng
    box = at.selectbox(key="w_period")
    assert box.label == "Kỳ số liệu" and box.value == "counted"
    assert "**Ước thực hiện 2025 · kỳ: 9 tháng đầu năm (lũy kế) · Lai Châu" in texts(at)
    box.select("11").run()
    assert metrics(at)["Tổng chi theo bộ lọc"] == "3.250.000.000 đ"
    assert "**Ước thực hiện 2025 · kỳ: Quý I · Lai Châu" in texts(at)
    _vietnamese_only(at)


def test_overview_shows_ratio_mismatches(app):
    at = app(OVERVIEW, province="Quảng Ninh", year="2023")
    shown = texts(at)
    assert "1 tỷ lệ % in trong văn bản năm 2023 KHÔNG khớp" in shown
    # the place a reader of the PDF finds the cell, not the line of the extracted text (issue 18, item 5)
    assert ("**exec_year_2023_quangninh_so.pdf**, **trang 4, bảng 1, hàng 4, cột 5** — Thực hiện/Dự toán năm (%), "
            "dòng 2.3: in **7.350**, tính từ số tiền **24**") in shown
    assert metrics(at)["Tổng thu (phí, lệ phí)"] == "—"  # a decision states no fees
    _vietnamese_only(at)


def test_data_page_shows_ratio_mismatches(versions_db, monkeypatch, editor_account):
    monkeypatch.setenv("SKHCN_DB", str(versions_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(versions_db["raw"]))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = editor_account
    at.session_state["session_version"] = users.current_session(editor_account)  # a live login (ui.auth)
    at.run()
    at.switch_page("pages/kho-du-lieu.py").run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "1 tỷ lệ % in trong văn bản KHÔNG khớp với số tiền của cùng dòng" in shown
    assert "**exec_year_2023_quangninh_so.pdf**, **trang 4, bảng 1, hàng 4, cột 5**" in shown


def test_trends_follow_the_latest_version(app):
    at = app(TRENDS, province="Quảng Ninh")
    shown = texts(at)
    assert "2023: theo QĐ số 3380/QĐ-UBND, ngày 14/11/2023 (adj_2023_r2_quangninh.pdf)" in shown
    changes = _frame(at.dataframe[0])
    estimate = changes[changes["Giai đoạn · loại số liệu"] == "Dự toán"]
    assert list(estimate["Số tiền"]) == [66_737_400_000]  # one estimate, never the rounds added
    assert list(estimate["Phiên bản dự toán"]) == ["theo QĐ số 3380/QĐ-UBND, ngày 14/11/2023"]
    (trend,) = [f for f in charts(at) if "theo năm và giai đoạn" in f["layout"]["title"]["text"]]
    assert "Dự toán sau điều chỉnh" not in {t["name"] for t in trend["data"]}
    _vietnamese_only(at)


def test_changes_outside_any_decision_are_shown_as_they_are(versions_db, tmp_path, monkeypatch):
    """A data-entry template may carry "điều chỉnh" lines of a year without any decision: the
    scope is that stage as held, no decision box."""
    import shutil

    from openpyxl import load_workbook

    from loaders.families.templates import SPECS, write_template
    from loaders.families.templates.spec import FIRST_DATA_ROW
    from warehouse import store

    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    shutil.copytree(versions_db["raw"], raw)
    shutil.copyfile(versions_db["db"], db)
    path = write_template("budget", tmp_path / "mau.xlsx", year=2026)
    wb = load_workbook(path)
    ws = wb[SPECS["budget"].sheet]
    for r, row in enumerate([["1", "Hội nghị", "Văn phòng Sở", "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý II", "Chi", 100_000_000],
                             ["2", "Giảm hội nghị", "Văn phòng Sở", "Sự nghiệp KH&CN (SNKH)", "điều chỉnh", "Quý II", "Chi",
                              -30_000_000]], start=FIRST_DATA_ROW):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    wb.save(path)
    store.ingest(path, db, raw, store.Overrides(province="Lai Châu"))
    monkeypatch.setenv("SKHCN_DB", str(db))
    monkeypatch.setenv("SKHCN_RAW", str(raw))
    at = open_page(BUDGET, province="Lai Châu", year="2026", stage="adjusted|điều chỉnh|budget")
    assert metrics(at)["Tổng chi theo bộ lọc"] == "-30.000.000 đ"
    assert not [b for b in at.selectbox if b.label.startswith("Theo")]
    at = open_page(BUDGET, province="Lai Châu", year="2026")
    assert metrics(at)["Tổng chi theo bộ lọc"] == "100.000.000 đ"


def test_comparison_counts_one_period_and_says_which(app):
    at = app("pages/so-sanh.py", scope="ước thực hiện:budget")
    summary = _frame(at.dataframe[0])
    row = summary[(summary["Tỉnh"] == "Lai Châu") & (summary["Năm"] == 2025)].iloc[0]
    assert row["Số tiền"] == 12_150_000_000  # lũy kế 9 tháng, not Quý I + 6 tháng + 9 tháng
    assert row["Kỳ số liệu"] == "9 tháng đầu năm" and row["Văn bản"] == "bieu03_q3_lk_laichau_2025.xlsx"
    assert "Số thực hiện của mỗi tỉnh là của kỳ ghi ở cột «Kỳ số liệu»" in texts(at)
    at = app("pages/so-sanh.py", scope="dự toán:budget")
    summary = _frame(at.dataframe[0])
    row = summary[(summary["Tỉnh"] == "Lai Châu") & (summary["Năm"] == 2025)].iloc[0]
    assert row["Số tiền"] == 18_000_000_000  # the estimate disclosure, not restated by each report
    _vietnamese_only(at)
