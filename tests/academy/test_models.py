from django.contrib.auth import get_user_model
from django.db import IntegrityError

import pytest

from academy.models import Organisation, Place, Sector

from ..factories import OrganisationFactory, sector

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_user_model_is_the_academys_own():
    assert User._meta.label == "academy.User"
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(User(), "username") or User().username is None


def test_create_user_signs_in_with_a_lowercased_email():
    user = User.objects.create_user("Ada.Lovelace@Example.ORG", "a-long-password-1")
    assert user.email == "ada.lovelace@example.org"
    assert user.check_password("a-long-password-1")
    assert not user.is_staff and not user.is_superuser


def test_create_user_without_email_is_refused():
    with pytest.raises(ValueError, match="email address is required"):
        User.objects.create_user("", "a-long-password-1")


def test_superuser_holds_every_flag():
    admin = User.objects.create_superuser("root@example.org", "a-long-password-1")
    assert admin.is_staff and admin.is_superuser


def test_a_user_is_shown_by_name_then_email():
    assert str(User(email="a@example.org")) == "a@example.org"
    assert str(User(email="a@example.org", display_name="Ada")) == "Ada"


def test_the_sectors_are_the_academys_fixed_list():
    names = list(Sector.objects.values_list("name", flat=True))
    assert names == [
        "Local government",
        "NHS and health",
        "Police and justice",
        "Fire and rescue",
        "Central government",
        "Education",
        "Housing",
        "Voluntary and community",
        "Other",
    ]


def test_organisation_names_are_unique_whatever_the_case():
    OrganisationFactory(name="Leeds City Council")
    with pytest.raises(IntegrityError):
        Organisation.objects.create(name="LEEDS CITY COUNCIL", sector=sector())


def test_an_ons_code_belongs_to_one_place_but_many_places_have_none():
    Place.objects.create(name="Leeds", kind=Place.Kind.LOCAL_AUTHORITY, ons_code="E08000035")
    Place.objects.create(name="Yorkshire", kind=Place.Kind.REGION)
    Place.objects.create(name="West Yorkshire", kind=Place.Kind.POLICE_FORCE_AREA)
    with pytest.raises(IntegrityError):
        Place.objects.create(name="Leeds again", kind=Place.Kind.REGION, ons_code="E08000035")
