"""Assessments in a real browser: every page of them axe-clean (the assessment page before and
after handing in and with feedback, the quiz and its result, a peer review, the marking queue,
the marking form and the due dates), and the whole journey with JavaScript switched off: a
learner hands in an assignment with a file and passes a quiz, the facilitator marks it with the
rubric and asks for a resubmission, the learner reads the feedback and hands in again, it
passes, and the course is complete."""

import re
from dataclasses import dataclass

from django.urls import reverse

from cohorts.models import Cohort, Enrolment, Submission
from courses.models import AssessmentPage, CoursePage
from tests.cohorts.factories import (
    CohortFactory,
    EnrolmentFactory,
    course_with_lessons,
    facilitator,
    handed_in,
    handed_to,
    lessons_of,
    mark,
    modules_of,
    result_refreshed,
    submission,
)
from tests.courses.factories import assessment, peer_review_assessment, quiz
from tests.factories import PASSWORD, UserFactory
from tests.files import pdf

from .axe import assert_no_axe_violations, assert_no_axe_violations_without_scripts
from .helpers import banner, heading, said, sign_in, sign_out, visit

ANSWER = (
    "Our discharge partnership pooled two budgets across the council and the health board. "
    "We counted what it saved and agreed one outcome for older people leaving hospital."
)
REWRITTEN = (
    ANSWER + " Since the feedback, we have weighed the evidence from three wards and asked the "
    "care homes and the families what they made of it."
)


def assessment_path(cohort: Cohort, page: AssessmentPage) -> str:
    return reverse("cohort_assessment", args=[cohort.pk, page.pk])


def status_in(section) -> str:
    """The words on the status tag of the first summary row headed Status in ``section``."""
    row = section.locator(".govuk-summary-list__row", has_text="Status").first
    return row.locator(".govuk-tag").inner_text().strip()


def right_options(quiz_page: AssessmentPage) -> list[tuple[str, list[str], list[str]]]:
    """Each question of the quiz as the form labels it ("1. Who…?"), with the texts of its right
    options and of its wrong ones, read from the page's own questions."""
    quiz_page = AssessmentPage.objects.get(pk=quiz_page.pk)
    return [
        (
            f"{number}. {block.value['question']}",
            [option["text"] for option in block.value["options"] if option["correct"]],
            [option["text"] for option in block.value["options"] if not option["correct"]],
        )
        for number, block in enumerate(quiz_page.questions, start=1)
    ]


def answer_quiz(tab, quiz_page: AssessmentPage, *, right: set[int] | None = None) -> None:
    """Answer each question of the quiz on the page shown: rightly, or only the questions
    numbered in ``right`` (from 1), choosing a wrong option for the others; then submit."""
    for number, (legend, correct, wrong) in enumerate(right_options(quiz_page), start=1):
        group = tab.get_by_role("group", name=legend)
        for text in correct if right is None or number in right else wrong[:1]:
            group.get_by_label(text, exact=True).check()
    tab.get_by_role("button", name="Submit your answers").click()
    tab.wait_for_load_state()


@dataclass
class Course:
    page: CoursePage
    cohort: Cohort
    written: AssessmentPage
    quiz: AssessmentPage


def course_to_assess(title: str) -> Course:
    """A course of one module with one lesson, a required reflective assignment (marked against
    a rubric of three criteria, 12 points with 6 to pass, taking up to two files) and a required
    quiz of two questions; a cohort running now, run by a facilitator."""
    page = course_with_lessons(title, modules=1, lessons=1)
    module = modules_of(page)[0]
    written = assessment(
        module, "Reflect on a partnership", due_offset_days=60, min_words=20, max_files=2
    )
    checked = quiz(module, "Check your understanding", questions=2, due_offset_days=60)
    runner = facilitator(email=f"facilitator.{page.pk}@example.org", display_name="Femi Adeyemi")
    cohort = CohortFactory(course=page, name="Spring cohort", facilitators=[runner])
    return Course(page=page, cohort=cohort, written=written, quiz=checked)


def learner_on(course: Course, name: str) -> Enrolment:
    slug = name.lower().replace(" ", ".")
    user = UserFactory(email=f"{slug}@example.org", display_name=name)
    return EnrolmentFactory(user=user, cohort=course.cohort)


