"""``{{ moment|html_datetime }}``: the value of a ``<time datetime="…">`` attribute.

Every template that writes a ``datetime`` attribute uses this filter, so that each one is valid
HTML: a date, or a local date and time to the second with its offset from UTC
(``2026-12-01T00:06:41+00:00``). Django's ``date:'c'`` keeps microseconds, and HTML allows at
most three digits of a second."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def html_datetime(value) -> str:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            # As Django's date filter does: in the current time zone, unless the template has
            # already put the value in one (``|timezone:"Europe/London"``).
            value = timezone.template_localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return ""
