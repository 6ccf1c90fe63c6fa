"""The learner's pages: My learning, the cohort home, joining and withdrawing, marking lessons
complete and the calendar feeds. Who may see what (404, never 403), what each page shows and
what each form saves."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from academy import roles
from academy.models import Organisation
from cohorts.models import CalendarFeed, Enrolment, LessonCompletion
from cohorts.services.calendars import calendar_feed_for
from tests.factories import UserFactory, sector

from .factories import (
    AnnouncementFactory,
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    complete,
    course_with_lessons,
    facilitator,
    lessons_of,
)

pytestmark = pytest.mark.django_db

FULL = "Full \N{EN DASH} waiting list open"

Status = Enrolment.Status
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def course_page():
    return course_with_lessons("Leading across boundaries")


@pytest.fixture
def cohort(course_page):
    return CohortFactory(course=course_page, name="Autumn 2026")


@pytest.fixture
def enrolment(cohort):
    return EnrolmentFactory(cohort=cohort)


@pytest.fixture
def learner(enrolment):
    return enrolment.user


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def login_url_for(path: str) -> str:
    return f"{reverse('account_login')}?next={path}"


# --- My learning ----------------------------------------------------------------------------


def test_my_learning_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("my_learning"))

    assert response.status_code == 302
    assert response["Location"] == login_url_for(reverse("my_learning"))


def test_my_learning_without_courses_points_to_the_catalogue(client):
    client.force_login(UserFactory())

    response = client.get(reverse("my_learning"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "You are not taking part in a course yet" in html
    assert 'href="/courses/"' in html


def test_my_learning_shows_progress_and_the_next_lesson(client, learner, enrolment, course_page):
    lessons = lessons_of(course_page)
    complete(enrolment, lessons[:2])
    client.force_login(learner)

    html = client.get(reverse("my_learning")).content.decode()

    assert "Leading across boundaries" in html
    assert "Autumn 2026" in html
    assert "2 of 6 required lessons complete (33%)" in html
    assert '<progress class="academy-progress' in html
    assert 'max="6" value="2"' in html
    assert f'href="{lessons[2].url}">Continue: Lesson 1.3</a>' in html
    assert reverse("cohort_home", args=[enrolment.cohort_id]) in html
    assert "Lesson 1.1" in html  # recently completed
    assert reverse("calendar_feed") in html


def test_my_learning_lists_applications_waiting_lists_and_past_cohorts(client, course_page):
    user = UserFactory()
    other_course = course_with_lessons("Pooling budgets", modules=1, lessons=1)
    third_course = course_with_lessons("Working with communities", modules=1, lessons=1)
    applied = EnrolmentFactory(
        user=user,
        cohort=CohortFactory(course=course_page, upcoming=True, by_application=True),
        status=Status.APPLIED,
    )
    waitlisted = EnrolmentFactory(
        user=user,
        cohort=CohortFactory(course=other_course, name="Spring 2027", upcoming=True),
        status=Status.WAITLISTED,
    )
    EnrolmentFactory(
        user=user,
        cohort=CohortFactory(course=third_course, name="Summer 2026", finished=True),
        status=Status.COMPLETED,
    )
    client.force_login(user)

    html = client.get(reverse("my_learning")).content.decode()

    assert "Applications and waiting lists" in html
    assert "On the waiting list" in html and "Applied" in html
    assert reverse("cohort_withdraw", args=[applied.cohort_id]) in html
    assert reverse("cohort_withdraw", args=[waitlisted.cohort_id]) in html
    assert "Past cohorts" in html and "Summer 2026" in html


def test_my_learning_shows_upcoming_sessions_in_uk_time(client, learner, cohort):
    year = timezone.localdate().year + 1
    winter = datetime(year, 12, 3, 10, 0, tzinfo=LONDON)
    summer = datetime(year, 7, 2, 14, 0, tzinfo=LONDON)  # 13:00 UTC in British Summer Time
    LiveSessionFactory(
        cohort=cohort,
        title="Action learning set",
        starts_at=winter,
        ends_at=winter + timedelta(minutes=90),
        location="Room 4, Civic Centre",
        joining_url="",
    )
    LiveSessionFactory(
        cohort=cohort, title="Summer set", starts_at=summer, ends_at=summer + timedelta(hours=1)
    )
    client.force_login(learner)

    html = client.get(reverse("my_learning")).content.decode()

    assert f"{winter:%A} 3 December {year}, 10am</time> to <time" in html
    assert "11:30am</time>" in html
    assert f"{summer:%A} 2 July {year}, 2pm</time> to <time" in html
    assert "Room 4, Civic Centre" in html
    assert 'href="https://meet.example.org/academy-set"' in html


def test_my_learning_makes_the_same_queries_however_many_cohorts(client):
    def queries_for_learner_with(cohorts: int) -> int:
        user = UserFactory()
        for n in range(cohorts):
            page = course_with_lessons(f"Course {cohorts}-{n}", modules=1, lessons=2)
            enrolment = EnrolmentFactory(user=user, cohort=CohortFactory(course=page))
            complete(enrolment, lessons_of(page)[:1])
            LiveSessionFactory(cohort=enrolment.cohort)
            EnrolmentFactory.create_batch(3, cohort=enrolment.cohort)
        client.force_login(user)
        client.get(reverse("my_learning"))  # warm the site root cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("my_learning")).status_code == 200
        return len(queries)

    assert queries_for_learner_with(1) == queries_for_learner_with(4)


# --- Marking lessons complete ---------------------------------------------------------------


def complete_url(lesson) -> str:
    return reverse("lesson_complete", args=[lesson.pk])


def test_completing_and_undoing_a_lesson_moves_progress(client, learner, enrolment, course_page):
    lessons = lessons_of(course_page)
    client.force_login(learner)

    response = client.post(complete_url(lessons[0]), {"action": "complete"})

    assert response.status_code == 302
    assert response["Location"] == lessons[0].url
    assert messages_of(response) == ["Lesson marked as complete"]
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson=lessons[0]).exists()
    html = client.get(reverse("my_learning")).content.decode()
    assert "1 of 6 required lessons complete (16%)" in html
    assert "Continue: Lesson 1.2" in html

    response = client.post(complete_url(lessons[0]), {"action": "undo"})

    assert response.status_code == 302
    assert not LessonCompletion.objects.filter(enrolment=enrolment).exists()
    html = client.get(reverse("my_learning")).content.decode()
    assert "0 of 6 required lessons complete (0%)" in html
    assert "Continue: Lesson 1.1" in html


def test_completing_every_required_lesson_completes_the_enrolment(
    client, learner, enrolment, course_page
):
    lessons = lessons_of(course_page)
    complete(enrolment, lessons[:-1])
    client.force_login(learner)

    client.post(complete_url(lessons[-1]), {"action": "complete"})

    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED
    assert (
        "6 of 6 required lessons complete (100%)"
        in client.get(reverse("my_learning")).content.decode()
    )


def test_marking_complete_needs_a_post(client, learner, course_page):
    client.force_login(learner)

    response = client.get(complete_url(lessons_of(course_page)[0]))

    assert response.status_code == 405


def test_anonymous_visitors_cannot_mark_lessons_complete(client, course_page):
    lesson = lessons_of(course_page)[0]

    response = client.post(complete_url(lesson))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not LessonCompletion.objects.exists()


def test_a_lesson_of_another_course_cannot_be_marked_complete(client, learner):
    other = course_with_lessons("Pooling budgets", modules=1, lessons=2)
    CohortFactory(course=other)  # running, but the learner has no place on it

    client.force_login(learner)
    response = client.post(complete_url(lessons_of(other)[0]))

    assert response.status_code == 404
    assert not LessonCompletion.objects.exists()


def test_an_unknown_lesson_is_not_found(client, learner):
    client.force_login(learner)

    assert client.post(reverse("lesson_complete", args=[999999])).status_code == 404


@pytest.mark.parametrize("lesson_id", ["99999999999999999999999", str(2**63), "0"])
def test_a_lesson_id_no_database_could_hold_is_not_found(client, learner, lesson_id):
    """A 23-digit id here once overflowed SQLite's integer and gave a 500."""
    client.force_login(learner)

    response = client.post(f"/learning/lessons/{lesson_id}/complete/", {"action": "complete"})

    assert response.status_code == 404
    assert not LessonCompletion.objects.exists()


