"""The facilitator's pages: who may reach them, the dashboard and its learner table, the
applications queue, live sessions and announcements."""

import re
from datetime import UTC, date, datetime, timedelta

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from academy.roles import PROGRAMME_MANAGERS
from cohorts.models import Enrolment, LiveSession

from ..factories import OrganisationFactory, UserFactory, sector
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
Status = Enrolment.Status


@pytest.fixture
def course_page():
    return course_with_lessons()


@pytest.fixture
def runner():
    return facilitator(display_name="Fran Facilitator")


@pytest.fixture
def cohort(course_page, runner):
    return CohortFactory(course=course_page, name="Spring 2027", facilitators=[runner])


@pytest.fixture
def runner_client(client, runner):
    client.force_login(runner)
    return client


def html_of(response) -> str:
    return response.content.decode()


def cohort_urls(cohort, session) -> list[str]:
    base = f"/facilitate/cohorts/{cohort.pk}"
    return [
        f"{base}/",
        f"{base}/learners.csv",
        f"{base}/applications/",
        f"{base}/sessions/new/",
        f"{base}/sessions/{session.pk}/edit/",
        f"{base}/sessions/{session.pk}/cancel/",
        f"{base}/announcements/new/",
    ]


# --- Access ---------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, cohort):
    session = LiveSessionFactory(cohort=cohort)
    for url in ["/facilitate/", "/facilitate/programme/", *cohort_urls(cohort, session)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_learners_get_404_everywhere(client, cohort):
    session = LiveSessionFactory(cohort=cohort)
    learner = EnrolmentFactory(cohort=cohort).user
    client.force_login(learner)
    urls = [
        "/facilitate/",
        "/facilitate/programme/",
        "/facilitate/programme/report.csv",
        *cohort_urls(cohort, session),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/facilitate/cohorts/{cohort.pk}/applications/").status_code == 404


def test_a_facilitator_of_another_cohort_gets_404(client, cohort):
    session = LiveSessionFactory(cohort=cohort)
    other = facilitator()
    CohortFactory(course=cohort.course, facilitators=[other])
    client.force_login(other)
    assert client.get("/facilitate/").status_code == 200
    for url in cohort_urls(cohort, session):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/facilitate/cohorts/{cohort.pk}/sessions/{session.pk}/cancel/")
    assert response.status_code == 404
    session.refresh_from_db()
    assert not session.cancelled


def test_the_cohorts_facilitator_reaches_every_page(runner_client, cohort):
    session = LiveSessionFactory(cohort=cohort)
    for url in cohort_urls(cohort, session):
        assert runner_client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["programme manager", "superuser"])
def test_programme_managers_and_superusers_reach_every_cohort(client, cohort, role):
    session = LiveSessionFactory(cohort=cohort)
    if role == "superuser":
        person = UserFactory(is_superuser=True, is_staff=True)
    else:
        person = UserFactory(groups=[PROGRAMME_MANAGERS])
    client.force_login(person)
    for url in ["/facilitate/", "/facilitate/programme/", *cohort_urls(cohort, session)]:
        assert client.get(url).status_code == 200, url


def test_the_programme_report_is_not_for_facilitators(runner_client, cohort):
    assert runner_client.get("/facilitate/programme/").status_code == 404
    assert runner_client.get("/facilitate/programme/report.csv").status_code == 404
    assert "/facilitate/programme/" not in html_of(runner_client.get("/facilitate/"))


def test_unknown_cohorts_and_sessions_of_other_cohorts_are_404(runner_client, cohort):
    elsewhere = LiveSessionFactory(cohort=CohortFactory(course=cohort.course))
    base = f"/facilitate/cohorts/{cohort.pk}"
    assert runner_client.get("/facilitate/cohorts/999999/").status_code == 404
    assert runner_client.get(f"{base}/sessions/{elsewhere.pk}/edit/").status_code == 404
    assert runner_client.get(f"{base}/sessions/{elsewhere.pk}/cancel/").status_code == 404
    assert runner_client.post(f"{base}/sessions/{elsewhere.pk}/cancel/").status_code == 404
    elsewhere.refresh_from_db()
    assert not elsewhere.cancelled


# --- The list of cohorts --------------------------------------------------------------------


def test_the_index_groups_cohorts_and_counts_learners_and_applications(
    runner_client, runner, cohort
):
    EnrolmentFactory.create_batch(3, cohort=cohort)
    upcoming = CohortFactory(
        course=cohort.course, name="Autumn 2027", upcoming=True, by_application=True
    )
    upcoming.facilitators.add(runner)
    EnrolmentFactory.create_batch(2, cohort=upcoming, status=Status.APPLIED)
    finished = CohortFactory(course=cohort.course, name="Winter 2025", finished=True)
    finished.facilitators.add(runner)
    CohortFactory(course=cohort.course, name="Not mine")
    html = html_of(runner_client.get("/facilitate/"))
    running_at = html.index("Running now")
    upcoming_at = html.index("Starting soon")
    finished_at = html.index("Finished")
    assert running_at < html.index("Spring 2027") < upcoming_at
    assert upcoming_at < html.index("Autumn 2027") < finished_at < html.index("Winter 2025")
    assert "Not mine" not in html
    assert "3 of 20" in html
    assert f'href="/facilitate/cohorts/{upcoming.pk}/applications/">2 to decide' in html
    assert f'href="/facilitate/cohorts/{cohort.pk}/"' in html


def test_programme_managers_see_a_link_to_the_report(client, cohort):
    client.force_login(UserFactory(groups=[PROGRAMME_MANAGERS]))
    html = html_of(client.get("/facilitate/"))
    assert 'href="/facilitate/programme/"' in html
    assert "Spring 2027" in html


def test_the_index_query_count_does_not_grow_with_cohorts(runner_client, runner, cohort):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert runner_client.get("/facilitate/").status_code == 200
        return len(queries)

    # One cohort in each section the test grows: a section with cohorts costs the same
    # queries with one cohort as with many.
    first = CohortFactory(course=cohort.course, upcoming=True, by_application=True)
    first.facilitators.add(runner)
    few = count()
    for _ in range(4):
        more = CohortFactory(course=cohort.course, upcoming=True, by_application=True)
        more.facilitators.add(runner)
        EnrolmentFactory.create_batch(2, cohort=more, status=Status.APPLIED)
    assert count() == few


# --- The dashboard --------------------------------------------------------------------------


def names_in_table(html: str) -> list[str]:
    body = html[html.index('<tbody class="govuk-table__body">') :]
    body = body[: body.index("</tbody>")]
    return re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)<span', body)


