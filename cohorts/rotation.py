"""Whose turn it is to bring a problem to their peer group's next meeting.

A pure function, with no database, so that it can be tested on its own. The next problem
holder is the member who has held the fewest of the set's meetings so far (cancelled meetings
do not count; meetings already scheduled do, so that two meetings planned ahead go to two
people), then the one who held one longest ago, a member who never has coming first, then by
name. So everyone has a turn before anyone has a second."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Member:
    """A member of the set: their place's id and the name others see."""

    id: int
    name: str


@dataclass(frozen=True)
class Turn:
    """A meeting as the rotation sees it: who held it (None: nobody, or a former member) and
    when it starts; cancelled meetings are left out by the caller or marked here."""

    holder_id: int | None
    starts_at: datetime
    cancelled: bool = False


def next_problem_holder(members: Sequence[Member], turns: Iterable[Turn]) -> Member | None:
    """The member whose turn it is next, or None for a set without members."""
    if not members:
        return None
    held = {member.id: 0 for member in members}
    last: dict[int, datetime] = {}
    for turn in turns:
        if turn.cancelled or turn.holder_id not in held:
            continue
        held[turn.holder_id] += 1
        if turn.holder_id not in last or turn.starts_at > last[turn.holder_id]:
            last[turn.holder_id] = turn.starts_at

    def order(member: Member):
        when = last.get(member.id)
        # Never held first (False sorts before True), then the oldest turn first.
        return (
            held[member.id],
            when is not None,
            when.timestamp() if when else 0,
            member.name.casefold(),
            member.id,
        )

    return min(members, key=order)
