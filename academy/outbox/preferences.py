"""Each person's choices about the academy's emails, and the one-click unsubscribe link.

A preference is per kind: on or off, and as it happens or in a daily or weekly digest. The
unsubscribe link in every email carries a signed token naming the person and the kind, so it
works without signing in; it expires (``OUTBOX["UNSUBSCRIBE_DAYS"]``), after which the page
says so and points to the preferences."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import NotificationPreference, OutboxEmail
from . import kinds as registry
from .kinds import Kind

SALT = "academy.outbox.unsubscribe"
Delivery = OutboxEmail.Delivery


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT, compress=True)


class BadToken(Exception):
    """An unsubscribe link that was not made here, or was altered."""


class ExpiredToken(BadToken):
    """An unsubscribe link older than the links last."""


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The person and the kind a token names; ``ExpiredToken`` or ``BadToken`` otherwise."""
    max_age = settings.OUTBOX["UNSUBSCRIBE_DAYS"] * 24 * 60 * 60
    try:
        value = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ExpiredToken(str(error)) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadToken(str(error)) from error
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("u"), int)
        or not isinstance(value.get("k"), str)
    ):
        raise BadToken("The token does not name a person and a kind of email")
    return value["u"], value["k"]


@dataclass(frozen=True)
class Choice:
    kind: Kind
    enabled: bool
    delivery: str


def kinds_for(user) -> list[Kind]:
    """The kinds of email this person may receive: facilitators' kinds only for staff (every
    facilitator is)."""
    from ..roles import is_staff_member

    staff = is_staff_member(user)
    return [kind for kind in registry.all_kinds() if kind.audience != registry.STAFF or staff]


def choices_for(user) -> list[Choice]:
    saved = {
        preference.kind: preference
        for preference in NotificationPreference.objects.filter(user=user)
    }
    return [
        Choice(
            kind=kind,
            enabled=saved[kind.name].enabled if kind.name in saved else True,
            delivery=saved[kind.name].delivery if kind.name in saved else Delivery.IMMEDIATE,
        )
        for kind in kinds_for(user)
    ]


@transaction.atomic
def preferences_update(*, user, choices: dict[str, tuple[bool, str]]) -> None:
    """Save ``choices`` (kind name → on or off, and how it is delivered). An unknown kind, a kind
    that cannot be switched off being switched off, or a digest for a kind that has none is
    refused, and nothing is saved."""
    errors = []
    known = {kind.name: kind for kind in kinds_for(user)}
    for name, (enabled, delivery) in choices.items():
        kind = known.get(name)
        if kind is None:
            errors.append(f"There is no kind of email called “{name}”")
        elif not enabled and not kind.can_switch_off:
            errors.append(f"“{kind.label}” cannot be switched off")
        elif delivery not in Delivery.values:
            errors.append(f"Choose how to receive “{kind.label}”")
        elif delivery != Delivery.IMMEDIATE and not kind.digestible:
            errors.append(f"“{kind.label}” is only sent as it happens")
    if errors:
        raise ValidationError(errors)
    for name, (enabled, delivery) in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=name, defaults={"enabled": enabled, "delivery": delivery}
        )


@transaction.atomic
def kind_unsubscribe(*, user_id: int, kind: str) -> Kind | None:
    """Switch one kind of email off for one person (the unsubscribe link). Returns the kind, or
    ``None`` if it cannot be switched off. Anything of that kind still waiting is not sent."""
    found = registry.get_kind(kind)
    if found is None or not found.can_switch_off:
        return None
    NotificationPreference.objects.update_or_create(
        user_id=user_id, kind=kind, defaults={"enabled": False}
    )
    OutboxEmail.objects.filter(
        user_id=user_id, kind=kind, status=OutboxEmail.Status.PENDING
    ).update(status=OutboxEmail.Status.SKIPPED, last_error="Switched off by the person")
    return found
