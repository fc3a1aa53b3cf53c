"""Task status (warehouse.tasks): what is known of a task on a reference date. The records of
editors (warehouse.task_entries) are tested in tests/test_task_entries.py."""
from datetime import date

import pandas as pd
import pytest

from warehouse import tasks as t

REF = date(2026, 6, 1)


def status(deadline=None, start=None, end=None, recurring=None, recorded=None, reference=REF):
    return t.task_status(deadline, start, end, recurring, reference, recorded)


def test_default_reference_is_the_plan_year_end_for_past_years_else_today():
    assert t.default_reference(2024, date(2026, 11, 30)) == date(2024, 12, 31)
    assert t.default_reference(2026, date(2026, 11, 30)) == date(2026, 11, 30)
    assert t.default_reference(2027, date(2026, 11, 30)) == date(2026, 11, 30)


def test_a_passed_deadline_without_a_record_is_due_not_late():
    assert status(deadline=date(2026, 5, 31)) == t.DUE
    assert status(deadline=date(2026, 6, 1)) == t.DUE  # due on the reference day
    assert status(end=date(2026, 3, 31)) == t.DUE  # the end of the planned period counts
    assert status(deadline=pd.Timestamp("2026-05-31")) == t.DUE  # as read from the warehouse


def test_only_a_recorded_non_completion_makes_a_task_late():
    assert status(deadline=date(2026, 5, 31), recorded=t.NOT_COMPLETED) == t.LATE
    assert status(deadline=date(2026, 6, 20), recorded=t.NOT_COMPLETED) == t.SOON  # not yet due
    assert status(deadline=date(2026, 5, 31), recorded=t.COMPLETED) == t.DONE
    assert status(recorded=t.COMPLETED) == t.DONE  # even without a deadline


def test_upcoming_running_and_not_started():
    assert status(deadline=date(2026, 6, 20)) == t.SOON
    assert status(deadline=date(2026, 7, 1)) == t.SOON  # 30 days
    assert status(deadline=date(2026, 7, 2)) == t.RUNNING
    assert status(start=date(2026, 3, 1), end=date(2026, 11, 30)) == t.RUNNING
    assert status(start=date(2026, 9, 1), end=date(2026, 11, 30)) == t.NOT_STARTED


def test_without_a_due_date():
    assert status(recurring="Thường xuyên") == t.RECURRING
    assert status(recurring="Định kỳ ngày 25 hàng tháng") == t.RECURRING
    assert status(recurring=float("nan")) == t.UNKNOWN
    assert status(deadline=pd.NaT, end=None) == t.UNKNOWN
    assert t.STATUS_VN[t.UNKNOWN] == "Chưa rõ hạn"


def test_the_same_plan_judged_at_its_year_end():
    """A 2024 plan read in 2026: every dated task is due at 31/12/2024, none is late."""
    ref = t.default_reference(2024, date(2026, 11, 30))
    got = [status(deadline=date(2024, m, 28), reference=ref) for m in (3, 6, 12)]
    assert got == [t.DUE, t.DUE, t.DUE]


def test_unknown_recorded_value_is_an_error():
    with pytest.raises(ValueError):
        status(deadline=date(2026, 5, 1), recorded="xong")
