import re

EMAIL_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def verification_link(message) -> str:
    match = EMAIL_LINK.search(message.body)
    assert match, f"No verification link in the email:\n{message.body}"
    return match.group(0)


def sign_out(page) -> None:
    """Sign out with the button in the header: a plain form post, so it works without
    JavaScript."""
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
