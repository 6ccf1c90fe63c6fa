"""The sign-in and account pages' plumbing: the admin sign-in redirect, and allauth's URLs
routed so that refused input answers 400."""

from functools import wraps
from urllib.parse import urlencode

from django.forms import BaseForm
from django.http import HttpResponseRedirect
from django.urls import URLPattern, URLResolver, reverse
from django.utils.http import url_has_allowed_host_and_scheme


def admin_login_redirect(request):
    """The Wagtail and Django admin sign-in pages: send people to the academy's sign-in, which is
    rate limited per account and asks for a second factor. A POST is never checked here."""
    next_url = request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/admin/"
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def _shows_form_errors(response) -> bool:
    context = getattr(response, "context_data", None) or {}
    return any(
        isinstance(value, BaseForm) and value.is_bound and value.errors
        for value in context.values()
    )


def form_errors_answer_400(view):
    """A POST answered by showing the form again with its errors answers 400, not 200: the
    page is the same, but the status says the input was refused. allauth's form views
    (sign-up, sign-in, password reset and change, email, reauthentication, second factors)
    render their form in the template context; a view's own status (a redirect, allauth's
    400 for scripts) is kept."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if (
            request.method == "POST"
            and response.status_code == 200
            and _shows_form_errors(response)
        ):
            response.status_code = 400
        return response

    return wrapped


def refused_forms_answer_400(patterns) -> list:
    """``patterns`` (allauth's URLs) with every view wrapped in ``form_errors_answer_400``,
    nested includes too, so views allauth adds later are covered without a list to keep."""
    routed = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            routed.append(
                URLResolver(
                    entry.pattern,
                    refused_forms_answer_400(entry.url_patterns),
                    entry.default_kwargs,
                    entry.app_name,
                    entry.namespace,
                )
            )
        else:
            routed.append(
                URLPattern(
                    entry.pattern,
                    form_errors_answer_400(entry.callback),
                    entry.default_args,
                    entry.name,
                )
            )
    return routed
