"""Cohorts for tests: a course with modules and lessons, cohorts running now, still to come or
finished, enrolments at any stage, live sessions and announcements. Dates are relative to
today, so a "running" cohort is running whenever the test runs."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

import factory

from academy.roles import FACILITATORS
from cohorts.models import (
    Announcement,
    AssessmentResult,
    Cohort,
    Enrolment,
    LessonCompletion,
    LiveSession,
    Mark,
    PeerReview,
    QuizAttempt,
    Submission,
)
from cohorts.services.assessment_results import lock_enrolment, result_refresh
from courses.models import AssessmentPage, CoursePage, LessonPage, ModulePage

from ..courses.factories import course_fields, course_index, sectors
from ..factories import UserFactory


def course_with_lessons(
    title: str = "Leading across boundaries", *, modules: int = 2, lessons: int = 3, **fields
) -> CoursePage:
    """A published course with ``modules`` modules of ``lessons`` required lessons each."""
    from courses.models import CourseIndexPage

    index = CourseIndexPage.objects.first() or course_index()
    # The course, its modules and lessons are added live without revisions: cohort tests build
    # many courses, and what they test does not depend on a page's history.
    page = CoursePage(**course_fields(title, **fields))
    page.sectors = sectors("local-government")
    index.add_child(instance=page)
    for m in range(1, modules + 1):
        module_page = page.add_child(
            instance=ModulePage(title=f"Module {m} of {title}", slug=f"module-{m}")
        )
        for n in range(1, lessons + 1):
            module_page.add_child(
                instance=LessonPage(
                    title=f"Lesson {m}.{n}",
                    slug=f"lesson-{m}-{n}",
                    body=[("paragraph", "<p>One pilot found fifty different benefits.</p>")],
                )
            )
    return page


def lessons_of(course_page: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course_page).live().order_by("path"))


def facilitator(**fields):
    return UserFactory(groups=[FACILITATORS], **fields)


def today():
    return timezone.localdate()


class CohortFactory(factory.django.DjangoModelFactory):
    """A cohort running now (started 30 days ago, ends in 30 days) with 20 places."""

    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    course = factory.LazyFunction(lambda: CoursePage.objects.first() or course_with_lessons())
    name = factory.Sequence(lambda n: f"Cohort {n}")
    start_date = factory.LazyFunction(lambda: today() - timedelta(days=30))
    end_date = factory.LazyFunction(lambda: today() + timedelta(days=30))
    capacity = 20
    enrolment_mode = Cohort.EnrolmentMode.OPEN

    class Params:
        upcoming = factory.Trait(
            start_date=factory.LazyFunction(lambda: today() + timedelta(days=14)),
            end_date=factory.LazyFunction(lambda: today() + timedelta(days=74)),
        )
        finished = factory.Trait(
            start_date=factory.LazyFunction(lambda: today() - timedelta(days=120)),
            end_date=factory.LazyFunction(lambda: today() - timedelta(days=60)),
        )
        by_application = factory.Trait(
            enrolment_mode=Cohort.EnrolmentMode.APPLICATION,
            application_question="What would you like to change in your place?",
        )

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilitators.add(*extracted)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An active enrolment; pass ``status`` for any other stage."""

    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    course = factory.LazyAttribute(lambda enrolment: enrolment.cohort.course)
    status = Enrolment.Status.ACTIVE
    activated_at = factory.LazyFunction(timezone.now)
    last_activity_at = factory.LazyFunction(timezone.now)


def complete(enrolment: Enrolment, lessons: list[LessonPage], when=None) -> None:
    """Mark ``lessons`` complete for ``enrolment`` directly (no rules checked)."""
    LessonCompletion.objects.bulk_create(
        [
            LessonCompletion(enrolment=enrolment, lesson=item, completed_at=when or timezone.now())
            for item in lessons
        ]
    )


