"""The meeting pack (issue 16): findings from rules, Tóm tắt on Tổng quan, the Word and PDF
report and its command line, over a warehouse built from the shipped documents."""
from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charts import format as fmt
from reports import findings as rules
from reports import images
from reports.content import Picture, build_report
from reports.docx import to_docx
from reports.pdf import to_pdf
from warehouse.queries import Warehouse

TODAY = date(2026, 12, 7)
DB_2024_TOTAL = 11_523_500_000  # Điện Biên, dự toán 2024: the TỔNG CỘNG of 000_3dbcd40b8eb90139.txt
# a number in a sentence: digits with Vietnamese separators, not part of a word or code ("PI-1")
NUMBER = re.compile(r"(?<![\w\-/])\d+(?:[.,]\d+)*")
PERIODS = ("6 tháng đầu năm", "9 tháng đầu năm")


@pytest.fixture(scope="module")
def wh(built_db):
    return Warehouse(built_db["db"])


def pairs(wh) -> list[tuple[str, int]]:
    """Every province-year the warehouse holds budget lines, targets or tasks for."""
    out = set()
    for p in set(wh.provinces()) | set(wh.task_provinces()) | set(wh.indicator_provinces()):
        out |= {(p, y) for y in set(wh.years(p)) | set(wh.task_years(p)) | set(wh.indicator_years(p))}
    return sorted(out)


def _formatted(f: rules.Figure) -> str:
    if f.unit == "đồng":
        return f.text if f.text == fmt.vnd(f.value) else fmt.vnd_phrase(f.value)
    if f.unit == "%":
        return fmt.pct(f.value)
    if f.unit == "đồng/người":
        return f"{fmt.number(f.value)} đồng/người"
    return fmt.number(f.value)


def check_finding(wh, f: rules.Finding, year: int) -> None:
    """Every number of the sentence is the text of one of its figures (or a year, the
    reference day of tasks or a decision's date, a document number, a name quoted as printed,
    a period's name "6 tháng đầu năm"); every
    figure is written as its value formats; a money figure that sums a filter equals the
    page's query over that filter; a figure printed in a document names it and its line."""
    covered = []
    for fig in f.figures:
        assert fig.text in f.sentence, (fig.text, f.sentence)
        assert fig.text == _formatted(fig), (fig, f.sentence)
        assert fig.document or fig.query, fig
        if fig.document:
            assert fig.line and fig.line > 0
        if fig.filter is not None:
            assert wh.total(fig.filter) == fig.value, (fig, f.sentence)
        start = 0
        while (i := f.sentence.find(fig.text, start)) >= 0:
            covered.append((i, i + len(fig.text)))
            start = i + 1
    text = f.sentence
    for label in PERIODS:
        text = text.replace(label, " " * len(label))
    # dates (the reference day, a decision's date) and document numbers ("QĐ số 2215/QĐ-STC") are names, not figures
    # and so are names quoted as printed (“Thực hiện quý II / 1 (I)”, an indicator's name)
    text = re.sub(r"\d{2}/\d{2}/\d{4}|(?<=số )\S+|\u201c[^\u201d]*\u201d", lambda m: " " * len(m.group(0)), text)
    for m in NUMBER.finditer(text):
        inside = any(a <= m.start() and m.end() <= b for a, b in covered)
        assert inside or m.group(0) in {str(year), str(year - 1), str(year + 1)} or re.fullmatch(r"20\d\d", m.group(0)), \
            (m.group(0), f.sentence)
    assert f.severity in rules.SEVERITY_VN
    assert f.page.startswith("pages/") and f.params


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_number_of_a_sentence_is_a_figure_of_its_query(wh, data):
    province, year = data.draw(st.sampled_from(pairs(wh)))
    quarter = data.draw(st.sampled_from([None, 1, 2, 3, 4]))
    found = rules.findings(wh, province, year, quarter=quarter, today=TODAY)
    for f in found:
        check_finding(wh, f, year)


def test_dien_bien_2024_total_and_sources_as_the_page_shows(wh):
    found = rules.findings(wh, "Điện Biên", 2024, today=TODAY)
    totals = [f for f in found if f.rule == "totals"]
    assert len(totals) == 1
    first = totals[0].figures[0]
    assert first.value == DB_2024_TOTAL and first.text == "11,52 tỷ đồng"
    assert "Dự toán 2024" in totals[0].sentence and "tổng chi 11,52 tỷ đồng" in totals[0].sentence
    # the shares add up to the total's sources, and the money of the sources to the total
    money = [x.value for x in totals[0].figures[1:] if x.unit == "đồng"]
    assert sum(money) == DB_2024_TOTAL
    unspecified = next(f for f in found if f.rule == "unspecified")
    assert unspecified.params["source"] == "UNSPECIFIED" and unspecified.page == "pages/ngan-sach.py"
    assert unspecified.figures[0].value == 34 and unspecified.figures[1].value == 3_190_000_000


