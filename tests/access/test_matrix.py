"""Who may reach what: every route of the site, by GET and by POST, as every role.

The rows are in ``rows.py`` (``MATRIX``). A route with no row fails
``test_every_route_has_its_rows``: a new URL needs its rows, or an entry in the allow-list of
``routes.py`` with its reason (never for the academy's own routes). A page type of the academy
with no rows fails ``test_every_page_type_has_its_rows``.

The matrix runs as a browser meets the site: CSRF checks are on, and a POST carries the token a
browser would have (from the page that shows the form, or else from the CSRF cookie the site
gave it); a POST without it is refused. A redirect is asserted by where it goes."""

from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import resolve

from wagtail.models import Page, Site, get_page_models

import pytest

from .forms import post_form_for
from .routes import ALLOW_LIST, FIRST_PARTY, all_routes, route_of
from .rows import MATRIX, NO_FORM, SAME_URL, SIGN_IN, TURNED_AWAY, AsShown, Redirect
from .world import ROLES, request

pytestmark = pytest.mark.django_db

SIGN_IN_PAGES = {"/accounts/login/", "/admin/login/", "/django-admin/login/"}
METHODS = ("get", "post")
REDIRECTS = {301, 302, 303, 307, 308}
CSRF_FIELD = "csrfmiddlewaretoken"


def asked_for(response) -> str:
    """The path and query the request asked for, unencoded."""
    query = response.request.get("QUERY_STRING", "")
    return unquote(response.request["PATH_INFO"] + (f"?{query}" if query else ""))


def outcome(response):
    """The status code; for a redirect, where it goes: ``SIGN_IN`` to a sign-in page that
    brings the person back to the URL asked for, ``TURNED_AWAY`` to the admin's dashboard,
    otherwise ``Redirect`` to the path and query of its Location."""
    if response.status_code not in REDIRECTS:
        return response.status_code
    location = urlsplit(response["Location"])
    if location.netloc not in ("", "testserver"):
        return Redirect(response["Location"], response.status_code)
    target = location.path + (f"?{unquote(location.query)}" if location.query else "")
    if response.status_code == 302:
        if location.path in SIGN_IN_PAGES and parse_qs(location.query).get("next") == [
            asked_for(response)
        ]:
            return SIGN_IN
        if target == "/admin/":
            return TURNED_AWAY
    return Redirect(target, response.status_code)


def _page(client, world, role, url):
    """A GET of ``url`` as ``role`` as a browser holds it: (the CSRF cookie, the response)."""
    key = (role, url)
    if key not in world.pages_seen:
        response = request(client, world, role, "get", url)
        remember(world, role, url, response)
    return world.pages_seen[key]


def remember(world, role, url, response) -> None:
    cookie = response.cookies.get(settings.CSRF_COOKIE_NAME)
    world.pages_seen[(role, url)] = (cookie.value if cookie else None, response)
    if cookie and role not in world.csrf_cookies:
        world.csrf_cookies[role] = cookie.value


def csrf_cookie(client, world, role) -> str:
    """A CSRF cookie the site gives ``role``, from a page with a form that everyone in that
    role sees (the sign-in page for visitors, the profile for everyone signed in)."""
    if role not in world.csrf_cookies:
        _page(client, world, role, "/accounts/login/" if role == "anonymous" else "/profile/")
    return world.csrf_cookies[role]


def csrf_for(client, world, role, row) -> tuple[dict, dict, dict | None]:
    """How a browser sends the row's POST as ``role``: the cookies, the body and the headers.

    When the page that shows the row's form shows it to ``role``, the token is the one in that
    form, sent in the body as the browser does. Otherwise (no form, or a form ``role`` may not
    see) the token is the CSRF cookie, sent in the header as the site's scripts do."""
    body = dict(row.body(world) or {})
    if row.form_at != NO_FORM:
        page = row.url(world) if row.form_at == SAME_URL else row.form_at(world)
        target = (row.form_posts_to or row.url)(world)
        cookie, response = _page(client, world, role, page)
        if response.status_code == 200 and cookie and not response.streaming:
            form = post_form_for(response.content.decode(), urlsplit(page).path, target)
            token = form and form.values().get(CSRF_FIELD)
            if token:
                if isinstance(row.data, AsShown):
                    body = {**form.values(), **body}
                return {settings.CSRF_COOKIE_NAME: cookie}, {**body, CSRF_FIELD: token[0]}, None
    cookie = csrf_cookie(client, world, role)
    return {settings.CSRF_COOKIE_NAME: cookie}, body, {"X-CSRFToken": cookie}


