"""A peer group's space in a real browser: its pages axe-clean (the space with posts, replies and
a post of an erased member, a meeting with commitments to review, a past meeting with who came,
scheduling a meeting, a refused post), and, with JavaScript switched off, a learner who goes
from the cohort home to their set, posts, schedules a meeting, records a commitment, and finds
it for review at the next meeting."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cohorts.models import Commitment
from tests.cohorts.factories import (
    CohortFactory,
    EnrolmentFactory,
    course_with_lessons,
    facilitator,
    make_peer_meeting,
    make_peer_post,
    make_peer_set,
    peer_set_members_of,
)
from tests.factories import PASSWORD, UserFactory

from .axe import assert_no_axe_violations
from .helpers import heading, open_signed_in, said, sign_in


def a_set(title: str):
    """A running cohort with a published set of four, its first member Priya Shah, advised by
    a facilitator of the cohort."""
    course = course_with_lessons(title, modules=1, lessons=1)
    cohort = CohortFactory(course=course, name="Winter cohort")
    priya = UserFactory(email=f"priya.{course.pk}@example.org", display_name="Priya Shah")
    place = EnrolmentFactory(cohort=cohort, user=priya)
    adviser = facilitator(email=f"adviser.{course.pk}@example.org", display_name="Tom Adviser")
    peer_set = make_peer_set(cohort, members=4, people=[place], adviser=adviser)
    return cohort, peer_set, place


def test_the_sets_pages_have_no_axe_violations(academy_site, browser):
    base = academy_site.url
    cohort, peer_set, priya = a_set("Leading in a crisis")
    others = [m for m in peer_set_members_of(peer_set) if m != priya]
    now = timezone.now()
    thread = make_peer_post(
        peer_set,
        priya,
        "How do you keep a partnership board honest?\nNotes: https://example.org/notes",
        created_at=now - timedelta(days=2),
    )
    make_peer_post(peer_set, others[0], "We rotate the chair.", parent=thread)
    stub = make_peer_post(peer_set, None, "", created_at=now - timedelta(days=3))
    make_peer_post(peer_set, others[1], "A reply that stayed.", parent=stub)
    past = make_peer_meeting(peer_set, days=-6, problem_holder=priya)
    upcoming = make_peer_meeting(peer_set, days=8, problem_holder=others[0], location="Room 2")
    Commitment.objects.create(meeting=past, enrolment=priya, text="Write to the chair")
    Commitment.objects.create(
        meeting=past, enrolment=others[0], text="Visit the ward", outcome="done"
    )
    args = [cohort.pk, peer_set.number]

    context = browser.new_context()
    tab = context.new_page()
    sign_in(tab, base, priya.user.email, PASSWORD)

    open_signed_in(tab, base, reverse("peer_set", args=args))
    assert heading(tab) == "Your peer group: Set 1"
    assert "A former member" in said(tab)
    tab.locator("main summary").first.click()  # open one reply form
    assert_no_axe_violations(tab)

    open_signed_in(tab, base, reverse("peer_meeting", args=[*args, upcoming.pk]))
    assert "Write to the chair" in said(tab)
    assert tab.get_by_role("button", name="Save how it went").is_visible()
    assert_no_axe_violations(tab)

    open_signed_in(tab, base, reverse("peer_meeting", args=[*args, past.pk]))
    assert tab.get_by_role("heading", name="Who came").is_visible()
    assert_no_axe_violations(tab)

    open_signed_in(tab, base, reverse("peer_meeting_add", args=args))
    assert heading(tab) == "Schedule a meeting"
    tab.get_by_role("button", name="Save the meeting").click()
    tab.wait_for_load_state()
    assert "There is a problem" in said(tab)
    assert_no_axe_violations(tab)

    open_signed_in(tab, base, reverse("peer_post_add", args=args))
    tab.get_by_role("button", name="Post").click()
    tab.wait_for_load_state()
    assert "Write something to post" in said(tab)
    assert_no_axe_violations(tab)
    context.close()


def fill_meeting(tab, day) -> None:
    tab.get_by_label("Day").fill(str(day.day))
    tab.get_by_label("Month").fill(str(day.month))
    tab.get_by_label("Year").fill(str(day.year))
    tab.get_by_label("Start time").fill("10:00")
    tab.get_by_label("End time").fill("11:30")
    tab.get_by_label("Online joining link (optional)").fill("https://meet.example.org/set-1")
    tab.get_by_role("button", name="Save the meeting").click()
    tab.wait_for_load_state()


def test_a_learner_posts_schedules_commits_and_reviews_without_javascript(academy_site, browser):
    base = academy_site.url
    cohort, peer_set, priya = a_set("Leading without authority")
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    sign_in(tab, base, priya.user.email, PASSWORD)

    # From the cohort home to the set.
    open_signed_in(tab, base, reverse("cohort_home", args=[cohort.pk]))
    tab.get_by_role("link", name="Your peer group: Set 1").click()
    tab.wait_for_load_state()
    assert heading(tab) == "Your peer group: Set 1"

    # A post, its link made safe and its HTML shown as text.
    tab.get_by_label("Your post").fill(
        "I would like to bring our hospital discharge problem.\n"
        "Background: https://example.org/discharge <b>not bold</b>"
    )
    tab.get_by_role("button", name="Post", exact=True).click()
    tab.wait_for_load_state()
    assert "Your post has been added" in said(tab)
    link = tab.get_by_role("link", name="https://example.org/discharge")
    assert link.get_attribute("rel") == "nofollow noopener noreferrer"
    assert "<b>not bold</b>" in said(tab)

    # A meeting next week: the first member by name holds the first problem.
    first_turn = min(peer_set_members_of(peer_set), key=lambda e: e.user.display_name.casefold())
    tab.get_by_role("link", name="Schedule a meeting").click()
    tab.wait_for_load_state()
    assert tab.get_by_label("Problem holder").input_value() == str(first_turn.pk)
    fill_meeting(tab, timezone.localdate() + timedelta(days=7))
    assert "has been scheduled" in said(tab)
    first_meeting = tab.url

    # Her commitment at that meeting.
    tab.get_by_label("Your commitment").fill("Ask the ward manager for last month's delays")
    tab.get_by_role("button", name="Save your commitment").click()
    tab.wait_for_load_state()
    assert "Your commitment has been recorded" in said(tab)

    # The meeting after: the commitment comes up for review, and she says how it went.
    tab.get_by_role("link", name="Set 1", exact=True).first.click()
    tab.wait_for_load_state()
    tab.get_by_role("link", name="Schedule a meeting").click()
    tab.wait_for_load_state()
    fill_meeting(tab, timezone.localdate() + timedelta(days=21))
    assert "Commitments from the last meeting" in said(tab)
    review = tab.locator("section", has_text="Ask the ward manager for last month's delays")
    assert "Priya Shah" in review.inner_text()
    review.get_by_label("Partly done").check()
    review.get_by_label("What happened (optional)").fill("Got two weeks of figures")
    review.get_by_role("button", name="Save how it went").click()
    tab.wait_for_load_state()
    assert "How your commitment went has been recorded" in said(tab)
    review = tab.locator("section", has_text="Ask the ward manager for last month's delays")
    assert "Partly done" in review.inner_text()
    assert "Got two weeks of figures" in review.inner_text()
    assert tab.url != first_meeting
    context.close()