def assert_refused_with_a_way_back(response, lesson, message):
    """Refused: 400, the reason, and a link back to the lesson; nothing recorded."""
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your progress was not changed" in html
    assert message in html
    assert f'<a class="govuk-link" href="{lesson.url}">Go back to {lesson.title}</a>' in html
    assert not LessonCompletion.objects.exists()


def test_an_editor_without_a_place_is_refused_and_nothing_is_saved(client, course_page):
    CohortFactory(course=course_page)
    lesson = lessons_of(course_page)[0]
    client.force_login(UserFactory(groups=[roles.EDITORS]))

    response = client.post(complete_url(lesson), {"action": "complete"})

    assert_refused_with_a_way_back(
        response, lesson, "You can only complete lessons of a course you are taking now"
    )


@pytest.mark.parametrize(
    "data", [{"action": "delete"}, {"action": "delete-all"}, {"action": ""}, {}], ids=repr
)
def test_an_unknown_or_missing_action_is_a_400_and_changes_nothing(
    client, learner, enrolment, course_page, data
):
    """``action=delete`` once answered 302 with a message, as if all were well."""
    lesson = lessons_of(course_page)[0]
    complete(enrolment, [lessons_of(course_page)[1]])
    completions = list(LessonCompletion.objects.values_list("pk", "lesson_id"))
    client.force_login(learner)

    response = client.post(complete_url(lesson), data)

    assert response.status_code == 400
    assert "Choose Mark as complete or Undo on the lesson page" in response.content.decode()
    assert f'href="{lesson.url}"' in response.content.decode()
    assert list(LessonCompletion.objects.values_list("pk", "lesson_id")) == completions


