"""A number no row's id can hold finds nothing, in every kind of look-up a form makes: ``id=``
(Django's own), ``id__in=`` (multiple-choice fields) and a key to another row (single-choice
fields, and every page type, whose id is a link to its ``Page``). On SQLite each used to fail
with ``OverflowError``, a 500."""

from django import forms
from django.contrib.auth.models import Group
from django.db.models import ProtectedError

import pytest

from cohorts.models import Cohort, Enrolment
from courses.models import CoursePage

from ..cohorts.factories import CohortFactory, EnrolmentFactory, course_with_lessons
from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HUGE = 2**70


def test_in_leaves_out_numbers_no_row_can_have():
    person = UserFactory()
    people = type(person).objects

    assert list(people.filter(pk__in=[HUGE, person.pk])) == [person]
    assert not people.filter(pk__in=[HUGE]).exists()
    assert people.exclude(pk__in=[HUGE]).filter(pk=person.pk).exists()
    assert not Group.objects.filter(pk__in=[-HUGE]).exists()


def test_in_leaves_out_values_that_are_not_numbers():
    """Wagtail's bulk actions run ``pk__in`` on the ``id`` parameters of the query string:
    ``?id=%00`` was a ``ValueError``, a 500."""
    person = UserFactory()
    people = type(person).objects

    assert list(people.filter(pk__in=["\x00", "nobody", str(person.pk)])) == [person]
    assert not people.filter(pk__in=["\x00"]).exists()


def test_a_key_to_another_row_with_a_number_no_row_can_have_finds_nothing():
    cohort = CohortFactory(course=course_with_lessons(modules=1, lessons=1))
    enrolment = EnrolmentFactory(cohort=cohort)

    assert not CoursePage.objects.filter(pk=HUGE).exists()
    assert not Cohort.objects.filter(course=HUGE).exists()
    assert list(Cohort.objects.exclude(course=HUGE)) == [cohort]
    assert list(Enrolment.objects.filter(cohort__in=[HUGE, cohort.pk])) == [enrolment]
    assert not Enrolment.objects.filter(cohort__in=[HUGE]).exists()


def test_choice_fields_refuse_such_a_number_as_an_ordinary_error():
    class Choose(forms.Form):
        course = forms.ModelChoiceField(queryset=CoursePage.objects.all())
        people = forms.ModelMultipleChoiceField(queryset=type(UserFactory()).objects.all())

    form = Choose({"course": str(HUGE), "people": [str(HUGE)]})

    assert not form.is_valid()
    assert set(form.errors) == {"course", "people"}


def test_rows_given_as_objects_still_find_what_points_at_them():
    """Deleting asks ``key__in=[<rows>]`` for what points at the rows: a row given as an object
    must still count, or nothing would protect a sector that has organisations, and nothing
    would go with a deleted cohort."""
    cohort = CohortFactory(course=course_with_lessons(modules=1, lessons=1))
    enrolment = EnrolmentFactory(cohort=cohort)
    organisation = enrolment.user.organisation or OrganisationFactory()

    assert list(Enrolment.objects.filter(cohort__in=[cohort])) == [enrolment]
    with pytest.raises(ProtectedError):
        organisation.sector.delete()
    cohort.delete()
    assert not Enrolment.objects.filter(pk=enrolment.pk).exists()
