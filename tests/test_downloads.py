"""Downloads on the pages (ui/downloads.py, the Tổng quan report button): the files are built
only when a button is clicked (deferred), never on a page run; what they hold is tested in
tests/test_workbook.py."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from ui.downloads import file_stem
from warehouse import workbook

ROOT = Path(__file__).resolve().parent.parent


def _table_page():
    import pandas as pd

    from ui.downloads import table_downloads

    df = pd.DataFrame({"description": ["Hội nghị"], "amount_vnd": [40_000_000], "ghi_chu_rieng": ["x"]})
    table_downloads(df, "Dòng ngân sách — Điện Biên 2024", {"ghi_chu_rieng": "Ghi chú riêng"})


def test_table_downloads_build_nothing_until_clicked(monkeypatch):
    import ui.downloads

    built = []
    monkeypatch.setattr(ui.downloads, "frame_to_xlsx", lambda *a, **k: built.append(a) or b"")
    monkeypatch.setattr(ui.downloads, "frame_to_csv", lambda *a, **k: built.append(a) or b"")
    at = AppTest.from_function(_table_page)
    at.run()
    at.run()
    assert not at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Tải Excel (.xlsx)", "Tải CSV"]
    assert built == []


def test_the_labels_given_by_a_page_name_its_columns():
    df = pd.DataFrame({"description": ["Hội nghị"], "amount_vnd": [40_000_000], "ghi_chu_rieng": ["x"]})
    ws = load_workbook(io.BytesIO(workbook.frame_to_xlsx(df, "T", headers={"ghi_chu_rieng": "Ghi chú riêng"})))["Dữ liệu"]
    assert [c.value for c in ws[3]] == ["Nội dung", "Số tiền (đồng)", "Ghi chú riêng"]
    assert workbook.frame_to_csv(df, {"ghi_chu_rieng": "Ghi chú riêng"}).decode("utf-8-sig").splitlines()[0] == \
        "Nội dung,Số tiền (đồng),Ghi chú riêng"


def test_file_stem():
    assert file_stem("Dòng ngân sách — Điện Biên 2024") == "dong-ngan-sach-dien-bien-2024"


def test_overview_offers_the_report_and_builds_it_on_click_only(built_db, monkeypatch):
    monkeypatch.setenv("SKHCN_DB", str(built_db["db"]))
    monkeypatch.setenv("SKHCN_RAW", str(built_db["raw"]))
    built = []
    monkeypatch.setattr(workbook, "province_year_report", lambda *a, **k: built.append(a) or b"")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)  # the app: its navigation, Tổng quan first
    at.query_params["province"] = "Điện Biên"
    at.query_params["year"] = "2024"
    at.run()
    assert not at.exception
    (button,) = [b for b in at.get("download_button") if b.proto.label == "Tải báo cáo tỉnh – năm (.xlsx)"]
    assert built == []
