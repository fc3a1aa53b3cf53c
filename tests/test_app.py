"""AppTest runs the budget pages over a real warehouse built from data/raw: headline figures
(formatted the Vietnamese way) within one stated scope, amounts kept as numbers in tables,
lines without a source explained, the execution rate as the headline."""
import pandas as pd
import pytest

from charts.theme import SOURCE_LABELS
from tests.pages_helpers import charts, metrics, open_page, texts

BUDGET = "pages/ngan-sach.py"
EXECUTION = "pages/thuc-hien.py"


@pytest.fixture()
def app(built_db, monkeypatch):
    monkeypatch.setenv("SKHCN_DB", str(built_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(built_db["raw"]))
    return open_page


def test_overview_headlines_state_their_scope(app):
    at = app()  # no parameters: the default province and year
    assert [s.value for s in at.selectbox[:2]] == ["Điện Biên", 2024]
    m = metrics(at)
    assert m["Tổng chi"] == "11.523.500.000 đ"
    assert m["Tổng thu (phí, lệ phí)"] == "41.000.000 đ"
    assert m["Tổng cộng đã đối chiếu"] == "18/18 khớp"
    shown = texts(at)
    assert "Dự toán 2024 · Điện Biên · chỉ các dòng chi tiết" in shown
    assert "khớp đến từng đồng" in shown
    by_source = at.dataframe[0].value  # shown through a Styler: the values stay numbers
    assert by_source["Số tiền"].dtype.kind == "i"
    assert int(by_source["Số tiền"].sum()) == 11_523_500_000
    docs = at.dataframe[-1].value
    assert set(docs["Tệp"]) == {"000_3dbcd40b8eb90139.txt", "001_3dc3e512645fa543.txt", "003_912c6259a13f4ad4.txt"}  # Điện Biên only


def test_overview_shows_sources_as_a_table_and_draws_the_chart_on_request(app):
    at = app(province="Điện Biên", year="2024")
    assert [t.label for t in at.tabs] == ["Bảng", "Biểu đồ"]
    assert charts(at) == []  # a new session's first page loads no chart code (issue 17)
    table = at.dataframe[0].value
    at.session_state["source_view"] = "Biểu đồ"
    at.run()
    assert not at.exception, at.exception
    (chart,) = charts(at)
    bar = chart["data"][0]
    assert sorted(bar["customdata"]) == sorted(table["Nguồn"].map({v: k for k, v in SOURCE_LABELS.items()}))
    assert chart["layout"]["title"]["text"].startswith("Theo nguồn kinh phí — Dự toán 2024, Điện Biên")
    assert metrics(at)["Tổng chi"] == "11.523.500.000 đ"  # the same scope, one click later


def test_overview_explains_unspecified_source_and_links_to_its_lines(app):
    at = app(province="Điện Biên", year="2024")
    note = next(i.value for i in at.info if "Chưa ghi nguồn" in i.value)
    assert "34 dòng, 3.190.000.000 đ (27,7% tổng chi)" in note
    assert "không ghi nguồn kinh phí" in note
    # the note's own link (the links of "Tóm tắt", "Xem số liệu", come before it)
    link = next(x.proto for x in at.get("page_link") if x.proto.label != "Xem số liệu")
    assert link.label == "Xem 34 dòng chưa ghi nguồn" and link.page == "ngan-sach"
    assert "source=UNSPECIFIED" in link.query_string
    # following the link: the budget page narrowed to exactly those lines
    query = dict(pair.split("=", 1) for pair in link.query_string.split("&"))
    from urllib.parse import unquote_plus

    at = app(BUDGET, **{k: unquote_plus(v) for k, v in query.items()})
    assert metrics(at)["Tổng chi theo bộ lọc"] == "3.190.000.000 đ"
    assert len(at.dataframe[0].value) == 34


def test_a_scope_never_mixes_kinds(app):
    """Điện Biên 2026 holds only project envelopes: the headline names them, not "Tổng chi"."""
    at = app(province="Điện Biên", year="2026")
    m = metrics(at)
    assert "Tổng chi" not in m and m["Kinh phí dự kiến của dự án"] == "141.500.000.000 đ"
    assert "Đề xuất 2026 · Điện Biên · kinh phí dự kiến của dự án" in texts(at)
    at = app(province="Sóc Trăng", year="2024")
    assert metrics(at)["Kinh phí đề xuất của nhiệm vụ"] == "1.800.506.000 đ"


def test_budget_page_source_filter_from_url(app):
    at = app(BUDGET, province="Điện Biên", year="2024", source="SNKH")
    assert at.metric[0].value == "7.636.000.000 đ"
    at = app(BUDGET, province="Điện Biên", year="2024", source="QLNN")
    assert at.metric[0].value == "307.500.000 đ"
    table = at.dataframe[0].value
    assert set(table["Nguồn"]) == {"Quản lý nhà nước (QLNN)"}
    assert {"Văn bản", "Dòng"} <= set(table.columns)


def test_budget_amounts_sort_by_value(app):
    at = app(BUDGET, province="Điện Biên", year="2024")
    table = at.dataframe[0].value
    assert pd.api.types.is_integer_dtype(table["Số tiền"])  # a number column, not text
    ordered = table.sort_values("Số tiền", ascending=False)["Số tiền"].tolist()
    assert ordered[0] == 3_300_000_000 and 80_000_000 in ordered[5:]


def test_budget_page_writes_filters_to_url(app):
    at = app(BUDGET, province="Điện Biên", year="2024")
    assert at.metric[0].value == "11.523.500.000 đ"
    at.multiselect(key="w_source").select("QLNN").run()
    assert at.metric[0].value == "307.500.000 đ"
    assert at.query_params["source"] == ["QLNN"] or at.query_params["source"] == "QLNN"
    at.selectbox(key="w_direction").select("revenue").run()
    assert at.metric[0].value == "0 đ"  # no fee revenue is SNKH/QLNN
    at.multiselect(key="w_source").unselect("QLNN").run()
    assert at.metric[0].value == "41.000.000 đ"


def test_unit_chart_groups_by_kind_and_names_the_printed_units(app, built_db):
    from warehouse.queries import BudgetFilter, Warehouse

    at = app(BUDGET, province="Điện Biên", year="2024")
    # one chart tab drawn at a time: the first shows source and quarter, not the units
    assert [f["layout"]["title"]["text"].split(" (")[0] for f in charts(at)] == \
        ["Theo nguồn kinh phí", "Theo quý — dòng nhiều quý / cả năm để riêng"]
    at.session_state["chart_view"] = "Theo phòng/đơn vị"  # the reader opens the second tab
    at.run()
    assert not at.exception, at.exception
    (unit_chart,) = charts(at)
    assert "phòng/đơn vị" in unit_chart["layout"]["title"]["text"]
    bar = unit_chart["data"][0]
    stored = Warehouse(built_db["db"]).totals_by(BudgetFilter("Điện Biên", 2024, "approved", "dự toán", kind="budget"), "unit_group")
    assert set(bar["customdata"]) == set(stored["unit_group"])  # the warehouse's groups, none relabelled by the page
    assert "Trung tâm Ứng dụng KH&CN" in set(bar["customdata"])  # a kind …
    hover = " ".join(bar["hovertext"])
    assert "Như in: Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ" in hover  # … and the name as printed
    assert bar["marker"]["color"] == "#546e7a"  # one series: not a funding-source colour
    table = at.dataframe[0].value
    assert "Kế hoạch - Quản lý khoa học" in set(table["Phòng/đơn vị (như in)"])  # lines show the printed name


def test_execution_rate_is_the_headline(app):
    at = app(EXECUTION, province="Điện Biên")
    m = metrics(at)
    assert m["Tỷ lệ thực hiện 2020"] == "99,9%"
    assert m["Tỷ lệ thực hiện 2021 (6 tháng đầu năm)"] == "58,9%"
    assert "6 tháng đầu năm" in texts(at)
    first = at.dataframe[0].value
    assert 13_734_000_000 in set(first["KH UBND giao"])
    assert round(float(first["Tỷ lệ"].iloc[0]), 1) == 99.9
    assert m["Tổng dự toán đề xuất 2022"] == "30.906.300.000 đ"
    plan_chart = charts(at)[0]
    assert {t["name"] for t in plan_chart["data"]} == {"KHTW giao", "KH UBND giao", "Thực hiện", "Thực hiện 6 tháng đầu năm"}
    assert {x for t in plan_chart["data"] for x in t["x"]} == {"2020", "2021"}  # the 2022 proposal is not a plan
