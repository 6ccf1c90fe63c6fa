"""Certificates: the public verification page, PDF and Open Badges credential of a code, the
issuer's profile and revocation list (``cohorts.credentials``); the holder's choice to show
their name; and staff revoking one (``services.certificates``).

A code that cannot be one (not 26 characters of base32) answers 404 before any query; a code
no certificate has answers 404 too. Nothing here draws a PDF: the worker does."""

import logging
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from .. import access, credentials
from ..forms.certificates import NameShownForm, RevokeForm
from ..models import Certificate
from ..models.certificates import CODE_PATTERN
from ..services.certificates import certificate_name_show, certificate_revoke
from .decorators import cohort_view

logger = logging.getLogger(__name__)

Status = Certificate.Status
_CODE = re.compile(CODE_PATTERN)
JSON = {"indent": 2, "ensure_ascii": False}


def _certificate(code: str) -> Certificate | None:
    """The certificate with ``code``, with its holder, cohort and course; None for a code that
    cannot be one (without a query) or that no certificate has."""
    if not _CODE.fullmatch(code):
        return None
    return (
        Certificate.objects.select_related("enrolment__user", "enrolment__cohort__course")
        .filter(code=code)
        .first()
    )


def _json(data: dict, *, status: int = 200, content_type: str = "application/json"):
    return JsonResponse(data, status=status, json_dumps_params=JSON, content_type=content_type)


@require_http_methods(["GET", "HEAD"])
def certificate_verify(request, code: str):
    certificate = _certificate(code)
    if certificate is None:
        raise Http404("No certificate has this code")
    context = {
        "certificate": certificate,
        "cohort": certificate.enrolment.cohort,
        "course": certificate.enrolment.cohort.course,
        "holder": certificate.holder_name,
        "downloadable": certificate.is_valid
        and access.can_download_certificate(request.user, certificate),
    }
    return render(request, "cohorts/certificates/verify.html", context)


def _unavailable(request, certificate: Certificate | None, message: str, status: int):
    context = {"certificate": certificate, "message": message}
    return render(request, "cohorts/certificates/unavailable.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@cache_control(private=True, no_store=True)
def certificate_pdf(request, code: str):
    certificate = _certificate(code)
    if certificate is None:
        return _unavailable(request, None, "No certificate has this code.", 404)
    if certificate.status == Status.REVOKED:
        return _unavailable(
            request, certificate, "This certificate has been revoked: its PDF is withdrawn.", 410
        )
    if certificate.status == Status.SUSPENDED:
        return _unavailable(
            request,
            certificate,
            "This certificate is suspended because the course is no longer complete: its PDF "
            "is not available until it is complete again.",
            404,
        )
    if certificate.status == Status.PENDING or not certificate.pdf:
        return _unavailable(
            request, certificate, "This certificate is still being prepared. Try again soon.", 404
        )
    if not access.can_download_certificate(request.user, certificate):
        return _unavailable(
            request,
            certificate,
            "The holder of this certificate has chosen not to share its PDF."
            if certificate.name_hidden
            else "Only the holder of this certificate can download its PDF.",
            404,
        )
    try:
        file = certificate.pdf.open("rb")
    except OSError:
        return _unavailable(
            request, certificate, "This certificate's PDF cannot be found. Try again later.", 404
        )
    return FileResponse(
        file, content_type="application/pdf", filename=f"certificate-{certificate.code}.pdf"
    )


@require_http_methods(["GET", "HEAD"])
@cache_control(no_cache=True)
def certificate_credential(request, code: str):
    """The signed ``OpenBadgeCredential``, revoked or suspended ones included: their status
    is in the revocation list it points to."""
    certificate = _certificate(code)
    if certificate is None:
        return _json({"error": "No certificate has this code."}, status=404)
    if certificate.status == Status.PENDING:
        return _json({"error": "This certificate is still being prepared."}, status=404)
    return _signed(credentials.signed_credential, certificate)


@require_http_methods(["GET", "HEAD"])
def certificate_issuer(request):
    return _signed(credentials.issuer_profile, cache={"public": True, "max_age": 3600})


@require_http_methods(["GET", "HEAD"])
def certificate_status_list(request):
    return _signed(credentials.status_list, cache={"public": True, "max_age": 60})


def _signed(build, *args, cache: dict | None = None):
    """A signed document as JSON, with the ``cache`` directives given; 503 saying so, and
    stored by no cache, when the signing key is missing or not a key (the system check
    ``cohorts.E001`` says so at deploy time too)."""
    try:
        document = build(*args)
    except ImproperlyConfigured:
        logger.exception("Certificates: a credential could not be signed")
        response = _json(
            {"error": "Credentials cannot be signed at the moment. Try again later."}, status=503
        )
        response["Retry-After"] = "300"
        patch_cache_control(response, no_store=True)
        return response
    response = _json(document)
    if cache:
        patch_cache_control(response, **cache)
    return response


@login_required
@require_http_methods(["POST"])
def certificate_name(request, certificate_id: int):
    """The holder shows or hides their name on the public page (My learning's button)."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrolment"),
        pk=certificate_id,
        enrolment__user=request.user,
    )
    form = NameShownForm(request.POST)
    if not form.is_valid():
        context = {"message": form.errors["name"][0]}
        return render(request, "cohorts/certificates/name_refused.html", context, status=400)
    certificate_name_show(user=request.user, certificate=certificate, shown=form.shown)
    messages.success(
        request,
        "Your name is shown on your certificate's public page"
        if form.shown
        else "Your name is hidden on your certificate's public page",
    )
    return redirect("my_learning")


@cohort_view
@require_http_methods(["GET", "HEAD"])
def cohort_certificates(request, cohort):
    """The cohort's certificates, for the people who run it, with a way to revoke each."""
    certificates = list(
        Certificate.objects.filter(enrolment__cohort=cohort)
        .select_related("enrolment__user", "revoked_by")
        .order_by("enrolment__user__display_name", "enrolment__user__email", "pk")
    )
    context = {"cohort": cohort, "certificates": certificates}
    return render(request, "cohorts/facilitate/certificates.html", context)


@cohort_view
@require_http_methods(["GET", "POST"])
def certificate_revoke_view(request, cohort, certificate_id: int):
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrolment__user", "enrolment__cohort__course"),
        pk=certificate_id,
        enrolment__cohort=cohort,
    )
    if not access.can_revoke_certificate(request.user, certificate):
        raise Http404
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and certificate.status != Status.REVOKED and form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, f"The certificate of {certificate.enrolment.user} has been revoked"
            )
            return redirect("facilitate_certificates", cohort_id=cohort.pk)
    refused = request.method == "POST" and (form.errors or certificate.status == Status.REVOKED)
    context = {"cohort": cohort, "certificate": certificate, "form": form}
    return render(
        request,
        "cohorts/facilitate/certificate_revoke.html",
        context,
        status=400 if refused else 200,
    )
