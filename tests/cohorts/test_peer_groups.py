"""Peer groups, the facilitator's side: the composer's input read from the database, composing
and composing again around pins and after publishing, moving, pinning, advisers, publishing and
its emails, the pairs kept apart and a learner's own declarations, and the change log."""

from django.core import mail
from django.core.exceptions import ValidationError

import pytest

from academy import outbox
from academy.models import Organisation, OutboxEmail, Sector
from cohorts import composer
from cohorts.models import (
    Enrolment,
    KeepApart,
    PeerGroupChange,
    PeerGroupPlan,
    PeerSet,
    PeerSetMember,
    WorkingRelationship,
)
from cohorts.selectors.peer_groups import change_log, cohort_brief, placements
from cohorts.services.peer_groups import (
    keep_apart_add,
    keep_apart_delete,
    peer_groups_compose,
    peer_groups_publish,
    peer_member_move,
    peer_member_pin,
    peer_set_adviser,
    working_relationship_add,
    working_relationship_delete,
)

from ..factories import UserFactory
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    facilitator,
    make_members_in_bulk,
    make_peer_sets,
)

pytestmark = pytest.mark.django_db
Kind = PeerGroupChange.Kind
FOUR_SECTORS = ["local-government", "nhs-and-health", "police-and-justice", "education"]


@pytest.fixture
def lead(cohort, runner):
    cohort.facilitators.add(runner)
    return runner


@pytest.fixture
def twelve(cohort):
    """Twelve members, each from an organisation of their own, in four sectors."""
    return make_members_in_bulk(cohort, 12, sector_slugs=FOUR_SECTORS)


def compose(cohort, by, *, size=4, min_size=3, max_size=5, mode="mix", seed=0):
    """Compose, and return the composer's composition."""
    return peer_groups_compose(
        cohort=cohort, by=by, size=size, min_size=min_size, max_size=max_size, mode=mode, seed=seed
    ).composition


def sets_of(cohort) -> dict[int, set[int]]:
    """Set number → the enrolment ids in it."""
    sets: dict[int, set[int]] = {}
    for enrolment_id, number in PeerSetMember.objects.filter(cohort=cohort).values_list(
        "enrolment_id", "peer_set__number"
    ):
        sets.setdefault(number, set()).add(enrolment_id)
    return sets


def number_of(enrolment) -> int | None:
    row = PeerSetMember.objects.filter(enrolment=enrolment).select_related("peer_set").first()
    return row.peer_set.number if row else None


def log_kinds(cohort) -> list[str]:
    return list(
        PeerGroupChange.objects.filter(cohort=cohort).order_by("pk").values_list("kind", flat=True)
    )


# --- The composer's input ------------------------------------------------------------------


def test_the_brief_has_the_members_with_their_sector_organisation_and_place(cohort):
    police = Sector.objects.get(slug="police-and-justice")
    force = Organisation.objects.create(name="West Yorkshire Police", sector=police)
    own_sector = EnrolmentFactory(
        cohort=cohort,
        user=UserFactory(display_name="Ann Lee", sector=Sector.objects.get(slug="housing")),
    )
    from_organisation = EnrolmentFactory(
        cohort=cohort, user=UserFactory(display_name="", email="bo@example.org", organisation=force)
    )
    EnrolmentFactory(cohort=cohort, status=Enrolment.Status.WITHDRAWN)
    EnrolmentFactory(cohort=cohort, status=Enrolment.Status.APPLIED)
    completed = EnrolmentFactory(cohort=cohort, status=Enrolment.Status.COMPLETED)
    EnrolmentFactory(cohort=CohortFactory())

    brief = cohort_brief(cohort)

    members = {m.id: m for m in brief.members}
    assert set(members) == {own_sector.pk, from_organisation.pk, completed.pk}
    assert members[own_sector.pk].name == "Ann Lee"
    assert members[own_sector.pk].sector == "Housing"
    assert members[own_sector.pk].organisation is None
    # No sector of their own: their organisation's; no name: their email address.
    assert members[from_organisation.pk].sector == "Police and justice"
    assert members[from_organisation.pk].organisation == "West Yorkshire Police"
    assert members[from_organisation.pk].name == "bo@example.org"
    # The plan's defaults, until one is saved.
    assert (brief.size, brief.min_size, brief.max_size) == (6, 5, 7)
    assert brief.mode == composer.Mode.MIX
    assert not PeerGroupPlan.objects.exists()


