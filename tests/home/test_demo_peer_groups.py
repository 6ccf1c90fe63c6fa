"""The peer groups of the demo (``home/demo/peer_groups.py``): the running cohort's sets are
published and each mixes at least three sectors with no two people from one organisation and
no pair kept apart together; the demo learner's set has posts, a past meeting with attendance
and commitments and a meeting to come; the other cohorts the demo facilitator runs are left for
them to compose; a second run changes nothing, and a run puts back what a demo changed. Data
that breaks the rules is refused, naming the file and the entry."""

import shutil
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest

from cohorts import composer
from cohorts.models import (
    Cohort,
    Commitment,
    Enrolment,
    KeepApart,
    MeetingAttendance,
    PeerGroupChange,
    PeerGroupPlan,
    PeerMeeting,
    PeerPost,
    PeerSet,
    PeerSetMember,
)
from home.demo import Summary
from home.demo import peer_groups as demo_peer_groups
from home.demo.loader import DATA, DemoDataError
from home.demo.peer_groups import load_peer_groups

from ..cohorts.factories import EnrolmentFactory

LEARNER = "learner@academy.test"
FACILITATOR = "facilitator@academy.test"


@pytest.fixture
def academy(full_demo, db):
    return Cohort.objects.select_related("course").get(name="Cohort 12")


def sets_of(cohort) -> dict[PeerSet, list[Enrolment]]:
    members = PeerSetMember.objects.filter(cohort=cohort).select_related(
        "peer_set", "enrolment__user__organisation__sector", "enrolment__user__place"
    )
    found: dict[PeerSet, list[Enrolment]] = {}
    for member in members.order_by("peer_set__number", "pk"):
        found.setdefault(member.peer_set, []).append(member.enrolment)
    return found


def learners_set(cohort) -> PeerSet:
    return PeerSet.objects.get(cohort=cohort, memberships__enrolment__user__email=LEARNER)


def test_the_running_cohorts_sets_are_published_and_mix_sectors_not_organisations(academy):
    plan = PeerGroupPlan.objects.get(cohort=academy)
    sets = sets_of(academy)
    placed = [enrolment for members in sets.values() for enrolment in members]
    apart = list(KeepApart.objects.filter(cohort=academy).values_list("first", "second"))

    assert academy.is_running and plan.is_published
    assert plan.published_by.email == FACILITATOR and plan.composed_at < plan.published_at
    assert sorted(e.pk for e in placed) == sorted(
        academy.enrolments.members().values_list("pk", flat=True)
    )
    assert len(sets) >= 5
    for peer_set, members in sets.items():
        organisations = [e.user.organisation_id for e in members]
        sectors = {e.user.organisation.sector_id for e in members}
        assert plan.min_size <= len(members) <= plan.max_size, peer_set
        assert len(sectors) >= 3, peer_set
        assert None not in organisations and len(set(organisations)) == len(organisations)
        assert peer_set.adviser.email == FACILITATOR
        ids = {e.pk for e in members}
        assert not any(first in ids and second in ids for first, second in apart)
    assert apart  # a line manager and their report, kept apart


def test_the_composer_finds_no_breach_and_the_best_mix_and_explains_each_placement(academy):
    plan = PeerGroupPlan.objects.get(cohort=academy)
    sets = sets_of(academy)
    members = [enrolment for found in sets.values() for enrolment in found]
    brief = composer.Brief(
        members=[
            composer.Member(
                id=e.pk,
                name=e.user.display_name,
                sector=e.user.organisation.sector.name,
                organisation=e.user.organisation.name,
                place=e.user.place.name,
            )
            for e in members
        ],
        size=plan.size,
        min_size=plan.min_size,
        max_size=plan.max_size,
        apart=KeepApart.objects.filter(cohort=academy).values_list("first", "second"),
    )
    arrangement = [[e.pk for e in found] for found in sets.values()]

    score, breaches = composer.assess(brief, arrangement)

    assert breaches == () and score.percent == 100 and score.worst >= 3
    reasons = dict(PeerSetMember.objects.filter(cohort=academy).values_list("enrolment", "reason"))
    assert reasons == composer.explain(brief, arrangement)
    learner = next(e for e in members if e.user.email == LEARNER)
    assert "brings the set to six sectors" in reasons[learner.pk]


