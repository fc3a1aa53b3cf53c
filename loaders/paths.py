"""Where the project's reviewed data files live: ``data/`` at the top of the repository
(vocabulary, catalogue, profiles, reference tables)."""
from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
