from django.test import override_settings

import pytest

from ..database import built_for_the_module
from .world import build_world, sign_in_everyone


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module, inside a transaction rolled back at the end; each test's own
    transaction (and each request's) nests inside it. Uploaded files go to temporary folders,
    so that documents and learners' files are served from disk as in production."""
    media = tmp_path_factory.mktemp("media")
    private = tmp_path_factory.mktemp("private")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media), "base_url": "/media/"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(private), "base_url": None},
        },
    }
    with (
        override_settings(STORAGES=storages, MEDIA_ROOT=str(media)),
        built_for_the_module(django_db_blocker),
    ):
        built = build_world()
        sign_in_everyone(built)
        yield built
