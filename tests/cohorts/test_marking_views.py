"""The marking pages of a cohort (/facilitate/cohorts/<id>/marking/…): the queue with its
filters, pages and counts, the marking form beside the work, releasing held marks, anonymous
marking, and who may use them."""

import re
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from academy.roles import PROGRAMME_MANAGERS
from cohorts.models import Enrolment, Mark, PeerReview, Submission, SubmissionFile
from cohorts.rubrics import criteria_of
from cohorts.selectors.marking import pseudonym
from cohorts.services.marking import mark_save
from courses.models import AssessmentPage

from ..factories import UserFactory
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    SubmissionFactory,
    facilitator,
    written_assessment,
)
from .helpers import html_of, messages_of

pytestmark = pytest.mark.django_db
User = get_user_model()
Status = Submission.Status


@pytest.fixture
def cohort(course_page, runner):
    return CohortFactory(course=course_page, name="Spring 2027", facilitators=[runner])


@pytest.fixture
def assessment(course_page):
    return written_assessment(course_page, "Reflect on a partnership")


def learner_on(cohort, name: str) -> Enrolment:
    return EnrolmentFactory(cohort=cohort, user=UserFactory(display_name=name))


def hand_in(enrolment, assessment, *, hours_ago: int = 1, **fields) -> Submission:
    return SubmissionFactory(
        enrolment=enrolment,
        assessment=assessment,
        submitted_at=timezone.now() - timedelta(hours=hours_ago),
        **fields,
    )


def queue_url(cohort, **params) -> str:
    url = reverse("facilitate_marking", args=[cohort.pk])
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{url}?{query}" if query else url


def mark_url(cohort, work) -> str:
    return reverse("facilitate_mark", args=[cohort.pk, work.pk])


def level_ids(rubric, *points: int) -> dict[str, str]:
    return {
        criterion["id"]: next(lv["id"] for lv in criterion["levels"] if lv["points"] == wanted)
        for criterion, wanted in zip(criteria_of(rubric), points, strict=True)
    }


def mark_post(rubric, *points, outcome="pass", comments="", action="release") -> dict:
    data = {f"criterion-{key}": value for key, value in level_ids(rubric, *points).items()}
    return {**data, "outcome": outcome, "comments": comments, "action": action}


def rows_of(html: str) -> list[str]:
    """The learner of each row of the queue, in order."""
    if '<tbody class="govuk-table__body">' not in html:
        return []
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)', body)


# --- The queue --------------------------------------------------------------------------------


def test_the_queue_lists_waiting_work_oldest_first(runner_client, cohort, assessment):
    hand_in(learner_on(cohort, "Newer Nadia"), assessment, hours_ago=1)
    hand_in(learner_on(cohort, "Older Omar"), assessment, hours_ago=5, late=True)
    marked = hand_in(learner_on(cohort, "Marked Mia"), assessment, hours_ago=9)
    marked.status = Status.PASSED
    marked.save()
    response = runner_client.get(queue_url(cohort))
    assert response.status_code == 200
    html = html_of(response)
    assert rows_of(html) == ["Older Omar", "Newer Nadia"]
    assert html.count('<strong class="govuk-tag govuk-tag--red">Late</strong>') == 1
    assert "First submission" in html
    assert re.search(r'academy-figure">2</span> waiting for marking', html)
    assert f'href="{mark_url(cohort, marked)}"' not in html


def test_only_the_newest_version_of_each_learners_work_is_listed(runner_client, cohort, assessment):
    enrolment = learner_on(cohort, "Resubmitting Rui")
    first = hand_in(enrolment, assessment, hours_ago=50, status=Status.RESUBMIT)
    second = hand_in(enrolment, assessment, hours_ago=2, version=2)
    html = html_of(runner_client.get(queue_url(cohort)))
    assert f'href="{mark_url(cohort, second)}"' in html
    assert f'href="{mark_url(cohort, first)}"' not in html
    assert "Resubmission 1" in html


