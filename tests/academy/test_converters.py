"""Ids in the academy's own URLs go through ``<id:…>`` (``academy.converters``): a number no
database row could have answers 404 on every route at once, never a 500."""

import re

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

import pytest

from academy.converters import MAX_ID, DatabaseIdConverter

from ..factories import UserFactory

OUR_APPS = ("academy.", "cohorts.", "courses.", "home.")


def our_routes(patterns=None, prefix=""):
    """(route, pattern) for every URL whose view is the academy's own, includes followed."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from our_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and entry.callback.__module__.startswith(OUR_APPS):
            yield route, entry


def id_routes():
    return [route for route, entry in our_routes() if "<id:" in route]


# Views of ours that Wagtail mounts with its own patterns (a snippet viewset's delete view): the
# fuzz test sends them ids out of any range (tests/access), and they answer 404.
WAGTAILS_PATTERNS = ("admin/snippets/",)


def test_no_route_of_ours_takes_a_plain_int():
    plain = [
        route
        for route, entry in our_routes()
        if not route.startswith(WAGTAILS_PATTERNS)
        and any(
            isinstance(converter, IntConverter)
            for converter in getattr(entry.pattern, "converters", {}).values()
        )
    ]
    assert plain == [], "use <id:…> for database ids, so out-of-range ids answer 404"


def test_the_id_routes_are_found():
    routes = id_routes()
    assert "learning/lessons/<id:lesson_id>/complete/" in routes
    assert "facilitate/cohorts/<id:cohort_id>/sessions/<id:session_id>/edit/" in routes


@pytest.mark.parametrize("number", ["1", "42", str(MAX_ID)])
def test_ids_a_row_can_have_are_taken(number):
    assert DatabaseIdConverter().to_python(number) == int(number)


@pytest.mark.parametrize("number", ["0", str(MAX_ID + 1), "99999999999999999999999"])
def test_ids_no_row_can_have_are_refused(number):
    converter = DatabaseIdConverter()
    assert not re.fullmatch(converter.regex, number) or _refuses(converter, number)


def _refuses(converter, number) -> bool:
    with pytest.raises(ValueError):
        converter.to_python(number)
    return True


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["99999999999999999999999", str(MAX_ID + 1), str(MAX_ID)])
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_id_route_answers_404_for_an_id_no_row_has(client, number, method):
    """As a superuser, who passes every permission check and so reaches the database."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for route in id_routes():
        url = "/" + re.sub(r"<id:\w+>", number, route)
        response = getattr(client, method)(url, {"action": "complete"})
        assert response.status_code in {404, 405}, url
        if response.status_code == 405:  # a GET-only or POST-only URL: the other method
            other = "post" if method == "get" else "get"
            assert getattr(client, other)(url).status_code == 404, url
