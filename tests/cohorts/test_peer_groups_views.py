"""The composer page (/facilitate/cohorts/<id>/peer-groups/) and its forms, and a learner's
/profile/peer-groups/: what they show, what they refuse (400 with the reason, 404 for what is
not this cohort's, 405 for a GET of a form's address), and the page's queries, the same for a
cohort of 20 or 1,000 members in sets of 4 or 12."""

import re
import subprocess

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from cohorts.models import (
    KeepApart,
    PeerGroupChange,
    PeerGroupPlan,
    PeerSet,
    PeerSetMember,
    WorkingRelationship,
)
from cohorts.selectors.peer_groups import SELECT_LIMIT
from cohorts.services.peer_groups import keep_apart_add, peer_groups_publish

from ..factories import UserFactory
from ..services import require_vnu
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    facilitator,
    make_members_in_bulk,
    make_peer_sets,
)
from .helpers import html_of, login_url_for, messages_of

pytestmark = pytest.mark.django_db
FOUR_SECTORS = ["local-government", "nhs-and-health", "police-and-justice", "education"]


@pytest.fixture
def lead(cohort, runner):
    cohort.facilitators.add(runner)
    return runner


@pytest.fixture
def members(cohort):
    return make_members_in_bulk(cohort, 12, sector_slugs=FOUR_SECTORS)


@pytest.fixture
def three_sets(cohort, lead, members):
    """The twelve in three sets of four, in order."""
    make_peer_sets(cohort, members, 4)
    PeerGroupPlan.objects.create(cohort=cohort, size=4, min_size=3, max_size=5)
    return members


def url(name: str, cohort, *args) -> str:
    return reverse(name, args=[cohort.pk, *args])


def page_url(cohort) -> str:
    return url("facilitate_peer_groups", cohort)