class LiveSessionFactory(factory.django.DjangoModelFactory):
    """A one-hour online session a week from now."""

    class Meta:
        model = LiveSession

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Action learning set {n}")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=1))
    joining_url = "https://meet.example.org/academy-set"
    description = "Bring one problem your partnership is stuck on."


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    cohort = factory.SubFactory(CohortFactory)
    author = None
    subject = factory.Sequence(lambda n: f"Week {n}: reading for the next session")
    body = "Please read the case study on shared budgets before Thursday."


# --- written work ---


def reflective_assignment(course_page: CoursePage | None = None, **fields):
    """A live reflective assignment in the first module of ``course_page`` (the first course
    unless given), marked against a rubric of two criteria worth 6 points (4 to pass)."""
    from ..courses.factories import reflective_assessment as assessment

    course_page = course_page or CoursePage.objects.first() or course_with_lessons()
    module_page = ModulePage.objects.child_of(course_page).order_by("path").first()
    return assessment(module_page, **fields)


def submission(enrolment: Enrolment, assessment, *, version: int | None = None, **fields):
    """A version of ``enrolment``'s work on ``assessment``, written directly (no rules
    checked), waiting to be marked; the next version unless ``version`` is given."""
    from cohorts.models import Submission

    if version is None:
        version = Submission.objects.filter(enrolment=enrolment, assessment=assessment).count() + 1
    text = fields.pop("text", "Our partnership pooled two budgets and counted what it saved.")
    return Submission.objects.create(
        enrolment=enrolment,
        assessment=assessment,
        version=version,
        text=text,
        word_count=len(text.split()),
        **fields,
    )


def mark(
    work,
    *,
    outcome: str = "pass",
    released: bool = True,
    marker=None,
    comments: str = "Clear evidence from your own place.",
    when=None,
):
    """Mark ``work`` (a ``Submission``) as a marking service would: the top level of each
    criterion for a pass, the bottom one for a resubmission; the submission's status set and
    the learner's result worked out again under the enrolment's lock. A mark not ``released``
    is held."""
    from django.db import transaction

    from cohorts.models import Mark, Submission
    from cohorts.rubrics import criteria_of, score
    from cohorts.services.assessment_results import lock_enrolment, result_refresh
    from courses.models import AssessmentPage

    assessment = AssessmentPage.objects.select_related("rubric").get(pk=work.assessment_id)
    pick = -1 if outcome == Mark.Outcome.PASS else 0
    chosen = {c["id"]: c["levels"][pick]["id"] for c in criteria_of(assessment.rubric)}
    scored = score(assessment.rubric, chosen)
    when = when or timezone.now()
    with transaction.atomic():
        enrolment = lock_enrolment(work.enrolment_id)
        given = Mark.objects.create(
            submission=work,
            marker=marker,
            outcome=outcome,
            criteria=scored.criteria,
            total=scored.total,
            max_total=scored.max_total,
            comments=comments,
            created_at=when,
            released_at=when if released else None,
        )
        if not released:
            work.status = Submission.Status.HELD
        elif outcome == Mark.Outcome.PASS:
            work.status = Submission.Status.PASSED
        else:
            work.status = Submission.Status.RESUBMIT
        work.save(update_fields=["status"])
        result_refresh(enrolment=enrolment, assessment=assessment, now=when)
    return given


# --- uploads: written work with files ----------------------------------------------------------


def rubric_for_files(name: str = "Reflection on practice"):
    from courses.models import Rubric

    levels = [{"descriptor": "Describes", "points": 0}, {"descriptor": "Reflects", "points": 2}]
    rubric, _ = Rubric.objects.get_or_create(
        name=name,
        defaults={
            "criteria": [("criterion", {"name": "Insight", "guidance": "", "levels": levels})],
            "pass_points": 2,
        },
    )
    return rubric


