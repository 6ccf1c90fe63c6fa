"""Forming a cohort's action learning sets: small cross-sector peer groups. Pure: no queries and
no Django, only the standard library, so that it is tested and timed on its own
(``tests/cohorts/test_composer.py``, ``bench/composer.py``; docs/quality.md, P7).

A ``Brief`` names the members (an enrolment id, a name, a sector, an organisation and a place,
any of the last three possibly not given), the target set size and the smallest and largest
sets allowed, pairs of members to keep apart, members pinned to a set by the facilitator, and
whether sets should mix places or keep a place together.

**Hard constraints**, met whenever they can all be met: everyone is in exactly one set; every
set has from ``min_size`` to ``max_size`` members; no two members of one organisation share a
set; no pair to keep apart shares a set; pins are respected. An organisation, a sector or a
place that is not given (``None`` or blank) never clashes and never counts. When the
constraints cannot all be met, ``compose`` still returns its best arrangement and lists the
``Breach``es; ``problems`` says beforehand which cannot be met and why. ``compose`` never breaks
a pin, and breaks the sizes only when more members are pinned to a set than it may hold, or
when no number of sets (at least the highest pinned) keeps every set within them: it then takes
the number that strays least.

**The number of sets** is the one whose sets, as even as possible, are closest to the target
size, within the sizes allowed, and at least the highest set number pinned. Too few sets to
keep the largest organisation's members apart come after every number that is enough; and if
the first number still leaves a breach that a member could be moved out of, the next closest
numbers are tried. Sets start as even as possible, and are made less even (always within the
sizes allowed) only in looking for a sector more or a breach fewer: the local search moves one
member only when that gains a sector or avoids a breach, and the complete search takes any
sizes allowed.

**The score**: arrangements are compared, in this order,

1. fewest breaches: pairs of members sharing a set that should not, once for being of one
   organisation and once for being a pair to keep apart, plus the members by which sets are
   too large or too small;
2. most distinct sectors, summed over the sets (``Score.sectors``);
3. the most even spread of sectors: the lowest sum over sets of the square of each set's
   distinct sectors (``Score.spread``: sets of 4 and 4 sectors, 32, beat 5 and 3, 34);
4. places: with ``Mode.MIX`` the fewest pairs of members of a set who share a place, with
   ``Mode.SAME`` the most (``Score.same_place_pairs``).

``Score.possible`` is what the sets could hold at most, ignoring organisations, pins and pairs
kept apart: a set holds no more sectors than it has members, and a sector is in no more sets
than it has members. The largest total within both limits (a maximum flow between sets and
sectors, worked out as its minimum cut) is always reachable when nothing else constrains the
sets, so ``percent``, ``100 * sectors // possible``, is 100 for the best mix there is and lower
only when the organisations, pins or pairs kept apart cost sectors (or when the arrangement is
not the best). ``SetScore.possible`` is the simpler ``min(size, sectors in the cohort)``.

**How**: members are dealt in turn into the sets, rarest sector first, each set receiving
the next member it has room for and no clash with, so that a sector's members, and those of one
place or organisation, land in different sets (with ``Mode.SAME``, the local search then
brings places together where the sectors allow). A local search then swaps members between two
sets (or moves one), keeping each change that improves the score and some that leave it equal,
to cross flat ground; when the breaches or the sectors can still be better, it first scores
only those two, where the ground is flatter. A cohort of a few hundred or fewer is searched
from several dealings. If a breach that might be avoided, or a sector that might be gained, is
left in a cohort of up to ``EXACT_UP_TO`` members, a complete search (a branch and bound, at
most ``EXACT_STEPS`` placements) looks for fewer breaches and then more sectors, and the local
search goes on from what it finds. Every bound is a count of steps, never a clock, so the same
``Brief`` (seed included) gives the same sets on any machine; members are taken in order of
id, so the order they are listed in makes no difference. A different seed may give different
sets of the same quality.

``explain`` puts each placement in words ("the only police member; brings the set to four
sectors"), for ``compose``'s sets or for sets a facilitator has changed by hand, and ``assess``
scores such sets and lists their breaches with the same rules."""

import heapq
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

EXACT_UP_TO = 40  # members: a complete search for an arrangement without breaches, up to this
EXACT_STEPS = 50_000  # placements the complete search tries, at most, in all
STEPS_PER_MEMBER = 20  # local search steps, per member, from each dealing
PATIENCE_PER_MEMBER = 4  # ... and it stops after this many per member without a gain
MORE_SET_COUNTS = 3  # other numbers of sets tried when the first leaves a breach (all, up to
# EXACT_UP_TO members)


class Mode(StrEnum):
    MIX = "mix"  # members of one place in different sets, where sectors allow
    SAME = "same"  # members of one place in the same set, where sectors allow


@dataclass(frozen=True)
class Member:
    id: int  # an enrolment id
    name: str
    sector: str | None  # a display name ("Police"); None or blank: not given
    organisation: str | None  # None or blank: not given, never clashes
    place: str | None  # None or blank: not given


@dataclass(frozen=True)
class Brief:
    members: tuple[Member, ...]
    size: int  # the target set size
    min_size: int
    max_size: int
    apart: frozenset[frozenset[int]] = frozenset()  # pairs of member ids not to share a set
    pins: Mapping[int, int] = field(default_factory=dict)  # member id -> set number (from 1)
    mode: Mode = Mode.MIX
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "members", tuple(self.members))
        object.__setattr__(self, "apart", frozenset(frozenset(pair) for pair in self.apart))
        object.__setattr__(self, "pins", MappingProxyType(dict(self.pins)))


