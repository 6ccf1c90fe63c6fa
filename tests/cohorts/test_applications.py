"""The applications queue: applications then the waiting list, and the decisions taken on it,
many at once, with the reason for any refusal on the form and nothing changed."""

from django.core import mail
from django.utils import timezone

import pytest

from cohorts.models import Enrolment

from ..factories import UserFactory
from .factories import CohortFactory, EnrolmentFactory
from .helpers import html_of

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def applied_cohort(course_page, runner):
    return CohortFactory(
        course=course_page,
        name="Autumn 2027",
        upcoming=True,
        by_application=True,
        facilitators=[runner],
        capacity=3,
    )


def apply(cohort, name, answer="I want to join up hospital discharge."):
    return EnrolmentFactory(
        cohort=cohort,
        status=Status.APPLIED,
        application_answer=answer,
        user=UserFactory(display_name=name),
        activated_at=None,
    )


def decide(client, cohort, ids, decision, message=""):
    return client.post(
        f"/facilitate/cohorts/{cohort.pk}/applications/",
        {"enrolments": ids, "decision": decision, "message": message},
    )


def test_the_queue_lists_applications_then_the_waiting_list(runner_client, applied_cohort):
    apply(applied_cohort, "Priya Shah", answer="Joining up early help with schools.")
    EnrolmentFactory(
        cohort=applied_cohort,
        status=Status.WAITLISTED,
        user=UserFactory(display_name="Wendy Wait"),
        waitlisted_at=timezone.now(),
    )
    response = runner_client.get(f"/facilitate/cohorts/{applied_cohort.pk}/applications/")
    html = html_of(response)
    assert html.count(applied_cohort.application_question) == 1
    assert html.index("Priya Shah") < html.index("Waiting list") < html.index("Wendy Wait")
    assert "Joining up early help with schools." in html
    assert "3 places left of 3" in html
    assert 'value="approve"' in html and 'value="decline"' in html
    assert html.count('type="checkbox"') == 2


def test_approving_one_application(
    runner_client, runner, applied_cohort, django_capture_on_commit_callbacks
):
    priya = apply(applied_cohort, "Priya Shah")
    other = apply(applied_cohort, "Sam Stay")
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(runner_client, applied_cohort, [priya.pk], "approve", "Welcome aboard.")
    assert response.status_code == 302
    assert response["Location"] == f"/facilitate/cohorts/{applied_cohort.pk}/applications/"
    priya.refresh_from_db()
    other.refresh_from_db()
    assert priya.status == Status.ACTIVE
    assert priya.decided_by == runner
    assert priya.decision_message == "Welcome aboard."
    assert other.status == Status.APPLIED
    assert [m.to for m in mail.outbox] == [[priya.user.email]]
    assert "You have a place" in mail.outbox[0].subject
    assert "1 approved" in html_of(runner_client.get(response["Location"]))


def test_approving_two_when_one_place_is_left_waitlists_the_second(
    runner_client, applied_cohort, django_capture_on_commit_callbacks
):
    EnrolmentFactory.create_batch(2, cohort=applied_cohort)  # 2 of 3 places taken
    first = apply(applied_cohort, "First Applicant")
    second = apply(applied_cohort, "Second Applicant")
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(runner_client, applied_cohort, [first.pk, second.pk], "approve")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.ACTIVE
    assert second.status == Status.WAITLISTED
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])
    html = html_of(runner_client.get(response["Location"]))
    assert "1 approved; 1 put on the waiting list because the cohort is full" in html


def test_declining_many_with_a_message(
    runner_client, applied_cohort, django_capture_on_commit_callbacks
):
    people = [apply(applied_cohort, f"Applicant {n}") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            runner_client, applied_cohort, [p.pk for p in people], "decline", "Full this time."
        )
    assert response.status_code == 302
    assert set(Enrolment.objects.values_list("status", flat=True)) == {Status.DECLINED}
    assert set(Enrolment.objects.values_list("decision_message", flat=True)) == {"Full this time."}
    assert len(mail.outbox) == 3
    assert "3 declined" in html_of(runner_client.get(response["Location"]))


