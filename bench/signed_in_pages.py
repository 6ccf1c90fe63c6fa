"""`make bench`: signed-in pages with a cohort of 1,000 learners (QUALITY.md P2).

The bench builds its own throwaway database: the demo academy (``load_demo``), then the demo's
running cohort grown to 1,000 learners (organisations, sectors, progress and last activity
spread as in life) and 200 applications waiting on the upcoming cohort that takes
applications. Each page is then requested in-process through Django's test client, signed in
as the person who uses it, and timed from the request going in to the last byte of the
response: server time, without a network or an HTTP server in the way. A trivial view
(``/healthz``) is timed through the same client in the same run as the baseline.

The database is a temporary SQLite file under ``var/``, deleted at the end. Set
``BENCH_DATABASE_URL`` to a PostgreSQL URL to run against PostgreSQL instead; the database
must exist and is used as scratch space (migrated, loaded with the demo and the generated
learners, left for you to drop):

    createdb -h 127.0.0.1 -U postgres academy_bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/academy_bench \\
        .venv/bin/python bench/signed_in_pages.py
    dropdb -h 127.0.0.1 -U postgres academy_bench

The bench reports; it does not fail: it exits 0 when a page misses the target. ``--profile``
prints where the time goes (cProfile) for each page over the target.

Usage: python bench/signed_in_pages.py [--requests N] [--learners N] [--profile]
"""

import argparse
import cProfile
import gc
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 25.0
APPLICATIONS = 200
ORGANISATIONS = 150
FACILITATOR = "facilitator@academy.test"
LEARNER = "learner@academy.test"
PROGRAMME_MANAGER = "programme.manager@academy.test"
# Every generated person has an address on this domain, so a second run against the same
# PostgreSQL database can clear out the first run's people.
DOMAIN = "bench.academy.test"
ORGANISATION_PREFIX = "Bench organisation"