@dataclass(frozen=True)
class Breach:
    kind: str  # "size" | "organisation" | "apart" | "pin" | "unplaced"
    message: str  # in plain words for a facilitator
    set_number: int | None
    members: tuple[int, ...]


@dataclass(frozen=True)
class SetScore:
    number: int
    size: int
    sectors: int  # distinct sectors in the set
    possible: int  # min(size, distinct sectors in the cohort)


@dataclass(frozen=True)
class Score:
    sectors: int  # distinct sectors, summed over the sets
    possible: int  # the most that sum could be (the module's docstring)
    worst: int  # the fewest distinct sectors in any set
    spread: int  # the sum over sets of the square of their distinct sectors
    same_place_pairs: int
    percent: int  # 100 * sectors // possible (100 when possible is 0)
    sets: tuple[SetScore, ...]


@dataclass(frozen=True)
class Composition:
    sets: tuple[tuple[int, ...], ...]  # member ids of set 1, set 2, ...
    reasons: Mapping[int, str]  # member id -> why it is in its set, in words
    breaches: tuple[Breach, ...]  # empty when every hard constraint holds
    score: Score


class BriefError(ValueError):
    """A brief that makes no sense (a set size below two, a pin to set 0, an unknown member):
    the message says what is wrong in plain words."""


# --- What a brief asks for -----------------------------------------------------------------


def problems(brief: Brief) -> list[str]:
    """What cannot be met, in words, before composing: sizes this many members cannot be split
    into, pins that contradict a constraint or the sizes, organisations with more members than
    there can be sets. Empty when nothing stands in the way (which does not promise that no
    breach is left: pairs kept apart can still make one). ``BriefError`` for nonsense."""
    cohort = _Cohort(brief)
    n, low, high = cohort.n, brief.min_size, brief.max_size
    found: list[str] = []
    if n == 0:
        return ["There are no members to place"]
    counts = _size_feasible_counts(n, low, high)
    if not counts:
        k = _set_counts(cohort, brief)[0]
        sizes = sorted(set(_sizes(n, k, cohort.pinned_counts(k))), reverse=True)
        found.append(
            f"{n} members cannot be split into sets of {_span(low, high)}: they will form "
            f"{_plural(k, 'set')} of {_and(str(size) for size in sizes)}"
        )
    if brief.size > n:
        found.append(f"Sets of {brief.size} were asked for, but there are only {n} members")
    elif high > n:
        found.append(f"No set can have more than the {n} members of the cohort")
    highest_pin = max(brief.pins.values(), default=0)
    if counts and highest_pin > counts[-1]:
        pinned = min(
            (member for member in cohort.members if brief.pins.get(member.id) == highest_pin),
            key=lambda member: member.id,
        )
        found.append(
            f"{pinned.name} is pinned to set {highest_pin}, but {n} members make at most "
            f"{counts[-1]} sets of {_span(low, high)}"
        )
    by_set: dict[int, list[Member]] = {}
    for member in cohort.members:
        if member.id in brief.pins:
            by_set.setdefault(brief.pins[member.id], []).append(member)
    for number in sorted(by_set):
        pinned = by_set[number]
        if len(pinned) > high:
            found.append(
                f"{len(pinned)} members are pinned to set {number}, more than the largest set "
                f"allowed ({high})"
            )
        for position, first in enumerate(pinned):
            for second in pinned[position + 1 :]:
                organisation = _given(first.organisation)
                if organisation is not None and organisation == _given(second.organisation):
                    found.append(
                        f"{first.name} and {second.name} are pinned to set {number} but work "
                        f"for the same organisation ({organisation})"
                    )
                if frozenset((first.id, second.id)) in brief.apart:
                    found.append(
                        f"{first.name} and {second.name} are pinned to set {number} but are to "
                        "be kept apart"
                    )
    if counts:
        most_sets = max(counts[-1], highest_pin)
        organisations: dict[str, int] = {}
        for member in cohort.members:
            organisation = _given(member.organisation)
            if organisation is not None:
                organisations[organisation] = organisations.get(organisation, 0) + 1
        for organisation in sorted(organisations):
            if organisations[organisation] > most_sets:
                found.append(
                    f"{organisation} has {organisations[organisation]} members but there can "
                    f"be at most {most_sets} sets, so some of them must share a set"
                )
    return found


# --- Composing ---------------------------------------------------------------------------


def compose(brief: Brief) -> Composition:
    """The cohort in sets, by the rules and score in the module's docstring. ``BriefError``
    for nonsense."""
    cohort = _Cohort(brief)
    rng = random.Random(brief.seed)
    budget = [EXACT_STEPS]  # shared by every number of sets tried
    best = None
    for attempt, k in enumerate(_set_counts(cohort, brief)):
        if attempt > MORE_SET_COUNTS and cohort.n > EXACT_UP_TO:
            break
        state = _search(cohort, brief, k, rng, budget)
        if best is None or state.key()[0] < best.key()[0]:
            best = state
        if state.key()[0] <= state.unavoidable():
            break
    sets = tuple(
        tuple(sorted(cohort.ids[i] for i in members)) for members in (best.members if best else ())
    )
    score, breaches = _assess(cohort, brief, sets)
    return Composition(
        sets=sets,
        reasons=MappingProxyType(_explain(cohort, brief, sets)),
        breaches=breaches,
        score=score,
    )


