"""Choosing which emails to receive, and the unsubscribe link an email carries, in a real
browser: with JavaScript switched off and on, and axe-clean at each step."""

from django.urls import reverse

import pytest

from academy.models import NotificationPreference
from academy.outbox.preferences import unsubscribe_token
from cohorts.notifications import ANNOUNCEMENT, PEER_SET
from home.management.commands.load_demo import DEMO_PASSWORD
from tests.academy.unsubscribe_links import token_made_days_ago
from tests.factories import UserFactory

from .axe import assert_no_axe_violations, assert_no_axe_violations_without_scripts
from .helpers import banner, heading, open_signed_in, said, sign_in, visit

LEARNER = "learner@academy.test"
PREFERENCES = "/profile/notifications/"


def choose(tab, kind_label: str, option: str) -> None:
    tab.get_by_role("group", name=kind_label).get_by_label(option).check()


def saved(email: str) -> dict[str, tuple[bool, str]]:
    return {
        preference.kind: (preference.enabled, preference.delivery)
        for preference in NotificationPreference.objects.filter(user__email=email)
    }


@pytest.mark.parametrize("scripts", [False, True], ids=["without JavaScript", "with JavaScript"])
def test_a_learner_chooses_which_emails_they_receive(academy_site, browser, scripts):
    base = academy_site.url
    context = browser.new_context(java_script_enabled=scripts)
    tab = context.new_page()
    sign_in(tab, base, LEARNER, DEMO_PASSWORD)
    visit(tab, "/profile/", base)
    tab.get_by_role("link", name="Emails you receive").first.click()
    tab.wait_for_load_state()
    assert tab.url == base + PREFERENCES
    assert heading(tab) == "Emails you receive"
    check = assert_no_axe_violations if scripts else None
    if check:
        check(tab)
    else:
        assert_no_axe_violations_without_scripts(browser, context, tab.url)

    choose(tab, "Announcements", "Gather them into a daily digest")
    choose(tab, "Your peer group", "Do not email me about this")
    tab.get_by_role("button", name="Save your choices").click()
    tab.wait_for_load_state()
    assert tab.url == base + PREFERENCES
    assert "Your email choices have been saved" in banner(tab)
    assert (
        tab.get_by_role("group", name="Announcements")
        .get_by_label("Gather them into a daily digest")
        .is_checked()
    )
    choices = saved(LEARNER)
    assert choices[ANNOUNCEMENT] == (True, "daily")
    assert choices[PEER_SET] == (False, "immediate")
    if check:
        check(tab)
    else:
        assert_no_axe_violations_without_scripts(browser, context, tab.url)
    context.close()


@pytest.mark.parametrize("scripts", [False, True], ids=["without JavaScript", "with JavaScript"])
def test_the_unsubscribe_link_asks_then_stops_one_kind(academy_site, browser, scripts):
    base = academy_site.url
    person = UserFactory()
    link = reverse("notifications_unsubscribe", args=[unsubscribe_token(person.pk, ANNOUNCEMENT)])
    context = browser.new_context(java_script_enabled=scripts)  # not signed in
    tab = context.new_page()

    visit(tab, link, base)
    assert heading(tab) == "Stop emails about “Announcements”"
    assert saved(person.email) == {}  # opening the link changes nothing
    if scripts:
        assert_no_axe_violations(tab)
    else:
        assert_no_axe_violations_without_scripts(browser, context, tab.url)

    tab.get_by_role("button", name="Stop these emails").click()
    tab.wait_for_load_state()
    assert heading(tab) == "You will not get these emails"
    assert "We will not email you about “Announcements”" in said(tab)
    assert saved(person.email) == {ANNOUNCEMENT: (False, "immediate")}
    if scripts:
        assert_no_axe_violations(tab)  # the answer to a POST cannot be opened again

    context.close()


def test_an_expired_or_altered_unsubscribe_link_says_so(academy_site, page):
    base = academy_site.url
    person = UserFactory()
    expired = token_made_days_ago(200, person.pk, ANNOUNCEMENT)
    visit(page, reverse("notifications_unsubscribe", args=[expired]), base, status=410)
    assert heading(page) == "This link has expired"
    assert page.get_by_role("link", name="Emails you receive").get_attribute("href") == PREFERENCES
    assert_no_axe_violations(page)
    visit(page, reverse("notifications_unsubscribe", args=["altered"]), base, status=404)
    assert heading(page) == "This link does not work"
    assert_no_axe_violations(page)


def test_the_preferences_page_with_an_error_is_axe_clean(academy_site, page):
    base = academy_site.url
    sign_in(page, base, LEARNER, DEMO_PASSWORD)
    open_signed_in(page, base, PREFERENCES)
    # A form the page did not make: a kind that does not exist.
    page.evaluate(
        """() => {
        const field = document.createElement('input');
        field.type = 'hidden'; field.name = 'no_such_kind'; field.value = 'off';
        document.querySelector('main form').appendChild(field);
    }"""
    )
    page.get_by_role("button", name="Save your choices").click()
    page.wait_for_load_state()
    assert "There is no kind of email called “no_such_kind”" in said(page)
    assert page.title().startswith("Error: ")
    assert_no_axe_violations(page)
