"""`make bench`: the outbox's throughput and pace (docs/quality.md, P5; docs/decisions.md §40).

Emails due at once, a cohort's announcement to every member, are dispatched and sent by one real
``celery worker`` process (``--pool solo``) through a real Redis broker, on PostgreSQL, with
Django's local-memory email backend in the worker (so the figures are the outbox's, not a mail
server's). Two runs, each with a worker configured by environment variables as in production:

* **throughput**: 10,000 emails with ``OUTBOX_RATE_PER_MINUTE=20000``. One dispatch queues them
  all in batches of 100, each batch held back (a countdown) so that they leave at that rate:
  30 s at the least. P5's target is 10,000 within 60 s;
* **pace**: 1,000 emails with the rate set to 2,000 a minute: at least 27 s (the last of ten
  batches waits 27 s), to show the configured rate is what the worker keeps to.

Each run writes its rows as the announcement's kind writes them (``academy.outbox.enqueue``),
due a moment later, starts the worker, sends it the dispatch task by name as beat does, and
times from that task to the last row marked sent, reading the rows every 0.1 s. It prints, per
run: the emails, the rate, the seconds, the emails a second, the least time the rate allows,
and the rows that are not sent (there should be none). It reports; it does not fail.

Where it runs: a scratch database ``academy_bench_outbox_<pid>`` on the PostgreSQL server at
``BENCH_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``), made with
``migrate`` and ``load_demo`` and dropped at the end; the Redis database ``BENCH_REDIS_URL``
(default ``redis://127.0.0.1:6379/13``), emptied at the start and the end, so give it one no
one else uses.

Usage: python bench/reminders.py [--emails N] [--rate R] [--paced-emails N] [--paced-rate R]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
TIMEOUT = 300  # seconds a run may take before the bench gives up on it


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def configure(database_url: str, queue_dir: Path) -> None:
    """Django in this process on the scratch database: it writes the rows and reads them; the
    worker does everything else."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "academy.settings.dev"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CELERY_QUEUE_DIR"] = str(queue_dir)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(members: int) -> tuple[int, list[int]]:
    """The demo academy, with ``members`` more learners on a finished cohort (so that the
    reminder kinds, which dispatch asks too, find nothing due for them) and an announcement to
    them. Returns the announcement's id and the learners' ids."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from cohorts.models import Announcement, Cohort, Enrolment

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    finished = Cohort.status_condition(Cohort.Status.FINISHED, timezone.localdate())
    cohorts = Cohort.objects.select_related("course").order_by("pk")
    cohort = cohorts.filter(finished).first() or cohorts.first()
    people = get_user_model().objects.bulk_create(
        [
            get_user_model()(
                email=f"bench.member{number}@example.org",
                display_name=f"Member {number}",
                job_title="Head of service",
            )
            for number in range(members)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=person,
                cohort=cohort,
                course=cohort.course,
                status=Enrolment.Status.ACTIVE,
                activated_at=now,
            )
            for person in people
        ],
        batch_size=2000,
    )
    announcement = Announcement.objects.create(
        cohort=cohort, subject="Room change for Thursday", body="We meet in room 4 instead."
    )
    return announcement.pk, [person.pk for person in people]


def write(announcement_id: int, user_ids: list[int], run: str, due_in: float = 1.0):
    """The run's emails, written as the announcement's kind writes them and due in ``due_in``
    seconds (so that nothing is handed to a worker before the dispatch)."""
    from django.db import transaction
    from django.utils import timezone

    from academy.models import OutboxEmail
    from academy.outbox import Notice, enqueue
    from cohorts.notifications import ANNOUNCEMENT

    OutboxEmail.objects.filter(kind=ANNOUNCEMENT).delete()
    due = timezone.now() + timedelta(seconds=due_in)
    with transaction.atomic():
        enqueue(
            ANNOUNCEMENT,
            [
                Notice(
                    user_id=user_id,
                    ref=f"announcement:{announcement_id}:{run}",
                    params={"announcement_id": announcement_id},
                    due_at=due,
                )
                for user_id in user_ids
            ],
        )
    return due


class Worker:
    def __init__(self, database_url: str, folder: Path, rate: int):
        self.log = folder / f"worker-{rate}.log"
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "OUTBOX_", "EMAIL_", "CELERY_"))
            and name not in {"DATABASE_URL", "REDIS_URL", "LOG_LEVEL"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="academy.settings.dev",
            DEBUG="false",
            DATABASE_URL=database_url,
            REDIS_URL=REDIS_URL,
            CELERY_QUEUE_DIR=str(folder / "celery"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            OUTBOX_RATE_PER_MINUTE=str(rate),
        )
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "academy", "worker",
                    "--pool", "solo", "--loglevel", "INFO",
                    "--hostname", f"bench-{uuid.uuid4().hex[:8]}@%h",
                    "--without-heartbeat", "--without-gossip", "--without-mingle",
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 120
        while " ready." not in self.log.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"The worker did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def run(database_url: str, folder: Path, announcement_id, user_ids, rate: int, name: str):
    from django.db.models import Max, Min
    from django.utils import timezone

    from celery import Celery

    from academy.models import OutboxEmail
    from cohorts.notifications import ANNOUNCEMENT

    emails = len(user_ids)
    due = write(announcement_id, user_ids, name)
    rows = OutboxEmail.objects.filter(kind=ANNOUNCEMENT)
    worker = Worker(database_url, folder, rate)
    client = Celery("bench-client", broker=REDIS_URL)
    client.conf.update(task_serializer="json", accept_content=["json"])
    try:
        time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.05)
        started = time.monotonic()
        client.send_task("academy.tasks.outbox_dispatch_task")
        sent = 0
        while sent < emails and time.monotonic() - started < TIMEOUT:
            time.sleep(0.1)
            sent = rows.filter(status=OutboxEmail.Status.SENT).count()
        seconds = time.monotonic() - started
    finally:
        worker.stop()
        client.close()
    spread = rows.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    batches = -(-emails // 100)
    least = (batches - 1) * 100 * 60 / rate
    not_sent = rows.exclude(status=OutboxEmail.Status.SENT).count()
    sending = (spread["last"] - spread["first"]).total_seconds() if sent else 0
    print(
        f"{name:>10} {emails:>7,} {rate:>9,} {seconds:>8.1f} {sent / seconds:>8.0f}"
        f" {sending:>10.1f} {least:>9.1f} {not_sent:>8}"
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=20_000)
    parser.add_argument("--paced-emails", type=int, default=1_000)
    parser.add_argument("--paced-rate", type=int, default=2_000)
    arguments = parser.parse_args()

    import redis

    broker = redis.Redis.from_url(REDIS_URL)
    try:
        broker.ping()
    except redis.ConnectionError as error:
        raise SystemExit(
            f"Redis at {REDIS_URL} does not answer ({error}): set BENCH_REDIS_URL"
        ) from error
    name = f"academy_bench_outbox_{os.getpid()}"
    admin(f'CREATE DATABASE "{name}"')
    database_url = with_database(POSTGRES_URL, name)
    broker.flushdb()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-outbox-") as scratch:
            folder = Path(scratch)
            configure(database_url, folder / "celery")
            print(
                f"The outbox (P5): one worker (--pool solo), Redis {REDIS_URL}, PostgreSQL, "
                f"local-memory email; load average {os.getloadavg()[0]:.2f} at the start"
            )
            built = time.monotonic()
            announcement_id, user_ids = build(max(arguments.emails, arguments.paced_emails))
            print(f"Built the demo academy and {len(user_ids):,} learners in "
                  f"{time.monotonic() - built:.0f} s")  # fmt: skip
            print(
                f"{'run':>10} {'emails':>7} {'rate/min':>9} {'seconds':>8} {'per s':>8}"
                f" {'sending s':>10} {'least s':>9} {'not sent':>8}"
            )
            run(database_url, folder, announcement_id, user_ids[: arguments.emails],
                arguments.rate, "throughput")  # fmt: skip
            run(database_url, folder, announcement_id, user_ids[: arguments.paced_emails],
                arguments.paced_rate, "pace")  # fmt: skip
            from django.db import connections

            connections.close_all()
    finally:
        broker.flushdb()
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"Load average {os.getloadavg()[0]:.2f} at the end.")
    print(
        "seconds: from the dispatch task to the last row sent; sending s: first to last sent_at; "
        "least s: what the rate allows at best."
    )
    print("Target (P5): 10,000 due emails sent within 60 s by one worker.")


if __name__ == "__main__":
    main()
