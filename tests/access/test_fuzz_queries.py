"""Every query string, fuzzed: for each GET row of the access matrix (``rows.py``), as the roles
it lets through, Hypothesis sends the URL with its query parameters set to edge cases: numbers
beyond any database integer, negative and fractional numbers, NUL, 10,000 characters,
zero-width and right-to-left text, empty values, and each parameter repeated.

The parameters are every one the view may read: those the page offers for its own address (the
fields of its GET forms, the parameters of its links back to itself: pages, sorting, filters),
those in the row's own URL, every name the academy's code reads from ``request.GET``, the names
lists commonly take (``page``, ``sort``, ``ordering``, ``q``, ``next``…) and one nobody reads.

The answer is never a server error, and a GET writes nothing (``fuzzing.send``): a refused one
no table, an accepted one only the tables in ``GET_WRITES``."""

import re
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.test import Client

import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from .bodies import HUGE, LONG
from .forms import query_names
from .fuzzing import FUZZ, reachers, send, settle
from .rows import ROWS
from .tables import fingerprints
from .world import ROLES, as_role, request
from .writes import SHOWN_WRITES

pytestmark = pytest.mark.django_db

RANDOM_EXAMPLES = 2
COMMON = ("page", "p", "sort", "dir", "order", "ordering", "q", "next", "token", "id")
UNKNOWN = "nobody-reads-this"
VALUES = (
    HUGE,
    "-1",
    "\x00",
    LONG,
    "\u202eevil\u202c\u200b\u200f\u05e9\u05dc\u05d5\u05dd",
    "",
    "1e309",
    "0",
    "NaN",
    "//evil.example.org/",
    "🧭 Leading",
    "../../etc/passwd",
)
# Tried first, on every row: each value in every parameter at once, then every parameter twice.
EDGE_PLANS = (
    *((index, (value,), False) for index, value in enumerate(VALUES[:5])),
    (5, (HUGE, "-1"), True),
)

# GETs that may write, and what.
GET_WRITES: dict[str, frozenset[str]] = {
    # The page makes a person's calendar address the first time they open it.
    "calendar feed page": frozenset({"cohorts_calendarfeed"}),
    # So does a cohort's home page, which links to the cohort's calendar with it.
    "cohort home": frozenset({"cohorts_calendarfeed"}),
    "cohort home before the cohort starts": frozenset({"cohorts_calendarfeed"}),
}

# What the academy's code reads from the query string, found in its source.
_READS = re.compile(r"""\.GET(?:\.get|\.getlist)?[(\[]\s*["']([^"']+)["']""")


@cache
def names_the_code_reads() -> frozenset[str]:
    found = set()
    for app in ("academy", "cohorts", "courses", "home"):
        for source in Path(settings.BASE_DIR, app).rglob("*.py"):
            found.update(_READS.findall(source.read_text()))
    return frozenset(found)


def test_the_names_the_code_reads_are_found():
    assert {"token", "page", "q", "next"} <= names_the_code_reads()


GET_ROWS = [row for row in ROWS if row.method == "get"]


def _parameters(client, world, row, roles) -> list[str]:
    address = row.url(world)
    path, _, query = address.partition("?")
    names = {name for name, _ in parse_qsl(query, keep_blank_values=True)}
    for role in roles:
        response = request(client, world, role, "get", address)
        if response.status_code == 200 and not response.streaming:
            if "html" in response.get("Content-Type", ""):
                names |= query_names(response.content.decode(), path)
            break
    names |= names_the_code_reads() | set(COMMON) | {UNKNOWN}
    return sorted(names)


def query_for(names: list[str], values: tuple[str, ...], repeat: bool) -> str:
    """Each name with a value, round the values so that each name gets a different one; with
    ``repeat``, every value for every name."""
    pairs = []
    for index, name in enumerate(names):
        if repeat:
            pairs.extend((name, value) for value in values)
        else:
            pairs.append((name, values[index % len(values)]))
    return urlencode(pairs)


def test_every_get_row_is_fuzzed():
    assert len(GET_ROWS) > 50
    assert {"search", "course catalogue", "facilitator dashboard"} <= {r.name for r in GET_ROWS}


@pytest.mark.parametrize("row", GET_ROWS, ids=[row.name for row in GET_ROWS])
def test_no_query_string_answers_500(world, row):
    client = Client(raise_request_exception=True)
    roles = reachers(row) or list(ROLES[:1])
    path = row.url(world).partition("?")[0]
    settle(world)
    before = fingerprints()
    names = _parameters(client, world, row, roles)
    sent_as = set()

    @hypothesis_settings(FUZZ, max_examples=RANDOM_EXAMPLES)
    @given(
        plan=st.tuples(
            st.integers(0, 11),
            st.lists(st.sampled_from(VALUES), min_size=1, max_size=3).map(tuple),
            st.booleans(),
        )
    )
    def fuzz(plan):
        role_index, values, repeat = plan
        role = roles[role_index % len(roles)]
        as_role(client, world, role)
        url = f"{path}?{query_for(names, values, repeat)}"
        send(
            client,
            "get",
            url,
            None,
            who=role,
            before=before,
            may_write=GET_WRITES.get(row.name, ()),
            shown_writes=SHOWN_WRITES.get(row.name, ()),
        )
        sent_as.add(role)

    for plan in reversed(EDGE_PLANS):
        fuzz = example(plan=plan)(fuzz)
    fuzz()
    assert sent_as
