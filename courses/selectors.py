"""Reads that the course and case-study pages share: the facets people filter by, the filtered
querysets, a course's outline and a lesson's neighbours. Pages read; nothing here writes.

Every list is fetched in a fixed number of queries, however many pages it holds: sectors and
themes are prefetched, places are joined."""

import logging
from collections.abc import Sequence

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from wagtail.models import Page

from academy.models import Place, Sector
from home.views import search_terms

from .cache import current_generation
from .catalogue import Facet, Filters, Option
from .models import CaseStudyPage, CoursePage, LessonPage, ModulePage, Theme

logger = logging.getLogger(__name__)
# A course's structure is read afresh at least this often, whatever happens to the cache.
STRUCTURE_TIMEOUT = 60 * 60


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


_STRUCTURE_KEY = "course-structure:{pk}:{generation}"


def _course_structure(course: CoursePage) -> tuple[list[ModulePage], list[LessonPage]]:
    """The live modules of ``course`` and the lessons a learner can reach (live lessons in live
    modules), in course order, with the few fields pages show. Read from the cache: the key
    carries the public page cache's generation, which every publish, unpublish, move or delete
    of a page renews (``courses/signals.py``), so an edited course is read afresh at once. Two
    queries on a miss, none on a hit."""
    key = _STRUCTURE_KEY.format(pk=course.pk, generation=current_generation())
    structure = cache.get(key)
    if structure is None:
        modules = list(
            ModulePage.objects.child_of(course)
            .live()
            .order_by("path")
            .only("title", "path", "depth", "url_path")
        )
        live_modules = {module.path for module in modules}
        lessons = [
            lesson
            for lesson in LessonPage.objects.descendant_of(course)
            .live()
            .order_by("path")
            .only("title", "path", "depth", "url_path", "required_for_completion")
            if lesson.path[: -Page.steplen] in live_modules
        ]
        structure = (modules, lessons)
        cache.set(key, structure, timeout=STRUCTURE_TIMEOUT)
    return structure


def course_outline(course: CoursePage) -> list[tuple[ModulePage, list[LessonPage]]]:
    """The live modules of ``course`` in order, each with its live lessons."""
    modules, lessons = _course_structure(course)
    by_module: dict[str, list[LessonPage]] = {module.path: [] for module in modules}
    for lesson in lessons:
        by_module[lesson.path[: -Page.steplen]].append(lesson)
    return [(module, by_module[module.path]) for module in modules]


def course_lessons(course: CoursePage) -> list[LessonPage]:
    """The lessons a learner can reach, in course order: live lessons in live modules. The
    list is shared through the cache: treat it as read-only."""
    return _course_structure(course)[1]


def lesson_neighbours(lesson: LessonPage) -> tuple[LessonPage | None, LessonPage | None]:
    """The lessons before and after ``lesson`` in the whole course (across modules). A lesson
    of a draft module (seen by its editors) takes its place among the others."""
    course = CoursePage.objects.ancestor_of(lesson).only("path", "depth").first()
    if course is None:
        return None, None
    lessons = list(course_lessons(course))
    ids = [item.pk for item in lessons]
    if lesson.pk not in ids:
        lessons = sorted([*lessons, lesson], key=lambda item: item.path)
        ids = [item.pk for item in lessons]
    position = ids.index(lesson.pk)
    previous = lessons[position - 1] if position > 0 else None
    following = lessons[position + 1] if position + 1 < len(lessons) else None
    return previous, following


def breadcrumbs(page: Page) -> list[Page]:
    """The live ancestors of ``page`` below the tree's root, home page first."""
    return list(page.get_ancestors().filter(depth__gt=1).live())