@pytest.fixture
def three_learners(cohort, course_page):
    lessons = lessons_of(course_page)
    ada = EnrolmentFactory(cohort=cohort, user=UserFactory(display_name="Ada Ahmed"))
    ben = EnrolmentFactory(cohort=cohort, user=UserFactory(display_name="Ben Brown"))
    cai = EnrolmentFactory(cohort=cohort, user=UserFactory(display_name="Cai Cole"))
    complete(ben, lessons[:6])  # 100%
    complete(cai, lessons[:3])  # 50%
    complete(ada, lessons[:2])  # 33%
    return ada, ben, cai


def test_the_dashboard_shows_the_cohort_and_its_learners(runner_client, cohort, three_learners):
    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/"))
    assert "Spring 2027" in html and cohort.course.title in html
    assert "3 of 20 (17 left)" in html
    assert f"{cohort.elapsed_percent()}% of the cohort" in html
    assert names_in_table(html) == ["Ada Ahmed", "Ben Brown", "Cai Cole"]
    assert three_learners[0].user.email in html
    assert "33%" in html and "100%" in html and "50%" in html
    assert 'aria-sort="ascending"' in html
    assert "Download the learner table (CSV)" in html
    assert f"/facilitate/cohorts/{cohort.pk}/learners.csv" in html
    assert "Add a live session" in html and "Post an announcement" in html


