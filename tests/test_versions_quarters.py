"""Budget versions and execution by quarter over a warehouse of execution disclosures,
estimate disclosures and adjustment decisions (``tests/versions_data.py``): figures to the
đồng (added up here from the figures typed into the forms, or from the variants' expected
figures written by hand), derived quarters labelled, the latest version chosen, nothing
counted twice, stages and money flows kept apart, the estimate's schedule only where it
exists, and the data package holding it all (validated by frictionless)."""
from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from tests.versions_data import DIEN_BIEN_Q2, LAI_CHAU, ROW_FEE, expected_sum, make_raw
from warehouse.queries import BudgetFilter, Warehouse

BUDGET_2024 = "000_3dbcd40b8eb90139.txt"


def _state(values: dict) -> int:
    """State-budget spending of typed form values (the fee row left out)."""
    return sum(v for row, v in values.items() if row != ROW_FEE)


@pytest.fixture(scope="module")
def versions_db(tmp_path_factory):
    from warehouse.store import build

    base = tmp_path_factory.mktemp("versions")
    raw = make_raw(base / "raw")
    db = base / "warehouse.duckdb"
    report = build(raw, db)
    return {"raw": raw, "db": db, "report": report}


@pytest.fixture(scope="module")
def wh(versions_db):
    return Warehouse(versions_db["db"])


def _rows(df: pd.DataFrame, stage: str) -> dict[int, dict]:
    return {int(r["quarter"]): r for r in df[df["stage"] == stage].to_dict("records")}


# --- execution by quarter ----------------------------------------------------------------
def test_quarters_stated_and_derived_to_the_dong(wh):
    q = _rows(wh.execution_by_quarter("Lai Châu", 2025), "ước thực hiện")
    q1, h1, nine = _state(LAI_CHAU["q1"]), _state(LAI_CHAU["6t"]), _state(LAI_CHAU["9t_cumulative"])
    assert (q1, h1, nine) == (3_250_000_000, 7_350_000_000, 12_150_000_000)
    assert q[1]["amount_vnd"] == q1 and q[1]["how"] == "văn bản" and not q[1]["derived"]
    assert "bieu03_q1_laichau_2025.xlsx: Ước thực hiện Quý I năm 2025" in q[1]["sources"]
    # Quý II: no document states it; 6 tháng − Quý I
    assert q[2]["amount_vnd"] == h1 - q1 == 4_100_000_000 and q[2]["derived"]
    assert q[2]["how"] == "suy ra từ 6 tháng đầu năm − Quý I"
    assert "bieu03_6t_laichau_2025.xlsx" in q[2]["sources"] and "bieu03_q1_laichau_2025.xlsx" in q[2]["sources"]
    # Quý III: lũy kế đến hết Quý III − 6 tháng
    assert q[3]["amount_vnd"] == nine - h1 == 4_800_000_000 and q[3]["how"] == "suy ra từ 9 tháng đầu năm − 6 tháng đầu năm"
    assert pd.isna(q[4]["amount_vnd"]) and pd.isna(q[4]["to_date_vnd"])
    # the year to date: stated where a document states it
    assert [q[k]["to_date_vnd"] for k in (1, 2, 3)] == [q1, h1, nine]
    assert not q[3]["to_date_derived"] and q[3]["to_date_label"] == "9 tháng đầu năm"
    # the rate against the year's estimate (the Biểu 02: the only version)
    estimate = _state(LAI_CHAU["estimate"])
    assert q[1]["estimate_vnd"] == estimate == 18_000_000_000 and q[1]["estimate_label"] == "Dự toán giao đầu năm"
    assert q[2]["rate_pct"] == pytest.approx((h1 - q1) * 100 / estimate)
    assert q[3]["to_date_rate_pct"] == pytest.approx(nine * 100 / estimate)


