"""The secret token that opens a person's calendar feeds without a session."""

from django.db import transaction
from django.utils import timezone

from ..models import CalendarFeed, new_calendar_token


def calendar_feed_for(user) -> CalendarFeed:
    """The learner's personal feed, made on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_token_reset(*, user) -> CalendarFeed:
    """A new token: links made with the old one stop working at once."""
    feed = calendar_feed_for(user)
    feed.token = new_calendar_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
