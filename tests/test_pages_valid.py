"""Every page we render is valid HTML, and no link on it takes its reader to a missing page or
an error.

Over the whole demo academy, the site is crawled with Django's test client as an anonymous
visitor and as each demo role, following every link on our pages from the home page, the
profile, My learning and Facilitate, plus the error pages. The Wagtail and Django admins are
not crawled (they are not our markup, and their access is tested elsewhere); nor is signing
out. Downloads (.ics, .csv, .json) and documents are fetched, to check that they answer, but not
validated. URLs that differ only in their query values (sorting, pages, filters, ``next``)
are followed a few times each, and each role's crawl is bounded.

Everything collected is checked by the W3C's Nu Html Checker (``vnu.jar`` from npm, on Java)
in one run: an error fails the test, a warning does not."""

import json
import subprocess
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse

import pytest

from academy.outbox.engine import DIGEST
from academy.outbox.preferences import unsubscribe_token
from cohorts.notifications import ANNOUNCEMENT
from courses.models import LessonPage
from tests.academy.unsubscribe_links import token_made_days_ago
from tests.services import require_vnu

pytestmark = [pytest.mark.django_db, pytest.mark.long]

ROLES = {
    "anonymous": None,
    "learner": "learner@academy.test",
    "facilitator": "facilitator@academy.test",
    "programme manager": "programme.manager@academy.test",
    "editor": "editor@academy.test",
    "administrator": "admin@academy.test",
}
SEEDS = ["/", "/profile/", "/learning/", "/facilitate/", "/search/?q=leadership", "/no-such-page/"]
# Links into these are not followed: the admins are Wagtail's and Django's, signing out ends
# the crawl.
NOT_FOLLOWED = ("/admin/", "/django-admin/", "/accounts/logout/")
# Fetched to check that they answer, not validated.
NOT_PAGES = ("/documents/", "/static/", "/media/")
DOWNLOADS = (".ics", ".csv", ".json")
SAME_SHAPE = 3  # URLs with the same path and query names: the first few are enough
MAX_PAGES = 150  # pages validated per role


@dataclass
class Fetched:
    role: str
    url: str
    status: int
    content_type: str
    html: str | None = None


@dataclass
class Crawl:
    fetched: list[Fetched] = field(default_factory=list)
    # (role, page the link is on, where it leads)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    bounded: dict[str, int] = field(default_factory=dict)

    def pages(self, role: str | None = None) -> list[Fetched]:
        return [f for f in self.fetched if f.html is not None and role in (None, f.role)]

    def status(self, role: str, url: str) -> int:
        return next(f.status for f in self.fetched if f.role == role and f.url == url)


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag in ("a", "area") and href:
            self.hrefs.append(href)


