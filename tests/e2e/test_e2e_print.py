"""Printing a page (Ctrl+P; issue 18, item 7): A4 portrait, the page's content without the
sidebar, the header or the toolbars, and charts and tables zoomed to the width of the paper
(``ui/style.css``, ``@media print``; ``ui/style.js`` measures the screen's width). Chromium's
own PDF printer (``page.pdf``, which lays the page out for print) makes the PDF; pdfplumber
reads where every letter and every drawn shape landed."""
from __future__ import annotations

import io

import pdfplumber
import pytest

from tests.e2e.helpers import main_text
from tests.e2e.server import ROOT, open_page

A4 = (595.3, 841.9)  # points
MARGIN = 12 / 25.4 * 72  # the 12 mm of @page, in points
SIDEBAR = ["Kế hoạch và kết quả", "Đăng nhập"]  # a section of the menu, the login button


def _pdf(page) -> bytes:
    return page.pdf(format="A4", prefer_css_page_size=True)


def _objects(p):
    """Every letter and drawn shape of a PDF page (Plotly's SVG prints as vector shapes)."""
    return p.chars + p.rects + p.lines + p.curves + p.images


@pytest.mark.parametrize("route, wanted", [
    ("ngan-sach", ["Ngân sách", "11.523.500.000 đ", "Theo nguồn kinh phí"]),
    ("thuc-hien", ["Thực hiện ngân sách", "Kế hoạch và thực hiện", "Năm 2020"]),
])
def test_a_page_prints_on_a4_without_the_sidebar(page, server, route, wanted):
    open_page(page, server, route)
    assert all(w in main_text(page) for w in wanted)
    data = _pdf(page)
    out = ROOT / "test-results" / "e2e"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"print-{route}.pdf").write_bytes(data)  # to look at (ignored by git)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = pdf.pages
        assert pages, "an empty PDF"
        text = "\n".join(p.extract_text() or "" for p in pages)
        for p in pages:
            assert (round(p.width, 0), round(p.height, 0)) == (round(A4[0], 0), round(A4[1], 0)), "not A4 portrait"
        for w in wanted:
            assert w in text.replace("\n", " "), f"{w!r} not printed"
        for w in SIDEBAR:
            assert w not in text, f"the sidebar is printed ({w!r})"
        charts = 0
        for number, p in enumerate(pages, start=1):
            objects = _objects(p)
            # nothing beyond the paper's margins: charts and tables fit the width
            right = max((o["x1"] for o in objects), default=0)
            left = min((o["x0"] for o in objects), default=MARGIN)
            assert right <= p.width - MARGIN + 1, f"page {number}: something reaches x = {right:.0f} pt (cut)"
            assert left >= MARGIN - 1, f"page {number}: something starts at x = {left:.0f} pt"
            charts += len(p.curves) + len(p.rects) > 20
        assert charts, "no chart was printed"
        # the content starts at the left margin: the sidebar's room is not left empty
        first = min(c["x0"] for c in pages[0].chars)
        assert first < MARGIN + 20
