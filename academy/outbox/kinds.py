"""Kinds of email, registered by the capabilities that send them.

Each capability declares its kinds in its own module (``cohorts/notifications.py``,
``cohorts/reminders.py``) and registers them from its ``AppConfig.ready``, as progress
requirements do; the outbox knows none of them by name. A kind says:

- what people call it (``label``, ``description``: the preferences page shows them) and who it
  is for (``audience``);
- how to write one (``template``: ``<template>.txt`` and ``<template>.html``; ``context`` builds
  the templates' context for a batch of rows, or ``None`` for a row that is no longer worth
  sending — the session was cancelled, the work was submitted);
- for reminders, what is due (``due``: given the time, the notices to write now). The dispatch
  task asks every kind that has one, every minute; the unique key makes asking again harmless.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..models import OutboxEmail

LEARNERS = "learners"
STAFF = "staff"
EVERYONE = "everyone"


@dataclass(frozen=True)
class Notice:
    """One email to write: to whom, about what (``ref`` names the object and the occurrence,
    say ``"session:12:2026-12-07"``), what its templates need (``params``: ids and small facts,
    JSON), when it is due (``None``: now), and optionally the object it is about, for pages
    that count its emails (``about``: ``"announcement:12"``)."""

    user_id: int
    ref: str
    params: dict[str, Any] = field(default_factory=dict)
    due_at: datetime | None = None
    about: str = ""


Context = Callable[[Sequence["OutboxEmail"]], list[dict | None]]
Due = Callable[[datetime], Iterable[Notice]]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    description: str
    template: str
    context: Context
    audience: str = LEARNERS
    due: Due | None = None
    # May be gathered into a daily or weekly digest, at the person's choice.
    digestible: bool = True
    # Whether a person may switch it off. Kinds that are not (the digest itself) still carry an
    # unsubscribe link: it leads to the preferences.
    can_switch_off: bool = True
    order: int = 100


_kinds: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    existing = _kinds.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"Another email kind is already called {kind.name!r}")
    _kinds[kind.name] = kind
    return kind


def unregister_kind(name: str) -> None:
    """Remove a kind added with ``register_kind`` (tests use it to clean up)."""
    _kinds.pop(name, None)


def get_kind(name: str) -> Kind | None:
    return _kinds.get(name)


def all_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.label))


def reminder_kinds() -> list[Kind]:
    """The kinds the dispatch task asks what is due."""
    return [kind for kind in all_kinds() if kind.due is not None]
