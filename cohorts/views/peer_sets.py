"""A peer group's own space (/cohorts/<id>/peer-group/):
its members, posts, meetings, attendance and commitments."""

from django.http import Http404


def own_peer_set(request, *args, **kwargs):
    raise Http404


def peer_set(request, *args, **kwargs):
    raise Http404


def post_add(request, *args, **kwargs):
    raise Http404


def post_reply(request, *args, **kwargs):
    raise Http404


def meeting_add(request, *args, **kwargs):
    raise Http404


def meeting(request, *args, **kwargs):
    raise Http404


def meeting_edit(request, *args, **kwargs):
    raise Http404


def attendance(request, *args, **kwargs):
    raise Http404


def commitment(request, *args, **kwargs):
    raise Http404


def commitment_review(request, *args, **kwargs):
    raise Http404
