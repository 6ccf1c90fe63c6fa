"""What a peer group's space shows (``PeerSpace``) and what one of its meetings shows
(``MeetingPage``). Who may see them is ``access.peer_set_role``; these read for someone already
let in. Each page makes the same number of queries however many members, posts and meetings
the set has: members in one query, meetings in one, a page of threads in three (the count, the
threads, their replies)."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q
from django.utils import timezone

from .. import access, peer_text, rotation
from ..models import (
    Cohort,
    Commitment,
    Enrolment,
    MeetingAttendance,
    PeerGroupPlan,
    PeerMeeting,
    PeerPost,
    PeerSet,
)

THREADS_PER_PAGE = 10


def plan_of(cohort: Cohort) -> PeerGroupPlan | None:
    """The cohort's peer-group plan, or None before the facilitators start one."""
    return PeerGroupPlan.objects.filter(cohort=cohort).first()


def peer_set_of(cohort_id: int, number: int) -> PeerSet | None:
    """Set ``number`` of a cohort, with its cohort, course, plan and adviser: one query."""
    return (
        PeerSet.objects.select_related("cohort__course", "cohort__peer_group_plan", "adviser")
        .filter(cohort_id=cohort_id, number=number)
        .first()
    )


def is_published(peer_set: PeerSet) -> bool:
    """Whether the set's cohort has published its sets (the plan read with the set)."""
    try:
        return peer_set.cohort.peer_group_plan.is_published
    except PeerGroupPlan.DoesNotExist:
        return False


def set_members(peer_set: PeerSet) -> list[Enrolment]:
    """The set's members (a place on the cohort, active or completed), by name, each with what
    their card shows: job title, organisation, sector and place. One query."""
    return list(
        Enrolment.objects.members()
        .filter(peer_memberships__peer_set=peer_set)
        .select_related(
            "user__organisation__sector", "user__sector", "user__place", "user__organisation"
        )
        .order_by("user__display_name", "user__email", "pk")
    )


def member_of(members: list[Enrolment], user) -> Enrolment | None:
    """``user``'s own place among ``members``."""
    return next((enrolment for enrolment in members if enrolment.user_id == user.pk), None)


def next_turn(members: list[Enrolment], meetings: list[PeerMeeting]) -> Enrolment | None:
    """Whose turn it is to bring a problem to the next meeting scheduled (``rotation``)."""
    by_id = {enrolment.pk: enrolment for enrolment in members}
    chosen = rotation.next_problem_holder(
        [rotation.Member(enrolment.pk, str(enrolment.user)) for enrolment in members],
        [
            rotation.Turn(meeting.problem_holder_id, meeting.starts_at, meeting.cancelled)
            for meeting in meetings
        ],
    )
    return by_id[chosen.id] if chosen else None


def set_meetings(peer_set: PeerSet) -> list[PeerMeeting]:
    """Every meeting of the set, cancelled ones included, in order, each with its problem
    holder. One query."""
    return list(
        peer_set.meetings.select_related("problem_holder__user").order_by("starts_at", "pk")
    )


