"""Staff must use two-factor authentication (academy/mfa.py).

What a person notices: with the rule on (production), an editor, moderator, facilitator,
programme manager or administrator who has no authenticator app or security key reaches only the
set-up, sign-out and the pages anyone can open without signing in; any other page, GET or POST,
sends them to set one up, with the reason; once they have set one up through the real form, they
get the page they asked for. Learners never see any of it, and every answer anyone else gets
stays as it was.
"""

import contextlib
import re
import time
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.db import connection
from django.http import HttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLResolver, get_resolver, path, reverse

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from academy import mfa, roles
from academy import urls as academy_urls
from cohorts.models import Announcement
from tests.services import run_manage

from ..cohorts.factories import (
    CohortFactory,
    EnrolmentFactory,
    course_with_lessons,
    facilitator,
    lessons_of,
)
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

# (method, URL, where set-up leads back to): each staff area, a page deeper in it, and a post
# (its data is not kept; with no page it was sent from, there is no way back to offer).
STAFF_REQUESTS = [
    ("get", "/admin/", "/admin/"),
    ("get", "/admin/pages/?ordering=title", "/admin/pages/?ordering=title"),
    ("post", "/admin/pages/add/", ""),
    ("get", "/django-admin/", "/django-admin/"),
    ("get", "/django-admin/academy/user/", "/django-admin/academy/user/"),
    ("post", "/django-admin/academy/user/add/", ""),
    ("get", "/facilitate/", "/facilitate/"),
    ("get", "/facilitate/programme/", "/facilitate/programme/"),
    ("post", "/facilitate/cohorts/1/sessions/new/", ""),
    ("get", "/learning/", "/learning/"),
    ("get", "/profile/", "/profile/"),
    ("post", "/profile/", ""),
    ("get", "/accounts/password/change/", "/accounts/password/change/"),
    # The admins' sign-in pages lead where signing in would have.
    ("get", "/admin/login/?next=/admin/pages/", "/admin/pages/"),
    ("get", "/django-admin/login/?next=/django-admin/", "/django-admin/"),
]

# What stays open: the pages anyone can open, and the way to a second factor and out.
OPEN_PAGES = [
    "/",
    "/courses/",
    "/search/?q=place",
    "/accounts/logout/",
    "/accounts/2fa/",
    "/accounts/2fa/webauthn/add/",
    "/accounts/reauthenticate/",
]


@pytest.fixture
def rule_on(settings):
    settings.ACADEMY_STAFF_MFA_REQUIRED = True
    return settings


def staff_member(role: str):
    return UserFactory(**STAFF[role])


def set_up_at(way_back: str) -> str:
    return f"{SETUP}?next={quote(way_back, safe='')}" if way_back else SETUP


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
        assert answer(response) == (302, set_up_at(way_back)), (method, url)


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
    assert "your learning, your profile, the Facilitate pages and the admins stay closed" in page
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


# --- Everywhere, not only under the staff areas ----------------------------------------------


@pytest.fixture
def facilitating():
    """A facilitator who runs a cohort now and another that has not started, a learner with a
    place on the running one, and a lesson of each course."""
    person = facilitator()
    running = course_with_lessons("Leading across boundaries", modules=1, lessons=1)
    unstarted = course_with_lessons("Systems leadership", modules=1, lessons=1)
    cohort = CohortFactory(course=running, facilitators=[person])
    CohortFactory(course=unstarted, upcoming=True, facilitators=[person])
    learner = UserFactory()
    EnrolmentFactory(cohort=cohort, user=learner)
    return {
        "facilitator": person,
        "learner": learner,
        "cohort": cohort,
        "course": running,
        "lesson": lessons_of(running)[0],
        "lesson_of_unstarted_course": lessons_of(unstarted)[0],
    }


def signed_in_pages(f) -> list[str]:
    """Pages only a signed-in person gets, staff areas or not."""
    cohort = f["cohort"].pk
    return [
        f"/cohorts/{cohort}/",
        f"/cohorts/{cohort}/calendar.ics",
        f"/facilitate/cohorts/{cohort}/",
        f["lesson"].url,
        f["lesson_of_unstarted_course"].url,
        "/learning/",
        "/profile/",
        "/profile/data/",
        "/profile/calendar/",
        "/accounts/email/",
        "/accounts/password/change/",
    ]


def public_pages(f) -> list[str]:
    return ["/", "/courses/", f["course"].url, "/search/?q=place", "/no-such-page/"]


def test_staff_without_a_second_factor_are_sent_to_set_up_from_every_signed_in_page(
    client, rule_on, facilitating
):
    pages = signed_in_pages(facilitating)
    client.force_login(facilitating["facilitator"])

    for url in pages:
        assert answer(client.get(url)) == (302, f"{SETUP}?next={quote(url, safe='')}"), url


def test_with_a_second_factor_the_facilitator_opens_those_pages(client, rule_on, facilitating):
    client.force_login(with_authenticator_app(facilitating["facilitator"]))

    for url in signed_in_pages(facilitating):
        assert client.get(url).status_code == 200, url


def test_staff_without_a_second_factor_get_the_public_pages_as_a_visitor_does(
    client, rule_on, facilitating
):
    visitor = {url: client.get(url) for url in public_pages(facilitating)}
    client.force_login(facilitating["facilitator"])

    for url, seen_by_visitor in visitor.items():
        response = client.get(url)
        assert response.status_code == seen_by_visitor.status_code, url
        if response.status_code == 200:
            page = text(response)
            # Still signed in, and shown the way on; never the staff or learner navigation.
            assert "Sign out" in page, url
            assert "Set up two-factor authentication" in page, url
            assert "Facilitate" not in page and "My learning" not in page, url


