"""allauth's forms, fuzzed as the academy's own are (``test_fuzz_forms.py``): each form of
``account_forms.ACCOUNT_FORMS``, as each role that may post it, with bodies built from the
fields its page shows, the edge cases of ``bodies.EDGE_PLANS`` first. No answer is a server
error, a refused one changes no table, an accepted one only the tables the form may write."""

from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import resolve

import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings

from .account_forms import ACCOUNT_FORMS
from .bodies import EDGE_PLANS, body_for, plans, today_in_cohort
from .forms import post_form_for, post_forms
from .fuzzing import FUZZ, REFUSALS, send, settle
from .routes import all_routes
from .rows import SIGN_IN
from .tables import fingerprints
from .world import Rollback

pytestmark = pytest.mark.django_db

RANDOM_EXAMPLES = 4


def test_the_account_forms_are_allauths(world):
    """Each entry is a page allauth serves, and sign-up, sign-in, password reset, email
    verification and the second factor are all there."""
    views = {
        entry.name: resolve(urlsplit(entry.page(world)).path).func.__module__
        for entry in ACCOUNT_FORMS
    }
    assert all(module.startswith("allauth.") for module in views.values()), views
    served = {route.name for route in all_routes() if route.route.startswith("accounts/")}
    assert {
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_from_key",
        "account_confirm_email",
        "account_email",
        "account_reauthenticate",
        "mfa_authenticate",
        "mfa_activate_totp",
    } <= served
    fuzzed = {resolve(urlsplit(entry.page(world)).path).url_name for entry in ACCOUNT_FORMS}
    assert (
        served
        & {
            "account_login",
            "account_signup",
            "account_reset_password",
            "account_reset_password_from_key",
            "account_confirm_email",
            "account_email",
            "account_reauthenticate",
            "mfa_authenticate",
            "mfa_activate_totp",
        }
        <= fuzzed
    )


def _client(session_key: str | None) -> Client:
    client = Client(raise_request_exception=True)
    client.cookies = SimpleCookie()
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def _read_form(client, page, target, action_starts=None):
    response = None
    try:
        with transaction.atomic():
            response = client.get(page)
            raise Rollback
    except Rollback:
        pass
    assert response.status_code == 200, f"GET {page} answered {response.status_code}"
    html = response.content.decode()
    form = post_form_for(html, urlsplit(page).path, target)
    if form is None and action_starts:
        starting = [f for f in post_forms(html, page) if f.action.startswith(action_starts)]
        form = starting[0] if starting else None
    assert form is not None, f"no form on {page} posts to {target}"
    return form


@pytest.mark.parametrize("entry", ACCOUNT_FORMS, ids=[entry.name for entry in ACCOUNT_FORMS])
def test_no_account_form_answers_500_or_half_saves(world, entry):
    settle(world)
    page = entry.page(world)
    target = urlsplit(page).path
    clients = {}
    for role in entry.roles:
        prepared = entry.prepare(world, role)
        clients[role] = _client(prepared or world.sessions.get(role))
    before = fingerprints()
    forms = {}
    sent_as = set()
    cohort_day = today_in_cohort()

    @hypothesis_settings(FUZZ, max_examples=RANDOM_EXAMPLES)
    @given(plan=plans())
    def fuzz(plan):
        role = entry.roles[plan.role % len(entry.roles)]
        client = clients[role]
        if role not in forms:
            forms[role] = _read_form(client, page, target, entry.action_starts)
        data = body_for(forms[role], plan, cohort_day, filled=entry.fill(world, role))
        send(
            client,
            "post",
            forms[role].action,
            data,
            who=role,
            before=before,
            may_write=entry.writes,
            refusals=REFUSALS - {SIGN_IN} if entry.then_sign_in else REFUSALS,
        )
        sent_as.add(role)

    for plan in reversed(EDGE_PLANS):
        fuzz = example(plan=plan)(fuzz)
    fuzz()
    assert sent_as == set(entry.roles)
