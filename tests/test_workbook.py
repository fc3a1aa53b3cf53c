"""Exports: formatted workbooks with Vietnamese headers and labels, CSV with a BOM, the
province-year report, and the Fiscal Data Package validated with frictionless."""
from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from warehouse.export import export_package
from warehouse.kpi import STATUS_VN
from warehouse.queries import BudgetFilter, Warehouse
from warehouse.workbook import (
    PROVENANCE_SHEET,
    VND_FORMAT,
    frame_to_csv,
    frame_to_xlsx,
    province_year_report,
)


@pytest.fixture(scope="module")
def wh(built_db):
    return Warehouse(built_db["db"])


def _lines(wh):
    return wh.lines(BudgetFilter("Điện Biên", 2024, phase_vn="dự toán"))


def test_workbook_has_vietnamese_headers_labels_format_filters_and_provenance(wh):
    df = _lines(wh)
    wb = load_workbook(io.BytesIO(frame_to_xlsx(df, title="Dòng ngân sách", provenance={"Bộ lọc": "Điện Biên 2024"})))
    ws = wb["Dữ liệu"]
    header = [c.value for c in ws[3]]
    assert {"Tỉnh", "Nguồn kinh phí", "Thu/Chi", "Số tiền (đồng)", "Văn bản", "Dòng"} <= set(header)
    assert "amount_vnd" not in header and "funding_source" not in header
    src, amt, direction = header.index("Nguồn kinh phí") + 1, header.index("Số tiền (đồng)") + 1, header.index("Thu/Chi") + 1
    sources = {ws.cell(row=r, column=src).value for r in range(4, ws.max_row + 1)}
    assert "Sự nghiệp KH&CN (SNKH)" in sources and "SNKH" not in sources
    assert {ws.cell(row=r, column=direction).value for r in range(4, ws.max_row + 1)} <= {"Chi", "Thu"}
    amounts = [ws.cell(row=r, column=amt).value for r in range(4, ws.max_row + 1)]
    assert all(isinstance(a, int) for a in amounts) and sum(amounts) == int(df["amount_vnd"].sum())
    assert ws.cell(row=4, column=amt).number_format == VND_FORMAT
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == f"A3:{ws.cell(row=3, column=len(header)).column_letter}{3 + len(df)}"
    prov = {r[0].value: r[1].value for r in wb[PROVENANCE_SHEET].iter_rows()}
    assert prov["Bộ lọc"] == "Điện Biên 2024" and "000_3dbcd40b8eb90139.txt" in prov["Văn bản"]


def test_csv_has_bom_and_vietnamese_labels(wh):
    df = _lines(wh)
    data = frame_to_csv(df)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == len(df)
    assert {r["Nguồn kinh phí"] for r in rows} >= {"Sự nghiệp KH&CN (SNKH)"}
    assert sum(int(r["Số tiền (đồng)"]) for r in rows) == int(df["amount_vnd"].sum())


def test_province_year_report(wh):
    wb = load_workbook(io.BytesIO(province_year_report(wh, "Điện Biên", 2024)))
    assert wb.sheetnames == ["Tổng hợp", "Theo quý", "Theo đơn vị", "Đối chiếu", "Dòng ngân sách", PROVENANCE_SHEET]
    summary = wb["Tổng hợp"]
    header = [c.value for c in summary[3]]
    row = {h: c.value for h, c in zip(header, summary[4])}
    total = wh.total(BudgetFilter("Điện Biên", 2024, phase_vn="dự toán"))
    assert row["Giai đoạn"] == "dự toán" and row["Số tiền (đồng)"] == total
    by_source = sum(v for h, v in row.items() if h.endswith("(đồng)") and h != "Số tiền (đồng)" and v)
    assert by_source == total
    quarters = wb["Theo quý"]
    q_amount = [c.value for c in quarters[1]].index("Số tiền (đồng)") + 1
    assert sum(quarters.cell(row=r, column=q_amount).value for r in range(2, quarters.max_row + 1)) == total
    recon = wb["Đối chiếu"]
    status = [c.value for c in recon[1]].index("Kết quả") + 1
    assert {recon.cell(row=r, column=status).value for r in range(2, recon.max_row + 1)} <= {"Khớp", "Không khớp", "Chưa đối chiếu được"}
    assert recon.max_row - 1 == len(wh.reconciliation("Điện Biên", 2024))


