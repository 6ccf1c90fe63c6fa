"""Every kind of page fits a phone: at 320 CSS pixels wide (WCAG 2.2's reflow criterion, 1.4.10,
and any phone held upright) no page scrolls sideways.

Which pages: as the crawl (tests/test_pages_valid.py) does, each role follows the links on our
pages from the same starting points, and is also given every live Wagtail page. A page's kind is
the route its address resolves to, or, for a page Wagtail serves, its page type and the kinds of
block its StreamFields hold (a lesson with a table is not a lesson with a video); a page that
does not answer 200 is of the kind "answers <status>". The first page that shows a kind is
opened in Chromium, 320 pixels wide: once signed out, and once signed in, by the first role that
reaches it (so the facilitator opens the Facilitate pages, the programme manager the report, and
both share the learner's lessons and account pages, which look the same to everyone signed in).
So a new route, page type or block is checked as soon as a link or the demo leads to it, with
nothing to list.

On each page: the document is no wider than the window; whatever scrolls sideways inside it (a
wide table in its scroll region, templates/components/scroll_region.html) is a region with a
name that takes keyboard focus; and axe finds nothing at that width (run once for each kind, by
the first role that sees it: axe takes most of the time)."""

import re
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve

from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.views import serve

import pytest

from cohorts.models import Cohort
from tests.test_pages_valid import DOWNLOADS, NOT_FOLLOWED, NOT_PAGES, SEEDS, internal, links_in

from .axe import axe_violations
from .helpers import assert_signed_in

pytestmark = pytest.mark.long

WIDTH, HEIGHT = 320, 640
# The roles whose pages differ: the editor sees what a learner sees, the administrator what a
# programme manager sees.
ROLES = {
    "anonymous": None,
    "learner": "learner@academy.test",
    "facilitator": "facilitator@academy.test",
    "programme manager": "programme.manager@academy.test",
}

# Measured in the page: how wide the document is and how wide the window; the outermost
# elements that stick out past the window's right edge (other than inside something that
# scrolls), to say what made the page scroll; and each element that scrolls sideways itself,
# with its role, its name and whether it takes keyboard focus.
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const root = [document.documentElement, document.body];
  const scrolls = element => {
    const overflow = getComputedStyle(element).overflowX;
    return !root.includes(element) && (overflow === 'auto' || overflow === 'scroll')
      && element.scrollWidth > element.clientWidth;
  };
  const describe = element => {
    let text = element.tagName.toLowerCase();
    if (element.id) text += '#' + element.id;
    const classes = [...element.classList].slice(0, 2);
    return classes.length ? `${text}.${classes.join('.')}` : text;
  };
  const past = element => element.getBoundingClientRect().right > width + 0.5;
  // Inside something that scrolls, unless positioned against something outside it.
  const clipped = element => {
    const absolute = getComputedStyle(element).position === 'absolute';
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (scrolls(parent) && (!absolute || parent.contains(element.offsetParent))) return true;
    }
    return false;
  };
  const sticking = [...document.body.querySelectorAll('*')].filter(element =>
    past(element) && !clipped(element)
    && (root.includes(element.parentElement) || !past(element.parentElement)));
  const named = element => {
    const ids = (element.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const labels = ids.map(id => document.getElementById(id)).filter(Boolean);
    return labels.length ? labels.map(label => label.textContent).join(' ').trim()
      : (element.getAttribute('aria-label') || '').trim();
  };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width,
    sticking: sticking.slice(0, 3).map(element =>
      `${describe(element)} to ${Math.round(element.getBoundingClientRect().right)} px`),
    regions: [...document.body.querySelectorAll('*')].filter(scrolls).map(element => ({
      element: describe(element),
      role: element.getAttribute('role'),
      name: named(element),
      focusable: element.tabIndex >= 0,
    })),
  };
}"""


def wagtail_kinds() -> dict[str, frozenset[str]]:
    """The path of every live Wagtail page and its kinds: its page type, and each kind of block
    its StreamFields hold."""
    kinds = {}
    for page in Page.objects.live().specific():
        if page.url is None:  # Wagtail's root, above every site
            continue
        page_type = type(page).__name__
        found = {f"page type {page_type}"}
        for field in type(page)._meta.get_fields():
            if isinstance(field, StreamField):
                found |= {
                    f"{page_type}.{field.name}: {child.block_type} block"
                    for child in getattr(page, field.name)
                }
        kinds[page.url] = frozenset(found)
    return kinds


def kinds_of(path: str, wagtail: dict[str, frozenset[str]]) -> frozenset[str]:
    try:
        match = resolve(path)
    except Resolver404:
        return frozenset({"no route"})
    if match.func is serve:
        return wagtail.get(path, frozenset({"page type (none)"}))
    return frozenset({f"route /{match.route}"})


def first_of_each_kind(client: Client, wagtail: dict[str, frozenset[str]]) -> dict[str, frozenset]:
    """The first page of each kind the client's role reaches, following links from the crawl's
    starting points and from every live page: each address with the kinds it was the first to
    show."""
    hosts = {"testserver", urlsplit(settings.SITE_URL).netloc}
    queue = [*SEEDS, *sorted(wagtail)]
    seen = set(queue)
    covered: set[str] = set()
    chosen: dict[str, frozenset] = {}

    def follow(href: str, on: str) -> None:
        url = internal(href, on, hosts)
        if url and url not in seen and not url.startswith(NOT_FOLLOWED):
            seen.add(url)
            queue.append(url)

    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url.startswith(NOT_PAGES) or path.endswith(DOWNLOADS):
            continue
        if kinds_of(path, wagtail) <= covered:
            continue
        response = client.get(url)
        if 300 <= response.status_code < 400:
            follow(response["Location"], url)
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        shown = kinds_of(path, wagtail)
        if response.status_code != 200:
            shown = frozenset({f"answers {response.status_code}"})
        if shown <= covered:
            continue
        chosen[url] = shown - covered
        covered |= shown
        for href in links_in(response.content.decode()):
            follow(href, url)
    return chosen


def signed_in_context(browser, base_url: str, client: Client, email: str | None):
    """A browser context 320 pixels wide, signed in with the test client's session."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    if email:
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
        )
    return context