def error_summary(response) -> str:
    html = html_of(response)
    assert 'class="govuk-error-summary"' in html, "no error summary"
    start = html.index('class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


# --- The page --------------------------------------------------------------------------------


def test_the_page_offers_the_settings_and_says_what_cannot_be_met(runner_client, cohort, lead):
    make_members_in_bulk(cohort, 4)
    response = runner_client.get(page_url(cohort))
    html = html_of(response)
    assert response.status_code == 200
    assert "Peer groups" in html
    assert ">Draft</strong>" in html
    assert 'name="size"' in html and 'value="6"' in html
    assert "Mix places" in html and "Same place where possible" in html
    assert ">Compose sets</button>" in html
    assert "No sets yet" in html
    # Four members cannot make sets of six: the composer says so before composing.
    assert "the composer cannot meet every rule" in html
    assert not PeerGroupPlan.objects.exists()  # reading it saves nothing


def test_the_dashboard_links_to_the_page(runner_client, cohort, lead):
    html = html_of(runner_client.get(reverse("facilitate_cohort", args=[cohort.pk])))
    assert f'href="{page_url(cohort)}"' in html


def test_the_page_shows_each_set_with_its_members_and_score(
    runner_client, cohort, lead, three_sets
):
    PeerSetMember.objects.filter(enrolment=three_sets[1]).update(pinned=True)
    response = runner_client.get(page_url(cohort))
    html = html_of(response)
    assert response.status_code == 200
    for number in (1, 2, 3):
        assert f'<h3 class="govuk-summary-card__title">Set {number}</h3>' in html
    assert "Member 0" in html and "Organisation of member" in html
    assert "Police and justice" in html and "Leeds" in html
    assert "the only police and justice member; brings the set to four sectors" in html
    assert html.count(">Pinned</strong>") == 1
    assert "4 sectors of 4 possible: Education, Local government, NHS and health" in html
    assert "Publish the sets and email the members" in html
    assert "not in a set" not in html


def test_the_page_warns_of_a_rule_a_set_breaks(runner_client, cohort, lead, three_sets):
    KeepApart.objects.create(cohort=cohort, first=three_sets[0], second=three_sets[1])
    html = html_of(runner_client.get(page_url(cohort)))
    assert "Not met in this set" in html


def test_people_who_do_not_run_the_cohort_get_404(client, cohort, lead, learner):
    other = facilitator()
    CohortFactory(facilitators=[other])
    for person in (other, learner):
        client.force_login(person)
        assert client.get(page_url(cohort)).status_code == 404
        assert client.post(url("facilitate_peer_groups_publish", cohort)).status_code == 404
    client.logout()
    response = client.get(page_url(cohort))
    assert response.url == login_url_for(page_url(cohort))


def test_the_forms_addresses_answer_405_to_a_get(runner_client, cohort, lead, three_sets):
    pair = keep_apart_add(cohort=cohort, first=three_sets[0], second=three_sets[5], by=lead)
    for address in (
        url("facilitate_peer_groups_compose", cohort),
        url("facilitate_peer_groups_publish", cohort),
        url("facilitate_peer_member_move", cohort, three_sets[0].pk),
        url("facilitate_peer_member_pin", cohort, three_sets[0].pk),
        url("facilitate_peer_set_adviser", cohort, 1),
        url("facilitate_keep_apart_add", cohort),
        url("facilitate_keep_apart_delete", cohort, pair.pk),
    ):
        assert runner_client.get(address).status_code == 405, address
    assert runner_client.post(page_url(cohort)).status_code == 405


def test_sets_are_paged_ten_at_a_time(runner_client, cohort, lead):
    make_peer_sets(cohort, make_members_in_bulk(cohort, 100), 4)
    first = html_of(runner_client.get(page_url(cohort)))
    assert "Set 10</h3>" in first and "Set 11</h3>" not in first
    assert 'aria-label="Pages of sets"' in first
    second = html_of(runner_client.get(page_url(cohort) + "?page=2"))
    assert "Set 11</h3>" in second and "Set 20</h3>" in second and "Set 10</h3>" not in second
    # Forms on page 2 come back to page 2.
    assert f'action="{url("facilitate_peer_groups_compose", cohort)}?page=2"' in second
    assert runner_client.get(page_url(cohort) + "?page=999").status_code == 200
    assert runner_client.get(page_url(cohort) + "?page=x%00").status_code == 200


def post_forms(html: str) -> list[str]:
    return re.findall(r'<form method="post".*?</form>', html, flags=re.DOTALL)


def test_every_form_on_the_page_carries_its_csrf_token(runner_client, cohort, lead, three_sets):
    make_members_in_bulk(cohort, 1, first=50)  # someone not in a set, with a form to place them
    keep_apart_add(cohort=cohort, first=three_sets[0], second=three_sets[5], by=lead)
    forms = post_forms(html_of(runner_client.get(page_url(cohort))))
    # Sign out (in the header); compose, publish, keep apart and its removal; per set an
    # adviser; per member a move, and per placed member a pin.
    assert len(forms) == 1 + 4 + 3 + 13 + 12
    for form in forms:
        assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', form), form[:200]


def test_the_pages_are_valid_html(client, runner_client, cohort, lead, three_sets, tmp_path):
    vnu = require_vnu()
    make_members_in_bulk(cohort, 1, first=50)
    keep_apart_add(cohort=cohort, first=three_sets[0], second=three_sets[5], by=lead)
    PeerSetMember.objects.filter(enrolment=three_sets[1]).update(pinned=True)
    pages = {
        "sets": runner_client.get(page_url(cohort)),
        "refused": runner_client.post(
            url("facilitate_peer_member_move", cohort, three_sets[0].pk), {"to_number": "9"}
        ),
        "settings refused": runner_client.post(
            url("facilitate_peer_groups_compose", cohort), compose_data(size="1")
        ),
    }
    peer_groups_publish(cohort=cohort, by=lead)
    pages["published"] = runner_client.get(page_url(cohort))
    large = CohortFactory(facilitators=[lead])
    make_members_in_bulk(large, SELECT_LIMIT + 1, first=1000)
    pages["large"] = runner_client.get(page_url(large))
    client.force_login(three_sets[0].user)
    WorkingRelationship.objects.create(user=three_sets[0].user, email="boss@example.org")
    pages["declarations"] = client.get(reverse("working_relationships"))
    for name, response in pages.items():
        (tmp_path / f"{name.replace(' ', '-')}.html").write_bytes(response.content)
    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "text", *map(str, sorted(tmp_path.glob("*.html")))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- Composing and publishing ------------------------------------------------------------------


def compose_data(**changes) -> dict:
    return {"size": "4", "min_size": "3", "max_size": "5", "mode": "mix", "seed": "0", **changes}


def test_composing_goes_back_to_the_sets_with_a_message(runner_client, cohort, lead, members):
    response = runner_client.post(url("facilitate_peer_groups_compose", cohort), compose_data())
    assert response.status_code == 302
    assert response.url == page_url(cohort) + "#sets"
    assert messages_of(response)[0].startswith("3 sets composed")
    assert PeerSetMember.objects.filter(cohort=cohort).count() == 12
    assert PeerGroupChange.objects.get().actor == lead


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"size": "1"}, "The set size must be 2 or more"),
        ({"size": "13"}, "The set size must be no more than the cohort&#x27;s 12 members"),
        ({"min_size": "5"}, "The smallest set must be no larger than the set size"),
        ({"max_size": "3"}, "The largest set must be no smaller than the set size"),
        ({"size": "four"}, "Enter the set size as a whole number, like 6"),
        ({"size": ""}, "Enter the set size"),
        ({"size": "99999999999999999999"}, "The set size must be 32,767 or fewer"),
        ({"mode": "random"}, "Choose whether to mix places"),
        ({"seed": "-1"}, "The seed must be 0 or more"),
    ],
)
def test_settings_that_cannot_work_are_refused(
    runner_client, cohort, lead, members, changes, message
):
    response = runner_client.post(
        url("facilitate_peer_groups_compose", cohort), compose_data(**changes)
    )
    assert response.status_code == 400
    assert message in error_summary(response)
    assert "<title>Error: Peer groups" in html_of(response)
    assert not PeerSet.objects.exists()
    assert not PeerGroupPlan.objects.exists()


