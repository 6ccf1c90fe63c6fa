"""Reading a cohort's peer groups for the people who run it: the composer's ``Brief`` built from
the database, and the composer page (/facilitate/cohorts/<id>/peer-groups/).

Everything is read in a fixed number of queries, whatever the size of the cohort or of its
sets: the members with their sector, organisation and place (one query); the pairs to keep
apart, the facilitators' and the learners' own (two); where each member is placed (one); one
page of sets (a count and a page); the advisers to choose from; the latest lines of the log.
The composer then scores the whole arrangement in memory (``composer.assess``)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.formats import date_format

from .. import access, composer
from ..models import (
    Cohort,
    Enrolment,
    KeepApart,
    PeerGroupChange,
    PeerGroupPlan,
    PeerSet,
    PeerSetMember,
    WorkingRelationship,
)

SETS_PER_PAGE = 10
# How many members not in a set the page lists (each with a form to place them); the rest are
# counted. Before the first composition every member is unplaced, and composing places them.
UNPLACED_SHOWN = 50
# The latest lines of the change log shown.
LOG_LINES = 20
# Above this many members, the keep-apart form asks for email addresses instead of offering
# every member in a list.
SELECT_LIMIT = 200

Kind = PeerGroupChange.Kind


@dataclass(frozen=True)
class MemberRow:
    """A member of the cohort (an enrolment with a place, active or completed), as the
    composer page shows them."""

    id: int
    user_id: int
    name: str
    email: str
    job_title: str
    organisation_id: int | None
    organisation: str
    sector: str
    place: str


@dataclass(frozen=True)
class Placement:
    """Where a member is: their set's number, whether they are pinned there, and why."""

    number: int
    pinned: bool
    reason: str


@dataclass(frozen=True)
class SetMember:
    """A member of a set on the composer page; ``reason`` is the composer's explanation of
    their place in the set as it is now (``composer.explain``)."""

    member: MemberRow
    pinned: bool
    reason: str


@dataclass
class SetView:
    peer_set: PeerSet
    members: list[SetMember]
    score: composer.SetScore | None
    breaches: list[composer.Breach]

    @property
    def number(self) -> int:
        return self.peer_set.number

    @property
    def caption_id(self) -> str:
        return f"set-{self.peer_set.number}-caption"

    @property
    def sectors(self) -> list[str]:
        return sorted({m.member.sector for m in self.members if m.member.sector})

    @property
    def warnings(self) -> list[str]:
        return [breach.message for breach in self.breaches]


@dataclass(frozen=True)
class ApartPair:
    pair: KeepApart
    first: str
    second: str


@dataclass(frozen=True)
class LogLine:
    sentence: str
    at: object  # an aware datetime

    @property
    def when(self) -> str:
        return date_format(timezone.localtime(self.at), "j M Y H:i")


@dataclass
class PeerGroupsPage:
    """Everything the composer page shows."""

    plan: PeerGroupPlan
    members: dict[int, MemberRow]
    sets: list[SetView]
    page: Page
    set_count: int
    score: composer.Score | None
    breaches: list[composer.Breach]
    problems: list[str]
    unplaced: list[MemberRow]
    unplaced_count: int
    apart: list[ApartPair]
    declared_pairs: int
    advisers: list
    log: list[LogLine]
    placed_count: int = 0

    @property
    def member_count(self) -> int:
        return len(self.members)

    @property
    def member_choices(self) -> list[MemberRow]:
        """The members, by name, for the keep-apart lists (empty above ``SELECT_LIMIT``)."""
        if len(self.members) > SELECT_LIMIT:
            return []
        return sorted(self.members.values(), key=lambda m: (m.name.lower(), m.id))

    @property
    def warnings(self) -> list[str]:
        return [breach.message for breach in self.breaches]

    @property
    def by_email(self) -> bool:
        """Whether the keep-apart form asks for email addresses rather than offering lists."""
        return len(self.members) > SELECT_LIMIT


# --- The composer's input ------------------------------------------------------------------


def plan_of(cohort: Cohort) -> PeerGroupPlan:
    """The cohort's plan, or (not saved) the defaults a first composition starts from."""
    return PeerGroupPlan.objects.filter(cohort=cohort).first() or PeerGroupPlan(cohort=cohort)


def cohort_members(cohort: Cohort) -> dict[int, MemberRow]:
    """The cohort's members by enrolment id, in enrolment order: one query. The sector is the
    person's own, else their organisation's."""
    rows = (
        Enrolment.objects.members()
        .filter(cohort=cohort)
        .order_by("pk")
        .values_list(
            "pk",
            "user_id",
            Coalesce(
                NullIf("user__display_name", Value("")), "user__email", output_field=CharField()
            ),
            "user__email",
            "user__job_title",
            "user__organisation_id",
            "user__organisation__name",
            Coalesce("user__sector__name", "user__organisation__sector__name"),
            "user__place__name",
        )
    )
    return {
        pk: MemberRow(
            id=pk,
            user_id=user_id,
            name=name,
            email=email,
            job_title=job_title or "",
            organisation_id=organisation_id,
            organisation=organisation or "",
            sector=sector or "",
            place=place or "",
        )
        for pk, user_id, name, email, job_title, organisation_id, organisation, sector, place in (
            rows
        )
    }


