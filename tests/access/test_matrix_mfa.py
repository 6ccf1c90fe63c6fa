"""The access matrix again, with staff two-factor authentication on, as in production
(``ACADEMY_STAFF_MFA_REQUIRED``, academy/mfa.py).

Every row of the matrix (``rows.MATRIX``) is run, the way ``test_matrix.py`` runs it (CSRF
enforced, the token taken as a browser takes it), and what each role must get is derived from the
row, never listed by hand:

* visitors and learners get exactly what the row says;
* each member of staff *with* a second factor (an authenticator app) gets exactly what the row
  says;
* each member of staff *without* one gets what a visitor gets, except that where a visitor is
  sent to sign in (to any sign-in page) they are sent to set up a second factor; on the routes
  that stay open to them as themselves (the two-factor pages, allauth's password check,
  signing out), what the row says for their role.

So a row added for a new page is checked here too, with nothing to add."""

from contextlib import contextmanager
from urllib.parse import urlsplit

from django.db import transaction
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils.crypto import get_random_string

import pytest
from allauth.mfa.models import Authenticator

from academy.roles import is_staff_member

from .rows import MATRIX, SIGN_IN, Redirect
from .test_matrix import SIGN_IN_PAGES, _note_the_form_pages, answer, outcome
from .world import ROLES

pytestmark = pytest.mark.django_db

SET_UP = "302 to set up a second factor"
# The staff roles of the world, whose pages are remembered apart with a second factor.
STAFF_SEEN: set[str] = set()
CSRF_SECRET = get_random_string(CSRF_SECRET_LENGTH)
# The routes a member of staff without a second factor opens as themselves, by URL name.
OPEN_AS_THEMSELVES = {"account_reauthenticate", "account_logout", "wagtailadmin_logout"}


@pytest.fixture(autouse=True)
def staff_mfa_required(settings):
    settings.ACADEMY_STAFF_MFA_REQUIRED = True


def stays_open(url: str) -> bool:
    """The two-factor pages (every allauth ``mfa_…`` route), the password check and sign-out."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return match.view_name.startswith("mfa_") or match.view_name in OPEN_AS_THEMSELVES


def staff_roles(world) -> list[str]:
    return [role for role in ROLES if world.users[role] and is_staff_member(world.users[role])]


def sends_to_sign_in(expected) -> bool:
    """A visitor's answer that asks them to sign in: back to the page asked for, or to any
    sign-in page (Wagtail's page sign-in hands over to the academy's)."""
    if expected == SIGN_IN:
        return True
    return isinstance(expected, Redirect) and urlsplit(expected.to).path in SIGN_IN_PAGES


def without_second_factor(world, row, role: str, address: str):
    """What a member of staff without a second factor gets on ``row``."""
    if stays_open(address):
        return row.expects(world, role)
    visitor = row.expects(world, "anonymous")
    return SET_UP if sends_to_sign_in(visitor) else visitor


@contextmanager
def pages_seen_afresh(world):
    """The pages and CSRF cookies a role was given are remembered per role; a member of staff
    is given other pages once they have a second factor, so those are remembered apart."""
    kept = world.pages_seen, world.csrf_cookies
    world.pages_seen = {key: seen for key, seen in kept[0].items() if key[0] not in STAFF_SEEN}
    world.csrf_cookies = {role: c for role, c in kept[1].items() if role not in STAFF_SEEN}
    try:
        yield
    finally:
        world.pages_seen, world.csrf_cookies = kept


def mfa_outcome(response):
    location = urlsplit(response.get("Location", "")).path
    if response.status_code == 302 and location == reverse("mfa_activate_totp"):
        return SET_UP
    return outcome(response)


def test_the_roles_include_staff_and_learners(world):
    staff = staff_roles(world)
    assert {"editor", "moderator", "programme_manager", "superuser"} <= set(staff)
    assert {"facilitator_of_cohort", "facilitator_of_other_cohort"} <= set(staff)
    assert "learner_in_cohort" not in staff
    # Some rows are closed to staff without a second factor, and some stay open.
    derived = {without_second_factor(world, row, "editor", row.url(world)) for row in MATRIX}
    assert SET_UP in derived and 200 in derived


@pytest.mark.parametrize("row", MATRIX, ids=[f"{row.method.upper()} {row.name}" for row in MATRIX])
def test_access_with_staff_mfa_on(world, subtests, row):
    _note_the_form_pages(world)
    client = Client(enforce_csrf_checks=True)
    address = row.url(world)
    staff = staff_roles(world)
    STAFF_SEEN.update(staff)

    def check(role, expected, state):
        with subtests.test(role=role, second_factor=state):
            response = answer(client, world, role, row, address)
            assert mfa_outcome(response) == expected, (
                f"{row.method.upper()} {address} as {role} ({state})"
            )

    for role in ROLES:
        if role in staff:
            # Every page that would give them a CSRF cookie sends them to set up instead, where
            # the cookie is a secret like this one.
            world.csrf_cookies.setdefault(role, CSRF_SECRET)
            check(role, without_second_factor(world, row, role, address), "none")
        else:
            check(role, row.expects(world, role), "not asked")

    # The same people with an authenticator app, added for this row and rolled back after it.
    with transaction.atomic(), pages_seen_afresh(world):
        for role in staff:
            Authenticator.objects.create(
                user=world.users[role], type=Authenticator.Type.TOTP, data={"secret": "x"}
            )
        for role in staff:
            check(role, row.expects(world, role), "authenticator app")
        transaction.set_rollback(True)
