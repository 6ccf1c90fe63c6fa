"""Live sessions: adding, changing and cancelling them, in UK time. A session needs somewhere
to happen, an end after its start (as instants, across the clock changes) and a date while its
cohort runs; every change a calendar would show moves its sequence on."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest

from cohorts.models import LiveSession
from cohorts.services.sessions import live_session_cancel, live_session_save

from .factories import CohortFactory, LiveSessionFactory
from .helpers import html_of

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def cohort(course_page, runner):
    return CohortFactory(course=course_page, name="Spring 2027", facilitators=[runner])


# --- The services ---------------------------------------------------------------------------------


def test_changing_a_session_bumps_its_sequence_and_an_unchanged_save_does_not(course_page):
    session = LiveSessionFactory(cohort=CohortFactory(course=course_page))
    session.title = "Action learning set: budgets"
    live_session_save(session=session)
    assert LiveSession.objects.get().sequence == 1
    live_session_save(session=LiveSession.objects.get())
    assert LiveSession.objects.get().sequence == 1
    live_session_cancel(session=session)
    live_session_cancel(session=session)
    saved = LiveSession.objects.get()
    assert (saved.cancelled, saved.sequence) == (True, 2)


def test_a_session_needs_somewhere_to_happen_and_an_end_after_its_start(course_page):
    from django.core.exceptions import ValidationError

    session = LiveSessionFactory.build(
        cohort=CohortFactory(course=course_page), joining_url="", location=""
    )
    session.ends_at = session.starts_at
    with pytest.raises(ValidationError) as error:
        live_session_save(session=session)
    assert set(error.value.message_dict) == {"location", "ends_at"}
    assert not LiveSession.objects.exists()


def test_end_after_start_is_decided_on_instants_as_the_database_decides_it(course_page):
    """On the night the clocks go back, 01:45 the first time (BST) comes before 01:30 the
    second time (GMT). Compared as clock times it looked later, and the database's check
    constraint then failed with a 500."""
    from django.core.exceptions import ValidationError

    cohort = CohortFactory(
        course=course_page, start_date=date(2027, 10, 1), end_date=date(2027, 11, 30)
    )
    session = LiveSessionFactory.build(
        cohort=cohort,
        starts_at=datetime(2027, 10, 31, 1, 30, fold=1, tzinfo=LONDON),  # 01:30 UTC
        ends_at=datetime(2027, 10, 31, 1, 45, fold=0, tzinfo=LONDON),  # 00:45 UTC
    )
    with pytest.raises(ValidationError) as error:
        live_session_save(session=session)
    assert error.value.message_dict == {"ends_at": ["The session must end after it starts"]}
    assert not LiveSession.objects.exists()

    session.ends_at = datetime(2027, 10, 31, 1, 45, fold=1, tzinfo=LONDON)  # 01:45 UTC
    saved = live_session_save(session=session)
    assert saved.ends_at - saved.starts_at == timedelta(minutes=15)


@pytest.mark.parametrize(
    "starts_at",
    [
        datetime(1, 1, 1, 10, tzinfo=LONDON),
        datetime(1, 1, 1, 0, 0, tzinfo=UTC),  # before the first day the UK's clocks can show
        datetime(9999, 12, 31, 10, tzinfo=LONDON),
        datetime(2027, 6, 30, 23, 30, tzinfo=UTC),  # 30 June in UTC, 1 July in the UK
    ],
    ids=["year-1", "year-1-utc-midnight", "year-9999", "a-day-after-in-the-uk"],
)
def test_a_session_happens_while_its_cohort_runs(course_page, starts_at):
    from django.core.exceptions import ValidationError

    cohort = CohortFactory(
        course=course_page, start_date=date(2027, 3, 2), end_date=date(2027, 6, 30)
    )
    session = LiveSessionFactory.build(
        cohort=cohort, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as error:
        live_session_save(session=session)
    assert error.value.message_dict == {
        "starts_at": [
            "The date of the session must be between 2 March 2027 and 30 June 2027, when the"
            " cohort runs"
        ]
    }
    assert not LiveSession.objects.exists()


# --- The session pages ----------------------------------------------------------------------------


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
