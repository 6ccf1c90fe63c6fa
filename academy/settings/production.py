"""Production: secrets and hosts from the environment, HTTPS only, mail over SMTP, static files
hashed and compressed by WhiteNoise."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters.")
# The key that signs certificates' credentials: a lost or changed key leaves every credential
# already issued unverifiable, so it is set on purpose, never made up here. Only what signs
# needs it (building the static files does not): the system check ``cohorts.E001`` refuses
# ``check``, ``migrate`` and ``runserver`` without a valid one (cohorts/checks.py).
ACADEMY_CREDENTIAL_KEY = os.environ.get("ACADEMY_CREDENTIAL_KEY", "")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the hosts this site answers to.")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer may check /healthz over plain HTTP, straight to gunicorn, without the header:
# it answers there instead of redirecting (it shows no personal data). Everything else redirects.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Staff must use two-factor authentication (academy/mfa.py, docs/decisions.md).
ACADEMY_STAFF_MFA_REQUIRED = env_bool("ACADEMY_STAFF_MFA_REQUIRED", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": PRIVATE_STORAGE,  # noqa: F405
}
# Learners' files are never where the proxy (MEDIA_ROOT) or WhiteNoise (STATIC_ROOT) serves from:
# they leave only through the views that check who may see them (academy/storage.py).
_private = Path(PRIVATE_ROOT).resolve()  # noqa: F405
if PRIVATE_STORAGE["BACKEND"] == "django.core.files.storage.FileSystemStorage":  # noqa: F405
    for _served in (MEDIA_ROOT, STATIC_ROOT):  # noqa: F405
        if _private.is_relative_to(Path(_served).resolve()):
            raise ImproperlyConfigured(
                f"PRIVATE_ROOT ({_private}) must not be inside {_served}: what is there is "
                "served to anyone who asks."
            )
