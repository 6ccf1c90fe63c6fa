"""Rubrics in Wagtail's admin (Snippets → Rubrics): editors and moderators keep them, each
criterion's levels score differently, the list shows each rubric's points, and a rubric an
assessment is marked against cannot be deleted — the editor is told why."""

from django.urls import reverse

from wagtail.models import ReferenceIndex
from wagtail.test.utils.form_data import nested_form_data, streamfield

import pytest
from bs4 import BeautifulSoup

from academy import roles
from courses.models import AssessmentPage, Rubric
from tests.courses import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RUBRICS = "wagtailsnippets_courses_rubric"


def rubric_form(name: str = "Reflective practice", pass_points: int = 4, criteria=None) -> dict:
    return nested_form_data(
        {
            "name": name,
            "description": "How we mark written reflections.",
            "criteria": streamfield(
                criteria
                or [
                    factories.rubric_criterion_form("Uses evidence", 0, 2, 4),
                    factories.rubric_criterion_form("Reflects on practice", 0, 1, 2),
                ]
            ),
            "pass_points": str(pass_points),
        }
    )


@pytest.fixture
def editor():
    return UserFactory(groups=[roles.EDITORS])


@pytest.fixture
def moderator():
    return UserFactory(groups=[roles.MODERATORS])


@pytest.fixture
def in_use():
    """A rubric that a live reflective assignment is marked against."""
    course = factories.course(factories.course_index())
    module = factories.module(course)
    used = factories.editor_rubric("Reflective practice")
    factories.editor_assessment(module, "Reflecting on your place", rubric=used)
    return used


# --- Who keeps rubrics ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "codenames"),
    [
        (roles.EDITORS, {"add_rubric", "change_rubric", "view_rubric"}),
        (roles.MODERATORS, {"add_rubric", "change_rubric", "delete_rubric", "view_rubric"}),
    ],
)
def test_editors_and_moderators_keep_rubrics(group, codenames):
    user = UserFactory(groups=[group])
    held = {codename for codename in codenames if user.has_perm(f"courses.{codename}")}
    assert held == codenames
    assert user.has_perm("courses.delete_rubric") == ("delete_rubric" in codenames)


def test_an_editor_adds_a_rubric_from_the_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse(f"{RUBRICS}:add")).status_code == 200

    response = client.post(reverse(f"{RUBRICS}:add"), rubric_form())

    assert response.status_code == 302
    rubric = Rubric.objects.get(name="Reflective practice")
    assert rubric.max_points == 6
    assert rubric.pass_points == 4
    assert [c.value["name"] for c in rubric.criteria] == ["Uses evidence", "Reflects on practice"]
    assert [level["points"] for level in rubric.criteria[0].value["levels"]] == [0, 2, 4]


@pytest.mark.parametrize("group", [roles.FACILITATORS, roles.PROGRAMME_MANAGERS])
def test_people_who_run_cohorts_do_not_keep_rubrics(client, group):
    client.force_login(UserFactory(groups=[group]))

    response = client.post(reverse(f"{RUBRICS}:add"), rubric_form())

    assert response.status_code in (302, 403)
    assert not Rubric.objects.exists()


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_each_rubrics_points_and_finds_one_by_name(client, editor):
    factories.editor_rubric("Reflective practice", pass_points=4)
    factories.editor_rubric(
        "Partnership plan",
        pass_points=7,
        criteria=[
            factories.rubric_criterion("Shared outcome", 0, 3, 5),
            factories.rubric_criterion("Who does what", 1, 5),
        ],
    )
    client.force_login(editor)

    listing = BeautifulSoup(client.get(reverse(f"{RUBRICS}:list")).content, "html.parser")

    table = listing.find("table", class_="listing")
    headings = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")]
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
        for row in table.tbody.find_all("tr")
    ]
    most, to_pass = headings.index("Most points"), headings.index("Points to pass")
    shown = {row[headings.index("Name")].split(" ")[0]: (row[most], row[to_pass]) for row in rows}
    assert shown == {"Partnership": ("10", "7"), "Reflective": ("6", "4")}

    found = client.get(reverse(f"{RUBRICS}:list_results"), {"q": "partnership"})
    assert "Partnership plan" in found.content.decode()
    assert "Reflective practice" not in found.content.decode()


# --- Bad rubrics ------------------------------------------------------------------------------


def test_two_levels_of_a_criterion_with_the_same_points_are_refused_on_that_level(client, editor):
    client.force_login(editor)
    criteria = [
        factories.rubric_criterion_form("Uses evidence", 0, 2, 2),
        factories.rubric_criterion_form("Reflects on practice", 0, 1),
    ]

    response = client.post(reverse(f"{RUBRICS}:add"), rubric_form(criteria=criteria))

    assert response.status_code == 200
    assert not Rubric.objects.exists()
    error = response.context["form"].errors["criteria"].as_data()[0]
    criterion = error.block_errors[0]
    levels = criterion.block_errors["levels"]
    assert list(levels.block_errors) == [2]  # the third level repeats the second's points
    assert list(levels.block_errors[2].block_errors) == ["points"]
    assert "give each level different points" in response.content.decode()
    assert 1 not in error.block_errors  # the second criterion is fine


