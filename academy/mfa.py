"""Staff must use two-factor authentication (docs/decisions.md, "Staff sign in with two
factors").

With ``ACADEMY_STAFF_MFA_REQUIRED`` on (production), a signed-in member of staff
(``roles.is_staff_member``) who has neither an authenticator app nor a security key reaches
nothing but:

* **the two-factor pages and what allauth needs around them** (``is_open_path``): everything
  under ``/accounts/2fa/`` (setting up an app or a key, the recovery codes shown after set-up),
  allauth's "Enter your password" (asked before a second factor is added) and sign-out, the
  academy's and both admins'. These answer as the person, who is signed in;
* **the public pages**: every other request is answered *as if an anonymous visitor had made
  it*, so the person gets what a visitor gets and nothing more. Where a visitor would be sent
  to sign in, the person is sent to set up a second factor instead, with ``next`` pointing where
  signing in would have led (for a GET, the page asked for). Nothing here says which pages are
  public: the views decide, with the one set of access rules they apply to everyone. Deny by
  default: a staff page added later is closed because a visitor cannot open it.

A form posted on the way (a POST) is not saved: the person is told so on the set-up page, and
``next`` is the page the form was on (the ``Referer``, when it is on this site). Recovery codes
alone do not count: they come with a second factor and only stand in for it. Learners are never
asked and get the answers they got before; so does everyone when the rule is off.

The set-up page is allauth's (``/accounts/2fa/totp/activate/?next=…``); its ``next`` is kept
in the session so that the pages allauth shows after set-up (the recovery codes) can offer to
continue there.

Cost, with the rule on: for a signed-in person, the query for their groups (which the service
navigation reads on every page anyway, so it is shared, not added); for staff, one more for their
authenticators. Nothing for visitors."""

from functools import cache
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from allauth.mfa.models import Authenticator

from .roles import is_staff_member

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
NEXT_SESSION_KEY = "academy_staff_mfa_next"
SETUP_URL_NAME = "mfa_activate_totp"
# Set on the request of a member of staff who must set up a second factor: the service
# navigation then offers the set-up and sign-out rather than what a visitor is offered.
PENDING = "academy_staff_mfa_pending"
# Open as the person themselves: the two-factor pages, allauth's password check, sign-out.
OPEN_URL_NAMES = frozenset(
    {"account_reauthenticate", "account_logout", "wagtailadmin_logout", "admin:logout"}
)
# The answers that mean "sign in first": allauth's sign-in, and the admins' and Wagtail's
# sign-in pages, which hand over to it.
SIGN_IN_URL_NAMES = frozenset(
    {
        "account_login",
        "wagtailadmin_login_redirect",
        "djangoadmin_login_redirect",
        "wagtailcore_login_redirect",
    }
)
NOT_SAVED = (
    "What you sent has not been saved. Set up two-factor authentication, then go back and send "
    "it again."
)


def required() -> bool:
    return settings.ACADEMY_STAFF_MFA_REQUIRED


@cache
def _open_paths() -> tuple[str, frozenset[str]]:
    """The two-factor pages' prefix, and the other open paths, from their URL names."""
    return reverse("mfa_index"), frozenset(reverse(name) for name in OPEN_URL_NAMES)


def is_open_path(path: str) -> bool:
    """True for the pages a member of staff without a second factor opens as themselves."""
    prefix, paths = _open_paths()
    return path.startswith(prefix) or path in paths


def has_second_factor(user) -> bool:
    """An authenticator app or a security key (recovery codes alone are not one)."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def must_set_up(user) -> bool:
    """True when the person gets only the set-up, sign-out and public pages until they add a
    second factor."""
    return required() and is_staff_member(user) and not has_second_factor(user)


def way_back(request: HttpRequest, url: str | None) -> str:
    """``url`` when it is a page on this site that the set-up can lead back to, else ""
    (``next`` is never sent anywhere else, nor back into the two-factor pages)."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    if not parts.path.startswith("/") or is_open_path(parts.path):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def setup_url(next_url: str) -> str:
    url = reverse(SETUP_URL_NAME)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def notice(request: HttpRequest) -> dict:
    """What the two-factor pages tell a member of staff: ``required`` (the rule applies to
    them), ``must_set_up`` (they have no second factor yet) and ``next`` (the page they were on
    their way to)."""
    user = request.user
    applies = required() and is_staff_member(user)
    return {
        "required": applies,
        "must_set_up": applies and not has_second_factor(user),
        "next": request.session.get(NEXT_SESSION_KEY, "") if applies else "",
    }


def sign_in_next(response) -> str | None:
    """When ``response`` sends the visitor to sign in, the ``next`` it gives ("" for none);
    otherwise None."""
    if response.status_code not in {301, 302, 303, 307, 308}:
        return None
    location = urlsplit(response.get("Location", ""))
    if location.netloc:
        return None
    try:
        match = resolve(location.path)
    except Resolver404:
        return None
    if match.view_name not in SIGN_IN_URL_NAMES:
        return None
    return parse_qs(location.query).get("next", [""])[0]


class StaffMFAMiddleware:
    """Lets staff without a second factor reach only the set-up, sign-out and public pages.
    Registered after the authentication and allauth middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if (
            not required()
            # No session cookie, nobody signed in: the session is not even read.
            or settings.SESSION_COOKIE_NAME not in request.COOKIES
            or not request.user.is_authenticated
        ):
            return self.get_response(request)
        if is_open_path(request.path_info):
            if must_set_up(request.user):
                setattr(request, PENDING, True)
            self._keep_way_back(request)
            return self.get_response(request)
        if not must_set_up(request.user):
            if NEXT_SESSION_KEY in request.session:
                del request.session[NEXT_SESSION_KEY]  # back where they were going
            return self.get_response(request)
        return self._as_a_visitor(request)

    def _as_a_visitor(self, request: HttpRequest):
        """The answer a visitor gets; where that is "sign in first", the set-up instead."""
        person, auser = request.user, getattr(request, "auser", None)
        setattr(request, PENDING, True)
        request.user = AnonymousUser()
        request.auser = _anonymous
        try:
            response = self.get_response(request)
        finally:
            request.user, request.auser = person, auser
        next_url = sign_in_next(response)
        if next_url is None:
            return response
        if request.method in {"GET", "HEAD"}:
            next_url = way_back(request, next_url)
        else:
            # Its data cannot be replayed: back to the page the form was on.
            messages.warning(request, NOT_SAVED)
            next_url = way_back(request, request.headers.get("Referer"))
        return HttpResponseRedirect(setup_url(next_url))

    @staticmethod
    def _keep_way_back(request: HttpRequest) -> None:
        """The ``next`` given to a two-factor page, kept for the page shown after set-up."""
        if not request.path_info.startswith(_open_paths()[0]):
            return
        next_url = way_back(request, request.GET.get("next"))
        if next_url and request.session.get(NEXT_SESSION_KEY) != next_url:
            request.session[NEXT_SESSION_KEY] = next_url


async def _anonymous():
    return AnonymousUser()
