"""Named table settings and the debug view (issue 14).

* every weight of the readers is a named, documented, checked setting (``loaders.tables.settings``,
  ``loaders.families.plan_flow.PlanSettings``); a bad value is a ``ValueError`` naming the field;
* changing one named weight changes a placement in the expected direction (the weight is used);
* the debug view (``loaders.tables.debug``, ``loaders.explain``, ``python -m warehouse debug-table``)
  explains a known placement of ``data/raw/003`` with its decisive terms, and costs nothing when
  not asked for. That the defaults reproduce the readers' output is ``tests/test_seed_golden.py``.
"""
from __future__ import annotations

import math
import re

import pytest
from helpers import RAW

from loaders.explain import explain_document
from loaders.families.plan_doc import regions
from loaders.families.plan_flow import PlanSettings, PlanTyper
from loaders.tables import flow as flow_module
from loaders.tables.cells import read_cells
from loaders.tables.debug import (
    explain_cells,
    explain_flow,
    explain_spaced,
    explain_tsv,
    format_tables,
)
from loaders.tables.flow import FlowTyper, read_flow
from loaders.tables.model import SourceRow
from loaders.tables.settings import (
    FlowSettings,
    HeaderSettings,
    Settings,
    TableSettings,
    TyperSettings,
)
from loaders.tables.spaced import read_spaced
from loaders.tables.trace import active, collecting
from warehouse.cli import main

PLAN_2026 = RAW / "003_912c6259a13f4ad4.txt"
ALL = (HeaderSettings, FlowSettings, TyperSettings, PlanSettings)

# A row of a plan table in PDF text: the name "Tập huấn cho" ends open ("cho"), the lead unit
# and the timing follow on their own lines.
FLOW = """STT Nội dung công việc Đơn vị chủ trì Thời gian thực hiện

1 Tập huấn cho
Phòng Quản lý chuyên ngành
Quý II
""".splitlines()


def _cells(lines, typer=None, settings=None):
    (table,) = read_flow(lines, "x.txt", typer or PlanTyper(2025), settings=settings)
    return [(r.text_of("description"), r.text_of("lead"), r.text_of("period")) for r in table.rows]


# --------------------------------------------------------------------------- settings


@pytest.mark.parametrize("cls", ALL)
def test_every_setting_is_named_documented_and_checked(cls):
    described = cls.describe()
    assert described, cls
    for name, default, kind, doc in described:
        assert kind in ("bonus", "penalty", "share", "factor", "count", "percent"), name
        assert len(doc) > 20, f"{cls.__name__}.{name} has no note"
        assert isinstance(default, int if kind in ("count", "percent") else float), name
    cls()  # the defaults pass their own checks


def test_about_a_hundred_weights_are_named():
    names = {f"{cls.__name__}.{n}" for cls in (HeaderSettings, FlowSettings) for n, *_ in cls.describe()}
    names |= {n for n, *_ in PlanSettings.describe()}  # PlanSettings includes TyperSettings' fields
    assert len(names) >= 80


def test_defaults_are_the_former_literals():
    f, h, t, p = FlowSettings(), HeaderSettings(), TyperSettings(), PlanSettings()
    assert (f.inner_start_penalty, f.open_end_penalty, f.overwide_penalty, f.early_wrap_penalty,
            f.early_wrap_room_penalty, f.width_min_lines, f.width_percentile, f.width_outlier_ratio) == \
        (0.3, 2.0, 3.0, 0.5, 3.0, 5, 90, 1.5)
    assert (h.cell_coverage, h.continuation_coverage, h.spaced_coverage, h.spaced_wrap_coverage,
            h.continuation_max_words, h.flow_coverage) == (0.5, 0.5, 0.6, 0.8, 15, 0.5)
    assert (t.typed_fit, t.typed_misfit, t.max_amount_pieces, t.max_period_pieces) == (3.0, 6.0, 8, 4)
    assert (p.typed_misfit, p.unit_fit, p.target_fit, p.period_fit, p.empty_description_penalty,
            p.max_amount_pieces, p.max_period_pieces, p.max_lead_pieces) == (6.0, 3.0, 4.0, 4.0, 8.0, 12, 6, 14)


