"""One colour per funding source, the same on every chart, and Vietnamese labels."""
from __future__ import annotations

from loaders.sources import SOURCE_LABELS_VN

SOURCE_ORDER = ["SNKH", "QLNN", "THU_PHI", "DTPT", "SNKH_TW", "MIXED", "OTHER", "UNSPECIFIED"]
SOURCE_COLORS = {
    "SNKH": "#1f6fb2",
    "QLNN": "#e07b00",
    "THU_PHI": "#2a9d55",
    "DTPT": "#8e44ad",
    "SNKH_TW": "#17a2b8",
    "MIXED": "#c0392b",
    "OTHER": "#7f8c8d",
    "UNSPECIFIED": "#b8b8b8",
}
SOURCE_LABELS = dict(SOURCE_LABELS_VN)
# Colour by Vietnamese label (charts show labels, not codes).
LABEL_COLORS = {SOURCE_LABELS[k]: v for k, v in SOURCE_COLORS.items()}

STAGE_COLORS = {
    "KHTW giao": "#9ecae1",
    "KH UBND giao": "#1f6fb2",
    "thực hiện": "#2a9d55",
    "thực hiện 6 tháng đầu năm": "#98d4a8",
    "dự toán": "#1f6fb2",
    "đề xuất": "#e07b00",
}
DIRECTION_LABELS = {"expenditure": "Chi", "revenue": "Thu"}
PHASE_LABELS = {
    "proposed": "Đề xuất",
    "approved": "Được giao / dự toán",
    "adjusted": "Điều chỉnh",
    "executed": "Thực hiện",
}

# Plotly: "," decimal and "." thousands, as in Vietnamese.
SEPARATORS = ",."
FONT = "Inter, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"
