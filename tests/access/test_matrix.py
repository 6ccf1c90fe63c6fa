"""Who may reach what: every route of the site, by GET and by POST, as every role.

The rows are in ``rows.py``. A route with no row fails ``test_every_route_has_its_rows``: a
new URL needs its rows, or an entry in the allow-list of ``routes.py`` with its reason (never
for the academy's own routes)."""

from urllib.parse import urlsplit

from django.test import Client

import pytest

from .routes import ALLOW_LIST, all_routes, route_of
from .rows import ROWS, SIGN_IN, TURNED_AWAY
from .world import ROLES, request

pytestmark = pytest.mark.django_db

SIGN_IN_PAGES = {"/accounts/login/", "/admin/login/", "/django-admin/login/"}
METHODS = ("get", "post")


def outcome(response):
    """The status code, or for a redirect to a sign-in page or to the admin's dashboard, the
    name the matrix gives it. Any other 302 is a redirect that does what was asked."""
    if response.status_code == 302:
        path = urlsplit(response["Location"]).path
        if path in SIGN_IN_PAGES:
            return SIGN_IN
        if path == "/admin/":
            return TURNED_AWAY
    return response.status_code


def missing_rows(world, rows=ROWS, routes=None) -> list[str]:
    """Each route and method with no row in the matrix, and no allow-list entry."""
    covered = {(route_of(row.url(world)), row.method) for row in rows}
    missing = []
    for route in routes if routes is not None else all_routes():
        if route.allowed_by:
            continue
        missing.extend(
            f"{method.upper()} {route}"
            for method in METHODS
            if (route.route, method) not in covered
        )
    return missing


def test_every_route_has_its_rows(world):
    missing = missing_rows(world)
    assert not missing, (
        "Routes with no row in the access matrix: add rows to tests/access/rows.py saying what "
        "every role gets\n  " + "\n  ".join(missing)
    )


def test_every_allow_list_entry_has_a_reason_and_allows_a_route():
    used = {route.allowed_by for route in all_routes()}
    for prefix, reason in ALLOW_LIST.items():
        assert reason.strip(), f"allow-list entry {prefix!r} needs its reason"
        assert prefix in used, f"allow-list entry {prefix!r} matches no route: remove it"


def test_the_academys_own_routes_are_never_allow_listed():
    own = [route for route in all_routes() if route.ours]
    assert own, "the walk found none of the academy's own routes"
    assert all(route.allowed_by is None for route in own)
    assert any(route.route.startswith("admin/cohorts/") for route in own)


def test_the_walk_finds_routes_inside_includes():
    names = {route.name for route in all_routes()}
    assert {"facilitate_session_edit", "wagtailusers_users:edit", "account_login"} <= names


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.method.upper()} {row.name}" for row in ROWS])
def test_access(world, subtests, row):
    client = Client()
    address = row.url(world)
    for role in ROLES:
        with subtests.test(role=role):
            response = request(client, world, role, row.method, address, row.body(world))
            assert outcome(response) == row.expected[role], (
                f"{row.method.upper()} {address} as {role}"
            )
