"""Staff must use two-factor authentication (docs/decisions.md, "Staff sign in with two
factors").

With ``ACADEMY_STAFF_MFA_REQUIRED`` on (production), a signed-in member of staff
(``roles.is_staff_member``) who has neither an authenticator app nor a security key is sent to
set one up before any page under ``STAFF_PREFIXES`` answers, GET or POST. Recovery codes alone
do not count: they come with a second factor and only stand in for it. Learners are never
asked, and everyone else gets the answer they got before (a learner opening /facilitate/ still
gets 404). The sign-in, sign-out and two-factor pages, and the rest of the site, stay open.

The set-up page is allauth's (``/accounts/2fa/totp/activate/?next=…``); its ``next``, when it
is a staff page, is kept in the session so that the pages allauth shows after set-up (the
recovery codes) can offer to continue there.

Cost: nothing for anyone off the staff pages; on them, one query for the person's groups (which
the role checks in the views then reuse) and, for staff, one for their authenticators."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from allauth.mfa.models import Authenticator

from .roles import is_staff_member

STAFF_PREFIXES = ("/admin/", "/django-admin/", "/facilitate/")
# Signing in and out of the admins is never held back (both sign-ins hand over to allauth's).
OPEN_PATHS = frozenset(
    {"/admin/login/", "/admin/logout/", "/django-admin/login/", "/django-admin/logout/"}
)
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
NEXT_SESSION_KEY = "academy_staff_mfa_next"
SETUP_URL_NAME = "mfa_activate_totp"
TWO_FACTOR_PREFIX = "/accounts/2fa/"


def required() -> bool:
    return settings.ACADEMY_STAFF_MFA_REQUIRED


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PREFIXES) and path not in OPEN_PATHS


def has_second_factor(user) -> bool:
    """An authenticator app or a security key (recovery codes alone are not one)."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def must_set_up(user) -> bool:
    """True when the person may not open a staff page until they add a second factor."""
    return required() and is_staff_member(user) and not has_second_factor(user)


def staff_next(request: HttpRequest, url: str | None) -> str:
    """``url`` when it is a staff page on this site, else "" (``next`` is never sent anywhere
    else)."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not is_staff_path(parts.path):
        return ""
    return url


def setup_url(next_url: str) -> str:
    return f"{reverse(SETUP_URL_NAME)}?{urlencode({'next': next_url})}"


def notice(request: HttpRequest) -> dict:
    """What the two-factor pages tell a member of staff: ``required`` (the rule applies to
    them), ``must_set_up`` (they have no second factor yet) and ``next`` (the staff page they
    were on their way to)."""
    user = request.user
    applies = required() and is_staff_member(user)
    return {
        "required": applies,
        "must_set_up": applies and not has_second_factor(user),
        "next": request.session.get(NEXT_SESSION_KEY, "") if applies else "",
    }


class StaffMFAMiddleware:
    """Holds staff without a second factor at the door of the staff pages. Registered after
    the authentication and allauth middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if required():
            path = request.path_info
            if is_staff_path(path):
                if must_set_up(request.user):
                    return HttpResponseRedirect(setup_url(self._way_back(request)))
                if request.user.is_authenticated and NEXT_SESSION_KEY in request.session:
                    del request.session[NEXT_SESSION_KEY]  # back where they were going
            elif path.startswith(TWO_FACTOR_PREFIX) and request.user.is_authenticated:
                next_url = staff_next(request, request.GET.get("next"))
                if next_url and request.session.get(NEXT_SESSION_KEY) != next_url:
                    request.session[NEXT_SESSION_KEY] = next_url
        return self.get_response(request)

    @staticmethod
    def _way_back(request: HttpRequest) -> str:
        """Where to go once a second factor is set up: the page asked for, or, for a form that
        was posted (its data cannot be replayed), the start of that part of the site."""
        if request.method in {"GET", "HEAD"}:
            return request.get_full_path()
        return next(prefix for prefix in STAFF_PREFIXES if request.path_info.startswith(prefix))
