"""Redis stops while the site runs (decisions §38): the site under gunicorn with production
settings, on a Redis of the test's own (cache and Celery broker) and a small academy in a
database of its own. With Redis stopped, pages are served uncached; a learner signs in, opens My
learning and marks lessons complete (completing the course writes an email into the outbox,
where it waits for the broker); allauth's throttling still counts; /healthz answers 503 naming
Redis. With Redis back, /healthz answers 200 and pages are cached again."""

import json
import time

import pytest

from .servers import Gunicorn, OwnRedis, production_environment, wait_for
from .web_client import Client

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

# What the cache keeps of a public page, under the settings' KEY_PREFIX (courses/cache.py).
PAGE_ENTRIES = "academy:*:public-pages:entry:*"


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def site(own_redis, small_academy, collected_static, tmp_path):
    """One gunicorn worker: sign-in throttling counts per process while Redis is away, and one
    process makes the count exact."""
    env = production_environment(
        tmp_path, collected_static, DATABASE_URL=small_academy.url, REDIS_URL=own_redis.url
    )
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=1)
    try:
        yield server
    finally:
        server.stop()


def cached_pages(redis_server: OwnRedis) -> int:
    with redis_server.client() as connection:
        return len(connection.keys(PAGE_ENTRIES))


def health(client: Client) -> tuple[int, dict]:
    """/healthz as a load balancer asks it: plain HTTP, straight to gunicorn."""
    response = client.get("/healthz", https=False)
    return response.status, json.loads(response.body)


def test_with_redis_stopped_the_site_still_serves_signs_in_and_records_progress(
    own_redis, site, small_academy
):
    academy = small_academy
    visitor = Client(site.port, timeout=15)
    learner = Client(site.port, timeout=15)
    try:
        # Redis up: the home page is stored in the cache, and /healthz is content.
        assert visitor.ok("/").status == 200
        assert cached_pages(own_redis) == 1
        assert health(visitor)[0] == 200

        own_redis.stop()
        outage_began = time.monotonic()

        home = visitor.ok("/")
        assert "Lead together" in home.text
        course = visitor.ok(academy.course_path)
        assert academy.course_title in course.text

        signed_in = learner.post_form(
            "/accounts/login/", {"login": academy.learner, "password": academy.password}
        )
        assert signed_in.status == 302, signed_in.text[:3000]
        learning = learner.ok("/learning/")
        assert '<h1 class="govuk-heading-xl">My learning</h1>' in learning.text
        assert academy.course_title in learning.text

        # Marking the first lesson complete; then the last, which completes the course and
        # writes the learner's email into the outbox with it: the broker is away, so the email
        # waits in the database for the outbox's dispatcher.
        for number, (lesson_path, lesson_id) in enumerate(academy.lessons, start=1):
            completed = learner.post_form(
                lesson_path, {"action": "complete"}, to=f"/learning/lessons/{lesson_id}/complete/"
            )
            assert completed.status == 302, completed.text[:3000]
            assert completed.headers["Location"] == lesson_path
            assert "Completed" in learner.ok(lesson_path).text
            assert academy.count("SELECT count(*) FROM cohorts_lessoncompletion") == number
        assert academy.count("SELECT count(*) FROM cohorts_enrolment WHERE status = 'completed'")
        assert academy.count("SELECT count(*) FROM academy_outboxemail WHERE status = 'pending'")
        assert "Outbox: could not queue" in site.output()

        # Throttling goes on, counted in the process's memory: allauth's rate limits (sign-in
        # failures included, tests/academy/test_cache.py) allow 5 password resets an address a
        # minute (ACCOUNT_RATE_LIMITS); the 6th is refused.
        asker = Client(site.port, timeout=15)
        token = asker.csrf_token("/accounts/password/reset/")
        reset = {"csrfmiddlewaretoken": token, "email": academy.colleague}
        answers = [
            asker.request("POST", "/accounts/password/reset/", form=reset).status for _ in range(6)
        ]
        assert answers == [302] * 5 + [429]

        status, body = health(visitor)
        assert status == 503
        assert body["status"] == "unavailable"
        assert body["checks"]["redis"]["ok"] is False
        assert body["checks"]["redis"]["error"] == "ConnectionError"
        assert body["checks"]["database"]["ok"] is True

        # No request waited on Redis: all of the above, about 20 requests, took seconds (a
        # publish retrying as Celery does by default would alone have taken 20 s).
        outage_took = time.monotonic() - outage_began
        assert outage_took < 20, f"{outage_took:.1f} s without Redis"

        output = site.output()
        assert " 500 " not in output
        warnings = [line for line in output.splitlines() if "is unreachable" in line]
        assert 1 <= len(warnings) <= 2, warnings
        assert "sign-in throttling" in warnings[0]

        # Redis back (empty, as a restarted Redis without persistence is).
        own_redis.start()
        wait_for("/healthz 200 with Redis back", lambda: health(visitor)[0] == 200, 15)

        def cached_again() -> bool:
            return visitor.get("/").status == 200 and cached_pages(own_redis) == 1

        wait_for("the home page cached again", cached_again, 15)
        assert "answers again" in site.output()
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n\ngunicorn's output:\n{site.output()[-8000:]}") from None
