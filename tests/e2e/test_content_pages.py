"""Courses and case studies in a real browser: axe finds nothing, filters work by keyboard."""

from courses.models import CaseStudyPage, CoursePage, LessonPage
from home.management.commands.load_demo import DEMO_PASSWORD

from .axe import assert_no_axe_violations
from .helpers import sign_in


def test_catalogue_course_library_and_case_study_have_no_axe_violations(academy_site, page):
    base = academy_site.url
    course = CoursePage.objects.live().order_by("path").first()
    case_study = CaseStudyPage.objects.live().order_by("path").first()
    for path in [
        "/courses/",
        "/courses/?sector=nhs-and-health&level=foundation",
        course.url,
        "/case-studies/",
        "/case-studies/?theme=pooled-budgets",
        case_study.url,
    ]:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        assert_no_axe_violations(page)


def test_a_lesson_read_by_an_editor_has_no_axe_violations(academy_site, page):
    lesson = LessonPage.objects.live().order_by("path").first()
    sign_in(page, academy_site.url, "editor@academy.test", DEMO_PASSWORD)
    response = page.goto(f"{academy_site.url}{lesson.url}")
    assert response.status == 200
    assert page.locator("h1").inner_text() == lesson.title
    assert_no_axe_violations(page)


def test_catalogue_filters_with_the_keyboard_alone(academy_site, page):
    page.goto(f"{academy_site.url}/courses/")
    total = CoursePage.objects.live().count()

    def focused():
        return page.evaluate(
            "[document.activeElement.name, document.activeElement.value, "
            "document.activeElement.type, document.activeElement.textContent.trim()]"
        )

    for _ in range(60):
        page.keyboard.press("Tab")
        name, value, _type, _text = focused()
        if name == "level" and value == "foundation":
            break
    else:
        raise AssertionError("the Foundation level filter cannot be reached with Tab")
    page.keyboard.press("Space")

    for _ in range(40):
        page.keyboard.press("Tab")
        _name, _value, kind, text = focused()
        if kind == "submit" and "filter" in text.lower():
            break
    else:
        raise AssertionError("the apply-filters button cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "level=foundation" in page.url
    expected = CoursePage.objects.live().filter(level="foundation").count()
    assert 0 < expected < total
    results = page.locator("main [data-course-result]")
    assert results.count() == expected