def answer(client, world, role, row, address):
    """The row's request as ``role``, as a browser sends it (``client`` enforces CSRF)."""
    if row.method == "get":
        response = request(client, world, role, "get", address)
        if address in world.form_pages:
            remember(world, role, address, response)
        return response
    cookies, body, headers = csrf_for(client, world, role, row)
    return request(client, world, role, "post", address, body, cookies=cookies, headers=headers)


def missing_rows(world, rows=MATRIX, urlconf=None) -> list[str]:
    """Each route and method of a URLconf (the site's unless named) with no row in the matrix,
    and no allow-list entry."""
    covered = {(route_of(row.url(world), urlconf), row.method) for row in rows}
    missing = []
    for route in all_routes(urlconf):
        if route.allowed_by:
            continue
        missing.extend(
            f"{method.upper()} {route}"
            for method in METHODS
            if (route.route, method) not in covered
        )
    return missing


def test_every_route_has_its_rows(world):
    missing = missing_rows(world)
    assert not missing, (
        "Routes with no row in the access matrix: add rows to tests/access/rows.py saying what "
        "every role gets\n  " + "\n  ".join(missing)
    )


# Wagtail serves every page through one route and edits every page through another, so a
# route's rows say nothing of a new page type: each page type the academy defines needs rows of
# its own, on a page of that type in the test world.
PAGE_ROUTES = {
    "wagtail_serve": "the page",
    "wagtailadmin_pages:edit": "its editor",
    "wagtailadmin_pages:preview_on_edit": "its preview",
}


def academy_page_types() -> list[str]:
    return sorted(
        model._meta.label
        for model in get_page_models()
        if model._meta.app_label in FIRST_PARTY and not model._meta.abstract
    )


def _page_type_of(url: str) -> tuple[str, str] | None:
    """The page type and the page route (``PAGE_ROUTES``) a URL is about: the live page served
    at it, or the page the admin edits or previews there."""
    path = urlsplit(url).path
    match = resolve(path)
    if match.view_name not in PAGE_ROUTES:
        return None
    if match.view_name == "wagtail_serve":
        root = Site.objects.get(is_default_site=True).root_page
        page = Page.objects.filter(url_path=root.url_path + path.lstrip("/"), live=True).first()
    else:
        page = Page.objects.filter(pk=match.kwargs["page_id"]).first()
    if page is None:
        return None
    return page.specific_class._meta.label, match.view_name


def missing_page_rows(world, rows=MATRIX) -> list[str]:
    """Each page type of the academy, page route and method with no row in the matrix."""
    covered = {(*about, row.method) for row in rows if (about := _page_type_of(row.url(world)))}
    return [
        f"{method.upper()} {PAGE_ROUTES[view_name]}: a {page_type}"
        for page_type in academy_page_types()
        for view_name in PAGE_ROUTES
        for method in METHODS
        if (page_type, view_name, method) not in covered
    ]


def test_every_page_type_has_its_rows(world):
    missing = missing_page_rows(world)
    assert not missing, (
        "Page types with no rows in the access matrix: add rows to tests/access/rows.py for a"
        " page of that type in the test world (tests/access/world.py)\n  " + "\n  ".join(missing)
    )


LESSON = "courses.LessonPage"


def test_a_page_type_without_rows_is_named(world):
    """The page types come from Wagtail, not from a list here: one whose rows are taken away
    is named."""
    assert {"courses.LessonPage", "courses.CaseStudyPage", "home.HomePage"} <= set(
        academy_page_types()
    )
    rows = [row for row in MATRIX if (_page_type_of(row.url(world)) or ("",))[0] != LESSON]
    assert [line for line in missing_page_rows(world, rows) if LESSON in line] == [
        f"{method} {what}: a {LESSON}"
        for what in PAGE_ROUTES.values()
        for method in ("GET", "POST")
    ]