def _pair(a: int, b: int) -> frozenset[int]:
    return frozenset((a, b))


def declared_pairs(cohort: Cohort, members: dict[int, MemberRow]) -> set[frozenset[int]]:
    """The pairs of members one of whom declared the other on their profile (by email address,
    matched without regard to case): one query."""
    by_user = {m.user_id: m.id for m in members.values()}
    by_email = {m.email.lower(): m.id for m in members.values()}
    declarations = WorkingRelationship.objects.filter(
        user__in=Enrolment.objects.members().filter(cohort=cohort).values("user")
    ).values_list("user_id", "email")
    pairs = set()
    for user_id, email in declarations:
        mine, theirs = by_user.get(user_id), by_email.get(email.lower())
        if mine is not None and theirs is not None and mine != theirs:
            pairs.add(_pair(mine, theirs))
    return pairs


def facilitator_pairs(cohort: Cohort) -> list[KeepApart]:
    """The pairs the people who run the cohort keep apart, with their names: one query."""
    return list(
        KeepApart.objects.filter(cohort=cohort)
        .select_related("first__user", "second__user")
        .order_by("created_at", "pk")
    )


def apart_of(
    cohort: Cohort,
    members: dict[int, MemberRow],
    pairs: Iterable[KeepApart] | None = None,
    declared: set[frozenset[int]] | None = None,
) -> frozenset[frozenset[int]]:
    """Every pair of members to keep apart: the facilitators' (``pairs``, read when not given)
    and the learners' own (``declared``, likewise). Two queries at most."""
    if pairs is None:
        pairs = KeepApart.objects.filter(cohort=cohort).only("first_id", "second_id")
    if declared is None:
        declared = declared_pairs(cohort, members)
    apart = {
        _pair(p.first_id, p.second_id)
        for p in pairs
        if p.first_id in members and p.second_id in members
    }
    return frozenset(apart | declared)


def placements(cohort: Cohort) -> dict[int, Placement]:
    """Where each member of the cohort is placed, by enrolment id: one query. People who have
    left the cohort keep their row but are not members, so they are left out."""
    rows = PeerSetMember.objects.filter(
        cohort=cohort, enrolment__in=Enrolment.objects.members().filter(cohort=cohort)
    ).values_list("enrolment_id", "peer_set__number", "pinned", "reason")
    return {
        enrolment_id: Placement(number, pinned, reason)
        for enrolment_id, number, pinned, reason in rows
    }


def composer_brief(
    plan: PeerGroupPlan,
    members: dict[int, MemberRow],
    apart: frozenset[frozenset[int]],
    placed: dict[int, Placement],
    *,
    pin_everyone: bool = False,
) -> composer.Brief:
    """The composer's input: the members, the pairs to keep apart, the pins (every placed
    member with ``pin_everyone``, as after publishing), and the plan's sizes, mode and seed."""
    pins = {
        member_id: where.number
        for member_id, where in placed.items()
        if where.pinned or pin_everyone
    }
    return composer.Brief(
        members=tuple(
            composer.Member(
                id=m.id,
                name=m.name,
                sector=m.sector or None,
                organisation=m.organisation or None,
                place=m.place or None,
            )
            for m in members.values()
        ),
        size=plan.size,
        min_size=plan.min_size,
        max_size=plan.max_size,
        apart=apart,
        pins=pins,
        mode=composer.Mode(plan.mode),
        seed=plan.seed,
    )


def cohort_brief(cohort: Cohort, plan: PeerGroupPlan | None = None) -> composer.Brief:
    """The composer's input for ``cohort`` as it stands, in four queries (five without
    ``plan``)."""
    plan = plan or plan_of(cohort)
    members = cohort_members(cohort)
    return composer_brief(plan, members, apart_of(cohort, members), placements(cohort))


def arrangement(placed: dict[int, Placement], set_count: int) -> tuple[tuple[int, ...], ...]:
    """The sets as the composer numbers them (set n at index n - 1), members by id."""
    count = max([set_count, *(where.number for where in placed.values())])
    sets: list[list[int]] = [[] for _ in range(count)]
    for member_id, where in sorted(placed.items()):
        sets[where.number - 1].append(member_id)
    return tuple(tuple(s) for s in sets)


def problems_of(brief: composer.Brief) -> list[str]:
    """What cannot be met, in the composer's words (a brief it cannot take at all, in its
    own)."""
    try:
        return list(composer.problems(brief))
    except composer.BriefError as error:
        return [str(error)]


