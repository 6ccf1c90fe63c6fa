"""The course catalogue at /courses/: filters by sector, theme, level and format, search,
pagination, and the robustness a public page with a query string needs."""

import re

from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

import pytest

from courses.catalogue import Facet, Option, parse_filters, parse_page
from courses.models import CoursePage

from . import factories

pytestmark = pytest.mark.django_db

FOUNDATION, INTERMEDIATE, ADVANCED = (level for level, _ in CoursePage.Level.choices)
ONLINE, BLENDED = (form for form, _ in CoursePage.Format.choices)


@pytest.fixture
def catalogue():
    index = factories.course_index()
    factories.course(
        index,
        "Leading across boundaries",
        sector_slugs=("nhs-and-health", "local-government"),
        theme_slugs=("pooled-budgets",),
        level=FOUNDATION,
        format=ONLINE,
    )
    factories.course(
        index,
        "Systems leadership for policing",
        sector_slugs=("police-and-justice",),
        theme_slugs=("systems-leadership",),
        level=ADVANCED,
        format=BLENDED,
    )
    factories.course(
        index,
        "Pooled budgets in practice",
        sector_slugs=("local-government",),
        theme_slugs=("pooled-budgets",),
        level=INTERMEDIATE,
        format=ONLINE,
    )
    factories.course(
        index,
        "Health and housing together",
        sector_slugs=("nhs-and-health", "housing"),
        theme_slugs=("systems-leadership",),
        level=FOUNDATION,
        format=BLENDED,
    )
    return index


def titles(response) -> list[str]:
    """The course titles listed as results, in order."""
    html = response.content.decode()
    items = re.findall(r"<li class=\"academy-card\" data-course-result>(.*?)</li>", html, re.S)
    return [re.search(r'class="govuk-link" href="[^"]+">([^<]+)</a>', item)[1] for item in items]


def count_heading(response) -> str:
    return re.search(r"data-result-count>([^<]+)<", response.content.decode())[1]


def test_lists_every_live_course_by_title_with_a_count(client, catalogue):
    factories.course(catalogue, "A draft course").unpublish()
    response = client.get("/courses/")
    assert response.status_code == 200
    assert count_heading(response) == "4 courses"
    assert titles(response) == [
        "Health and housing together",
        "Leading across boundaries",
        "Pooled budgets in practice",
        "Systems leadership for policing",
    ]
    assert "Selected filters" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=nhs-and-health", ["Health and housing together", "Leading across boundaries"]),
        ("theme=pooled-budgets", ["Leading across boundaries", "Pooled budgets in practice"]),
        ("level=foundation", ["Health and housing together", "Leading across boundaries"]),
        ("format=online", ["Leading across boundaries", "Pooled budgets in practice"]),
        ("level=advanced", ["Systems leadership for policing"]),
    ],
)
def test_each_filter_alone(client, catalogue, query, expected):
    response = client.get(f"/courses/?{query}")
    assert titles(response) == expected
    assert count_heading(response) == f"{len(expected)} course{'s' if len(expected) > 1 else ''}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=nhs-and-health&theme=pooled-budgets", ["Leading across boundaries"]),
        ("sector=nhs-and-health&level=foundation&format=blended", ["Health and housing together"]),
        (
            "sector=local-government&format=online&level=intermediate",
            ["Pooled budgets in practice"],
        ),
        ("sector=police-and-justice&theme=pooled-budgets", []),
    ],
)
def test_filters_combine_with_and(client, catalogue, query, expected):
    assert titles(client.get(f"/courses/?{query}")) == expected


def test_repeated_parameters_widen_one_filter(client, catalogue):
    response = client.get("/courses/?sector=police-and-justice&sector=housing")
    assert titles(response) == ["Health and housing together", "Systems leadership for policing"]
    response = client.get("/courses/?level=advanced&level=intermediate&format=online")
    assert titles(response) == ["Pooled budgets in practice"]
    response = client.get("/courses/?sector=housing&sector=housing")
    assert titles(response) == ["Health and housing together"]


@pytest.mark.parametrize(
    "query",
    [
        "sector=no-such-sector",
        "theme=%00%01",
        "level=expert&format=carrier-pigeon",
        "sector=" + "x" * 5000,
        "sector[]=nhs-and-health&page=",
        "unknown=1",
    ],
)
def test_unknown_or_malformed_values_are_ignored(client, catalogue, query):
    response = client.get(f"/courses/?{query}")
    assert response.status_code == 200
    assert count_heading(response) == "4 courses"


def test_an_unknown_value_does_not_undo_a_known_one(client, catalogue):
    response = client.get("/courses/?theme=pooled-budgets&theme=nonsense&sector=NHS-and-Health")
    assert titles(response) == ["Leading across boundaries"]


def test_the_form_shows_what_is_chosen_and_how_to_clear_it(client, catalogue):
    response = client.get("/courses/?sector=nhs-and-health&level=foundation&q=housing")
    html = response.content.decode()
    assert re.search(r'name="sector" type="checkbox" value="nhs-and-health" checked>', html)
    assert re.search(r'name="sector" type="checkbox" value="housing">', html)
    assert re.search(r'name="level" type="checkbox" value="foundation" checked>', html)
    assert 'name="q" type="search" value="housing"' in html
    assert (
        '<button type="submit" class="govuk-button" data-module="govuk-button">Apply filters'
        in html
    )
    assert "Selected filters" in html
    assert '<a class="govuk-link" href="/courses/">Clear filters</a>' in html
    # Removing one filter keeps the others.
    assert 'href="?q=housing&amp;sector=nhs-and-health"' in html
    assert "Sector: NHS and health" in html