def test_points_to_pass_beyond_what_work_can_score_are_refused(client, editor):
    client.force_login(editor)

    response = client.post(reverse(f"{RUBRICS}:add"), rubric_form(pass_points=7))

    assert response.status_code == 200
    assert response.context["form"].errors["pass_points"] == [
        "Work can score at most 6 points on this rubric"
    ]
    assert not Rubric.objects.exists()


def test_a_rubric_needs_a_criterion_with_at_least_two_levels(client, editor):
    client.force_login(editor)

    no_criteria = {**rubric_form(), "criteria-count": "0"}
    for key in [key for key in no_criteria if key.startswith("criteria-0") or "criteria-1" in key]:
        del no_criteria[key]
    response = client.post(reverse(f"{RUBRICS}:add"), no_criteria)
    assert response.status_code == 200
    assert "criteria" in response.context["form"].errors

    one_level = [factories.rubric_criterion_form("Uses evidence", 3)]
    response = client.post(reverse(f"{RUBRICS}:add"), rubric_form(criteria=one_level))
    assert response.status_code == 200
    assert "criteria" in response.context["form"].errors
    assert not Rubric.objects.exists()


# --- Deleting ---------------------------------------------------------------------------------


def test_a_moderator_deletes_a_rubric_no_assessment_uses(client, moderator):
    unused = factories.editor_rubric("Unused")
    client.force_login(moderator)

    response = client.post(reverse(f"{RUBRICS}:delete", args=[unused.pk]))

    assert response.status_code == 302
    assert not Rubric.objects.filter(pk=unused.pk).exists()


def test_an_editor_cannot_delete_a_rubric(client, editor):
    unused = factories.editor_rubric("Unused")
    client.force_login(editor)

    client.post(reverse(f"{RUBRICS}:delete", args=[unused.pk]))

    assert Rubric.objects.filter(pk=unused.pk).exists()


def test_a_rubric_in_use_says_so_and_is_kept(client, moderator, in_use):
    client.force_login(moderator)
    delete_url = reverse(f"{RUBRICS}:delete", args=[in_use.pk])

    page = client.get(delete_url)

    assert page.status_code == 200
    html = page.content.decode()
    assert "One or more references to this rubric prevent it from being deleted." in html
    assert "first choose another rubric for each of them" in html
    edit_url = reverse("wagtailadmin_pages:edit", args=[AssessmentPage.objects.get().pk])
    assert f'<a href="{edit_url}">Reflecting on your place</a>' in html
    assert reverse(f"{RUBRICS}:usage", args=[in_use.pk]) in html
    assert "Yes, delete" not in html

    # Posted anyway (from a page opened before the rubric was chosen, say).
    response = client.post(delete_url)

    assert response.status_code == 302
    assert response["Location"] == delete_url
    shown = client.get(delete_url).content.decode()
    assert "This rubric cannot be deleted: 1 assessment is marked against it." in shown
    assert Rubric.objects.filter(pk=in_use.pk).exists()
    assert AssessmentPage.objects.get().rubric_id == in_use.pk


def test_a_use_the_reference_index_missed_is_still_refused_with_a_message(
    client, moderator, in_use
):
    """The database protects the rubric whatever Wagtail's reference index says."""
    ReferenceIndex.objects.all().delete()
    client.force_login(moderator)
    delete_url = reverse(f"{RUBRICS}:delete", args=[in_use.pk])

    response = client.post(delete_url)

    assert response.status_code == 302
    assert response["Location"] == delete_url
    shown = client.get(delete_url).content.decode()
    assert "This rubric cannot be deleted: 1 assessment is marked against it." in shown
    assert Rubric.objects.filter(pk=in_use.pk).exists()


def test_a_rubric_chosen_only_in_a_draft_is_kept_too(client, moderator, in_use):
    """Publishing the draft later would otherwise leave the assessment without a rubric."""
    other = factories.editor_rubric("Partnership plan")
    assessment = AssessmentPage.objects.get()
    assessment.rubric = other
    assessment.save_revision()
    client.force_login(moderator)
    delete_url = reverse(f"{RUBRICS}:delete", args=[other.pk])

    html = client.get(delete_url).content.decode()
    assert "Reflecting on your place</a>" in html
    assert "Yes, delete" not in html

    assert client.post(delete_url)["Location"] == delete_url
    assert Rubric.objects.filter(pk=other.pk).exists()
    assessment.get_latest_revision().publish()
    assert AssessmentPage.objects.get().rubric == other


def test_where_a_rubric_is_used_lists_its_assessments(client, editor, in_use):
    client.force_login(editor)

    response = client.get(reverse(f"{RUBRICS}:usage", args=[in_use.pk]))

    assert response.status_code == 200
    assert "Reflecting on your place" in response.content.decode()


# --- The chooser ------------------------------------------------------------------------------


def test_the_rubric_chooser_lists_rubrics_and_creates_none(client, editor):
    factories.editor_rubric("Reflective practice")
    client.force_login(editor)
    chooser = "wagtailsnippetchoosers_courses_rubric"

    listed = client.get(reverse(f"{chooser}:choose"))
    assert listed.status_code == 200
    assert "Reflective practice" in listed.content.decode()

    assert client.get(reverse(f"{chooser}:create")).status_code == 404
    assert (
        client.post(reverse(f"{chooser}:create"), rubric_form("Made in the chooser")).status_code
        == 404
    )
    assert not Rubric.objects.filter(name="Made in the chooser").exists()
