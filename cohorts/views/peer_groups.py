"""Composing a cohort's peer groups (/facilitate/cohorts/<id>/peer-groups/): the composer's
settings and what it proposes, moving and pinning members, naming advisers, the pairs kept
apart, the change log and publishing (``services.peer_groups``); and a learner's own
declarations of whom they work with (/profile/peer-groups/).

Every change is a plain form posted to its own address, so the page works without JavaScript.
A refused change shows the page again with the reason (400); an accepted one goes back to the
page with a message. The page shown, and gone back to, keeps its ``?page=`` of sets."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy.pagination import pagination

from .. import access
from ..forms.peer_groups import (
    AdviserForm,
    ComposeForm,
    KeepApartForm,
    MoveForm,
    PinForm,
    WorkingRelationshipForm,
)
from ..models import Cohort, Enrolment, KeepApart, PeerSet, WorkingRelationship
from ..selectors.peer_groups import (
    SELECT_LIMIT,
    cohort_members,
    member_of,
    peer_groups_page,
)
from ..services import peer_groups as services
from .decorators import cohort_view


class Refusal(forms.Form):
    """A refusal that belongs to no field (publishing twice, pinning someone not in a set):
    shown in the error summary."""

    @classmethod
    def saying(cls, error: ValidationError) -> "Refusal":
        form = cls(data={})
        form.is_valid()
        form.add_error(None, error.messages)
        return form


def _page_number(request) -> str | None:
    return request.GET.get("page")


def _page_url(request, cohort: Cohort, anchor: str = "") -> str:
    """The composer page, on the page of sets the request came from."""
    url = reverse("facilitate_peer_groups", args=[cohort.pk])
    number = _page_number(request)
    if number and number.isdigit() and int(number) > 1:
        url += "?" + urlencode({"page": number})
    return url + (f"#{anchor}" if anchor else "")


def _name(enrolment: Enrolment) -> str:
    return enrolment.user.display_name or enrolment.user.email


def _render(request, cohort: Cohort, failed: forms.Form | None = None):
    """The composer page; with ``failed``, the form that was refused, shown with its errors
    where it belongs (and in the error summary), answering 400."""
    read = peer_groups_page(cohort, _page_number(request))

    def move_form(enrolment_id: int) -> MoveForm:
        if isinstance(failed, MoveForm) and failed.enrolment_id == enrolment_id:
            return failed
        return MoveForm(enrolment_id=enrolment_id)

    def adviser_form(peer_set: PeerSet) -> AdviserForm:
        if isinstance(failed, AdviserForm) and failed.number == peer_set.number:
            return failed
        return AdviserForm(
            number=peer_set.number,
            advisers=read.advisers,
            initial={"adviser": peer_set.adviser_id},
        )

    sets = [
        {
            "view": view,
            "members": [(member, move_form(member.member.id)) for member in view.members],
            "adviser_form": adviser_form(view.peer_set),
        }
        for view in read.sets
    ]
    page_query = f"?{urlencode({'page': read.page.number})}" if read.page.number > 1 else ""
    context = {
        "cohort": cohort,
        "read": read,
        "plan": read.plan,
        "sets": sets,
        "unplaced": [(member, move_form(member.id)) for member in read.unplaced],
        "compose_form": failed
        if isinstance(failed, ComposeForm)
        else ComposeForm.for_plan(read.plan),
        "apart_form": failed
        if isinstance(failed, KeepApartForm)
        else KeepApartForm(members=read.member_choices, by_email=read.by_email),
        "pages": pagination(read.page, request.GET, fragment="sets"),
        "page_query": page_query,
        "form": failed,
    }
    return render(
        request,
        "cohorts/facilitate/peer_groups.html",
        context,
        status=400 if failed is not None else 200,
    )


@cohort_view
@require_GET
def peer_groups(request, cohort):
    return _render(request, cohort)


def _composed_message(composed: services.Composed) -> str:
    """What composing did, for the banner: "3 sets composed", or after publishing "2 members
    placed in the published sets and emailed their set"; and how many rules were not met."""
    placed = composed.placed
    if composed.after_publishing:
        if not placed:
            return "Everyone is already in a set: the published sets are unchanged"
        said = (
            f"{placed} member{' was' if placed == 1 else 's were'} placed in the published sets"
            " and will be emailed their set"
        )
    else:
        sets = len(composed.composition.sets)
        said = f"{sets} set{'' if sets == 1 else 's'} composed"
    breaches = len([b for b in composed.composition.breaches if b.kind != "unplaced"])
    if breaches:
        said += (
            f"; {breaches} rule{' was' if breaches == 1 else 's were'} not met:"
            " see the warnings below"
        )
    return said