def test_sorting_by_progress_descending_changes_the_order(runner_client, cohort, three_learners):
    url = f"/facilitate/cohorts/{cohort.pk}/"
    html = html_of(runner_client.get(url, {"sort": "progress", "dir": "desc"}))
    assert names_in_table(html) == ["Ben Brown", "Cai Cole", "Ada Ahmed"]
    header = re.search(r'<th[^>]*aria-sort="descending"[^>]*>.*?</th>', html, re.S).group(0)
    assert "Progress (%)" in header
    assert html.count("aria-sort=") == 1
    # The heading now offers the other direction; the others start ascending.
    assert 'href="?sort=progress&amp;dir=asc#learners"' in html
    assert 'href="?sort=name&amp;dir=asc#learners"' in html
    ascending = html_of(runner_client.get(url, {"sort": "progress", "dir": "asc"}))
    assert names_in_table(ascending) == ["Ada Ahmed", "Cai Cole", "Ben Brown"]


def test_an_unknown_sort_key_falls_back_to_name(runner_client, cohort, three_learners):
    url = f"/facilitate/cohorts/{cohort.pk}/"
    response = runner_client.get(url, {"sort": "__class__", "dir": "sideways"})
    assert response.status_code == 200
    html = html_of(response)
    assert names_in_table(html) == ["Ada Ahmed", "Ben Brown", "Cai Cole"]
    header = re.search(r'<th[^>]*aria-sort="ascending"[^>]*>.*?</th>', html, re.S).group(0)
    assert ">Name<" in header


def test_an_inactive_learner_is_tagged_at_risk(runner_client, cohort, three_learners):
    quiet = three_learners[1]  # Ben has finished every lesson but is still active here
    Enrolment.objects.filter(pk=quiet.pk).update(
        last_activity_at=timezone.now() - timedelta(days=20)
    )
    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/", {"sort": "status"}))
    assert names_in_table(html)[0] == "Ben Brown"
    row = html[html.index("Ben Brown") :]
    row = row[: row.index("</tr>")]
    assert '<strong class="govuk-tag govuk-tag--red">At risk</strong>' in row
    assert html.count('govuk-tag--red">At risk') == 1
    assert 'What "at risk" means' in html
    assert "more than 14 days" in html


def test_the_dashboard_lists_sessions_and_announcements(runner_client, cohort):
    session = LiveSessionFactory(cohort=cohort, title="Set meeting 1")
    AnnouncementFactory(cohort=cohort, subject="Reading for Thursday")
    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/"))
    assert "Set meeting 1" in html
    assert f"/facilitate/cohorts/{cohort.pk}/sessions/{session.pk}/edit/" in html
    assert f"/facilitate/cohorts/{cohort.pk}/sessions/{session.pk}/cancel/" in html
    assert "Reading for Thursday" in html


def test_the_dashboard_links_to_the_applications_queue_with_the_count(runner_client, cohort):
    EnrolmentFactory.create_batch(2, cohort=cohort, status=Status.APPLIED)
    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/"))
    assert f'href="/facilitate/cohorts/{cohort.pk}/applications/">Applications: 2 to decide' in html


def add_learners(cohort, lessons, n):
    for i in range(n):
        enrolment = EnrolmentFactory(
            cohort=cohort,
            user=UserFactory(
                organisation=OrganisationFactory(name=f"Council {i % 3}"),
                sector=sector("nhs-and-health"),
            ),
        )
        complete(enrolment, lessons[: i % 4])
        EnrolmentFactory(cohort=cohort, status=Status.APPLIED)
    LiveSessionFactory(cohort=cohort)
    AnnouncementFactory(cohort=cohort)


@pytest.mark.parametrize(
    "path", ["", "learners.csv", "applications/", "?sort=status&dir=desc"], ids=str
)
def test_query_counts_do_not_grow_with_learners(runner_client, cohort, course_page, path):
    url = f"/facilitate/cohorts/{cohort.pk}/{path}"
    lessons = lessons_of(course_page)
    runner_client.get(url)  # the first request loads the session and Wagtail's caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert runner_client.get(url).status_code == 200
        return len(queries)

    add_learners(cohort, lessons, 5)
    few = count()
    add_learners(cohort, lessons, 45)
    assert count() == few