def test_the_brief_keeps_apart_the_facilitators_pairs_and_the_learners_declarations(cohort):
    ann, bo, cy, di, ed = make_members_in_bulk(cohort, 5)
    other_cohort = CohortFactory()
    stranger = EnrolmentFactory(cohort=other_cohort, user=UserFactory(email="stranger@example.org"))
    KeepApart.objects.create(cohort=cohort, first=ann, second=bo)
    # A learner names a colleague, in another case than their account's.
    WorkingRelationship.objects.create(user=cy.user, email=di.user.email.upper())
    # Someone not in the cohort, and someone who has left it, count for nothing.
    WorkingRelationship.objects.create(user=ed.user, email=stranger.user.email)
    gone = EnrolmentFactory(cohort=cohort, status=Enrolment.Status.WITHDRAWN)
    WorkingRelationship.objects.create(user=gone.user, email=ann.user.email)
    WorkingRelationship.objects.create(user=ann.user, email=gone.user.email)

    brief = cohort_brief(cohort)

    assert brief.apart == frozenset({frozenset({ann.pk, bo.pk}), frozenset({cy.pk, di.pk})})


def test_the_brief_pins_pinned_members_to_their_set(cohort):
    members = make_members_in_bulk(cohort, 6)
    make_peer_sets(cohort, members, 3)
    PeerSetMember.objects.filter(enrolment=members[4]).update(pinned=True)

    assert cohort_brief(cohort).pins == {members[4].pk: 2}


# --- Composing ------------------------------------------------------------------------------


def test_composing_puts_everyone_in_one_set_and_logs_who_composed(cohort, lead, twelve):
    composition = compose(cohort, lead, seed=7)

    sets = sets_of(cohort)
    assert sorted(sets) == list(range(1, len(composition.sets) + 1))
    placed = [m for members in sets.values() for m in members]
    assert sorted(placed) == sorted(e.pk for e in twelve)
    assert all(3 <= len(members) <= 5 for members in sets.values())
    assert {n: set(s) for n, s in enumerate(composition.sets, start=1)} == sets
    # Each placement keeps the composer's explanation.
    row = PeerSetMember.objects.get(enrolment=twelve[0])
    assert row.reason == composition.reasons[twelve[0].pk][:300]
    assert row.reason
    plan = PeerGroupPlan.objects.get(cohort=cohort)
    assert (plan.size, plan.min_size, plan.max_size, plan.seed) == (4, 3, 5, 7)
    assert plan.composed_by == lead
    assert not plan.is_published
    [change] = PeerGroupChange.objects.filter(cohort=cohort)
    assert (change.kind, change.actor, change.after_publishing) == (Kind.COMPOSED, lead, False)


def test_composing_keeps_two_members_of_one_organisation_apart(cohort, lead):
    members = make_members_in_bulk(
        cohort,
        8,
        organisations=[
            "Leeds City Council",
            "NHS Leeds",
            "Leeds City Council",
            "A",
            "B",
            "C",
            "D",
            "E",
        ],
    )
    compose(cohort, lead, size=4, min_size=4, max_size=4)
    assert number_of(members[0]) != number_of(members[2])


def test_composing_again_keeps_pinned_members_and_renumbers_the_sets(cohort, lead, twelve):
    compose(cohort, lead)
    pinned = next(e for e in twelve if number_of(e) == 1)
    where = 1
    peer_member_pin(cohort=cohort, enrolment=pinned, pinned=True, by=lead)

    compose(cohort, lead, size=6, min_size=5, max_size=7, seed=3)

    assert number_of(pinned) == where
    assert PeerSetMember.objects.get(enrolment=pinned).pinned
    assert sorted(sets_of(cohort)) == [1, 2]
    assert PeerSet.objects.filter(cohort=cohort).count() == 2
    assert sorted(m for s in sets_of(cohort).values() for m in s) == sorted(e.pk for e in twelve)


