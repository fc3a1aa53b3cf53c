"""One figure per scope across documents (``warehouse.counting``, column ``budget_lines.counted``):
execution held for periods that contain each other (Quý I, 6 tháng, lũy kế 9 tháng) is
counted once, at its widest period; periods that do not overlap add up; the estimate restated
by execution reports is not added to the estimate documents; before / after of several
decisions are the first and the last. Over a small warehouse written here line by line, so
every expected sum is added up by hand."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from warehouse import counting, schema
from warehouse.queries import BudgetFilter, Warehouse, span_label

P, Y = "Lai Châu", 2025


def _line(doc, n, phase, phase_vn, amount, quarters=None, cumulative=False, year=Y, province=P, subtotal=False, unit=None):
    return dict(document=doc, line_id=f"{doc}:{n}:{phase_vn}", province=province, fiscal_year=year, phase=phase, unit=unit,
                phase_vn=phase_vn, direction="expenditure", funding_source="SNKH", is_subtotal=subtotal,
                description=f"dòng {n}", quarters=quarters, amount_vnd=amount, source_line=n, cumulative=cumulative)


DOCS = {  # document -> issued date
    "bieu02.xlsx": dt.date(2025, 1, 10),
    "q1.xlsx": dt.date(2025, 4, 10),
    "6t.xlsx": dt.date(2025, 7, 10),
    "9t.xlsx": dt.date(2025, 10, 10),
    "qd1.xlsx": dt.date(2025, 5, 20),
    "qd2.xlsx": dt.date(2025, 9, 18),
    # another province: quarters reported one by one, never cumulative
    "hg_q1.docx": dt.date(2025, 4, 5),
    "hg_q2.docx": dt.date(2025, 7, 5),
    # a third: two units, each its own disclosure of its own period
    "yb_q1_so.xlsx": dt.date(2025, 4, 5),
    "yb_6t_ttud.xlsx": dt.date(2025, 7, 5),
}
LINES = [
    _line("bieu02.xlsx", 1, "approved", "dự toán", 10_000_000_000),
    _line("bieu02.xlsx", 2, "approved", "dự toán", 8_000_000_000),
    _line("bieu02.xlsx", 3, "approved", "dự toán", 18_000_000_000, subtotal=True),
    # each execution report restates the estimate ("Dự toán năm") and states its period
    *[_line(d, 1, "approved", "dự toán", 18_000_000_000) for d in ("q1.xlsx", "6t.xlsx", "9t.xlsx")],
    _line("q1.xlsx", 2, "executed", "ước thực hiện", 3_000_000_000, [1]),
    _line("6t.xlsx", 2, "executed", "ước thực hiện", 7_000_000_000, [1, 2]),
    _line("6t.xlsx", 3, "executed", "ước thực hiện", 4_000_000_000, [2]),  # "Quý II" beside "6 tháng"
    _line("9t.xlsx", 2, "executed", "ước thực hiện", 12_000_000_000, [1, 2, 3], cumulative=True),
    _line("qd1.xlsx", 1, "adjusted", "dự toán đã giao", 18_000_000_000),
    _line("qd1.xlsx", 2, "adjusted", "điều chỉnh", 1_000_000_000),
    _line("qd1.xlsx", 3, "adjusted", "dự toán điều chỉnh", 19_000_000_000),
    _line("qd2.xlsx", 1, "adjusted", "dự toán đã giao", 19_000_000_000),
    _line("qd2.xlsx", 2, "adjusted", "điều chỉnh", -500_000_000),
    _line("qd2.xlsx", 3, "adjusted", "dự toán điều chỉnh", 18_500_000_000),
    _line("hg_q1.docx", 1, "executed", "thực hiện", 2_000_000_000, [1], province="Hà Giang"),
    _line("hg_q2.docx", 1, "executed", "thực hiện", 2_500_000_000, [2], province="Hà Giang"),
    _line("hg_q1.docx", 2, "approved", "dự toán", 9_000_000_000, province="Hà Giang"),
    _line("hg_q2.docx", 2, "approved", "dự toán", 9_000_000_000, province="Hà Giang"),
    _line("yb_q1_so.xlsx", 1, "executed", "thực hiện", 1_000_000_000, [1], province="Yên Bái", unit="Văn phòng Sở"),
    _line("yb_6t_ttud.xlsx", 1, "executed", "thực hiện", 3_000_000_000, [1, 2], province="Yên Bái",
          unit="Trung tâm Ứng dụng KH&CN"),
]


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    path = tmp_path_factory.mktemp("counted") / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute(schema.DDL)
    for i, (doc, issued) in enumerate(DOCS.items()):
        province = {"hg": "Hà Giang", "yb": "Yên Bái"}.get(doc[:2], P)
        con.execute("INSERT INTO documents (document, sha256, province, fiscal_years, issued_date) VALUES (?, ?, ?, ?, ?)",
                    [doc, f"{i:064d}", province, [Y], issued])
    cols = list(LINES[0])
    con.executemany(f"INSERT INTO budget_lines ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                    [[r[c] for c in cols] for r in LINES])
    # what the write path does after every build and ingest: 3 restated estimates, 3 periods inside
    # the 9 months, qd2 before, qd1 after, hg_q2 estimate
    assert counting.mark_counted(con) == 9
    con.close()
    return Warehouse(path)


def _by_stage(wh, province=P) -> dict[str, int]:
    df = wh.budget_by_province_year([province], [Y], with_documents=False)
    return {k: int(v) for k, v in df.groupby("phase_vn")["amount_vnd"].sum().items()}


def test_the_widest_period_is_counted_once(wh):
    spans = wh.execution_spans(P, Y, "ước thực hiện")
    assert list(spans["span"]) == [13, 12, 11, 22]  # widest first
    assert list(spans["counted"]) == [True, False, False, False]
    assert list(spans["label"]) == ["9 tháng đầu năm", "6 tháng đầu năm", "Quý I", "Quý II"]
    assert wh.total(BudgetFilter(P, Y, "executed", "ước thực hiện")) == 12_000_000_000  # not 3 + 7 + 4 + 12 bn
    assert _by_stage(wh)["ước thực hiện"] == 12_000_000_000
    docs = wh.scope_documents([P], [Y], "ước thực hiện", "budget")
    assert list(docs["documents"]) == ["9t.xlsx"] and list(docs["periods"]) == ["9 tháng đầu năm"]


def test_one_period_chosen(wh):
    for span, amount in ((11, 3_000_000_000), (12, 7_000_000_000), (22, 4_000_000_000), (13, 12_000_000_000)):
        assert wh.total(BudgetFilter(P, Y, "executed", "ước thực hiện", periods=(span,))) == amount, span_label(span)


def test_periods_that_do_not_overlap_add_up(wh):
    spans = wh.execution_spans("Hà Giang", Y, "thực hiện")
    assert list(spans["counted"]) == [True, True]
    assert _by_stage(wh, "Hà Giang")["thực hiện"] == 4_500_000_000
    assert list(wh.scope_documents(["Hà Giang"], [Y], "thực hiện", "budget")["periods"]) == ["Quý I + Quý II"]


def test_periods_are_compared_within_one_unit(wh):
    """A Quý I disclosure of one unit is not inside another unit's 6 months."""
    assert _by_stage(wh, "Yên Bái")["thực hiện"] == 4_000_000_000
    assert wh.total(BudgetFilter("Yên Bái", Y, "executed", "thực hiện")) == 4_000_000_000


