"""Where private files live: learners' uploads (and, later, certificates). Stored through
Django's storage API under the ``private`` alias of ``STORAGES``: a folder outside
``MEDIA_ROOT`` by default (``PRIVATE_ROOT``), so the web server never serves them, and
S3-compatible storage by changing that alias's backend. Files leave only through views that
check access."""

from django.core.files.storage import storages


def private_storage():
    """The private storage, looked up when used (``FileField(storage=private_storage)``), so
    tests and deployments can swap it in settings."""
    return storages["private"]
