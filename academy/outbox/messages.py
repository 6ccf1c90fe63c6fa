"""Turning outbox rows into messages: each kind's templates (a plain-text part and an HTML part,
both in the academy's brand), the Message-ID from the row, and the headers that let a mail
program offer one-click unsubscribe (RFC 2369 ``List-Unsubscribe``, RFC 8058
``List-Unsubscribe-Post``)."""

import logging
from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from ..models import OutboxEmail
from . import kinds as registry
from .preferences import unsubscribe_token

logger = logging.getLogger(__name__)

# What building a row's message gives: the message, a reason not to send it, or the error that
# stopped it being written.
Built = EmailMultiAlternatives | str | Exception


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def subject_line(text: str) -> str:
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{text}"


def contexts(rows: Sequence[OutboxEmail]) -> list[dict | str | Exception]:
    """Each row's template context from its kind, a batch of one kind at a time; a string says
    why a row is not sent."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_kind[row.kind].append(index)
    found: list[dict | str | Exception] = [""] * len(rows)
    for name, indexes in by_kind.items():
        kind = registry.get_kind(name)
        if kind is None:
            for index in indexes:
                found[index] = LookupError(f"No email kind is registered as {name!r}")
            continue
        try:
            made = kind.context([rows[index] for index in indexes])
        except Exception as error:
            logger.exception("Outbox: the %s emails could not be written", name)
            made = [error] * len(indexes)
        for index, context in zip(indexes, made, strict=True):
            found[index] = "No longer relevant" if context is None else context
    return found


def build_messages(rows: Sequence[OutboxEmail]) -> list[Built]:
    built: list[Built] = []
    for row, context in zip(rows, contexts(rows), strict=True):
        if not isinstance(context, dict):
            built.append(context)
            continue
        if row.user is None or not row.user.email:
            built.append("The person has no email address")
            continue
        if not row.user.is_active:
            built.append("The account is no longer active")
            continue
        try:
            built.append(message_for(row, context))
        except Exception as error:
            logger.exception("Outbox: email %s could not be written", row.key)
            built.append(error)
    return built


def message_for(row: OutboxEmail, context: dict) -> EmailMultiAlternatives:
    kind = registry.get_kind(row.kind)
    user = row.user
    unsubscribe_url = absolute(
        reverse("notifications_unsubscribe", args=[unsubscribe_token(user.pk, row.kind)])
    )
    context = {
        "name": user.get_full_name(),
        "kind": kind,
        "site_url": settings.SITE_URL,
        "preferences_url": absolute(reverse("notification_preferences")),
        "unsubscribe_url": unsubscribe_url,
        **context,
    }
    # A kind may choose its templates row by row (one per decision, say).
    template = context.get("template", kind.template)
    subject = subject_line(context["subject"])
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[user.email],
        headers={
            "Message-ID": row.message_id,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Academy-Kind": row.kind,
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
