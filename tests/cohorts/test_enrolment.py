"""Taking and giving up places: the rules of the services (open cohorts, applications, one
place per course, deciding applications, the waiting list) and the join and withdraw pages,
with what each form saves and the reason it gives when it refuses."""

from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

import pytest

from cohorts.models import Enrolment
from cohorts.services.enrolment import (
    applications_decide,
    cohort_places_changed,
    enrolment_request,
    enrolment_withdraw,
)

from ..factories import UserFactory
from .factories import CohortFactory, EnrolmentFactory, course_with_lessons, facilitator
from .helpers import login_url_for, messages_of

pytestmark = pytest.mark.django_db

FULL = "Full \N{EN DASH} waiting list open"

Status = Enrolment.Status


# --- Taking a place -------------------------------------------------------------------------------


def test_an_open_cohort_admits_while_places_are_left_then_waitlists(course_page, send_on_commit):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=2)
    first, second, third = UserFactory.create_batch(3)
    assert enrolment_request(user=first, cohort=cohort).status == Status.ACTIVE
    assert enrolment_request(user=second, cohort=cohort).status == Status.ACTIVE
    waiting = send_on_commit(enrolment_request, user=third, cohort=cohort)
    assert waiting.status == Status.WAITLISTED
    assert waiting.waitlisted_at is not None
    assert mail.outbox[-1].to == [third.email]
    assert "waiting list" in mail.outbox[-1].subject


def test_an_application_records_the_answer_and_waits_for_a_decision(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    learner = UserFactory()
    enrolment = enrolment_request(
        user=learner, cohort=cohort, answer="  Joining up hospital discharge.  "
    )
    assert enrolment.status == Status.APPLIED
    assert enrolment.application_answer == "Joining up hospital discharge."
    assert enrolment.course_id == course_page.pk


def test_an_application_needs_an_answer(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    with pytest.raises(ValidationError, match="Answer the question"):
        enrolment_request(user=UserFactory(), cohort=cohort, answer="   ")
    assert not Enrolment.objects.exists()


def test_applying_twice_is_refused(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    learner = UserFactory()
    enrolment_request(user=learner, cohort=cohort, answer="First")
    with pytest.raises(ValidationError, match="already asked for a place"):
        enrolment_request(user=learner, cohort=cohort, answer="Second")
    assert Enrolment.objects.get().application_answer == "First"


@pytest.mark.parametrize(
    ("traits", "message"),
    [
        ({"finished": True}, "has finished"),
        ({"cancelled": True, "upcoming": True}, "has been cancelled"),
        ({}, "has already started"),
    ],
)
def test_a_cohort_not_taking_learners_refuses_with_a_reason(course_page, traits, message):
    cohort = CohortFactory(course=course_page, **traits)
    with pytest.raises(ValidationError, match=message):
        enrolment_request(user=UserFactory(), cohort=cohort)
    assert not Enrolment.objects.exists()


def test_one_live_enrolment_per_course(course_page):
    spring = CohortFactory(course=course_page, upcoming=True, name="Spring 2027")
    summer = CohortFactory(course=course_page, upcoming=True, name="Summer 2027")
    learner = UserFactory()
    enrolment_request(user=learner, cohort=spring)
    with pytest.raises(ValidationError, match="Spring 2027"):
        enrolment_request(user=learner, cohort=summer)
    assert learner.enrolments.count() == 1


def test_a_declined_applicant_cannot_apply_again_to_the_same_cohort(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    enrolment = EnrolmentFactory(cohort=cohort, status=Status.DECLINED)
    with pytest.raises(ValidationError, match="not accepted"):
        enrolment_request(user=enrolment.user, cohort=cohort, answer="Again")


def test_someone_who_withdrew_may_take_a_place_again(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True)
    enrolment = EnrolmentFactory(cohort=cohort, status=Status.WITHDRAWN)
    again = enrolment_request(user=enrolment.user, cohort=cohort)
    assert again.pk == enrolment.pk
    assert again.status == Status.ACTIVE


# --- Withdrawing and the waiting list -------------------------------------------------------------


def test_withdrawing_gives_the_place_to_whoever_has_waited_longest(course_page, send_on_commit):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=1)
    holder, early, late = UserFactory.create_batch(3)
    place = enrolment_request(user=holder, cohort=cohort)
    enrolment_request(user=early, cohort=cohort)
    enrolment_request(user=late, cohort=cohort)
    mail.outbox.clear()

    send_on_commit(enrolment_withdraw, user=holder, enrolment=place)

    statuses = dict(cohort.enrolments.values_list("user__email", "status"))
    assert statuses == {
        holder.email: Status.WITHDRAWN,
        early.email: Status.ACTIVE,
        late.email: Status.WAITLISTED,
    }
    assert [message.to for message in mail.outbox] == [[early.email]]
    assert "You have a place" in mail.outbox[0].subject


def test_withdrawing_someone_elses_enrolment_is_refused(course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page, upcoming=True))
    with pytest.raises(ValidationError, match="your own"):
        enrolment_withdraw(user=UserFactory(), enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE


def test_withdrawing_twice_is_refused(course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page, upcoming=True))
    enrolment_withdraw(user=enrolment.user, enrolment=enrolment)
    with pytest.raises(ValidationError, match="nothing to withdraw"):
        enrolment_withdraw(user=enrolment.user, enrolment=enrolment)


def test_more_places_go_to_the_waiting_list_at_once(course_page, send_on_commit):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=1)
    holder, first, second, third = UserFactory.create_batch(4)
    for person in (holder, first, second, third):
        enrolment_request(user=person, cohort=cohort)
    mail.outbox.clear()
    cohort.capacity = 3
    cohort.save()

    admitted = send_on_commit(cohort_places_changed, cohort=cohort)

    assert [e.user for e in admitted] == [first, second]
    assert cohort.enrolments.get(user=third).status == Status.WAITLISTED
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])


