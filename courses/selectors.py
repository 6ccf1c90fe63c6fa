"""Reads that the course and case-study pages share: the facets people filter by, the filtered
querysets, a course's outline and a lesson's neighbours. Pages read; nothing here writes.

Every list is fetched in a fixed number of queries, however many pages it holds: sectors and
themes are prefetched, places are joined."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils.text import slugify

from wagtail.models import Page

from academy.models import Place, Sector
from academy.search import search_terms

from .catalogue import Facet, Filters, Option
from .models import (
    AssessmentPage,
    CaseStudyPage,
    CoursePage,
    LessonPage,
    ModulePage,
    Rubric,
    Theme,
)
from .outline import Outline, course_outline_of

logger = logging.getLogger(__name__)


def _sector_facet(legend: str = "Sector") -> Facet:
    sectors = Sector.objects.only("slug", "name")
    return Facet("sector", legend, tuple(Option(s.slug, s.name, key=s.slug) for s in sectors))


def _theme_facet() -> Facet:
    themes = Theme.objects.only("slug", "name")
    return Facet("theme", "Theme", tuple(Option(t.slug, t.name, key=t.slug) for t in themes))


def _choice_options(choices) -> tuple[Option, ...]:
    return tuple(Option(value, label, key=value) for value, label in choices)


def course_facets() -> tuple[Facet, ...]:
    """Sector, theme, level and format: what the catalogue can be filtered by."""
    return (
        _sector_facet(),
        _theme_facet(),
        Facet("level", "Level", _choice_options(CoursePage.Level.choices)),
        Facet("format", "Format", _choice_options(CoursePage.Format.choices)),
    )


def catalogue_courses(index: Page, filters: Filters) -> QuerySet[CoursePage]:
    """The live, public courses of the catalogue ``index`` that match ``filters``, by title."""
    courses = CoursePage.objects.child_of(index).live().public()
    if sectors := filters.keys("sector"):
        courses = courses.filter(
            pk__in=CoursePage.objects.filter(sectors__slug__in=sectors).values("pk")
        )
    if themes := filters.keys("theme"):
        courses = courses.filter(
            pk__in=CoursePage.objects.filter(themes__slug__in=themes).values("pk")
        )
    if levels := filters.keys("level"):
        courses = courses.filter(level__in=levels)
    if formats := filters.keys("format"):
        courses = courses.filter(format__in=formats)
    if (matching := _matching_ids(CoursePage, filters.query)) is not None:
        courses = courses.filter(pk__in=matching)
    return courses.defer_streamfields().prefetch_related("sectors", "themes").order_by("title")


def case_study_facets(index: Page) -> tuple[Facet, ...]:
    """Sector, theme, place and year. Only places and years that a live case study in the
    library has are offered: the list of places in England alone runs to hundreds."""
    live = CaseStudyPage.objects.child_of(index).live().public()
    places = Place.objects.filter(pk__in=live.values("place_id")).only("name", "kind")
    years = sorted(set(live.values_list("year", flat=True)), reverse=True)
    return (
        _sector_facet("Partner sector"),
        _theme_facet(),
        Facet("place", "Place", tuple(_place_options(places))),
        Facet("year", "Year", tuple(Option(str(year), str(year), key=year) for year in years)),
    )


def _place_options(places: Sequence[Place]) -> list[Option]:
    """A readable slug for each place (``?place=wigan``); the kind is added when two places
    share a name, the id when even that is not enough. The id is accepted too."""
    options, taken = [], set()
    places = list(places)
    names = [slugify(place.name) for place in places]
    for place, name in zip(places, names, strict=True):
        slug = name if names.count(name) == 1 else slugify(f"{place.name} {place.kind}")
        if not slug or slug in taken or slug.isdigit():
            slug = f"{slug or 'place'}-{place.pk}"
        taken.add(slug)
        options.append(Option(slug, place.name, key=place.pk, aliases=(str(place.pk),)))
    return options


def library_case_studies(index: Page, filters: Filters) -> QuerySet[CaseStudyPage]:
    """The live, public case studies of the library ``index`` that match ``filters``: the
    newest first, then by title."""
    studies = CaseStudyPage.objects.child_of(index).live().public()
    if sectors := filters.keys("sector"):
        studies = studies.filter(
            pk__in=CaseStudyPage.objects.filter(partner_sectors__slug__in=sectors).values("pk")
        )
    if themes := filters.keys("theme"):
        studies = studies.filter(
            pk__in=CaseStudyPage.objects.filter(themes__slug__in=themes).values("pk")
        )
    if places := filters.keys("place"):
        studies = studies.filter(place_id__in=places)
    if years := filters.keys("year"):
        studies = studies.filter(year__in=years)
    if (matching := _matching_ids(CaseStudyPage, filters.query)) is not None:
        studies = studies.filter(pk__in=matching)
    return (
        studies.select_related("place")
        .defer("challenge", "what_partners_did", "lessons_for_leaders", "quotes", "downloads")
        .prefetch_related("partner_sectors", "themes")
        .order_by("-year", "title")
    )


def _matching_ids(model: type[Page], query: str) -> list[int] | None:
    """The ids of live pages of ``model`` that contain every word of ``query`` (Wagtail
    search), or None when there is nothing to search for. A query the search backend cannot
    parse matches nothing rather than failing."""
    terms = search_terms(query)
    if not terms:
        return None
    try:
        with transaction.atomic():
            return [page.pk for page in model.objects.live().search(terms, operator="and")]
    except DatabaseError:
        logger.exception("Search failed for query %r", terms)
        return []


@dataclass(frozen=True)
class ModuleContents:
    """A live module with its live lessons and then its live assessments, each in order."""

    module: ModulePage
    lessons: list[LessonPage]
    assessments: list[AssessmentPage]


def _module_contents(outline: Outline, modules) -> list[ModuleContents]:
    found = {module.path: ModuleContents(module, [], []) for module in modules}
    for lesson in outline.lessons:
        if (contents := found.get(lesson.path[: -Page.steplen])) is not None:
            contents.lessons.append(lesson)
    for assessment in outline.assessments:
        if (contents := found.get(assessment.path[: -Page.steplen])) is not None:
            contents.assessments.append(assessment)
    return list(found.values())


def course_modules(course: CoursePage) -> list[ModuleContents]:
    """The live modules of ``course`` in order, each with its live lessons and its live
    assessments, from the course's cached outline (``courses.outline``): no query once cached.
    The pages are read-only records: pk, title, slug, path, depth, url_path, live (lessons and
    assessments also required_for_completion and estimated_minutes, assessments their kind),
    and their URLs with ``get_url`` or ``{% pageurl %}``."""
    outline = course_outline_of(course.pk)
    if outline is None:
        return []
    return _module_contents(outline, [module for module in outline.modules if module.live])


def course_outline(course: CoursePage) -> list[tuple[ModulePage, list[LessonPage]]]:
    """``course_modules`` without the assessments: each live module with its live lessons."""
    return [(contents.module, contents.lessons) for contents in course_modules(course)]


def module_contents(module: ModulePage) -> ModuleContents:
    """The live lessons and live assessments of ``module`` (live or not: an editor previews a
    draft), from its course's cached outline: no query once cached when the module was found
    by Wagtail's routing, which keeps its course as its parent; otherwise one."""
    course_pk = _ancestor_pk(module, 1) if module.path else None
    outline = course_outline_of(course_pk) if course_pk is not None else None
    if outline is None:
        return ModuleContents(module, [], [])
    return _module_contents(outline, [module])[0]


