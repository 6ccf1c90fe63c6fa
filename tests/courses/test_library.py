"""The case-study library at /case-studies/: filters by partner sector, theme, place and year,
search, the headline figure of each result, and the same robustness as the catalogue."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from academy.models import Place

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    index = factories.case_study_index()
    birmingham = factories.place("Birmingham")
    wigan = factories.place("Wigan")
    factories.case_study(
        index,
        "Counting the cost of economic development",
        where=birmingham,
        year=2009,
        sector_slugs=("local-government", "central-government"),
        theme_slugs=("pooled-budgets",),
        figures=(("Spent to deliver £176m of economic development", "135", "£m"),),
    )
    factories.case_study(
        index,
        "Fifty benefits, one front door",
        where=wigan,
        year=2010,
        sector_slugs=("local-government", "voluntary-and-community"),
        theme_slugs=("citizen-services",),
        figures=(("Fewer forms for residents", "40", "%"), ("Saved", "2", "£m")),
    )
    factories.case_study(
        index,
        "Health and police share a control room",
        where=wigan,
        year=2009,
        sector_slugs=("nhs-and-health", "police-and-justice"),
        theme_slugs=("pooled-budgets", "systems-leadership"),
        figures=(("Residents reached", "1200", "people"),),
    )
    return index


def titles(response) -> list[str]:
    html = response.content.decode()
    items = re.findall(r'<li class="academy-card" data-case-study-result>(.*?)</li>', html, re.S)
    return [re.search(r'class="govuk-link" href="[^"]+">([^<]+)</a>', item)[1] for item in items]


def count_heading(response) -> str:
    return re.search(r"data-result-count>([^<]+)<", response.content.decode())[1]


def test_lists_every_live_case_study_newest_first(client, library):
    factories.case_study(library, "A draft").unpublish()
    response = client.get("/case-studies/")
    assert count_heading(response) == "3 case studies"
    assert titles(response) == [
        "Fifty benefits, one front door",
        "Counting the cost of economic development",
        "Health and police share a control room",
    ]


def test_each_result_shows_place_year_and_its_headline_figure(client, library):
    html = client.get("/case-studies/").content.decode()
    items = re.findall(r"data-case-study-result>(.*?)</li>", html, re.S)
    first, second, third = (re.sub(r"\s+", " ", item) for item in items)
    assert "Wigan · 2010" in first
    assert '<span class="academy-figure">40%</span>Fewer forms for residents' in first
    assert "£2m" not in first  # only the first figure is the headline
    assert "Birmingham · 2009" in second
    assert (
        '<span class="academy-figure">£135m</span>Spent to deliver £176m of economic development'
    ) in second
    assert '<span class="academy-figure">1,200 people</span>' in third
    assert "Illustrative example" in first


def test_a_case_study_without_figures_shows_none(client, library):
    factories.case_study(library, "No numbers yet", figures=(), year=2011)
    html = client.get("/case-studies/?year=2011").content.decode()
    assert titles(client.get("/case-studies/?year=2011")) == ["No numbers yet"]
    assert "data-headline-figure" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "sector=local-government",
            ["Fifty benefits, one front door", "Counting the cost of economic development"],
        ),
        ("sector=police-and-justice", ["Health and police share a control room"]),
        (
            "theme=pooled-budgets",
            ["Counting the cost of economic development", "Health and police share a control room"],
        ),
        (
            "place=wigan",
            ["Fifty benefits, one front door", "Health and police share a control room"],
        ),
        (
            "year=2009",
            ["Counting the cost of economic development", "Health and police share a control room"],
        ),
        ("place=wigan&year=2009", ["Health and police share a control room"]),
        (
            "sector=local-government&theme=pooled-budgets",
            ["Counting the cost of economic development"],
        ),
        (
            "sector=nhs-and-health&sector=central-government&place=birmingham",
            ["Counting the cost of economic development"],
        ),
        ("year=2010&year=2009&theme=citizen-services", ["Fifty benefits, one front door"]),
    ],
)
def test_filters(client, library, query, expected):
    assert titles(client.get(f"/case-studies/?{query}")) == expected


def test_place_by_its_id_too(client, library):
    birmingham = Place.objects.get(name="Birmingham")
    response = client.get(f"/case-studies/?place={birmingham.pk}")
    assert titles(response) == ["Counting the cost of economic development"]
    # The form then shows the readable slug, checked.
    assert re.search(
        r'name="place" type="checkbox" value="birmingham" checked>', response.content.decode()
    )


def test_only_places_and_years_with_case_studies_are_offered(client, library):
    factories.place("Nowhere in particular")
    html = client.get("/case-studies/").content.decode()
    assert re.findall(r'name="place" type="checkbox" value="([^"]+)"', html) == [
        "birmingham",
        "wigan",
    ]
    assert re.findall(r'name="year" type="checkbox" value="([^"]+)"', html) == ["2010", "2009"]
    assert "Partner sector</legend>" in html


def test_two_places_with_one_name_get_different_slugs(client, library):
    region = factories.place("Wigan", Place.Kind.REGION)
    factories.case_study(library, "A regional story", where=region, year=2011)
    html = client.get("/case-studies/?place=wigan-region").content.decode()
    values = re.findall(r'name="place" type="checkbox" value="([^"]+)"', html)
    assert sorted(values) == ["birmingham", "wigan-local_authority", "wigan-region"]
    assert re.findall(r'data-case-study-result>.*?">([^<]+)</a>', html, re.S) == [
        "A regional story"
    ]


@pytest.mark.parametrize(
    "query",
    [
        "place=atlantis",
        "place=999999",
        "place=-1",
        "year=abc",
        "year=1066",
        "theme=%00",
        "sector=nhs-and-health'--",
        "page=abc",
        "page=999",
    ],
)
def test_unknown_or_malformed_values_are_ignored(client, library, query):
    response = client.get(f"/case-studies/?{query}")
    assert response.status_code == 200
    assert count_heading(response) == "3 case studies"


def test_search_within_the_library(client, library):
    assert titles(client.get("/case-studies/?q=control+room")) == [
        "Health and police share a control room"
    ]
    assert titles(client.get("/case-studies/?q=benefits&place=wigan")) == [
        "Fifty benefits, one front door"
    ]
    response = client.get("/case-studies/", {"q": "x" * 5000})
    assert response.status_code == 200
    assert count_heading(response) == "0 case studies"


def test_selected_filters_can_be_removed_one_by_one(client, library):
    html = client.get("/case-studies/?place=wigan&year=2009").content.decode()
    assert "Place: Wigan" in html
    assert "Year: 2009" in html
    assert 'href="?year=2009"' in html  # removes the place, keeps the year
    assert 'href="?place=wigan"' in html
    assert '<a class="govuk-link" href="/case-studies/">Clear filters</a>' in html


def test_query_count_does_not_grow_with_the_number_of_case_studies(
    client, django_assert_num_queries
):
    index = factories.case_study_index()
    places = [factories.place(f"Place {n}") for n in range(5)]

    def add(count, start):
        for number in range(start, start + count):
            factories.case_study(
                index,
                f"Case study {number:02d}",
                where=places[number % len(places)],
                year=2005 + number % 5,
                sector_slugs=("local-government", "nhs-and-health"),
                theme_slugs=("pooled-budgets", "systems-leadership"),
            )

    url = "/case-studies/?sector=local-government&theme=pooled-budgets"
    add(5, 1)
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert count_heading(response) == "5 case studies"

    add(45, 6)
    cache.clear()
    with django_assert_num_queries(len(five)):
        response = client.get(url)
    assert count_heading(response) == "50 case studies"
