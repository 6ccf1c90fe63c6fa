"""The outbox: every email is a row first, then a message.

Writing (``enqueue``) happens inside the transaction of the change that causes the email, so the
email exists exactly when the change does. Sending happens in the worker:

- ``dispatch`` (beat, every minute) returns expired leases to pending (the sweeper), asks every
  reminder kind what is due, gathers digests, and queues what is due in batches, paced to the
  configured rate;
- ``send`` claims a batch (pending → sending, with a lease, under ``SELECT … FOR UPDATE SKIP
  LOCKED``), renders and sends each message, and marks each row sent the moment its message is
  accepted. A second run of the same batch finds nothing pending and sends nothing. A worker
  killed between a message being accepted and its row being marked sends that one message
  again when the lease expires — with the same Message-ID;
- a transient failure (the mail server refusing for now, a dropped connection) returns the row
  to pending with exponential backoff; a permanent one (an address refused for good, a row that
  cannot be rendered) marks it failed with the reason. Staff see all of it in the admin.

The broker only carries ids: a send task lost with the broker is queued again by ``dispatch``
once ``queued_until`` passes, and the database decides what is sent.
"""

import contextlib
import contextvars
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from .. import queueing
from ..models import NotificationPreference, OutboxEmail
from . import kinds as registry
from .kinds import Notice

logger = logging.getLogger(__name__)

Status = OutboxEmail.Status
Delivery = OutboxEmail.Delivery
LONDON = ZoneInfo("Europe/London")
DIGEST = "digest"

_history: contextvars.ContextVar[bool] = contextvars.ContextVar("outbox_history", default=False)


def config(name: str):
    return settings.OUTBOX[name]


@contextlib.contextmanager
def history() -> Iterator[None]:
    """Inside this block, emails are recorded as already sent and nothing is queued: for
    building the past (the demo academy), whose people were told at the time."""
    token = _history.set(True)
    try:
        yield
    finally:
        _history.reset(token)


# --- Writing ---------------------------------------------------------------------------------


def digest_time(delivery: str, after: datetime) -> datetime:
    """When a digest that includes something due at ``after`` goes out: the next digest hour
    (UK time) after it — every day, or on the digest weekday."""
    local = after.astimezone(LONDON)
    at = datetime.combine(local.date(), time(config("DIGEST_HOUR")), tzinfo=LONDON)
    if at <= local:
        at += timedelta(days=1)
    if delivery == Delivery.WEEKLY:
        at += timedelta(days=(config("DIGEST_WEEKDAY") - at.weekday()) % 7)
    return at


def row_key(kind_name: str, notice: Notice) -> str:
    """A notice's row key: the kind, the occurrence and the person. Unique, so the same email
    is never written twice."""
    return f"{kind_name}:{notice.ref}:{notice.user_id}"[:255]


def unwritten(kind_name: str, notices: Iterable[Notice]) -> list[Notice]:
    """The notices whose row is not written yet (one query): what a reminder kind offers again
    every minute while it is due costs one lookup, not a write."""
    by_key = {row_key(kind_name, notice): notice for notice in notices}
    if not by_key:
        return []
    written = set(OutboxEmail.objects.filter(key__in=by_key).values_list("key", flat=True))
    return [notice for key, notice in by_key.items() if key not in written]


def enqueue(kind_name: str, notices: Iterable[Notice], *, now: datetime | None = None) -> int:
    """Write an outbox row for each notice, inside the caller's transaction, honouring each
    person's preferences (off: nothing written; a digest: due at the digest's hour). A notice
    whose row exists already writes nothing. What is due now is handed to a worker after
    commit; if the broker is down then, ``dispatch`` queues it later. Returns how many rows
    were offered to the database (existing keys are skipped by it)."""
    kind = registry.get_kind(kind_name)
    if kind is None:
        raise LookupError(f"No email kind is registered as {kind_name!r}")
    notices = list(notices)
    if not notices:
        return 0
    now = now or timezone.now()
    preferences = {
        preference.user_id: preference
        for preference in NotificationPreference.objects.filter(
            kind=kind_name, user_id__in={notice.user_id for notice in notices}
        )
    }
    recorded = _history.get()
    queued_until = now + timedelta(seconds=config("QUEUED_SECONDS"))
    rows = []
    for notice in notices:
        preference = preferences.get(notice.user_id)
        if preference is not None and not preference.enabled and kind.can_switch_off:
            continue
        delivery = Delivery.IMMEDIATE
        if preference is not None and kind.digestible:
            delivery = preference.delivery
        due_at = notice.due_at or now
        if delivery != Delivery.IMMEDIATE:
            due_at = digest_time(delivery, due_at)
        row = OutboxEmail(
            key=row_key(kind_name, notice),
            kind=kind_name,
            user_id=notice.user_id,
            params=notice.params,
            about=notice.about,
            delivery=delivery,
            due_at=due_at,
            created_at=now,
        )
        if recorded:
            row.status, row.sent_at = Status.SENT, due_at
        elif delivery == Delivery.IMMEDIATE and due_at <= now:
            row.queued_until = queued_until
        rows.append(row)
    OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    if not recorded and any(row.queued_until for row in rows):
        # The rows written now (not older ones with the same key) carry this exact time.
        ids = list(
            OutboxEmail.objects.filter(
                key__in=[row.key for row in rows if row.queued_until],
                status=Status.PENDING,
                queued_until=queued_until,
            ).values_list("pk", flat=True)
        )
        if ids:
            transaction.on_commit(lambda: publish(ids))
    return len(rows)