# --- The cohort home ------------------------------------------------------------------------


def cohort_url(cohort) -> str:
    return reverse("cohort_home", args=[cohort.pk])


def test_the_cohort_home_asks_anonymous_visitors_to_sign_in(client, cohort):
    response = client.get(cohort_url(cohort))

    assert response.status_code == 302
    assert response["Location"] == login_url_for(cohort_url(cohort))


@pytest.mark.parametrize(
    "status", [None, Status.APPLIED, Status.WAITLISTED, Status.WITHDRAWN, Status.DECLINED]
)
def test_the_cohort_home_is_not_found_for_people_outside_it(client, cohort, status):
    user = UserFactory()
    if status:
        EnrolmentFactory(user=user, cohort=cohort, status=status)
    client.force_login(user)

    assert client.get(cohort_url(cohort)).status_code == 404


def test_an_unknown_cohort_is_not_found(client, learner):
    client.force_login(learner)

    assert client.get(reverse("cohort_home", args=[999999])).status_code == 404


def test_the_cohort_home_shows_a_member_everything_about_the_cohort(
    client, learner, enrolment, cohort, course_page
):
    organisation = Organisation.objects.create(name="Wigan Council", sector=sector())
    person = facilitator(
        display_name="Asha Patel", job_title="Head of partnerships", organisation=organisation
    )
    cohort.facilitators.add(person)
    AnnouncementFactory(
        cohort=cohort, subject="Older news", created_at=timezone.now() - timedelta(days=3)
    )
    AnnouncementFactory(cohort=cohort, subject="Newest news")
    LiveSessionFactory(cohort=cohort, title="Opening session")
    LiveSessionFactory(cohort=cohort, title="Called-off session", cancelled=True)
    lessons = lessons_of(course_page)
    complete(enrolment, lessons[:1])
    client.force_login(learner)

    response = client.get(cohort_url(cohort))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Autumn 2026" in html and "Leading across boundaries" in html
    assert "Asha Patel" in html and "Head of partnerships" in html and "Wigan Council" in html
    assert html.index("Newest news") < html.index("Older news")
    assert "Opening session" in html
    assert "Called-off session" in html
    assert 'govuk-tag--red">Cancelled' in html
    assert f'href="{lessons[0].url}">Lesson 1.1</a> <strong class="govuk-tag' in html
    assert f'href="{lessons[1].url}">Lesson 1.2</a></li>' in html
    assert "1 of 6 required lessons complete" in html
    token = CalendarFeed.objects.get(user=learner).token
    assert f"http://testserver{reverse('cohort_calendar', args=[cohort.pk])}?token={token}" in html
    assert (
        f"webcal://testserver{reverse('cohort_calendar', args=[cohort.pk])}?token={token}" in html
    )
    assert reverse("cohort_withdraw", args=[cohort.pk]) in html


