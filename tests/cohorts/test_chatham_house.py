"""The Chatham House rule of peer groups (docs/privacy.md): what a set's members write (posts,
replies, commitments and how they went) is seen by the set and its adviser, and nowhere else.

Marker strings are written in every kind of text a set holds; then every URL of the site is
asked for as each person who runs cohorts or the academy (the cohort's facilitator, who does
not advise the set; another cohort's; a programme manager; a superuser; an editor and a
moderator) and as a member of another set of the same cohort. The URLs are found by
construction: every GET row of the access matrix (``tests/access/rows.py``, which
``test_every_route_has_its_rows`` keeps complete), and, for any route of the academy's that no
GET row covers yet, a URL built from the route's own pattern with the test world's ids. No
answer may hold a marker, except the set's own pages for its members and adviser, which must.

Also: the author's own download holds their posts and commitments; erasing the author removes
their posts, replies and commitments, while others' replies stay in the thread, shown as
replying to "a former member"."""

import io
import itertools
import json
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.test import Client
from django.urls import reverse

import pytest

from academy import services
from cohorts.models import (
    Commitment,
    KeepApart,
    PeerPost,
    PeerSetMember,
    WorkingRelationship,
)
from tests.access.routes import all_routes, route_of
from tests.access.rows import MATRIX
from tests.access.world import build_world, request, sign_in_everyone
from tests.database import built_for_the_module

from .factories import (
    EnrolmentFactory,
    facilitator,
    make_peer_meeting,
    make_peer_post,
    make_peer_set,
    peer_set_members_of,
    publish_peer_groups,
)
from .helpers import html_of

MARKERS = {
    "post": "MARKER-POST-7f3a9c",
    "reply": "MARKER-REPLY-2b81d0",
    "commitment": "MARKER-COMMITMENT-c45e12",
    "outcome note": "MARKER-OUTCOME-9d06ab",
}
# Who runs cohorts or the academy, and a member of the cohort's other set: none of them may
# meet a marker anywhere.
OUTSIDERS = (
    "facilitator_of_cohort",
    "facilitator_of_other_cohort",
    "programme_manager",
    "superuser",
    "editor",
    "moderator",
    "member_of_another_set",
)
ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass
class PeerWorld:
    world: object
    peer_set: object
    past: object
    upcoming: object
    thread: object
    commitment: object
    relationship: object
    pair: object

    def values(self) -> dict[str, list]:
        """Ids for each parameter the academy's routes take, tried in turn."""
        w = self.world
        return {
            "cohort_id": [w.cohort.pk],
            "number": sorted({self.peer_set.number, 1}),
            "meeting_id": [self.past.pk, self.upcoming.pk],
            "post_id": [self.thread.pk],
            "commitment_id": [self.commitment.pk],
            "assessment_id": [w.assessment.pk, w.quiz.pk, w.peer_review.pk],
            "file_id": [w.submission_file.pk],
            "review_id": [w.review.pk],
            "session_id": [w.session.pk],
            "submission_id": [w.submission.pk],
            "enrolment_id": [w.learner_enrolment.pk],
            "lesson_id": [w.lesson.pk],
            "relationship_id": [self.relationship.pk],
            "pair_id": [self.pair.pk],
        }


def _sign_in(world, role: str, user) -> None:
    client = Client()
    client.force_login(user)
    world.users[role] = user
    world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value


