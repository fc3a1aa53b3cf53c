"""The named weights and thresholds of the table readers (issue 14), in the manner of
pdfplumber's ``TableSettings``: every number that decides where a header starts, which rows
continue, or which column a piece of PDF text belongs to is a field here, with its default
(the value the readers have always used), a note saying what it rewards or penalises and
why, and a check of its type and range.

    from loaders.tables.settings import TableSettings, FlowSettings

    settings = TableSettings(flow=FlowSettings(open_end_penalty=3.0))
    read_flow(lines, "003.txt", typer, settings=settings)
    TableSettings().flow.replace(open_end_penalty=3.0)    # the same, by name (ValueError if unknown)

* :class:`HeaderSettings` — which lines/rows are a table header (all three readers:
  ``loaders.tables.cells``, ``loaders.tables.spaced``, ``loaders.tables.flow``);
* :class:`FlowSettings` — how ``loaders.tables.flow.read_flow`` scores a placement of text
  in the columns beside the typer's fit (a cell cut inside a line, a cell ending open, a line
  that would not have wrapped in a column that wide) and how it measures column widths;
* :class:`TyperSettings` — the scores of the base typer ``loaders.tables.flow.FlowTyper``
  (amounts, periods, free text) and how many pieces a cell may take; a document family
  extends it with its own scores (``loaders.families.plan_flow.PlanSettings``);
* :class:`TableSettings` — the settings a reader takes: ``header`` and ``flow``.

Kinds of fields and their checks (``__post_init__``, a ``ValueError`` naming the field):

* ``bonus`` / ``penalty``: a float ≥ 0 (an ``int`` is taken as a float). A bonus is *added*
  to a score, a penalty *subtracted*: the sign is in the code, the magnitude here;
* ``share``: a float in [0, 1] (a share of a text's letters);
* ``factor``: a float ≥ 1;
* ``count``: an ``int`` ≥ 1 (never a bool); ``percent``: an ``int`` in 1 … 100.

Scores are in points: a typer's fit is about +3 … +4 for a text that has the column's type
and −6 for one that cannot be in the column; 0 is neutral. The defaults reproduce the
readers' behaviour before the settings existed exactly (``tests/test_seed_golden.py``).
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field, fields
from typing import Any

_KINDS = ("bonus", "penalty", "share", "factor", "count", "percent")


def setting(default: float, kind: str, doc: str) -> Any:
    """A settings field: its default, its kind (see the module docstring) and what it
    rewards or penalises and why (``doc``, shown by :meth:`Settings.describe` and the debug
    view)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown kind of setting {kind!r} (one of {_KINDS})")
    return field(default=default, metadata={"kind": kind, "doc": doc})


