"""/facilitate/: the cohorts a person runs, in sections, each paged on its own."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from academy.pagination import pagination

from .. import access
from ..selectors.facilitation import cohort_sections
from .decorators import facilitator_required


@facilitator_required
@require_GET
def index(request):
    sections = [
        {
            "status": section.status,
            "heading": section.heading,
            "cohorts": section.cohorts,
            "pages": pagination(
                section.page, request.GET, fragment=section.status, param=section.page_parameter
            ),
        }
        for section in cohort_sections(request.user, request.GET)
    ]
    return render(
        request,
        "cohorts/facilitate/index.html",
        {"sections": sections, "sees_programme_report": access.sees_programme_report(request.user)},
    )
