"""The programme managers' cohort form in the Wagtail admin (``cohorts.viewsets``).

Besides the rules the model checks itself (the end after the start, a question for cohorts by
application), the form keeps a cohort consistent with the people already on it: capacity never
drops below the places taken, and the course is fixed once anyone has enrolled or applied.
Facilitators can only be chosen from the active members of the Facilitators group."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from wagtail.admin.forms import WagtailAdminModelForm

from academy.forms.fields import NameField
from academy.roles import FACILITATORS
from courses.models import CoursePage

from ..models import Cohort

FIELDS = [
    "course",
    "name",
    "start_date",
    "end_date",
    "capacity",
    "enrolment_mode",
    "application_question",
    "facilitators",
    "cancelled",
]


def facilitator_choices():
    """Everyone who may run a cohort: active members of the Facilitators group."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=FACILITATORS)
        .distinct()
        .order_by("display_name", "email")
    )


class FacilitatorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.display_name or obj.email
        return f"{name} ({obj.email})" if obj.display_name else name


class CohortAdminForm(WagtailAdminModelForm):
    name = NameField(
        label="Name",
        subject="The name",
        max_length=100,
        help_text='For example "Spring 2027".',
        error_messages={
            "required": "Enter a name for the cohort",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.none(),
        empty_label="Choose a course",
        error_messages={
            "required": "Choose the course this cohort takes",
            "invalid_choice": "Choose a published course from the list",
        },
    )
    capacity = forms.IntegerField(
        min_value=1,
        help_text="The most learners who may take part.",
        error_messages={
            "required": "Enter how many learners may take part",
            "invalid": "Capacity must be a whole number, like 24",
            "min_value": "Capacity must be at least 1",
        },
    )
    facilitators = FacilitatorField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The people who run this cohort. Only members of the Facilitators group "
        "are listed: ask an administrator to add someone to the group first.",
        error_messages={
            "invalid_choice": "Choose facilitators from the list: only active members of the "
            "Facilitators group can run a cohort",
            "invalid_pk_value": "Choose facilitators from the list",
        },
    )

    class Meta:
        model = Cohort
        fields = FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cohort = self.instance
        # Published courses; a cohort keeps its own course even if the course is unpublished.
        live = Q(live=True)
        if cohort.pk and cohort.course_id:
            live |= Q(pk=cohort.course_id)
        self.fields["course"].queryset = CoursePage.objects.filter(live).order_by("title")
        self.fields["facilitators"].queryset = facilitator_choices()
        self.enrolled = cohort.enrolments.count() if cohort.pk else 0
        self.places_taken = cohort.enrolments.members().count() if self.enrolled else 0
        if self.enrolled:
            self.fields[
                "course"
            ].help_text = "People have enrolled or applied, so the course can no longer change."
        if self.places_taken:
            self.fields["capacity"].help_text = (
                f"The most learners who may take part: at least {self.places_taken}, "
                "the places already taken."
            )

    def clean_course(self):
        course = self.cleaned_data["course"]
        cohort = self.instance
        if cohort.pk and self.enrolled and course.pk != cohort.course_id:
            raise forms.ValidationError(
                "People have already enrolled on or applied to this cohort, so its course "
                "cannot change. Create a new cohort for the other course instead"
            )
        return course

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        taken = self.places_taken
        if capacity is not None and capacity < taken:
            learners = (
                "1 learner already holds a place"
                if taken == 1
                else (f"{taken} learners already hold places")
            )
            raise forms.ValidationError(f"{learners}; capacity cannot be less than {taken}")
        return capacity
