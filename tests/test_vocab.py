"""One vocabulary (loaders/vocab.py): the model constants, the DDL CHECK lists, the chart labels
and colours and the export constraints are all derived from it."""
import duckdb
import pytest

from charts import theme
from loaders import model
from loaders.documents import KINDS
from loaders.vocab import (
    Direction,
    DocumentKind,
    FundingSource,
    Phase,
    ReconciliationStatus,
    Stage,
)
from warehouse import export, schema


def test_values_are_the_stored_strings():
    assert FundingSource.SNKH == "SNKH" and Phase.APPROVED == "approved" and Stage.DU_TOAN == "dự toán"
    assert Direction.EXPENDITURE == "expenditure" and DocumentKind.BUDGET_APPENDICES == "budget_appendices"
    assert Stage.KH_UBND_GIAO.phase is Phase.APPROVED and Stage.THUC_HIEN_6T.phase is Phase.EXECUTED


def test_model_constants_come_from_the_vocabulary():
    assert model.FUNDING_SOURCES == FundingSource.values()
    assert model.PHASES == Phase.values() and model.DIRECTIONS == Direction.values()
    assert model.STAGE_PHASE == {s.value: s.phase.value for s in Stage}
    assert KINDS == set(DocumentKind.values())


def test_chart_labels_and_colours_come_from_the_vocabulary():
    assert theme.SOURCE_ORDER == list(FundingSource.values())
    assert theme.SOURCE_LABELS == {s.value: s.label for s in FundingSource}
    assert set(theme.SOURCE_COLORS) == set(FundingSource.values())
    assert theme.PHASE_LABELS == Phase.labels()
    assert theme.DIRECTION_LABELS == {"expenditure": "Chi", "revenue": "Thu", "remittance": "Nộp ngân sách"}
    assert theme.STAGE_COLORS["KH UBND giao"] == Stage.KH_UBND_GIAO.color


def test_export_constraints_come_from_the_vocabulary():
    assert export.FIELD_ENUMS["funding_source"] == FundingSource.values()
    assert export.FIELD_ENUMS["status"] == ReconciliationStatus.values()


@pytest.mark.parametrize("column, good, bad", [
    ("funding_source", "UNSPECIFIED", "NGUON_LA"), ("phase", "adjusted", "planned"), ("direction", "revenue", "in"),
])
def test_the_schema_checks_the_vocabulary(column, good, bad):
    con = duckdb.connect()
    con.execute(schema.DDL)
    row = {"document": "d", "line_id": "x", "province": "p", "fiscal_year": 2024, "phase": "approved",
           "phase_vn": "dự toán", "direction": "expenditure", "funding_source": "SNKH", "is_subtotal": False,
           "source_line": 1}
    insert = f"INSERT INTO budget_lines ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})"
    con.execute(insert, list({**row, column: good}.values()))
    with pytest.raises(duckdb.ConstraintException):
        con.execute(insert, list({**row, "line_id": "y", column: bad}.values()))
