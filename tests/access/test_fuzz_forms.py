"""Every form, fuzzed: for each route of the access matrix that takes a POST, as each role
whose row says it may reach it, Hypothesis sends bodies built from the fields of the form the
page really shows (``bodies.py``): fields missing, extra and repeated, wrong types, huge
numbers (in the body and in the URL's ids), 10,000 characters, NUL bytes, zero-width and
right-to-left text, times on the nights the UK clocks change, years 1 and 9999.

Two things must hold for every request: the answer is never a server error, and an answer
that refuses (4xx, or a redirect to sign in) changes nothing in the database.

A new form is fuzzed as soon as its route has its rows in the matrix: the routes come from the
same walk. The examples are few and fixed (``derandomize``), so the run takes the same path
every time; the edge cases in ``bodies.EDGE_PLANS`` are always tried first."""

from urllib.parse import urlsplit

from django.apps import apps
from django.db import transaction
from django.forms import BaseForm
from django.test import Client
from django.urls import resolve

import pytest
from hypothesis import HealthCheck, example, given, settings

from .bodies import EDGE_PLANS, body_for, plans, today_in_cohort, url_with_ids
from .forms import post_form_for
from .rows import NO_FORM, ROWS, SAME_URL, SIGN_IN, TURNED_AWAY
from .test_matrix import outcome
from .world import ROLES, Rollback, as_role, request

pytestmark = pytest.mark.django_db

# Random plans per route, on top of the edge plans; kept small so that the test stays quick.
RANDOM_EXAMPLES = 6
REFUSALS = {403, 404, 405, SIGN_IN, TURNED_AWAY}
# What a refused request must leave alone: the academy's data and the CMS's, people, groups
# and their permissions, email addresses and authenticators.
CHECKED_APPS = {
    "academy",
    "courses",
    "cohorts",
    "home",
    "auth",
    "wagtailcore",
    "wagtaildocs",
    "wagtailimages",
    "account",
    "mfa",
}


def reachers(row) -> list[str]:
    """The roles the row lets through (not 404, 403, 405 or sent to sign in)."""
    return [role for role in ROLES if row.expected[role] not in REFUSALS]


def refused(response) -> bool:
    """A 4xx, a redirect to sign in or away from the admin, or a page showing its form again
    with errors (Wagtail's admin answers those with 200)."""
    if outcome(response) in REFUSALS or 400 <= response.status_code < 500:
        return True
    contexts = response.context or []
    for context in contexts if isinstance(contexts, list) else [contexts]:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                return True
    return False


def snapshot() -> dict:
    """Every row of every checked table."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in CHECKED_APPS and not model._meta.proxy:
            rows = model._base_manager.order_by("pk").values_list()
            tables[model._meta.label] = list(rows)
    return tables


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


def _form(client, world, row, role, candidates):
    """The form that posts to the row's URL: read from the page as ``role``, or as another
    role that may reach it (a lesson shows *Mark as complete* only to a learner)."""
    if row.form_at == NO_FORM:
        return None
    page = row.url(world) if row.form_at == SAME_URL else row.form_at(world)
    target = urlsplit((row.form_posts_to or row.url)(world)).path
    for reader in (role, *candidates):
        response = request(client, world, reader, "get", page)
        if response.status_code == 200 and not response.streaming:
            form = post_form_for(response.content.decode(), urlsplit(page).path, target)
            if form is not None:
                return form
    raise AssertionError(
        f"No form on {page} posts to {target}: give the row {row.name!r} its form_at, or"
        " NO_FORM when the URL takes no fields"
    )


def test_the_forms_that_matter_are_fuzzed(world):
    fuzzed = {resolve(urlsplit(row.url(world)).path).view_name for row in FUZZED}
    assert {
        "facilitate_session_add",
        "facilitate_session_edit",
        "lesson_complete",
        "profile",
        "delete_account",
        "wagtailusers_users:edit",
        "cohorts:edit",
    } <= fuzzed


# Every POST row that lets someone through: every route that takes a POST has one (the matrix
# fails without it).
FUZZED = [row for row in ROWS if row.method == "post" and reachers(row)]


@pytest.mark.parametrize("row", FUZZED, ids=[row.name for row in FUZZED])
def test_no_post_answers_500_or_half_saves(world, row):
    client = Client(raise_request_exception=True)
    roles = reachers(row)
    address = row.url(world)
    cohort_day = today_in_cohort()
    before = snapshot()
    forms = {}
    sent_as = set()

    def post(role, url, data):
        as_role(client, world, role)
        try:
            with transaction.atomic():
                try:
                    response = client.post(url, data)
                except Exception as error:
                    raise AssertionError(
                        f"POST {url} as {role} answered 500: {type(error).__name__}: {error}"
                        f"\n  body: {_short(data)}"
                    ) from error
                assert response.status_code < 500, (
                    f"POST {url} as {role} answered {response.status_code}\n  body: {_short(data)}"
                )
                if refused(response):
                    changed = changed_tables(before, snapshot())
                    assert not changed, (
                        f"POST {url} as {role} was refused ({response.status_code}) but changed"
                        f" {', '.join(changed)}\n  body: {_short(data)}"
                    )
                raise Rollback
        except Rollback:
            pass

    @settings(
        max_examples=RANDOM_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(plan=plans())
    def fuzz(plan):
        role = roles[plan.role % len(roles)]
        if role not in forms:
            forms[role] = _form(client, world, row, role, roles)
        data = body_for(forms[role], plan, cohort_day)
        post(role, url_with_ids(address, plan.url_id), data)
        sent_as.add(role)

    for plan in reversed(EDGE_PLANS):
        fuzz = example(plan=plan)(fuzz)
    fuzz()

    assert sent_as == set(roles)


def _short(data) -> str:
    text = repr(data)
    return text if len(text) < 600 else text[:600] + "…"