def test_assessment_pages_have_no_axe_violations(academy_site, browser):
    base = academy_site.url
    course = course_to_assess("Assessing partnership work")
    cohort = course.cohort
    reviewed = peer_review_assessment(course.page, due_offset_days=60)
    newcomer = learner_on(course, "Amara Okafor")
    waiting = learner_on(course, "Bilal Hussain")
    resubmitting = learner_on(course, "Chloe Evans")
    runner = cohort.facilitators.get()

    handed = submission(waiting, course.written, text=ANSWER)
    result_refreshed(waiting, course.written)
    marked = submission(resubmitting, course.written, text=ANSWER)
    mark(marked, outcome="resubmit", marker=runner, comments="Say what the evidence shows.")
    # Peer review: Bilal's plan is handed to Amara to review; Amara has handed in her own.
    plan = handed_in(waiting, reviewed)
    handed_in(newcomer, reviewed)
    review = handed_to(plan, newcomer)

    context = browser.new_context()
    tab = context.new_page()

    # Before handing in: the instructions, the rubric and the form.
    sign_in(tab, base, newcomer.user.email, PASSWORD)
    visit(tab, assessment_path(cohort, course.written), base)
    assert heading(tab) == "Reflect on a partnership"
    assert status_in(tab.locator("main")) == "Not started"
    assert tab.get_by_role("button", name="Hand in your work").is_visible()
    assert_no_axe_violations(tab)

    # A refused form: the error summary above it.
    tab.get_by_role("button", name="Hand in your work").click()
    tab.wait_for_load_state()
    assert "Write your answer" in tab.locator(".govuk-error-summary").inner_text()
    assert_no_axe_violations(tab)

    # The quiz, and an attempt with one question right and one wrong.
    visit(tab, assessment_path(cohort, course.quiz), base)
    assert tab.get_by_role("heading", name="Attempt 1 of 3").is_visible()
    assert_no_axe_violations(tab)
    answer_quiz(tab, course.quiz, right={1})
    assert heading(tab) == "Attempt 1: not passed"
    assert tab.locator("main .govuk-tag", has_text="Not right").count() == 1
    assert_no_axe_violations(tab)

    # The peer review form, and the peer review's assessment page with reviews to give.
    visit(tab, reverse("peer_review", args=[cohort.pk, reviewed.pk, review.pk]), base)
    assert heading(tab) == "Review a piece of work"
    assert tab.get_by_role("button", name="Send your review").is_visible()
    assert_no_axe_violations(tab)
    visit(tab, assessment_path(cohort, reviewed), base)
    assert heading(tab) == reviewed.title
    assert "You have sent 0 of 2 reviews." in said(tab)
    assert tab.get_by_role("link", name="Continue your review").is_visible()
    assert_no_axe_violations(tab)
    sign_out(tab)

    # After handing in: waiting for feedback.
    sign_in(tab, base, waiting.user.email, PASSWORD)
    visit(tab, assessment_path(cohort, course.written), base)
    assert status_in(tab.locator("main dl").first) == "Waiting for feedback"
    assert "You will see the feedback here once it has been marked" in said(tab)
    assert tab.get_by_role("button", name=re.compile("^Hand in")).count() == 0
    assert_no_axe_violations(tab)
    sign_out(tab)

    # With feedback released: the mark, and the form for the next version.
    sign_in(tab, base, resubmitting.user.email, PASSWORD)
    visit(tab, assessment_path(cohort, course.written), base)
    assert status_in(tab.locator("main dl").first) == "Resubmit"
    assert tab.get_by_role("heading", name="Feedback on version 1").is_visible()
    assert "Say what the evidence shows." in said(tab)
    assert tab.get_by_role("button", name="Hand in version 2").is_visible()
    assert_no_axe_violations(tab)
    sign_out(tab)

    # The people who run the cohort: the queue, the marking form, the due dates.
    sign_in(tab, base, runner.email, PASSWORD)
    visit(tab, reverse("facilitate_marking", args=[cohort.pk]), base)
    assert heading(tab) == "Marking"
    queue = tab.locator("main table", has_text="Waiting for marking")
    assert queue.locator("tbody tr").count() == 3  # Bilal's assignment, both peer-review plans
    assert_no_axe_violations(tab)

    visit(tab, reverse("facilitate_mark", args=[cohort.pk, handed.pk]), base)
    assert heading(tab) == "Bilal Hussain, first submission"
    assert tab.get_by_role("button", name="Save and release").is_visible()
    assert_no_axe_violations(tab)

    visit(tab, reverse("facilitate_mark", args=[cohort.pk, plan.pk]), base)
    assert tab.get_by_role("heading", name="Peer reviews").is_visible()
    assert_no_axe_violations(tab)

    visit(tab, reverse("facilitate_due_dates", args=[cohort.pk]), base)
    rows = tab.locator("#due-dates tbody th").all_inner_texts()
    assert rows == [course.written.title, course.quiz.title, reviewed.title]
    assert_no_axe_violations(tab)

    # The quiz as the people who run the cohort preview it, with its right answers.
    visit(tab, assessment_path(cohort, course.quiz), base)
    assert tab.locator("main .govuk-tag", has_text="Right answer").count() == 2
    assert_no_axe_violations(tab)
    context.close()