def test_a_form_posted_without_a_second_factor_is_not_saved_and_the_person_is_told(
    client, rule_on, facilitating
):
    cohort = facilitating["cohort"].pk
    form_page = f"/facilitate/cohorts/{cohort}/announcements/new/"
    client.force_login(facilitating["facilitator"])

    response = client.post(
        form_page,
        {"subject": "Session moved", "body": "Thursday, not Wednesday."},
        HTTP_REFERER=f"http://testserver{form_page}",
    )

    assert answer(response) == (302, f"{SETUP}?next={quote(form_page, safe='')}")
    assert not Announcement.objects.filter(subject="Session moved").exists()
    page = text(client.get(response["Location"], follow=True))
    assert "What you sent has not been saved" in page
    assert WHY in page


def new_staff_page(request):
    return HttpResponse("Only for staff")


# The academy's URLs with a page added later, which nobody lists anywhere for the rule.
urlpatterns = [
    path("reviews/queue/", login_required(new_staff_page)),
    *academy_urls.urlpatterns,
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_added_later_is_closed_without_being_listed(client, rule_on):
    client.force_login(staff_member("editor"))
    assert answer(client.get("/reviews/queue/")) == (302, f"{SETUP}?next=%2Freviews%2Fqueue%2F")

    client.force_login(with_authenticator_app(staff_member("editor")))
    assert client.get("/reviews/queue/").status_code == 200


def named_paths(resolver=None, namespace="") -> dict[str, str]:
    """Every named URL of the site that takes no arguments, by name."""
    resolver = resolver or get_resolver()
    found = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(named_paths(pattern, inner))
        elif pattern.name:
            with contextlib.suppress(NoReverseMatch):
                found[namespace + pattern.name] = reverse(namespace + pattern.name)
    return found


def test_only_the_two_factor_pages_the_password_check_and_sign_out_stay_open():
    open_names = {name for name, address in named_paths().items() if mfa.is_open_path(address)}

    two_factor = {name for name in open_names if name.startswith("mfa_")}
    assert {"mfa_index", "mfa_activate_totp", "mfa_view_recovery_codes"} <= two_factor
    assert open_names - two_factor == {
        "account_reauthenticate",
        "account_logout",
        "wagtailadmin_logout",
        "admin:logout",
    }


# --- Learners are never asked -------------------------------------------------------------------


def test_learners_get_the_same_answers_with_the_rule_on(client, settings):
    client.force_login(UserFactory())
    urls = [(m, url) for m, url, _ in STAFF_REQUESTS] + [("get", url) for url in OPEN_PAGES]
    before = {(m, url): answer(send(client, m, url)) for m, url in urls}

    settings.ACADEMY_STAFF_MFA_REQUIRED = True
    after = {(m, url): answer(send(client, m, url)) for m, url in urls}

    assert after == before
    assert after[("get", "/facilitate/")] == (404, "")
    assert after[("get", "/learning/")] == (200, "")
    assert not any(location.startswith("/accounts/2fa/") for _, location in after.values())
    assert WHY not in text(client.get(SETUP, follow=True))


def test_a_learners_pages_cost_no_more_with_the_rule_on(client, settings, facilitating):
    client.force_login(facilitating["learner"])
    pages = ["/learning/", facilitating["lesson"].url, f"/cohorts/{facilitating['cohort'].pk}/"]
    for url in pages:
        client.get(url)  # warm the caches a first request fills
    before = {url: len(queries_for(client, url)) for url in pages}

    settings.ACADEMY_STAFF_MFA_REQUIRED = True
    after = {url: len(queries_for(client, url)) for url in pages}

    assert after == before


def test_anonymous_visitors_get_the_same_answers_with_the_rule_on(client, settings):
    urls = [(m, url) for m, url, _ in STAFF_REQUESTS]
    before = {(m, url): answer(send(client, m, url)) for m, url in urls}
    settings.ACADEMY_STAFF_MFA_REQUIRED = True
    assert {(m, url): answer(send(client, m, url)) for m, url in urls} == before


def test_staff_without_a_second_factor_can_open_the_public_pages_and_sign_out(client, rule_on):
    visitor = {url: client.get(url).status_code for url in ["/", "/courses/", "/search/?q=x"]}
    client.force_login(staff_member("facilitator"))

    for url, status in visitor.items():
        assert client.get(url).status_code == status, url
    for url in ["/accounts/2fa/", "/accounts/2fa/webauthn/add/", "/accounts/reauthenticate/"]:
        # Open as the person: the page, or allauth asking for the password first.
        status, location = answer(client.get(url))
        assert status == 200 or location.startswith("/accounts/reauthenticate/"), url

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

    for next_url in ["https://evil.example/admin/", "//evil.example/admin/", "/accounts/2fa/"]:
        client.get(f"/accounts/2fa/?next={quote(next_url, safe='')}")
        assert continue_link(client.get("/accounts/2fa/")) is None, next_url

    client.get("/accounts/2fa/?next=%2Fadmin%2Fpages%2F")
    assert continue_link(client.get("/accounts/2fa/")) == "/admin/pages/"
    client.get("/accounts/2fa/?next=%2Fprofile%2F")
    assert continue_link(client.get("/accounts/2fa/")) == "/profile/"


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


def test_the_check_costs_one_query_for_staff_and_none_for_learners(client, rule_on):
    def authenticator_queries(url):
        return sum("mfa_authenticator" in sql for sql in queries_for(client, url))

    client.force_login(with_authenticator_app(staff_member("facilitator")))
    assert authenticator_queries("/facilitate/") == 1
    assert authenticator_queries("/learning/") == 1

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
        ACADEMY_CREDENTIAL_KEY="SNR8RgC28-QbxrNmwzPUPjukLnXahHXesO0quy7jyW8",  # the test settings'
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