def publish(ids: list[int], *, countdown: float = 0) -> bool:
    """Hand rows to a worker, in batches (``academy.queueing``). If the broker cannot take them,
    they wait: ``dispatch`` queues them again once their ``queued_until`` has passed."""
    from ..tasks import outbox_send_task

    size = config("BATCH_SIZE")
    error = queueing.publish(
        outbox_send_task,
        [(ids[start : start + size],) for start in range(0, len(ids), size)],
        countdown=countdown or None,
    )
    if error is not None:
        logger.warning(
            "Outbox: could not queue %d email(s) (%s: %s); dispatch will queue them later",
            len(ids),
            error.__class__.__name__,
            error,
        )
        return False
    return True


# --- Dispatching -----------------------------------------------------------------------------


@dataclass
class Dispatched:
    swept: int = 0
    written: dict[str, int] = field(default_factory=dict)
    digests: int = 0
    queued: int = 0


def sweep(now: datetime | None = None) -> int:
    """Rows whose worker's lease has run out (the worker died) are pending again."""
    now = now or timezone.now()
    swept = OutboxEmail.objects.filter(status=Status.SENDING, lease_until__lt=now).update(
        status=Status.PENDING, lease_until=None, queued_until=None
    )
    if swept:
        logger.warning("Outbox: %d email(s) whose worker stopped are pending again", swept)
    return swept


def write_reminders(now: datetime) -> dict[str, int]:
    """Ask every reminder kind what is due now and write what is not written yet (each kind in
    its own transaction, so one kind's failure does not stop the others). Returns how many rows
    each kind offered that were new."""
    written = {}
    for kind in registry.reminder_kinds():
        try:
            with transaction.atomic():
                notices = unwritten(kind.name, kind.due(now))
                written[kind.name] = enqueue(kind.name, notices, now=now)
        except Exception:
            logger.exception("Outbox: the %s reminders could not be written", kind.name)
    return written


def gather_digests(now: datetime) -> int:
    """Put each person's due digest items into one digest email per person and frequency."""
    groups = list(
        OutboxEmail.objects.filter(
            status=Status.PENDING,
            delivery__in=[Delivery.DAILY, Delivery.WEEKLY],
            due_at__lte=now,
        )
        .values("user_id", "delivery")
        .annotate(first=Min("due_at"))
        .order_by()
    )
    made = 0
    for group in groups:
        with transaction.atomic():
            slot = group["first"].astimezone(LONDON)
            key = f"{DIGEST}:{group['delivery']}:{slot:%Y%m%d%H%M}:{group['user_id']}"
            digest = _open_digest(key, group["user_id"], group["delivery"], now)
            made += OutboxEmail.objects.filter(
                user_id=group["user_id"],
                delivery=group["delivery"],
                status=Status.PENDING,
                due_at__lte=now,
            ).update(status=Status.IN_DIGEST, digest=digest)
    return made


def _open_digest(key: str, user_id: int, delivery: str, now: datetime) -> OutboxEmail:
    """The digest for this slot that is still pending, locked until the items are in it. An
    item gathered after its slot's digest was claimed or sent (its change committed a moment
    after the gathering) goes in a digest of its own: the message of the first is written
    already, and marking the item with it would mark it sent unsent."""
    number = 0
    while True:
        candidate = key if number == 0 else f"{key}:{number}"
        OutboxEmail.objects.bulk_create(
            [
                OutboxEmail(
                    key=candidate,
                    kind=DIGEST,
                    user_id=user_id,
                    params={"delivery": delivery},
                    due_at=now,
                    created_at=now,
                )
            ],
            ignore_conflicts=True,
        )
        digest = OutboxEmail.objects.select_for_update().get(key=candidate)
        if digest.status == Status.PENDING:
            return digest
        number += 1


def queue_due(now: datetime) -> int:
    """Queue what is due and not already on the broker, at most a dispatch interval's worth at
    the configured rate, in batches spread over the interval."""
    rate = config("RATE_PER_MINUTE")
    interval = config("DISPATCH_SECONDS")
    limit = max(1, rate * interval // 60)
    with transaction.atomic():
        ids = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, delivery=Delivery.IMMEDIATE, due_at__lte=now)
            .filter(Q(queued_until__isnull=True) | Q(queued_until__lt=now))
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return 0
        OutboxEmail.objects.filter(pk__in=ids).update(
            queued_until=now + timedelta(seconds=interval + config("QUEUED_SECONDS"))
        )
    size = config("BATCH_SIZE")
    for number, start in enumerate(range(0, len(ids), size)):
        if not publish(ids[start : start + size], countdown=number * size * 60 / rate):
            break
    return len(ids)


