import time

import pytest

from tests.integration.servers import OwnRedis
from tests.services import require_redis

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"] == {"ok": None, "configured": False}


@pytest.mark.redis
def test_healthz_reports_a_reachable_redis(client, settings):
    url = require_redis()
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    body = client.get("/healthz").json()
    assert body["checks"]["redis"]["ok"] is True


def test_healthz_says_unavailable_when_redis_does_not_answer(client, settings):
    # A port on loopback where nothing listens.
    url = "redis://127.0.0.1:1/0"
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.redis
def test_healthz_says_unavailable_within_seconds_when_redis_hangs(client, settings, tmp_path):
    """A Redis that accepts connections and never answers (frozen here) is named within the
    health check's timeouts, as a load balancer needs."""
    redis_server = OwnRedis(tmp_path)
    redis_server.start()
    settings.REDIS_URL = redis_server.url
    redis_server.pause()
    try:
        started = time.monotonic()
        response = client.get("/healthz")
        took = time.monotonic() - started
    finally:
        redis_server.stop()
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == {"ok": False, "error": "TimeoutError"}
    assert took < 3
