"""A fingerprint of every table of the database, to tell what a request wrote.

Every table the database holds is read, whatever app it belongs to (the academy's, Wagtail's,
taggit's, allauth's, sessions, the admin log, redirects, migrations): the list comes from the
database itself, not from the installed apps, so a table added by a new app or a migration is
covered without a list to keep. A table's fingerprint is its row count and an aggregate of a
hash of each row, worked out by the database in one query on PostgreSQL (no rows leave the
server), and in Python on SQLite."""

from django.db import connection

Fingerprints = dict[str, tuple]


def all_tables() -> list[str]:
    return sorted(connection.introspection.table_names(include_views=False))


def _quoted(table: str) -> str:
    return connection.ops.quote_name(table)


def _postgresql_query(tables: list[str]) -> str:
    # A row's text, hashed to 64 bits and summed as a numeric (no overflow): the same rows give
    # the same sum in any order, and a changed, added or removed row changes it.
    row_hash = "('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric"
    parts = [
        f"SELECT %s, count(*), coalesce(sum({row_hash}), 0) FROM {_quoted(table)} AS t"  # noqa: S608
        for table in tables
    ]
    return " UNION ALL ".join(parts)


def fingerprints() -> Fingerprints:
    """Each table's name -> (row count, hash of its rows)."""
    tables = all_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_postgresql_query(tables), tables)
            return {name: (count, total) for name, count, total in cursor.fetchall()}
        found = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {_quoted(table)}")  # noqa: S608
            rows = cursor.fetchall()
            found[table] = (len(rows), hash(frozenset(map(repr, rows))))
        return found


def changed_tables(before: Fingerprints, after: Fingerprints) -> list[str]:
    """The tables whose rows differ, and any table added or dropped."""
    names = before.keys() | after.keys()
    return sorted(name for name in names if before.get(name) != after.get(name))
