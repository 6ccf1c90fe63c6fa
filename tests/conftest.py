from django.core.management import call_command

import pytest

from .database import DatabaseCopies, DemoDatabase, built_for_the_module
from .factories import UserFactory

DEMO_DATABASE = pytest.StashKey[DemoDatabase | None]()
# pytest-django's database blocker and the test database's name, while the test database exists.
MIGRATED_DATABASE = pytest.StashKey[tuple[object, str]]()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached pages live in the cache: each test starts with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _load_the_demo() -> None:
    """``manage.py load_demo`` as ``make run`` runs it: committed as it goes, so work queued on
    commit runs."""
    call_command("load_demo", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request, tmp_path_factory):
    """pytest-django's test database, and more around it.

    - When a collected test uses the demo database (``demo_database``), its template is copied
      from the test database now, while that is exactly as the migrations left it. If no other
      collected test needs the test database (a run of the browser tests alone), it is created
      here for them.
    - Playwright's sync API runs an event loop in the test thread, so once a browser test has
      started it, Django hands that thread a different connection object from the one the test
      database was serialised on, and a later serialized rollback would silently restore
      nothing. Sharing the serialised contents at class level makes every connection object of
      the backend see them.
    - While the test database exists, ``pytest_runtest_teardown`` may put the migrations' data
      back into it; at the end, sessions still open on it (a live server's thread) are ended so
      that it can be dropped."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    created = None
    demo = None
    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents is not None:
                type(connection)._test_serialized_contents = contents
        items = request.session.items
        if any("demo_database" in getattr(item, "fixturenames", ()) for item in items):
            connection = connections["default"]
            if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
                created = setup_databases(
                    verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
                )
            demo = DemoDatabase(
                DatabaseCopies(), tmp_path_factory.mktemp("demo-media"), _load_the_demo
            )
    connection = connections["default"]
    test_name = connection.settings_dict["NAME"]
    is_test_database = test_name == connection.creation._get_test_db_name()
    request.config.stash[DEMO_DATABASE] = demo
    if is_test_database:
        request.config.stash[MIGRATED_DATABASE] = (django_db_blocker, test_name)
    yield
    if MIGRATED_DATABASE in request.config.stash:
        del request.config.stash[MIGRATED_DATABASE]
    with django_db_blocker.unblock():
        if demo is not None:
            demo.drop()
        if is_test_database:
            DatabaseCopies().cut_off(test_name)
        if created is not None:
            teardown_databases(created, verbosity=0)


@pytest.fixture(scope="session")
def demo_database(django_db_setup, request) -> DemoDatabase:
    """The whole demo academy (``manage.py load_demo``: pages, courses and lessons, case
    studies, cohorts, every role) in a committed database of its own, loaded once per test
    process; ``fresh_copy()`` connects to a copy no test has used (tests/database.py)."""
    return request.config.stash[DEMO_DATABASE]


@pytest.fixture(scope="module")
def full_demo(demo_database, django_db_blocker):
    """The whole demo academy for a module: a fresh copy of ``demo_database``, used inside a
    transaction rolled back when the module ends; each test's own transaction nests inside it,
    so no test sees another's changes. Tests that use it ask for ``db`` as well."""
    with (
        django_db_blocker.unblock(),
        demo_database.fresh_copy(),
        built_for_the_module(django_db_blocker),
    ):
        yield


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def signed_in_client(client, user):
    client.force_login(user)
    client.user = user
    return client


def _transactional(item) -> bool:
    """Whether pytest-django empties the test database after this test (a transactional test:
    real-worker and concurrency tests)."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the modules marked ``long`` first and every transactional test after all the others.

    ``make test`` hands whole modules to its pytest-xdist workers in this order
    (``--dist loadscope --no-loadscope-reorder``): a long module handed out last would leave the
    other worker waiting for it. A transactional test empties the test database when it ends
    (pytest-django's flush); ``pytest_runtest_teardown`` puts back what the migrations created,
    and running such tests last keeps even that out of the way. pytest-django orders them last,
    but pytest then regroups tests that share a session-scoped parameter (pytest-playwright
    parametrises any test with an argument named ``page``), so they are sorted again here, last
    of all."""
    items.sort(key=lambda item: (_transactional(item), item.get_closest_marker("long") is None))
    unserialized = [item.nodeid for item in items if _empties_without_putting_back(item)]
    if unserialized:
        raise pytest.UsageError(
            "These tests empty the test database without a serialized rollback: mark them "
            "django_db(transaction=True, serialized_rollback=True). Emptying it alone runs the "
            "migrations' signals, which write content types under new ids, and putting the "
            "migrations' data back afterwards then fails for every test that follows in the "
            "process:\n  " + "\n  ".join(unserialized)
        )


def _empties_without_putting_back(item) -> bool:
    """A test pytest-django empties the database after (``transaction=True``, or asking for
    ``transactional_db``) that does not ask for the serialized rollback."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return not marker.kwargs.get("serialized_rollback")
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names and "django_db_serialized_rollback" not in names


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, once pytest-django has emptied the test database, put back
    what the migrations created (the Wagtail root page, sectors, groups…), as a serialized
    rollback does before such a test: whatever runs next in this process, in whatever order the
    workers were handed the tests, finds the database as the migrations left it. After the last
    test, the test database is gone and there is nothing to put back."""
    try:
        return (yield)
    finally:
        if nextitem is not None and _transactional(item):
            _restore_migrated_data(item.config)


def _restore_migrated_data(config) -> None:
    from django.db import connections

    found = config.stash.get(MIGRATED_DATABASE, None)
    if found is None:  # no test database in this process
        return
    blocker, test_name = found
    connection = connections["default"]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None or connection.settings_dict["NAME"] != test_name:
        return
    with blocker.unblock():
        connection.creation.deserialize_db_from_string(contents)
