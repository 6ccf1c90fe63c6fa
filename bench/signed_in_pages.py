"""`make bench`: signed-in pages on PostgreSQL at two sizes (docs/quality.md, P2).

Two sizes, measured one after the other in one run and printed side by side:

* **cohort**: the demo academy (``load_demo``) with its running cohort grown to 1,000 learners
  (organisations, sectors, progress and last activity spread as in life) and 200 applications
  waiting on the upcoming cohort that takes applications;
* **national**: the same, grown to national scale in bulk: 100,000 people in 2,000 organisations,
  2,000 cohorts of the demo's courses (finished over five years, running, starting soon, a few
  cancelled) holding about 1,000,000 lesson completions. The demo's learner, facilitator and
  programme manager are among them: the facilitator runs dozens of cohorts, the programme
  manager sees all 2,000.

Each page is requested in-process through Django's test client, signed in as the person who uses
it, and timed from the request going in to the last byte of the response: server time, with no
network or HTTP server in the way. A trivial view (``/healthz``) is timed the same way at each
size as the baseline. After a warm-up the pages are taken in turn, one request each a round, so
that whatever else the machine is doing falls on all of them alike; each gets ``--requests``
timed requests, or as many as fit in ``--seconds``. The bench reports; it does not fail: it
exits 0 when a page misses.

Where the data lives:

* ``BENCH_DATABASE_URL``: that database (it must exist), migrated and filled, left in place.
* otherwise, when the PostgreSQL server at ``BENCH_POSTGRES_URL`` (default
  ``postgres://postgres@127.0.0.1:5432/postgres``) answers, a scratch database
  ``academy_bench_<pid>`` created there and dropped at the end;
* otherwise SQLite, in a temporary file under ``var/``, with a warning: P2 is measured on
  PostgreSQL.

``--keep [NAME]`` builds into the database NAME (default ``academy_bench_national``) on that server
and keeps it. A later run with the same ``--keep`` finds the national data already there (built in
the last week) and measures it at once, without generating it again; the cohort size is then
measured in a scratch database of its own. ``BENCH_DATABASE_URL`` pointing at such a database does
the same.

``--profile`` prints where the time goes (cProfile) for each page that misses the target;
``--explain`` prints the slowest queries of one request of each such page with PostgreSQL's
``EXPLAIN ANALYZE``.

The bench reads the application only through its models, ``courses.selectors.course_lessons``,
``manage.py migrate`` and ``load_demo`` and URL names, so it measures whatever the views do.

Usage: python bench/signed_in_pages.py [--sizes cohort national] [--keep [NAME]]
       [--requests N] [--seconds S] [--scale F] [--profile] [--explain]
"""

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 25.0
SIZES = ("cohort", "national")
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
KEPT_DATABASE = "academy_bench_national"
# National data older than this is built again: cohorts run, finish and start by the calendar.
KEEP_DAYS = 7

FACILITATOR = "facilitator@academy.test"
LEARNER = "learner@academy.test"
PROGRAMME_MANAGER = "programme.manager@academy.test"
# Every generated person has an address on this domain.
DOMAIN = "bench.academy.test"
ORGANISATION_PREFIX = "Bench organisation"

# The cohort size.
COHORT_LEARNERS = 1_000
APPLICATIONS = 200
ORGANISATIONS = 150

# National scale.
NATIONAL_PEOPLE = 100_000
NATIONAL_COHORTS = 2_000
NATIONAL_COMPLETIONS = 1_000_000
NATIONAL_ORGANISATIONS = 2_000
NATIONAL_FACILITATORS = 400
FACILITATOR_COHORTS = 40  # national cohorts the demo's facilitator runs, besides the demo's


# --- Databases (the parent process) ---------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _server_answers(url: str) -> str | None:
    """None when the PostgreSQL server at ``url`` answers; otherwise why not."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return None
    except Exception as error:  # any failure means "not reachable"
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _admin(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _exists(url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres")) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def build_key(size: str, scale: float) -> str:
    """The name a build is recorded under: national data at another scale is another build."""
    return size if size == "cohort" or scale == 1 else f"{size} x{scale:g}"


def _national_built_on(url: str, scale: float) -> date | None:
    """The day the national data in the database at ``url`` was built, if it was."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            row = connection.execute(
                "SELECT built_on FROM bench_build WHERE size = %s", [build_key("national", scale)]
            ).fetchone()
    except Exception:
        return None
    return row[0] if row else None


@dataclass
class Plan:
    size: str
    database_url: str
    note: str