def test_composing_drops_members_who_have_left(cohort, lead, twelve):
    compose(cohort, lead)
    leaver = twelve[0]
    Enrolment.objects.filter(pk=leaver.pk).update(status=Enrolment.Status.WITHDRAWN)
    compose(cohort, lead)
    assert number_of(leaver) is None


@pytest.mark.parametrize(
    ("sizes", "field", "message"),
    [
        ((1, 1, 5), "size", "The set size must be 2 or more"),
        ((13, 3, 15), "size", "The set size must be no more than the cohort's 12 members"),
        ((4, 5, 6), "min_size", "The smallest set must be no larger than the set size"),
        ((4, 1, 6), "min_size", "The smallest set must have 2 or more members"),
        ((4, 3, 3), "max_size", "The largest set must be no smaller than the set size"),
    ],
)
def test_sizes_that_cannot_work_are_refused_and_nothing_is_saved(
    cohort, lead, twelve, sizes, field, message
):
    size, min_size, max_size = sizes
    with pytest.raises(ValidationError) as refused:
        compose(cohort, lead, size=size, min_size=min_size, max_size=max_size)
    assert refused.value.message_dict[field] == [message]
    assert not PeerGroupPlan.objects.exists()
    assert not PeerSet.objects.exists()
    assert not PeerGroupChange.objects.exists()


def test_pins_that_break_a_rule_are_named_and_composing_still_runs(cohort, lead, twelve):
    compose(cohort, lead)
    first, second = twelve[0], twelve[1]
    KeepApart.objects.create(cohort=cohort, first=first, second=second)
    sets = PeerSet.objects.filter(cohort=cohort).order_by("number")
    # Both pinned to set 1, though they are to be kept apart.
    for enrolment in (first, second):
        PeerSetMember.objects.filter(enrolment=enrolment).update(peer_set=sets[0], pinned=True)

    assert composer.problems(cohort_brief(cohort))
    composition = compose(cohort, lead)
    assert composition.breaches
    assert sorted(m for s in sets_of(cohort).values() for m in s) == sorted(e.pk for e in twelve)


def test_after_publishing_composing_places_only_newcomers_and_tells_them(
    cohort, lead, twelve, send_on_commit
):
    compose(cohort, lead)
    send_on_commit(peer_groups_publish, cohort=cohort, by=lead)
    before = {
        row.pk: (row.enrolment_id, row.peer_set_id)
        for row in PeerSetMember.objects.filter(cohort=cohort)
    }
    mail.outbox.clear()
    newcomers = make_members_in_bulk(cohort, 2, first=100, sector_slugs=FOUR_SECTORS)

    send_on_commit(compose, cohort, lead, seed=99)

    after = {
        row.pk: (row.enrolment_id, row.peer_set_id)
        for row in PeerSetMember.objects.filter(cohort=cohort)
    }
    assert {pk: after[pk] for pk in before} == before
    new_rows = PeerSetMember.objects.filter(enrolment__in=newcomers)
    assert new_rows.count() == 2
    assert all(row.pinned for row in new_rows)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        e.user.email for e in newcomers
    )
    placed = PeerGroupChange.objects.filter(cohort=cohort, kind=Kind.PLACED)
    assert {(c.enrolment_id, c.actor, c.after_publishing) for c in placed} == {
        (e.pk, lead, True) for e in newcomers
    }
    composed = PeerGroupChange.objects.filter(cohort=cohort, kind=Kind.COMPOSED).first()
    assert composed.after_publishing


