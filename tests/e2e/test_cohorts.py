"""Cohorts in a real browser: every page axe-clean, applying and learning without JavaScript,
the facilitator's learner table sorted from the keyboard, and giving up a place."""

import re
from datetime import timedelta

from django.utils import timezone

import icalendar

from cohorts.ical import session_uid
from cohorts.models import Cohort, Enrolment, LiveSession
from courses.models import CoursePage
from home.demo.cohorts import LEADING
from home.management.commands.load_demo import DEMO_PASSWORD
from tests.factories import PASSWORD, UserFactory

from .axe import assert_no_axe_violations
from .helpers import sign_in, sign_out

LEARNER = "learner@academy.test"
FACILITATOR = "facilitator@academy.test"
PROGRAMME_MANAGER = "programme.manager@academy.test"

CONTINUE = re.compile(r"^Continue: ")


def cohort(name: str) -> Cohort:
    return Cohort.objects.select_related("course").get(name=name)


def course_path(slug: str) -> str:
    return CoursePage.objects.get(slug=slug).url


def visit(tab, url: str, status: int = 200) -> None:
    response = tab.goto(url)
    assert response.status == status, f"{url} answered {response.status}"


def test_learner_pages_have_no_axe_violations(academy_site, page):
    base = academy_site.url
    running, by_application, open_cohort = (
        cohort("Cohort 12"),
        cohort("Cohort 13"),
        cohort("Cohort 3"),
    )

    # Signed out: the course overview lists the upcoming cohorts.
    visit(page, base + course_path(LEADING))
    assert page.get_by_role("heading", name="Upcoming cohorts").is_visible()
    assert page.get_by_role("link", name="Apply for Cohort 13").is_visible()
    assert_no_axe_violations(page)

    sign_in(page, base, LEARNER, DEMO_PASSWORD)

    visit(page, f"{base}/learning/")
    # Four lessons and the quiz (home/demo/data/cohorts/cohort-12.toml).
    assert "5 of 12 required lessons and assessments complete" in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    page.get_by_role("link", name=CONTINUE).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Your progress").is_visible()
    assert page.get_by_role("button", name="Mark as complete").is_visible()
    assert_no_axe_violations(page)

    visit(page, f"{base}/cohorts/{running.pk}/")
    assert page.get_by_role("heading", name="Cohort 12", level=1).is_visible()
    assert_no_axe_violations(page)

    # Signed in, the overview also shows the learner's own place.
    visit(page, base + course_path(LEADING))
    assert "You have a place on Cohort 12" in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    visit(page, f"{base}/cohorts/{by_application.pk}/join/")
    assert page.get_by_role("button", name="Send application").is_visible()
    assert_no_axe_violations(page)

    visit(page, f"{base}/cohorts/{open_cohort.pk}/join/")
    assert page.get_by_role("button", name="Take a place").is_visible()
    assert_no_axe_violations(page)

    visit(page, f"{base}/profile/calendar/")
    assert page.locator("#calendar-feed-url").input_value().startswith("http")
    assert_no_axe_violations(page)


def test_facilitator_and_programme_pages_have_no_axe_violations(academy_site, browser):
    base = academy_site.url
    running, by_application = cohort("Cohort 12"), cohort("Cohort 13")

    context = browser.new_context()
    tab = context.new_page()
    sign_in(tab, base, FACILITATOR, DEMO_PASSWORD)

    visit(tab, f"{base}/facilitate/cohorts/{running.pk}/")
    assert tab.locator("main svg[role=img]").count() == 1
    assert tab.locator("main table", has_text="Completion by module").count() == 1
    assert tab.locator("main table", has_text="Everyone who holds or held a place").count() == 1
    assert_no_axe_violations(tab)

    visit(tab, f"{base}/facilitate/cohorts/{by_application.pk}/applications/")
    assert tab.locator("main input[type=checkbox][name=enrolments]").count() >= 7
    assert_no_axe_violations(tab)
    context.close()

    context = browser.new_context()
    tab = context.new_page()
    sign_in(tab, base, PROGRAMME_MANAGER, DEMO_PASSWORD)

    visit(tab, f"{base}/facilitate/")
    assert tab.get_by_role("link", name="Programme report").is_visible()
    assert_no_axe_violations(tab)

    visit(tab, f"{base}/facilitate/programme/")
    assert "Leading across organisational boundaries" in tab.locator("main").inner_text()
    assert_no_axe_violations(tab)
    context.close()


