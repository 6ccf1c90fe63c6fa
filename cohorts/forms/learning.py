"""Forms of the learner's side: asking for a place on a cohort, and marking a lesson complete.
They only parse input; the rules (full, finished, applied twice) are in ``cohorts.services``."""

from django import forms

from academy.uploads import ALLOWED_LIST, MultipleFileField, max_bytes, size_label

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


class SubmissionForm(forms.Form):
    """A version of written work: the text (unless the assessment takes files only), the files
    (where it takes them, each recognised from its content) and the version the form would
    create, so that a second post of the same form is recognised
    (``services.submissions``). The word range and what may be handed in when are the
    service's to check."""

    TEXT_MAX_LENGTH = 200_000
    OUT_OF_DATE = "This page was out of date: check your work and hand it in"

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=32767,
        error_messages={
            "required": OUT_OF_DATE,
            "invalid": OUT_OF_DATE,
            "min_value": OUT_OF_DATE,
            "max_value": OUT_OF_DATE,
        },
    )

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        if assessment.max_words:
            # Optional only where a file may stand in for it.
            self.fields["text"] = forms.CharField(
                label="Your answer",
                required=not assessment.max_files or assessment.min_words > 0,
                max_length=self.TEXT_MAX_LENGTH,
                help_text=words_hint(assessment.min_words, assessment.max_words),
                widget=forms.Textarea(attrs={"rows": 15, "spellcheck": "true"}),
                error_messages={
                    "required": "Write your answer",
                    "max_length": f"Your answer must be {self.TEXT_MAX_LENGTH:,} characters "
                    "or fewer",
                },
            )

        if assessment.max_files:
            most = assessment.max_files
            self.fields["files"] = MultipleFileField(
                label="Attach files" if most > 1 else "Attach a file",
                required=False,
                max_files=most,
                help_text=(
                    f"Up to {most} file{'s' if most > 1 else ''}, each {ALLOWED_LIST} of up to "
                    f"{size_label(max_bytes())}."
                ),
            )

    @property
    def text(self) -> str:
        return self.cleaned_data.get("text", "")

    @property
    def files_chosen(self) -> list:
        return self.cleaned_data.get("files", [])

    def add_service_errors(self, error) -> None:
        """Attach a refusal from ``submission_create`` to the field it is about."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


def words_hint(least: int, most: int) -> str:
    """The word range as the learner is told it: "Write between 300 and 1,000 words"."""
    if least:
        return f"Write between {least:,} and {most:,} words."
    return f"Write up to {most:,} words."