def test_declining_someone_on_the_waiting_list(runner_client, applied_cohort):
    waiting = EnrolmentFactory(
        cohort=applied_cohort, status=Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    response = decide(runner_client, applied_cohort, [waiting.pk], "decline")
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.DECLINED


def test_approving_someone_on_the_waiting_list_is_refused(runner_client, applied_cohort):
    waiting = EnrolmentFactory(
        cohort=applied_cohort, status=Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    response = decide(runner_client, applied_cohort, [waiting.pk], "approve")
    assert response.status_code == 400
    assert "offered a place automatically" in html_of(response)
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED


def test_deciding_nothing_is_an_error(runner_client, applied_cohort):
    priya = apply(applied_cohort, "Priya Shah")
    response = decide(runner_client, applied_cohort, [], "approve")
    assert response.status_code == 400
    html = html_of(response)
    assert "Select at least one application" in html
    assert 'href="#id_enrolments_0"' in html
    assert "<title>Error:" in html
    priya.refresh_from_db()
    assert priya.status == Status.APPLIED


@pytest.mark.parametrize(
    "ids", [["abc"], ["1.5"], ["-1"], ["99999999999999999999999"], ["'; DROP TABLE"]]
)
def test_junk_ids_are_a_400_and_change_nothing(runner_client, applied_cohort, ids):
    priya = apply(applied_cohort, "Priya Shah")
    response = decide(runner_client, applied_cohort, [priya.pk, *ids], "approve")
    assert response.status_code == 400
    assert "no longer waiting for a decision" in html_of(response)
    priya.refresh_from_db()
    assert priya.status == Status.APPLIED


def test_a_missing_or_unknown_decision_is_a_400(runner_client, applied_cohort):
    priya = apply(applied_cohort, "Priya Shah")
    for decision in ["", "maybe"]:
        response = decide(runner_client, applied_cohort, [priya.pk], decision)
        assert response.status_code == 400
        assert "Choose whether to approve or decline" in html_of(response)
    priya.refresh_from_db()
    assert priya.status == Status.APPLIED


def test_an_application_of_another_cohort_cannot_be_decided(runner_client, applied_cohort):
    elsewhere = apply(CohortFactory(course=applied_cohort.course, upcoming=True), "Not here")
    response = decide(runner_client, applied_cohort, [elsewhere.pk], "approve")
    assert response.status_code == 400
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.APPLIED


def test_a_rule_broken_in_the_service_becomes_a_form_error(runner_client, course_page, runner):
    finished = CohortFactory(
        course=course_page, finished=True, by_application=True, facilitators=[runner]
    )
    priya = apply(finished, "Priya Shah")
    response = decide(runner_client, finished, [priya.pk], "approve")
    assert response.status_code == 400
    assert "is finished" in html_of(response)
    priya.refresh_from_db()
    assert priya.status == Status.APPLIED


def test_the_queue_is_paged_with_both_counts_in_full(runner_client, applied_cohort):
    """60 applications and 3 on the waiting list: 50 a page, applications first; the headings
    count everyone, and a decision is taken on the page shown."""
    for n in range(60):
        apply(applied_cohort, f"Applicant {n:02d}")
    for n in range(3):
        EnrolmentFactory(
            cohort=applied_cohort,
            status=Status.WAITLISTED,
            user=UserFactory(display_name=f"Waiting {n}"),
            waitlisted_at=timezone.now(),
        )
    url = f"/facilitate/cohorts/{applied_cohort.pk}/applications/"

    first = html_of(runner_client.get(url))
    second = html_of(runner_client.get(f"{url}?page=2"))

    assert "Applications (60)" in first and "Applications (60)" in second
    assert "Waiting list (3)" in second
    assert first.count('name="enrolments"') == 50
    assert second.count('name="enrolments"') == 13
    assert "Applicant 49" in first and "Applicant 50" not in first
    assert "Applicant 50" in second and "Waiting 2" in second
    assert 'href="?page=2"' in first and 'aria-label="Pages of applications' in first

    later = Enrolment.objects.get(user__display_name="Applicant 55")
    refused = decide(runner_client, applied_cohort, [later.pk], "decline")  # not on page 1
    assert refused.status_code == 400
    assert "no longer waiting for a decision" in html_of(refused)
    later.refresh_from_db()
    assert later.status == Status.APPLIED

    response = runner_client.post(
        f"{url}?page=2", {"enrolments": [later.pk], "decision": "decline", "message": ""}
    )
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.status == Status.DECLINED
