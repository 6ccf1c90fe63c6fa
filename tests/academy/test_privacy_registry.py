"""Privacy by construction: every relation to a person is registered with an export and an
erase rule, the export contains every registered model, and erasure leaves nothing that
identifies the person."""

import io
import json
import time
import zipfile
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Comment, CommentReply, Page, PageLogEntry, Revision, UploadedFile

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation

from academy import privacy, services

from ..factories import PASSWORD, UserFactory

User = get_user_model()


def relations_to(target):
    """(model, field name) for every relation, on any installed model, to ``target``: foreign
    keys, one-to-ones, many-to-manys and the parent link of a model that inherits from it."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if (
                field.is_relation
                and getattr(field, "model", None) is model
                and (not field.auto_created or getattr(field.remote_field, "parent_link", False))
                and related is not None
                and related._meta.concrete_model is target
            ):
                yield model, field.name


def paths_to_the_user():
    """(model, path) for every way a row of an installed model reaches a person: a relation to
    the user model (``"user"``), or through any chain of relations to rows erased with the
    person (``"enrolment__user"``: a lesson completion hangs off an enrolment). A link the
    registry clears at erasure ends its chain: the row stays, and what hangs off it belongs to
    the academy, not to the person."""
    found = []
    chains = [(User, "", (User,))]
    while chains:
        target, path_to_user, models_on_the_way = chains.pop()
        for model, name in relations_to(target):
            path = f"{name}__{path_to_user}" if path_to_user else name
            found.append((model, path))
            rule = privacy.rule_for(model)
            if model not in models_on_the_way and (rule is None or path not in rule.unlinks):
                chains.append((model, path, (*models_on_the_way, model)))
    return found


def test_the_walk_finds_the_relations_we_know_of():
    found = {(m._meta.label, path) for m, path in paths_to_the_user()}
    assert ("account.EmailAddress", "user") in found
    assert ("wagtailcore.Revision", "user") in found
    assert ("wagtailcore.Page", "owner") in found
    assert ("cohorts.Cohort", "facilitators") in found
    # Through rows erased with the person, however many links away.
    assert ("cohorts.LessonCompletion", "enrolment__user") in found
    assert ("account.EmailConfirmation", "email_address__user") in found
    assert ("wagtailcore.CommentReply", "comment__user") in found
    # Not through a link erasure clears: a page they own stays, and so do its cohorts; an
    # enrolment they decided on stays, and so do its lesson completions.
    assert ("cohorts.LessonCompletion", "enrolment__decided_by") not in found
    assert not any("owner__" in path or "decided_by__" in path for _label, path in found)


def test_every_path_to_the_user_is_registered():
    missing = []
    for model, path in paths_to_the_user():
        rule = privacy.rule_for(model)
        if rule is None or path not in rule.user_fields:
            missing.append(f"{model._meta.label}.{path}")
    assert not missing, (
        "These models reach the user model and may hold personal data, but no privacy rule "
        "covers the path; register it in the app's privacy_rules.py: " + ", ".join(missing)
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


def rows_by_fate(user) -> tuple[dict, dict]:
    """The rows that reach ``user``, by model label: those the registry erases with the person
    and those it keeps with the link cleared."""
    erased, kept = {}, {}
    for model, path in paths_to_the_user():
        rule = privacy.rule_for(model)
        fate = kept if path in rule.unlinks else erased
        pks = set(model._default_manager.filter(**{path: user}).values_list("pk", flat=True))
        fate.setdefault(model._meta.label, set()).update(pks)
    for label, pks in kept.items():
        pks -= erased.get(label, set())
    return erased, kept


@pytest.mark.django_db
def test_erasing_leaves_no_identifying_row():
    from tests.cohorts.factories import CohortFactory, EnrolmentFactory, complete, lessons_of

    user = UserFactory(email="erase.me@example.org", display_name="Erase Me")
    other = UserFactory()
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="A page they wrote", slug="theirs", owner=user))
    revision = page.save_revision(user=user)
    PageLogEntry.objects.log_action(page, "wagtail.edit", user=user)
    EmailConfirmation.objects.create(email_address=user.emailaddress_set.get(), key="k" * 64)
    theirs = Comment.objects.create(page=page, user=user, text="Their comment", contentpath="t")
    CommentReply.objects.create(comment=theirs, user=other, text="A reply to theirs")
    resolved = Comment.objects.create(
        page=page, user=other, text="Someone else's", contentpath="t", resolved_by=user
    )

    facilitated = CohortFactory(facilitators=[user])
    own = EnrolmentFactory(user=user, cohort=CohortFactory(course=facilitated.course))
    complete(own, lessons_of(own.course)[:2])
    decided = EnrolmentFactory(cohort=facilitated, decided_by=user)
    complete(decided, lessons_of(decided.course)[:1])
    erased, kept = rows_by_fate(user)
    assert erased["cohorts.LessonCompletion"] and erased["account.EmailConfirmation"]
    assert erased["wagtailcore.CommentReply"] and kept["wagtailcore.Comment"] == {resolved.pk}

    services.account_erase(user=user)

    assert not own.__class__.objects.filter(pk=own.pk).exists()
    decided.refresh_from_db()
    assert decided.decided_by is None
    assert not facilitated.facilitators.exists()
    resolved.refresh_from_db()
    assert resolved.resolved_by is None and resolved.text == "Someone else's"

    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email="erase.me@example.org").exists()
    page.refresh_from_db()
    assert page.owner is None
    assert Revision.objects.get(pk=revision.pk).user_id is None
    assert not PageLogEntry.objects.filter(user_id=user.pk).exists()
    for model, path in paths_to_the_user():
        assert not model._default_manager.filter(**{path: user.pk}).exists(), (
            f"{model._meta.label}.{path} still points at the erased user"
        )
    # Each rule did what it declares: rows reached through erased links are gone, rows reached
    # only through links it clears are still there.
    for label, pks in erased.items():
        model = apps.get_model(label)
        assert not model._default_manager.filter(pk__in=pks).exists(), f"{label} not erased"
    for label, pks in kept.items():
        model = apps.get_model(label)
        assert model._default_manager.filter(pk__in=pks).count() == len(pks), f"{label} lost"


@pytest.mark.django_db
def test_erasing_deletes_the_stored_files_of_the_rows_it_erases(
    django_capture_on_commit_callbacks,
):
    """A file the person started to upload (Wagtail keeps it until its details are filled in)
    is theirs: its row goes and, once the erasure commits, so does the file. An image they
    uploaded belongs to the academy: it stays, file and all, without their name."""
    user = UserFactory()
    upload = UploadedFile.objects.create(
        file=ContentFile(b"half-finished notes", name="notes.pdf"), uploaded_by_user=user
    )
    image = get_image_model().objects.create(
        title="A map", file=get_test_image_file("map.png"), uploaded_by_user=user
    )
    storage = upload.file.storage
    assert storage.exists(upload.file.name) and storage.exists(image.file.name)

    with django_capture_on_commit_callbacks() as after_commit:
        services.account_erase(user=user)

    assert not UploadedFile.objects.filter(pk=upload.pk).exists()
    assert storage.exists(upload.file.name), "deleted before the erasure committed"
    for callback in after_commit:
        callback()
    assert not storage.exists(upload.file.name)
    image.refresh_from_db()
    assert image.uploaded_by_user is None
    assert storage.exists(image.file.name)


@pytest.mark.django_db
def test_an_erasure_rolled_back_keeps_the_files(django_capture_on_commit_callbacks):
    user = UserFactory()
    upload = UploadedFile.objects.create(
        file=ContentFile(b"half-finished notes", name="notes.pdf"), uploaded_by_user=user
    )

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.account_erase(user=user)
        raise RuntimeError("the request failed after the erasure")

    assert UploadedFile.objects.filter(pk=upload.pk, uploaded_by_user=user).exists()
    assert upload.file.storage.exists(upload.file.name)


@pytest.mark.django_db
def test_download_my_data(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/profile/data/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="academy-personal-')
    assert response["X-Content-Type-Options"] == "nosniff"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert archive.namelist() == ["personal-data.json"]  # no files uploaded
        data = json.loads(archive.read("personal-data.json"))
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