def plan_databases(args, scratch: Path, created: list[str]) -> tuple[list[Plan], str]:
    """Where each size is measured, creating the databases that are needed. Returns the plans
    and a line that says where the data lives. Names of scratch databases are added to
    ``created`` (the caller drops them)."""
    given = os.environ.get("BENCH_DATABASE_URL")
    server = given or os.environ.get("BENCH_POSTGRES_URL") or DEFAULT_SERVER
    if given and not given.startswith(("postgres://", "postgresql://")):
        plans = [Plan(size, given, "BENCH_DATABASE_URL, left in place") for size in args.sizes]
        return plans, f"{given} (BENCH_DATABASE_URL, not PostgreSQL: P2 is not measured here)"
    problem = _server_answers(_with_database(server, "postgres"))
    if problem is not None:
        if given:
            raise SystemExit(f"BENCH_DATABASE_URL does not answer: {problem}")
        url = f"sqlite:///{scratch / 'db.sqlite3'}"
        warning = (
            f"No PostgreSQL server answers at {_with_database(server, 'postgres')} ({problem}).\n"
            "Measuring on SQLite instead, in a temporary file: docs/quality.md's P2 is measured on "
            "PostgreSQL, so these figures do not count for it. Start PostgreSQL, or set "
            "BENCH_DATABASE_URL, to measure P2."
        )
        print(warning, flush=True)
        return [Plan(size, url, "SQLite, temporary") for size in args.sizes], "SQLite (temporary)"

    def scratch_database(label: str) -> str:
        name = f"academy_bench_{label}{os.getpid()}"
        _admin(server, f'CREATE DATABASE "{name}"')
        created.append(name)
        return _with_database(server, name)

    if given:
        target, how = given, "BENCH_DATABASE_URL, left in place"
    elif args.keep:
        if not _exists(server, args.keep):
            _admin(server, f'CREATE DATABASE "{args.keep}"')
        target, how = _with_database(server, args.keep), "kept for the next run"
    else:
        target, how = scratch_database(""), "scratch, dropped at the end"
    built_on = _national_built_on(target, args.scale)
    if built_on is not None and (date.today() - built_on).days > KEEP_DAYS:
        if not args.keep or given:
            raise SystemExit(
                f"{_database_name(target)} holds national data built on {built_on}, more than "
                f"{KEEP_DAYS} days ago: drop it (dropdb {_database_name(target)}) and run again."
            )
        print(f"The national data in {args.keep} was built on {built_on}: building it again.")
        _admin(
            server, f'DROP DATABASE "{args.keep}" WITH (FORCE)', f'CREATE DATABASE "{args.keep}"'
        )
        built_on = None
    plans = []
    where = f"PostgreSQL, database {_database_name(target)} ({how})"
    for size in args.sizes:
        if size == "cohort" and built_on is not None:
            # The kept database already holds national data: the cohort size needs its own.
            url = scratch_database("cohort_")
            plans.append(Plan(size, url, f"scratch database {_database_name(url)}"))
            where += f"; the cohort size in {_database_name(url)} (scratch, dropped at the end)"
        else:
            plans.append(Plan(size, target, _database_name(target)))
    return plans, where


# --- Django (the child processes) -----------------------------------------------------------


def configure(database_url: str, queue_dir: Path) -> None:
    """Django on the bench's own database, with the local-memory cache and tasks queued in a
    folder of the bench's own (never the developer's queue, which a running worker would pick
    up, nor Redis)."""
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


def _build_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_build "
            "(size varchar(20) PRIMARY KEY, built_on date NOT NULL, seconds real NOT NULL, "
            "description text NOT NULL)"
        )


def _built(size: str) -> tuple[date, float, str] | None:
    from django.db import connection

    _build_table()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT built_on, seconds, description FROM bench_build WHERE size = %s", [size]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    built_on = row[0] if isinstance(row[0], date) else date.fromisoformat(row[0])
    return built_on, row[1], row[2]


def _mark_built(size: str, seconds: float, description: str) -> None:
    from django.db import connection

    _build_table()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_build WHERE size = %s", [size])
        cursor.execute(
            "INSERT INTO bench_build (size, built_on, seconds, description) "
            "VALUES (%s, %s, %s, %s)",
            [size, date.today().isoformat(), seconds, description],
        )


def write_rows(model, names: list[str], rows) -> int:
    """Insert ``rows`` (tuples of values for the fields named, by attribute name) into
    ``model``'s table in bulk: COPY on PostgreSQL, batched ``executemany`` elsewhere. Fields not
    named take their default, so a field added to a model later does not break the bench unless
    it has none."""
    from django.db import connection
    from django.utils import timezone

    fields = list(model._meta.concrete_fields)
    index = {name: i for i, name in enumerate(names)}
    unknown = set(names) - {field.attname for field in fields}
    if unknown:
        raise SystemExit(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    now = timezone.now()
    constants = {}
    for field in fields:
        if field.attname in index:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()  # "" for text without a default, else None
        if value is None and not field.null:
            raise SystemExit(
                f"The bench does not know what to write in {model.__name__}.{field.name}: "
                "add it to bench/signed_in_pages.py"
            )
        constants[field.attname] = value
    order = [(field.attname in index, index.get(field.attname), field) for field in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg adapts Python values itself; constants are prepared once.
            prepared = {
                name: field.get_db_prep_save(constants[name], connection)
                for name, field in ((f.attname, f) for f in fields)
                if name in constants
            }
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [row[i] if named else prepared[f.attname] for named, i, f in order]
                    )
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(fields))
        # Quoted names from the model's own metadata; every value is a parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        batch = []
        for row in rows:
            batch.append(
                [
                    f.get_db_prep_save(row[i] if named else constants[f.attname], connection)
                    for named, i, f in order
                ]
            )
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _reset_sequences(*models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def _analyse(*models) -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map) for tables just
    filled, as a database that has been running for a while would have."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            if connection.vendor == "postgresql":
                cursor.execute(f"VACUUM ANALYZE {table}")
            else:
                cursor.execute(f"ANALYZE {table}")


