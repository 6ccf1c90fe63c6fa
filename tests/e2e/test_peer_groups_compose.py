"""Composing peer groups in a real browser: the composer page axe-clean before composing, with
sets, with a refused setting and once published, and a learner's page of the people they work
with; and the facilitator's journey with JavaScript switched off: keep two members apart,
compose, move one member, name an adviser, publish, and every member is emailed their set."""

import re

from django.urls import reverse

from cohorts.models import Cohort, Enrolment, PeerGroupPlan, PeerSetMember
from tests.cohorts.factories import (
    CohortFactory,
    EnrolmentFactory,
    course_with_lessons,
    facilitator,
    make_members_in_bulk,
)
from tests.factories import PASSWORD, UserFactory

from .axe import assert_no_axe_violations, assert_no_axe_violations_without_scripts
from .helpers import banner, said, sign_in, sign_out, visit

SECTORS = ["local-government", "nhs-and-health", "police-and-justice", "education"]


def cohort_of_twelve(title: str) -> tuple[Cohort, object, list[Enrolment]]:
    """A running cohort run by one facilitator, with twelve members from twelve organisations
    in four sectors."""
    course = course_with_lessons(title, modules=1, lessons=1)
    slug = title.lower().replace(" ", "-")
    runner = facilitator(email=f"runner.{slug}@example.org", display_name="Femi Adeyemi")
    cohort = CohortFactory(course=course, name="Spring cohort", facilitators=[runner])
    members = make_members_in_bulk(cohort, 12, sector_slugs=SECTORS)
    return cohort, runner, members


def fill_settings(tab, *, size: str, smallest: str, largest: str) -> None:
    tab.get_by_label("Set size").fill(size)
    tab.get_by_label("Smallest set").fill(smallest)
    tab.get_by_label("Largest set").fill(largest)


def test_the_composer_page_has_no_axe_violations(academy_site, browser):
    base = academy_site.url
    cohort, runner, _ = cohort_of_twelve("Composing sets")
    path = reverse("facilitate_peer_groups", args=[cohort.pk])
    context = browser.new_context()
    tab = context.new_page()
    sign_in(tab, base, runner.email, PASSWORD)

    # Before composing: the settings, and what the default size cannot meet.
    visit(tab, path, base)
    assert tab.get_by_role("heading", name="Peer groups", level=1).is_visible()
    assert "No sets yet" in said(tab)
    assert_no_axe_violations(tab)

    # A refused setting: the error summary and the field's message.
    fill_settings(tab, size="1", smallest="3", largest="5")
    tab.get_by_role("button", name="Compose sets").click()
    tab.wait_for_load_state()
    assert "The set size must be 2 or more" in tab.locator(".govuk-error-summary").inner_text()
    assert_no_axe_violations(tab)

    # Composed: three sets with their members, moves, pins and advisers.
    fill_settings(tab, size="4", smallest="3", largest="5")
    tab.get_by_role("button", name="Compose sets").click()
    tab.wait_for_load_state()
    assert "3 sets composed" in banner(tab)
    assert tab.locator(".govuk-summary-card").count() == 3
    assert_no_axe_violations(tab)

    # A refused move, beside the member.
    row = tab.locator("#set-1 tbody tr").first
    row.get_by_label(re.compile(r"^Move to set")).fill("9")
    row.get_by_role("button", name=re.compile(r"^Move ")).click()
    tab.wait_for_load_state()
    assert "There is no set 9 in this cohort" in tab.locator(".govuk-error-summary").inner_text()
    assert_no_axe_violations(tab)

    # Published.
    tab.get_by_role("button", name="Publish the sets and email the members").click()
    tab.wait_for_load_state()
    assert "The sets are published" in banner(tab)
    assert_no_axe_violations(tab)
    sign_out(tab)

    # A learner's page of the people they work with.
    learner = EnrolmentFactory(
        cohort=cohort, user=UserFactory(email="amara.okafor@example.org", display_name="Amara")
    ).user
    sign_in(tab, base, learner.email, PASSWORD)
    visit(tab, reverse("profile"), base)
    tab.get_by_role("link", name="People you work with").click()
    tab.wait_for_load_state()
    assert tab.get_by_role("heading", name="People you work with", level=1).is_visible()
    assert_no_axe_violations(tab)
    tab.get_by_label("Their email address").fill("line.manager@example.org")
    tab.get_by_role("button", name="Add").click()
    tab.wait_for_load_state()
    assert "line.manager@example.org" in said(tab)
    assert_no_axe_violations(tab)
    context.close()


