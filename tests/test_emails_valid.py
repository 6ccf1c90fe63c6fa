"""Every kind of email the demo academy sends is readable in both parts: valid HTML (the W3C's
Nu Html Checker, as for pages), in English, with a title and the academy's name; a plain-text
part with no markup; and in both, the way to choose emails and to stop this kind.

The demo academy is put through what makes its emails: a facilitator decides applications and
posts an announcement, a mark is returned, the clock moves to the day before a live session, to
a quiet week's nudge and to the facilitators' Monday, and a learner who chose a daily digest
gets one. Whatever the outbox then sends is checked, kind by kind."""

import json
import re
import subprocess
from datetime import datetime, time, timedelta

from django.core import mail

import pytest
import time_machine

from academy import outbox
from academy.models import NotificationPreference, OutboxEmail
from academy.outbox import kinds as registry
from cohorts.models import Cohort, Enrolment
from cohorts.services.announcements import announcement_create
from cohorts.services.enrolment import applications_decide
from cohorts.times import LONDON
from tests.services import require_vnu

pytestmark = [pytest.mark.django_db, pytest.mark.long]

LEARNER = "learner@academy.test"
FACILITATOR = "facilitator@academy.test"


def send_pending(now) -> None:
    ids = list(
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, due_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    outbox.send(ids, now=now)


def next_monday_at(hour: int) -> datetime:
    today = datetime.now(LONDON).date()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    return datetime.combine(monday, time(hour), tzinfo=LONDON)


@pytest.fixture
def sent(full_demo, db, django_user_model, settings):
    settings.OUTBOX = {**settings.OUTBOX, "RATE_PER_MINUTE": 100_000}
    facilitator = django_user_model.objects.get(email=FACILITATOR)
    learner = django_user_model.objects.get(email=LEARNER)
    running = Cohort.objects.get(enrolments__user=learner, enrolments__status="active")
    upcoming = Cohort.objects.filter(
        enrolments__status=Enrolment.Status.APPLIED, facilitators=facilitator
    ).first()
    applications = list(
        upcoming.enrolments.filter(status=Enrolment.Status.APPLIED).values_list("pk", flat=True)
    )
    applications_decide(
        cohort=upcoming,
        enrolment_ids=applications[:1],
        approve=True,
        decided_by=facilitator,
        message="Welcome: we look forward to working with you.",
    )
    applications_decide(
        cohort=upcoming, enrolment_ids=applications[1:2], approve=False, decided_by=facilitator
    )
    another = Enrolment.objects.filter(cohort=running, status="active").exclude(user=learner)
    NotificationPreference.objects.create(
        user=another.first().user, kind="announcement", delivery="daily"
    )
    announcement_create(
        cohort=running,
        author=facilitator,
        subject="Reading for Thursday",
        body="Please read the Wigan case study.\n\nBring one question <for the group>.",
    )
    now = datetime.now(LONDON)
    send_pending(now)
    for moment in (
        datetime.combine(now.date(), time(10), tzinfo=LONDON),
        datetime.combine(now.date() + timedelta(days=1), time(10), tzinfo=LONDON),
        next_monday_at(9),
    ):
        with time_machine.travel(moment, tick=False):
            outbox.dispatch(moment)
            send_pending(moment)
    return list(mail.outbox)


def test_each_kind_of_email_has_both_parts_and_the_ways_to_stop_it(sent):
    kinds = {message.extra_headers["X-Academy-Kind"] for message in sent}
    # What the demo academy's day makes: decisions, news, reminders, a nudge, the facilitators'
    # Monday and a digest. (Kinds that need other moments are checked in their own tests.)
    assert {"enrolment", "announcement", "session_tomorrow", "digest"} <= kinds, kinds
    for message in sent:
        kind = registry.get_kind(message.extra_headers["X-Academy-Kind"])
        text = message.body
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        # Plain text: no markup, and nothing escaped as if it were HTML.
        assert not re.search(r"</?(p|a|br|div|ul|li|strong|h1)\b", text), (kind.name, text)
        assert not re.search(r"&(lt|gt|amp|quot|#x27|#39);", text), (kind.name, text)
        if kind.name == "announcement":
            assert "Bring one question <for the group>." in text
            assert "Bring one question &lt;for the group&gt;." in html
        assert (
            "Collaborative Leadership Academy" in text
            and "Collaborative Leadership Academy" in html
        )
        assert '<html lang="en-GB">' in html and "<title>" in html
        assert "/profile/notifications/" in text and "/profile/notifications/" in html
        if kind.can_switch_off:
            unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
            assert unsubscribe in text and unsubscribe in html.replace("&amp;", "&")
            assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.extra_headers["Message-ID"].startswith("<outbox.")


def test_every_email_is_valid_html(sent, tmp_path):
    vnu = require_vnu()
    names = {}
    for number, message in enumerate(sent):
        path = tmp_path / f"{number:04d}.html"
        path.write_text(message.alternatives[0][0], encoding="utf-8")
        names[path.as_uri()] = names[f"file:{path}"] = message.extra_headers["X-Academy-Kind"]
    result = subprocess.run(
        [*vnu, "--format", "json", "--stdout", *sorted(str(p) for p in tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = sorted(
        {
            f"{names.get(m.get('url', ''), '?')}: {m['message']}"
            for m in messages
            if m["type"] != "info"
        }
    )
    print(f"{len(sent)} emails validated, {len(errors)} distinct errors")
    assert errors == []