FIRST_NAMES = ("Aisha", "Ben", "Chloe", "Dev", "Emma", "Faisal", "Grace", "Harpreet", "Imran")
FIRST_NAMES += ("Jane", "Kwame", "Laura", "Mohammed", "Nadia", "Olu", "Priya", "Ruth", "Sean")
FIRST_NAMES += ("Sian", "Tariq", "Una", "Victoria", "Wei", "Yasmin", "Zoe", "Owen", "Lucy")
SURNAMES = ("Adams", "Ahmed", "Begum", "Brown", "Campbell", "Chen", "Davies", "Evans", "Green")
SURNAMES += ("Hughes", "Hussain", "Jones", "Kaur", "Khan", "Lewis", "Martin", "Nguyen", "Okafor")
SURNAMES += ("Patel", "Roberts", "Shah", "Singh", "Smith", "Taylor", "Walker", "Wilson", "Wright")
JOB_TITLES = (
    "Service manager",
    "Head of partnerships",
    "Programme lead",
    "Inspector",
    "Team leader",
    "Commissioning manager",
    "Senior social worker",
    "Locality manager",
    "Housing officer",
    "Public health specialist",
    "Station manager",
    "Policy adviser",
    "Operations director",
    "Ward manager",
    "",
)


# --- The cohort size ------------------------------------------------------------------------