def test_after_publishing_composing_with_nobody_new_changes_nothing(
    cohort, lead, twelve, send_on_commit
):
    compose(cohort, lead)
    send_on_commit(peer_groups_publish, cohort=cohort, by=lead)
    before = sets_of(cohort)
    mail.outbox.clear()
    send_on_commit(compose, cohort, lead, size=6, min_size=5, max_size=7, seed=5)
    assert sets_of(cohort) == before
    assert mail.outbox == []


# --- Moving and pinning ---------------------------------------------------------------------


@pytest.fixture
def three_sets(cohort, lead, twelve):
    """The twelve in three sets of four, in order: set 1 has members 0 to 3, and so on."""
    make_peer_sets(cohort, twelve, 4)
    PeerGroupPlan.objects.create(cohort=cohort, size=4, min_size=3, max_size=5)
    return twelve


def test_a_move_pins_the_member_in_their_new_set_and_is_logged(cohort, lead, three_sets):
    mover = three_sets[0]
    row = peer_member_move(cohort=cohort, enrolment=mover, to_number=3, by=lead)

    assert number_of(mover) == 3
    assert row.pinned
    assert row.reason == "Moved here by Fran Facilitator"
    change = PeerGroupChange.objects.get(kind=Kind.MOVED)
    assert (change.actor, change.enrolment_id, change.from_number, change.to_number) == (
        lead,
        mover.pk,
        1,
        3,
    )
    assert not change.after_publishing
    assert change_log(cohort)[0].sentence == "Fran Facilitator moved Member 0 from set 1 to set 3"


def test_a_move_to_a_set_this_cohort_does_not_have_is_refused(cohort, lead, three_sets):
    with pytest.raises(ValidationError, match="There is no set 4 in this cohort: choose a set"):
        peer_member_move(cohort=cohort, enrolment=three_sets[0], to_number=4, by=lead)
    assert number_of(three_sets[0]) == 1
    assert not PeerGroupChange.objects.exists()


def test_a_move_into_a_set_of_another_cohort_is_refused(cohort, lead, three_sets):
    other = CohortFactory()
    make_peer_sets(other, make_members_in_bulk(other, 20), 4)
    with pytest.raises(ValidationError, match="There is no set 5 in this cohort"):
        peer_member_move(cohort=cohort, enrolment=three_sets[0], to_number=5, by=lead)


def test_a_member_of_another_cohort_cannot_be_moved(cohort, lead, three_sets):
    stranger = EnrolmentFactory(cohort=CohortFactory())
    with pytest.raises(ValidationError, match="no longer holds a place on the cohort"):
        peer_member_move(cohort=cohort, enrolment=stranger, to_number=1, by=lead)
    assert not PeerSetMember.objects.filter(enrolment=stranger).exists()


def test_a_move_into_a_full_set_is_refused(cohort, lead, three_sets):
    peer_member_move(cohort=cohort, enrolment=three_sets[0], to_number=2, by=lead)  # 3 and 5
    with pytest.raises(ValidationError, match="Set 2 already has 5 members, the most a set may"):
        peer_member_move(cohort=cohort, enrolment=three_sets[8], to_number=2, by=lead)
    assert number_of(three_sets[8]) == 3


def test_a_move_that_leaves_a_set_too_small_is_refused(cohort, lead, three_sets):
    peer_member_move(cohort=cohort, enrolment=three_sets[0], to_number=2, by=lead)  # 3 and 5
    with pytest.raises(ValidationError, match="Set 1 would have 2 members, fewer than the small"):
        peer_member_move(cohort=cohort, enrolment=three_sets[1], to_number=3, by=lead)
    with pytest.raises(ValidationError, match="Set 1 would have 2 members"):
        peer_member_move(cohort=cohort, enrolment=three_sets[1], to_number=None, by=lead)
    assert number_of(three_sets[1]) == 1


def test_a_move_next_to_a_colleague_is_refused(cohort, lead, three_sets):
    colleague = three_sets[5].user.organisation
    three_sets[0].user.organisation = colleague
    three_sets[0].user.save()
    with pytest.raises(ValidationError, match="Member 5 in set 2 is also from"):
        peer_member_move(cohort=cohort, enrolment=three_sets[0], to_number=2, by=lead)


