"""The quiz form: a fieldset per question, radios for a single-answer question and checkboxes
for a multiple-answer one, options in the attempt's order. It only parses the post; whether the
answers are complete and belong to their questions is ``cohorts.quiz.check_answers``, called by
``services.quizzes``."""

from django import forms

from ..quiz import Question, field_name

PREFIX = field_name("")
# Far above any quiz's attempts allowed (at most 20), small enough for the database's column.
MAX_ATTEMPT_NUMBER = 1000


def _choices(question: Question) -> list[tuple[str, str]]:
    return [(option.id, option.text) for option in question.options]


class _OneAnswer(forms.ChoiceField):
    widget = forms.RadioSelect

    def validate(self, value):
        """Checked with the other answers by ``quiz.check_answers``."""


class _Answers(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def validate(self, value):
        """Checked with the other answers by ``quiz.check_answers``."""


class QuizForm(forms.Form):
    """The questions as fields named ``question-<id>``; the attempt's number is posted as
    ``number`` (the page writes it: the attempt it offers)."""

    OPEN_AGAIN = "Open the quiz again and answer it: the form was incomplete"

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        for position, question in enumerate(questions, start=1):
            kind = _Answers if question.multiple else _OneAnswer
            self.fields[question.field_name] = kind(
                label=f"{position}. {question.text}",
                required=False,
                help_text="Choose all the answers that apply." if question.multiple else "",
                choices=_choices(question),
            )

    def order_options(self, questions: list[Question]) -> None:
        """Show each question's options in the order ``questions`` gives them (an attempt's)."""
        for question in questions:
            if question.field_name in self.fields:
                self.fields[question.field_name].choices = _choices(question)

    def clean(self):
        cleaned = super().clean()
        number = self.data.get("number", "")
        if not (isinstance(number, str) and number.isascii() and number.isdigit()):
            raise forms.ValidationError(self.OPEN_AGAIN)
        if not 1 <= int(number) <= MAX_ATTEMPT_NUMBER:
            raise forms.ValidationError(self.OPEN_AGAIN)
        cleaned["number"] = int(number)
        return cleaned

    def posted(self) -> dict[str, list[str]]:
        """Every answer as sent (question id → option ids), the questions not in this quiz and
        the same option twice included: ``quiz.check_answers`` judges them."""
        if not self.is_bound:
            return {}
        return {
            name.removeprefix(PREFIX): self.data.getlist(name)
            for name in self.data
            if name.startswith(PREFIX)
        }

    def add_service_errors(self, error) -> None:
        """Attach a ``ValidationError`` from ``services.quizzes`` to the questions it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
