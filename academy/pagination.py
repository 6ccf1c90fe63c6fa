"""The links of a GOV.UK pagination component: previous, next and the numbered pages between.

Every paged list in the academy (the course catalogue, the case-study library, site search and
a cohort's learner table) builds its links here and shows them with
``templates/components/pagination.html``, so each pages the same way: the first, the last and
the current page with its neighbours, an ellipsis for each run of pages left out, and every
other query parameter (search words, filters, sort order) kept in each link."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page


@dataclass(frozen=True)
class PageItem:
    """One entry in the list of pages: a numbered link, or an ellipsis (no number) standing
    for the pages left out."""

    number: int | None = None
    url: str = ""
    current: bool = False

    @property
    def ellipsis(self) -> bool:
        return self.number is None


@dataclass(frozen=True)
class Pagination:
    """What the pagination component shows. Empty (and false) when everything fits on one
    page, so ``{% if pages %}`` leaves the component out."""

    previous_url: str = ""
    next_url: str = ""
    items: tuple[PageItem, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)


def pagination(
    page: Page, query: Mapping, *, fragment: str = "", param: str = "page"
) -> Pagination:
    """The links for ``page`` of its paginator. ``query`` is the request's query string
    (``request.GET``, or any mapping of names to a value or a list of values): every parameter
    but ``param`` is kept, in order, and url-encoded; ``param`` gives the page number, left out
    for page 1 so that the first page has one address. ``fragment`` (``"learners"``) is added
    to each link so that the browser returns to the list rather than the top of the page."""
    last = page.paginator.num_pages
    if last <= 1:
        return Pagination()
    kept = [(name, value) for name, value in _pairs(query) if name != param]
    suffix = f"#{fragment}" if fragment else ""

    def url(number: int) -> str:
        pairs = kept + ([(param, str(number))] if number > 1 else [])
        return f"?{urlencode(pairs)}{suffix}"

    current = page.number
    shown = sorted({1, last, *range(max(current - 1, 1), min(current + 1, last) + 1)})
    items, previous = [], 0
    for number in shown:
        if number - previous > 1:
            items.append(PageItem())
        items.append(PageItem(number, url(number), number == current))
        previous = number
    return Pagination(
        previous_url=url(current - 1) if page.has_previous() else "",
        next_url=url(current + 1) if page.has_next() else "",
        items=tuple(items),
    )


def _pairs(query: Mapping) -> Iterable[tuple[str, str]]:
    """``(name, value)`` for every value of every parameter, repeated parameters included."""
    lists = query.lists() if hasattr(query, "lists") else query.items()
    for name, values in lists:
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            values = [values]
        for value in values:
            yield name, value
