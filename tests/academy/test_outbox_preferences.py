"""Each person's choices about the academy's emails (academy/outbox/preferences.py): the kinds
they may choose about, saving choices (all or nothing), the signed unsubscribe token, and
unsubscribing from one kind."""

from django.core import signing
from django.core.exceptions import ValidationError

import pytest

from academy import outbox
from academy.models import NotificationPreference, OutboxEmail
from academy.outbox.preferences import (
    SALT,
    BadToken,
    ExpiredToken,
    choices_for,
    kind_unsubscribe,
    kinds_for,
    preferences_update,
    read_unsubscribe_token,
    unsubscribe_token,
)
from tests.factories import UserFactory

from ..cohorts.factories import facilitator
from .outbox_kinds import (  # noqa: F401
    FACILITATORS_WEEK,
    NOT_SWITCHABLE,
    REMINDER,
    reminder_kind,
    reminders,
)
from .unsubscribe_links import token_made_days_ago

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reminder_kind")]
Delivery = OutboxEmail.Delivery
Status = OutboxEmail.Status
IMMEDIATE = Delivery.IMMEDIATE


# --- The token -------------------------------------------------------------------------------


def test_the_token_names_the_person_and_the_kind():
    assert read_unsubscribe_token(unsubscribe_token(42, REMINDER)) == (42, REMINDER)


# Tokens are made when the test is collected (signed, with the time): each case is named, so
# that every pytest-xdist worker collects the same tests.
@pytest.mark.parametrize(
    "token",
    [
        pytest.param("not-a-token", id="not a token"),
        pytest.param("", id="empty"),
        pytest.param(unsubscribe_token(42, REMINDER)[:-3] + "abc", id="altered signature"),
        pytest.param(
            signing.dumps({"u": 42, "k": REMINDER}, salt="another.purpose"), id="another use"
        ),
        pytest.param(signing.dumps({"u": "42", "k": REMINDER}, salt=SALT), id="not a person's id"),
        pytest.param(signing.dumps([42, REMINDER], salt=SALT), id="not what we sign"),
    ],
)
def test_a_token_not_made_here_is_refused(token):
    with pytest.raises(BadToken):
        read_unsubscribe_token(token)


def test_a_token_older_than_the_links_last_has_expired(settings):
    assert settings.OUTBOX["UNSUBSCRIBE_DAYS"] == 180
    assert read_unsubscribe_token(token_made_days_ago(179, 42, REMINDER)) == (42, REMINDER)
    with pytest.raises(ExpiredToken):
        read_unsubscribe_token(token_made_days_ago(181, 42, REMINDER))


# --- Kinds and choices ------------------------------------------------------------------------


def test_facilitators_kinds_are_offered_to_staff_only():
    learner, lead = UserFactory(), facilitator()
    assert FACILITATORS_WEEK not in {kind.name for kind in kinds_for(learner)}
    assert FACILITATORS_WEEK in {kind.name for kind in kinds_for(lead)}
    assert {REMINDER, NOT_SWITCHABLE, "digest"} <= {kind.name for kind in kinds_for(learner)}


def test_with_nothing_saved_every_kind_is_on_as_it_happens():
    user = UserFactory()
    NotificationPreference.objects.create(
        user=user, kind=REMINDER, enabled=True, delivery=Delivery.WEEKLY
    )
    choices = {choice.kind.name: (choice.enabled, choice.delivery) for choice in choices_for(user)}
    assert choices[REMINDER] == (True, Delivery.WEEKLY)
    assert choices[NOT_SWITCHABLE] == (True, Delivery.IMMEDIATE)


# --- Saving choices ---------------------------------------------------------------------------


def test_choices_are_saved_and_changed():
    user = UserFactory()
    preferences_update(user=user, choices={REMINDER: (True, Delivery.DAILY)})
    preferences_update(user=user, choices={REMINDER: (False, Delivery.IMMEDIATE)})
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.kind, preference.enabled) == (REMINDER, False)


ACCOUNT_NOTICES = "“Notices about your account”"


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"no_such_kind": (True, IMMEDIATE)}, "There is no kind of email called “no_such_kind”"),
        ({NOT_SWITCHABLE: (False, IMMEDIATE)}, f"{ACCOUNT_NOTICES} cannot be switched off"),
        ({NOT_SWITCHABLE: (True, Delivery.DAILY)}, f"{ACCOUNT_NOTICES} is only sent as it happens"),
        ({REMINDER: (True, "hourly")}, "Choose how to receive “Reminders”"),
        # A learner cannot choose about the facilitators' emails.
        (
            {FACILITATORS_WEEK: (False, IMMEDIATE)},
            f"There is no kind of email called “{FACILITATORS_WEEK}”",
        ),
    ],
)
def test_a_choice_that_cannot_be_made_is_refused_and_nothing_is_saved(choices, message):
    user = UserFactory()
    with pytest.raises(ValidationError) as refused:
        preferences_update(user=user, choices={REMINDER: (False, IMMEDIATE), **choices})
    assert message in refused.value.messages
    assert not NotificationPreference.objects.exists()


# --- Unsubscribing ----------------------------------------------------------------------------


def test_unsubscribing_stops_that_kind_and_what_of_it_still_waits():
    user, other = UserFactory(), UserFactory()
    outbox.enqueue(REMINDER, reminders([user, other], ref="sent"))
    outbox.send(list(OutboxEmail.objects.values_list("pk", flat=True)))
    outbox.enqueue(REMINDER, reminders([user, other], ref="waiting"))
    outbox.enqueue(NOT_SWITCHABLE, reminders([user], ref="waiting"))

    assert kind_unsubscribe(user_id=user.pk, kind=REMINDER).name == REMINDER

    assert not NotificationPreference.objects.get(user=user, kind=REMINDER).enabled
    mine = OutboxEmail.objects.filter(user=user)
    assert mine.get(kind=REMINDER, key__contains=":waiting:").status == Status.SKIPPED
    assert mine.get(kind=REMINDER, key__contains=":sent:").status == Status.SENT
    assert mine.get(kind=NOT_SWITCHABLE).status == Status.PENDING
    assert set(OutboxEmail.objects.filter(user=other).values_list("status", flat=True)) == {
        Status.SENT,
        Status.PENDING,
    }
    # Later emails of that kind are not written at all.
    assert outbox.enqueue(REMINDER, reminders([user], ref="later")) == 0


def test_a_kind_that_cannot_be_switched_off_is_not_unsubscribed():
    user = UserFactory()
    outbox.enqueue(NOT_SWITCHABLE, reminders([user]))
    assert kind_unsubscribe(user_id=user.pk, kind=NOT_SWITCHABLE) is None
    assert kind_unsubscribe(user_id=user.pk, kind="no_such_kind") is None
    assert not NotificationPreference.objects.exists()
    assert OutboxEmail.objects.get().status == Status.PENDING
