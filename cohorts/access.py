"""Who may do what with cohorts: the one place these decisions are made.

- Facilitators, programme managers and superusers use /facilitate/ at all (``runs_cohorts``);
  programme managers and superusers run every cohort (``runs_every_cohort``, the one place
  they are granted it); a cohort's own pages are for its facilitators and them
  (``can_facilitate``, ``facilitated_cohorts``). Who may be chosen to facilitate:
  ``facilitator_choices``. The programme report: ``sees_programme_report``.
- A cohort's home and calendar are for its members (a place, active or completed) and the
  people who run it (``can_view_cohort``); the personal calendar shows the cohorts a person
  belongs to or facilitates (``own_cohorts``).
- A learner's written work (a submission and its files) is seen by the learner, the people
  who run the cohort, and a learner it was handed to for peer review (``submission_viewer``,
  ``can_see_submission``).
- A learner's place on a running cohort of a course (``running_places``) opens its lessons and
  lets them mark lessons complete; ``lesson_rule`` is registered with ``courses.access`` (the
  one lesson decision). Reminders about the work of a running cohort (work due, a quiet week)
  go to the places still under way on it: ``reminded_cohorts``, ``reminded_places``.
- Written work: a member hands it in while the cohort runs (``hands_in_work``), and another
  version only when the last one is not waiting to be marked or passed, and not after a due
  date that refuses late work (``hand_in_refusal``); what is late is ``hand_in_late``.
- Peer groups: the people who run a cohort compose, change and publish its sets and name
  advisers among its facilitators (``can_facilitate``, ``adviser_choices``). A published
  set's space (its posts, meetings, attendance and commitments) is for the set's members and
  its adviser alone (``peer_set_role``, ``can_see_peer_set``): the Chatham House rule, so a
  facilitator who does not advise the set, or a member of another set of the same cohort, gets
  404. A member writes in their own name only; any member or the adviser schedules meetings
  and records attendance (``writes_in_peer_set``, ``arranges_peer_meetings``); a member's
  commitment is theirs alone to review (``can_review_commitment``), and can be changed until
  the next meeting starts (``commitment_refusal``). An adviser who is not a member finds the
  sets they advise (``advised_peer_sets``). The calendar feeds carry the meetings of the sets a
  person belongs to or advises (``calendar_peer_sets``); a meeting's reminder goes to the
  people who may open its set (``peer_set_people``).
- An assessment is taken, and seen by the people who run cohorts, inside a cohort: served at
  its own address, it sends a member or a person who runs a cohort of its course to the cohort
  ``assessment_cohort`` names (``cohorts.wagtail_hooks``).

- Certificates: anyone with its code reads a certificate's public page and credential; its
  PDF too, unless the holder hides their name or had none when it was drawn (the PDF then
  shows their email address), when only the holder downloads it
  (``can_download_certificate``). The people who run the cohort revoke it
  (``can_revoke_certificate``: its facilitators, programme managers and superusers).

Views answer 404 whenever one of these says no, so ids reveal nothing (docs/facilitators.md).
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from academy.roles import FACILITATORS, PROGRAMME_MANAGERS, is_facilitator, is_programme_manager
from courses.models import AssessmentPage, CoursePage, LessonPage

from .models import (
    AssessmentDueDate,
    Certificate,
    Cohort,
    Enrolment,
    PeerSet,
    PeerSetMember,
    Submission,
)


def runs_every_cohort(user) -> bool:
    """Programme managers and superusers (who hold every role) run every cohort."""
    return is_programme_manager(user)


def runs_cohorts(user) -> bool:
    """Facilitators, programme managers and superusers may use /facilitate/ at all."""
    return is_facilitator(user) or runs_every_cohort(user)


def sees_programme_report(user) -> bool:
    """The programme report (and its place in the admin menu): programme managers and
    superusers."""
    return is_programme_manager(user)


def facilitator_choices() -> QuerySet:
    """Everyone who may be chosen to run a cohort: active members of the Facilitators group."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=FACILITATORS)
        .distinct()
        .order_by("display_name", "email")
    )


def can_facilitate(user, cohort: Cohort) -> bool:
    """Facilitators of the cohort, programme managers and superusers run a cohort."""
    if not user.is_authenticated or not user.is_active:
        return False
    if runs_every_cohort(user):
        return True
    return cohort.facilitators.filter(pk=user.pk).exists()


def is_member(user, cohort: Cohort) -> bool:
    return user.is_authenticated and cohort.enrolments.members().filter(user=user).exists()


def can_view_cohort(user, cohort: Cohort) -> bool:
    """The cohort home and its calendar: members and the people who run it."""
    return is_member(user, cohort) or can_facilitate(user, cohort)


