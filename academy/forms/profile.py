from django import forms

from ..models import Organisation, Place, Sector
from .fields import NameField


class ProfileForm(forms.Form):
    display_name = NameField(
        label="Name",
        subject="Your name",
        max_length=150,
        error_messages={
            "required": "Enter your name",
            "max_length": "Your name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    job_title = NameField(
        label="Job title",
        subject="Your job title",
        max_length=150,
        required=False,
        error_messages={"max_length": "Your job title must be 150 characters or fewer"},
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.select_related("sector"),
        required=False,
        empty_label="Choose your organisation",
        error_messages={
            "invalid_choice": "Choose an organisation from the list, or add yours below",
        },
    )
    new_organisation = NameField(
        label="Or add your organisation",
        subject="The organisation name",
        max_length=200,
        required=False,
        help_text="If your organisation is not in the list, enter its full name.",
        error_messages={"max_length": "The organisation name must be 200 characters or fewer"},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = forms.ModelChoiceField(
        label="Sector",
        queryset=Sector.objects.all(),
        required=False,
        empty_label="Same as my organisation",
        help_text="Leave this as it is to use your organisation's sector.",
        error_messages={"invalid_choice": "Choose a sector from the list"},
    )
    place = forms.ModelChoiceField(
        label="Place",
        queryset=Place.objects.all(),
        required=False,
        empty_label="Choose the place you work in",
        help_text="The council area, health system or force area your work serves.",
        error_messages={"invalid_choice": "Choose a place from the list"},
    )

    @classmethod
    def initial_for(cls, user) -> dict:
        return {
            "display_name": user.display_name,
            "job_title": user.job_title,
            "organisation": user.organisation_id,
            "sector": user.sector_id,
            "place": user.place_id,
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") and cleaned.get("new_organisation"):
            self.add_error(
                "new_organisation",
                "Either choose an organisation from the list or add a new one, not both",
            )
        return cleaned


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm"},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not correct")
        return password
