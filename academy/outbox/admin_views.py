"""*Outbox* in the Wagtail admin: every email the academy has written — sent, waiting, failed
with the reason, or not sent and why — for staff who hold the view permission (programme
managers; superusers). Read only: there is no add, edit or delete, because the outbox itself
decides what is sent."""

from django.urls import path

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

import django_filters

from ..models import OutboxEmail


class OutboxFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=OutboxEmail.Status.choices)
    kind = django_filters.CharFilter(label="Kind", lookup_expr="exact")

    class Meta:
        model = OutboxEmail
        fields = ["status", "kind"]


class OutboxViewSet(ModelViewSet):
    model = OutboxEmail
    icon = "mail"
    menu_label = "Outbox"
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = OutboxFilterSet
    search_fields = ["key", "to_email", "subject", "user__email"]
    list_per_page = 50
    list_display = [
        Column("subject", label="Subject"),
        Column("kind", label="Kind"),
        Column("user", label="To"),
        Column("status", label="Status", accessor="get_status_display"),
        Column("attempts", label="Attempts"),
        Column("last_error", label="Reason"),
        DateColumn("due_at", label="Due"),
        DateColumn("sent_at", label="Sent"),
    ]
    inspect_view_fields = [
        "key",
        "kind",
        "user",
        "to_email",
        "subject",
        "status",
        "delivery",
        "attempts",
        "last_error",
        "created_at",
        "due_at",
        "queued_until",
        "lease_until",
        "sent_at",
        "digest",
    ]

    def get_queryset(self, request):
        return OutboxEmail.objects.select_related("user")

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{self.pk_path_converter}:pk>/", self.inspect_view, name="inspect"),
        ]


outbox_viewset = OutboxViewSet("outbox")