def test_execution_band_and_a_part_of_the_year_gets_none(wh):
    f2020 = [f for f in rules.findings(wh, "Điện Biên", 2020, today=TODAY) if f.rule == "execution"]
    assert len(f2020) == 1 and "mức A theo PEFA PI-1" in f2020[0].sentence and f2020[0].severity == rules.GOOD
    assert f2020[0].figures[1].text == "99,9%"
    f2021 = [f for f in rules.findings(wh, "Điện Biên", 2021, today=TODAY) if f.rule == "execution"]
    assert len(f2021) == 1 and "chưa xếp mức PEFA" in f2021[0].sentence
    yoy = [f for f in rules.findings(wh, "Điện Biên", 2021, today=TODAY) if f.rule == "year_on_year"]
    assert any("KH UBND giao 2021" in f.sentence and "giảm 3,2%" in f.sentence for f in yoy)


@pytest.mark.parametrize("rate,band", [(95, "A"), (105, "A"), (94.99, "B"), (110, "B"), (85, "C"), (115.01, "D"), (50, "D")])
def test_pefa_bands(rate, band):
    assert rules.pefa_band(rate) == band


def test_missing_data_gives_no_finding(wh):
    assert rules.findings(wh, "Hà Nội", 2024, today=TODAY) == []
    assert not [f for f in rules.findings(wh, "Điện Biên", 2024, today=TODAY) if f.rule in ("indicators", "tasks", "rank")]


def test_vietnamese_number_phrases():
    assert fmt.vnd_phrase(DB_2024_TOTAL) == "11,52 tỷ đồng"
    assert fmt.vnd_phrase(730_000_000) == "730 triệu đồng"
    assert fmt.change(100, 112.3) == "tăng 12,3%" and fmt.change(15_004, 14_518) == "giảm 3,2%"


@pytest.fixture(scope="module")
def report(wh):
    return build_report(wh, "Điện Biên", 2024, today=TODAY)


def test_docx_opens_with_the_page_totals_and_the_charts(wh, report):
    import docx

    doc = docx.Document(BytesIO(to_docx(report)))
    styles = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert styles == {"Times New Roman"}
    sizes = {r.font.size.pt for p in doc.paragraphs for r in p.runs if r.text.strip() and r.font.size}
    assert {13, 14} <= sizes
    body = "\n".join(p.text for p in doc.paragraphs)
    for heading in ("I. TÌNH HÌNH THỰC HIỆN", "II. ĐÁNH GIÁ", "III. NHIỆM VỤ KỲ TỚI", "IV. KIẾN NGHỊ"):
        assert heading in body
    assert "Điện Biên, ngày 07 tháng 12 năm 2026" in "\n".join(c.text for t in doc.tables for c in t._cells)
    # the tables "by source" and "by unit" end on the page's total (Tổng quan: wh.total)
    from warehouse.queries import BudgetFilter

    page_total = wh.total(BudgetFilter("Điện Biên", 2024, "approved", "dự toán", kind="budget"))
    totals = [[c.text for c in t.rows[-1].cells] for t in doc.tables if t.rows[-1].cells[0].text == "Tổng cộng"]
    assert len(totals) == 2
    assert all(fmt.number(page_total) in row for row in totals)
    by_source = next(t for t in doc.tables if t.rows[0].cells[0].text == "Nguồn kinh phí")
    amounts = [int(r.cells[1].text.replace(".", "")) for r in by_source.rows[1:-1]]
    assert sum(amounts) == page_total == DB_2024_TOTAL
    assert len(doc.inline_shapes) == sum(isinstance(b, Picture) and b.png is not None
                                         for s in report.sections for b in s.blocks) >= 2