@pytest.mark.parametrize("cls, changes, field", [
    (FlowSettings, {"open_end_penalty": -2.0}, "FlowSettings.open_end_penalty"),
    (FlowSettings, {"width_min_lines": 2.5}, "FlowSettings.width_min_lines"),
    (FlowSettings, {"width_min_lines": 0}, "FlowSettings.width_min_lines"),
    (FlowSettings, {"width_percentile": 101}, "FlowSettings.width_percentile"),
    (FlowSettings, {"width_outlier_ratio": 0.5}, "FlowSettings.width_outlier_ratio"),
    (FlowSettings, {"inner_start_penalty": math.nan}, "FlowSettings.inner_start_penalty"),
    (FlowSettings, {"overwide_penalty": "3"}, "FlowSettings.overwide_penalty"),
    (HeaderSettings, {"flow_coverage": 1.5}, "HeaderSettings.flow_coverage"),
    (HeaderSettings, {"continuation_max_words": True}, "HeaderSettings.continuation_max_words"),
    (TyperSettings, {"typed_fit": -3.0}, "TyperSettings.typed_fit"),
    (PlanSettings, {"unit_fit": -1}, "PlanSettings.unit_fit"),
    (PlanSettings, {"max_lead_pieces": 0}, "PlanSettings.max_lead_pieces"),
    (PlanSettings, {"empty_description_penalty": math.inf}, "PlanSettings.empty_description_penalty"),
])
def test_a_bad_value_is_refused_naming_the_field(cls, changes, field):
    with pytest.raises(ValueError, match=re.escape(field)):
        cls(**changes)
    with pytest.raises(ValueError, match=re.escape(field)):
        cls().replace(**changes)


def test_unknown_names_and_wrong_parts_are_refused():
    with pytest.raises(ValueError, match="open_end_penalti.*known: .*open_end_penalty"):
        FlowSettings().replace(open_end_penalti=3.0)
    with pytest.raises(ValueError, match="TableSettings.flow"):
        TableSettings(flow=HeaderSettings())
    with pytest.raises(TypeError, match="PlanSettings"):
        PlanTyper(2025, TyperSettings())
    with pytest.raises(TypeError, match="TyperSettings"):
        FlowTyper(FlowSettings())


def test_settings_are_frozen_and_ints_become_floats():
    s = FlowSettings(open_end_penalty=3)
    assert s.open_end_penalty == 3.0 and isinstance(s.open_end_penalty, float)
    with pytest.raises(AttributeError):
        s.open_end_penalty = 1.0  # type: ignore[misc]
    assert issubclass(PlanSettings, TyperSettings) and issubclass(FlowSettings, Settings)
    assert "cannot end there" in FlowSettings.doc("open_end_penalty")


# --------------------------------------------------------------------------- the weights are used


def test_the_open_end_penalty_decides_where_an_open_name_ends():
    """"Tập huấn cho" ends open: with the default penalty (2) the lead unit still wins its
    line (+3 vs an empty lead −3, the debug view says by 4 points); a penalty over 2 + 4
    makes the name take the unit's line instead."""
    assert _cells(FLOW) == [("Tập huấn cho", "Phòng Quản lý chuyên ngành", "Quý II")]
    below = TableSettings(flow=FlowSettings(open_end_penalty=5.9))
    above = TableSettings(flow=FlowSettings(open_end_penalty=6.1))
    assert _cells(FLOW, settings=below) == [("Tập huấn cho", "Phòng Quản lý chuyên ngành", "Quý II")]
    assert _cells(FLOW, settings=above) == [("Tập huấn cho Phòng Quản lý chuyên ngành", None, "Quý II")]
    (table,) = explain_flow(FLOW, "x.txt", PlanTyper(2025))
    desc = table.rows[0].segments[0].cells[0]
    assert desc.role == "description" and desc.margin == pytest.approx(4.0)
    assert [t.name for t in desc.chosen.terms] == ["fit", "inner_start", "open_end"]


