"""The work learners hand in for a course's assessments (``courses.AssessmentPage``), and
what comes back: marks against a rubric, quiz attempts, peer reviews. Every version and every
mark is kept. Writes go through ``cohorts.services.assessments`` (and its neighbours); what
counts toward completion is ``cohorts.requirements.assessments``.

``AssessmentResult`` is where a learner stands on one assessment (waiting, resubmit, passed…):
kept by the services from the rows below, under the enrolment's row lock, so that lists of
learners read one row per learner instead of working it out from every version."""

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from academy.storage import private_storage


class AssessmentDueDate(models.Model):
    """A cohort's own due date for an assessment, set by its facilitators or a programme
    manager; without one the date is ``due_offset_days`` after the cohort starts."""

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="due_dates")
    assessment = models.ForeignKey(
        "courses.AssessmentPage", on_delete=models.CASCADE, related_name="cohort_due_dates"
    )
    due_on = models.DateField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "assessment"], name="one_due_date_per_cohort")
        ]

    def __str__(self):
        return f"{self.assessment_id} due {self.due_on:%Y-%m-%d} for cohort {self.cohort_id}"

    @staticmethod
    def default_for(cohort, assessment) -> datetime.date:
        """The due date a cohort gets without its own: the offset from its start."""
        return cohort.start_date + datetime.timedelta(days=assessment.due_offset_days)

    @staticmethod
    def is_late(submitted_at: datetime.datetime, due_on: datetime.date) -> bool:
        """Work is late when it arrives after the due day has ended in the academy's time
        zone (Europe/London)."""
        return timezone.localdate(submitted_at) > due_on


class AssessmentResult(models.Model):
    """Where one learner stands on one assessment. No row: not started."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for feedback"
        RESUBMIT = "resubmit", "Resubmit"
        REVIEWS_OWED = "reviews_owed", "Reviews to give"
        NOT_PASSED = "not_passed", "Not passed"
        PASSED = "passed", "Passed"

    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="assessment_results"
    )
    assessment = models.ForeignKey(
        "courses.AssessmentPage", on_delete=models.CASCADE, related_name="results"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    passed_at = models.DateTimeField(null=True, blank=True)
    # Versions handed in (assignments, peer reviews) or attempts made (quizzes).
    attempts = models.PositiveSmallIntegerField(default=0)
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)  # quiz, percent
    reviews_given = models.PositiveSmallIntegerField(default=0)  # peer review
    last_submitted_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "assessment"], name="one_result_per_assessment"
            ),
            models.CheckConstraint(
                condition=Q(passed_at__isnull=True) | Q(status="passed"),
                name="result_passed_at_only_when_passed",
            ),
        ]
        indexes = [models.Index(fields=["assessment", "status"])]

    def __str__(self):
        return f"{self.enrolment_id} on {self.assessment_id}: {self.get_status_display()}"

    @property
    def passed(self) -> bool:
        return self.status == self.Status.PASSED


class Submission(models.Model):
    """One version of a learner's written work (an assignment or a peer-review piece)."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for marking"
        HELD = "held", "Marked, not released"
        PASSED = "passed", "Passed"
        RESUBMIT = "resubmit", "Resubmit"

    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="submissions"
    )
    assessment = models.ForeignKey(
        "courses.AssessmentPage", on_delete=models.CASCADE, related_name="submissions"
    )
    version = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    word_count = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(default=timezone.now)
    late = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "assessment", "version"], name="one_submission_per_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="submission_version_from_1"),
        ]
        indexes = [models.Index(fields=["assessment", "status", "submitted_at"])]

    def __str__(self):
        return f"Version {self.version} of {self.assessment_id} by enrolment {self.enrolment_id}"


def submission_file_path(instance: "SubmissionFile", filename: str) -> str:
    """A random name under the cohort's folder: nothing the learner typed reaches the path
    (their file's name is kept in ``SubmissionFile.name``); the extension is the type's."""
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    cohort_id = instance.submission.enrolment.cohort_id
    return f"submissions/{cohort_id}/{uuid.uuid4().hex}{suffix}"


class SubmissionFile(models.Model):
    """A file attached to a submission, kept in private storage (``academy.storage``)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=private_storage, upload_to=submission_file_path, max_length=255)
    name = models.CharField(max_length=200, help_text="The file's name as the learner gave it.")
    content_type = models.CharField(max_length=100, help_text="As recognised from the content.")
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Mark(models.Model):
    """A facilitator's mark on one submission: a level per rubric criterion (copied here, so
    the mark reads the same if the rubric changes), comments and an outcome. Held marks have no
    ``released_at``; learners see only released ones."""

    class Outcome(models.TextChoices):
        PASS = "pass", "Pass"
        RESUBMIT = "resubmit", "Resubmit"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="marks")
    marker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="marks_given",
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # [{"criterion": id, "name": …, "level": id, "descriptor": …, "points": n}, …]
    criteria = models.JSONField(default=list)
    total = models.PositiveSmallIntegerField()
    max_total = models.PositiveSmallIntegerField()
    comments = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.total}/{self.max_total})"

    @property
    def released(self) -> bool:
        return self.released_at is not None


class PeerReview(models.Model):
    """A submission handed to another learner of the cohort to review against the rubric.
    Handed out by ``cohorts.services.peer_reviews``; done once ``submitted_at`` is set."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="peer_reviews"
    )
    reviewer = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="peer_reviews_given"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    criteria = models.JSONField(default=list)  # as ``Mark.criteria``
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="review_a_submission_once"
            )
        ]

    def __str__(self):
        return f"Review of submission {self.submission_id} by enrolment {self.reviewer_id}"

    @property
    def done(self) -> bool:
        return self.submitted_at is not None


class QuizAttempt(models.Model):
    """One attempt at a quiz, marked when submitted (``cohorts.quiz``)."""

    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    assessment = models.ForeignKey(
        "courses.AssessmentPage", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)  # {question id: [option id, …]}
    score = models.PositiveSmallIntegerField()  # questions answered right
    max_score = models.PositiveSmallIntegerField()
    percent = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    submitted_at = models.DateTimeField(default=timezone.now)
    late = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "assessment", "number"], name="one_quiz_attempt_per_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="quiz_attempt_from_1"),
        ]

    def __str__(self):
        return f"Attempt {self.number} at {self.assessment_id}: {self.percent}%"
