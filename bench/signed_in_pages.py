"""`make bench`: signed-in pages on PostgreSQL at two sizes (docs/quality.md, P2).

Two sizes, measured one after the other in one run and printed side by side:

* **cohort**: the demo academy (``load_demo``) with its running cohort grown to 1,000 learners
  (organisations, sectors, progress and last activity spread as in life) and 200 applications
  waiting on the upcoming cohort that takes applications. Every course has assessments: the
  demo's own, or else a reflective assignment (marked against a rubric, files allowed), a quiz
  and a peer review that the bench adds to its first module and publishes. The members of
  every running and finished cohort have work on them, the more the further they are through
  the course: versions waiting for marking, held, passed with released marks, sent back and
  handed in again; quiz attempts; peer reviews, most done; and each learner's result, as the
  services would leave it (checked against ``result_refresh`` for a sample). In the running
  cohort that is about 2,100 versions, 850 of them waiting for marking;
* **national**: the same, grown to national scale in bulk: 100,000 people in 2,000 organisations,
  2,000 cohorts of the demo's courses (finished over five years, running, starting soon, a few
  cancelled) holding about 1,000,000 lesson completions and, in their running and finished
  cohorts, about 280,000 versions of written work, 260,000 marks, 240,000 peer reviews and
  200,000 quiz attempts. The demo's learner, facilitator and programme manager are among them:
  the facilitator runs dozens of cohorts, the programme manager sees all 2,000.

The pages (``pages()``): the learner's (My learning, a lesson, the cohort home, an assignment
with feedback, a quiz), the facilitator's (the cohort dashboard, the applications queue, the
learner CSV, the marking queue and a later page of it filtered, the marking form of a
resubmission) and the programme manager's (the programme report, the Facilitate home).

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
the last week, by this version of the bench: ``BUILD_VERSION``) and measures it at once, without
generating it again; the cohort size is then measured in a scratch database of its own.
``BENCH_DATABASE_URL`` pointing at such a database does the same. Data built longer ago, or by an
earlier version, is built again.

``--profile`` prints where the time goes (cProfile) for each page that misses the target;
``--explain`` prints the slowest queries of one request of each such page with PostgreSQL's
``EXPLAIN ANALYZE``.

The bench reads the application only through its models, ``courses.selectors.course_lessons``
and ``course_assessments``, ``cohorts.quiz.questions_of``, ``cohorts.rubrics.score``,
``result_refresh`` (the sample check), ``manage.py migrate`` and ``load_demo`` and URL names, so it
measures whatever the views do.

Usage: python bench/signed_in_pages.py [--sizes cohort national] [--keep [NAME]]
       [--requests N] [--seconds S] [--scale F] [--profile] [--explain]
"""

import argparse
import cProfile
import dataclasses
import gc
import io
import itertools
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
import uuid
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
# What the data holds, raised when that changes, so that a kept database built by an earlier
# version is built again rather than measured (2: assessments and the work handed in on them).
BUILD_VERSION = 2

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


def build_key(size: str, scale: float = 1) -> str:
    """The name a build is recorded under: national data at another scale is another build,
    and so is data built by another version of the bench (``BUILD_VERSION``)."""
    key = size if size == "cohort" or scale == 1 else f"{size} x{scale:g}"
    return f"{key} v{BUILD_VERSION}"