def test_a_move_next_to_someone_kept_apart_is_refused(cohort, lead, three_sets):
    keep_apart_add(cohort=cohort, first=three_sets[6], second=three_sets[0], by=lead)
    with pytest.raises(ValidationError, match="Member 0 and Member 6, who is in set 2, are to be"):
        peer_member_move(cohort=cohort, enrolment=three_sets[0], to_number=2, by=lead)


def test_a_move_next_to_someone_a_learner_named_is_refused(cohort, lead, three_sets):
    working_relationship_add(user=three_sets[9].user, email=three_sets[0].user.email.upper())
    with pytest.raises(ValidationError, match="are to be kept apart"):
        peer_member_move(cohort=cohort, enrolment=three_sets[0], to_number=3, by=lead)
    peer_member_move(cohort=cohort, enrolment=three_sets[0], to_number=2, by=lead)


def test_a_move_to_the_same_set_is_refused(cohort, lead, three_sets):
    with pytest.raises(ValidationError, match="Member 0 is already in set 1"):
        peer_member_move(cohort=cohort, enrolment=three_sets[0], to_number=1, by=lead)


def test_a_member_not_in_a_set_is_placed_and_one_taken_out(cohort, lead, three_sets):
    [newcomer] = make_members_in_bulk(cohort, 1, first=50)
    peer_member_move(cohort=cohort, enrolment=newcomer, to_number=1, by=lead)
    peer_member_move(cohort=cohort, enrolment=three_sets[4], to_number=None, by=lead)

    assert number_of(newcomer) == 1
    assert number_of(three_sets[4]) is None
    assert [line.sentence for line in change_log(cohort)] == [
        "Fran Facilitator took Member 4 out of set 2",
        "Fran Facilitator placed Member 50 in set 1",
    ]


def test_a_move_after_publishing_is_logged_as_such_and_tells_the_member(
    cohort, lead, three_sets, send_on_commit
):
    send_on_commit(peer_groups_publish, cohort=cohort, by=lead)
    mail.outbox.clear()
    mover = three_sets[0]
    send_on_commit(peer_member_move, cohort=cohort, enrolment=mover, to_number=2, by=lead)

    change = PeerGroupChange.objects.get(kind=Kind.MOVED)
    assert change.after_publishing
    assert change.actor == lead
    [message] = mail.outbox
    assert message.to == [mover.user.email]
    assert f"You are now in set 2 of {cohort.name}" in message.subject
    assert "from set 1 to set 2" in message.body
    for other in three_sets[4:8]:
        assert f"- {other.user.display_name}\n" in message.body


def test_pinning_and_unpinning_are_logged(cohort, lead, three_sets):
    member = three_sets[2]
    peer_member_pin(cohort=cohort, enrolment=member, pinned=True, by=lead)
    assert PeerSetMember.objects.get(enrolment=member).pinned
    with pytest.raises(ValidationError, match="Member 2 is already pinned to set 1"):
        peer_member_pin(cohort=cohort, enrolment=member, pinned=True, by=lead)
    peer_member_pin(cohort=cohort, enrolment=member, pinned=False, by=lead)
    assert not PeerSetMember.objects.get(enrolment=member).pinned
    assert [line.sentence for line in change_log(cohort)] == [
        "Fran Facilitator unpinned Member 2 in set 1",
        "Fran Facilitator pinned Member 2 to set 1",
    ]


def test_a_member_not_in_a_set_cannot_be_pinned(cohort, lead, three_sets):
    [newcomer] = make_members_in_bulk(cohort, 1, first=50)
    with pytest.raises(ValidationError, match="Member 50 is not in a set: move them to a set"):
        peer_member_pin(cohort=cohort, enrolment=newcomer, pinned=True, by=lead)


# --- Advisers --------------------------------------------------------------------------------


