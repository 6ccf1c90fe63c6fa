"""The demo courses and case studies: what they contain, that every page is published once,
and that loading them again changes nothing."""

import re
from io import StringIO

from django.core.management import call_command

from wagtail.images import get_image_model
from wagtail.models import Page, Revision

import pytest

from courses.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CourseIndexPage,
    CoursePage,
    LessonPage,
)
from home.demo import Summary
from home.demo.case_studies import load_case_studies
from home.demo.courses import load_courses
from home.demo.images import demo_image
from home.demo.people import load_places
from home.demo.themes import load_themes
from home.models import HomePage


def load_content() -> Summary:
    """Courses and case studies on top of the demo academy, loaded the way ``load_demo`` does
    (harmless if the command already loads them: a second load changes nothing)."""
    summary = Summary()
    home = HomePage.objects.get()
    themes = load_themes(summary)
    places = load_places(summary)
    load_case_studies(summary, home, themes, places)
    load_courses(summary, home, themes, places)
    return summary


@pytest.fixture
def content(full_demo, db):
    """The whole demo academy, courses and case studies included."""
    return HomePage.objects.get()


def words(html: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html).split())


def lesson_words(lesson: LessonPage) -> int:
    total = 0
    for block in lesson.body:
        value = block.value
        if block.block_type == "paragraph":
            total += words(value.source)
        elif block.block_type in ("callout", "details"):
            total += words(value["text"].source)
        elif block.block_type in ("quote", "reflection", "heading"):
            total += words(" ".join(str(v) for v in value.values()))
        elif block.block_type == "table":
            total += sum(words(cell) for row in value["table"]["data"] for cell in row)
    return total


def test_the_catalogue_has_four_courses_of_three_modules(content):
    index = CourseIndexPage.objects.get()
    assert index.url == "/courses/"
    assert index.live and index.introduction

    courses = CoursePage.objects.child_of(index).live().order_by("path")
    assert [course.slug for course in courses] == [
        "leading-across-organisational-boundaries",
        "counting-and-mapping-public-resources",
        "redesigning-services-around-the-citizen",
        "pooled-budgets-and-shared-accountability",
    ]
    for course in courses:
        assert course.summary and course.description and course.who_it_is_for
        assert 4 <= len(course.learning_outcomes) <= 6
        assert course.effort_hours and course.length_weeks
        assert course.level in CoursePage.Level.values
        assert course.format in CoursePage.Format.values
        assert course.sectors.exists() and course.themes.exists()
        assert course.search_description
        modules = course.modules()
        assert modules.count() == 3, course.title
        for module in modules:
            assert module.introduction and module.search_description
            assert 3 <= module.lessons().count() <= 4, module.title
    assert set(courses.values_list("level", flat=True)) == set(CoursePage.Level.values)


def test_every_lesson_is_real_teaching_with_a_reflection_prompt(content):
    lessons = LessonPage.objects.live().specific()
    assert lessons.count() >= 36
    block_types = set()
    for lesson in lessons:
        types = [block.block_type for block in lesson.body]
        block_types.update(types)
        assert "reflection" in types, lesson.title
        assert types.count("heading") >= 1 and types.count("paragraph") >= 2, lesson.title
        assert 300 <= lesson_words(lesson) <= 650, (lesson.title, lesson_words(lesson))
        assert 10 <= lesson.estimated_minutes <= 60
        assert lesson.search_description
    assert {"callout", "details", "quote", "table", "case_study"} <= block_types
    assert not {"video", "document", "image"} & block_types


def test_at_most_one_optional_lesson_a_course(content):
    for course in CoursePage.objects.live():
        optional = course.lessons().filter(required_for_completion=False)
        assert optional.count() <= 1, course.title
        assert course.lessons().filter(required_for_completion=True).count() >= 8


def test_case_study_links_in_lessons_point_at_live_case_studies(content):
    linked = set()
    for lesson in LessonPage.objects.live().specific():
        for block in lesson.body:
            if block.block_type == "case_study":
                page = block.value["case_study"]
                assert page is not None and page.live, lesson.title
                assert block.value["why"]
                linked.add(page.pk)
    assert linked == set(CaseStudyPage.objects.live().values_list("pk", flat=True))


