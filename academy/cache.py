"""The cache on Redis, for which an outage of Redis costs speed, never the site (docs/decisions.md
§38).

Django's ``RedisCache`` raises redis-py's ``ConnectionError`` or ``TimeoutError`` from every call
while Redis does not answer, and every request makes such calls: Wagtail finds the site from
the site root paths it caches, allauth counts sign-in attempts in the cache, the public pages
and course outlines are cached. ``ResilientRedisCache`` is Django's ``RedisCache`` that, while
Redis does not answer:

* **answers as an empty cache would**: reads miss (``get`` gives the default, ``add`` and
  ``has_key`` False, ``incr`` the ``ValueError`` of a missing key) and writes are dropped.
  Whatever the cache holds, the database can rebuild: pages are rendered, not served from the
  cache, and nothing is stored (``courses/cache.py`` stores a page only under a generation
  token it could read);
* **stops trying for a moment** (a circuit breaker): after a failed call, no call in the process
  tries Redis for ``OUTAGE_PAUSE`` seconds, and each answers at once. A request pays at most one
  connection or read timeout (the socket timeouts in ``OPTIONS``), not one for each of its
  cache calls. Then the next call tries again; the first that succeeds ends the outage;
* **keeps some keys in the process's memory** (``PER_PROCESS_DURING_OUTAGE``: key prefix → what
  they are): allauth's sign-in throttling, so that it goes on counting, per process, instead of
  switching off, and so that its lock (``add``) is taken rather than refused, which would refuse
  every sign-in. Never the page caches: a copy in one process would not see a purge made in
  another, and would serve the stale page;
* **remembers what Redis missed**: each key written or deleted meanwhile may hold an older value
  in Redis (a page's generation token a publish renewed, a course outline's version); when Redis
  answers again, the process deletes those keys from it (a deleted token matches no cached
  entry), so Redis never answers with a value that a change made during the outage replaced.
  Up to ``REMEMBERED_KEYS`` keys; a process that stops before Redis returns forgets its list,
  and what it missed then stays stale at most until the entries' own timeouts.

Logs (``academy.cache``): one warning when an outage begins in a process, saying what the cache
does meanwhile; a reminder each ``REMINDER_EVERY`` seconds while it lasts; one line when Redis
answers again.

Why not django-redis with ``IGNORE_EXCEPTIONS``: it answers ``add`` with None during an
outage, so allauth's throttle lock is never taken and every sign-in is refused with a 429 after a
second's wait; it tries Redis on every call (a connection attempt, or a timeout, for each call of
each request) and logs every one; it has no memory of missed writes, so a page published during
the outage would be served stale once Redis is back. And Django's own backend, which the settings
already use, needs only these few lines around it.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What an unreachable (stopped, restarting, overloaded or cut off) Redis raises. Any other
# error (a wrong command, a value that does not unpickle) is a bug, and is raised.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
REMEMBERED_KEYS = 10_000
REMINDER_EVERY = 60
_UNREACHED = object()


def _where(location: str) -> str:
    """A Redis URL without its credentials, for the logs."""
    parts = urlsplit(location)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"


class Outage:
    """What one process knows of one Redis server: whether it answers, since when it has not,
    when to try it again, and which keys it missed. Shared by every cache object (one per thread
    and alias) on that server."""

    def __init__(self, where: str, pause: float):
        self.where = where
        self.pause = pause
        self.began: float | None = None
        self.retry_at = 0.0
        self.reminded_at = 0.0
        self.missed: set[str] = set()
        self.forgotten = 0
        self._lock = threading.Lock()

    def may_try(self) -> bool:
        return self.began is None or time.monotonic() >= self.retry_at

    def failed(self, error: Exception, meanwhile: str) -> None:
        now = time.monotonic()
        with self._lock:
            self.retry_at = now + self.pause
            if self.began is None:
                self.began = self.reminded_at = now
                began = True
            elif now - self.reminded_at >= REMINDER_EVERY:
                self.reminded_at = now
                began = False
            else:
                return
        if began:
            logger.warning(
                "Redis at %s is unreachable (%s: %s): the cache answers as if empty and drops "
                "what it is given, trying Redis again every %s s%s",
                self.where, type(error).__name__, error, self.pause, meanwhile,
            )  # fmt: skip
        else:
            logger.warning(
                "Redis at %s is still unreachable after %.0f s (%s: %s)",
                self.where, now - self.began, type(error).__name__, error,
            )  # fmt: skip

    def remember(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                if len(self.missed) < REMEMBERED_KEYS:
                    self.missed.add(key)
                elif key not in self.missed:
                    self.forgotten += 1

    def missed_so_far(self) -> list[str]:
        with self._lock:
            return sorted(self.missed)

    def ended(self, deleted: list[str]) -> tuple[float, int, int] | None:
        """Redis answered and the keys it missed, ``deleted``, are gone from it: the outage
        ends, unless more keys were missed meanwhile (the next call deletes them first). How
        long it lasted, how many keys were deleted and how many not remembered; None if it had
        ended already."""
        with self._lock:
            self.missed.difference_update(deleted)
            if self.began is None or self.missed:
                return None
            lasted = time.monotonic() - self.began
            forgotten = self.forgotten
            self.began, self.forgotten = None, 0
        return lasted, len(deleted), forgotten


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_of(location: str, pause: float) -> Outage:
    with _outages_lock:
        if location not in _outages:
            _outages[location] = Outage(_where(location), pause)
        return _outages[location]


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, for which Redis being unreachable costs speed, never an error (see
    the module's docstring). ``OPTIONS`` takes, besides redis-py's connection options:

    - ``OUTAGE_PAUSE``: seconds without trying Redis after a failed call (default 5);
    - ``PER_PROCESS_DURING_OUTAGE``: ``{key prefix: what those keys are}``, kept in the
      process's memory while Redis is unreachable."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        pause = float(options.pop("OUTAGE_PAUSE", 5))
        per_process = dict(options.pop("PER_PROCESS_DURING_OUTAGE", {}))
        super().__init__(server, {**params, "OPTIONS": options})
        location = ",".join(self._servers)
        self.outage = outage_of(location, pause)
        self._per_process_prefixes = tuple(per_process)
        self._meanwhile = "".join(
            f"; {what} ({prefix}…) counts in this process's memory meanwhile"
            for prefix, what in per_process.items()
        )
        self._memory = LocMemCache(
            f"academy-redis-outage:{location}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 10_000}},
        )

    # --- The outage -------------------------------------------------------------------------

    def _attempt(self, call: Callable, *args) -> Any:
        """``call(*args)`` on Redis; ``_UNREACHED`` when Redis does not answer, or is being
        left alone for a moment. The first call to reach Redis after an outage first deletes
        what Redis missed, so that neither it nor any later call reads a replaced value."""
        try:
            if self.outage.began is not None:
                if not self.outage.may_try():
                    return _UNREACHED
                self._catch_up()
            return call(*args)
        except UNREACHABLE as error:
            self.outage.failed(error, self._meanwhile)
            return _UNREACHED

    def _catch_up(self) -> None:
        """Delete from Redis the keys it missed (or, if none, ask whether it answers), then end
        the outage and forget the per-process copies. Raises what Redis raises."""
        keys = self.outage.missed_so_far()
        if keys:
            for start in range(0, len(keys), 500):
                self._cache.delete_many(keys[start : start + 500])
        else:
            self._cache.get_client(write=True).ping()
        ended = self.outage.ended(keys)
        if ended is None:
            return
        lasted, deleted, forgotten = ended
        self._memory.clear()
        logger.warning(
            "Redis at %s answers again after %.0f s; deleted the %d keys changed meanwhile%s",
            self.outage.where, lasted, deleted,
            f" ({forgotten} more were not remembered: they expire in time)" if forgotten else "",
        )  # fmt: skip

    def _per_process(self, key: str) -> bool:
        return bool(self._per_process_prefixes) and key.startswith(self._per_process_prefixes)

    def _missed(self, keys: Iterable[str], version) -> None:
        self.outage.remember(self.make_and_validate_key(key, version=version) for key in keys)

    # --- The cache's operations -------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = self._attempt(super().add, key, value, timeout, version)
        if added is not _UNREACHED:
            return added
        if self._per_process(key):
            return self._memory.add(key, value, timeout, version)
        return False

    def get(self, key, default=None, version=None):
        value = self._attempt(super().get, key, default, version)
        if value is _UNREACHED:
            if self._per_process(key):
                return self._memory.get(key, default, version)
            return default
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self._attempt(super().set, key, value, timeout, version) is _UNREACHED:
            self._missed([key], version)
            if self._per_process(key):
                self._memory.set(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        touched = self._attempt(super().touch, key, timeout, version)
        if touched is not _UNREACHED:
            return touched
        if self._per_process(key):
            return self._memory.touch(key, timeout, version)
        return False

    def delete(self, key, version=None):
        deleted = self._attempt(super().delete, key, version)
        if deleted is not _UNREACHED:
            return deleted
        self._missed([key], version)
        if self._per_process(key):
            return self._memory.delete(key, version)
        return False

    def get_many(self, keys, version=None):
        keys = list(keys)
        found = self._attempt(super().get_many, keys, version)
        if found is not _UNREACHED:
            return found
        return self._memory.get_many([key for key in keys if self._per_process(key)], version)

    def has_key(self, key, version=None):
        found = self._attempt(super().has_key, key, version)
        if found is not _UNREACHED:
            return found
        return self._per_process(key) and self._memory.has_key(key, version)

    def incr(self, key, delta=1, version=None):
        value = self._attempt(super().incr, key, delta, version)
        if value is not _UNREACHED:
            return value
        if self._per_process(key):
            return self._memory.incr(key, delta, version)
        raise ValueError(f"Key '{key}' not found.")

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if self._attempt(super().set_many, data, timeout, version) is not _UNREACHED:
            return []
        self._missed(data, version)
        kept = {key: value for key, value in data.items() if self._per_process(key)}
        self._memory.set_many(kept, timeout, version)
        return [key for key in data if key not in kept]

    def delete_many(self, keys, version=None):
        keys = list(keys)
        if self._attempt(super().delete_many, keys, version) is _UNREACHED:
            self._missed(keys, version)
            self._memory.delete_many([key for key in keys if self._per_process(key)], version)

    def clear(self):
        self._memory.clear()
        cleared = self._attempt(super().clear)
        return False if cleared is _UNREACHED else cleared
