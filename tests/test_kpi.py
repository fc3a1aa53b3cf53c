"""Target-vs-actual status respects the comparator; the journal of entered actuals."""

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


def test_a_figure_of_part_of_the_year_is_in_progress_not_failed():
    from datetime import date

    assert kpi.so_far("not_achieved", date(2025, 9, 30), 2025) == "in_progress"
    assert kpi.so_far("not_achieved", date(2025, 12, 31), 2025) == "not_achieved"  # the year is over
    assert kpi.so_far("not_achieved", None, 2025) == "not_achieved"  # typed, period unknown
    assert kpi.so_far("achieved", date(2025, 6, 30), 2025) == "achieved"
    assert kpi.STATUS_VN["in_progress"] == "Đang thực hiện"
