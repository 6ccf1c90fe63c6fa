"""Journeys a person makes in a real browser."""

import json
import zipfile

from home.management.commands.load_demo import DEMO_PASSWORD

from .helpers import sign_in, verification_link

PASSWORD = "a long and unusual passphrase 42"


def test_sign_up_verify_sign_in_edit_profile_download_data_without_javascript(
    academy_site, browser, mailoutbox
):
    """The whole newcomer journey with JavaScript switched off."""
    base = academy_site.url
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{base}/accounts/signup/")
    page.locator("main input[name=display_name]").fill("Nadia Rahman")
    page.locator("main input[name=email]").fill("nadia.rahman@example.org")
    page.locator("main input[name=password1]").fill(PASSWORD)
    page.locator("main input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Check your email"

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nadia.rahman@example.org"]
    link = verification_link(message)

    # Open the link as if from a mail app: a fresh browser session.
    other = browser.new_context(java_script_enabled=False).new_page()
    other.goto(link)
    other.locator("main form button[type=submit]").first.click()
    other.wait_for_load_state()
    assert "/accounts/login/" in other.url or "confirmed" in other.content().lower()

    sign_in(other, base, "nadia.rahman@example.org", PASSWORD)
    other.goto(f"{base}/profile/")
    assert other.locator("main input[name=display_name]").input_value() == "Nadia Rahman"
    other.locator("main input[name=job_title]").fill("Head of Community Safety")
    other.locator("main select[name=organisation]").select_option(label="Birmingham City Council")
    other.locator("main form button[type=submit]").first.click()
    other.wait_for_load_state()
    assert "Your profile has been saved" in other.content()
    assert other.locator("main input[name=job_title]").input_value() == "Head of Community Safety"

    other.goto(f"{base}/profile/data/")
    with other.expect_download() as download_info:
        other.get_by_role("link", name="Download my data (ZIP)").click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        data = json.loads(archive.read("personal-data.json"))
    me = data["records"]["academy.User"]["items"][0]
    assert me["email"] == "nadia.rahman@example.org"
    assert me["job_title"] == "Head of Community Safety"
    assert me["organisation"] == "Birmingham City Council"
    context.close()


def test_sign_in_with_the_keyboard_alone(academy_site, page):
    base = academy_site.url
    page.goto(f"{base}/accounts/login/")

    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent.trim()")
    assert skip == "Skip to main content"
    page.keyboard.press("Enter")

    def focused_name():
        return page.evaluate("document.activeElement.getAttribute('name')")

    for _ in range(30):
        page.keyboard.press("Tab")
        if focused_name() == "login":
            break
    assert focused_name() == "login", "the email field cannot be reached with Tab"
    page.keyboard.type("learner@academy.test")
    page.keyboard.press("Tab")
    assert focused_name() == "password"
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "/accounts/login/" not in page.url
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_focus_is_visible_on_the_skip_link(academy_site, page):
    page.goto(academy_site.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".govuk-skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["height"] > 0
