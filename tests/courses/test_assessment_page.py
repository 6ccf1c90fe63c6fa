# ruff: noqa: RUF001 (the site uses typographic quotes, as GOV.UK does)
"""The assessment page in Wagtail: an editor builds each kind under a module from the admin
form, mistakes are shown on the fields that hold them, the preview shows what learners will be
asked (and, for a quiz, the right answers), revisions and the review workflow work as for
lessons, and the page's own address is only for content staff. Modules and courses list their
assessments after their lessons, from the cached outline."""

import re

from django.urls import reverse

from wagtail.admin.widgets import BaseChooser
from wagtail.models import Workflow
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from academy import roles
from courses.models import AssessmentPage, CoursePage, ModulePage
from courses.selectors import course_modules
from home.demo import Summary
from home.demo.editorial import load_editorial
from tests.factories import UserFactory

from . import factories

pytestmark = pytest.mark.django_db

REFLECTIVE = AssessmentPage.Kind.REFLECTIVE
QUIZ = AssessmentPage.Kind.QUIZ
PEER_REVIEW = AssessmentPage.Kind.PEER_REVIEW


def assessment_form(kind: str = REFLECTIVE, *, rubric=None, questions=(), **overrides) -> dict:
    """The assessment form as an editor posts it."""
    fields = {
        "title": "Reflecting on your place",
        "slug": "reflecting-on-your-place",
        "kind": kind,
        "required_for_completion": "on",
        "instructions": rich_text("<p>Write about one budget partners in your place share.</p>"),
        "due_offset_days": "21",
        "late_work": AssessmentPage.Late.REFUSE,
        "estimated_minutes": "45",
        "rubric": str(rubric.pk) if rubric else "",
        "min_words": "200",
        "max_words": "900",
        "max_files": "2",
        "anonymous_marking": "on",
        "pass_mark": "75",
        "max_attempts": "2",
        "questions": streamfield(list(questions)),
        "reviews_required": "3",
        "anonymous_reviews": "on",
        "comments": inline_formset([]),
    }
    fields.update(overrides)
    return nested_form_data(fields)


def two_questions() -> list:
    return [
        factories.quiz_question_form(
            "Who spends most on the residents of a place?",
            [
                ("Every partner together", True, "Yes: Total Place counted them all."),
                ("The council alone", False, "Councils spend a fraction of the total."),
            ],
        ),
        factories.quiz_question_form(
            "Which of these did Total Place pilots do?",
            [
                ("Count all public spending in an area", True, ""),
                ("Map the services a family uses", True, ""),
                ("Merge the councils", False, "No council merged."),
            ],
            multiple=True,
        ),
    ]


@pytest.fixture
def module() -> ModulePage:
    course = factories.course(factories.course_index())
    return factories.module(course, "Seeing the whole place")


@pytest.fixture
def rubric():
    return factories.editor_rubric("Reflective practice")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def add_url(module: ModulePage) -> str:
    return reverse("wagtailadmin_pages:add", args=["courses", "assessmentpage", module.pk])


# --- Building each kind from the admin form -----------------------------------------------------


class CreateFromAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = UserFactory(is_staff=True, is_superuser=True)
        cls.module = factories.module(factories.course(factories.course_index()))
        cls.rubric = factories.editor_rubric("Reflective practice")

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def test_an_editor_creates_a_reflective_assignment(self):
        self.assertCanCreate(self.module, AssessmentPage, assessment_form(rubric=self.rubric))

        page = AssessmentPage.objects.get(slug="reflecting-on-your-place")
        self.assertEqual(page.kind, REFLECTIVE)
        self.assertEqual(page.rubric, self.rubric)
        self.assertEqual((page.min_words, page.max_words, page.max_files), (200, 900, 2))
        self.assertEqual((page.due_offset_days, page.late_work), (21, "refuse"))
        self.assertTrue(page.anonymous_marking and page.required_for_completion)

    def test_an_editor_creates_a_quiz(self):
        data = assessment_form(QUIZ, questions=two_questions(), slug="what-total-place-found")
        self.assertCanCreate(self.module, AssessmentPage, data)

        page = AssessmentPage.objects.get(slug="what-total-place-found")
        self.assertEqual((page.kind, page.pass_mark, page.max_attempts), (QUIZ, 75, 2))
        first, second = page.questions
        self.assertFalse(first.value["multiple"])
        self.assertEqual(
            [(o["text"], o["correct"]) for o in first.value["options"]],
            [("Every partner together", True), ("The council alone", False)],
        )
        self.assertEqual(
            first.value["options"][1]["feedback"], "Councils spend a fraction of the total."
        )
        self.assertTrue(second.value["multiple"])
        self.assertEqual([o["correct"] for o in second.value["options"]], [True, True, False])

    def test_an_editor_creates_a_peer_review(self):
        data = assessment_form(PEER_REVIEW, rubric=self.rubric, slug="review-two-plans")
        self.assertCanCreate(self.module, AssessmentPage, data)

        page = AssessmentPage.objects.get(slug="review-two-plans")
        self.assertEqual((page.kind, page.reviews_required), (PEER_REVIEW, 3))
        self.assertTrue(page.anonymous_reviews)
        self.assertEqual(page.rubric, self.rubric)

    def test_the_rubric_is_chosen_with_the_snippet_chooser(self):
        response = self.client.get(add_url(self.module))

        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertIsInstance(form.fields["rubric"].widget, BaseChooser)
        self.assertContains(response, reverse("wagtailsnippetchoosers_courses_rubric:choose"))


# --- Mistakes, shown where they are -------------------------------------------------------------


def refused(response) -> dict:
    """The errors of a refused form, which is shown again (never a server error)."""
    assert response.status_code == 200
    assert "The page could not be created due to validation errors" in response.content.decode()
    assert not AssessmentPage.objects.exists()
    return response.context["form"].errors


def test_a_reflective_assignment_without_a_rubric_is_refused(admin_client, module):
    errors = refused(admin_client.post(add_url(module), assessment_form(rubric=None)))

    assert errors["rubric"] == ["Choose the rubric the work is marked against"]


def test_a_peer_review_without_a_rubric_is_refused(admin_client, module):
    errors = refused(admin_client.post(add_url(module), assessment_form(PEER_REVIEW)))

    assert errors["rubric"] == ["Choose the rubric the work is marked against"]


def test_a_quiz_without_questions_is_refused(admin_client, module):
    errors = refused(admin_client.post(add_url(module), assessment_form(QUIZ)))

    assert errors["questions"] == ["Add at least one question"]
    assert "rubric" not in errors  # a quiz is marked automatically


def test_fewer_words_above_most_words_is_refused(admin_client, module, rubric):
    data = assessment_form(rubric=rubric, min_words="500", max_words="300")

    errors = refused(admin_client.post(add_url(module), data))

    assert errors["max_words"] == ["The most words must be at least the fewest"]


def options_error(errors, question: int = 0):
    """The error a question's options carry, or fail."""
    stream = errors["questions"].as_data()[0]
    block = stream.block_errors[question]
    assert list(block.block_errors) == ["options"]
    return block.block_errors["options"]


def test_a_single_answer_question_with_two_right_options_is_refused_on_its_options(
    admin_client, module
):
    question = factories.quiz_question_form(
        "Who spends most on the residents of a place?",
        [("Every partner together", True, ""), ("The NHS", True, ""), ("The council", False, "")],
    )
    data = assessment_form(QUIZ, questions=[question])

    errors = refused(admin_client.post(add_url(module), data))

    [message] = options_error(errors).non_block_errors.as_data()
    assert "needs exactly one option marked right" in message.message


