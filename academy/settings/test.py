"""Tests: fast password hashing, email kept in memory, tasks run inline unless a test asks for a
real worker. DATABASE_URL (set by CI) switches the suite to PostgreSQL."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-any-real-use-0123456789abcdef"  # noqa: S105
# Signs certificates in the tests only; never for any real use.
ACADEMY_CREDENTIAL_KEY = "SNR8RgC28-QbxrNmwzPUPjukLnXahHXesO0quy7jyW8"
ACADEMY_CERTIFICATE_SWEEP_SECONDS = 60
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Whatever the shell says (REDIS_URL for the production-like stack, a mail server, another
# site's address), every test starts from the same settings: everything base.py reads from the
# environment that changes behaviour is pinned here. Only DATABASE_URL passes through. Tests
# that need Redis or a real worker set it up themselves (tests/services.py: TEST_REDIS_URL).
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
SITE_URL = "http://127.0.0.1:8000"
CSRF_TRUSTED_ORIGINS: list[str] = []
REDIS_URL = ""
DEFAULT_FROM_EMAIL = "Collaborative Leadership Academy <academy@example.org>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = "localhost", 25, "", ""
EMAIL_USE_TLS = False
MEDIA_ROOT = BASE_DIR / "var" / "media"  # noqa: F405
PRIVATE_ROOT = BASE_DIR / "var" / "private"  # noqa: F405
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
}
ACADEMY_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
STATIC_ROOT = BASE_DIR / "var" / "static"  # noqa: F405
CELERY_QUEUE_DIR = BASE_DIR / "var" / "celery"  # noqa: F405
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_QUEUE_DIR / "beat-schedule")
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "academy-tests",
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Off whatever the shell says; the tests of the rule switch it on themselves.
ACADEMY_STAFF_MFA_REQUIRED = False
WAGTAILADMIN_BASE_URL = "http://testserver"

# SQLite test databases live in a file, not in memory, so that a real Celery worker process
# started by the integration tests reads the same data.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    os.makedirs(BASE_DIR / "var", exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")  # noqa: F405
    }

# Serve build/ and app static files straight from their folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The outbox's timings, whatever the shell says (tests that need others override them).
OUTBOX = {
    **OUTBOX,  # noqa: F405
    "DISPATCH_SECONDS": 60,
    "RATE_PER_MINUTE": 3000,
    "BATCH_SIZE": 100,
    "LEASE_SECONDS": 600,
    "QUEUED_SECONDS": 120,
    "BACKOFF_SECONDS": 60,
    "MAX_ATTEMPTS": 8,
}
# Beat runs at these intervals, whatever the shell says.
OUTBOX_DISPATCH_SECONDS = OUTBOX["DISPATCH_SECONDS"]
CELERY_BEAT_SCHEDULE = beat_schedule(  # noqa: F405
    outbox_dispatch_seconds=OUTBOX_DISPATCH_SECONDS,
    certificate_sweep_seconds=ACADEMY_CERTIFICATE_SWEEP_SECONDS,
)
