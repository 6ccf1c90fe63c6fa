"""Behaviour that depends on PostgreSQL itself."""

import threading

from django.db import connection

import pytest

from academy import services
from academy.models import Organisation
from tests.services import require_postgres

from ..factories import sector

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_when_asked():
    require_postgres()
    assert connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_adding_the_same_organisation_at_once_get_one_row():
    require_postgres()
    local_government = sector()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def add(name):
        try:
            barrier.wait(timeout=10)
            results.append(services.organisation_get_or_create(name=name, sector=local_government))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=add, args=(name,))
        for name in ("Calderdale Council", "calderdale council")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    assert Organisation.objects.filter(name__iexact="calderdale council").count() == 1
    assert results[0].pk == results[1].pk
