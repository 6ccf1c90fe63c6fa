"""The outbox's engine (academy/outbox/engine.py): writing in the caller's transaction, each
key once, preferences and digests, sending each row once with a lease, backoff and a paced
rate, the sweeper, and the message itself (Message-ID, unsubscribe headers, both parts).

Failures come from a real SMTP server on loopback (tests/smtp.py) answering as each test
needs; the claim race runs on two PostgreSQL connections."""

import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

from django.core import mail
from django.db import transaction
from django.urls import resolve
from django.utils import timezone

import pytest

from academy import outbox
from academy.models import NotificationPreference, OutboxEmail
from academy.outbox import engine
from academy.outbox.preferences import read_unsubscribe_token
from tests.factories import UserFactory
from tests.services import require_postgres
from tests.smtp import smtp_server, smtp_settings

from ..integration.connections import OnItsOwnConnection, held_open
from .outbox_kinds import NOT_SWITCHABLE, REMINDER, reminder_kind, reminders  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reminder_kind")]
Status = OutboxEmail.Status
Delivery = OutboxEmail.Delivery


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def all_ids() -> list[int]:
    return list(OutboxEmail.objects.order_by("pk").values_list("pk", flat=True))


def prefer(user, delivery: str = Delivery.IMMEDIATE, *, enabled: bool = True, kind=REMINDER):
    NotificationPreference.objects.create(user=user, kind=kind, enabled=enabled, delivery=delivery)


def outbox_settings(settings, **values) -> None:
    settings.OUTBOX = {**settings.OUTBOX, **values}


# --- Writing ---------------------------------------------------------------------------------


