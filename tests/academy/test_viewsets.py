"""Wagtail's users admin (Settings → Users) with the academy's user forms: a superuser adds
people and changes their name, job title and groups; there are no first and last names."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest

from academy.roles import EDITORS

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_the_form_asks_for_a_name_and_job_title_not_first_and_last_names(superuser_client):
    person = UserFactory()

    html = superuser_client.get(f"/admin/users/edit/{person.pk}/").content.decode()

    assert 'name="display_name"' in html
    assert 'name="job_title"' in html
    assert 'name="first_name"' not in html
    assert 'name="last_name"' not in html


def test_a_superuser_changes_a_persons_name_job_and_groups(superuser_client):
    person = UserFactory(display_name="Kim Obi")
    editors = Group.objects.get(name=EDITORS)

    response = superuser_client.post(
        f"/admin/users/edit/{person.pk}/",
        {
            "email": person.email,
            "display_name": "Kim Obi-Hughes",
            "job_title": "Director of place",
            "is_active": "on",
            "groups": [editors.pk],
            "password1": "",
            "password2": "",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.display_name, person.job_title) == ("Kim Obi-Hughes", "Director of place")
    assert list(person.groups.values_list("name", flat=True)) == [EDITORS]
    assert not person.is_superuser


def test_a_superuser_adds_a_person(superuser_client):
    response = superuser_client.post(
        "/admin/users/new/",
        {
            "email": "amara.jones@example.org",
            "display_name": "Amara Jones",
            "job_title": "Head of commissioning",
            "password1": "a-long-new-password-1",
            "password2": "a-long-new-password-1",
        },
    )

    assert response.status_code == 302
    person = User.objects.get(email="amara.jones@example.org")
    assert person.display_name == "Amara Jones"
    assert person.check_password("a-long-new-password-1")


def test_a_person_without_a_name_is_refused_with_a_message(superuser_client):
    response = superuser_client.post(
        "/admin/users/new/",
        {
            "email": "no.name@example.org",
            "display_name": "",
            "password1": "a-long-new-password-1",
            "password2": "a-long-new-password-1",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]
    assert not User.objects.filter(email="no.name@example.org").exists()
