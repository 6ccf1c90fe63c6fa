"""Composing, changing and publishing a cohort's peer groups, the pairs of members kept apart,
and a learner's own declarations of the people they work with.

Every write holds the row lock of the cohort's ``PeerGroupPlan`` (created with its defaults the
first time), so two people changing the sets at once are served one after the other: two
requests to publish give one publication, and a move checks the set as the last write left it.
A refused write raises ``ValidationError`` with words a person can act on, and saves nothing.

Before publishing, composing again places everyone who is not pinned afresh. Once the sets are
published they are never reshuffled: composing again places only the members not yet in a set,
and every change after publishing is logged (``PeerGroupChange``, ``after_publishing``) with who
made it. Members are emailed their set after commit: all of them on publication, and then each
one placed or moved (``cohorts.emails.send_peer_set_emails``, idempotent)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
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
from ..selectors.peer_groups import (
    apart_of,
    cohort_members,
    composer_brief,
    placements,
)

Kind = PeerGroupChange.Kind
REASON_LENGTH = PeerSetMember._meta.get_field("reason").max_length
WORKING_RELATIONSHIPS_LIMIT = 20
# The largest value the plan's sizes and seed can hold.
SIZE_LIMIT = 32_767
SEED_LIMIT = 2_147_483_647


@dataclass(frozen=True)
class Composed:
    """What composing did: the composer's ``composition`` (its ``breaches`` are the rules it
    could not meet), whether the sets were already published, and how many members it placed
    (after publishing, the newcomers alone)."""

    composition: composer.Composition
    after_publishing: bool
    placed: int


def _name(user) -> str:
    return (user.display_name or user.email) if user is not None else "Someone"


def locked_plan(cohort: Cohort) -> PeerGroupPlan:
    """The cohort's plan, created with its defaults when missing, under a row lock held to the
    end of the caller's transaction. Two first writes at once both find one row: the second
    insert waits for the first and then does nothing."""
    plan = PeerGroupPlan.objects.select_for_update().filter(cohort=cohort).first()
    if plan is None:
        PeerGroupPlan.objects.bulk_create([PeerGroupPlan(cohort=cohort)], ignore_conflicts=True)
        plan = PeerGroupPlan.objects.select_for_update().get(cohort=cohort)
    return plan


def _log(plan: PeerGroupPlan, kind: str, by, **facts) -> PeerGroupChange:
    return PeerGroupChange.objects.create(
        cohort_id=plan.cohort_id,
        kind=kind,
        actor=by,
        after_publishing=plan.is_published,
        **facts,
    )


def _queue_emails(membership_ids: list[int]) -> None:
    """Write, into the outbox, the email telling each of these members of a published set which
    set they are in — unless they were already told of that set — and remember the set they
    were told of (the next email, after a move, says where from)."""
    from ..notifications import peer_set_notify

    if not membership_ids:
        return
    rows = [
        row
        for row in PeerSetMember.objects.filter(pk__in=membership_ids)
        .select_related("peer_set", "enrolment")
        .order_by("pk")
        if row.notified_number != row.peer_set.number
    ]
    if not rows:
        return
    peer_set_notify(rows)
    now = timezone.now()
    for row in rows:
        row.notified_at, row.notified_number = now, row.peer_set.number
    PeerSetMember.objects.bulk_update(rows, ["notified_at", "notified_number"])


def _member_name(enrolment: Enrolment) -> str:
    return _name(enrolment.user)


# --- Composing ---------------------------------------------------------------------------


def check_sizes(*, size: int, min_size: int, max_size: int, members: int) -> None:
    """The sizes asked for, each refused with its own message."""
    errors: dict[str, str] = {}
    if size < 2:
        errors["size"] = "The set size must be 2 or more"
    elif size > members:
        errors["size"] = (
            f"The set size must be no more than the cohort's {members} member"
            f"{'' if members == 1 else 's'}"
            if members
            else "The cohort has no members to put in sets yet"
        )
    if min_size < 2:
        errors["min_size"] = "The smallest set must have 2 or more members"
    elif min_size > size:
        errors["min_size"] = "The smallest set must be no larger than the set size"
    if max_size < size:
        errors["max_size"] = "The largest set must be no smaller than the set size"
    elif max_size > SIZE_LIMIT:
        errors["max_size"] = f"The largest set must be {SIZE_LIMIT:,} or fewer"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def peer_groups_compose(
    *,
    cohort: Cohort,
    by,
    size: int,
    min_size: int,
    max_size: int,
    mode: str,
    seed: int,
) -> Composed:
    """Run the composer with these settings (kept on the plan) and write what it proposes.

    Before publishing: every member not pinned is placed afresh, pinned members stay pinned,
    and the sets are numbered 1 to k (sets left over are deleted). After publishing, no set
    changes: only the members not yet in a set are placed, around everyone already placed,
    and each is told their set by email."""
    plan = locked_plan(cohort)
    members = cohort_members(cohort)
    check_sizes(size=size, min_size=min_size, max_size=max_size, members=len(members))
    if mode not in PeerGroupPlan.Mode.values:
        raise ValidationError({"mode": "Choose how to mix places"})
    if not 0 <= seed <= SEED_LIMIT:
        raise ValidationError({"seed": f"The seed must be a whole number from 0 to {SEED_LIMIT}"})
    plan.size, plan.min_size, plan.max_size, plan.mode, plan.seed = (
        size,
        min_size,
        max_size,
        mode,
        seed,
    )
    placed = placements(cohort)
    brief = composer_brief(
        plan, members, apart_of(cohort, members), placed, pin_everyone=plan.is_published
    )
    try:
        composition = composer.compose(brief)
    except composer.BriefError as error:
        raise ValidationError(f"The sets cannot be composed: {error}") from error
    now = timezone.now()
    plan.composed_at, plan.composed_by = now, by
    plan.save()
    number_of = {
        member_id: number
        for number, members_of_set in enumerate(composition.sets, start=1)
        for member_id in members_of_set
    }
    if plan.is_published:
        count = _place_newcomers(plan, composition, number_of, placed, by, now)
    else:
        _rewrite_proposal(plan, composition, number_of, placed, now)
        count = len(number_of)
    _log(plan, Kind.COMPOSED, by)
    return Composed(composition, plan.is_published, count)


def _sets_numbered(cohort: Cohort, count: int) -> dict[int, PeerSet]:
    """The cohort's sets numbered 1 to ``count`` (at least), created where missing."""
    existing = {s.number: s for s in PeerSet.objects.filter(cohort=cohort)}
    missing = [PeerSet(cohort=cohort, number=n) for n in range(1, count + 1) if n not in existing]
    for peer_set in PeerSet.objects.bulk_create(missing):
        existing[peer_set.number] = peer_set
    return existing


