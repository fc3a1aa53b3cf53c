"""Exported lines speak Vietnamese (headers, labels, sheet name) and keep integer đồng; each
meaning has its own colours (sources, fields, statuses, stages)."""
import csv
import io

import openpyxl
import pytest

from charts import theme
from warehouse.export import XLSX_COLUMNS, lines_to_csv, lines_to_xlsx
from warehouse.queries import BudgetFilter, Warehouse

SCOPE = BudgetFilter("Điện Biên", 2024, "approved", "dự toán", kind="budget")


@pytest.fixture(scope="module")
def lines(built_db):
    return Warehouse(built_db["db"]).lines(SCOPE)


def test_excel_is_vietnamese_and_adds_up(lines):
    ws = openpyxl.load_workbook(io.BytesIO(lines_to_xlsx(lines, "Dòng ngân sách"))).active
    assert ws.title == "Dòng ngân sách"
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[3])
    assert header == [label for _, label, _ in XLSX_COLUMNS]
    body = rows[4 : 4 + len(lines)]
    amounts = [r[header.index("Số tiền (đồng)")] for r in body]
    assert all(isinstance(a, int) for a in amounts) and sum(amounts) == 11_523_500_000
    assert {r[header.index("Chiều")] for r in body} == {"Chi"}
    assert {r[header.index("Loại số liệu")] for r in body} == {"dòng ngân sách"}
    sources = {r[header.index("Nguồn")] for r in body}
    assert "Chưa ghi nguồn" in sources and not sources & set(theme.SOURCE_ORDER)  # labels, never codes


def test_csv_is_vietnamese(lines):
    data = lines_to_csv(lines)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the accents
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == [label for _, label, _ in XLSX_COLUMNS]
    assert sum(int(r["Số tiền (đồng)"]) for r in rows) == 11_523_500_000
    assert {r["Chiều"] for r in rows} == {"Chi"}


def test_one_colour_scale_per_meaning():
    sources = set(theme.SOURCE_COLORS.values())
    fields = set(theme.FIELD_COLORS.values())
    stages = set(theme.STAGE_COLORS.values())
    statuses = set(theme.STATUS_COLORS.values())
    assert not sources & fields and not sources & stages and not sources & statuses
    assert not fields & stages and not fields & statuses and not stages & statuses
    assert theme.NEUTRAL not in sources | fields | stages | statuses
    assert len(theme.FIELD_COLORS) == len(fields)  # every field its own colour
    assert len(set(theme.SOURCE_COLORS.values())) == len(theme.SOURCE_COLORS)
