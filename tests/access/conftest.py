from django.db import transaction
from django.test import override_settings

import pytest

from .world import build_world, sign_in_everyone


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module, inside a transaction rolled back at the end; each test's own
    transaction (and each request's) nests inside it. Uploaded files go to a temporary folder,
    so that documents are served from disk as in production."""
    media = tmp_path_factory.mktemp("media")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media), "base_url": "/media/"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        override_settings(STORAGES=storages, MEDIA_ROOT=str(media)),
        django_db_blocker.unblock(),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
            sign_in_everyone(built)
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