def test_a_facilitator_of_the_cohort_is_named_adviser(cohort, lead, three_sets):
    peer_set_adviser(cohort=cohort, number=2, adviser=lead, by=lead)
    assert PeerSet.objects.get(cohort=cohort, number=2).adviser == lead
    assert change_log(cohort)[0].sentence == (
        "Fran Facilitator named Fran Facilitator adviser of set 2"
    )
    peer_set_adviser(cohort=cohort, number=2, adviser=None, by=lead)
    assert PeerSet.objects.get(cohort=cohort, number=2).adviser is None
    assert change_log(cohort)[0].sentence == "Fran Facilitator removed the adviser of set 2"


def test_an_adviser_who_does_not_facilitate_the_cohort_is_refused(cohort, lead, three_sets):
    elsewhere = facilitator(display_name="Gil Other")
    CohortFactory(facilitators=[elsewhere])
    with pytest.raises(ValidationError) as refused:
        peer_set_adviser(cohort=cohort, number=1, adviser=elsewhere, by=lead)
    assert refused.value.message_dict["adviser"] == [
        "Gil Other does not facilitate this cohort: choose one who does"
    ]
    assert PeerSet.objects.get(cohort=cohort, number=1).adviser is None
    with pytest.raises(ValidationError, match="There is no set 9"):
        peer_set_adviser(cohort=cohort, number=9, adviser=lead, by=lead)


# --- Publishing and its emails ---------------------------------------------------------------


def test_publishing_emails_every_member_their_set_once(cohort, lead, three_sets, send_on_commit):
    peer_set_adviser(cohort=cohort, number=1, adviser=lead, by=lead)
    told = send_on_commit(peer_groups_publish, cohort=cohort, by=lead)

    assert told == 12
    plan = PeerGroupPlan.objects.get(cohort=cohort)
    assert plan.is_published
    assert plan.published_by == lead
    assert len(mail.outbox) == 12
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.user.email for e in three_sets)
    [first] = [m for m in mail.outbox if m.to == [three_sets[0].user.email]]
    assert first.subject.endswith(f"Your peer group on {cohort.name}: set 1")
    for other in three_sets[1:4]:
        assert f"- {other.user.display_name}\n" in first.body
    assert "- Member 0\n" not in first.body
    assert "- Member 4\n" not in first.body
    assert "Your set's adviser is Fran Facilitator." in first.body
    assert f"http://127.0.0.1:8000/cohorts/{cohort.pk}/peer-group/" in first.body
    assert all(
        row.notified_number == row.peer_set.number
        for row in PeerSetMember.objects.select_related("peer_set")
    )
    assert change_log(cohort)[0].sentence == "Fran Facilitator published the sets"

    # The send step run again (a retry, a duplicate message) sends nothing more.
    assert outbox.send(list(OutboxEmail.objects.values_list("pk", flat=True))) == 0
    assert len(mail.outbox) == 12