# --- Applications ---------------------------------------------------------------------------


@pytest.fixture
def applied_cohort(course_page, runner):
    return CohortFactory(
        course=course_page,
        name="Autumn 2027",
        upcoming=True,
        by_application=True,
        facilitators=[runner],
        capacity=3,
    )


def apply(cohort, name, answer="I want to join up hospital discharge."):
    return EnrolmentFactory(
        cohort=cohort,
        status=Status.APPLIED,
        application_answer=answer,
        user=UserFactory(display_name=name),
        activated_at=None,
    )


def decide(client, cohort, ids, decision, message=""):
    return client.post(
        f"/facilitate/cohorts/{cohort.pk}/applications/",
        {"enrolments": ids, "decision": decision, "message": message},
    )


def test_the_queue_lists_applications_then_the_waiting_list(runner_client, applied_cohort):
    apply(applied_cohort, "Priya Shah", answer="Joining up early help with schools.")
    EnrolmentFactory(
        cohort=applied_cohort,
        status=Status.WAITLISTED,
        user=UserFactory(display_name="Wendy Wait"),
        waitlisted_at=timezone.now(),
    )
    response = runner_client.get(f"/facilitate/cohorts/{applied_cohort.pk}/applications/")
    html = html_of(response)
    assert html.count(applied_cohort.application_question) == 1
    assert html.index("Priya Shah") < html.index("Waiting list") < html.index("Wendy Wait")
    assert "Joining up early help with schools." in html
    assert "3 places left of 3" in html
    assert 'value="approve"' in html and 'value="decline"' in html
    assert html.count('type="checkbox"') == 2


def test_approving_one_application(
    runner_client, runner, applied_cohort, django_capture_on_commit_callbacks
):
    priya = apply(applied_cohort, "Priya Shah")
    other = apply(applied_cohort, "Sam Stay")
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(runner_client, applied_cohort, [priya.pk], "approve", "Welcome aboard.")
    assert response.status_code == 302
    assert response["Location"] == f"/facilitate/cohorts/{applied_cohort.pk}/applications/"
    priya.refresh_from_db()
    other.refresh_from_db()
    assert priya.status == Status.ACTIVE
    assert priya.decided_by == runner
    assert priya.decision_message == "Welcome aboard."
    assert other.status == Status.APPLIED
    assert [m.to for m in mail.outbox] == [[priya.user.email]]
    assert "You have a place" in mail.outbox[0].subject
    assert "1 approved" in html_of(runner_client.get(response["Location"]))


def test_approving_two_when_one_place_is_left_waitlists_the_second(
    runner_client, applied_cohort, django_capture_on_commit_callbacks
):
    EnrolmentFactory.create_batch(2, cohort=applied_cohort)  # 2 of 3 places taken
    first = apply(applied_cohort, "First Applicant")
    second = apply(applied_cohort, "Second Applicant")
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(runner_client, applied_cohort, [first.pk, second.pk], "approve")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.ACTIVE
    assert second.status == Status.WAITLISTED
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])
    html = html_of(runner_client.get(response["Location"]))
    assert "1 approved; 1 put on the waiting list because the cohort is full" in html


def test_declining_many_with_a_message(
    runner_client, applied_cohort, django_capture_on_commit_callbacks
):
    people = [apply(applied_cohort, f"Applicant {n}") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            runner_client, applied_cohort, [p.pk for p in people], "decline", "Full this time."
        )
    assert response.status_code == 302
    assert set(Enrolment.objects.values_list("status", flat=True)) == {Status.DECLINED}
    assert set(Enrolment.objects.values_list("decision_message", flat=True)) == {"Full this time."}
    assert len(mail.outbox) == 3
    assert "3 declined" in html_of(runner_client.get(response["Location"]))


