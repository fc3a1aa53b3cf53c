"""When the parser is not sure, the officer decides (issue 14), on the upload page in AppTest:
a workbook whose money column is headed in words nobody listed is refused with its columns
shown and their guessed roles; choosing "Số tiền" and "Dự toán" reads it again — lines,
totals and reconciliation to the đồng — before anything is saved; "Lưu" writes the layout
profile (who, which document) and the document with the profile named in its manifest row,
and the audit log says who saved the profile. A rebuild reads the document the same way."""
from __future__ import annotations

import shutil
import tomllib

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders.documents import read_manifest
from loaders.tables import layouts
from tests.helpers import unknown_header_workbook as _workbook
from tests.test_import_page import PAGE, VARIANTS, _upload
from ui import decisions
from warehouse import audit, store, users
from warehouse.queries import BudgetFilter, Warehouse

PROVINCE, YEAR = "Nghệ An", 2025


@pytest.fixture()
def wh(built_db, tmp_path, monkeypatch):
    """A warehouse of the shipped documents in ``tmp_path``, the data directory ``tmp_path/data``
    (uploads) and a layout folder of its own."""
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    shutil.copytree(built_db["raw"], raw)
    shutil.copyfile(built_db["db"], db)  # fresh for (raw, uploads) too while nothing is uploaded
    monkeypatch.setenv("SKHCN_RAW", str(raw))
    monkeypatch.setenv("SKHCN_DB", str(db))
    monkeypatch.setenv("SKHCN_DATA", str(tmp_path / "data"))
    monkeypatch.setattr(layouts, "LAYOUTS_DIR", tmp_path / "layouts")
    uploads = tmp_path / "data" / "uploads"
    return {"raw": raw, "uploads": uploads, "folders": (raw, uploads), "db": db, "base": tmp_path,
            "layouts": tmp_path / "layouts"}




