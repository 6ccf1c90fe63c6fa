"""Forms for the people who run cohorts: deciding applications, live sessions and
announcements. They parse and check what was typed; the rules live in ``cohorts.services``."""

import re
from datetime import date, time

from django import forms
from django.utils import timezone

from academy.forms.fields import NameField

from ..models import Enrolment, LiveSession
from ..times import LONDON, ClockChange, london_instant

# --- Applications ---------------------------------------------------------------------------


class DecisionForm(forms.Form):
    """Approve or decline the selected applications. The two submit buttons send
    ``decision``; the choices are the applications pending when the page was read, so a stale
    or made-up id is an ordinary form error, never a crash."""

    APPROVE, DECLINE = "approve", "decline"

    enrolments = forms.TypedMultipleChoiceField(
        label="Select applications",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one application",
            "invalid_choice": (
                "One of the selected applications is no longer waiting for a decision."
                " Check the list and try again"
            ),
        },
    )
    message = forms.CharField(
        label="Message to the applicants",
        required=False,
        max_length=2000,
        help_text="Included in the email each selected applicant receives.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The message must be 2,000 characters or fewer"},
    )
    decision = forms.ChoiceField(
        choices=[(APPROVE, "Approve selected"), (DECLINE, "Decline selected")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose whether to approve or decline the selected applications",
            "invalid_choice": "Choose whether to approve or decline the selected applications",
        },
    )

    def __init__(self, *args, applications: list[Enrolment], **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = applications
        self.fields["enrolments"].choices = [(e.pk, str(e.user)) for e in applications]

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE

    def clean(self):
        cleaned = super().clean()
        selected = set(cleaned.get("enrolments") or ())
        waiting = {e.pk for e in self.applications if e.status == Enrolment.Status.WAITLISTED}
        if cleaned.get("decision") == self.APPROVE and selected & waiting:
            self.add_error(
                "enrolments",
                "People on the waiting list are offered a place automatically, longest waiting"
                " first, when one becomes free. You can only decline them",
            )
        return cleaned

    def options(self):
        """Each application with its checkbox, in the order of the list."""
        return list(zip(self["enrolments"], self.applications, strict=True))


# --- Live sessions --------------------------------------------------------------------------


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes. The day box takes the field's own id,
    so the error summary's link lands on it."""

    template_name = "components/date_input.html"

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        super().__init__(
            {
                "day": forms.TextInput(attrs=box),
                "month": forms.TextInput(attrs=box),
                "year": forms.TextInput(attrs=box),
            },
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        parts = ("day", "month", "year")
        for part, subwidget in zip(parts, context["widget"]["subwidgets"], strict=True):
            subwidget["part"] = part
            subwidget["label"] = part.capitalize()
            if field_id:
                subwidget["attrs"]["id"] = field_id if part == "day" else f"{field_id}-{part}"
        return context

    def id_for_label(self, id_):
        return id_


class DateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK's error messages."""

    widget = DateInput

    def __init__(self, *, noun: str = "the date", **kwargs):
        self.noun = noun
        kwargs.setdefault("template_name", "cohorts/facilitate/forms/date_field.html")
        super().__init__(**kwargs)

    @property
    def subject(self) -> str:
        """The noun at the start of a sentence: "The date of the session must …"."""
        return self.noun[:1].upper() + self.noun[1:]

    def to_python(self, value):
        if isinstance(value, date):
            return value
        parts = [str(part or "").strip() for part in (value or [])][:3]
        parts += [""] * (3 - len(parts))
        if not any(parts):
            return None
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise forms.ValidationError(f"{self.subject} must include a {' and '.join(missing)}")
        if not all(part.isascii() and part.isdigit() and len(part) <= 4 for part in parts):
            raise forms.ValidationError(f"{self.subject} must be a real date")
        day, month, year = (int(part) for part in parts)
        if len(parts[2]) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            return date(year, month, day)
        except (ValueError, OverflowError):
            raise forms.ValidationError(f"{self.subject} must be a real date") from None

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise forms.ValidationError(f"Enter {self.noun}", code="required")


_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?(?P<half>am|pm)?$", re.IGNORECASE | re.ASCII
)


class TimeField(forms.Field):
    """A time of day typed as 10:30, 14:00, 9.15 or 2pm."""

    widget = forms.TextInput

    def __init__(self, *, noun: str, subject: str, **kwargs):
        self.noun = noun
        self.subject = subject
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 10:30 or 14:00.")
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, time):
            return value
        text = str(value or "").strip().replace(" ", "")
        if not text:
            return None
        match = _TIME.match(text) if len(text) <= 10 else None
        if not match:
            raise forms.ValidationError(f"Enter {self.noun} like 10:30 or 14:00")
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        half = (match["half"] or "").lower()
        if half:
            if not 1 <= hour <= 12:
                raise forms.ValidationError(f"Enter {self.noun} like 10:30 or 2pm")
            hour = hour % 12 + (12 if half == "pm" else 0)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(f"Enter {self.noun} between 00:00 and 23:59")
        return time(hour, minute)

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(f"Enter {self.noun}, for example 10:30", code="required")


