"""axe-core finds no WCAG 2.2 AA violation on the foundation's pages, signed out and in."""

import pytest

from home.management.commands.load_demo import DEMO_PASSWORD

from .axe import assert_no_axe_violations
from .helpers import open_signed_in, sign_in

SIGNED_OUT_PAGES = [
    ("home", "/"),
    ("sign in", "/accounts/login/"),
    ("sign up", "/accounts/signup/"),
    ("password reset", "/accounts/password/reset/"),
    ("search", "/search/?q=accessibility"),
    ("search without a query", "/search/"),
    ("page not found", "/no-such-page/"),
    ("accessibility statement", "/accessibility/"),
    ("privacy notice", "/privacy/"),
]

SIGNED_IN_PAGES = [
    ("profile", "/profile/"),
    ("your data", "/profile/data/"),
    ("delete account", "/profile/data/delete/"),
    ("email addresses", "/accounts/email/"),
    ("change password", "/accounts/password/change/"),
    ("two-factor authentication", "/accounts/2fa/"),
]


@pytest.mark.parametrize(("name", "path"), SIGNED_OUT_PAGES, ids=[n for n, _ in SIGNED_OUT_PAGES])
def test_signed_out_page_has_no_axe_violations(academy_site, page, name, path):
    response = page.goto(f"{academy_site.url}{path}")
    assert response.status == (404 if name == "page not found" else 200)
    assert_no_axe_violations(page)


def test_signed_in_pages_have_no_axe_violations(academy_site, page):
    sign_in(page, academy_site.url, "learner@academy.test", DEMO_PASSWORD)
    for _name, path in SIGNED_IN_PAGES:
        response = open_signed_in(page, academy_site.url, path)
        assert response.status == 200, path
        assert_no_axe_violations(page)


def test_a_form_with_errors_has_no_axe_violations(academy_site, page):
    page.goto(f"{academy_site.url}/accounts/signup/")
    page.locator("main form button[type=submit]").first.click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_no_axe_violations(page)
