"""Every route of the site, found by walking Django's URL resolver through every include, and
the allow-list of third-party routes that the access matrix leaves to their own tests.

A route is named by its full pattern as Django resolves it (``ResolverMatch.route``), for
example ``facilitate/cohorts/<int:cohort_id>/``: a row of the matrix covers the route its URL
resolves to. The academy's own routes can never be allow-listed: each needs its rows. A route is
the academy's when it is declared in one of the academy's URLconfs, or when the view it calls is
the academy's, wherever it is mounted (``view_owner``)."""

from contextlib import suppress
from dataclasses import dataclass
from functools import cache, partial
from types import FunctionType, MethodType
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve

FIRST_PARTY = ("academy", "courses", "cohorts", "home")

# Route prefix -> why its routes have no rows here. Longest prefix wins; each entry must match
# at least one route, and none may match a route of the academy's own.
ALLOW_LIST = {
    "accounts/": "allauth's sign-up, sign-in, email, password and two-factor pages: "
    "tests/academy/test_accounts.py and test_mfa.py",
    "django-admin/": "Django's admin lets in only active staff (superusers here); rows check "
    "its index, its sign-in hand-over and a person's change form",
    "admin/api/": "the JSON API behind Wagtail's page explorer, behind Wagtail's admin check",
    "admin/pages/": "Wagtail's page editor, by page permission: tests/courses/test_workflow.py",
    "admin/choose-": "Wagtail's page and link choosers, behind Wagtail's admin check",
    "admin/tag-autocomplete/": "Wagtail's tag suggestions, behind Wagtail's admin check",
    "admin/collections/": "Wagtail's collections, by model permission (no group holds one)",
    "admin/workflows/": "Wagtail's workflow editor, by model permission (superusers)",
    "admin/reports/": "Wagtail's reports, each behind Wagtail's own permission check",
    "admin/dismissibles/": "Wagtail's record of the tips a signed-in editor has dismissed",
    "admin/editing-sessions/": "Wagtail's concurrent-editing pings, by page permission",
    "admin/block-preview/": "Wagtail's StreamField block previews, behind the admin check",
    "admin/forms/": "Wagtail's form submissions (the academy has no form pages)",
    "admin/redirects/": "Wagtail's redirects, by model permission (no group holds one)",
    "admin/settings/": "Wagtail's site settings, by model permission (superusers)",
    "admin/embeds/": "Wagtail's embed chooser, behind the admin check",
    "admin/snippets/": "Wagtail's snippets (themes), by model permission: "
    "tests/courses/test_workflow.py",
    "admin/documents/": "Wagtail's document library, by collection permission: "
    "tests/courses/test_workflow.py",
    "admin/images/": "Wagtail's image library, by collection permission: "
    "tests/courses/test_workflow.py",
    "admin/sites/": "Wagtail's sites, by model permission (superusers)",
    "admin/sprite/": "Wagtail's icon sprite, the same for everyone",
    "admin/jsi18n/": "Wagtail's JavaScript translations, the same for everyone",
    "admin/test404/": "Wagtail's own 404 page, for trying the error page",
    "admin/failwhale/": "Wagtail's own 500 page, for trying the error page",
    "admin/logout/": "Wagtail's sign-out, which only ends the session",
    "admin/password_reset/": "off (WAGTAIL_PASSWORD_RESET_ENABLED = False): they answer 404",
    "admin/.*/$": "Wagtail's catch-all: any other address under /admin/ answers 404",
}


def _first_party(module: str | None) -> bool:
    return (module or "").split(".")[0] in FIRST_PARTY


def _named(thing) -> str:
    """A class's dotted path; for an object, its class's, as in ``academy.admin.UserAdmin()``."""
    if isinstance(thing, type):
        return f"{thing.__module__}.{thing.__qualname__}"
    return f"{type(thing).__module__}.{type(thing).__qualname__}()"


def _is_view_part(value) -> bool:
    """Something a view is made of: a function, a bound method, a partial, a class."""
    return isinstance(value, FunctionType | MethodType | partial | type)


def _closure(function) -> list:
    values = []
    for cell in function.__closure__ or ():
        with suppress(ValueError):  # a cell not filled yet
            values.append(cell.cell_contents)
    return values