class Settings:
    """Base of the settings dataclasses: validation, :meth:`replace` and :meth:`describe`.
    Subclasses are ``@dataclass(frozen=True)`` whose fields are made by :func:`setting`."""

    def __post_init__(self) -> None:
        name = type(self).__name__
        for f in fields(self):  # type: ignore[arg-type]
            kind = f.metadata.get("kind")
            value = getattr(self, f.name)
            if kind is None:
                continue
            if kind in ("count", "percent"):
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"{name}.{f.name} must be an integer, not {value!r}")
                low, high = (1, 100) if kind == "percent" else (1, None)
                if value < low or (high is not None and value > high):
                    bounds = f"between {low} and {high}" if high else f"at least {low}"
                    raise ValueError(f"{name}.{f.name} must be {bounds}, not {value}")
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name}.{f.name} must be a number, not {value!r}")  # noqa: TRY004 (a ValueError like every bad setting)
            if not math.isfinite(value):
                raise ValueError(f"{name}.{f.name} must be finite, not {value!r}")
            if kind in ("bonus", "penalty") and value < 0:
                raise ValueError(f"{name}.{f.name} is a {kind} and must be ≥ 0 (its sign is in the code), not {value}")
            if kind == "share" and not 0 <= value <= 1:
                raise ValueError(f"{name}.{f.name} is a share and must be between 0 and 1, not {value}")
            if kind == "factor" and value < 1:
                raise ValueError(f"{name}.{f.name} is a factor and must be ≥ 1, not {value}")
            if isinstance(value, int):
                object.__setattr__(self, f.name, float(value))

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed, by name. Raises ``ValueError`` for a name that is
        not a field (listing the known ones) or an invalid value."""
        known = {f.name for f in fields(self)}  # type: ignore[arg-type]
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown setting {', '.join(unknown)} of {type(self).__name__} "
                             f"(known: {', '.join(sorted(known))})")
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    @classmethod
    def describe(cls) -> list[tuple[str, Any, str, str]]:
        """Every field: (name, default, kind, doc), in the order of the class."""
        return [(f.name, f.default, f.metadata.get("kind", ""), f.metadata.get("doc", ""))
                for f in fields(cls) if f.metadata.get("kind")]  # type: ignore[arg-type]

    @classmethod
    def doc(cls, name: str) -> str:
        """What the field ``name`` rewards or penalises (its note)."""
        for f in fields(cls):  # type: ignore[arg-type]
            if f.name == name:
                return f.metadata.get("doc", "")
        raise ValueError(f"unknown setting {name} of {cls.__name__}")


# --------------------------------------------------------------------------- headers


@dataclass(frozen=True)
class HeaderSettings(Settings):
    """Which rows (cells already split), lines (space-separated text) or line groups (text
    wrapped column by column) are a table header. *Coverage* is
    ``ColumnVocabulary.coverage``: the share of a text's letters that belong to the reviewed
    header phrases of ``data/vocabulary/columns.csv`` (a year or a unit in parentheses
    left out)."""

    cell_coverage: float = setting(
        0.5, "share",
        "cells: a cell reads as a header phrase when header phrases cover at least this share of "
        "its letters ('Nội dung công việc' 1.0, 'Hội thảo khởi nghiệp' 0.0)")
    min_header_cells: int = setting(
        2, "count",
        "cells: a header row holds at least this many header-phrase cells and no number (one phrase "
        "alone, 'Ghi chú' in a data row, is no header)")
    continuation_max_words: int = setting(
        15, "count",
        "cells: a row with a cell of more words than this holds a sentence: it continues a data row cut "
        "by a page break ('mục đích, yêu cầu đề ra. Hội thảo …'), it is no second header row")
    continuation_coverage: float = setting(
        0.5, "share",
        "cells: a second header row (first cell empty, no number) has a cell covered by header phrases "
        "at least this much, or a year ('Năm 2020')")
    column_numbers_min_cells: int = setting(
        2, "count",
        "cells: a row of column numbers under a header ('(1) (2) (3)') has at least this many filled "
        "cells (a lone '1' is a code)")
    spaced_coverage: float = setting(
        0.6, "share",
        "spaced: a header line (a code phrase, then a description phrase) with fewer than "
        "spaced_min_phrases phrases must be covered by header phrases at least this much")
    spaced_min_phrases: int = setting(
        3, "count",
        "spaced: a header line with at least this many phrases is a header whatever its coverage")
    spaced_wrap_coverage: float = setting(
        0.8, "share",
        "spaced: a line right under the header, before any row, with no digit and covered this much by "
        "header phrases is the header wrapped onto a second line ('Thời gian … Dự toán Ghi chú')")
    spaced_wrap_min_phrases: int = setting(
        2, "count", "spaced: a wrapped header line holds at least this many header phrases")
    fragment_max_words: int = setting(
        4, "count",
        "spaced: a line of at most this many words, all header words ('Thời gian', 'thực hiện'), is a "
        "piece of a wrapped header and is skipped")
    flow_min_phrases: int = setting(
        2, "count",
        "flow: a header opens at a line starting with a code phrase ('STT') and holding at least this "
        "many header phrases ('STT Mục tiêu Năm 2026')")
    flow_coverage: float = setting(
        0.5, "share", "flow: that line is covered by header phrases at least this much")
    flow_alone_coverage: float = setting(
        1.0, "share",
        "flow: a code phrase alone on its line ('STT') opens a header when it covers this much of the "
        "line (the other phrases follow on the next lines)")

# --------------------------------------------------------------------------- flow placement


@dataclass(frozen=True)
class FlowSettings(Settings):
    """The terms ``read_flow`` adds to the typer's fit when it places the pieces of a row in
    the columns (``loaders.tables.flow._assign_flow``: the best total over every cut), and
    how it measures the columns' widths between its two placings
    (``loaders.tables.flow._column_widths``)."""

    inner_start_penalty: float = setting(
        0.3, "penalty",
        "a cell starting inside a text line (cut at a typer anchor) rather than at the line's start: "
        "cutting is allowed, not free (whole lines win a tie)")
    open_end_penalty: float = setting(
        2.0, "penalty",
        "a cell of the row's last page segment ending open ('và', 'của', a comma, an open parenthesis: "
        "FlowTyper.is_open): a cell cannot end there, its text goes on")
    overwide_penalty: float = setting(
        3.0, "penalty",
        "second placing: a whole line wider than the column (its width from the first placing) cannot "
        "be one of its wrapped lines")
    early_wrap_penalty: float = setting(
        0.5, "penalty",
        "second placing: a line whose first word would have fitted at the end of the line above it in "
        "the same cell (then the cell had not wrapped there)")
    early_wrap_room_penalty: float = setting(
        3.0, "penalty",
        "added to early_wrap_penalty, times the share of the column left empty on the line above (the "
        "more room was left, the less likely the wrap)")
    width_min_lines: int = setting(
        5, "count",
        "a column holding fewer whole lines than this in the first placing gets no width (too little "
        "evidence: no wrap penalty in it)")
    width_percentile: int = setting(
        90, "percent", "the percentile of a column's whole-line lengths taken as its usual width")
    width_outlier_ratio: float = setting(
        1.5, "factor",
        "a line longer than this times the usual width was put in the column by mistake in the first "
        "placing: left out, the widest remaining line is the column's width")
    caps_title_min_letters: int = setting(
        10, "count",
        "a heading of the document in capitals that ends a table ('II. NHIỆM VỤ VÀ GIẢI PHÁP') has at "
        "least this many letters")

# --------------------------------------------------------------------------- base typer


@dataclass(frozen=True)
class TyperSettings(Settings):
    """The scores of ``loaders.tables.flow.FlowTyper`` (amounts, periods and free text) and
    the bounds of the search; document families extend it (``PlanSettings``)."""

    typed_fit: float = setting(
        3.0, "bonus", "an amount or period cell whose text has the column's type (a number; a timing)")
    typed_misfit: float = setting(
        6.0, "penalty",
        "text that cannot be in a typed column (no number in an amount column, no timing in a period "
        "column, …): nearly forbidden")
    lower_start_penalty: float = setting(
        2.0, "penalty",
        "free text (names, results, notes): a new cell starts with a capital letter, a digit, a bullet "
        "or a quote; one starting in lower case is the wrapped line of another cell")
    after_break_penalty: float = setting(
        0.5, "penalty",
        "free text after a page break: the cell printed before the break is finished unless its text "
        "shows otherwise")
    after_break_open_bonus: float = setting(
        1.5, "bonus", "after a page break: the cell's text before the break ends open ('và', ',')")
    after_break_lower_bonus: float = setting(
        0.5, "bonus", "after a page break: the text goes on in lower case")
    after_break_full_stop_penalty: float = setting(
        1.0, "penalty", "after a page break: the cell's text before the break ends with a full stop")
    max_amount_pieces: int = setting(
        8, "count", "the most pieces (lines or parts of lines) an amount cell may take: bounds the search")
    max_period_pieces: int = setting(4, "count", "the most pieces a period cell may take")
    max_code_pieces: int = setting(1, "count", "the most pieces a code cell may take")
    max_free_pieces: int = setting(10_000, "count", "the most pieces any other cell may take (no bound)")

# --------------------------------------------------------------------------- what a reader takes


@dataclass(frozen=True)
class TableSettings:
    """The settings a table reader takes (``read_cells``, ``read_tsv``, ``read_spaced``,
    ``read_flow``, ``flow_headers``): ``header`` (:class:`HeaderSettings`) and ``flow``
    (:class:`FlowSettings`). The typer's scores travel with the typer
    (``FlowTyper(settings=TyperSettings(…))``). Raises ``ValueError`` when a part has the
    wrong type."""

    header: HeaderSettings = field(default_factory=HeaderSettings)
    flow: FlowSettings = field(default_factory=FlowSettings)

    def __post_init__(self) -> None:
        for name, cls in (("header", HeaderSettings), ("flow", FlowSettings)):
            if not isinstance(getattr(self, name), cls):
                raise ValueError(f"TableSettings.{name} must be a {cls.__name__}, not {getattr(self, name)!r}")  # noqa: TRY004


#: The defaults (the readers' behaviour before the settings existed).
DEFAULT = TableSettings()
