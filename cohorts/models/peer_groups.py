"""Peer groups: a cohort's action learning sets. The facilitators compose them
(``cohorts.composer`` proposes, ``cohorts.services.peer_groups`` writes), adjust and publish
them; each set then has a private space where its members post, meet, take turns to bring a
problem and record what they commit to do.

What a set's members write (posts and commitments) is under the Chatham House rule: seen by the
set and its adviser only (``cohorts.access``), never in a facilitator's CSV, report or
dashboard; in the author's own data export, and erased with their account
(``cohorts.privacy_rules``).

Members are enrolments, not people: a person who leaves the cohort leaves its set, and what
hangs off their enrolment (attendance, commitments) goes with their account."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PeerGroupPlan(models.Model):
    """A cohort's settings for composing its sets, and whether they are published. Until
    ``published_at`` is set the sets are a proposal that only the people who run the cohort
    see; publishing tells every member (one email each) and opens the sets' spaces."""

    class Mode(models.TextChoices):
        MIX = "mix", "Mix places"
        SAME = "same", "Same place where possible"

    cohort = models.OneToOneField(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="peer_group_plan"
    )
    size = models.PositiveSmallIntegerField("set size", default=6)
    min_size = models.PositiveSmallIntegerField("smallest set", default=5)
    max_size = models.PositiveSmallIntegerField("largest set", default=7)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.MIX)
    seed = models.PositiveIntegerField(default=0)
    composed_at = models.DateTimeField(null=True, blank=True)
    composed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(min_size__gte=2), name="peer_sets_of_two_or_more"),
            models.CheckConstraint(
                condition=Q(min_size__lte=models.F("size"), size__lte=models.F("max_size")),
                name="peer_set_size_within_bounds",
            ),
        ]

    def __str__(self):
        return f"Peer groups of {self.cohort}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class PeerSetQuerySet(models.QuerySet):
    def published(self) -> "PeerSetQuerySet":
        """Sets whose cohort's plan is published: until then they are a proposal only the
        people who run the cohort see, and nobody is told of them. The one home of that rule."""
        return self.filter(cohort__peer_group_plan__published_at__isnull=False)


class PeerSetMemberQuerySet(models.QuerySet):
    def published(self) -> "PeerSetMemberQuerySet":
        """Places in published sets (``PeerSetQuerySet.published``)."""
        return self.filter(peer_set__in=PeerSet.objects.published())


class PeerSet(models.Model):
    """One action learning set of a cohort, numbered from 1."""

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="peer_sets")
    number = models.PositiveSmallIntegerField()
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advised_peer_sets",
        help_text="A facilitator of the cohort who supports the set.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PeerSetQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="peer_set_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="peer_set_number_positive"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return f"Set {self.number}"


class PeerSetMember(models.Model):
    """A member's place in a set: one per enrolment (the cohort is kept here so the database
    holds "one set each"). ``pinned`` keeps them in this set when the facilitator composes
    again; ``reason`` is the composer's explanation of the placement, or the facilitator's
    move."""

    peer_set = models.ForeignKey(PeerSet, on_delete=models.CASCADE, related_name="memberships")
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="peer_memberships"
    )
    pinned = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    # When the member's email about their set was written (publication, or a later move), and
    # the set it told them of: the next one, after a move, says where from.
    notified_at = models.DateTimeField(null=True, blank=True)
    notified_number = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = PeerSetMemberQuerySet.as_manager()

    class Meta:
        ordering = ["peer_set", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "enrolment"], name="one_peer_set_each"),
        ]

    def __str__(self):
        return f"{self.enrolment_id} in {self.peer_set}"


