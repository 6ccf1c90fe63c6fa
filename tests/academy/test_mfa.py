"""Staff must use two-factor authentication (academy/mfa.py).

What a person notices: with the rule on (production), an editor, moderator, facilitator,
programme manager or administrator who has no authenticator app or security key is sent to set
one up, with the reason, before the Wagtail admin, the Django admin or the Facilitate pages
answer; once they have set one up through the real form, they get the page they asked for.
Learners never see any of it, and every answer anyone else gets stays as it was.
"""

import re
import time
from urllib.parse import quote

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from academy import roles
from tests.services import run_manage

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/totp/activate/"
SECRET = "JBSWY3DPEHPK3PXP"
WHY = "Set up two-factor authentication to continue"

STAFF = {
    "editor": {"groups": [roles.EDITORS]},
    "moderator": {"groups": [roles.MODERATORS]},
    "facilitator": {"groups": [roles.FACILITATORS]},
    "programme manager": {"groups": [roles.PROGRAMME_MANAGERS]},
    "superuser": {"is_superuser": True, "is_staff": True},
    "is_staff": {"is_staff": True},
}

# (method, URL, where set-up leads back to): each staff area, a page deeper in it, and a post.
STAFF_REQUESTS = [
    ("get", "/admin/", "/admin/"),
    ("get", "/admin/pages/?ordering=title", "/admin/pages/?ordering=title"),
    ("post", "/admin/pages/add/", "/admin/"),
    ("get", "/django-admin/", "/django-admin/"),
    ("get", "/django-admin/academy/user/", "/django-admin/academy/user/"),
    ("post", "/django-admin/academy/user/add/", "/django-admin/"),
    ("get", "/facilitate/", "/facilitate/"),
    ("get", "/facilitate/programme/", "/facilitate/programme/"),
    ("post", "/facilitate/cohorts/1/sessions/new/", "/facilitate/"),
]

# What the rule must leave alone: the pages everyone uses, and the way in and out.
OTHER_PAGES = [
    "/",
    "/courses/",
    "/learning/",
    "/profile/",
    "/profile/data/",
    "/accounts/logout/",
    "/accounts/2fa/",
    "/accounts/password/change/",
    "/admin/login/?next=/admin/",
    "/django-admin/login/?next=/django-admin/",
]


@pytest.fixture
def rule_on(settings):
    settings.ACADEMY_STAFF_MFA_REQUIRED = True
    return settings


def staff_member(role: str):
    return UserFactory(**STAFF[role])


def answer(response) -> tuple[int, str]:
    return response.status_code, response.get("Location", "")


def send(client, method: str, url: str):
    return getattr(client, method)(url)


def sign_in(client, user, next_url: str = ""):
    """Through the real sign-in form, as a person would."""
    url = "/accounts/login/" + (f"?next={quote(next_url)}" if next_url else "")
    return client.post(url, {"login": user.email, "password": PASSWORD})


def confirm_password(client, response):
    """allauth asks for the password again before any second factor is added."""
    assert response.redirect_chain[-1][0].startswith("/accounts/reauthenticate/?next=")
    return client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)