def build_cohort_size() -> str:
    """The demo, its running cohort grown to 1,000 learners and 200 applications waiting on the
    upcoming cohort that takes applications. Returns what was built, in words."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from academy.models import Organisation
    from cohorts.models import Cohort, Enrolment, LessonCompletion

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    running = Cohort.objects.running().filter(facilitators__email=FACILITATOR).get()
    applications_cohort = (
        Cohort.objects.upcoming()
        .filter(facilitators__email=FACILITATOR, enrolment_mode=Cohort.EnrolmentMode.APPLICATION)
        .get()
    )
    grow(running, applications_cohort, COHORT_LEARNERS)
    _analyse(Organisation, get_user_model(), Cohort, Enrolment, LessonCompletion)
    return describe("cohort")


def grow(cohort, applications_cohort, total: int) -> None:
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
    from cohorts.selectors.places import places_taken_count
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
        have = cohort.enrolments.aggregate(n=places_taken_count())["n"]  # after the deletes
        new = max(0, total - have)
        if cohort.capacity < total:
            cohort.capacity = total
            cohort.save(update_fields=["capacity"])

        def person(kind: str, n: int):
            organisation = rng.choice(organisations)
            return User(
                email=f"{kind}{n:04d}@{DOMAIN}",
                display_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                job_title=rng.choice(JOB_TITLES),
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


# --- National scale -------------------------------------------------------------------------


@dataclass
class CohortPlan:
    course_id: int
    lessons: list  # (pk, required) in course order
    status: str  # finished, running, upcoming, cancelled
    start: date
    end: date
    by_application: bool
    weight: float
    size: int = 0
    pk: int = 0


def _expected_done(plan: CohortPlan, today: date) -> float:
    """Lesson completions one member of the cohort is expected to have (see ``_member``)."""
    lessons = len(plan.lessons)
    if plan.status == "finished":
        return 0.7 * lessons * 0.95 + 0.1 * lessons / 4 + 0.2 * lessons * 0.53
    if plan.status == "running":
        elapsed = (today - plan.start).days / max(1, (plan.end - plan.start).days)
        return 0.95 * lessons * min(1.0, (0.0 + 1.0 + elapsed) / 3 * 1.2)
    return 0.0


def plan_national_cohorts(
    rng: random.Random, courses, count: int, today: date, completions: int
) -> list:
    """``count`` cohorts of ``courses`` (pk, lessons): most finished over the last five years,
    some running now, some starting in the next six months, a few cancelled; more of the first
    course (the academy's flagship) than of the others; sizes spread around a mean chosen so
    that the completions come to about NATIONAL_COMPLETIONS."""
    weights = [1 / (i + 1.5) for i in range(len(courses))]
    plans = []
    for _ in range(count):
        course_id, lessons = rng.choices(courses, weights)[0]
        length = rng.choice([42, 49, 56, 63, 70, 84])
        status = rng.choices(
            ["finished", "running", "upcoming", "cancelled"], [0.74, 0.12, 0.12, 0.02]
        )[0]
        if status == "finished":
            start = today - timedelta(days=rng.randint(length + 1, 5 * 365))
        elif status == "running":
            start = today - timedelta(days=rng.randint(0, length - 1))
        elif status == "upcoming":
            start = today + timedelta(days=rng.randint(1, 180))
        else:
            start = today + timedelta(days=rng.randint(-3 * 365, 120))
        plans.append(
            CohortPlan(
                course_id=course_id,
                lessons=lessons,
                status=status,
                start=start,
                end=start + timedelta(days=length),
                by_application=rng.random() < 0.3,
                weight=rng.lognormvariate(0, 0.45),
            )
        )
    wanted = completions
    expected = sum(plan.weight * _expected_done(plan, today) for plan in plans)
    scale = wanted / expected if expected else 0
    for plan in plans:
        plan.size = max(8, min(300, round(plan.weight * scale)))
    return plans


def _member(rng: random.Random, plan: CohortPlan, today: date, now: datetime, tz):
    """One enrolment on the cohort ``plan``: (status, created, activated, completed,
    last activity, lessons done (pks), first and last moment of work)."""

    def moment(day: date, earliest: datetime | None = None) -> datetime:
        value = datetime.combine(day, datetime.min.time(), tz) + timedelta(
            minutes=rng.randint(8 * 60, 18 * 60)
        )
        return max(value, earliest) if earliest else value

    start = datetime.combine(plan.start, datetime.min.time(), tz)
    joined = moment(plan.start - timedelta(days=rng.randint(3, 40)))
    lessons = plan.lessons
    if plan.status == "cancelled":
        return "withdrawn", joined, joined, None, None, [], start, start
    if plan.status == "upcoming":
        if plan.by_application:
            status = rng.choices(["applied", "active", "waitlisted", "declined"], [50, 40, 5, 5])[0]
        else:
            status = rng.choices(["active", "withdrawn"], [95, 5])[0]
        joined = min(joined, now - timedelta(minutes=rng.randint(5, 60 * 24 * 30)))
        activated = joined if status in ("active", "withdrawn") else None
        return status, joined, activated, None, None, [], start, start
    length = (plan.end - plan.start).days
    if plan.status == "finished":
        status = rng.choices(["completed", "withdrawn", "active"], [70, 10, 20])[0]
        if status == "completed":
            done = [pk for pk, required in lessons if required or rng.random() < 0.6]
        elif status == "withdrawn":
            done = [pk for pk, _ in lessons[: rng.randint(0, len(lessons) // 2)]]
        else:  # never finished: where they stopped
            done = [
                pk
                for pk, _ in lessons[: round(rng.triangular(0, len(lessons), 0.6 * len(lessons)))]
            ]
        last = moment(plan.start + timedelta(days=rng.randint(7, length)), start)
        completed = last if status == "completed" else None
        return status, joined, joined, completed, last if done else joined, done, start, last
    # Running: progress spreads around how far the cohort has come; some have stopped.
    elapsed = (today - plan.start).days / max(1, length)
    status = rng.choices(["active", "withdrawn", "completed"], [94, 5, 1 if elapsed > 0.5 else 0])[
        0
    ]
    if status == "completed":
        done = [pk for pk, _ in lessons]
    else:
        share = min(1.0, rng.triangular(0, 1, elapsed) * 1.2)
        done = [pk for pk, _ in lessons[: round(share * len(lessons))]]
    idle = rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 20, 30])
    last = max(now - timedelta(days=idle, minutes=rng.randint(0, 900)), start + timedelta(hours=1))
    completed = last if status == "completed" else None
    return status, joined, joined, completed, last if done else joined, done, start, last


def build_national_scale(scale: float = 1.0) -> str:
    """Grow the cohort-size data to national scale (times ``scale``), in bulk. Returns what
    was built, in words."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from academy import roles
    from academy.models import Organisation, Sector
    from cohorts.models import Cohort, Enrolment, LessonCompletion
    from courses.models import CoursePage
    from courses.selectors import course_lessons

    User = get_user_model()
    rng = random.Random(NATIONAL_PEOPLE)
    people_wanted = round(NATIONAL_PEOPLE * scale)
    cohorts_wanted = round(NATIONAL_COHORTS * scale)
    organisations_wanted = max(ORGANISATIONS, round(NATIONAL_ORGANISATIONS * scale))
    facilitators_wanted = max(20, round(NATIONAL_FACILITATORS * scale))
    today, now = timezone.localdate(), timezone.now()
    tz = timezone.get_current_timezone()
    unusable = make_password(None)
    courses = []
    for course in CoursePage.objects.live().order_by("path"):
        lessons = [(lesson.pk, lesson.required_for_completion) for lesson in course_lessons(course)]
        if lessons:
            courses.append((course.pk, lessons))

    def next_id(model) -> int:
        return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    with transaction.atomic():
        # Organisations of every size: a few large (an NHS trust, a county council), many small.
        sectors = list(Sector.objects.all())
        have = Organisation.objects.count()
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"{ORGANISATION_PREFIX} {n:04d}", sector=sectors[n % len(sectors)]
                )
                for n in range(max(0, organisations_wanted - have))
            ],
            batch_size=1000,
        )
        organisations = list(Organisation.objects.values_list("pk", "sector_id"))
        rng.shuffle(organisations)
        organisation_weights = [1 / (rank + 5) for rank in range(len(organisations))]

        # People.
        first_person = next_id(User)
        count = max(0, people_wanted - User.objects.count())
        employers = rng.choices(organisations, organisation_weights, k=count)

        def people():
            for n, (organisation_id, sector_id) in enumerate(employers):
                joined = now - timedelta(days=rng.randint(0, 5 * 365), minutes=rng.randint(0, 1440))
                seen = now - timedelta(days=rng.randint(0, 200)) if rng.random() < 0.7 else None
                yield (
                    first_person + n,
                    f"person{n:06d}@{DOMAIN}",
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                    rng.choice(JOB_TITLES),
                    organisation_id,
                    sector_id,
                    unusable,
                    joined,
                    max(seen, joined) if seen else None,
                    True,
                )

        write_rows(
            User,
            [
                "id",
                "email",
                "display_name",
                "job_title",
                "organisation_id",
                "sector_id",
                "password",
                "date_joined",
                "last_login",
                "is_active",
            ],
            people(),
        )
        _reset_sequences(User)
        new_people = list(range(first_person, first_person + count))
        facilitators = new_people[:facilitators_wanted]
        learners = new_people[facilitators_wanted:]
        group = Group.objects.get(name=roles.FACILITATORS)
        Membership = User.groups.through
        Membership.objects.bulk_create(
            [Membership(user_id=pk, group_id=group.pk) for pk in facilitators], batch_size=1000
        )

        # Cohorts, and who runs them.
        plans = plan_national_cohorts(
            rng,
            courses,
            max(0, cohorts_wanted - Cohort.objects.count()),
            today,
            round(NATIONAL_COMPLETIONS * scale),
        )
        numbers = {}
        cohorts = []
        for plan in sorted(plans, key=lambda plan: plan.start):
            numbers[plan.course_id] = numbers.get(plan.course_id, 100) + 1
            cohorts.append(
                Cohort(
                    course_id=plan.course_id,
                    name=f"Cohort {numbers[plan.course_id]}",
                    start_date=plan.start,
                    end_date=plan.end,
                    capacity=plan.size + rng.randint(0, 10),
                    enrolment_mode=(
                        Cohort.EnrolmentMode.APPLICATION
                        if plan.by_application
                        else Cohort.EnrolmentMode.OPEN
                    ),
                    application_question="What would you like to change in your place?"
                    if plan.by_application
                    else "",
                    cancelled=plan.status == "cancelled",
                )
            )
        plans.sort(key=lambda plan: plan.start)
        cohorts = Cohort.objects.bulk_create(cohorts, batch_size=1000)
        for plan, cohort in zip(plans, cohorts, strict=True):
            plan.pk = cohort.pk
        lead = User.objects.get(email=FACILITATOR)
        Running = Cohort.facilitators.through
        runs = []
        for plan in plans:
            for person in rng.sample(facilitators, rng.choice([1, 1, 2])):
                runs.append(Running(cohort_id=plan.pk, user_id=person))
        flagship = [plan for plan in plans if plan.course_id == courses[0][0]]
        for plan in rng.sample(flagship, min(FACILITATOR_COHORTS, len(flagship))):
            runs.append(Running(cohort_id=plan.pk, user_id=lead.pk))
        Running.objects.bulk_create(runs, batch_size=1000, ignore_conflicts=True)

        # Places: nobody holds two places on one course, so the database's rules hold.
        pools = {}
        for course_id, _ in courses:
            pool = learners[:]
            rng.shuffle(pool)
            pools[course_id] = pool
        first_enrolment = next_id(Enrolment)
        work = []  # (enrolment id, lesson pks done, first moment, last moment)

        def enrolments():
            pk = first_enrolment
            for plan in plans:
                pool = pools[plan.course_id]
                for _ in range(plan.size):
                    if not pool:
                        break
                    person = pool.pop()
                    status, joined, activated, completed, last, done, first, end = _member(
                        rng, plan, today, now, tz
                    )
                    decided = plan.by_application and status in ("active", "declined")
                    changed = completed or (last if status == "withdrawn" else activated) or joined
                    yield (
                        pk,
                        person,
                        plan.pk,
                        plan.course_id,
                        status,
                        _answer(rng) if plan.by_application else "",
                        joined,
                        changed,
                        joined if status == "waitlisted" else None,
                        activated,
                        completed,
                        rng.choice(facilitators) if decided else None,
                        joined + timedelta(days=rng.randint(1, 5)) if decided else None,
                        last,
                        status,
                    )
                    if done:
                        work.append((pk, done, first, end))
                    pk += 1

        write_rows(
            Enrolment,
            [
                "id",
                "user_id",
                "cohort_id",
                "course_id",
                "status",
                "application_answer",
                "created_at",
                "status_changed_at",
                "waitlisted_at",
                "activated_at",
                "completed_at",
                "decided_by_id",
                "decided_at",
                "last_activity_at",
                "notified_status",
            ],
            enrolments(),
        )
        first_completion = next_id(LessonCompletion)

        def completions():
            pk = first_completion
            for enrolment_id, done, first, last in work:
                span = max(60.0, (last - first).total_seconds())
                for i, lesson_id in enumerate(done):
                    yield (
                        pk,
                        enrolment_id,
                        lesson_id,
                        first + timedelta(seconds=span * (i + 1) / (len(done) + 1)),
                    )
                    pk += 1

        write_rows(
            LessonCompletion, ["id", "enrolment_id", "lesson_id", "completed_at"], completions()
        )
        _reset_sequences(Enrolment, LessonCompletion)
    _analyse(Organisation, User, Membership, Cohort, Running, Enrolment, LessonCompletion)
    return describe("national")