# --- Deciding applications ------------------------------------------------------------------------


def _applications(cohort, count):
    return [
        enrolment_request(user=UserFactory(), cohort=cohort, answer=f"Answer {n}")
        for n in range(count)
    ]


def test_approving_more_than_the_places_left_admits_the_earliest_and_waitlists_the_rest(
    course_page, send_on_commit
):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True, capacity=1)
    lead = facilitator()
    first, second = _applications(cohort, 2)
    mail.outbox.clear()

    result = send_on_commit(
        applications_decide,
        cohort=cohort,
        enrolment_ids=[second.pk, first.pk],
        approve=True,
        decided_by=lead,
        message="Welcome aboard.",
    )

    assert [e.pk for e in result.admitted] == [first.pk]
    assert [e.pk for e in result.waitlisted] == [second.pk]
    first.refresh_from_db()
    assert (first.status, first.decided_by, first.decision_message) == (
        Status.ACTIVE,
        lead,
        "Welcome aboard.",
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])
    assert all("Welcome aboard." in m.body for m in mail.outbox)


def test_declining_many_at_once(course_page, send_on_commit):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    applications = _applications(cohort, 3)
    mail.outbox.clear()
    result = send_on_commit(
        applications_decide,
        cohort=cohort,
        enrolment_ids=[a.pk for a in applications],
        approve=False,
        decided_by=facilitator(),
    )
    assert len(result.declined) == 3
    assert set(cohort.enrolments.values_list("status", flat=True)) == {Status.DECLINED}
    assert len(mail.outbox) == 3


def test_a_decision_that_includes_an_already_decided_id_changes_nothing(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    pending, decided = _applications(cohort, 2)
    applications_decide(
        cohort=cohort, enrolment_ids=[decided.pk], approve=False, decided_by=facilitator()
    )
    with pytest.raises(ValidationError, match="Nothing was changed"):
        applications_decide(
            cohort=cohort,
            enrolment_ids=[pending.pk, decided.pk],
            approve=True,
            decided_by=facilitator(),
        )
    pending.refresh_from_db()
    assert pending.status == Status.APPLIED


def test_an_application_to_another_cohort_cannot_be_decided_here(course_page):
    here = CohortFactory(course=course_page, upcoming=True, by_application=True)
    there = CohortFactory(course=course_with_lessons("Other"), upcoming=True, by_application=True)
    (elsewhere,) = _applications(there, 1)
    with pytest.raises(ValidationError):
        applications_decide(
            cohort=here, enrolment_ids=[elsewhere.pk], approve=True, decided_by=facilitator()
        )
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.APPLIED


def test_deciding_nothing_is_refused(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    with pytest.raises(ValidationError, match="Select at least one"):
        applications_decide(cohort=cohort, enrolment_ids=[], approve=True, decided_by=facilitator())


# --- The join page --------------------------------------------------------------------------------


def join_url(cohort) -> str:
    return reverse("cohort_join", args=[cohort.pk])


def test_joining_asks_anonymous_visitors_to_sign_in(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True)

    response = client.get(join_url(cohort))

    assert response.status_code == 302
    assert response["Location"] == login_url_for(join_url(cohort))


def test_taking_a_place_on_an_open_cohort(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=3)
    EnrolmentFactory(cohort=cohort)
    user = UserFactory()
    client.force_login(user)

    page = client.get(join_url(cohort)).content.decode()
    assert "2 places left" in page and "Take a place" in page

    response = client.post(join_url(cohort))

    assert response.status_code == 302
    assert response["Location"] == reverse("my_learning")
    assert Enrolment.objects.get(user=user).status == Status.ACTIVE
    assert messages_of(response)[0].startswith(f"You have a place on {cohort.name}")


def test_a_full_cohort_offers_the_waiting_list(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=1)
    EnrolmentFactory(cohort=cohort)
    user = UserFactory()
    client.force_login(user)

    page = client.get(join_url(cohort)).content.decode()
    assert FULL in page and "Join the waiting list" in page

    response = client.post(join_url(cohort))

    assert response.status_code == 302
    assert Enrolment.objects.get(user=user).status == Status.WAITLISTED
    assert "waiting list" in messages_of(response)[0]


def test_applying_to_a_cohort_by_application(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    user = UserFactory()
    client.force_login(user)

    page = client.get(join_url(cohort)).content.decode()
    assert "What would you like to change in your place?" in page
    assert "<textarea" in page

    response = client.post(join_url(cohort), {"answer": "Join up our hospital discharges."})

    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=user)
    assert enrolment.status == Status.APPLIED
    assert enrolment.application_answer == "Join up our hospital discharges."
    assert messages_of(response)[0].startswith(f"Your application to {cohort.name}")


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ("", "Answer the question to apply"),
        ("   ", "Answer the question to apply"),
        ("x" * 3001, "Your answer must be 3,000 characters or fewer"),
    ],
)
def test_an_application_needs_an_answer_of_reasonable_length(client, course_page, answer, error):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    client.force_login(UserFactory())

    response = client.post(join_url(cohort), {"answer": answer})

    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert "<title>Error:" in html
    assert not Enrolment.objects.exists()


