"""Handing out work for peer review: which piece a learner reviews next. Pure: no queries and
no Django. ``cohorts.services.peer_reviews`` reads the cohort under its locks and asks
``next_for_review``; a learner can never be handed their own work, nor work by someone whose
work they have already been handed (any version of it).

Of the rest, the reviewer gets, in this order of precedence:

1. work that keeps every piece able to reach its N reviews (below);
2. the work with the fewest reviews so far, counting every review handed out, done or not,
   as Open edX's ORA2 counts them;
3. work by an author the reviewer is preferred to review (``Preference``), when two pieces
   have as many reviews;
4. the oldest work, then the lowest id.

Why the first rule. Fewest-first alone leaves work short: three learners owe one review each;
A is handed B's work (the older of two with none), B is handed A's, and C, asking last, gets A's
or B's, so C's own work is never reviewed although A could have reviewed it. So before handing
a piece out the hand-out works out how many of the reviews still missing (each piece's
shortfall below N) the people still reviewing could give, each at most once per author and
never to themselves (a maximum flow from their reviews owed to the shortfalls), and hands out
only a piece that keeps that number as high as it is. Whenever everyone has handed in and
there are more than N of them, every piece then gets its N reviews whatever order people ask
in (``tests/cohorts/test_peer_review.py``); the flow only overrules fewest-first near the end,
when the last reviewers' choices matter.

The seam for preferring some authors: a ``Preference`` registered with
``register_preference`` (as requirements are with ``cohorts.progress``) names, for a
reviewer's enrolment, the enrolment ids of the authors they should review first. None is
registered here, so no author is preferred; the peer-groups capability registers "the
reviewer's own set" from ``CohortsConfig.ready``. A preference only breaks ties between pieces
with as many reviews: it never hands a piece out before one with fewer reviews."""

from collections import deque
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Candidate:
    """The latest version of one learner's work, as the hand-out sees it."""

    id: int  # the submission
    author: int  # the author's enrolment
    submitted_at: datetime
    reviews: int  # reviews of this version handed out so far, done or not


class Preference(Protocol):
    """Whose work a reviewer should be handed first, among pieces with as many reviews."""

    def preferred_authors(self, reviewer) -> Collection[int]:
        """The enrolment ids of the authors ``reviewer`` (an ``Enrolment``) should review
        first; empty for none."""


_preferences: list[Preference] = []


def register_preference(preference: Preference) -> Preference:
    if preference not in _preferences:
        _preferences.append(preference)
    return preference


def unregister_preference(preference: Preference) -> None:
    """Remove a preference added with ``register_preference`` (tests use it to clean up)."""
    if preference in _preferences:
        _preferences.remove(preference)


def preferred_authors(reviewer) -> frozenset[int]:
    """Every registered preference's authors for ``reviewer``'s enrolment, together."""
    authors: set[int] = set()
    for preference in _preferences:
        authors.update(preference.preferred_authors(reviewer))
    return frozenset(authors)


def next_for_review(
    candidates: Iterable[Candidate],
    *,
    reviewer: int,
    required: int,
    handed: Iterable[tuple[int, int]] = (),
    prefer: Collection[int] = frozenset(),
) -> Candidate | None:
    """The piece of work to hand ``reviewer`` (an enrolment id) next, or None when there is
    none they may review.

    ``candidates``: the latest version of each member's work (the reviewer's own may be among
    them; it is never chosen). ``required``: the reviews each learner gives (N). ``handed``:
    every (reviewer, author) pair of enrolment ids handed out on this assessment in the cohort
    so far: what the reviewer already has, and what everyone else still owes. ``prefer``:
    authors to hand out first when pieces have as many reviews."""
    candidates = list(candidates)
    handed = set(handed)
    pool = [
        piece
        for piece in candidates
        if piece.author != reviewer and (reviewer, piece.author) not in handed
    ]
    if not pool:
        return None
    pool.sort(key=lambda p: (p.reviews, p.author not in prefer, p.submitted_at, p.id))

    author_of = {piece.id: piece.author for piece in candidates}
    shortfall = {piece.id: max(0, required - piece.reviews) for piece in candidates}
    given = dict.fromkeys({*author_of.values(), reviewer}, 0)
    for giver, _ in handed:
        if giver in given:
            given[giver] += 1
    owed = {giver: max(0, required - count) for giver, count in given.items()}
    owed[reviewer] = max(1, owed[reviewer])  # the review being asked for now

    best = _reviews_still_possible(owed, shortfall, author_of, handed)
    owed_after = {**owed, reviewer: owed[reviewer] - 1}
    for piece in pool:
        gained = 1 if shortfall[piece.id] else 0
        shortfall_after = {**shortfall, piece.id: shortfall[piece.id] - gained}
        after = handed | {(reviewer, piece.author)}
        if gained + _reviews_still_possible(owed_after, shortfall_after, author_of, after) >= best:
            return piece
    return pool[0]  # not reached: some piece always keeps the best (see the module's docstring)