def assessment_taking_files(course_page: CoursePage, **fields):
    """A reflective assignment taking up to three files, in the course's first module."""
    from courses.models import AssessmentPage

    module_page = ModulePage.objects.child_of(course_page).order_by("path").first()
    page = AssessmentPage(
        **{
            "title": "Reflecting on a partnership",
            "slug": f"reflecting-{AssessmentPage.objects.count() + 1}",
            "instructions": "<p>Write about a partnership you lead.</p>",
            "rubric": rubric_for_files(),
            "max_files": 3,
            **fields,
        }
    )
    return module_page.add_child(instance=page)


# --- peer reviews ---


def handed_in(enrolment: Enrolment, assessment, *, when=None, **fields) -> Submission:
    """The next version of ``enrolment``'s work on ``assessment``, stored directly (no rules
    checked)."""
    version = enrolment.submissions.filter(assessment=assessment).count() + 1
    text = fields.pop("text", "Our plan: one budget for hospital discharge across the city.")
    return Submission.objects.create(
        enrolment=enrolment,
        assessment=assessment,
        version=version,
        text=text,
        word_count=len(text.split()),
        submitted_at=when or timezone.now(),
        **fields,
    )


def handed_to(submission: Submission, reviewer: Enrolment, *, done: bool = False) -> PeerReview:
    """``submission`` handed to ``reviewer`` to review directly; ``done``: reviewed too."""
    now = timezone.now()
    return PeerReview.objects.create(
        submission=submission,
        reviewer=reviewer,
        assigned_at=now,
        submitted_at=now if done else None,
        total=4 if done else None,
        comments="A clear plan with a measurable outcome." if done else "",
    )


def released_pass(submission: Submission, *, marker=None) -> Mark:
    """A facilitator's pass on ``submission``, released now (no rules checked)."""
    now = timezone.now()
    submission.status = Submission.Status.PASSED
    submission.save(update_fields=["status"])
    return Mark.objects.create(
        submission=submission,
        marker=marker,
        outcome=Mark.Outcome.PASS,
        total=4,
        max_total=6,
        comments="A plan partners can act on.",
        created_at=now,
        released_at=now,
    )


# --- marking ---


def written_assessment(course_page: CoursePage, title: str = "Reflect on a partnership", **fields):
    """A live reflective assignment in the course's first module, marked against a new rubric
    of 12 points with 6 to pass (``tests.courses.factories.rubric``) unless given one."""
    from ..courses.factories import assessment

    first_module = ModulePage.objects.child_of(course_page).order_by("path").first()
    return assessment(first_module, title, **fields)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """Version 1 of a learner's written work, handed in an hour ago and waiting for marking.
    Give ``assessment`` (``written_assessment(course)``)."""

    class Meta:
        model = "cohorts.Submission"

    enrolment = factory.SubFactory(EnrolmentFactory)
    version = 1
    text = "We pooled the budgets.\n\nThe board met monthly & agreed one outcome."
    word_count = 12
    submitted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    status = "waiting"


# --- lists ---


def modules_of(course_page: CoursePage) -> list[ModulePage]:
    return list(ModulePage.objects.child_of(course_page).order_by("path"))


def result_refreshed(enrolment: Enrolment, assessment: AssessmentPage) -> AssessmentResult | None:
    """Work out ``enrolment``'s result on ``assessment`` as the assessment services do: under
    the enrolment's row lock, in one transaction."""
    with transaction.atomic():
        return result_refresh(enrolment=lock_enrolment(enrolment.pk), assessment=assessment)


# The outcome of the released mark a submission of each status carries.
_OUTCOMES = {
    Submission.Status.PASSED: Mark.Outcome.PASS,
    Submission.Status.RESUBMIT: Mark.Outcome.RESUBMIT,
    Submission.Status.HELD: Mark.Outcome.PASS,
}


