"""Public pages are served to anonymous visitors from the cache with no database query, are
purged when content changes, and are never shared with (or stored by) signed-in people
(docs/quality.md, P1; courses/cache.py)."""

import time

from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail import hooks
from wagtail.models import Site

import pytest

from courses.cache import (
    PAGE_GENERATION_KEY,
    cached_page,
    current_generation,
    page_cache_key,
    purge_public_page,
    purge_public_pages,
)
from courses.models import (
    Theme,
)
from courses.panels import COURSE_PANELS
from home.models import AcademySettings
from tests.courses import factories
from tests.factories import UserFactory
from tests.integration.servers import OwnRedis
from tests.services import require_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(db):
    """A small academy: home, catalogue with one course (module, lesson), library with one
    case study, served by the default site."""
    home = factories.home_page()
    catalogue = factories.course_index()
    course = factories.course(catalogue, "Leading across boundaries")
    lesson = factories.lesson(factories.module(course, "Counting what we spend"), "Total Place")
    library = factories.case_study_index()
    case_study = factories.case_study(library, "One budget for one place", slug="one-budget")
    return {
        "home": home,
        "catalogue": catalogue,
        "course": course,
        "lesson": lesson,
        "library": library,
        "case_study": case_study,
    }


def is_cached(path: str) -> bool:
    """Whether the next anonymous visit to ``path`` is answered from the cache."""
    return cached_page(page_cache_key(RequestFactory().get(path)))[1] is not None


def queries_for(client, path: str) -> tuple[HttpResponse, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


PUBLIC_PATHS = [
    "/",
    "/courses/",
    "/courses/?level=foundation",
    "/courses/?level=foundation&page=1",
    "/courses/leading-across-boundaries/",
    "/case-studies/",
    "/case-studies/?year=2010",
    "/case-studies/one-budget/",
]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_a_repeat_anonymous_visit_makes_no_database_query(
    client, pages, path, django_assert_num_queries
):
    first, queries_on_a_miss = queries_for(client, path)
    assert first.status_code == 200
    assert queries_on_a_miss > 0

    with django_assert_num_queries(0):
        again = client.get(path)

    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert "public" in again["Cache-Control"]
    assert "max-age=60" in again["Cache-Control"]
    assert "Cookie" in again["Vary"]
    # Headers set by middleware outside the cache are there on a hit too.
    assert again["X-Content-Type-Options"] == "nosniff"
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_head_request_is_answered_from_the_cache(client, pages, django_assert_num_queries):
    client.get("/courses/")
    with django_assert_num_queries(0):
        response = client.head("/courses/")
    assert response.status_code == 200
    assert response.content == b""


def test_query_string_variants_are_separate_entries_in_any_order(client, pages):
    client.get("/courses/?level=foundation")
    assert is_cached("/courses/?level=foundation")
    assert not is_cached("/courses/?level=advanced")
    assert not is_cached("/courses/")

    _, queries = queries_for(client, "/courses/?level=advanced")
    assert queries > 0
    assert is_cached("/courses/?level=advanced")

    client.get("/courses/?level=foundation&format=online")
    _, queries = queries_for(client, "/courses/?format=online&level=foundation")
    assert queries == 0


def test_publishing_a_page_purges_the_cache(client, pages):
    course = pages["course"]
    client.get(course.url)
    client.get("/courses/")

    course.title = "Leading across boundaries, second edition"
    course.save_revision().publish()

    assert not is_cached("/courses/")
    response, queries = queries_for(client, course.url)
    assert queries > 0
    assert "Leading across boundaries, second edition" in response.content.decode()


def test_unpublishing_a_page_purges_the_cache(client, pages):
    case_study = pages["case_study"]
    assert client.get("/case-studies/one-budget/").status_code == 200

    case_study.unpublish()

    assert client.get("/case-studies/one-budget/").status_code == 404


def test_deleting_and_moving_pages_purge_the_cache(client, pages):
    assert client.get("/case-studies/one-budget/").status_code == 200
    pages["case_study"].delete()
    assert client.get("/case-studies/one-budget/").status_code == 404

    assert client.get("/courses/leading-across-boundaries/").status_code == 200
    generation = current_generation()
    # Moving is not allowed for a course outside the catalogue; move it within its parent.
    pages["course"].move(pages["catalogue"], pos="last-child")
    assert current_generation() != generation


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda: Theme.objects.create(name="Pooled budgets", slug="pooled"), id="theme"
        ),
        pytest.param(
            lambda: AcademySettings.for_site(Site.objects.get(is_default_site=True)).save(),
            id="academy-settings",
        ),
        pytest.param(lambda: Site.objects.get(is_default_site=True).save(), id="site"),
    ],
)
def test_snippets_and_settings_purge_the_cache(client, pages, change):
    client.get("/courses/")
    assert is_cached("/courses/")
    change()
    assert not is_cached("/courses/")


