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
) -> None:
    """Declare a model's personal data. ``user_fields`` are the model's relations to the user
    (empty for the user model itself)."""
    if erase not in {DELETE, ANONYMISE}:
        raise ValueError(f"erase must be {DELETE!r} or {ANONYMISE!r}")
    if erase == ANONYMISE and anonymise is None:
        raise ValueError("an anonymise rule needs an anonymise callable")
    rule = PrivacyRule(
        model, tuple(user_fields), export, erase, anonymise, description, export_needs_user
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

    return anonymise