def course_lessons(course: CoursePage) -> list[LessonPage]:
    """The lessons a learner can reach, in course order: live lessons in live modules. From the
    course's cached outline, as ``course_outline``."""
    outline = course_outline_of(course.pk)
    return outline.reachable_lessons() if outline is not None else []


def course_assessments(course: CoursePage | int) -> list[AssessmentPage]:
    """The assessments a learner can reach, in course order: live assessments in live
    modules. From the course's cached outline, as ``course_lessons``; they carry the fields
    ``courses.outline.ASSESSMENT_FIELDS`` names (anything else costs a query)."""
    outline = course_outline_of(course if isinstance(course, int) else course.pk)
    return outline.reachable_assessments() if outline is not None else []


def rubric_assessments(rubric: Rubric) -> QuerySet[AssessmentPage]:
    """The assessments marked against ``rubric``, as published or in their latest draft (a
    draft waiting for review, say): those that keep it from being deleted. One query."""
    return AssessmentPage.objects.filter(
        Q(rubric=rubric) | Q(latest_revision__content__rubric=rubric.pk)
    )


def _ancestor_pk(page: Page, levels: int) -> int | None:
    """The pk of the course ``levels`` levels above ``page``, with no query when it is known:
    found by Wagtail's routing, which keeps each page's parent as it walks down
    (``_cached_parent_obj``, what ``get_parent`` returns). Otherwise one query."""
    course_path = page.path[: -levels * Page.steplen]
    course = page
    for _ in range(levels):
        course = course.__dict__.get("_cached_parent_obj") if course is not None else None
    if course is not None and course.path == course_path:
        return course.pk
    return CoursePage.objects.filter(path=course_path).values_list("pk", flat=True).first()


