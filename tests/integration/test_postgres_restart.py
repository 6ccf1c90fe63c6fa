"""PostgreSQL restarts and stops while the site runs (decisions §38): the site under gunicorn, two
workers, production settings, on a PostgreSQL cluster of the test's own holding a small academy.
After a fast restart between requests no request fails (each worker's kept connection is checked
before it is reused); while the server is stopped, pages answer 503 with the page that says so;
started again, they answer 200."""

import json
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from .servers import Gunicorn, OwnPostgres, production_environment, wait_for
from .web_client import Client

pytestmark = pytest.mark.postgres

DATABASE = "academy"


@pytest.fixture
def own_postgres():
    server = OwnPostgres()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def site(own_postgres, small_academy, collected_static, tmp_path):
    """The small academy copied into the test's own server (pg_dump and pg_restore of the same
    version as the server), served by two gunicorn workers. No REDIS_URL: the cache is each
    process's memory, the broker a folder."""
    dump = tmp_path / "academy.dump"
    for command in (
        [own_postgres.bin / "pg_dump", "--format=custom", f"--file={dump}", small_academy.url],
        [own_postgres.bin / "createdb", "-h", "127.0.0.1", "-p", str(own_postgres.port),
         "-U", "postgres", DATABASE],
        [own_postgres.bin / "pg_restore", "--no-owner", f"--dbname={own_postgres.url(DATABASE)}",
         dump],
    ):  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, f"{command[0].name}: {done.stderr}"
    env = production_environment(
        tmp_path, collected_static, DATABASE_URL=own_postgres.url(DATABASE)
    )
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=2)
    try:
        yield server
    finally:
        server.stop()


def test_after_a_restart_of_postgresql_no_request_fails_and_while_it_is_down_pages_say_so(
    own_postgres, site, small_academy
):
    academy = small_academy
    learner = Client(site.port, timeout=15)
    pages = ["/", academy.course_path, "/learning/", academy.lessons[0][0]]

    def both_workers_ask(path: str) -> list[int]:
        """Two requests at once: gunicorn's two workers take one each."""
        with ThreadPoolExecutor(2) as pool:
            return [response.status for response in pool.map(learner.get, [path, path])]

    try:
        signed_in = learner.post_form(
            "/accounts/login/", {"login": academy.learner, "password": academy.password}
        )
        assert signed_in.status == 302, signed_in.text[:3000]
        # Each worker keeps a connection (conn_max_age) once it has answered a request.
        deadline = time.monotonic() + 20
        while own_postgres.client_sessions(DATABASE) < 2:
            assert time.monotonic() < deadline, "the two workers did not both connect"
            assert both_workers_ask("/learning/") == [200, 200]

        own_postgres.restart()
        # Until both workers have connected again (their kept connections were ended by the
        # restart), every answer is a page.
        answers = []
        deadline = time.monotonic() + 20
        while not answers or own_postgres.client_sessions(DATABASE) < 2:
            assert time.monotonic() < deadline, "the two workers did not both connect again"
            answers += [(path, both_workers_ask(path)) for path in pages]
        assert answers == [(path, [200, 200]) for path, _ in answers]

        own_postgres.stop()
        for path in pages:
            down = learner.get(path)
            assert down.status == 503, (path, down.status)
            assert down.headers["Retry-After"] == "30"
            assert "Sorry, the service is unavailable" in down.text
            assert "You will be able to use the academy again in a few minutes" in down.text
        # A load balancer's check (no cookie) is told which service is away.
        health = Client(site.port, timeout=15).get("/healthz", https=False)
        assert health.status == 503
        assert json.loads(health.body)["checks"]["database"] == {
            "ok": False,
            "error": "OperationalError",
        }

        own_postgres.start()
        answers = {path: both_workers_ask(path) for path in pages}
        assert answers == {path: [200, 200] for path in pages}
        wait_for("/healthz 200", lambda: learner.get("/healthz", https=False).status == 200, 10)
        assert " 500 " not in site.output()
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n\ngunicorn's output:\n{site.output()[-8000:]}") from None
