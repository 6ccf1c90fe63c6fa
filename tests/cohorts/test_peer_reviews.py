"""Peer review in a cohort: asking for work to review (only after handing in one's own, one
piece at a time, never one's own, never more than the reviews asked for), sending a review
against the rubric, the result it counts towards, the review page (anonymous by default, 404
for a review not handed to you) and who reviewed whom for the facilitator. The hand-out's
order is tested in ``test_peer_review.py``; two learners asking at once, in
``tests/integration/test_peer_review_hand_out.py``."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

import pytest

from cohorts.models import AssessmentResult, PeerReview, SubmissionFile
from cohorts.peer_review import register_preference, unregister_preference
from cohorts.rubrics import criteria_of
from cohorts.selectors.assessments import cohort_assessment
from cohorts.selectors.peer_reviews import peer_reviews_of, reviews_to_give
from cohorts.services.assessment_results import result_refresh
from cohorts.services.peer_reviews import peer_review_assign, peer_review_submit

from ..courses.factories import peer_review_assessment, review_rubric
from ..factories import UserFactory
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    facilitator,
    handed_in,
    handed_to,
    released_pass,
)
from .helpers import html_of, messages_of

pytestmark = pytest.mark.django_db
COMMENTS = "The outcome is clear and every partner can see their part in it."
AN_HOUR_AGO = timedelta(hours=1)


@pytest.fixture
def assessment(course_page):
    return peer_review_assessment(course_page, reviews_required=2)


@pytest.fixture
def people(cohort):
    """Ana, Ben, Cai and Dee, with places on the cohort, in that order."""
    return [
        EnrolmentFactory(cohort=cohort, user=UserFactory(display_name=name))
        for name in ("Ana Ahmed", "Ben Brown", "Cai Clarke", "Dee Davies")
    ]


@pytest.fixture
def work(people, assessment):
    """Everyone's work, handed in an hour apart, Ana's first."""
    start = timezone.now() - 5 * AN_HOUR_AGO
    return [
        handed_in(person, assessment, when=start + n * AN_HOUR_AGO, text=f"Plan {n}: pool it.")
        for n, person in enumerate(people)
    ]


def assign(enrolment, assessment) -> PeerReview:
    return peer_review_assign(user=enrolment.user, cohort=enrolment.cohort, assessment=assessment)


def best_levels(rubric) -> dict[str, str]:
    return {c["id"]: c["levels"][-1]["id"] for c in criteria_of(rubric)}


def send(review: PeerReview, **changes) -> PeerReview:
    fields = {
        "levels": best_levels(review.submission.assessment.rubric),
        "comments": COMMENTS,
        **changes,
    }
    return peer_review_submit(user=review.reviewer.user, review_id=review.pk, **fields)


# --- Being handed work ----------------------------------------------------------------------


def test_a_learner_is_handed_the_oldest_work_of_another_with_fewest_reviews(
    people, work, assessment
):
    ana, _, cai, _ = people
    handed_to(work[1], cai)  # Ben's has a review already

    review = assign(ana, assessment)

    assert review.submission == work[2]  # Cai's: Ben's is older but has more reviews
    assert review.reviewer == ana and review.submitted_at is None


def test_asking_again_before_sending_gives_the_same_review(people, work, assessment):
    first = assign(people[0], assessment)
    again = assign(people[0], assessment)
    assert again == first
    assert PeerReview.objects.count() == 1


def test_nobody_is_handed_their_own_work_or_a_later_version_of_work_they_reviewed(
    people, work, assessment
):
    ana, ben, cai, dee = people
    first = send(assign(ana, assessment))
    assert first.submission == work[1]  # Ben's: the oldest but Ana's own
    handed_to(work[2], dee)
    handed_to(work[3], cai)
    handed_in(ben, assessment, text="Version 2: pool it, and count it.")  # the only one unreviewed

    second = assign(ana, assessment)

    assert second.submission == work[2]  # Cai's, the older of the two with one review


def test_the_latest_version_of_the_work_is_handed_out(people, assessment):
    ana, ben, *_ = people
    handed_in(ana, assessment)
    handed_in(ben, assessment, text="Version 1")
    latest = handed_in(ben, assessment, text="Version 2")
    assert assign(ana, assessment).submission == latest


def test_no_work_is_handed_out_before_the_learner_hands_in_their_own(people, work, assessment):
    newcomer = EnrolmentFactory(cohort=people[0].cohort)
    with pytest.raises(ValidationError, match="Hand in your own work first"):
        assign(newcomer, assessment)
    assert not PeerReview.objects.filter(reviewer=newcomer).exists()


def test_nothing_is_handed_out_when_nobody_else_has_handed_in(people, assessment):
    handed_in(people[0], assessment)
    with pytest.raises(ValidationError, match="There is no work to review yet"):
        assign(people[0], assessment)


def test_no_more_work_is_handed_out_once_the_reviews_asked_for_are_sent(people, work, assessment):
    ana = people[0]
    send(assign(ana, assessment))
    send(assign(ana, assessment))
    with pytest.raises(ValidationError, match="You have given the 2 reviews this asks for"):
        assign(ana, assessment)
    assert PeerReview.objects.filter(reviewer=ana).count() == 2


@pytest.mark.parametrize(("status", "traits"), [("withdrawn", {}), ("active", {"finished": True})])
def test_only_a_member_of_a_running_cohort_is_handed_work(course_page, assessment, status, traits):
    cohort = CohortFactory(course=course_page, **traits)
    reviewer, author = (EnrolmentFactory(cohort=cohort) for _ in range(2))
    handed_in(reviewer, assessment)
    handed_in(author, assessment)
    reviewer.status = status
    reviewer.save()
    with pytest.raises(ValidationError, match="while the cohort runs"):
        assign(reviewer, assessment)


def test_work_by_learners_who_left_is_not_handed_out(people, work, assessment):
    ana, ben, cai, _ = people
    for leaver in (ben, cai):
        leaver.status = "withdrawn"
        leaver.save()
    assert assign(ana, assessment).submission == work[3]  # Dee's


def test_a_registered_preference_breaks_ties_between_pieces_with_as_many_reviews(
    people, work, assessment
):
    ana, _, _, dee = people

    class SameSet:
        def preferred_authors(self, reviewer):
            return {dee.pk} if reviewer == ana else set()

    preference = register_preference(SameSet())
    try:
        assert assign(ana, assessment).submission == work[3]  # Dee's, not Ben's (older)
    finally:
        unregister_preference(preference)


# --- Sending a review -----------------------------------------------------------------------


def test_a_sent_review_keeps_the_levels_the_total_and_the_comments(people, work, assessment):
    review = send(assign(people[0], assessment))

    review.refresh_from_db()
    assert review.submitted_at is not None
    assert [row["descriptor"] for row in review.criteria] == [
        "Named and measured",
        "Two or more organisations",
    ]
    assert review.total == 6
    assert review.comments == COMMENTS
    result = AssessmentResult.objects.get(enrolment=people[0], assessment=assessment)
    assert result.reviews_given == 1


def test_a_review_is_sent_once(people, work, assessment):
    review = send(assign(people[0], assessment))
    with pytest.raises(ValidationError, match="You have already sent this review"):
        send(review, comments="Changing my mind about every single level here.")
    review.refresh_from_db()
    assert review.comments == COMMENTS


def test_a_level_from_another_rubric_is_refused(people, work, assessment):
    review = assign(people[0], assessment)
    other = review_rubric("Another rubric")
    levels = best_levels(assessment.rubric)
    criterion = next(iter(levels))
    levels[criterion] = criteria_of(other)[0]["levels"][-1]["id"]

    with pytest.raises(ValidationError) as refused:
        send(review, levels=levels)

    assert refused.value.message_dict == {
        f"criterion-{criterion}": ["Choose one of the levels of “Shared outcome”"]
    }
    review.refresh_from_db()
    assert review.submitted_at is None and review.total is None


def test_every_missing_level_and_too_few_words_are_refused_together(people, work, assessment):
    review = assign(people[0], assessment)
    with pytest.raises(ValidationError) as refused:
        send(review, levels={}, comments="Good.")
    errors = refused.value.message_dict
    assert errors["comments"] == ["Write at least 5 words of feedback for the author"]
    assert sorted(message for key, [message] in errors.items() if key != "comments") == [
        "Choose a level for “Partners”",
        "Choose a level for “Shared outcome”",
    ]
    assert not PeerReview.objects.exclude(submitted_at=None).exists()


def test_only_the_reviewer_sends_a_review(people, work, assessment):
    review = assign(people[0], assessment)
    with pytest.raises(ValidationError, match="not handed to you"):
        peer_review_submit(
            user=people[1].user,
            review_id=review.pk,
            levels=best_levels(assessment.rubric),
            comments=COMMENTS,
        )
    review.refresh_from_db()
    assert review.submitted_at is None


def test_the_last_review_owed_turns_a_released_pass_into_a_pass(people, work, assessment):
    ana = people[0]
    released_pass(work[0])
    result_refresh(enrolment=ana, assessment=assessment)
    status = AssessmentResult.objects.get(enrolment=ana, assessment=assessment)
    assert status.status == AssessmentResult.Status.REVIEWS_OWED

    send(assign(ana, assessment))
    status.refresh_from_db()
    assert (status.status, status.reviews_given) == (AssessmentResult.Status.REVIEWS_OWED, 1)

    send(assign(ana, assessment))
    status.refresh_from_db()
    assert (status.status, status.reviews_given) == (AssessmentResult.Status.PASSED, 2)
    assert status.passed_at is not None


# --- The pages ------------------------------------------------------------------------------


def next_url(assessment, cohort) -> str:
    return reverse("peer_review_next", args=[cohort.pk, assessment.pk])


def review_url(review) -> str:
    return reverse(
        "peer_review",
        args=[review.reviewer.cohort_id, review.submission.assessment_id, review.pk],
    )


def assessment_url(assessment, cohort) -> str:
    return reverse("cohort_assessment", args=[cohort.pk, assessment.pk])


def test_asking_for_work_opens_the_review_handed_out(client, people, work, assessment, cohort):
    client.force_login(people[0].user)

    response = client.post(next_url(assessment, cohort))

    review = PeerReview.objects.get(reviewer=people[0])
    assert response.status_code == 302
    assert response["Location"] == review_url(review)
    assert client.get(next_url(assessment, cohort)).status_code == 405


def test_a_refused_ask_says_why_with_a_way_back(client, people, assessment, cohort):
    client.force_login(people[0].user)

    response = client.post(next_url(assessment, cohort))

    assert response.status_code == 400
    html = html_of(response)
    assert "Hand in your own work first" in html
    assert f'href="{assessment_url(assessment, cohort)}"' in html
    assert not PeerReview.objects.exists()


def test_asking_on_an_assessment_that_is_no_peer_review_is_not_found(
    client, people, course_page, cohort
):
    assignment = peer_review_assessment(course_page, "A reflective assignment", kind="reflective")
    client.force_login(people[0].user)
    assert client.post(next_url(assignment, cohort)).status_code == 404


def test_the_review_page_shows_the_work_and_the_rubric_without_names(
    client, people, work, assessment
):
    work[1].text = "First <b>we</b> counted.\n\nThen we <script>pooled</script> it."
    work[1].save()
    SubmissionFile.objects.create(
        submission=work[1],
        file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"),
        name="Ben Brown plan.pdf",
        content_type="application/pdf",
        size=13,
    )
    review = assign(people[0], assessment)
    client.force_login(people[0].user)

    html = html_of(client.get(review_url(review)))

    assert "<p>First &lt;b&gt;we&lt;/b&gt; counted.</p>" in html
    assert "&lt;script&gt;pooled&lt;/script&gt;" in html
    assert "Ben Brown" not in html
    file = work[1].files.get()
    cohort, assessment_id = people[0].cohort_id, assessment.pk
    file_url = reverse("submission_file", args=[cohort, assessment_id, file.pk])
    assert f'<a class="govuk-link" href="{file_url}">Attachment 1</a>' in html
    for criterion in criteria_of(assessment.rubric):
        assert f'name="criterion-{criterion["id"]}"' in html
    assert "Named and measured (4 points)" in html
    assert 'name="comments"' in html


def test_the_author_is_named_when_reviews_are_not_anonymous(client, people, course_page):
    assessment = peer_review_assessment(course_page, anonymous_reviews=False)
    handed_in(people[0], assessment)
    handed_in(people[1], assessment)
    review = assign(people[0], assessment)
    client.force_login(people[0].user)

    assert "Work by Ben Brown" in html_of(client.get(review_url(review)))


def test_a_review_not_handed_to_you_is_not_found(client, people, work, assessment, cohort):
    review = assign(people[0], assessment)
    runner = facilitator()
    cohort.facilitators.add(runner)
    for someone in (people[1].user, runner):
        client.force_login(someone)
        assert client.get(review_url(review)).status_code == 404
        assert client.post(review_url(review), {"comments": COMMENTS}).status_code == 404
    wrong_assessment = reverse(
        "peer_review",
        args=[cohort.pk, peer_review_assessment(cohort.course, "Another review").pk, review.pk],
    )
    client.force_login(people[0].user)
    assert client.get(wrong_assessment).status_code == 404


def review_post(rubric, **changes) -> dict:
    levels = best_levels(rubric)
    return {
        **{f"criterion-{criterion}": level for criterion, level in levels.items()},
        "comments": COMMENTS,
        **changes,
    }


def test_sending_the_review_from_the_page(client, people, work, assessment, cohort):
    review = assign(people[0], assessment)
    client.force_login(people[0].user)

    response = client.post(review_url(review), review_post(assessment.rubric))

    assert response.status_code == 302
    assert response["Location"] == assessment_url(assessment, cohort)
    assert messages_of(response) == ["Your review has been sent. Thank you"]
    review.refresh_from_db()
    assert review.done and review.total == 6
    html = html_of(client.get(review_url(review)))
    assert "What you sent" in html and "Named and measured (4 points)" in html
    assert "<form" not in html.split("<main")[1]


def test_a_review_sent_without_levels_shows_every_problem(client, people, work, assessment):
    review = assign(people[0], assessment)
    client.force_login(people[0].user)

    response = client.post(review_url(review), {"comments": "Fine."})

    assert response.status_code == 400
    html = html_of(response)
    assert "There is a problem" in html
    assert "Choose a level for “Shared outcome”" in html
    assert "Choose a level for “Partners”" in html
    assert "Write at least 5 words of feedback for the author" in html
    assert "Fine.</textarea>" in html
    review.refresh_from_db()
    assert not review.done


def test_a_level_from_another_rubric_is_refused_on_the_page(client, people, work, assessment):
    review = assign(people[0], assessment)
    other = criteria_of(review_rubric("Another rubric"))[0]["levels"][0]["id"]
    first = criteria_of(assessment.rubric)[0]["id"]
    client.force_login(people[0].user)

    response = client.post(
        review_url(review), review_post(assessment.rubric, **{f"criterion-{first}": other})
    )

    assert response.status_code == 400
    assert "Choose one of the levels of “Shared outcome”" in html_of(response)
    review.refresh_from_db()
    assert not review.done


def test_a_review_sent_twice_from_the_page_is_refused(client, people, work, assessment):
    review = send(assign(people[0], assessment))
    client.force_login(people[0].user)

    response = client.post(review_url(review), review_post(assessment.rubric, comments="Again."))

    assert response.status_code == 400
    assert "You have already sent this review" in html_of(response)


# --- Who reviewed whom ----------------------------------------------------------------------


def test_the_facilitator_sees_who_reviewed_whom(people, work, assessment, cohort):
    ana, ben, cai, _ = people
    send(assign(ana, assessment))  # Ben's
    assign(cai, assessment)  # Ana's
    assessment = cohort_assessment(cohort, assessment.pk)

    rows = peer_reviews_of(cohort, assessment)

    assert [(r.reviewer, r.author, r.done, r.total) for r in rows] == [
        ("Cai Clarke", "Ana Ahmed", False, None),
        ("Ana Ahmed", "Ben Brown", True, 6),
    ]
    assert [r.reviewer for r in peer_reviews_of(cohort, assessment, author=ben)] == ["Ana Ahmed"]
    html = render_to_string(
        "cohorts/facilitate/includes/peer_reviews.html", {"rows": rows, "id": "reviews-1"}
    )
    assert 'aria-labelledby="reviews-1"' in html
    assert '<td class="govuk-table__cell">6 of 6</td>' in html
    assert COMMENTS in html
    assert "Work by" not in render_to_string(
        "cohorts/facilitate/includes/peer_reviews.html", {"rows": rows, "show_author": False}
    )


def test_who_reviewed_whom_is_read_in_one_query(
    people, work, assessment, cohort, django_assert_num_queries
):
    for reviewer in people:
        send(assign(reviewer, assessment))
    assessment = cohort_assessment(cohort, assessment.pk)
    with django_assert_num_queries(1):
        assert len(peer_reviews_of(cohort, assessment)) == 4


# --- The learner's side on the assessment page ------------------------------------------------


def reviews_part(enrolment, assessment, **context) -> str:
    return render_to_string(
        "cohorts/assessments/includes/peer_reviews_to_give.html",
        {
            "cohort": enrolment.cohort,
            "assessment": assessment,
            "reviews": reviews_to_give(enrolment, assessment),
            "handed_in": True,
            "can_review": True,
            **context,
        },
    )


def test_the_assessment_page_part_counts_reviews_and_hands_out_the_next(
    people, work, assessment, cohort
):
    ana = people[0]
    html = reviews_part(ana, assessment)
    assert "You have sent <strong>0 of 2</strong> reviews" in html
    assert f'action="{next_url(assessment, cohort)}"' in html

    review = assign(ana, assessment)
    html = reviews_part(ana, assessment)
    assert f'href="{review_url(review)}">Continue your review</a>' in html
    assert "Review 1</a>: not sent yet" in html
    assert "action=" not in html

    send(review)
    html = reviews_part(ana, assessment)
    assert "You have sent <strong>1 of 2</strong> reviews" in html
    assert "Review 1</a>: sent on" in html
    assert "action=" in html
    assert "action=" not in reviews_part(ana, assessment, handed_in=False)
    assert "Hand in your own work first" in reviews_part(ana, assessment, handed_in=False)