def test_a_question_with_no_right_option_is_refused_on_its_options(admin_client, module):
    good, _ = two_questions()
    none_right = factories.quiz_question_form(
        "Which of these is a Total Place pilot?",
        [("Birmingham", False, ""), ("Nowhere", False, "")],
        multiple=True,
    )
    data = assessment_form(QUIZ, questions=[good, none_right])

    errors = refused(admin_client.post(add_url(module), data))

    assert 0 not in errors["questions"].as_data()[0].block_errors
    [message] = options_error(errors, question=1).non_block_errors.as_data()
    assert message.message == "Mark at least one option as right"


# --- Preview -----------------------------------------------------------------------------------


def preview(client, module, data) -> str:
    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["courses", "assessmentpage", module.pk]
    )
    posted = client.post(url, data)
    assert posted.status_code == 200
    assert posted.json()["is_valid"] is True, posted.json()
    shown = client.get(url)
    assert shown.status_code == 200
    return shown.content.decode()


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def test_the_preview_of_a_reflective_assignment_shows_its_rubric_as_a_table(admin_client, module):
    rubric = factories.editor_rubric(
        "Reflective practice",
        criteria=[
            factories.rubric_criterion("Uses evidence", 0, 2, 4, guidance="Figures from a place."),
            factories.rubric_criterion("Reflects on practice", 0, 1),
        ],
        pass_points=3,
    )

    html = squash(preview(admin_client, module, assessment_form(rubric=rubric)))

    assert '<h1 class="govuk-heading-xl">Reflecting on your place</h1>' in html
    assert "Write about one budget partners in your place share." in html
    assert "Reflective assignment" in html
    assert "Required: learners must pass it to complete the course" in html
    assert "21 days after the cohort starts, unless the cohort’s facilitators set another" in html
    assert "Refuse work after the due date" in html
    assert "200 to 900 words" in html and "Up to 2 files" in html
    assert "Yes: markers see no names until marks are released" in html
    # Criteria by levels, in a scroll region named by the table's caption.
    assert 'role="region" aria-labelledby="rubric-caption" tabindex="0"' in html
    assert (
        '<caption id="rubric-caption" class="govuk-table__caption govuk-table__caption--m">'
        "Reflective practice: work passes at 3 of 5 points</caption>"
    ) in html
    headers = re.findall(r'<th scope="col" class="govuk-table__header">([^<]+)</th>', html)
    assert headers == ["Criterion", "Level 1", "Level 2", "Level 3"]
    rows = re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</tr>', html)
    assert len(rows) == 2
    assert "Uses evidence" in rows[0] and "Figures from a place." in rows[0]
    assert "<strong>4 points</strong>" in rows[0]
    assert "<strong>1 point</strong>" in rows[1]
    # The second criterion has two levels: its third cell is empty, and says so.
    assert rows[1].count('<td class="govuk-table__cell">') == 3
    assert '<span class="govuk-visually-hidden">No level</span>' in rows[1]
    assert "Peer review" not in html and "Pass mark" not in html


def test_the_preview_of_a_quiz_marks_the_right_answers_and_shows_the_feedback(admin_client, module):
    html = squash(preview(admin_client, module, assessment_form(QUIZ, questions=two_questions())))

    assert "Quiz" in html and "with the right answers" in html
    assert "75%" in html and "2 (the best attempt counts)" in html
    assert "Question 1" in html and "Question 2" in html
    assert "Learners choose one option." in html and "Learners tick every right option." in html
    assert re.search(
        r"<li>Every partner together <strong class=\"govuk-tag govuk-tag--green\">Right answer"
        r"</strong><span class=\"govuk-hint govuk-!-display-block\">Feedback: Yes: Total Place",
        html,
    )
    assert "<li>The council alone<span" in html  # not marked right
    assert "Feedback: Councils spend a fraction of the total." in html
    assert html.count("Right answer") == 3
    assert "Rubric" not in html


