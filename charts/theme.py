"""Colours and labels shared by every chart: one colour scale per meaning.

* Funding sources (``SOURCE_COLORS``): saturated categorical colours (D3 "category10" without
  its red and green, which mean a status here).
* Fields of work (``FIELD_COLORS``): a pastel scale (ColorBrewer "Set3"), so a field is never
  read as a funding source.
* Status of a target or a task (``STATUS_COLORS``): green = achieved / done, red = not achieved /
  known to be late, amber = due but no result recorded, blues = still running, greys = unknown.
* Budget stages (``STAGE_COLORS``): indigo for plans, teal for execution, magenta for proposals.
* Anything with a single series (e.g. spending by unit) is drawn in ``NEUTRAL``.
"""
from __future__ import annotations

from loaders.text.catalogue import FIELD_LABELS_VN
from loaders.vocab import Direction, FundingSource, Phase, Stage

# Codes, labels and the source and stage colours come from loaders.vocab (one place).
SOURCE_ORDER = list(FundingSource.values())
SOURCE_COLORS = {s.value: s.color for s in FundingSource}
SOURCE_LABELS = FundingSource.labels()
# Colour by Vietnamese label (charts show labels, not codes).
LABEL_COLORS = {SOURCE_LABELS[k]: v for k, v in SOURCE_COLORS.items()}

# Fields of work (lĩnh vực): ColorBrewer Set3, one fixed colour per field code, so a field keeps
# its colour whichever fields the current filter shows. "khac" (no field) is grey.
_SET3 = ["#8dd3c7", "#ffed6f", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#bc80bd", "#ccebc5"]
FIELD_COLORS = {code: _SET3[i % len(_SET3)] for i, code in enumerate(FIELD_LABELS_VN)}
FIELD_COLORS["khac"] = "#d9d9d9"
FIELD_OTHER_LABEL = "Chưa xếp lĩnh vực"

# Status (targets and tasks share the meaning of each colour).
STATUS_COLORS = {
    # targets (warehouse.kpi.STATUS_VN)
    "Đạt": "#2e7d32",
    "Chưa đạt": "#c62828",
    "Đang thực hiện": "#f9a825",  # not reached yet, the year not over
    "Chưa có số liệu": "#bdbdbd",
    "Chưa đọc được chỉ tiêu": "#757575",
    # tasks (warehouse.tasks.STATUS_VN)
    "Đã hoàn thành": "#2e7d32",
    "Quá hạn": "#c62828",
    "Đến hạn, chưa ghi nhận kết quả": "#f9a825",
    "Sắp đến hạn": "#1565c0",
    "Đang trong kỳ": "#90caf9",
    "Chưa bắt đầu": "#cfd8dc",
    "Thường xuyên": "#78909c",
    "Chưa rõ hạn": "#bdbdbd",
}

STAGE_COLORS = {s.value: s.color for s in Stage if s.color}
STAGE_LABELS = Stage.labels()
NEUTRAL = "#546e7a"

DIRECTION_LABELS = Direction.labels()
PHASE_LABELS = Phase.labels()
# What a budget figure is (warehouse.queries.KINDS): a line of a budget table, the proposed
# budget of a task in a task plan, or the estimated envelope of a (multi-year) project.
KIND_LABELS = {
    "budget": "dòng ngân sách",
    "task": "kinh phí đề xuất của nhiệm vụ",
    "project": "kinh phí dự kiến của dự án",
}

# Plotly: "," decimal and "." thousands, as in Vietnamese.
SEPARATORS = ",."
FONT = "Inter, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"


def stage_name(phase_vn: str) -> str:
    """"dự toán" → "Dự toán": the stage's label (``loaders.vocab.Stage``), else the stage as
    stored with a capital."""
    return STAGE_LABELS.get(phase_vn) or (phase_vn[:1].upper() + phase_vn[1:] if phase_vn else "")


def scope_name(phase_vn: str, kind: str = "budget") -> str:
    """The name of a scope (a stage and a kind of figure): "Dự toán", "Đề xuất · kinh phí dự
    kiến của dự án". Budget lines carry only their stage."""
    name = stage_name(phase_vn)
    return name if kind == "budget" else f"{name} · {KIND_LABELS.get(kind, kind)}"