def test_a_pair_kept_apart_works_for_one_organisation(academy):
    (pair,) = KeepApart.objects.filter(cohort=academy).select_related("first__user", "second__user")

    assert pair.first.user.organisation == pair.second.user.organisation
    assert pair.declared_by.email == FACILITATOR


def test_every_member_was_told_of_their_set_when_it_was_published_so_nothing_is_emailed(academy):
    plan = PeerGroupPlan.objects.get(cohort=academy)
    members = PeerSetMember.objects.filter(cohort=academy).select_related("peer_set")

    assert all(m.notified_at == plan.published_at for m in members)
    assert all(m.notified_number == m.peer_set.number for m in members)
    assert set(PeerGroupChange.objects.filter(cohort=academy).values_list("kind", flat=True)) == {
        PeerGroupChange.Kind.COMPOSED,
        PeerGroupChange.Kind.PUBLISHED,
    }


def test_the_learners_set_has_posts_and_replies_by_its_members(academy):
    peer_set = learners_set(academy)
    members = set(peer_set.memberships.values_list("enrolment", flat=True))
    posts = list(PeerPost.objects.filter(peer_set=peer_set))
    threads = [post for post in posts if post.parent_id is None]
    replies = [post for post in posts if post.parent_id is not None]
    published = PeerGroupPlan.objects.get(cohort=academy).published_at

    assert len(threads) >= 3 and len(replies) >= 5
    assert {post.author_id for post in posts} <= members
    assert len({post.author_id for post in posts}) == len(members)  # everyone has spoken
    assert all(published < post.created_at <= timezone.now() for post in posts)
    by_id = {post.pk: post for post in posts}
    assert all(reply.created_at > by_id[reply.parent_id].created_at for reply in replies)
    assert any(post.author.user.email == LEARNER for post in threads)


def test_the_learners_set_met_with_attendance_and_commitments_and_meets_again(academy):
    peer_set = learners_set(academy)
    members = set(peer_set.memberships.values_list("enrolment", flat=True))
    now = timezone.now()
    past = [m for m in PeerMeeting.objects.filter(peer_set=peer_set) if m.ends_at < now]
    upcoming = [m for m in PeerMeeting.objects.filter(peer_set=peer_set) if m.starts_at > now]

    (met,) = past
    (next_meeting,) = upcoming
    assert 7 <= (now - met.starts_at).days <= 12 and 3 <= (next_meeting.starts_at - now).days <= 7
    attendance = dict(
        MeetingAttendance.objects.filter(meeting=met).values_list("enrolment", "present")
    )
    assert set(attendance) == members
    assert 1 <= list(attendance.values()).count(False) < len(members) // 2
    commitments = list(Commitment.objects.filter(meeting=met))
    assert {c.enrolment_id for c in commitments} == {e for e, here in attendance.items() if here}
    # Shown for review at the next meeting: none reviewed yet.
    assert all(c.text and not c.outcome and c.reviewed_at is None for c in commitments)
    assert not MeetingAttendance.objects.filter(meeting=next_meeting).exists()
    assert not Commitment.objects.filter(meeting=next_meeting).exists()
    assert next_meeting.problem_holder.user.email == LEARNER
    assert (
        met.problem_holder_id in members and met.problem_holder_id != next_meeting.problem_holder_id
    )
    for meeting in (met, next_meeting):
        assert meeting.joining_url.startswith("https://meet.example.org/")
        assert meeting.starts_at.weekday() < 5 and not meeting.cancelled


def test_the_other_cohorts_the_demo_facilitator_runs_are_left_to_compose(academy):
    others = Cohort.objects.filter(facilitators__email=FACILITATOR).exclude(pk=academy.pk)
    to_compose = [c for c in others if c.status != Cohort.Status.FINISHED]

    assert to_compose and any(c.enrolments.members().count() >= 2 for c in to_compose)
    assert not PeerSet.objects.exclude(cohort=academy).exists()
    assert not PeerGroupPlan.objects.exclude(cohort=academy).exists()


