"""A person's data export holds their own places and completions, and of the applications they
decided as a facilitator only that they decided: never the other learner's answers."""

import pytest

from academy.services import personal_data_export
from cohorts.models import Enrolment

from .factories import CohortFactory, EnrolmentFactory, complete, facilitator, lessons_of

pytestmark = pytest.mark.django_db


def test_the_export_holds_own_records_and_no_one_elses_answers():
    lead = facilitator()
    cohort = CohortFactory(facilitators=[lead], by_application=True)
    mine = EnrolmentFactory(cohort=cohort, application_answer="My own answer")
    complete(mine, lessons_of(cohort.course)[:2])
    EnrolmentFactory(
        cohort=cohort,
        decided_by=lead,
        status=Enrolment.Status.DECLINED,
        application_answer="Someone else's private answer",
    )

    learner_records = personal_data_export(user=mine.user)["records"]
    (own,) = learner_records["cohorts.Enrolment"]["items"]
    assert own["application_answer"] == "My own answer"
    assert len(learner_records["cohorts.LessonCompletion"]["items"]) == 2

    lead_export = str(personal_data_export(user=lead))
    assert "Someone else's private answer" not in lead_export
    lead_records = personal_data_export(user=lead)["records"]
    assert lead_records["cohorts.Enrolment"]["items"] == [
        {
            "decision_you_made": {
                "cohort__name": cohort.name,
                "status": "declined",
                "decided_at": None,
            }
        }
    ]
    assert lead_records["cohorts.Cohort"]["items"][0]["name"] == cohort.name
