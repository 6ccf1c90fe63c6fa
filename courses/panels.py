"""Panels that other apps add to course and lesson pages (upcoming cohorts on a course
overview, "Mark as complete" on a lesson), through Wagtail hooks so that ``courses`` never
imports them. A hook function takes ``(request, page)`` and returns HTML, or "" for nothing.

Course overviews are cached for anonymous visitors (``courses/cache.py``): a course panel must
be the same for every anonymous visitor (no CSRF token, nothing personal) and its app must
purge that course's overview, once committed, when what the panel shows changes
(``courses.cache.purge_public_page(course.pk)``; the cohorts app: ``cohorts/public_cache.py``),
and only then, so that the overviews stay cached while people use the rest of the site."""

from wagtail import hooks

COURSE_PANELS = "academy_course_page_panels"
LESSON_PANELS = "academy_lesson_page_panels"


def render_panels(hook_name: str, request, page) -> list[str]:
    return [html for panel in hooks.get_hooks(hook_name) if (html := panel(request, page))]
