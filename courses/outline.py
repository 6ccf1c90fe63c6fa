"""A course's outline: its modules and live lessons in course order, and the live pages above it.
Read from the database once, then from the cache until a page of the course changes.

Every signed-in page of a course needs it, often several times a request: the lesson page (its
breadcrumbs, the previous and next lesson, its module), the cohort home (the schedule), My
learning (the next lesson), the facilitator's dashboard and the programme report (which lessons
count towards completion). ``courses.selectors`` reads it for them; nothing else should.

**Keys.** An outline is stored under ``course-outline:<course pk>:<version>``. The version is a
random token kept under ``course-outline:<course pk>``. Publishing, unpublishing, moving, deleting
or saving a page writes a new token for every course the page belongs to, is, or holds
(``purge_course_outlines``, wired in ``courses/signals.py``), so a change to a lesson, a module,
the course, or a page above it (the catalogue, the home page: their slugs are in every lesson's
URL) makes the old entry unreachable; it expires on its own after ``TIMEOUT``, which also bounds
staleness for a change made behind Wagtail's back (``QuerySet.update``). The token is random, not
a counter, so a token lost to eviction cannot bring an old entry back. As for the public page
cache (``courses/cache.py``), the purge runs at once and again when the transaction commits.

**What is stored** is plain data: the field values of each page, not pickled pages. Each read
builds fresh page objects from them, as a query with ``.only()`` would: they carry ``pk``,
``title``, ``slug``, ``path``, ``depth``, ``url_path`` and ``live`` (lessons also
``required_for_completion`` and ``estimated_minutes``), build their URLs with ``get_url`` and
``{% pageurl %}`` like any page, and load any other field from the database if asked (one query
each: callers should not ask). A caller may change what it gets without touching the cache.

The cache is an optimisation: when it does not answer, the outline is read from the database."""

import logging
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.db.models.base import ModelState

from wagtail.models import Page

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60
# Part of every key: bumped when what is stored changes shape, so old entries are never read.
SCHEMA = 2

PAGE_FIELDS = ("title", "slug", "path", "depth", "url_path", "live", "content_type")
LESSON_FIELDS = (*PAGE_FIELDS, "required_for_completion", "estimated_minutes")
ASSESSMENT_FIELDS = (
    *PAGE_FIELDS,
    "kind",
    "required_for_completion",
    "estimated_minutes",
    "due_offset_days",
    "late_work",
)


@dataclass(frozen=True)
class Outline:
    """One course's pages, freshly built for the caller."""

    course_pk: int
    trail: tuple[Page, ...]  # the live pages from the home page down to the course, inclusive
    modules: tuple  # every module of the course (live or not), in order
    lessons: tuple  # every live lesson of the course, in course order
    assessments: tuple = ()  # every live assessment of the course, in course order

    @property
    def live_module_paths(self) -> set[str]:
        return {module.path for module in self.modules if module.live}

    def module_of(self, lesson):
        """The module that holds ``lesson`` (live or not), or None."""
        parent = lesson.path[: -Page.steplen]
        return next((module for module in self.modules if module.path == parent), None)

    def reachable_lessons(self) -> list:
        """The lessons a learner can reach: live lessons in live modules."""
        live = self.live_module_paths
        return [lesson for lesson in self.lessons if lesson.path[: -Page.steplen] in live]

    def reachable_assessments(self) -> list:
        """The assessments a learner can reach: live assessments in live modules."""
        live = self.live_module_paths
        return [page for page in self.assessments if page.path[: -Page.steplen] in live]


def _version_key(course_pk: int) -> str:
    return f"course-outline:{course_pk}"


def _entry_key(course_pk: int, version: str) -> str:
    return f"course-outline:{course_pk}:{version}:{SCHEMA}"


def _version(course_pk: int) -> str:
    key = _version_key(course_pk)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


def _attnames(model, fields: tuple[str, ...]) -> list[str]:
    """The attribute names of ``fields`` and of the primary key (``id`` and, for a page type,
    ``page_ptr_id``)."""
    wanted = {model._meta.get_field(name).attname for name in fields}
    wanted |= {"id", model._meta.pk.attname}
    return [field.attname for field in model._meta.concrete_fields if field.attname in wanted]


