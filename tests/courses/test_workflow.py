"""The editorial workflow (PRODUCT.md journey 7): an editor drafts and submits, a moderator
approves and the page goes live; scheduled pages go live when their time comes; images need
alt text and videos a transcript before anything can be saved."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wagtail.blocks import StructBlockValidationError
from wagtail.embeds.blocks import EmbedValue
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Workflow, WorkflowPage
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from academy import roles
from courses.blocks import CaptionedImageBlock, VideoBlock
from courses.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
    Theme,
)
from courses.tasks import publish_scheduled_pages_task
from home.demo import CREATED, UNCHANGED, UPDATED, Summary
from home.demo.editorial import TASK_NAME, WORKFLOW_NAME, load_editorial
from tests.courses import factories
from tests.factories import PlaceFactory, UserFactory, sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexes(db) -> tuple[CourseIndexPage, CaseStudyIndexPage]:
    return factories.course_index(), factories.case_study_index()


@pytest.fixture
def editorial(indexes) -> Workflow:
    return load_editorial(Summary(), *indexes)


@pytest.fixture
def editor():
    return UserFactory(groups=[roles.EDITORS], display_name="Eddie Editor")


@pytest.fixture
def moderator():
    return UserFactory(groups=[roles.MODERATORS], display_name="Mo Moderator")


def case_study_form(**overrides) -> dict:
    fields = {
        "title": "Counting every pound in one place",
        "slug": "counting-every-pound",
        "summary": "Partners counted all public spending in their area.",
        "place": str(PlaceFactory().pk),
        "year": "2010",
        "illustrative": "on",
        "source": "",
        "challenge": rich_text("<p>One pilot found 50 benefits, each with its own form.</p>"),
        "what_partners_did": rich_text("<p>They mapped every service a family touched.</p>"),
        "outcomes": streamfield([]),
        "lessons_for_leaders": rich_text("<p>Start from the resident, not the budget.</p>"),
        "quotes": streamfield([]),
        "downloads": streamfield([]),
        "hero_image": "",
        "hero_image_alt": "",
        "comments": inline_formset([]),
    }
    fields.update(overrides)
    # Checkbox lists are repeated keys, which nested_form_data does not produce.
    return {
        **nested_form_data(fields),
        "partner_sectors": [str(sector().pk), str(sector("nhs-and-health").pk)],
    }


# --- Set-up ---------------------------------------------------------------------------------


def test_load_editorial_sets_up_the_workflow_once(indexes):
    catalogue, library = indexes
    first = Summary()
    workflow = load_editorial(first, catalogue, library)

    assert workflow.name == WORKFLOW_NAME
    assert workflow.active
    tasks = [task.specific for task in workflow.tasks]
    assert [task.name for task in tasks] == [TASK_NAME]
    assert [group.name for group in tasks[0].groups.all()] == [roles.MODERATORS]
    for index in (catalogue, library):
        assert WorkflowPage.objects.get(page=index).workflow == workflow
        assert index.get_workflow() == workflow
    assert first.counts["workflows"][CREATED] == 4

    second = Summary()
    assert load_editorial(second, catalogue, library) == workflow

    for counts in second.counts.values():
        assert counts[CREATED] == counts[UPDATED] == 0
        assert counts[UNCHANGED] > 0
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1


def test_load_editorial_repairs_a_changed_set_up(indexes):
    catalogue, library = indexes
    workflow = load_editorial(Summary(), catalogue, library)
    WorkflowPage.objects.filter(page=library).delete()
    workflow.deactivate()

    summary = Summary()
    load_editorial(summary, catalogue, library)

    assert summary.counts["workflows"][UPDATED] >= 1
    assert Workflow.objects.get(pk=workflow.pk).active
    assert library.get_workflow() == workflow


def test_editors_write_and_moderators_also_publish_under_both_indexes(editorial, indexes):
    editor = UserFactory(groups=[roles.EDITORS])
    moderator = UserFactory(groups=[roles.MODERATORS])
    for index in indexes:
        editor_perms = index.permissions_for_user(editor)
        assert editor_perms.can_add_subpage()
        assert editor_perms.can_edit()
        assert not editor_perms.can_publish_subpage()
        assert index.permissions_for_user(moderator).can_publish_subpage()


@pytest.mark.parametrize(
    ("group", "codenames"),
    [
        (roles.EDITORS, {"add_theme", "change_theme", "view_theme"}),
        (roles.MODERATORS, {"add_theme", "change_theme", "delete_theme", "view_theme"}),
    ],
)
def test_editors_and_moderators_manage_themes_images_and_documents(client, group, codenames):
    user = UserFactory(groups=[group])
    for codename in codenames:
        assert user.has_perm(f"courses.{codename}")
    for perm in (
        "wagtailimages.add_image",
        "wagtaildocs.add_document",
        "wagtailadmin.access_admin",
    ):
        assert user.has_perm(perm)

    client.force_login(user)
    response = client.get(reverse("wagtailsnippets_courses_theme:add"))
    assert response.status_code == 200
    response = client.post(
        reverse("wagtailsnippets_courses_theme:add"),
        {"name": "Pooled budgets", "slug": "pooled-budgets", "description": ""},
    )
    assert response.status_code == 302
    assert Theme.objects.filter(slug="pooled-budgets").exists()


# --- Moderation -----------------------------------------------------------------------------


def test_an_editor_submits_a_case_study_and_a_moderator_publishes_it(
    client, editorial, indexes, editor, moderator
):
    _, library = indexes
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "casestudypage", library.pk])

    response = client.post(add_url, {**case_study_form(), "action-submit": "Submit"})

    assert response.status_code == 302, response.content.decode()[:2000]
    case_study = CaseStudyPage.objects.get(slug="counting-every-pound")
    assert not case_study.live
    state = case_study.current_workflow_state
    assert state.workflow == editorial
    assert state.status == state.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    assert task_state.task.name == TASK_NAME
    client.logout()
    assert client.get("/case-studies/counting-every-pound/").status_code == 404

    client.force_login(moderator)
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[case_study.pk, "approve", task_state.pk],
    )
    response = client.post(approve_url, {"comment": "Clear and well sourced."})

    assert response.status_code in (200, 302)
    case_study.refresh_from_db()
    assert case_study.live
    state.refresh_from_db()
    assert state.status == state.STATUS_APPROVED
    client.logout()
    response = client.get("/case-studies/counting-every-pound/")
    assert response.status_code == 200
    assert "Counting every pound in one place" in response.content.decode()


def test_the_workflow_api_gives_the_same_result(editorial, indexes, editor, moderator):
    catalogue, _ = indexes
    course = catalogue.add_child(instance=CoursePage(**factories.course_fields(live=False)))
    course.save_revision(user=editor)

    state = course.get_workflow().start(course, editor)
    assert not course.permissions_for_user(editor).can_publish()
    state.current_task_state.approve(user=moderator)

    course.refresh_from_db()
    assert course.live


def test_an_editor_cannot_publish_directly(client, editorial, indexes, editor):
    _, library = indexes
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "casestudypage", library.pk])

    client.post(add_url, {**case_study_form(), "action-publish": "Publish"})

    case_study = CaseStudyPage.objects.get(slug="counting-every-pound")
    assert not case_study.live
    assert not case_study.permissions_for_user(editor).can_publish()

    edit_url = reverse("wagtailadmin_pages:edit", args=[case_study.pk])
    client.post(edit_url, {**case_study_form(), "action-publish": "Publish"})

    case_study.refresh_from_db()
    assert not case_study.live


# --- Scheduled publishing -------------------------------------------------------------------


def test_a_scheduled_page_goes_live_when_the_task_runs_after_its_time(client, indexes, monkeypatch):
    _, library = indexes
    case_study = library.add_child(
        instance=CaseStudyPage(
            title="Scheduled for the launch",
            slug="scheduled",
            place=PlaceFactory(),
            year=2010,
            summary="Published at the launch event.",
            illustrative=True,
            challenge="<p>Fifty forms.</p>",
            what_partners_did="<p>One form.</p>",
            lessons_for_leaders="<p>Ask residents.</p>",
            live=False,
        )
    )
    case_study.partner_sectors.set([sector()])
    case_study.go_live_at = timezone.now() + timedelta(hours=1)
    revision = case_study.save_revision()
    revision.publish()
    case_study.refresh_from_db()
    assert not case_study.live
    assert client.get("/case-studies/scheduled/").status_code == 404

    publish_scheduled_pages_task()
    case_study.refresh_from_db()
    assert not case_study.live, "published before its time"

    # The hour passes.
    later = timezone.now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    publish_scheduled_pages_task()

    case_study.refresh_from_db()
    assert case_study.live
    assert client.get("/case-studies/scheduled/").status_code == 200
    publish_scheduled_pages_task()  # nothing left to do: safe to run again


def test_the_scheduled_publishing_task_runs_every_minute(settings):
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "courses.tasks.publish_scheduled_pages_task"
    ]
    assert len(entries) == 1
    assert entries[0]["schedule"].minute == set(range(60))


# --- Accessible content blocks --------------------------------------------------------------


@pytest.fixture
def image():
    return Image.objects.create(title="Partners around a map", file=get_test_image_file())


def test_an_image_block_needs_alt_text(image):
    block = CaptionedImageBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": "Our map"}))
    assert set(error.value.block_errors) == {"alt_text"}

    value = block.clean(block.to_python({"image": image.pk, "alt_text": "A map", "caption": ""}))
    assert value["alt_text"] == "A map"


def test_a_video_block_needs_a_transcript(monkeypatch):
    # No network: every URL "has" an embed.
    monkeypatch.setattr(EmbedValue, "html", property(lambda self: "<iframe></iframe>"))
    block = VideoBlock()
    video = {"video": "https://www.youtube.com/watch?v=1", "title": "A leader on budgets"}

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({**video, "transcript": ""}))
    assert set(error.value.block_errors) == {"transcript"}

    value = block.clean(block.to_python({**video, "transcript": "<p>We counted.</p>"}))
    assert "We counted." in value["transcript"].source


def test_an_editor_cannot_save_a_lesson_with_an_image_lacking_alt_text(
    client, editorial, indexes, editor, image
):
    catalogue, _ = indexes
    course = catalogue.add_child(instance=CoursePage(**factories.course_fields()))
    module = course.add_child(instance=ModulePage(title="Counting", slug="counting"))
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk])

    def lesson_form(alt_text: str) -> dict:
        return nested_form_data(
            {
                "title": "Mapping a place",
                "slug": "mapping-a-place",
                "estimated_minutes": "20",
                "required_for_completion": "on",
                "body": streamfield(
                    [("image", {"image": str(image.pk), "alt_text": alt_text, "caption": ""})]
                ),
                "comments": inline_formset([]),
            }
        )

    response = client.post(add_url, {**lesson_form(""), "action-submit": "Submit"})

    assert response.status_code == 200
    assert not LessonPage.objects.filter(slug="mapping-a-place").exists()
    assert "The page could not be created due to validation errors" in response.content.decode()

    response = client.post(add_url, {**lesson_form("Partners around a map"), "action-submit": "1"})

    assert response.status_code == 302
    assert LessonPage.objects.filter(slug="mapping-a-place").exists()


def test_a_hero_image_needs_alt_text(indexes, image):
    _, library = indexes
    case_study = CaseStudyPage(
        title="With a picture",
        slug="with-a-picture",
        place=PlaceFactory(),
        year=2010,
        summary="A case with a hero image.",
        illustrative=True,
        challenge="<p>x</p>",
        what_partners_did="<p>y</p>",
        lessons_for_leaders="<p>z</p>",
        hero_image=image,
    )
    with pytest.raises(ValidationError) as error:
        library.add_child(instance=case_study)
    assert "hero_image_alt" in error.value.message_dict


@pytest.mark.parametrize("posted", ["\u200b", "not-an-image", "99999999999999999999999"])
def test_a_made_up_image_choice_is_a_form_error_not_a_crash(
    client, editorial, indexes, editor, posted
):
    """The form is shown again with its errors, and the image chooser in it shows nothing
    chosen, whatever was posted as the image's id."""
    _, library = indexes
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "casestudypage", library.pk])

    response = client.post(add_url, {**case_study_form(hero_image=posted), "action-submit": "1"})

    assert response.status_code == 200
    assert "The page could not be created due to validation errors" in response.content.decode()
    assert not CaseStudyPage.objects.filter(slug="counting-every-pound").exists()
