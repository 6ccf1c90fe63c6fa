"""Making a race happen on PostgreSQL rather than hoping for it: a call on a connection of its
own, and whether PostgreSQL sees one connection waiting for a lock another holds
(``pg_blocking_pids``). Used by the race tests (decisions §31)."""

import threading
import time
from contextlib import contextmanager

from django.db import connection, transaction

# Bounds only: a passing run waits for an observed lock, not for these.
WAIT_LIMIT = 10
FINISH_LIMIT = 30


class OnItsOwnConnection:
    """Runs ``call`` on a thread of its own, so on a database connection of its own, and knows
    that connection's server process id."""

    def __init__(self, call):
        self.pid = None
        self.result = None
        self.error = None
        self._connected = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(call,), daemon=True)
        self.thread.start()
        assert self._connected.wait(WAIT_LIMIT), "no database connection for the thread"

    def _run(self, call):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self._connected.set()
            self.result = call()
        except BaseException as error:  # handed to the test by finish()
            self.error = error
        finally:
            self._connected.set()
            connection.close()

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def finish(self):
        self.thread.join(timeout=FINISH_LIMIT)
        assert not self.running, "the call did not finish"
        if self.error:
            raise self.error
        return self.result


def blocking_pids(pid: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_blocking_pids(%s)", [pid])
        return cursor.fetchone()[0]


def assert_waits_for(waiter: OnItsOwnConnection, holder: OnItsOwnConnection, what: str) -> None:
    """``waiter`` is seen, by PostgreSQL, waiting for a lock ``holder`` holds (``what``)."""
    deadline = time.monotonic() + WAIT_LIMIT
    while holder.pid not in blocking_pids(waiter.pid):
        assert waiter.running, (
            f"the second call finished without waiting for {what} "
            f"(it returned {waiter.result!r}, error {waiter.error!r})"
        )
        assert time.monotonic() < deadline, f"the second call is not waiting for {what}"
        time.sleep(0.01)
    assert waiter.running


@contextmanager
def held_open(call, what: str):
    """On a connection of its own: run ``call`` in a transaction and keep that transaction open,
    uncommitted (its locks held), until the block ends. Yields the connection; ``finish()``
    afterwards gives what ``call`` returned. ``what`` names the call, for the failure when it
    does not get through."""
    done, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            result = call()
            done.set()
            release.wait(timeout=FINISH_LIMIT)
        return result

    holder = OnItsOwnConnection(hold)
    try:
        if not done.wait(WAIT_LIMIT):
            holder.finish()  # raises what went wrong
            raise AssertionError(f"{what} did not get through")
        yield holder
    finally:
        release.set()