def problems_on(tab, axe: bool) -> list[str]:
    measured = tab.evaluate(MEASURE)
    said = []
    if measured["scrollWidth"] > measured["width"]:
        said.append(
            f"scrolls sideways: {measured['scrollWidth']} px wide in a {measured['width']} px "
            f"window ({', '.join(measured['sticking'])})"
        )
    for region in measured["regions"]:
        if region["role"] != "region" or not region["name"] or not region["focusable"]:
            said.append(
                f"{region['element']} scrolls sideways but is not a named region that takes "
                f"focus (role {region['role']}, name {region['name']!r}, "
                f"focusable {region['focusable']})"
            )
    if axe:
        said += [
            f"axe: {violation['id']} ({violation['help']}) at "
            + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            for violation in axe_violations(tab)
        ]
    return said


def test_every_kind_of_page_fits_320_pixels(academy_site, browser):
    started = time.monotonic()
    wagtail = wagtail_kinds()
    axed: set[str] = set()
    opened_kinds = {False: set(), True: set()}  # the kinds opened signed out, and signed in
    opened = 0
    problems = []
    for role, email in ROLES.items():
        client = Client(raise_request_exception=False)
        if email:
            client.force_login(get_user_model().objects.get(email=email))
        pages = first_of_each_kind(client, wagtail)
        opened_before = opened_kinds[bool(email)]
        context = signed_in_context(browser, academy_site.url, client, email)
        tab = context.new_page()
        if email:
            tab.goto(f"{academy_site.url}/profile/")
            assert_signed_in(tab, f"The {role}'s browser")
        for url, shown in pages.items():
            kinds = shown - opened_before
            if not kinds:
                continue
            opened_before |= kinds
            tab.goto(f"{academy_site.url}{url}")
            said = problems_on(tab, axe=not kinds <= axed)
            axed |= kinds
            opened += 1
            if said:
                problems.append(f"{role} {url} ({', '.join(sorted(kinds))}):")
                problems += [f"    {line}" for line in said]
        context.close()
    took = time.monotonic() - started
    print(f"{opened} pages opened at {WIDTH} px, axe run on {len(axed)} kinds, in {took:.0f} s")
    assert not problems, "\n".join(["Pages that do not fit 320 pixels:", *problems])


def test_the_learner_table_scrolls_inside_its_region_from_the_keyboard(academy_site, browser):
    email = "facilitator@academy.test"
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    context = signed_in_context(browser, academy_site.url, client, email)
    tab = context.new_page()
    tab.goto(f"{academy_site.url}/facilitate/cohorts/{Cohort.objects.get(name='Cohort 12').pk}/")

    region = tab.get_by_role("region", name=re.compile(r"^Everyone who holds or held a place"))
    table = region.get_by_role("table")
    assert table.evaluate("table => table.offsetWidth") > WIDTH, "the table fits: nothing to try"
    tab.get_by_role("link", name="download the learner table (CSV)", exact=True).focus()
    tab.keyboard.press("Tab")
    assert region.evaluate("region => region === document.activeElement")
    for _ in range(5):
        tab.keyboard.press("ArrowRight")
    tab.wait_for_function("() => document.querySelector('[role=region]:focus').scrollLeft > 0")
    page_width = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    scroll_width, width = tab.evaluate(page_width)
    assert scroll_width <= width, "the page scrolls sideways"
    assert tab.evaluate("window.scrollX") == 0
    context.close()