class _Cohort:
    """A brief's members numbered 0..n-1 in order of id, their sectors, organisations and
    places numbered too, checked for nonsense on the way (``BriefError``)."""

    def __init__(self, brief: Brief):
        _check_numbers(brief)
        self.members = sorted(brief.members, key=lambda member: member.id)
        self.n = n = len(self.members)
        self.ids = [member.id for member in self.members]
        self.index = {}
        for i, member in enumerate(self.members):
            if member.id in self.index:
                raise BriefError(f"{member.name} (enrolment {member.id}) is listed twice")
            self.index[member.id] = i
        self.sector_names = sorted({s for m in self.members if (s := _given(m.sector))})
        self.sector = _numbered([_given(m.sector) for m in self.members], self.sector_names)
        self.organisation = _numbered(
            [_given(m.organisation) for m in self.members],
            sorted({o for m in self.members if (o := _given(m.organisation))}),
        )
        self.place_names = sorted({p for m in self.members if (p := _given(m.place))})
        self.place = _numbered([_given(m.place) for m in self.members], self.place_names)
        self.apart: list[list[int]] = [[] for _ in range(n)]
        for pair in sorted(brief.apart, key=lambda pair: sorted(pair)):
            ids = sorted(pair)
            if len(ids) != 2:
                raise BriefError("A pair to keep apart must name two different members")
            for member_id in ids:
                if member_id not in self.index:
                    raise BriefError(
                        f"A pair to keep apart names enrolment {member_id}, who is not a member "
                        "of this cohort"
                    )
            first, second = self.index[ids[0]], self.index[ids[1]]
            self.apart[first].append(second)
            self.apart[second].append(first)
        self.pinned = [-1] * n
        for member_id, number in sorted(brief.pins.items()):
            if member_id not in self.index:
                raise BriefError(
                    f"A pin names enrolment {member_id}, who is not a member of this cohort"
                )
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                raise BriefError(
                    f"{self.members[self.index[member_id]].name} is pinned to set {number}: "
                    "sets are numbered from 1"
                )
            self.pinned[self.index[member_id]] = number - 1
        self.highest_pin = max(self.pinned, default=-1) + 1
        groups: dict[int, int] = {}
        for organisation in self.organisation:
            if organisation >= 0:
                groups[organisation] = groups.get(organisation, 0) + 1
        self.largest_organisation = max(groups.values(), default=1)

    def pinned_counts(self, k: int) -> list[int]:
        counts = [0] * k
        for j in self.pinned:
            if j >= 0:
                counts[j] += 1
        return counts

    def clash(self, i: int, others: Iterable[int]) -> bool:
        """Whether member ``i`` may not share a set with any of ``others``."""
        organisation, apart = self.organisation[i], self.apart[i]
        return any(
            (organisation >= 0 and self.organisation[o] == organisation) or o in apart
            for o in others
        )


def _check_numbers(brief: Brief) -> None:
    for label, value in (
        ("set size", brief.size),
        ("smallest set size", brief.min_size),
        ("largest set size", brief.max_size),
        ("seed", brief.seed),
    ):
        if not isinstance(value, int) or isinstance(value, bool):
            raise BriefError(f"The {label} must be a whole number")
    if brief.size < 2:
        raise BriefError("Sets must have at least two members")
    if brief.min_size < 2:
        raise BriefError("The smallest set must have at least two members")
    if brief.min_size > brief.max_size:
        raise BriefError(
            f"The smallest set size ({brief.min_size}) is larger than the largest "
            f"({brief.max_size})"
        )
    if not brief.min_size <= brief.size <= brief.max_size:
        raise BriefError(
            f"The set size ({brief.size}) must be from the smallest ({brief.min_size}) to the "
            f"largest ({brief.max_size})"
        )
    try:
        Mode(brief.mode)
    except ValueError:
        raise BriefError("The mode must be to mix places or to keep a place together") from None


def _given(text: str | None) -> str | None:
    return text.strip() if isinstance(text, str) and text.strip() else None


def _numbered(values: list[str | None], names: list[str]) -> list[int]:
    number = {name: i for i, name in enumerate(names)}
    return [number[value] if value is not None else -1 for value in values]