def test_apply_be_approved_learn_and_subscribe_without_javascript(
    academy_site, browser, mailoutbox
):
    base = academy_site.url
    upcoming = cohort("Cohort 13")
    assert upcoming.status == Cohort.Status.UPCOMING and upcoming.by_application
    learner = UserFactory(email="nadia.ferreira@example.org", display_name="Nadia Ferreira")
    answer = "Hospital discharge in Salford stalls between three organisations."
    note = "Welcome aboard, Nadia: bring your discharge story to the opening workshop."

    # The learner applies, with JavaScript switched off.
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    sign_in(tab, base, learner.email, PASSWORD)
    visit(tab, base + course_path(LEADING))
    tab.get_by_role("link", name="Apply for Cohort 13").click()
    tab.wait_for_load_state()
    assert tab.get_by_role("heading", name="Apply for Cohort 13", level=1).is_visible()
    tab.get_by_label(upcoming.application_question).fill(answer)
    tab.get_by_role("button", name="Send application").click()
    tab.wait_for_load_state()
    assert tab.url == f"{base}/learning/"
    assert "Your application to Cohort 13 has been sent" in tab.locator("main").inner_text()
    enrolment = Enrolment.objects.get(user=learner, cohort=upcoming)
    assert enrolment.status == Enrolment.Status.APPLIED
    assert enrolment.application_answer == answer
    sign_out(tab)
    assert tab.get_by_role("button", name="Sign out").count() == 0

    # The facilitator approves the application.
    staff = browser.new_context()
    desk = staff.new_page()
    sign_in(desk, base, FACILITATOR, DEMO_PASSWORD)
    visit(desk, f"{base}/facilitate/cohorts/{upcoming.pk}/applications/")
    desk.get_by_label("Nadia Ferreira").check()
    desk.locator("main textarea[name=message]").fill(note)
    desk.get_by_role("button", name="Approve selected").click()
    desk.wait_for_load_state()
    assert "1 approved" in desk.locator(".govuk-notification-banner").inner_text()
    assert desk.get_by_label("Nadia Ferreira").count() == 0
    staff.close()

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    emails = [m for m in mailoutbox if m.to == [learner.email]]
    approved = [m for m in emails if re.search(r"You have a place on .*Cohort 13", m.subject)]
    assert len(approved) == 1, [m.subject for m in emails]
    assert note in approved[0].body
    assert re.search(r"https?://\S+/learning/\s", approved[0].body)

    # Time passes: the cohort starts.
    today = timezone.localdate()
    Cohort.objects.filter(pk=upcoming.pk).update(start_date=today - timedelta(days=1))
    upcoming.refresh_from_db()
    assert upcoming.status == Cohort.Status.RUNNING

    sign_in(tab, base, learner.email, PASSWORD)
    visit(tab, f"{base}/learning/")
    card = tab.locator("main section", has_text="Cohort 13")
    progress = re.search(
        r"0 of (\d+) required lessons and assessments complete \(0%\)", card.inner_text()
    )
    assert progress, card.inner_text()
    total = int(progress.group(1))

    card.get_by_role("link", name=CONTINUE).click()
    tab.wait_for_load_state()
    lesson_url = tab.url
    tab.get_by_role("button", name="Mark as complete").click()
    tab.wait_for_load_state()
    assert tab.url == lesson_url
    assert "Lesson marked as complete" in tab.locator(".govuk-notification-banner").inner_text()
    assert tab.get_by_role("button", name=re.compile(r"^Undo")).is_visible()

    visit(tab, f"{base}/learning/")
    text = tab.locator("main section", has_text="Cohort 13").inner_text()
    assert f"1 of {total} required lessons and assessments complete" in text

    # The personal calendar feed holds the cohort's sessions to come.
    now = timezone.now()
    sessions = list(LiveSession.objects.filter(cohort=upcoming, ends_at__gte=now))
    if not sessions:
        sessions = [
            LiveSession.objects.create(
                cohort=upcoming,
                title="Action learning set 1",
                starts_at=now + timedelta(days=7),
                ends_at=now + timedelta(days=7, hours=1),
            )
        ]
    visit(tab, f"{base}/profile/calendar/")
    feed_url = tab.locator("#calendar-feed-url").input_value()
    response = context.request.get(feed_url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    for session in sessions:
        event = events.get(session_uid(session))
        assert event is not None, f"{session.title} is missing from the feed"
        assert str(event["summary"]) == f"Cohort 13: {session.title}"
    context.close()


def test_sort_the_learner_table_by_progress_with_the_keyboard(academy_site, page):
    base = academy_site.url
    running = cohort("Cohort 12")
    sign_in(page, base, FACILITATOR, DEMO_PASSWORD)
    visit(page, f"{base}/facilitate/cohorts/{running.pk}/")
    header = page.locator("main th", has_text="Progress (%)")
    assert header.get_attribute("aria-sort") is None

    def focused_text() -> str:
        return page.evaluate("document.activeElement.textContent.trim()")

    for _ in range(80):
        page.keyboard.press("Tab")
        if focused_text().startswith("Progress (%)"):
            break
    assert focused_text().startswith("Progress (%)"), "the Progress sort link cannot be reached"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "sort=progress" in page.url
    header = page.locator("main th", has_text="Progress (%)")
    assert header.get_attribute("aria-sort") == "ascending"
    assert page.locator("main th[aria-sort]").count() == 1
    table = page.locator("main table", has_text="Everyone who holds or held a place")
    cells = table.locator("tbody td.govuk-table__cell--numeric").all_inner_texts()
    values = [int(cell.rstrip("%")) for cell in cells]
    assert len(values) >= 40
    assert values == sorted(values)
    assert values[0] < values[-1]


def test_give_up_a_place_without_javascript(academy_site, browser):
    base = academy_site.url
    running = cohort("Cohort 12")
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    sign_in(tab, base, LEARNER, DEMO_PASSWORD)

    visit(tab, f"{base}/learning/")
    tab.get_by_role("link", name=re.compile(r"^Go to your cohort\W+Cohort 12 ")).click()
    tab.wait_for_load_state()
    tab.get_by_role("link", name="Withdraw from Cohort 12").click()
    tab.wait_for_load_state()
    heading = tab.get_by_role("heading", level=1).inner_text()
    assert heading == "Are you sure you want to withdraw from Cohort 12?"
    tab.get_by_role("button", name="Yes, withdraw").click()
    tab.wait_for_load_state()

    assert tab.url == f"{base}/learning/"
    main = tab.locator("main")
    assert "You have given up your place on Cohort 12" in main.inner_text()
    assert main.locator("section", has_text="Cohort 12").count() == 0
    past = main.locator("table", has_text="Cohorts you took part in or left")
    row = past.locator("tr", has_text="Cohort 12")
    assert row.locator(".govuk-tag").inner_text().strip().lower() == "withdrawn"
    enrolment = Enrolment.objects.get(user__email=LEARNER, cohort=running)
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    context.close()
