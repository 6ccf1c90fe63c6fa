"""The outbox under the failures it is built for, with every part real: ``celery worker``
processes (the development settings, configured by environment variables as in production)
taking tasks from Redis, sending through Django's SMTP backend to an SMTP server on loopback
(tests/smtp.py) that records each message's Message-ID, and PostgreSQL deciding what is sent.

- A worker killed (SIGKILL) part way through a thousand announcements: a new worker and the
  dispatch task (run every second, as beat would) deliver every one, each Message-ID once; the
  email that was on the wire when the worker died may arrive twice, never more.
- The broker down when the change commits: the commit is not held up, the email waits in the
  database, and once Redis is back dispatch sends it, once.
- A mail server saying "try again later" (451) twice: the third attempt delivers it, once.

Each test is bounded (``DEADLINE``) and stops every process it started, by PID. The counts are
of the announcement's rows (``ANNOUNCEMENTS``): the dispatch also asks the reminder kinds what is
due, and a day of the week may give them something."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

import pytest
import redis
from celery import Celery

from academy.models import OutboxEmail
from academy.outbox import Notice, enqueue
from cohorts.notifications import ANNOUNCEMENT
from tests.services import missing, require_postgres, require_redis, run_manage
from tests.smtp import free_port, smtp_server

from ..cohorts.factories import (
    AnnouncementFactory,
    CohortFactory,
    course_with_lessons,
    make_members_in_bulk,
)
from .test_celery_worker import database_url_for_the_worker

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 60  # seconds, for any one wait in these tests
Status = OutboxEmail.Status
ANNOUNCEMENTS = OutboxEmail.objects.filter(kind=ANNOUNCEMENT)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# --- The parts -------------------------------------------------------------------------------


class Worker:
    """A ``celery worker`` process (one process: ``--pool solo``) on ``redis_url``, sending to
    the SMTP server on ``smtp_port``, its output in a file."""

    def __init__(self, redis_url: str, smtp_port: int, folder: Path, **outbox: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.log = folder / f"worker-{uuid.uuid4().hex[:8]}.log"
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "OUTBOX_", "EMAIL_", "CELERY_"))
            and name not in {"DATABASE_URL", "REDIS_URL", "SITE_URL", "DEBUG"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="academy.settings.dev",
            DEBUG="false",
            DATABASE_URL=database_url_for_the_worker(),
            REDIS_URL=redis_url,
            SITE_URL="http://127.0.0.1:8000",
            CELERY_TASK_ALWAYS_EAGER="false",
            CELERY_QUEUE_DIR=str(folder / "celery"),
            MEDIA_ROOT=str(folder / "media"),
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            **{f"OUTBOX_{name}": value for name, value in outbox.items()},
        )
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "academy", "worker",
                    "--pool", "solo", "--loglevel", "INFO",
                    "--hostname", f"outbox-{uuid.uuid4().hex[:8]}@%h",
                    "--without-heartbeat", "--without-gossip", "--without-mingle",
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.wait_until_ready()

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text()[-4000:]

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + DEADLINE
        while " ready." not in self.log.read_text():
            if self.process.poll() is not None:
                pytest.fail(f"The worker stopped as it started:\n{self.output()}")
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"The worker was not ready within {DEADLINE} s:\n{self.output()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no chance to finish the task, acknowledge it or release anything."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=DEADLINE)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def workers() -> Iterator[list[Worker]]:
    """Every worker a test starts goes in the list; each is stopped at the end."""
    started: list[Worker] = []
    try:
        yield started
    finally:
        for worker in started:
            worker.stop()


@contextmanager
def redis_database(url: str) -> Iterator[Celery]:
    """This test's Redis database, emptied before and after, and a client that sends tasks to
    the workers by name, as beat does."""
    connection = redis.Redis.from_url(url)
    connection.flushdb()
    client = Celery("outbox-test-client", broker=url)
    client.conf.update(task_serializer="json", accept_content=["json"])
    try:
        yield client
    finally:
        client.close()
        connection.flushdb()
        connection.close()


class RedisServer:
    """A redis-server of the test's own, on a port of its own, in a folder of its own: started
    and stopped (by PID) when the test says."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        server = "redis-server"
        if not any((Path(path) / server).exists() for path in os.environ["PATH"].split(":")):
            missing("redis-server", "apt-get install redis-server")
        self.process = subprocess.Popen(
            [
                server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + DEADLINE
        while True:
            try:
                if redis.Redis(port=self.port, socket_connect_timeout=0.2).ping():
                    return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def announcement_to(members: int, *, due_in: float = 1.0) -> tuple[list[OutboxEmail], str]:
    """An announcement to a cohort of ``members``, its emails written as the announcement's
    kind writes them and due in ``due_in`` seconds (so that nothing in this process sends
    them first). Returns the rows and when they are due."""
    cohort = CohortFactory(course=course_with_lessons(modules=1, lessons=1))
    enrolments = make_members_in_bulk(cohort, members)
    announcement = AnnouncementFactory(cohort=cohort, subject="Room change for Thursday")
    due = timezone.now() + timedelta(seconds=due_in)
    with transaction.atomic():
        written = enqueue(
            ANNOUNCEMENT,
            [
                Notice(
                    user_id=enrolment.user_id,
                    ref=f"announcement:{announcement.pk}",
                    params={"announcement_id": announcement.pk},
                    due_at=due,
                )
                for enrolment in enrolments
            ],
        )
    assert written == members
    return list(ANNOUNCEMENTS.order_by("pk")), due


def wait_until_due(due) -> None:
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.05)


def dispatch_until_sent(client: Celery, worker: Worker, rows: int, *, every: float = 1.0) -> float:
    """Send the dispatch task every ``every`` seconds (as beat does) until all ``rows`` are
    sent; returns how long that took."""
    started = time.monotonic()
    next_dispatch = started
    while ANNOUNCEMENTS.filter(status=Status.SENT).count() < rows:
        if worker.process.poll() is not None:
            pytest.fail(f"The worker stopped:\n{worker.output()}")
        if time.monotonic() > started + DEADLINE:
            states = dict(ANNOUNCEMENTS.values_list("status").annotate(n=Count("pk")).order_by())
            pytest.fail(f"Not all sent within {DEADLINE} s ({states}):\n{worker.output()}")
        if time.monotonic() >= next_dispatch:
            client.send_task("academy.tasks.outbox_dispatch_task")
            next_dispatch += every
        time.sleep(0.05)
    return time.monotonic() - started


# --- A worker killed part way --------------------------------------------------------------


def test_a_worker_killed_part_way_loses_no_email_and_sends_at_most_one_twice(tmp_path):
    require_postgres()
    redis_url = require_redis()
    # Leases of 5 s so that the sweeper returns the dead worker's batch within the test; the
    # rate high enough that one dispatch queues the thousand; dispatch every second.
    outbox = {
        "LEASE_SECONDS": "5",
        "DISPATCH_SECONDS": "1",
        "QUEUED_SECONDS": "2",
        "RATE_PER_MINUTE": "60000",
    }
    with (
        smtp_server() as (mailbox, port),
        redis_database(redis_url) as client,
        workers() as started,
    ):
        rows, due = announcement_to(1000)
        expected = {row.message_id for row in rows}
        begun = time.monotonic()
        started.append(Worker(redis_url, port, tmp_path, **outbox))
        ready = time.monotonic() - begun
        wait_until_due(due)
        client.send_task("academy.tasks.outbox_dispatch_task")
        sending = time.monotonic()

        # Killed in the middle of its fourth batch of 100: the rest of that batch is claimed
        # and held by the dead worker until its lease runs out.
        deadline = time.monotonic() + DEADLINE
        while mailbox.count() < 350:
            assert time.monotonic() < deadline, f"not 350 sent in time:\n{started[0].output()}"
            time.sleep(0.002)
        started[0].kill()
        to_the_kill = time.monotonic() - sending
        arrived_before_the_kill = mailbox.count()
        left_sending = ANNOUNCEMENTS.filter(status=Status.SENDING).count()
        assert 350 <= arrived_before_the_kill < 1000
        assert left_sending >= 1  # the sweeper has work to do
        assert ANNOUNCEMENTS.exclude(status=Status.SENT).exists()

        started.append(Worker(redis_url, port, tmp_path, **outbox))
        took = dispatch_until_sent(client, started[1], 1000)
        time.sleep(0.5)  # anything still on its way arrives

    counts = mailbox.message_ids()
    duplicates = sum(counts.values()) - len(counts)
    print(
        f"\nKilled after {arrived_before_the_kill} of 1,000 had arrived, {left_sending} rows "
        f"held by the dead worker; the rest sent in {took:.1f} s after the restart; "
        f"{sum(counts.values())} messages arrived, {len(counts)} distinct Message-IDs, "
        f"{duplicates} duplicate(s); a worker was ready in {ready:.1f} s, the first "
        f"{arrived_before_the_kill} took {to_the_kill:.1f} s"
    )
    assert set(counts) == expected  # every email arrived: none missing, none foreign
    assert duplicates <= 1  # one kill: at most the email on the wire when it came
    assert all(count <= 2 for count in counts.values())
    assert set(ANNOUNCEMENTS.values_list("status", flat=True)) == {Status.SENT}
    assert ANNOUNCEMENTS.count() == 1000


# --- The broker down when the change commits ---------------------------------------------------

WRITE_AND_COMMIT = """
import json, time
from django.db import transaction
from django.db.models import Count
from cohorts.models import Announcement
from cohorts.notifications import announcement_notify
announcement = Announcement.objects.get(pk={pk})
with transaction.atomic():
    written = announcement_notify(announcement)
    committing = time.monotonic()
print(json.dumps({{"written": written, "commit_seconds": time.monotonic() - committing}}))
"""


def test_an_email_written_while_the_broker_is_down_is_sent_once_it_is_back(tmp_path):
    require_postgres()
    broker = RedisServer(tmp_path / "redis")
    broker.start()
    broker.stop()  # down when the change commits
    cohort = CohortFactory(course=course_with_lessons(modules=1, lessons=1))
    [member] = make_members_in_bulk(cohort, 1)
    announcement = AnnouncementFactory(cohort=cohort, subject="Room change for Thursday")

    # The application's own process, with the settings production uses, writes the email
    # with the announcement and commits; the send it hands to the broker cannot be queued.
    result = run_manage(
        "shell",
        "-c",
        WRITE_AND_COMMIT.format(pk=announcement.pk),
        settings="dev",
        DEBUG="false",
        DATABASE_URL=database_url_for_the_worker(),
        REDIS_URL=broker.url,
        OUTBOX_QUEUED_SECONDS="1",
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\nThe commit with the broker down took {report['commit_seconds']:.3f} s")
    assert report["written"] == 1
    assert "could not queue 1 email(s)" in result.stderr
    # The commit is not held up by a broker that is not there.
    assert report["commit_seconds"] < 1.0
    row = ANNOUNCEMENTS.get()
    assert (row.status, row.attempts, row.user_id) == (Status.PENDING, 0, member.user_id)

    try:
        with smtp_server() as (mailbox, port), workers() as started:
            broker.start()
            with redis_database(broker.url) as client:
                started.append(Worker(broker.url, port, tmp_path, DISPATCH_SECONDS="1"))
                dispatch_until_sent(client, started[0], 1)
                time.sleep(0.5)
    finally:
        broker.stop()
    assert mailbox.message_ids() == {row.message_id: 1}
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)


# --- A mail server saying "not now" ------------------------------------------------------------


def test_an_email_refused_for_now_twice_is_sent_on_the_third_attempt_once(tmp_path):
    require_postgres()
    redis_url = require_redis()
    attempts: dict[str, int] = {}

    def twice_not_now(message) -> str | None:
        key = message["Message-ID"]
        attempts[key] = attempts.get(key, 0) + 1
        return "451 4.3.0 Try again later" if attempts[key] <= 2 else None

    with (
        smtp_server(refuse_data=twice_not_now) as (mailbox, port),
        redis_database(redis_url) as client,
        workers() as started,
    ):
        rows, due = announcement_to(3)
        started.append(Worker(redis_url, port, tmp_path, BACKOFF_SECONDS="1"))
        wait_until_due(due)
        client.send_task("academy.tasks.outbox_dispatch_task")
        deadline = time.monotonic() + DEADLINE
        # No more dispatches: the worker's own retries (1 s, then 2 s) must do it.
        while ANNOUNCEMENTS.filter(status=Status.SENT).count() < 3:
            assert time.monotonic() < deadline, started[0].output()
            time.sleep(0.05)
        time.sleep(0.5)

    assert mailbox.message_ids() == {row.message_id: 1 for row in rows}
    assert sorted(mailbox.refused) == sorted([row.message_id for row in rows] * 2)
    for row in ANNOUNCEMENTS:
        assert (row.status, row.attempts) == (Status.SENT, 3)
        assert row.last_error == ""