def _reason(composition: composer.Composition, member_id: int) -> str:
    return (composition.reasons.get(member_id) or "")[:REASON_LENGTH]


def _rewrite_proposal(plan, composition, number_of, placed, now) -> None:
    cohort_id = plan.cohort_id
    count = len(composition.sets)
    # Unpinned members go, and so does anyone who has left the cohort; pinned members stay.
    PeerSetMember.objects.filter(cohort_id=cohort_id).exclude(
        enrolment_id__in=[m for m, where in placed.items() if where.pinned]
    ).delete()
    sets = _sets_numbered(plan.cohort, count)
    pinned_rows = {
        row.enrolment_id: row for row in PeerSetMember.objects.filter(cohort_id=cohort_id)
    }
    new_rows, moved_rows = [], []
    for member_id, number in number_of.items():
        row = pinned_rows.get(member_id)
        if row is None:
            new_rows.append(
                PeerSetMember(
                    peer_set=sets[number],
                    cohort_id=cohort_id,
                    enrolment_id=member_id,
                    reason=_reason(composition, member_id),
                    joined_at=now,
                )
            )
        elif row.peer_set_id != sets[number].pk:
            # A pin the composer could not keep (it lists the breach): the member goes where
            # it put them, still pinned.
            row.peer_set = sets[number]
            moved_rows.append(row)
    PeerSetMember.objects.bulk_update(moved_rows, ["peer_set"])
    PeerSetMember.objects.bulk_create(new_rows)
    # Sets beyond the composer's last go (with a pinned member it left out, if any).
    PeerSet.objects.filter(cohort_id=cohort_id, number__gt=count).delete()


