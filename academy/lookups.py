"""Query lookups the academy adds to Django's.

Django answers ``id=<a number too large for the column>`` with "no rows" instead of handing the
database a number it cannot hold (on SQLite that would be an ``OverflowError``: a 500). It does
not do the same for ``id__in=[…]``, which every multiple-choice form field runs on what was
posted, nor for a key that points at another row (``course=…``, or the ``pk`` of a page type,
which is a link to its ``Page``), which every single-choice field runs. The lookups here close
those gaps for the whole project, so a posted number no row can have is an ordinary "not one of
the choices" error in every form, ours and Wagtail's alike."""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField, Model
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _integer_range(connection, field) -> tuple[int | None, int | None]:
    """The values an integer column (or a key pointing at one) can hold; (None, None) for
    anything else."""
    while field.is_relation and getattr(field, "target_field", None) is not None:
        field = field.target_field
    if not isinstance(field, IntegerField):
        return None, None
    return connection.ops.integer_field_range(field.get_internal_type())


def _in_range(value, low, high) -> bool:
    if not isinstance(value, int):
        return True  # left for the field to refuse as before
    return (low is None or value >= low) and (high is None or value <= high)


def _convertible(field, value) -> bool:
    """Whether ``field`` can take ``value``. Rows given as objects (``cohort__in=[cohort]``, as
    deleting asks what points at a row) are left for ``RelatedIn`` to turn into their keys."""
    if (
        value is None
        or isinstance(value, Model)
        or hasattr(value, "resolve_expression")
        or not isinstance(field, IntegerField)
    ):
        return True
    try:
        field.get_prep_value(value)
    except (TypeError, ValueError):
        return False
    return True


class _InWithinRange:
    """``__in``: numbers no row can have are left out (none left: no rows), and so are values
    that are not numbers at all (``?id=%00`` on Wagtail's bulk actions would raise
    ``ValueError``: a 500)."""

    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and self.prepare_rhs and isinstance(self.rhs, list | tuple):
            field = self.lhs.output_field
            if hasattr(field, "target_field"):
                field = field.target_field
            self.rhs = [value for value in self.rhs if _convertible(field, value)]
        return super().get_prep_lookup()

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and any(isinstance(value, int) for value in self.rhs):
            low, high = _integer_range(connection, self.lhs.output_field)
            self.rhs = [value for value in self.rhs if _in_range(value, low, high)]
        return super().process_rhs(compiler, connection)


class IntegerIn(_InWithinRange, In):
    pass


class RelatedIntegerIn(_InWithinRange, RelatedIn):
    pass


class RelatedIntegerExact(RelatedExact):
    """``key=<number>``: a number the key cannot hold matches no row."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and isinstance(self.rhs, int):
            low, high = _integer_range(connection, self.lhs.output_field)
            if not _in_range(self.rhs, low, high):
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register_lookups() -> None:
    IntegerField.register_lookup(IntegerIn)
    ForeignObject.register_lookup(RelatedIntegerIn)
    ForeignObject.register_lookup(RelatedIntegerExact)