def test_search_within_the_catalogue(client, catalogue):
    assert titles(client.get("/courses/?q=pooled")) == ["Pooled budgets in practice"]
    # "systems" is in one title only ("policing" would also match "police" in every course's
    # who-it-is-for text where the backend stems words, as PostgreSQL's does).
    assert titles(client.get("/courses/?q=systems")) == ["Systems leadership for policing"]
    response = client.get("/courses/?q=leadership&format=blended")
    assert titles(response) == ["Systems leadership for policing"]
    assert count_heading(client.get("/courses/?q=zebra")) == "0 courses"
    assert "No courses match these filters." in client.get("/courses/?q=zebra").content.decode()


@pytest.mark.parametrize("q", ['"pooled', "pooled)(*", "AND OR NOT", "'; DROP TABLE", "\x00"])
def test_odd_search_input_never_fails(client, catalogue, q):
    response = client.get("/courses/", {"q": q})
    assert response.status_code == 200


def test_a_very_long_search_is_cut_to_size(client, catalogue):
    response = client.get("/courses/", {"q": "pooled " * 1000})
    assert response.status_code == 200
    value = re.search(r'name="q" type="search" value="([^"]*)"', response.content.decode())[1]
    assert 0 < len(value) <= 200
    assert value.startswith("pooled pooled")


@pytest.fixture
def twelve_courses():
    index = factories.course_index()
    for number in range(1, 13):
        level = ADVANCED if number % 2 else FOUNDATION
        factories.course(index, f"Course {number:02d}", level=level)
    return index


def test_ten_courses_a_page_with_govuk_pagination(client, twelve_courses):
    first = client.get("/courses/")
    assert count_heading(first) == "12 courses"
    assert titles(first) == [f"Course {n:02d}" for n in range(1, 11)]
    html = first.content.decode()
    assert '<nav class="govuk-pagination" aria-label="Results pages">' in html
    assert 'href="?page=2" aria-label="Page 2"' in html
    assert 'rel="next"' in html

    second = client.get("/courses/?page=2")
    assert titles(second) == ["Course 11", "Course 12"]
    assert 'aria-current="page">2</a>' in second.content.decode()


def test_pagination_links_keep_the_filters(client, twelve_courses):
    for number in range(13, 20):
        factories.course(twelve_courses, f"Course {number:02d}", level=ADVANCED)
    response = client.get("/courses/?level=advanced")
    assert count_heading(response) == "13 courses"
    assert 'href="?level=advanced&amp;page=2"' in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "", "\u0661"])
def test_a_page_that_is_not_a_number_is_page_one(client, twelve_courses, page):
    response = client.get(f"/courses/?page={page}")
    assert response.status_code == 200
    assert titles(response)[0] == "Course 01"


@pytest.mark.parametrize("page", ["3", "999", "99999999999999999999"])
def test_a_page_past_the_end_is_the_last_page(client, twelve_courses, page):
    response = client.get(f"/courses/?page={page}")
    assert response.status_code == 200
    assert titles(response) == ["Course 11", "Course 12"]


def test_query_count_does_not_grow_with_the_number_of_courses(client, django_assert_num_queries):
    index = factories.course_index()
    url = "/courses/?theme=pooled-budgets&sector=nhs-and-health&sector=local-government"

    def add(count, start):
        for number in range(start, start + count):
            factories.course(
                index,
                f"Course {number:02d}",
                sector_slugs=("nhs-and-health", "local-government"),
                theme_slugs=("pooled-budgets", "systems-leadership"),
            )

    add(5, 1)
    client.get(url)  # fill what any first request fills (site root paths, settings)
    cache.clear()  # but not the public page cache: measure the page being built
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert count_heading(response) == "5 courses"

    add(45, 6)
    cache.clear()
    with django_assert_num_queries(len(five)):
        response = client.get(url)
    assert count_heading(response) == "50 courses"
    assert len(titles(response)) == 10


# --- The pure parser -----------------------------------------------------------------------

FACETS = (
    Facet("sector", "Sector", (Option("nhs", "NHS", key="nhs"), Option("police", "Police"))),
    Facet("year", "Year", (Option("2010", "2010", key=2010, aliases=("ten",)),)),
)


def test_parser_keeps_offered_options_once_in_offered_order():
    params = QueryDict("sector=police&sector=nhs&sector=police&sector=fire&year=TEN")
    filters = parse_filters(params, FACETS)
    assert filters.values("sector") == ("nhs", "police")
    assert filters.values("year") == ("2010",)
    assert filters.keys("year") == (2010,)
    assert filters.active
    assert filters.url(page=3) == "?sector=nhs&sector=police&year=2010&page=3"


def test_parser_with_nothing_chosen():
    filters = parse_filters(QueryDict(""), FACETS)
    assert not filters.active
    assert filters.query == ""
    assert filters.page == 1
    assert filters.url() == "?"


def test_parser_accepts_a_plain_dict():
    filters = parse_filters({"sector": "nhs", "q": "  pooled \x00 budgets ", "page": "2"}, FACETS)
    assert filters.values("sector") == ("nhs",)
    assert filters.query == "pooled budgets"
    assert filters.page == 2


@pytest.mark.parametrize(
    ("raw", "page"),
    [("2", 2), ("abc", 1), ("0", 1), ("-3", 1), ("", 1), ("²", 1), ("1" * 40, 10**6), (" 4 ", 4)],
)
def test_page_numbers(raw, page):
    assert parse_page(raw) == page