def test_keep_apart_compose_move_and_publish_without_javascript(academy_site, browser, mailoutbox):
    base = academy_site.url
    cohort, runner, members = cohort_of_twelve("Sets without scripts")
    first, second = members[0], members[1]
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    sign_in(tab, base, runner.email, PASSWORD)

    # From the cohort's dashboard to its peer groups.
    visit(tab, reverse("facilitate_cohort", args=[cohort.pk]), base)
    tab.get_by_role("link", name="Peer groups", exact=True).click()
    tab.wait_for_load_state()
    assert tab.url == base + reverse("facilitate_peer_groups", args=[cohort.pk])
    assert_no_axe_violations_without_scripts(browser, context, tab.url)

    # Two members kept apart (a line manager and their report).
    for field, member in (("First member", first), ("Second member", second)):
        label = f"{member.user.display_name}, {member.user.organisation.name}"
        tab.get_by_label(field).select_option(label=label)
    tab.get_by_role("button", name="Keep apart").click()
    tab.wait_for_load_state()
    assert "Member 0 and Member 1 will be kept in different sets" in banner(tab)

    # Compose sets of four.
    fill_settings(tab, size="4", smallest="3", largest="5")
    tab.get_by_label("Mix places").check()
    tab.get_by_role("button", name="Compose sets").click()
    tab.wait_for_load_state()
    assert "3 sets composed" in banner(tab)
    assert tab.locator(".govuk-summary-card").count() == 3
    assert "sectors of" in tab.locator("#set-1").inner_text()
    numbers = dict(
        PeerSetMember.objects.filter(cohort=cohort).values_list("enrolment_id", "peer_set__number")
    )
    assert len(numbers) == 12
    assert numbers[first.pk] != numbers[second.pk]

    # Move one member of set 1 to set 2, by typing the set's number.
    row = tab.locator("#set-1 tbody tr").first
    name = row.locator("th").inner_text().splitlines()[0].strip()
    row.get_by_label(f"Move to set ({name})").fill("2")
    row.get_by_role("button", name=f"Move {name}").click()
    tab.wait_for_load_state()
    assert f"{name} moved to set 2 and pinned there" in banner(tab)
    moved = tab.locator("#set-2 tbody tr", has_text=name)
    assert moved.locator(".govuk-tag", has_text="Pinned").count() == 1
    assert f"moved {name} from set 1 to set 2" in tab.locator("main").inner_text()
    assert_no_axe_violations_without_scripts(browser, context, tab.url)

    # Name an adviser for set 2.
    tab.get_by_label("Adviser of set 2").select_option(label="Femi Adeyemi")
    tab.get_by_role("button", name="Save the adviser of set 2").click()
    tab.wait_for_load_state()
    assert "Femi Adeyemi is the adviser of set 2" in banner(tab)

    # Publish: every member is emailed their set.
    tab.get_by_role("button", name="Publish the sets and email the members").click()
    tab.wait_for_load_state()
    assert "The sets are published. 12 members are being emailed their set" in banner(tab)
    assert tab.locator("main .govuk-tag", has_text="Published").count() == 1
    assert PeerGroupPlan.objects.get(cohort=cohort).is_published
    told = [m for m in mailoutbox if "set" in m.subject and cohort.name in m.subject]
    assert sorted(m.to[0] for m in told) == sorted(e.user.email for e in members)
    [moved_email] = [
        m
        for m in told
        if m.to == [Enrolment.objects.get(cohort=cohort, user__display_name=name).user.email]
    ]
    assert "You are in set 2." in moved_email.body
    assert "Your set's adviser is Femi Adeyemi." in moved_email.body
    assert f"/cohorts/{cohort.pk}/peer-group/" in moved_email.body
    context.close()