# --- Loading again -------------------------------------------------------------------------------

PEER_MODELS = (
    PeerGroupPlan,
    PeerGroupChange,
    KeepApart,
    PeerSet,
    PeerSetMember,
    PeerPost,
    PeerMeeting,
    MeetingAttendance,
    Commitment,
)
KINDS = (
    "Peer group plans",
    "Peer group log",
    "Pairs kept apart",
    "Peer sets",
    "Peer set members",
    "Peer posts",
    "Peer meetings",
    "Meeting attendance",
    "Commitments",
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in PEER_MODELS}


def snapshot() -> set:
    """Every peer row's fields, to compare two runs."""
    return {
        tuple(sorted(row.items(), key=lambda item: item[0]))
        for model in PEER_MODELS
        for row in model.objects.values()
    }


def load_demo() -> str:
    stdout = StringIO()
    call_command("load_demo", verbosity=1, stdout=stdout)
    return stdout.getvalue()


def test_a_second_run_changes_nothing(academy):
    before = snapshot()

    output = load_demo()

    assert snapshot() == before
    for kind in KINDS:
        assert f"{kind}: 0 created, 0 updated" in output
    assert "Demo academy already up to date." in output


def test_a_run_puts_back_what_a_demo_changed(academy):
    before = counts()
    meetings = dict(PeerMeeting.objects.values_list("uid", "sequence"))
    peer_set = learners_set(academy)
    learner = Enrolment.objects.get(cohort=academy, user__email=LEARNER)
    # A member moved, a post written, a commitment reviewed, a meeting moved, and sets
    # composed on the cohort to come.
    other = PeerSet.objects.get(cohort=academy, number=2)
    PeerSetMember.objects.filter(enrolment=learner).update(peer_set=other)
    PeerPost.objects.create(peer_set=peer_set, author=learner, body="Running late, sorry.")
    Commitment.objects.filter(meeting__peer_set=peer_set).update(outcome="done")
    upcoming = PeerMeeting.objects.filter(peer_set=peer_set).latest("starts_at")
    upcoming.location = "Somewhere else"
    upcoming.save()
    cohort_13 = Cohort.objects.get(name="Cohort 13")
    PeerGroupPlan.objects.create(cohort=cohort_13, published_at=timezone.now())
    PeerSet.objects.create(cohort=cohort_13, number=1)

    load_demo()

    assert counts() == before
    assert learners_set(academy) == peer_set
    assert not PeerPost.objects.filter(body="Running late, sorry.").exists()
    assert not Commitment.objects.exclude(outcome="").exists()
    upcoming.refresh_from_db()
    assert upcoming.location.startswith("Meeting room 2")
    assert upcoming.sequence == meetings[upcoming.uid] + 1  # calendars see the change
    assert not PeerGroupPlan.objects.filter(cohort=cohort_13).exists()


def test_someone_who_joined_and_posted_during_a_demo_is_removed_with_their_words(academy):
    newcomer = EnrolmentFactory(cohort=academy)
    peer_set = learners_set(academy)
    PeerSetMember.objects.create(peer_set=peer_set, cohort=academy, enrolment=newcomer)
    PeerPost.objects.create(peer_set=peer_set, author=newcomer, body="Hello, all.")

    load_demo()

    assert not Enrolment.objects.filter(pk=newcomer.pk).exists()
    assert not PeerPost.objects.filter(body="Hello, all.").exists()


# --- Data that breaks the rules is refused, naming the file and the entry -------------------------


@pytest.fixture
def peer_group_files(tmp_path, monkeypatch):
    folder = shutil.copytree(DATA / "peer_groups", tmp_path / "peer_groups")
    monkeypatch.setattr(demo_peer_groups, "PEER_GROUPS", folder)
    return folder


def load(academy) -> None:
    cohorts = {"cohort-12": academy}
    cohorts |= {
        name: Cohort.objects.get(name=title)
        for name, title in [("cohort-11", "Cohort 11"), ("cohort-13", "Cohort 13")]
    }
    load_peer_groups(Summary(), cohorts, timezone.localdate())


