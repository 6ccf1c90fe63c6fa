"""The peer-review hand-out (``cohorts.peer_review``), as property tests: in a cohort where
everyone has handed in, learners asking for their N reviews in any order leave every piece of
work with N reviews, nobody reviewing their own work or anyone's twice; and which piece comes
next (fewest reviews, then the preferred authors, then the oldest)."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohorts import peer_review
from cohorts.peer_review import (
    Candidate,
    next_for_review,
    preferred_authors,
    register_preference,
    unregister_preference,
)

START = datetime(2026, 10, 5, 9, 0)
PROPERTY = settings(max_examples=300, deadline=None)


def pieces(reviews: dict[int, int], order: list[int] | None = None) -> list[Candidate]:
    """One piece of work per author (enrolment ``author``, submission ``100 + author``), handed
    in in ``order`` (default: by author)."""
    order = order if order is not None else sorted(reviews)
    return [
        Candidate(
            id=100 + author,
            author=author,
            submitted_at=START + timedelta(minutes=order.index(author)),
            reviews=reviews[author],
        )
        for author in reviews
    ]


@st.composite
def cohorts_asking(draw):
    """N, the order the learners handed in, and the order of their N requests each."""
    required = draw(st.integers(min_value=1, max_value=3))
    learners = draw(st.integers(min_value=required + 1, max_value=required + 5))
    handed_in = draw(st.permutations(range(learners)))
    asking = draw(st.permutations(list(range(learners)) * required))
    return required, list(handed_in), asking


@PROPERTY
@given(cohorts_asking())
def test_every_piece_gets_its_reviews_whatever_order_learners_ask_in(cohort):
    required, handed_in, asking = cohort
    reviews = dict.fromkeys(handed_in, 0)
    handed: list[tuple[int, int]] = []
    for reviewer in asking:
        piece = next_for_review(
            pieces(reviews, handed_in), reviewer=reviewer, required=required, handed=handed
        )
        assert piece is not None, "a learner who owes a review was handed nothing"
        assert piece.author != reviewer, "a learner was handed their own work"
        assert (reviewer, piece.author) not in handed, "a learner was handed a piece twice"
        reviews[piece.author] += 1
        handed.append((reviewer, piece.author))
    assert min(reviews.values()) >= required, f"a piece was left short: {reviews}"
    assert max(reviews.values()) == required  # and none took more than its share


def test_the_last_to_ask_still_has_their_work_reviewed():
    """Fewest-first alone fails here: learner 0 would be handed 1's work (the older of two with
    none), 1 would be handed 0's, and 2, asking last, whoever's is older, so 2's work would
    never be reviewed."""
    handed: list[tuple[int, int]] = []
    reviews = {0: 0, 1: 0, 2: 0}
    for reviewer in (0, 1, 2):
        piece = next_for_review(pieces(reviews), reviewer=reviewer, required=1, handed=handed)
        reviews[piece.author] += 1
        handed.append((reviewer, piece.author))
    assert reviews == {0: 1, 1: 1, 2: 1}


def test_nothing_to_hand_out_when_only_their_own_or_already_handed_work_is_left():
    reviews = {1: 0, 2: 1}
    assert next_for_review(pieces({1: 0}), reviewer=1, required=2) is None
    assert next_for_review(pieces(reviews), reviewer=1, required=2, handed=[(1, 2)]) is None


@st.composite
def moments_of_choice(draw):
    """A reviewer (enrolment 0) asking when nobody else still owes reviews, so handing out any
    piece loses no review anyone could still give: among the pieces they may review, random
    review counts, handing-in order and preferred authors."""
    required = draw(st.integers(min_value=1, max_value=4))
    authors = draw(st.integers(min_value=2, max_value=8))
    reviews = {
        author: draw(st.integers(min_value=0, max_value=required + 1))
        for author in range(1, authors + 1)
    }
    order = draw(st.permutations(sorted(reviews)))
    already = draw(st.sets(st.sampled_from(sorted(reviews)), max_size=required - 1))
    prefer = draw(st.sets(st.sampled_from(sorted(reviews))))
    # Everyone else has been handed all their reviews (of work by people who have left).
    others = [(author, 1000 + n) for author in reviews for n in range(required)]
    handed = [(0, author) for author in already] + others
    return required, reviews, list(order), handed, prefer


@PROPERTY
@given(moments_of_choice())
def test_fewest_reviews_first_then_preferred_authors_then_the_oldest(moment):
    required, reviews, order, handed, prefer = moment
    candidates = pieces({0: 0, **reviews}, [0, *order])
    piece = next_for_review(candidates, reviewer=0, required=required, handed=handed, prefer=prefer)
    allowed = [c for c in candidates if c.author != 0 and (0, c.author) not in handed]
    best = min(
        allowed, key=lambda c: (c.reviews, c.author not in prefer, c.submitted_at), default=None
    )
    assert piece == best


def test_a_preferred_author_comes_first_only_among_pieces_with_as_many_reviews():
    oldest_first = [1, 2, 3]
    tied = pieces({1: 0, 2: 0, 3: 1}, oldest_first)
    assert next_for_review(tied, reviewer=9, required=2).author == 1
    assert next_for_review(tied, reviewer=9, required=2, prefer={2}).author == 2
    assert next_for_review(tied, reviewer=9, required=2, prefer={3}).author == 1


class SameSet:
    """A preference as the peer-groups capability will register one."""

    def __init__(self, sets: dict[int, set[int]]):
        self.sets = sets

    def preferred_authors(self, reviewer) -> set[int]:
        return self.sets.get(reviewer, set())


@pytest.fixture
def no_preferences(monkeypatch):
    """The registry as ``cohorts.peer_review`` leaves it, without the preferences the apps
    register when they start (the peer groups' own set, ``cohorts.peer_group_preference``)."""
    monkeypatch.setattr(peer_review, "_preferences", [])


@pytest.fixture
def preference(no_preferences):
    registered = register_preference(SameSet({7: {1, 2}}))
    yield registered
    unregister_preference(registered)


def test_no_author_is_preferred_until_a_preference_is_registered(no_preferences):
    assert preferred_authors(7) == frozenset()


def test_registered_preferences_name_the_authors_to_prefer(preference):
    another = register_preference(SameSet({7: {3}}))
    try:
        assert preferred_authors(7) == {1, 2, 3}
        assert preferred_authors(8) == frozenset()
    finally:
        unregister_preference(another)
    assert preferred_authors(7) == {1, 2}