def test_hand_in_take_the_quiz_be_marked_resubmit_and_complete_without_javascript(
    academy_site, browser, tmp_path
):
    base = academy_site.url
    course = course_to_assess("Leading a shared budget")
    cohort = course.cohort
    [lesson] = lessons_of(course.page)
    learner = learner_on(course, "Nadia Rahman")
    runner = cohort.facilitators.get()
    work_file = tmp_path / "partnership-plan.pdf"
    work_file.write_bytes(pdf())

    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    sign_in(tab, base, learner.user.email, PASSWORD)

    # The lesson.
    visit(tab, "/learning/", base)
    # The course's own card (a completed course also has its certificate's card).
    card = tab.locator(
        "main section[aria-labelledby^=current-]", has_text="Leading a shared budget"
    )
    assert "0 of 3 required lessons and assessments complete (0%)" in card.inner_text()
    card.get_by_role("link", name=f"Continue: {lesson.title}").click()
    tab.wait_for_load_state()
    tab.get_by_role("button", name="Mark as complete").click()
    tab.wait_for_load_state()
    assert "Lesson marked as complete" in banner(tab)

    # The assignment, opened from the cohort home: text and a PDF handed in.
    visit(tab, reverse("cohort_home", args=[cohort.pk]), base)
    assessments = tab.locator("main table", has_text="Assessments of")
    row = assessments.locator("tr", has_text="Reflect on a partnership")
    assert row.locator(".govuk-tag").inner_text().strip() == "Not started"
    row.get_by_role("link", name="Reflect on a partnership").click()
    tab.wait_for_load_state()
    assert heading(tab) == "Reflect on a partnership"
    assert_no_axe_violations_without_scripts(browser, context, tab.url)
    tab.get_by_label("Your answer").fill(ANSWER)
    tab.get_by_label("Attach files").set_input_files(str(work_file))
    tab.get_by_role("button", name="Hand in your work").click()
    tab.wait_for_load_state()
    assert tab.url == base + assessment_path(cohort, course.written)
    assert "Version 1 handed in" in banner(tab)
    assert status_in(tab.locator("main dl").first) == "Waiting for feedback"
    assert tab.get_by_role("link", name="partnership-plan.pdf").is_visible()
    [first] = Submission.objects.filter(enrolment=learner)
    assert first.files.get().content_type == "application/pdf"

    # The quiz, answered rightly.
    visit(tab, reverse("cohort_home", args=[cohort.pk]), base)
    tab.locator("main table", has_text="Assessments of").get_by_role(
        "link", name="Check your understanding"
    ).click()
    tab.wait_for_load_state()
    assert tab.get_by_role("heading", name="Attempt 1 of 3").is_visible()
    answer_quiz(tab, course.quiz)
    assert "Attempt 1 has been marked" in banner(tab)
    assert heading(tab) == "Attempt 1: passed"
    assert "2 of 2 questions right (100%)" in said(tab)
    assert tab.locator("main .govuk-tag", has_text=re.compile(r"^Right$")).count() == 2
    assert_no_axe_violations_without_scripts(browser, context, tab.url)
    sign_out(tab)

    # The facilitator marks the assignment: a resubmission, released.
    desk_context = browser.new_context(java_script_enabled=False)
    desk = desk_context.new_page()
    sign_in(desk, base, runner.email, PASSWORD)
    visit(desk, reverse("facilitate_cohort", args=[cohort.pk]), base)
    desk.get_by_role("link", name="Mark work", exact=True).click()
    desk.wait_for_load_state()
    assert heading(desk) == "Marking"
    assert "1 waiting for marking" in said(desk)
    desk.get_by_role("link", name="Mark the oldest waiting work").click()
    desk.wait_for_load_state()
    assert heading(desk) == "Nadia Rahman, first submission"
    assert desk.get_by_role("link", name="partnership-plan.pdf").is_visible()
    desk.get_by_label("Explains why (2 points)").check()
    desk.get_by_label("No evidence (0 points)").check()
    desk.get_by_label("Partners named (2 points)").check()
    desk.get_by_label("Comments for the learner").fill(
        "A clear account of the pooled budget. Weigh the evidence from the wards."
    )
    desk.get_by_label("Resubmit", exact=True).check()
    assert_no_axe_violations_without_scripts(browser, desk_context, desk.url)
    desk.get_by_role("button", name="Save and release").click()
    desk.wait_for_load_state()
    assert (
        "Your mark on Nadia Rahman's Reflect on a partnership (resubmit, 4 of 12) has been "
        "released to the learner" in banner(desk)
    )
    assert "0 waiting for marking" in said(desk)

    # The learner reads the feedback and hands in version 2.
    sign_in(tab, base, learner.user.email, PASSWORD)
    visit(tab, assessment_path(cohort, course.written), base)
    main = tab.locator("main")
    assert status_in(main.locator("dl").first) == "Resubmit"
    assert tab.get_by_role("heading", name="Feedback on version 1").is_visible()
    assert "Weigh the evidence from the wards." in said(tab)
    assert "4 of 12 points" in said(tab)
    assert tab.get_by_role("heading", name="Hand in version 2").is_visible()
    answer = tab.get_by_label("Your answer")
    assert answer.input_value() == ANSWER
    assert_no_axe_violations_without_scripts(browser, context, tab.url)
    answer.fill(REWRITTEN)
    tab.get_by_role("button", name="Hand in version 2").click()
    tab.wait_for_load_state()
    assert "Version 2 handed in" in banner(tab)
    assert status_in(tab.locator("main dl").first) == "Waiting for feedback"
    earlier = tab.locator("main details", has_text="Version 1: Resubmit")
    assert earlier.count() == 1

    # The facilitator passes version 2 and releases the mark.
    visit(desk, reverse("facilitate_marking", args=[cohort.pk]), base)
    assert "1 waiting for marking" in said(desk)
    desk.get_by_role("link", name="Mark the oldest waiting work").click()
    desk.wait_for_load_state()
    assert heading(desk) == "Nadia Rahman, resubmission 1"
    assert desk.get_by_role("heading", name="Earlier versions").is_visible()
    desk.get_by_label("Draws lessons (4 points)").check()
    desk.get_by_label("Evidence weighed (4 points)").check()
    desk.get_by_label("Partners' view taken (4 points)").check()
    desk.get_by_label("Comments for the learner").fill("The evidence now carries the argument.")
    desk.get_by_label("Pass", exact=True).check()
    desk.get_by_role("button", name="Save and release").click()
    desk.wait_for_load_state()
    assert "(pass, 12 of 12) has been released to the learner" in banner(desk)
    desk_context.close()

    # The learner sees the pass, and the course complete.
    visit(tab, assessment_path(cohort, course.written), base)
    assert status_in(tab.locator("main dl").first) == "Passed"
    assert tab.get_by_role("heading", name="Feedback on version 2").is_visible()
    assert tab.get_by_role("button", name=re.compile("^Hand in")).count() == 0
    visit(tab, "/learning/", base)
    # The course's own card (a completed course also has its certificate's card).
    card = tab.locator(
        "main section[aria-labelledby^=current-]", has_text="Leading a shared budget"
    )
    text = card.inner_text()
    assert "3 of 3 required lessons and assessments complete (100%)" in text
    assert card.locator(".govuk-tag", has_text="Completed").count() == 1
    assert_no_axe_violations_without_scripts(browser, context, tab.url)
    learner.refresh_from_db()
    assert learner.status == Enrolment.Status.COMPLETED
    context.close()