def test_actual_and_estimated_execution_are_kept_apart(wh):
    df = wh.execution_by_quarter("Lai Châu", 2025)
    assert list(dict.fromkeys(df["stage"])) == ["ước thực hiện", "thực hiện"]
    actual = _rows(df, "thực hiện")
    assert actual[2]["amount_vnd"] == LAI_CHAU["q2_actual"][("II", "1.1", "Kinh phí thực hiện chế độ tự chủ")]
    assert pd.isna(actual[1]["amount_vnd"]) and pd.isna(actual[3]["amount_vnd"])  # nothing borrowed from the estimates
    assert len(df) == 8  # four quarters per stage


def test_fee_flows_are_never_state_spending(wh):
    """Nghệ An Q1/2025 (an officer's workbook): spending of retained fees, fees collected and
    fees paid over are three flows, none of them in state-budget spending."""
    name = "exec_q1_2025_nghean_so"
    for flow, expected in (("state", "spending"), ("fee_spending", "fee_spending"), ("revenue", "revenue"),
                           ("remittance", "fee_remitted")):
        q1 = _rows(wh.execution_by_quarter("Nghệ An", 2025, flow=flow), "ước thực hiện")[1]
        assert q1["amount_vnd"] == expected_sum(name, "estimated_executed", expected, [1]), flow
    state = _rows(wh.execution_by_quarter("Nghệ An", 2025), "ước thực hiện")[1]
    assert state["amount_vnd"] == 5_608_570_000


def test_cumulative_and_quarter_of_one_report(wh):
    """Gia Lai Q3/2025 prints Quý III and "lũy kế đến hết Quý III": the first half is derived."""
    name = "exec_q3_2025_cumulative_gialai_so"
    q = _rows(wh.execution_by_quarter("Gia Lai", 2025), "thực hiện")
    q3 = expected_sum(name, "executed", quarters=[3], cumulative=False)
    nine = expected_sum(name, "executed", quarters=[1, 2, 3], cumulative=True)
    assert q[3]["amount_vnd"] == q3 and q[3]["to_date_vnd"] == nine
    assert q[2]["to_date_vnd"] == nine - q3 and q[2]["to_date_how"] == "suy ra từ 9 tháng đầu năm − Quý III"
    assert pd.isna(q[1]["amount_vnd"]) and pd.isna(q[2]["amount_vnd"])  # the first half cannot be split
    # no decision, no estimate disclosure: the year's estimate is the report's own column
    assert q[3]["estimate_vnd"] == expected_sum(name, "estimate")
    assert q[3]["estimate_label"] == "Dự toán năm (in trong báo cáo thực hiện)"


def test_schedule_only_beside_an_execution_figure(wh):
    q = _rows(wh.execution_by_quarter("Điện Biên", 2024), "ước thực hiện")
    assert q[2]["amount_vnd"] == sum(DIEN_BIEN_Q2.values())
    spread = wh.by_quarter(BudgetFilter("Điện Biên", 2024, "approved", "dự toán", documents=(BUDGET_2024,), kind="budget"),
                           spread=True)
    spread = spread[spread["funding_source"] != "THU_PHI"]
    by_q = spread.groupby("quarter_label")["amount_vnd"].sum()
    assert q[2]["schedule_vnd"] == by_q["Quý II"]
    assert pd.isna(q[2]["to_date_vnd"]) and pd.isna(q[2]["schedule_to_date_vnd"])  # no year to date: no schedule to date
    assert q[2]["schedule_label"].startswith("Lịch dự kiến")
    assert all(pd.isna(q[k]["schedule_vnd"]) for k in (1, 3, 4))  # no execution figure beside them
    # an estimate whose lines all cover the year has no schedule (an even split is none)
    assert wh.execution_by_quarter("Lai Châu", 2025)["schedule_vnd"].isna().all()


