"""Reaching the real services the suite needs. Outside CI a missing service skips the tests that
need it, saying what to install; under CI=true it fails them."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def missing(what: str, how: str) -> None:
    message = f"{what} is not available: {how}"
    if CI:
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        missing(
            "PostgreSQL",
            "set DATABASE_URL=postgres://postgres@127.0.0.1:5432/academy to run this test "
            "(apt-get install postgresql)",
        )


def require_redis() -> str:
    if not port_open(REDIS_URL, 6379):
        missing(f"Redis at {REDIS_URL}", "apt-get install redis-server, or set TEST_REDIS_URL")
    return REDIS_URL


def require_chromium() -> str:
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        missing(f"Chromium at {CHROMIUM}", "apt-get install chromium")
    return CHROMIUM
