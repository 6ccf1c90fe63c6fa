"""Data built once for a whole module of tests, instead of once per test."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def built_for_the_module(django_db_blocker):
    """Inside a module-scoped fixture: what is built in the ``with`` block lives in a
    transaction rolled back when the module ends. Each test's own transaction (and each
    request's) nests inside it, so no test sees another's changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)