class PeerGroupChange(models.Model):
    """The log of a cohort's sets: who composed, moved, pinned, named an adviser or published,
    and when. Kept as facts, not sentences, so that a member's erasure removes their lines."""

    class Kind(models.TextChoices):
        COMPOSED = "composed", "Composed the sets"
        MOVED = "moved", "Moved a member"
        PLACED = "placed", "Placed a member"
        REMOVED = "removed", "Took a member out of their set"
        PINNED = "pinned", "Pinned a member"
        UNPINNED = "unpinned", "Unpinned a member"
        ADVISER = "adviser", "Named an adviser"
        PUBLISHED = "published", "Published the sets"

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="peer_group_changes"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    from_number = models.PositiveSmallIntegerField(null=True, blank=True)
    to_number = models.PositiveSmallIntegerField(null=True, blank=True)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    after_publishing = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cohort", "-created_at"])]

    def __str__(self):
        return self.get_kind_display()


class KeepApart(models.Model):
    """Two members of a cohort who must not share a set (a line manager and their report),
    declared by a facilitator. Stored with the lower enrolment id first, so a pair is one row."""

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    first = models.ForeignKey("cohorts.Enrolment", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("cohorts.Enrolment", on_delete=models.CASCADE, related_name="+")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="keep_apart_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="keep_apart_ordered"
            ),
        ]

    def __str__(self):
        return f"Keep {self.first_id} and {self.second_id} apart"


class WorkingRelationship(models.Model):
    """A learner's own declaration, on their profile, of someone they should not share a peer
    group with (their line manager, or someone they manage), by email address: it applies in
    every cohort they both join, and says nothing about whether that person has an account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_relationships"
    )
    email = models.EmailField("their email address")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "email"], name="working_relationship_once")
        ]

    def __str__(self):
        return f"{self.user_id} works with {self.email}"


class PeerPost(models.Model):
    """A post in a set's space, or a reply to one (one level deep). Plain text: shown with
    its links made safe (``cohorts.peer_text``). When its author erases their account, their
    posts and replies go; a post others replied to stays as an empty stub, so their replies
    keep their thread, shown as "a former member"'s."""

    MAX_LENGTH = 10_000

    peer_set = models.ForeignKey(PeerSet, on_delete=models.CASCADE, related_name="posts")
    # Whatever deletes an author's enrolment (their erasure, or an administrator deleting the
    # account) erases their words first: ``cohorts.privacy_rules.peer_posts_erase``, on
    # ``pre_delete``. What is left (a stub others replied to) loses its author here.
    author = models.ForeignKey(
        "cohorts.Enrolment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer_posts",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["peer_set", "parent", "-created_at"])]

    def __str__(self):
        return f"Post {self.pk} in {self.peer_set_id}"


class PeerMeeting(models.Model):
    """A meeting of a set: online, in a place, or both. In the cohort's and its members'
    calendar feeds beside live sessions, with a UID kept for life and a SEQUENCE bumped by
    every change a calendar should notice."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    peer_set = models.ForeignKey(PeerSet, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True, help_text="A room and address.")
    joining_url = models.URLField("online joining link", blank=True)
    problem_holder = models.ForeignKey(
        "cohorts.Enrolment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems_held",
    )
    cancelled = models.BooleanField(default=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self):
        return f"Meeting of {self.peer_set_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class MeetingAttendance(models.Model):
    """Whether a member came to a meeting, recorded by the set after it."""

    meeting = models.ForeignKey(PeerMeeting, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="meeting_attendance"
    )
    present = models.BooleanField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "enrolment"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.enrolment_id} {'at' if self.present else 'missed'} {self.meeting_id}"


class Commitment(models.Model):
    """What a member commits to act on, recorded at a meeting and reviewed at the next: one per
    member per meeting. Under the Chatham House rule, as posts are."""

    MAX_LENGTH = 1_000

    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        PARTLY = "partly", "Partly done"
        NOT_DONE = "not_done", "Not done yet"

    meeting = models.ForeignKey(PeerMeeting, on_delete=models.CASCADE, related_name="commitments")
    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "enrolment"], name="one_commitment_each")
        ]

    def __str__(self):
        return f"Commitment of {self.enrolment_id} at {self.meeting_id}"
