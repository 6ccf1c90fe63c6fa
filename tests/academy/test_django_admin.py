from django.contrib.auth import get_user_model

import pytest

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    admin = get_user_model().objects.create_superuser("root@example.org", "a-long-password-1")
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/django-admin/academy/user/",
        "/django-admin/academy/user/add/",
        "/django-admin/academy/organisation/",
        "/django-admin/academy/place/",
        "/django-admin/academy/sector/",
    ],
)
def test_superusers_manage_people_in_the_django_admin(superuser_client, path):
    UserFactory(organisation=OrganisationFactory())
    assert superuser_client.get(path).status_code == 200


def test_adding_a_user_in_the_django_admin(superuser_client):
    response = superuser_client.post(
        "/django-admin/academy/user/add/",
        {
            "email": "new.person@example.org",
            "usable_password": "true",
            "password1": "a-long-password-2",
            "password2": "a-long-password-2",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="new.person@example.org").exists()


def test_people_who_are_not_superusers_are_sent_to_sign_in(client):
    client.force_login(UserFactory())
    response = client.get("/django-admin/academy/user/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("field", ["organisation", "place"])
def test_an_organisation_or_place_that_is_not_an_id_is_refused_with_a_message(
    superuser_client, field
):
    """The autocomplete fields show the form again with an error, not a server error, when
    what is sent is not an id (here a zero-width space)."""
    person = UserFactory()
    response = superuser_client.post(
        f"/django-admin/academy/user/{person.pk}/change/",
        {
            "email": person.email,
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
            field: "\u200b",
        },
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
