"""Cohorts: a group of learners taking one course together over fixed dates, run by
facilitators. Writes go through ``cohorts.services``; shared reads live in
``cohorts.selectors``; progress is worked out by ``cohorts.progress``; who may do what is
decided in ``cohorts.access``.

A cohort's status (upcoming, running, finished, cancelled) is derived from its dates and its
cancelled flag, never stored, so it cannot drift."""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class CohortQuerySet(models.QuerySet):
    """Cohorts by status on a day (today unless given): ``Cohort.status_condition``."""

    def upcoming(self, today=None):
        return self.filter(Cohort.status_condition(Cohort.Status.UPCOMING, today))

    def running(self, today=None, *, started_by=None):
        """Running on ``today``; and, given ``started_by``, started on that day or before."""
        running = self.filter(Cohort.status_condition(Cohort.Status.RUNNING, today))
        return running if started_by is None else running.filter(start_date__lte=started_by)

    def finished(self, today=None):
        return self.filter(Cohort.status_condition(Cohort.Status.FINISHED, today))


class Cohort(models.Model):
    class Status(models.TextChoices):
        UPCOMING = "upcoming", "Upcoming"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        CANCELLED = "cancelled", "Cancelled"

    class EnrolmentMode(models.TextChoices):
        OPEN = "open", "Open: anyone may take a place"
        APPLICATION = "application", "By application: facilitators decide"

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(max_length=100, help_text='For example "Spring 2027".')
    start_date = models.DateField()
    end_date = models.DateField()
    capacity = models.PositiveIntegerField(help_text="The most learners who may take part.")
    enrolment_mode = models.CharField(
        max_length=20, choices=EnrolmentMode.choices, default=EnrolmentMode.OPEN
    )
    application_question = models.CharField(
        max_length=300,
        blank=True,
        help_text="Asked of everyone who applies. Needed when enrolment is by application.",
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_cohorts"
    )
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="cohort_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cohort_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.course.title}: {self.name}"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = "The end date must be after the start date"
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = "Capacity must be at least 1"
        if (
            self.enrolment_mode == self.EnrolmentMode.APPLICATION
            and not self.application_question.strip()
        ):
            errors["application_question"] = (
                "Enter the question applicants answer, or make enrolment open"
            )
        if errors:
            raise ValidationError(errors)

    def status_on(self, today) -> str:
        """The cohort's status on ``today``; ``status_condition`` is the same rule in SQL."""
        if self.cancelled:
            return self.Status.CANCELLED
        if today < self.start_date:
            return self.Status.UPCOMING
        if today > self.end_date:
            return self.Status.FINISHED
        return self.Status.RUNNING

    @classmethod
    def status_condition(cls, status: str, today=None, *, through: str = "") -> Q:
        """``status_on`` as a database condition: the cohorts whose status on ``today`` (today
        unless given) is ``status``. ``through`` reaches the cohort from another model
        (``"cohort__"`` from enrolments). The one definition of each status the database
        uses: the querysets, the Facilitate home's sections, the admin's filter."""
        today = today or timezone.localdate()
        if status == cls.Status.CANCELLED:
            return Q(**{f"{through}cancelled": True})
        dates = {
            cls.Status.UPCOMING: {"start_date__gt": today},
            cls.Status.RUNNING: {"start_date__lte": today, "end_date__gte": today},
            cls.Status.FINISHED: {"end_date__lt": today},
        }[status]
        return Q(
            **{f"{through}cancelled": False}, **{through + key: day for key, day in dates.items()}
        )

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def by_application(self) -> bool:
        return self.enrolment_mode == self.EnrolmentMode.APPLICATION

    def elapsed_percent(self, today=None) -> int:
        """How far through its dates the cohort is, from 0 to 100."""
        today = today or timezone.localdate()
        length = (self.end_date - self.start_date).days
        if length <= 0:
            return 100 if today >= self.end_date else 0
        done = (today - self.start_date).days
        return max(0, min(100, round(100 * done / length)))


class EnrolmentQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=Enrolment.LIVE_STATUSES)

    def members(self):
        """Enrolments that make a person a member of the cohort (its home, calendar, lessons)."""
        return self.filter(status__in=Enrolment.MEMBER_STATUSES)


class Enrolment(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        WAITLISTED = "waitlisted", "On the waiting list"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

    # A "live" enrolment holds or seeks a place: at most one per person per course.
    LIVE_STATUSES = (Status.APPLIED, Status.WAITLISTED, Status.ACTIVE)
    MEMBER_STATUSES = (Status.ACTIVE, Status.COMPLETED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    # The cohort's course, kept here so the database can hold "one live enrolment per course".
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    application_answer = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolment_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_message = models.TextField(blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "cohort"], name="one_enrolment_per_cohort"),
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(status__in=["applied", "waitlisted", "active"]),
                name="one_live_enrolment_per_course",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self):
        return f"{self.user} on {self.cohort} ({self.get_status_display()})"

    @property
    def is_member(self) -> bool:
        return self.status in self.MEMBER_STATUSES

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES


class LiveSession(models.Model):
    """A scheduled live session of a cohort: online, in a room, or both."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True, help_text="A room and address.")
    joining_url = models.URLField("online joining link", blank=True)
    description = models.TextField(blank=True)
    cancelled = models.BooleanField(default=False)
    # RFC 5545 SEQUENCE: bumped by every change a calendar should notice.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="complete_lesson_once")
        ]

    def __str__(self):
        return f"{self.lesson_id} completed on {self.completed_at:%Y-%m-%d}"


class Announcement(models.Model):
    """A message from a facilitator to the cohort: shown on the cohort home and emailed."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="announcements",
    )
    subject = models.CharField(max_length=150)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret that opens a learner's personal calendar feed without a session. Resetting
    it replaces the token, so every old subscription link stops working at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user}"