def submitted(
    enrolment: Enrolment,
    assessment: AssessmentPage,
    *,
    status: str = Submission.Status.WAITING,
    when=None,
    late: bool = False,
    refresh: bool = True,
) -> Submission:
    """The next version of ``enrolment``'s work on ``assessment``, with the mark its status
    implies (released for passed and resubmit, held for held), and the learner's result worked
    out again unless ``refresh`` is false."""
    when = when or timezone.now()
    version = Submission.objects.filter(enrolment=enrolment, assessment=assessment).count() + 1
    submission = Submission.objects.create(
        enrolment=enrolment,
        assessment=assessment,
        version=version,
        text="We mapped every budget spent on older people in the borough.",
        word_count=10,
        submitted_at=when,
        late=late,
        status=status,
    )
    if status in _OUTCOMES:
        Mark.objects.create(
            submission=submission,
            outcome=_OUTCOMES[status],
            total=4,
            max_total=6,
            comments="A clear account of the partnership.",
            created_at=when,
            released_at=None if status == Submission.Status.HELD else when,
        )
    if refresh:
        result_refreshed(enrolment, assessment)
    return submission


def quiz_attempted(
    enrolment: Enrolment,
    assessment: AssessmentPage,
    *,
    percent: int,
    pass_mark: int = 70,
    when=None,
    refresh: bool = True,
) -> QuizAttempt:
    """The next attempt at a quiz of ten questions, scoring ``percent``."""
    number = QuizAttempt.objects.filter(enrolment=enrolment, assessment=assessment).count() + 1
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        assessment=assessment,
        number=number,
        score=percent // 10,
        max_score=10,
        percent=percent,
        passed=percent >= pass_mark,
        submitted_at=when or timezone.now(),
    )
    if refresh:
        result_refreshed(enrolment, assessment)
    return attempt


# --- Peer groups: published sets, their posts and meetings ---


def publish_peer_groups(cohort: Cohort, *, published: bool = True):
    """The cohort's peer-group plan, published now unless ``published`` is False."""
    from cohorts.models import PeerGroupPlan

    plan, _ = PeerGroupPlan.objects.update_or_create(
        cohort=cohort, defaults={"published_at": timezone.now() if published else None}
    )
    return plan


def make_peer_set(
    cohort: Cohort,
    *,
    members: int = 4,
    number: int | None = None,
    adviser=None,
    published: bool = True,
    people: list | None = None,
):
    """Set ``number`` (the next free one) of ``cohort``, with ``members`` new members (or the
    enrolments in ``people``), each from an organisation of their own; the cohort's sets
    published unless ``published`` is False. The adviser is added to the cohort's
    facilitators."""
    from academy.models import Sector
    from cohorts.models import PeerSet, PeerSetMember

    from ..factories import OrganisationFactory, PlaceFactory

    publish_peer_groups(cohort, published=published)
    if number is None:
        number = PeerSet.objects.filter(cohort=cohort).count() + 1
    if adviser is not None:
        cohort.facilitators.add(adviser)
    peer_set = PeerSet.objects.create(cohort=cohort, number=number, adviser=adviser)
    sectors = list(Sector.objects.order_by("pk"))
    enrolments = list(people or [])
    for n in range(len(enrolments), members):
        organisation = OrganisationFactory(
            name=f"Organisation {cohort.pk}-{number}-{n}", sector=sectors[n % len(sectors)]
        )
        user = UserFactory(
            organisation=organisation,
            sector=organisation.sector,
            place=PlaceFactory(name=f"Place {n % 3}"),
            job_title=f"Head of service {n}",
        )
        enrolments.append(EnrolmentFactory(cohort=cohort, user=user))
    for enrolment in enrolments:
        PeerSetMember.objects.create(peer_set=peer_set, cohort=cohort, enrolment=enrolment)
    return peer_set


def peer_set_members_of(peer_set) -> list[Enrolment]:
    return [m.enrolment for m in peer_set.memberships.select_related("enrolment__user")]


def make_peer_post(
    peer_set, author: Enrolment | None, body: str = "A post", *, parent=None, **fields
):
    from cohorts.models import PeerPost

    return PeerPost.objects.create(
        peer_set=peer_set, author=author, body=body, parent=parent, **fields
    )


