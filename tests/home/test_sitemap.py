"""/sitemap.xml over the whole demo academy: it lists the pages a search engine may read, and
each of them opens for an anonymous visitor. Lessons, which ask for a sign-in, are left out."""

import re
from urllib.parse import urlsplit

from django.test import Client

import pytest

from courses.models import CaseStudyPage, CoursePage, LessonPage, ModulePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(full_demo, db) -> list[str]:
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    return [
        urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    ]


def test_every_page_in_the_sitemap_opens_for_an_anonymous_visitor(listed):
    client = Client()
    answers = {path: client.get(path).status_code for path in listed}

    assert {path: code for path, code in answers.items() if code != 200} == {}


def test_the_sitemap_lists_the_public_pages_and_no_lesson(listed):
    public = [
        page.url
        for model in (CoursePage, ModulePage, CaseStudyPage)
        for page in model.objects.live().public()
    ]

    assert {"/", "/accessibility/", "/privacy/", "/contact/", "/courses/", "/case-studies/"} <= set(
        listed
    )
    assert set(public) <= set(listed)
    assert LessonPage.objects.live().exists()
    assert not [path for path in listed if path in {p.url for p in LessonPage.objects.live()}]
    assert len(listed) == len(set(listed))
