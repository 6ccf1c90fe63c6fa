"""Privacy by construction: every relation to a person is registered with an export and an
erase rule, the export contains every registered model, and erasure leaves nothing that
identifies the person."""

import json
import time
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth import get_user_model

from wagtail.models import Page, PageLogEntry, Revision

import pytest
from allauth.account.models import EmailAddress

from academy import privacy, services

from ..factories import PASSWORD, UserFactory

User = get_user_model()


def relations_to_the_user():
    """(model, field name) for every field, on any installed model, that points at a user."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            local = getattr(field, "model", None) is model
            if (
                field.is_relation
                and not field.auto_created
                and local
                and field.related_model is User
            ):
                found.append((model, field.name))
    return found


def test_the_walk_finds_the_relations_we_know_of():
    found = {(m._meta.label, name) for m, name in relations_to_the_user()}
    assert ("account.EmailAddress", "user") in found
    assert ("wagtailcore.Revision", "user") in found
    assert ("wagtailcore.Page", "owner") in found


def test_every_relation_to_the_user_is_registered():
    missing = []
    for model, field_name in relations_to_the_user():
        rule = privacy.rule_for(model)
        if rule is None or field_name not in rule.user_fields:
            missing.append(f"{model._meta.label}.{field_name}")
    assert not missing, (
        "These relations to the user model hold personal data but have no privacy rule; "
        "register them in the app's privacy_rules.py: " + ", ".join(missing)
    )


def test_the_user_model_itself_is_registered():
    assert privacy.rule_for(User) is not None


@pytest.mark.django_db
def test_the_export_contains_every_registered_model_and_is_json():
    user = UserFactory(display_name="Grace Hopper")
    data = services.personal_data_export(user=user)
    assert set(data["records"]) == {rule.label for rule in privacy.rules()}
    json.dumps(data, default=str)
    me = data["records"]["academy.User"]["items"][0]
    assert me["email"] == user.email and me["name"] == "Grace Hopper"
    emails = data["records"]["account.EmailAddress"]["items"]
    assert emails == [{"email": user.email, "verified": True, "primary": True}]


@pytest.mark.django_db
def test_erasing_leaves_no_identifying_row():
    user = UserFactory(email="erase.me@example.org", display_name="Erase Me")
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="A page they wrote", slug="theirs", owner=user))
    revision = page.save_revision(user=user)
    PageLogEntry.objects.log_action(page, "wagtail.edit", user=user)
    from tests.cohorts.factories import CohortFactory, EnrolmentFactory

    facilitated = CohortFactory(facilitators=[user])
    own = EnrolmentFactory(user=user, cohort=CohortFactory(course=facilitated.course))
    decided = EnrolmentFactory(cohort=facilitated, decided_by=user)

    services.account_erase(user=user)

    assert not own.__class__.objects.filter(pk=own.pk).exists()
    decided.refresh_from_db()
    assert decided.decided_by is None
    assert not facilitated.facilitators.exists()

    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email="erase.me@example.org").exists()
    page.refresh_from_db()
    assert page.owner is None
    assert Revision.objects.get(pk=revision.pk).user_id is None
    assert not PageLogEntry.objects.filter(user_id=user.pk).exists()
    for model, field_name in relations_to_the_user():
        assert not model._default_manager.filter(**{field_name: user.pk}).exists(), (
            f"{model._meta.label}.{field_name} still points at the erased user"
        )


@pytest.mark.django_db
def test_download_my_data(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/profile/data/download/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment;" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["records"]["academy.User"]["items"][0]["email"] == user.email


@pytest.mark.django_db
def test_your_data_page_offers_download_and_delete(client):
    client.force_login(UserFactory())
    html = client.get("/profile/data/").content.decode()
    assert "Download my data" in html
    assert "Delete my account" in html


@pytest.mark.django_db
def test_deleting_the_account_needs_the_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/profile/data/delete/", {"password": "wrong"})
    assert response.status_code == 400
    assert "The password is not correct" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()

    response = client.post("/profile/data/delete/", {"password": ""})
    assert "Enter your password to confirm" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_deleting_the_account_erases_it_and_signs_out(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/profile/data/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    after = client.get("/search/").content.decode()
    assert "Your account and personal data have been deleted" in after
    assert not User.objects.filter(pk=user.pk).exists()
    assert client.get("/profile/").status_code == 302


@pytest.mark.django_db
def test_guessing_the_password_to_delete_the_account_is_throttled_like_sign_in(client, monkeypatch):
    """Anyone holding a signed-in session once had unlimited guesses here: 12 wrong passwords,
    then the right one erased the account."""
    user, other = UserFactory(), UserFactory()
    client.force_login(user)
    for _attempt in range(10):
        response = client.post("/profile/data/delete/", {"password": "wrong"})
        assert response.status_code == 400
        assert "The password is not correct" in response.content.decode()

    response = client.post("/profile/data/delete/", {"password": PASSWORD})

    assert response.status_code == 429
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Too many attempts</h1>' in html
    assert "You have entered the wrong password too many times. Wait 5 minutes" in html
    assert 'href="/profile/data/"' in html
    assert User.objects.filter(pk=user.pk).exists()
    assert EmailAddress.objects.filter(user=user).exists()

    # The limit is per account: someone else deletes theirs at once.
    elsewhere = client.__class__()
    elsewhere.force_login(other)
    assert elsewhere.post("/profile/data/delete/", {"password": PASSWORD}).status_code == 302
    assert not User.objects.filter(pk=other.pk).exists()

    # Five minutes on, the account owner can try again.
    from allauth.core.internal import ratelimit

    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(
        ratelimit,
        "time",
        SimpleNamespace(time=lambda: later, monotonic=time.monotonic, sleep=time.sleep),
    )
    assert client.post("/profile/data/delete/", {"password": PASSWORD}).status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_other_people_are_untouched_by_an_erasure():
    keep = UserFactory()
    services.account_erase(user=UserFactory())
    assert User.objects.filter(pk=keep.pk).exists()
    assert EmailAddress.objects.filter(user=keep).exists()
