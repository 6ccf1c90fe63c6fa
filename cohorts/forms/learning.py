"""Forms of the learner's side: asking for a place on a cohort, and marking a lesson complete.
They only parse input; the rules (full, finished, applied twice) are in ``cohorts.services``."""

from django import forms

from ..models import Cohort

ANSWER_MAX_LENGTH = 3000


class JoinForm(forms.Form):
    """Taking a place is a confirmation with no fields. A cohort by application asks its
    question, while it is still taking applications."""

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        if cohort.by_application and cohort.status == Cohort.Status.UPCOMING:
            self.fields["answer"] = forms.CharField(
                label=cohort.application_question or "Why would you like to join?",
                max_length=ANSWER_MAX_LENGTH,
                help_text="The facilitators read every answer. You can use up to 3,000 characters.",
                widget=forms.Textarea(attrs={"rows": 8}),
                error_messages={
                    "required": "Answer the question to apply",
                    "max_length": "Your answer must be 3,000 characters or fewer",
                },
            )

    @property
    def answer(self) -> str:
        return self.cleaned_data.get("answer", "")


class LessonCompleteForm(forms.Form):
    """The lesson's two buttons, *Mark as complete* and *Undo*, send ``action``; a post
    without one of them is refused, never guessed."""

    COMPLETE = "complete"
    UNDO = "undo"
    CHOOSE = "Choose Mark as complete or Undo on the lesson page"

    action = forms.ChoiceField(
        choices=[(COMPLETE, "Mark as complete"), (UNDO, "Undo")],
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