def test_the_cohort_home_makes_the_same_queries_however_big_the_cohort(
    client, learner, enrolment, cohort, course_page
):
    cohort.facilitators.add(facilitator())
    LiveSessionFactory(cohort=cohort)
    AnnouncementFactory(cohort=cohort)
    client.force_login(learner)
    client.get(cohort_url(cohort))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(cohort_url(cohort)).status_code == 200
        return len(captured)

    before = queries()
    cohort.facilitators.add(*[facilitator() for _ in range(3)])
    LiveSessionFactory.create_batch(5, cohort=cohort)
    AnnouncementFactory.create_batch(5, cohort=cohort)
    for other in EnrolmentFactory.create_batch(10, cohort=cohort):
        complete(other, lessons_of(course_page)[:2])

    assert queries() == before


def test_facilitators_see_the_cohort_home_without_a_withdraw_link(client, cohort):
    person = facilitator()
    cohort.facilitators.add(person)
    client.force_login(person)

    response = client.get(cohort_url(cohort))

    assert response.status_code == 200
    assert reverse("cohort_withdraw", args=[cohort.pk]) not in response.content.decode()


@pytest.mark.parametrize("cohort_fields", [{}, {"upcoming": True}], ids=["running", "upcoming"])
def test_every_lesson_link_on_the_cohort_home_opens_for_the_people_who_run_it(
    client, course_page, cohort_fields
):
    cohort = CohortFactory(course=course_page, **cohort_fields)
    lead = facilitator()
    cohort.facilitators.add(lead)
    lessons = lessons_of(course_page)
    for person in (lead, UserFactory(groups=[roles.PROGRAMME_MANAGERS])):
        client.force_login(person)
        html = client.get(cohort_url(cohort)).content.decode()
        links = [lesson.url for lesson in lessons if f'href="{lesson.url}"' in html]
        assert links == [lesson.url for lesson in lessons]
        assert all(client.get(link).status_code == 200 for link in links)


def test_members_of_a_cohort_that_has_not_started_see_no_lesson_links(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True)
    client.force_login(EnrolmentFactory(cohort=cohort).user)

    html = client.get(cohort_url(cohort)).content.decode()

    assert "The lessons open when the cohort starts" in html
    assert all(f'href="{lesson.url}"' not in html for lesson in lessons_of(course_page))


def test_facilitators_of_other_cohorts_do_not_see_it(client, cohort):
    person = facilitator()
    CohortFactory(course=cohort.course, upcoming=True, facilitators=[person])
    client.force_login(person)

    assert client.get(cohort_url(cohort)).status_code == 404


# --- Calendars ------------------------------------------------------------------------------


