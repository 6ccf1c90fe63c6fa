"""What the tests that run the site under gunicorn, with production settings, share: the static
files collected once per test process, a small academy in a committed database, and the
environment of the site's processes."""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

import psycopg
import pytest

from tests.database import DatabaseCopies
from tests.factories import PASSWORD, UserFactory
from tests.services import require_postgres, run_manage

from .web_client import HOST


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """``manage.py collectstatic`` with production settings (hashed names and a manifest, which
    production templates need), once per test process."""
    root = tmp_path_factory.mktemp("static")
    done = run_manage(
        "collectstatic", "--no-input", "--verbosity", "0",
        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS=HOST, STATIC_ROOT=str(root),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@dataclass
class Academy:
    """A small academy in a committed database of its own on DATABASE_URL's server."""

    url: str
    course_title: str
    course_path: str
    lessons: list[tuple[str, int]]  # (address, id) of each lesson, in course order
    learner: str
    password: str
    # Someone else with an account, who has not signed in: their password is still quick to
    # check (signing in re-hashes a password with production's full cost).
    colleague: str

    def count(self, query: str) -> int:
        with psycopg.connect(self.url, autocommit=True) as database:
            return database.execute(query).fetchone()[0]


def _url_of(name: str) -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _build_academy(url: str) -> Academy:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from tests.cohorts.factories import (
        CohortFactory,
        EnrolmentFactory,
        course_with_lessons,
        lessons_of,
    )
    from tests.courses.factories import home_page

    home_page()
    course = course_with_lessons("Leading across boundaries", modules=1, lessons=2)
    cohort = CohortFactory(course=course)
    # The tests' settings hash with MD5, which production settings do not accept: a hash that
    # production checks, with few iterations so that checking it stays quick.
    hasher = PBKDF2PasswordHasher()
    learner, colleague = people = [
        UserFactory(email=email) for email in ("learner@academy.test", "colleague@academy.test")
    ]
    for person in people:
        person.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
        person.save(update_fields=["password"])
    EnrolmentFactory(user=learner, cohort=cohort)
    return Academy(
        url=url,
        course_title=course.title,
        course_path=course.get_url(),
        lessons=[(lesson.get_url(), lesson.pk) for lesson in lessons_of(course)],
        learner=learner.email,
        password=PASSWORD,
        colleague=colleague.email,
    )


@pytest.fixture
def small_academy(transactional_db, django_db_serialized_rollback, django_db_blocker) -> Academy:
    """A home page, a course of one module and two lessons, a cohort running now and a learner
    with a place on it (whose password production settings accept), committed in a copy of the
    migrated test database, dropped afterwards. (``transactional_db``: the test database exists,
    and no transaction is open on it while it is copied; with a serialized rollback, the
    migrations' data is put back into it after the test, for whatever runs next.)"""
    require_postgres()
    with django_db_blocker.unblock():
        copies = DatabaseCopies()
        name = copies.name(f"site_{secrets.token_hex(4)}")
        copies.copy(copies.test_name, name)
        try:
            with copies.connected_to(name):
                academy = _build_academy(_url_of(name))
            yield academy
        finally:
            copies.drop(name)
