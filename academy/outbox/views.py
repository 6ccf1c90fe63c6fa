"""Notification preferences (signed in) and the one-click unsubscribe link (no sign-in: the
signed token names the person and the kind)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import kinds as registry
from .forms import PreferencesForm
from .preferences import (
    BadToken,
    ExpiredToken,
    choices_for,
    kind_unsubscribe,
    preferences_update,
    read_unsubscribe_token,
)


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, choices=choices_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            preferences_update(user=request.user, choices=form.chosen())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your email choices have been saved")
            return redirect("notification_preferences")
    status = 400 if form.errors else 200
    return render(request, "academy/notification_preferences.html", {"form": form}, status=status)


@csrf_exempt  # RFC 8058: a mail program posts "List-Unsubscribe=One-Click" with no cookies.
@never_cache
@require_http_methods(["GET", "POST"])
def notifications_unsubscribe(request, token: str):
    """GET shows what the link will stop, with a button (link checkers in mail systems open
    links, so a GET changes nothing); POST — the button, or a mail program's one-click — stops
    it."""
    try:
        user_id, kind_name = read_unsubscribe_token(token)
    except ExpiredToken:
        return render(request, "academy/unsubscribe.html", {"problem": "expired"}, status=410)
    except BadToken:
        return render(request, "academy/unsubscribe.html", {"problem": "invalid"}, status=404)
    kind = registry.get_kind(kind_name)
    if kind is None or not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        return render(request, "academy/unsubscribe.html", {"problem": "invalid"}, status=404)
    if not kind.can_switch_off:
        return render(request, "academy/unsubscribe.html", {"problem": "always", "kind": kind})
    if request.method == "POST":
        kind_unsubscribe(user_id=user_id, kind=kind_name)
        return render(request, "academy/unsubscribe.html", {"kind": kind, "done": True})
    return render(request, "academy/unsubscribe.html", {"kind": kind, "token": token})