def _page(login: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = login
    at.session_state["session_version"] = users.current_session(login)  # a live login (ui.auth)
    return at


def _edit(at: AppTest, key: str, row: int, **cells) -> None:
    """Change cells of the column editor as a person does in the grid (AppTest seeds the
    editor's edit state; the page reads it as it reads a browser's edits)."""
    state = at.session_state[key] if key in at.session_state else {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
    edited = {int(k): dict(v) for k, v in state["edited_rows"].items()}
    edited.setdefault(row, {}).update(cells)
    at.session_state[key] = {"edited_rows": edited, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception


def _texts(at: AppTest) -> str:
    return " ".join(e.value for kind in ("markdown", "caption", "success", "warning", "error", "info")
                    for e in getattr(at, kind))


def test_the_officer_names_the_money_column_sees_the_lines_and_saves_the_profile(wh, editor_account):
    path = _workbook(wh["base"] / "Phụ lục số liệu phân bổ 2025.xlsx")
    at = _page(editor_account)
    at.run()
    sha = _upload(at, path)
    assert "không nhận ra loại văn bản" in " ".join(w.value for w in at.warning)
    at.selectbox(key=f"province_{sha}").select(PROVINCE)
    at.number_input(key=f"year_{sha}").set_value(YEAR)
    at.selectbox(key=f"kind_{sha}").select("budget_appendices").run()
    assert not at.exception

    # refused, with its columns and their guessed roles shown
    assert any("Không đọc được văn bản" in e.value for e in at.error)
    (editor,) = at.data_editor
    columns = editor.value
    assert list(columns[decisions.HEADER]) == ["TT", "Nội dung", "Số liệu phân bổ", "Ghi chú"]
    assert list(columns[decisions.ROLE])[:2] == ["Mã, số thứ tự", "Nội dung"] and pd.isna(columns[decisions.ROLE][2])
    assert columns[decisions.SAMPLE][2] == "100 · 200 · 300"
    assert at.selectbox(key=f"unit_{sha}_0").value == "triệu đồng"
    assert "không thấy cột số tiền" in " ".join(w.value for w in at.warning)
    assert all(b.key != f"save_{sha}" for b in at.button)  # nothing to save while refused

    # "Số tiền" alone: the stage is still unknown
    key = f"columns_{sha}_0"
    _edit(at, key, 2, **{decisions.ROLE: "Số tiền"})
    assert "vẫn còn chưa rõ: PL1, hàng 3: cột 'Số liệu phân bổ': không rõ là dự toán" in " ".join(w.value for w in at.warning)
    assert any("Không đọc được văn bản" in e.value for e in at.error) and "Xem trước" not in [h.value for h in at.subheader]
    # ... and "Dự toán": the lines, the total and its reconciliation, to the đồng, before saving
    _edit(at, key, 2, **{decisions.STAGE: "Dự toán", decisions.PERIOD: "Cả năm"})
    assert not at.error, [e.value for e in at.error]
    lines = at.dataframe[1].value  # [0] is the column editor
    assert list(lines["Số tiền (đồng)"]) == [100_000_000, 200_000_000]
    assert list(lines["Vị trí"]) == ["trang tính PL1, ô C4", "trang tính PL1, ô C5"]  # the amounts' cells (column C)
    totals = at.dataframe[2].value
    assert (totals["Số in (đồng)"].iloc[0], totals["Kết quả"].iloc[0]) == (300_000_000, "Khớp")
    text = _texts(at)
    assert "Tổng chi các dòng chi tiết: **300.000.000 đ**" in text and "**1/1** tổng cộng khớp" in text
    assert "Đã đọc lại văn bản theo lựa chọn của bạn" in text
    assert not wh["layouts"].exists()  # nothing written yet
    assert not Warehouse(wh["db"]).total(BudgetFilter(PROVINCE, YEAR, phase_vn="dự toán"))

    # another unit: the figures change with it
    at.selectbox(key=f"unit_{sha}_0").select("nghìn đồng").run()
    assert list(at.dataframe[1].value["Số tiền (đồng)"]) == [100_000, 200_000]
    at.selectbox(key=f"unit_{sha}_0").select("triệu đồng").run()
    assert list(at.dataframe[1].value["Số tiền (đồng)"]) == [100_000_000, 200_000_000]

    # the profile's name: from the file name, lower-case ASCII with dashes
    assert at.text_input(key=f"profile_name_{sha}").value == "phu-luc-so-lieu-phan-bo-2025"
    at.text_input(key=f"profile_name_{sha}").input("Tên Có Dấu").run()
    assert at.button(key=f"save_{sha}").disabled and any("chữ thường không dấu" in e.value for e in at.error)
    at.text_input(key=f"profile_name_{sha}").input("pl-so-lieu-phan-bo").run()
    assert at.button(key=f"save_{sha}").disabled is False
    at.button(key=f"save_{sha}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("mẫu bố cục pl-so-lieu-phan-bo" in s.value for s in at.success)

    saved = wh["layouts"] / "pl-so-lieu-phan-bo.toml"
    profile = tomllib.loads(saved.read_text(encoding="utf-8"))
    assert (profile["author"], profile["document"]) == (editor_account, path.name)
    assert profile["signature"] == "tt | nội dung | số liệu phân bổ | ghi chú" and profile["unit"] == "triệu đồng"
    assert profile["columns"]["2"] == {"role": "amount", "stage": "dự toán", "quarters": [1, 2, 3, 4], "cumulative": False}
    assert read_manifest(wh["uploads"])[path.name].profile == "pl-so-lieu-phan-bo"
    assert path.name not in read_manifest(wh["raw"])  # the shipped manifest is never written
    assert Warehouse(wh["db"]).total(BudgetFilter(PROVINCE, YEAR, phase_vn="dự toán")) == 300_000_000
    log = audit.recent(5)
    rows = list(zip(log["action"], log["actor"], log["target"]))
    assert ("save_layout", editor_account, "layouts/pl-so-lieu-phan-bo.toml") in rows
    assert ("upload", editor_account, path.name) in rows

    # a rebuild reads the document with the profile its manifest names
    store.build(wh["folders"], wh["db"])
    assert Warehouse(wh["db"]).total(BudgetFilter(PROVINCE, YEAR, phase_vn="dự toán")) == 300_000_000


def test_a_name_held_by_another_header_is_refused(wh, editor_account):
    other = layouts.Layout("pl-so-lieu", "tt | nội dung | kinh phí khác", {2: {"role": "amount"}}, document="khac.xlsx")
    layouts.save(other)
    path = _workbook(wh["base"] / "pl-so-lieu.xlsx")
    at = _page(editor_account)
    at.run()
    sha = _upload(at, path)
    at.selectbox(key=f"province_{sha}").select(PROVINCE)
    at.number_input(key=f"year_{sha}").set_value(YEAR)
    at.selectbox(key=f"kind_{sha}").select("budget_appendices").run()
    _edit(at, f"columns_{sha}_0", 2, **{decisions.ROLE: "Số tiền", decisions.STAGE: "Dự toán"})
    assert at.text_input(key=f"profile_name_{sha}").value == "pl-so-lieu"
    assert any("đã dùng cho mẫu bố cục của một bảng khác (khac.xlsx)" in e.value for e in at.error)
    assert at.button(key=f"save_{sha}").disabled


def test_the_column_editor_labels_and_changes():
    assert decisions.profile_name("../Phụ lục Đơn vị (bản 2).xlsx") == "phu-luc-don-vi-ban-2"
    assert decisions.profile_name("***.xlsx") == "mau-bo-cuc"
    assert decisions.period_label((1, 2, 3, 4), False) == "Cả năm"
    assert decisions.period_label((1, 2), True) == "Lũy kế đến hết quý II"
    assert decisions.period_label((2, 3), False) == "Quý II, III"
    assert decisions.period_label((), False) is None
    assert set(decisions.STAGE_LABELS) == set(layouts.STAGES) and decisions.STAGE_LABELS["dự toán"] == "Dự toán"


def test_a_document_read_with_warnings_offers_the_editor_behind_a_toggle(wh, editor_account):
    at = _page(editor_account)
    at.run()
    sha = _upload(at, VARIANTS / "thaibinh_2024_appendix_tables.docx")
    at.selectbox(key=f"province_{sha}").select("Thái Bình").run()
    assert not at.data_editor  # read, with a warning (a total that disagrees): the editor is not in the way
    total = at.dataframe[0].value["Số tiền (đồng)"].sum()
    at.toggle(key=f"decide_{sha}").set_value(True).run()
    (editor,) = at.data_editor
    assert "Số tiền" in set(editor.value[decisions.ROLE])
    assert not at.text_input  # nothing changed: nothing to save as a profile
    unit = at.selectbox(key=f"unit_{sha}_0")
    assert unit.value == "đồng"
    unit.select("nghìn đồng").run()
    assert not at.exception
    assert any("đơn vị tính nghìn đồng" in i.value for i in at.info)
    # read again with the unit chosen (both appendices print this header: one decision for both)
    assert at.dataframe[1].value["Số tiền (đồng)"].sum() == total * 1000
    assert at.text_input(key=f"profile_name_{sha}").value == "thaibinh-2024-appendix-tables"
    at.toggle(key=f"decide_{sha}").set_value(False).run()  # off: the decisions are dropped
    assert at.dataframe[0].value["Số tiền (đồng)"].sum() == total and not at.text_input


def test_several_profiles_in_the_manifest_each_read_the_table_of_its_header(tmp_path, monkeypatch):
    from loaders.documents import ManifestEntry, read_document
    from loaders.mapping import inspect, layout_for, save_decision

    monkeypatch.setattr(layouts, "LAYOUTS_DIR", tmp_path / "layouts")
    path = _workbook(tmp_path / "hai_bang.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.create_sheet("PL2")
    for row in (["Đơn vị tính: đồng"], ["STT", "Nội dung chi", "Mức bố trí", "Ghi chú"],
                ["1", "Tập huấn", 5_000, "Nguồn SNKH"], ["", "TỔNG CỘNG", 5_000, ""]):
        ws.append(row)
    wb.save(path)
    entry = ManifestEntry(file=path.name, province=PROVINCE, fiscal_years=[YEAR], kind="budget_appendices")
    tables = inspect(path, entry).tables
    assert len(decisions.headers(tables)) == 2
    chosen = [layout_for(t, {2: {"role": "amount", "stage": "dự toán"}}) for t in tables]
    names = decisions.profile_names("hai-bang", 2)
    for name, layout in zip(names, chosen):
        save_decision(layout, name, "bientap", path.name)
    entry.profile = ",".join(names)
    result = read_document(path, entry)
    assert sorted(b.amount_vnd for b in result.budget_lines) == [5_000, 100_000_000, 200_000_000]
    assert {t.status for t in result.totals} == {"match"}
