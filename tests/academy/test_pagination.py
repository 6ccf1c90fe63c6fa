"""The one function that builds page links: which pages are shown, what each link keeps, and
how the shared template renders them."""

from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.loader import render_to_string

import pytest

from academy.pagination import PageItem, Pagination, pagination


def page_of(number: int, *, pages: int = 20):
    return Paginator(range(pages * 10), 10).get_page(number)


def numbers(result: Pagination) -> list[int | None]:
    return [item.number for item in result.items]


def test_one_page_needs_no_links():
    result = pagination(Paginator(range(7), 10).get_page(1), QueryDict("q=budgets"))

    assert result == Pagination(previous_url="", next_url="", items=())
    assert not result


@pytest.mark.parametrize(
    ("current", "shown"),
    [
        (1, [1, 2, None, 20]),
        (2, [1, 2, 3, None, 20]),
        (3, [1, 2, 3, 4, None, 20]),
        (4, [1, None, 3, 4, 5, None, 20]),
        (10, [1, None, 9, 10, 11, None, 20]),
        (17, [1, None, 16, 17, 18, None, 20]),
        (19, [1, None, 18, 19, 20]),
        (20, [1, None, 19, 20]),
    ],
)
def test_long_runs_collapse_to_an_ellipsis_around_first_last_and_current(current, shown):
    result = pagination(page_of(current), QueryDict())

    assert numbers(result) == shown
    assert [item.number for item in result.items if item.current] == [current]
    assert all(item.ellipsis == (item.number is None) for item in result.items)
    assert all(item.url == "" for item in result.items if item.ellipsis)


def test_a_few_pages_are_all_shown_without_an_ellipsis():
    assert numbers(pagination(page_of(2, pages=3), QueryDict())) == [1, 2, 3]


def test_first_page_has_no_previous_and_last_page_no_next():
    first = pagination(page_of(1, pages=3), QueryDict())
    last = pagination(page_of(3, pages=3), QueryDict())

    assert first.previous_url == "" and first.next_url == "?page=2"
    assert last.previous_url == "?page=2" and last.next_url == ""


def test_page_one_has_one_address_without_a_page_number():
    result = pagination(page_of(2, pages=3), QueryDict("sort=name&page=2"))

    assert result.previous_url == "?sort=name"
    assert result.items[0] == PageItem(1, "?sort=name", current=False)
    assert pagination(page_of(2, pages=3), QueryDict()).previous_url == "?"


def test_every_other_parameter_is_kept_in_order_with_the_page_last():
    query = QueryDict("sort=progress&page=1&dir=desc&sector=nhs&sector=police&q=pooled+budgets")

    result = pagination(page_of(1), query)

    expected = "?sort=progress&dir=desc&sector=nhs&sector=police&q=pooled+budgets&page=2"
    assert result.next_url == expected
    assert result.items[1] == PageItem(2, expected, current=False)
    assert result.items[-1].url.endswith("&page=20")


def test_values_are_url_encoded():
    query = QueryDict(mutable=True)
    query.setlist("q", ['"care" & <share>?#x=1'])
    query.setlist("café", ["naïve"])

    result = pagination(page_of(1), query)

    assert result.next_url == (
        "?q=%22care%22+%26+%3Cshare%3E%3F%23x%3D1&caf%C3%A9=na%C3%AFve&page=2"
    )


def test_a_plain_mapping_with_lists_or_strings_works_as_request_get_does():
    result = pagination(page_of(1), {"sort": "name", "sector": ["nhs", "police"], "page": "1"})

    assert result.next_url == "?sort=name&sector=nhs&sector=police&page=2"


def test_a_fragment_and_another_parameter_name():
    result = pagination(page_of(5), QueryDict("sort=name&p=5"), fragment="learners", param="p")

    assert result.previous_url == "?sort=name&p=4#learners"
    assert result.next_url == "?sort=name&p=6#learners"
    assert result.items[0].url == "?sort=name#learners"


def test_a_page_past_the_end_is_the_last_page():
    result = pagination(Paginator(range(25), 10).get_page(99), QueryDict("page=99"))

    assert numbers(result) == [1, 2, 3]
    assert result.items[-1].current
    assert result.next_url == ""
    assert result.previous_url == "?page=2"


def render(**context) -> str:
    return render_to_string("components/pagination.html", context)


def test_the_template_renders_govuk_pagination_with_escaped_links():
    query = QueryDict(mutable=True)
    query.setlist("q", ["<b>&"])
    pages = pagination(page_of(10), query)

    html = render(pages=pages, label="Results pages")

    assert html.startswith('<nav class="govuk-pagination" aria-label="Results pages">')
    assert (
        '<a class="govuk-link govuk-pagination__link" href="?q=%3Cb%3E%26&amp;page=9" rel="prev">'
        in html
    )
    assert 'href="?q=%3Cb%3E%26&amp;page=11" rel="next">' in html
    assert (
        '<li class="govuk-pagination__item govuk-pagination__item--current">'
        '<a class="govuk-link govuk-pagination__link" href="?q=%3Cb%3E%26&amp;page=10"'
        ' aria-label="Page 10" aria-current="page">10</a></li>'
    ) in html
    assert html.count("govuk-pagination__item--ellipses") == 2
    assert html.count('aria-current="page"') == 1
    assert "<b>" not in html
    assert 'Previous<span class="govuk-visually-hidden"> page</span>' in html


def test_the_template_shows_nothing_for_a_single_page():
    pages = pagination(Paginator(range(3), 10).get_page(1), QueryDict())

    assert render(pages=pages, label="Results pages").strip() == ""


def test_the_template_block_variant_names_the_previous_and_next_item():
    html = render(
        previous_url="/a/",
        previous_label="Lesson <1>",
        next_url="/c/",
        next_label="Lesson 3",
        label="Lessons",
        noun="lesson",
    )

    assert html.startswith(
        '<nav class="govuk-pagination govuk-pagination--block" aria-label="Lessons">'
    )
    assert "govuk-pagination__list" not in html
    assert 'href="/a/" rel="prev"' in html and 'href="/c/" rel="next"' in html
    assert '<span class="govuk-pagination__link-label">Lesson &lt;1&gt;</span>' in html
    assert 'Next<span class="govuk-visually-hidden"> lesson</span>' in html
