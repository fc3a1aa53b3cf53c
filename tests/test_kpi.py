"""Target-vs-actual status respects the comparator; task deadlines relative to a given day."""
from datetime import date

import pytest

from warehouse import kpi
from warehouse.entries import EntryError, all_entries, record_actuals
from warehouse.queries import latest_entries


@pytest.mark.parametrize(
    "comparator, target, actual, direction, expected",
    [
        (">=", 0.7, 0.7, "up", "achieved"),
        (">=", 0.7, 0.69, "up", "not_achieved"),
        (">", 28.6, 28.6, "up", "not_achieved"),
        (">", 28.6, 28.7, "up", "achieved"),
        ("<=", 90, 80, "down", "achieved"),
        ("<=", 90, 95, "down", "not_achieved"),
        ("<", 5, 5, "down", "not_achieved"),
        ("=", 17, 18, "up", "achieved"),
        ("=", 17, 16, "up", "not_achieved"),
        ("=", 90, 85, "down", "achieved"),
        ("=", 100, 100.2, "target", "achieved"),
        ("=", 100, 98, "target", "not_achieved"),
    ],
)
def test_status_respects_comparator(comparator, target, actual, direction, expected):
    assert kpi.status(comparator, target, actual, good_direction=direction) == expected


def test_missing_and_qualitative():
    assert kpi.status(">=", 0.7, None) == "no_data"
    assert kpi.status(None, None, 1, qualitative=True) == "achieved"
    assert kpi.status(None, None, 0, qualitative=True) == "not_achieved"
    assert kpi.status(">=", 1, 2, parsed=False) == "unparsed"
    with pytest.raises(ValueError):
        kpi.status("~", 1, 1)


def test_progress():
    assert kpi.progress_pct(">=", 50, 25) == 50.0
    assert kpi.progress_pct("<=", 90, 120) == 75.0
    assert kpi.progress_pct(">=", 50, None) is None


def test_task_status():
    today = date(2026, 6, 1)
    assert kpi.task_status(date(2026, 5, 31), None, None, today) == kpi.OVERDUE
    assert kpi.task_status(date(2026, 6, 20), None, None, today) == kpi.UPCOMING
    assert kpi.task_status(None, date(2026, 12, 31), None, today) == kpi.OPEN
    assert kpi.task_status(None, None, "Thường xuyên", today) == kpi.RECURRING
    assert kpi.task_status(None, None, None, today) == kpi.UNKNOWN


def test_entries_journal_latest_wins_and_requires_a_name(tmp_path):
    path = tmp_path / "entries.sqlite"
    base = {"province": "Điện Biên", "document": "d.txt", "indicator_id": "PLI/1/1", "period": "2026"}
    with pytest.raises(EntryError):
        record_actuals([base | {"entered_by": "", "value": 1}], path)
    assert not path.exists()
    assert record_actuals([base | {"entered_by": "Nguyễn Văn A", "value": 10}], path) == 1
    assert record_actuals([base | {"entered_by": "Trần Thị B", "value": 18.5}], path) == 1
    latest = latest_entries(path, "Điện Biên", "2026")
    assert latest[("d.txt", "PLI/1/1")]["value"] == 18.5
    assert latest[("d.txt", "PLI/1/1")]["entered_by"] == "Trần Thị B"
    assert [e["value"] for e in all_entries(path)] == [10, 18.5]  # the history of two is kept
    assert latest_entries(path, "Điện Biên", "2025") == {}
