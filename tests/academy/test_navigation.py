import re

from django.core.management import call_command

import pytest

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def nav_links(html: str) -> list[str]:
    return re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"', html)


@pytest.mark.parametrize("groups", [[], ["Facilitators"], ["Editors"]])
def test_every_navigation_link_leads_somewhere(client, groups):
    call_command("load_demo", verbosity=0)
    client.force_login(UserFactory(groups=groups))
    links = nav_links(client.get("/").content.decode())
    assert "/courses/" in links and "/profile/" in links
    for url in links:
        assert client.get(url).status_code == 200, url


def test_signed_out_visitors_are_offered_sign_in(client):
    call_command("load_demo", "--without-learning-content", verbosity=0)
    assert "/accounts/login/" in nav_links(client.get("/").content.decode())
