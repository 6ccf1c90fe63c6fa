"""Bodies for the fuzz test, built from a form's real fields.

A ``Plan`` says what to do to a form without knowing it: which role sends it, which day and
times go into its date and time fields, which fields to drop, replace or repeat (by position,
so the same plan fits any form), which unknown fields to add, and what to put in the URL's
ids. Hypothesis draws plans; ``body_for`` lays a plan over the form a page shows."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.urls import resolve
from django.utils import timezone

from hypothesis import strategies as st

from ..factories import PASSWORD
from .forms import Form

HUGE = "99999999999999999999999"  # beyond any database integer
ALL = -1  # a change's slot that means every field

LONG = "x" * 10_000
NASTY_VALUES = (
    "",
    LONG,
    "\x00",
    "Leading\x00together",
    "\u200b",  # zero-width space
    "\u200b\u200c\u200d\ufeff",
    "\u202eevil.exe\u202c",  # right-to-left override
    "\u200f\u05e9\u05dc\u05d5\u05dd\u200e",  # right-to-left text with marks
    "🧭 Leading across boundaries",
    "e\u0301",
    HUGE,
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "true",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "../../etc/passwd",
    " ",
    "\t\r\n",
    "2027-02-29",
    "31/12/9999",
    "25:61",
    "OPTION",  # replaced by one of the field's own choices, when it has any
)
EXTRA_NAMES = ("is_superuser", "is_staff", "groups", "id", "pk", "status", "user", "cohort")

# Days and times around the UK clock changes and the ends of the calendar. ``None`` is a day
# the cohort runs (its form's ordinary case).
SPRING_FORWARD = date(2027, 3, 28)  # 01:00-01:59 does not exist in London
FALL_BACK = date(2027, 10, 31)  # 01:00-01:59 happens twice in London
DAYS = (None, SPRING_FORWARD, FALL_BACK, date(1, 1, 1), date(9999, 12, 31), date(2028, 2, 29))
STARTS = (time(10, 0), time(1, 30), time(1, 0), time(0, 59), time(2, 0), time(23, 30))
DURATIONS = (60, 45, 15, 75, 0, -30)  # minutes from the start time to the end time


@dataclass(frozen=True)
class Moment:
    day: date | None
    start: time
    minutes: int

    def on(self, cohort_day: date) -> tuple[date, time, time]:
        day = self.day or cohort_day
        start = datetime.combine(date(2000, 1, 1), self.start)
        end = (start + timedelta(minutes=self.minutes)).time()
        return day, self.start, end


@dataclass(frozen=True)
class Change:
    slot: int  # which field, counted round the form's fields; ALL for every field
    how: str  # "set", "drop" or "repeat"
    value: str = ""


@dataclass(frozen=True)
class Plan:
    role: int = 0  # counted round the roles that may reach the URL
    moment: Moment = Moment(None, time(10, 0), 60)
    changes: tuple[Change, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()
    url_id: str | None = None  # put in place of every id in the URL


def plans():
    change = st.builds(
        Change,
        slot=st.integers(0, 40),
        how=st.sampled_from(("set", "drop", "repeat")),
        value=st.sampled_from(NASTY_VALUES),
    )
    return st.builds(
        Plan,
        role=st.integers(0, 12),
        moment=st.builds(
            Moment,
            day=st.sampled_from(DAYS),
            start=st.sampled_from(STARTS),
            minutes=st.sampled_from(DURATIONS),
        ),
        changes=st.lists(change, max_size=4).map(tuple),
        extra=st.lists(
            st.tuples(st.sampled_from(EXTRA_NAMES), st.sampled_from(NASTY_VALUES)), max_size=2
        ).map(tuple),
        url_id=st.sampled_from((None, HUGE, "9223372036854775808", "0")),
    )


def _every(how, value):
    return (Change(ALL, how, value),)


# Tried for every route before the random plans, each as a different role, so that each role
# that may reach a route sends at least one of them.
EDGE_PLANS = (
    Plan(0, Moment(SPRING_FORWARD, time(1, 30), 45)),  # 01:30-02:15 the night clocks go forward
    Plan(1, Moment(FALL_BACK, time(1, 30), 45)),  # 01:30 happens twice that night
    Plan(2, Moment(date(1, 1, 1), time(10, 0), 60)),
    Plan(3, Moment(date(9999, 12, 31), time(22, 0), 60)),
    Plan(4, url_id=HUGE),
    Plan(5, changes=_every("set", LONG)),
    Plan(6, changes=_every("set", "Leading\x00together")),
    Plan(7, changes=_every("set", "\u200b")),
    Plan(8, changes=_every("set", "\u202eevil.exe\u202c")),
    Plan(9, changes=_every("drop", "")),
    Plan(10, changes=_every("repeat", "\u200f\u05e9\u05dc\u05d5\u05dd\u200e")),
    Plan(11, changes=_every("set", HUGE), extra=(("is_superuser", "on"), ("groups", "1"))),
    Plan(12, changes=_every("set", '<script>alert("x")</script><a href="javascript:1">a</a>')),
)


# --- From a plan and a form to a body ---------------------------------------------------------


def _plausible(name: str, kinds: set[str]) -> str:
    """A value a person might type into an empty field, from its name and type."""
    lowered = name.lower()
    if "email" in kinds or "email" in lowered:
        return "fuzz.person@example.org"
    if "url" in kinds or "url" in lowered or "link" in lowered:
        return "https://meet.example.org/fuzz"
    if "password" in kinds or "password" in lowered:
        return PASSWORD
    if "number" in kinds or "capacity" in lowered:
        return "12"
    return "Leading across boundaries"


def _moment_value(name: str, day: date, start: time, end: time) -> str | None:
    """The value of a date or time field for the plan's moment (None for other fields)."""
    lowered = name.lower().rsplit("-", 1)[-1]
    parts = {"_day": day.day, "_month": day.month, "_year": f"{day.year:04d}"}
    for suffix, value in parts.items():
        if lowered.endswith(suffix):
            return str(value)
    if lowered.endswith("date"):
        if "end" in lowered:
            day = day + timedelta(days=60) if day <= date.max - timedelta(days=60) else day
        return day.isoformat()
    if lowered.endswith("time"):
        return (end if "end" in lowered else start).strftime("%H:%M")
    return None