def _national_built_on(url: str, scale: float) -> tuple[date | None, list[str]]:
    """The day the national data in the database at ``url`` was built, if it was, and the
    builds recorded there by other versions of the bench."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            rows = connection.execute("SELECT size, built_on FROM bench_build").fetchall()
    except Exception:
        return None, []
    builds = dict(rows)
    older = [key for key in builds if not key.endswith(f" v{BUILD_VERSION}")]
    return builds.get(build_key("national", scale)), older


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
    built_on, older = _national_built_on(target, args.scale)
    stale = None
    if built_on is not None and (date.today() - built_on).days > KEEP_DAYS:
        stale = f"national data built on {built_on}, more than {KEEP_DAYS} days ago"
    elif older:
        stale = f"data built by an earlier version of the bench ({', '.join(sorted(older))})"
    if stale:
        if not args.keep or given:
            raise SystemExit(
                f"{_database_name(target)} holds {stale}: drop it "
                f"(dropdb {_database_name(target)}) and run again."
            )
        print(f"{args.keep} holds {stale}: building it again.")
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
    it has none. Values of JSON fields are given as Python data."""
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
            # JSON is sent as its text, which the server reads into the jsonb column.
            as_json = [named and f.get_internal_type() == "JSONField" for named, _, f in order]
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [
                            (json.dumps(row[i]) if encode else row[i])
                            if named
                            else prepared[f.attname]
                            for (named, i, f), encode in zip(order, as_json, strict=True)
                        ]
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
    upcoming cohort that takes applications; every course given assessments (unless it has
    its own) and every running or finished cohort work on them. Returns what was built, in
    words."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from academy.models import Organisation
    from cohorts.models import Cohort, Enrolment, LessonCompletion
    from courses.models import CoursePage

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    running = Cohort.objects.running().filter(facilitators__email=FACILITATOR).get()
    applications_cohort = (
        Cohort.objects.upcoming()
        .filter(facilitators__email=FACILITATOR, enrolment_mode=Cohort.EnrolmentMode.APPLICATION)
        .get()
    )
    grow(running, applications_cohort, COHORT_LEARNERS)
    for course in CoursePage.objects.live().order_by("path"):
        ensure_assessments(course)
    add_work(Cohort.objects.all(), random.Random(COHORT_LEARNERS + 1))
    _analyse(Organisation, get_user_model(), Cohort, Enrolment, LessonCompletion, *work_models())
    return describe("cohort")