def _size_feasible_counts(n: int, low: int, high: int) -> list[int]:
    """Every number of sets that splits ``n`` members into sets of ``low`` to ``high``."""
    return [k for k in range(1, n // low + 1) if k * low <= n <= k * high]


def _set_counts(cohort: _Cohort, brief: Brief) -> list[int]:
    """The numbers of sets to try, the first preferred (the module's docstring)."""
    n, low, high, target = cohort.n, brief.min_size, brief.max_size, brief.size
    if n == 0:
        return [cohort.highest_pin]
    counts = [k for k in _size_feasible_counts(n, low, high) if k >= cohort.highest_pin]
    if counts:
        return sorted(
            counts,
            key=lambda k: (k < cohort.largest_organisation, abs(Fraction(n, k) - target), k),
        )

    def strays(k: int) -> int:
        return sum(_outside(size, low, high) for size in _sizes(n, k, cohort.pinned_counts(k)))

    candidates = range(max(1, cohort.highest_pin), max(cohort.highest_pin, n) + 1)
    return [min(candidates, key=lambda k: (strays(k), abs(Fraction(n, k) - target), k))]


def _sizes(n: int, k: int, pinned: list[int]) -> list[int]:
    """Sizes for ``k`` sets of ``n`` members, as even as possible, each at least its pins."""
    sizes = list(pinned)
    heap = [(size, j) for j, size in enumerate(sizes)]
    heapq.heapify(heap)
    for _ in range(n - sum(sizes)):
        size, j = heapq.heappop(heap)
        sizes[j] = size + 1
        heapq.heappush(heap, (size + 1, j))
    return sizes


def _outside(size: int, low: int, high: int) -> int:
    return low - size if size < low else size - high if size > high else 0


class _State:
    """Sets being formed, with the counts the score is made of kept up to date per set."""

    def __init__(self, cohort: _Cohort, brief: Brief, k: int):
        self.cohort, self.k = cohort, k
        self.low, self.high = brief.min_size, brief.max_size
        self.place_sign = 1 if Mode(brief.mode) == Mode.MIX else -1
        self.set_of = [-1] * cohort.n
        self.members: list[list[int]] = [[] for _ in range(k)]
        self.sectors = [[0] * len(cohort.sector_names) for _ in range(k)]
        self.distinct = [0] * k
        self.organisations: list[dict[int, int]] = [{} for _ in range(k)]
        self.places: list[dict[int, int]] = [{} for _ in range(k)]
        self.clashes = [0] * k  # pairs of one organisation or kept apart
        self.place_pairs = [0] * k

    def add(self, i: int, j: int) -> None:
        cohort = self.cohort
        self.set_of[i] = j
        members = self.members[j]
        sector = cohort.sector[i]
        if sector >= 0:
            if not self.sectors[j][sector]:
                self.distinct[j] += 1
            self.sectors[j][sector] += 1
        organisation = cohort.organisation[i]
        if organisation >= 0:
            counts = self.organisations[j]
            already = counts.get(organisation, 0)
            self.clashes[j] += already
            counts[organisation] = already + 1
        for other in cohort.apart[i]:
            if self.set_of[other] == j and other != i:
                self.clashes[j] += 1
        place = cohort.place[i]
        if place >= 0:
            counts = self.places[j]
            already = counts.get(place, 0)
            self.place_pairs[j] += already
            counts[place] = already + 1
        members.append(i)

    def remove(self, i: int) -> None:
        cohort = self.cohort
        j = self.set_of[i]
        self.members[j].remove(i)
        self.set_of[i] = -1
        sector = cohort.sector[i]
        if sector >= 0:
            self.sectors[j][sector] -= 1
            if not self.sectors[j][sector]:
                self.distinct[j] -= 1
        organisation = cohort.organisation[i]
        if organisation >= 0:
            counts = self.organisations[j]
            counts[organisation] -= 1
            self.clashes[j] -= counts[organisation]
        for other in cohort.apart[i]:
            if self.set_of[other] == j:
                self.clashes[j] -= 1
        place = cohort.place[i]
        if place >= 0:
            counts = self.places[j]
            counts[place] -= 1
            self.place_pairs[j] -= counts[place]

    def key(self) -> tuple[int, int, int, int]:
        """The score as a tuple, lower better (the module's docstring)."""
        breaches = sum(self.clashes) + sum(
            _outside(len(members), self.low, self.high) for members in self.members
        )
        return (
            breaches,
            -sum(self.distinct),
            sum(d * d for d in self.distinct),
            self.place_sign * sum(self.place_pairs),
        )

    def unavoidable(self) -> int:
        """At least the breaches any arrangement in these sets has (the score's first term):
        pairs kept apart who are pinned to one set; an organisation's pairs when its members
        are spread over every set as evenly as can be, or as the pins put them, whichever is
        more; and the members by which sets are too large, when more are pinned to them than
        allowed, or by which the sizes planned stray when no sizes are right."""
        cohort, k, found = self.cohort, self.k, 0
        pinned: list[list[int]] = [[] for _ in range(k)]
        for i, j in enumerate(cohort.pinned):
            if j >= 0:
                found += sum(1 for other in pinned[j] if other in cohort.apart[i])
                pinned[j].append(i)
        groups: dict[int, list[int]] = {}
        for i, organisation in enumerate(cohort.organisation):
            if organisation >= 0:
                groups.setdefault(organisation, []).append(i)
        for group in groups.values():
            if len(group) < 2:
                continue
            pinned_together = [0] * k
            for i in group:
                if cohort.pinned[i] >= 0:
                    pinned_together[cohort.pinned[i]] += 1
            most, more = divmod(len(group), k)  # spread over every set, as evenly as can be
            found += max(
                sum(c * (c - 1) // 2 for c in pinned_together),
                more * (most + 1) * most // 2 + (k - more) * most * (most - 1) // 2,
            )
        if self.low * k <= cohort.n <= self.high * k:
            found += sum(max(0, len(members) - self.high) for members in pinned)
        else:
            found += sum(
                _outside(size, self.low, self.high)
                for size in _sizes(cohort.n, k, [len(members) for members in pinned])
            )
        return found


def _search(cohort: _Cohort, brief: Brief, k: int, rng: random.Random, budget: list[int]) -> _State:
    """The best sets found in ``k`` sets: dealings, each improved by local search (first
    scoring only breaches and sectors, when they can be better); then, for a small cohort with
    a breach that might be avoided, a complete search for fewer breaches, improved in turn."""
    n = cohort.n
    if k == 0:
        return _State(cohort, brief, 0)
    sizes = _sizes(n, k, cohort.pinned_counts(k))
    steps = STEPS_PER_MEMBER * n + 400
    patience = PATIENCE_PER_MEMBER * n + 400
    restarts = max(1, min(12, 24_000 // steps))
    best = None
    for restart in range(restarts):
        state = _State(cohort, brief, k)
        _deal(state, sizes, rng, shuffle=restart > 0)
        if restart == 0:
            unavoidable, possible = state.unavoidable(), _possible_for(state)
        if state.key()[0] > unavoidable or -state.key()[1] < possible:
            _improve(state, rng, steps, patience, coarse=True)
        _improve(state, rng, steps, patience)
        if best is None or state.key() < best.key():
            best = state
        if best.key()[0] <= unavoidable and -best.key()[1] >= possible:
            break  # nothing better can be found
    if n <= EXACT_UP_TO and (best.key()[0] > unavoidable or -best.key()[1] < possible):
        found = _complete(cohort, brief, k, best.key()[:2], (unavoidable, -possible), budget)
        if found is not None:
            state = _State(cohort, brief, k)
            for i, j in enumerate(found):
                state.add(i, j)
            _improve(state, rng, steps, patience)
            if state.key() < best.key():
                best = state
    return best


def _possible_for(state: _State) -> int:
    counts = [0] * len(state.cohort.sector_names)
    for sector in state.cohort.sector:
        if sector >= 0:
            counts[sector] += 1
    return _most_sectors([len(members) for members in state.members], counts)


def _deal(state: _State, sizes: list[int], rng: random.Random, *, shuffle: bool) -> None:
    """Place the pinned members, then deal the rest in turn into the sets (the module's
    docstring): rarest sector first, members of one place and of one organisation one after
    another, so that they land in different sets."""
    cohort, k = state.cohort, state.k
    for i, j in enumerate(cohort.pinned):
        if j >= 0:
            state.add(i, j)
    sector_size = [0] * len(cohort.sector_names)
    for sector in cohort.sector:
        if sector >= 0:
            sector_size[sector] += 1
    ties = [rng.random() if shuffle else 0.0 for _ in range(cohort.n + 1)]
    organisation_tie = [rng.random() if shuffle else 0.0 for _ in range(cohort.n + 1)]

    def order(i: int):
        sector = cohort.sector[i]
        rarity = sector_size[sector] if sector >= 0 else cohort.n + 1
        return (
            rarity,
            sector,
            cohort.place[i],
            organisation_tie[cohort.organisation[i]],
            cohort.organisation[i],
            ties[i],
            i,
        )

    free = sorted((i for i in range(cohort.n) if cohort.pinned[i] < 0), key=order)
    at = rng.randrange(k) if shuffle else 0
    members = state.members
    for i in free:
        chosen = fallback = -1
        sector = cohort.sector[i]
        for step in range(k):
            j = (at + step) % k
            if len(members[j]) >= sizes[j]:
                continue
            if fallback < 0:
                fallback = j
            if cohort.clash(i, members[j]):
                continue
            if chosen < 0:
                chosen, first_step = j, step
            if sector < 0 or not state.sectors[j][sector]:
                chosen = j
                break
            if step - first_step >= 3:  # a set lacking the sector is not near: take the first
                break
        j = chosen if chosen >= 0 else fallback
        if j < 0:  # every set full: only when the pins make sets larger than planned
            j = min(range(k), key=lambda j: (len(members[j]), j))
        state.add(i, j)
        at = (j + 1) % k


def _improve(
    state: _State, rng: random.Random, steps: int, patience: int, *, coarse: bool = False
) -> None:
    """Local search: up to ``steps`` times, and until ``patience`` steps have gained nothing,
    take a random member and a random other set (in ``Mode.SAME`` often the set of someone
    from the member's place) and make the best of the swaps with that set's members and the
    move into it, when it improves the score; one in three changes that leave the score as it
    is are made too, to cross flat ground. ``coarse``: score only breaches and sectors, so
    that there is more flat ground to cross (the spread and the places are left to a second
    search)."""
    cohort, k = state.cohort, state.k
    if k < 2:
        return
    n_sectors = len(cohort.sector_names)
    w3 = 0 if coarse else 2 * (cohort.n + 1) + 1  # more than a change in place pairs can be
    w2 = (4 * n_sectors + 3) * w3 or 1
    w1 = 4 * w2
    sign = 0 if coarse else state.place_sign
    low, high = state.low, state.high
    sector_of, organisation_of, place_of = cohort.sector, cohort.organisation, cohort.place
    apart_of, pinned = cohort.apart, cohort.pinned
    set_of, members, sectors = state.set_of, state.members, state.sectors
    distinct, organisations, places = state.distinct, state.organisations, state.places
    by_place: list[list[int]] = [[] for _ in cohort.place_names]
    for i, place in enumerate(place_of):
        if place >= 0:
            by_place[place].append(i)
    same = state.place_sign < 0
    random_ = rng.random
    movable = [i for i in range(cohort.n) if pinned[i] < 0]
    if not movable:
        return

    def outside(size: int) -> int:
        return low - size if size < low else size - high if size > high else 0

    still = 0  # steps since the last change that improved the score
    for _ in range(steps):
        still += 1
        if still > patience:
            break
        a = movable[int(random_() * len(movable))]
        first = set_of[a]
        place_a = place_of[a]
        if same and place_a >= 0 and random_() < 0.5:
            mates = by_place[place_a]
            second = set_of[mates[int(random_() * len(mates))]]
            if second == first:
                continue
        else:
            second = int(random_() * (k - 1))
            if second >= first:
                second += 1
        sector_a, organisation_a = sector_of[a], organisation_of[a]
        s1, s2 = sectors[first], sectors[second]
        d1, d2 = distinct[first], distinct[second]
        o1, o2 = organisations[first], organisations[second]
        p1, p2 = places[first], places[second]
        apart_a = apart_of[a]
        # a leaves the first set and joins the second
        lose_a = 1 if sector_a >= 0 and s1[sector_a] == 1 else 0
        gain_a = 1 if sector_a >= 0 and not s2[sector_a] else 0
        apart_out_a = apart_in_a = 0
        if apart_a:
            for o in apart_a:
                where = set_of[o]
                if where == first:
                    apart_out_a += 1
                elif where == second:
                    apart_in_a += 1
        clash_out_a = apart_out_a + (o1[organisation_a] - 1 if organisation_a >= 0 else 0)
        clash_in_a = apart_in_a + (o2.get(organisation_a, 0) if organisation_a >= 0 else 0)
        pairs_out_a = p1[place_a] - 1 if place_a >= 0 else 0
        pairs_in_a = p2.get(place_a, 0) if place_a >= 0 else 0

        best, best_b = 1, -2
        size1, size2 = len(members[first]), len(members[second])
        # the move alone, kept only when it avoids a breach or gains a sector, and never when
        # it takes a size further outside the sizes allowed
        n1, n2 = d1 - lose_a, d2 + gain_a
        strays = outside(size1 - 1) - outside(size1) + outside(size2 + 1) - outside(size2)
        main = w1 * (clash_in_a - clash_out_a + strays) - w2 * (gain_a - lose_a)
        if main < 0 and strays <= 0:
            best = (
                main
                + w3 * (n1 * n1 + n2 * n2 - d1 * d1 - d2 * d2)
                + sign * (pairs_in_a - pairs_out_a)
            )
            best_b = -1
        for b in members[second]:
            if pinned[b] >= 0:
                continue
            sector_b, organisation_b, place_b = sector_of[b], organisation_of[b], place_of[b]
            if sector_b == sector_a:
                n1, n2 = d1, d2
            else:
                n1 = d1 - lose_a
                n2 = d2 + gain_a
                if sector_b >= 0:
                    if s2[sector_b] == 1:
                        n2 -= 1
                    if not s1[sector_b]:
                        n1 += 1
            if organisation_b == organisation_a:
                clashes = apart_in_a - apart_out_a
            else:
                clashes = clash_in_a - clash_out_a
                if organisation_b >= 0:
                    clashes += o1.get(organisation_b, 0) - o2[organisation_b] + 1
            apart_b = apart_of[b]
            if apart_b:
                for o in apart_b:
                    where = set_of[o]
                    if where == first:
                        clashes += 1
                    elif where == second:
                        clashes -= 1
                if a in apart_b:  # counted as joining each other's sets, which they leave
                    clashes -= 2
            if place_b == place_a:
                pairs = 0
            else:
                pairs = pairs_in_a - pairs_out_a
                if place_b >= 0:
                    pairs += p1.get(place_b, 0) - p2[place_b] + 1
            delta = (
                w1 * clashes
                - w2 * (n1 + n2 - d1 - d2)
                + w3 * (n1 * n1 + n2 * n2 - d1 * d1 - d2 * d2)
                + sign * pairs
            )
            if delta < best:
                best, best_b = delta, b
        if best_b == -2:
            continue
        if best < 0:
            still = 0
        elif random_() >= 1 / 3:
            continue
        state.remove(a)
        if best_b >= 0:
            state.remove(best_b)
            state.add(best_b, first)
        state.add(a, second)


def _complete(
    cohort: _Cohort,
    brief: Brief,
    k: int,
    better_than: tuple[int, int],
    enough: tuple[int, int],
    budget: list[int],
) -> list[int] | None:
    """The set of each member (by number) in ``k`` sets of the sizes allowed, pins kept, with
    the fewest breaches and then the most sectors, as (breaches, -sectors), if lower than
    ``better_than``; else None. A branch and bound over every arrangement, the most
    constrained members first, each tried first in the sets where it breaks no rule and adds a
    sector; it stops on reaching ``enough`` or when ``budget[0]`` placements have been tried
    (and takes them off it)."""
    low, high = brief.min_size, brief.max_size
    counts = cohort.pinned_counts(k)
    room = [max(high, c) for c in counts]
    if sum(max(low, c) for c in counts) > cohort.n or sum(room) < cohort.n:
        return None
    contents: list[list[int]] = [[] for _ in range(k)]
    sectors = [[0] * len(cohort.sector_names) for _ in range(k)]
    set_of = list(cohort.pinned)
    clashes = distinct = 0
    for i, j in enumerate(cohort.pinned):
        if j >= 0:
            clashes += _clashes(cohort, i, contents[j])
            contents[j].append(i)
            if cohort.sector[i] >= 0:
                distinct += not sectors[j][cohort.sector[i]]
                sectors[j][cohort.sector[i]] += 1
    group_size: dict[int, int] = {}
    for organisation in cohort.organisation:
        group_size[organisation] = group_size.get(organisation, 0) + 1
    free = sorted(
        (i for i in range(cohort.n) if cohort.pinned[i] < 0),
        key=lambda i: (
            -(group_size[cohort.organisation[i]] if cohort.organisation[i] >= 0 else 1)
            - len(cohort.apart[i]),
            cohort.organisation[i],
            i,
        ),
    )
    with_sector_after = [0] * (len(free) + 1)  # members with a sector from each position on
    for position in range(len(free) - 1, -1, -1):
        with_sector_after[position] = with_sector_after[position + 1] + (
            cohort.sector[free[position]] >= 0
        )
    has_pins = [c > 0 for c in counts]
    best: list = [better_than, None]

    def place(position: int, clashes: int, distinct: int) -> bool:
        """Whether to stop: ``enough`` reached or the budget spent."""
        if (clashes, -distinct - with_sector_after[position]) >= best[0]:
            return False  # cannot do better than the best so far
        if sum(max(0, low - len(members)) for members in contents) > len(free) - position:
            return False  # too few members left to bring every set to the smallest size
        if position == len(free):
            best[0], best[1] = (clashes, -distinct), list(set_of)
            return best[0] <= enough
        i = free[position]
        sector = cohort.sector[i]
        options = []
        tried_empty = False
        for j in range(k):
            if len(contents[j]) >= room[j]:
                continue
            if not contents[j] and not has_pins[j]:
                if tried_empty:
                    continue  # empty sets without pins are alike: try one of them
                tried_empty = True
            adds = 1 if sector >= 0 and not sectors[j][sector] else 0
            options.append((_clashes(cohort, i, contents[j]), -adds, len(contents[j]), j))
        for added, minus_adds, _, j in sorted(options):
            budget[0] -= 1
            if budget[0] < 0:
                return True
            contents[j].append(i)
            set_of[i] = j
            if sector >= 0:
                sectors[j][sector] += 1
            stop = place(position + 1, clashes + added, distinct - minus_adds)
            if sector >= 0:
                sectors[j][sector] -= 1
            contents[j].pop()
            set_of[i] = -1
            if stop:
                return True
        return False

    place(0, clashes, distinct)
    return best[1]


def _clashes(cohort: _Cohort, i: int, others: Iterable[int]) -> int:
    """The rules member ``i`` would break by sharing a set with ``others``: one for each of
    them from the same organisation and one for each to be kept apart from."""
    organisation, apart = cohort.organisation[i], cohort.apart[i]
    return sum(
        (organisation >= 0 and cohort.organisation[o] == organisation) + (o in apart)
        for o in others
    )


def _most_sectors(sizes: Sequence[int], sector_sizes: Sequence[int]) -> int:
    """The most distinct sectors, summed over sets of ``sizes``, that members of sectors of
    ``sector_sizes`` could make, ignoring everything else: a set holds a sector at most once
    and no more sectors than members; a sector is in no more sets than it has members. A
    maximum flow; its minimum cut keeps the ``a`` largest sets and the ``b`` largest sectors
    joined (cutting ``a * b`` set-sector links) and cuts the rest off."""
    sizes = sorted(sizes)
    sector_sizes = sorted(s for s in sector_sizes if s > 0)
    k, s = len(sizes), len(sector_sizes)
    size_sums = [0]
    for size in sizes:
        size_sums.append(size_sums[-1] + size)
    sector_sums = [0]
    for count in sector_sizes:
        sector_sums.append(sector_sums[-1] + count)
    return min(
        size_sums[k - a] + sector_sums[s - b] + a * b for a in range(k + 1) for b in range(s + 1)
    )


# --- Scoring and explaining any arrangement --------------------------------------------------


def assess(brief: Brief, sets: Sequence[Sequence[int]]) -> tuple[Score, tuple[Breach, ...]]:
    """The score and breaches of any sets of the brief's members (``Composition.sets``'s
    shape), for instance after a facilitator has moved people by hand. A member in no set is a
    breach of kind "unplaced"; a set too small or too large, of kind "size"; a pin not kept, of
    kind "pin". ``BriefError`` when the brief is nonsense, or a set names someone who is not a
    member or a member twice."""
    return _assess(_Cohort(brief), brief, sets)


def _assess(
    cohort: _Cohort, brief: Brief, sets: Sequence[Sequence[int]]
) -> tuple[Score, tuple[Breach, ...]]:
    by_id = {member.id: member for member in cohort.members}
    _check_sets(sets, by_id)
    low, high = brief.min_size, brief.max_size
    allowed = f"exactly {_number(low)}" if low == high else f"{_number(low)} to {_number(high)}"
    breaches: list[Breach] = []
    scores: list[SetScore] = []
    cohort_sectors = len(cohort.sector_names)
    place_pairs = 0
    placed: set[int] = set()
    for number, ids in enumerate(sets, start=1):
        ids = sorted(ids)
        placed.update(ids)
        members = [by_id[member_id] for member_id in ids]
        if _outside(len(ids), low, high):
            breaches.append(
                Breach(
                    kind="size",
                    message=f"Set {number} has {_plural(len(ids), 'member')}; sets should "
                    f"have {allowed}",
                    set_number=number,
                    members=tuple(ids),
                )
            )
        sectors = {s for member in members if (s := _given(member.sector))}
        scores.append(
            SetScore(
                number=number,
                size=len(ids),
                sectors=len(sectors),
                possible=min(len(ids), cohort_sectors),
            )
        )
        organisations: dict[str, list[Member]] = {}
        places: dict[str, int] = {}
        for member in members:
            if organisation := _given(member.organisation):
                organisations.setdefault(organisation, []).append(member)
            if place := _given(member.place):
                places[place] = places.get(place, 0) + 1
        place_pairs += sum(count * (count - 1) // 2 for count in places.values())
        for organisation in sorted(organisations):
            together = organisations[organisation]
            if len(together) > 1:
                breaches.append(
                    Breach(
                        kind="organisation",
                        message=f"Set {number} has {_number(len(together))} members from "
                        f"{organisation} ({_and(member.name for member in together)})",
                        set_number=number,
                        members=tuple(member.id for member in together),
                    )
                )
        for position, first in enumerate(ids):
            for second in ids[position + 1 :]:
                if frozenset((first, second)) in brief.apart:
                    breaches.append(
                        Breach(
                            kind="apart",
                            message=f"{by_id[first].name} and {by_id[second].name} are both in "
                            f"set {number} but are to be kept apart",
                            set_number=number,
                            members=(first, second),
                        )
                    )
    set_of = {member_id: number for number, ids in enumerate(sets, start=1) for member_id in ids}
    for member in cohort.members:
        if member.id not in placed:
            breaches.append(
                Breach(
                    kind="unplaced",
                    message=f"{member.name} is not in any set",
                    set_number=None,
                    members=(member.id,),
                )
            )
    for member_id, number in sorted(brief.pins.items()):
        if set_of.get(member_id) != number:
            where = f"set {set_of[member_id]}" if member_id in set_of else "no set"
            breaches.append(
                Breach(
                    kind="pin",
                    message=f"{by_id[member_id].name} is pinned to set {number} but is in {where}",
                    set_number=number,
                    members=(member_id,),
                )
            )
    sector_sizes: dict[str, int] = {}
    for member in cohort.members:
        if sector := _given(member.sector):
            sector_sizes[sector] = sector_sizes.get(sector, 0) + 1
    total = sum(score.sectors for score in scores)
    possible = _most_sectors([len(ids) for ids in sets], list(sector_sizes.values()))
    score = Score(
        sectors=total,
        possible=possible,
        worst=min((score.sectors for score in scores), default=0),
        spread=sum(score.sectors**2 for score in scores),
        same_place_pairs=place_pairs,
        percent=100 * total // possible if possible else 100,
        sets=tuple(scores),
    )
    return score, tuple(breaches)


def explain(brief: Brief, sets: Sequence[Sequence[int]]) -> dict[int, str]:
    """Why each member is where they are, one line each (member id -> words), for any sets of
    the brief's members: pinned, their sector's part in the set's mix, a clash or a pair kept
    apart, and a place shared. ``BriefError`` as for ``assess``."""
    return _explain(_Cohort(brief), brief, sets)


def _explain(cohort: _Cohort, brief: Brief, sets: Sequence[Sequence[int]]) -> dict[int, str]:
    by_id = {member.id: member for member in cohort.members}
    _check_sets(sets, by_id)
    same = Mode(brief.mode) == Mode.SAME
    reasons: dict[int, str] = {}
    for number, ids in enumerate(sets, start=1):
        members = [by_id[member_id] for member_id in sorted(ids)]
        sectors: dict[str, int] = {}
        organisations: dict[str, list[Member]] = {}
        places: dict[str, int] = {}
        for member in members:
            if sector := _given(member.sector):
                sectors[sector] = sectors.get(sector, 0) + 1
            if organisation := _given(member.organisation):
                organisations.setdefault(organisation, []).append(member)
            if place := _given(member.place):
                places[place] = places.get(place, 0) + 1
        in_set = {member.id for member in members}
        mix = _plural(len(sectors), "sector")
        for member in members:
            parts = []
            if brief.pins.get(member.id) == number:
                parts.append("pinned here by the facilitator")
            sector = _given(member.sector)
            if sector is None:
                parts.append(f"no sector given; the set has {mix}")
            elif sectors[sector] == 1:
                parts.append(f"the only {_lower(sector)} member; brings the set to {mix}")
            else:
                parts.append(
                    f"one of {_number(sectors[sector])} {_lower(sector)} members; the set has {mix}"
                )
            organisation = _given(member.organisation)
            if organisation is not None and len(organisations[organisation]) > 1:
                others = [o.name for o in organisations[organisation] if o.id != member.id]
                verb = "does" if len(others) == 1 else "do"
                parts.append(f"works for {organisation}, as {_and(others)} {verb}")
            partners = [cohort.members[o] for o in sorted(cohort.apart[cohort.index[member.id]])]
            together = [o.name for o in partners if o.id in in_set]
            away = [o.name for o in partners if o.id not in in_set]
            if together:
                parts.append(f"to be kept apart from {_and(together)}, but in the same set")
            if away:
                parts.append(f"kept apart from {_and(away)}")
            place = _given(member.place)
            if place is not None and places[place] > 1:
                others = _plural(places[place] - 1, "other")
                parts.append(
                    f"shares {place} with {others}"
                    + (" (same place where possible)" if same else "")
                )
            reasons[member.id] = "; ".join(parts)
    for member in cohort.members:
        if member.id not in reasons:
            reasons[member.id] = "not in any set"
    return reasons


def _check_sets(sets: Sequence[Sequence[int]], by_id: Mapping[int, Member]) -> None:
    seen: set[int] = set()
    for ids in sets:
        for member_id in ids:
            if member_id not in by_id:
                raise BriefError(
                    f"A set names enrolment {member_id}, who is not a member of this cohort"
                )
            if member_id in seen:
                raise BriefError(f"{by_id[member_id].name} is in more than one set")
            seen.add(member_id)


# --- Words ---------------------------------------------------------------------------------

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _number(n: int) -> str:
    """Numbers up to ten in words."""
    return _NUMBERS[n] if 0 <= n <= 10 else str(n)


def _plural(n: int, noun: str) -> str:
    return f"{_number(n)} {noun}{'' if n == 1 else 's'}"


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low} to {high}"


def _and(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _lower(sector: str) -> str:
    """A sector's name inside a sentence: "Police" → "police", "NHS and health" kept."""
    if len(sector) > 1 and sector[0].isupper() and sector[1].islower():
        return sector[0].lower() + sector[1:]
    return sector
