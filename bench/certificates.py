"""`make bench`: certificates (docs/quality.md, P6: p95 ≤ 10 ms per PDF; 1,000 issued in ≤ 60 s
by one worker; never drawn inside a web request).

1. The PDF alone: ``cohorts.certificate_pdf.draw_certificate`` timed in this process, a few
   hundred times after a warm-up, with a long name and a long course title; median and p95.
2. 1,000 through one worker: a scratch PostgreSQL database (``academy_bench_certificates_<pid>``
   on the server at ``127.0.0.1:5432``, or ``BENCH_POSTGRES_URL``; created, migrated and
   dropped here), a Redis of its own on a free port, and one ``celery worker --pool solo``
   (one process). 1,000 learners complete a course (their pending certificates written in
   bulk), their issues are queued at once, and the clock runs from the queueing to the last
   certificate issued: each drawn, stored in the private storage (a temporary folder) and its
   email written to the outbox, which the same worker then sends (local-memory email).

It reports PASS or MISS and always exits 0: speed is read, not enforced. Without PostgreSQL or
``redis-server`` the second part is skipped with the reason.

Usage: python bench/certificates.py [--pdfs N] [--certificates N]
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PDF_TARGET_MS = 10
BATCH_TARGET_S = 60


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def bench_pdfs(count: int) -> None:
    from cohorts.certificate_pdf import CertificateText, draw_certificate

    text = CertificateText(
        holder="Siobhán Okonkwo-Fitzgerald",
        course="Redesigning services around the citizen: pooled budgets and shared accountability",
        cohort="Cohort 12",
        completed_on=date(2026, 11, 30),
        facilitators=["Sam Okafor", "Priya Natarajan"],
        verify_url="https://academy.example.org/certificates/zvwenp2hrl2qtsi3xpmbvngd2u/",
        code="zvwenp2hrl2qtsi3xpmbvngd2u",
    )
    for _ in range(20):
        draw_certificate(text)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        pdf = draw_certificate(text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"PDF, one page ({len(pdf):,} bytes), {count} drawn in this process:")
    print(
        f"  median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, worst {times[-1]:.2f} ms"
        f"  {verdict(p95 <= PDF_TARGET_MS)} (p95 ≤ {PDF_TARGET_MS} ms)"
    )


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port}")


def _environment(database_url: str, redis_url: str, folder: Path) -> dict:
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": os.environ.get("HOME", str(folder)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "academy.settings.dev",
        "DEBUG": "false",
        "LOG_LEVEL": "INFO",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_QUEUE_DIR": str(folder / "celery"),
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_ROOT": str(folder / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def _learners(total: int) -> list[int]:
    """``total`` learners with an active place on a running cohort of a one-lesson course,
    written in bulk; returns the places' ids."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cohorts.models import Enrolment
    from tests.cohorts.factories import CohortFactory, course_with_lessons, facilitator

    course = course_with_lessons("Leading across organisational boundaries", modules=1, lessons=1)
    cohort = CohortFactory(
        course=course, name="Cohort 12", capacity=total, facilitators=[facilitator()]
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        User(email=f"learner{n}@bench.example", display_name=f"Learner {n}") for n in range(total)
    )
    now = timezone.now()
    places = Enrolment.objects.bulk_create(
        Enrolment(
            user=user,
            cohort=cohort,
            course=course,
            status=Enrolment.Status.COMPLETED,
            activated_at=now,
            completed_at=now,
        )
        for user in users
    )
    return [place.pk for place in places]


def _pending_certificates(places: list[int]) -> list[int]:
    """A pending certificate for each completed place, as ``enrolment_complete`` writes it."""
    from django.utils import timezone

    from cohorts.models import Certificate, CertificateIssue

    now = timezone.now()
    certificates = Certificate.objects.bulk_create(
        Certificate(enrolment_id=pk, completed_at=now, queued_at=now) for pk in places
    )
    CertificateIssue.objects.bulk_create(
        CertificateIssue(certificate=c, number=1, completed_at=now) for c in certificates
    )
    return [c.pk for c in certificates]


def bench_batch(total: int) -> None:
    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    redis_server = shutil.which("redis-server")
    if not redis_server:
        print("1,000 through one worker: skipped (no redis-server: apt-get install redis-server)")
        return
    try:
        _admin(server, "SELECT 1")
    except Exception as error:
        print(f"1,000 through one worker: skipped (no PostgreSQL at {server}: {error})")
        return
    name = f"academy_bench_certificates_{os.getpid()}"
    database_url = _with_database(server, name)
    folder = Path(tempfile.mkdtemp(prefix="academy-bench-certificates-"))
    port = _free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    env = _environment(database_url, redis_url, folder)
    _admin(server, f'CREATE DATABASE "{name}"')
    redis = worker = None
    try:
        redis = subprocess.Popen(
            [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for_port(port)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        os.environ.update(env)
        import django

        django.setup()
        from cohorts.models import Certificate
        from cohorts.services.certificates import publish_issues

        certificates = _pending_certificates(_learners(total))
        log_path = folder / "worker.log"
        with log_path.open("w") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "academy", "worker", "--pool", "solo",
                 "--loglevel", "INFO", "--without-heartbeat", "--without-gossip",
                 "--without-mingle"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            deadline = time.monotonic() + 60
            while "ready." not in log_path.read_text():
                if time.monotonic() > deadline:
                    raise RuntimeError("the worker did not start:\n" + log_path.read_text())
                time.sleep(0.1)
            started = time.monotonic()
            publish_issues(certificates)
            issued = Certificate.objects.filter(status=Certificate.Status.ISSUED)
            while issued.count() < total:
                if time.monotonic() - started > 10 * BATCH_TARGET_S:
                    break
                time.sleep(0.2)
            took = time.monotonic() - started
            done = issued.count()
        print(f"{total:,} certificates through one worker (solo pool, Redis broker, PostgreSQL):")
        print(
            f"  {done:,} issued in {took:.1f} s ({done / took:.0f} a second)"
            f"  {verdict(done == total and took <= BATCH_TARGET_S)} (≤ {BATCH_TARGET_S} s)"
        )
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        if redis is not None:
            redis.kill()
            redis.wait()
        from django.db import connections

        connections.close_all()
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdfs", type=int, default=500)
    parser.add_argument("--certificates", type=int, default=1000)
    args = parser.parse_args()
    print(f"Certificates (P6). Load average at start: {os.getloadavg()[0]:.2f}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings.dev")
    import logging

    logging.disable(logging.INFO)
    bench_pdfs(args.pdfs)
    bench_batch(args.certificates)
    print(f"Load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