def test_asking_twice_for_a_place_is_refused(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True)
    user = UserFactory()
    client.force_login(user)
    client.post(join_url(cohort))

    response = client.post(join_url(cohort))

    assert response.status_code == 400
    assert f"You have already asked for a place on {cohort.name}" in response.content.decode()
    assert Enrolment.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cancelled": True, "upcoming": True}, "has been cancelled"),
        ({"finished": True}, "has finished"),
        ({}, "has already started"),
    ],
)
def test_a_cohort_that_is_not_taking_learners_says_so(client, course_page, fields, message):
    cohort = CohortFactory(course=course_page, **fields)
    client.force_login(UserFactory())

    response = client.get(join_url(cohort))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<form" not in html.split('id="main-content"')[1]

    response = client.post(join_url(cohort))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Enrolment.objects.exists()


def test_joining_an_unknown_cohort_is_not_found(client):
    client.force_login(UserFactory())

    assert client.get(reverse("cohort_join", args=[999999])).status_code == 404
    assert client.post(reverse("cohort_join", args=[999999])).status_code == 404


# --- The withdraw page ----------------------------------------------------------------------------


def withdraw_url(cohort) -> str:
    return reverse("cohort_withdraw", args=[cohort.pk])


def test_withdrawing_asks_for_confirmation(client, learner, cohort):
    client.force_login(learner)

    response = client.get(withdraw_url(cohort))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Are you sure you want to withdraw from {cohort.name}?" in html
    assert "next person on the waiting list" in html


def test_nobody_can_withdraw_someone_elses_place(client, learner, cohort):
    client.force_login(UserFactory())

    assert client.get(withdraw_url(cohort)).status_code == 404
    assert client.post(withdraw_url(cohort)).status_code == 404
    assert Enrolment.objects.get(user=learner).status == Status.ACTIVE


def test_withdrawing_gives_the_place_to_the_waiting_list(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=1, name="Spring 2027")
    leaving = EnrolmentFactory(cohort=cohort)
    waiting = EnrolmentFactory(
        cohort=cohort, status=Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    client.force_login(leaving.user)

    response = client.post(withdraw_url(cohort))

    assert response.status_code == 302
    assert response["Location"] == reverse("my_learning")
    assert messages_of(response) == ["You have given up your place on Spring 2027"]
    leaving.refresh_from_db()
    waiting.refresh_from_db()
    assert leaving.status == Status.WITHDRAWN
    assert waiting.status == Status.ACTIVE
    client.force_login(waiting.user)
    html = client.get(reverse("my_learning")).content.decode()
    assert "Courses starting soon" in html and "Spring 2027" in html
    assert "Applications and waiting lists" not in html


def test_withdrawing_from_a_finished_cohort_is_refused(client, course_page):
    cohort = CohortFactory(course=course_page, finished=True)
    enrolment = EnrolmentFactory(cohort=cohort)
    client.force_login(enrolment.user)

    response = client.post(withdraw_url(cohort))

    assert response.status_code == 302
    assert messages_of(response) == [f"{cohort.name} has finished"]
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE


def test_a_withdrawn_place_cannot_be_withdrawn_again(client, learner, cohort):
    Enrolment.objects.filter(user=learner).update(status=Status.WITHDRAWN)
    client.force_login(learner)

    assert client.get(withdraw_url(cohort)).status_code == 404
