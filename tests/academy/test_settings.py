import base64
import json
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import OperationalError, connection, connections, transaction

import pytest

from tests.integration.servers import free_port
from tests.services import (
    require_postgres,
    run_manage,
    settings_environment_names,
    subprocess_environment,
)

ROOT = Path(__file__).resolve().parents[2]


def credential_key() -> str:
    """A new Ed25519 private key, as an operator sets ACADEMY_CREDENTIAL_KEY: 32 bytes, base64."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="academy.example",
        ACADEMY_CREDENTIAL_KEY=credential_key(),
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Read from the shell on purpose: the database the suite runs on (CI sets it), how much is logged.
PASSED_THROUGH = {"DATABASE_URL", "LOG_LEVEL"}
DUMP_TEST_SETTINGS = (
    "import importlib, json; s = importlib.import_module('academy.settings.test'); "
    "print(json.dumps({k: repr(getattr(s, k)) for k in dir(s) if k.isupper()}))"
)


def settings_under(environment: dict[str, str]) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-c", DUMP_TEST_SETTINGS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found = json.loads(result.stdout)
    # The SQLite test database is named after the process that creates it.
    found.pop("DATABASES")
    return found


@pytest.mark.parametrize("value", ["0", "1"])
def test_the_test_settings_are_the_same_whatever_the_shell_sets(value):
    """Every variable the settings read (REDIS_URL, EMAIL_BACKEND, SITE_URL…), set in the shell,
    leaves the test settings as they are without it."""
    names = settings_environment_names() - PASSED_THROUGH
    assert {"REDIS_URL", "EMAIL_BACKEND", "SITE_URL", "CELERY_TASK_ALWAYS_EAGER"} <= names

    plain = settings_under(subprocess_environment())
    shell = settings_under(subprocess_environment(**dict.fromkeys(names, value)))

    assert {
        k: (plain.get(k), shell.get(k)) for k in plain | shell if plain.get(k) != shell.get(k)
    } == {}


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", SECRET_KEY="", ALLOWED_HOSTS="academy.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_the_key_that_signs_certificates():
    result = run_manage(
        "check", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="academy.example"
    )
    assert result.returncode != 0
    assert "ACADEMY_CREDENTIAL_KEY must be set" in result.stderr


def test_static_files_are_collected_without_the_key_that_signs_certificates(tmp_path):
    """Building the static files (README, Production, step 3) needs no signing key: only what
    signs needs it, and the system check above says when it is missing."""
    result = run_manage(
        "collectstatic",
        "--no-input",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="academy.example",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    # Lesson videos may be embedded from these players only.
    assert "frame-src https://www.youtube-nocookie.com https://www.youtube.com" in policy


@pytest.mark.django_db
def test_the_page_not_found_page_is_ours(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Collaborative Leadership Academy" in html
    assert "govuk-header__logo" not in html


@pytest.mark.django_db
def test_a_request_for_a_host_we_do_not_serve_answers_400_not_500(client):
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sorry, there is a problem with your request" in html
    assert "elsewhere.example" not in html


def test_the_server_error_page_renders_without_a_database(rf):
    from academy.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.postgres
def test_a_database_that_cannot_be_reached_answers_503_with_a_page_that_says_so(
    rf, django_db_blocker
):
    """The error Django raises when PostgreSQL does not answer (here, nothing listens on the
    port), handled as an uncaught exception is: 503, when to try again, and our page."""
    require_postgres()
    from academy.views import server_error

    default = connections["default"]
    unreachable = type(default)(
        {**default.settings_dict, "HOST": "127.0.0.1", "PORT": free_port()}, alias="gone"
    )
    with django_db_blocker.unblock():
        try:
            unreachable.ensure_connection()
        except OperationalError:
            response = server_error(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html
    assert "Collaborative Leadership Academy" in html


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_query_that_fails_is_still_a_500(rf):
    """A query PostgreSQL cancels (a statement timeout: an OperationalError too) is a bug or
    load to look into, not the database being away."""
    require_postgres()
    from academy.views import server_error

    with pytest.raises(OperationalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 1")
        try:
            cursor.execute("SELECT pg_sleep(1)")
        except OperationalError:
            response = server_error(rf.get("/"))
            raise
    assert response.status_code == 500


def test_production_refuses_private_files_inside_a_served_folder(tmp_path):
    """Learners' uploads (PRIVATE_ROOT) must not be where the proxy serves MEDIA_ROOT."""
    environment = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "academy.example",
        "ACADEMY_CREDENTIAL_KEY": credential_key(),
    }
    media = tmp_path / "media"
    result = run_manage(
        "check", MEDIA_ROOT=str(media), PRIVATE_ROOT=str(media / "private"), **environment
    )
    assert result.returncode != 0
    assert "PRIVATE_ROOT" in result.stderr and "must not be inside" in result.stderr
    apart = run_manage(
        "check", MEDIA_ROOT=str(media), PRIVATE_ROOT=str(tmp_path / "private"), **environment
    )
    assert apart.returncode == 0, apart.stderr


@pytest.fixture
def embedded_sqlite(tmp_path, django_db_blocker):
    """A database alias on a SQLite file with the options the embedded defaults give SQLite."""
    from django.db.utils import ConnectionHandler

    from academy.settings.base import SQLITE_OPTIONS

    alias = "embedded_sqlite"
    given = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")}
    configured = ConnectionHandler({"default": {**given, "OPTIONS": SQLITE_OPTIONS}}).settings
    connections.settings[alias] = configured["default"]
    try:
        with django_db_blocker.unblock():
            with connections[alias].cursor() as cursor:
                cursor.execute("CREATE TABLE counter (n integer)")
                cursor.execute("INSERT INTO counter VALUES (0)")
            yield alias
            connections[alias].close()
    finally:
        del connections.settings[alias]


def test_on_sqlite_two_writers_at_once_wait_for_each_other_instead_of_failing(embedded_sqlite):
    """The embedded defaults run the site and a worker of two processes on one SQLite file.
    Two transactions that read and then write at the same moment (a completion email sent as
    the certificate is drawn, which once failed the certificate with "database is locked"): the
    second waits for the first to commit, and then reads what it wrote."""
    first_wrote, errors = threading.Event(), []

    def add_one(*, first: bool):
        try:
            if not first:
                first_wrote.wait(5)
            with transaction.atomic(using=embedded_sqlite):
                with connections[embedded_sqlite].cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    (n,) = cursor.fetchone()
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
                if first:
                    first_wrote.set()
                    time.sleep(0.5)  # the other transaction starts meanwhile
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connections[embedded_sqlite].close()

    threads = [threading.Thread(target=add_one, kwargs={"first": f}) for f in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    with connections[embedded_sqlite].cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone() == (2,)