TYPED = {"text", "email", "url", "textarea", "password", "number", "tel", "search"}


def baseline(form: Form | None, plan: Plan, cohort_day: date) -> dict[str, list[str]]:
    """What a careful person would send: the form as shown, empty boxes filled in, the first
    choice where nothing is chosen, the first button, and the plan's day and times."""
    if form is None:
        return {}
    body = form.values()
    for item in form.fields:
        if item.kind == "submit" and item.name not in body:
            body[item.name] = [item.value]
            break
    day, start, end = plan.moment.on(cohort_day)
    for name in form.names():
        kinds = form.kinds(name)
        choices = form.options(name)
        empty = not any(body.get(name, []))
        if kinds & {"radio", "select"} and empty and choices:
            body[name] = [choices[0]]
        elif kinds & TYPED and empty:
            body[name] = [_plausible(name, kinds)]
        moment = _moment_value(name, day, start, end)
        if moment is not None and kinds & {"text", "date", "time", "number", "hidden"}:
            body[name] = [moment]
    return body


# A formset's bookkeeping, left as the page sets it. Django caps TOTAL_FORMS at 2,000 forms, and
# Wagtail's group editor (superusers only) takes minutes to check 2,000 forms of each of its
# permission formsets: a cost that says nothing about the academy's own forms.
MANAGEMENT_FIELDS = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


def body_for(
    form: Form | None, plan: Plan, cohort_day: date, *, filled: dict | None = None
) -> dict[str, list[str]]:
    """The plan laid over the form: its baseline, with ``filled`` (what a careful person would
    type where the page leaves a box empty) put in before the plan's changes."""
    body = baseline(form, plan, cohort_day)
    for name, value in (filled or {}).items():
        body[name] = [value]
    names = [
        name
        for name in dict.fromkeys([*(form.names(buttons=True) if form else []), *body])
        if not name.endswith(MANAGEMENT_FIELDS)
    ]
    for change in plan.changes:
        if not names:
            break
        targets = names if change.slot == ALL else [names[change.slot % len(names)]]
        for name in targets:
            value = change.value
            if value == "OPTION":
                choices = form.options(name) if form else []
                value = choices[change.slot % len(choices)] if choices else "not-a-choice"
            if change.how == "drop":
                body.pop(name, None)
            elif change.how == "repeat":
                body[name] = [*body.get(name, []), value]
            else:
                body[name] = [value]
    for name, value in plan.extra:
        body.setdefault(name, []).append(value)
    return body


_PART = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def url_with_ids(url: str, number: str | None) -> str:
    """``url`` with every id in its path replaced by ``number`` (unchanged for routes that take
    no id, or whose pattern is a regular expression)."""
    if number is None:
        return url
    path, _, query = url.partition("?")
    match = resolve(path)
    if "<" not in match.route or match.args:
        return url
    kwargs = {
        name: (number if isinstance(value, int) else value) for name, value in match.kwargs.items()
    }

    def part(found):
        return str(kwargs.get(found["name"], found[0]))

    built = "/" + _PART.sub(part, match.route)
    return f"{built}?{query}" if query else built


def today_in_cohort() -> date:
    """A day within the cohorts the world runs (they started 30 days ago and end in 30)."""
    return timezone.localdate() + timedelta(days=7)