# --- budget versions ---------------------------------------------------------------------
def test_versions_in_date_order_and_the_latest(wh):
    v = wh.budget_versions("Nghệ An", 2025)
    assert list(v["kind"]) == ["original", "decision", "decision"]
    assert list(v["label"]) == ["Dự toán giao đầu năm", "Theo QĐ số 1456/QĐ-UBND, ngày 20/05/2025",
                                "Theo QĐ số 2874/QĐ-UBND, ngày 18/09/2025"]
    assert list(v["is_latest"]) == [False, False, True]
    # the original is the estimate disclosure only: the Q1 report prints the estimate again
    assert v.iloc[0]["documents"] == ("est_2025_nghean_so.xlsx",)
    assert v.iloc[0]["total_vnd"] == expected_sum("est_2025_nghean_so", "estimate") + expected_sum(
        "est_2025_nghean_so", "estimate", "fee_spending")
    assert v.iloc[0]["state_vnd"] == expected_sum("est_2025_nghean_so", "estimate")
    r2 = json.loads(open("tests/data/variants/adj_2025_r2_nghean.expected.json", encoding="utf-8").read())["versions"][0]
    assert v.iloc[2]["total_vnd"] == r2["total_after_vnd"] == expected_sum("adj_2025_r2_nghean", "after_adjustment")
    assert v.iloc[2]["increase_vnd"] == r2["increase_vnd"] and v.iloc[2]["decrease_vnd"] == r2["decrease_vnd"]
    assert list(v["chain_status"][1:]) == ["match", "match"]  # round 2's "đã giao" = round 1's after
    # the versions by source add up to each version's total
    totals = wh.version_totals("Nghệ An", 2025)
    assert totals.groupby("key")["amount_vnd"].sum().to_dict() == dict(zip(v["key"], v["total_vnd"]))


def test_two_rounds_are_never_added(wh):
    """Quảng Ninh 2023: two decisions; the year's estimate is the last round's after-total,
    not the sum of the rounds, nor with the estimate the year-end report prints."""
    after = json.loads(open("tests/data/variants/adj_2023_r2_quangninh.expected.json", encoding="utf-8").read())["versions"][0]
    latest = wh.latest_versions("Quảng Ninh")
    assert set(latest["fiscal_year"]) == {2023}
    assert int(latest["amount_vnd"].sum()) == after["total_after_vnd"] == 66_737_400_000
    assert set(latest["trend_label"]) == {"theo QĐ số 3380/QĐ-UBND, ngày 14/11/2023"}
    v = wh.budget_versions("Quảng Ninh", 2023)
    # the estimate disclosure of January 2023 (Biểu 02, est_2023_quangninh_so) is the original; the
    # year-end report (issued after the decisions) is not
    assert v.iloc[0]["label"] == "Dự toán giao đầu năm"
    assert len(v) == 3 and all(label.startswith("Theo QĐ") for label in v["label"][1:])
    # the stage across documents counts the last decision's after-total, not both rounds'
    held = wh.total(BudgetFilter("Quảng Ninh", 2023, phase_vn="dự toán điều chỉnh", kind="budget"))
    assert held == after["total_after_vnd"]
    both = wh.total(BudgetFilter("Quảng Ninh", 2023, phase_vn="dự toán điều chỉnh", kind="budget",
                                 documents=tuple(v["documents"].iloc[1]) + tuple(v["documents"].iloc[2])))
    assert both > held  # what adding the rounds would have said
    # a year without a decision: the original
    assert set(wh.latest_versions("Lai Châu")["trend_label"]) == {"dự toán giao đầu năm"}
    assert int(wh.latest_versions("Lai Châu")["amount_vnd"].sum()) == _state(LAI_CHAU["estimate"])


def test_what_a_decision_moved_by_line(wh):
    moves = wh.decision_moves("Nghệ An", 2025, "adj_2025_r1_nghean.docx")
    leaves = moves[~moves["is_subtotal"]]
    moved = leaves[leaves["moved"]]
    assert int(moved["change_vnd"].sum()) == 0  # net 0, as the decision states
    assert int(moved.loc[moved["change_vnd"] > 0, "change_vnd"].sum()) == 450_000_000
    provincial = moved[moved["description"] == "Nhiệm vụ khoa học và công nghệ cấp tỉnh"].iloc[0]
    assert (provincial["before_vnd"], provincial["change_vnd"], provincial["after_vnd"]) == (
        14_350_000_000, -420_000_000, 13_930_000_000)
    assert provincial["source_line"] > 0 and provincial["cells"].count("·") == 2  # three cells named
    assert (leaves["before_vnd"].fillna(0) + leaves["change_vnd"].fillna(0) == leaves["after_vnd"].fillna(0)).all()


