"""What a cohort works out from its own dates: its status on a day, and how much of its time
has passed."""

from datetime import timedelta

from django.utils import timezone

import pytest

from .factories import CohortFactory

pytestmark = pytest.mark.django_db


def test_elapsed_percent_follows_the_calendar():
    today = timezone.localdate()
    cohort = CohortFactory.build(
        start_date=today - timedelta(days=10), end_date=today + timedelta(days=30)
    )
    assert cohort.elapsed_percent(today) == 25
    assert cohort.elapsed_percent(today - timedelta(days=20)) == 0
    assert cohort.elapsed_percent(today + timedelta(days=60)) == 100


def test_status_is_derived_from_the_dates():
    today = timezone.localdate()
    cohort = CohortFactory.build(start_date=today, end_date=today + timedelta(days=1))
    assert cohort.status_on(today - timedelta(days=1)) == "upcoming"
    assert cohort.status_on(today) == "running"
    assert cohort.status_on(today + timedelta(days=2)) == "finished"
    cohort.cancelled = True
    assert cohort.status_on(today) == "cancelled"
