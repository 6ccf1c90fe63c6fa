"""The programme managers' cohort form in the Wagtail admin (``cohorts.viewsets``).

The form checks what a person typed and the rules the model checks itself (the end after the
start, a question for cohorts by application). The rules about the people already on a cohort
(capacity never below the places taken, the course fixed once anyone has enrolled or applied)
are checked by ``services.cohorts.cohort_update`` under the cohort's row lock; the edit view
shows its errors on their fields. The form's help text only says what they are. Facilitators
can only be chosen from ``access.facilitator_choices``."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from wagtail.admin.forms import WagtailAdminModelForm

from academy.forms.fields import NameField
from courses.models import CoursePage

from ..access import facilitator_choices
from ..models import Cohort
from ..selectors.places import places_taken

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
        if cohort.pk and cohort.enrolments.exists():
            self.fields[
                "course"
            ].help_text = "People have enrolled or applied, so the course can no longer change."
            if taken := places_taken(cohort):
                self.fields["capacity"].help_text = (
                    f"The most learners who may take part: at least {taken}, "
                    "the places already taken."
                )
