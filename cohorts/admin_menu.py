"""The programme report's place in the Wagtail admin menu: programme managers (and superusers)
reach ``/facilitate/programme/`` from the admin they already work in. Registered from
``cohorts/wagtail_hooks.py`` with the ``register_admin_menu_item`` hook."""

from django.urls import reverse_lazy

from wagtail.admin.menu import MenuItem

from . import access


class ProgrammeReportMenuItem(MenuItem):
    def is_shown(self, request):
        return access.sees_programme_report(request.user)


def programme_report_menu_item() -> MenuItem:
    return ProgrammeReportMenuItem(
        "Programme report",
        reverse_lazy("programme_report"),
        name="programme-report",
        icon_name="table",
        order=260,
    )
