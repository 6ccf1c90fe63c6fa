"""The programme managers' cohort editor in the Wagtail admin: *Cohorts* in the admin menu.

Who may use it follows the cohort model permissions (``cohorts/migrations/0002`` gives
programme managers add, change, delete and view): anyone without one of them sees no menu item
and is turned away from every URL by Wagtail's permission policy.

A cohort that anyone has enrolled on or applied to cannot be deleted: its enrolments are the
learners' records (progress, completion). Such a cohort is cancelled instead; the delete view
refuses with a message that says so, and the delete buttons are not offered."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.functional import cached_property

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

import django_filters

from courses.models import CoursePage

from .forms.admin import CohortAdminForm
from .models import Cohort
from .selectors.places import with_places_taken
from .services.cohorts import cohort_update


def _facilitator_names(cohort: Cohort) -> str:
    return ", ".join(person.display_name or person.email for person in cohort.facilitators.all())


class CohortFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        queryset=CoursePage.objects.order_by("title"), empty_label="All courses"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=Cohort.Status.choices, method="filter_status"
    )
    enrolment_mode = django_filters.ChoiceFilter(
        label="Enrolment", choices=Cohort.EnrolmentMode.choices
    )

    class Meta:
        model = Cohort
        fields = ["course", "status", "enrolment_mode"]

    def filter_status(self, queryset, name, value):
        if value not in Cohort.Status.values:
            return queryset
        return queryset.filter(Cohort.status_condition(value))


class CohortIndexView(generic.IndexView):
    def get_base_queryset(self):
        """Every cohort with its course, facilitators and counts, in a fixed number of queries
        however many cohorts and enrolments there are."""
        return with_places_taken(
            super().get_base_queryset().select_related("course").prefetch_related("facilitators")
        ).annotate(enrolment_count=Count("enrolments"))

    def get_delete_url(self, instance):
        if getattr(instance, "enrolment_count", 0):
            return None
        return super().get_delete_url(instance)


class CohortEditView(generic.EditView):
    """Saves through ``services.cohorts.cohort_update``: under the cohort's row lock it checks
    the capacity against the places taken and that the course stays put once anyone enrolled,
    saves, and gives any places added to the waiting list (those admitted are emailed once the
    transaction commits). Its refusals are shown on their fields, and nothing is saved."""

    @cached_property
    def can_delete(self):
        return super().can_delete and not self.object.enrolments.exists()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def save_instance(self):
        # Inside Wagtail's transaction: the cohort stays locked while the form's facilitators
        # are saved and the change is logged.
        cohort_update(cohort=self.form.instance)
        return super().save_instance()


class CohortDeleteView(generic.DeleteView):
    """Refuses to delete a cohort that people have enrolled on or applied to."""

    def get(self, request, *args, **kwargs):
        return self._refuse() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refuse() or super().post(request, *args, **kwargs)

    def _refuse(self):
        enrolled = self.object.enrolments.count()
        if not enrolled:
            return None
        people = "1 person has" if enrolled == 1 else f"{enrolled} people have"
        messages.error(
            self.request,
            f"{self.object.name} cannot be deleted: {people} enrolled on it or applied to it, and "
            "their records belong to the cohort. Tick “Cancelled” instead to stop it taking "
            "places.",
        )
        return redirect(self.edit_url_name, self.object.pk)


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = "Cohorts"
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    pk_path_converter = "id"  # academy.converters: an id out of range answers 404

    index_view_class = CohortIndexView
    edit_view_class = CohortEditView
    delete_view_class = CohortDeleteView

    list_display = [
        "name",
        Column("course", label="Course", accessor="course.title", sort_key="course__title"),
        Column("start_date", label="Start", sort_key="start_date"),
        Column("end_date", label="End", sort_key="end_date"),
        Column("capacity", label="Capacity", sort_key="capacity"),
        Column("places_taken", label="Places taken", sort_key="places_taken"),
        Column("status", label="Status", accessor="get_status_display"),
        Column("facilitators", label="Facilitators", accessor=_facilitator_names),
    ]
    filterset_class = CohortFilterSet
    search_fields = ["name", "course__title"]
    search_backend_name = None
    ordering = "-start_date"
    list_per_page = 50

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("course"),
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            ],
            heading="Course and dates",
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("enrolment_mode", widget=forms.RadioSelect),
                FieldPanel("application_question"),
            ],
            heading="Places and enrolment",
        ),
        FieldPanel("facilitators"),
        FieldPanel(
            "cancelled",
            help_text="A cancelled cohort takes no more places and disappears from the course "
            "page. Learners keep their records.",
        ),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=CohortAdminForm).bind_to_model(Cohort)


cohort_viewset = CohortViewSet("cohorts")
