"""Every form, fuzzed: for each route of the access matrix that takes a POST, as each role
whose row says it may reach it, Hypothesis sends bodies built from the fields of the form the
page really shows (``bodies.py``): fields missing, extra and repeated, wrong types, huge
numbers (in the body and in the URL's ids), 10,000 characters, NUL bytes, zero-width and
right-to-left text, times on the nights the UK clocks change, years 1 and 9999.

Three things must hold for every request (``fuzzing.py``): the answer is never a server error;
an answer that refuses (4xx, or a redirect to sign in) changes no table of the database; an
answer that accepts changes only the tables the form is meant to write (``writes.py``).

A new form is fuzzed as soon as its route has its rows in the matrix: the routes come from the
same walk. The examples are few and fixed (``derandomize``), so the run takes the same path
every time; the edge cases in ``bodies.EDGE_PLANS`` are always tried first."""

from urllib.parse import urlsplit

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import ModelLogEntry

import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from taggit.models import Tag

from .bodies import EDGE_PLANS, body_for, plans, today_in_cohort, url_with_ids
from .forms import Field, Form, post_form_for, post_forms
from .fuzzing import FUZZ, reachers, send, settle
from .routes import route_of
from .rows import NO_FORM, ROWS, SAME_URL
from .tables import changed_tables, fingerprints
from .world import Rollback, as_role, request
from .writes import SHOWN_WRITES, WRITES

pytestmark = pytest.mark.django_db

# Random plans per route, on top of the edge plans; kept small so that the test stays quick.
RANDOM_EXAMPLES = 6

# Every POST row that lets someone through: every route that takes a POST has one (the matrix
# fails without it).
FUZZED = [row for row in ROWS if row.method == "post" and reachers(row)]

# What a URL that shows no form of its own is sent besides the fields of the forms its page
# shows: the names forms use most, and the ones a careless view might read.
ANY_FORM = ("csrfmiddlewaretoken", "action", "next", "email", "password", "q", "page", "id")


def _page_form(client, world, page, target, readers):
    """The form on ``page`` that posts to ``target``, read as the first of ``readers`` that
    the page shows it to."""
    for reader in readers:
        response = request(client, world, reader, "get", page)
        if response.status_code == 200 and not response.streaming:
            form = post_form_for(response.content.decode(), urlsplit(page).path, target)
            if form is not None:
                return form
    return None


def _sibling(row, world):
    """Another row of the same route whose form is on a page (the refused variants of *Mark
    as complete* post to the form the lesson shows)."""
    route = route_of(row.url(world))
    for other in ROWS:
        if (
            other.method == "post"
            and other.form_at != NO_FORM
            and other is not row
            and route_of(other.url(world)) == route
        ):
            return other
    return None


def _fields_of_the_page(client, world, address, readers) -> Form:
    """For a URL that shows no form of its own: every field of the forms its page shows
    (posted back to the page's own address), and ``ANY_FORM``."""
    fields = []
    for reader in readers:
        response = request(client, world, reader, "get", address)
        if response.status_code == 200 and not response.streaming:
            for form in post_forms(response.content.decode(), urlsplit(address).path):
                fields.extend(form.fields)
            break
    known = {item.name for item in fields}
    fields.extend(Field(name, "text") for name in ANY_FORM if name not in known)
    return Form(action=urlsplit(address).path, fields=fields)


def form_for(client, world, row, role, candidates) -> Form:
    """The fields a POST to the row's URL is built from: the form that posts there, read from
    the page as ``role`` or as another role that may reach it (a lesson shows *Mark as
    complete* only to a learner)."""
    readers = (role, *candidates)
    source = row if row.form_at != NO_FORM else _sibling(row, world)
    if source is None:
        return _fields_of_the_page(client, world, row.url(world), readers)
    page = source.url(world) if source.form_at == SAME_URL else source.form_at(world)
    target = urlsplit((source.form_posts_to or source.url)(world)).path
    form = _page_form(client, world, page, target, readers)
    if form is None:
        raise AssertionError(
            f"No form on {page} posts to {target}: give the row {source.name!r} its form_at,"
            " or NO_FORM when the URL takes no fields"
        )
    return form