def test_declining_someone_on_the_waiting_list(runner_client, applied_cohort):
    waiting = EnrolmentFactory(
        cohort=applied_cohort, status=Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    response = decide(runner_client, applied_cohort, [waiting.pk], "decline")
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.DECLINED


def test_approving_someone_on_the_waiting_list_is_refused(runner_client, applied_cohort):
    waiting = EnrolmentFactory(
        cohort=applied_cohort, status=Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    response = decide(runner_client, applied_cohort, [waiting.pk], "approve")
    assert response.status_code == 400
    assert "offered a place automatically" in html_of(response)
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED


def test_deciding_nothing_is_an_error(runner_client, applied_cohort):
    priya = apply(applied_cohort, "Priya Shah")
    response = decide(runner_client, applied_cohort, [], "approve")
    assert response.status_code == 400
    html = html_of(response)
    assert "Select at least one application" in html
    assert 'href="#id_enrolments_0"' in html
    assert "<title>Error:" in html
    priya.refresh_from_db()
    assert priya.status == Status.APPLIED


@pytest.mark.parametrize(
    "ids", [["abc"], ["1.5"], ["-1"], ["99999999999999999999999"], ["'; DROP TABLE"]]
)
def test_junk_ids_are_a_400_and_change_nothing(runner_client, applied_cohort, ids):
    priya = apply(applied_cohort, "Priya Shah")
    response = decide(runner_client, applied_cohort, [priya.pk, *ids], "approve")
    assert response.status_code == 400
    assert "no longer waiting for a decision" in html_of(response)
    priya.refresh_from_db()
    assert priya.status == Status.APPLIED


def test_a_missing_or_unknown_decision_is_a_400(runner_client, applied_cohort):
    priya = apply(applied_cohort, "Priya Shah")
    for decision in ["", "maybe"]:
        response = decide(runner_client, applied_cohort, [priya.pk], decision)
        assert response.status_code == 400
        assert "Choose whether to approve or decline" in html_of(response)
    priya.refresh_from_db()
    assert priya.status == Status.APPLIED


def test_an_application_of_another_cohort_cannot_be_decided(runner_client, applied_cohort):
    elsewhere = apply(CohortFactory(course=applied_cohort.course, upcoming=True), "Not here")
    response = decide(runner_client, applied_cohort, [elsewhere.pk], "approve")
    assert response.status_code == 400
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.APPLIED


def test_a_rule_broken_in_the_service_becomes_a_form_error(runner_client, course_page, runner):
    finished = CohortFactory(
        course=course_page, finished=True, by_application=True, facilitators=[runner]
    )
    priya = apply(finished, "Priya Shah")
    response = decide(runner_client, finished, [priya.pk], "approve")
    assert response.status_code == 400
    assert "is finished" in html_of(response)
    priya.refresh_from_db()
    assert priya.status == Status.APPLIED


# --- Live sessions --------------------------------------------------------------------------


def session_data(on: date | None = None, **overrides):
    """A session a week from today (the cohort fixture runs from 30 days ago to 30 days on),
    or on the day ``on``."""
    on = on or timezone.localdate() + timedelta(days=7)
    return {
        "title": "Action learning set 1",
        "date_day": str(on.day),
        "date_month": str(on.month),
        "date_year": f"{on.year:04d}",
        "start_time": "10:30",
        "end_time": "12:00",
        "location": "",
        "joining_url": "https://meet.example.org/set-1",
        "description": "Bring one problem.",
        **overrides,
    }


def test_adding_a_session_in_uk_time(runner_client, cohort):
    summer = date(timezone.localdate().year + 1, 7, 14)
    cohort.start_date, cohort.end_date = summer.replace(day=1), summer.replace(day=31)
    cohort.save()
    response = runner_client.post(
        f"/facilitate/cohorts/{cohort.pk}/sessions/new/", session_data(summer)
    )
    assert response.status_code == 302
    assert response["Location"] == f"/facilitate/cohorts/{cohort.pk}/"
    session = LiveSession.objects.get()
    assert session.cohort == cohort
    local = timezone.localtime(session.starts_at)
    assert (local.month, local.day, local.hour, local.minute) == (7, 14, 10, 30)
    assert local.utcoffset() == timedelta(hours=1)  # British Summer Time
    assert session.ends_at - session.starts_at == timedelta(minutes=90)
    assert session.sequence == 0
    html = html_of(runner_client.get(response["Location"]))
    assert "Action learning set 1" in html and "has been added" in html


def test_the_add_form_uses_govuk_date_and_time_inputs(runner_client, cohort):
    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/sessions/new/"))
    assert 'class="govuk-date-input"' in html
    assert 'name="date_day"' in html and 'name="date_month"' in html and 'name="date_year"' in html
    assert "for example 10:30 or 14:00" in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "09:00"}, "The session must end after it starts"),
        ({"start_time": ""}, "Enter a start time, for example 10:30"),
        ({"start_time": "half ten"}, "Enter a start time like 10:30 or 14:00"),
        ({"end_time": "25:00"}, "Enter an end time between 00:00 and 23:59"),
        ({"date_day": "", "date_month": "", "date_year": ""}, "Enter the date of the session"),
        ({"date_month": ""}, "The date of the session must include a month"),
        ({"date_day": "31", "date_month": "2"}, "The date of the session must be a real date"),
        ({"date_year": "27"}, "Year must include 4 numbers"),
        ({"joining_url": "", "location": ""}, "Enter a location or an online joining link"),
        ({"joining_url": "not a link"}, "Enter the joining link as a web address"),
        ({"title": ""}, "Enter a title for the session"),
    ],
)
def test_bad_sessions_are_a_400_with_a_specific_message(runner_client, cohort, overrides, message):
    response = runner_client.post(
        f"/facilitate/cohorts/{cohort.pk}/sessions/new/", session_data(**overrides)
    )
    assert response.status_code == 400
    html = html_of(response)
    assert message in html
    assert "<title>Error:" in html
    assert 'class="govuk-error-summary"' in html
    assert not LiveSession.objects.exists()