def _course_pk(lesson: LessonPage) -> int | None:
    """The pk of the course ``lesson`` belongs to, with no query when it is known: found by
    ``lesson_at`` or by Wagtail's routing. Otherwise one query."""
    known = getattr(lesson, "course_pk", None)
    if known is not None:
        return known
    return _ancestor_pk(lesson, 2)


def lesson_outline(lesson: LessonPage) -> Outline | None:
    """The cached outline of the course ``lesson`` belongs to."""
    course_pk = _course_pk(lesson)
    return course_outline_of(course_pk) if course_pk is not None else None


def lesson_neighbours(
    lesson: LessonPage, outline: Outline | None = None
) -> tuple[LessonPage | None, LessonPage | None]:
    """The lessons before and after ``lesson`` in the whole course (across modules). Only
    lessons in live modules count: a lesson of a draft module cannot be reached (an editor
    reading one still sees its neighbours)."""
    outline = outline or lesson_outline(lesson)
    if outline is None:
        return None, None
    live_modules = outline.live_module_paths
    lessons = [
        item
        for item in outline.lessons
        if item.path[: -Page.steplen] in live_modules or item.pk == lesson.pk
    ]
    ids = [item.pk for item in lessons]
    if lesson.pk not in ids:
        return None, None
    position = ids.index(lesson.pk)
    previous = lessons[position - 1] if position > 0 else None
    following = lessons[position + 1] if position + 1 < len(lessons) else None
    return previous, following


def lesson_breadcrumbs(lesson: LessonPage, outline: Outline | None = None) -> list[Page]:
    """``breadcrumbs(lesson)`` from the course's cached outline: the live pages from the home
    page down to the lesson's module."""
    outline = outline or lesson_outline(lesson)
    if outline is None:
        return breadcrumbs(lesson)
    module = outline.module_of(lesson)
    return [*outline.trail, *([module] if module is not None and module.live else [])]


def lesson_at(index: Page, components: list[str]) -> LessonPage | None:
    """The lesson at ``<course>/<module>/<lesson>/`` below the catalogue ``index``, found in one
    query (Wagtail's routing takes two a level), with its module from the course's cached
    outline kept as its parent, as Wagtail's routing keeps it. None when there is no such
    lesson: routing then goes on as Wagtail routes."""
    if len(components) != 3:
        return None
    # The lesson's ancestor two levels up is its course (``parent_page_types``).
    course_path = Substr(OuterRef("path"), 1, (index.depth + 1) * Page.steplen)
    found = (
        LessonPage.objects.filter(
            depth=index.depth + 3,
            slug=components[-1],
            url_path=f"{index.url_path}{'/'.join(components)}/",
        )
        .annotate(course_pk=Subquery(Page.objects.filter(path=course_path).values("pk")[:1]))
        .order_by()[:1]
    )
    lesson = next(iter(found), None)
    if lesson is None or lesson.course_pk is None:
        return None
    outline = course_outline_of(lesson.course_pk)
    module = outline.module_of(lesson) if outline is not None else None
    if module is not None:
        lesson._cached_parent_obj = module
    return lesson


def breadcrumbs(page: Page) -> list[Page]:
    """The live ancestors of ``page`` below the tree's root, home page first."""
    return list(page.get_ancestors().filter(depth__gt=1).live())
