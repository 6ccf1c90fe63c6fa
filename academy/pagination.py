"""Page links for every paged list (GOV.UK pagination): one function builds them."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None for an ellipsis
    url: str = ""
    current: bool = False

    @property
    def ellipsis(self) -> bool:
        return self.number is None


@dataclass(frozen=True)
class Pagination:
    previous_url: str = ""
    next_url: str = ""
    items: list[PageLink] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.items)


def pagination(page: Page | None, query: Mapping, *, fragment: str = "", param: str = "page"):
    """Links to the pages around ``page``, keeping every other parameter of ``query``. Long
    runs of pages collapse to an ellipsis around the first, last and current page."""
    if page is None or page.paginator.num_pages <= 1:
        return Pagination()
    kept = [(key, value) for key in query for value in _values(query, key) if key != param]
    anchor = f"#{fragment}" if fragment else ""

    def url(number: int) -> str:
        return f"?{urlencode([*kept, (param, number)])}{anchor}"

    items, last_shown = [], 0
    for number in page.paginator.page_range:
        if number in (1, page.paginator.num_pages) or abs(number - page.number) <= 1:
            if number - last_shown > 1:
                items.append(PageLink(None))
            items.append(PageLink(number, url(number), number == page.number))
            last_shown = number
    return Pagination(
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
        items=items,
    )


def _values(query: Mapping, key: str) -> list:
    return query.getlist(key) if hasattr(query, "getlist") else [query[key]]