def _peer_world(world) -> PeerWorld:
    """The learner's set, published, with an adviser who is not the cohort's facilitator, a
    past meeting with commitments reviewed at an upcoming one, and a thread with a reply: each
    text holding its marker. A set the world already has is used as it is."""
    cohort = world.cohort
    adviser = facilitator(display_name="Sam Setadviser")
    place = PeerSetMember.objects.filter(enrolment=world.learner_enrolment).first()
    if place is None:
        peer_set = make_peer_set(
            cohort, members=2, people=[world.learner_enrolment], adviser=adviser
        )
        peer_set.adviser = adviser
    else:
        # The set's adviser here is someone other than the cohort's facilitator, who must see
        # none of it.
        peer_set = place.peer_set
        publish_peer_groups(cohort)
        cohort.facilitators.add(adviser)
        peer_set.adviser = adviser
    peer_set.save()
    members = peer_set_members_of(peer_set)
    if len(members) < 2:
        classmate = EnrolmentFactory(cohort=cohort)
        PeerSetMember.objects.create(peer_set=peer_set, cohort=cohort, enrolment=classmate)
        members.append(classmate)
    learner = world.learner_enrolment
    other = next(m for m in members if m != learner)
    other_set = make_peer_set(cohort, members=2)
    past = make_peer_meeting(peer_set, days=-7, problem_holder=learner)
    upcoming = make_peer_meeting(peer_set, days=7, problem_holder=other)
    thread = make_peer_post(peer_set, learner, f"Our budget problem {MARKERS['post']}")
    make_peer_post(peer_set, other, f"Have you tried {MARKERS['reply']}", parent=thread)
    commitment = Commitment.objects.create(
        meeting=past,
        enrolment=learner,
        text=f"Talk to the board {MARKERS['commitment']}",
        outcome=Commitment.Outcome.PARTLY,
        outcome_note=f"Half done {MARKERS['outcome note']}",
    )
    relationship, _ = WorkingRelationship.objects.get_or_create(
        user=learner.user, email="line.manager@example.org"
    )
    first, second = sorted([learner, other], key=lambda enrolment: enrolment.pk)
    pair = KeepApart.objects.create(cohort=cohort, first=first, second=second)
    _sign_in(world, "adviser", peer_set.adviser)
    _sign_in(world, "member_of_another_set", peer_set_members_of(other_set)[0].user)
    return PeerWorld(world, peer_set, past, upcoming, thread, commitment, relationship, pair)


@pytest.fixture(scope="module")
def peer_world(django_db_setup, django_db_blocker):
    with built_for_the_module(django_db_blocker):
        world = build_world()
        sign_in_everyone(world)
        yield _peer_world(world)


def _built(route: str, values: dict[str, list]) -> list[str]:
    """Every URL of ``route`` with the world's ids put in for its parameters."""
    names = ROUTE_PARAMETER.findall(route)
    missing = [name for name in names if name not in values]
    assert not missing, (
        f"No ids for {missing} in route {route}: give them in PeerWorld.values, or give the "
        "route a GET row in tests/access/rows.py"
    )
    urls = []
    for chosen in itertools.product(*(values[name] for name in names)):
        by_name = dict(zip(names, chosen, strict=True))
        path = ROUTE_PARAMETER.sub(lambda match, ids=by_name: str(ids[match.group(1)]), route)
        urls.append("/" + path)
    return urls


def every_url(peer_world) -> list[str]:
    """Every GET row's URL, and a URL built for every route of the academy's without one."""
    world = peer_world.world
    urls = [row.url(world) for row in MATRIX if row.method == "get"]
    covered = {route_of(url) for url in urls}
    for route in all_routes():
        if route.ours and route.route not in covered:
            assert "^" not in route.route, f"Give {route} a GET row in tests/access/rows.py"
            urls.extend(_built(route.route, peer_world.values()))
    return list(dict.fromkeys(urls))


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _found(text: str) -> list[str]:
    return [kind for kind, marker in MARKERS.items() if marker in text]


def _own_pages(peer_world) -> set[str]:
    """The pages of the set that its members and adviser may read."""
    cohort_id, number = peer_world.world.cohort.pk, peer_world.peer_set.number
    return {
        reverse("own_peer_set", args=[cohort_id]),
        reverse("peer_set", args=[cohort_id, number]),
        reverse("peer_post_reply", args=[cohort_id, number, peer_world.thread.pk]),
        *(
            reverse("peer_meeting", args=[cohort_id, number, meeting.pk])
            for meeting in peer_world.peer_set.meetings.all()
        ),
        reverse("peer_commitment_review", args=[cohort_id, number, peer_world.commitment.pk]),
    }


@pytest.mark.django_db
def test_every_route_of_the_academy_is_asked_for(peer_world):
    asked = {route_of(url) for url in every_url(peer_world)}

    assert {route.route for route in all_routes() if route.ours} <= asked