MOVE_MICHAEL_TO_RAJESH = [
    ('  "michael.obi@academy.test",\n', ""),
    (
        '"lucy.brennan@academy.test",\n',
        '"lucy.brennan@academy.test",\n  "michael.obi@academy.test",\n',
    ),
]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ([("seed = 12", "seed = 12\ncolour = 'blue'")], r"unknown key 'colour'"),
        (
            [
                (
                    '"zainab.ali@academy.test",\n  "joanne',
                    '"zainab.ali@academy.test",\n  "x@y.z",\n  "joanne',
                )
            ],
            r"sets\[0\]: members: x@y\.z is not a member of Cohort 12",
        ),
        (
            [
                (
                    '"zainab.ali@academy.test",\n  "joanne',
                    '"zainab.ali@academy.test",\n  "lee.dawson@academy.test",\n  "joanne',
                )
            ],
            r"sets\[3\]: lee\.dawson@academy\.test is in more than one set",
        ),
        # The composer's hard rules, in its words.
        (
            MOVE_MICHAEL_TO_RAJESH,
            r"sets\[2\]: Set 3 has two members from Birmingham City Council \(.*\); "
            r"sets\[2\]: .* are both in set 3 but are to be kept apart",
        ),
        (
            [('  "marcus.bailey@academy.test",\n', "")],
            r"sets\[6\]: Set 7 has four members; sets should have five to seven; "
            r"sets: Marcus Bailey is not in any set",
        ),
        ([('  "anita.sharma@academy.test",\n', "")], r"sets: Anita Sharma is not in any set"),
        (
            [
                (
                    "keep_apart = [",
                    'keep_apart = [["naomi.clarke@academy.test", "lucy.brennan@academy.test"], ',
                )
            ],
            r"sets\[2\]: Naomi Clarke and Lucy Brennan are both in set 3 but are to be kept apart",
        ),
        (
            [('adviser = "facilitator@academy.test"', 'adviser = "learner@academy.test"')],
            r"sets\[0\]: adviser: learner@academy\.test is not a facilitator of Cohort 12",
        ),
        (
            [
                (
                    'author = "joanne.pryce@academy.test"\nposted_days_ago = 19',
                    'author = "joanne.pryce@academy.test"\nposted_days_ago = 4',
                )
            ],
            r"sets\[0\]: posts\[1\]: joanne\.pryce@academy\.test was last active",
        ),
        (
            [
                (
                    'author = "emma.fielding@academy.test"\nposted_days_ago = 31',
                    'author = "tom.whitaker@academy.test"\nposted_days_ago = 31',
                )
            ],
            r"sets\[0\]: posts\[0\]: replies\[0\]: tom\.whitaker@academy\.test is not a member "
            "of this set",
        ),
        (
            [("in_days = 5", 'in_days = 5\nabsent = ["joanne.pryce@academy.test"]')],
            r"sets\[0\]: meetings\[1\]: a meeting still to come has no attendance",
        ),
        (
            [("in_days = -10\nstarts = 09:30:00", "in_days = -10\nstarts = 12:30:00")],
            r"sets\[0\]: meetings\[0\]: ends before it starts",
        ),
        (
            [('absent = ["joanne.pryce@academy.test"]', 'absent = ["emma.fielding@academy.test"]')],
            r"sets\[0\]: meetings\[0\]: the problem holder was absent",
        ),
        (
            [('email = "learner@academy.test"\ntext', 'email = "joanne.pryce@academy.test"\ntext')],
            r"sets\[0\]: meetings\[0\]: commitments\[1\]: one commitment each",
        ),
    ],
)
def test_peer_groups_that_break_the_rules_are_refused(academy, peer_group_files, changes, message):
    path = peer_group_files / "cohort-12.toml"
    text = path.read_text()
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text)

    with pytest.raises(DemoDataError, match=r"peer_groups/cohort-12\.toml: " + message):
        load(academy)


def test_a_file_for_a_cohort_the_demo_does_not_have_is_refused(academy, peer_group_files):
    shutil.copy(peer_group_files / "cohort-12.toml", peer_group_files / "cohort-99.toml")

    with pytest.raises(DemoDataError, match=r"cohort-99\.toml: names no demo cohort"):
        load(academy)
