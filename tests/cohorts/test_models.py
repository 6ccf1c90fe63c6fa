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


def test_the_database_decides_each_status_as_status_on_does():
    """``Cohort.status_condition`` is the SQL of ``status_on``: for cohorts starting and ending
    around the day asked about (the day before, the day itself, the day after; cancelled or
    not), the database puts each cohort in the status Python gives it, and in no other."""
    from cohorts.models import Cohort

    today = timezone.localdate()
    cohorts = []
    for start in range(-2, 3):
        for length in (1, 2, 3):
            for cancelled in (False, True):
                cohorts.append(
                    CohortFactory(
                        start_date=today + timedelta(days=start),
                        end_date=today + timedelta(days=start + length),
                        cancelled=cancelled,
                    )
                )
    for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
        for status in Cohort.Status:
            in_sql = set(
                Cohort.objects.filter(Cohort.status_condition(status, day)).values_list(
                    "pk", flat=True
                )
            )
            in_python = {cohort.pk for cohort in cohorts if cohort.status_on(day) == status}
            assert in_sql == in_python, (status, day)
        # The querysets are the same conditions.
        assert set(Cohort.objects.running(day)) == {
            c for c in cohorts if c.status_on(day) == Cohort.Status.RUNNING
        }
        assert set(Cohort.objects.upcoming(day)) == {
            c for c in cohorts if c.status_on(day) == Cohort.Status.UPCOMING
        }
        assert set(Cohort.objects.finished(day)) == {
            c for c in cohorts if c.status_on(day) == Cohort.Status.FINISHED
        }
