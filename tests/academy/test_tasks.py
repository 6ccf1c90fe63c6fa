from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

import pytest

from academy.tasks import clear_expired_sessions_task

pytestmark = pytest.mark.django_db


def make_session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["seen"] = True
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    return store.session_key


def test_clearing_expired_sessions_keeps_live_ones_and_is_idempotent():
    expired = make_session(timedelta(days=-1))
    live = make_session(timedelta(days=1))
    assert clear_expired_sessions_task() == 1
    assert clear_expired_sessions_task() == 0
    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()


def test_the_task_is_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "academy.tasks.clear_expired_sessions_task" in tasks
