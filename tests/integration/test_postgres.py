"""Behaviour that depends on PostgreSQL itself."""

import threading

from django.db import connection, transaction

import pytest

from academy import services
from academy.models import Organisation
from tests.services import require_postgres

from ..factories import sector
from .connections import FINISH_LIMIT, WAIT_LIMIT, OnItsOwnConnection, assert_waits_for

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_when_asked():
    require_postgres()
    assert connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_adding_the_same_organisation_at_once_get_one_row():
    """The moment that matters is made to happen, not hoped for: the first person's new
    organisation is inserted and its transaction held open; the second, on a connection of its
    own, cannot see it yet, so tries to insert the same name, and must be seen by PostgreSQL
    waiting for the first (the case-insensitive unique index). The first commits; the second
    must then be given the first's row, not an error and not a second row."""
    require_postgres()
    local_government = sector()
    added, release = threading.Event(), threading.Event()

    def first_adds_and_holds():
        with transaction.atomic():
            organisation = services.organisation_get_or_create(
                name="Calderdale Council", sector=local_government
            )
            added.set()
            release.wait(timeout=FINISH_LIMIT)
        return organisation

    holder = OnItsOwnConnection(first_adds_and_holds)
    try:
        assert added.wait(WAIT_LIMIT), "the first person's organisation was not added"
        waiter = OnItsOwnConnection(
            lambda: services.organisation_get_or_create(
                name="calderdale council", sector=local_government
            )
        )
        assert_waits_for(waiter, holder, "the first person's new organisation to commit")
    finally:
        release.set()
    first = holder.finish()
    second = waiter.finish()

    assert Organisation.objects.filter(name__iexact="calderdale council").count() == 1
    assert second.pk == first.pk
    assert second.name == "Calderdale Council"
