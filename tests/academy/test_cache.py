"""The cache on Redis while Redis is unreachable (academy/cache.py, decisions §38), against a
redis-server of the test's own that the test stops, or freezes as a Redis that hangs."""

import logging
import time

from django.test import RequestFactory

import pytest
from allauth.core.internal import ratelimit

from academy.cache import ResilientRedisCache
from tests.integration.servers import OwnRedis

pytestmark = pytest.mark.redis

# Short, so that the tests wait little for the end of a pause.
PAUSE = 0.3
TIMEOUT = 0.5
OPTIONS = {
    "socket_connect_timeout": TIMEOUT,
    "socket_timeout": TIMEOUT,
    "OUTAGE_PAUSE": PAUSE,
    "PER_PROCESS_DURING_OUTAGE": {"allauth:rl:": "sign-in throttling"},
}


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def resilient_cache(server: OwnRedis) -> ResilientRedisCache:
    return ResilientRedisCache(server.url, {"KEY_PREFIX": "academy", "OPTIONS": OPTIONS})


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "academy.cache"]


def test_with_redis_answering_it_is_djangos_redis_cache(own_redis):
    cache = resilient_cache(own_redis)
    cache.set("page", "<h1>Courses</h1>")
    assert cache.get("page") == "<h1>Courses</h1>"
    assert cache.add("page", "other") is False
    assert cache.add("new", 1) is True
    assert cache.incr("new") == 2
    assert cache.set_many({"a": 1, "b": 2}) == []
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert cache.has_key("a") is True
    assert cache.delete("a") is True
    with pytest.raises(ValueError):
        cache.incr("missing")
    with own_redis.client() as connection:
        assert connection.get("academy:1:new") == b"2"


def test_with_redis_stopped_reads_miss_writes_are_dropped_and_nothing_raises(own_redis, caplog):
    cache = resilient_cache(own_redis)
    cache.set("kept", "before")
    own_redis.stop()

    with caplog.at_level(logging.WARNING, logger="academy.cache"):
        assert cache.get("kept") is None
        assert cache.get("kept", "default") == "default"
        assert cache.add("lock", 1) is False
        cache.set("page", "<h1>Courses</h1>")
        assert cache.get("page") is None  # not kept anywhere: another process could purge it
        assert cache.has_key("page") is False
        assert cache.get_many(["kept", "page"]) == {}
        assert cache.set_many({"a": 1}) == ["a"]
        assert cache.delete("kept") is False
        cache.delete_many(["a", "b"])
        assert cache.touch("kept") is False
        assert cache.get_or_set("generation", "fresh") == "fresh"
        with pytest.raises(ValueError):
            cache.incr("count")

        # The calls made while the pause lasts do not try Redis: they answer at once.
        started = time.monotonic()
        for _ in range(200):
            cache.get("kept")
            cache.set("page", "<h1>Courses</h1>")
        assert time.monotonic() - started < PAUSE

    logged = warnings_of(caplog)
    assert len(logged) == 1, logged
    assert f"Redis at {own_redis.url} is unreachable (ConnectionError" in logged[0]
    assert "sign-in throttling (allauth:rl:…) counts in this process's memory" in logged[0]


def test_a_redis_that_hangs_costs_one_timeout_then_none_until_the_pause_ends(own_redis):
    cache = resilient_cache(own_redis)
    cache.set("page", "<h1>Courses</h1>")
    own_redis.pause()
    try:
        started = time.monotonic()
        assert cache.get("page") is None
        first = time.monotonic() - started
        assert TIMEOUT * 0.8 < first < TIMEOUT * 4

        started = time.monotonic()
        for _ in range(100):
            assert cache.get("page") is None
        assert time.monotonic() - started < PAUSE / 2
    finally:
        own_redis.resume()
    time.sleep(PAUSE)
    assert cache.get("page") == "<h1>Courses</h1>"


def test_what_redis_missed_is_deleted_from_it_when_it_answers_again(tmp_path, caplog):
    """Redis comes back with what it held before (it was cut off, or saved it): the
    generation token that a publish renewed meanwhile must not come back with it, or the pages
    that publish purged would be served again."""
    redis_server = OwnRedis(tmp_path, persistent=True)
    redis_server.start()
    try:
        cache = resilient_cache(redis_server)
        cache.set("public-pages:generation", "before the publish")
        cache.set("course-outline:7", "version 1")
        cache.set("untouched", "still here")
        redis_server.stop()
        cache.set("public-pages:generation", "after the publish")
        cache.delete("course-outline:7")
        redis_server.start()
        with redis_server.client() as connection:
            assert connection.get("academy:1:untouched") is not None  # it kept what it held
        time.sleep(PAUSE)

        with caplog.at_level(logging.WARNING, logger="academy.cache"):
            assert cache.get("public-pages:generation") is None
        assert cache.get("course-outline:7") is None
        assert cache.get("untouched") == "still here"
        assert "answers again" in warnings_of(caplog)[-1]
        assert "deleted the 2 keys changed meanwhile" in warnings_of(caplog)[-1]
    finally:
        redis_server.stop()


def test_sign_in_throttling_goes_on_in_the_process_while_redis_is_stopped(own_redis, settings):
    """allauth counts failed sign-ins in the default cache, under a lock taken with ``add``:
    refused, as a cache that ignored Redis's errors would refuse it, every sign-in would wait
    a second and be turned away. Counted in the process's memory, the 11th failure for an
    account in 5 minutes is refused (ACCOUNT_RATE_LIMITS), as with Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "academy.cache.ResilientRedisCache",
            "LOCATION": own_redis.url,
            "KEY_PREFIX": "academy",
            "OPTIONS": OPTIONS,
        }
    }
    own_redis.stop()
    request = RequestFactory().post("/accounts/login/")

    def failed_sign_in():
        return ratelimit.consume(
            request, app="allauth.account", action="login_failed", key="someone@example.org"
        )

    started = time.monotonic()
    allowed = [failed_sign_in() is not None for _ in range(11)]
    assert allowed == [True] * 10 + [False]
    assert time.monotonic() - started < 1
    # Another account is counted apart.
    assert ratelimit.consume(
        request, app="allauth.account", action="login_failed", key="other@example.org"
    )