def test_publishing_emails_the_members_and_shows_the_sets_published(
    runner_client, cohort, lead, three_sets, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = runner_client.post(url("facilitate_peer_groups_publish", cohort))
    assert response.status_code == 302
    assert messages_of(response) == [
        "The sets are published. 12 members are being emailed their set"
    ]
    assert len(mail.outbox) == 12
    html = html_of(runner_client.get(page_url(cohort)))
    assert ">Published</strong>" in html
    assert "Publish the sets and email the members" not in html
    assert "Fran Facilitator published the sets" in html


def test_composing_after_publishing_places_newcomers_and_says_so(
    runner_client, cohort, lead, three_sets
):
    peer_groups_publish(cohort=cohort, by=lead)
    compose = url("facilitate_peer_groups_compose", cohort)
    unchanged = runner_client.post(compose, compose_data())
    assert messages_of(unchanged)[-1] == (
        "Everyone is already in a set: the published sets are unchanged"
    )
    make_members_in_bulk(cohort, 2, first=100, sector_slugs=FOUR_SECTORS)
    response = runner_client.post(compose, compose_data())
    assert response.status_code == 302
    assert messages_of(response)[-1].startswith(
        "2 members were placed in the published sets and will be emailed their set"
    )
    assert PeerSetMember.objects.filter(cohort=cohort).count() == 14


def test_publishing_twice_is_refused_with_the_reason(runner_client, cohort, lead, three_sets):
    peer_groups_publish(cohort=cohort, by=lead)
    response = runner_client.post(url("facilitate_peer_groups_publish", cohort))
    assert response.status_code == 400
    assert "The sets were already published on" in error_summary(response)


def test_publishing_without_sets_is_refused(runner_client, cohort, lead, members):
    response = runner_client.post(url("facilitate_peer_groups_publish", cohort))
    assert response.status_code == 400
    assert "There are no sets to publish: compose them first" in error_summary(response)


# --- Moving, pinning, advisers -----------------------------------------------------------------


def test_a_member_is_moved_by_set_number(runner_client, cohort, lead, three_sets):
    mover = three_sets[0]
    response = runner_client.post(
        url("facilitate_peer_member_move", cohort, mover.pk), {"to_number": "3", "action": "move"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Member 0 moved to set 3 and pinned there"]
    assert PeerSetMember.objects.get(enrolment=mover).peer_set.number == 3
    html = html_of(runner_client.get(page_url(cohort)))
    assert "Fran Facilitator moved Member 0 from set 1 to set 3" in html


def test_a_member_is_taken_out_of_their_set(runner_client, cohort, lead, three_sets):
    response = runner_client.post(
        url("facilitate_peer_member_move", cohort, three_sets[0].pk), {"action": "remove"}
    )
    assert response.status_code == 302
    assert not PeerSetMember.objects.filter(enrolment=three_sets[0]).exists()
    html = html_of(runner_client.get(page_url(cohort)))
    assert "Members not in a set" in html
    assert "1 member is not in a set." in html


@pytest.mark.parametrize(
    ("to_number", "message"),
    [
        ("7", "There is no set 7 in this cohort: choose a set from 1 to 3"),
        ("1", "Member 0 is already in set 1"),
        ("", "Enter the number of the set to move them to"),
        ("three", "Enter the number of a set, like 3"),
        ("0", "Enter the number of a set, like 3"),
        ("99999999999999999999", "There is no set with that number"),
    ],
)
def test_a_move_that_cannot_be_made_is_refused_beside_the_member(
    runner_client, cohort, lead, three_sets, to_number, message
):
    mover = three_sets[0]
    response = runner_client.post(
        url("facilitate_peer_member_move", cohort, mover.pk),
        {"to_number": to_number, "action": "move"},
    )
    assert response.status_code == 400
    summary = error_summary(response)
    assert message in summary
    assert f'href="#move-{mover.pk}-to_number"' in summary
    assert f'id="move-{mover.pk}-to_number-error"' in html_of(response)
    assert PeerSetMember.objects.get(enrolment=mover).peer_set.number == 1
    assert not PeerGroupChange.objects.exists()


def test_a_member_of_another_cohort_is_not_found(runner_client, cohort, lead, three_sets):
    stranger = EnrolmentFactory(cohort=CohortFactory())
    for name, data in (
        ("facilitate_peer_member_move", {"to_number": "1"}),
        ("facilitate_peer_member_pin", {"action": "pin"}),
    ):
        response = runner_client.post(url(name, cohort, stranger.pk), data)
        assert response.status_code == 404


def test_pinning_and_unpinning(runner_client, cohort, lead, three_sets):
    pin = url("facilitate_peer_member_pin", cohort, three_sets[2].pk)
    response = runner_client.post(pin, {"action": "pin"})
    assert messages_of(response) == ["Member 2 is pinned to set 1"]
    assert PeerSetMember.objects.get(enrolment=three_sets[2]).pinned
    response = runner_client.post(pin, {"action": "unpin"})
    assert messages_of(response)[-1] == "Member 2 is no longer pinned to set 1"
    assert runner_client.post(pin, {"action": "sideways"}).status_code == 400


def test_pinning_someone_not_in_a_set_is_refused(runner_client, cohort, lead, three_sets):
    [newcomer] = make_members_in_bulk(cohort, 1, first=50)
    response = runner_client.post(
        url("facilitate_peer_member_pin", cohort, newcomer.pk), {"action": "pin"}
    )
    assert response.status_code == 400
    assert "Member 50 is not in a set" in error_summary(response)


def test_an_adviser_is_named_among_the_cohorts_facilitators(
    runner_client, cohort, lead, three_sets
):
    response = runner_client.post(
        url("facilitate_peer_set_adviser", cohort, 2), {"adviser": str(lead.pk)}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Fran Facilitator is the adviser of set 2"]
    assert PeerSet.objects.get(cohort=cohort, number=2).adviser == lead
    response = runner_client.post(url("facilitate_peer_set_adviser", cohort, 2), {"adviser": ""})
    assert messages_of(response)[-1] == "Set 2 has no adviser now"


def test_an_adviser_who_does_not_facilitate_the_cohort_is_refused(
    runner_client, cohort, lead, three_sets
):
    elsewhere = facilitator(display_name="Gil Other")
    CohortFactory(facilitators=[elsewhere])
    response = runner_client.post(
        url("facilitate_peer_set_adviser", cohort, 1), {"adviser": str(elsewhere.pk)}
    )
    assert response.status_code == 400
    summary = error_summary(response)
    assert "Choose one of the cohort&#x27;s facilitators, or no adviser" in summary
    assert 'href="#adviser-1-adviser"' in summary
    assert PeerSet.objects.get(cohort=cohort, number=1).adviser is None
    assert (
        runner_client.post(
            url("facilitate_peer_set_adviser", cohort, 9), {"adviser": str(lead.pk)}
        ).status_code
        == 404
    )


# --- Keeping apart -----------------------------------------------------------------------------


def test_two_members_are_kept_apart(runner_client, cohort, lead, members):
    response = runner_client.post(
        url("facilitate_keep_apart_add", cohort),
        {"first": str(members[3].pk), "second": str(members[1].pk)},
    )
    assert response.status_code == 302
    assert response.url == page_url(cohort) + "#apart"
    assert messages_of(response) == ["Member 3 and Member 1 will be kept in different sets"]
    pair = KeepApart.objects.get()
    assert (pair.first, pair.second, pair.declared_by) == (members[1], members[3], lead)
    html = html_of(runner_client.get(page_url(cohort)))
    assert "Member 1 and Member 3" in html
    response = runner_client.post(url("facilitate_keep_apart_delete", cohort, pair.pk))
    assert response.status_code == 302
    assert not KeepApart.objects.exists()


def test_keeping_apart_refuses_one_person_twice_and_a_stranger(
    runner_client, cohort, lead, members
):
    add = url("facilitate_keep_apart_add", cohort)
    same = runner_client.post(add, {"first": str(members[0].pk), "second": str(members[0].pk)})
    assert same.status_code == 400
    assert "Choose two different members" in error_summary(same)
    missing = runner_client.post(add, {"first": str(members[0].pk), "second": ""})
    assert missing.status_code == 400
    assert "Choose the second member" in error_summary(missing)
    stranger = EnrolmentFactory(cohort=CohortFactory())
    response = runner_client.post(add, {"first": str(members[0].pk), "second": str(stranger.pk)})
    assert response.status_code == 404
    keep_apart_add(cohort=cohort, first=members[0], second=members[1], by=lead)
    again = runner_client.post(add, {"first": str(members[1].pk), "second": str(members[0].pk)})
    assert again.status_code == 400
    assert "Member 1 and Member 0 are already kept apart" in error_summary(again)
    assert KeepApart.objects.count() == 1


def test_another_cohorts_pair_is_not_found(runner_client, cohort, lead, members):
    other = CohortFactory()
    a, b = make_members_in_bulk(other, 2, first=500)
    pair = KeepApart.objects.create(cohort=other, first=a, second=b)
    response = runner_client.post(url("facilitate_keep_apart_delete", cohort, pair.pk))
    assert response.status_code == 404
    assert KeepApart.objects.filter(pk=pair.pk).exists()


def test_in_a_large_cohort_members_are_kept_apart_by_email_address(runner_client, cohort, lead):
    people = make_members_in_bulk(cohort, SELECT_LIMIT + 1)
    html = html_of(runner_client.get(page_url(cohort)))
    assert "give each by their email address" in html
    assert 'type="email" name="first"' in html
    add = url("facilitate_keep_apart_add", cohort)
    unknown = runner_client.post(
        add, {"first": people[0].user.email, "second": "nobody@example.org"}
    )
    assert unknown.status_code == 400
    assert "No member of this cohort has the email address nobody@example.org" in error_summary(
        unknown
    )
    response = runner_client.post(
        add, {"first": people[0].user.email.upper(), "second": people[7].user.email}
    )
    assert response.status_code == 302
    assert KeepApart.objects.filter(first=people[0], second=people[7]).exists()


# --- A learner's own declarations --------------------------------------------------------------


def test_a_learner_names_someone_they_work_with(client, learner):
    client.force_login(learner)
    address = reverse("working_relationships")
    page = client.get(address)
    assert page.status_code == 200
    assert "we keep you in different peer groups" in html_of(page)
    assert "We never tell them" in html_of(page)
    response = client.post(address, {"email": "boss@example.org"})
    assert response.status_code == 302
    assert messages_of(response) == [
        "We will keep you and boss@example.org in different peer groups"
    ]
    assert "boss@example.org" in html_of(client.get(address))


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter their email address"),
        ("not an address", "Enter an email address, like name@example.org"),
        ("SELF", "Enter someone else&#x27;s email address, not your own"),
        ("boss@example.org", "You have already told us about boss@example.org"),
    ],
)
def test_a_declaration_that_cannot_be_taken_is_refused(client, learner, email, message):
    WorkingRelationship.objects.create(user=learner, email="Boss@Example.org")
    client.force_login(learner)
    if email == "SELF":
        email = learner.email.upper()
    response = client.post(reverse("working_relationships"), {"email": email})
    assert response.status_code == 400
    assert message in error_summary(response)
    assert WorkingRelationship.objects.count() == 1


def test_a_learner_removes_their_own_declarations_only(client, learner):
    mine = WorkingRelationship.objects.create(user=learner, email="boss@example.org")
    theirs = WorkingRelationship.objects.create(user=UserFactory(), email="boss@example.org")
    client.force_login(learner)
    assert client.post(reverse("working_relationship_delete", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("working_relationship_delete", args=[mine.pk])).status_code == 405
    response = client.post(reverse("working_relationship_delete", args=[mine.pk]))
    assert response.status_code == 302
    assert not WorkingRelationship.objects.filter(pk=mine.pk).exists()
    assert WorkingRelationship.objects.filter(pk=theirs.pk).exists()


def test_the_profile_links_to_the_declarations(client, learner):
    client.force_login(learner)
    html = html_of(client.get(reverse("profile")))
    assert f'href="{reverse("working_relationships")}"' in html


def test_visitors_are_asked_to_sign_in(client):
    address = reverse("working_relationships")
    assert client.get(address).url == login_url_for(address)


# --- Queries -----------------------------------------------------------------------------------


def page_queries(client, cohort) -> int:
    client.get(page_url(cohort))  # warm: session, site and content-type caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(cohort))
    assert response.status_code == 200
    return len(queries)


def test_the_page_makes_the_same_queries_for_20_or_1000_members_in_sets_of_4_or_12(
    client, course_page
):
    lead = facilitator(display_name="Ann Lee")
    other = facilitator(display_name="Cat Day")
    client.force_login(lead)
    counts = {}
    for total in (20, 1000):
        for per_set in (4, 12):
            cohort = CohortFactory(course=course_page, capacity=2000, facilitators=[lead, other])
            people = make_members_in_bulk(cohort, total, sector_slugs=FOUR_SECTORS)
            # Everyone placed but the last two; every set advised; a pair kept apart, a
            # learner's declaration, and a log to show.
            make_peer_sets(cohort, people[:-2], per_set)
            PeerSet.objects.filter(cohort=cohort).update(adviser=other)
            PeerSetMember.objects.filter(enrolment__in=people[:3]).update(pinned=True)
            KeepApart.objects.create(cohort=cohort, first=people[0], second=people[5])
            WorkingRelationship.objects.create(user=people[1].user, email=people[9].user.email)
            PeerGroupPlan.objects.create(
                cohort=cohort, size=per_set, min_size=per_set - 1, max_size=per_set + 1
            )
            PeerGroupChange.objects.bulk_create(
                [
                    PeerGroupChange(
                        cohort=cohort,
                        kind=PeerGroupChange.Kind.MOVED,
                        actor=lead,
                        enrolment=people[n],
                        from_number=1,
                        to_number=2,
                    )
                    for n in range(20)
                ]
            )
            counts[(total, per_set)] = page_queries(client, cohort)
    assert len(set(counts.values())) == 1, f"queries by (members, set size): {counts}"
    print(f"composer page queries: {counts}")