@pytest.mark.django_db
@pytest.mark.parametrize("role", OUTSIDERS)
def test_no_page_export_or_report_shows_a_sets_words_to_anyone_outside_it(client, peer_world, role):
    world = peer_world.world
    leaks = []
    for url in every_url(peer_world):
        response = request(client, world, role, "get", url)
        if found := _found(_text(response)):
            leaks.append(f"{url} ({response.status_code}): {', '.join(found)}")

    assert not leaks, f"{role} read what a set wrote at:\n  " + "\n  ".join(leaks)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["learner_in_cohort", "adviser"])
def test_the_set_and_its_adviser_read_its_words_on_its_pages_alone(client, peer_world, role):
    world = peer_world.world
    own = _own_pages(peer_world)
    seen, leaks = set(), []
    for url in every_url(peer_world):
        response = request(client, world, role, "get", url)
        found = _found(_text(response))
        if url.split("?")[0] in own:
            seen.update(found)
        elif found:
            leaks.append(f"{url}: {', '.join(found)}")

    assert not leaks, f"{role} met the set's words outside its pages:\n  " + "\n  ".join(leaks)
    assert seen == set(MARKERS)


# --- The author's own data, and erasing it ---


@pytest.fixture
def set_with_words(cohort):
    peer_set = make_peer_set(cohort, members=3)
    author, replier, _ = peer_set_members_of(peer_set)
    thread = make_peer_post(peer_set, author, f"A thread {MARKERS['post']}")
    own_reply = make_peer_post(peer_set, author, f"My own reply {MARKERS['reply']}", parent=thread)
    others_reply = make_peer_post(peer_set, replier, "Someone else's reply", parent=thread)
    lonely = make_peer_post(peer_set, author, "A post nobody answered")
    meeting = make_peer_meeting(peer_set, days=-3)
    Commitment.objects.create(
        meeting=meeting,
        enrolment=author,
        text=f"Call the commissioner {MARKERS['commitment']}",
        outcome=Commitment.Outcome.DONE,
        outcome_note=f"Done {MARKERS['outcome note']}",
    )
    Commitment.objects.create(meeting=meeting, enrolment=replier, text="Another's commitment")
    return peer_set, author, replier, thread, own_reply, others_reply, lonely


@pytest.mark.django_db
def test_the_authors_download_holds_their_posts_and_commitments(set_with_words):
    _, author, replier, *_ = set_with_words

    archive = zipfile.ZipFile(io.BytesIO(services.personal_data_archive(user=author.user).read()))
    document = archive.read(services.EXPORT_DOCUMENT).decode()
    records = json.loads(document)["records"]

    assert set(_found(document)) == set(MARKERS)
    bodies = [item["body"] for item in records["cohorts.PeerPost"]["items"]]
    assert len(bodies) == 3 and "Someone else's reply" not in document
    (commitment,) = records["cohorts.Commitment"]["items"]
    assert commitment["outcome"] == "done"
    assert "Another's commitment" not in document
    others = services.personal_data_export(user=replier.user)
    assert not _found(json.dumps(others, default=str))


@pytest.mark.django_db
def test_erasing_the_author_keeps_others_replies_under_a_former_member(client, set_with_words):
    peer_set, author, replier, thread, own_reply, others_reply, lonely = set_with_words

    services.account_erase(user=author.user)

    assert not PeerPost.objects.filter(pk__in=[own_reply.pk, lonely.pk]).exists()
    stub = PeerPost.objects.get(pk=thread.pk)
    assert (stub.author, stub.body) == (None, "")
    assert PeerPost.objects.get(pk=others_reply.pk).parent == stub
    commitments = Commitment.objects.filter(meeting__peer_set=peer_set)
    assert list(commitments.values_list("text", flat=True)) == ["Another's commitment"]
    every_text = " ".join(PeerPost.objects.filter(peer_set=peer_set).values_list("body", flat=True))
    assert not _found(every_text)

    client.force_login(replier.user)
    html = html_of(client.get(reverse("peer_set", args=[peer_set.cohort_id, peer_set.number])))
    assert "A former member" in html
    assert "This post was removed with its author's account" in html
    thread_html = html.split(f'id="post-{stub.pk}"')[1]
    assert "Someone else&#x27;s reply" in thread_html or "Someone else's reply" in thread_html
    assert not _found(html)