def own_cohorts(user) -> QuerySet[Cohort]:
    """The cohorts ``user`` belongs to (a place, active or completed) or facilitates: their
    personal calendar. Not every cohort a programme manager may open, only those they are part
    of."""
    member_of = Enrolment.objects.members().filter(user=user).values("cohort_id")
    return Cohort.objects.filter(Q(pk__in=member_of) | Q(facilitators=user))


def can_withdraw(enrolment: Enrolment | None, cohort: Cohort) -> bool:
    """A learner may give up an active place until the cohort finishes."""
    return (
        enrolment is not None
        and enrolment.status == Enrolment.Status.ACTIVE
        and cohort.status != Cohort.Status.FINISHED
    )


def lessons_open(user, cohort: Cohort) -> bool:
    """From the cohort home: learners read the lessons while the cohort runs; the people who
    run it, always (``lesson_rule`` decides each lesson the same way)."""
    return cohort.is_running or can_facilitate(user, cohort)


def facilitated_cohorts(user) -> QuerySet[Cohort]:
    """The cohorts ``user`` runs: every cohort for programme managers and superusers."""
    cohorts = Cohort.objects.select_related("course")
    if runs_every_cohort(user):
        return cohorts.all()
    return cohorts.filter(facilitators=user)


def running_places(user, course) -> QuerySet[Enrolment]:
    """``user``'s place (active or completed) on a running cohort of ``course`` (a course page,
    or a queryset of course ids): what lets a learner read the course's lessons, mark them
    complete and see their progress on a lesson."""
    by_course = {"course__in": course} if isinstance(course, QuerySet) else {"course": course}
    # A subquery, not a join: an UPDATE of these rows stays one plain statement.
    running = Cohort.objects.running().values("pk")
    return Enrolment.objects.members().filter(user=user, cohort__in=running, **by_course)


def reminded_cohorts(today: datetime.date, *, running_days: int = 0) -> QuerySet[Cohort]:
    """The cohorts running on ``today`` (a UK date), and for at least ``running_days`` days:
    those whose learners are reminded of their work."""
    since = today - datetime.timedelta(days=running_days)
    return Cohort.objects.running(today, started_by=since)


def reminded_places(today: datetime.date, *, running_days: int = 0) -> QuerySet[Enrolment]:
    """The places reminders about a cohort's work go to: active (not yet complete), held by an
    active account, on a cohort ``reminded_cohorts`` names."""
    cohorts = reminded_cohorts(today, running_days=running_days).values("pk")
    return Enrolment.objects.filter(
        status=Enrolment.Status.ACTIVE, cohort__in=cohorts, user__is_active=True
    )


def lesson_rule(user, lesson: LessonPage) -> bool:
    """Registered with ``courses.access``. The people who run a cohort of the lesson's course
    (its facilitators; programme managers, who run every cohort) read its lessons whatever the
    cohort's status: they prepare before it starts and look back after it ends. A learner
    reads them only while they hold a place on a running cohort of the course
    (``running_places``). One query decides for facilitators and learners; a programme manager
    takes two more (their groups, read once per request, and whether the course has a cohort).
    Superusers, editors and moderators are let in by ``courses.access`` itself."""
    course = CoursePage.objects.ancestor_of(lesson).values("pk")
    cohorts = Cohort.objects.filter(course__in=course)
    places = running_places(user, course).values("cohort_id")
    if cohorts.filter(Q(facilitators=user) | Q(pk__in=places)).exists():
        return True
    return runs_every_cohort(user) and cohorts.exists()


def hands_in_work(enrolment: Enrolment | None, cohort: Cohort) -> bool:
    """A learner hands in work while they hold a place on the cohort and it runs: what
    ``running_places`` decides in the database, for an enrolment already read."""
    return enrolment is not None and enrolment.is_member and cohort.is_running


def hand_in_late(latest: Submission | None, due_on: datetime.date, now: datetime.datetime) -> bool:
    """Whether a version handed in ``now`` is late: a first version after the due day
    (``AssessmentDueDate.is_late``). A resubmission, asked for by a marker, never is."""
    return latest is None and AssessmentDueDate.is_late(now, due_on)


def hand_in_refusal(
    assessment: AssessmentPage,
    latest: Submission | None,
    due_on: datetime.date,
    now: datetime.datetime,
) -> str | None:
    """Why a member may not hand in a new version of their work now, or None when they may.
    Not while the last version waits to be marked (or its mark is held), nor once it has
    passed. A due date that refuses late work holds back only the first version
    (``hand_in_late``): a learner asked to resubmit may do so until they pass."""
    if latest is not None:
        if latest.status in (Submission.Status.WAITING, Submission.Status.HELD):
            return "Your work is waiting to be marked"
        if latest.status == Submission.Status.PASSED:
            return (
                "Your work has passed"
                if assessment.is_peer_review
                else ("You have passed this assessment")
            )
        return None
    if assessment.late_work == AssessmentPage.Late.REFUSE and hand_in_late(latest, due_on, now):
        return (
            f"The due date, {due_on.day} {due_on:%B %Y}, has passed: this assessment does not "
            "accept late work"
        )
    return None