def test_purging_one_page_leaves_every_other_page_cached(client, pages):
    course = pages["course"].url
    others = [path for path in PUBLIC_PATHS if not path.startswith(course)]
    for path in [*PUBLIC_PATHS, f"{course}?utm_source=newsletter"]:
        client.get(path)

    purge_public_page(pages["course"].pk)

    assert not is_cached(course)
    assert not is_cached(f"{course}?utm_source=newsletter")
    for path in others:
        _, queries = queries_for(client, path)
        assert queries == 0, path
    _, queries = queries_for(client, course)
    assert queries > 0
    assert queries_for(client, course)[1] == 0


def test_a_page_whose_generation_is_lost_is_not_served(client, pages):
    """Losing a page's generation to eviction can never bring its old copies back."""
    from django.core.cache import cache

    client.get("/courses/")
    cache.delete(PAGE_GENERATION_KEY.format(pages["catalogue"].pk))

    assert not is_cached("/courses/")
    assert queries_for(client, "/courses/")[1] > 0
    assert queries_for(client, "/courses/")[1] == 0


@pytest.mark.redis
def test_with_redis_pages_are_answered_from_the_cache_and_purged_one_by_one(
    client, pages, settings
):
    """As in production: the entries and the generations live in Redis."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": require_redis(),
            "KEY_PREFIX": "academy-tests",
        }
    }
    cache.clear()
    course = pages["course"].url
    try:
        for path in ("/courses/", course):
            client.get(path)
            assert queries_for(client, path)[1] == 0, path

        purge_public_page(pages["course"].pk)

        assert queries_for(client, "/courses/")[1] == 0
        assert queries_for(client, course)[1] > 0
        assert queries_for(client, course)[1] == 0
    finally:
        cache.clear()


def purging_while_rendering(purge):
    """A course panel that, the first time the page renders, purges it after the page has read
    what it shows and before it is stored: as when someone takes a place at that moment."""
    done = []

    def panel(request, page):
        if not done:
            done.append(page)
            purge(page)
        return ""

    return panel


@pytest.mark.parametrize(
    "purge",
    [
        pytest.param(lambda page: purge_public_page(page.pk), id="the-page"),
        pytest.param(lambda page: purge_public_pages(), id="every-page"),
    ],
)
def test_a_page_rendered_while_it_is_purged_is_never_served(client, pages, purge):
    path = pages["course"].url
    with hooks.register_temporarily(COURSE_PANELS, purging_while_rendering(purge)):
        first, _ = queries_for(client, path)
        assert first.status_code == 200

        # The copy stored holds what the page read before the purge: it is not served.
        again, queries = queries_for(client, path)
        assert queries > 0
        assert again.status_code == 200

        _, queries = queries_for(client, path)
        assert queries == 0


def test_a_signed_in_visit_reads_no_page_generation(client, pages):
    from django.core.cache import cache

    client.force_login(UserFactory())
    client.get(pages["course"].url)

    assert cache.get(PAGE_GENERATION_KEY.format(pages["course"].pk)) is None


def greeting(serve):
    """Stands in for a page that shows who is signed in."""

    def inner(page, request, args, kwargs):
        response = serve(page, request, args, kwargs)
        user = request.user
        name = user.display_name if user.is_authenticated else "visitor"

        def add_greeting(rendered):
            rendered.content += f"<p>Hello {name}</p>".encode()

        response.add_post_render_callback(add_greeting)
        return response

    return inner


def test_signed_in_people_never_get_or_store_the_anonymous_copy(client, pages):
    ada, bo = UserFactory(display_name="Ada"), UserFactory(display_name="Bo")
    path = pages["course"].url
    with hooks.register_temporarily("on_serve_page", greeting, order=200):
        client.force_login(ada)
        as_ada = client.get(path)
        assert "Hello Ada" in as_ada.content.decode()
        assert "private" in as_ada["Cache-Control"]
        assert "public" not in as_ada["Cache-Control"]
        assert not is_cached(path)

        client.force_login(bo)
        as_bo = client.get(path)
        assert "Hello Bo" in as_bo.content.decode()
        assert "Hello Ada" not in as_bo.content.decode()
        assert not is_cached(path)

        client.logout()
        client.cookies.clear()
        anonymous, queries = queries_for(client, path)
        assert queries > 0
        assert "Hello visitor" in anonymous.content.decode()
        assert is_cached(path)

        client.force_login(ada)
        again, queries = queries_for(client, path)
        assert queries > 0
        assert "Hello Ada" in again.content.decode()
        assert "Hello visitor" not in again.content.decode()


def test_a_page_showing_a_message_from_an_earlier_request_is_not_cached(client, pages):
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, "Your application has been sent")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value

    response = client.get("/courses/")

    assert "Your application has been sent" in response.content.decode()
    assert "public" not in response.get("Cache-Control", "")
    assert not is_cached("/courses/")


def add_message(serve):
    def inner(page, request, args, kwargs):
        messages.info(request, "Saved for later")
        return serve(page, request, args, kwargs)

    return inner


def test_a_page_showing_a_message_added_while_serving_it_is_not_cached(client, pages):
    with hooks.register_temporarily("on_serve_page", add_message, order=200):
        response = client.get("/courses/")
    assert "Saved for later" in response.content.decode()
    assert not is_cached("/courses/")
    assert "Saved for later" not in client.get("/courses/").content.decode()


def use_csrf_token(serve):
    """As a page with a POST form does when it renders ``{% csrf_token %}``."""

    def inner(page, request, args, kwargs):
        get_token(request)
        return serve(page, request, args, kwargs)

    return inner


def test_a_page_with_a_csrf_protected_form_is_not_cached(client, pages):
    with hooks.register_temporarily("on_serve_page", use_csrf_token, order=200):
        response = client.get("/courses/")
        assert response.status_code == 200
        assert "csrftoken" in response.cookies
        assert not is_cached("/courses/")

        # With the CSRF cookie already set, the page still uses the token: still not cached.
        client.get("/courses/")
        assert not is_cached("/courses/")

    # A visitor holding only a CSRF cookie is still anonymous for pages without forms.
    client.get("/courses/")
    assert is_cached("/courses/")


@pytest.mark.parametrize(
    "extra",
    [{"cookie": ("preferences", "dark")}, {"header": ("Authorization", "Basic dXNlcjpwYXNz")}],
    ids=["unknown-cookie", "authorization"],
)
def test_anything_that_might_identify_a_visitor_bypasses_the_cache(client, pages, extra):
    client.get("/courses/")
    assert is_cached("/courses/")
    headers = {}
    if "cookie" in extra:
        client.cookies[extra["cookie"][0]] = extra["cookie"][1]
    else:
        headers = dict([extra["header"]])

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/courses/", headers=headers)

    assert response.status_code == 200
    assert len(queries) > 0
    assert "public" not in response.get("Cache-Control", "")


def test_lessons_are_never_cached(client, pages):
    lesson = pages["lesson"]
    assert client.get(lesson.url).status_code == 302
    assert not is_cached(lesson.url)

    client.force_login(UserFactory(is_superuser=True))
    assert client.get(lesson.url).status_code == 200
    assert not is_cached(lesson.url)


@pytest.mark.parametrize("path", ["/search/?query=budgets", "/accounts/login/", "/courses/nope/"])
def test_search_accounts_and_missing_pages_are_never_cached(client, pages, path):
    client.get(path)
    client.get(path)
    assert not is_cached(path)


def test_a_post_is_never_answered_from_the_cache(client, pages):
    client.get("/courses/")
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/courses/", {})
    assert len(captured) > 0
    assert "public" not in response.get("Cache-Control", "")


def test_a_preview_is_never_answered_from_or_stored_in_the_cache(client, pages):
    course = pages["course"]
    client.get(course.url)
    assert is_cached(course.url)
    course.title = "A draft title nobody has approved"
    course.save_revision()

    preview = course.make_preview_request()

    assert preview.status_code == 200
    assert "A draft title nobody has approved" in preview.content.decode()
    assert "private" in preview["Cache-Control"]
    live = client.get(course.url).content.decode()
    assert "A draft title nobody has approved" not in live


@pytest.mark.redis
def test_while_redis_is_away_pages_are_rendered_and_a_publish_meanwhile_is_not_lost(
    client, pages, settings, tmp_path
):
    """Redis stops (it saves what it holds) and comes back with its old entries: meanwhile
    pages are rendered, not served from the cache, and a page published meanwhile is shown as
    published once Redis is back, never the copy Redis kept (academy/cache.py)."""
    redis_server = OwnRedis(tmp_path, persistent=True)
    redis_server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "academy.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "academy",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "OUTAGE_PAUSE": 0.3},
        }
    }
    course = pages["course"]
    try:
        client.get(course.url)
        assert queries_for(client, course.url)[1] == 0

        redis_server.stop()
        response, queries = queries_for(client, course.url)
        assert response.status_code == 200
        assert queries > 0
        course.title = "Leading across boundaries, second edition"
        course.save_revision().publish()
        assert queries_for(client, course.url)[1] > 0  # still not stored

        redis_server.start()
        time.sleep(0.3)
        response = client.get(course.url)
        assert "Leading across boundaries, second edition" in response.content.decode()
        assert queries_for(client, course.url)[1] == 0  # cached again
    finally:
        redis_server.stop()
