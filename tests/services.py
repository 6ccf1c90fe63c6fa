"""Reaching the real services the suite needs. Outside CI a missing service skips the tests that
need it, saying what to install; under CI=true it fails them."""

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BASE_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SETTINGS_DIR = ROOT / "academy" / "settings"
# The W3C's Nu Html Checker, from npm (package.json); it runs on Java.
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
_ENVIRONMENT_READ = re.compile(
    r'(?:os\.environ\.get|os\.environ\[|os\.getenv|env_bool|env_list)\(?\s*"([A-Z][A-Z0-9_]*)"'
)


def worker_index() -> int:
    """Which pytest-xdist worker this process is (``gw0`` is 0, ``gw1`` is 1), or 0 when the
    suite runs in one process."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0


def worker_redis_url(base: str = BASE_REDIS_URL, index: int | None = None) -> str:
    """``TEST_REDIS_URL`` for this worker: its database number less the worker's index, so
    ``redis://…/15`` is db 15 for ``gw0`` (and for a run in one process), db 14 for ``gw1``, and
    so on down. Tests that empty their Redis database (the production deploy) then never empty
    another worker's."""
    index = worker_index() if index is None else index
    parsed = urlparse(base)
    path = parsed.path.strip("/")
    number = int(path) if path.isdigit() else 0
    if number - index < 0:
        pytest.fail(
            f"TEST_REDIS_URL={base} leaves no Redis database for xdist worker gw{index}: "
            "give it a database number no lower than the number of workers less one",
            pytrace=False,
        )
    return parsed._replace(path=f"/{number - index}").geturl()


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
    """This worker's Redis database (``worker_redis_url``), once it answers."""
    url = worker_redis_url()
    if not port_open(url, 6379):
        missing(f"Redis at {url}", "apt-get install redis-server, or set TEST_REDIS_URL")
    return url


def require_chromium() -> str:
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        missing(f"Chromium at {CHROMIUM}", "apt-get install chromium")
    return CHROMIUM


def require_java() -> str:
    java = shutil.which(os.environ.get("JAVA", "java"))
    if not java:
        missing("Java", "apt-get install default-jre-headless")
    return java


def require_vnu() -> list[str]:
    """The command that runs the HTML validator: ``java -jar node_modules/.../vnu.jar``."""
    java = require_java()
    if not VNU_JAR.is_file():
        missing(f"The HTML validator at {VNU_JAR}", "npm ci (vnu-jar is in package.json)")
    return [java, "-jar", str(VNU_JAR)]


def settings_environment_names() -> set[str]:
    """Every environment variable that academy/settings/*.py reads."""
    return {
        name
        for path in SETTINGS_DIR.glob("*.py")
        for name in _ENVIRONMENT_READ.findall(path.read_text())
    }


def subprocess_environment(**env: str) -> dict[str, str]:
    """The environment for a process a test starts (manage.py, a worker, gunicorn): the shell's
    (PATH, HOME, locale), less every variable the settings read and every DJANGO_* one, plus
    ``env``. What the process does then depends on the test alone, not on the shell."""
    dropped = settings_environment_names()
    kept = {
        name: value
        for name, value in os.environ.items()
        if name not in dropped and not name.startswith("DJANGO_")
    }
    return {**kept, **env}


def run_manage(*args: str, settings: str = "production", **env: str) -> subprocess.CompletedProcess:
    """``manage.py *args`` in a fresh process with ``academy.settings.<settings>`` and ``env``
    (``subprocess_environment``: nothing from the shell's settings variables reaches it)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=subprocess_environment(DJANGO_SETTINGS_MODULE=f"academy.settings.{settings}", **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