def test_ratio_mismatch_with_document_line_and_cell(wh):
    bad = wh.ratio_checks(only_mismatches=True)
    row = bad[bad["document"] == "exec_year_2023_quangninh_so.pdf"].iloc[0]
    assert (row["printed"], row["computed"], row["code"]) == ("7.350", "24", "2.3")
    assert row["source_line"] > 0 and row["source_ref"].startswith("Trang")


def test_no_versions_no_rows(wh):
    assert wh.budget_versions("Sơn La", 2024).empty
    assert wh.execution_by_quarter("Sơn La", 2024).empty


# --- exports -------------------------------------------------------------------------------
def test_data_package_holds_versions_periods_and_ratio_checks(wh, tmp_path):
    from frictionless import validate

    from warehouse.export import export_package

    out = tmp_path / "fdp"
    counts = export_package(wh, out)
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in descriptor["resources"]]
    assert {"ratio_checks", "budget_versions"} <= set(names)
    offline = dict(descriptor, profile="tabular-data-package")
    (out / "offline.json").write_text(json.dumps(offline, ensure_ascii=False), encoding="utf-8")
    report = validate(str(out / "offline.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:5]
    with (out / "budget_lines.csv").open(encoding="utf-8") as fh:
        lines = list(csv.DictReader(fh))
    adjusted = [r for r in lines if r["phase"] == "adjusted" and r["document"] == "adj_2025_r2_nghean.xlsx"]
    assert adjusted and {r["version"] for r in adjusted} == {"2874/QĐ-UBND"}
    after = [r for r in adjusted if r["phase_vn"] == "dự toán điều chỉnh" and r["is_subtotal"] == "False" and r["amount_vnd"]]
    assert sum(int(r["amount_vnd"]) for r in after) == 28_381_200_000
    cumulative = [r for r in lines if r["document"] == "exec_q3_2025_cumulative_gialai_so.pdf" and r["cumulative"] == "True"]
    assert cumulative and {r["quarters"] for r in cumulative} == {"1,2,3"}
    assert {r["column_label"] for r in cumulative} == {"Lũy kế từ đầu năm đến hết Quý III năm 2025"}  # as printed
    assert any(r["source_ref"] == "Bieu 03!D25" for r in lines if r["document"] == "bieu03_q1_laichau_2025.xlsx")
    # a reader of the package adds the counted lines only: Lai Châu's execution once, at its widest period
    counted = [r for r in lines if r["province"] == "Lai Châu" and r["phase_vn"] == "ước thực hiện" and r["counted"] == "True"
               and r["is_subtotal"] == "False" and r["amount_vnd"] and r["direction"] == "expenditure"]
    assert sum(int(r["amount_vnd"]) for r in counted) == _state(LAI_CHAU["9t_cumulative"])
    assert {r["document"] for r in counted} == {"bieu03_q3_lk_laichau_2025.xlsx"}
    with (out / "ratio_checks.csv").open(encoding="utf-8") as fh:
        ratios = list(csv.DictReader(fh))
    assert len(ratios) == counts["ratio_checks"]
    bad = [r for r in ratios if r["status"] == "mismatch"]
    assert [(r["printed"], r["computed"]) for r in bad] == [("7.350", "24")]  # the printed text, verbatim
    with (out / "budget_versions.csv").open(encoding="utf-8") as fh:
        versions = list(csv.DictReader(fh))
    assert {r["version_id"] for r in versions} == {"1725/QĐ-UBND", "3380/QĐ-UBND", "2215/QĐ-STC", "1456/QĐ-UBND",
                                                   "2874/QĐ-UBND"}
    r1 = next(r for r in versions if r["version_id"] == "1456/QĐ-UBND")
    assert (r1["decision_date"], r1["increase_vnd"], r1["printed_decrease_vnd"]) == ("2025-05-20", "450000000", "450000000")