def _snapshot(pages, model, fields: tuple[str, ...]) -> dict:
    names = _attnames(model, fields)
    return {"names": names, "rows": [[getattr(page, name) for name in names] for page in pages]}


def _pages(model, snapshot: dict, db: str) -> tuple:
    """Pages built from their stored values as unpickling builds model instances (no
    ``__init__``, which for a page costs ten times as much), in the state ``Model.from_db``
    leaves them: fields not stored are deferred and load from the database if asked."""
    names = snapshot["names"]
    pages = []
    for row in snapshot["rows"]:
        page = model.__new__(model)
        page.__dict__.update(zip(names, row, strict=True))
        page._state = ModelState()
        page._state.adding = False
        page._state.db = db
        pages.append(page)
    return tuple(pages)


def _read(course_pk: int) -> dict | None:
    """The outline of the course from the database: four queries. None when there is no such
    course."""
    from .models import AssessmentPage, CoursePage, LessonPage, ModulePage

    course = CoursePage.objects.filter(pk=course_pk).only(*PAGE_FIELDS).first()
    if course is None:
        return None
    trail = [
        page
        for page in course.get_ancestors(inclusive=True).filter(depth__gt=1).only(*PAGE_FIELDS)
        if page.live
    ]
    modules = ModulePage.objects.child_of(course).only(*PAGE_FIELDS).order_by("path")
    lessons = LessonPage.objects.descendant_of(course).live().only(*LESSON_FIELDS).order_by("path")
    assessments = (
        AssessmentPage.objects.descendant_of(course)
        .live()
        .only(*ASSESSMENT_FIELDS)
        .order_by("path")
    )
    return {
        "db": course._state.db,
        "trail": _snapshot(trail, Page, PAGE_FIELDS),
        "modules": _snapshot(modules, ModulePage, PAGE_FIELDS),
        "lessons": _snapshot(lessons, LessonPage, LESSON_FIELDS),
        "assessments": _snapshot(assessments, AssessmentPage, ASSESSMENT_FIELDS),
    }


def course_outline_of(course_pk: int) -> Outline | None:
    """The outline of the course with this pk, from the cache when it is there (no query),
    else from the database (four queries, then stored). None when there is no such course."""
    from .models import AssessmentPage, LessonPage, ModulePage

    try:
        version = _version(course_pk)
        # No version while the cache does not answer: then nothing is read or stored.
        key = _entry_key(course_pk, version) if version is not None else None
        entry = cache.get(key) if key is not None else None
    except Exception:
        logger.warning("Course outline cache unavailable; reading the database", exc_info=True)
        key, entry = None, None
    if entry is None:
        entry = _read(course_pk)
        if entry is None:
            return None
        if key is not None:
            try:
                cache.set(key, entry, timeout=TIMEOUT)
            except Exception:
                logger.warning("Could not store a course outline", exc_info=True)
    db = entry["db"]
    return Outline(
        course_pk=course_pk,
        trail=_pages(Page, entry["trail"], db),
        modules=_pages(ModulePage, entry["modules"], db),
        lessons=_pages(LessonPage, entry["lessons"], db),
        assessments=_pages(AssessmentPage, entry["assessments"], db),
    )


def courses_of(page: Page) -> set[int]:
    """The pks of the courses whose outline shows ``page``: the course it is in or is, and
    every course below it. One query."""
    from .models import CoursePage

    prefixes = [page.path[: Page.steplen * depth] for depth in range(1, page.depth + 1)]
    courses = CoursePage.objects.filter(Q(path__in=prefixes) | Q(path__startswith=page.path))
    found = set(courses.values_list("pk", flat=True))
    if isinstance(page, CoursePage) and page.pk is not None:
        found.add(page.pk)  # a course being deleted may be gone from its table already
    return found


def purge_course_outlines(*pages: Page) -> None:
    """Make the cached outline of every course that shows any of ``pages`` unreachable. A
    cache that does not answer has nothing to purge: the change goes on, and the failure is
    logged."""
    pks = set()
    for page in pages:
        if page is not None and page.path:
            pks |= courses_of(page)
    if not pks:
        return
    try:
        cache.set_many({_version_key(pk): uuid.uuid4().hex for pk in pks}, timeout=None)
    except Exception:
        logger.exception("Could not purge course outlines")