def _place_newcomers(plan, composition, number_of, placed, by, now) -> int:
    newcomers = {m: n for m, n in number_of.items() if m not in placed}
    if not newcomers:
        return 0
    cohort_id = plan.cohort_id
    sets = _sets_numbered(plan.cohort, max(newcomers.values()))
    rows = PeerSetMember.objects.bulk_create(
        [
            PeerSetMember(
                peer_set=sets[number],
                cohort_id=cohort_id,
                enrolment_id=member_id,
                pinned=True,
                reason=_reason(composition, member_id),
                joined_at=now,
            )
            for member_id, number in sorted(newcomers.items())
        ]
    )
    PeerGroupChange.objects.bulk_create(
        [
            PeerGroupChange(
                cohort_id=cohort_id,
                kind=Kind.PLACED,
                actor=by,
                enrolment_id=member_id,
                to_number=number,
                after_publishing=True,
                created_at=now,
            )
            for member_id, number in sorted(newcomers.items())
        ]
    )
    _queue_emails([row.pk for row in rows])
    return len(rows)


# --- Changing the sets -------------------------------------------------------------------


def _set_of(cohort: Cohort, number: int) -> PeerSet:
    peer_set = PeerSet.objects.filter(cohort=cohort, number=number).first()
    if peer_set is None:
        count = PeerSet.objects.filter(cohort=cohort).count()
        raise ValidationError(
            f"There is no set {number} in this cohort: choose a set from 1 to {count}"
            if count
            else "This cohort has no sets yet: compose them first"
        )
    return peer_set


def _members_of(peer_set: PeerSet) -> list[PeerSetMember]:
    return list(
        peer_set.memberships.filter(enrolment__in=Enrolment.objects.members())
        .select_related("enrolment__user__organisation")
        .order_by("pk")
    )


def _member(cohort: Cohort, enrolment: Enrolment) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_related("user__organisation")
        .filter(pk=enrolment.pk, cohort=cohort)
        .first()
    )
    if enrolment is None or not enrolment.is_member:
        raise ValidationError("This person no longer holds a place on the cohort")
    return enrolment


def _check_joining(cohort: Cohort, enrolment: Enrolment, peer_set: PeerSet, plan) -> None:
    """Refuse a member joining ``peer_set`` when that breaks a rule: the set is full, someone
    from their organisation is in it, or someone they are kept apart from."""
    name = _member_name(enrolment)
    others = [m for m in _members_of(peer_set) if m.enrolment_id != enrolment.pk]
    if len(others) + 1 > plan.max_size:
        raise ValidationError(
            f"Set {peer_set.number} already has {len(others)} members, the most a set may have"
            f" ({plan.max_size}): move someone out of it first"
        )
    organisation_id = enrolment.user.organisation_id
    if organisation_id is not None:
        colleague = next(
            (m for m in others if m.enrolment.user.organisation_id == organisation_id), None
        )
        if colleague is not None:
            raise ValidationError(
                f"{_member_name(colleague.enrolment)} in set {peer_set.number} is also from"
                f" {enrolment.user.organisation.name}: a set has one member per organisation,"
                f" so {name} cannot join it"
            )
    members = cohort_members(cohort)
    apart = apart_of(cohort, members)
    kept_from = next(
        (m for m in others if frozenset((m.enrolment_id, enrolment.pk)) in apart), None
    )
    if kept_from is not None:
        raise ValidationError(
            f"{name} and {_member_name(kept_from.enrolment)}, who is in set {peer_set.number},"
            " are to be kept apart"
        )


