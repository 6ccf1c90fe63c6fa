"""A production deploy, as README.md's "Production" section tells an operator to do it, run from
this checkout: production settings with a freshly generated secret, a scratch PostgreSQL database
(created and dropped here, on the server named by DATABASE_URL), Redis from TEST_REDIS_URL and a
real SMTP server on loopback. collectstatic into a temporary directory and migrate, then
`honcho -f Procfile.production start` (gunicorn, a Celery worker and beat) while the demo loads.
The client talks plain HTTP to gunicorn with the header a TLS proxy adds, X-Forwarded-Proto:
https, as a visitor's browser would through the proxy."""

import base64
import contextlib
import email
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

from django.conf import settings

import dj_database_url
import psycopg
import pytest
import redis
from aiosmtpd.controller import Controller
from psycopg import sql

from home.management.commands.load_demo import DEMO_PASSWORD
from tests.services import require_postgres, require_redis, worker_index

from .web_client import GUNICORN_LISTENING, HOST, Client

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
LEARNER = "learner@academy.test"
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.celery_worker, pytest.mark.long]


# Ports: every server here binds port 0, so the kernel gives it a free port as it binds, and
# the test reads which one from the server (GUNICORN_LISTENING). A port chosen beforehand (bind,
# read, close) would be free only until another test process, on another xdist worker, took it
# in the minutes of collectstatic and migrate before gunicorn binds it.


# --- The services around the deploy -------------------------------------------------------------


@pytest.fixture
def scratch_database():
    """A new, empty database on the PostgreSQL server of DATABASE_URL, dropped afterwards. Its
    name is DATABASE_URL's with the xdist worker and a random part added
    (``academy_deploy_gw1_3f9a0c2e``), so parallel runs never share one."""
    require_postgres()
    server = dj_database_url.parse(settings.DATABASE_URL)
    name = f"{server['NAME']}_deploy_gw{worker_index()}_{secrets.token_hex(4)}"
    admin = {
        "host": server["HOST"] or "127.0.0.1",
        "port": server["PORT"] or 5432,
        "user": server["USER"] or "postgres",
        "password": server["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    credentials = f"{admin['user']}" + (f":{server['PASSWORD']}" if server["PASSWORD"] else "")
    try:
        yield f"postgres://{credentials}@{admin['host']}:{admin['port']}/{name}"
    finally:
        with psycopg.connect(**admin) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


class Mailbox:
    """What the SMTP server received."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, recipient: str, timeout: float):
        """The first message to ``recipient``, waiting at most ``timeout`` seconds for it."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for message in self.messages:
                    if message["X-Envelope-To"] == recipient:
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self.arrived.wait(remaining)


class LoopbackSMTP(Controller):
    """aiosmtpd's SMTP server on the port the kernel gives it (port 0), which it then knows."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = LoopbackSMTP(mailbox, hostname="127.0.0.1", port=0)
    controller.start()
    assert controller.port != 0
    try:
        yield controller.hostname, controller.port, mailbox
    finally:
        controller.stop()


@pytest.fixture
def empty_redis():
    """This test process's Redis database (TEST_REDIS_URL's, one per xdist worker:
    ``tests.services.worker_redis_url``), emptied before and after, as a new deploy's Redis is:
    its cache must not hand this deploy another run's image renditions or pages."""
    url = require_redis()
    connection = redis.Redis.from_url(url)
    connection.flushdb()
    try:
        yield url
    finally:
        connection.flushdb()
        connection.close()


@pytest.fixture
def production(tmp_path, scratch_database, empty_redis, smtp_server):
    """The environment an operator sets, and a way to run commands from the checkout in it."""
    redis_url = empty_redis
    smtp_host, smtp_port, mailbox = smtp_server
    # Only what the deploy needs: nothing from the developer's shell changes what runs.
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "academy.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        # The Ed25519 key that signs certificates' credentials: 32 random bytes, base64.
        "ACADEMY_CREDENTIAL_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "DATABASE_URL": scratch_database,
        "REDIS_URL": redis_url,
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_ROOT": str(tmp_path / "private"),
        "CELERY_QUEUE_DIR": str(tmp_path / "celery"),
        "EMAIL_HOST": smtp_host,
        "EMAIL_PORT": str(smtp_port),
        "PORT": "0",  # gunicorn binds a port the kernel gives it, and says which
        "WEB_CONCURRENCY": "2",
    }
    return Deploy(env=env, root=tmp_path, mailbox=mailbox)


