"""Signing up, signing in and managing an account (django-allauth in GOV.UK Frontend markup).

What a person notices: the GOV.UK error summary with a specific message that links to the field,
no account made from bad input, a confirmation email before they can sign in, a refusal after
too many failed sign-ins, and every account page in the academy's GOV.UK layout (none of
allauth's plain default pages).
"""

import itertools
import re
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()

STRONG_PASSWORD = "a-long-unusual-passphrase-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
# A security key registered through Chromium's virtual authenticator (WebAuthn "none"
# attestation, RP localhost): what allauth stores after a real "Add a security key".
WEBAUTHN_CREDENTIAL = {
    "type": "public-key",
    "id": "J9FQFkO7a8XQZWLuensscUxkGilUFoZrfsanKPedD40",
    "rawId": "J9FQFkO7a8XQZWLuensscUxkGilUFoZrfsanKPedD40",
    "authenticatorAttachment": "cross-platform",
    "response": {
        "clientDataJSON": (
            "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiTlFqc3dQajZtY0ZVMmF4YUZQMXFP"
            "OVJ5WXZpcUUtZVJvRF90Tm5zREg1YyIsIm9yaWdpbiI6Imh0dHA6Ly9sb2NhbGhvc3Q6ODY0MiIsImNy"
            "b3NzT3JpZ2luIjpmYWxzZX0"
        ),
        "attestationObject": (
            "o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVikSZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMd"
            "l2NFAAAAAQAAAAAAAAAAAAAAAAAAAAAAICfRUBZDu2vF0GVi7np7LHFMZBopVBaGa37Gpyj3nQ-NpQEC"
            "AyYgASFYIPm8A9tSmk0q0W0MOZ2ai7Wh0dbms69k-MAfJEQmcCxvIlggUUQOjSi0sWafBKz-A4GeJkuS"
            "J4C5Zl1yJcpp744659w"
        ),
        "transports": ["usb"],
    },
    "clientExtensionResults": {"credProps": {}},
}


# --- Reading pages the way a person (and a screen reader) would -------------------------------


class PageParser(HTMLParser):
    """Collects what the checks below need: tags with their attributes, and the page title."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self._in_title = False
        self._in_main = 0
        self.title = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self._in_main += 1
        self.tags.append((tag, attrs, self._in_main > 0))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(response) -> PageParser:
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def text(response) -> str:
    """The page's text with tags removed and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def error_summary(response) -> list[tuple[str, str]]:
    """(link target, message) for each entry in the GOV.UK error summary."""
    html = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, flags=re.S)
    assert match, "no GOV.UK error summary on the page"
    return [
        (href, " ".join(message.split()))
        for href, message in re.findall(r'<a href="([^"]*)">(.*?)</a>', match.group(0), re.S)
    ]


GOVUK_ELEMENTS = {"p", "h1", "h2", "h3", "a", "button", "table", "label", "textarea", "select"}


def assert_govuk_page(response):
    """The page is in the academy's GOV.UK layout and none of it is allauth's default markup."""
    assert response.status_code == 200
    html = response.content.decode()
    page = parse(response)
    assert page.title.strip().endswith("Collaborative Leadership Academy")
    assert 'class="govuk-main-wrapper"' in html
    # allauth's default layout and elements: a "Menu:" list, bare headings, paragraphs, buttons.
    assert "Menu:" not in html
    assert "Messages:" not in html
    for tag, attrs, _ in page.tags:
        if tag in GOVUK_ELEMENTS or (tag == "input" and attrs.get("type") != "hidden"):
            classes = attrs.get("class") or ""
            assert "govuk-" in classes or "academy-" in classes, f"<{tag} {attrs}> is unstyled"
    # One h1, in the main content.
    h1s = [in_main for tag, _, in_main in page.tags if tag == "h1"]
    assert h1s == [True]
    # Every visible input has a label.
    label_for = {attrs.get("for") for tag, attrs, _ in page.tags if tag == "label"}
    for tag, attrs, _ in page.tags:
        if tag in {"input", "textarea", "select"} and attrs.get("type") not in {
            "hidden",
            "submit",
        }:
            assert attrs.get("id") in label_for, f"<{tag} {attrs}> has no label"
    # Nothing the content security policy (script-src/style-src 'self') would block.
    for tag, attrs, _ in page.tags:
        assert "style" not in attrs, f"<{tag}> has an inline style"
        if tag == "script":
            assert attrs.get("src") or attrs.get("type") == "application/json", "inline script"
    # Headings in order: no level skipped.
    levels = [
        int(tag[1]) for tag, _, in_main in page.tags if in_main and re.fullmatch("h[1-6]", tag)
    ]
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading levels jump: {levels}"


