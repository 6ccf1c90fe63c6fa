import logging

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wagtail.models import Page

from academy.pagination import pagination
from academy.search import clean_query, search_terms
from courses.models import AssessmentPage, LessonPage

logger = logging.getLogger(__name__)

SEARCH_PAGE_SIZE = 10


class TitleMatchesFirst:
    """Full-text results with the pages whose title contains the whole query put first.

    With few pages the database backend's BM25 scores are all but zero for common words, so
    its order says nothing: a search for "accessibility" could list the contact page (which
    mentions the statement) above the accessibility statement itself. Enough for Django's
    Paginator: ``count()`` and slicing."""

    MIN_TITLE_QUERY = 3

    def __init__(self, pages, terms: str):
        self.first = []
        if len(terms) >= self.MIN_TITLE_QUERY:
            self.first = list(
                pages.filter(title__icontains=terms).order_by("title").specific()[:SEARCH_PAGE_SIZE]
            )
        if self.first:
            pages = pages.exclude(pk__in=[page.pk for page in self.first])
        self.rest = pages.specific().search(terms)

    def count(self) -> int:
        return len(self.first) + self.rest.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, items: slice) -> list:
        start = items.start or 0
        stop = items.stop
        head = self.first[start:stop]
        rest_start = max(0, start - len(self.first))
        rest_stop = None if stop is None else max(0, stop - len(self.first))
        if rest_stop is not None and rest_stop <= rest_start:
            return head
        return head + list(self.rest[rest_start:rest_stop])


@require_GET
def search(request):
    """Site search over live, public pages with Wagtail search. Bad input (odd characters,
    very long queries, a page number that is not a number or is past the end) still gets a
    page of results, never an error."""
    query = clean_query(request.GET.get("q", ""))
    terms = search_terms(query)
    results = Page.objects.none()
    if terms:
        # Lessons and assessments are not public (courses.access): they are found through
        # their course.
        public = Page.objects.live().public().not_type(LessonPage, AssessmentPage)
        results = TitleMatchesFirst(public, terms)
    paginator = Paginator(results, SEARCH_PAGE_SIZE)
    number = request.GET.get("page", 1)
    try:
        with transaction.atomic():
            try:
                page = paginator.page(number)
            except PageNotAnInteger:
                page = paginator.page(1)
            except EmptyPage:
                page = paginator.page(paginator.num_pages)
            page.object_list = list(page.object_list)
    except DatabaseError:
        # A query the search backend cannot parse must not become a server error.
        logger.exception("Search failed for query %r", terms)
        paginator = Paginator([], SEARCH_PAGE_SIZE)
        page = paginator.page(1)
    # The page links carry the query as it was searched for, with any other parameters.
    params = request.GET.copy()
    params["q"] = query
    return render(
        request,
        "home/search.html",
        {
            "query": query,
            "results": page,
            "paginator": paginator,
            "pages": pagination(page, params),
        },
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /accounts/",
        "Disallow: /profile/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