def test_the_queue_filters_by_assessment_and_status(runner_client, cohort, course_page):
    first = written_assessment(course_page, "First reflection")
    second = written_assessment(course_page, "Second reflection")
    hand_in(learner_on(cohort, "Ana Waiting"), first)
    hand_in(learner_on(cohort, "Ben Second"), second)
    hand_in(learner_on(cohort, "Cat Held"), first, status=Status.HELD)
    hand_in(learner_on(cohort, "Dan Passed"), first, status=Status.PASSED)

    assert rows_of(html_of(runner_client.get(queue_url(cohort, assessment=first.pk)))) == [
        "Ana Waiting"
    ]
    held = html_of(runner_client.get(queue_url(cohort, status="held")))
    assert rows_of(held) == ["Cat Held"]
    everything = html_of(runner_client.get(queue_url(cohort, assessment=first.pk, status="all")))
    assert sorted(rows_of(everything)) == ["Ana Waiting", "Cat Held", "Dan Passed"]


def test_unknown_filters_are_shown_as_errors_and_left_out(runner_client, cohort, assessment):
    hand_in(learner_on(cohort, "Ana Waiting"), assessment)
    for query in (
        {"assessment": "999999", "status": "nonsense"},
        {"assessment": "abc", "status": "%00"},
        {"assessment": "1" * 40},
    ):
        response = runner_client.get(queue_url(cohort, **query))
        assert response.status_code == 400
        html = html_of(response)
        assert "There is a problem" in html
        assert "Choose an assessment from the list" in html
        assert rows_of(html) == ["Ana Waiting"]
    html = html_of(runner_client.get(queue_url(cohort, status="nonsense")))
    assert "Choose a status from the list" in html


def test_a_quiz_is_not_an_assessment_to_filter_by(runner_client, cohort, course_page):
    question = {
        "question": "Who holds the budget?",
        "multiple": False,
        "options": [
            {"type": "item", "id": str(uuid.uuid4()), "value": {"text": t, "correct": c}}
            for t, c in (("Everyone", True), ("Nobody", False))
        ],
    }
    quiz = written_assessment(
        course_page,
        "Check your understanding",
        kind="quiz",
        questions=[{"type": "question", "id": str(uuid.uuid4()), "value": question}],
    )
    response = runner_client.get(queue_url(cohort, assessment=quiz.pk))
    assert response.status_code == 400


def test_the_queue_is_paged_by_the_database(runner_client, cohort, assessment):
    for n in range(30):
        hand_in(learner_on(cohort, f"Learner {n:02d}"), assessment, hours_ago=100 - n)
    html = html_of(runner_client.get(queue_url(cohort)))
    assert rows_of(html) == [f"Learner {n:02d}" for n in range(25)]
    assert "Showing 1 to 25, page 1 of 2" in html
    assert 'href="?page=2#work"' in html
    second = html_of(runner_client.get(queue_url(cohort, page=2)))
    assert rows_of(second) == [f"Learner {n:02d}" for n in range(25, 30)]
    # A page past the end shows the last page, as the learner table does.
    assert rows_of(html_of(runner_client.get(queue_url(cohort, page=99)))) == rows_of(second)


def test_withdrawn_learners_work_is_not_in_the_queue(runner_client, cohort, assessment):
    hand_in(
        EnrolmentFactory(cohort=cohort, status=Enrolment.Status.WITHDRAWN),
        assessment,
    )
    assert rows_of(html_of(runner_client.get(queue_url(cohort)))) == []


def test_anonymous_marking_hides_names_until_the_mark_is_released(
    runner_client, runner, cohort, course_page
):
    anonymous = written_assessment(course_page, "Anonymous reflection", anonymous_marking=True)
    enrolment = learner_on(cohort, "Hidden Hana")
    work = hand_in(enrolment, anonymous)
    alias = pseudonym(enrolment.pk, anonymous.pk)
    assert re.fullmatch(r"Learner [0-9A-F]{4}", alias)
    assert alias == pseudonym(enrolment.pk, anonymous.pk)

    queue = html_of(runner_client.get(queue_url(cohort)))
    form = html_of(runner_client.get(mark_url(cohort, work)))
    for html in (queue, form):
        assert "Hidden Hana" not in html
        assert alias in html

    mark_save(
        submission=work,
        by=runner,
        levels=level_ids(anonymous.rubric, 4, 4, 4),
        comments="",
        outcome="pass",
        release=False,
    )
    assert "Hidden Hana" not in html_of(runner_client.get(queue_url(cohort, status="held")))
    runner_client.post(reverse("facilitate_marks_release", args=[cohort.pk]))
    released = html_of(runner_client.get(queue_url(cohort, status="passed")))
    assert "Hidden Hana" in released
    assert "Hidden Hana" in html_of(runner_client.get(mark_url(cohort, work)))