def test_the_unit_fit_decides_whether_a_unit_line_is_the_lead():
    """Without the bonus of a unit name and the penalty of an empty lead cell the unit line is
    as good in the name: the lead cell loses it."""
    weak = PlanSettings(unit_fit=0.0, empty_lead_penalty=0.0)
    assert _cells(FLOW, PlanTyper(2025, weak)) == [("Tập huấn cho Phòng Quản lý chuyên ngành", None, "Quý II")]
    assert _cells(FLOW, PlanTyper(2025, PlanSettings(unit_fit=0.0))) == [
        ("Tập huấn cho", "Phòng Quản lý chuyên ngành", "Quý II")]


def test_the_typed_fit_of_the_base_typer_is_used():
    lines = ["STT Nội dung công việc Thời gian thực hiện", "1 Hội thảo", "Quý II"]
    base = FlowTyper()
    assert _cells(lines, base) == [("Hội thảo", None, "Quý II")]
    # a timing worth less than nothing goes into the name
    assert _cells(lines, FlowTyper(TyperSettings(typed_fit=0.0, typed_misfit=0.0))) == [("Hội thảo Quý II", None, None)]


def test_header_thresholds_are_used():
    rows = [SourceRow(["TT", "Nội dung", "Kinh phí"], "x:1", 1), SourceRow(["1", "Hội thảo", "45"], "x:2", 2)]
    assert len(read_cells(rows)) == 1
    assert read_cells(rows, settings=TableSettings(header=HeaderSettings(min_header_cells=4))) == []
    spaced = ["TT Nội dung thực hiện Thời gian Dự toán kinh phí Ghi chú", "1 Hội thảo Quý II 40.000.000 Nguồn SNKH"]
    assert len(read_spaced(spaced, "x.txt")) == 1
    strict = HeaderSettings(spaced_coverage=1.0, spaced_min_phrases=9)
    assert read_spaced(["TT Nội dung thực hiện ở xã vùng cao", "1 Hội thảo 40.000.000"], "x.txt") != []
    assert read_spaced(["TT Nội dung thực hiện ở xã vùng cao", "1 Hội thảo 40.000.000"], "x.txt",
                       settings=TableSettings(header=strict)) == []


# --------------------------------------------------------------------------- the debug view