def test_a_refused_request_that_writes_any_table_is_caught(world):
    """What a request might write besides the academy's own data: a session row, an entry in
    the Django admin's log or Wagtail's, a tag, a redirect. Each must show as a change."""
    person = world.users["learner_in_cohort"]
    person_type = ContentType.objects.get_for_model(person)
    writes = {
        "django_session": lambda: SessionStore().create(),
        "django_admin_log": lambda: LogEntry.objects.create(
            user=person,
            content_type=person_type,
            object_id=str(person.pk),
            object_repr="x",
            action_flag=ADDITION,
        ),
        "wagtailcore_modellogentry": lambda: ModelLogEntry.objects.create(
            content_type=person_type,
            label="x",
            action="wagtail.edit",
            object_id=str(person.pk),
            timestamp=timezone.now(),
        ),
        "taggit_tag": lambda: Tag.objects.create(name="fuzzed", slug="fuzzed"),
        "wagtailredirects_redirect": lambda: Redirect.objects.create(
            old_path="/fuzzed", redirect_link="https://example.org/"
        ),
    }
    before = fingerprints()
    missed = []
    for table, write in writes.items():
        try:
            with transaction.atomic():
                write()
                if changed_tables(before, fingerprints()) != [table]:
                    missed.append(table)
                raise Rollback
        except Rollback:
            pass
    assert not missed, f"writes to {', '.join(missed)} were not seen"


def test_the_forms_that_matter_are_fuzzed(world):
    fuzzed = {resolve(urlsplit(row.url(world)).path).view_name for row in FUZZED}
    assert {
        "facilitate_session_add",
        "facilitate_session_edit",
        "lesson_complete",
        "profile",
        "delete_account",
        "wagtailusers_users:edit",
        "cohorts:edit",
    } <= fuzzed


def test_every_fuzzed_row_says_what_it_may_write():
    missing = [row.name for row in FUZZED if row.name not in WRITES]
    assert not missing, (
        "POST rows with no entry in tests/access/writes.py, saying which tables an accepted post"
        " may change:\n  " + "\n  ".join(missing)
    )
    stale = sorted(set(WRITES) - {row.name for row in FUZZED})
    assert not stale, f"entries in tests/access/writes.py for no fuzzed row: {stale}"


@pytest.mark.parametrize("row", FUZZED, ids=[row.name for row in FUZZED])
def test_no_post_answers_500_or_half_saves(world, row):
    client = Client(raise_request_exception=True)
    roles = reachers(row)
    address = row.url(world)
    cohort_day = today_in_cohort()
    settle(world)
    before = fingerprints()
    forms = {}
    sent_as = set()
    fields_sent = set()

    @hypothesis_settings(FUZZ, max_examples=RANDOM_EXAMPLES)
    @given(plan=plans())
    def fuzz(plan):
        role = roles[plan.role % len(roles)]
        if role not in forms:
            forms[role] = form_for(client, world, row, role, roles)
        data = body_for(forms[role], plan, cohort_day)
        as_role(client, world, role)
        url = url_with_ids(address, plan.url_id)
        send(
            client,
            "post",
            url,
            data,
            who=role,
            before=before,
            may_write=WRITES.get(row.name, ()),
            shown_writes=SHOWN_WRITES.get(row.name, ()),
        )
        sent_as.add(role)
        fields_sent.update(name for name in data if name in forms[role].names(buttons=True))

    for plan in reversed(EDGE_PLANS):
        fuzz = example(plan=plan)(fuzz)
    fuzz()

    assert sent_as == set(roles)
    assert fields_sent, f"every body posted to {address} was empty of the form's fields"
