"""The databases the suite runs on.

Two ways of building data once instead of once per test:

- ``built_for_the_module``: inside the test database, in a transaction rolled back when the
  module ends. Cheap, but only the test's own thread sees the data.
- ``DemoDatabase``: a database of its own holding the whole demo academy, committed, so that a
  live server answering in other threads (the browser tests) sees it too. The demo is loaded once
  per test process, into a template copied from the freshly migrated test database; every test
  or module that uses it gets a fresh copy of that template, so what one test changes (a learner
  who withdraws, a cohort that starts) is gone before the next one begins.

Copies are whole databases: on PostgreSQL ``CREATE DATABASE … TEMPLATE …`` (a file-level copy,
about a second for the demo, instead of the 15 s that loading it takes); on SQLite a copy of the
file. They are named after the test database, which pytest-django names per xdist worker, so
workers never share one: with ``DATABASE_URL=…/academy``, worker ``gw0`` runs on
``test_academy_gw0`` and copies it to ``test_academy_gw0_demo_template`` (the demo, loaded once)
and ``test_academy_gw0_demo`` (the copy a test uses). All are dropped when the session ends."""

import shutil
import warnings
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.test import override_settings


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


def close_connections() -> None:
    """Close this thread's database connections, so the next query connects afresh (to whatever
    database the settings name by then)."""
    connections.close_all()


class DatabaseCopies:
    """Whole copies of the default test database, made and dropped by name."""

    def __init__(self):
        self.connection = connections["default"]
        self.settings = self.connection.settings_dict
        self.test_name = self.settings["NAME"]
        self.sqlite = self.connection.vendor == "sqlite"

    def name(self, suffix: str) -> str:
        return f"{self.test_name}-{suffix}" if self.sqlite else f"{self.test_name}_{suffix}"

    def copy(self, source: str, target: str) -> None:
        """Make ``target`` a copy of ``source``, replacing any database of that name. Nobody
        may be connected to ``source``: PostgreSQL waits five seconds for sessions on it to
        end, and a session still there then (a connection some earlier test left open in
        another thread or process) is named in a warning and ended, so that it cannot fail
        the tests that follow. Whoever is still connected to ``target`` is cut off."""
        close_connections()
        if self.sqlite:
            # A new file put in place: a connection still open keeps the old one.
            partial = Path(f"{target}.partial")
            shutil.copyfile(source, partial)
            partial.replace(target)
            return
        quote = self.connection.ops.quote_name
        create = f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}"
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
            try:
                cursor.execute(create)
            except OperationalError as error:
                if getattr(error.__cause__, "sqlstate", None) != "55006":  # object in use
                    raise
                cursor.execute(
                    "SELECT pg_terminate_backend(pid), pid, application_name, client_port,"
                    " backend_start, state, left(query, 200) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [source],
                )
                ended = [row[1:] for row in cursor.fetchall()]
                warnings.warn(
                    f"Sessions left open on {source} were ended to copy it: {ended}",
                    stacklevel=2,
                )
                cursor.execute(create)

    def drop(self, name: str) -> None:
        close_connections()
        if self.sqlite:
            Path(name).unlink(missing_ok=True)
            return
        quote = self.connection.ops.quote_name
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")

    def cut_off(self, name: str) -> None:
        """End every session on database ``name`` but this thread's, before it is dropped: a
        live server's thread still serving a browser tab a test left open keeps its connection,
        and PostgreSQL refuses to drop a database in use."""
        if self.sqlite:
            return
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )

    @contextmanager
    def connected_to(self, name: str):
        """Within the block, every new connection of the default alias, in any thread (a live
        server's included), goes to database ``name``; afterwards, to the test database again.
        The settings dictionary is the one every connection object of the alias shares."""
        close_connections()
        self.settings["NAME"] = name
        try:
            yield
        finally:
            close_connections()
            self.settings["NAME"] = self.test_name


class DemoDatabase:
    """The demo academy in a database of its own (see the module's docstring). Its files (the
    demo's images, and the certificates' PDFs in the private storage) live in ``media``, a
    folder of the test process's own, which every user of the demo is given as its file
    storages: the test settings' in-memory storages would lose them whenever a test changes the
    storage settings."""

    def __init__(self, copies: DatabaseCopies, media: Path, load):
        self.copies = copies
        self.media = media
        # Beside ``media``, never inside what is served as media (as PRIVATE_ROOT in production).
        self.private = media.with_name(f"{media.name}-private")
        self.template = copies.name("demo_template")
        self.working = copies.name("demo")
        self._load = load
        self._loaded = False
        self._failure: BaseException | None = None
        # Taken now, while the test database is as the migrations left it.
        copies.copy(copies.test_name, self.template)

    def storage_settings(self):
        return override_settings(
            STORAGES={
                **settings.STORAGES,
                "default": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(self.media), "base_url": settings.MEDIA_URL},
                },
                "private": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(self.private), "base_url": None},
                },
            },
            MEDIA_ROOT=str(self.media),
        )

    @contextmanager
    def fresh_copy(self):
        """Within the block, the default alias is connected to a copy of the demo that no test
        has used yet, and uploaded files are stored in the demo's media folder."""
        if self._failure is not None:
            raise RuntimeError("The demo did not load (see the first test that used it)")
        with self.storage_settings():
            if not self._loaded:
                try:
                    with self.copies.connected_to(self.template):
                        self._load()
                except BaseException as failure:
                    self._failure = failure
                    raise
                self._loaded = True
            self.copies.copy(self.template, self.working)
            with self.copies.connected_to(self.working):
                yield

    def drop(self) -> None:
        self.copies.drop(self.working)
        self.copies.drop(self.template)
