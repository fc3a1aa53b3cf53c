"""One colour per funding source, the same on every chart, and Vietnamese labels."""
from __future__ import annotations

from loaders.vocab import Direction, FundingSource, Phase, Stage

# Derived from loaders.vocab (codes, Vietnamese labels and colours are defined there).
SOURCE_ORDER = list(FundingSource.values())
SOURCE_COLORS = {s.value: s.color for s in FundingSource}
SOURCE_LABELS = FundingSource.labels()
# Colour by Vietnamese label (charts show labels, not codes).
LABEL_COLORS = {SOURCE_LABELS[k]: v for k, v in SOURCE_COLORS.items()}

STAGE_COLORS = {s.value: s.color for s in Stage if s.color}
DIRECTION_LABELS = Direction.labels()
PHASE_LABELS = Phase.labels()

# Plotly: "," decimal and "." thousands, as in Vietnamese.
SEPARATORS = ",."
FONT = "Inter, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"