def describe(size: str) -> str:
    from django.contrib.auth import get_user_model

    from cohorts.models import Cohort, Enrolment, LessonCompletion

    setting = find_setting()
    if size == "cohort":
        return (
            f"the demo; {setting.cohort.name} of {setting.cohort.course.title} grown to "
            f"{setting.learners:,} learners ({setting.completions:,} lesson completions); "
            f"{setting.applications_cohort.name}: {setting.applications} applications waiting"
        )
    cohorts = Cohort.objects.all()
    statuses = {"running": 0, "upcoming": 0, "finished": 0, "cancelled": 0}
    for cohort in cohorts.only("start_date", "end_date", "cancelled"):
        statuses[cohort.status] += 1
    return (
        f"{get_user_model().objects.count():,} people; {cohorts.count():,} cohorts "
        f"({', '.join(f'{n:,} {status}' for status, n in statuses.items())}); "
        f"{Enrolment.objects.count():,} enrolments; "
        f"{LessonCompletion.objects.count():,} lesson completions; "
        f"{setting.cohort.name}: {setting.learners:,} learners, "
        f"{setting.applications_cohort.name}: {setting.applications} applications"
    )


# --- What is measured -----------------------------------------------------------------------


@dataclass
class Setting:
    cohort: object  # the facilitator's largest running cohort
    applications_cohort: object  # their upcoming cohort with the most applications
    lesson_url: str
    learners: int
    completions: int
    applications: int