SUBMISSION_OWNER = "owner"
SUBMISSION_FACILITATOR = "facilitator"
SUBMISSION_PEER = "peer"


def submission_viewer(user, submission: Submission) -> str | None:
    """How ``user`` may see a learner's submission (its text and files): ``SUBMISSION_OWNER``,
    the learner whose work it is; ``SUBMISSION_FACILITATOR``, someone who runs the cohort
    (``can_facilitate``); ``SUBMISSION_PEER``, a member of the cohort it was handed to for
    peer review (a ``PeerReview`` row, done or not); otherwise None. Reads
    ``submission.enrolment`` and its cohort: select them with the submission."""
    if not user.is_authenticated or not user.is_active:
        return None
    enrolment = submission.enrolment
    if enrolment.user_id == user.pk:
        return SUBMISSION_OWNER
    if can_facilitate(user, enrolment.cohort):
        return SUBMISSION_FACILITATOR
    reviewers = Enrolment.objects.members().filter(user=user, cohort_id=enrolment.cohort_id)
    if submission.peer_reviews.filter(reviewer__in=reviewers).exists():
        return SUBMISSION_PEER
    return None


def can_see_submission(user, submission: Submission) -> bool:
    """The learner whose work it is, the people who run the cohort, and a learner it was
    handed to for peer review (``submission_viewer``)."""
    return submission_viewer(user, submission) is not None


def marker_sees_name(*, anonymous_marking: bool, released: bool) -> bool:
    """Whether the people who mark a cohort's work see whose it is. Under an assessment's
    anonymous marking, a version's author is hidden (shown by a pseudonym) until a mark on it
    is released; otherwise, and always for peer reviewers' names, they see names. Marking
    itself is for the people who run the cohort (``can_facilitate``)."""
    return not anonymous_marking or released


