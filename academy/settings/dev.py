"""Local development: debug on, email to the console, a development-only secret key."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production-4f9c2b7e1a"  # noqa: F405
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Signs the demo's certificates. Development only: anyone can read it here.
ACADEMY_CREDENTIAL_KEY = (
    ACADEMY_CREDENTIAL_KEY  # noqa: F405
    or "DxxxTKC5C6E57nY5gv-7uHVDzzxZI-nVer55c0skPWk"  # dev-only, never in production
)

# Serve build/ and app static files straight from their folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