def test_changing_a_session_bumps_its_sequence(runner_client, cohort):
    session = LiveSessionFactory(cohort=cohort, title="Set meeting")
    url = f"/facilitate/cohorts/{cohort.pk}/sessions/{session.pk}/edit/"
    html = html_of(runner_client.get(url))
    local = timezone.localtime(session.starts_at)
    assert f'value="{local.day}"' in html and f'value="{local:%H:%M}"' in html
    response = runner_client.post(
        url,
        session_data(
            title="Set meeting (moved)",
            date_day=str(local.day),
            date_month=str(local.month),
            date_year=str(local.year),
            start_time="14:00",
            end_time="15:30",
        ),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Set meeting (moved)"
    assert session.sequence == 1
    assert timezone.localtime(session.starts_at).hour == 14
    assert LiveSession.objects.count() == 1


def test_a_bad_change_saves_nothing(runner_client, cohort):
    session = LiveSessionFactory(cohort=cohort, title="Set meeting")
    url = f"/facilitate/cohorts/{cohort.pk}/sessions/{session.pk}/edit/"
    response = runner_client.post(url, session_data(start_time="16:00", end_time="15:00"))
    assert response.status_code == 400
    assert "The session must end after it starts" in html_of(response)
    session.refresh_from_db()
    assert session.title == "Set meeting"
    assert session.sequence == 0


@pytest.fixture
def spring_2027(cohort):
    """The cohort runs over both clock changes of 2027: 28 March and 31 October."""
    cohort.start_date, cohort.end_date = date(2027, 3, 1), date(2027, 11, 30)
    cohort.save()
    return cohort


def session_urls(cohort) -> list[str]:
    """The add form, and the edit form of a session already there."""
    session = LiveSessionFactory(
        cohort=cohort,
        title="Set meeting",
        starts_at=datetime(2027, 3, 10, 10, tzinfo=UTC),
        ends_at=datetime(2027, 3, 10, 11, tzinfo=UTC),
    )
    base = f"/facilitate/cohorts/{cohort.pk}/sessions"
    return [f"{base}/new/", f"{base}/{session.pk}/edit/"]


def sessions_as_saved() -> list[tuple]:
    return list(LiveSession.objects.values_list("pk", "title", "starts_at", "ends_at", "sequence"))


@pytest.mark.parametrize(
    ("day", "start", "end", "field", "message"),
    [
        pytest.param(
            date(2027, 3, 28),
            "01:30",
            "02:15",
            "start_time",
            "The start time must not be between 01:00 and 02:00 on 28 March 2027: the clocks"
            " go forward an hour that night, so those times do not exist",
            id="start-skipped",
        ),
        pytest.param(
            date(2027, 3, 28),
            "00:30",
            "01:15",
            "end_time",
            "The end time must not be between 01:00 and 02:00 on 28 March 2027",
            id="end-skipped",
        ),
        pytest.param(
            date(2027, 10, 31),
            "01:30",
            "02:30",
            "start_time",
            "The start time must not be between 01:00 and 02:00 on 31 October 2027: the"
            " clocks go back an hour that night, so those times happen twice",
            id="start-repeated",
        ),
    ],
)
def test_a_time_the_clocks_skip_or_repeat_is_a_400_naming_the_clock_change(
    runner_client, spring_2027, day, start, end, field, message
):
    """28/3/2027 01:30 to 02:15 once gave a 500: the form built a time that does not exist,
    the service compared clock times and the database's check compared instants."""
    for url in session_urls(spring_2027):
        before = sessions_as_saved()
        data = session_data(day, start_time=start, end_time=end)

        response = runner_client.post(url, data)

        assert response.status_code == 400, url
        html = html_of(response)
        assert message in html
        assert f'href="#id_{field}"' in html
        assert sessions_as_saved() == before


def test_a_session_across_the_clock_change_lasts_its_real_length(runner_client, spring_2027):
    response = runner_client.post(
        f"/facilitate/cohorts/{spring_2027.pk}/sessions/new/",
        session_data(date(2027, 3, 28), start_time="00:30", end_time="03:00"),
    )

    assert response.status_code == 302
    session = LiveSession.objects.get()
    assert session.starts_at == datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
    assert session.ends_at == datetime(2027, 3, 28, 2, 0, tzinfo=UTC)  # 03:00 BST


@pytest.mark.parametrize(
    "day",
    [
        date(1, 1, 1),
        date(1900, 7, 14),
        date(9999, 12, 31),
        date(2027, 2, 28),  # the day before the cohort starts
        date(2027, 12, 1),  # the day after it ends
    ],
    ids=str,
)
def test_a_session_outside_the_cohorts_dates_is_a_400(runner_client, spring_2027, day):
    """Years 1, 1900 and 9999 were once accepted (year 1 stored shifted by London's local
    mean time)."""
    for url in session_urls(spring_2027):
        before = sessions_as_saved()

        response = runner_client.post(url, session_data(day))

        assert response.status_code == 400, url
        html = html_of(response)
        assert (
            "The date of the session must be between 1 March 2027 and 30 November 2027, when"
            " the cohort runs" in html
        )
        assert 'href="#id_date"' in html
        assert sessions_as_saved() == before


def test_a_session_on_the_first_and_last_days_of_the_cohort_is_saved(runner_client, spring_2027):
    url = f"/facilitate/cohorts/{spring_2027.pk}/sessions/new/"
    for day in (date(2027, 3, 1), date(2027, 11, 30)):
        assert runner_client.post(url, session_data(day)).status_code == 302
    assert LiveSession.objects.count() == 2


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("\u200b", "The title must include at least one letter or number"),
        ("Set\x00meeting", "The title must not include control characters"),
    ],
)
def test_a_session_title_nobody_could_read_is_a_400(runner_client, cohort, title, message):
    response = runner_client.post(
        f"/facilitate/cohorts/{cohort.pk}/sessions/new/", session_data(title=title)
    )
    assert response.status_code == 400
    assert message in html_of(response)
    assert not LiveSession.objects.exists()


