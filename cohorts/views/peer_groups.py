"""Composing a cohort's peer groups (/facilitate/cohorts/<id>/peer-groups/),
and a learner's own declarations of whom they work with (/profile/peer-groups/)."""

from django.http import Http404


def working_relationships(request, *args, **kwargs):
    raise Http404


def working_relationship_delete(request, *args, **kwargs):
    raise Http404


def peer_groups(request, *args, **kwargs):
    raise Http404


def compose(request, *args, **kwargs):
    raise Http404


def publish(request, *args, **kwargs):
    raise Http404


def member_move(request, *args, **kwargs):
    raise Http404


def member_pin(request, *args, **kwargs):
    raise Http404


def set_adviser(request, *args, **kwargs):
    raise Http404


def keep_apart_add(request, *args, **kwargs):
    raise Http404


def keep_apart_delete(request, *args, **kwargs):
    raise Http404
