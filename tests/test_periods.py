"""Time expressions (``loaders/periods.py``): the forms of the glossary's "Time" section and
others, with property tests over generated spellings."""
from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loaders.text.periods import (
    PeriodFormatError,
    find_periods,
    parse_period,
    parse_timing,
    quarter_bounds,
    quarters_label,
)

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@pytest.mark.parametrize(
    "text, kind, start, end, deadline, quarters",
    [
        ("Quý 1", "quarters", date(2025, 1, 1), date(2025, 3, 31), date(2025, 3, 31), (1,)),
        ("Q2", "quarters", date(2025, 4, 1), date(2025, 6, 30), date(2025, 6, 30), (2,)),
        ("quý III/2025", "quarters", date(2025, 7, 1), date(2025, 9, 30), date(2025, 9, 30), (3,)),
        ("Qúy IV", "quarters", date(2025, 10, 1), date(2025, 12, 31), date(2025, 12, 31), (4,)),
        ("Quý I,II", "quarters", date(2025, 1, 1), date(2025, 6, 30), date(2025, 6, 30), (1, 2)),
        ("6 tháng đầu năm", "part_of_year", date(2025, 1, 1), date(2025, 6, 30), date(2025, 6, 30), (1, 2)),
        ("6 tháng đầu năm 2021", "part_of_year", date(2021, 1, 1), date(2021, 6, 30), date(2021, 6, 30), (1, 2)),
        ("9 tháng năm 2025", "part_of_year", date(2025, 1, 1), date(2025, 9, 30), date(2025, 9, 30), (1, 2, 3)),
        ("Tháng 5", "months", date(2025, 5, 1), date(2025, 5, 31), date(2025, 5, 31), (2,)),
        ("Tháng 6-11", "months", date(2025, 6, 1), date(2025, 11, 30), date(2025, 11, 30), (2, 3, 4)),
        ("tháng 5 bắt đầu triển khai", "months", date(2025, 5, 1), None, None, (2,)),
        ("trước 30/1", "deadline", None, date(2025, 1, 30), date(2025, 1, 30), (1,)),
        ("30/6/2026", "days", date(2026, 6, 30), date(2026, 6, 30), date(2026, 6, 30), (2,)),
        ("25, 26/4/2024", "days", date(2024, 4, 25), date(2024, 4, 26), date(2024, 4, 26), (2,)),
        ("Chậm nhất ngày 15/6/2024", "deadline", None, date(2024, 6, 15), date(2024, 6, 15), (2,)),
        ("Năm 2024", "year", date(2024, 1, 1), date(2024, 12, 31), date(2024, 12, 31), (1, 2, 3, 4)),
        ("2026-2030", "years", date(2026, 1, 1), date(2030, 12, 31), date(2030, 12, 31), ()),
        ("Thường xuyên", "recurring", None, None, None, ()),
        ("Định kỳ ngày 25 hàng tháng", "recurring", None, None, None, ()),
        ("Tính đến hết tháng 6 năm 2021", "as_of", None, date(2021, 6, 30), None, (2,)),
    ],
)
def test_glossary_and_common_forms(text, kind, start, end, deadline, quarters):
    t = parse_timing(text, 2025)
    assert (t.kind, t.start, t.end, t.deadline, t.quarters) == (kind, start, end, deadline, quarters)
    assert t.label == text


def test_recurring_keeps_its_wording_and_as_of_is_marked():
    assert parse_timing("Thường xuyên").recurring == "Thường xuyên"
    assert parse_timing("đến nay").as_of and parse_timing("đến nay").end is None


def test_without_a_year_no_dates_are_guessed():
    t = parse_timing("Quý II")
    assert (t.quarters, t.start, t.end, t.year) == ((2,), None, None, None)
    assert parse_timing("trước 30/1").deadline is None


@pytest.mark.parametrize("text", ["Quý V", "Tháng 13", "30/2", "trước 31/4", "abc", "", "2030-2026"])
def test_unreadable_or_impossible_times_raise(text):
    with pytest.raises(PeriodFormatError):
        parse_timing(text, 2025)


# ----------------------------------------------------------------------------- properties

_QWORD = st.sampled_from(["Quý", "Qúy", "quý", "QUÝ", "Quí", "Q", "quy"])
_YEAR = st.integers(2015, 2035)


@settings(max_examples=200, deadline=None)
@given(word=_QWORD, qs=st.lists(st.integers(1, 4), min_size=1, max_size=4, unique=True), arabic=st.booleans(),
       sep=st.sampled_from([",", ", ", " và ", ";"]), year=_YEAR,
       suffix=st.sampled_from(["", "/{y}", " năm {y}", " - {y}"]))
