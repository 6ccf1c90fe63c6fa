"""A peer group's own space (/cohorts/<id>/peer-group/): its members, posts, meetings,
attendance and commitments.

Only the set's members and its adviser open it (``access.peer_set_role``); anyone else gets
404, a facilitator who does not advise the set and the cohort's other members included (the
Chatham House rule, docs/privacy.md). Members write posts and commitments in their own name;
members and the adviser arrange meetings and record who came."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from academy.pagination import pagination

from .. import access
from ..forms.peer_sets import (
    AttendanceForm,
    CommitmentForm,
    CommitmentReviewForm,
    MeetingForm,
    PostForm,
)
from ..models import Cohort, PeerMeeting, PeerPost, PeerSet
from ..selectors import peer_sets as read
from ..services import peer_sets as write
from ..times import LONDON

TEMPLATES = "cohorts/peer_sets"


def _open_set(request, cohort_id: int, number: int) -> tuple[PeerSet, str]:
    """The set and how the person may open it; 404 for anyone but its members and adviser."""
    peer_set = read.peer_set_of(cohort_id, number)
    if peer_set is None:
        raise Http404
    role = access.peer_set_role(request.user, peer_set, published=read.is_published(peer_set))
    if role is None:
        raise Http404
    return peer_set, role


def _member_place(request, peer_set: PeerSet, role: str):
    """The person's own place in the set, for what members alone write; 404 for the adviser."""
    if not access.writes_in_peer_set(role):
        raise Http404
    place = read.member_of(read.set_members(peer_set), request.user)
    if place is None:
        raise Http404
    return place


def _arranger(role: str) -> None:
    if not access.arranges_peer_meetings(role):
        raise Http404


def _space_url(peer_set: PeerSet, *, page: int = 1, anchor: str = "") -> str:
    url = reverse("peer_set", args=[peer_set.cohort_id, peer_set.number])
    if page > 1:
        url += f"?{urlencode({'page': page})}"
    return f"{url}#{anchor}" if anchor else url


def _when(meeting: PeerMeeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at, LONDON), "l j F Y, H:i")


def _render_space(request, peer_set: PeerSet, role: str):
    space = read.peer_space(peer_set, request.user, role, page_number=request.GET.get("page"))
    for thread in space.threads:
        thread.reply_form = PostForm(reply=True, auto_id=f"reply-{thread.pk}-%s")
    context = {
        "space": space,
        "peer_set": peer_set,
        "cohort": peer_set.cohort,
        "post_form": PostForm(auto_id="post-%s"),
        "pages": pagination(space.threads, request.GET, fragment="posts"),
    }
    return render(request, f"{TEMPLATES}/space.html", context)


@login_required
@require_http_methods(["GET"])
def own_peer_set(request, cohort_id: int):
    """A member's own set; the sets an adviser advises; or, for the cohort's other members and
    the people who run it, why there is no set to show."""
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    own = access.own_peer_set(request.user, cohort)
    if own is not None:
        peer_set = read.peer_set_of(cohort.pk, own.number)
        return _render_space(request, peer_set, access.PEER_MEMBER)
    advised = list(access.advised_peer_sets(request.user, cohort))
    if not advised and not access.can_view_cohort(request.user, cohort):
        raise Http404
    plan = read.plan_of(cohort)
    context = {
        "cohort": cohort,
        "advised": advised,
        "published": plan is not None and plan.is_published,
        "runs_cohort": access.can_facilitate(request.user, cohort),
    }
    return render(request, f"{TEMPLATES}/no_set.html", context)


@login_required
@require_http_methods(["GET"])
def peer_set(request, cohort_id: int, number: int):
    peer_set, role = _open_set(request, cohort_id, number)
    return _render_space(request, peer_set, role)


