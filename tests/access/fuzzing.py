"""What every fuzzed request must satisfy, for the form fuzz tests (``test_fuzz_forms.py``,
``test_fuzz_accounts.py``) and the query-string fuzz test (``test_fuzz_queries.py``).

A request is sent in a savepoint that is rolled back once its answer has been read, so each one
starts from the same database. Three things must hold:

- the answer is never a server error;
- an answer that refuses (4xx, a redirect to sign in or away from the admin, or a page showing
  its form again with errors) leaves every table of the database as it was (``tables.py``);
- an answer that accepts changes only the tables that request is meant to write."""

from collections.abc import Collection
from urllib.parse import urlsplit

from django.db import transaction
from django.forms import BaseForm

from hypothesis import HealthCheck, settings

from .rows import SIGN_IN, TURNED_AWAY
from .tables import Fingerprints, changed_tables, fingerprints
from .world import ROLES, Rollback

REFUSALS = {403, 404, 405, SIGN_IN, TURNED_AWAY}
SIGN_IN_PAGES = {"/accounts/login/", "/admin/login/", "/django-admin/login/"}

# Few examples, always the same ones (``derandomize``): the edge cases are tried first, with
# ``@example``, and the random ones after them take the same path on every run.
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def settle(world) -> None:
    """What a request would create the first time anyone asks, made now, before the database
    is fingerprinted: Wagtail makes a person's admin preferences the first time any admin page
    reads them, whether or not a form is saved (a person who has opened the admin once has
    them)."""
    from wagtail.users.models import UserProfile

    for user in world.users.values():
        if user is not None:
            UserProfile.get_for_user(user)


def outcome(response):
    """The status code, or for a redirect to a sign-in page or to the admin's dashboard, the
    name the matrix gives it."""
    if response.status_code == 302:
        path = urlsplit(response["Location"]).path
        if path in SIGN_IN_PAGES:
            return SIGN_IN
        if path == "/admin/":
            return TURNED_AWAY
    return response.status_code


def reachers(row) -> list[str]:
    """The roles the row lets through (not 404, 403, 405 or sent to sign in)."""
    return [role for role in ROLES if row.expected[role] not in REFUSALS]


def refused(response, refusals=REFUSALS) -> bool:
    """A 4xx, a redirect to sign in or away from the admin, or a page showing its form again
    with errors (Wagtail's admin answers those with 200)."""
    if outcome(response) in refusals or 400 <= response.status_code < 500:
        return True
    contexts = response.context or []
    for context in contexts if isinstance(contexts, list) else [contexts]:
        for value in context.flatten().values():
            # Only forms the view checked: asking an unchecked one for its errors would check it
            # now, after the request, with its uploaded files closed.
            if isinstance(value, BaseForm) and value._errors is not None and value.errors:
                return True
    return False


def short(data) -> str:
    text = repr(data)
    return text if len(text) < 600 else text[:600] + "…"


def send(
    client,
    method: str,
    url: str,
    data,
    *,
    who: str,
    before: Fingerprints,
    may_write: Collection[str],
    shown_writes: Collection[str] = (),
    refusals=REFUSALS,
):
    """``method`` ``url`` with ``data``, checked as above and rolled back; returns the answer.
    ``may_write`` is the set of tables an accepted answer may change; ``shown_writes`` those the
    page writes whenever it is shown, refused or not (Wagtail's record of who is editing an
    object); ``refusals`` the answers that say no (a form that sends people to sign in once it
    has done its work takes them out)."""
    said = f"{method.upper()} {url} as {who}"
    response = None
    try:
        with transaction.atomic():
            try:
                response = getattr(client, method)(url, data)
                if response.streaming:
                    b"".join(response.streaming_content)
            except Exception as error:
                raise AssertionError(
                    f"{said} answered 500: {type(error).__name__}: {error}\n  sent: {short(data)}"
                ) from error
            assert response.status_code < 500, (
                f"{said} answered {response.status_code}\n  sent: {short(data)}"
            )
            changed = changed_tables(before, fingerprints())
            if response.status_code == 200:
                changed = [table for table in changed if table not in shown_writes]
            if refused(response, refusals):
                assert not changed, (
                    f"{said} was refused ({outcome(response)}) but changed"
                    f" {', '.join(changed)}\n  sent: {short(data)}"
                )
            else:
                unexpected = sorted(set(changed) - set(may_write))
                assert not unexpected, (
                    f"{said} was accepted ({response.status_code}) and changed"
                    f" {', '.join(unexpected)}, which it is not meant to write\n"
                    f"  sent: {short(data)}"
                )
            raise Rollback
    except Rollback:
        pass
    return response