def _check_leaving(peer_set: PeerSet, enrolment: Enrolment, plan) -> None:
    remaining = len([m for m in _members_of(peer_set) if m.enrolment_id != enrolment.pk])
    if remaining < plan.min_size:
        raise ValidationError(
            f"Set {peer_set.number} would have {remaining} member{'' if remaining == 1 else 's'},"
            f" fewer than the smallest a set may have ({plan.min_size}): move someone into it"
            " first"
        )


@transaction.atomic
def peer_member_move(
    *, cohort: Cohort, enrolment: Enrolment, to_number: int | None, by
) -> PeerSetMember | None:
    """Move a member to set ``to_number`` of the cohort (pinned there), or out of every set
    (``None``). Refused when it breaks a rule: the set they join would be larger than the
    largest set, the one they leave smaller than the smallest, or it has a member from their
    organisation or one they are kept apart from. After publishing, they are emailed their new
    set."""
    plan = locked_plan(cohort)
    enrolment = _member(cohort, enrolment)
    name = _member_name(enrolment)
    row = (
        PeerSetMember.objects.select_related("peer_set")
        .filter(cohort=cohort, enrolment=enrolment)
        .first()
    )
    from_set = row.peer_set if row else None
    if to_number is None:
        if row is None:
            raise ValidationError(f"{name} is not in a set")
        _check_leaving(from_set, enrolment, plan)
        row.delete()
        _log(plan, Kind.REMOVED, by, enrolment=enrolment, from_number=from_set.number)
        return None
    to_set = _set_of(cohort, to_number)
    if from_set is not None and from_set.pk == to_set.pk:
        raise ValidationError(f"{name} is already in set {to_number}")
    _check_joining(cohort, enrolment, to_set, plan)
    if from_set is not None:
        _check_leaving(from_set, enrolment, plan)
    reason = f"Moved here by {_name(by)}"[:REASON_LENGTH]
    if row is None:
        row = PeerSetMember.objects.create(
            peer_set=to_set, cohort=cohort, enrolment=enrolment, pinned=True, reason=reason
        )
        _log(plan, Kind.PLACED, by, enrolment=enrolment, to_number=to_number)
    else:
        row.peer_set, row.pinned, row.reason = to_set, True, reason
        row.save(update_fields=["peer_set", "pinned", "reason"])
        _log(
            plan,
            Kind.MOVED,
            by,
            enrolment=enrolment,
            from_number=from_set.number,
            to_number=to_number,
        )
    if plan.is_published:
        _queue_emails([row.pk])
    return row


@transaction.atomic
def peer_member_pin(*, cohort: Cohort, enrolment: Enrolment, pinned: bool, by) -> PeerSetMember:
    """Pin a member to their set (composing again keeps them there), or unpin them."""
    plan = locked_plan(cohort)
    enrolment = _member(cohort, enrolment)
    row = (
        PeerSetMember.objects.select_related("peer_set")
        .filter(cohort=cohort, enrolment=enrolment)
        .first()
    )
    if row is None:
        raise ValidationError(
            f"{_member_name(enrolment)} is not in a set: move them to a set to pin them there"
        )
    if row.pinned == pinned:
        state = "pinned to" if pinned else "not pinned to"
        raise ValidationError(
            f"{_member_name(enrolment)} is already {state} set {row.peer_set.number}"
        )
    row.pinned = pinned
    row.save(update_fields=["pinned"])
    _log(
        plan,
        Kind.PINNED if pinned else Kind.UNPINNED,
        by,
        enrolment=enrolment,
        to_number=row.peer_set.number,
    )
    return row


