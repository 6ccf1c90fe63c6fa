"""Lessons are not public: who may read one is decided by ``courses.access.can_read_lesson``
(PRODUCT.md, roles and access: a URL the user may not see answers 404)."""

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from academy import roles
from courses.access import register_lesson_rule, unregister_lesson_rule
from courses.models import LessonPage
from tests.courses import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FALLBACK_TEMPLATES = {
    f"courses/{name}.html": '{% extends "base.html" %}{% block content %}'
    "<h1>{{ page.title }}</h1>{% endblock content %}"
    for name in ("course_index_page", "course_page", "module_page", "lesson_page")
}


@pytest.fixture(autouse=True)
def _fallback_templates(settings):
    """Real templates win; a minimal one stands in for any not written yet."""
    engine = dict(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "loaders": [
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
            ("django.template.loaders.locmem.Loader", FALLBACK_TEMPLATES),
        ],
    }
    settings.TEMPLATES = [engine]


@pytest.fixture
def lesson(db) -> LessonPage:
    course = factories.course(factories.course_index(), "Leading across boundaries")
    module = factories.module(course, "Counting what we spend")
    return factories.lesson(module, "What Total Place counted")


def test_anonymous_visitors_are_asked_to_sign_in(client, lesson):
    response = client.get(lesson.url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={lesson.url}"


def test_a_learner_without_access_gets_not_found(client, lesson):
    client.force_login(UserFactory())

    response = client.get(lesson.url)

    assert response.status_code == 404
    assert "What Total Place counted" not in response.content.decode()


@pytest.mark.parametrize("group", [roles.EDITORS, roles.MODERATORS])
def test_editors_and_moderators_read_every_lesson(client, lesson, group):
    client.force_login(UserFactory(groups=[group]))

    response = client.get(lesson.url)

    assert response.status_code == 200
    assert "What Total Place counted" in response.content.decode()


def test_superusers_read_every_lesson(client, lesson):
    client.force_login(UserFactory(is_superuser=True))

    assert client.get(lesson.url).status_code == 200


def test_facilitators_and_programme_managers_are_not_content_staff(client, lesson):
    client.force_login(UserFactory(groups=[roles.FACILITATORS, roles.PROGRAMME_MANAGERS]))

    assert client.get(lesson.url).status_code == 404


def test_an_inactive_editor_cannot_read_lessons(lesson):
    from courses.access import can_read_lesson

    editor = UserFactory(groups=[roles.EDITORS], is_active=False)

    assert not can_read_lesson(editor, lesson)


def test_a_registered_rule_grants_access_and_unregistering_removes_it(client, lesson):
    learner = UserFactory()
    enrolled = {learner.pk}

    def enrolled_learners(user, page) -> bool:
        return user.pk in enrolled and page.pk == lesson.pk

    client.force_login(learner)
    register_lesson_rule(enrolled_learners)
    try:
        assert client.get(lesson.url).status_code == 200
        enrolled.clear()
        assert client.get(lesson.url).status_code == 404
        enrolled.add(learner.pk)
    finally:
        unregister_lesson_rule(enrolled_learners)

    assert client.get(lesson.url).status_code == 404


def test_an_editor_previews_a_draft_lesson_from_the_admin(client, lesson):
    client.force_login(UserFactory(groups=[roles.EDITORS]))
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    data = nested_form_data(
        {
            "title": "What Total Place counted (draft)",
            "slug": lesson.slug,
            "estimated_minutes": "25",
            "required_for_completion": "on",
            "body": streamfield(
                [("paragraph", rich_text("<p>A draft nobody has published yet.</p>"))]
            ),
            "comments": inline_formset([]),
        }
    )

    posted = client.post(preview_url, data)
    assert posted.status_code == 200
    assert posted.json()["is_valid"] is True

    preview = client.get(preview_url)

    assert preview.status_code == 200
    assert "A draft nobody has published yet." in preview.content.decode()
    assert "private" in preview["Cache-Control"]
    # The live lesson is untouched.
    client.logout()
    client.force_login(UserFactory(is_superuser=True))
    assert "A draft nobody has published yet." not in client.get(lesson.url).content.decode()


def test_a_learner_cannot_reach_the_admin_preview(client, lesson):
    client.force_login(UserFactory())
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])

    response = client.get(preview_url)

    assert response.status_code in (302, 403, 404)
    assert "What Total Place counted" not in response.content.decode()


def test_site_search_does_not_list_lessons(full_demo, client, db):
    """Last in this module: ``full_demo`` holds the whole demo academy until the module ends."""
    from courses.models import LessonPage

    lesson = LessonPage.objects.live().first()
    html = client.get("/search/", {"q": lesson.title}).content.decode()
    assert lesson.url not in html
    assert (
        "Pooled budgets and shared accountability"
        in client.get("/search/", {"q": "budget"}).content.decode()
    )
