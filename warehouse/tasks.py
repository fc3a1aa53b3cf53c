"""What is known about a task's progress (nhiệm vụ), as a pure function of its plan and of
what an editor recorded.

The plans (``004_…`` Sóc Trăng 2024, Phụ lục II of ``003_…`` Điện Biên 2026, the Q2 focus
tasks of ``002_…`` Sơn La) give each task a planned period or a deadline ("Tháng 6-11",
"30/6/2026", "Thường xuyên") but never whether it was done. So a passed deadline alone does
not mean "late": it means "due, no result recorded". A task is "Quá hạn" only when an editor
recorded that it was not completed and its deadline has passed.

Deadlines are compared with a reference date (``default_reference``): the plan year's last day
for a past plan year (a 2024 plan read in 2026 is judged as of 31/12/2024), today for the
current year and for a future one.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

# recorded by editors (warehouse.task_entries)
COMPLETED = "done"
NOT_COMPLETED = "not_done"
RECORDED = (COMPLETED, NOT_COMPLETED)
RECORDED_VN = {COMPLETED: "Đã hoàn thành", NOT_COMPLETED: "Chưa hoàn thành"}

# derived status codes, in the order the page lists them
DONE = "done"
LATE = "late"
DUE = "due"
SOON = "soon"
RUNNING = "running"
NOT_STARTED = "not_started"
RECURRING = "recurring"
UNKNOWN = "unknown"
STATUS_VN = {
    DONE: "Đã hoàn thành",
    LATE: "Quá hạn",
    DUE: "Đến hạn, chưa ghi nhận kết quả",
    SOON: "Sắp đến hạn",
    RUNNING: "Đang trong kỳ",
    NOT_STARTED: "Chưa bắt đầu",
    RECURRING: "Thường xuyên",
    UNKNOWN: "Chưa rõ hạn",
}
STATUS_ORDER = list(STATUS_VN)


def _day(value) -> date | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return pd.Timestamp(value).date()


def default_reference(plan_year: int, today: date) -> date:
    """The date deadlines are judged against by default: 31/12 of ``plan_year`` when that
    year is over, otherwise ``today``."""
    return date(plan_year, 12, 31) if plan_year < today.year else today


def task_status(
    deadline,
    period_start,
    period_end,
    recurring,
    reference: date,
    recorded: str | None = None,
    window_days: int = 30,
) -> str:
    """The status code (``STATUS_VN`` keys) of one task on ``reference``.

    ``deadline``, ``period_start``, ``period_end``: dates (``date``, ``Timestamp``, ``None`` or
    NaT) as read from the plan; the due date is the deadline, else the end of the period.
    ``recurring``: the plan's text for ongoing tasks ("Thường xuyên", "Định kỳ …") or empty.
    ``recorded``: what an editor recorded (``COMPLETED`` / ``NOT_COMPLETED``) or ``None``.

    * recorded completed → ``DONE``;
    * recorded not completed and due before ``reference`` → ``LATE``;
    * nothing recorded and due on or before ``reference`` → ``DUE`` (due, no result recorded);
    * due within ``window_days`` of ``reference`` → ``SOON``;
    * planned start after ``reference`` → ``NOT_STARTED``; otherwise ``RUNNING``;
    * no due date: ``RECURRING`` for ongoing tasks, else ``UNKNOWN``.

    Raises ``ValueError`` for an unknown ``recorded`` value.
    """
    if not isinstance(recorded, str):  # None / NaN from a table: nothing recorded
        recorded = None
    if recorded is not None and recorded not in RECORDED:
        raise ValueError(f"unknown recorded status {recorded!r}")
    if recorded == COMPLETED:
        return DONE
    due = _day(deadline) or _day(period_end)
    if due is None:
        ongoing = recurring is not None and not (isinstance(recurring, float) and pd.isna(recurring)) and str(recurring).strip()
        return RECURRING if ongoing else UNKNOWN
    if recorded == NOT_COMPLETED and due < reference:
        return LATE
    if due <= reference and recorded is None:
        return DUE
    if (due - reference).days <= window_days:
        return SOON
    start = _day(period_start)
    if start is not None and start > reference:
        return NOT_STARTED
    return RUNNING