def test_the_library_has_case_studies_in_six_places_with_outcome_figures(content):
    index = CaseStudyIndexPage.objects.get()
    assert index.url == "/case-studies/"
    cases = CaseStudyPage.objects.child_of(index).live().order_by("path")
    assert cases.count() >= 6
    assert len({case.place_id for case in cases}) >= 6
    sector_mixes = set()
    for case in cases:
        assert case.summary and case.challenge and case.what_partners_did
        assert case.lessons_for_leaders and case.search_description
        assert 2 <= case.partner_sectors.count() <= 4, case.title
        sector_mixes.add(frozenset(case.partner_sectors.values_list("slug", flat=True)))
        assert case.themes.exists()
        assert 2000 <= case.year <= 2026
        assert len(case.outcomes) >= 2 and case.headline_figure["label"]
        assert len(case.quotes) >= 1
        for quote in case.quotes:
            assert quote.value["attribution"]
        # Teaching examples, and they say so; a source is named where facts are borrowed.
        assert case.illustrative
        case.full_clean()
    assert len(sector_mixes) == cases.count()


def test_the_nlgn_findings_appear_with_their_source(content):
    figures = {
        (block.value["label"], block.value["value"], block.value["unit"])
        for case in CaseStudyPage.objects.all()
        for block in case.outcomes
    }
    assert any(label.startswith("Separate benefits") and value == 50 for label, value, _ in figures)
    assert any("£176m" in label and value == 135 and unit == "£m" for label, value, unit in figures)
    sourced = CaseStudyPage.objects.exclude(source="")
    assert sourced.count() == 2
    for case in sourced:
        assert "Greater than the sum of its parts" in case.source
        assert "March 2010" in case.source


def test_every_hero_image_has_alt_text_and_is_a_generated_png(content):
    pages = [*CoursePage.objects.all(), *CaseStudyPage.objects.all()]
    assert len({page.hero_image_id for page in pages}) == len(pages)
    for page in pages:
        assert page.hero_image is not None, page.title
        assert len(page.hero_image_alt.strip()) > 30, page.title
        assert (page.hero_image.width, page.hero_image.height) == (1200, 600)
        with page.hero_image.open_file() as file:
            assert file.read(8) == b"\x89PNG\r\n\x1a\n"


def test_demo_image_is_stored_once_by_title(db):
    first = demo_image("A test picture", "#000000", "#ffffff")
    again = demo_image("A test picture", "#123456")
    assert again.pk == first.pk
    assert get_image_model().objects.filter(title="A test picture").count() == 1


def test_every_page_is_published_once_with_a_description(content):
    for page in Page.objects.filter(depth__gt=2).specific():
        assert page.live and not page.has_unpublished_changes, page.title
        assert page.revisions.count() == 1, page.title
        assert page.search_description, page.title


def row_counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "places": CaseStudyPage.objects.values("place").distinct().count(),
    }


def test_a_second_run_creates_nothing_and_adds_no_revisions(content):
    before = row_counts()
    latest = set(Page.objects.values_list("latest_revision_id", flat=True))

    summary = load_content()
    stdout = StringIO()
    call_command("load_demo", stdout=stdout)

    assert not summary.changed, [line for line in summary.details if "unchanged" not in line]
    assert summary.counts["lessons"]["unchanged"] >= 36
    assert summary.warnings == []
    assert row_counts() == before
    assert set(Page.objects.values_list("latest_revision_id", flat=True)) == latest
    assert "Demo academy already up to date." in stdout.getvalue()


def test_a_lesson_edited_by_hand_is_put_back_with_one_new_revision(content):
    lesson = LessonPage.objects.get(slug="lessons-from-total-place")
    original = lesson.body.raw_data[0]["value"]
    lesson.body = [{"type": "paragraph", "value": "<p>Edited by hand.</p>"}]
    lesson.estimated_minutes = 5
    lesson.save_revision().publish()
    revisions = lesson.revisions.count()

    summary = load_content()

    lesson.refresh_from_db()
    assert lesson.body.raw_data[0]["value"] == original
    assert lesson.estimated_minutes == 25
    assert lesson.revisions.count() == revisions + 1
    assert summary.counts["lessons"]["updated"] == 1
    assert summary.counts["case studies"]["updated"] == 0