def test_pseudonyms_differ_between_learners_and_assessments():
    assert pseudonym(1, 2) != pseudonym(2, 2)
    assert pseudonym(1, 2) != pseudonym(1, 3)


# --- Who may mark ----------------------------------------------------------------------------


@pytest.fixture
def work(cohort, assessment):
    return hand_in(learner_on(cohort, "Ana Learner"), assessment)


def test_another_cohorts_facilitator_gets_404_everywhere(client, cohort, assessment, work):
    client.force_login(facilitator())
    for url in (
        queue_url(cohort),
        mark_url(cohort, work),
        reverse("facilitate_due_dates", args=[cohort.pk]),
        reverse("facilitate_due_date", args=[cohort.pk, assessment.pk]),
    ):
        assert client.get(url).status_code == 404
    data = mark_post(assessment.rubric, 4, 4, 4)
    assert client.post(mark_url(cohort, work), data).status_code == 404
    release = reverse("facilitate_marks_release", args=[cohort.pk])
    assert client.post(release).status_code == 404
    assert not Mark.objects.exists()


def test_a_learner_gets_404(client, cohort, work):
    client.force_login(work.enrolment.user)
    assert client.get(queue_url(cohort)).status_code == 404
    assert client.get(mark_url(cohort, work)).status_code == 404


def test_a_programme_manager_may_mark_any_cohort(client, cohort, assessment, work):
    client.force_login(UserFactory(groups=[PROGRAMME_MANAGERS]))
    assert client.get(queue_url(cohort)).status_code == 200
    response = client.post(mark_url(cohort, work), mark_post(assessment.rubric, 4, 4, 4))
    assert response.status_code == 302
    assert Mark.objects.get().outcome == "pass"


def test_work_from_another_cohort_is_404_on_this_cohorts_form(
    runner_client, cohort, course_page, assessment
):
    elsewhere = hand_in(EnrolmentFactory(cohort=CohortFactory(course=course_page)), assessment)
    assert runner_client.get(mark_url(cohort, elsewhere)).status_code == 404
    assert runner_client.get(mark_url(cohort, Submission(pk=2**31 - 1))).status_code == 404


# --- The marking form ------------------------------------------------------------------------


def test_the_form_shows_the_work_beside_the_rubric(runner_client, cohort, assessment, work):
    work.text = "We pooled <b>budgets</b>.\n\nThen we met & agreed."
    work.save()
    upload = SubmissionFile.objects.create(
        submission=work,
        file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"),
        name="Partnership plan.pdf",
        content_type="application/pdf",
        size=13,
    )
    response = runner_client.get(mark_url(cohort, work))
    assert response.status_code == 200
    html = html_of(response)
    assert "<p>We pooled &lt;b&gt;budgets&lt;/b&gt;.</p>" in html
    assert "<p>Then we met &amp; agreed.</p>" in html
    file_url = reverse("submission_file", args=[cohort.pk, assessment.pk, upload.pk])
    assert f'href="{file_url}"' in html
    assert "Partnership plan.pdf" in html
    for criterion in criteria_of(assessment.rubric):
        legend = '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">'
        assert f"{legend}{criterion['name']}</legend>" in html
    assert "Draws lessons (4 points)" in html
    assert 'name="action" value="release">Save and release' in html
    assert 'name="action" value="hold">Save and hold' in html


