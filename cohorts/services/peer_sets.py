"""What happens in a peer group's space: posts and replies, meetings (scheduled, changed,
cancelled), who came to them, and each member's commitment to act and how it went.

Who may do each is decided in ``cohorts.access`` and checked by the views; these functions
check what was written: a post of 1 to 10,000 characters, a meeting that ends after it starts
with a web link or a place, a problem holder who is a member of the set. A refusal raises
``ValidationError`` with a message a person can act on, and nothing is saved."""

from datetime import date, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from .. import access
from ..models import (
    Commitment,
    Enrolment,
    MeetingAttendance,
    PeerMeeting,
    PeerPost,
    PeerSet,
)
from ..selectors.peer_sets import next_meeting_after
from ..times import LONDON, instant

# A meeting's date must fall within this many days of its cohort's dates: sets go on meeting a
# while after a course ends, but a year like 1 or 9999 is a slip.
MEETING_MARGIN = timedelta(days=365)

_MEETING_CALENDAR_FIELDS = ("starts_at", "ends_at", "location", "joining_url", "cancelled")


def _text(text: str, *, limit: int, noun: str, empty: str) -> str:
    """``text`` stripped, with Windows line ends made plain; refused when empty or too long."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(empty)
    if "\x00" in text:
        raise ValidationError(f"{noun} must not contain null characters")
    if len(text) > limit:
        raise ValidationError(
            f"{noun} must be {limit:,} characters or fewer (it has {len(text):,})"
        )
    return text


def clean_post_body(body: str) -> str:
    return _text(body, limit=PeerPost.MAX_LENGTH, noun="Your post", empty="Write something to post")


@transaction.atomic
def peer_post_add(
    *, peer_set: PeerSet, author: Enrolment, body: str, parent: PeerPost | None = None
) -> PeerPost:
    """A post in the set's space by ``author`` (a member of the set), or a reply to one.
    Replies are one level deep: a reply to a reply joins the thread of the post it answers."""
    if parent is not None:
        if parent.peer_set_id != peer_set.pk:
            raise ValidationError("You can only reply to a post in your own peer group")
        parent = parent.parent or parent
    post = PeerPost(
        peer_set=peer_set,
        author=author,
        parent=parent,
        body=clean_post_body(body),
        created_at=timezone.now(),
    )
    post.save()
    return post


def _web_link(url: str) -> str:
    url = (url or "").strip()
    if url and urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValidationError(
            {"joining_url": "Enter the joining link as a web address starting https://"}
        )
    return url


def _meeting_dates_error(meeting: PeerMeeting) -> str | None:
    cohort = meeting.peer_set.cohort
    first: date = cohort.start_date - MEETING_MARGIN
    last: date = cohort.end_date + MEETING_MARGIN
    try:
        days = {
            timezone.localtime(at, LONDON).date() for at in (meeting.starts_at, meeting.ends_at)
        }
    except OverflowError:  # an instant at the very edge of year 1 has no day in the UK
        days = {None}
    if all(day and first <= day <= last for day in days):
        return None
    return (
        f"The date of the meeting must be between {date_format(first, 'j F Y')} and "
        f"{date_format(last, 'j F Y')}"
    )


def _clean_meeting(meeting: PeerMeeting, members: list[int]) -> None:
    errors: dict[str, str] = {}
    meeting.location = (meeting.location or "").strip()
    try:
        meeting.joining_url = _web_link(meeting.joining_url)
    except ValidationError as error:
        errors.update(error.message_dict)
    if len(meeting.location) > 300:
        errors["location"] = "The place must be 300 characters or fewer"
    if not meeting.location and not meeting.joining_url and "joining_url" not in errors:
        errors["location"] = "Enter an online joining link, a place, or both"
    if meeting.problem_holder_id is not None and meeting.problem_holder_id not in members:
        errors["problem_holder"] = "Choose a member of the set to bring a problem"
    if meeting.starts_at is None or meeting.ends_at is None:
        errors["starts_at"] = "Enter the date and times of the meeting"
    else:
        meeting.starts_at, meeting.ends_at = instant(meeting.starts_at), instant(meeting.ends_at)
        if meeting.ends_at <= meeting.starts_at:
            errors["ends_at"] = "The meeting must end after it starts"
        elif problem := _meeting_dates_error(meeting):
            errors["starts_at"] = problem
    if errors:
        raise ValidationError(errors)


def _member_ids(peer_set: PeerSet) -> list[int]:
    return list(
        Enrolment.objects.members()
        .filter(peer_memberships__peer_set=peer_set)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def peer_meeting_save(*, meeting: PeerMeeting, by=None) -> PeerMeeting:
    """Schedule a meeting of its set, or change one. A change of time or place bumps its
    SEQUENCE, so the calendars that hold it move it (``cohorts.ical``)."""
    _clean_meeting(meeting, _member_ids(meeting.peer_set))
    if meeting.pk:
        before = PeerMeeting.objects.select_for_update().get(pk=meeting.pk)
        if before.peer_set_id != meeting.peer_set_id:
            raise ValidationError("A meeting cannot move to another set")
        meeting.cancelled = before.cancelled
        changed = any(
            getattr(before, name) != getattr(meeting, name) for name in _MEETING_CALENDAR_FIELDS
        )
        meeting.sequence = before.sequence + 1 if changed else before.sequence
    else:
        meeting.created_by = by
        meeting.created_at = timezone.now()
    meeting.save()
    return meeting


@transaction.atomic
def peer_meeting_cancel(*, meeting: PeerMeeting) -> PeerMeeting:
    """Cancel a meeting: it stays, marked cancelled, so that calendars remove it."""
    meeting = PeerMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.cancelled:
        meeting.cancelled = True
        meeting.sequence += 1
        meeting.save(update_fields=["cancelled", "sequence", "updated_at"])
    return meeting


def _locked(meeting: PeerMeeting) -> PeerMeeting:
    """The meeting read again under a row lock: what the set does at one meeting (attendance,
    commitments) is written one request at a time."""
    return PeerMeeting.objects.select_for_update().select_related("peer_set").get(pk=meeting.pk)


@transaction.atomic
def meeting_attendance_record(*, meeting: PeerMeeting, present: dict[int, bool]) -> int:
    """Record who came to a meeting that has started: ``present`` maps each member's place to
    whether they came. Recording again replaces what was recorded. Returns how many."""
    meeting = _locked(meeting)
    if meeting.cancelled:
        raise ValidationError("This meeting was cancelled: there is no attendance to record")
    if meeting.starts_at > timezone.now():
        raise ValidationError("You can record who came once the meeting has started")
    members = set(_member_ids(meeting.peer_set))
    unknown = set(present) - members
    if unknown or not present:
        raise ValidationError("Say whether each member of the set came to the meeting")
    now = timezone.now()
    MeetingAttendance.objects.bulk_create(
        [
            MeetingAttendance(
                meeting=meeting, enrolment_id=enrolment_id, present=came, recorded_at=now
            )
            for enrolment_id, came in sorted(present.items())
        ],
        update_conflicts=True,
        unique_fields=["meeting", "enrolment"],
        update_fields=["present", "recorded_at"],
    )
    return len(present)


def clean_commitment_text(text: str) -> str:
    return _text(
        text,
        limit=Commitment.MAX_LENGTH,
        noun="Your commitment",
        empty="Write what you commit to do before the next meeting",
    )


@transaction.atomic
def commitment_record(*, meeting: PeerMeeting, enrolment: Enrolment, text: str) -> Commitment:
    """A member's commitment to act, made at ``meeting``: one each, changed by recording it
    again, until the set's next meeting starts (``access.commitment_refusal``)."""
    text = clean_commitment_text(text)
    meeting = _locked(meeting)
    if enrolment.pk not in _member_ids(meeting.peer_set):
        raise ValidationError("Only members of the set record commitments at its meetings")
    if refusal := access.commitment_refusal(meeting, next_meeting_after(meeting), timezone.now()):
        raise ValidationError(refusal)
    commitment, _ = Commitment.objects.update_or_create(
        meeting=meeting, enrolment=enrolment, defaults={"text": text}
    )
    return commitment


@transaction.atomic
def commitment_review(*, commitment: Commitment, outcome: str, note: str = "") -> Commitment:
    """How a commitment went, recorded by its author: done, partly done or not done yet, and
    a note. Recording again replaces it."""
    if outcome not in Commitment.Outcome.values:
        raise ValidationError({"outcome": "Choose how it went: done, partly done or not done yet"})
    note = (note or "").replace("\r\n", "\n").strip()
    if "\x00" in note:
        raise ValidationError({"outcome_note": "Your note must not contain null characters"})
    if len(note) > Commitment.MAX_LENGTH:
        raise ValidationError(
            {
                "outcome_note": f"Your note must be {Commitment.MAX_LENGTH:,} characters or "
                f"fewer (it has {len(note):,})"
            }
        )
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    commitment.outcome = outcome
    commitment.outcome_note = note
    commitment.reviewed_at = timezone.now()
    commitment.save(update_fields=["outcome", "outcome_note", "reviewed_at"])
    return commitment
