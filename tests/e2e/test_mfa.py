"""Staff must use two-factor authentication, in a real browser (academy/mfa.py)."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from academy import roles
from cohorts.models import Cohort
from tests.factories import PASSWORD, UserFactory

from .axe import assert_no_axe_violations


def current_code(secret: str) -> str:
    """What an authenticator app shows now (allauth's own TOTP functions); near the end of a
    period, wait for the next one so the code is still valid when posted."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def test_a_facilitator_sets_up_an_authenticator_app_before_their_cohort_opens(
    academy_site, page, settings
):
    settings.ACADEMY_STAFF_MFA_REQUIRED = True
    facilitator = UserFactory(groups=[roles.FACILITATORS])
    cohort = Cohort.objects.running().order_by("pk").first()
    cohort.facilitators.add(facilitator)
    base = academy_site.url

    # Not under /facilitate/ or the admins: a cohort's home page, which a visitor cannot open.
    page.goto(f"{base}/cohorts/{cohort.pk}/")
    assert "/accounts/login/" in page.url
    page.locator("main input[name=login]").fill(facilitator.email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    # Signed in; allauth confirms the password before a second factor is added, and the page
    # says why the facilitator is here.
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.locator("h1").inner_text() == "Enter your password"
    banner = page.get_by_role("region", name="Important")
    assert "Set up two-factor authentication to continue" in banner.inner_text()

    # Until then the public pages open, as to a visitor, with the way to set-up and sign-out.
    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Courses").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/courses/"
    assert menu.get_by_role("link", name="My learning").count() == 0
    assert menu.get_by_role("link", name="Facilitate").count() == 0
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert_no_axe_violations(page)
    menu.get_by_role("link", name="Set up two-factor authentication").click()
    page.wait_for_load_state()

    page.locator("main input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()

    assert page.url.endswith("/accounts/2fa/totp/activate/")
    assert page.locator("h1").inner_text() == "Set up an authenticator app"
    assert (
        "the Facilitate pages and the admins stay closed"
        in page.get_by_role("region", name="Important").inner_text()
    )
    assert_no_axe_violations(page)

    secret = page.locator("#authenticator-secret").inner_text().strip()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "Recovery codes"
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()

    assert page.url == f"{base}/cohorts/{cohort.pk}/"
    assert page.locator("h1").inner_text() == cohort.name