# --- People --------------------------------------------------------------------------------


def sign_up(client, **overrides):
    data = {
        "display_name": "Priya Shah",
        "email": "priya.shah@example.org",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def sign_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in_user(client):
    return client.session.get("_auth_user_id")


def reauthenticate(client, user):
    """Sign in and confirm the password again, as the pages that change sign-in details ask."""
    client.force_login(user)
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    return client


def with_authenticator_app(user):
    TOTP.activate(user, TOTP_SECRET)
    RecoveryCodes.activate(user)
    return user


def with_security_key(user):
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Work laptop", "credential": WEBAUTHN_CREDENTIAL},
    )


# --- Creating an account with bad input ----------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param(
            {"email": "taken@example.org"},
            "email",
            "An account already exists with this email address",
            id="address-in-use",
        ),
        pytest.param(
            {"password1": "password", "password2": "password"},
            "password1",
            "This password is too common",
            id="weak-password",
        ),
        pytest.param(
            {"password2": STRONG_PASSWORD + "-typo"},
            "password2",
            "You must type the same password each time",
            id="mismatched-passwords",
        ),
        pytest.param(
            {"email": "priya.shah at example.org"},
            "email",
            "Enter a valid email address",
            id="invalid-email",
        ),
        pytest.param(
            {"display_name": "P" * 151},
            "display_name",
            "Your name must be 150 characters or fewer",
            id="name-too-long",
        ),
        pytest.param(
            {"display_name": ""},
            "display_name",
            "Enter your name",
            id="no-name",
        ),
        pytest.param(
            {"display_name": "Priya\x00Shah"},
            "display_name",
            "Your name must not include control characters",
            id="nul-in-name",
        ),
        pytest.param(
            {"display_name": "\u200b"},
            "display_name",
            "Your name must include at least one letter or number",
            id="invisible-name",
        ),
    ],
)
def test_sign_up_with_bad_input_explains_the_problem_and_makes_no_account(
    client, overrides, field, message
):
    UserFactory(email="taken@example.org")
    users, addresses = User.objects.count(), EmailAddress.objects.count()

    response = sign_up(client, **overrides)

    # Refused input: the form again, with its errors, answering 400.
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    summary = error_summary(response)
    assert any(href == f"#id_{field}" and message in entry for href, entry in summary), summary
    # The message is also shown next to the field, and the title says there is an error.
    assert f'id="id_{field}-error"' in response.content.decode()
    assert parse(response).title.startswith("Error: ")
    assert User.objects.count() == users
    assert EmailAddress.objects.count() == addresses
    assert mail.outbox == []


def test_sign_up_form_shows_no_second_error_summary(client):
    response = sign_up(client, email="not-an-email")
    assert response.content.decode().count('class="govuk-error-summary"') == 1


# --- Creating an account and confirming the email address ---------------------------------


def test_sign_up_sends_one_confirmation_email_and_needs_it_before_sign_in(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="priya.shah@example.org")
    assert user.display_name == "Priya Shah"
    address = EmailAddress.objects.get(user=user)
    assert address.email == "priya.shah@example.org"
    assert not address.verified
    assert not signed_in_user(client)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["priya.shah@example.org"]
    assert email.subject.startswith("[Collaborative Leadership Academy]")
    link = re.search(r"https?://testserver(/accounts/confirm-email/[^/\s]+/)", email.body).group(1)

    check_page = client.get(response["Location"])
    assert "Check your email" in text(check_page)

    # Signing in before confirming does not sign in: it asks them to check their email.
    other = client.__class__()
    refused = sign_in(other, "priya.shah@example.org", STRONG_PASSWORD)
    assert refused.status_code == 302
    assert refused["Location"] == "/accounts/confirm-email/"
    assert not signed_in_user(other)

    # Opening the link only shows a page with a button (links in email are often pre-fetched)...
    confirm_page = other.get(link)
    assert confirm_page.status_code == 200
    assert "Confirm that priya.shah@example.org is your email address" in text(confirm_page)
    address.refresh_from_db()
    assert not address.verified

    # ...pressing it confirms the address, and then signing in works.
    confirmed = other.post(link)
    assert confirmed.status_code == 302
    address.refresh_from_db()
    assert address.verified
    fresh = client.__class__()
    signed_in = sign_in(fresh, "priya.shah@example.org", STRONG_PASSWORD)
    assert signed_in.status_code == 302
    assert signed_in_user(fresh) == str(user.pk)