def test_the_emails_wait_for_the_commit(
    cohort, lead, three_sets, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        peer_groups_publish(cohort=cohort, by=lead)
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 12


def test_emails_are_not_written_before_publishing(cohort, lead, three_sets):
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


def test_publishing_twice_is_refused(cohort, lead, three_sets, send_on_commit):
    send_on_commit(peer_groups_publish, cohort=cohort, by=lead)
    with pytest.raises(ValidationError, match="The sets were already published on"):
        send_on_commit(peer_groups_publish, cohort=cohort, by=lead)
    assert len(mail.outbox) == 12
    assert PeerGroupChange.objects.filter(kind=Kind.PUBLISHED).count() == 1


def test_publishing_without_sets_is_refused(cohort, lead, twelve):
    with pytest.raises(ValidationError, match="There are no sets to publish: compose them first"):
        peer_groups_publish(cohort=cohort, by=lead)
    assert not PeerGroupPlan.objects.exists()


# --- Keeping apart ---------------------------------------------------------------------------


def test_a_pair_is_kept_apart_once_in_either_order(cohort, lead, twelve):
    pair = keep_apart_add(cohort=cohort, first=twelve[5], second=twelve[1], by=lead)
    assert (pair.first, pair.second, pair.declared_by) == (twelve[1], twelve[5], lead)
    with pytest.raises(ValidationError) as refused:
        keep_apart_add(cohort=cohort, first=twelve[1], second=twelve[5], by=lead)
    assert refused.value.message_dict["second"] == ["Member 1 and Member 5 are already kept apart"]
    assert KeepApart.objects.count() == 1
    keep_apart_delete(cohort=cohort, pair=pair, by=lead)
    assert not KeepApart.objects.exists()


def test_a_member_cannot_be_kept_apart_from_themselves_or_a_stranger(cohort, lead, twelve):
    with pytest.raises(ValidationError, match="Choose two different members"):
        keep_apart_add(cohort=cohort, first=twelve[0], second=twelve[0], by=lead)
    stranger = EnrolmentFactory(cohort=CohortFactory())
    with pytest.raises(ValidationError, match="Choose a member of this cohort"):
        keep_apart_add(cohort=cohort, first=twelve[0], second=stranger, by=lead)
    assert not KeepApart.objects.exists()


# --- A learner's own declarations ------------------------------------------------------------


def test_a_learner_names_the_people_they_work_with(learner):
    declared = working_relationship_add(user=learner, email="  Boss@Example.org ")
    assert declared.email == "Boss@Example.org"
    with pytest.raises(ValidationError) as refused:
        working_relationship_add(user=learner, email="boss@example.ORG")
    assert refused.value.message_dict["email"] == [
        "You have already told us about boss@example.ORG"
    ]
    with pytest.raises(ValidationError, match="not your own"):
        working_relationship_add(user=learner, email=learner.email.upper())
    assert WorkingRelationship.objects.filter(user=learner).count() == 1


def test_a_learner_names_at_most_twenty_people(learner):
    for n in range(20):
        working_relationship_add(user=learner, email=f"colleague{n}@example.org")
    with pytest.raises(ValidationError, match="You can tell us about up to 20 people"):
        working_relationship_add(user=learner, email="one.more@example.org")
    assert WorkingRelationship.objects.filter(user=learner).count() == 20


def test_a_learner_removes_only_their_own_declaration(learner):
    mine = working_relationship_add(user=learner, email="boss@example.org")
    someone = UserFactory()
    theirs = working_relationship_add(user=someone, email="boss@example.org")
    working_relationship_delete(user=learner, relationship=theirs)
    assert WorkingRelationship.objects.filter(pk=theirs.pk).exists()
    working_relationship_delete(user=learner, relationship=mine)
    assert not WorkingRelationship.objects.filter(pk=mine.pk).exists()


# --- The change log --------------------------------------------------------------------------


def test_the_log_shows_the_latest_twenty_changes_newest_first(cohort, lead, three_sets):
    for _ in range(11):
        peer_member_pin(cohort=cohort, enrolment=three_sets[0], pinned=True, by=lead)
        peer_member_pin(cohort=cohort, enrolment=three_sets[0], pinned=False, by=lead)
    lines = change_log(cohort)
    assert len(lines) == 20
    assert lines[0].sentence == "Fran Facilitator unpinned Member 0 in set 1"
    assert lines[1].sentence == "Fran Facilitator pinned Member 0 to set 1"


def test_the_log_speaks_of_people_whose_accounts_are_gone(cohort, lead, three_sets):
    peer_member_move(cohort=cohort, enrolment=three_sets[0], to_number=2, by=lead)
    PeerGroupChange.objects.update(actor=None)
    assert change_log(cohort)[0].sentence == "Someone moved Member 0 from set 1 to set 2"


def test_placements_leave_out_members_who_left(cohort, three_sets):
    Enrolment.objects.filter(pk=three_sets[0].pk).update(status=Enrolment.Status.WITHDRAWN)
    assert three_sets[0].pk not in placements(cohort)
    assert len(placements(cohort)) == 11
