"""Forms about certificates: staff revoke one with a reason; the holder shows or hides their
name on the public page. The rules live in ``cohorts.services.certificates``."""

from django import forms

from ..services.certificates import REASON_LIMIT


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why is the certificate being revoked?",
        help_text="Shown on the certificate's public page. Revoking cannot be undone.",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Say why the certificate is being revoked",
            "max_length": f"The reason must be {REASON_LIMIT:,} characters or fewer",
        },
    )

    def add_service_errors(self, error) -> None:
        self.add_error("reason", error.messages)


class NameShownForm(forms.Form):
    """The holder's button on My learning sends ``name``: ``show`` or ``hide``."""

    SHOW, HIDE = "show", "hide"
    CHOOSE = "Choose whether to show or hide your name on your certificate's public page"

    name = forms.ChoiceField(
        choices=[(SHOW, "Show my name"), (HIDE, "Hide my name")],
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )

    @property
    def shown(self) -> bool:
        return self.cleaned_data["name"] == self.SHOW
