"""QUALITY R2: no certificate is lost when Redis is restarted. The database is the source of
truth: completing writes a pending certificate, the worker issues it, and the sweeper (beat)
queues again whatever is still pending after a sweep interval.

A Redis of the test's own (a port of its own, a temporary folder, nothing saved to disk), a real
``celery worker`` with beat, 300 learners completing their course from another process. Partway
through the worker's batch, Redis is killed (SIGKILL: every queued message is lost) and 3 more
learners complete while it is down (their issue cannot be queued). Redis comes back empty; within
two sweep intervals everything left is queued again, and every certificate is issued exactly
once: 303 issues by the worker, each certificate one issue, no code twice."""

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db.models import Max
from django.utils import timezone

import pytest

from cohorts.models import Certificate, CertificateIssue, Enrolment
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, course_with_lessons
from tests.integration.test_celery_worker import database_url_for_the_worker
from tests.services import missing, require_postgres, subprocess_environment

ROOT = Path(__file__).resolve().parents[2]
SWEEP_SECONDS = 3
BEFORE, WHILE_DOWN = 300, 3
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.long,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Each learner's last requirement done, as the completion service does it: one transaction
# each, the certificate's issue queued once it commits.
COMPLETE = """
import os
from django.db import transaction
from cohorts.models import Enrolment
from cohorts.services.completion import enrolment_complete
for pk in map(int, os.environ["ENROLMENTS"].split(",")):
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=pk)
        enrolment_complete(enrolment=enrolment)
        enrolment.save()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A Redis server on ``port`` that keeps nothing on disk, started and killed by the test."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port, self.process = folder, port, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2):
                    return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"Redis did not start on port {self.port}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        missing("redis-server", "apt-get install redis-server")
    server = OwnRedis(tmp_path, free_port())
    server.start()
    try:
        yield server
    finally:
        server.kill()


def environment(tmp_path: Path, redis_url: str) -> dict:
    return subprocess_environment(
        DJANGO_SETTINGS_MODULE="academy.settings.dev",
        DATABASE_URL=database_url_for_the_worker(),
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_QUEUE_DIR=str(tmp_path / "celery"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_ROOT=str(tmp_path / "private"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ACADEMY_CERTIFICATE_SWEEP_SECONDS=str(SWEEP_SECONDS),
    )


def complete(env: dict, enrolments: list[int]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", COMPLETE],
        cwd=ROOT,
        env={**env, "ENROLMENTS": ",".join(map(str, enrolments))},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def issued() -> int:
    return Certificate.objects.filter(status=Certificate.Status.ISSUED).count()


def wait_until(condition, timeout: float, what: str) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(0.1)
    return time.monotonic() - started


def test_no_certificate_is_lost_when_redis_restarts_mid_batch(tmp_path, redis_server):
    require_postgres()
    course = course_with_lessons("Leading across boundaries", modules=1, lessons=1)
    cohort = CohortFactory(course=course, capacity=BEFORE + WHILE_DOWN)
    places = [e.pk for e in EnrolmentFactory.create_batch(BEFORE + WHILE_DOWN, cohort=cohort)]
    env = environment(tmp_path, redis_server.url)
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "academy", "worker", "--beat",
            "--schedule", str(tmp_path / "beat-schedule"), "--pool", "solo",
            "--loglevel", "INFO", "--without-heartbeat", "--without-gossip", "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        done = complete(env, places[:BEFORE])
        assert done.returncode == 0, done.stderr[-3000:]
        wait_until(lambda: issued() >= 40, 120, "The worker issuing its first certificates")

        redis_server.kill()  # mid-batch: every message still queued is lost
        left = BEFORE - issued()
        assert left > 0, "the batch finished before Redis was killed"
        down = complete(env, places[BEFORE:])  # the broker is down: nothing can be queued
        assert down.returncode == 0, down.stderr[-3000:]
        assert "not queued (OperationalError" in down.stderr
        assert Enrolment.objects.filter(
            pk__in=places[BEFORE:], status=Enrolment.Status.COMPLETED
        ).count() == WHILE_DOWN  # fmt: skip

        # Redis comes back once the last certificate that could not be queued is a sweep
        # interval old, so the first sweep after the worker reconnects finds every one left.
        # (A later sweep would wait behind the issues the first one queued: the worker runs
        # one task at a time.)
        last = Certificate.objects.filter(status=Certificate.Status.PENDING).aggregate(
            last=Max("queued_at")
        )["last"]
        time.sleep(max(0.0, (last - timezone.now()).total_seconds() + SWEEP_SECONDS + 0.2))
        connected = log_path.read_text().count("Connected to redis")
        redis_server.start()  # back, empty
        restarted = timezone.now()
        # The worker reconnects by itself, after the back-off it has reached (Celery's, at most
        # 30 s): from then, within two sweep intervals every certificate still pending has been
        # queued again.
        reconnecting = wait_until(
            lambda: log_path.read_text().count("Connected to redis") > connected,
            60,
            "The worker reconnecting to Redis",
        )
        requeued = wait_until(
            lambda: (
                not Certificate.objects.filter(
                    status=Certificate.Status.PENDING, queued_at__lt=restarted
                ).exists()
            ),
            2 * SWEEP_SECONDS + 1,
            "Every pending certificate queued again",
        )
        took = wait_until(lambda: issued() == BEFORE + WHILE_DOWN, 120, "Every certificate issued")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
    output = log_path.read_text()

    certificates = list(Certificate.objects.all())
    assert len(certificates) == BEFORE + WHILE_DOWN
    assert len({c.code for c in certificates}) == len(certificates)  # no code twice
    assert {c.issue_number for c in certificates} == {1}
    assert CertificateIssue.objects.count() == len(certificates)
    # Each drawn once: the worker reported 320 issues, however often it was asked.
    drawn = output.count("cohorts.tasks.certificate_issue_task[") and sum(
        1
        for line in output.splitlines()
        if "certificate_issue_task[" in line and "succeeded" in line and line.endswith(": True")
    )
    assert drawn == BEFORE + WHILE_DOWN, output[-4000:]
    pdfs = list((tmp_path / "private" / "certificates").glob("*.pdf"))
    assert len(pdfs) == BEFORE + WHILE_DOWN
    print(
        f"R2: {left} + {WHILE_DOWN} certificates left when Redis came back; the worker "
        f"reconnected after {reconnecting:.1f} s, all pending queued again {requeued:.1f} s "
        f"later (sweep every {SWEEP_SECONDS} s), all issued {took:.1f} s after that"
    )
