"""Issue 18, items 4 and 6 over the shipped documents: no silent fallback of a province or
year a page has no data for (the page names the request and what exists), Chỉ tiêu shows
every province's reported results with their periods, reading warnings of the documents in
scope only, and lead-unit cells split into units (a task counted once per unit, once in the
totals; a document without a unit column said once)."""
from __future__ import annotations

import pandas as pd
import pytest

from loaders.text.units import UnitPart, read_unit, split_units
from tests.pages_helpers import charts, metrics, open_page, texts
from warehouse.queries import Warehouse, lead_unit_rows

MISSING = "không có dữ liệu cho trang này"
INDICATORS = "pages/chi-tieu.py"
TASKS = "pages/nhiem-vu.py"
EXECUTION = "pages/thuc-hien.py"
OVERVIEW = "pages/tong-quan.py"


@pytest.fixture()
def app(built_db, monkeypatch, tmp_path):
    monkeypatch.setenv("SKHCN_DB", str(built_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(built_db["raw"]))
    monkeypatch.setenv("SKHCN_ENTRIES", str(tmp_path / "entries.sqlite"))
    return open_page


@pytest.fixture()
def wh(built_db):
    return Warehouse(built_db["db"])


def notices(at) -> list[str]:
    return [i.value for i in at.info if MISSING in i.value]


# --- the splitter ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cell, units",
    [
        # a list with a qualifier at the end, a bare abbreviation taking the head before it
        ("Văn phòng Sở, Phòng KĐC, HTS, Trung tâm ĐMST theo chức năng nhiệm vụ",
         [("Văn phòng Sở", "Văn phòng Sở"), ("Phòng KĐC", "Phòng Khoa học, Công nghệ, ĐMST và CĐS"),
          ("HTS", "Phòng HTS"), ("Trung tâm ĐMST", "Trung tâm Đổi mới sáng tạo")]),
        # a unit whose own name holds commas and "và": one unit
        ("Phòng Khoa học, Công nghệ, ĐMST và CĐS", [("Phòng Khoa học, Công nghệ, ĐMST và CĐS",
                                                    "Phòng Khoa học, Công nghệ, ĐMST và CĐS")]),
        # "và" inside a name (no unit head after it) vs "và" between two units
        ("Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ",
         [("Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ", "Trung tâm Ứng dụng KH&CN")]),
        ("Văn phòng Sở và Phòng KĐC", [("Văn phòng Sở", "Văn phòng Sở"),
                                       ("Phòng KĐC", "Phòng Khoa học, Công nghệ, ĐMST và CĐS")]),
        # a comma inside parentheses is not a separator
        ("Chi cục Tiêu chuẩn Đo lường Chất lượng (TĐC, ĐL); Thanh tra Sở",
         [("Chi cục Tiêu chuẩn Đo lường Chất lượng (TĐC, ĐL)", "Chi cục / Phòng TĐC"), ("Thanh tra Sở", "Thanh tra Sở")]),
        # line breaks, kept or squeezed into a space by the text normal form
        ("Phòng KĐC\nTrung tâm ĐMST", [("Phòng KĐC", "Phòng Khoa học, Công nghệ, ĐMST và CĐS"),
                                       ("Trung tâm ĐMST", "Trung tâm Đổi mới sáng tạo")]),
        ("Phòng KĐC Trung tâm ĐMST", [("Phòng KĐC", "Phòng Khoa học, Công nghệ, ĐMST và CĐS"),
                                      ("Trung tâm ĐMST", "Trung tâm Đổi mới sáng tạo")]),
        # "+" and ";" ; a swapped abbreviation read as the known one, printed words kept
        ("Phòng KĐC + Thanh tra Sở; Trung tâm ĐSMT",
         [("Phòng KĐC", "Phòng Khoa học, Công nghệ, ĐMST và CĐS"), ("Thanh tra Sở", "Thanh tra Sở"),
          ("Trung tâm ĐSMT", "Trung tâm Đổi mới sáng tạo")]),
        # assignees are not units
        ("Văn phòng Sở (Thuận, Cuộc), Phòng TĐC", [("Văn phòng Sở", "Văn phòng Sở"), ("Phòng TĐC", "Chi cục / Phòng TĐC")]),
        # a name the vocabulary does not know is never cut into words …
        ("Phòng Hợp tác quốc tế, đối ngoại", [("Phòng Hợp tác quốc tế, đối ngoại", None)]),
        # … but a known unit after it is a unit of its own
        ("Phòng Hợp tác quốc tế, Văn phòng Sở", [("Phòng Hợp tác quốc tế", None), ("Văn phòng Sở", "Văn phòng Sở")]),
        ("", []),
        (None, []),
    ],
)
def test_split_units_hard_cases(cell, units):
    assert [(p.printed, p.kind) for p in split_units(cell)] == units