def test_cancelling_a_session_asks_first_then_cancels(runner_client, cohort):
    session = LiveSessionFactory(cohort=cohort, title="Set meeting")
    url = f"/facilitate/cohorts/{cohort.pk}/sessions/{session.pk}/cancel/"
    html = html_of(runner_client.get(url))
    assert "Are you sure you want to cancel Set meeting?" in html
    session.refresh_from_db()
    assert not session.cancelled
    response = runner_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/facilitate/cohorts/{cohort.pk}/"
    session.refresh_from_db()
    assert session.cancelled
    assert session.sequence == 1
    assert "has been cancelled" in html_of(runner_client.get(response["Location"]))
    runner_client.post(url)
    session.refresh_from_db()
    assert session.sequence == 1


# --- Announcements --------------------------------------------------------------------------


def test_an_announcement_is_posted_and_emailed_to_active_learners(
    runner_client, runner, cohort, django_capture_on_commit_callbacks
):
    active = EnrolmentFactory.create_batch(2, cohort=cohort)
    EnrolmentFactory(cohort=cohort, status=Status.WITHDRAWN)
    EnrolmentFactory(cohort=cohort, status=Status.APPLIED)
    url = f"/facilitate/cohorts/{cohort.pk}/announcements/new/"
    assert "emailed to the 2 learners" in html_of(runner_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = runner_client.post(
            url, {"subject": "Reading for Thursday", "body": "Please read the case study."}
        )
    assert response.status_code == 302
    assert response["Location"] == f"/facilitate/cohorts/{cohort.pk}/"
    announcement = cohort.announcements.get()
    assert announcement.author == runner
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.user.email for e in active)
    assert all("Reading for Thursday" in m.subject for m in mail.outbox)
    html = html_of(runner_client.get(response["Location"]))
    assert "Announcement posted and emailed to 2 learners" in html


