"""The access matrix again, with staff two-factor authentication on, as in production
(``ACADEMY_STAFF_MFA_REQUIRED``, academy/mfa.py).

Every row of ``rows.py`` is run, the way ``test_matrix.py`` runs it, and what each role must get
is derived from the row, never listed by hand:

* visitors and learners get exactly what the row says;
* each member of staff *with* a second factor (an authenticator app) gets exactly what the row
  says;
* each member of staff *without* one gets what a visitor gets, except that where a visitor is
  sent to sign in they are sent to set up a second factor; on the routes that stay open to them
  as themselves (the two-factor pages, allauth's password check, signing out), what the row
  says for their role.

So a row added for a new page is checked here too, with nothing to add."""

from urllib.parse import urlsplit

from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

import pytest
from allauth.mfa.models import Authenticator

from academy.roles import is_staff_member

from .rows import ROWS, SIGN_IN
from .test_matrix import outcome
from .world import ROLES, request

pytestmark = pytest.mark.django_db

SET_UP = "302 to set up a second factor"
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


def without_second_factor(row, role: str, address: str):
    """What a member of staff without a second factor gets on ``row``."""
    if stays_open(address):
        return row.expected[role]
    visitor = row.expected["anonymous"]
    return SET_UP if visitor == SIGN_IN else visitor


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
    derived = {without_second_factor(row, "editor", row.url(world)) for row in ROWS}
    assert SET_UP in derived and 200 in derived


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.method.upper()} {row.name}" for row in ROWS])
def test_access_with_staff_mfa_on(world, subtests, row):
    client = Client()
    address = row.url(world)
    staff = staff_roles(world)

    def check(role, expected, state):
        with subtests.test(role=role, second_factor=state):
            response = request(client, world, role, row.method, address, row.body(world))
            assert mfa_outcome(response) == expected, (
                f"{row.method.upper()} {address} as {role} ({state})"
            )

    for role in ROLES:
        if role in staff:
            check(role, without_second_factor(row, role, address), "none")
        else:
            check(role, row.expected[role], "not asked")

    # The same people with an authenticator app, added for this row and rolled back after it.
    with transaction.atomic():
        for role in staff:
            Authenticator.objects.create(
                user=world.users[role], type=Authenticator.Type.TOTP, data={"secret": "x"}
            )
        for role in staff:
            check(role, row.expected[role], "authenticator app")
        transaction.set_rollback(True)
