from django import forms

from .fields import NameField


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls ``signup`` after it saves the user)."""

    display_name = NameField(
        label="Your name",
        subject="Your name",
        max_length=150,
        help_text="Shown to facilitators and the other people in your cohort.",
        error_messages={
            "required": "Enter your name",
            "max_length": "Your name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