def test_explaining_costs_nothing_when_not_asked(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("explained without being asked")

    monkeypatch.setattr(flow_module, "_explain_segment", refuse)
    monkeypatch.setattr(FlowTyper, "explain_fit", refuse)
    assert active() is None
    assert _cells(FLOW) == [("Tập huấn cho", "Phòng Quản lý chuyên ngành", "Quý II")]


def test_explaining_does_not_change_what_is_read(raw_lines):
    lines = raw_lines(PLAN_2026.name)
    tasks = next(r for r in regions(lines) if r.label == "Phụ lục II")
    part = lines[tasks.start - 1: tasks.end]
    plain = read_flow(part, "003.txt", PlanTyper(2026), first_line=tasks.start)
    with collecting() as trace:
        traced = read_flow(part, "003.txt", PlanTyper(2026), first_line=tasks.start)
    assert repr(traced) == repr(plain)
    (tx,) = trace.tables
    rows = plain[0].rows
    assert len(tx.rows) == len(rows)
    for rx, row in zip(tx.rows, rows):
        assert rx.code == row.code and rx.kind == row.kind
        for seg in rx.segments:  # each segment's chosen cells add up to its best total
            assert sum(c.chosen.score for c in seg.cells) == pytest.approx(seg.total)
            for c in seg.cells:
                assert c.runner_up is None or c.margin >= -1e-9
        placed = {}
        for seg in rx.segments:
            for c in seg.cells:
                placed.setdefault(c.column, []).extend(n for n, _ in c.chosen.pieces)
        for col, cell in zip(row.header.columns, row.cells):
            if col.role != "code" and row.kind == "item":
                assert tuple(dict.fromkeys(placed.get(col.index, []))) == (cell.lines if cell else ())


@pytest.fixture(scope="module")
def plan_2026():
    return explain_document(PLAN_2026)


def test_the_debug_view_explains_a_lead_unit_of_the_2026_plan(plan_2026):
    """Phụ lục II, task 1: "Văn phòng Sở" (line 898) is the lead unit because it starts with a
    unit name (PlanSettings.unit_fit); the runner-up would give the lead "Các phòng / CM, đơn vị
    sự / nghiệp thuộc", which ends open (FlowSettings.open_end_penalty)."""
    table_no, table = next((k, t) for k, t in enumerate(plan_2026, 1) if "partners" in [c.role for c in t.columns])
    assert table.reader == "flow" and table.line == 870
    assert any("'Chủ trì' (lead)" in r for r in table.header_reasons)
    row = next(r for r in table.rows if r.code == "1")
    assert row.line == 878 and row.kind == "item"
    lead = next(c for c in row.segments[0].cells if c.role == "lead")
    assert lead.chosen.pieces == [(898, "Văn phòng Sở")]
    fit = lead.chosen.terms[0]
    assert fit.name == "fit" and fit.value == 3.0 and ("PlanSettings.unit_fit", 3.0) in fit.settings
    runner = lead.runner_up
    assert runner is not None and [n for n, _ in runner.pieces] == [900, 902, 904]
    assert "open_end" in [t.name for t in runner.terms] and lead.margin > 0
    piece = next(p for p in row.segments[0].pieces if p.line == 900)
    assert (piece.text, table.columns[piece.column].role) == ("Các phòng", "partners")
    assert piece.runner_up is not None and piece.margin > 0
    assert any(e.kind == "repeated header" for e in table.events)
    text = format_tables(plan_2026, table=table_no, row="1")
    assert "Văn phòng Sở [898]" in text and "PlanSettings.unit_fit=3" in text and "FlowSettings.open_end_penalty=2" in text


def test_the_debug_view_of_cells_and_spaced_text():
    rows = [
        SourceRow(["TT", "Nội dung", "Dự toán"], "x:1", 1),
        SourceRow(["(1)", "(2)", "(3)"], "x:2", 2),
        SourceRow(["1", "Hội thảo", "45"], "x:3", 3),
        SourceRow(["", "khoa học", ""], "x:4", 4),
        SourceRow(["", "Tổng cộng", "45"], "x:5", 5),
    ]
    (tx,) = explain_cells(rows)
    assert "3 cell(s) covered by header phrases at least 0.5" in tx.header_reasons[0]
    assert [(e.line, e.kind) for e in tx.events] == [(2, "column numbers")]
    assert [(r.code, r.kind) for r in tx.rows] == [("1", "item"), (None, "total")]
    assert any("continued by this row" in reason for reason in tx.rows[0].reasons)
    assert [c.text for c in tx.rows[0].cells] == ["1", "Hội thảo khoa học", "45"]
    (tsv,) = explain_tsv(["TT\tNội dung\tDự toán", "1\tHội thảo\t45", "- 2 -", "2\tTập huấn\t30"], "x.txt")
    assert [(e.line, e.kind) for e in tsv.events] == [(3, "page number")]
    (sp,) = explain_spaced(["TT Nội dung thực hiện Thời gian", "thực hiện", "1 Hội thảo Quý II 40.000.000 Nguồn SNKH",
                            "khoa học"], "x.txt")
    assert [(e.line, e.kind) for e in sp.events] == [(2, "header fragment")]
    (row,) = sp.rows
    assert "amount '40.000.000'" in row.reasons[1] and "continues the description" in row.reasons[2]


def test_the_debug_table_command(capsys, tmp_path):
    path = tmp_path / "ke_hoach.txt"
    lines = ["KẾ HOẠCH NHIỆM VỤ NĂM 2025",
             "TT\tNội dung công việc\tĐơn vị chủ trì\tThời gian thực hiện\tKinh phí (triệu đồng)",
             "1\tHội nghị khoa học\tVăn phòng Sở\tQuý II\t100"]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert main(["debug-table", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 bảng / tables" in out and "why a header" in out
    assert main(["debug-table", str(path), "--row", "1"]) == 0
    assert "Văn phòng Sở" in capsys.readouterr().out
    assert main(["debug-table", str(path), "--table", "5"]) == 2
    assert "no table 5" in capsys.readouterr().err
    assert main(["debug-table", str(tmp_path / "none.txt")]) == 1
