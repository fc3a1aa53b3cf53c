"""A documents folder with budget versions and execution by period, for the tests of the
quarter view, the versions view, the exports and the browser test (and the screenshots).

``make_raw(folder)`` copies ``data/raw`` (the five shipped documents, with their manifest),
every execution disclosure, estimate disclosure and adjustment decision of
``tests/data/variants`` that must be read (``exec_*``, ``est_*``, ``adj_*``; the manifest row
from each ``.expected.json``'s ``meta``), and public forms made by
``loaders.families.templates.forms`` and filled here with openpyxl:

* Lai Châu 2025 — a Biểu 02 (the estimate), Biểu 03 "Ước thực hiện Quý I", "Ước thực hiện
  6 tháng đầu năm", a Biểu 03 of Quý III with only "Lũy kế từ đầu năm đến hết Quý III" filled,
  and a Biểu 03 "Thực hiện Quý II" (actual, another stage). Quarter II and III are stated by
  no document: they must be derived (6 tháng − Quý I; lũy kế 9 tháng − 6 tháng).
* Điện Biên 2024 — a Biểu 03 "Ước thực hiện Quý II" beside the shipped estimate appendix
  (whose lines are timed by quarter: the estimate's own schedule).

``LAI_CHAU`` holds the figures typed in, so the tests can add them up by hand.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
VARIANTS = ROOT / "tests" / "data" / "variants"

# (code of the part, code, content) -> amount in đồng, per form. Part II rows only but one fee row.
ROW_11 = ("II", "1.1", "Kinh phí thực hiện chế độ tự chủ")
ROW_12 = ("II", "1.2", "Kinh phí không thực hiện chế độ tự chủ")
ROW_TINH = ("II", None, "Nhiệm vụ khoa học công nghệ cấp tỉnh")
ROW_22 = ("II", "2.2", "Kinh phí nhiệm vụ thường xuyên theo chức năng")
ROW_FEE = ("I", "1.2", "Phí")
ESTIMATE = {ROW_11: 6_000_000_000, ROW_12: 1_000_000_000, ROW_TINH: 8_000_000_000, ROW_22: 3_000_000_000, ROW_FEE: 100_000_000}
LAI_CHAU = {
    "estimate": ESTIMATE,
    "q1": {ROW_11: 1_400_000_000, ROW_12: 200_000_000, ROW_TINH: 1_000_000_000, ROW_22: 650_000_000, ROW_FEE: 20_000_000},
    "6t": {ROW_11: 2_900_000_000, ROW_12: 450_000_000, ROW_TINH: 2_600_000_000, ROW_22: 1_400_000_000, ROW_FEE: 45_000_000},
    "9t_cumulative": {ROW_11: 4_500_000_000, ROW_12: 700_000_000, ROW_TINH: 4_800_000_000, ROW_22: 2_150_000_000},
    "q2_actual": {ROW_11: 1_450_000_000},
}
DIEN_BIEN_Q2 = {ROW_11: 200_000_000, ROW_TINH: 500_000_000}

# file -> (kind, year, options, {row: amount} of the period column, {row: amount} of the cumulative column)
FORMS = {
    "bieu02_laichau_2025.xlsx": ("Lai Châu", "bieu02", 2025, {}, ESTIMATE, None),
    "bieu03_q1_laichau_2025.xlsx": ("Lai Châu", "bieu03", 2025, {"period": "q1"}, LAI_CHAU["q1"], None),
    "bieu03_6t_laichau_2025.xlsx": ("Lai Châu", "bieu03", 2025, {"period": "6t"}, LAI_CHAU["6t"], None),
    "bieu03_q3_lk_laichau_2025.xlsx": ("Lai Châu", "bieu03", 2025, {"period": "q3", "cumulative": True}, {},
                                       LAI_CHAU["9t_cumulative"]),
    "bieu03_q2_th_laichau_2025.xlsx": ("Lai Châu", "bieu03", 2025, {"period": "q2", "stage": "thực hiện"},
                                       LAI_CHAU["q2_actual"], None),
    "bieu03_q2_dienbien_2024.xlsx": ("Điện Biên", "bieu03", 2024, {"period": "q2"}, DIEN_BIEN_Q2, None),
}
ORG = {"Lai Châu": "Sở Khoa học và Công nghệ tỉnh Lai Châu", "Điện Biên": "Sở Khoa học và Công nghệ tỉnh Điện Biên"}


def form_row(row: tuple[str, str | None, str]) -> int:
    """The sheet row of ``(part, code, content)`` in a form of ``forms.ROWS``."""
    from loaders.families.templates.forms import FIRST_DATA_ROW, ROWS

    part, code, text = row
    start = next(i for i, (c, _, level) in enumerate(ROWS) if c == part and level == 0)
    for i, (c, t, _) in enumerate(ROWS[start:], start=start):
        if t == text and (code is None or c == code):
            return FIRST_DATA_ROW + i
    raise KeyError(row)


def fill_form(path: Path, kind: str, year: int, options: dict, own: dict, cumulative: dict | None, province: str) -> Path:
    """Write form ``kind`` to ``path`` and type the amounts: the estimate column gets
    ``ESTIMATE`` (Biểu 03 prints the year's estimate beside the execution), the period
    column ``own``, the "lũy kế" column ``cumulative``."""
    from loaders.families.templates.forms import write_form

    write_form(kind, path, year, org_unit=ORG[province], **options)
    wb = load_workbook(path)
    ws = wb.active
    values = own if kind == "bieu02" else (ESTIMATE if province == "Lai Châu" else {r: v * 4 for r, v in DIEN_BIEN_Q2.items()})
    for row, amount in values.items():
        ws.cell(row=form_row(row), column=3, value=amount)
    if kind == "bieu03":
        for row, amount in own.items():
            ws.cell(row=form_row(row), column=4, value=amount)
        for row, amount in (cumulative or {}).items():
            ws.cell(row=form_row(row), column=5, value=amount)
    wb.save(path)
    return path


def make_raw(folder: Path, with_seed: bool = True) -> Path:
    """The documents folder described above, with its ``manifest.csv``; returns ``folder``."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    if with_seed:
        shutil.copytree(RAW, folder)
    else:
        folder.mkdir(parents=True)
    rows = []
    for path in sorted(VARIANTS.iterdir()):
        if not path.name.startswith(("exec_", "est_", "adj_")) or path.name.endswith(".json"):
            continue
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        if expected.get("outcome") != "read":
            continue
        shutil.copyfile(path, folder / path.name)
        meta = expected["meta"]
        rows.append({"file": path.name, "province": meta["province"], "fiscal_years": ";".join(map(str, meta["fiscal_years"])),
                     "kind": meta["kind"], "issuer": meta.get("issuer", "")})
    for name, (province, kind, year, options, own, cumulative) in FORMS.items():
        fill_form(folder / name, kind, year, options, own, cumulative, province)
        rows.append({"file": name, "province": province, "fiscal_years": str(year), "kind": "disclosure", "issuer": ORG[province]})
    manifest = folder / "manifest.csv"
    existing = list(csv.DictReader(manifest.open(encoding="utf-8"))) if manifest.exists() else []
    columns = list(existing[0]) if existing else ["file", "province", "fiscal_years", "kind", "issuer"]
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(existing)
        writer.writerows(rows)
    return folder


def expected_lines(name: str) -> list[dict]:
    """The budget lines of a variant's ``.expected.json`` (figures written by hand)."""
    return json.loads((VARIANTS / f"{name}.expected.json").read_text(encoding="utf-8"))["budget_lines"]


def expected_sum(name: str, stage: str, flow: str = "spending", quarters: list[int] | None = None,
                 cumulative: bool | None = None) -> int:
    """Leaf total of a variant's expected lines of ``stage`` ("estimate", "estimated_executed",
    "executed", "after_adjustment"…) and ``flow`` ("spending" = state budget, "fee_spending",
    "revenue", "fee_remitted"), optionally of one period."""
    total = 0
    for line in expected_lines(name):
        if line.get("is_subtotal") or line.get("amount_vnd") is None or line["stage"] != stage or line["flow"] != flow:
            continue
        if quarters is not None and line.get("quarters") != quarters:
            continue
        if cumulative is not None and bool(line.get("cumulative")) != cumulative:
            continue
        total += line["amount_vnd"]
    return total
