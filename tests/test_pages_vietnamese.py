"""Every page, as a new user opens it and in a few other views: Vietnamese only (no None,
nan, snake_case codes or English words in texts, table headers, table cells or charts), the
same default province and year everywhere, one province per page (So sánh aside)."""
import pytest

from tests.e2e.server import app_pages
from tests.pages_helpers import (
    chart_texts,
    charts,
    english_or_code,
    open_page,
    table_texts,
    texts,
)

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
