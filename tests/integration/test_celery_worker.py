"""A real task through the real Redis broker to a real ``celery worker`` process."""

import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

import pytest
from celery import Celery

from tests.services import require_redis, subprocess_environment

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def database_url_for_the_worker() -> str:
    """The test database this process uses, as a URL the worker's settings understand."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings["USER"] or "postgres"
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
    return f"sqlite:///{settings['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """Start a worker on its own queue, on this test process's Redis database
    (``tests.services.worker_redis_url``) and with its own folders; stop it (by PID)
    afterwards."""
    redis_url = require_redis()
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = subprocess_environment(
        DJANGO_SETTINGS_MODULE="academy.settings.dev",
        DATABASE_URL=database_url_for_the_worker(),
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_QUEUE_DIR=str(tmp_path / "celery"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "academy", "worker",
            "--pool", "solo", "--queues", queue, "--loglevel", "INFO",
            "--without-heartbeat", "--without-gossip", "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    client = Celery("academy-test-client", broker=redis_url, backend=redis_url)
    client.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")
    try:
        yield client, queue, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        client.close()


def test_a_task_runs_in_a_real_worker_and_its_result_comes_back(worker):
    client, queue, process = worker
    store = SessionStore()
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )

    result = client.send_task("academy.tasks.clear_expired_sessions_task", queue=queue)
    try:
        cleared = result.get(timeout=60)
    except Exception:
        process.terminate()
        output, _ = process.communicate(timeout=20)
        pytest.fail(f"The worker did not return a result. Its output:\n{output[-4000:]}")

    assert cleared == 1
    assert result.status == "SUCCESS"
    assert not Session.objects.filter(session_key=store.session_key).exists()
    # Idempotent: the same task again finds nothing to do.
    again = client.send_task("academy.tasks.clear_expired_sessions_task", queue=queue)
    assert again.get(timeout=60) == 0