def find_setting() -> Setting:
    from django.db.models import Count, Q

    from cohorts.models import Cohort, Enrolment, LessonCompletion
    from cohorts.selectors.places import places_taken, with_places_taken
    from courses.selectors import course_lessons

    Status = Enrolment.Status
    cohort = (
        with_places_taken(Cohort.objects.running().filter(facilitators__email=FACILITATOR))
        .select_related("course")
        .order_by("-places_taken", "pk")
        .first()
    )
    applications_cohort = (
        Cohort.objects.upcoming()
        .filter(facilitators__email=FACILITATOR, enrolment_mode=Cohort.EnrolmentMode.APPLICATION)
        .annotate(n=Count("enrolments", filter=Q(enrolments__status=Status.APPLIED)))
        .order_by("-n", "pk")
        .first()
    )
    if cohort is None or applications_cohort is None:
        raise SystemExit("The bench found no running cohort or no applications: build again.")
    lessons = course_lessons(cohort.course)
    return Setting(
        cohort=cohort,
        applications_cohort=applications_cohort,
        lesson_url=lessons[len(lessons) // 2].get_url(),
        learners=places_taken(cohort),
        completions=LessonCompletion.objects.filter(enrolment__cohort=cohort).count(),
        applications=applications_cohort.enrolments.filter(status=Status.APPLIED).count(),
    )


def pages(setting: Setting) -> list[tuple[str, str, str]]:
    """(name, who, path) of every page measured, signed in as the person who uses it."""
    from django.urls import reverse

    cohort, applications_cohort = setting.cohort, setting.applications_cohort
    dashboard = reverse("facilitate_cohort", args=[cohort.pk])
    return [
        ("My learning", LEARNER, reverse("my_learning")),
        ("Lesson page", LEARNER, setting.lesson_url),
        ("Cohort home", LEARNER, reverse("cohort_home", args=[cohort.pk])),
        ("Facilitator dashboard", FACILITATOR, dashboard),
        ("Dashboard by progress", FACILITATOR, f"{dashboard}?sort=progress&dir=desc"),
        (
            "Dashboard by progress, page 15",
            FACILITATOR,
            f"{dashboard}?sort=progress&dir=desc&page=15",
        ),
        (
            "Applications queue",
            FACILITATOR,
            reverse("facilitate_applications", args=[applications_cohort.pk]),
        ),
        ("Learner CSV", FACILITATOR, reverse("facilitate_learners_csv", args=[cohort.pk])),
        ("Programme report", PROGRAMME_MANAGER, reverse("programme_report")),
        ("Facilitator index", PROGRAMME_MANAGER, reverse("facilitate")),
    ]


@dataclass
class Result:
    name: str
    who: str
    path: str
    timings: list[float]  # milliseconds, sorted
    cpu_ms: float  # median CPU time of this process per request
    queries: int

    @property
    def p50(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        return self.timings[max(0, int(len(self.timings) * 0.95 + 0.5) - 1)]


def fetch(client, path: str) -> int:
    """One GET, read to the last byte, as a server would send it; the status code."""
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


@dataclass
class Timed:
    name: str
    who: str
    client: object
    path: str
    queries: int = 0
    spent: float = 0.0  # seconds of timed requests so far
    done: bool = False

    def __post_init__(self):
        self.timings: list[float] = []
        self.cpu: list[float] = []


def measure(pages: list[Timed], requests: int, seconds: float, warm_up: int) -> list[Result]:
    """Time every page, taking them in turn, one request each a round, so that whatever else
    the machine is doing falls on all of them alike. A page stops after ``requests`` timed
    requests, or once it has used ``seconds`` (with 20 requests at least, unless it is so slow
    that it has used three times that: a few requests then show by how much it misses)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for page in pages:
        started = time.perf_counter()
        for n in range(warm_up):  # sessions, site, content types, template and page caches
            status = fetch(page.client, page.path)
            if status != 200:
                raise SystemExit(f"GET {page.path} as {page.who} answered {status}")
            if n and time.perf_counter() - started > seconds / 4:
                break
        with CaptureQueriesContext(connection) as captured:
            fetch(page.client, page.path)
        page.queries = len(captured)
    gc.collect()
    while not all(page.done for page in pages):
        for page in pages:
            if page.done:
                continue
            began, cpu_began = time.perf_counter(), time.process_time()
            fetch(page.client, page.path)
            elapsed = time.perf_counter() - began
            page.timings.append(elapsed * 1000)
            page.cpu.append((time.process_time() - cpu_began) * 1000)
            page.spent += elapsed
            page.done = len(page.timings) >= requests or (
                page.spent > seconds and (len(page.timings) >= 20 or page.spent > 3 * seconds)
            )
    return [
        Result(p.name, p.who, p.path, sorted(p.timings), statistics.median(p.cpu), p.queries)
        for p in pages
    ]


def profile(client, path: str, requests: int = 10, lines: int = 35) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        fetch(client, path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(lines)
    print(out.getvalue())


def explain(client, path: str, slowest: int = 3) -> None:
    """The slowest queries of one request, with their plans (PostgreSQL: EXPLAIN ANALYZE)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch(client, path)
    timed = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    total = sum(float(q["time"]) for q in timed) * 1000
    print(f"{len(timed)} queries, {total:.1f} ms in the database driver; the slowest:")
    for query in timed[:slowest]:
        sql = query["sql"]
        print(
            f"\n[{float(query['time']) * 1000:.1f} ms] {sql[:600]}{' …' if len(sql) > 600 else ''}"
        )
        if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = [row[0] for row in cursor.fetchall()]
        print("\n".join(f"    {line}" for line in plan[:40]))


def run_size(args) -> dict:
    """One size, in this process: build (or find) the data, then measure every page."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    size = args.phase
    key = build_key(size, args.scale)
    built = _built(key)
    reused = built is not None and (date.today() - built[0]).days <= KEEP_DAYS
    if reused:
        from django.core.management import call_command

        # The data stays; migrations that came since (new indexes, say) are applied to it.
        call_command("migrate", interactive=False, verbosity=0)
        built_on, seconds, description = built
        print(f"[{size}] reusing the data built on {built_on}", flush=True)
    else:
        built_on = date.today()
        if size == "cohort" or _built("cohort") is None:
            print(f"[{size}] loading the demo and growing a cohort to 1,000 learners…", flush=True)
            started = time.perf_counter()
            description = build_cohort_size()
            seconds = time.perf_counter() - started
            _mark_built("cohort", seconds, description)
            print(f"[{size}] built in {seconds:.0f} s: {description}", flush=True)
        if size == "national":
            print("[national] generating national-scale data in bulk…", flush=True)
            started = time.perf_counter()
            description = build_national_scale(args.scale)
            seconds = time.perf_counter() - started
            _mark_built(key, seconds, description)
            print(f"[national] generated in {seconds:.0f} s: {description}", flush=True)

    setting = find_setting()
    users = get_user_model().objects.filter(email__in=(LEARNER, FACILITATOR, PROGRAMME_MANAGER))
    clients = {}
    for user in users:
        # "localhost" is an allowed host in every environment; "testserver" is not.
        clients[user.email] = Client(SERVER_NAME="localhost")
        clients[user.email].force_login(user)
    print(f"[{size}] measuring…", flush=True)
    baseline, *results = measure(
        [
            Timed("/healthz (baseline)", LEARNER, clients[LEARNER], "/healthz"),
            *(Timed(name, who, clients[who], path) for name, who, path in pages(setting)),
        ],
        args.requests,
        args.seconds,
        args.warm_up,
    )
    for result in results:
        print(
            f"[{size}] {result.name}: p50 {result.p50:.1f} ms, p95 {result.p95:.1f} ms, "
            f"{result.queries} queries, {len(result.timings)} requests",
            flush=True,
        )
    missed = [result for result in results if result.p95 > TARGET_MS]
    for result in missed if (args.profile or args.explain) else []:
        print(f"\n--- [{size}] {result.name} ({result.path}) as {result.who} ---")
        if args.explain:
            explain(clients[result.who], result.path)
        if args.profile:
            profile(clients[result.who], result.path)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            vendor = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            vendor = connection.vendor
    return {
        "size": size,
        "vendor": vendor,
        "database": connection.settings_dict["NAME"],
        "description": description,
        "built_on": built_on.isoformat(),
        "build_seconds": seconds,
        "reused": reused,
        "baseline": asdict(baseline),
        "results": [asdict(result) for result in results],
    }


# --- The report -----------------------------------------------------------------------------


def report(runs: list[dict], where: str, load_before: str, requested: int) -> None:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    first = runs[0]
    print(
        f"\nSigned-in pages: server time in-process (Django test client, no HTTP server), "
        f"{first['vendor']}, {os.cpu_count()} CPUs; load average (1, 5, 15 min) "
        f"{load_before} at the start, {load} at the end."
    )
    print(f"Data: {where}")
    for run in runs:
        how = (
            f"reused, built on {run['built_on']} in {run['build_seconds']:.0f} s"
            if run["reused"]
            else f"built in {run['build_seconds']:.0f} s"
        )
        label = "1,000-learner cohort" if run["size"] == "cohort" else "national scale"
        print(f"  {label}: {run['description']} ({how})")

    sizes = [run["size"] for run in runs]
    names = [result["name"] for result in runs[0]["results"]]
    by_size = {run["size"]: {result["name"]: result for result in run["results"]} for run in runs}
    baselines = {run["size"]: run["baseline"] for run in runs}
    column = f"{'p50':>7} {'p95':>7} {'CPU':>6} {'q':>4} {'x base':>7} {'P2':>4}"
    headings = {"cohort": "1,000-learner cohort", "national": "national scale"}
    print()
    print(f"{'':<31} {'':<17}" + "".join(f" | {headings[s]:<{len(column)}}" for s in sizes))
    print(f"{'page':<31} {'as':<17}" + "".join(f" | {column}" for _ in sizes))
    print("-" * (49 + (len(column) + 3) * len(sizes)))

    def cells(result: dict, base: float, verdict: bool) -> str:
        timings = result["timings"]
        p50 = statistics.median(timings)
        p95 = timings[max(0, int(len(timings) * 0.95 + 0.5) - 1)]
        mark = ("PASS" if p95 <= TARGET_MS else "MISS") if verdict else ""
        return (
            f" | {p50:>7.1f} {p95:>7.1f} {result['cpu_ms']:>6.1f} {result['queries']:>4} "
            f"{p50 / base:>7.1f} {mark:>4}"
        )

    medians = {size: statistics.median(baselines[size]["timings"]) for size in sizes}
    line = f"{'/healthz (baseline)':<31} {'learner':<17}"
    for size in sizes:
        line += cells(baselines[size], medians[size], verdict=False)
    print(line)
    short = []
    for name in names:
        who = by_size[sizes[0]][name]["who"].split("@")[0]
        line = f"{name:<31} {who:<17}"
        for size in sizes:
            result = by_size[size][name]
            line += cells(result, medians[size], verdict=True)
            if len(result["timings"]) < requested:
                short.append(f"{name} ({headings[size]}) {len(result['timings'])}")
        print(line)
    print(
        "\nms of server time per request: p50 (median) and p95; CPU: median CPU time of this "
        "process (the database's work is not in it on PostgreSQL); q: queries one request "
        "makes; x base: p50 as a multiple of the /healthz baseline at the same size."
    )
    if short:
        print(
            f"Timed requests: {requested} a page, fewer where the time limit came first: "
            + ", ".join(short)
            + "."
        )
    verdicts = []
    for size in sizes:
        results = list(by_size[size].values())
        met = sum(1 for result in results if Result(**result).p95 <= TARGET_MS)
        verdicts.append(f"{headings[size]}: {met} of {len(results)} pages")
    print(
        f"\nTarget (docs/quality.md, P2): signed-in pages p95 <= {TARGET_MS:.0f} ms server time on "
        f"PostgreSQL, with a cohort of 1,000 learners and at national scale. Within it: "
        + "; ".join(verdicts)
        + "."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=SIZES, default=list(SIZES))
    parser.add_argument(
        "--keep",
        nargs="?",
        const=KEPT_DATABASE,
        metavar="NAME",
        help=f"build into (or reuse) the database NAME and keep it (default {KEPT_DATABASE})",
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument(
        "--seconds", type=float, default=20.0, help="time limit for the timed requests of a page"
    )
    parser.add_argument("--warm-up", type=int, default=10, help="untimed requests per page")
    parser.add_argument("--profile", action="store_true", help="profile pages that miss")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="EXPLAIN ANALYZE the slowest queries of pages that miss",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="national scale times this (a quick look; P2 is measured at 1)",
    )
    parser.add_argument("--phase", choices=SIZES, help=argparse.SUPPRESS)
    parser.add_argument("--results", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:  # a child: one size, in the database DATABASE_URL names
        scratch = Path(tempfile.mkdtemp(prefix="bench-signed-in-", dir=ROOT / "var"))
        try:
            configure(os.environ["BENCH_PHASE_DATABASE_URL"], scratch / "celery")
            result = run_size(args)
            Path(args.results).write_text(json.dumps(result))
        finally:
            from django.db import connections

            connections.close_all()
            shutil.rmtree(scratch, ignore_errors=True)
        return

    (ROOT / "var").mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-signed-in-", dir=ROOT / "var"))
    load_before = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    created: list[str] = []
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
        "BENCH_POSTGRES_URL", DEFAULT_SERVER
    )
    try:
        plans, where = plan_databases(args, scratch, created)
        runs = []
        for plan in plans:
            results = scratch / f"{plan.size}.json"
            command = [sys.executable, __file__, "--phase", plan.size, "--results", str(results)]
            command += ["--requests", str(args.requests), "--seconds", str(args.seconds)]
            command += ["--warm-up", str(args.warm_up), "--scale", str(args.scale)]
            command += [flag for flag in ("--profile", "--explain") if getattr(args, flag[2:])]
            env = {**os.environ, "BENCH_PHASE_DATABASE_URL": plan.database_url}
            subprocess.run(command, check=True, env=env, cwd=ROOT)
            runs.append(json.loads(results.read_text()))
        report(runs, where, load_before, args.requests)
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"The bench stopped: {error}") from None
    finally:
        for name in created:
            _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
