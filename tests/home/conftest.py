from django.core.management import call_command

from wagtail.models import Site

import pytest

from home.models import HomePage


@pytest.fixture
def demo(db):
    """The demo academy, loaded as a developer or a browser test would."""
    call_command("load_demo", "--without-learning-content", verbosity=0)
    return HomePage.objects.get()


@pytest.fixture
def default_site(demo):
    return Site.objects.get(is_default_site=True)