class LondonTimes:
    """For a form with a ``date``, a ``start_time`` and an ``end_time`` typed in UK time
    (Europe/London): ``clean`` turns them into the instants ``starts_at`` and ``ends_at``
    (``cohorts.times``), refusing a time the clocks skip or repeat; ``times_initial`` shows
    two instants back in the fields. A live session's and a peer-group meeting's."""

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        for name, key in (("start_time", "starts_at"), ("end_time", "ends_at")):
            at = cleaned.get(name)
            if day is None or at is None:
                continue
            try:
                cleaned[key] = london_instant(day, at)
            except ClockChange as change:
                self.add_error(name, change.message(self.fields[name].subject))
        return cleaned

    @staticmethod
    def times_initial(starts_at, ends_at) -> dict:
        starts = timezone.localtime(starts_at, LONDON)
        ends = timezone.localtime(ends_at, LONDON)
        return {
            "date": starts.date(),
            "start_time": starts.strftime("%H:%M"),
            "end_time": ends.strftime("%H:%M"),
        }


class LiveSessionForm(LondonTimes, forms.Form):
    """A live session: its day and times are in UK time (Europe/London). The form turns them
    into instants (``cohorts.times``), refusing a time the clocks skip or repeat; whether the
    session ends after it starts, on a day the cohort runs, is the service's rule."""

    # Where the service's field names differ from the form's.
    SERVICE_FIELDS = {"starts_at": "date", "ends_at": "end_time", "cohort": None}

    title = NameField(
        label="Title",
        subject="The title",
        max_length=200,
        error_messages={
            "required": "Enter a title for the session",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    date = DateField(
        label="Date",
        noun="the date of the session",
        help_text="For example, 27 3 2027",
    )
    start_time = TimeField(label="Start time", noun="a start time", subject="The start time")
    end_time = TimeField(label="End time", noun="an end time", subject="The end time")
    location = forms.CharField(
        label="Location",
        required=False,
        max_length=300,
        help_text="A room and address, if people meet in person.",
        error_messages={"max_length": "The location must be 300 characters or fewer"},
    )
    joining_url = forms.URLField(
        label="Online joining link",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="For example, https://meet.example.org/set-3. Give a location, a link or both.",
        error_messages={
            "invalid": "Enter the joining link as a web address, like https://meet.example.org/set-3",
            "max_length": "The joining link must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        help_text="What the session is for and anything to prepare.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "The description must be 5,000 characters or fewer"},
    )

    @classmethod
    def initial_for(cls, session: LiveSession) -> dict:
        return {
            "title": session.title,
            **cls.times_initial(session.starts_at, session.ends_at),
            "location": session.location,
            "joining_url": session.joining_url,
            "description": session.description,
        }

    def apply_to(self, session: LiveSession) -> LiveSession:
        """Copy the cleaned values onto ``session`` (not saved)."""
        data = self.cleaned_data
        session.title = data["title"]
        session.starts_at = data["starts_at"]
        session.ends_at = data["ends_at"]
        session.location = data["location"].strip()
        session.joining_url = data["joining_url"].strip()
        session.description = data["description"].strip()
        return session

    def add_service_errors(self, error) -> None:
        """Attach a ``ValidationError`` from ``services.live_session_save`` to the fields."""
        for name, messages in error.message_dict.items():
            field = self.SERVICE_FIELDS.get(name, name)
            self.add_error(field if field in self.fields else None, messages)


# --- Announcements --------------------------------------------------------------------------


class AnnouncementForm(forms.Form):
    subject = NameField(
        label="Subject",
        subject="The subject",
        max_length=150,
        help_text="Also the subject of the email.",
        error_messages={
            "required": "Enter a subject",
            "max_length": "The subject must be 150 characters or fewer",
        },
    )
    body = forms.CharField(
        label="Announcement",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter the announcement",
            "max_length": "The announcement must be 10,000 characters or fewer",
        },
    )

    def add_service_errors(self, error) -> None:
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
