"""Path converters for the academy's URLs."""

from django.urls import register_converter

# Ids are BigAutoField: a signed 64-bit integer on SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1


class DatabaseIdConverter:
    """``<id:cohort_id>``: the id of a database row, 1 to 2**63 - 1. Any other number does not
    match, so the URL answers 404 before a query is made (a larger one would overflow the
    database's integer and fail with a 500)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"{value} is not a database id")
        return number

    def to_url(self, value) -> str:
        return str(self.to_python(str(value)))


def register_id_converter() -> None:
    register_converter(DatabaseIdConverter, "id")