def test_saving_and_releasing_goes_back_to_the_queue(runner_client, cohort, assessment, work):
    data = mark_post(assessment.rubric, 4, 2, 2, comments="Clear lessons.")
    response = runner_client.post(mark_url(cohort, work), data)
    assert response.status_code == 302
    assert response["Location"] == f"{queue_url(cohort)}?assessment={assessment.pk}"
    assert messages_of(response) == [
        "Your mark on Ana Learner's Reflect on a partnership (pass, 8 of 12) has been released"
        " to the learner"
    ]
    work.refresh_from_db()
    assert work.status == Status.PASSED


def test_saving_and_holding_keeps_the_mark_from_the_learner(
    runner_client, cohort, assessment, work
):
    data = mark_post(assessment.rubric, 4, 4, 4, action="hold")
    response = runner_client.post(mark_url(cohort, work), data)
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.status == Status.HELD
    assert Mark.objects.get().released_at is None
    queue = html_of(runner_client.get(queue_url(cohort)))
    assert "Release 1 held mark</button>" in queue


def test_a_refused_mark_is_shown_again_with_the_choices_kept(
    runner_client, cohort, assessment, work
):
    data = mark_post(assessment.rubric, 0, 2, 2, outcome="pass", comments="Nearly there")
    response = runner_client.post(mark_url(cohort, work), data)
    assert response.status_code == 400
    html = html_of(response)
    assert "There is a problem" in html
    assert "The total, 4 of 12, is below the 6 points needed to pass" in html
    for level_id in level_ids(assessment.rubric, 0, 2, 2).values():
        assert re.search(rf'value="{level_id}" checked', html)
    assert "Nearly there</textarea>" in html
    assert not Mark.objects.exists()


def test_a_form_with_nothing_chosen_names_every_missing_choice(
    runner_client, cohort, assessment, work
):
    response = runner_client.post(mark_url(cohort, work), {"action": "release"})
    assert response.status_code == 400
    html = html_of(response)
    for criterion in criteria_of(assessment.rubric):
        assert f"Choose a level for “{criterion['name']}”" in html
        assert f'href="#id_criterion-{criterion["id"]}_0"' in html
    assert "Choose whether the work passes or is resubmitted" in html


def test_a_post_without_a_button_or_with_made_up_levels_is_refused(
    runner_client, cohort, assessment, work
):
    data = mark_post(assessment.rubric, 4, 4, 4)
    del data["action"]
    assert runner_client.post(mark_url(cohort, work), data).status_code == 400
    forged = {
        key: "not-a-level" if key.startswith("criterion-") else value
        for key, value in mark_post(assessment.rubric, 4, 4, 4).items()
    }
    response = runner_client.post(mark_url(cohort, work), forged)
    assert response.status_code == 400
    assert "Choose one of the levels of" in html_of(response)
    assert not Mark.objects.exists()


def test_an_earlier_version_shows_its_marks_and_offers_the_newest(
    runner_client, runner, cohort, assessment
):
    enrolment = learner_on(cohort, "Rui Resubmits")
    first = hand_in(enrolment, assessment, hours_ago=40)
    mark_save(
        submission=first,
        by=runner,
        levels=level_ids(assessment.rubric, 0, 2, 2),
        comments="Add the evidence you gathered.",
        outcome="resubmit",
        release=True,
    )
    second = hand_in(enrolment, assessment, version=2)
    html = html_of(runner_client.get(mark_url(cohort, second)))
    assert "Earlier versions" in html
    assert "First submission, submitted" in html
    assert "Add the evidence you gathered." in html
    old = html_of(runner_client.get(mark_url(cohort, first)))
    assert "The learner has handed in a newer version" in old
    assert f'href="{mark_url(cohort, second)}"' in old
    assert 'value="release"' not in old


def test_peer_reviews_show_who_reviewed_whom(runner_client, cohort, course_page):
    peer = written_assessment(
        course_page, "Review each other", kind=AssessmentPage.Kind.PEER_REVIEW
    )
    author = learner_on(cohort, "Ana Author")
    reviewer = learner_on(cohort, "Rob Reviewer")
    work = hand_in(author, peer)
    theirs = hand_in(reviewer, peer)
    PeerReview.objects.create(
        submission=work,
        reviewer=reviewer,
        submitted_at=timezone.now(),
        total=8,
        comments="Strong on evidence.",
    )
    PeerReview.objects.create(submission=theirs, reviewer=author)
    html = html_of(runner_client.get(mark_url(cohort, work)))
    assert "<strong>Rob Reviewer</strong>, of the first submission: 8 of 12 points" in html
    assert "Strong on evidence." in html
    assert "Of <strong>Rob Reviewer</strong>'s first submission: not given yet" in html


