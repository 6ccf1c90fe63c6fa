"""allauth's forms that the academy serves (sign-up, sign-in, password reset and change, email
verification, the second factor): the access matrix allow-lists their routes (``routes.py``),
so they are listed here, each with the page that shows its form, the roles that may post it,
the tables an accepted post may write, and what has to be true of a session before the form
can be shown (a password reset link followed, a password given before the second factor, a
password confirmed before an authenticator is added). ``test_fuzz_accounts.py`` fuzzes each.

``fill`` is what a careful person would type where the page leaves a box empty (a real email
address, the right password, the code the authenticator app shows), so that the fuzz's
ordinary case is a post that is accepted, and its edge cases change it from there."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, format_hotp_value, hotp_value

from ..factories import PASSWORD
from .world import World

SECRET = "JBSWY3DPEHPK3PXP"  # the authenticator app of the person who signs in with a code
SIGNED_IN = ("learner_in_cohort", "facilitator_of_cohort", "superuser")
EVERYONE = ("anonymous", *SIGNED_IN)

SIGNING_IN = frozenset({"django_session", "academy_user"})  # a session, and the last sign-in


def current_code(secret: str) -> str:
    """The code an authenticator app shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


@dataclass(frozen=True)
class AccountForm:
    name: str
    page: Callable[[World], str]  # shows the form
    roles: tuple[str, ...]  # who may post it: the page shows them the form
    writes: frozenset[str]  # the tables an accepted post may change
    fill: Callable[[World, str], dict] = lambda world, role: {}
    # Run before the fuzz for each role: a session key to use instead of the role's own (None
    # keeps it), with whatever state the form needs already in it.
    prepare: Callable[[World, str], str | None] = lambda world, role: None
    # Where the form posts, when the page writes it afresh each time it is shown (a signed
    # email verification key carries the time it was made): the start of its action.
    action_starts: str | None = None
    # Sends people to sign in once it has done its work (a verified address, anonymously).
    then_sign_in: bool = False


def _email(world, role) -> str:
    return world.users[role if role != "anonymous" else "learner_in_cohort"].email


def _reauthenticated(world, role) -> str | None:
    """The role's session, with a password confirmed a moment ago (allauth asks for it again
    before a second factor is added or removed)."""
    user = world.users[role]
    session = SessionStore(session_key=world.sessions[role])
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "reauthenticated": True, "email": user.email}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return None


def _password_given(world, role) -> str:
    """An anonymous session that has given the right password of someone with an authenticator
    app, and is asked for the code."""
    user = world.users["facilitator_of_other_cohort"]
    if not user.authenticator_set.exists():
        TOTP.activate(user, SECRET)
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate"), response
    return client.session.session_key


def _reset_link_followed(world, role) -> str:
    """An anonymous session that has followed a password reset link (allauth keeps the key in
    the session and shows the form at a URL without it)."""
    user = world.users["learner_in_other_cohort"]
    key = default_token_generator.make_token(user)
    client = Client()
    client.get(_reset_url(world, key))
    return client.session.session_key


def _reset_url(world, key="set-password") -> str:
    user = world.users["learner_in_other_cohort"]
    return reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )


def _unverified_address(world) -> EmailAddress:
    user = world.users["learner_in_other_cohort"]
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email="second.address@example.org", defaults={"verified": False}
    )
    return address


def _confirm_url(world) -> str:
    key = EmailConfirmationHMAC(_unverified_address(world)).key
    return reverse("account_confirm_email", kwargs={"key": key})


def _setting_up_an_app(world, role) -> None:
    """Password confirmed, and the secret the set-up page shows (as a QR code) chosen."""
    _reauthenticated(world, role)
    session = SessionStore(session_key=world.sessions[role])
    session[SECRET_SESSION_KEY] = SECRET
    session.save()


ACCOUNT_FORMS = [
    AccountForm(
        "sign in",
        lambda w: reverse("account_login"),
        EVERYONE,
        SIGNING_IN,
        fill=lambda w, role: {"login": _email(w, role), "password": PASSWORD},
    ),
    AccountForm(
        "sign up",
        lambda w: reverse("account_signup"),
        EVERYONE,
        frozenset(
            {"academy_user", "account_emailaddress", "django_session", "academy_organisation"}
        ),
    ),
    AccountForm(
        "ask for a password reset link",
        lambda w: reverse("account_reset_password"),
        EVERYONE,
        frozenset(),
        fill=lambda w, role: {"email": _email(w, role)},
    ),
    AccountForm(
        "choose a new password from a reset link",
        _reset_url,
        ("anonymous",),
        frozenset({"academy_user", "django_session", "account_emailaddress"}),
        prepare=lambda w, role: _reset_link_followed(w, role),
    ),
    AccountForm(
        "change your password",
        lambda w: reverse("account_change_password"),
        SIGNED_IN,
        frozenset({"academy_user", "django_session"}),
        fill=lambda w, role: {"oldpassword": PASSWORD},
    ),
    AccountForm(
        "your email addresses (add, resend the verification, make primary, remove)",
        lambda w: reverse("account_email"),
        SIGNED_IN,
        frozenset({"account_emailaddress", "academy_user", "django_session"}),
    ),
    AccountForm(
        "verify an email address",
        _confirm_url,
        ("anonymous", "learner_in_other_cohort"),
        frozenset({"account_emailaddress", "academy_user", "django_session"}),
        action_starts="/accounts/confirm-email/",
        then_sign_in=True,
    ),
    AccountForm(
        "confirm your password",
        lambda w: reverse("account_reauthenticate"),
        SIGNED_IN,
        frozenset({"django_session"}),
        fill=lambda w, role: {"password": PASSWORD},
    ),
    AccountForm(
        "the code from your authenticator app, at sign-in",
        lambda w: reverse("mfa_authenticate"),
        ("anonymous",),
        SIGNING_IN | {"mfa_authenticator"},
        fill=lambda w, role: {"code": current_code(SECRET)},
        prepare=_password_given,
    ),
    AccountForm(
        "set up an authenticator app",
        lambda w: reverse("mfa_activate_totp"),
        SIGNED_IN,
        frozenset({"mfa_authenticator", "django_session"}),
        fill=lambda w, role: {"code": current_code(SECRET)},
        prepare=_setting_up_an_app,
    ),
    AccountForm(
        "sign out",
        lambda w: reverse("account_logout"),
        SIGNED_IN,
        frozenset({"django_session"}),
    ),
]
