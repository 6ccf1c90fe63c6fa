"""The personal-data registry: every model that holds personal data declares how it is exported
and how it is erased. ``tests/academy/test_privacy_registry.py`` walks every model with a
relation to the user model and fails if a relation is not registered here.

Each app registers its models in its ``privacy_rules.py`` (imported from ``AppConfig.ready``)::

    privacy.register(
        Enrolment,
        user_fields=("user",),
        export=privacy.export_values("cohort__name", "status", "created_at"),
        erase=privacy.DELETE,
        description="Your places on cohorts.",
    )
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models

DELETE = "delete"
ANONYMISE = "anonymise"

Exporter = Callable[..., list[dict]]  # (rows) or, with export_needs_user, (rows, user)
Anonymiser = Callable[[object, models.QuerySet], None]


@dataclass(frozen=True)
class PrivacyRule:
    model: type[models.Model]
    user_fields: tuple[str, ...]
    export: Exporter
    erase: str
    anonymise: Anonymiser | None
    description: str
    # The user fields whose link is cleared at erasure while the row stays (it belongs to the
    # academy). Rows reached through the other user fields are the person's: erased with them.
    unlinks: tuple[str, ...] = ()
    # True when ``export`` takes ``(rows, user)``: for rows that relate to the person in more
    # than one way (their own enrolment, or one they decided about as a facilitator).
    export_needs_user: bool = False

    def export_rows(self, user) -> list[dict]:
        rows = self.rows_for(user)
        return self.export(rows, user) if self.export_needs_user else self.export(rows)

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows_for(self, user) -> models.QuerySet:
        manager = self.model._default_manager
        if not self.user_fields:  # the user model itself
            return manager.filter(pk=user.pk)
        return manager.filter(reduce(or_, (models.Q(**{f: user}) for f in self.user_fields)))


_registry: dict[str, PrivacyRule] = {}


def register(
    model: type[models.Model],
    *,
    user_fields: tuple[str, ...],
    export: Exporter,
    erase: str = DELETE,
    anonymise: Anonymiser | None = None,
    description: str = "",
    export_needs_user: bool = False,
    unlinks: tuple[str, ...] | None = None,
) -> None:
    """Declare a model's personal data. ``user_fields`` are the model's paths to the user: a
    field (``"user"``) or a chain of them (``"enrolment__user"``); empty for the user model
    itself. An ``ANONYMISE`` rule says which of them it ``unlinks`` (``clear_user_fields``
    says so itself); rows reached through the others are erased with the person."""
    if erase not in {DELETE, ANONYMISE}:
        raise ValueError(f"erase must be {DELETE!r} or {ANONYMISE!r}")
    if erase == ANONYMISE and anonymise is None:
        raise ValueError("an anonymise rule needs an anonymise callable")
    if erase == DELETE:
        if unlinks:
            raise ValueError("a delete rule unlinks nothing: its rows are erased")
        unlinks = ()
    elif unlinks is None:
        unlinks = getattr(anonymise, "unlinks", None)
        if unlinks is None:
            raise ValueError(
                "say which user fields the anonymise callable unlinks (unlinks=...): rows "
                "reached through the others are erased with the person"
            )
    if not set(unlinks) <= set(user_fields):
        raise ValueError(f"unlinks {unlinks!r} must be among the user fields {user_fields!r}")
    rule = PrivacyRule(
        model,
        tuple(user_fields),
        export,
        erase,
        anonymise,
        description,
        unlinks=tuple(unlinks),
        export_needs_user=export_needs_user,
    )
    _registry[rule.label] = rule


def rules() -> list[PrivacyRule]:
    return list(_registry.values())


def rule_for(model: type[models.Model]) -> PrivacyRule | None:
    return _registry.get(model._meta.label)


def export_values(*fields: str) -> Exporter:
    """Export the named fields of each row."""

    def export(rows: models.QuerySet) -> list[dict]:
        return list(rows.values(*fields))

    return export


def clear_user_fields(*fields: str) -> Anonymiser:
    """Anonymise by clearing the link to the person; the row itself (content that belongs to
    the academy, such as a page revision) stays."""

    def anonymise(user, rows: models.QuerySet) -> None:
        for field in fields:
            rows.model._default_manager.filter(**{field: user}).update(**{field: None})

    anonymise.unlinks = fields
    return anonymise
