"""Forms of a peer group's space: a post or a reply, a meeting, who came to it, a commitment
and how it went. They parse what was typed; the rules are in ``services.peer_sets``."""

from django import forms
from django.core.validators import URLValidator

from ..models import Commitment, Enrolment, PeerMeeting, PeerPost
from .facilitate import DateField, LondonTimes, TimeField


def _add_service_errors(form: forms.Form, error, renamed: dict | None = None) -> None:
    """Attach a ``ValidationError`` from a service to the form's fields (or the form)."""
    renamed = renamed or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        name = renamed.get(name, name)
        form.add_error(name if name in form.fields else None, messages)


class PostForm(forms.Form):
    """A post, or a reply to one: plain text, its links made safe when shown."""

    body = forms.CharField(
        label="Your post",
        max_length=PeerPost.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Plain text. Web addresses become links. Only your peer group and its "
        "adviser can read it.",
        error_messages={
            "required": "Write something to post",
            "max_length": "Your post must be 10,000 characters or fewer",
        },
    )

    def __init__(self, *args, reply: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if reply:
            field = self.fields["body"]
            field.label = "Your reply"
            field.help_text = "Plain text. Web addresses become links."
            field.widget.attrs["rows"] = 3
            field.error_messages = {
                **field.error_messages,
                "required": "Write something to reply",
                "max_length": "Your reply must be 10,000 characters or fewer",
            }

    def add_service_errors(self, error) -> None:
        _add_service_errors(self, error)


class MeetingForm(LondonTimes, forms.Form):
    """A meeting of the set, in UK time. The times become instants here (``cohorts.times``),
    refusing one the clocks skip or repeat; the rest is ``services.peer_meeting_save``'s."""

    SERVICE_FIELDS = {"starts_at": "date", "ends_at": "end_time"}

    date = DateField(
        label="Date", noun="the date of the meeting", help_text="For example, 27 3 2027"
    )
    start_time = TimeField(label="Start time", noun="a start time", subject="The start time")
    end_time = TimeField(label="End time", noun="an end time", subject="The end time")
    joining_url = forms.URLField(
        label="Online joining link",
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="For example, https://meet.example.org/set-3. Give a link, a place or both.",
        error_messages={
            "invalid": "Enter the joining link as a web address, like https://meet.example.org/set-3",
            "max_length": "The joining link must be 200 characters or fewer",
        },
    )
    location = forms.CharField(
        label="Place",
        required=False,
        max_length=300,
        help_text="A room and address, if you meet in person.",
        error_messages={"max_length": "The place must be 300 characters or fewer"},
    )
    problem_holder = forms.TypedChoiceField(
        label="Problem holder",
        coerce=int,
        help_text="The member who brings a problem to this meeting. Everyone takes a turn.",
        error_messages={
            "required": "Choose who brings a problem to this meeting",
            "invalid_choice": "Choose a member of the set to bring a problem",
        },
    )

    def __init__(self, *args, members: list[Enrolment], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem_holder"].choices = [("", "Choose a member")] + [
            (enrolment.pk, str(enrolment.user)) for enrolment in members
        ]

    @classmethod
    def initial_for(cls, meeting: PeerMeeting) -> dict:
        return {
            **cls.times_initial(meeting.starts_at, meeting.ends_at),
            "joining_url": meeting.joining_url,
            "location": meeting.location,
            "problem_holder": meeting.problem_holder_id,
        }

    def apply_to(self, meeting: PeerMeeting) -> PeerMeeting:
        data = self.cleaned_data
        meeting.starts_at = data["starts_at"]
        meeting.ends_at = data["ends_at"]
        meeting.joining_url = data["joining_url"].strip()
        meeting.location = data["location"].strip()
        meeting.problem_holder_id = data["problem_holder"]
        return meeting

    def add_service_errors(self, error) -> None:
        _add_service_errors(self, error, self.SERVICE_FIELDS)


PRESENT, ABSENT = "present", "absent"


class AttendanceForm(forms.Form):
    """Who came to a meeting: one question per member."""

    def __init__(self, *args, members: list[Enrolment], recorded: dict[int, bool], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for enrolment in members:
            came = recorded.get(enrolment.pk)
            self.fields[self.name_for(enrolment)] = forms.ChoiceField(
                label=str(enrolment.user),
                choices=[(PRESENT, "Came"), (ABSENT, "Did not come")],
                widget=forms.RadioSelect,
                initial=None if came is None else (PRESENT if came else ABSENT),
                error_messages={
                    "required": f"Say whether {enrolment.user} came to the meeting",
                    "invalid_choice": f"Say whether {enrolment.user} came to the meeting",
                },
            )

    @staticmethod
    def name_for(enrolment: Enrolment) -> str:
        return f"member_{enrolment.pk}"

    @property
    def present(self) -> dict[int, bool]:
        return {
            enrolment.pk: self.cleaned_data[self.name_for(enrolment)] == PRESENT
            for enrolment in self.members
        }

    def add_service_errors(self, error) -> None:
        _add_service_errors(self, error)


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label="Your commitment",
        max_length=Commitment.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you will do before the next meeting. Your set will ask you how it went.",
        error_messages={
            "required": "Write what you commit to do before the next meeting",
            "max_length": "Your commitment must be 1,000 characters or fewer",
        },
    )

    def add_service_errors(self, error) -> None:
        _add_service_errors(self, error)


class CommitmentReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="How did it go?",
        choices=Commitment.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how it went: done, partly done or not done yet",
            "invalid_choice": "Choose how it went: done, partly done or not done yet",
        },
    )
    outcome_note = forms.CharField(
        label="What happened",
        required=False,
        max_length=Commitment.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you did, what got in the way, what you learned.",
        error_messages={"max_length": "Your note must be 1,000 characters or fewer"},
    )

    def add_service_errors(self, error) -> None:
        _add_service_errors(self, error)
