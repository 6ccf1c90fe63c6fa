"""Public pages from the cache: anonymous visitors to the home page, the catalogue, course
overviews, the case-study library and case studies are answered from the cache with no
database query at all (docs/quality.md, P1).

Why a middleware plus a page-serving wrapper, not Django's per-site cache or a view decorator:

* **A hit must be answered before Wagtail routing.** Wagtail's ``serve`` view looks up the
  ``Site`` and walks the page tree (database queries) before any page method or
  ``before_serve_page`` hook runs, so only a middleware can answer a hit with zero queries. It
  sits just below ``SecurityMiddleware`` and WhiteNoise and above ``SessionMiddleware``: a hit
  never opens the session or loads the user.
* **Only pages say they are public.** The middleware stores nothing on its own judgement: the
  ``on_serve_page`` wrapper (``mark_public_page``, registered in ``wagtail_hooks.py``) marks
  the response of a page whose type is listed in ``PUBLIC_PAGE_CACHE["PAGE_TYPES"]``. It runs
  inside Wagtail's view-restriction check, so a private page (login, group or password) is never
  marked. Lessons, ``/search/``, ``/accounts/``, ``/admin/`` and every non-page view are
  therefore never stored. Previews are built by ``make_preview_request``, which runs this
  middleware on a fake request for the page's public URL: it carries ``is_dummy`` and is never
  looked up nor stored. (Django's ``UpdateCacheMiddleware`` would store any 200, telling
  signed-in and anonymous people apart only by ``Vary: Cookie``.)
* **"Anonymous" is decided from the request's cookies, with no database query.** A request
  is a candidate only when it carries no cookie except the CSRF cookie (so no session, hence no
  signed-in user and no messages kept in the session, and no ``messages`` cookie) and no
  ``Authorization`` header. Any other cookie means "maybe personal": no lookup, no store. Deny by
  default: a cookie added by a future feature turns caching off rather than leaking a page.
* **A response is stored only when it is the same for every anonymous visitor**: GET, status
  200, not streamed, marked public by the page, sets no cookie (a page that called
  ``{% csrf_token %}`` sets the CSRF cookie; a session or messages cookie is personal too), used
  no CSRF token, shows no flash message and does not opt out with ``Cache-Control`` private,
  no-cache or no-store.
* **Purging is one cache write, for the whole site or for one page.** An entry is stored under
  its address alone and records two random *generation* tokens kept in the cache: the site's,
  read by the middleware at the start of the request, and its page's own, read by
  ``mark_public_page`` just before the page renders. A hit is served only while both are still
  the current ones. Publishing, unpublishing, moving, deleting or saving a live page, or
  changing a theme, an image, a document, a site or the academy settings, writes a new site
  token (``purge_public_pages``, wired in ``courses/signals.py``): every entry is refused from
  then on and replaced when its page is next rendered, or expires. What another app shows on
  one page is purged for that page alone (``purge_public_page``): the cohorts app does so
  when the places left on a course's upcoming cohorts change (``cohorts/public_cache.py``),
  so taking a place refreshes one course overview, and a learner marking a lesson complete
  purges nothing. Each token is read before the page reads what it shows, so a page rendered
  while either is renewed is stored with the old one and never served. Tokens are random (not
  counters), so losing one to cache eviction can never bring old entries back: a token that is
  missing matches no entry. A lookup is two cache round trips: the entry and the site token
  together, then the page's token (only when there is an entry).

The purge reaches every process only through a shared cache (Redis, with ``REDIS_URL``). With
the per-process local-memory cache of a quick local run, a page published in one process (or by
the Celery worker's scheduled publishing) is purged there only; other processes catch up within
``TIMEOUT``.

Headers: a stored (and so every cached) response carries ``Cache-Control: public,
max-age=MAX_AGE`` and ``Vary: Cookie``; any response to a request with a session cookie (or one
that sets it, at sign-in) is marked ``private``.
"""