def test_any_spelling_of_quarters(word, qs, arabic, sep, year, suffix):
    items = [str(q) if arabic else ROMAN[q] for q in sorted(qs)]
    space = "" if word == "Q" and arabic else " "
    text = f"{word}{space}{sep.join(items)}{suffix.format(y=year)}"
    t = parse_timing(text, None if suffix else year)
    assert t.kind == "quarters" and t.quarters == tuple(sorted(qs))
    assert (t.start, t.end) == (quarter_bounds(min(qs), year)[0], quarter_bounds(max(qs), year)[1])


@settings(max_examples=150, deadline=None)
@given(a=st.integers(1, 12), b=st.integers(1, 12), year=_YEAR, sep=st.sampled_from(["-", "- ", " - ", "–"]),
       word=st.sampled_from(["Tháng", "tháng", "THÁNG"]))
def test_month_ranges(a, b, year, sep, word):
    assume(a < b)
    t = parse_timing(f"{word} {a}{sep}{b}", year)
    assert (t.start, t.end) == (date(year, a, 1), date(year, b, calendar.monthrange(year, b)[1]))
    assert t.quarters == tuple(range((a - 1) // 3 + 1, (b - 1) // 3 + 2))


@settings(max_examples=200, deadline=None)
@given(d=st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)), pad=st.booleans(),
       prefix=st.sampled_from(["", "trước ", "Trước ngày ", "Chậm nhất ngày "]))
def test_dates_and_deadlines(d, pad, prefix):
    day, month = (f"{d.day:02d}", f"{d.month:02d}") if pad else (str(d.day), str(d.month))
    t = parse_timing(f"{prefix}{day}/{month}/{d.year}")
    assert (t.end, t.deadline) == (d, d)
    assert t.start == (None if prefix else d)
    assert t.kind == ("deadline" if prefix else "days")


@settings(max_examples=100, deadline=None)
@given(month=st.integers(1, 12), year=_YEAR, over=st.integers(1, 3))
def test_a_day_that_does_not_exist_is_refused_never_moved(month, year, over):
    day = calendar.monthrange(year, month)[1] + over
    assume(day <= 31 or over == 1)
    with pytest.raises(PeriodFormatError):
        parse_timing(f"{day}/{month}/{year}")


@settings(max_examples=100, deadline=None)
@given(y1=_YEAR, span=st.integers(1, 10), sep=st.sampled_from(["-", " - ", "–", " đến "]),
       prefix=st.sampled_from(["", "giai đoạn ", "Giai đoạn "]))
def test_multi_year_horizons(y1, span, sep, prefix):
    t = parse_timing(f"{prefix}{y1}{sep}{y1 + span}")
    assert (t.kind, t.start, t.end) == ("years", date(y1, 1, 1), date(y1 + span, 12, 31))


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 12), which=st.sampled_from(["đầu", "cuối"]), year=_YEAR)
def test_months_at_the_start_or_end_of_a_year(n, which, year):
    t = parse_timing(f"{n} tháng {which} năm {year}")
    first, last = (1, n) if which == "đầu" else (13 - n, 12)
    assert (t.start, t.end) == (date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]))


_PHRASES = st.sampled_from(["quý III/2025", "Tính đến hết tháng 6 năm 2021", "6 tháng đầu năm 2021", "năm 2020",
                            "Quý I năm 2024", "giai đoạn 2021 - 2025", "đến hết quý I/2024"])


@settings(max_examples=100, deadline=None)
@given(phrase=_PHRASES, before=st.sampled_from(["", "Trong ", "Kết quả ", "- "]),
       after=st.sampled_from(["", ", đã kiểm định 1.234 phương tiện đo.", " Sở đã tổ chức 03 cuộc kiểm tra"]))
def test_phrases_are_found_in_running_text(phrase, before, after):
    text = f"{before}{phrase}{after}"
    found = find_periods(text)
    assert len(found) == 1
    f = found[0]
    assert text[f.start:f.end] == phrase
    assert f.time == parse_timing(phrase)


@settings(max_examples=100, deadline=None)
@given(qs=st.lists(st.integers(1, 4), min_size=1, max_size=3, unique=True))
def test_quarter_labels_read_back(qs):
    assume(tuple(sorted(qs)) != (1, 2, 3, 4))
    assert parse_period(quarters_label(tuple(qs))).quarters == tuple(sorted(qs))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_never_raises_anything_else(text):
    try:
        t = parse_timing(text, 2025)
    except PeriodFormatError:
        return
    assert t.start is None or t.end is None or t.start <= t.end
    find_periods(text, 2025)
