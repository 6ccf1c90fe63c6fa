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
* **Purging is one cache write.** Every key contains a *generation* token kept in the cache;
  publishing, unpublishing, moving, deleting or saving a live page, or changing a theme, an
  image, a document, a site or the academy settings, writes a new token
  (``purge_public_pages``, wired in ``courses/signals.py``) and every old entry becomes
  unreachable and expires on its own. The token is read at the start of a request and reused
  to store its response, so a page rendered while an editor publishes is stored under the old
  generation and never served. The token is random (not a counter), so losing it to cache
  eviction can never resurrect old entries.

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
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-pages:generation"
PUBLIC_MARK = "_academy_public_page"

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


def purge_public_pages() -> None:
    """Make every cached public page unreachable (one cache write). A cache that does not
    answer has nothing to purge: publishing goes on, and the failure is logged."""
    try:
        _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.exception("Could not purge the public page cache")


def current_generation() -> str:
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def page_cache_key(request: HttpRequest, generation: str) -> str | None:
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
    return f"public-pages:{generation}:{digest}"


def is_public_page_type(page) -> bool:
    return page._meta.label_lower in {label.lower() for label in cache_settings()["PAGE_TYPES"]}


def mark_public_page(serve):
    """An ``on_serve_page`` wrapper: marks the response of a public page type as one the
    middleware may store (it still applies its own checks to the response)."""

    def inner(page, request, serve_args, serve_kwargs):
        response = serve(page, request, serve_args, serve_kwargs)
        if (
            isinstance(response, HttpResponse)
            and not getattr(request, "is_preview", False)
            and is_public_page_type(page)
        ):
            setattr(response, PUBLIC_MARK, True)
        return response

    return inner


class PublicPageCacheMiddleware:
    """Answers anonymous GETs of public pages from the cache; stores what pages mark public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._is_candidate(request):
            return self._private_if_signed_in(request, self.get_response(request))

        # The cache is an optimisation: when it does not answer (Redis down), pages are
        # served uncached rather than failing.
        try:
            key = page_cache_key(request, current_generation())
            cached = _cache().get(key) if key is not None else None
        except Exception:
            logger.warning("Public page cache unavailable; serving uncached", exc_info=True)
            return self._private_if_signed_in(request, self.get_response(request))
        if key is None:
            return self.get_response(request)
        if cached is not None:
            return self._from_cache(request, cached)

        response = self.get_response(request)
        if self._is_storable(request, response):
            options = cache_settings()
            patch_cache_control(response, public=True, max_age=options["MAX_AGE"])
            patch_vary_headers(response, ("Cookie",))
            entry = (response.content, response.status_code, list(response.headers.items()))
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
    def _from_cache(request: HttpRequest, entry) -> HttpResponse:
        content, status, headers = entry
        response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
        for name, value in headers:
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