def configure(database_url: str, queue_dir: Path) -> None:
    """Django on the bench's own database, with tasks queued in a folder of its own (never the
    developer's queue, which a running worker would pick up)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "academy.settings.dev"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CELERY_QUEUE_DIR"] = str(queue_dir)
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_TASK_ALWAYS_EAGER", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- Data -----------------------------------------------------------------------------------


@dataclass
class Setting:
    cohort: object  # the running cohort, grown
    applications_cohort: object  # the upcoming cohort that takes applications
    lesson_url: str
    learners: int
    completions: int
    applications: int


def build(learners: int) -> Setting:
    from django.core.management import call_command

    from cohorts.models import Cohort

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    running = Cohort.objects.running().filter(facilitators__email=FACILITATOR).get()
    applications_cohort = (
        Cohort.objects.upcoming()
        .filter(facilitators__email=FACILITATOR, enrolment_mode=Cohort.EnrolmentMode.APPLICATION)
        .get()
    )
    return grow(running, applications_cohort, learners)


def grow(cohort, applications_cohort, total: int) -> Setting:
    """Bring ``cohort`` to ``total`` members and give ``applications_cohort`` its pending
    applications. Rows are written in bulk, as ``load_demo`` writes the demo's: nothing is
    emailed (``notified_status`` is set to the status) and the rules still hold (capacity,
    one live place per course, completions only for lessons of the course)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from academy.models import Organisation, Sector
    from cohorts.models import Enrolment, LessonCompletion
    from courses.selectors import course_lessons

    User = get_user_model()
    Status = Enrolment.Status
    rng = random.Random(total)
    now = timezone.now()
    start = timezone.make_aware(datetime.combine(cohort.start_date, datetime.min.time()))
    lessons = course_lessons(cohort.course)
    unusable = make_password(None)

    with transaction.atomic():
        User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
        Organisation.objects.filter(name__startswith=ORGANISATION_PREFIX).delete()
        sectors = list(Sector.objects.all())
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"{ORGANISATION_PREFIX} {n:03d}", sector=sectors[n % len(sectors)]
                )
                for n in range(ORGANISATIONS)
            ]
        )
        have = cohort.enrolments.members().count()
        new = max(0, total - have)
        if cohort.capacity < total:
            cohort.capacity = total
            cohort.save(update_fields=["capacity"])

        def person(kind: str, n: int):
            organisation = rng.choice(organisations)
            return User(
                email=f"{kind}{n:04d}@{DOMAIN}",
                display_name=f"{kind.capitalize()} {n:04d}",
                job_title=rng.choice(
                    ["Service manager", "Head of partnerships", "Programme lead", "Inspector"]
                ),
                organisation=organisation,
                sector=organisation.sector,
                password=unusable,
            )

        people = User.objects.bulk_create(
            [person("learner", n) for n in range(new)]
            + [person("applicant", n) for n in range(APPLICATIONS)],
            batch_size=500,
        )
        learners, applicants = people[:new], people[new:]

        enrolments, plans = [], []
        for learner in learners:
            joined = start - timedelta(days=rng.randint(3, 30), minutes=rng.randint(0, 600))
            if rng.random() < 0.03:  # a few have already finished the course
                done, status = len(lessons), Status.COMPLETED
            else:
                # Most are somewhere in the middle; some far behind, some nearly done.
                done = round(rng.triangular(0, len(lessons), len(lessons) / 2))
                status = Status.ACTIVE
            if done and rng.random() > 0.1:
                idle_days = rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 20])
                last = now - timedelta(days=idle_days, minutes=rng.randint(0, 900))
                last = max(last, start + timedelta(hours=1))
            else:  # nothing done yet, or idle since joining
                last = joined if not done else start + timedelta(days=rng.randint(1, 5))
            completed_at = last if status == Status.COMPLETED else None
            enrolments.append(
                Enrolment(
                    user=learner,
                    cohort=cohort,
                    course=cohort.course,
                    status=status,
                    created_at=joined,
                    activated_at=joined,
                    status_changed_at=completed_at or joined,
                    completed_at=completed_at,
                    last_activity_at=last,
                    notified_status=status,
                )
            )
            plans.append((done, start, last))
        for applicant in applicants:
            applied = now - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 900))
            enrolments.append(
                Enrolment(
                    user=applicant,
                    cohort=applications_cohort,
                    course=applications_cohort.course,
                    status=Status.APPLIED,
                    application_answer=_answer(rng),
                    created_at=applied,
                    status_changed_at=applied,
                    notified_status=Status.APPLIED,
                )
            )
        enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=500)
        completions = []
        # The learners' enrolments come first, in the order of ``plans``; then the applicants'.
        for enrolment, (done, first, last) in zip(enrolments, plans, strict=False):
            span = max(1.0, (last - first).total_seconds())
            for i, lesson in enumerate(lessons[:done]):
                when = first + timedelta(seconds=span * (i + 1) / (done + 1))
                completions.append(
                    LessonCompletion(enrolment=enrolment, lesson=lesson, completed_at=when)
                )
        LessonCompletion.objects.bulk_create(completions, batch_size=1000)

    lesson = lessons[len(lessons) // 2]
    return Setting(
        cohort=cohort,
        applications_cohort=applications_cohort,
        lesson_url=lesson.get_url(),
        learners=cohort.enrolments.members().count(),
        completions=LessonCompletion.objects.filter(enrolment__cohort=cohort).count(),
        applications=applications_cohort.enrolments.filter(status=Status.APPLIED).count(),
    )


SENTENCES = [
    "The same households meet five of our services in a month and none of us sees the whole.",
    "Our partnership meetings have become case reviews where everyone reports back.",
    "I want to agree one shared plan with the council, the NHS and the housing associations.",
    "Funding comes in twelve-month grants from several commissioners, each with its own form.",
    "I need to influence people I do not manage, which is the hardest part of my job.",
    "Delayed discharge is the problem everyone names and no one owns.",
    "I would like to come away with a joint referral route that every partner uses.",
    "We find out on the day when someone leaves hospital or prison with nowhere to go.",
]


def _answer(rng: random.Random) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(3, 6)))


# --- Measuring ------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    who: str
    path: str
    timings: list[float]  # seconds, sorted
    cpu: list[float]  # seconds of this process's CPU time per request
    queries: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.timings) * 1000

    @property
    def p95_ms(self) -> float:
        return self.timings[max(0, int(len(self.timings) * 0.95) - 1)] * 1000

    @property
    def max_ms(self) -> float:
        return self.timings[-1] * 1000

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu) * 1000


def fetch(client, path: str) -> int:
    """One GET, read to the last byte, as a server would send it; the status code."""
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def measure(name: str, who: str, client, path: str, requests: int, warm_up: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warm_up):  # sessions, site, content types and template caches
        status = fetch(client, path)
        if status != 200:
            raise SystemExit(f"GET {path} as {who} answered {status}")
    with CaptureQueriesContext(connection) as captured:
        fetch(client, path)
    queries = len(captured)  # now: the next request empties the connection's log
    gc.collect()
    timings, cpu = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        fetch(client, path)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return Result(name, who, path, sorted(timings), cpu, queries)