def test_pdf_text_is_embedded_and_searchable(report):
    import pdfplumber

    data = to_pdf(report)
    with pdfplumber.open(BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        fonts = {c["fontname"] for page in pdf.pages for c in page.chars}
    assert "11.523.500.000" in text
    assert "TÌNH HÌNH THỰC HIỆN" in text and "Sở" in text and "Tóm tắt" in text
    assert "Chưa ghi nguồn" in text and "Kiến nghị".upper() in text
    assert fonts and all("Serif" in f for f in fonts)


def test_chart_export_failure_leaves_a_note(wh, monkeypatch, tmp_path):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(images, "SYSTEM_CHROMIUM", tmp_path / "no-chromium")
    r = build_report(wh, "Điện Biên", 2024, today=TODAY)
    pictures = [b for s in r.sections for b in s.blocks if isinstance(b, Picture)]
    assert pictures and all(b.png is None and "Không xuất được biểu đồ" in b.note for b in pictures)
    assert r.warnings and all("không tìm thấy trình duyệt" in w for w in r.warnings)
    assert b"%PDF" in to_pdf(r)[:8] and to_docx(r)[:2] == b"PK"


def test_report_of_a_year_with_tasks_and_targets(wh):
    r = build_report(wh, "Điện Biên", 2026, today=TODAY, charts=False)
    text = "\n".join(getattr(b, "text", "") or getattr(b, "caption", "") for s in r.sections for b in s.blocks)
    assert "Chỉ tiêu kế hoạch năm 2026" in text and "Nhiệm vụ cần theo dõi" in text
    with pytest.raises(LookupError):
        build_report(wh, "Hà Nội", 2026, today=TODAY, charts=False)
    with pytest.raises(ValueError):
        rules.findings(wh, "Điện Biên", 2026, quarter=5)


def test_cli_writes_docx_and_pdf(built_db, tmp_path, capsys):
    from warehouse.cli import main

    out = tmp_path / "bao-cao.pdf"
    assert main(["report", "--province", "Điện Biên", "--year", "2024", "--out", str(out), "--db", str(built_db["db"]),
                 "--no-charts"]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    assert "Dự toán: 11.523.500.000 đ" in capsys.readouterr().out
    out = tmp_path / "bao-cao.docx"
    assert main(["report", "--province", "Điện Biên", "--year", "2024", "--quarter", "2", "--out", str(out),
                 "--db", str(built_db["db"]), "--no-charts"]) == 0
    assert out.read_bytes()[:2] == b"PK"
    assert main(["report", "--province", "Điện Biên", "--year", "2024", "--out", str(tmp_path / "x.txt"),
                 "--db", str(built_db["db"])]) == 2
    assert main(["report", "--province", "Hà Nội", "--year", "2024", "--out", str(tmp_path / "y.pdf"),
                 "--db", str(built_db["db"])]) == 1


def test_tong_quan_shows_the_summary_with_links_and_the_two_downloads():
    from pages_helpers import english_or_code, open_page

    at = open_page("pages/tong-quan.py", province="Điện Biên", year="2024")
    assert [s.value for s in at.subheader][0] == "Tóm tắt"
    shown = "\n".join(m.value for m in at.markdown)
    assert "tổng chi 11,52 tỷ đồng" in shown and "34 dòng chưa ghi nguồn kinh phí" in shown
    links = at.get("page_link")
    assert sum(1 for link in links if link.proto.label == "Xem số liệu") == len(
        rules.findings(Warehouse(__import__("ui.state", fromlist=["paths"]).paths()[1]), "Điện Biên", 2024, today=date.today()))
    labels = [b.label for b in at.get("download_button")]
    assert {"Tải báo cáo họp (.docx)", "Tải báo cáo họp (.pdf)"} <= set(labels)
    assert english_or_code(shown) == []


@pytest.fixture(scope="module")
def versions_wh(tmp_path_factory):
    """The shipped documents plus the estimates, adjustment decisions and execution
    disclosures of other provinces (``tests/versions_data.py``)."""
    from tests.versions_data import make_raw
    from warehouse.store import build

    base = tmp_path_factory.mktemp("report_versions")
    raw = make_raw(base / "raw")
    build(raw, base / "warehouse.duckdb")
    return Warehouse(base / "warehouse.duckdb")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_versions_and_disclosures_every_number_is_a_figure(versions_wh, data):
    """Over estimates with versions, adjustment decisions and quarterly disclosures: every
    version of the estimate, every quarter."""
    wh = versions_wh
    province, year = data.draw(st.sampled_from(pairs(wh)))
    versions = wh.budget_versions(province, year) if year in wh.version_years(province) else None
    keys = [None] + (list(versions["key"]) if versions is not None and len(versions) else [])
    version = data.draw(st.sampled_from(keys))
    quarter = data.draw(st.sampled_from([None, 1, 2, 3, 4]))
    for f in rules.findings(wh, province, year, quarter=quarter, version=version, today=TODAY):
        check_finding(wh, f, year)


def test_disclosure_execution_against_the_estimate(versions_wh):
    wh = versions_wh
    cases = [(p, y) for p in wh.period_execution_provinces() for y in wh.execution_years(p)]
    checked = 0
    for province, year in cases:
        q = wh.execution_by_quarter(province, year)
        held = q[q["to_date_vnd"].notna() & q["estimate_vnd"].notna()]
        if len(held):
            check_disclosure(wh, province, year, held)
            checked += 1
    assert checked >= 1


def check_disclosure(wh, province, year, held):
    found = [f for f in rules.findings(wh, province, year, today=TODAY) if f.rule == "execution"]
    last = held.iloc[-1]
    assert any(f.figures[0].value == int(last["to_date_vnd"]) and f.figures[2].value == int(last["estimate_vnd"])
               and fmt.pct(float(last["to_date_rate_pct"])) in f.sentence for f in found), [f.sentence for f in found]