def test_the_cohort_calendar_is_for_members_only(client, learner, cohort):
    url = reverse("cohort_calendar", args=[cohort.pk])

    assert client.get(url)["Location"] == login_url_for(url)
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(learner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"


def test_the_cohort_calendar_opens_with_a_members_token_and_not_another(client, learner, cohort):
    url = reverse("cohort_calendar", args=[cohort.pk])
    token = calendar_feed_for(learner).token
    outsider_token = calendar_feed_for(UserFactory()).token

    assert client.get(url, {"token": token}).status_code == 200
    assert client.get(url, {"token": outsider_token}).status_code == 404
    assert client.get(url, {"token": "not-a-token"}).status_code == 404


def test_the_personal_feed_opens_with_its_token_alone(client, learner, cohort):
    LiveSessionFactory(cohort=cohort, title="Opening session")
    token = calendar_feed_for(learner).token

    response = client.get(reverse("personal_calendar"), {"token": token})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"Opening session" in response.content
    assert "private" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.parametrize("token", [None, "", "wrong", "x" * 200])
def test_the_personal_feed_without_a_right_token_is_not_found(client, learner, token):
    calendar_feed_for(learner)
    params = {} if token is None else {"token": token}

    assert client.get(reverse("personal_calendar"), params).status_code == 404


def test_a_reset_token_stops_the_old_link_at_once(client, learner):
    old = calendar_feed_for(learner).token
    client.force_login(learner)

    response = client.post(reverse("calendar_feed"))

    assert response.status_code == 302
    assert response["Location"] == reverse("calendar_feed")
    assert messages_of(response) == [
        "Your calendar link has been reset. Links you shared before no longer work."
    ]
    new = CalendarFeed.objects.get(user=learner).token
    assert new != old
    client.logout()
    assert client.get(reverse("personal_calendar"), {"token": old}).status_code == 404
    assert client.get(reverse("personal_calendar"), {"token": new}).status_code == 200


def test_the_calendar_feed_page_shows_the_link_and_how_to_subscribe(client, learner):
    client.force_login(learner)

    response = client.get(reverse("calendar_feed"))

    assert response.status_code == 200
    token = CalendarFeed.objects.get(user=learner).token
    html = response.content.decode()
    assert f"http://testserver{reverse('personal_calendar')}?token={token}" in html
    assert f"webcal://testserver{reverse('personal_calendar')}?token={token}" in html
    assert "Subscribe from web" in html and "From URL" in html


def test_the_calendar_feed_page_needs_a_sign_in(client):
    response = client.get(reverse("calendar_feed"))

    assert response.status_code == 302
    assert not CalendarFeed.objects.exists()


def test_the_profile_links_to_the_calendar_feed(client, learner):
    client.force_login(learner)

    assert reverse("calendar_feed") in client.get(reverse("profile")).content.decode()


# --- Joining --------------------------------------------------------------------------------


def join_url(cohort) -> str:
    return reverse("cohort_join", args=[cohort.pk])


def test_joining_asks_anonymous_visitors_to_sign_in(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True)

    response = client.get(join_url(cohort))

    assert response.status_code == 302
    assert response["Location"] == login_url_for(join_url(cohort))


def test_taking_a_place_on_an_open_cohort(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=3)
    EnrolmentFactory(cohort=cohort)
    user = UserFactory()
    client.force_login(user)

    page = client.get(join_url(cohort)).content.decode()
    assert "2 places left" in page and "Take a place" in page

    response = client.post(join_url(cohort))

    assert response.status_code == 302
    assert response["Location"] == reverse("my_learning")
    assert Enrolment.objects.get(user=user).status == Status.ACTIVE
    assert messages_of(response)[0].startswith(f"You have a place on {cohort.name}")


def test_a_full_cohort_offers_the_waiting_list(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=1)
    EnrolmentFactory(cohort=cohort)
    user = UserFactory()
    client.force_login(user)

    page = client.get(join_url(cohort)).content.decode()
    assert FULL in page and "Join the waiting list" in page

    response = client.post(join_url(cohort))

    assert response.status_code == 302
    assert Enrolment.objects.get(user=user).status == Status.WAITLISTED
    assert "waiting list" in messages_of(response)[0]


def test_applying_to_a_cohort_by_application(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    user = UserFactory()
    client.force_login(user)

    page = client.get(join_url(cohort)).content.decode()
    assert "What would you like to change in your place?" in page
    assert "<textarea" in page

    response = client.post(join_url(cohort), {"answer": "Join up our hospital discharges."})

    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=user)
    assert enrolment.status == Status.APPLIED
    assert enrolment.application_answer == "Join up our hospital discharges."
    assert messages_of(response)[0].startswith(f"Your application to {cohort.name}")


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ("", "Answer the question to apply"),
        ("   ", "Answer the question to apply"),
        ("x" * 3001, "Your answer must be 3,000 characters or fewer"),
    ],
)
def test_an_application_needs_an_answer_of_reasonable_length(client, course_page, answer, error):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    client.force_login(UserFactory())

    response = client.post(join_url(cohort), {"answer": answer})

    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert "<title>Error:" in html
    assert not Enrolment.objects.exists()