# --- Releasing -------------------------------------------------------------------------------


def test_the_release_button_releases_the_held_marks(runner_client, runner, cohort, assessment):
    works = [hand_in(learner_on(cohort, f"Held {n}"), assessment) for n in range(3)]
    for work in works:
        mark_save(
            submission=work,
            by=runner,
            levels=level_ids(assessment.rubric, 4, 4, 4),
            comments="",
            outcome="pass",
            release=False,
        )
    release = reverse("facilitate_marks_release", args=[cohort.pk])
    assert runner_client.get(release).status_code == 405
    response = runner_client.post(release, {"assessment": assessment.pk})
    assert response.status_code == 302
    assert messages_of(response) == ["3 held marks released: learners can now see their feedback"]
    assert not Submission.objects.filter(status=Status.HELD).exists()
    again = runner_client.post(release)
    assert messages_of(again)[-1] == "There were no held marks to release"
    assert runner_client.post(release, {"assessment": "999999"}).status_code == 404


# --- Queries ---------------------------------------------------------------------------------


def grow(cohort, assessment, total: int) -> None:
    """Bring the cohort to ``total`` waiting submissions, every fourth one late and every
    tenth a resubmission. Bulk inserts keep it quick."""
    have = Submission.objects.filter(enrolment__cohort=cohort).count()
    new = range(have, total)
    people = User.objects.bulk_create(
        [User(email=f"learner{n}@example.org", display_name=f"Learner {n}") for n in new]
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(user=person, cohort=cohort, course=cohort.course, status="active")
            for person in people
        ]
    )
    now = timezone.now()
    Submission.objects.bulk_create(
        [
            Submission(
                enrolment=enrolment,
                assessment=assessment,
                version=2 if n % 10 == 0 else 1,
                submitted_at=now - timedelta(minutes=n),
                late=n % 4 == 0,
            )
            for n, enrolment in zip(new, enrolments, strict=True)
        ]
    )


@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_the_queue_makes_the_same_queries_for_10_and_500_submissions(
    runner_client, cohort, course_page, anonymous
):
    assessment = written_assessment(course_page, "Counted", anonymous_marking=anonymous)
    counts = {}
    for size in (10, 500):
        grow(cohort, assessment, size)
        runner_client.get(queue_url(cohort))  # warm: session, site and content-type caches
        with CaptureQueriesContext(connection) as queries:
            response = runner_client.get(queue_url(cohort, status="all"))
        assert response.status_code == 200
        counts[size] = len(queries)
    assert counts[10] == counts[500], counts


def test_the_form_makes_the_same_queries_for_1_and_20_earlier_versions(
    runner_client, runner, cohort, assessment
):
    enrolment = learner_on(cohort, "Many Versions")
    counts = {}
    version = 0
    for earlier in (1, 20):
        while version < earlier:
            version += 1
            old = hand_in(enrolment, assessment, hours_ago=100 - version, version=version)
            SubmissionFile.objects.create(
                submission=old,
                file=ContentFile(b"notes", name="notes.txt"),
                name=f"Notes {version}.txt",
                content_type="text/plain",
                size=5,
            )
            mark_save(
                submission=old,
                by=runner,
                levels=level_ids(assessment.rubric, 0, 0, 2),
                comments="Try again.",
                outcome="resubmit",
                release=True,
            )
        newest = hand_in(enrolment, assessment, version=version + 1)
        url = mark_url(cohort, newest)
        runner_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = runner_client.get(url)
        assert response.status_code == 200
        assert html_of(response).count("Try again.") == earlier
        counts[earlier] = len(queries)
        newest.delete()
    assert counts[1] == counts[20], counts
