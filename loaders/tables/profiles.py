"""Document families as data: ``data/profiles/<name>.toml``."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from loaders.paths import DATA

PROFILES = DATA / "profiles"


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Profile:
    """A document family as data (``data/profiles/<name>.toml``): the stage of its amounts,
    the unit used when the document prints none (always warned), and family words such as
    the labels of the unit line. ``words`` holds every other key of the file."""

    name: str
    stage: str | None
    unit: str | None
    words: dict

    def list(self, key: str) -> tuple[str, ...]:
        """A list of phrases of the profile (``()`` when absent)."""
        return tuple(self.words.get(key, ()))


@cache
def load_profile(name: str) -> Profile:
    """Read ``data/profiles/<name>.toml``. Raises ``FileNotFoundError`` for an unknown name."""
    data = tomllib.loads((PROFILES / f"{name}.toml").read_text(encoding="utf-8"))
    return Profile(
        name=data.pop("name", name), stage=data.pop("stage", None), unit=data.pop("unit", None), words=data
    )

