"""A kind of email registered for the outbox's tests, so that they exercise the engine without
leaning on any capability's kinds: a reminder whose subject comes from its params. A row whose
params say ``"stale"`` is no longer worth sending; one that says ``"broken"`` cannot be
written."""

from collections.abc import Iterator

import pytest

from academy.outbox import STAFF, Kind, Notice, register_kind
from academy.outbox.kinds import unregister_kind

REMINDER = "test_reminder"
NOT_SWITCHABLE = "test_notice"
FACILITATORS_WEEK = "test_facilitators_week"


def reminder_context(rows) -> list[dict | None]:
    made: list[dict | None] = []
    for row in rows:
        if row.params.get("broken"):
            raise ValueError("the reminder's template needs a session that no longer exists")
        if row.params.get("stale"):
            made.append(None)
            continue
        subject = f"Reminder {row.params.get('number', 0)}"
        made.append(
            {
                "subject": subject,
                "summary": f"Summary of {subject.lower()}",
                "url": "http://127.0.0.1:8000/learning/",
                # The digest's templates serve: a list of one item.
                "period": "now",
                "items": [{"subject": subject, "summary": "", "url": ""}],
            }
        )
    return made


KINDS = [
    Kind(
        name=REMINDER,
        label="Reminders",
        description="Reminders of what is coming up.",
        template="emails/digest",
        context=reminder_context,
        order=1,
    ),
    Kind(
        name=NOT_SWITCHABLE,
        label="Notices about your account",
        description="What you must know about your account.",
        template="emails/digest",
        context=reminder_context,
        digestible=False,
        can_switch_off=False,
        order=2,
    ),
    Kind(
        name=FACILITATORS_WEEK,
        label="Your cohorts' week",
        description="For facilitators: what happened in your cohorts this week.",
        template="emails/digest",
        context=reminder_context,
        audience=STAFF,
        order=3,
    ),
]


@pytest.fixture
def reminder_kind() -> Iterator[str]:
    for kind in KINDS:
        register_kind(kind)
    try:
        yield REMINDER
    finally:
        for kind in KINDS:
            unregister_kind(kind.name)


def reminders(users, ref: str = "r", params: dict | None = None, **fields) -> list[Notice]:
    """A reminder to each of ``users``, numbered in turn."""
    return [
        Notice(
            user_id=user.pk,
            ref=f"{ref}:{number}",
            params={"number": number, **(params or {})},
            **fields,
        )
        for number, user in enumerate(users)
    ]