def test_report_with_targets_and_tasks(wh):
    wb = load_workbook(io.BytesIO(province_year_report(wh, "Điện Biên", 2026)))
    assert {"Chỉ tiêu", "Nhiệm vụ"} <= set(wb.sheetnames)
    statuses = {c.value for c in list(wb["Chỉ tiêu"].iter_cols(min_row=2))[[c.value for c in wb["Chỉ tiêu"][1]].index("Trạng thái")]}
    assert statuses and statuses <= set(STATUS_VN.values())


def test_fiscal_data_package_is_valid(wh, tmp_path):
    """frictionless validates every resource against its Table Schema (types, integer
    amounts, primary key). The ``fiscal-data-package`` profile is a remote JSON schema that
    cannot be fetched offline, so the descriptor is checked as a tabular data package and
    its fiscal ``model`` is checked here against the budget_lines columns."""
    from frictionless import validate

    out = tmp_path / "fdp"
    counts = export_package(wh, out)
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "fiscal-data-package"
    budget = next(r for r in descriptor["resources"] if r["name"] == "budget_lines")
    fields = {f["name"] for f in budget["schema"]["fields"]}
    model = budget["model"]
    assert {m["source"] for m in model["measures"].values()} <= fields
    assert {a["source"] for d in model["dimensions"].values() for a in d["attributes"].values()} <= fields
    offline = dict(descriptor, profile="tabular-data-package")
    (out / "offline.json").write_text(json.dumps(offline, ensure_ascii=False), encoding="utf-8")
    report = validate(str(out / "offline.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:5]
    assert counts["budget_lines"] > 0
    # The check can fail: text in an amount column is caught.
    df = pd.read_csv(out / "budget_lines.csv", dtype=str)
    df.loc[0, "amount_vnd"] = "một trăm"
    df.to_csv(out / "budget_lines.csv", index=False)
    assert not validate(str(out / "offline.json")).valid


VERBATIM = ["=", "- Nhiệm vụ bảo hộ nhãn hiệu chứng nhận", "+5", "@x", "=1+1"]


def _package_of_odd_texts(tmp_path):
    """A warehouse holding texts that start like formulas (descriptions, names, a target
    text, a lead unit) and every comparator, exported as a data package."""
    import duckdb

    from loaders.model import BudgetLine, DocumentMeta, IndicatorTarget, ParseResult, Task
    from loaders.vocab import Comparator
    from warehouse import load

    meta = DocumentMeta(file_name="odd.txt", province="Điện Biên", fiscal_years=[2025], kind="plan", sha256="0" * 64)
    result = ParseResult(meta)
    for i, text in enumerate(VERBATIM, start=1):
        result.budget_lines.append(BudgetLine(f"L{i}", 2025, "approved", "dự toán", "expenditure", "SNKH", i, 1000 * i,
                                              description=text, unit=text, note=text))
        result.tasks.append(Task(f"T{i}", 2025, text, i, lead_unit=text, expected_result=text))
    for i, c in enumerate(Comparator, start=1):
        result.indicators.append(IndicatorTarget(f"I{i}", 2025, VERBATIM[i % len(VERBATIM)], 10 + i,
                                                 target_text=f"{c.symbol}5", comparator=c.symbol, target_value=5.0))
    result.indicators.append(IndicatorTarget("Q", 2025, "Hoàn thành đề án", 20, target_text="Hoàn thành",
                                             qualitative=True))
    db = tmp_path / "odd.duckdb"
    with duckdb.connect(str(db)) as con:
        load.create(con)
        load.insert(con, result, None)
        load.set_meta(con, {})
    out = tmp_path / "odd"
    export_package(Warehouse(db), out)
    return out


def test_the_data_package_keeps_every_text_verbatim_and_codes_comparators(tmp_path):
    """No spreadsheet guard in the data package: "=", "- Nhiệm vụ …", "+5", "@x" come back as
    the warehouse holds them (no apostrophe), the comparator is a code of
    ``loaders.vocab.Comparator`` with an enum constraint, and frictionless finds the package
    valid."""
    from frictionless import validate

    from loaders.vocab import Comparator

    out = _package_of_odd_texts(tmp_path)
    with (out / "budget_lines.csv").open(encoding="utf-8", newline="") as fh:
        lines = list(csv.DictReader(fh))
    assert [r["description"] for r in lines] == VERBATIM
    assert [r["unit"] for r in lines] == VERBATIM and all(r["unit_kind"] == "" for r in lines)
    with (out / "tasks.csv").open(encoding="utf-8", newline="") as fh:
        assert [r["name"] for r in csv.DictReader(fh)] == VERBATIM
    with (out / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        indicators = list(csv.DictReader(fh))
    assert [r["comparator"] for r in indicators] == list(Comparator.values()) + [""]
    assert [r["target_text"] for r in indicators][:2] == ["=5", ">=5"]
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    schema = next(r for r in descriptor["resources"] if r["name"] == "indicators")["schema"]
    comparator = next(f for f in schema["fields"] if f["name"] == "comparator")
    assert comparator["constraints"] == {"enum": ["eq", "ge", "gt", "le", "lt", "approx"]}
    offline = dict(descriptor, profile="tabular-data-package")
    (out / "offline.json").write_text(json.dumps(offline, ensure_ascii=False), encoding="utf-8")
    report = validate(str(out / "offline.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:5]
    # the enum constraint can fail: a symbol is not a code
    text = (out / "indicators.csv").read_text(encoding="utf-8").replace(",ge,", ",>=,", 1)
    (out / "indicators.csv").write_text(text, encoding="utf-8")
    assert not validate(str(out / "offline.json")).valid


def test_an_xlsx_download_types_text_as_text():
    """A cell "=1+1" of a download opens (openpyxl, formulas not evaluated) as the string
    "=1+1", typed as text, never as a formula; the other odd texts stay verbatim too."""
    import zipfile

    df = pd.DataFrame({"description": VERBATIM, "amount_vnd": list(range(len(VERBATIM)))})
    data = frame_to_xlsx(df, title="=1+1")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in x or "<f " in x for x in sheets)  # no formula in the file at all
    wb = load_workbook(io.BytesIO(data), data_only=False)
    ws = wb["Dữ liệu"]
    assert ws["A1"].value == "=1+1" and ws["A1"].data_type == "s"  # the title too
    cells = [ws.cell(row=r, column=1) for r in range(4, 4 + len(VERBATIM))]
    assert [c.value for c in cells] == VERBATIM
    assert all(c.data_type == "s" for c in cells)
    assert cells[-1].value == "=1+1" and cells[-1].data_type != "f"


def test_text_that_looks_like_a_formula_is_never_run():
    df = pd.DataFrame({"description": ["=HYPERLINK(\"http://x\")", "-Mua sắm", "Hội nghị"], "amount_vnd": [1, -2, 3]})
    ws = load_workbook(io.BytesIO(frame_to_xlsx(df)))["Dữ liệu"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=HYPERLINK(\"http://x\")"
    assert ws["B3"].value == -2  # numbers stay numbers
    rows = list(csv.reader(io.StringIO(frame_to_csv(df).decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")" and rows[2] == ["'-Mua sắm", "-2"]


def test_every_code_of_the_vocabularies_has_a_label():
    from loaders.vocab import Direction, FundingSource, Phase, ReconciliationStatus
    from warehouse.workbook import LABELS

    for column, vocab in (("status", ReconciliationStatus), ("funding_source", FundingSource), ("direction", Direction),
                          ("phase", Phase)):
        assert set(LABELS[column]) == set(vocab.values()), column
