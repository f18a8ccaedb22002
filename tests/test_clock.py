"""The one clock: Shanghai days, months and quarters, whatever the UTC date."""
from datetime import UTC, date, datetime

import pytest

from supermarket import clock


def test_a_late_utc_evening_is_the_next_day_in_shanghai():
    at = datetime(2026, 5, 2, 17, 30, tzinfo=UTC)  # 01:30 on 3 May in Shanghai
    assert clock.local_date(at) == date(2026, 5, 3) == clock.local_today(at)


def test_day_and_month_bounds_are_shanghai_midnights():
    assert clock.day_bounds_utc(date(2026, 5, 3)) == (datetime(2026, 5, 2, 16, tzinfo=UTC),
                                                      datetime(2026, 5, 3, 16, tzinfo=UTC))
    assert clock.month_bounds_utc(date(2026, 12, 15)) == (datetime(2026, 11, 30, 16, tzinfo=UTC),
                                                          datetime(2026, 12, 31, 16, tzinfo=UTC))
    assert clock.days_bounds_utc(date(2026, 1, 1), date(2026, 1, 31)) == clock.month_bounds_utc(date(2026, 1, 9))


@pytest.mark.parametrize("month, quarter, first", [(1, 1, 1), (3, 1, 1), (4, 2, 4), (6, 2, 4), (7, 3, 7),
                                                    (9, 3, 7), (10, 4, 10), (12, 4, 10)])
def test_quarters_start_in_january_april_july_and_october(month, quarter, first):
    day = date(2026, month, 15)
    assert clock.quarter_of(day) == quarter and clock.quarter_start(day) == date(2026, first, 1)


def test_months_move_across_years_and_clamp_short_months():
    assert clock.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert clock.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert clock.add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
    assert clock.next_month(date(2026, 12, 31)) == date(2027, 1, 1)
    assert clock.previous_month(date(2026, 1, 1)) == date(2025, 12, 1)
    assert clock.month_end(date(2028, 2, 3)) == date(2028, 2, 29)


@pytest.mark.parametrize("text", ["2026-13", "26-01", "2026/01", "2026-", "abcd-01", ""])
def test_a_month_must_be_written_yyyy_mm(text):
    with pytest.raises(ValueError):
        clock.parse_month(text)
    assert clock.parse_month("2026-01") == date(2026, 1, 1)


def test_month_bounds_cover_every_day_of_every_month_of_a_leap_year_and_december():
    # The two removed copies (intake's report, points' rules) computed the next month differently; the one clock
    # must give, for every day, the Shanghai midnight of the 1st and of the 1st of the following month.
    from datetime import UTC, datetime, time, timedelta

    from supermarket.clock import SHANGHAI, month_bounds_utc

    day = date(2027, 12, 1)
    while day < date(2029, 2, 1):
        start, end = month_bounds_utc(day)
        first = day.replace(day=1)
        following = (first + timedelta(days=31)).replace(day=1)
        assert start == datetime.combine(first, time.min, tzinfo=SHANGHAI).astimezone(UTC)
        assert end == datetime.combine(following, time.min, tzinfo=SHANGHAI).astimezone(UTC)
        assert start.hour == 16 and end > start
        day += timedelta(days=1)
