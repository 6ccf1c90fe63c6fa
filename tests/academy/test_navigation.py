import re

import pytest

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def nav_links(html: str) -> list[str]:
    return re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"', html)


@pytest.mark.parametrize("groups", [[], ["Facilitators"], ["Editors"]])
def test_every_navigation_link_leads_somewhere(full_demo, client, groups):
    client.force_login(UserFactory(groups=groups))
    links = nav_links(client.get("/").content.decode())
    assert "/courses/" in links and "/profile/" in links
    for url in links:
        assert client.get(url).status_code == 200, url


def test_signed_out_visitors_are_offered_sign_in(full_demo, client):
    assert "/accounts/login/" in nav_links(client.get("/").content.decode())