def threads(peer_set: PeerSet, page_number) -> Page:
    """A page of the set's threads, newest first, each with its replies, oldest first: a
    paginated query, so a set with many posts reads only one page of them."""
    replies = PeerPost.objects.select_related("author__user").order_by("created_at", "pk")
    posts = (
        PeerPost.objects.filter(peer_set=peer_set, parent=None)
        .select_related("author__user")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(posts, THREADS_PER_PAGE).get_page(page_number)
    page.object_list = list(page.object_list)
    for thread in page.object_list:
        _with_html([thread, *thread.replies.all()])
    return page


def _with_html(posts) -> None:
    """Each post's text as safe HTML, for the page (``cohorts.peer_text``)."""
    for post in posts:
        post.html = peer_text.to_html(post.body)


def thread_of(peer_set: PeerSet, post_id: int) -> PeerPost | None:
    """The thread a post of ``peer_set`` belongs to (the post itself, or the post a reply
    answers), with its replies."""
    post = PeerPost.objects.filter(pk=post_id, peer_set=peer_set).only("pk", "parent").first()
    if post is None:
        return None
    replies = PeerPost.objects.select_related("author__user").order_by("created_at", "pk")
    thread = (
        PeerPost.objects.select_related("author__user")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .get(pk=post.parent_id or post.pk)
    )
    _with_html([thread, *thread.replies.all()])
    return thread


def thread_page(post: PeerPost) -> int:
    """The page of the space on which ``post``'s thread is shown."""
    thread = post.parent or post
    newer = (
        PeerPost.objects.filter(peer_set_id=thread.peer_set_id, parent=None)
        .filter(
            Q(created_at__gt=thread.created_at) | Q(created_at=thread.created_at, pk__gt=thread.pk)
        )
        .count()
    )
    return newer // THREADS_PER_PAGE + 1


@dataclass
class PeerSpace:
    peer_set: PeerSet
    cohort: Cohort
    role: str
    me: Enrolment | None  # the reader's own place in the set; None for the adviser
    members: list[Enrolment]
    next_meeting: PeerMeeting | None  # the next one not cancelled (or under way)
    later_meetings: list[PeerMeeting]  # after it, cancelled ones included
    past_meetings: list[PeerMeeting]  # newest first
    next_turn: Enrolment | None
    threads: Page

    @property
    def writes(self) -> bool:
        return access.writes_in_peer_set(self.role)

    @property
    def arranges_meetings(self) -> bool:
        return access.arranges_peer_meetings(self.role)


def peer_space(peer_set: PeerSet, user, role: str, *, page_number=1) -> PeerSpace:
    members = set_members(peer_set)
    meetings = set_meetings(peer_set)
    now = timezone.now()
    coming = [meeting for meeting in meetings if meeting.ends_at >= now]
    next_meeting = next((meeting for meeting in coming if not meeting.cancelled), None)
    return PeerSpace(
        peer_set=peer_set,
        cohort=peer_set.cohort,
        role=role,
        me=member_of(members, user),
        members=members,
        next_meeting=next_meeting,
        later_meetings=[meeting for meeting in coming if meeting is not next_meeting],
        past_meetings=[meeting for meeting in reversed(meetings) if meeting.ends_at < now],
        next_turn=next_turn(members, meetings),
        threads=threads(peer_set, page_number),
    )


@dataclass
class MemberAttendance:
    enrolment: Enrolment
    present: bool | None  # None: not recorded


@dataclass
class MeetingPage:
    peer_set: PeerSet
    cohort: Cohort
    role: str
    meeting: PeerMeeting
    me: Enrolment | None
    members: list[Enrolment]
    previous: PeerMeeting | None  # the set's last meeting before it, not cancelled
    next: PeerMeeting | None  # the set's next meeting after it, not cancelled
    started: bool
    attendance: list[MemberAttendance]
    commitments: list[Commitment]  # made at this meeting
    for_review: list[Commitment]  # made at the previous meeting
    my_commitment: Commitment | None
    commitment_refusal: str | None

    @property
    def arranges_meetings(self) -> bool:
        return access.arranges_peer_meetings(self.role)

    @property
    def attendance_recorded(self) -> bool:
        return any(row.present is not None for row in self.attendance)


def meeting_of(peer_set: PeerSet, meeting_id: int) -> PeerMeeting | None:
    return (
        peer_set.meetings.select_related("problem_holder__user", "created_by")
        .filter(pk=meeting_id)
        .first()
    )


def _neighbour(meeting: PeerMeeting, *, before: bool) -> PeerMeeting | None:
    others = meeting.peer_set.meetings.filter(cancelled=False).exclude(pk=meeting.pk)
    if before:
        earlier = Q(starts_at__lt=meeting.starts_at) | Q(
            starts_at=meeting.starts_at, pk__lt=meeting.pk
        )
        return others.filter(earlier).order_by("-starts_at", "-pk").first()
    later = Q(starts_at__gt=meeting.starts_at) | Q(starts_at=meeting.starts_at, pk__gt=meeting.pk)
    return others.filter(later).order_by("starts_at", "pk").first()


def next_meeting_after(meeting: PeerMeeting) -> PeerMeeting | None:
    """The set's next meeting after ``meeting``, not cancelled: when it starts, the
    commitments made at ``meeting`` come up for review."""
    return _neighbour(meeting, before=False)


def meeting_page(peer_set: PeerSet, meeting: PeerMeeting, user, role: str) -> MeetingPage:
    members = set_members(peer_set)
    me = member_of(members, user)
    previous = _neighbour(meeting, before=True)
    following = _neighbour(meeting, before=False)
    now = timezone.now()
    shown = [meeting.pk] + ([previous.pk] if previous else [])
    commitments = list(
        Commitment.objects.filter(meeting_id__in=shown)
        .select_related("enrolment__user")
        .order_by("enrolment__user__display_name", "enrolment__user__email", "pk")
    )
    present = dict(
        MeetingAttendance.objects.filter(meeting=meeting).values_list("enrolment_id", "present")
    )
    here = [c for c in commitments if c.meeting_id == meeting.pk]
    return MeetingPage(
        peer_set=peer_set,
        cohort=peer_set.cohort,
        role=role,
        meeting=meeting,
        me=me,
        members=members,
        previous=previous,
        next=following,
        started=meeting.starts_at <= now,
        attendance=[MemberAttendance(e, present.get(e.pk)) for e in members],
        commitments=here,
        for_review=[c for c in commitments if previous and c.meeting_id == previous.pk],
        my_commitment=next((c for c in here if me and c.enrolment_id == me.pk), None),
        commitment_refusal=access.commitment_refusal(meeting, following, now),
    )


def commitment_of(peer_set: PeerSet, commitment_id: int) -> Commitment | None:
    """A commitment made at a meeting of ``peer_set``, with its author and meeting."""
    return (
        Commitment.objects.select_related("enrolment__user", "meeting")
        .filter(pk=commitment_id, meeting__peer_set=peer_set)
        .first()
    )