def grow(cohort, applications_cohort, total: int) -> None:
    """Bring ``cohort`` to ``total`` members and give ``applications_cohort`` its pending
    applications. Rows are written in bulk, as ``load_demo`` writes the demo's: nothing is
    emailed (no outbox row is written) and the rules still hold (capacity,
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


def work_models() -> tuple:
    """The tables of work on assessments the bench fills, in the order they are written."""
    from cohorts.models import (
        AssessmentResult,
        Mark,
        PeerReview,
        QuizAttempt,
        Submission,
        SubmissionFile,
    )

    return (Submission, SubmissionFile, Mark, PeerReview, QuizAttempt, AssessmentResult)


# --- Assessments and the work handed in -----------------------------------------------------

RUBRIC_NAME = "Reflecting on partnership practice"
RUBRIC_CRITERIA = (
    (
        "Reflection on practice",
        (("Describes what happened", 0), ("Explains why it happened", 2), ("Draws lessons", 4)),
    ),
    ("Use of evidence", (("No evidence", 0), ("Some evidence", 2), ("Evidence weighed", 4))),
    (
        "Working with partners",
        (("Partners not named", 0), ("Partners named", 2), ("Partners' view taken", 4)),
    ),
)
RUBRIC_PASS_POINTS = 6
QUIZ = (
    ("Who should own a shared budget?", "One board for all the partners", "The biggest partner"),
    ("What makes a partnership last?", "A shared outcome", "A signed memorandum"),
    ("Where does the money in a place go?", "Count it across services", "Ask each service"),
    ("Who decides in a system nobody runs?", "Those who agree to act", "The largest body"),
    ("What helps partners trust each other?", "Keeping small promises", "A longer contract"),
)
REFLECTIONS = [
    "We agreed a single assessment for families, which took three months and a hard board.",
    "I learned that the council's finance team counts the same money differently from the NHS.",
    "When I stopped chairing the meeting, the other partners started to bring their problems.",
    "The evidence from the count changed the conversation more than any presentation I gave.",
    "Next time I would bring the voluntary sector in at the start rather than at the end.",
    "We still disagree about who holds the risk when a shared plan goes wrong.",
    "A housing officer and a ward manager now phone each other before a discharge, not after.",
    "The hardest part was admitting that my own service was part of the problem.",
]
COMMENTS = [
    "A clear account of what happened. Say more about why the partners acted as they did.",
    "Good use of the count to make the case. The lessons you draw could be more specific.",
    "You name the partners but not what each of them wanted: add their view and resubmit.",
    "A thoughtful reflection that weighs the evidence and takes the partners' view. Well done.",
    "The plan describes the problem well; it needs a shared outcome you could measure.",
]
# The versions of a piece of written work, oldest first, named by what each came to, with how
# often each happens: in a running cohort, a finished one, and for a learner who completed.
RUNNING_PLANS = [
    (("waiting",), 38),
    (("held",), 5),
    (("passed",), 30),
    (("resubmit",), 10),
    (("resubmit", "waiting"), 10),
    (("resubmit", "passed"), 5),
    (("resubmit", "held"), 2),
]
FINISHED_PLANS = [
    (("passed",), 70),
    (("resubmit",), 15),
    (("resubmit", "passed"), 13),
    (("waiting",), 2),
]
COMPLETED_PLANS = [(("passed",), 85), (("resubmit", "passed"), 15)]
# The demo learner's own work in their running cohort: feedback to read on the assignment
# (sent back, handed in again, passed), a quiz failed once with attempts left, a peer-review
# piece waiting for marking with one of its two reviews given.
DEMO_LEARNER_PLANS = {"reflective": ("resubmit", "passed"), "peer_review": ("waiting",), "quiz": 1}


def _block_id() -> str:
    return str(uuid.uuid4())


def _rubric():
    """The rubric the bench's assignments are marked against (three criteria of three levels:
    12 points at most, 6 to pass), made once."""
    from courses.models import Rubric

    rubric = Rubric.objects.filter(name=RUBRIC_NAME).first()
    if rubric is not None:
        return rubric
    criteria = [
        {
            "type": "criterion",
            "id": _block_id(),
            "value": {
                "name": name,
                "guidance": f"How well the work shows: {name.lower()}.",
                "levels": [
                    {"type": "item", "id": _block_id(), "value": {"descriptor": d, "points": p}}
                    for d, p in levels
                ],
            },
        }
        for name, levels in RUBRIC_CRITERIA
    ]
    return Rubric.objects.create(
        name=RUBRIC_NAME, criteria=criteria, pass_points=RUBRIC_PASS_POINTS
    )


def _quiz_questions() -> list[dict]:
    def option(text: str, correct: bool) -> dict:
        feedback = f"{'Right' if correct else 'Not quite'}: {text[0].lower()}{text[1:]}."
        value = {"text": text, "correct": correct, "feedback": feedback}
        return {"type": "item", "id": _block_id(), "value": value}

    return [
        {
            "type": "question",
            "id": _block_id(),
            "value": {
                "question": question,
                "multiple": False,
                "options": [
                    option(right, True),
                    option(wrong, False),
                    option("Nobody: it is not a shared matter", False),
                ],
            },
        }
        for question, right, wrong in QUIZ
    ]


def ensure_assessments(course) -> int:
    """Give ``course`` a reflective assignment (marked against the bench's rubric, files
    allowed), a quiz and a peer review in its first module, published as an editor would,
    unless it has live assessments already (the demo's own, say). Returns how many pages were
    added."""
    from courses.models import AssessmentPage, ModulePage
    from courses.selectors import course_assessments

    if course_assessments(course.pk):
        return 0
    module = ModulePage.objects.child_of(course).live().order_by("path").first()
    if module is None:
        return 0
    rubric = _rubric()
    Kind = AssessmentPage.Kind
    pages = [
        AssessmentPage(
            title="Reflect on a partnership you lead",
            kind=Kind.REFLECTIVE,
            instructions="<p>Write about one partnership you lead: what happened, why, and "
            "what you would do differently. Attach your plan if you have one.</p>",
            rubric=rubric,
            min_words=100,
            max_words=1500,
            max_files=2,
            due_offset_days=14,
        ),
        AssessmentPage(
            title="Check your understanding",
            kind=Kind.QUIZ,
            instructions="<p>Answer each question; the best of your attempts counts.</p>",
            questions=_quiz_questions(),
            pass_mark=70,
            max_attempts=3,
            due_offset_days=21,
        ),
        AssessmentPage(
            title="Review a colleague's partnership plan",
            kind=Kind.PEER_REVIEW,
            instructions="<p>Write a one-page plan for a shared outcome in your place, then "
            "review the plans of two colleagues against the rubric.</p>",
            rubric=rubric,
            min_words=100,
            max_words=1500,
            reviews_required=2,
            due_offset_days=28,
        ),
    ]
    for page in pages:
        module.add_child(instance=page)
        page.save_revision().publish()
    return len(pages)


@dataclass
class _Kit:
    """What work on one assessment is made of: the page, its rubric's scorings that pass and
    that do not (criteria, total, max total), or its quiz's questions (id, right option ids,
    wrong option ids)."""

    page: object
    passes: list = dataclasses.field(default_factory=list)
    fails: list = dataclasses.field(default_factory=list)
    questions: list = dataclasses.field(default_factory=list)


def _kit(page) -> _Kit:
    from cohorts import quiz
    from cohorts.rubrics import criteria_of, score

    kit = _Kit(page=page)
    if page.is_quiz:
        for question in quiz.questions_of(page):
            right = [option.id for option in question.options if option.correct]
            wrong = [option.id for option in question.options if not option.correct]
            kit.questions.append((question.id, right, wrong or right))
        return kit
    criteria = criteria_of(page.rubric) if page.rubric is not None else []
    combinations = itertools.islice(itertools.product(*[c["levels"] for c in criteria]), 300)
    for levels in combinations:
        scored = score(
            page.rubric, {c["id"]: level["id"] for c, level in zip(criteria, levels, strict=True)}
        )
        (kit.passes if scored.suggests_pass else kit.fails).append(
            (scored.criteria, scored.total, scored.max_total)
        )
    kit.passes, kit.fails = kit.passes or kit.fails, kit.fails or kit.passes
    return kit


@dataclass
class _Member:
    enrolment_id: int
    completed: bool
    share: float  # of the course's lessons done
    fixed: dict  # assessment kind -> plan (the demo learner's), else empty

    def starts(self, rng: random.Random) -> bool:
        """Whether they have handed in anything on an assessment (of the first module)."""
        if self.completed:
            return True
        chance = 0.05 if self.share == 0 else min(0.95, 0.55 + 1.2 * self.share)
        return rng.random() < chance


@dataclass
class _Handed:
    """A member's latest version of one piece of written work."""

    member: _Member
    submission_id: int
    submitted_at: datetime
    late: bool
    outcome: str
    versions: int
    released_at: datetime | None