def dispatch(now: datetime | None = None) -> Dispatched:
    now = now or timezone.now()
    report = Dispatched()
    report.swept = sweep(now)
    report.written = write_reminders(now)
    report.digests = gather_digests(now)
    report.queued = queue_due(now)
    return report


# --- Sending ---------------------------------------------------------------------------------


def _claim(ids: list[int], now: datetime) -> list[int]:
    """Take the rows of this batch that are still pending and due, up to what the rate allows
    in the last minute; the rest stay for a later batch."""
    allowance = (
        config("RATE_PER_MINUTE")
        - OutboxEmail.objects.filter(
            status=Status.SENT, sent_at__gte=now - timedelta(minutes=1)
        ).count()
    )
    if allowance <= 0:
        return []
    with transaction.atomic():
        claimed = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=Status.PENDING, due_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)[:allowance]
        )
        OutboxEmail.objects.filter(pk__in=claimed).update(
            status=Status.SENDING,
            lease_until=now + timedelta(seconds=config("LEASE_SECONDS")),
            attempts=F("attempts") + 1,
        )
    return claimed


def transient(error: Exception) -> bool:
    """Worth trying again later: the server said "not now" (4xx), or the connection failed."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if code is not None:
        return 400 <= code < 500
    return isinstance(error, OSError)


def _retry(row: OutboxEmail, error: Exception, now: datetime) -> int | None:
    """Pending again after a delay that doubles with each attempt, or failed for good (a
    permanent refusal, or the last attempt). Returns the delay, or ``None`` if it failed."""
    reason = f"{error.__class__.__name__}: {error}"[:2000]
    if row.attempts >= config("MAX_ATTEMPTS") or not transient(error):
        OutboxEmail.objects.filter(pk=row.pk, status=Status.SENDING).update(
            status=Status.FAILED, last_error=reason, lease_until=None
        )
        logger.error("Outbox: email %s failed for good: %s", row.key, reason)
        return None
    delay = min(config("BACKOFF_SECONDS") * 2 ** (row.attempts - 1), config("BACKOFF_MAX_SECONDS"))
    due_at = now + timedelta(seconds=delay)
    OutboxEmail.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.PENDING,
        last_error=reason,
        lease_until=None,
        due_at=due_at,
        queued_until=due_at + timedelta(seconds=config("QUEUED_SECONDS")),
    )
    logger.warning("Outbox: email %s will be tried again in %ss: %s", row.key, delay, reason)
    return delay


def _skip(rows: list[OutboxEmail], reason: str) -> None:
    ids = [row.pk for row in rows]
    OutboxEmail.objects.filter(pk__in=ids, status=Status.SENDING).update(
        status=Status.SKIPPED, last_error=reason, lease_until=None
    )
    OutboxEmail.objects.filter(digest_id__in=ids).update(status=Status.SKIPPED, last_error=reason)


def _mark_sent(row: OutboxEmail, to_email: str, subject: str, now: datetime) -> None:
    with transaction.atomic():
        OutboxEmail.objects.filter(pk=row.pk, status=Status.SENDING).update(
            status=Status.SENT,
            sent_at=now,
            to_email=to_email,
            subject=subject[:255],
            lease_until=None,
            last_error="",
        )
        if row.kind == DIGEST:
            OutboxEmail.objects.filter(digest_id=row.pk).update(status=Status.SENT, sent_at=now)


def send(ids: list[int], *, now: datetime | None = None) -> int:
    """Send the outbox rows ``ids`` that are still pending; returns how many were sent."""
    from .messages import build_messages

    now = now or timezone.now()
    claimed = _claim(ids, now)
    if not claimed:
        return 0
    rows = list(OutboxEmail.objects.filter(pk__in=claimed).select_related("user").order_by("pk"))
    built = build_messages(rows)
    skipped: dict[str, list[OutboxEmail]] = defaultdict(list)
    retries: dict[int, list[int]] = defaultdict(list)
    sent = 0
    # One connection for the batch, opened when the first message goes and opened afresh after
    # a failure (the server may have dropped it).
    connection, opened = get_connection(), False
    try:
        for row, outcome in zip(rows, built, strict=True):
            if isinstance(outcome, str):
                skipped[outcome].append(row)
                continue
            if isinstance(outcome, Exception):
                _retry(row, outcome, now)
                continue
            try:
                if not opened:
                    connection.open()
                    opened = True
                connection.send_messages([outcome])
            except Exception as error:
                delay = _retry(row, error, timezone.now())
                if delay is not None:
                    retries[delay].append(row.pk)
                with contextlib.suppress(Exception):
                    connection.close()
                opened = False
                continue
            _mark_sent(row, outcome.to[0], outcome.subject, timezone.now())
            sent += 1
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    for reason, rows_skipped in skipped.items():
        _skip(rows_skipped, reason)
    for delay, retry_ids in retries.items():
        publish(retry_ids, countdown=delay)  # sooner than dispatch would; dispatch if it fails
    return sent
