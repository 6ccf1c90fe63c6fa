"""A course's outline (courses/outline.py): its modules and lessons, read once and then served
from the cache, and purged whenever a page of the course, the course or a page above it is
published, unpublished, moved, deleted or saved. The lesson page reads its breadcrumbs and
neighbours from it and is found at its address in one query, so it makes few queries, and no
more for a long course than for a short one."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cohorts.models import Cohort
from courses.models import CourseIndexPage, LessonPage, ModulePage
from courses.selectors import (
    breadcrumbs,
    course_lessons,
    course_outline,
    lesson_breadcrumbs,
    lesson_neighbours,
)
from tests.factories import UserFactory

from ..cohorts.factories import CohortFactory, EnrolmentFactory, course_with_lessons, lessons_of
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    """A course of two live modules of two lessons each, and a draft module with one."""
    index = factories.course_index()
    page = factories.course(index)
    one = factories.module(page, "Seeing the whole place")
    factories.lesson(one, "Counting the money")
    factories.lesson(one, "Fifty benefits, fifty forms", required_for_completion=False)
    two = factories.module(page, "Acting together")
    factories.lesson(two, "Pooling a budget")
    factories.lesson(two, "Agreeing one plan")
    draft = factories.module(page, "Still being written")
    factories.lesson(draft, "Not yet reachable")
    draft.unpublish()
    return page


def titles(course_page) -> list[str]:
    return [lesson.title for lesson in course_lessons(course_page)]


def test_the_outline_holds_what_a_learner_can_reach_in_course_order(course):
    assert titles(course) == [
        "Counting the money",
        "Fifty benefits, fifty forms",
        "Pooling a budget",
        "Agreeing one plan",
    ]
    outline = course_outline(course)
    assert [
        (module.title, [lesson.title for lesson in lessons]) for module, lessons in outline
    ] == [
        ("Seeing the whole place", ["Counting the money", "Fifty benefits, fifty forms"]),
        ("Acting together", ["Pooling a budget", "Agreeing one plan"]),
    ]
    lessons = course_lessons(course)
    assert [lesson.required_for_completion for lesson in lessons] == [True, False, True, True]
    # The records build their addresses as the pages in the database do.
    stored = {page.pk: page for page in LessonPage.objects.descendant_of(course)}
    for lesson in lessons:
        assert isinstance(lesson, LessonPage)
        assert lesson.get_url() == stored[lesson.pk].get_url()
        assert (lesson.path, lesson.depth, lesson.url_path) == (
            stored[lesson.pk].path,
            stored[lesson.pk].depth,
            stored[lesson.pk].url_path,
        )


def test_neighbours_run_across_modules_and_skip_draft_modules(course):
    first, second, third, fourth = course_lessons(course)
    assert lesson_neighbours(first) == (None, second)
    previous, following = lesson_neighbours(second)
    assert (previous.pk, following.pk) == (first.pk, third.pk)
    assert [page.pk for page in lesson_neighbours(fourth) if page] == [third.pk]
    # An editor reading the lesson of the draft module still sees where it would sit.
    unreachable = LessonPage.objects.get(title="Not yet reachable")
    previous, following = lesson_neighbours(unreachable)
    assert (previous.pk, following) == (fourth.pk, None)


def test_lesson_breadcrumbs_are_the_live_pages_above_the_lesson(course):
    for lesson in LessonPage.objects.descendant_of(course):
        assert [page.pk for page in lesson_breadcrumbs(lesson)] == [
            page.pk for page in breadcrumbs(lesson)
        ], lesson.title


def test_the_outline_is_read_once_then_from_the_cache(course, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        course_lessons(course)
    with django_assert_max_num_queries(0):
        course_lessons(course)
        course_outline(course)
    # A change made behind Wagtail's back is not seen until the outline is purged: it is
    # really cached, so the tests below show that each change purges it.
    LessonPage.objects.filter(title="Pooling a budget").update(title="Changed in the database")
    assert "Changed in the database" not in titles(course)


def test_publishing_a_new_lesson_purges_the_outline(course):
    titles(course)
    module = ModulePage.objects.get(title="Acting together")
    factories.lesson(module, "Reporting to the board")
    assert titles(course)[-1] == "Reporting to the board"


def test_publishing_a_new_title_purges_the_outline(course):
    titles(course)
    lesson = LessonPage.objects.get(title="Pooling a budget")
    lesson.title = "Pooling budgets"
    lesson.save_revision().publish()
    assert "Pooling budgets" in titles(course)
    assert "Pooling a budget" not in titles(course)


def test_unpublishing_a_lesson_or_its_module_purges_the_outline(course):
    titles(course)
    LessonPage.objects.get(title="Pooling a budget").unpublish()
    assert "Pooling a budget" not in titles(course)
    ModulePage.objects.get(title="Seeing the whole place").unpublish()
    assert titles(course) == ["Agreeing one plan"]


def test_moving_a_lesson_purges_both_courses(course):
    other = factories.course(CourseIndexPage.objects.get(), "Counting every pound")
    there = factories.module(other, "Where the money goes")
    titles(course), titles(other)
    lesson = LessonPage.objects.get(title="Pooling a budget")
    lesson.move(there, pos="last-child")
    assert "Pooling a budget" not in titles(course)
    assert titles(other) == ["Pooling a budget"]
    moved = course_lessons(other)[0]
    assert moved.url_path == LessonPage.objects.get(pk=lesson.pk).url_path
    assert moved.get_url().startswith(other.url)


def test_deleting_a_lesson_purges_the_outline(course):
    titles(course)
    LessonPage.objects.get(title="Pooling a budget").delete()
    assert "Pooling a budget" not in titles(course)


def test_a_new_slug_above_the_course_purges_the_outline(course):
    """Every lesson's address holds the catalogue's slug."""
    before = course_lessons(course)[0].get_url()
    index = CourseIndexPage.objects.get()
    index.slug = "learning"
    index.save_revision().publish()
    after = course_lessons(course)[0].get_url()
    assert after == before.replace("/courses/", "/learning/")
    assert after == LessonPage.objects.get(title="Counting the money").get_url()


# --- The lesson page ------------------------------------------------------------------------


def lesson_page_queries(client, modules: int, lessons: int):
    """Queries of one lesson page, as a learner with a place on a running cohort."""
    page = course_with_lessons(
        f"A course of {modules * lessons} lessons", modules=modules, lessons=lessons
    )
    cohort = CohortFactory(course=page)
    assert cohort.status == Cohort.Status.RUNNING
    enrolment = EnrolmentFactory(cohort=cohort)
    client.force_login(enrolment.user)
    url = lessons_of(page)[lessons + 1].url
    assert client.get(url).status_code == 200  # warm: session, site, the course's outline
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


# Before the outline was cached and lessons found in one query, a lesson page took 23 queries.
LESSON_PAGE_QUERIES = 14


def test_the_lesson_page_makes_few_queries(client):
    count, response = lesson_page_queries(client, 2, 3)
    assert count <= LESSON_PAGE_QUERIES
    html = response.content.decode()
    assert "Lesson 2.1" in html and 'rel="prev"' in html and 'rel="next"' in html


def test_the_lesson_page_makes_no_more_queries_for_a_longer_course(client):
    short, _ = lesson_page_queries(client, 2, 3)
    long, _ = lesson_page_queries(client, 10, 3)
    assert long == short


def test_a_lesson_is_served_as_before_at_its_address(client, course):
    editor = UserFactory(is_superuser=True)
    client.force_login(editor)
    lesson = LessonPage.objects.get(title="Pooling a budget")
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert response.context["page"].pk == lesson.pk
    # The module in the caption, with no query: the parent found on the way in.
    assert "Acting together" in response.content.decode()
    # A wrong module in the address, or a lesson taken down, is not found.
    assert (
        client.get(lesson.url.replace("acting-together", "seeing-the-whole-place")).status_code
        == 404
    )
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404
    # A live lesson of a draft module is still served to an editor, as Wagtail serves it.
    unreachable = LessonPage.objects.get(title="Not yet reachable")
    response = client.get(unreachable.url)
    assert response.status_code == 200
    assert [page.pk for page in response.context["breadcrumbs"]] == [
        page.pk for page in breadcrumbs(unreachable)
    ]