def view_owner(callback) -> str | None:
    """What makes the view that ``callback`` calls the academy's, or None.

    Everything that decides what the view does is looked at, however the view is wrapped or
    mounted: each function of a ``functools.wraps`` chain and the view a decorator without
    ``wraps`` holds in its closure; a partial's function; a bound method's object (a
    ``ModelAdmin``, an admin site, a viewset); a class-based view's class and what ``as_view``
    was given (Django's ``view_class`` and ``view_initkwargs``, Django REST framework's ``cls``
    and ``initkwargs``: a model, a form class, a viewset); a Django admin view's
    ``model_admin``; and the model of a ``ModelAdmin`` or viewset. The view is the academy's
    when any of these is defined in one of the academy's packages."""
    seen: dict[int, object] = {}  # kept alive, so that no id is reused while walking
    todo = [callback]
    while todo:
        thing = todo.pop()
        if id(thing) in seen or thing is None:
            continue
        seen[id(thing)] = thing
        if isinstance(thing, type):
            if _first_party(thing.__module__):
                return _named(thing)
            # A view class's own say: the model or viewset it was written for.
            todo.extend(getattr(thing, attribute, None) for attribute in ("model", "viewset"))
            continue
        if isinstance(thing, FunctionType):
            if _first_party(thing.__module__):
                named = getattr(thing, "view_class", thing)
                return f"{named.__module__}.{named.__qualname__}"
            todo.extend(
                value for value in _closure(thing) if value is not None and _is_view_part(value)
            )
        elif isinstance(thing, MethodType):
            todo.extend((thing.__func__, thing.__self__))
            continue
        elif isinstance(thing, partial):
            todo.extend((thing.func, *thing.args, *thing.keywords.values()))
            continue
        elif not hasattr(thing, "__dict__"):
            continue  # a string, a number, a list: nothing a view is made of
        else:
            # An object a view is bound to, or given: a ModelAdmin, an admin site, a viewset.
            if _first_party(type(thing).__module__):
                return _named(thing)
            todo.append(getattr(thing, "model", None))
        todo.append(getattr(thing, "__wrapped__", None))
        for attribute in ("view_class", "cls", "model_admin", "viewset", "model"):
            todo.append(getattr(thing, attribute, None))
        for initkwargs in ("view_initkwargs", "initkwargs"):
            todo.extend(
                value
                for value in (getattr(thing, initkwargs, None) or {}).values()
                if _is_view_part(value) or hasattr(value, "model")
            )
    return None


@dataclass(frozen=True)
class Route:
    route: str  # the full pattern, as ``ResolverMatch.route`` gives it
    name: str | None  # with its namespaces, as ``reverse`` takes it
    view: str  # the dotted path of the view that answers it
    declared_in: str | None  # the URLconf module whose urlpatterns list the route
    owner: str | None = None  # what makes its view the academy's (``view_owner``), if anything

    @property
    def ours(self) -> bool:
        return self.owner is not None or _first_party(self.declared_in)

    @property
    def allowed_by(self) -> str | None:
        """The allow-list entry that covers the route, if any (never for the academy's own)."""
        if self.ours:
            return None
        matches = [prefix for prefix in ALLOW_LIST if self.route.startswith(prefix)]
        return max(matches, key=len) if matches else None

    def __str__(self) -> str:
        owner = f", the academy's by {self.owner}" if self.owner else ""
        return f"{self.route} (name {self.name!r}, view {self.view}{owner})"


def _view_path(callback) -> str:
    view = callback
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    if isinstance(view, partial):
        view = view.func
    view_class = getattr(callback, "view_class", None) or getattr(view, "view_class", None)
    target = view_class or view
    module = getattr(target, "__module__", "") or ""
    return f"{module}.{getattr(target, '__qualname__', type(target).__name__)}"


def _join(prefix: str, pattern) -> str:
    """As Django joins routes for ``ResolverMatch.route``: an inner regex loses its ``^``."""
    return prefix + str(pattern).removeprefix("^") if prefix else str(pattern)


def _walk(patterns, prefix: str, declared_in: str | None, namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            urlconf = entry.urlconf_name
            module = urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", None)
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _walk(entry.url_patterns, _join(prefix, entry.pattern), module, inner)
        elif isinstance(entry, URLPattern):
            yield Route(
                route=_join(prefix, entry.pattern),
                name=f"{namespace}:{entry.name}" if namespace and entry.name else entry.name,
                view=_view_path(entry.callback),
                declared_in=declared_in,
                owner=view_owner(entry.callback),
            )


@cache
def all_routes(urlconf: str | None = None) -> tuple[Route, ...]:
    """Every route of a URLconf (the site's root one unless named), in the order Django tries
    them."""
    root = get_resolver(urlconf)
    return tuple(_walk(root.url_patterns, "", root.urlconf_name))


def route_of(url: str, urlconf: str | None = None) -> str:
    """The route a URL resolves to (its query string ignored)."""
    return resolve(urlsplit(url).path, urlconf).route


def routes_by_pattern() -> dict[str, list[Route]]:
    found: dict[str, list[Route]] = {}
    for route in all_routes():
        found.setdefault(route.route, []).append(route)
    return found
