import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import DisallowedHost, ValidationError
from django.db import InterfaceError, OperationalError, connection
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

import psycopg
import redis
from allauth.core.internal import ratelimit

from . import services
from .forms.profile import DeleteAccountForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST if request.method == "POST" else None, initial=ProfileForm.initial_for(user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.profile_update(
                user=user,
                display_name=data["display_name"],
                job_title=data["job_title"],
                organisation=data["organisation"],
                new_organisation_name=data["new_organisation"],
                sector=data["sector"],
                place=data["place"],
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, "Your profile has been saved")
            return redirect("profile")
        user.refresh_from_db()
    status = 400 if form.errors else 200
    return render(request, "academy/profile.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET"])
def your_data(request):
    return render(request, "academy/your_data.html")


@login_required
@require_GET
@never_cache
def your_data_download(request):
    """A zip of the JSON document of everything held about the person and the files they
    uploaded (``services.personal_data_archive``)."""
    archive = services.personal_data_archive(user=request.user)
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=f"academy-personal-data-{stamp}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Confirm with the password, then erase. Wrong passwords are throttled per account like
    failed sign-ins (allauth's rate limits, ``delete_account_failed`` in ACCOUNT_RATE_LIMITS):
    each attempt takes a slot first, a right password gives it back, and once the slots are
    used up nothing is checked until they free up."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        # allauth's own sign-in throttle takes its slots this way (its adapter's
        # pre_authenticate); the public wrapper in allauth.core.ratelimit cannot give one back.
        attempt = ratelimit.consume(
            request, app="allauth.account", action="delete_account_failed", user=request.user
        )
        if attempt is None:
            return _too_many_delete_attempts(request)
        if form.is_valid():
            attempt.rollback()
            user = request.user
            logout(request)
            services.account_erase(user=user)
            messages.success(request, "Your account and personal data have been deleted")
            return redirect("/")
    status = 400 if form.errors else 200
    return render(request, "academy/delete_account.html", {"form": form}, status=status)


def _too_many_delete_attempts(request):
    context = {
        "message": (
            "You have entered the wrong password too many times. Wait 5 minutes and try"
            " again. If you have forgotten your password, sign out and reset it."
        ),
        "back_url": reverse("your_data"),
        "back_text": "Go back to your data",
    }
    return render(request, "429.html", context, status=429)


@require_GET
@never_cache
def healthz(request):
    """The state of the database and, where configured, Redis (cache and broker), each asked
    directly, with timeouts of a few seconds: 503 naming whichever does not answer
    (docs/decisions.md §38)."""
    checks = {"database": _database_state()}
    if settings.REDIS_URL:
        checks["redis"] = _redis_state()
    else:
        checks["redis"] = {"ok": None, "configured": False}
    healthy = all(check["ok"] is not False for check in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)


def _database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def _redis_state() -> dict:
    """Redis itself, not the cache: the cache answers as if empty while Redis is away."""
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1, health_check_interval=0
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return {"ok": False, "error": error.__class__.__name__}
    finally:
        client.close()
    return {"ok": True}


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


# How long a restart of PostgreSQL takes, give or take: when to try again after a 503.
RETRY_AFTER_SECONDS = 30
# PostgreSQL's error codes for a server going away: a connection exception (class 08), or a
# shutdown or start in progress (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
# cannot_connect_now). An error without a code never reached the server.
_UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def database_unreachable(error: BaseException | None) -> bool:
    """Whether ``error`` says the database cannot be reached, rather than that a query failed
    (a deadlock, a timeout, a constraint are bugs or load: 500)."""
    if isinstance(error, InterfaceError):  # the connection was closed under us
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if not isinstance(cause, psycopg.Error):  # SQLite's "database is locked" and the like
        return False
    return cause.sqlstate is None or cause.sqlstate.startswith(_UNREACHABLE_SQLSTATES)


def server_error(request):
    """A bug answers 500; the database being unreachable (stopped, restarting) answers 503 with
    a page that says so and when to try again. Rendered without the request: when the database
    is what failed, nothing here touches it."""
    if database_unreachable(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    if isinstance(exception, DisallowedHost):
        # A host we do not serve: refused before sign-in is read, and its Host header must not be
        # echoed into the page. Rendered without the request, as the 500 page is.
        return HttpResponse(loader.render_to_string("400.html"), status=400)
    return render(request, "400.html", status=400)
