# ruff: noqa: RUF001 (the site uses typographic quotes, as GOV.UK does)
"""Site search over the demo pages, with bad input, and robots.txt (the sitemap has its own
module: it is read over the whole demo academy)."""

import re

from django.db import DatabaseError

import pytest

from academy import search
from home import views
from home.models import StandardPage


def result_links(response) -> list[str]:
    return re.findall(
        r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="([^"]+)"',
        response.content.decode(),
    )


def results_heading(response) -> str:
    match = re.search(r'id="results-heading">([^<]*)<', response.content.decode())
    return match.group(1) if match else ""


def test_search_finds_the_accessibility_statement_first(client, demo):
    response = client.get("/search/", {"q": "accessibility"})

    assert response.status_code == 200
    links = result_links(response)
    assert links[0] == "/accessibility/"
    assert "results for ‘accessibility’" in results_heading(response)
    assert "How accessible the Collaborative Leadership Academy website is" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Total Place", "/"),
        ("£135", "/"),
        ("Public Service Boards", "/"),
        ("Information Commissioner", "/privacy/"),
        ("place cohort", "/contact/"),
    ],
)
def test_search_finds_words_in_the_body_of_pages(client, demo, query, expected):
    assert expected in result_links(client.get("/search/", {"q": query}))


def test_search_leaves_out_unpublished_pages(client, demo):
    StandardPage.objects.get(slug="accessibility").unpublish()

    assert "/accessibility/" not in result_links(client.get("/search/", {"q": "accessibility"}))


def test_no_query_shows_the_form_and_no_results(client, demo):
    response = client.get("/search/")

    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert results_heading(response) == ""


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        '"pooled budgets"',
        "NEAR(a b) AND OR NOT * ^ ( ) : -",
        "'; DROP TABLE wagtailcore_page; --",
        "null\x00byte",
        "%_\\",
        "日本語",
        "     ",
    ],
)
def test_search_survives_odd_input(client, demo, query):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert "Search the academy" in response.content.decode()


def test_very_long_query_is_cut_to_200_characters(client, demo):
    response = client.get("/search/", {"q": "accessibility " * 500})

    assert response.status_code == 200
    shown = re.search(
        r'id="search-q" name="q" type="search" value="([^"]*)"', response.content.decode()
    )
    assert len(shown.group(1)) <= search.SEARCH_MAX_QUERY_LENGTH


@pytest.fixture
def many_pages(demo):
    for number in range(1, 26):
        demo.add_child(
            instance=StandardPage(
                title=f"Pooled budgets {number:02d}",
                slug=f"pooled-budgets-{number:02d}",
                introduction="How partners in one place share a budget.",
            )
        )


def test_results_come_in_pages_of_ten_without_repeats(client, many_pages):
    pages = [
        result_links(client.get("/search/", {"q": "pooled budgets", "page": number}))
        for number in (1, 2, 3)
    ]

    # The 25 new pages, and the home page, which mentions pooled budgets.
    assert [len(links) for links in pages] == [10, 10, 6]
    found = {link for links in pages for link in links}
    assert len(found) == 26
    assert {f"/pooled-budgets-{number:02d}/" for number in range(1, 26)} < found
    assert "26 results" in results_heading(client.get("/search/", {"q": "pooled budgets"}))


@pytest.mark.parametrize(("page_number", "shown"), [("abc", 1), ("1.5", 1), ("999", 3), ("-1", 3)])
def test_bad_page_numbers_show_a_real_page_of_results(client, many_pages, page_number, shown):
    response = client.get("/search/", {"q": "pooled budgets", "page": page_number})

    assert response.status_code == 200
    assert f'aria-label="Page {shown}" aria-current="page"' in response.content.decode()


def test_a_failing_search_backend_shows_no_results_not_an_error(client, demo, monkeypatch):
    def broken(self):
        raise DatabaseError("fts5: syntax error")

    monkeypatch.setattr(views.TitleMatchesFirst, "count", broken)

    response = client.get("/search/", {"q": "accessibility"})

    assert response.status_code == 200
    assert "0 results for ‘accessibility’" in results_heading(response)


def test_search_answers_only_get(client, demo):
    assert client.post("/search/", {"q": "accessibility"}).status_code == 405


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Disallow: /profile/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