def test_a_rolled_back_change_writes_no_row_and_sends_nothing(django_capture_on_commit_callbacks):
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(REMINDER, reminders([user]))
        raise RuntimeError("the change failed")
    assert not OutboxEmail.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_a_committed_change_hands_its_email_to_a_worker_after_the_commit(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            assert outbox.enqueue(REMINDER, reminders([user])) == 1
        assert mail.outbox == []  # nothing is sent before the commit
    row = OutboxEmail.objects.get()
    assert (row.status, row.delivery, row.user) == (Status.PENDING, Delivery.IMMEDIATE, user)
    assert row.queued_until > timezone.now()  # on the broker: dispatch leaves it alone
    assert len(callbacks) == 1
    callbacks[0]()  # the commit's publish: tasks run inline in the tests
    assert [message.to for message in mail.outbox] == [[user.email]]
    row.refresh_from_db()
    assert (row.status, row.to_email, row.attempts) == (Status.SENT, user.email, 1)
    assert row.subject.endswith("Reminder 0")


def test_the_same_email_written_twice_is_one_row(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        outbox.enqueue(REMINDER, reminders([user]))
        outbox.enqueue(REMINDER, reminders([user]))
    assert OutboxEmail.objects.count() == 1
    # The second write found the key taken and hands nothing more to a worker.
    assert len(callbacks) == 1


def test_an_unknown_kind_is_refused():
    with pytest.raises(LookupError, match="No email kind is registered as 'nothing'"):
        outbox.enqueue("nothing", reminders([UserFactory()]))


def test_a_kind_switched_off_writes_nothing_unless_it_cannot_be_switched_off():
    user = UserFactory()
    prefer(user, enabled=False)
    prefer(user, enabled=False, kind=NOT_SWITCHABLE)
    assert outbox.enqueue(REMINDER, reminders([user])) == 0
    assert outbox.enqueue(NOT_SWITCHABLE, reminders([user])) == 1
    assert list(OutboxEmail.objects.values_list("kind", flat=True)) == [NOT_SWITCHABLE]


@pytest.mark.parametrize(
    ("delivery", "due"),
    [
        # Monday 5 January 2026, 10:00 (GMT): tomorrow at 07:00; next Monday at 07:00.
        (Delivery.DAILY, utc(2026, 1, 6, 7)),
        (Delivery.WEEKLY, utc(2026, 1, 12, 7)),
    ],
)
def test_a_digest_preference_makes_the_email_wait_for_the_digest_hour(
    django_capture_on_commit_callbacks, delivery, due
):
    user = UserFactory()
    prefer(user, delivery)
    with django_capture_on_commit_callbacks() as callbacks:
        outbox.enqueue(REMINDER, reminders([user]), now=utc(2026, 1, 5, 10))
    row = OutboxEmail.objects.get()
    assert (row.delivery, row.due_at, row.queued_until) == (delivery, due, None)
    assert callbacks == []  # nothing to hand to a worker before the digest hour


def test_a_kind_without_digests_is_sent_as_it_happens_whatever_the_preference():
    user = UserFactory()
    prefer(user, Delivery.DAILY, kind=NOT_SWITCHABLE)
    outbox.enqueue(NOT_SWITCHABLE, reminders([user]))
    assert OutboxEmail.objects.get().delivery == Delivery.IMMEDIATE


@pytest.mark.parametrize(
    ("delivery", "after", "expected"),
    [
        # The clocks go forward on Sunday 29 March 2026 at 01:00 GMT: 07:00 is 06:00 UTC after.
        (Delivery.DAILY, utc(2026, 3, 28, 12), utc(2026, 3, 29, 6)),
        (Delivery.DAILY, utc(2026, 3, 29, 6, 30), utc(2026, 3, 30, 6)),
        (Delivery.WEEKLY, utc(2026, 3, 25, 12), utc(2026, 3, 30, 6)),
        # They go back on Sunday 25 October 2026 at 01:00 UTC: 07:00 is 07:00 UTC after.
        (Delivery.DAILY, utc(2026, 10, 24, 12), utc(2026, 10, 25, 7)),
        (Delivery.WEEKLY, utc(2026, 10, 21, 12), utc(2026, 10, 26, 7)),
        # A minute before the hour is today's digest; the hour itself is tomorrow's.
        (Delivery.DAILY, utc(2026, 6, 1, 5, 59), utc(2026, 6, 1, 6)),
        (Delivery.DAILY, utc(2026, 6, 1, 6), utc(2026, 6, 2, 6)),
        (Delivery.DAILY, utc(2026, 12, 1, 6, 59), utc(2026, 12, 1, 7)),
        # Monday before the hour: this morning's weekly digest.
        (Delivery.WEEKLY, utc(2026, 1, 5, 6), utc(2026, 1, 5, 7)),
    ],
)
def test_the_digest_hour_is_seven_in_the_uk_in_summer_and_winter(delivery, after, expected):
    assert engine.digest_time(delivery, after) == expected


def test_history_records_emails_as_sent_without_sending_them(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, outbox.history():
        outbox.enqueue(REMINDER, reminders([user]), now=utc(2026, 2, 2, 9))
    row = OutboxEmail.objects.get()
    assert (row.status, row.sent_at) == (Status.SENT, utc(2026, 2, 2, 9))
    assert callbacks == []
    assert outbox.send(all_ids()) == 0
    assert mail.outbox == []
    # Outside the block, emails are written to be sent again.
    outbox.enqueue(REMINDER, reminders([user], ref="later"))
    assert OutboxEmail.objects.filter(status=Status.PENDING).count() == 1


# --- Digests ---------------------------------------------------------------------------------


def test_a_persons_digest_items_go_out_together_in_one_email():
    user, other = UserFactory(), UserFactory()
    prefer(user, Delivery.DAILY)
    outbox.enqueue(REMINDER, reminders([user, user], ref="a"), now=utc(2026, 1, 5, 10))
    outbox.enqueue(REMINDER, reminders([other], ref="b"), now=utc(2026, 1, 5, 10))
    outbox.send([OutboxEmail.objects.get(user=other).pk])  # the other person's, as it happens
    assert len(mail.outbox) == 1

    report = outbox.dispatch(now=utc(2026, 1, 6, 6, 59))
    assert (report.digests, len(mail.outbox)) == (0, 1)  # not yet the hour

    report = outbox.dispatch(now=utc(2026, 1, 6, 7, 1))
    assert report.digests == 2
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert digest.to == [user.email]
    assert digest.subject.endswith("Your daily digest: 2 updates")
    assert "Reminder 0" in digest.body and "Reminder 1" in digest.body
    items = OutboxEmail.objects.filter(kind=REMINDER, user=user)
    assert {item.status for item in items} == {Status.SENT}
    assert {item.digest.kind for item in items} == {"digest"}


def test_an_item_gathered_after_its_digest_was_sent_goes_in_the_next_one():
    """An item due at the same hour but written after that hour's digest went out (its change
    committed a moment after the gathering) is not tied to the digest already sent."""
    user = UserFactory()
    prefer(user, Delivery.DAILY)
    outbox.enqueue(REMINDER, reminders([user], ref="early"), now=utc(2026, 1, 5, 10))
    outbox.dispatch(now=utc(2026, 1, 6, 7, 1))
    assert len(mail.outbox) == 1

    outbox.enqueue(REMINDER, reminders([user], ref="late"), now=utc(2026, 1, 6, 6, 59, 59))
    outbox.dispatch(now=utc(2026, 1, 6, 7, 2))

    late = OutboxEmail.objects.get(key__contains=":late:")
    assert late.status == Status.SENT
    assert len(mail.outbox) == 2
    assert "Reminder 0" in mail.outbox[1].body
    assert OutboxEmail.objects.filter(kind="digest", status=Status.SENT).count() == 2


def test_an_item_is_never_added_to_a_digest_being_sent():
    user = UserFactory()
    prefer(user, Delivery.DAILY)
    outbox.enqueue(REMINDER, reminders([user], ref="early"), now=utc(2026, 1, 5, 10))
    engine.gather_digests(utc(2026, 1, 6, 7, 1))
    digest = OutboxEmail.objects.get(kind="digest")
    engine._claim([digest.pk], timezone.now())  # a worker is writing its message now
    outbox.enqueue(REMINDER, reminders([user], ref="late"), now=utc(2026, 1, 6, 6, 59, 59))
    engine.gather_digests(utc(2026, 1, 6, 7, 2))
    late = OutboxEmail.objects.get(key__contains=":late:")
    assert late.digest_id not in (None, digest.pk)
    assert late.digest.status == Status.PENDING


def test_a_digest_whose_items_are_all_stale_is_not_sent():
    user = UserFactory()
    prefer(user, Delivery.WEEKLY)
    outbox.enqueue(REMINDER, reminders([user], params={"stale": True}), now=utc(2026, 1, 5, 10))
    outbox.dispatch(now=utc(2026, 1, 12, 7, 1))
    assert mail.outbox == []
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {Status.SKIPPED}


# --- Sending ---------------------------------------------------------------------------------


def test_sending_the_same_rows_again_sends_nothing():
    users = UserFactory.create_batch(3)
    outbox.enqueue(REMINDER, reminders(users))
    assert outbox.send(all_ids()) == 3
    assert outbox.send(all_ids()) == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted(u.email for u in users)
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {1}


def test_a_row_not_yet_due_is_not_sent():
    outbox.enqueue(REMINDER, reminders([UserFactory()], due_at=timezone.now() + timedelta(hours=1)))
    assert outbox.send(all_ids()) == 0
    assert OutboxEmail.objects.get().status == Status.PENDING


def test_a_stale_row_is_not_sent_and_says_why():
    outbox.enqueue(REMINDER, reminders([UserFactory()], params={"stale": True}))
    assert outbox.send(all_ids()) == 0
    row = OutboxEmail.objects.get()
    assert (row.status, row.last_error) == (Status.SKIPPED, "No longer relevant")


def test_an_email_to_a_closed_account_is_not_sent():
    user = UserFactory(is_active=False)
    outbox.enqueue(REMINDER, reminders([user]))
    assert outbox.send(all_ids()) == 0
    row = OutboxEmail.objects.get()
    assert (row.status, row.last_error) == (Status.SKIPPED, "The account is no longer active")


def test_a_row_that_cannot_be_written_fails_with_the_reason():
    outbox.enqueue(REMINDER, reminders([UserFactory()], params={"broken": True}))
    assert outbox.send(all_ids()) == 0
    row = OutboxEmail.objects.get()
    assert row.status == Status.FAILED
    assert "ValueError: the reminder's template needs a session" in row.last_error


def answer_451(message: EmailMessage) -> str:
    return "451 4.3.0 Try again later"


def test_a_mail_server_saying_not_now_puts_the_email_back_with_a_growing_wait(settings):
    outbox.enqueue(REMINDER, reminders([UserFactory()]))
    with smtp_server(refuse_data=answer_451) as (mailbox, port):
        smtp_settings(settings, port)
        waits = []
        for attempt in (1, 2, 3):
            OutboxEmail.objects.update(due_at=timezone.now() - timedelta(seconds=1))
            before = timezone.now()
            assert outbox.send(all_ids()) == 0
            row = OutboxEmail.objects.get()
            assert (row.status, row.attempts, row.lease_until) == (Status.PENDING, attempt, None)
            assert "451" in row.last_error and "Try again later" in row.last_error
            assert row.queued_until == row.due_at + timedelta(seconds=120)
            waits.append((row.due_at - before).total_seconds())
    assert mailbox.messages == []
    assert len(mailbox.refused) == 3
    # 60 s, then 120 s, then 240 s (give or take the time the send took).
    for wait, expected in zip(waits, (60, 120, 240), strict=True):
        assert expected <= wait < expected + 5


def test_the_wait_stops_growing_at_its_most(settings):
    outbox_settings(settings, BACKOFF_SECONDS=60, MAX_ATTEMPTS=20)
    outbox.enqueue(REMINDER, reminders([UserFactory()]))
    OutboxEmail.objects.update(attempts=10)  # the eleventh attempt: 60 s times 2 to the 10th
    with smtp_server(refuse_data=answer_451) as (_, port):
        smtp_settings(settings, port)
        before = timezone.now()
        outbox.send(all_ids())
    row = OutboxEmail.objects.get()
    assert 3600 <= (row.due_at - before).total_seconds() < 3605


def test_an_address_refused_for_good_fails_with_the_servers_reason(settings):
    user = UserFactory()
    outbox.enqueue(REMINDER, reminders([user]))
    with smtp_server(refuse_recipient=lambda address: "550 5.1.1 No such mailbox") as (_, port):
        smtp_settings(settings, port)
        assert outbox.send(all_ids()) == 0
    row = OutboxEmail.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert "SMTPRecipientsRefused" in row.last_error and "No such mailbox" in row.last_error


def test_after_the_most_attempts_a_passing_failure_is_final(settings):
    outbox_settings(settings, MAX_ATTEMPTS=2)
    outbox.enqueue(REMINDER, reminders([UserFactory()]))
    with smtp_server(refuse_data=answer_451) as (_, port):
        smtp_settings(settings, port)
        outbox.send(all_ids())
        assert OutboxEmail.objects.get().status == Status.PENDING
        OutboxEmail.objects.update(due_at=timezone.now())
        outbox.send(all_ids())
    row = OutboxEmail.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 2)
    assert "451" in row.last_error


def test_a_mail_server_that_does_not_answer_is_a_passing_failure(settings):
    with smtp_server() as (_, port):
        pass  # the port is free again: nothing listens there
    smtp_settings(settings, port)
    outbox.enqueue(REMINDER, reminders([UserFactory()]))
    assert outbox.send(all_ids()) == 0
    row = OutboxEmail.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert "ConnectionRefusedError" in row.last_error


def test_a_failure_for_one_row_does_not_stop_the_others(settings):
    users = UserFactory.create_batch(3)
    outbox.enqueue(REMINDER, reminders(users))
    refused = users[1].email
    with smtp_server(
        refuse_recipient=lambda address: "550 5.1.1 No such mailbox" if address == refused else None
    ) as (mailbox, port):
        smtp_settings(settings, port)
        assert outbox.send(all_ids()) == 2
    assert sorted(message["To"] for message in mailbox.messages) == sorted(
        user.email for user in users if user.email != refused
    )
    assert OutboxEmail.objects.get(user=users[1]).status == Status.FAILED


def test_a_batch_goes_over_one_connection_to_the_mail_server(settings):
    outbox.enqueue(REMINDER, reminders(UserFactory.create_batch(5)))
    with smtp_server() as (mailbox, port):
        smtp_settings(settings, port)
        assert outbox.send(all_ids()) == 5
    assert mailbox.count() == 5
    assert len(set(mailbox.peers)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_claiming_the_same_rows_take_each_row_once():
    """One claim holds its transaction open; a second, on its own connection, skips the rows
    locked by it instead of waiting, and takes only the others."""
    require_postgres()
    # Due in a minute, so that nothing sends them before the claims (tasks run inline here).
    now = timezone.now() + timedelta(minutes=1)
    outbox.enqueue(REMINDER, reminders(UserFactory.create_batch(10), due_at=now))
    ids = all_ids()
    with held_open(lambda: engine._claim(ids[:6], now), "the first claim") as first:
        second = OnItsOwnConnection(lambda: engine._claim(ids, now))
        assert second.finish() == ids[6:]  # it did not wait for the first to commit
        assert first.running
    assert first.finish() == ids[:6]
    rows = OutboxEmail.objects.all()
    assert {row.status for row in rows} == {Status.SENDING}
    assert {row.attempts for row in rows} == {1}
    # Claimed already: a third claim finds nothing.
    assert engine._claim(ids, now) == []


# --- Leases, pace ----------------------------------------------------------------------------


def test_the_sweeper_returns_rows_whose_lease_has_run_out():
    outbox.enqueue(REMINDER, reminders(UserFactory.create_batch(2)))
    ids = all_ids()
    now = timezone.now()
    engine._claim(ids, now)  # a worker took them, then stopped
    OutboxEmail.objects.filter(pk=ids[0]).update(lease_until=now - timedelta(seconds=1))
    assert outbox.sweep(now) == 1
    swept, held = OutboxEmail.objects.get(pk=ids[0]), OutboxEmail.objects.get(pk=ids[1])
    assert (swept.status, swept.lease_until, swept.queued_until) == (Status.PENDING, None, None)
    assert held.status == Status.SENDING
    # Pending with no send on the broker: the next dispatch queues it, and it is sent.
    report = outbox.dispatch()
    assert report.queued == 1
    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.get(pk=ids[0]).attempts == 2


def test_dispatch_queues_at_most_the_rate_and_leaves_what_is_on_the_broker(settings):
    outbox_settings(settings, RATE_PER_MINUTE=120, DISPATCH_SECONDS=60, BATCH_SIZE=50)
    past = timezone.now() - timedelta(minutes=5)
    users = UserFactory.create_batch(5)
    # 300 written five minutes ago, whose sends never reached a worker (the broker was down).
    outbox.enqueue(REMINDER, reminders(users * 60, ref="due"), now=past)
    # Five more already handed to a worker.
    outbox.enqueue(REMINDER, reminders(users, ref="queued"), now=past)
    OutboxEmail.objects.filter(key__contains=":queued:").update(
        queued_until=timezone.now() + timedelta(minutes=1)
    )
    assert OutboxEmail.objects.count() == 305

    now = timezone.now()
    assert engine.queue_due(now) == 120
    queued = OutboxEmail.objects.exclude(key__contains=":queued:").filter(queued_until__gt=now)
    assert queued.count() == 120  # sent (tasks run inline), each marked as queued
    assert len(mail.outbox) == 120
    assert not OutboxEmail.objects.filter(key__contains=":queued:", status=Status.SENT).exists()


def test_a_send_takes_no_more_than_the_rate_allows_in_a_minute(settings):
    outbox_settings(settings, RATE_PER_MINUTE=4)
    outbox.enqueue(REMINDER, reminders(UserFactory.create_batch(6)))
    ids = all_ids()
    assert outbox.send(ids) == 4
    assert outbox.send(ids) == 0  # four sent in the last minute: none left
    assert OutboxEmail.objects.filter(status=Status.PENDING).count() == 2
    OutboxEmail.objects.filter(status=Status.SENT).update(
        sent_at=timezone.now() - timedelta(seconds=61)
    )
    assert outbox.send(ids) == 2


# --- The message -----------------------------------------------------------------------------


def test_the_message_id_is_the_rows_for_every_attempt_and_each_rows_own(settings):
    users = UserFactory.create_batch(2)
    outbox.enqueue(REMINDER, reminders(users))
    first, second = OutboxEmail.objects.order_by("pk")
    assert first.message_id != second.message_id
    assert first.message_id == OutboxEmail.objects.get(pk=first.pk).message_id
    assert first.message_id.startswith("<outbox.") and first.message_id.endswith("@127.0.0.1>")
    refusals = iter(["451 4.3.0 Try again later"])
    with smtp_server(refuse_data=lambda message: next(refusals, None)) as (mailbox, port):
        smtp_settings(settings, port)
        assert outbox.send([first.pk, second.pk]) == 1  # the first refused for now
        OutboxEmail.objects.update(due_at=timezone.now())
        assert outbox.send([first.pk, second.pk]) == 1
    assert mailbox.refused == [first.message_id]
    assert [message["Message-ID"] for message in mailbox.messages] == [
        second.message_id,
        first.message_id,
    ]


def test_the_message_has_both_parts_and_one_click_unsubscribe(settings):
    user = UserFactory(display_name="Ann Lee")
    outbox.enqueue(REMINDER, reminders([user]))
    with smtp_server() as (mailbox, port):
        smtp_settings(settings, port)
        outbox.send(all_ids())
    [message] = mailbox.messages
    assert message["To"] == user.email
    assert message["Subject"] == "[Collaborative Leadership Academy] Reminder 0"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip()  # folded onto a line of its own
    assert unsubscribe.startswith("<http://127.0.0.1:8000/profile/notifications/unsubscribe/")
    path = urlsplit(unsubscribe.strip("<>")).path
    match = resolve(path)
    assert match.url_name == "notifications_unsubscribe"
    assert read_unsubscribe_token(match.kwargs["token"]) == (user.pk, REMINDER)
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Dear Ann Lee," in text and "Reminder 0" in text
    assert 'Stop emails about "Reminders": http://127.0.0.1:8000/profile/notifications/' in text
    assert '<html lang="en-GB">' in html and "Dear Ann Lee," in html
    assert 'href="http://127.0.0.1:8000/profile/notifications/"' in html


def test_a_kind_that_cannot_be_switched_off_leads_to_the_preferences_only():
    outbox.enqueue(NOT_SWITCHABLE, reminders([UserFactory()]))
    outbox.send(all_ids())
    [message] = mail.outbox
    assert "Stop emails about" not in message.body
    assert "Choose which emails you receive: http://127.0.0.1:8000/profile/notifications/" in (
        message.body
    )


def test_a_transient_error_is_told_from_a_permanent_one():
    assert engine.transient(smtplib.SMTPDataError(451, b"later"))
    assert not engine.transient(smtplib.SMTPDataError(554, b"rejected"))
    assert engine.transient(smtplib.SMTPServerDisconnected("gone"))
    assert engine.transient(ConnectionRefusedError())
    assert engine.transient(smtplib.SMTPRecipientsRefused({"a@example.org": (452, b"full")}))
    assert not engine.transient(
        smtplib.SMTPRecipientsRefused({"a@example.org": (452, b"full"), "b@x.org": (550, b"no")})
    )
    assert not engine.transient(ValueError("a template error"))
