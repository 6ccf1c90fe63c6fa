"""The emails cohorts send because of the time: a live session or a peer-group meeting
tomorrow, an assessment due and not handed in, a nudge after a quiet week, and the
facilitators' Monday summary. Each is a kind of the academy's outbox (``academy.outbox``) with
a ``due(now)``: the dispatch task asks every kind, every minute, what is due, and writes what is
not written yet (the row's key names the kind, the occurrence and the person, so nothing is
written twice). When the worker sends a row, the kind's ``context`` reads the object again and
says ``None`` if the email is no longer worth sending: the session was cancelled or moved, the
work was handed in, the learner came back. Registered from ``CohortsConfig.ready``; the emails
about something that happened (a place decided, a mark returned) are in
``cohorts.notifications``. docs/emails.md describes each kind.

Times are UK time (Europe/London), whatever the server's clock. Each ``due`` is a fixed
number of queries however many learners there are (``tests/cohorts/test_reminders.py``), and
only offers inside its window: before it, nothing; once the event has started or the day has
passed, nothing either."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from academy.models import OutboxEmail
from academy.outbox import LEARNERS, STAFF, Kind, Notice, absolute, register_kind
from courses.models import AssessmentPage

from . import access
from .models import AssessmentResult, Cohort, Enrolment, LiveSession, PeerMeeting
from .requirements.assessments import is_required
from .selectors.applications import application_counts
from .selectors.assessments import due_dates_of
from .selectors.learners import at_risk_counts, last_seen
from .selectors.marking import queue_counts_of
from .times import LONDON

SESSION = "session_tomorrow"
MEETING = "meeting_tomorrow"
ASSESSMENT_DUE = "assessment_due"
INACTIVITY = "inactivity"
FACILITATOR_WEEK = "facilitator_week"

# Reminders of what happens tomorrow (sessions, meetings, a due date) go from this hour, UK
# time, the day before.
DAY_BEFORE_HOUR = 9
# The nudge goes from this hour, after this many days without activity, at most once a week.
NUDGE_HOUR = 10
NUDGE_AFTER_DAYS = 7
# The facilitators' summary goes on Mondays from this hour.
WEEK_HOUR = 8

Status = Enrolment.Status


def uk_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


def reminded_until(now: datetime) -> datetime:
    """What starts before this instant (and has not started) has its day-before reminder due
    at ``now``: from ``DAY_BEFORE_HOUR`` UK time, everything up to the end of tomorrow;
    earlier in the day, up to the end of today."""
    local = now.astimezone(LONDON)
    last_day = local.date() + timedelta(days=1 if local.hour >= DAY_BEFORE_HOUR else 0)
    return _midnight(last_day + timedelta(days=1))


def _when(moment: datetime) -> str:
    """ "Tuesday 8 December 2026 at 14:00" in UK time."""
    local = moment.astimezone(LONDON)
    return f"{date_format(local, 'l j F Y')} at {local:%H:%M}"


def _day(moment: datetime, now: datetime) -> str:
    """ "today" or "tomorrow": a reminder written the day before may be read on the day (in a
    digest, or sent late)."""
    return "today" if uk_date(moment) == uk_date(now) else "tomorrow"


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# --- A live session tomorrow ------------------------------------------------------------------


def _sessions_due(now: datetime) -> list[Notice]:
    """Each member of a cohort (a place, active or completed: who sees its calendar) with a
    session starting by the end of tomorrow, from 09:00 UK the day before (at once for a session
    added later), until it starts; none for a cancelled session or cohort. Two queries."""
    sessions = list(
        LiveSession.objects.filter(
            cancelled=False,
            cohort__cancelled=False,
            starts_at__gt=now,
            starts_at__lt=reminded_until(now),
        ).values("pk", "cohort_id", "starts_at")
    )
    if not sessions:
        return []
    members: dict[int, list[int]] = defaultdict(list)
    for cohort_id, user_id in (
        Enrolment.objects.members()
        .filter(cohort_id__in={session["cohort_id"] for session in sessions}, user__is_active=True)
        .values_list("cohort_id", "user_id")
    ):
        members[cohort_id].append(user_id)
    return [
        Notice(
            user_id=user_id,
            ref=f"session:{session['pk']}:{uk_date(session['starts_at']).isoformat()}",
            params={
                "session_id": session["pk"],
                "on": uk_date(session["starts_at"]).isoformat(),
            },
            about=f"session:{session['pk']}",
        )
        for session in sessions
        for user_id in members[session["cohort_id"]]
    ]


def _session_context(rows: Sequence[OutboxEmail]) -> list[dict | None]:
    now = timezone.now()
    sessions = LiveSession.objects.select_related("cohort__course").in_bulk(
        {row.params["session_id"] for row in rows}
    )
    members = set(
        Enrolment.objects.members()
        .filter(
            cohort_id__in={session.cohort_id for session in sessions.values()},
            user_id__in={row.user_id for row in rows},
        )
        .values_list("cohort_id", "user_id")
    )
    made: list[dict | None] = []
    for row in rows:
        session = sessions.get(row.params["session_id"])
        # Cancelled, moved to another day (that day's reminder is written instead), begun, or
        # the person has left the cohort.
        if (
            session is None
            or session.cancelled
            or session.cohort.cancelled
            or uk_date(session.starts_at).isoformat() != row.params["on"]
            or session.starts_at <= now
            or (session.cohort_id, row.user_id) not in members
        ):
            made.append(None)
            continue
        cohort = session.cohort
        url = absolute(reverse("cohort_home", args=[cohort.pk]))
        when = _when(session.starts_at)
        day = _day(session.starts_at, now)
        made.append(
            {
                "subject": f"{day.capitalize()}: {session.title}",
                "summary": f"{when}, {cohort.name} of {cohort.course.title}",
                "url": url,
                "session": session,
                "cohort": cohort,
                "day": day,
                "when": when,
                "ends": f"{session.ends_at.astimezone(LONDON):%H:%M}",
                "cohort_url": url,
            }
        )
    return made


# --- A peer-group meeting tomorrow -------------------------------------------------------------


def _meetings_due(now: datetime) -> list[Notice]:
    """The members and the adviser of a published set (``access.peer_set_people``) with a
    meeting starting by the end of tomorrow, timed as sessions are; none for a cancelled
    meeting or cohort. Three queries."""
    meetings = list(
        PeerMeeting.objects.filter(
            cancelled=False,
            peer_set__cohort__cancelled=False,
            starts_at__gt=now,
            starts_at__lt=reminded_until(now),
        ).values("pk", "peer_set_id", "starts_at")
    )
    if not meetings:
        return []
    people: dict[int, list[int]] = defaultdict(list)
    for set_id, user_id in access.peer_set_people({m["peer_set_id"] for m in meetings}):
        people[set_id].append(user_id)
    return [
        Notice(
            user_id=user_id,
            ref=f"meeting:{meeting['pk']}:{uk_date(meeting['starts_at']).isoformat()}",
            params={
                "meeting_id": meeting["pk"],
                "on": uk_date(meeting["starts_at"]).isoformat(),
            },
            about=f"meeting:{meeting['pk']}",
        )
        for meeting in meetings
        for user_id in sorted(people[meeting["peer_set_id"]])
    ]


def _meeting_context(rows: Sequence[OutboxEmail]) -> list[dict | None]:
    now = timezone.now()
    meetings = PeerMeeting.objects.select_related(
        "peer_set__cohort__course", "problem_holder__user"
    ).in_bulk({row.params["meeting_id"] for row in rows})
    people = access.peer_set_people({meeting.peer_set_id for meeting in meetings.values()})
    made: list[dict | None] = []
    for row in rows:
        meeting = meetings.get(row.params["meeting_id"])
        if (
            meeting is None
            or meeting.cancelled
            or meeting.peer_set.cohort.cancelled
            or uk_date(meeting.starts_at).isoformat() != row.params["on"]
            or meeting.starts_at <= now
            or (meeting.peer_set_id, row.user_id) not in people
        ):
            made.append(None)
            continue
        peer_set = meeting.peer_set
        cohort = peer_set.cohort
        url = absolute(reverse("peer_meeting", args=[cohort.pk, peer_set.number, meeting.pk]))
        when = _when(meeting.starts_at)
        day = _day(meeting.starts_at, now)
        holder = meeting.problem_holder
        made.append(
            {
                "subject": f"{day.capitalize()}: set {peer_set.number} meets",
                "summary": f"{when}, set {peer_set.number} of {cohort.name}",
                "url": url,
                "meeting": meeting,
                "peer_set": peer_set,
                "cohort": cohort,
                "day": day,
                "when": when,
                "ends": f"{meeting.ends_at.astimezone(LONDON):%H:%M}",
                "problem_holder": holder.user.get_full_name() if holder else "",
                "holds_problem": holder is not None and holder.user_id == row.user_id,
                "meeting_url": url,
            }
        )
    return made


# --- An assessment due, not handed in ----------------------------------------------------------


def _due_window(now: datetime) -> tuple[date, date]:
    """The due dates whose reminder is due at ``now``: today's, and from 09:00 UK tomorrow's
    (work is late once its due day has ended, so the deadline is then under 48 hours away)."""
    local = now.astimezone(LONDON)
    today = local.date()
    return today, today + timedelta(days=1 if local.hour >= DAY_BEFORE_HOUR else 0)


def _assessments_due(now: datetime) -> list[Notice]:
    """Each learner with an active place on a running cohort who has handed in nothing for an
    assessment due today or tomorrow (its due date for the cohort: the cohort's own, else the
    course's, ``selectors.assessments.due_dates_of``). Three queries, and the course outlines
    when they are not cached."""
    first, last = _due_window(now)
    cohorts = list(access.reminded_cohorts(first))
    due = {
        (cohort_id, assessment_id): due_on
        for cohort_id, dates in due_dates_of(cohorts).items()
        for assessment_id, due_on in dates.items()
        if first <= due_on <= last
    }
    if not due:
        return []
    cohort_ids = {cohort_id for cohort_id, _ in due}
    places = access.reminded_places(first).filter(cohort_id__in=cohort_ids)
    handed_in = set(
        AssessmentResult.objects.filter(
            enrolment__in=places.values("pk"),
            assessment_id__in={assessment_id for _, assessment_id in due},
        ).values_list("enrolment_id", "assessment_id")
    )
    by_cohort: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, user_id, cohort_id in places.values_list("pk", "user_id", "cohort_id"):
        by_cohort[cohort_id].append((pk, user_id))
    return [
        Notice(
            user_id=user_id,
            ref=f"assessment:{assessment_id}:enrolment:{enrolment_id}:due:{due_on.isoformat()}",
            params={
                "enrolment_id": enrolment_id,
                "assessment_id": assessment_id,
                "due_on": due_on.isoformat(),
            },
        )
        for (cohort_id, assessment_id), due_on in sorted(due.items())
        for enrolment_id, user_id in by_cohort[cohort_id]
        if (enrolment_id, assessment_id) not in handed_in
    ]


def _assessment_context(rows: Sequence[OutboxEmail]) -> list[dict | None]:
    today = timezone.localdate()
    enrolments = Enrolment.objects.select_related("cohort__course").in_bulk(
        {row.params["enrolment_id"] for row in rows}
    )
    cohorts = list({e.cohort_id: e.cohort for e in enrolments.values()}.values())
    due = due_dates_of(cohorts)
    pages = AssessmentPage.objects.in_bulk({row.params["assessment_id"] for row in rows})
    handed_in = set(
        AssessmentResult.objects.filter(
            enrolment_id__in=list(enrolments), assessment_id__in=list(pages)
        ).values_list("enrolment_id", "assessment_id")
    )
    made: list[dict | None] = []
    for row in rows:
        enrolment = enrolments.get(row.params["enrolment_id"])
        page = pages.get(row.params["assessment_id"])
        # Handed in since, no longer on the cohort, the date moved (the new date's reminder is
        # written instead), or the due day is over.
        if (
            enrolment is None
            or page is None
            or enrolment.status != Status.ACTIVE
            or not enrolment.cohort.is_running
            or (enrolment.pk, page.pk) in handed_in
            or (due_on := due[enrolment.cohort_id].get(page.pk)) is None
            or due_on.isoformat() != row.params["due_on"]
            or due_on < today
        ):
            made.append(None)
            continue
        cohort = enrolment.cohort
        url = absolute(reverse("cohort_assessment", args=[cohort.pk, page.pk]))
        day = "today" if due_on == today else "tomorrow"
        made.append(
            {
                "subject": f"Due {day}: {page.title}",
                "summary": f"Due {date_format(due_on, 'l j F Y')} for {cohort.name}",
                "url": url,
                "assessment": page,
                "cohort": cohort,
                "day": day,
                "due": date_format(due_on, "l j F Y"),
                "refuses_late": page.late_work == AssessmentPage.Late.REFUSE,
                "required": is_required(page),
                "assessment_url": url,
            }
        )
    return made


# --- A nudge after a quiet week ----------------------------------------------------------------


def _nudged_since(since: datetime) -> Exists:
    """A nudge about the enrolment (the outer query's) written after ``since``."""
    return Exists(
        OutboxEmail.objects.filter(
            kind=INACTIVITY,
            about=Concat(Value("enrolment:"), Cast(OuterRef("pk"), CharField())),
            created_at__gt=since,
        )
    )


def _inactive_due(now: datetime) -> list[Notice]:
    """Each learner with an active place (not complete) on a cohort that has run for a week,
    who has done nothing for ``NUDGE_AFTER_DAYS`` (their last activity, else when they were
    admitted: ``selectors.learners.last_seen``), from 10:00 UK; at most once a week: not within
    a week of their last nudge. One query."""
    local = now.astimezone(LONDON)
    if local.hour < NUDGE_HOUR:
        return []
    today = local.date()
    since = now - timedelta(days=NUDGE_AFTER_DAYS)
    quiet = (
        access.reminded_places(today, running_days=NUDGE_AFTER_DAYS)
        .annotate(seen=last_seen())
        .filter(seen__lt=since)
        .filter(~_nudged_since(since))
        .values_list("pk", "user_id")
    )
    week = _iso_week(today)
    return [
        Notice(
            user_id=user_id,
            ref=f"enrolment:{pk}:week:{week}",
            params={"enrolment_id": pk},
            about=f"enrolment:{pk}",
        )
        for pk, user_id in quiet
    ]


def _inactive_context(rows: Sequence[OutboxEmail]) -> list[dict | None]:
    now = timezone.now()
    enrolments = (
        Enrolment.objects.select_related("cohort__course")
        .annotate(seen=last_seen())
        .in_bulk({row.params["enrolment_id"] for row in rows})
    )
    made: list[dict | None] = []
    for row in rows:
        enrolment = enrolments.get(row.params["enrolment_id"])
        # Back since, complete, withdrawn, or the cohort has ended.
        if (
            enrolment is None
            or enrolment.status != Status.ACTIVE
            or not enrolment.cohort.is_running
            or enrolment.seen >= now - timedelta(days=NUDGE_AFTER_DAYS)
        ):
            made.append(None)
            continue
        cohort = enrolment.cohort
        url = absolute(reverse("cohort_home", args=[cohort.pk]))
        days = (uk_date(now) - uk_date(enrolment.seen)).days
        made.append(
            {
                "subject": f"Pick up where you left off on {cohort.name}",
                "summary": f"{cohort.course.title}: nothing done for {days} days",
                "url": url,
                "cohort": cohort,
                "days": days,
                "ends": date_format(cohort.end_date, "j F Y"),
                "cohort_url": url,
            }
        )
    return made


# --- The facilitators' Monday summary ----------------------------------------------------------


def _current_cohorts(today: date):
    """Cohorts running or still to come: those the summary is about."""
    return Cohort.objects.filter(
        Cohort.status_condition(Cohort.Status.RUNNING, today)
        | Cohort.status_condition(Cohort.Status.UPCOMING, today)
    )


def _facilitator_week_due(now: datetime) -> list[Notice]:
    """Each facilitator (an active account) of a cohort running or still to come, on Mondays
    from 08:00 UK until the day ends: one a week. One query."""
    local = now.astimezone(LONDON)
    if local.weekday() != 0 or local.hour < WEEK_HOUR:
        return []
    today = local.date()
    week = _iso_week(today)
    facilitators = (
        Cohort.facilitators.through.objects.filter(
            cohort__in=_current_cohorts(today), user__is_active=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    return [
        Notice(user_id=user_id, ref=f"week:{week}", params={"week": week})
        for user_id in facilitators
    ]


def _facilitator_week_context(rows: Sequence[OutboxEmail]) -> list[dict | None]:
    """What waits in each of the person's cohorts, read when the email is sent: applications
    to decide (``selectors.applications``), work to mark (``selectors.marking``) and learners
    at risk (``selectors.learners``), the same figures as the cohort's pages. A person with
    nothing waiting anywhere is not emailed."""
    now = timezone.now()
    today = timezone.localdate(now)
    runs: dict[int, list[Cohort]] = defaultdict(list)
    for link in (
        Cohort.facilitators.through.objects.filter(
            user_id__in={row.user_id for row in rows}, cohort__in=_current_cohorts(today)
        )
        .select_related("cohort__course")
        .order_by("cohort__start_date", "cohort__name", "cohort_id")
    ):
        runs[link.user_id].append(link.cohort)
    cohorts = list({c.pk: c for cohorts in runs.values() for c in cohorts}.values())
    applications = application_counts(cohorts)
    marking = queue_counts_of(cohorts)
    at_risk = at_risk_counts(cohorts, now)
    made: list[dict | None] = []
    for row in rows:
        lines = []
        for cohort in runs.get(row.user_id, []):
            waiting = applications.get(cohort.pk, {})
            work = marking.get(cohort.pk)
            line = {
                "cohort": cohort,
                "status": cohort.get_status_display().lower(),
                "starts": date_format(cohort.start_date, "j F Y"),
                "applied": waiting.get("applied", 0),
                "waitlisted": waiting.get("waitlisted", 0),
                "to_mark": work.waiting if work else 0,
                "held": work.held if work else 0,
                "at_risk": at_risk.get(cohort.pk, 0),
                "dashboard_url": absolute(reverse("facilitate_cohort", args=[cohort.pk])),
                "applications_url": absolute(reverse("facilitate_applications", args=[cohort.pk])),
                "marking_url": absolute(reverse("facilitate_marking", args=[cohort.pk])),
            }
            if line["applied"] or line["to_mark"] or line["held"] or line["at_risk"]:
                lines.append(line)
        if not lines:
            made.append(None)
            continue
        quiet = len(runs[row.user_id]) - len(lines)
        made.append(
            {
                "subject": "Your cohorts this week",
                "summary": ", ".join(str(line["cohort"]) for line in lines),
                "url": absolute(reverse("facilitate")),
                "lines": lines,
                "quiet": quiet,
                "facilitate_url": absolute(reverse("facilitate")),
            }
        )
    return made


KINDS = [
    Kind(
        name=SESSION,
        label="Live sessions tomorrow",
        description="The day before a live session of your cohort: when and where it is.",
        template="cohorts/email/session_tomorrow",
        context=_session_context,
        due=_sessions_due,
        audience=LEARNERS,
        order=40,
    ),
    Kind(
        name=MEETING,
        label="Peer-group meetings tomorrow",
        description="The day before your peer group meets: when and where.",
        template="cohorts/email/meeting_tomorrow",
        context=_meeting_context,
        due=_meetings_due,
        audience=LEARNERS,
        order=41,
    ),
    Kind(
        name=ASSESSMENT_DUE,
        label="Work due soon",
        description="The day before an assessment is due, if you have not handed it in.",
        template="cohorts/email/assessment_due",
        context=_assessment_context,
        due=_assessments_due,
        audience=LEARNERS,
        order=42,
    ),
    Kind(
        name=INACTIVITY,
        label="Reminders to keep going",
        description="When you have not been to your cohort for a week (at most once a week).",
        template="cohorts/email/inactivity",
        context=_inactive_context,
        due=_inactive_due,
        audience=LEARNERS,
        order=50,
    ),
    Kind(
        name=FACILITATOR_WEEK,
        label="Your cohorts this week",
        description="On Monday mornings: applications to decide, work to mark and learners at "
        "risk in the cohorts you facilitate.",
        template="cohorts/email/facilitator_week",
        context=_facilitator_week_context,
        due=_facilitator_week_due,
        audience=STAFF,
        digestible=False,
        order=60,
    ),
]


def register() -> None:
    for kind in KINDS:
        register_kind(kind)