def test_an_old_or_made_up_confirmation_link_says_so(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert "This link has expired or is not valid" in text(response)


# --- Resetting a password ------------------------------------------------------------------


def test_password_reset_sends_an_email_with_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="sam.jones@example.org")

    response = client.post("/accounts/password/reset/", {"email": "Sam.Jones@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam.jones@example.org"]
    link = re.search(
        r"https?://testserver(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body
    ).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in text(form_page)
    changed = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG_PASSWORD)


def test_password_reset_for_an_unknown_address_says_so(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 400
    assert error_summary(response)[0][0] == "#id_email"
    assert mail.outbox == []


# --- Too many failed sign-ins ----------------------------------------------------------------


def test_the_eleventh_failed_sign_in_within_five_minutes_is_refused_even_with_the_password(
    client,
):
    user = UserFactory(email="lee.patel@example.org")
    for _attempt in range(10):
        response = sign_in(client, "lee.patel@example.org", "not-my-password")
        assert response.status_code == 400
        assert "The email address and password do not match an account" in text(response)

    response = sign_in(client, "lee.patel@example.org", PASSWORD)

    assert response.status_code == 400
    assert "Too many failed attempts to sign in" in text(response)
    assert "There is a problem" in text(response)
    assert not signed_in_user(client)

    # The limit is for that account: someone else can still sign in from the same place.
    other = UserFactory()
    assert sign_in(client, other.email).status_code == 302
    assert signed_in_user(client) == str(other.pk)
    assert user.pk != other.pk


def test_a_successful_sign_in_does_not_use_up_the_failed_attempts(client):
    UserFactory(email="kim.obi@example.org")
    for _attempt in range(9):
        sign_in(client, "kim.obi@example.org", "not-my-password")
    for _attempt in range(3):
        response = sign_in(client.__class__(), "kim.obi@example.org")
        assert response.status_code == 302


# --- The admin sign-in pages hand over to the academy's sign-in ------------------------------


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_sign_in_pages_redirect_to_the_academy_sign_in(client, path, method):
    staff = UserFactory(is_staff=True, is_superuser=True)
    response = getattr(client, method)(path, {"username": staff.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not signed_in_user(client)


@pytest.mark.parametrize("path", ["/admin/", "/django-admin/"])
def test_an_anonymous_visit_to_the_admin_ends_at_the_academy_sign_in(client, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "Sign in" in parse(response).title


def test_a_non_staff_visit_to_the_wagtail_admin_ends_at_the_academy_sign_in(client):
    client.force_login(UserFactory())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "You are already signed in as" in text(response)


# --- Every account page is in the GOV.UK layout ----------------------------------------------


def anonymous(client):
    return client


def signed_in(client):
    client.force_login(UserFactory())
    return client


def without_password(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    return client


def reauthenticated(client):
    return reauthenticate(client, UserFactory())


def reauthenticated_with_app(client):
    return reauthenticate(client, with_authenticator_app(UserFactory()))


def reauthenticated_with_key(client):
    user = UserFactory()
    with_security_key(user)
    RecoveryCodes.activate(user)
    return reauthenticate(client, user)


def signed_in_with_app(client):
    client.force_login(with_authenticator_app(UserFactory()))
    return client


def half_signed_in_with_app(client):
    """Password accepted, second factor still to come."""
    user = with_authenticator_app(UserFactory())
    response = sign_in(client, user.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    return client


def half_signed_in_with_key(client):
    user = with_authenticator_app(UserFactory())
    with_security_key(user)
    assert sign_in(client, user.email)["Location"] == "/accounts/2fa/authenticate/"
    return client


def with_pending_email_change(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email="new.address@example.org", verified=False)
    client.force_login(user)
    return client


def key_url(action):
    def url(client):
        key = Authenticator.objects.get(type=Authenticator.Type.WEBAUTHN)
        return f"/accounts/2fa/webauthn/keys/{key.pk}/{action}/"

    return url


def confirmation_url(client):
    user = UserFactory(verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    return f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/"


def reset_url(client):
    user = UserFactory()
    key = default_token_generator.make_token(user)
    return f"/accounts/password/reset/key/{user_pk_to_url_str(user)}-{key}/"


PAGES = [
    # (name, who, path, heading)
    ("login", anonymous, "/accounts/login/", "Sign in"),
    ("signup", anonymous, "/accounts/signup/", "Create an account"),
    ("password_reset", anonymous, "/accounts/password/reset/", "Reset your password"),
    ("password_reset_done", anonymous, "/accounts/password/reset/done/", "Check your email"),
    ("password_reset_from_key", anonymous, reset_url, "Choose a new password"),
    (
        "password_reset_from_key (bad link)",
        anonymous,
        "/accounts/password/reset/key/1-bad/",
        "This link has expired or is not valid",
    ),
    (
        "password_reset_from_key_done",
        anonymous,
        "/accounts/password/reset/key/done/",
        "Your password has been changed",
    ),
    ("verification_sent", anonymous, "/accounts/confirm-email/", "Check your email"),
    ("email_confirm", anonymous, confirmation_url, "Confirm your email address"),
    (
        "email_confirm (bad link)",
        anonymous,
        "/accounts/confirm-email/bad/",
        "This link has expired or is not valid",
    ),
    ("account_inactive", anonymous, "/accounts/inactive/", "Your account is not active"),
    ("logout", signed_in, "/accounts/logout/", "Are you sure you want to sign out?"),
    ("email_change", signed_in, "/accounts/email/", "Your email address"),
    ("email_change (pending)", with_pending_email_change, "/accounts/email/", "Your email address"),
    ("password_change", signed_in, "/accounts/password/change/", "Change your password"),
    ("password_set", without_password, "/accounts/password/set/", "Set a password"),
    ("reauthenticate", signed_in, "/accounts/reauthenticate/", "Enter your password"),
    ("mfa index", signed_in, "/accounts/2fa/", "Two-factor authentication"),
    ("mfa index (on)", signed_in_with_app, "/accounts/2fa/", "Two-factor authentication"),
    (
        "totp activate",
        reauthenticated,
        "/accounts/2fa/totp/activate/",
        "Set up an authenticator app",
    ),
    (
        "totp deactivate",
        reauthenticated_with_app,
        "/accounts/2fa/totp/deactivate/",
        "Are you sure you want to turn off your authenticator app?",
    ),
    ("recovery codes", reauthenticated_with_app, "/accounts/2fa/recovery-codes/", "Recovery codes"),
    (
        "recovery codes generate",
        reauthenticated_with_app,
        "/accounts/2fa/recovery-codes/generate/",
        "Get new recovery codes",
    ),
    (
        "mfa authenticate",
        half_signed_in_with_app,
        "/accounts/2fa/authenticate/",
        "Enter your security code",
    ),
    (
        "mfa authenticate (security key)",
        half_signed_in_with_key,
        "/accounts/2fa/authenticate/",
        "Enter your security code",
    ),
    (
        "mfa reauthenticate",
        signed_in_with_app,
        "/accounts/2fa/reauthenticate/",
        "Enter your security code",
    ),
    ("webauthn list", reauthenticated_with_key, "/accounts/2fa/webauthn/", "Security keys"),
    ("webauthn add", reauthenticated, "/accounts/2fa/webauthn/add/", "Add a security key"),
    ("webauthn edit", reauthenticated_with_key, key_url("edit"), "Rename security key"),
    (
        "webauthn remove",
        reauthenticated_with_key,
        key_url("remove"),
        "Are you sure you want to remove this security key?",
    ),
    (
        "webauthn reauthenticate",
        reauthenticated_with_key,
        "/accounts/2fa/webauthn/reauthenticate/",
        "Use your security key",
    ),
]


@pytest.mark.parametrize(
    ("who", "path", "heading"), [page[1:] for page in PAGES], ids=[page[0] for page in PAGES]
)
def test_every_account_page_is_in_the_govuk_layout(client, who, path, heading):
    client = who(client)
    url = path(client) if callable(path) else path

    response = client.get(url, follow=True)

    assert response.redirect_chain == [] or "set-password" in response.redirect_chain[-1][0]
    assert_govuk_page(response)
    assert heading in text(response)
    title = parse(response).title
    assert not re.search(r"\b(Sign In|Sign Up|Sign Out|Email Addresses|Change Password)\b", title)


def set_password_url(client):
    """Where a password reset link lands: allauth moves the key out of the address first."""
    return client.get(reset_url(client), follow=True).redirect_chain[-1][0]


REFUSED_FORMS = [
    # (name, who, path, data)
    ("sign in", anonymous, "/accounts/login/", {"login": "a@example.org", "password": "wrong"}),
    ("sign up", anonymous, "/accounts/signup/", {"display_name": "Priya\x00Shah"}),
    ("password reset", anonymous, "/accounts/password/reset/", {"email": "nobody@example.org"}),
    (
        "new password from a reset link",
        anonymous,
        set_password_url,
        {"password1": STRONG_PASSWORD, "password2": "something-else-entirely"},
    ),
    (
        "change password",
        signed_in,
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    ),
    ("set password", without_password, "/accounts/password/set/", {"password1": "short"}),
    ("add email", signed_in, "/accounts/email/", {"action_add": "", "email": "not an email"}),
    ("reauthenticate", signed_in, "/accounts/reauthenticate/", {"password": "wrong"}),
    ("mfa authenticate", half_signed_in_with_app, "/accounts/2fa/authenticate/", {"code": "1"}),
    ("mfa reauthenticate", signed_in_with_app, "/accounts/2fa/reauthenticate/", {"code": "1"}),
    ("totp activate", reauthenticated, "/accounts/2fa/totp/activate/", {"code": "000000"}),
    ("security key rename", reauthenticated_with_key, key_url("edit"), {"name": ""}),
]


@pytest.mark.parametrize(
    ("who", "path", "data"),
    [form[1:] for form in REFUSED_FORMS],
    ids=[form[0] for form in REFUSED_FORMS],
)
def test_every_account_form_shown_again_with_errors_answers_400(client, who, path, data):
    client = who(client)
    url = path(client) if callable(path) else path
    users, authenticators = User.objects.count(), Authenticator.objects.count()
    passwords = dict(User.objects.values_list("pk", "password"))

    response = client.post(url, data)

    assert response.status_code == 400
    # Still the page with the form, its GOV.UK error summary and a way to try again.
    assert parse(response).title.startswith("Error: ")
    assert "There is a problem" in text(response)
    assert '<form method="post"' in response.content.decode()
    assert User.objects.count() == users
    assert Authenticator.objects.count() == authenticators
    assert dict(User.objects.values_list("pk", "password")) == passwords


def test_the_authenticator_app_page_shows_the_qr_code_with_alt_text_and_the_key(client):
    reauthenticate(client, UserFactory())
    response = client.get("/accounts/2fa/totp/activate/")
    html = response.content.decode()
    qr = re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
    assert qr and "QR code" in qr.group(1)
    secret = response.context["form"].secret
    assert f'<strong class="academy-secret" id="authenticator-secret">{secret}</strong>' in html


def test_the_security_key_button_only_shows_for_people_with_a_key(client):
    half_signed_in_with_app(client)
    assert "Use a security key" not in text(client.get("/accounts/2fa/authenticate/"))
    other = client.__class__()
    half_signed_in_with_key(other)
    assert "Use a security key" in text(other.get("/accounts/2fa/authenticate/"))


def test_the_second_factor_accepts_a_recovery_code(client):
    user = with_authenticator_app(UserFactory())
    sign_in(client, user.email)
    code = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()[0]

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 400
    assert parse(wrong).title.startswith("Error: ")
    assert error_summary(wrong)[0][0] == "#id_code"
    assert not signed_in_user(client)

    right = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert right.status_code == 302
    assert signed_in_user(client) == str(user.pk)


def test_signing_out_is_a_form_that_posts(client):
    signed_in(client)
    html = client.get("/accounts/logout/").content.decode()
    assert re.search(r'<form method="post" action="/accounts/logout/"', html)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not signed_in_user(client)


def test_verified_email_required_page_is_in_the_govuk_layout():
    request = RequestFactory().get("/learning/")
    request.user = UserFactory(verified=False)
    html = render_to_string("account/verified_email_required.html", request=request)
    assert '<h1 class="govuk-heading-l">Confirm your email address</h1>' in html
    assert 'class="govuk-grid-column-two-thirds"' in html
    assert "Menu:" not in html