def test_every_allow_list_entry_has_a_reason_and_allows_a_route():
    used = {route.allowed_by for route in all_routes()}
    for prefix, reason in ALLOW_LIST.items():
        assert reason.strip(), f"allow-list entry {prefix!r} needs its reason"
        assert prefix in used, f"allow-list entry {prefix!r} matches no route: remove it"


def test_the_academys_own_routes_are_never_allow_listed():
    own = [route for route in all_routes() if route.ours]
    assert own, "the walk found none of the academy's own routes"
    assert all(route.allowed_by is None for route in own)
    assert any(route.route.startswith("admin/cohorts/") for route in own)
    # by the ModelAdmin (academy/admin.py) and by the snippet's model (courses.Theme)
    assert {
        "django-admin/academy/user/<id>/password/",
        "django-admin/academy/sector/<path:object_id>/change/",
        "admin/snippets/courses/theme/edit/<int:pk>/",
        "admin/snippets/choose/courses/theme/",
    } <= {route.route for route in own}


# The site's URLconf with academy views mounted where the allow-list once hid them
# (``urls_with_more_routes.py``), and the academy package each belongs to.
MORE_ROUTES = "tests.access.urls_with_more_routes"
MOUNTED_ELSEWHERE = {
    # by a register_admin_urls hook, under admin/
    "admin/reports/themes/": "courses",  # the Theme snippet's viewset
    "admin/reports/sectors/": "academy",  # academy/admin.py's SectorAdmin
    # in an inline include([...]) under accounts/
    "accounts/organisations/": "academy",  # Django's ListView of academy.Organisation
    "accounts/data/": "academy",  # academy.views.your_data, wrapped without functools.wraps
    "accounts/data/download/": "academy",  # academy.views.your_data_download, in a partial
}


@pytest.mark.parametrize("pattern", MOUNTED_ELSEWHERE)
def test_a_route_is_the_academys_by_the_view_it_calls_wherever_it_is_mounted(pattern):
    (route,) = [route for route in all_routes(MORE_ROUTES) if route.route == pattern]
    assert route.ours, f"{route} is the academy's, but the walk does not see it"
    assert route.allowed_by is None, f"{route} is allow-listed by {route.allowed_by!r}"
    assert route.owner.startswith(f"{MOUNTED_ELSEWHERE[pattern]}."), route.owner


def test_an_academy_route_mounted_elsewhere_needs_its_rows(world):
    missing = missing_rows(world, urlconf=MORE_ROUTES)
    for pattern in MOUNTED_ELSEWHERE:
        for method in ("GET", "POST"):
            assert any(line.startswith(f"{method} {pattern} ") for line in missing), (
                f"{method} {pattern} has no row, but the matrix does not ask for one"
            )


def test_the_walk_finds_routes_inside_includes():
    names = {route.name for route in all_routes()}
    assert {"facilitate_session_edit", "wagtailusers_users:edit", "account_login"} <= names


def _note_the_form_pages(world) -> None:
    """The pages the POST rows take their forms from: a GET row of one keeps its answer."""
    if not world.form_pages:
        world.form_pages.update(
            row.url(world) if row.form_at == SAME_URL else row.form_at(world)
            for row in MATRIX
            if row.method == "post" and row.form_at != NO_FORM
        )


@pytest.mark.parametrize("row", MATRIX, ids=[f"{row.method.upper()} {row.name}" for row in MATRIX])
def test_access(world, subtests, row):
    _note_the_form_pages(world)
    client = Client(enforce_csrf_checks=True)
    address = row.url(world)
    if row.method == "post":
        with subtests.test(role="anyone, without the CSRF token"):
            role = _first_let_through(row)
            response = request(client, world, role, "post", address, row.body(world))
            expected = row.expects(world, role) if row.without_csrf else 403
            assert outcome(response) == expected, (
                f"POST {address} as {role} without the CSRF token answered"
                f" {outcome(response)}, not {expected}"
            )
    for role in ROLES:
        with subtests.test(role=role):
            response = answer(client, world, role, row, address)
            assert outcome(response) == row.expects(world, role), (
                f"{row.method.upper()} {address} as {role}"
            )


def _first_let_through(row) -> str:
    """A role the row lets through, if any: without the token it must be stopped all the same."""
    refusals = {403, 404, 405, SIGN_IN, TURNED_AWAY}
    for role in reversed(ROLES):
        if row.expected[role] not in refusals:
            return role
    return "superuser"