import hashlib
import logging
import uuid
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-pages:generation"
PAGE_GENERATION_KEY = "public-pages:page-generation:{}"
ENTRY_KEY = "public-pages:entry:{}"
# On a response: (page id, the page's generation before it rendered); the middleware may store it.
PUBLIC_MARK = "_academy_public_page"
# On a request: the middleware may store its response, so the page reads its generation.
CANDIDATE_MARK = "_academy_public_page_candidate"


class Entry(NamedTuple):
    """A stored response, and the generations it was rendered under."""

    content: bytes
    status: int
    headers: list[tuple[str, str]]
    generation: str
    page_id: int
    page_generation: str


DEFAULTS: dict[str, Any] = {
    # Page types ("app_label.modelname") whose anonymous responses may be stored.
    "PAGE_TYPES": [],
    # Server-side lifetime of an entry, in seconds: the bound on staleness for anything a purge
    # does not see (dates moving on, data owned by other apps).
    "TIMEOUT": 600,
    # Browser and proxy lifetime, in seconds (Cache-Control: max-age).
    "MAX_AGE": 60,
    # Cookies that do not make a visitor "maybe signed in", besides the CSRF cookie.
    "IGNORED_COOKIES": [],
    # Paths never looked up or stored, whatever they serve.
    "NEVER_PREFIXES": ["/admin/", "/django-admin/", "/accounts/", "/search/"],
    # Models ("app_label.ModelName") whose saving or deleting purges the cache.
    "PURGE_ON_SAVE": [],
    # Which entry of CACHES holds the pages.
    "CACHE_ALIAS": "default",
}


def cache_settings() -> dict[str, Any]:
    return {**DEFAULTS, **getattr(settings, "PUBLIC_PAGE_CACHE", {})}


def _cache():
    return caches[cache_settings()["CACHE_ALIAS"]]


