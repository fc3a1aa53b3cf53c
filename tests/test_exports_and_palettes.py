"""Downloaded lines speak Vietnamese (headers, labels, no codes) and keep integer đồng; each
meaning has its own colours (sources, fields, statuses, stages)."""
import csv
import io

import openpyxl
import pytest

from charts import theme
from ui.tables import LINE_EXPORT_COLUMNS
from warehouse.queries import BudgetFilter, Warehouse
from warehouse.workbook import HEADERS, frame_to_csv, frame_to_xlsx

SCOPE = BudgetFilter("Điện Biên", 2024, "approved", "dự toán", kind="budget")
CODES = set(theme.SOURCE_ORDER) | {"expenditure", "revenue", "budget", "task", "project"}


@pytest.fixture(scope="module")
def lines(built_db):
    return Warehouse(built_db["db"]).lines(SCOPE)[LINE_EXPORT_COLUMNS]


def test_excel_of_the_lines_is_vietnamese_and_adds_up(lines):
    wb = openpyxl.load_workbook(io.BytesIO(frame_to_xlsx({"Dòng ngân sách": lines}, title="Dòng ngân sách")))
    ws = wb["Dòng ngân sách"]
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r and "Số tiền (đồng)" in r)
    header = list(rows[at])
    assert header == [HEADERS[c] for c in LINE_EXPORT_COLUMNS]  # every column has a Vietnamese header
    body = rows[at + 1 :]
    amounts = [r[header.index("Số tiền (đồng)")] for r in body]
    assert all(isinstance(a, int) for a in amounts) and sum(amounts) == 11_523_500_000
    cells = {v for r in body for v in r if isinstance(v, str)}
    assert not cells & CODES  # labels, never codes
    assert {"Chi", "Dòng ngân sách", "Chưa ghi nguồn"} <= cells


def test_csv_of_the_lines_is_vietnamese(lines):
    data = frame_to_csv(lines)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the accents
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == [HEADERS[c] for c in LINE_EXPORT_COLUMNS]
    assert sum(int(r["Số tiền (đồng)"]) for r in rows) == 11_523_500_000
    assert not {v for r in rows for v in r.values()} & CODES


def test_one_colour_scale_per_meaning():
    sources = set(theme.SOURCE_COLORS.values())
    fields = set(theme.FIELD_COLORS.values())
    stages = set(theme.STAGE_COLORS.values())
    statuses = set(theme.STATUS_COLORS.values())
    assert not sources & fields and not sources & stages and not sources & statuses
    assert not fields & stages and not fields & statuses and not stages & statuses
    assert theme.NEUTRAL not in sources | fields | stages | statuses
    assert len(theme.FIELD_COLORS) == len(fields)  # every field its own colour
    assert len(sources) == len(theme.SOURCE_COLORS)
