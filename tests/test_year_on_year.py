"""A printed "so với cùng kỳ năm trước (%)" of an execution disclosure is checked against last
year's document when the warehouse holds it (issue 15), and stays "chưa đối chiếu được" when
it does not; a wrong one is a mismatch."""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb
from openpyxl import Workbook

from warehouse import store


def _disclosure(path: Path, year: int, estimate: int, q1: int, yoy: str | None) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append([f"ĐÁNH GIÁ THỰC HIỆN DỰ TOÁN THU- CHI NGÂN SÁCH QUÝ (Quý I Năm {year})"])
    ws.append(["ĐV tính: Triệu đồng"])
    ws.append(["TT", "Nội dung", "Dự toán năm", f"Ước thực hiện Quý I năm {year}", "Ước thực hiện/Dự toán năm (%)",
               f"Ước thực hiện Quý I năm {year} so với cùng kỳ năm trước (%)"])
    ws.append(["II", "Dự toán chi ngân sách nhà nước", estimate, q1, None, yoy])
    ws.append(["2", "Nghiên cứu khoa học", estimate, q1, None, yoy])
    wb.save(path)


def _build(tmp_path: Path, yoy_2025: str, with_2024: bool) -> list[tuple]:
    raw = tmp_path / "raw"
    raw.mkdir()
    rows = []
    _disclosure(raw / "q1_2025.xlsx", 2025, 1200, 330, yoy_2025)
    rows.append(["q1_2025.xlsx", "Nghệ An", "2025", "disclosure"])
    if with_2024:
        _disclosure(raw / "q1_2024.xlsx", 2024, 1100, 300, None)
        rows.append(["q1_2024.xlsx", "Nghệ An", "2024", "disclosure"])
    with (raw / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "province", "fiscal_years", "kind"])
        w.writerows(rows)
    db = tmp_path / "w.duckdb"
    store.build(raw, db)
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT code, printed, computed, status FROM ratio_checks "
                           "WHERE column_label LIKE '%cùng kỳ%' AND document = 'q1_2025.xlsx' ORDER BY code").fetchall()


def test_checked_against_last_years_document(tmp_path):
    # 330 / 300 = 110,0 %
    assert _build(tmp_path, "110,0", with_2024=True) == [("2", "110,0", "110,0", "match"), ("II", "110,0", "110,0", "match")]


def test_a_wrong_year_on_year_percentage_is_a_mismatch(tmp_path):
    assert {status for *_, status in _build(tmp_path, "120,0", with_2024=True)} == {"mismatch"}


def test_without_last_year_it_stays_unchecked(tmp_path):
    assert {(computed, status) for *_, computed, status in _build(tmp_path, "110,0", with_2024=False)} == {
        (None, "unchecked")}
