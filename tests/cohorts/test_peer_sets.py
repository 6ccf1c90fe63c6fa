"""A peer group's space: who may open it (its members and adviser, nobody else: not the cohort's
other facilitators, programme managers or superusers, nor a member of another set), what it
shows (members, meetings, whose turn it is, posts newest thread first, ten threads a page), and
posting and replying, with refused posts answered 400 and nothing saved. Meetings, attendance
and commitments are in test_peer_sets_meetings.py."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from academy.roles import PROGRAMME_MANAGERS
from cohorts.models import Enrolment, PeerPost

from ..factories import UserFactory
from .factories import (
    EnrolmentFactory,
    facilitator,
    make_peer_meeting,
    make_peer_post,
    make_peer_set,
    peer_set_members_of,
    publish_peer_groups,
)
from .helpers import html_of, login_url_for, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser():
    return facilitator(display_name="Ada Adviser", job_title="Organisational development lead")


@pytest.fixture
def peer_set(cohort, adviser):
    return make_peer_set(cohort, members=4, adviser=adviser)


@pytest.fixture
def members(peer_set):
    return peer_set_members_of(peer_set)


@pytest.fixture
def member(members):
    return members[0]


@pytest.fixture
def other_set(cohort, peer_set):
    return make_peer_set(cohort, members=3)


def space_url(peer_set) -> str:
    return reverse("peer_set", args=[peer_set.cohort_id, peer_set.number])


def own_url(cohort) -> str:
    return reverse("own_peer_set", args=[cohort.pk])


def post_url(peer_set) -> str:
    return reverse("peer_post_add", args=[peer_set.cohort_id, peer_set.number])


def reply_url(post) -> str:
    peer_set = post.peer_set
    return reverse("peer_post_reply", args=[peer_set.cohort_id, peer_set.number, post.pk])


def get_as(client, user, url):
    client.force_login(user)
    return client.get(url)


# --- Who may open a set's space ---


def test_a_member_opens_their_set_at_its_address_and_at_the_cohorts_peer_group_page(
    client, member, peer_set, cohort
):
    numbered = get_as(client, member.user, space_url(peer_set))
    own = client.get(own_url(cohort))

    assert numbered.status_code == own.status_code == 200
    for response in (numbered, own):
        assert "Your peer group: Set 1" in html_of(response)
        assert next(t.name for t in response.templates) == "cohorts/peer_sets/space.html"


def test_the_adviser_opens_the_set_and_finds_the_sets_they_advise(
    client, adviser, peer_set, other_set, cohort
):
    other_set.adviser = adviser
    other_set.save()

    assert get_as(client, adviser, space_url(peer_set)).status_code == 200
    listing = client.get(own_url(cohort))

    assert listing.status_code == 200
    html = html_of(listing)
    assert "You advise these sets" in html
    assert f'href="{space_url(peer_set)}"' in html and f'href="{space_url(other_set)}"' in html


def test_a_member_of_another_set_of_the_cohort_gets_not_found(client, peer_set, other_set):
    someone_else = peer_set_members_of(other_set)[0].user

    assert get_as(client, someone_else, space_url(peer_set)).status_code == 404
    assert "Your peer group: Set 2" in html_of(client.get(own_url(peer_set.cohort)))


@pytest.mark.parametrize("who", ["facilitator", "programme manager", "superuser"])
def test_people_who_run_the_cohort_but_do_not_advise_the_set_get_not_found(
    client, cohort, peer_set, who
):
    person = {
        "facilitator": lambda: facilitator(),
        "programme manager": lambda: UserFactory(groups=[PROGRAMME_MANAGERS]),
        "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
    }[who]()
    cohort.facilitators.add(person) if who == "facilitator" else None

    assert get_as(client, person, space_url(peer_set)).status_code == 404
    page = client.get(own_url(cohort))
    assert page.status_code == 200
    assert "You do not advise a peer group of this cohort" in html_of(page)
    assert reverse("facilitate_peer_groups", args=[cohort.pk]) in html_of(page)


def test_an_adviser_who_no_longer_runs_the_cohort_gets_not_found(client, adviser, peer_set):
    peer_set.cohort.facilitators.remove(adviser)

    assert get_as(client, adviser, space_url(peer_set)).status_code == 404
    assert client.get(own_url(peer_set.cohort)).status_code == 404


def test_a_member_who_withdrew_gets_not_found(client, member, peer_set):
    Enrolment.objects.filter(pk=member.pk).update(status=Enrolment.Status.WITHDRAWN)

    assert get_as(client, member.user, space_url(peer_set)).status_code == 404
    assert client.get(own_url(peer_set.cohort)).status_code == 404


def test_before_publishing_nobody_opens_a_set_and_members_are_told_to_wait(
    client, member, adviser, peer_set, cohort
):
    publish_peer_groups(cohort, published=False)

    assert get_as(client, member.user, space_url(peer_set)).status_code == 404
    assert get_as(client, adviser, space_url(peer_set)).status_code == 404
    page = get_as(client, member.user, own_url(cohort))
    assert page.status_code == 200
    assert "The facilitators have not published the peer groups yet" in html_of(page)


def test_a_cohort_member_without_a_set_is_told_so(client, cohort, peer_set):
    unplaced = EnrolmentFactory(cohort=cohort).user

    page = get_as(client, unplaced, own_url(cohort))

    assert page.status_code == 200
    assert "You are not in a peer group of this cohort" in html_of(page)


def test_a_cohort_without_a_plan_says_the_sets_are_not_published(client, learner, cohort):
    page = get_as(client, learner, own_url(cohort))

    assert "The facilitators have not published the peer groups yet" in html_of(page)


def test_anyone_else_gets_not_found_and_visitors_are_asked_to_sign_in(client, cohort, peer_set):
    assert client.get(space_url(peer_set))["Location"] == login_url_for(space_url(peer_set))
    assert client.get(own_url(cohort))["Location"] == login_url_for(own_url(cohort))
    stranger = UserFactory()
    assert get_as(client, stranger, space_url(peer_set)).status_code == 404
    assert client.get(own_url(cohort)).status_code == 404
    missing = reverse("peer_set", args=[cohort.pk, 99])
    assert client.get(missing).status_code == 404


def test_the_cohort_home_links_to_the_peer_group_once_published(client, member, cohort, peer_set):
    publish_peer_groups(cohort, published=False)
    home = reverse("cohort_home", args=[cohort.pk])
    assert own_url(cohort) not in html_of(get_as(client, member.user, home))

    publish_peer_groups(cohort)

    html = html_of(client.get(home))
    assert f'href="{own_url(cohort)}"' in html and "Your peer group: Set 1" in html


def test_the_cohort_home_links_an_adviser_to_the_sets_they_advise(
    client, adviser, cohort, peer_set
):
    html = html_of(get_as(client, adviser, reverse("cohort_home", args=[cohort.pk])))

    assert f'href="{own_url(cohort)}"' in html and "The peer groups you advise" in html


# --- What the space shows ---


def test_the_space_shows_each_members_card_and_the_adviser(client, members, peer_set):
    html = html_of(get_as(client, members[0].user, space_url(peer_set)))

    for enrolment in members:
        person = enrolment.user
        for detail in (
            person.display_name,
            person.job_title,
            person.organisation.name,
            person.sector.name,
            person.place.name,
        ):
            assert detail in html
    assert "Ada Adviser" in html and "Organisational development lead" in html


def test_the_space_shows_the_next_meeting_past_ones_and_whose_turn_is_next(
    client, members, peer_set
):
    ada, ben, *_ = sorted(members, key=lambda e: e.user.display_name)
    past = make_peer_meeting(peer_set, days=-14, problem_holder=ada)
    cancelled = make_peer_meeting(peer_set, days=2, cancelled=True, problem_holder=ben)
    upcoming = make_peer_meeting(
        peer_set, days=7, problem_holder=ben, location="Room 4, Civic Centre"
    )

    html = html_of(get_as(client, ada.user, space_url(peer_set)))

    meeting_url = reverse("peer_meeting", args=[peer_set.cohort_id, 1, upcoming.pk])
    assert f'href="{meeting_url}"' in html
    assert "Room 4, Civic Centre" in html and "https://meet.example.org/set" in html
    next_block = html.split("Next meeting")[1].split("Other meetings to come")[0]
    assert ben.user.display_name in next_block
    starts = timezone.localtime(upcoming.starts_at)
    assert f"{starts:%A} {starts.day} {starts:%B %Y}" in next_block
    assert reverse("peer_meeting_add", args=[peer_set.cohort_id, 1]) in html
    assert reverse("peer_meeting", args=[peer_set.cohort_id, 1, past.pk]) in html
    assert reverse("peer_meeting", args=[peer_set.cohort_id, 1, cancelled.pk]) in html
    third = sorted(members, key=lambda e: e.user.display_name)[2]
    assert f"Next turn to bring a problem: <strong>{third.user.display_name}</strong>" in html


def test_threads_are_newest_first_with_their_replies_oldest_first(client, members, peer_set):
    ada, ben, cal, _ = members
    now = timezone.now()
    first = make_peer_post(peer_set, ada, "The first thread", created_at=now - timedelta(days=3))
    second = make_peer_post(peer_set, ben, "The second thread", created_at=now - timedelta(days=2))
    make_peer_post(
        peer_set, cal, "A later reply", parent=first, created_at=now - timedelta(hours=1)
    )
    make_peer_post(
        peer_set, ben, "An early reply", parent=first, created_at=now - timedelta(days=1)
    )

    html = html_of(get_as(client, ada.user, space_url(peer_set)))

    order = [html.index(text) for text in ("The second", "The first", "An early", "A later")]
    assert order == sorted(order)
    assert f'id="post-{second.pk}"' in html


def test_ten_threads_a_page(client, member, peer_set):
    now = timezone.now()
    for n in range(12):
        make_peer_post(peer_set, member, f"Thread number {n:02d}.", created_at=now - timedelta(n))

    first_page = html_of(get_as(client, member.user, space_url(peer_set)))
    second_page = html_of(client.get(space_url(peer_set), {"page": 2}))

    assert all(f"Thread number {n:02d}." in first_page for n in range(10))
    assert "Thread number 10." not in first_page and "Thread number 11." in second_page
    assert 'href="?page=2#posts"' in first_page
    assert client.get(space_url(peer_set), {"page": "nonsense"}).status_code == 200
    assert client.get(space_url(peer_set), {"page": "9" * 30}).status_code == 200


def test_posts_are_shown_with_safe_links_and_their_html_as_text(client, member, peer_set):
    make_peer_post(
        peer_set,
        member,
        "Have a look:\nhttps://example.org/pooled-budgets\n<script>alert('x')</script>",
    )

    html = html_of(get_as(client, member.user, space_url(peer_set)))

    assert (
        '<a href="https://example.org/pooled-budgets" rel="nofollow noopener noreferrer">' in html
    )
    assert "Have a look:<br>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_a_post_of_an_erased_author_shows_as_a_former_members(client, members, peer_set):
    stub = make_peer_post(peer_set, None, "")
    make_peer_post(peer_set, members[1], "A reply that stays", parent=stub)

    html = html_of(get_as(client, members[0].user, space_url(peer_set)))

    assert "A former member" in html
    assert "This post was removed with its author's account" in html
    assert "A reply that stays" in html


# --- Posting and replying ---


def test_a_member_posts_and_is_taken_to_the_post(client, member, peer_set):
    client.force_login(member.user)

    response = client.post(post_url(peer_set), {"body": "  What helped you say no to a board?  "})

    post = PeerPost.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{space_url(peer_set)}#post-{post.pk}"
    assert (post.author, post.parent, post.body) == (
        member,
        None,
        "What helped you say no to a board?",
    )
    assert messages_of(response) == ["Your post has been added"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something to post"),
        (" \n\t ", "Write something to post"),
        ("x" * 20_000, "Your post must be 10,000 characters or fewer"),
        ("x" * 10_001, "Your post must be 10,000 characters or fewer"),
        ("a\x00b", "Null characters are not allowed."),
    ],
)
def test_a_refused_post_is_answered_400_with_the_reason_and_nothing_saved(
    client, member, peer_set, body, message
):
    client.force_login(member.user)

    response = client.post(post_url(peer_set), {"body": body})

    assert response.status_code == 400
    assert message in html_of(response)
    assert "There is a problem" in html_of(response)
    assert not PeerPost.objects.exists()


def test_a_post_of_ten_thousand_characters_after_stripping_is_taken(client, member, peer_set):
    client.force_login(member.user)

    response = client.post(post_url(peer_set), {"body": "  " + "y" * 10_000 + "\n\n"})

    assert response.status_code == 302
    assert len(PeerPost.objects.get().body) == 10_000


def test_posting_to_a_set_you_are_not_in_is_not_found(client, peer_set, other_set, adviser):
    outsider = peer_set_members_of(other_set)[0].user

    assert get_as(client, outsider, post_url(peer_set)).status_code == 404
    assert client.post(post_url(peer_set), {"body": "Hello"}).status_code == 404
    client.force_login(adviser)
    assert client.post(post_url(peer_set), {"body": "Hello from the adviser"}).status_code == 404
    assert not PeerPost.objects.exists()


def test_the_page_to_write_a_post_shows_its_form(client, member, peer_set):
    response = get_as(client, member.user, post_url(peer_set))

    assert response.status_code == 200
    assert 'name="body"' in html_of(response)


def test_a_member_replies_and_is_taken_to_the_reply_on_its_threads_page(client, members, peer_set):
    now = timezone.now()
    thread = make_peer_post(peer_set, members[1], "An old thread", created_at=now - timedelta(30))
    for n in range(10):
        make_peer_post(peer_set, members[2], f"Newer {n}", created_at=now - timedelta(n))
    client.force_login(members[0].user)

    response = client.post(reply_url(thread), {"body": "Me too"})

    reply = PeerPost.objects.get(body="Me too")
    assert (reply.parent, reply.author) == (thread, members[0])
    assert response["Location"] == f"{space_url(peer_set)}?page=2#post-{reply.pk}"
    assert "Me too" in html_of(client.get(response["Location"]))


def test_a_reply_to_a_reply_joins_its_thread(client, members, peer_set):
    thread = make_peer_post(peer_set, members[1], "A thread")
    reply = make_peer_post(peer_set, members[2], "A reply", parent=thread)
    client.force_login(members[0].user)

    assert client.get(reply_url(reply)).status_code == 200
    client.post(reply_url(reply), {"body": "A reply to the reply"})

    assert PeerPost.objects.get(body="A reply to the reply").parent == thread


def test_the_reply_page_shows_the_thread(client, members, peer_set):
    thread = make_peer_post(peer_set, members[1], "Who has pooled a budget?")
    make_peer_post(peer_set, members[2], "We did, in 2024", parent=thread)

    html = html_of(get_as(client, members[0].user, reply_url(thread)))

    assert "Who has pooled a budget?" in html and "We did, in 2024" in html


def test_replying_to_a_post_of_another_set_is_not_found(client, member, peer_set, other_set):
    elsewhere = make_peer_post(other_set, peer_set_members_of(other_set)[0], "Not yours")
    client.force_login(member.user)
    wrong = reverse("peer_post_reply", args=[peer_set.cohort_id, peer_set.number, elsewhere.pk])

    assert client.post(wrong, {"body": "Hello"}).status_code == 404
    assert client.post(reply_url(elsewhere), {"body": "Hello"}).status_code == 404
    assert PeerPost.objects.count() == 1


def test_an_empty_reply_is_refused(client, members, peer_set):
    thread = make_peer_post(peer_set, members[1], "A thread")
    client.force_login(members[0].user)

    response = client.post(reply_url(thread), {"body": "   "})

    assert response.status_code == 400
    assert "Write something to reply" in html_of(response)
    assert PeerPost.objects.count() == 1