def test_split_units_agrees_with_the_kind_of_every_shipped_cell(wh):
    """On every lead-unit cell of the shipped tasks and targets, the kinds of the units
    split are the kinds ``read_unit`` gives the whole cell (when it knows them)."""
    cells = set(wh.df("SELECT lead_unit FROM tasks UNION SELECT lead_unit FROM indicators")["lead_unit"].dropna())
    assert cells
    several = 0
    for cell in cells:
        parts = split_units(cell)
        assert parts and all(isinstance(p, UnitPart) and p.printed for p in parts), cell
        assert all(p.printed in cell for p in parts), cell  # the words as printed
        kind = read_unit(cell).kind
        if kind is not None:
            assert "; ".join(dict.fromkeys(p.kind for p in parts)) == kind, cell
        several += len(parts) > 1
    assert several >= 5  # the 2026 plan has lists of units ("Văn phòng Sở, Phòng KĐC, …")


def test_lead_unit_rows_count_a_shared_task_once_per_unit(wh):
    tasks = wh.tasks("Điện Biên", 2026)
    rows = lead_unit_rows(tasks)
    assert set(rows["row"]) == set(tasks.index)  # every task, none lost
    per_task = rows.groupby("row").size()
    shared = per_task[per_task > 1]
    assert len(shared) and len(rows) == len(tasks) + int((shared - 1).sum())
    assert rows.loc[rows["shared"], "row"].isin(shared.index).all()
    # the cell stays the provenance, each unit's words come from it
    assert (rows["lead_unit"] == tasks.loc[rows["row"], "lead_unit"].to_numpy()).all()
    assert all(u in c for u, c in zip(rows["unit"], rows["lead_unit"]))
    assert not rows.duplicated(["row", "unit_group"]).any()


# --- no silent fallback --------------------------------------------------------------------
def test_execution_page_says_it_has_no_son_la(app, wh):
    at = app(EXECUTION, province="Sơn La")
    (notice,) = notices(at)
    shown = at.selectbox(key="w_province").value
    assert "Sơn La" in notice and shown in notice and shown != "Sơn La"
    options = at.selectbox(key="w_province").options
    assert "Sơn La" not in options and all(o in notice for o in options)
    # on a rerun (another choice of the page) the notice stays; the link still asks for Sơn La
    at.run()
    assert len(notices(at)) == 1 and at.query_params["province"] in ("Sơn La", ["Sơn La"])


def test_a_request_kept_for_the_next_page_that_has_it(app):
    at = app(EXECUTION, province="Sơn La")
    assert notices(at)
    at.switch_page(TASKS).run()
    assert not at.exception
    assert at.selectbox(key="w_province").value == "Sơn La" and not notices(at)


def test_a_year_without_data_is_named_with_the_years_that_exist(app, wh):
    at = app(INDICATORS, province="Điện Biên", year="2019")
    (notice,) = notices(at)
    years = wh.indicator_years("Điện Biên")
    assert "2019" in notice and all(str(y) in notice for y in years)
    assert at.selectbox(key="w_year").value == years[0]  # the newest year that exists, named above
    at = app(TASKS, province="Sóc Trăng", year="2019")
    (notice,) = notices(at)
    assert "2019" in notice and "2024" in notice


def test_a_province_with_data_opens_without_a_notice(app):
    at = app(INDICATORS, province="Điện Biên", year="2026")
    assert not notices(at)


# --- Chỉ tiêu: every province's reported results ---------------------------------------------
def test_indicators_page_shows_son_la_reported_results_with_periods(app, wh):
    actuals = wh.actuals("Sơn La")
    assert len(actuals)
    at = app(INDICATORS, province="Sơn La")
    assert not notices(at)  # Sơn La is on the page, not replaced
    assert at.selectbox(key="w_province").value == "Sơn La"
    report = next(d.value for d in at.dataframe if "Kỳ" in d.value.columns)
    assert len(report) == len(actuals)
    assert set(report["Kỳ"]) == set(actuals["period"]) and set(report["Văn bản"]) == set(actuals["document"])
    page = texts(at)
    assert "chưa có văn bản kế hoạch nào có chỉ tiêu" in page
    assert all(p in page for p in wh.actual_periods("Sơn La"))


