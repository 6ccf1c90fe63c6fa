"""The peer-review form: a level of the rubric for each criterion, and comments for the author.
What makes a review complete has one home each, which the form asks so that every problem is
shown at once: a level for every criterion (``cohorts.rubrics.score``) and comments that say
enough (``cohorts.services.peer_reviews.comments_problem``); the service asks them again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape

from ..rubrics import criteria_of, score
from ..services.peer_reviews import COMMENTS_MAX_LENGTH, comments_problem


def rubric_fields(criteria: list[dict]) -> dict[str, forms.Field]:
    """One set of radios per criterion of a rubric (``cohorts.rubrics.criteria_of``), named
    ``criterion-<id>`` as ``cohorts.rubrics.score`` keys its errors, weakest level first. Not
    required here: ``score`` says which criterion has no level."""
    fields = {}
    for criterion in criteria:
        name = criterion["name"]
        fields[f"criterion-{criterion['id']}"] = forms.ChoiceField(
            label=name,
            required=False,
            # Rendered as markup by the form's template: the editor's words are escaped here.
            help_text=escape(criterion["guidance"]),
            widget=forms.RadioSelect,
            choices=[
                (
                    level["id"],
                    f"{level['descriptor']} ({level['points']} point"
                    f"{'' if level['points'] == 1 else 's'})",
                )
                for level in criterion["levels"]
            ],
            error_messages={"invalid_choice": f"Choose one of the levels of “{name}”"},
        )
    return fields


class PeerReviewForm(forms.Form):
    comments = forms.CharField(
        label="Your feedback for the author",
        max_length=COMMENTS_MAX_LENGTH,
        help_text=(
            "What works well in this piece, and one thing that would make it better."
            " You can use up to 5,000 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Write your feedback for the author",
            "max_length": "Your feedback must be 5,000 characters or fewer",
        },
    )

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        criteria = criteria_of(rubric)
        self.criterion_ids = [criterion["id"] for criterion in criteria]
        self.fields = {**rubric_fields(criteria), "comments": self.fields["comments"]}

    @property
    def levels(self) -> dict[str, str]:
        """Criterion id → the level chosen, for the criteria given a level."""
        chosen = {
            criterion: self.cleaned_data.get(f"criterion-{criterion}")
            for criterion in self.criterion_ids
        }
        return {criterion: level for criterion, level in chosen.items() if level}

    def clean(self):
        cleaned = super().clean()
        try:
            score(self.rubric, self.levels)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, messages)
        if "comments" not in self.errors:
            problem = comments_problem(cleaned.get("comments", ""))
            if problem:
                self.add_error("comments", problem)
        return cleaned
