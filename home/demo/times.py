"""Times for the demo's rows: every date counts from today, so the demo is always current, and
every time of day is worked out the same way on every run, so a second run changes nothing."""

import zlib
from datetime import date, datetime, time, timedelta

from django.utils import timezone


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def moment(today: date, days_ago: int, seed: str) -> datetime:
    """A time in the working day ``days_ago`` days before ``today``, the same on every run for
    the same ``seed``."""
    n = zlib.crc32(seed.encode())
    return at(today - timedelta(days=days_ago), 9 + n % 8, (n // 8) % 60)


def working_day(day: date) -> date:
    """``day``, or the Monday after it when it falls at a weekend: sessions are in work time."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
