"""Forms for marking a cohort's work and setting its due dates. They parse what was sent; which
rubric level, outcome and date are allowed is for ``cohorts.services.marking`` to say."""

from django import forms

from courses.models import AssessmentPage

from ..models import Mark, Submission
from .facilitate import DateField


class QueueFilterForm(forms.Form):
    """The queue's filters, sent as a query string. A value that is not one of the choices is
    an error shown on the form, and the queue is shown without that filter."""

    ANY = "all"
    STATUSES = [
        (Submission.Status.WAITING, "Waiting for marking"),
        (Submission.Status.HELD, "Marked, not released"),
        (Submission.Status.PASSED, "Passed"),
        (Submission.Status.RESUBMIT, "Asked to resubmit"),
        (ANY, "Any status"),
    ]

    assessment = forms.TypedChoiceField(
        label="Assessment",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose an assessment from the list"},
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=STATUSES,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    def __init__(self, *args, assessments: list[AssessmentPage], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].choices = [("", "All assessments")] + [
            (page.pk, page.title) for page in assessments
        ]

    @property
    def assessment_id(self) -> int | None:
        return self.cleaned_data.get("assessment")

    @property
    def status_value(self) -> str | None:
        """The status to show (waiting for marking unless asked), None for any."""
        status = self.cleaned_data.get("status") or Submission.Status.WAITING
        return None if status == self.ANY else status


class UncheckedChoiceField(forms.ChoiceField):
    """Radios whose value the service checks (``cohorts.rubrics.score``, ``mark_save``): the
    form takes what was sent, so each rule and its message has one home."""

    def validate(self, value):
        pass


def _points(n: int) -> str:
    return f"{n} point{'' if n == 1 else 's'}"


class MarkForm(forms.Form):
    """A level for each criterion of the rubric (fields ``criterion-<id>``, as the service
    names its errors), comments and an outcome. The button pressed says whether to release
    the mark now (``release``) or hold it."""

    RELEASE, HOLD = "release", "hold"

    comments = forms.CharField(
        label="Comments for the learner",
        required=False,
        max_length=10000,
        help_text="What the work does well and, if you ask for a resubmission, what to change.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": "Comments must be 10,000 characters or fewer"},
    )
    outcome = UncheckedChoiceField(
        label="Outcome", choices=Mark.Outcome.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        levels = {
            f"criterion-{criterion['id']}": UncheckedChoiceField(
                label=criterion["name"],
                help_text=criterion["guidance"],
                required=False,
                choices=[
                    (level["id"], f"{level['descriptor']} ({_points(level['points'])})")
                    for level in criterion["levels"]
                ],
                widget=forms.RadioSelect,
            )
            for criterion in criteria
        }
        self.fields = {**levels, **self.fields}
        self.fields["outcome"].required = False

    @staticmethod
    def initial_from(mark: Mark | None) -> dict:
        """The form as ``mark`` left it: where a marker starts when marking again."""
        if mark is None:
            return {}
        initial = {f"criterion-{row['criterion']}": row["level"] for row in mark.criteria}
        return {**initial, "comments": mark.comments, "outcome": mark.outcome}

    def criterion_fields(self):
        return [self[f"criterion-{criterion['id']}"] for criterion in self.criteria]

    def clean(self):
        cleaned = super().clean()
        action = self.data.get("action")
        if action not in (self.RELEASE, self.HOLD):
            raise forms.ValidationError("Choose Save and release or Save and hold")
        cleaned["release"] = action == self.RELEASE
        return cleaned

    @property
    def levels(self) -> dict[str, str]:
        """criterion id → the level chosen, for the criteria given a level."""
        return {
            criterion["id"]: self.cleaned_data.get(f"criterion-{criterion['id']}")
            for criterion in self.criteria
            if self.cleaned_data.get(f"criterion-{criterion['id']}")
        }

    def add_service_errors(self, error) -> None:
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


class DueDateForm(forms.Form):
    """A cohort's own due date for one assessment. The button pressed says whether to save the
    date typed (``save``) or go back to the course's date (``default``)."""

    SAVE, DEFAULT = "save", "default"

    due_on = DateField(label="Due date", noun="the due date", required=False)

    def __init__(self, *args, assessment: AssessmentPage, **kwargs):
        kwargs.setdefault("auto_id", f"due-{assessment.pk}-%s")
        super().__init__(*args, **kwargs)
        self.fields["due_on"].label = f"Due date for {assessment.title}"
        self.fields["due_on"].help_text = "For example, 27 3 2027"

    @property
    def back_to_default(self) -> bool:
        return self.data.get("action") == self.DEFAULT

    def clean(self):
        cleaned = super().clean()
        if not self.back_to_default and "due_on" in cleaned and cleaned["due_on"] is None:
            self.add_error("due_on", "Enter the due date, or choose to use the course's date")
        return cleaned

    def add_service_errors(self, error) -> None:
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