def assessment_cohort(user, assessment: AssessmentPage) -> Cohort | None:
    """The cohort in which ``user`` meets ``assessment``: the cohort of the course they hold a
    place on (active or completed, whatever the cohort's status), else one they run (its
    facilitators; programme managers run every cohort). Where there are several, the most
    recent running cohort, else the one that starts last. None for anyone else. Two queries
    at most (and a programme manager's groups, read once per request)."""
    if not user.is_authenticated or not user.is_active:
        return None
    course = CoursePage.objects.ancestor_of(assessment).values("pk")
    cohorts = Cohort.objects.filter(course__in=course)
    running_first = (
        Case(
            When(Cohort.status_condition(Cohort.Status.RUNNING), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "-start_date",
        "-pk",
    )
    places = Enrolment.objects.members().filter(user=user).values("cohort_id")
    cohort = cohorts.filter(pk__in=places).order_by(*running_first).first()
    if cohort is None:
        run = facilitated_cohorts(user).filter(course__in=course)
        cohort = run.order_by(*running_first).first()
    return cohort


PEER_MEMBER = "member"
PEER_ADVISER = "adviser"


def _published_sets() -> QuerySet[PeerSet]:
    return PeerSet.objects.published()


def own_peer_set(user, cohort: Cohort) -> PeerSet | None:
    """The published set of ``cohort`` that ``user`` belongs to through their place (active or
    completed); None before publishing, for anyone not placed, and for a learner who has left
    the cohort. One query."""
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        _published_sets()
        .filter(
            cohort=cohort,
            memberships__enrolment__in=Enrolment.objects.members().filter(user=user),
        )
        .select_related("cohort__course")
        .first()
    )


def peer_set_role(user, peer_set: PeerSet, *, published: bool) -> str | None:
    """How ``user`` may open a set's space: ``PEER_MEMBER``, a member of the set through a
    place on its cohort (active or completed); ``PEER_ADVISER``, the set's adviser while they
    still facilitate the cohort (or run every cohort); otherwise None, and None for everyone
    before the cohort's sets are published (``published``: the plan's, read by the caller)."""
    if not published or not user.is_authenticated or not user.is_active:
        return None
    members = peer_set.memberships.filter(
        enrolment__in=Enrolment.objects.members().filter(user=user)
    )
    if members.exists():
        return PEER_MEMBER
    if peer_set.adviser_id == user.pk and can_facilitate(user, peer_set.cohort):
        return PEER_ADVISER
    return None


def peer_set_people(set_ids: Iterable[int]) -> set[tuple[int, int]]:
    """Who may open each of the sets ``set_ids`` (``peer_set_role``, for many sets at once), as
    (set id, user id) pairs: for a published set, its members through a place (active or
    completed) and its adviser while they still run the cohort, if their accounts are active.
    Two queries, however many sets and members."""
    published = _published_sets().filter(pk__in=list(set_ids))
    members = PeerSetMember.objects.filter(
        peer_set__in=published,
        enrolment__in=Enrolment.objects.members(),
        enrolment__user__is_active=True,
    ).values_list("peer_set_id", "enrolment__user_id")
    facilitates = Cohort.facilitators.through.objects.filter(
        cohort_id=OuterRef("cohort_id"), user_id=OuterRef("adviser_id")
    )
    manages = get_user_model().groups.through.objects.filter(
        user_id=OuterRef("adviser_id"), group__name=PROGRAMME_MANAGERS
    )
    advisers = (
        published.filter(adviser__is_active=True)
        .filter(Exists(facilitates) | Q(adviser__is_superuser=True) | Exists(manages))
        .values_list("pk", "adviser_id")
    )
    return set(members) | set(advisers)


def can_see_peer_set(user, peer_set: PeerSet, *, published: bool) -> bool:
    """A set's space, its posts and its commitments: its members and its adviser alone."""
    return peer_set_role(user, peer_set, published=published) is not None


def adviser_choices(cohort: Cohort) -> QuerySet:
    """Who may advise a set of ``cohort``: its facilitators who are still active."""
    return cohort.facilitators.filter(is_active=True).order_by("display_name", "email")


def advised_peer_sets(user, cohort: Cohort) -> QuerySet[PeerSet]:
    """The published sets of ``cohort`` that ``user`` advises while they still run it (as
    ``peer_set_role`` decides for one set)."""
    if not user.is_authenticated or not user.is_active or not can_facilitate(user, cohort):
        return PeerSet.objects.none()
    return _published_sets().filter(cohort=cohort, adviser=user).order_by("number")


def calendar_peer_sets(user) -> QuerySet[PeerSet]:
    """The published sets whose meetings go in ``user``'s calendar feeds: those they belong
    to through a place (active or completed), and those they advise while they still run the
    cohort (as ``peer_set_role`` lets them in)."""
    places = Enrolment.objects.members().filter(user=user)
    advised = Q(adviser=user)
    if not runs_every_cohort(user):
        advised &= Q(cohort__facilitators=user)
    return _published_sets().filter(Q(memberships__enrolment__in=places) | advised).distinct()


def writes_in_peer_set(role: str | None) -> bool:
    """Posts and replies are signed by a place on the cohort: the set's members write them;
    its adviser reads them."""
    return role == PEER_MEMBER


def arranges_peer_meetings(role: str | None) -> bool:
    """Any member of the set, or its adviser, schedules, changes and cancels its meetings,
    and records who came."""
    return role in (PEER_MEMBER, PEER_ADVISER)


def can_review_commitment(user, commitment) -> bool:
    """A commitment is reviewed by the member who made it, and by no one else (not another
    member, not the adviser). Reads ``commitment.enrolment``."""
    return (
        user.is_authenticated
        and user.is_active
        and commitment.enrolment.user_id == user.pk
        and commitment.enrolment.is_member
    )


def commitment_refusal(meeting, next_meeting, now: datetime.datetime) -> str | None:
    """Why a member may not record or change their commitment at ``meeting`` now, or None.
    A commitment is made at a meeting and can be changed until the set's next meeting
    (``next_meeting``, not cancelled) starts, when it comes up for review."""
    if meeting.cancelled:
        return "This meeting was cancelled: record your commitment at the next one"
    if next_meeting is not None and next_meeting.starts_at <= now:
        return (
            "The next meeting has started, so this meeting's commitments are now being "
            "reviewed and can no longer be changed"
        )
    return None


def can_download_certificate(user, certificate: Certificate) -> bool:
    """A certificate's PDF is for anyone with its code, as its page is, while the page shows
    the holder's name and the PDF was drawn with one; for the holder alone once they hide it
    (the PDF shows it), or when it was drawn while they had none (it shows their email address
    in its place, even after they add a name). Reads ``certificate.enrolment.user``."""
    if certificate.holder_name and certificate.pdf_shows_name:
        return True
    return user.is_authenticated and certificate.enrolment.user_id == user.pk


def can_revoke_certificate(user, certificate: Certificate) -> bool:
    """The people who run the certificate's cohort (``can_facilitate``) revoke it. Reads
    ``certificate.enrolment.cohort``."""
    return can_facilitate(user, certificate.enrolment.cohort)