def _renew(key: str) -> None:
    """Write a new generation token under ``key``. A cache that does not answer has nothing to
    purge: the change goes on, and the failure is logged."""
    try:
        _cache().set(key, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.exception("Could not purge the public page cache")


def purge_public_pages() -> None:
    """Make every cached public page unreachable (one cache write)."""
    _renew(GENERATION_KEY)


def purge_public_page(page_id: int) -> None:
    """Make the cached copies of one page unreachable, at every address and with any query
    string (one cache write): for data that page alone shows, such as the places left on a
    course's upcoming cohorts. Call it once the change is committed."""
    _renew(PAGE_GENERATION_KEY.format(page_id))


def _generation(key: str) -> str:
    cache = _cache()
    generation = cache.get(key)
    if generation is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        generation = cache.get(key)
    return generation


def current_generation() -> str:
    return _generation(GENERATION_KEY)


def page_generation(page_id: int) -> str:
    return _generation(PAGE_GENERATION_KEY.format(page_id))


def cached_page(key: str) -> tuple[str, Entry | None]:
    """The site's current generation, and the entry stored under ``key`` if it was rendered
    under the current generations of the site and of its page (else None)."""
    cache = _cache()
    found = cache.get_many([key, GENERATION_KEY])
    generation = found.get(GENERATION_KEY) or current_generation()
    entry = found.get(key)
    if (
        isinstance(entry, Entry)
        and entry.generation == generation
        and cache.get(PAGE_GENERATION_KEY.format(entry.page_id)) == entry.page_generation
    ):
        return generation, entry
    return generation, None


def page_cache_key(request: HttpRequest) -> str | None:
    """The key of the request's page: scheme, host, path and query string (its parameters in
    a stable order, so ``?a=1&b=2`` and ``?b=2&a=1`` share an entry). None for a host that is
    not allowed (Django answers those with a 400 further in)."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), True)))
    address = f"{request.scheme}://{host}{request.path}?{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return ENTRY_KEY.format(digest)


def is_public_page_type(page) -> bool:
    return page._meta.label_lower in {label.lower() for label in cache_settings()["PAGE_TYPES"]}


def mark_public_page(serve):
    """An ``on_serve_page`` wrapper: marks the response of a public page type as one the
    middleware may store (it still applies its own checks to the response), with the page's
    generation read before the page renders. Only for a request the middleware may store: a
    signed-in visitor's page costs no cache round trip."""

    def inner(page, request, serve_args, serve_kwargs):
        generation = None
        if (
            getattr(request, CANDIDATE_MARK, False)
            and not getattr(request, "is_preview", False)
            and is_public_page_type(page)
        ):
            try:
                generation = page_generation(page.pk)
            except Exception:
                logger.warning("Public page cache unavailable; not storing", exc_info=True)
        response = serve(page, request, serve_args, serve_kwargs)
        if generation is not None and isinstance(response, HttpResponse):
            setattr(response, PUBLIC_MARK, (page.pk, generation))
        return response

    return inner


class PublicPageCacheMiddleware:
    """Answers anonymous GETs of public pages from the cache; stores what pages mark public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._is_candidate(request):
            return self._private_if_signed_in(request, self.get_response(request))

        key = page_cache_key(request)
        if key is None:
            return self.get_response(request)
        # The cache is an optimisation: when it does not answer (Redis down), pages are
        # served uncached rather than failing.
        try:
            generation, cached = cached_page(key)
        except Exception:
            logger.warning("Public page cache unavailable; serving uncached", exc_info=True)
            return self._private_if_signed_in(request, self.get_response(request))
        if cached is not None:
            return self._from_cache(request, cached)

        setattr(request, CANDIDATE_MARK, True)
        response = self.get_response(request)
        if self._is_storable(request, response):
            options = cache_settings()
            patch_cache_control(response, public=True, max_age=options["MAX_AGE"])
            patch_vary_headers(response, ("Cookie",))
            page_id, generation_of_page = getattr(response, PUBLIC_MARK)
            entry = Entry(
                response.content,
                response.status_code,
                list(response.headers.items()),
                generation,
                page_id,
                generation_of_page,
            )
            try:
                _cache().set(key, entry, timeout=options["TIMEOUT"])
            except Exception:
                logger.warning("Could not store a public page in the cache", exc_info=True)
        return self._private_if_signed_in(request, response)

    @staticmethod
    def _is_candidate(request: HttpRequest) -> bool:
        """An anonymous GET or HEAD of a path that may be cached, decided without the
        database: no cookie but the CSRF cookie, no Authorization header."""
        if request.method not in ("GET", "HEAD"):
            return False
        # Wagtail's previews run the middleware on a fake request for the page's own URL.
        if getattr(request, "is_dummy", False) or getattr(request, "is_preview", False):
            return False
        options = cache_settings()
        if request.path.startswith(tuple(options["NEVER_PREFIXES"])):
            return False
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        harmless = {settings.CSRF_COOKIE_NAME, *options["IGNORED_COOKIES"]}
        return all(name in harmless for name in request.COOKIES)

    @staticmethod
    def _is_storable(request: HttpRequest, response: HttpResponse) -> bool:
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        if not getattr(response, PUBLIC_MARK, False):
            return False
        # A cookie in the response (CSRF, session, messages) means it is not the same for all.
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        messages = getattr(request, "_messages", None)
        if messages is not None and len(messages):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:  # no session cookie: no query
            return False
        cache_control = response.get("Cache-Control", "")
        return not any(word in cache_control for word in ("private", "no-cache", "no-store"))

    @staticmethod
    def _from_cache(request: HttpRequest, entry: Entry) -> HttpResponse:
        content = entry.content
        response = HttpResponse(b"" if request.method == "HEAD" else content, status=entry.status)
        for name, value in entry.headers:
            response.headers[name] = value
        response.headers["Content-Length"] = str(len(content))
        return response

    @staticmethod
    def _private_if_signed_in(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """A response to someone who may be signed in (their request carries a session cookie,
        or this response signs them in) must not be kept by a shared cache."""
        session_cookie = settings.SESSION_COOKIE_NAME
        if session_cookie in request.COOKIES or session_cookie in response.cookies:
            patch_cache_control(response, private=True)
        return response