def profile(client, path: str, requests: int, lines: int = 30) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        fetch(client, path)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
    stats.print_stats(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warm-up", type=int, default=10, help="untimed requests per page")
    parser.add_argument("--learners", type=int, default=1000, help="members of the cohort")
    parser.add_argument(
        "--profile", action="store_true", help="profile each page whose p95 is over the target"
    )
    args = parser.parse_args()

    (ROOT / "var").mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-signed-in-", dir=ROOT / "var"))
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch / 'db.sqlite3'}"
    try:
        configure(database_url, scratch / "celery")
        run(args)
    finally:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(scratch, ignore_errors=True)


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    started = time.perf_counter()
    setting = build(args.learners)
    built_in = time.perf_counter() - started
    users = {
        user.email: user
        for user in get_user_model().objects.filter(
            email__in=(LEARNER, FACILITATOR, PROGRAMME_MANAGER)
        )
    }
    clients = {}
    for email, user in users.items():
        # "localhost" is an allowed host in every environment; "testserver" is not.
        clients[email] = Client(SERVER_NAME="localhost")
        clients[email].force_login(user)

    cohort, applications_cohort = setting.cohort, setting.applications_cohort
    dashboard = reverse("facilitate_cohort", args=[cohort.pk])
    pages = [
        ("My learning", LEARNER, reverse("my_learning")),
        ("Lesson page", LEARNER, setting.lesson_url),
        ("Cohort home", LEARNER, reverse("cohort_home", args=[cohort.pk])),
        ("Facilitator dashboard", FACILITATOR, dashboard),
        ("Dashboard sorted by progress", FACILITATOR, f"{dashboard}?sort=progress&dir=desc"),
        (
            "Applications queue",
            FACILITATOR,
            reverse("facilitate_applications", args=[applications_cohort.pk]),
        ),
        ("Learner CSV", FACILITATOR, reverse("facilitate_learners_csv", args=[cohort.pk])),
        ("Programme report", PROGRAMME_MANAGER, reverse("programme_report")),
    ]
    baseline = measure(
        "/healthz (baseline)", LEARNER, clients[LEARNER], "/healthz", args.requests, args.warm_up
    )
    results = [
        measure(name, who, clients[who], path, args.requests, args.warm_up)
        for name, who, path in pages
    ]

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\nSigned-in pages: server time in-process (Django test client, no HTTP server), "
        f"{connection.vendor}, {args.requests} requests each after {args.warm_up} to warm up, "
        f"one run; load average (1, 5, 15 min) at the end {load}, {os.cpu_count()} CPUs"
    )
    print(
        f"Data: {cohort.course.title}, {cohort.name}: {setting.learners:,} learners, "
        f"{setting.completions:,} lesson completions; {applications_cohort.name}: "
        f"{setting.applications} applications waiting (built in {built_in:.0f} s)\n"
    )
    header = (
        f"{'page':<30} {'as':<18} {'median ms':>9} {'p95 ms':>8} {'max ms':>8} "
        f"{'CPU ms':>7} {'queries':>7} {'x baseline':>10}  {'p95 <= 25 ms'}"
    )
    print(header)
    print("-" * len(header))
    base = baseline.median_ms
    for result in [baseline, *results]:
        verdict = "" if result is baseline else ("yes" if result.p95_ms <= TARGET_MS else "NO")
        print(
            f"{result.name:<30} {result.who.split('@')[0]:<18} {result.median_ms:>9.2f} "
            f"{result.p95_ms:>8.2f} {result.max_ms:>8.2f} {result.cpu_ms:>7.2f} "
            f"{result.queries:>7} {result.median_ms / base:>10.1f}  {verdict}"
        )
    print(
        "\nCPU ms: median CPU time of this process per request (with SQLite it includes the "
        "database's work; with PostgreSQL it does not). Queries: one request, counted."
    )
    missed = [result for result in results if result.p95_ms > TARGET_MS]
    print(
        f"\nTarget (QUALITY.md P2): signed-in pages p95 <= {TARGET_MS:.0f} ms server time with a "
        f"cohort of 1,000 learners (this run: {setting.learners:,}). "
        f"{len(results) - len(missed)} of {len(results)} pages meet it."
    )
    if missed and args.profile:
        for result in missed:
            print(f"\n--- Profile: {result.name} ({result.path}), 20 requests ---")
            profile(clients[result.who], result.path, 20)


if __name__ == "__main__":
    main()
