"""The programme report, for programme managers: on the page (cohorts paged) and as CSV
(every cohort)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from academy.pagination import pagination

from .. import exports
from ..selectors.reports import programme_report as read_programme_report
from .decorators import programme_manager_required


@programme_manager_required
@require_GET
def programme_report(request):
    report = read_programme_report(page=request.GET.get("page"))
    context = {
        "report": report.courses,
        "totals": report,
        "pages": pagination(report.page, request.GET),
    }
    return render(request, "cohorts/facilitate/programme_report.html", context)


@programme_manager_required
@require_GET
@never_cache
def programme_report_csv(request):
    return exports.programme_report_csv(read_programme_report(every_cohort=True).courses)
