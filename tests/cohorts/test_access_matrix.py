"""Who may reach what: every URL of the cohorts app by every role by GET and POST.

Anything a person may not see answers 404, so ids leak nothing; anonymous visitors are sent to
sign in (302), except on the calendar feed, which opens with its secret token alone. A POST
that is allowed but carries no data answers 400 (the form is shown again with its errors).
Every request runs in a transaction that is rolled back, so no role sees another's changes.
Later issues add their rows to ``ROWS``."""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

import pytest

from academy.roles import EDITORS, PROGRAMME_MANAGERS

from ..factories import UserFactory
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    course_with_lessons,
    facilitator,
    lessons_of,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "learner_in_cohort",
    "learner_in_other_cohort",
    "facilitator_of_cohort",
    "facilitator_of_other_cohort",
    "editor",
    "programme_manager",
    "superuser",
)


@dataclass
class World:
    users: dict
    cohort: object
    other_cohort: object
    open_cohort: object
    session: object
    lesson: object
    token: str


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the whole matrix, inside a transaction rolled back at the end; each
    test's own transaction (and each request's) nests inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _build_world() -> World:
    course = course_with_lessons("Leading across boundaries", modules=1, lessons=2)
    other_course = course_with_lessons("Pooled budgets", modules=1, lessons=1)
    join_course = course_with_lessons("Systems leadership", modules=1, lessons=1)
    users = {
        "anonymous": None,
        "learner_in_cohort": UserFactory(),
        "learner_in_other_cohort": UserFactory(),
        "facilitator_of_cohort": facilitator(),
        "facilitator_of_other_cohort": facilitator(),
        "editor": UserFactory(groups=[EDITORS]),
        "programme_manager": UserFactory(groups=[PROGRAMME_MANAGERS]),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    cohort = CohortFactory(course=course, facilitators=[users["facilitator_of_cohort"]])
    other_cohort = CohortFactory(
        course=other_course, facilitators=[users["facilitator_of_other_cohort"]]
    )
    EnrolmentFactory(cohort=cohort, user=users["learner_in_cohort"])
    EnrolmentFactory(cohort=other_cohort, user=users["learner_in_other_cohort"])
    from cohorts.services import calendar_feed_for

    return World(
        users=users,
        cohort=cohort,
        other_cohort=other_cohort,
        open_cohort=CohortFactory(course=join_course, upcoming=True),
        session=LiveSessionFactory(cohort=cohort),
        lesson=lessons_of(course)[0],
        token=calendar_feed_for(users["learner_in_cohort"]).token,
    )


def _codes(default_signed_in, **overrides):
    codes = {"anonymous": 302, **dict.fromkeys(ROLES[1:], default_signed_in)}
    codes.update(overrides)
    return codes


MEMBERS = {
    "learner_in_cohort": 200,
    "facilitator_of_cohort": 200,
    "programme_manager": 200,
    "superuser": 200,
}
RUNNERS = {"facilitator_of_cohort": 200, "programme_manager": 200, "superuser": 200}
FACILITATORS = {
    "facilitator_of_cohort": 200,
    "facilitator_of_other_cohort": 200,
    "programme_manager": 200,
    "superuser": 200,
}
MANAGERS = {"programme_manager": 200, "superuser": 200}


def _runners(code):
    return dict.fromkeys(RUNNERS, code)


# (name, url builder, method, expected status by role)
ROWS = [
    ("my learning", lambda w: reverse("my_learning"), "get", _codes(200)),
    ("calendar feed page", lambda w: reverse("calendar_feed"), "get", _codes(200)),
    ("calendar token reset", lambda w: reverse("calendar_feed"), "post", _codes(302)),
    (
        "personal calendar with a valid token",
        lambda w: f"{reverse('personal_calendar')}?token={w.token}",
        "get",
        dict.fromkeys(ROLES, 200),
    ),
    (
        "personal calendar with a wrong token",
        lambda w: f"{reverse('personal_calendar')}?token=not-the-token",
        "get",
        dict.fromkeys(ROLES, 404),
    ),
    (
        "personal calendar without a token",
        lambda w: reverse("personal_calendar"),
        "get",
        dict.fromkeys(ROLES, 404),
    ),
    (
        "mark a lesson complete",
        lambda w: reverse("lesson_complete", args=[w.lesson.pk]),
        "post",
        # Those who may read the lesson are sent back to it (with a message when they have
        # no enrolment to record it on); the rest get 404.
        _codes(404, learner_in_cohort=302, facilitator_of_cohort=302, editor=302, superuser=302),
    ),
    (
        "mark a lesson complete by GET",
        lambda w: reverse("lesson_complete", args=[w.lesson.pk]),
        "get",
        _codes(405),
    ),
    (
        "cohort home",
        lambda w: reverse("cohort_home", args=[w.cohort.pk]),
        "get",
        _codes(404, **MEMBERS),
    ),
    (
        "cohort calendar",
        lambda w: reverse("cohort_calendar", args=[w.cohort.pk]),
        "get",
        _codes(404, **MEMBERS),
    ),
    (
        "join an open cohort",
        lambda w: reverse("cohort_join", args=[w.open_cohort.pk]),
        "get",
        _codes(200),
    ),
    (
        "take a place on an open cohort",
        lambda w: reverse("cohort_join", args=[w.open_cohort.pk]),
        "post",
        _codes(302),
    ),
    (
        "join a cohort that does not exist",
        lambda w: reverse("cohort_join", args=[999999]),
        "get",
        _codes(404),
    ),
    (
        "withdraw",
        lambda w: reverse("cohort_withdraw", args=[w.cohort.pk]),
        "get",
        _codes(404, learner_in_cohort=200),
    ),
    (
        "withdraw (confirm)",
        lambda w: reverse("cohort_withdraw", args=[w.cohort.pk]),
        "post",
        _codes(404, learner_in_cohort=302),
    ),
    ("facilitate", lambda w: reverse("facilitate"), "get", _codes(404, **FACILITATORS)),
    ("programme report", lambda w: reverse("programme_report"), "get", _codes(404, **MANAGERS)),
    (
        "programme report CSV",
        lambda w: reverse("programme_report_csv"),
        "get",
        _codes(404, **MANAGERS),
    ),
    (
        "facilitator dashboard",
        lambda w: reverse("facilitate_cohort", args=[w.cohort.pk]),
        "get",
        _codes(404, **RUNNERS),
    ),
    (
        "learner table CSV",
        lambda w: reverse("facilitate_learners_csv", args=[w.cohort.pk]),
        "get",
        _codes(404, **RUNNERS),
    ),
    (
        "applications queue",
        lambda w: reverse("facilitate_applications", args=[w.cohort.pk]),
        "get",
        _codes(404, **RUNNERS),
    ),
    (
        "decide applications with nothing selected",
        lambda w: reverse("facilitate_applications", args=[w.cohort.pk]),
        "post",
        _codes(404, **_runners(400)),
    ),
    (
        "add a live session",
        lambda w: reverse("facilitate_session_add", args=[w.cohort.pk]),
        "get",
        _codes(404, **RUNNERS),
    ),
    (
        "add a live session with no details",
        lambda w: reverse("facilitate_session_add", args=[w.cohort.pk]),
        "post",
        _codes(404, **_runners(400)),
    ),
    (
        "edit a live session",
        lambda w: reverse("facilitate_session_edit", args=[w.cohort.pk, w.session.pk]),
        "get",
        _codes(404, **RUNNERS),
    ),
    (
        "edit a live session of another cohort",
        lambda w: reverse("facilitate_session_edit", args=[w.other_cohort.pk, w.session.pk]),
        "get",
        _codes(404),
    ),
    (
        "cancel a live session",
        lambda w: reverse("facilitate_session_cancel", args=[w.cohort.pk, w.session.pk]),
        "get",
        _codes(404, **RUNNERS),
    ),
    (
        "cancel a live session (confirm)",
        lambda w: reverse("facilitate_session_cancel", args=[w.cohort.pk, w.session.pk]),
        "post",
        _codes(404, **_runners(302)),
    ),
    (
        "post an announcement",
        lambda w: reverse("facilitate_announcement_add", args=[w.cohort.pk]),
        "get",
        _codes(404, **RUNNERS),
    ),
    (
        "post an empty announcement",
        lambda w: reverse("facilitate_announcement_add", args=[w.cohort.pk]),
        "post",
        _codes(404, **_runners(400)),
    ),
    (
        "a cohort that does not exist, to facilitate",
        lambda w: reverse("facilitate_cohort", args=[999999]),
        "get",
        _codes(404),
    ),
    # The programme managers' cohort editor in the Wagtail admin. Wagtail sends people it
    # refuses to its own pages (302): what matters is that only managers see the listing.
    (
        "cohorts in the admin",
        lambda w: "/admin/cohorts/",
        "get",
        _codes(302, programme_manager=200, superuser=200),
    ),
    (
        "edit a cohort in the admin",
        lambda w: f"/admin/cohorts/edit/{w.cohort.pk}/",
        "get",
        _codes(302, programme_manager=200, superuser=200),
    ),
]


class Rollback(Exception):
    pass


def fetch(client, user, method: str, url: str) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    status = None
    try:
        with transaction.atomic():
            status = getattr(client, method)(url).status_code
            raise Rollback
    except Rollback:
        pass
    return status


@pytest.mark.parametrize(("name", "url", "method", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_access(client, world, subtests, name, url, method, expected):
    assert set(expected) == set(ROLES), f"row {name!r} must say what every role gets"
    address = url(world)
    seen = {}
    for role in ROLES:
        with subtests.test(role=role):
            seen[role] = fetch(client, world.users[role], method, address)
            assert seen[role] == expected[role], f"{method.upper()} {address} as {role}"