def test_the_estimate_restated_by_reports_is_not_added(wh):
    stages = _by_stage(wh)
    assert stages["dự toán"] == 18_000_000_000  # the estimate document's leaves, not 4 × 18 bn
    assert wh.total(BudgetFilter(P, Y, "approved", "dự toán")) == 18_000_000_000
    # a province whose estimate only the reports print: the earliest report's
    assert _by_stage(wh, "Hà Giang")["dự toán"] == 9_000_000_000
    assert list(wh.scope_documents(["Hà Giang"], [Y], "dự toán", "budget")["documents"]) == ["hg_q1.docx"]
    # a scope that names its documents (a version) reads them as they are
    assert wh.total(BudgetFilter(P, Y, "approved", "dự toán", documents=("6t.xlsx",))) == 18_000_000_000


def test_decisions_first_before_last_after_all_changes(wh):
    stages = _by_stage(wh)
    assert stages["dự toán đã giao"] == 18_000_000_000  # before the first decision
    assert stages["dự toán điều chỉnh"] == 18_500_000_000  # after the last
    assert stages["điều chỉnh"] == 500_000_000  # + 1 bn − 0,5 bn: every change adds up


def test_stage_list_sums_what_is_counted(wh):
    stages = wh.stages(P, Y).set_index("phase_vn")["amount_vnd"].to_dict()
    assert stages["ước thực hiện"] == 12_000_000_000 and stages["dự toán"] == 18_000_000_000
    totals = wh.execution_totals(P)
    assert int(totals[totals["phase_vn"] == "ước thực hiện"]["amount_vnd"].sum()) == 12_000_000_000