# --- warnings of the documents in scope ------------------------------------------------------
def test_overview_lists_the_warnings_of_its_year_only(app, wh):
    docs = wh.df("SELECT document, fiscal_years FROM documents WHERE province = 'Điện Biên'")
    of_2024 = {d for d, ys in zip(docs["document"], docs["fiscal_years"]) if 2024 in list(ys)}
    every = wh.parse_issues("Điện Biên")
    mine = every[every["document"].isin(of_2024)]
    others = every[~every["document"].isin(of_2024)]
    assert len(mine) and len(others)  # the shipped 2021 and 2026 plans have warnings too
    at = app(OVERVIEW, province="Điện Biên", year="2024")
    (label,) = [e.label for e in at.expander if e.label.startswith("Cảnh báo khi đọc")]
    assert f"({len(mine)})" in label
    shown = pd.concat([d.value for d in at.dataframe if list(d.value.columns)[:2] == ["Văn bản", "Dòng"]
                       and "Mức độ" in d.value.columns])
    assert set(shown["Văn bản"]) <= of_2024 and len(shown) == len(mine)
    assert any(f"{len(others)} cảnh báo khác" in c.value for c in at.caption)


def test_indicators_page_lists_warnings_of_the_documents_it_shows(app, wh):
    at = app(INDICATORS, province="Điện Biên", year="2026")
    shown_docs = set(wh.targets("Điện Biên", 2026)["document"]) | set(wh.actuals("Điện Biên")["document"])
    issues = [d.value for d in at.dataframe if "Mức độ" in d.value.columns]
    assert issues and set(issues[0]["Văn bản"]) <= shown_docs
    assert len(issues[0]) == len(wh.parse_issues("Điện Biên", documents=tuple(shown_docs)))


# --- Nhiệm vụ: units split, a missing unit column said once ------------------------------------
def test_tasks_page_counts_a_shared_task_for_each_unit(app, wh):
    at = app(TASKS, province="Điện Biên", year="2026")
    tasks = wh.tasks("Điện Biên", 2026)
    tasks = tasks[tasks["kind"] == "task"]
    assert metrics(at)["Số nhiệm vụ"] == str(len(tasks))  # the total counts a task once
    by_unit = next(f for f in charts(at) if "đơn vị chủ trì" in f["layout"]["title"]["text"])
    bars = sum(sum(tr["x"]) for tr in by_unit["data"])
    assert bars == len(lead_unit_rows(tasks)) > len(tasks)  # once per unit
    assert any("Một nhiệm vụ do nhiều đơn vị chủ trì được tính cho từng đơn vị" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert "Chủ trì (như in)" in table.columns and "Đơn vị chủ trì (tách)" in table.columns


def test_tasks_page_says_once_that_a_document_prints_no_lead_unit(app, wh):
    tasks = wh.tasks("Sơn La", 2024)
    assert len(tasks) and tasks["lead_unit"].isna().all()
    at = app(TASKS, province="Sơn La", year="2024")
    said = [i.value for i in at.info if "không in đơn vị chủ trì" in i.value]
    assert len(said) == 1 and f"{len(tasks)} nhiệm vụ" in said[0]
    assert "Chưa rõ đơn vị chủ trì" not in "\n".join(
        str(tr.get("customdata")) + str(tr.get("y")) for f in charts(at) for tr in f["data"])


def test_a_filter_value_without_data_is_named_not_dropped(app, wh):
    """A lead unit asked for in the URL that the plan year does not have (Sóc Trăng's Phòng
    Nghiệp vụ on Điện Biên's 2026 plan): named, the filter shows every task."""
    tasks = wh.tasks("Điện Biên", 2026)
    assert "Phòng Nghiệp vụ" not in set(lead_unit_rows(tasks)["unit_group"])
    at = app(TASKS, province="Điện Biên", year="2026", lead="Phòng Nghiệp vụ")
    (notice,) = notices(at)
    assert "Phòng Nghiệp vụ" in notice and "Văn phòng Sở" in notice
    assert metrics(at)["Số nhiệm vụ"] == str(int((tasks["kind"] == "task").sum()))