# --- The change log ------------------------------------------------------------------------


def _person(user, fallback: str) -> str:
    if user is None:
        return fallback
    return user.display_name or user.email


def log_sentence(change: PeerGroupChange) -> str:
    """One line of the log in words: "Ann Lee moved Bo Ray from set 2 to set 4"."""
    who = _person(change.actor, "Someone")
    member = (
        _person(change.enrolment.user, "a member") if change.enrolment_id else "a former member"
    )
    kind = change.kind
    if kind == Kind.COMPOSED:
        if change.after_publishing:
            return f"{who} composed the sets again, placing members not yet in a set"
        return f"{who} composed the sets"
    if kind == Kind.PUBLISHED:
        return f"{who} published the sets"
    if kind == Kind.MOVED:
        return f"{who} moved {member} from set {change.from_number} to set {change.to_number}"
    if kind == Kind.PLACED:
        return f"{who} placed {member} in set {change.to_number}"
    if kind == Kind.REMOVED:
        return f"{who} took {member} out of set {change.from_number}"
    if kind == Kind.PINNED:
        return f"{who} pinned {member} to set {change.to_number}"
    if kind == Kind.UNPINNED:
        return f"{who} unpinned {member} in set {change.to_number}"
    if kind == Kind.ADVISER:
        if change.adviser_id is None:
            return f"{who} removed the adviser of set {change.to_number}"
        return f"{who} named {_person(change.adviser, 'someone')} adviser of set {change.to_number}"
    return f"{who}: {change.get_kind_display().lower()}"


def change_log(cohort: Cohort, limit: int = LOG_LINES) -> list[LogLine]:
    """The latest ``limit`` changes, newest first, as sentences: one query."""
    changes = PeerGroupChange.objects.filter(cohort=cohort).select_related(
        "actor", "enrolment__user", "adviser"
    )[:limit]
    return [LogLine(log_sentence(change), change.created_at) for change in changes]


# --- The composer page ---------------------------------------------------------------------


def peer_groups_page(cohort: Cohort, page_number=None) -> PeerGroupsPage:
    """The composer page of ``cohort``, its sets paged by the database (``SETS_PER_PAGE`` a
    page; an unknown page number shows the last or first page)."""
    plan = plan_of(cohort)
    members = cohort_members(cohort)
    pairs = facilitator_pairs(cohort)
    declared = declared_pairs(cohort, members)
    apart = apart_of(cohort, members, pairs, declared)
    placed = placements(cohort)
    brief = composer_brief(plan, members, apart, placed)

    paginator = Paginator(
        PeerSet.objects.filter(cohort=cohort).select_related("adviser").order_by("number"),
        SETS_PER_PAGE,
    )
    page = paginator.get_page(page_number)
    set_count = paginator.count

    score, breaches, reasons = None, (), {}
    if placed:
        sets_now = arrangement(placed, set_count)
        score, breaches = composer.assess(brief, sets_now)
        # Why each member is where they are now, moves by hand included.
        reasons = composer.explain(brief, sets_now)
    scores = {s.number: s for s in score.sets} if score else {}

    by_set: dict[int, list[SetMember]] = {}
    for member_id, where in placed.items():
        by_set.setdefault(where.number, []).append(
            SetMember(members[member_id], where.pinned, reasons.get(member_id) or where.reason)
        )
    sets = [
        SetView(
            peer_set=peer_set,
            members=sorted(
                by_set.get(peer_set.number, []), key=lambda m: (m.member.name.lower(), m.member.id)
            ),
            score=scores.get(peer_set.number),
            breaches=[b for b in breaches if b.set_number == peer_set.number],
        )
        for peer_set in page.object_list
    ]
    unplaced = sorted(
        (m for m in members.values() if m.id not in placed), key=lambda m: (m.name.lower(), m.id)
    )
    return PeerGroupsPage(
        plan=plan,
        members=members,
        sets=sets,
        page=page,
        set_count=set_count,
        score=score,
        breaches=[b for b in breaches if b.set_number is None and b.kind != "unplaced"],
        problems=problems_of(brief),
        unplaced=unplaced[:UNPLACED_SHOWN],
        unplaced_count=len(unplaced),
        apart=[
            ApartPair(p, _person(p.first.user, "a member"), _person(p.second.user, "a member"))
            for p in pairs
        ],
        declared_pairs=len(declared),
        advisers=list(access.adviser_choices(cohort)),
        log=change_log(cohort),
        placed_count=len(placed),
    )


def member_of(members: dict[int, MemberRow], email: str) -> MemberRow | None:
    """The member among ``members`` with this email address (any case), if any."""
    email = email.strip().lower()
    return next((m for m in members.values() if m.email.lower() == email), None)