def test_the_preview_of_a_peer_review_shows_how_reviews_work(admin_client, module, rubric):
    data = assessment_form(PEER_REVIEW, rubric=rubric, anonymous_reviews="")

    html = squash(preview(admin_client, module, data))

    assert "Peer review" in html
    assert re.search(r"Reviews each learner gives</dt> <dd [^>]*>3</dd>", html)
    assert "No: learners see whose work they review and who reviewed theirs" in html
    assert "rubric-caption" in html


def test_a_draft_without_its_rubric_says_what_is_missing(admin_client, module):
    """Drafts are saved without validation: the draft's view says what the assessment lacks
    rather than failing."""
    page = factories.editor_assessment(module, "Not finished")
    page.rubric = None
    page.save_revision(clean=False)

    response = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))

    assert response.status_code == 200
    assert "No rubric is chosen yet" in response.content.decode()


# --- Revisions and the review workflow, as for lessons --------------------------------------------


@pytest.fixture
def editorial(module) -> Workflow:
    catalogue = module.get_parent().get_parent()
    return load_editorial(Summary(), catalogue, factories.case_study_index())


def test_an_editor_submits_an_assessment_and_a_moderator_publishes_it(
    client, editorial, module, rubric
):
    editor = UserFactory(groups=[roles.EDITORS])
    moderator = UserFactory(groups=[roles.MODERATORS])
    client.force_login(editor)

    response = client.post(
        add_url(module), {**assessment_form(rubric=rubric), "action-submit": "Submit"}
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    page = AssessmentPage.objects.get(slug="reflecting-on-your-place")
    assert not page.live
    assert not page.permissions_for_user(editor).can_publish()
    state = page.current_workflow_state
    assert state.workflow == editorial
    assert state.status == state.STATUS_IN_PROGRESS

    client.force_login(moderator)
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    assert client.post(approve_url, {"comment": "Clear instructions."}).status_code in (200, 302)
    page.refresh_from_db()
    assert page.live

    # A later change is a new revision; the live assessment is untouched until it is approved.
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    changed = assessment_form(
        rubric=rubric, instructions=rich_text("<p>Write about two budgets.</p>")
    )
    assert client.post(edit_url, changed).status_code == 302
    page.refresh_from_db()
    assert "one budget" in page.instructions
    assert "two budgets" in page.get_latest_revision_as_object().instructions
    first, second = page.revisions.order_by("created_at", "pk")
    for url in [
        reverse("wagtailadmin_pages:history", args=[page.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[page.pk, first.pk]),
        reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, second.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_an_editor_cannot_publish_an_assessment_directly(client, editorial, module, rubric):
    client.force_login(UserFactory(groups=[roles.EDITORS]))

    client.post(add_url(module), {**assessment_form(rubric=rubric), "action-publish": "1"})

    assert not AssessmentPage.objects.get(slug="reflecting-on-your-place").live


# --- The page's own address -----------------------------------------------------------------------


@pytest.fixture
def assessment(module):
    return factories.editor_assessment(module, "Reflecting on your place", kind=QUIZ)


def test_anonymous_visitors_are_asked_to_sign_in(client, assessment):
    response = client.get(assessment.url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={assessment.url}"


@pytest.mark.parametrize(
    "groups", [[], [roles.FACILITATORS], [roles.PROGRAMME_MANAGERS]], ids=["learner", "f", "pm"]
)
def test_anyone_without_a_cohort_of_the_course_gets_not_found(client, assessment, groups):
    client.force_login(UserFactory(groups=groups))

    response = client.get(assessment.url)

    assert response.status_code == 404
    assert "Every partner together" not in response.content.decode()


@pytest.mark.parametrize("who", ["editor", "moderator", "superuser"])
def test_content_staff_read_the_definition_with_its_answers(client, assessment, who):
    user = (
        UserFactory(is_superuser=True)
        if who == "superuser"
        else UserFactory(groups=[roles.EDITORS if who == "editor" else roles.MODERATORS])
    )
    client.force_login(user)

    response = client.get(assessment.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Right answer" in html
    assert '<meta name="robots" content="noindex">' in html


def test_an_inactive_editor_does_not_read_it(assessment):
    from courses.access import can_read_assessment

    assert not can_read_assessment(UserFactory(groups=[roles.EDITORS], is_active=False), assessment)


def test_assessments_are_not_in_the_site_search_or_the_sitemap(client, assessment):
    assert AssessmentPage.objects.live().search("Reflecting").count() == 1  # it is indexed

    response = client.get("/search/", {"q": "Reflecting on your place"})

    assert response.status_code == 200
    assert assessment.url not in response.content.decode()
    assert assessment.url not in client.get("/sitemap.xml").content.decode()


# --- In the module's and the course's outline ----------------------------------------------------


@pytest.fixture
def course_with_assessments() -> CoursePage:
    course = factories.course(factories.course_index(), "Leading across boundaries")
    one = factories.module(course, "Seeing the whole place")
    factories.lesson(one, "Counting the money")
    factories.editor_assessment(one, "Reflecting on your place")
    factories.editor_assessment(
        one, "What Total Place found", kind=QUIZ, required_for_completion=False
    )
    two = factories.module(course, "Acting together")
    factories.lesson(two, "Pooling a budget")
    factories.editor_assessment(two, "Reviewing two plans", kind=PEER_REVIEW)
    factories.editor_assessment(two, "A draft", kind=QUIZ).unpublish()
    return course


def test_the_module_page_lists_its_assessments_after_its_lessons(client, course_with_assessments):
    module = ModulePage.objects.get(title="Seeing the whole place")

    html = squash(client.get(module.url).content.decode())

    assert html.index("Counting the money") < html.index('<h2 class="govuk-heading-l">Assessments')
    assert (
        'Reflecting on your place <span class="govuk-body-s">(reflective assignment, required)'
        in html
    )
    assert 'What Total Place found <span class="govuk-body-s">(quiz)</span>' in html
    assert "Reviewing two plans" not in html  # another module's
    assert AssessmentPage.objects.get(title="Reflecting on your place").url not in html


def test_the_course_page_shows_each_modules_assessments(client, course_with_assessments):
    html = squash(client.get(course_with_assessments.url).content.decode())

    first = html[html.index("Module 1: Seeing the whole place") : html.index("Module 2:")]
    second = html[html.index("Module 2: Acting together") :]
    assert 'aria-label="Assessments in Seeing the whole place"' in first
    assert first.index("Counting the money") < first.index("Reflecting on your place")
    assert "What Total Place found" in first
    assert 'Reviewing two plans <span class="govuk-body-s">(peer review, required)' in second
    assert "A draft" not in html


def test_the_course_outline_reads_assessments_from_the_cache(
    course_with_assessments, django_assert_num_queries
):
    course_modules(course_with_assessments)

    with django_assert_num_queries(0):
        contents = course_modules(course_with_assessments)

    assert [[a.title for a in c.assessments] for c in contents] == [
        ["Reflecting on your place", "What Total Place found"],
        ["Reviewing two plans"],
    ]
    with django_assert_num_queries(0):
        [a.get_kind_display() for c in contents for a in c.assessments]
        [a.required_for_completion for c in contents for a in c.assessments]


def test_the_course_page_costs_no_more_queries_with_more_assessments(
    client, course_with_assessments
):
    """Rendered for a signed-in visitor (never from the public page cache), once to fill the
    outline cache, then counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory())

    def count() -> int:
        client.get(course_with_assessments.url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(course_with_assessments.url).status_code == 200
        return len(queries)

    before = count()
    module = ModulePage.objects.get(title="Acting together")
    for n in range(5):
        factories.editor_assessment(module, f"Another quiz {n}", kind=QUIZ)
    assert count() == before
    assert "Another quiz 4" in client.get(course_with_assessments.url).content.decode()
