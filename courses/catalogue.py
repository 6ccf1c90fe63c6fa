"""Filtering, searching and paging lists of pages: the course catalogue and the case-study
library. Pure: nothing here touches the database. ``courses.selectors`` supplies the facets
(the options a person may choose from) and turns a ``Filters`` into a queryset.

GET parameters name options by slug (``?sector=nhs-and-health&theme=pooled-budgets``).
Repeating a parameter widens that filter (OR); different parameters narrow (AND). Anything
that is not one of the offered options is dropped without an error, so a stale bookmark or a
hand-edited URL still gets a page of results."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.utils.datastructures import MultiValueDict

from academy.pagination import Pagination, pagination
from academy.search import clean_query

PAGE_SIZE = 10
# More values than any filter offers: a longer list is not something a person sent.
MAX_VALUES_PER_PARAMETER = 50
MAX_VALUE_LENGTH = 100
MAX_PAGE_DIGITS = 6
MAX_PAGE = 10**MAX_PAGE_DIGITS  # further than any list goes: the paginator gives the last page


@dataclass(frozen=True)
class Option:
    """One choice in a facet. ``value`` goes in the URL, ``key`` is what the database stores
    (a slug, a primary key, a year) and ``aliases`` are other spellings that mean the same."""

    value: str
    label: str
    key: Any = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facet:
    """A group of checkboxes: the GET parameter, the legend people read, the options."""

    name: str
    legend: str
    options: tuple[Option, ...]

    def lookup(self) -> dict[str, Option]:
        table = {}
        for option in self.options:
            for spelling in (*option.aliases, option.value):
                table[spelling.lower()] = option
        return table


@dataclass(frozen=True)
class Checkbox:
    name: str
    value: str
    label: str
    checked: bool

    @property
    def id(self) -> str:
        return f"filter-{self.name}-{self.value}"


@dataclass(frozen=True)
class FacetForm:
    """A facet as the filter form shows it."""

    name: str
    legend: str
    checkboxes: tuple[Checkbox, ...]


@dataclass(frozen=True)
class SelectedFilter:
    legend: str
    label: str
    remove_url: str


@dataclass(frozen=True)
class Filters:
    """What a person asked for, cleaned: only offered options, in the order they are offered,
    each once; the search query fit to show back; a page number that is a positive integer."""

    facets: tuple[Facet, ...]
    chosen: Mapping[str, tuple[Option, ...]] = field(default_factory=dict)
    query: str = ""
    page: int = 1

    def values(self, name: str) -> tuple[str, ...]:
        return tuple(option.value for option in self.chosen.get(name, ()))

    def keys(self, name: str) -> tuple[Any, ...]:
        return tuple(option.key for option in self.chosen.get(name, ()))

    @property
    def active(self) -> bool:
        return bool(self.query) or any(self.chosen.values())

    def params(self, *, without: tuple[str, str] | None = None) -> list[tuple[str, str]]:
        """The GET parameters that reproduce these filters (without the page number), less
        the one ``(name, value)`` pair given."""
        pairs = [("q", self.query)] if self.query else []
        for facet in self.facets:
            pairs += [(facet.name, value) for value in self.values(facet.name)]
        return [pair for pair in pairs if pair != without]

    def url(self, *, page: int | None = None, without: tuple[str, str] | None = None) -> str:
        pairs = self.params(without=without)
        if page and page > 1:
            pairs.append(("page", str(page)))
        return f"?{urlencode(pairs)}" if pairs else "?"

    @property
    def form(self) -> list[FacetForm]:
        return [
            FacetForm(
                name=facet.name,
                legend=facet.legend,
                checkboxes=tuple(
                    Checkbox(
                        facet.name,
                        option.value,
                        option.label,
                        option.value in self.values(facet.name),
                    )
                    for option in facet.options
                ),
            )
            for facet in self.facets
            if facet.options
        ]

    @property
    def selected(self) -> list[SelectedFilter]:
        """Each chosen option (and the search words) with a link that removes just it."""
        items = []
        if self.query:
            items.append(SelectedFilter("Search", self.query, self.url(without=("q", self.query))))
        for facet in self.facets:
            for option in self.chosen.get(facet.name, ()):
                remove = self.url(without=(facet.name, option.value))
                items.append(SelectedFilter(facet.legend, option.label, remove))
        return items


def parse_filters(params: Mapping, facets: Sequence[Facet]) -> Filters:
    """Turn ``request.GET`` (or any mapping with ``getlist``) into ``Filters``. Never raises:
    unknown, malformed or repeated values are dropped."""
    chosen = {}
    for facet in facets:
        lookup = facet.lookup()
        picked = {_clean_value(raw) for raw in _getlist(params, facet.name)}
        options = [lookup[value] for value in picked if value in lookup]
        chosen[facet.name] = tuple(option for option in facet.options if option in options)
    return Filters(
        facets=tuple(facets),
        chosen=chosen,
        query=clean_query(_first(params, "q")),
        page=parse_page(_first(params, "page")),
    )


def parse_page(raw: str) -> int:
    """A page number: anything that is not a plain positive number is page 1. (A number past
    the end is the paginator's to handle: it gives the last page.)"""
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit():
        return 1
    if len(raw) > MAX_PAGE_DIGITS:
        return MAX_PAGE
    return max(int(raw), 1)


def _getlist(params: Mapping, name: str) -> list[str]:
    values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
    return [value for value in values[:MAX_VALUES_PER_PARAMETER] if isinstance(value, str)]


def _first(params: Mapping, name: str) -> str:
    values = _getlist(params, name)
    return values[0] if values else ""


def _clean_value(raw: str) -> str:
    return raw.strip()[:MAX_VALUE_LENGTH].lower()


@dataclass(frozen=True)
class Listing:
    """One page of results with everything the template needs to show and page through it."""

    filters: Filters
    paginator: Paginator
    page: Page
    pages: Pagination

    @property
    def count(self) -> int:
        return self.paginator.count

    @property
    def results(self) -> list:
        return list(self.page.object_list)


def paginate(items: Iterable, filters: Filters, per_page: int = PAGE_SIZE) -> Listing:
    """The page of ``items`` that ``filters.page`` asks for; past the end, the last page. The
    page links keep the cleaned filters, not whatever else the address carried."""
    paginator = Paginator(items, per_page)
    page = paginator.get_page(filters.page)
    page.object_list = list(page.object_list)
    query = MultiValueDict()
    for name, value in filters.params():
        query.appendlist(name, value)
    return Listing(filters=filters, paginator=paginator, page=page, pages=pagination(page, query))
