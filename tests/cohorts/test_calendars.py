"""Calendar links: a cohort's calendar for its members, the personal feed opened by its token
alone, resetting the token, and the page that shows the link. What the calendars hold is in
test_ical.py."""

from django.urls import reverse

import pytest

from cohorts.models import CalendarFeed
from cohorts.services.calendars import calendar_feed_for, calendar_token_reset

from ..factories import UserFactory
from .factories import LiveSessionFactory
from .helpers import login_url_for, messages_of

pytestmark = pytest.mark.django_db


def test_resetting_the_calendar_token_replaces_it():
    learner = UserFactory()
    old = calendar_feed_for(learner).token
    new = calendar_token_reset(user=learner).token
    assert new != old
    assert len(new) >= 40
    assert calendar_feed_for(learner).token == new


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