def links_in(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    return parser.hrefs


def internal(href: str, page_url: str, hosts: set[str]) -> str | None:
    """``href`` as a path and query on this site, or None for anything else (another site,
    mailto:, a fragment of the same page)."""
    if href.startswith("#"):
        return None
    parts = urlsplit(urljoin(f"http://testserver{page_url}", href.strip()))
    if parts.scheme not in ("http", "https") or parts.netloc not in hosts:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def shape(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.path, tuple(sorted({name for name, _ in parse_qsl(parts.query, True)}))


def crawl_as(role: str, client: Client, crawl: Crawl, hosts: set[str]) -> None:
    queue: deque[str] = deque()
    seen: set[str] = set()
    shapes: Counter = Counter()
    validated = 0

    def discover(url: str | None, source: str | None) -> None:
        if url is None or url.startswith(NOT_FOLLOWED):
            return
        if source:
            crawl.links.append((role, source, url))
        if url in seen or shapes[shape(url)] >= SAME_SHAPE:
            return
        seen.add(url)
        shapes[shape(url)] += 1
        queue.append(url)

    for seed in SEEDS:
        discover(seed, None)
    while queue:
        url = queue.popleft()
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        fetched = Fetched(role, url, response.status_code, content_type)
        crawl.fetched.append(fetched)
        if 300 <= response.status_code < 400:
            discover(internal(response["Location"], url, hosts), url)
            continue
        page = (
            content_type.startswith("text/html")
            and not url.startswith(NOT_PAGES)
            and not urlsplit(url).path.endswith(DOWNLOADS)
        )
        if not page:
            continue
        if validated >= MAX_PAGES:
            crawl.bounded[role] = crawl.bounded.get(role, 0) + 1
            continue
        validated += 1
        fetched.html = response.content.decode()
        for href in links_in(fetched.html):
            discover(internal(href, url, hosts), url)


def error_pages(crawl: Crawl) -> None:
    """Every error page (templates/<status>.html), as its handler renders it; 404 and 400 are
    also reached for real (the crawl's missing page, a request for a host we do not serve)."""
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    resolver = get_resolver()
    templates = (settings.BASE_DIR / "templates").glob("[1-5][0-9][0-9].html")
    for code in sorted(int(template.stem) for template in templates):
        if code == 500:
            response = resolver.resolve_error_handler(500)(request)
        elif code in (400, 403, 404):
            response = resolver.resolve_error_handler(code)(request, exception=Exception())
        else:
            response = HttpResponse(render_to_string(f"{code}.html", request=request))
        crawl.fetched.append(
            Fetched("anonymous", f"(the {code} page)", code, "text/html", response.content.decode())
        )
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="elsewhere.example")
    crawl.fetched.append(
        Fetched(
            "anonymous",
            "(a host we do not serve)",
            response.status_code,
            "text/html",
            response.content.decode(),
        )
    )


def email_link_pages(crawl: Crawl) -> None:
    """The pages the links in emails open, which no page links to: the unsubscribe link's
    question, its answer (the POST, rolled back), and what a link that has expired, was
    altered or names a kind that cannot be stopped shows."""
    learner = get_user_model().objects.get(email=ROLES["learner"])
    client = Client(raise_request_exception=False)

    def link(token: str) -> str:
        return reverse("notifications_unsubscribe", args=[token])

    pages = {
        "(an unsubscribe link)": ("get", link(unsubscribe_token(learner.pk, ANNOUNCEMENT))),
        "(an unsubscribe link, answered)": (
            "post",
            link(unsubscribe_token(learner.pk, ANNOUNCEMENT)),
        ),
        "(an expired unsubscribe link)": (
            "get",
            link(token_made_days_ago(200, learner.pk, ANNOUNCEMENT)),
        ),
        "(an altered unsubscribe link)": ("get", link("altered")),
        "(an unsubscribe link for digests)": ("get", link(unsubscribe_token(learner.pk, DIGEST))),
    }
    for name, (method, url) in pages.items():
        with transaction.atomic():
            response = getattr(client, method)(url)
            transaction.set_rollback(True)
        crawl.fetched.append(
            Fetched("anonymous", name, response.status_code, "text/html", response.content.decode())
        )


@pytest.fixture(scope="module")
def crawl(full_demo, django_db_blocker) -> Crawl:
    hosts = {"testserver", urlsplit(settings.SITE_URL).netloc}
    users = get_user_model().objects
    found = Crawl()
    with django_db_blocker.unblock():
        for role, email in ROLES.items():
            client = Client(raise_request_exception=False)
            if email:
                client.force_login(users.get(email=email))
            crawl_as(role, client, found, hosts)
        error_pages(found)
        email_link_pages(found)
    return found


def test_the_crawl_reaches_each_roles_own_pages(crawl):
    def validated(role):
        return {page.url for page in crawl.pages(role) if page.status == 200}

    assert {"/", "/courses/", "/case-studies/", "/accessibility/"} <= validated("anonymous")
    assert "/accounts/login/" in {urlsplit(url).path for url in validated("anonymous")}
    for role in ROLES:
        if role != "anonymous":
            assert {"/profile/", "/learning/"} <= validated(role), role
    for role in ("facilitator", "programme manager", "administrator"):
        assert "/facilitate/" in validated(role), role
        dashboards = [url for url in validated(role) if url.startswith("/facilitate/cohorts/")]
        assert dashboards, role
    assert "/facilitate/programme/" in validated("programme manager")
    assert crawl.status("learner", "/facilitate/") == 404
    assert crawl.status("anonymous", "/no-such-page/") == 404
    assert crawl.status("anonymous", "(a host we do not serve)") == 400
    for role in ROLES:
        if role != "anonymous":
            assert "/profile/notifications/" in validated(role), role
    assert crawl.status("anonymous", "(an unsubscribe link)") == 200
    assert crawl.status("anonymous", "(an unsubscribe link, answered)") == 200
    assert crawl.status("anonymous", "(an expired unsubscribe link)") == 410
    assert crawl.status("anonymous", "(an altered unsubscribe link)") == 404
    assert crawl.status("anonymous", "(an unsubscribe link for digests)") == 200
    lessons = {page.url for page in LessonPage.objects.live()}
    assert lessons & validated("learner"), "the learner reads no lesson"
    for role in ROLES:
        fetched = [f for f in crawl.fetched if f.role == role]
        print(
            f"{role}: {len(crawl.pages(role))} pages validated, {len(fetched)} URLs fetched, "
            f"{sum(300 <= f.status < 400 for f in fetched)} redirects, "
            f"{sum(not f.content_type.startswith('text/html') for f in fetched)} not HTML, "
            f"{crawl.bounded.get(role, 0)} left out by the bound"
        )


def test_no_link_takes_its_reader_to_a_missing_page_or_an_error(crawl):
    answers = {(f.role, f.url): f.status for f in crawl.fetched}
    broken = defaultdict(set)
    for role, source, url in crawl.links:
        status = answers.get((role, url))
        if status == 404 or (status or 0) >= 500:
            broken[(role, url, status)].add(source)

    assert [
        f"{role} is shown {url} (answers {status}) on {', '.join(sorted(sources)[:3])}"
        for (role, url, status), sources in sorted(broken.items())
    ] == []


def test_every_page_we_render_is_valid_html(crawl, tmp_path):
    vnu = require_vnu()
    pages = crawl.pages()
    assert len(pages) > 100
    files = {}
    for number, page in enumerate(pages):
        path = tmp_path / f"{number:04d}.html"
        path.write_text(page.html, encoding="utf-8")
        files[path.as_uri()] = page
        files[f"file:{path}"] = page
    result = subprocess.run(
        [*vnu, "--format", "json", "--stdout", *sorted(str(p) for p in tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(
            f"The validator did not answer:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )

    errors, warnings = defaultdict(list), defaultdict(list)
    for message in messages:
        page = files.get(message.get("url", ""))
        where = f"{page.role} {page.url} line {message.get('lastLine')}" if page else "?"
        (warnings if message["type"] == "info" else errors)[message["message"]].append(where)
    count = sum(map(len, errors.values()))
    print(
        f"{len(pages)} pages validated: {count} errors, {sum(map(len, warnings.values()))} warnings"
    )
    for text, places in warnings.items():
        print(f"  warning, {len(places)} times: {text} ({places[0]})")

    assert {text: [f"{len(places)} times", *places[:3]] for text, places in errors.items()} == {}
