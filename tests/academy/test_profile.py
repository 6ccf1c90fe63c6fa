from django.core.exceptions import ValidationError

import pytest

from academy import services
from academy.models import Organisation, Place

from ..factories import OrganisationFactory, PlaceFactory, sector

pytestmark = pytest.mark.django_db


def post_profile(client, **overrides):
    data = {
        "display_name": "Priya Shah",
        "job_title": "Head of Early Help",
        "organisation": "",
        "new_organisation": "",
        "sector": "",
        "place": "",
        **overrides,
    }
    return client.post("/profile/", data)


def test_profile_needs_sign_in(client):
    response = client.get("/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_shows_the_form_with_current_values(signed_in_client):
    response = signed_in_client.get("/profile/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-input' in html
    assert signed_in_client.user.display_name in html


def test_saving_the_profile_takes_the_sector_from_the_organisation(signed_in_client):
    trust = OrganisationFactory(name="Leeds Teaching Hospitals", sector=sector("nhs-and-health"))
    leeds = PlaceFactory(name="Leeds")
    response = post_profile(signed_in_client, organisation=trust.pk, place=leeds.pk)
    assert response.status_code == 302
    user = signed_in_client.user
    user.refresh_from_db()
    assert user.organisation == trust
    assert user.sector.slug == "nhs-and-health"
    assert user.place == leeds
    assert user.job_title == "Head of Early Help"
    page = signed_in_client.get("/profile/").content.decode()
    assert "Your profile has been saved" in page


def test_a_chosen_sector_overrides_the_organisations(signed_in_client):
    council = OrganisationFactory(name="Kirklees Council", sector=sector("local-government"))
    housing = sector("housing")
    post_profile(signed_in_client, organisation=council.pk, sector=housing.pk)
    signed_in_client.user.refresh_from_db()
    assert signed_in_client.user.sector == housing


def test_adding_a_new_organisation(signed_in_client):
    voluntary = sector("voluntary-and-community")
    response = post_profile(
        signed_in_client, new_organisation="  Bradford   Community Trust ", sector=voluntary.pk
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Bradford Community Trust")
    assert organisation.sector == voluntary
    signed_in_client.user.refresh_from_db()
    assert signed_in_client.user.organisation == organisation


def test_adding_an_organisation_that_exists_reuses_it(signed_in_client):
    existing = OrganisationFactory(name="Leeds City Council")
    post_profile(signed_in_client, new_organisation="leeds city council", sector=sector().pk)
    assert Organisation.objects.filter(name__iexact="leeds city council").count() == 1
    signed_in_client.user.refresh_from_db()
    assert signed_in_client.user.organisation == existing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organisation": "999999"}, "Choose an organisation from the list, or add yours below"),
        ({"organisation": "not-a-number"}, "Choose an organisation from the list"),
        ({"display_name": ""}, "Enter your name"),
        ({"display_name": "x" * 151}, "Your name must be 150 characters or fewer"),
        ({"job_title": "x" * 151}, "Your job title must be 150 characters or fewer"),
        ({"place": "424242"}, "Choose a place from the list"),
        ({"sector": "abc"}, "Choose a sector from the list"),
        ({"new_organisation": "A new charity"}, "Choose the sector of the organisation"),
        ({"display_name": "\u200b\u200b"}, "Your name must include at least one letter or number"),
        ({"display_name": "Priya\x00Shah"}, "Your name must not include control characters"),
        ({"job_title": "Head of\u202e Early Help"}, "Your job title must not include control"),
        ({"new_organisation": "\u200b"}, "The organisation name must include at least one letter"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(signed_in_client, overrides, message):
    user = signed_in_client.user
    before = (user.display_name, user.job_title, user.organisation_id)
    organisations = Organisation.objects.count()
    response = post_profile(signed_in_client, **overrides)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    user.refresh_from_db()
    assert (user.display_name, user.job_title, user.organisation_id) == before
    assert Organisation.objects.count() == organisations


def test_choosing_and_adding_an_organisation_at_once_is_refused(signed_in_client):
    council = OrganisationFactory()
    response = post_profile(signed_in_client, organisation=council.pk, new_organisation="Another")
    assert response.status_code == 400
    assert "not both" in response.content.decode()


def test_the_error_summary_links_to_the_field(signed_in_client):
    response = post_profile(signed_in_client, display_name="")
    assert 'href="#id_display_name"' in response.content.decode()


def test_profile_page_queries_do_not_grow_with_organisations(
    signed_in_client, django_assert_max_num_queries
):
    for n in range(30):
        OrganisationFactory(name=f"Council {n}")
        Place.objects.create(name=f"Area {n}", kind=Place.Kind.REGION)
    with django_assert_max_num_queries(12):
        signed_in_client.get("/profile/")


def test_an_invisible_organisation_name_adds_no_organisation(signed_in_client):
    """``new_organisation=%E2%80%8B``: a zero-width space alone once made a blank organisation
    that then showed in everyone's list."""
    organisations = Organisation.objects.count()

    response = post_profile(signed_in_client, new_organisation="\u200b", sector=sector().pk)

    assert response.status_code == 400
    html = response.content.decode()
    assert "The organisation name must include at least one letter or number" in html
    assert 'href="#id_new_organisation"' in html
    assert Organisation.objects.count() == organisations
    signed_in_client.user.refresh_from_db()
    assert signed_in_client.user.organisation is None


def test_invisible_characters_at_the_ends_of_names_are_removed(signed_in_client):
    existing = OrganisationFactory(name="Leeds City Council")

    response = post_profile(
        signed_in_client,
        display_name="\ufeffPriya\u00a0 Shah\u200b",
        job_title="\u200bHead of Early Help\t",
        new_organisation="\u200bleeds city council\u2060",
        sector=sector().pk,
    )

    assert response.status_code == 302
    user = signed_in_client.user
    user.refresh_from_db()
    assert (user.display_name, user.job_title) == ("Priya Shah", "Head of Early Help")
    assert user.organisation == existing
    assert Organisation.objects.filter(name__icontains="leeds").count() == 1


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200d\ufeff", "Council\x00", " \u3164 "])
def test_the_service_refuses_names_nobody_could_read(name):
    organisations = Organisation.objects.count()
    with pytest.raises(ValidationError) as error:
        services.organisation_get_or_create(name=name, sector=sector())
    assert set(error.value.message_dict) == {"new_organisation"}
    assert Organisation.objects.count() == organisations
