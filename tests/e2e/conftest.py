"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os

import pytest

from tests.services import require_chromium

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # The live server needs committed data; serialized rollback restores what the
            # migrations created (the Wagtail root page, sectors, groups) after each test.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": require_chromium(),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session", autouse=True)
def _serialized_contents_for_every_connection(django_db_setup):
    """Playwright's sync API runs an event loop in the test thread, so Django hands the test a
    different connection object from the one the test database was serialised on, and the
    serialized rollback silently restores nothing. Sharing the serialised contents at class
    level makes every connection of the backend see them."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture
def academy_site(live_server):
    """The live server with the demo home page and standard pages in place."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    return live_server
