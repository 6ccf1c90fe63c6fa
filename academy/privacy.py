"""The personal-data registry: every model that holds personal data declares how it is exported
and how it is erased. ``tests/academy/test_privacy_registry.py`` walks every model that reaches
the user model through any chain of relations (a lesson completion through its enrolment) and
fails if a path is not registered here. A chain ends at a link the registry clears at erasure:
that row stays, and what hangs off it belongs to the academy.

Each app registers its models in its ``privacy_rules.py`` (imported from ``AppConfig.ready``)::

    privacy.register(
        Enrolment,
        user_fields=("user",),
        export=privacy.export_values("cohort__name", "status", "created_at"),
        erase=privacy.DELETE,
        description="Your places on cohorts.",
    )

A rule may also name the stored files its rows hold that the person gets in their download
(``files=``, a callable from the rows to ``(path in the download, file)`` pairs): the download is
a zip of the JSON document and those files (``academy.services.personal_data_archive``).

Erasure deletes the files that erased rows name in their ``FileField``/``ImageField`` from
storage, once the erasure has committed (``academy.services.account_erase``).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models

logger = logging.getLogger(__name__)

DELETE = "delete"
ANONYMISE = "anonymise"

Exporter = Callable[..., list[dict]]  # (rows) or, with export_needs_user, (rows, user)
Anonymiser = Callable[[object, models.QuerySet], None]
# (rows) -> [(path inside the download's zip, the stored file)]
FileLister = Callable[[models.QuerySet], list[tuple[str, models.fields.files.FieldFile]]]


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
    # The stored files the person's download includes, with their paths in it.
    files: FileLister | None = None

    def export_rows(self, user) -> list[dict]:
        rows = self.rows_for(user)
        return self.export(rows, user) if self.export_needs_user else self.export(rows)

    def export_files(self, user) -> list[tuple[str, models.fields.files.FieldFile]]:
        """The files the person's download includes from this rule's rows."""
        return self.files(self.rows_for(user)) if self.files else []

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows_for(self, user) -> models.QuerySet:
        """Every row that reaches the person, through any of the user fields."""
        return self._rows(user, self.user_fields)

    def rows_erased_with(self, user) -> models.QuerySet:
        """The rows that go with the person: those reached through a user field this rule does
        not unlink."""
        return self._rows(user, tuple(f for f in self.user_fields if f not in self.unlinks))

    def _rows(self, user, fields: tuple[str, ...]) -> models.QuerySet:
        manager = self.model._default_manager
        if not self.user_fields:  # the user model itself
            return manager.filter(pk=user.pk)
        if not fields:
            return manager.none()
        return manager.filter(reduce(or_, (models.Q(**{f: user}) for f in fields)))


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
    files: FileLister | None = None,
) -> None:
    """Declare a model's personal data. ``user_fields`` are the model's paths to the user: a
    field (``"user"``) or a chain of them (``"enrolment__user"``); empty for the user model
    itself. An ``ANONYMISE`` rule says which of them it ``unlinks`` (``clear_user_fields``
    says so itself); rows reached through the others are erased with the person. ``files``
    lists the stored files of the rows that the download includes, each with its path in the
    download's zip (the export should name the same path)."""
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
        files=files,
    )
    _registry[rule.label] = rule


def rules() -> list[PrivacyRule]:
    return list(_registry.values())


def rule_for(model: type[models.Model]) -> PrivacyRule | None:
    return _registry.get(model._meta.label)


@dataclass(frozen=True)
class StoredFile:
    """A file a row's ``FileField`` (or ``ImageField``) names in its storage."""

    model: type[models.Model]
    field: models.FileField
    name: str

    def delete_unless_still_used(self) -> None:
        if self.model._default_manager.filter(**{self.field.attname: self.name}).exists():
            return  # another row (or the same one, the erasure not having happened) names it
        try:
            self.field.storage.delete(self.name)
        except Exception:  # the rows are gone; say which file is left, and go on with the rest
            logger.exception(
                "erased row's file not deleted",
                extra={"model": self.model._meta.label, "file": self.name},
            )


def delete_stored_files(files: list[StoredFile]) -> None:
    """Delete ``files`` from their storage, each unless a row still names it."""
    for stored in files:
        stored.delete_unless_still_used()


def stored_files(rows: models.QuerySet) -> list[StoredFile]:
    """The files that ``rows`` name in their file fields."""
    found = []
    for field in rows.model._meta.concrete_fields:
        if isinstance(field, models.FileField):
            names = rows.exclude(**{field.attname: ""}).exclude(
                **{f"{field.attname}__isnull": True}
            )
            found += [
                StoredFile(rows.model, field, name)
                for name in names.values_list(field.attname, flat=True)
            ]
    return found


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
