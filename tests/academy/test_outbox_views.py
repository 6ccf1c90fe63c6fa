"""The pages about emails (academy/outbox/views.py): a person's choices at
/profile/notifications/, and the unsubscribe link every email carries, which works without
signing in, changes nothing on GET (mail systems open links to check them), and takes a
mail program's one-click POST (RFC 8058) with no cookies."""

import re

from django.test import Client
from django.urls import reverse

import pytest

from academy import outbox
from academy.models import NotificationPreference, OutboxEmail
from academy.outbox.preferences import unsubscribe_token
from cohorts.notifications import ANNOUNCEMENT, ENROLMENT
from tests.factories import UserFactory

from .outbox_kinds import NOT_SWITCHABLE, REMINDER, reminder_kind, reminders  # noqa: F401
from .unsubscribe_links import token_made_days_ago

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reminder_kind")]
PREFERENCES = "/profile/notifications/"
Delivery = OutboxEmail.Delivery
Status = OutboxEmail.Status
RADIO = re.compile(
    r'<input class="govuk-radios__input"[^>]*name="([^"]+)" type="radio" value="([^"]+)"'
    r"( checked)?>"
)
BUTTON = re.compile(r'<form method="post"[^>]*>\s*<button type="submit"[^>]*>Stop these emails')


def radio_groups(html: str) -> dict[str, tuple[str, list[str], str | None]]:
    """Each radio group on the page: its legend, its values, and the one checked."""
    groups = {}
    for fieldset in re.findall(r"<fieldset.*?</fieldset>", html, re.S):
        legend = re.search(r"<legend[^>]*>(.*?)</legend>", fieldset, re.S).group(1).strip()
        radios = RADIO.findall(fieldset)
        name = radios[0][0]
        checked = [value for _, value, on in radios if on]
        groups[name] = (legend, [value for _, value, _ in radios], checked[0] if checked else None)
    return groups


def every_choice(**chosen: str) -> dict[str, str]:
    """A post of the preferences form: every kind that offers a choice as it happens, unless
    ``chosen`` says otherwise."""
    from academy.outbox.kinds import all_kinds

    return {
        kind.name: chosen.get(kind.name, Delivery.IMMEDIATE)
        for kind in all_kinds()
        if kind.digestible or kind.can_switch_off
        if kind.audience != "staff"
    }


def unsubscribe_url(user, kind: str = REMINDER, token: str | None = None) -> str:
    return reverse("notifications_unsubscribe", args=[token or unsubscribe_token(user.pk, kind)])


# --- Choices ---------------------------------------------------------------------------------


def test_choosing_needs_signing_in(client):
    response = client.get(PREFERENCES)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PREFERENCES}"
    response = client.post(PREFERENCES, every_choice())
    assert response.status_code == 302
    assert not NotificationPreference.objects.exists()


def test_each_kind_is_a_group_of_radios_showing_the_current_choice(signed_in_client):
    NotificationPreference.objects.create(
        user=signed_in_client.user, kind=REMINDER, delivery=Delivery.WEEKLY
    )
    response = signed_in_client.get(PREFERENCES)
    assert response.status_code == 200
    groups = radio_groups(response.content.decode())
    assert groups[REMINDER] == ("Reminders", ["immediate", "daily", "weekly", "off"], "weekly")
    assert groups[ANNOUNCEMENT] == (
        "Announcements",
        ["immediate", "daily", "weekly", "off"],
        "immediate",
    )
    assert groups[ENROLMENT][0] == "Applications and places"
    # Nothing to choose about a kind sent as it happens that cannot be switched off.
    assert NOT_SWITCHABLE not in groups and "digest" not in groups


def test_choices_are_saved(signed_in_client):
    response = signed_in_client.post(
        PREFERENCES, every_choice(**{REMINDER: "daily", ANNOUNCEMENT: "off"})
    )
    assert response.status_code == 302
    assert response["Location"] == PREFERENCES
    saved = {
        preference.kind: (preference.enabled, preference.delivery)
        for preference in NotificationPreference.objects.filter(user=signed_in_client.user)
    }
    assert saved[REMINDER] == (True, Delivery.DAILY)
    assert saved[ANNOUNCEMENT] == (False, Delivery.IMMEDIATE)
    page = signed_in_client.get(PREFERENCES).content.decode()
    assert "Your email choices have been saved" in page
    assert radio_groups(page)[REMINDER][2] == "daily"


