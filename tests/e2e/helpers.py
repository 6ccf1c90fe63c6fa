import re
from urllib.parse import urlsplit

EMAIL_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")
SIGN_IN_PATH = "/accounts/login/"


def sign_in(page, base_url: str, email: str, password: str) -> None:
    """Sign in through the sign-in form, and check that it worked: a test that goes on after
    a failed sign-in would be testing the sign-in page."""
    page.goto(f"{base_url}{SIGN_IN_PATH}")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert_signed_in(page, f"Signing in as {email}")


def assert_signed_in(page, doing: str = "This page") -> None:
    """The page is not the sign-in page, and its header offers to sign out."""
    problems = page.locator("main .govuk-error-summary, main .govuk-error-message")
    said = " ".join(problems.all_inner_texts()).strip()
    assert urlsplit(page.url).path != SIGN_IN_PATH, f"{doing} ended on the sign-in page: {said}"
    assert page.get_by_role("button", name="Sign out", include_hidden=True).count() == 1, (
        f"{doing}: the page ({page.url}) has no Sign out button: {said}"
    )


def open_signed_in(page, base_url: str, path: str):
    """Open ``path`` as the person signed in, and check that it is that page (not the sign-in
    page it would redirect to) and that they are still signed in."""
    response = page.goto(f"{base_url}{path}")
    requested = urlsplit(f"{base_url}{path}")
    shown = urlsplit(page.url)
    assert (shown.path, shown.query) == (requested.path, requested.query), (
        f"{path} was answered by {page.url}"
    )
    assert_signed_in(page, path)
    return response


def verification_link(message) -> str:
    match = EMAIL_LINK.search(message.body)
    assert match, f"No verification link in the email:\n{message.body}"
    return match.group(0)


def sign_out(page) -> None:
    """Sign out with the button in the header: a plain form post, so it works without
    JavaScript."""
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def visit(tab, path: str, base: str, status: int = 200) -> None:
    """Open ``base`` + ``path`` and check the answer's status."""
    response = tab.goto(base + path)
    assert response.status == status, f"{path} answered {response.status}"


def heading(tab) -> str:
    """The page's main heading, as read."""
    return tab.get_by_role("heading", level=1).inner_text().strip()


def said(tab) -> str:
    """What the page's main part says, its white space run together."""
    return " ".join(tab.locator("main").inner_text().split())


def banner(tab) -> str:
    """What the page's notification banner says, its white space run together."""
    return " ".join(tab.locator(".govuk-notification-banner").inner_text().split())
