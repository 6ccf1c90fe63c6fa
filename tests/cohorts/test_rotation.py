"""Whose turn it is to bring a problem: the fewest turns first, then the longest since their
last turn (never first), then by name; so everyone has a turn before anyone has a second."""

from datetime import UTC, datetime, timedelta

from cohorts.rotation import Member, Turn, next_problem_holder

ADA, BEN, CAL, DEV = (
    Member(1, "Ada"),
    Member(2, "ben"),
    Member(3, "Cal"),
    Member(4, "Dev"),
)
START = datetime(2027, 1, 5, 10, tzinfo=UTC)


def week(n: int) -> datetime:
    return START + timedelta(weeks=n)


def test_nobody_has_had_a_turn_so_the_first_by_name_goes_first():
    assert next_problem_holder([CAL, BEN, ADA], []) == ADA


def test_names_are_compared_without_regard_to_case():
    assert next_problem_holder([CAL, BEN], []) == BEN


def test_a_set_without_members_has_no_one_to_hold_a_problem():
    assert next_problem_holder([], [Turn(1, week(0))]) is None


def test_someone_who_has_never_held_a_problem_comes_before_those_who_have():
    turns = [Turn(ADA.id, week(0)), Turn(CAL.id, week(1))]

    assert next_problem_holder([ADA, BEN, CAL], turns) == BEN


def test_with_equal_turns_the_one_who_held_longest_ago_goes_next():
    turns = [Turn(CAL.id, week(0)), Turn(ADA.id, week(1)), Turn(BEN.id, week(2))]

    assert next_problem_holder([ADA, BEN, CAL], turns) == CAL


def test_cancelled_meetings_do_not_count_as_a_turn():
    turns = [Turn(ADA.id, week(0), cancelled=True), Turn(BEN.id, week(1))]

    assert next_problem_holder([ADA, BEN], turns) == ADA


def test_turns_of_people_no_longer_in_the_set_and_of_no_one_are_ignored():
    turns = [Turn(99, week(0)), Turn(None, week(1)), Turn(ADA.id, week(2))]

    assert next_problem_holder([ADA, BEN], turns) == BEN


def test_everyone_has_a_turn_before_anyone_has_a_second():
    members = [DEV, CAL, BEN, ADA]
    turns: list[Turn] = []
    for n in range(len(members) * 3):
        chosen = next_problem_holder(members, turns)
        turns.append(Turn(chosen.id, week(n)))
    order = [turn.holder_id for turn in turns]

    for round_start in range(0, len(order), len(members)):
        assert sorted(order[round_start : round_start + len(members)]) == [1, 2, 3, 4]
    assert order[:4] == [ADA.id, BEN.id, CAL.id, DEV.id]
    assert order[4:8] == order[:4]


def test_a_member_who_joins_later_takes_their_turn_next():
    turns = [Turn(ADA.id, week(0)), Turn(BEN.id, week(1))]

    assert next_problem_holder([ADA, BEN, DEV], turns) == DEV