def test_a_post_naming_an_unknown_kind_is_refused_whole(signed_in_client):
    response = signed_in_client.post(
        PREFERENCES, {**every_choice(**{REMINDER: "off"}), "no_such_kind": "off"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no kind of email called “no_such_kind”: reload the page" in html
    assert 'class="govuk-error-summary' in html
    assert not NotificationPreference.objects.exists()


def test_a_post_missing_a_kind_or_with_a_choice_it_does_not_offer_is_refused(signed_in_client):
    missing = every_choice()
    del missing[REMINDER]
    response = signed_in_client.post(PREFERENCES, missing)
    assert response.status_code == 400
    assert "Choose how to receive “Reminders”" in response.content.decode()
    response = signed_in_client.post(PREFERENCES, every_choice(**{REMINDER: "hourly"}))
    assert response.status_code == 400
    assert "Choose one of the ways to receive “Reminders”" in response.content.decode()
    assert not NotificationPreference.objects.exists()


# --- Unsubscribing ---------------------------------------------------------------------------


def test_opening_the_link_asks_and_changes_nothing(client):
    user = UserFactory()
    outbox.enqueue(REMINDER, reminders([user]))
    response = client.get(unsubscribe_url(user))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop emails about “Reminders”" in html
    assert BUTTON.search(html)
    assert response["Cache-Control"].startswith("max-age=0")
    assert not NotificationPreference.objects.exists()
    assert OutboxEmail.objects.get().status == Status.PENDING


def test_the_button_unsubscribes(client):
    user = UserFactory()
    outbox.enqueue(REMINDER, reminders([user]))
    response = client.post(unsubscribe_url(user))
    assert response.status_code == 200
    assert "You will not get these emails" in response.content.decode()
    assert not NotificationPreference.objects.get(user=user, kind=REMINDER).enabled
    assert OutboxEmail.objects.get().status == Status.SKIPPED


def test_a_mail_programs_one_click_post_unsubscribes_without_cookies():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)

    def one_click():
        return client.post(
            unsubscribe_url(user),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )

    assert one_click().status_code == 200
    assert not NotificationPreference.objects.get(user=user, kind=REMINDER).enabled
    assert one_click().status_code == 200  # twice is harmless


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_is_not_found(client, method):
    user = UserFactory()
    forged = unsubscribe_token(user.pk, REMINDER)[:-4] + "AAAA"
    response = getattr(client, method)(unsubscribe_url(user, token=forged))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_gone_and_says_where_to_choose(client, method):
    user = UserFactory()
    token = token_made_days_ago(200, user.pk, REMINDER)
    response = getattr(client, method)(unsubscribe_url(user, token=token))
    assert response.status_code == 410
    html = response.content.decode()
    assert "This link has expired" in html
    assert f'href="{PREFERENCES}"' in html
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(
    "token_for",
    [
        lambda user: unsubscribe_token(user.pk, "no_such_kind"),
        lambda user: unsubscribe_token(user.pk + 1000, REMINDER),  # nobody
        lambda user: "x" * 3000,
        lambda user: "%00",
    ],
)
def test_a_link_naming_no_such_person_or_kind_is_not_found(client, token_for):
    user = UserFactory()
    response = client.post(f"/profile/notifications/unsubscribe/{token_for(user)}/")
    assert response.status_code == 404
    assert not NotificationPreference.objects.exists()


def test_a_closed_accounts_link_is_not_found(client):
    user = UserFactory(is_active=False)
    assert client.get(unsubscribe_url(user)).status_code == 404


def test_a_kind_that_cannot_be_switched_off_says_so_and_stays_on(client):
    user = UserFactory()
    url = unsubscribe_url(user, NOT_SWITCHABLE)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 200
        assert "cannot be switched off on their own" in response.content.decode()
    assert not NotificationPreference.objects.exists()
