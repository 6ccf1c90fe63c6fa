"""System checks of the cohorts app's settings. Django runs them with ``check`` (and
``check --deploy``), ``migrate`` and ``runserver``; not with ``collectstatic``, which needs no
secrets."""

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = (
    "ACADEMY_CREDENTIAL_KEY must be set to the Ed25519 private key that signs certificates "
    "(PEM, or its 32 bytes in base64)."
)


def credential_key_check(app_configs=None, **kwargs) -> list[Error]:
    """The key that signs certificates' credentials is set, and is an Ed25519 private key."""
    from .credentials import signing_key

    if not settings.ACADEMY_CREDENTIAL_KEY:
        return [Error(MISSING_KEY, id="cohorts.E001")]
    try:
        signing_key()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="cohorts.E001")]
    return []
