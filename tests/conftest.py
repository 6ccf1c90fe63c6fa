from django.core.management import call_command
from django.test import TestCase

import pytest

from .database import built_for_the_module
from .factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached pages live in the cache: each test starts with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def full_demo(django_db_setup, django_db_blocker):
    """The whole demo academy (``manage.py load_demo``: pages, courses and lessons, case
    studies, cohorts, every role), loaded once for the module inside a transaction rolled back
    at the end; each test's own transaction nests inside it. Work queued on commit runs, as it
    would in ``make run``. Tests that use it ask for ``db`` as well."""
    with built_for_the_module(django_db_blocker):
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", verbosity=0)
        yield


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def signed_in_client(client, user):
    client.force_login(user)
    client.user = user
    return client


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run every transactional test (browser tests, real-worker tests) after all the others.

    pytest-django orders them last, but pytest then regroups tests that share a session-scoped
    parameter, and pytest-playwright parametrises any test with an argument named ``page``:
    such a test would be pulled in among the browser tests and find the database flushed.
    Sorting again, last of all, keeps the order safe whatever the arguments are called."""

    def transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
            return True
        names = getattr(item, "fixturenames", ())
        return "transactional_db" in names or "live_server" in names

    items.sort(key=transactional)