@cohort_view
@require_POST
def compose(request, cohort):
    form = ComposeForm(request.POST)
    if not form.is_valid():
        return _render(request, cohort, form)
    try:
        composed = services.peer_groups_compose(cohort=cohort, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_service_errors(error)
        return _render(request, cohort, form)
    messages.success(request, _composed_message(composed))
    return redirect(_page_url(request, cohort, "sets"))


@cohort_view
@require_POST
def publish(request, cohort):
    try:
        told = services.peer_groups_publish(cohort=cohort, by=request.user)
    except ValidationError as error:
        return _render(request, cohort, Refusal.saying(error))
    messages.success(
        request,
        f"The sets are published. {told} member{' is' if told == 1 else 's are'} being emailed"
        " their set",
    )
    return redirect(_page_url(request, cohort))


def _cohort_member(cohort: Cohort, enrolment_id: int) -> Enrolment:
    """An enrolment of this cohort; 404 for another cohort's."""
    return get_object_or_404(
        Enrolment.objects.select_related("user"), pk=enrolment_id, cohort=cohort
    )


@cohort_view
@require_POST
def member_move(request, cohort, enrolment_id: int):
    enrolment = _cohort_member(cohort, enrolment_id)
    form = MoveForm(request.POST, enrolment_id=enrolment.pk)
    if not form.is_valid():
        return _render(request, cohort, form)
    to_number = None if form.removing else form.cleaned_data["to_number"]
    try:
        services.peer_member_move(
            cohort=cohort, enrolment=enrolment, to_number=to_number, by=request.user
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return _render(request, cohort, form)
    if to_number is None:
        messages.success(request, f"{_name(enrolment)} is no longer in a set")
    else:
        messages.success(request, f"{_name(enrolment)} moved to set {to_number} and pinned there")
    return redirect(_page_url(request, cohort, "sets"))


@cohort_view
@require_POST
def member_pin(request, cohort, enrolment_id: int):
    enrolment = _cohort_member(cohort, enrolment_id)
    form = PinForm(request.POST)
    if not form.is_valid():
        return _render(request, cohort, Refusal.saying(ValidationError("Choose Pin or Unpin")))
    try:
        row = services.peer_member_pin(
            cohort=cohort, enrolment=enrolment, pinned=form.pinned, by=request.user
        )
    except ValidationError as error:
        return _render(request, cohort, Refusal.saying(error))
    if form.pinned:
        said = f"{_name(enrolment)} is pinned to set {row.peer_set.number}"
    else:
        said = f"{_name(enrolment)} is no longer pinned to set {row.peer_set.number}"
    messages.success(request, said)
    return redirect(_page_url(request, cohort, "sets"))


@cohort_view
@require_POST
def set_adviser(request, cohort, number: int):
    peer_set = get_object_or_404(PeerSet, cohort=cohort, number=number)
    form = AdviserForm(
        request.POST, number=peer_set.number, advisers=list(access.adviser_choices(cohort))
    )
    if not form.is_valid():
        return _render(request, cohort, form)
    adviser = form.chosen
    try:
        services.peer_set_adviser(
            cohort=cohort, number=peer_set.number, adviser=adviser, by=request.user
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return _render(request, cohort, form)
    if adviser is None:
        messages.success(request, f"Set {peer_set.number} has no adviser now")
    else:
        name = adviser.display_name or adviser.email
        messages.success(request, f"{name} is the adviser of set {peer_set.number}")
    return redirect(_page_url(request, cohort, "sets"))


@cohort_view
@require_POST
def keep_apart_add(request, cohort):
    members = cohort_members(cohort)
    by_email = len(members) > SELECT_LIMIT
    choices = [] if by_email else sorted(members.values(), key=lambda m: (m.name.lower(), m.id))
    form = KeepApartForm(request.POST, members=choices, by_email=by_email)
    if not form.is_valid():
        return _render(request, cohort, form)
    chosen = []
    for field in ("first", "second"):
        value = form.cleaned_data[field]
        if by_email:
            member = member_of(members, value)
            if member is None:
                form.add_error(field, f"No member of this cohort has the email address {value}")
                continue
            value = member.id
        chosen.append(_cohort_member(cohort, value))
    if form.errors:
        return _render(request, cohort, form)
    first, second = chosen
    try:
        services.keep_apart_add(cohort=cohort, first=first, second=second, by=request.user)
    except ValidationError as error:
        form.add_service_errors(error)
        return _render(request, cohort, form)
    messages.success(request, f"{_name(first)} and {_name(second)} will be kept in different sets")
    return redirect(_page_url(request, cohort, "apart"))


@cohort_view
@require_POST
def keep_apart_delete(request, cohort, pair_id: int):
    pair = get_object_or_404(
        KeepApart.objects.select_related("first__user", "second__user"), pk=pair_id, cohort=cohort
    )
    services.keep_apart_delete(cohort=cohort, pair=pair, by=request.user)
    messages.success(
        request,
        f"{_name(pair.first)} and {_name(pair.second)} are no longer kept apart. Sets already"
        " composed are unchanged",
    )
    return redirect(_page_url(request, cohort, "apart"))


# --- A learner's own declarations ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def working_relationships(request):
    form = WorkingRelationshipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            declared = services.working_relationship_add(
                user=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, f"We will keep you and {declared.email} in different peer groups"
            )
            return redirect("working_relationships")
    context = {
        "form": form,
        "declared": list(WorkingRelationship.objects.filter(user=request.user)),
        "limit": services.WORKING_RELATIONSHIPS_LIMIT,
    }
    status = 400 if form.errors else 200
    return render(request, "cohorts/learning/working_relationships.html", context, status=status)


@login_required
@require_POST
def working_relationship_delete(request, relationship_id: int):
    declared = WorkingRelationship.objects.filter(pk=relationship_id, user=request.user).first()
    if declared is None:
        raise Http404
    services.working_relationship_delete(user=request.user, relationship=declared)
    messages.success(request, f"You removed {declared.email}")
    return redirect("working_relationships")