def make_peer_meeting(peer_set, *, days: float = 7, hours: float = 1.5, **fields):
    """A meeting of the set ``days`` from now (negative: in the past), online."""
    from cohorts.models import PeerMeeting

    starts = (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)
    fields.setdefault("joining_url", "https://meet.example.org/set")
    return PeerMeeting.objects.create(
        peer_set=peer_set, starts_at=starts, ends_at=starts + timedelta(hours=hours), **fields
    )


# --- Peer groups: members in bulk and sets composed by hand ---


def make_members_in_bulk(
    cohort: Cohort,
    count: int,
    *,
    first: int = 0,
    organisations: list[str] | None = None,
    sector_slugs: list[str] | None = None,
    places: list[str] | None = None,
    status: str = Enrolment.Status.ACTIVE,
) -> list[Enrolment]:
    """``count`` members of ``cohort`` in bulk (quick for a thousand), named "Member <n>"
    from ``first``: each from an organisation of their own unless ``organisations`` are given
    (taken in turn), sectors taken in turn from ``sector_slugs`` (else every sector), places
    in turn from ``places`` (else three). They cannot sign in."""
    from django.contrib.auth import get_user_model

    from academy.models import Organisation, Place, Sector

    all_sectors = list(Sector.objects.order_by("sort_order"))
    chosen = [s for s in all_sectors if s.slug in sector_slugs] if sector_slugs else all_sectors
    place_rows = [
        Place.objects.get_or_create(name=name, kind=Place.Kind.LOCAL_AUTHORITY)[0]
        for name in (places or ["Leeds", "Bradford", "Wakefield"])
    ]
    numbers = range(first, first + count)
    sector_of = {n: chosen[i % len(chosen)] for i, n in enumerate(numbers)}
    if organisations:
        org_rows = {
            name: Organisation.objects.get_or_create(
                name=name, defaults={"sector": chosen[i % len(chosen)]}
            )[0]
            for i, name in enumerate(dict.fromkeys(organisations))
        }
        org_of = {n: org_rows[organisations[i % len(organisations)]] for i, n in enumerate(numbers)}
    else:
        made = Organisation.objects.bulk_create(
            [
                Organisation(name=f"Organisation of member {cohort.pk}-{n}", sector=sector_of[n])
                for n in numbers
            ]
        )
        org_of = dict(zip(numbers, made, strict=True))
    people = get_user_model().objects.bulk_create(
        [
            get_user_model()(
                email=f"member{n}.cohort{cohort.pk}@example.org",
                display_name=f"Member {n}",
                job_title="Head of service",
                organisation=org_of[n],
                sector=sector_of[n],
                place=place_rows[i % len(place_rows)],
            )
            for i, n in enumerate(numbers)
        ]
    )
    now = timezone.now()
    return Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=person,
                cohort=cohort,
                course=cohort.course,
                status=status,
                activated_at=now,
                last_activity_at=now,
            )
            for person in people
        ]
    )


def make_peer_sets(cohort: Cohort, enrolments: list[Enrolment], per_set: int, *, pinned=False):
    """Put ``enrolments`` in sets of ``per_set`` directly (numbered from 1, in order), without
    the composer. Returns the sets."""
    from cohorts.models import PeerSet, PeerSetMember

    count = -(-len(enrolments) // per_set)
    sets = PeerSet.objects.bulk_create(
        [PeerSet(cohort=cohort, number=n) for n in range(1, count + 1)]
    )
    PeerSetMember.objects.bulk_create(
        [
            PeerSetMember(
                peer_set=sets[i // per_set],
                cohort=cohort,
                enrolment=enrolment,
                pinned=pinned,
                reason=f"Placed in set {i // per_set + 1}",
            )
            for i, enrolment in enumerate(enrolments)
        ]
    )
    return sets
