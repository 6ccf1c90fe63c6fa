"""UK time for live sessions: turning a day and a time on a London clock into a real instant.

Facilitators type sessions in UK time (Europe/London). Twice a year the clocks change, and one
hour of the clock either never happens (late March: 01:00 to 01:59 is skipped) or happens twice
(late October: 01:00 to 01:59 is repeated). A session may not start or end in either hour: the
form says why and which times to avoid (docs/decisions.md). Everything after the form — the
service's "ends after it starts", the database's check constraint, the calendars — works on
the instants this module returns, in UTC, so they all agree."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.formats import date_format

LONDON = ZoneInfo("Europe/London")


class ClockChange(ValueError):
    """A UK time that does not exist or happens twice on ``day``, because the clocks change
    between ``start`` and ``end`` (clock times) that night."""

    def __init__(self, day: date, start: time, end: time, *, forward: bool):
        super().__init__(f"{day} {start}-{end}")
        self.day, self.start, self.end, self.forward = day, start, end, forward

    def message(self, subject: str) -> str:
        """For example "The start time must not be between 01:00 and 02:00 on 28 March 2027:
        the clocks go forward an hour that night, so those times do not exist"."""
        when = date_format(self.day, "j F Y")
        if self.forward:
            why = "the clocks go forward an hour that night, so those times do not exist"
        else:
            why = "the clocks go back an hour that night, so those times happen twice"
        return (
            f"{subject} must not be between {self.start:%H:%M} and {self.end:%H:%M} on {when}:"
            f" {why}"
        )


def _exists(local: datetime) -> bool:
    return local.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == local.replace(
        tzinfo=None
    )


def _ambiguous(local: datetime) -> bool:
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def _span(day: date, at: time, odd) -> tuple[time, time]:
    """The run of minutes around ``at`` on ``day`` for which ``odd`` holds: (first, after)."""
    minute = timedelta(minutes=1)
    moment = datetime.combine(day, at.replace(second=0, microsecond=0))
    first = moment
    while first.date() == day and odd((first - minute).replace(tzinfo=LONDON)):
        first -= minute
    after = moment + minute
    while after.date() == day and odd(after.replace(tzinfo=LONDON)):
        after += minute
    return first.time(), after.time()


def london_instant(day: date, at: time) -> datetime:
    """The instant, in UTC, at which a London clock shows ``at`` on ``day``. Raises
    ``ClockChange`` for a time the clocks skip or repeat that night."""
    local = datetime.combine(day, at, tzinfo=LONDON)
    if not _exists(local):
        start, end = _span(day, at, lambda moment: not _exists(moment))
        raise ClockChange(day, start, end, forward=True)
    if _ambiguous(local):
        start, end = _span(day, at, lambda moment: _ambiguous(moment) and _exists(moment))
        raise ClockChange(day, start, end, forward=False)
    return local.astimezone(UTC)


def instant(moment: datetime) -> datetime:
    """``moment`` in UTC. Two aware datetimes in the same zone compare by their clock time,
    not as instants (Python ignores ``fold`` there), so comparisons go through this."""
    return moment.astimezone(UTC)