def test_an_empty_announcement_is_a_400(runner_client, cohort):
    url = f"/facilitate/cohorts/{cohort.pk}/announcements/new/"
    response = runner_client.post(url, {"subject": "  ", "body": ""})
    assert response.status_code == 400
    html = html_of(response)
    assert "Enter a subject" in html and "Enter the announcement" in html
    assert not cohort.announcements.exists()


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        ("\u200b\u200b", "The subject must include at least one letter or number"),
        ("Reading\x00for Thursday", "The subject must not include control characters"),
    ],
)
def test_an_announcement_subject_nobody_could_read_is_a_400(
    runner_client, cohort, subject, message
):
    url = f"/facilitate/cohorts/{cohort.pk}/announcements/new/"
    response = runner_client.post(url, {"subject": subject, "body": "Please read the case."})
    assert response.status_code == 400
    assert message in html_of(response)
    assert not cohort.announcements.exists()


def test_the_learner_table_shows_fifty_at_a_time_and_keeps_its_sort(runner_client, cohort):
    for n in range(53):
        EnrolmentFactory(cohort=cohort, user__display_name=f"Learner {n:02d}")
    url = f"/facilitate/cohorts/{cohort.pk}/"

    def names(html):
        return re.findall(r'<th scope="row" class="govuk-table__header">(Learner \d\d)<', html)

    first = html_of(runner_client.get(url, {"sort": "name", "dir": "desc"}))
    assert len(names(first)) == 50
    assert "Learner 52" in first and "Learner 02" not in first
    assert "Everyone who holds or held a place (53)" in first
    assert "?sort=name&amp;dir=desc&amp;page=2#learners" in first

    last = html_of(runner_client.get(url, {"sort": "name", "dir": "desc", "page": "2"}))
    assert names(last) == ["Learner 02", "Learner 01", "Learner 00"]
    assert 'aria-current="page"' in last
    # A page past the end, or not a number, shows a real page rather than an error.
    assert runner_client.get(url, {"page": "99"}).status_code == 200
    assert runner_client.get(url, {"page": "abc"}).status_code == 200