@transaction.atomic
def peer_set_adviser(*, cohort: Cohort, number: int, adviser, by) -> PeerSet:
    """Name a facilitator of the cohort as the adviser of set ``number``, or none."""
    plan = locked_plan(cohort)
    peer_set = _set_of(cohort, number)
    if adviser is not None and not access.adviser_choices(cohort).filter(pk=adviser.pk).exists():
        raise ValidationError(
            {"adviser": f"{_name(adviser)} does not facilitate this cohort: choose one who does"}
        )
    if peer_set.adviser_id == (adviser.pk if adviser else None):
        raise ValidationError(
            {
                "adviser": f"{_name(adviser)} already advises set {number}"
                if adviser
                else f"Set {number} has no adviser"
            }
        )
    peer_set.adviser = adviser
    peer_set.save(update_fields=["adviser"])
    _log(plan, Kind.ADVISER, by, adviser=adviser, to_number=number)
    return peer_set


@transaction.atomic
def peer_groups_publish(*, cohort: Cohort, by) -> int:
    """Publish the sets: their spaces open, and every placed member is emailed their set after
    commit. Refused when there are no sets, and when they are already published (of two
    requests at once, the second waits for the first and is refused). Returns how many members
    will be told."""
    plan = locked_plan(cohort)
    if plan.is_published:
        when = date_format(timezone.localtime(plan.published_at), "j F Y, H:i")
        raise ValidationError(f"The sets were already published on {when}")
    memberships = list(
        PeerSetMember.objects.filter(
            cohort=cohort, enrolment__in=Enrolment.objects.members().filter(cohort=cohort)
        ).values_list("pk", flat=True)
    )
    if not memberships:
        raise ValidationError("There are no sets to publish: compose them first")
    _log(plan, Kind.PUBLISHED, by)
    plan.published_at, plan.published_by = timezone.now(), by
    plan.save(update_fields=["published_at", "published_by"])
    _queue_emails(memberships)
    return len(memberships)


# --- Keeping members apart ---------------------------------------------------------------


@transaction.atomic
def keep_apart_add(*, cohort: Cohort, first: Enrolment, second: Enrolment, by) -> KeepApart:
    """Keep two members of the cohort in different sets (a line manager and their report)."""
    locked_plan(cohort)
    if first.pk == second.pk:
        raise ValidationError({"second": "Choose two different members"})
    for field, enrolment in (("first", first), ("second", second)):
        if enrolment.cohort_id != cohort.pk or not enrolment.is_member:
            raise ValidationError({field: "Choose a member of this cohort"})
    low, high = sorted((first, second), key=lambda e: e.pk)
    if KeepApart.objects.filter(first=low, second=high).exists():
        raise ValidationError(
            {"second": f"{_member_name(first)} and {_member_name(second)} are already kept apart"}
        )
    return KeepApart.objects.create(cohort=cohort, first=low, second=high, declared_by=by)


@transaction.atomic
def keep_apart_delete(*, cohort: Cohort, pair: KeepApart, by) -> None:
    """Stop keeping a pair apart. Sets already composed are not changed."""
    locked_plan(cohort)
    KeepApart.objects.filter(pk=pair.pk, cohort=cohort).delete()


# --- A learner's own declarations --------------------------------------------------------


@transaction.atomic
def working_relationship_add(*, user, email: str) -> WorkingRelationship:
    """Declare someone ``user`` works with (their line manager, or someone they manage), by
    email address: they are kept in different peer groups in every cohort they share. Refused:
    the person's own address, one already declared (in any case), more than 20."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    email = email.strip()
    if not email:
        raise ValidationError({"email": "Enter their email address"})
    if email.lower() == user.email.lower():
        raise ValidationError({"email": "Enter someone else's email address, not your own"})
    declared = WorkingRelationship.objects.filter(user=user)
    if declared.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"You have already told us about {email}"})
    if declared.count() >= WORKING_RELATIONSHIPS_LIMIT:
        raise ValidationError(
            {
                "email": f"You can tell us about up to {WORKING_RELATIONSHIPS_LIMIT} people:"
                " remove one first"
            }
        )
    return WorkingRelationship.objects.create(user=user, email=email)


@transaction.atomic
def working_relationship_delete(*, user, relationship: WorkingRelationship) -> None:
    WorkingRelationship.objects.filter(pk=relationship.pk, user=user).delete()
