"""Servers a test starts, stops and starts again itself: a Redis and a PostgreSQL of its own, on
ports nobody else uses, in folders of their own, and the site under gunicorn with production
settings. Never the shared servers on 6379 and 5432. Each is stopped by its process id when the
test ends, whatever happened."""

import contextlib
import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import redis

from tests.services import ROOT, missing, subprocess_environment

from .web_client import GUNICORN_LISTENING, HOST

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    """A port free now. redis-server and PostgreSQL cannot be told to bind port 0 and say which
    port they got, as gunicorn can; the servers here start again on the same port, too."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, ready, timeout: float, *, process: subprocess.Popen | None = None):
    """Poll ``ready`` until it is true; fail after ``timeout`` seconds, or at once if
    ``process`` has stopped."""
    deadline = time.monotonic() + timeout
    while True:
        if ready():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process stopped (exit code {process.returncode})")
        if time.monotonic() > deadline:
            raise AssertionError(f"No {what} after {timeout} s")
        time.sleep(0.05)


class OwnRedis:
    """A redis-server of the test's own. Without persistence, stopped, what it held is gone, and
    started again (on the same port) it is empty; with ``persistent``, it saves what it holds
    when stopped and loads it when started again, as a Redis that was cut off and comes back."""

    def __init__(self, folder: Path, *, persistent: bool = False):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            missing("redis-server", "apt-get install redis-server")
        self.folder = folder
        self.port = free_port()
        self.persistent = persistent
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=2)

    def answers(self) -> bool:
        try:
            with self.client() as connection:
                return connection.ping()
        except redis.RedisError:
            return False

    def start(self) -> None:
        assert self.process is None, "already running"
        log = (self.folder / "redis.log").open("a")
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "3600 1" if self.persistent else "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        wait_for(f"answer from redis-server on port {self.port}", self.answers, 10,
                 process=self.process)  # fmt: skip

    def pause(self) -> None:
        """Freeze it (SIGSTOP): connections are accepted by the kernel and never answered, as
        from a Redis that hangs; what it holds stays."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        """Stop it (SIGTERM, by its process id) and wait until it has gone."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGCONT)  # a paused server would not see SIGTERM
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


class OwnPostgres:
    """A PostgreSQL cluster of the test's own (initdb into a temporary folder, trust
    authentication, no fsync), served on a free port of loopback and a socket in its folder.
    PostgreSQL refuses to run as root: as root, its programs run as the ``postgres`` user."""

    def __init__(self):
        initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb")]
        if not initdb[-1]:
            missing("PostgreSQL's initdb", "apt-get install postgresql")
        self.bin = Path(initdb[-1]).parent
        self.user = None
        if os.geteuid() == 0:
            try:
                import pwd

                pwd.getpwnam("postgres")
            except KeyError:
                missing("A postgres user to run PostgreSQL as", "apt-get install postgresql")
            self.user = "postgres"
        # Not under pytest's tmp_path: its folders are private to root, and PostgreSQL runs as
        # another user.
        self.folder = Path(tempfile.mkdtemp(prefix="academy-postgres-"))
        if self.user:
            shutil.chown(self.folder, self.user, self.user)
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.port = free_port()

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, program: str, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(
            [str(self.bin / program), *args],
            user=self.user,
            group=self.user,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, f"{program} {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync")  # fmt: skip

    def _pg_ctl(self, action: str, *args: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30",
                  *args, action)  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.folder} -c fsync=off"
        )
        self._pg_ctl("start", "-o", options)

    def restart(self) -> None:
        """A fast restart: sessions are ended, the server stops and starts again."""
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def postmaster_pid(self) -> int | None:
        with contextlib.suppress(FileNotFoundError, ValueError, IndexError):
            return int((self.data / "postmaster.pid").read_text().splitlines()[0])
        return None

    def remove(self) -> None:
        """Stop the server if it runs (by the process id in postmaster.pid) and delete the
        cluster."""
        pid = self.postmaster_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGQUIT)  # PostgreSQL's immediate shutdown
                for _ in range(200):
                    os.kill(pid, 0)
                    time.sleep(0.05)
        shutil.rmtree(self.folder, ignore_errors=True)

    def connect(self, name: str) -> psycopg.Connection:
        return psycopg.connect(self.url(name), autocommit=True, connect_timeout=5)

    def client_sessions(self, name: str) -> int:
        """How many sessions other than this one are connected to database ``name``."""
        with self.connect(name) as connection:
            return connection.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchone()[0]


class Gunicorn:
    """The site under gunicorn, as Procfile.production runs it, on a port the kernel gives it;
    its output (access log included) in ``log``. Stopped by its process group, whose id is the
    arbiter's process id: the workers are in it."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int):
        self.log = log
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "academy.wsgi:application",
                 "--bind", "127.0.0.1:0", "--workers", str(workers), "--timeout", "30",
                 "--access-logfile", "-", "--error-logfile", "-", "--no-control-socket"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_for("gunicorn listening", lambda: self.port is not None, 60, process=self.process)

    def output(self) -> str:
        return self.log.read_text()

    @property
    def port(self) -> int | None:
        listening = GUNICORN_LISTENING.search(self.output())
        return int(listening[1]) if listening else None

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def production_environment(tmp_path: Path, static: Path, **env: str) -> dict[str, str]:
    """The environment an operator sets for the site (README.md, "Production"), with folders of
    the test's own and email kept in memory; ``env`` adds DATABASE_URL and REDIS_URL."""
    return subprocess_environment(
        DJANGO_SETTINGS_MODULE="academy.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        STATIC_ROOT=str(static),
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_ROOT=str(tmp_path / "private"),
        CELERY_QUEUE_DIR=str(tmp_path / "celery"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
        **env,
    )