@dataclass
class Deploy:
    env: dict
    root: Path
    mailbox: Mailbox

    def manage(self, *args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        process.started_at = time.monotonic()
        return process

    @staticmethod
    def finish(process: subprocess.Popen, what: str, timeout: float = 300) -> str:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            pytest.fail(f"`{what}` took more than {timeout} s:\n{output[-4000:]}")
        assert process.returncode == 0, f"`{what}` failed:\n{output[-4000:]}"
        print(f"{what}: {time.monotonic() - process.started_at:.1f} s")
        return output


@pytest.fixture
def installed(production) -> dict:
    """collectstatic and migrate; the static files' manifest (name: hashed name)."""
    # Independent steps: they run side by side.
    collectstatic = production.manage("collectstatic", "--no-input")
    migrate = production.manage("migrate", "--no-input")
    production.finish(collectstatic, "manage.py collectstatic --no-input")
    production.finish(migrate, "manage.py migrate --no-input")
    return json.loads((production.root / "static" / "staticfiles.json").read_text())["paths"]


@pytest.fixture
def running(production, installed):
    """`honcho -f Procfile.production start`, stopped afterwards: honcho by its process group,
    and it stops each process it started (by its group) or kills it after five seconds."""
    log = production.root / "honcho.log"
    empty_env_file = production.root / "empty.env"  # not the checkout's .env, if there is one
    empty_env_file.write_text("")
    with log.open("w") as output:
        honcho = subprocess.Popen(
            [str(VENV_BIN / "honcho"), "-f", "Procfile.production", "-e", str(empty_env_file),
             "start"],
            cwd=ROOT,
            env=production.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    started = Started(honcho=honcho, log=log)
    try:
        yield started
    finally:
        children = re.findall(r"\w+\.1 started \(pid=(\d+)\)", log.read_text())
        if honcho.poll() is None:  # else it has stopped its processes itself
            os.killpg(honcho.pid, signal.SIGTERM)
        try:
            honcho.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(honcho.pid, signal.SIGKILL)
            honcho.wait()
            for pid in children:  # each in its own process group, by honcho's design
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(int(pid), signal.SIGKILL)


@dataclass
class Started:
    honcho: subprocess.Popen
    log: Path
    started_at: float = field(default_factory=time.monotonic)

    def output(self) -> str:
        return self.log.read_text()[-10000:]

    @property
    def port(self) -> int | None:
        """The port gunicorn is listening on, once it says so."""
        listening = GUNICORN_LISTENING.search(self.log.read_text())
        return int(listening[1]) if listening else None

    def wait_until(self, what: str, ready, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.honcho.poll() is not None:
                pytest.fail(f"honcho stopped before {what}:\n{self.output()}")
            if ready():
                print(f"{what}: {time.monotonic() - self.started_at:.1f} s after honcho started")
                return
            time.sleep(0.25)
        pytest.fail(f"No {what} after {timeout} s:\n{self.output()}")


# --- Reading pages ---------------------------------------------------------------------------


def stylesheet_and_scripts(html: str) -> tuple[str, list[str]]:
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert stylesheet, "The page links no stylesheet"
    return stylesheet[1], re.findall(r'<script[^>]* src="(/static/[^"]+)"', html)


def link(html: str, pattern: str) -> str:
    found = re.search(pattern, html)
    assert found, f"No link matching {pattern}"
    return found[1]


# --- The deploy ---------------------------------------------------------------------------------


def test_the_academy_deploys_and_serves_with_production_settings(production, installed, running):
    deploy = running
    # Content to fetch: the demo, loaded while the processes start (never on a real site: its
    # accounts have a published password).
    production.finish(production.manage("load_demo"), "manage.py load_demo")
    deploy.wait_until("gunicorn listening", lambda: deploy.port is not None)
    client = Client(deploy.port)

    def healthy() -> bool:
        try:
            return client.get("/healthz", https=False).status == 200
        except OSError:
            return False

    deploy.wait_until("answer from gunicorn on /healthz", healthy)
    deploy.wait_until("Celery worker", lambda: " ready." in deploy.log.read_text())
    deploy.wait_until("Celery beat", lambda: "beat: Starting..." in deploy.log.read_text())

    try:
        check_the_deploy(client, installed, production)
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n\nThe processes' output:\n{deploy.output()}") from None
    assert deploy.honcho.poll() is None, f"A process stopped:\n{deploy.output()}"


def check_the_deploy(client: Client, manifest: dict, production: Deploy) -> None:
    # Plain HTTP without the proxy's header is sent to HTTPS; a load balancer's health check
    # over plain HTTP gets its answer.
    insecure = client.get("/", https=False)
    assert insecure.status == 301
    assert insecure.headers["Location"] == f"https://{HOST}/"

    health = client.ok("/healthz")
    assert json.loads(health.body)["checks"] == {
        "database": {"ok": True, "vendor": "postgresql"},
        "redis": {"ok": True},
    }

    # The public pages, each with the stylesheet and scripts it links to, by their hashed names.
    home = client.ok("/")
    assert "max-age=31536000" in home.headers["Strict-Transport-Security"]
    catalogue = client.ok("/courses/").text
    course_url = link(catalogue, r'href="(/courses/counting-and-mapping-public-resources/)"')
    course = client.ok(course_url).text
    join_url = link(course, r'href="(/cohorts/\d+/join/)">Enrol<span [^>]*> for Cohort 3<')
    case_studies = client.ok("/case-studies/").text
    case_study_url = link(case_studies, r'href="(/case-studies/[a-z0-9-]+/)"')
    case_study = client.ok(case_study_url).text

    for html in (home.text, catalogue, course, case_study):
        stylesheet, scripts = stylesheet_and_scripts(html)
        assert stylesheet == f"/static/{manifest['css/academy.css']}"
        assert re.fullmatch(r"/static/css/academy\.[0-9a-f]{12}\.css", stylesheet)
        css = client.ok(stylesheet)
        assert css.headers["Content-Type"].startswith("text/css")
        assert "immutable" in css.headers["Cache-Control"]
        assert css.body == (production.root / "static" / manifest["css/academy.css"]).read_bytes()
        assert scripts
        for script in scripts:
            assert client.ok(script).headers["Content-Type"].startswith("text/javascript")

    # Uploaded images are served by the proxy from MEDIA_ROOT: the renditions are there.
    images = re.findall(r'<img [^>]*src="/media/([^"]+)"', case_study)
    assert images, f"{case_study_url} shows no image"
    for image in images:
        assert (production.root / "media" / image).is_file(), image

    # A demo learner signs in through the sign-in form and opens My learning.
    signed_in = client.post_form("/accounts/login/", {"login": LEARNER, "password": DEMO_PASSWORD})
    assert signed_in.status == 302, signed_in.text[:2000]
    assert signed_in.headers["Location"] == "/"
    learning = client.ok("/learning/").text
    assert '<h1 class="govuk-heading-xl">My learning</h1>' in learning
    assert "Cohort 12" in learning
    assert "Cohort 3" not in learning

    # Taking a place on the open cohort queues an email; the worker sends it over SMTP.
    joined = client.post_form(join_url, {})
    assert joined.status == 302, joined.text[:2000]
    assert joined.headers["Location"] == "/learning/"
    assert "Cohort 3" in client.ok("/learning/").text
    message = production.mailbox.wait_for(LEARNER, timeout=60)
    received = [(m["X-Envelope-To"], m["Subject"]) for m in production.mailbox.messages]
    assert message is not None, f"No email to {LEARNER} within 60 s; received: {received}"
    assert message["Subject"] == (
        "[Collaborative Leadership Academy] You have a place on "
        "Counting and mapping public resources in a place: Cohort 3"
    )
    assert message["To"] == LEARNER
    # The email has a plain-text part and an HTML one: the plain text carries the link.
    assert f"https://{HOST}/learning/" in message.get_body(("plain",)).get_content()
