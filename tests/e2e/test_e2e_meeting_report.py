"""Tổng quan's meeting pack in the browser (issue 16): "Tóm tắt" at the top, a finding's
link opens the page that shows its figures, and one click on "Tải báo cáo họp" gives a Word
file and a PDF whose totals are the page's."""
from __future__ import annotations

from io import BytesIO
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from tests.e2e.helpers import errors_on, main_text, metric
from tests.e2e.server import app_pages, open_page, wait_for_app

OVERVIEW = next(p for p in app_pages() if p.script == "pages/tong-quan.py")
DIEN_BIEN_2024 = urlencode({"province": "Điện Biên", "year": "2024"})


@pytest.fixture()
def overview(page, server):
    open_page(page, server, OVERVIEW.route, DIEN_BIEN_2024)
    return page


def test_summary_on_top_and_a_finding_opens_its_page(overview):
    page = overview
    text = main_text(page)
    assert text.index("Tóm tắt") < text.index("Đối chiếu tổng cộng")
    assert "Dự toán 2024, theo dự toán giao đầu năm: tổng chi 11,52 tỷ đồng" in text
    assert metric(page, "Tổng chi") == "11.523.500.000 đ"
    links = page.get_by_role("link", name="Xem số liệu")
    assert links.count() >= 3
    # the finding about lines without a source opens Ngân sách filtered on them
    target = next(i for i in range(links.count()) if "source=UNSPECIFIED" in (links.nth(i).get_attribute("href") or ""))
    links.nth(target).click()
    page.wait_for_url("**/ngan-sach**")
    wait_for_app(page)
    q = parse_qs(urlparse(page.url).query)
    assert q["source"] == ["UNSPECIFIED"] and q["province"] == ["Điện Biên"] and q["year"] == ["2024"]
    assert metric(page, "Tổng chi theo bộ lọc") == "3.190.000.000 đ"
    assert errors_on(page) == []


def test_one_click_gives_the_word_and_the_pdf_report(overview, tmp_path):
    import docx
    import pdfplumber

    page = overview
    shown = metric(page, "Tổng chi")
    with page.expect_download(timeout=90_000) as dl:
        page.get_by_role("button", name="Tải báo cáo họp (.docx)").click()
    assert dl.value.suggested_filename == "bao-cao-hop_dien-bien_2024.docx"
    path = tmp_path / "r.docx"
    dl.value.save_as(path)
    doc = docx.Document(str(path))
    totals = [[c.text for c in t.rows[-1].cells] for t in doc.tables if t.rows[-1].cells[0].text == "Tổng cộng"]
    assert totals and all(shown.removesuffix(" đ") in row for row in totals)
    assert len(doc.inline_shapes) >= 2  # the charts, as pictures

    with page.expect_download(timeout=90_000) as dl:
        page.get_by_role("button", name="Tải báo cáo họp (.pdf)").click()
    assert dl.value.suggested_filename == "bao-cao-hop_dien-bien_2024.pdf"
    data = (tmp_path / "r.pdf")
    dl.value.save_as(data)
    with pdfplumber.open(BytesIO(data.read_bytes())) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "11.523.500.000" in text and "TÌNH HÌNH THỰC HIỆN" in text
    assert errors_on(page) == []
