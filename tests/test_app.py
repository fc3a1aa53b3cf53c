"""AppTest runs each page over a real warehouse built from data/raw and finds its headline
figures (formatted the Vietnamese way)."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")

TIMEOUT = 60


@pytest.fixture()
def app(built_db, monkeypatch):
    monkeypatch.setenv("SKHCN_DB", str(built_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(built_db["raw"]))

    def make(page: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, at.exception
        if page:
            at.switch_page(page).run()
            assert not at.exception, at.exception
        return at

    return make


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.success]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_overview_headlines(app):
    at = app(province="Điện Biên", year="2024")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tổng chi"] == "11.523.500.000 đ"
    assert metrics["Tổng thu (phí, lệ phí)"] == "41.000.000 đ"
    assert metrics["Tổng cộng đã đối chiếu"] == "18/18 khớp"
    assert "khớp đến từng đồng" in texts(at)
    docs = at.dataframe[-1].value
    assert "000_3dbcd40b8eb90139.txt" in set(docs["Tệp"])


def test_budget_page_source_filter_from_url(app):
    at = app("pages/budget.py", province="Điện Biên", year="2024", source="SNKH")
    assert at.metric[0].value == "7.636.000.000 đ"
    at = app("pages/budget.py", province="Điện Biên", year="2024", source="QLNN")
    assert at.metric[0].value == "307.500.000 đ"
    table = at.dataframe[0].value
    assert set(table["Nguồn"]) == {"Quản lý nhà nước (QLNN)"}
    assert {"Văn bản", "Dòng"} <= set(table.columns)


def test_budget_page_writes_filters_to_url(app):
    at = app("pages/budget.py", province="Điện Biên", year="2024")
    assert at.metric[0].value == "11.523.500.000 đ"
    at.multiselect(key="w_source").select("QLNN").run()
    assert at.metric[0].value == "307.500.000 đ"
    assert at.query_params["source"] == ["QLNN"] or at.query_params["source"] == "QLNN"
    at.selectbox(key="w_direction").select("revenue").run()
    assert at.metric[0].value == "0 đ"  # no fee revenue is SNKH/QLNN
    at.multiselect(key="w_source").unselect("QLNN").run()
    assert at.metric[0].value == "41.000.000 đ"


def test_execution_page(app):
    at = app("pages/execution.py", province="Điện Biên")
    assert "6 tháng đầu năm" in texts(at)
    first = at.dataframe[0].value
    assert "13.734.000.000 đ" in set(first["KH UBND giao"])
    assert "99,9%" in set(first["Tỷ lệ"])
    assert any(m.value == "30.906.300.000 đ" for m in at.metric)
