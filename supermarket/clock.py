"""The one clock: the city's zone, "now", and the bounds of its days, months, quarters and periods.

Times are stored in UTC and every business day, month or quarter is a calendar period in Asia/Shanghai: a sale at
01:30 on 3 May Shanghai time (17:30 UTC on 2 May) belongs to 3 May. Services take `now` as an argument; only the
edge (views, CLI, jobs) asks this module for it.
"""
from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def local_date(at: datetime) -> date:
    """The Shanghai calendar day of an instant."""
    return at.astimezone(SHANGHAI).date()


def local_today(now: datetime | None = None) -> date:
    """Today in Shanghai (of `now`, or of the current instant)."""
    return local_date(now or utcnow())


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which a Shanghai calendar day begins."""
    return datetime.combine(day, time.min, tzinfo=SHANGHAI).astimezone(UTC)


def day_bounds_utc(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a Shanghai day as UTC instants."""
    return local_midnight_utc(day), local_midnight_utc(day + timedelta(days=1))


def days_bounds_utc(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) of the Shanghai days `first` to `last`, both included."""
    return local_midnight_utc(first), local_midnight_utc(last + timedelta(days=1))


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after the one holding `day`."""
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def previous_month(day: date) -> date:
    """The first day of the month before the one holding `day`."""
    return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


def month_end(day: date) -> date:
    """The last day of the month holding `day`."""
    return next_month(day) - timedelta(days=1)


def month_bounds_utc(day: date) -> tuple[datetime, datetime]:
    """[start, end) of the Shanghai calendar month holding `day`, as UTC instants."""
    return local_midnight_utc(month_start(day)), local_midnight_utc(next_month(day))


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month (31 Jan + 1 → 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def quarter_of(day: date) -> int:
    """1 for January–March, 2 for April–June, 3 for July–September, 4 for October–December."""
    return (day.month - 1) // 3 + 1


def quarter_start(day: date) -> date:
    return date(day.year, 3 * (quarter_of(day) - 1) + 1, 1)


def quarter_bounds_utc(day: date) -> tuple[datetime, datetime]:
    """[start, end) of the Shanghai calendar quarter holding `day`, as UTC instants."""
    first = quarter_start(day)
    return local_midnight_utc(first), local_midnight_utc(add_months(first, 3))


def parse_month(value: str) -> date:
    """`2026-11` as the first day of that month; ValueError for anything else."""
    year, sep, month = value.partition("-")
    if not sep or len(year) != 4 or not year.isdigit() or not month.isdigit():
        raise ValueError(value)
    return date(int(year), int(month), 1)