class _Work:
    """Rows of work in the making, each table's primary keys given out from its next free one,
    written with ``write_rows`` at the end."""

    def __init__(self, rng: random.Random, now: datetime, tz):
        from django.db.models import Max

        self.rng, self.now, self.tz = rng, now, tz
        self.models = work_models()
        self.next = {
            model: (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1 for model in self.models
        }
        self.rows = {model: [] for model in self.models}
        self.texts = [self._text() for _ in range(300)]

    def _text(self) -> tuple[str, int]:
        rng = self.rng
        paragraphs = [
            " ".join(rng.sample(REFLECTIONS + SENTENCES, rng.randint(3, 6)))
            for _ in range(rng.randint(3, 6))
        ]
        text = "\n\n".join(paragraphs)
        return text, len(text.split())

    def add(self, model, *values) -> int:
        pk = self.next[model]
        self.next[model] = pk + 1
        self.rows[model].append((pk, *values))
        return pk

    def moment(self, day: date, cap: datetime) -> datetime:
        """A moment in the working day of ``day``, before ``cap``."""
        value = datetime.combine(day, datetime.min.time(), self.tz) + timedelta(
            minutes=self.rng.randint(8 * 60, 20 * 60)
        )
        return min(value, cap - timedelta(minutes=self.rng.randint(5, 120)))

    @staticmethod
    def after(when: datetime, days: float, cap: datetime) -> datetime:
        """A moment at most ``days`` after ``when``, always before ``cap``."""
        return min(when + timedelta(days=days), when + max(cap - when, timedelta(0)) / 2)

    def late(self, when: datetime, due_on: date) -> bool:
        return when.astimezone(self.tz).date() > due_on

    def written(self, kit: _Kit, members, start: date, due_on: date, cap, running, markers):
        """Versions, files and marks of an assignment or a peer-review piece; the latest
        version of each member who handed anything in (``_Handed``)."""
        from cohorts.models import Mark, Submission, SubmissionFile

        rng, page = self.rng, kit.page
        table = RUNNING_PLANS if running else FINISHED_PLANS
        handed = []
        for member in members:
            plan = member.fixed.get(page.kind)
            if plan is None:
                if not member.starts(rng):
                    continue
                choices = COMPLETED_PLANS if member.completed else table
                plan = rng.choices([p for p, _ in choices], [w for _, w in choices])[0]
            day = start + timedelta(days=round(page.due_offset_days * rng.uniform(0.4, 1.3)))
            when = self.moment(min(day, cap.astimezone(self.tz).date()), cap)
            for version, outcome in enumerate(plan, start=1):
                text, words = rng.choice(self.texts)
                late = self.late(when, due_on)
                submission_id = self.add(
                    Submission, member.enrolment_id, page.pk, version, text, words, when, late,
                    outcome,
                )  # fmt: skip
                if page.max_files and rng.random() < 0.25:
                    for n in range(rng.randint(1, page.max_files)):
                        name = f"submissions/{uuid.UUID(int=rng.getrandbits(128)).hex}.pdf"
                        self.add(
                            SubmissionFile, submission_id, name, f"partnership-plan-{n + 1}.pdf",
                            "application/pdf", rng.randint(40_000, 2_000_000), when,
                        )  # fmt: skip
                released = None
                submitted = when
                if outcome != "waiting":
                    marked = self.after(when, rng.uniform(0.5, 4), cap)
                    passes = outcome == "passed" or (outcome == "held" and rng.random() < 0.7)
                    criteria, total, max_total = rng.choice(kit.passes if passes else kit.fails)
                    released = None if outcome == "held" else marked
                    self.add(
                        Mark, submission_id, rng.choice(markers),
                        Mark.Outcome.PASS if passes else Mark.Outcome.RESUBMIT, criteria, total,
                        max_total, rng.choice(COMMENTS), marked, released,
                    )  # fmt: skip
                    when = self.after(marked, rng.uniform(0.5, 5), cap)
            handed.append(
                _Handed(member, submission_id, submitted, late, outcome, len(plan), released)
            )
        return handed

    def reviews(self, kit: _Kit, handed: list[_Handed], cap, running) -> dict[int, int]:
        """Peer reviews handed out around the members who handed in a piece (each reviews the
        next ``reviews_required`` of them, so each piece gets that many reviews and nobody
        reviews their own), most done: every one by those who completed the course, the demo
        learner's first. Returns the reviews each member has done."""
        from cohorts.models import PeerReview

        rng, page = self.rng, kit.page
        wanted = page.reviews_required
        if len(handed) <= wanted:
            return {}
        order = handed[:]
        rng.shuffle(order)
        given: dict[int, int] = {}
        for i, reviewer in enumerate(order):
            member = reviewer.member
            for k in range(1, wanted + 1):
                piece = order[(i + k) % len(order)]
                assigned = self.after(
                    max(reviewer.submitted_at, piece.submitted_at), rng.uniform(0.1, 3), cap
                )
                if member.fixed:
                    done = k == 1
                else:
                    done = member.completed or rng.random() < (0.8 if running else 0.95)
                if done:
                    criteria, total, _ = rng.choice(kit.passes + kit.fails)
                    submitted = self.after(assigned, rng.uniform(0.1, 3), cap)
                    given[member.enrolment_id] = given.get(member.enrolment_id, 0) + 1
                    self.add(
                        PeerReview, piece.submission_id, member.enrolment_id, assigned,
                        submitted, criteria, total, rng.choice(COMMENTS),
                    )  # fmt: skip
                else:
                    self.add(
                        PeerReview, piece.submission_id, member.enrolment_id, assigned, None, [],
                        None, "",
                    )  # fmt: skip
        return given

    def written_results(self, kit: _Kit, handed: list[_Handed], given: dict[int, int]) -> None:
        """Each member's result as ``result_refresh`` works it out from their latest version
        and the reviews they have done."""
        from cohorts.models import AssessmentResult

        Status = AssessmentResult.Status
        page = kit.page
        for piece in handed:
            reviews = given.get(piece.member.enrolment_id, 0)
            if piece.outcome == "passed":
                owed = page.is_peer_review and reviews < page.reviews_required
                status = Status.REVIEWS_OWED if owed else Status.PASSED
            elif piece.outcome == "resubmit":
                status = Status.RESUBMIT
            else:
                status = Status.SUBMITTED
            passed_at = piece.released_at if status == Status.PASSED else None
            self.add(
                AssessmentResult, piece.member.enrolment_id, page.pk, status, passed_at,
                piece.versions, None, reviews, piece.submitted_at, piece.late, self.now,
            )  # fmt: skip

    def quiz(self, kit: _Kit, members, start: date, due_on: date, cap, running) -> None:
        """Attempts at a quiz, until one passes or the learner stops (those who completed
        the course passed), and each learner's result."""
        from cohorts.models import AssessmentResult, QuizAttempt

        rng, page = self.rng, kit.page
        questions = kit.questions
        for member in members:
            fixed = member.fixed.get(page.kind)
            if fixed is None and not member.starts(rng):
                continue
            skill = rng.uniform(0.35, 0.95)
            day = start + timedelta(days=round(page.due_offset_days * rng.uniform(0.4, 1.3)))
            when = self.moment(min(day, cap.astimezone(self.tz).date()), cap)
            attempts = []
            for number in range(1, page.max_attempts + 1):
                last = number == page.max_attempts
                if fixed is not None:  # the demo learner's: three of five, not a pass
                    right_ones = [n >= 2 for n in range(len(questions))]
                else:
                    right_ones = [rng.random() < skill for _ in questions]
                    if member.completed and last:
                        right_ones = [True] * len(questions)
                answers = {
                    qid: right if ok else [rng.choice(wrong)]
                    for (qid, right, wrong), ok in zip(questions, right_ones, strict=True)
                }
                score = sum(right_ones)
                percent = score * 100 // len(questions) if questions else 0
                passed = percent >= page.pass_mark
                late = self.late(when, due_on)
                self.add(
                    QuizAttempt, member.enrolment_id, page.pk, number, answers, score,
                    len(questions), percent, passed, when, late,
                )  # fmt: skip
                attempts.append((percent, passed, when, late))
                skill = min(1.0, skill + 0.15)
                if passed or (fixed is not None and number >= fixed):
                    break
                if not member.completed and rng.random() > (0.6 if running else 0.4):
                    break
                when = self.after(when, rng.uniform(0.05, 4), cap)
            passing = [attempt for attempt in attempts if attempt[1]]
            Status = AssessmentResult.Status
            self.add(
                AssessmentResult, member.enrolment_id, page.pk,
                Status.PASSED if passing else Status.NOT_PASSED,
                passing[0][2] if passing else None, len(attempts),
                max(attempt[0] for attempt in attempts), 0, attempts[-1][2], attempts[-1][3],
                self.now,
            )  # fmt: skip

    def write(self) -> dict[str, int]:
        """Every row made, table by table; the rows written, by model name."""
        from cohorts.models import (
            AssessmentResult,
            Mark,
            PeerReview,
            QuizAttempt,
            Submission,
            SubmissionFile,
        )

        names = {
            Submission: [
                "id", "enrolment_id", "assessment_id", "version", "text", "word_count",
                "submitted_at", "late", "status",
            ],
            SubmissionFile: [
                "id", "submission_id", "file", "name", "content_type", "size", "created_at",
            ],
            Mark: [
                "id", "submission_id", "marker_id", "outcome", "criteria", "total", "max_total",
                "comments", "created_at", "released_at",
            ],
            PeerReview: [
                "id", "submission_id", "reviewer_id", "assigned_at", "submitted_at", "criteria",
                "total", "comments",
            ],
            QuizAttempt: [
                "id", "enrolment_id", "assessment_id", "number", "answers", "score",
                "max_score", "percent", "passed", "submitted_at", "late",
            ],
            AssessmentResult: [
                "id", "enrolment_id", "assessment_id", "status", "passed_at", "attempts",
                "best_score", "reviews_given", "last_submitted_at", "late", "updated_at",
            ],
        }  # fmt: skip
        written = {}
        for model in self.models:
            written[model.__name__] = write_rows(model, names[model], self.rows[model])
            self.rows[model] = []
        _reset_sequences(*self.models)
        return written


def add_work(cohorts, rng: random.Random) -> dict[str, int]:
    """Work by the members of ``cohorts`` (a queryset: those running or finished count) on
    their course's assessments, written in bulk as the services would leave it: versions of
    written work waiting, held, passed with released marks, or sent back and handed in again;
    quiz attempts; peer reviews handed out so that each piece gets the reviews it needs, most
    done; and each learner's ``AssessmentResult`` with the status ``result_refresh`` gives it.
    Those who completed the course passed everything; others did more the further they are
    through it. Work already there (the demo's own) is left as it is. Returns the rows
    written, by model."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.utils import timezone

    from cohorts.models import (
        AssessmentResult,
        Cohort,
        Enrolment,
        LessonCompletion,
        QuizAttempt,
        Submission,
    )
    from courses.models import AssessmentPage, CoursePage
    from courses.selectors import course_assessments, course_lessons

    today, now = timezone.localdate(), timezone.now()
    tz = timezone.get_current_timezone()
    cohorts = cohorts.filter(cancelled=False, start_date__lte=today)
    found = list(cohorts.values_list("pk", "course_id", "start_date", "end_date"))
    kits, lessons = {}, {}
    for course_id, course in CoursePage.objects.in_bulk({row[1] for row in found}).items():
        ids = [page.pk for page in course_assessments(course)]
        pages = AssessmentPage.objects.select_related("rubric").in_bulk(ids)
        kits[course_id] = [_kit(pages[pk]) for pk in ids]
        lessons[course_id] = max(1, len(course_lessons(course)))
    markers: dict[int, list] = {}
    running_them = Cohort.facilitators.through.objects.filter(cohort__in=cohorts)
    for cohort_id, user_id in running_them.values_list("cohort_id", "user_id"):
        markers.setdefault(cohort_id, []).append(user_id)
    members = Enrolment.objects.members().filter(cohort__in=cohorts)
    done = dict(
        LessonCompletion.objects.filter(enrolment__in=members)
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    taken = set()
    for model in (AssessmentResult, Submission, QuizAttempt):
        rows = model.objects.filter(enrolment__in=members)
        taken.update(rows.values_list("enrolment_id", "assessment_id"))
    learner = get_user_model().objects.filter(email=LEARNER).values_list("pk", flat=True).first()
    by_cohort: dict[int, list[_Member]] = {}
    for pk, cohort_id, course_id, status, user_id in members.order_by("pk").values_list(
        "pk", "cohort_id", "course_id", "status", "user_id"
    ):
        by_cohort.setdefault(cohort_id, []).append(
            _Member(
                enrolment_id=pk,
                completed=status == Enrolment.Status.COMPLETED,
                share=done.get(pk, 0) / lessons.get(course_id, 1),
                fixed=DEMO_LEARNER_PLANS if user_id == learner else {},
            )
        )

    work = _Work(rng, now, tz)
    for cohort_id, course_id, start, end in found:
        running = end >= today
        cap = now if running else min(now, datetime.combine(end, datetime.max.time(), tz))
        for kit in kits.get(course_id, []):
            page = kit.page
            due_on = start + timedelta(days=page.due_offset_days)
            todo = [
                member
                for member in by_cohort.get(cohort_id, [])
                if (member.enrolment_id, page.pk) not in taken
            ]
            if page.is_quiz:
                work.quiz(kit, todo, start, due_on, cap, running)
                continue
            handed = work.written(
                kit, todo, start, due_on, cap, running, markers.get(cohort_id) or [None]
            )
            given = work.reviews(kit, handed, cap, running) if page.is_peer_review else {}
            work.written_results(kit, handed, given)
    written = work.write()
    differ = results_differ(cohorts, rng)
    if differ:
        print(
            f"Warning: {len(differ)} results of a sample differ from what result_refresh works "
            f"out; the first: {differ[0]}",
            flush=True,
        )
    return written


def results_differ(cohorts, rng: random.Random, sample: int = 60) -> list[str]:
    """Check the results written against ``result_refresh`` for a sample of them (in a
    transaction rolled back): how each that differs differs."""
    from django.db import transaction

    from cohorts.models import AssessmentResult
    from cohorts.services.assessment_results import result_refresh

    fields = ("status", "passed_at", "attempts", "best_score", "reviews_given")
    fields += ("last_submitted_at", "late")
    ids = list(
        AssessmentResult.objects.filter(enrolment__cohort__in=cohorts).values_list("pk", flat=True)
    )
    chosen = AssessmentResult.objects.filter(pk__in=rng.sample(ids, min(sample, len(ids))))
    differ = []

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            for written in chosen.select_related("enrolment", "assessment"):
                found = result_refresh(
                    enrolment=written.enrolment,
                    assessment=written.assessment,
                    now=written.updated_at,
                )
                for name in fields:
                    if getattr(found, name, None) != getattr(written, name):
                        differ.append(
                            f"result {written.pk} ({written.assessment.kind}) {name}: written "
                            f"{getattr(written, name)!r}, worked out {getattr(found, name, None)!r}"
                        )
            raise Undo
    except Undo:
        pass
    return differ


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

        # Work on the courses' assessments in every running and finished cohort.
        started = time.perf_counter()
        written = add_work(
            Cohort.objects.filter(pk__in=[plan.pk for plan in plans]),
            random.Random(NATIONAL_PEOPLE + 1),
        )
        print(
            f"[national] work on assessments: {sum(written.values()):,} rows in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
    _analyse(
        Organisation, User, Membership, Cohort, Running, Enrolment, LessonCompletion,
        *work_models(),
    )  # fmt: skip
    return describe("national")


def describe(size: str) -> str:
    from django.contrib.auth import get_user_model

    from cohorts.models import (
        Cohort,
        Enrolment,
        LessonCompletion,
        Mark,
        PeerReview,
        QuizAttempt,
        Submission,
    )

    setting = find_setting()
    work = (
        f"{setting.cohort.name}'s work on {len(setting.assessments)} assessments: "
        f"{setting.submissions:,} versions handed in ({setting.waiting:,} waiting for marking), "
        f"{setting.reviews:,} peer reviews, {setting.attempts:,} quiz attempts"
    )
    if size == "cohort":
        return (
            f"the demo; {setting.cohort.name} of {setting.cohort.course.title} grown to "
            f"{setting.learners:,} learners ({setting.completions:,} lesson completions); "
            f"{setting.applications_cohort.name}: {setting.applications} applications waiting; "
            f"{work}"
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
        f"{Submission.objects.count():,} versions of written work, {Mark.objects.count():,} "
        f"marks, {PeerReview.objects.count():,} peer reviews, "
        f"{QuizAttempt.objects.count():,} quiz attempts; "
        f"{setting.cohort.name}: {setting.learners:,} learners, "
        f"{setting.applications_cohort.name}: {setting.applications} applications; {work}"
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
    assessments: list  # the cohort's assessments
    assignment: int  # a reflective assignment on which the demo learner has feedback
    quiz: int
    to_mark: int  # a version waiting for marking, with an earlier version marked
    queue_page: int  # a later page of the queue of work waiting on ``assignment``
    submissions: int
    waiting: int
    reviews: int
    attempts: int


def find_setting() -> Setting:
    from django.db.models import Count, Q

    from cohorts.models import (
        Cohort,
        Enrolment,
        LessonCompletion,
        PeerReview,
        QuizAttempt,
        Submission,
    )
    from cohorts.selectors.marking import PER_PAGE
    from cohorts.selectors.places import places_taken, with_places_taken
    from courses.selectors import course_assessments, course_lessons

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
    assessments = course_assessments(cohort.course)
    work = Submission.objects.filter(enrolment__cohort=cohort)
    # The assignment the demo learner has feedback on (else the first); a version of it
    # waiting for marking that has an earlier version marked (else any waiting); the quiz.
    with_feedback = work.filter(
        enrolment__user__email=LEARNER,
        assessment__kind="reflective",
        marks__released_at__isnull=False,
    ).values_list("assessment_id", flat=True)
    assignment = with_feedback.first() or next(
        (page.pk for page in assessments if page.kind == "reflective"), None
    )
    waiting = work.filter(status=Submission.Status.WAITING).order_by("submitted_at", "pk")
    to_mark = (
        waiting.filter(assessment_id=assignment, version__gte=2)
        .exclude(enrolment__user__email=LEARNER)
        .values_list("pk", flat=True)
        .first()
    ) or waiting.values_list("pk", flat=True).first()
    quiz = next((page.pk for page in assessments if page.kind == "quiz"), None)
    if assignment is None or to_mark is None or quiz is None:
        raise SystemExit("The bench found no assessments or no work on them: build again.")
    on_assignment = waiting.filter(assessment_id=assignment).count()
    pages = max(1, -(-on_assignment // PER_PAGE))
    return Setting(
        cohort=cohort,
        applications_cohort=applications_cohort,
        lesson_url=lessons[len(lessons) // 2].get_url(),
        learners=places_taken(cohort),
        completions=LessonCompletion.objects.filter(enrolment__cohort=cohort).count(),
        applications=applications_cohort.enrolments.filter(status=Status.APPLIED).count(),
        assessments=assessments,
        assignment=assignment,
        quiz=quiz,
        to_mark=to_mark,
        queue_page=pages // 2 + 1,
        submissions=work.count(),
        waiting=work.filter(status=Submission.Status.WAITING).count(),
        reviews=PeerReview.objects.filter(reviewer__cohort=cohort).count(),
        attempts=QuizAttempt.objects.filter(enrolment__cohort=cohort).count(),
    )


def pages(setting: Setting) -> list[tuple[str, str, str]]:
    """(name, who, path) of every page measured, signed in as the person who uses it."""
    from django.urls import reverse

    cohort, applications_cohort = setting.cohort, setting.applications_cohort
    dashboard = reverse("facilitate_cohort", args=[cohort.pk])
    marking = reverse("facilitate_marking", args=[cohort.pk])
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
        ("Marking queue", FACILITATOR, marking),
        (
            "Marking queue, filtered",
            FACILITATOR,
            f"{marking}?assessment={setting.assignment}&status=waiting&page={setting.queue_page}",
        ),
        (
            "Marking form",
            FACILITATOR,
            reverse("facilitate_mark", args=[cohort.pk, setting.to_mark]),
        ),
        (
            "Assessment page",
            LEARNER,
            reverse("cohort_assessment", args=[cohort.pk, setting.assignment]),
        ),
        ("Quiz page", LEARNER, reverse("cohort_assessment", args=[cohort.pk, setting.quiz])),
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
        if size == "cohort" or _built(build_key("cohort")) is None:
            print(f"[{size}] loading the demo and growing a cohort to 1,000 learners…", flush=True)
            started = time.perf_counter()
            description = build_cohort_size()
            seconds = time.perf_counter() - started
            _mark_built(build_key("cohort"), seconds, description)
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