def _post_page(request, peer_set, form, *, thread: PeerPost | None = None, status=200):
    context = {"peer_set": peer_set, "cohort": peer_set.cohort, "form": form, "thread": thread}
    return render(request, f"{TEMPLATES}/post_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def post_add(request, cohort_id: int, number: int):
    """A new post; refused (400, the text kept) when empty or too long."""
    peer_set, role = _open_set(request, cohort_id, number)
    author = _member_place(request, peer_set, role)
    if request.method == "GET":
        return _post_page(request, peer_set, PostForm())
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            post = write.peer_post_add(
                peer_set=peer_set, author=author, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Your post has been added")
            return redirect(_space_url(peer_set, anchor=f"post-{post.pk}"))
    return _post_page(request, peer_set, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def post_reply(request, cohort_id: int, number: int, post_id: int):
    """A reply to a post, one level deep: a reply to a reply joins the same thread."""
    peer_set, role = _open_set(request, cohort_id, number)
    author = _member_place(request, peer_set, role)
    thread = read.thread_of(peer_set, post_id)
    if thread is None:
        raise Http404
    if request.method == "GET":
        return _post_page(request, peer_set, PostForm(reply=True), thread=thread)
    form = PostForm(request.POST, reply=True)
    if form.is_valid():
        try:
            reply = write.peer_post_add(
                peer_set=peer_set, author=author, body=form.cleaned_data["body"], parent=thread
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Your reply has been added")
            page = read.thread_page(reply)
            return redirect(_space_url(peer_set, page=page, anchor=f"post-{reply.pk}"))
    return _post_page(request, peer_set, form, thread=thread, status=400)


def _meeting_form(request, peer_set: PeerSet, meeting: PeerMeeting):
    """Schedule ``meeting`` (new) or change it, through ``peer_meeting_save``."""
    adding = meeting.pk is None
    members = read.set_members(peer_set)
    if adding:
        turn = read.next_turn(members, read.set_meetings(peer_set))
        initial = {"problem_holder": turn.pk if turn else None}
    else:
        initial = MeetingForm.initial_for(meeting)
    posted = request.method == "POST"
    form = MeetingForm(request.POST if posted else None, initial=initial, members=members)
    if posted and form.is_valid():
        try:
            saved = write.peer_meeting_save(meeting=form.apply_to(meeting), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            verb = "scheduled" if adding else "changed"
            messages.success(
                request,
                f"The meeting on {_when(saved)} has been {verb}. Calendars that subscribe to "
                "your cohort's calendar will show it",
            )
            return redirect("peer_meeting", peer_set.cohort_id, peer_set.number, saved.pk)
    context = {
        "peer_set": peer_set,
        "cohort": peer_set.cohort,
        "meeting": None if adding else meeting,
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(request, f"{TEMPLATES}/meeting_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request, cohort_id: int, number: int):
    peer_set, role = _open_set(request, cohort_id, number)
    _arranger(role)
    return _meeting_form(request, peer_set, PeerMeeting(peer_set=peer_set))


def _meeting_of(peer_set: PeerSet, meeting_id: int) -> PeerMeeting:
    meeting = read.meeting_of(peer_set, meeting_id)
    if meeting is None:
        raise Http404
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, cohort_id: int, number: int, meeting_id: int):
    """Change a meeting, or cancel it (the button named ``cancel``): it stays, marked
    cancelled, and calendars remove it."""
    peer_set, role = _open_set(request, cohort_id, number)
    _arranger(role)
    meeting = _meeting_of(peer_set, meeting_id)
    if request.method == "POST" and "cancel" in request.POST:
        if meeting.cancelled:
            messages.info(request, "This meeting was already cancelled")
        else:
            write.peer_meeting_cancel(meeting=meeting)
            messages.success(
                request, f"The meeting on {_when(meeting)} has been cancelled in every calendar"
            )
        return redirect("peer_meeting", peer_set.cohort_id, peer_set.number, meeting.pk)
    return _meeting_form(request, peer_set, meeting)


def _render_meeting(request, peer_set, meeting, role, *, bound=None, status=200):
    """The meeting's page; ``bound`` is a form posted from it that was refused, shown again
    with its errors in place of the empty one."""
    page = read.meeting_page(peer_set, meeting, request.user, role)
    bound = bound or {}
    recorded = {row.enrolment.pk: row.present for row in page.attendance}
    attendance_form = bound.get("attendance") or AttendanceForm(
        members=page.members, recorded=recorded
    )
    initial = {"text": page.my_commitment.text} if page.my_commitment else None
    commitment_form = bound.get("commitment") or CommitmentForm(initial=initial)
    for commitment in page.for_review:
        if page.me and commitment.enrolment_id == page.me.pk:
            commitment.review_form = CommitmentReviewForm(
                initial={"outcome": commitment.outcome, "outcome_note": commitment.outcome_note},
                auto_id=f"review-{commitment.pk}-%s",
            )
    context = {
        "page": page,
        "peer_set": peer_set,
        "cohort": peer_set.cohort,
        "meeting": meeting,
        "attendance_form": attendance_form,
        "commitment_form": commitment_form,
        "form": next(iter(bound.values()), None),
    }
    return render(request, f"{TEMPLATES}/meeting.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def meeting(request, cohort_id: int, number: int, meeting_id: int):
    peer_set, role = _open_set(request, cohort_id, number)
    return _render_meeting(request, peer_set, _meeting_of(peer_set, meeting_id), role)


@login_required
@require_http_methods(["POST"])
def attendance(request, cohort_id: int, number: int, meeting_id: int):
    """Who came: any member or the adviser records it, once the meeting has started."""
    peer_set, role = _open_set(request, cohort_id, number)
    _arranger(role)
    meeting = _meeting_of(peer_set, meeting_id)
    members = read.set_members(peer_set)
    form = AttendanceForm(request.POST, members=members, recorded={})
    if form.is_valid():
        try:
            write.meeting_attendance_record(meeting=meeting, present=form.present)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Attendance has been recorded")
            return redirect("peer_meeting", peer_set.cohort_id, peer_set.number, meeting.pk)
    return _render_meeting(request, peer_set, meeting, role, bound={"attendance": form}, status=400)


@login_required
@require_http_methods(["POST"])
def commitment(request, cohort_id: int, number: int, meeting_id: int):
    """A member's own commitment at a meeting, recorded or changed."""
    peer_set, role = _open_set(request, cohort_id, number)
    place = _member_place(request, peer_set, role)
    meeting = _meeting_of(peer_set, meeting_id)
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            write.commitment_record(
                meeting=meeting, enrolment=place, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, "Your commitment has been recorded. It comes up at the next meeting"
            )
            return redirect("peer_meeting", peer_set.cohort_id, peer_set.number, meeting.pk)
    return _render_meeting(request, peer_set, meeting, role, bound={"commitment": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def commitment_review(request, cohort_id: int, number: int, commitment_id: int):
    """How a commitment went, recorded by its author alone (anyone else: 404)."""
    peer_set, _ = _open_set(request, cohort_id, number)
    commitment = read.commitment_of(peer_set, commitment_id)
    if commitment is None or not access.can_review_commitment(request.user, commitment):
        raise Http404
    following = read.next_meeting_after(commitment.meeting)
    posted = request.method == "POST"
    form = CommitmentReviewForm(
        request.POST if posted else None,
        initial={"outcome": commitment.outcome, "outcome_note": commitment.outcome_note},
    )
    if posted and form.is_valid():
        try:
            write.commitment_review(
                commitment=commitment,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["outcome_note"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "How your commitment went has been recorded")
            back = following or commitment.meeting
            return redirect("peer_meeting", peer_set.cohort_id, peer_set.number, back.pk)
    context = {
        "peer_set": peer_set,
        "cohort": peer_set.cohort,
        "commitment": commitment,
        "next_meeting": following,
        "form": form,
    }
    status = 400 if posted else 200
    return render(request, f"{TEMPLATES}/commitment_review.html", context, status=status)
