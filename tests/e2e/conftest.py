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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": require_chromium(),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def academy_server():
    """pytest-django's live server, started once per test process, on a port the system
    chooses (so xdist workers never share one). It is not pytest-django's ``live_server``
    fixture: that one makes every test transactional, emptying the database after each, which
    would mean loading the demo again for every test."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"))
    yield server
    server.stop()


@pytest.fixture
def academy_site(academy_server, demo_database, django_db_blocker):
    """The live server on a fresh copy of the whole demo academy (tests/database.py), loaded
    once per test process. The test and the server's threads share that copy, committed as they
    go; it is thrown away afterwards, so what a test changes (a learner who withdraws, a cohort
    that starts) never reaches another test."""
    from django.test.utils import modify_settings

    with (
        django_db_blocker.unblock(),
        demo_database.fresh_copy(),
        modify_settings(ALLOWED_HOSTS={"append": academy_server.thread.host}),
    ):
        yield academy_server