def test_asking_twice_for_a_place_is_refused(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True)
    user = UserFactory()
    client.force_login(user)
    client.post(join_url(cohort))

    response = client.post(join_url(cohort))

    assert response.status_code == 400
    assert f"You have already asked for a place on {cohort.name}" in response.content.decode()
    assert Enrolment.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cancelled": True, "upcoming": True}, "has been cancelled"),
        ({"finished": True}, "has finished"),
        ({}, "has already started"),
    ],
)
def test_a_cohort_that_is_not_taking_learners_says_so(client, course_page, fields, message):
    cohort = CohortFactory(course=course_page, **fields)
    client.force_login(UserFactory())

    response = client.get(join_url(cohort))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<form" not in html.split('id="main-content"')[1]

    response = client.post(join_url(cohort))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Enrolment.objects.exists()


def test_joining_an_unknown_cohort_is_not_found(client):
    client.force_login(UserFactory())

    assert client.get(reverse("cohort_join", args=[999999])).status_code == 404
    assert client.post(reverse("cohort_join", args=[999999])).status_code == 404


# --- Withdrawing ----------------------------------------------------------------------------


def withdraw_url(cohort) -> str:
    return reverse("cohort_withdraw", args=[cohort.pk])


def test_withdrawing_asks_for_confirmation(client, learner, cohort):
    client.force_login(learner)

    response = client.get(withdraw_url(cohort))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Are you sure you want to withdraw from {cohort.name}?" in html
    assert "next person on the waiting list" in html


def test_nobody_can_withdraw_someone_elses_place(client, learner, cohort):
    client.force_login(UserFactory())

    assert client.get(withdraw_url(cohort)).status_code == 404
    assert client.post(withdraw_url(cohort)).status_code == 404
    assert Enrolment.objects.get(user=learner).status == Status.ACTIVE


def test_withdrawing_gives_the_place_to_the_waiting_list(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=1, name="Spring 2027")
    leaving = EnrolmentFactory(cohort=cohort)
    waiting = EnrolmentFactory(
        cohort=cohort, status=Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    client.force_login(leaving.user)

    response = client.post(withdraw_url(cohort))

    assert response.status_code == 302
    assert response["Location"] == reverse("my_learning")
    assert messages_of(response) == ["You have given up your place on Spring 2027"]
    leaving.refresh_from_db()
    waiting.refresh_from_db()
    assert leaving.status == Status.WITHDRAWN
    assert waiting.status == Status.ACTIVE
    client.force_login(waiting.user)
    html = client.get(reverse("my_learning")).content.decode()
    assert "Courses starting soon" in html and "Spring 2027" in html
    assert "Applications and waiting lists" not in html


def test_withdrawing_from_a_finished_cohort_is_refused(client, course_page):
    cohort = CohortFactory(course=course_page, finished=True)
    enrolment = EnrolmentFactory(cohort=cohort)
    client.force_login(enrolment.user)

    response = client.post(withdraw_url(cohort))

    assert response.status_code == 302
    assert messages_of(response) == [f"{cohort.name} has finished"]
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE


def test_a_withdrawn_place_cannot_be_withdrawn_again(client, learner, cohort):
    Enrolment.objects.filter(user=learner).update(status=Status.WITHDRAWN)
    client.force_login(learner)

    assert client.get(withdraw_url(cohort)).status_code == 404
