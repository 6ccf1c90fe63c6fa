"""Settings shared by every environment; each value that differs between machines comes from
the environment (see the configuration table in README.md)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "academy",
    "home",
    "courses",
    "cohorts",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "academy.users_admin.WagtailUsersConfig",  # wagtail.users, with the academy's user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above sessions and auth: a cached public page is answered with no database query.
    "courses.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After auth and allauth: staff without a second factor are sent to set one up.
    "academy.mfa.StaffMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "academy.urls"
WSGI_APPLICATION = "academy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "academy.context_processors.academy",
            ],
        },
    },
]
# Every form renders with GOV.UK Frontend markup through one renderer (docs/decisions.md).
FORM_RENDERER = "academy.forms.rendering.GovukFormRenderer"

# --- Data --------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# A connection is kept for a minute and checked before each request reuses it, so a restart of
# PostgreSQL costs a reconnection, not a failed request (docs/decisions.md §38).
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The academy's servers keep PostgreSQL's data on SSDs, where a random read costs little
    # more than a sequential one; the default (4.0) is for spinning disks and makes the planner
    # scan all 100,000 people to join a page of 50 learners (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c random_page_cost=1.1"
    # An unreachable server is given up on in seconds (libpq's least), not the system's minutes.
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = 3
# The embedded defaults run the site and a worker on one SQLite file. A transaction takes the
# write lock as it begins (IMMEDIATE), waiting up to 20 s for another to commit: a transaction
# that read first and then wanted to write would otherwise be refused at once ("database is
# locked"), as a certificate drawn while the completion email was sent once was.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Django's Redis cache, for which Redis being unreachable costs speed, never an error
    # (academy/cache.py, docs/decisions.md §38).
    CACHES = {
        "default": {
            "BACKEND": "academy.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "academy",
            "OPTIONS": {
                # Redis answers in a millisecond: a second without an answer is an outage.
                "socket_connect_timeout": 1,
                "socket_timeout": 1,
                # After a failed call, nothing tries Redis for this many seconds.
                "OUTAGE_PAUSE": 5,
                # allauth's rate limits (ACCOUNT_RATE_LIMITS) count under this prefix: during an
                # outage each process counts on its own, so throttling goes on.
                "PER_PROCESS_DURING_OUTAGE": {"allauth:rl:": "sign-in throttling"},
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "academy",
        }
    }

# --- People ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "academy.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "academy.forms.accounts.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
# Signing up with an address already in use says so plainly (the issue's bad-input rule); the
# sign-up rate limit bounds how fast anyone can probe addresses this way (docs/decisions.md).
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Collaborative Leadership Academy] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "academy.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    name: f"academy.forms.allauth_forms.{form}"
    for name, form in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "reauthenticate": "ReauthenticateForm",
    }.items()
}
# A signed-in person sent to sign in (say, a learner opening /admin/) sees the sign-in page with
# "you are already signed in", instead of being bounced back to where they came from for ever.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
# allauth counts failures in the cache: at most 10 failed sign-ins per account in 5 minutes,
# and 30 a minute from one address. The Wagtail and Django admin logins redirect here.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/m/ip,10/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    # Ours: wrong passwords when deleting an account (academy/views.py), as for sign-in.
    "delete_account_failed": "10/5m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Collaborative Leadership Academy"
# Staff (academy/roles.py) must add an authenticator app or a security key before the admins and
# /facilitate/ open (academy/mfa.py). On in production; off for the demo and the tests.
ACADEMY_STAFF_MFA_REQUIRED = env_bool("ACADEMY_STAFF_MFA_REQUIRED", False)

# --- Email -------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Collaborative Leadership Academy <academy@example.org>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")

# --- Celery ------------------------------------------------------------------------------------
# Handing a task to a Redis that is down fails within a second (two, if it hangs) instead of
# retrying for 6 to 20 s inside the request that committed (docs/decisions.md §38): the outbox's
# rows wait in the database and dispatch queues them later. (A worker reconnects on its own
# terms: broker_connection_max_retries.)
_PUBLISH_RETRIES = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = _PUBLISH_RETRIES
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": _PUBLISH_RETRIES}
# With REDIS_URL the broker and results live in Redis. Without it, a real worker and beat still
# run, on kombu's filesystem transport: no server needed (docs/decisions.md).
CELERY_QUEUE_DIR = Path(os.environ.get("CELERY_QUEUE_DIR", BASE_DIR / "var" / "celery"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
        **_PUBLISH_RETRIES,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_QUEUE_DIR / 'results'}"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
# Nothing waits for a task's result, so publishing one does not subscribe to it in the result
# store (with Redis unreachable, that subscription alone retried for 20 s). A task whose result
# is kept for someone to read says so: ignore_result=False.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_QUEUE_DIR / "beat-schedule")
# How often beat runs the outbox's dispatch (OUTBOX below) and the certificates' sweeper
# (docs/decisions.md §39, §40).
OUTBOX_DISPATCH_SECONDS = int(os.environ.get("OUTBOX_DISPATCH_SECONDS", "60"))
ACADEMY_CERTIFICATE_SWEEP_SECONDS = int(os.environ.get("ACADEMY_CERTIFICATE_SWEEP_SECONDS", "60"))


def beat_schedule(*, outbox_dispatch_seconds: int, certificate_sweep_seconds: int) -> dict:
    """The beat schedule, reviewed as code, here and only here (the test settings call this with
    their own intervals)."""
    return {
        "clear-expired-sessions": {
            "task": "academy.tasks.clear_expired_sessions_task",
            "schedule": crontab(hour=3, minute=17),
        },
        # Wagtail publishes pages scheduled with "go live at" (and unpublishes expired ones)
        # only when its publish_scheduled command runs.
        "publish-scheduled-pages": {
            "task": "courses.tasks.publish_scheduled_pages_task",
            "schedule": crontab(minute="*"),
        },
        # The outbox (academy/outbox/): sweep, write due reminders, gather digests, queue sends.
        "outbox-dispatch": {
            "task": "academy.tasks.outbox_dispatch_task",
            "schedule": timedelta(seconds=outbox_dispatch_seconds),
        },
        # Certificates still waiting to be drawn are queued again (cohorts/services/certificates).
        "sweep-pending-certificates": {
            "task": "cohorts.tasks.certificates_sweep_task",
            "schedule": timedelta(seconds=certificate_sweep_seconds),
        },
    }


CELERY_BEAT_SCHEDULE = beat_schedule(
    outbox_dispatch_seconds=OUTBOX_DISPATCH_SECONDS,
    certificate_sweep_seconds=ACADEMY_CERTIFICATE_SWEEP_SECONDS,
)

# --- Outbox (academy/outbox/, docs/decisions.md) -----------------------------------------------
OUTBOX = {
    # How often beat runs the dispatch task; it queues at most this long's worth at the rate.
    "DISPATCH_SECONDS": OUTBOX_DISPATCH_SECONDS,
    # Emails a minute, across all workers (GOV.UK Notify allows 3,000).
    "RATE_PER_MINUTE": int(os.environ.get("OUTBOX_RATE_PER_MINUTE", "3000")),
    "BATCH_SIZE": int(os.environ.get("OUTBOX_BATCH_SIZE", "100")),
    # A worker holds a claimed row this long; longer than a task may run (CELERY_TASK_TIME_LIMIT).
    "LEASE_SECONDS": int(os.environ.get("OUTBOX_LEASE_SECONDS", "600")),
    # After queuing a row, dispatch leaves it this long before queuing it again.
    "QUEUED_SECONDS": int(os.environ.get("OUTBOX_QUEUED_SECONDS", "120")),
    # Transient failures: tried again after 60 s, 120 s, 240 s… at most an hour apart.
    "BACKOFF_SECONDS": int(os.environ.get("OUTBOX_BACKOFF_SECONDS", "60")),
    "BACKOFF_MAX_SECONDS": 60 * 60,
    "MAX_ATTEMPTS": int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8")),
    # Digests go out at this hour, UK time; weekly ones on this weekday (0 is Monday).
    "DIGEST_HOUR": 7,
    "DIGEST_WEEKDAY": 0,
    "UNSUBSCRIBE_DAYS": 180,
}

# --- Certificates (cohorts/services/certificates.py, cohorts/credentials.py) -------------------
# The Ed25519 private key that signs the Open Badges credentials: PEM (PKCS#8), or its 32 bytes
# in base64. Required in production (the system check cohorts.E001); dev and test settings
# have their own.
ACADEMY_CREDENTIAL_KEY = os.environ.get("ACADEMY_CREDENTIAL_KEY", "")
# ACADEMY_CERTIFICATE_SWEEP_SECONDS (with the beat schedule above): how often the sweeper queues
# again the certificates still waiting to be drawn, and how long a certificate waits after it was
# queued before it counts as lost (docs/decisions.md §39).

# --- Wagtail -----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Collaborative Leadership Academy"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# The users admin takes the academy's user forms from its viewset (academy/viewsets.py).
WAGTAIL_PASSWORD_RESET_ENABLED = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
# collectstatic writes here and WhiteNoise serves from here (production: hashed, compressed).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "build"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Learners' uploads: outside MEDIA_ROOT, never served by the web server (academy/storage.py).
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", BASE_DIR / "var" / "private"))
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}
# The largest file a learner may attach to their work, in bytes (QUALITY S5).
ACADEMY_UPLOAD_MAX_BYTES = int(os.environ.get("ACADEMY_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))

# --- Locale ------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Security headers everywhere (production tightens cookies and HSTS) ------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The Wagtail and Django admins rely on inline styles and scripts: they are left out of the policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Lesson videos are embedded from these players only (each has a required transcript).
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Public page cache and scheduled publishing (courses/cache.py, courses/tasks.py) -----------
# Anonymous GETs of these page types are stored in the cache and answered with no database
# query; signed-in visitors, lessons, search, accounts, admin and previews never are. Publishing,
# unpublishing, moving or deleting a page, or saving a model listed in PURGE_ON_SAVE, purges every
# page: list here only what many pages show. An app that shows its own data on one page purges
# that page alone (courses.cache.purge_public_page) when the data changes: the places left on a
# course overview's upcoming cohorts (cohorts/public_cache.py), so learners learning purge
# nothing. TIMEOUT bounds staleness for anything else. Design: courses/cache.py.
PUBLIC_PAGE_CACHE = {
    "PAGE_TYPES": [
        "home.HomePage",
        "home.StandardPage",
        "courses.CourseIndexPage",
        "courses.CoursePage",
        "courses.CaseStudyIndexPage",
        "courses.CaseStudyPage",
    ],
    "TIMEOUT": 10 * 60,
    "MAX_AGE": 60,
    "NEVER_PREFIXES": ["/admin/", "/django-admin/", "/accounts/", "/search/", "/documents/"],
    "PURGE_ON_SAVE": [
        "courses.Theme",
        "home.AcademySettings",
        "wagtailcore.Site",
        "wagtailimages.Image",
        "wagtaildocs.Document",
    ],
}
