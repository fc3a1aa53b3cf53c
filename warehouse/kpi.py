"""Target-vs-actual status of an indicator (chỉ tiêu), respecting its comparator.

Rules (Phụ lục I of the Điện Biên 2026 plan, ``003_…``, and the indicator catalogue's
``good_direction``):

* ``>=`` / ``>`` / ``<=`` / ``<``: the actual is compared with the target as printed.
* ``=`` ("17%", "Trung bình khoảng …"): a target to reach. When more is better (``up``) the
  actual must be at least the target; when less is better (``down``) at most the target;
  for ``target`` indicators it must equal it (within 0.5% of the target).
* Qualitative targets ("Hoàn thành"): an actual of 1 means done, 0 not done.
* No actual: "no_data". A target that could not be parsed: "unparsed".
* A year's target not reached by a figure of part of the year (a third quarter's report, the
  nine months' cumulative): "in_progress", never "not_achieved" — the year is not over
  (:func:`so_far`).
"""
from __future__ import annotations

import math
from datetime import date

ACHIEVED = "achieved"
NOT_ACHIEVED = "not_achieved"
IN_PROGRESS = "in_progress"
NO_DATA = "no_data"
UNPARSED = "unparsed"

STATUS_VN = {
    ACHIEVED: "Đạt",
    NOT_ACHIEVED: "Chưa đạt",
    IN_PROGRESS: "Đang thực hiện",
    NO_DATA: "Chưa có số liệu",
    UNPARSED: "Chưa đọc được chỉ tiêu",
}


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def status(
    comparator: str | None,
    target: float | None,
    actual: float | None,
    qualitative: bool = False,
    good_direction: str | None = "up",
    parsed: bool = True,
) -> str:
    """One of ``achieved``, ``not_achieved``, ``no_data``, ``unparsed``.

    ``target`` and ``actual`` are in the indicator's unit (%, điểm, count, days…).
    Raises ``ValueError`` for an unknown comparator.
    """
    if not parsed:
        return UNPARSED
    if _missing(actual):
        return NO_DATA
    if qualitative:
        return ACHIEVED if actual >= 1 else NOT_ACHIEVED
    if _missing(target) or comparator is None:
        return UNPARSED
    if comparator == ">=":
        ok = actual >= target
    elif comparator == ">":
        ok = actual > target
    elif comparator == "<=":
        ok = actual <= target
    elif comparator == "<":
        ok = actual < target
    elif comparator == "=":
        if good_direction == "down":
            ok = actual <= target
        elif good_direction == "target":
            ok = abs(actual - target) <= abs(target) * 0.005
        else:
            ok = actual >= target
    else:
        raise ValueError(f"unknown comparator {comparator!r}")
    return ACHIEVED if ok else NOT_ACHIEVED


def so_far(status_code: str, period_end: date | None, fiscal_year: int) -> str:
    """The status of a year's target judged on a figure whose period ends on ``period_end``:
    ``in_progress`` instead of ``not_achieved`` when that period ends before 31 December of
    ``fiscal_year`` (the year is not over: 11 of 15 at 30 September is no failure yet); any
    other status, or a figure of the whole year (or of unknown end), is kept."""
    if status_code == NOT_ACHIEVED and period_end is not None and period_end < date(fiscal_year, 12, 31):
        return IN_PROGRESS
    return status_code


def progress_pct(comparator: str | None, target: float | None, actual: float | None, good_direction: str | None = "up") -> float | None:
    """Actual as a percentage of the way to the target (100 = exactly on target), for the
    bullet chart. For "less is better" targets it is target / actual. ``None`` when either
    value is missing or zero where it would divide."""
    if _missing(target) or _missing(actual):
        return None
    lower_is_better = comparator in ("<=", "<") or (comparator == "=" and good_direction == "down")
    if lower_is_better:
        return None if actual == 0 else round(target / actual * 100, 1)
    return None if target == 0 else round(actual / target * 100, 1)