def current_code(secret: str) -> str:
    """The code an authenticator app shows now, computed with allauth's own TOTP functions.
    Near the end of a period, wait for the next one, so the code is still valid when posted."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def with_authenticator_app(user):
    TOTP.activate(user, SECRET)
    RecoveryCodes.activate(user)
    return user


def text(response) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def continue_link(response) -> str | None:
    match = re.search(
        r'<a href="([^"]*)" role="button"[^>]*>Continue</a>', response.content.decode()
    )
    return match and match.group(1)


# --- Staff without a second factor are sent to set one up -------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, rule_on, role):
    client.force_login(staff_member(role))

    for method, url, way_back in STAFF_REQUESTS:
        response = send(client, method, url)
        assert answer(response) == (302, f"{SETUP}?next={quote(way_back, safe='')}"), (method, url)


@pytest.mark.parametrize("role", STAFF)
def test_the_set_up_page_says_why(client, rule_on, role):
    user = staff_member(role)
    assert sign_in(client, user, next_url="/facilitate/")["Location"] == "/facilitate/"

    response = client.get("/facilitate/", follow=True)

    set_up = f"{SETUP}?next=%2Ffacilitate%2F"
    assert response.redirect_chain[0] == (set_up, 302)
    assert "Enter your password" in text(response)
    assert WHY in text(response)
    response = confirm_password(client, response)
    assert response.redirect_chain == [(set_up, 302)]
    page = text(response)
    assert "Set up an authenticator app" in page
    assert WHY in page
    assert "the Wagtail admin, the Django admin and the Facilitate pages stay closed" in page
    assert 'href="/accounts/2fa/webauthn/add/"' in response.content.decode()


def test_recovery_codes_alone_are_not_a_second_factor(client, rule_on):
    user = staff_member("facilitator")
    RecoveryCodes.activate(user)
    client.force_login(user)

    assert client.get("/facilitate/")["Location"] == f"{SETUP}?next=%2Ffacilitate%2F"


@pytest.mark.parametrize("role", STAFF)
def test_staff_with_a_second_factor_get_what_they_got_before(client, settings, role):
    user = with_authenticator_app(staff_member(role))
    client.force_login(user)
    before = {(m, url): answer(send(client, m, url)) for m, url, _ in STAFF_REQUESTS}

    settings.ACADEMY_STAFF_MFA_REQUIRED = True
    after = {(m, url): answer(send(client, m, url)) for m, url, _ in STAFF_REQUESTS}

    assert after == before
    assert not any(location.startswith("/accounts/2fa/") for _, location in after.values())


def test_a_security_key_is_a_second_factor(client, rule_on):
    user = staff_member("editor")
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Work laptop"}
    )
    client.force_login(user)

    assert client.get("/admin/").status_code == 200


# --- Learners are never asked -------------------------------------------------------------------


def test_learners_get_the_same_answers_with_the_rule_on(client, settings):
    client.force_login(UserFactory())
    urls = [(m, url) for m, url, _ in STAFF_REQUESTS] + [("get", url) for url in OTHER_PAGES]
    before = {(m, url): answer(send(client, m, url)) for m, url in urls}

    settings.ACADEMY_STAFF_MFA_REQUIRED = True
    after = {(m, url): answer(send(client, m, url)) for m, url in urls}

    assert after == before
    assert after[("get", "/facilitate/")] == (404, "")
    assert after[("get", "/learning/")] == (200, "")
    assert not any(location.startswith("/accounts/2fa/") for _, location in after.values())
    assert WHY not in text(client.get(SETUP, follow=True))


def test_anonymous_visitors_get_the_same_answers_with_the_rule_on(client, settings):
    urls = [(m, url) for m, url, _ in STAFF_REQUESTS]
    before = {(m, url): answer(send(client, m, url)) for m, url in urls}
    settings.ACADEMY_STAFF_MFA_REQUIRED = True
    assert {(m, url): answer(send(client, m, url)) for m, url in urls} == before


def test_staff_without_a_second_factor_can_use_the_rest_of_the_site_and_sign_out(client, rule_on):
    client.force_login(staff_member("facilitator"))

    for url in OTHER_PAGES:
        response = client.get(url)
        assert not response.get("Location", "").startswith(SETUP), url
    assert client.get("/learning/").status_code == 200
    # The admins' sign-in pages still hand over to the academy's sign-in.
    assert client.get("/admin/login/")["Location"].startswith("/accounts/login/")

    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_someone_no_longer_staff_is_no_longer_asked(client, rule_on):
    user = staff_member("facilitator")
    client.force_login(user)
    assert client.get("/facilitate/")["Location"].startswith(SETUP)

    user.groups.remove(Group.objects.get(name=roles.FACILITATORS))

    assert client.get("/facilitate/").status_code == 404


def test_with_the_rule_off_staff_without_a_second_factor_get_through(client):
    client.force_login(staff_member("facilitator"))
    assert client.get("/facilitate/").status_code == 200
    client.force_login(staff_member("editor"))
    assert client.get("/admin/").status_code == 200
    client.force_login(staff_member("superuser"))
    assert client.get("/django-admin/").status_code == 200


# --- Setting it up through allauth's form, then getting through -------------------------------


def test_a_facilitator_sets_up_an_authenticator_app_and_reaches_the_page_they_asked_for(
    client, rule_on
):
    user = staff_member("facilitator")
    sign_in(client, user, next_url="/facilitate/programme/")
    setup = confirm_password(client, client.get("/facilitate/programme/", follow=True))
    assert setup.redirect_chain[-1][0] == f"{SETUP}?next=%2Ffacilitate%2Fprogramme%2F"

    # The key shown on the page, as a person would type it into their app.
    secret = re.search(r'id="authenticator-secret">([A-Z2-7]+)<', setup.content.decode()).group(1)
    wrong = client.post(SETUP, {"code": "000000"})
    assert "Incorrect code" in text(wrong)
    assert client.get("/facilitate/")["Location"].startswith(SETUP)

    activated = client.post(SETUP, {"code": current_code(secret)}, follow=True)

    assert activated.redirect_chain == [("/accounts/2fa/recovery-codes/", 302)]
    assert "Recovery codes" in text(activated)
    assert continue_link(activated) == "/facilitate/programme/"
    assert client.get("/facilitate/").status_code == 200
    assert client.get("/facilitate/programme/").status_code == 404  # for programme managers
    # The way back is offered once.
    assert continue_link(client.get("/accounts/2fa/")) is None


def test_signing_in_with_an_authenticator_app_asks_for_the_code_before_staff_pages(client, rule_on):
    user = with_authenticator_app(staff_member("facilitator"))

    assert (
        sign_in(client, user, next_url="/facilitate/")["Location"] == "/accounts/2fa/authenticate/"
    )
    assert client.get("/facilitate/")["Location"].startswith("/accounts/login/")

    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(SECRET)})

    assert response["Location"] == "/facilitate/"
    assert client.get("/facilitate/").status_code == 200


def test_turning_off_the_only_authenticator_app_closes_the_staff_pages_again(client, rule_on):
    user = with_authenticator_app(staff_member("editor"))
    sign_in(client, user)
    client.post("/accounts/2fa/authenticate/", {"code": current_code(SECRET)})
    assert client.get("/admin/").status_code == 200

    page = confirm_password(client, client.get("/accounts/2fa/totp/deactivate/", follow=True))
    assert "you will need to set up two-factor authentication again" in text(page)
    assert client.post("/accounts/2fa/totp/deactivate/")["Location"] == "/accounts/2fa/"

    assert client.get("/admin/")["Location"] == f"{SETUP}?next=%2Fadmin%2F"


def test_the_way_back_is_only_ever_a_staff_page_on_this_site(client, rule_on):
    client.force_login(with_authenticator_app(staff_member("editor")))

    for next_url in ["https://evil.example/admin/", "//evil.example/admin/", "/profile/"]:
        client.get(f"/accounts/2fa/?next={quote(next_url, safe='')}")
        assert continue_link(client.get("/accounts/2fa/")) is None, next_url

    client.get("/accounts/2fa/?next=%2Fadmin%2Fpages%2F")
    assert continue_link(client.get("/accounts/2fa/")) == "/admin/pages/"


# --- Who counts as staff, and what the check costs ----------------------------------------------


def test_who_counts_as_staff(db):
    assert not roles.is_staff_member(UserFactory())
    for role in STAFF:
        assert roles.is_staff_member(staff_member(role)), role
    # A group made later in the Wagtail admin grants powers too.
    assert roles.is_staff_member(UserFactory(groups=[Group.objects.create(name="Reviewers").name]))


def queries_for(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [query["sql"] for query in queries]


def test_the_check_costs_one_query_and_only_for_staff_on_staff_pages(client, rule_on):
    def authenticator_queries(url):
        return sum("mfa_authenticator" in sql for sql in queries_for(client, url))

    client.force_login(with_authenticator_app(staff_member("facilitator")))
    assert authenticator_queries("/facilitate/") == 1
    assert authenticator_queries("/learning/") == 0

    client.force_login(UserFactory())
    assert authenticator_queries("/facilitate/") == 0
    assert authenticator_queries("/learning/") == 0


# --- Settings -------------------------------------------------------------------------------


def rule_in(settings_module: str, **env) -> str:
    """The rule and its middleware as a fresh process with these settings sees them."""
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ACADEMY_STAFF_MFA_REQUIRED,"
        " 'academy.mfa.StaffMFAMiddleware' in settings.MIDDLEWARE)",
        settings=settings_module,
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="academy.example",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_settings_turn_the_rule_on():
    assert rule_in("production") == "True True"
    assert rule_in("production", ACADEMY_STAFF_MFA_REQUIRED="false") == "False True"


def test_the_demo_leaves_it_off_unless_asked():
    assert rule_in("dev") == "False True"
    assert rule_in("dev", ACADEMY_STAFF_MFA_REQUIRED="true") == "True True"
    assert rule_in("test", ACADEMY_STAFF_MFA_REQUIRED="true") == "False True"