def _reviews_still_possible(
    owed: dict[int, int],
    shortfall: dict[int, int],
    author_of: dict[int, int],
    handed: set[tuple[int, int]],
) -> int:
    """How many of the missing reviews (``shortfall``: piece → reviews it still needs) the
    people who still owe reviews (``owed``: enrolment → reviews) could give, each reviewing a
    piece only when it is not theirs and they have not been handed its author's work: the
    value of a maximum flow, found by filling greedily and then along augmenting paths."""
    owed = {giver: n for giver, n in owed.items() if n > 0}
    shortfall = {piece: n for piece, n in shortfall.items() if n > 0}
    if not owed or not shortfall:
        return 0
    ceiling = min(sum(owed.values()), sum(shortfall.values()))

    def may_review(giver: int, piece: int) -> bool:
        author = author_of[piece]
        return giver != author and (giver, author) not in handed

    gives: dict[int, set[int]] = {giver: set() for giver in owed}
    gets: dict[int, set[int]] = {piece: set() for piece in shortfall}
    # Greedily, each giver to the pieces still needing the most (one bucket per need).
    needing: list[dict[int, None]] = [{} for _ in range(max(shortfall.values()) + 1)]
    for piece, n in shortfall.items():
        needing[n][piece] = None
    flow = 0
    for giver, n in owed.items():
        picked: list[tuple[int, int]] = []
        for need in range(len(needing) - 1, 0, -1):
            for piece in needing[need]:
                if len(picked) == n:
                    break
                if may_review(giver, piece):
                    picked.append((piece, need))
            if len(picked) == n:
                break
        for piece, need in picked:
            gives[giver].add(piece)
            gets[piece].add(giver)
            del needing[need][piece]
            if need > 1:
                needing[need - 1][piece] = None
        flow += len(picked)
    # Then along augmenting paths, from givers with reviews left to pieces still short.
    while flow < ceiling:
        came_from: dict[tuple[str, int], int | None] = {}
        queue: deque[int] = deque()
        for giver, n in owed.items():
            if len(gives[giver]) < n:
                came_from[("giver", giver)] = None
                queue.append(giver)
        end = None
        while queue and end is None:
            giver = queue.popleft()
            for piece in shortfall:
                if ("piece", piece) in came_from or piece in gives[giver]:
                    continue
                if not may_review(giver, piece):
                    continue
                came_from[("piece", piece)] = giver
                if len(gets[piece]) < shortfall[piece]:
                    end = piece
                    break
                for other in gets[piece]:
                    if ("giver", other) not in came_from:
                        came_from[("giver", other)] = piece
                        queue.append(other)
        if end is None:
            break
        piece = end
        while True:
            giver = came_from[("piece", piece)]
            gives[giver].add(piece)
            gets[piece].add(giver)
            earlier = came_from[("giver", giver)]
            if earlier is None:
                break
            gives[giver].discard(earlier)
            gets[earlier].discard(giver)
            piece = earlier
        flow += 1
    return flow
