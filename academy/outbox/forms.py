"""The preferences form: for each kind of email a person may receive, one choice among as it
happens, a daily digest, a weekly digest, or off (only what the kind allows)."""

from django import forms

from ..models import OutboxEmail
from .preferences import Choice

OFF = "off"
Delivery = OutboxEmail.Delivery


def options(choice: Choice) -> list[tuple[str, str]]:
    kind = choice.kind
    made = [(Delivery.IMMEDIATE.value, "Send each one as it happens")]
    if kind.digestible:
        made += [
            (Delivery.DAILY.value, "Gather them into a daily digest"),
            (Delivery.WEEKLY.value, "Gather them into a weekly digest"),
        ]
    if kind.can_switch_off:
        made.append((OFF, "Do not email me about this"))
    return made


class PreferencesForm(forms.Form):
    """One radio group per kind that offers a choice. Posted fields that name no such kind are
    refused as a whole (``unknown``), so nothing is saved from a form this page did not make."""

    def __init__(self, *args, choices: list[Choice], **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = [choice for choice in choices if len(options(choice)) > 1]
        for choice in self.choices:
            self.fields[choice.kind.name] = forms.ChoiceField(
                label=choice.kind.label,
                help_text=choice.kind.description,
                choices=options(choice),
                widget=forms.RadioSelect,
                initial=choice.delivery if choice.enabled else OFF,
                error_messages={
                    "required": f"Choose how to receive “{choice.kind.label}”",
                    "invalid_choice": f"Choose one of the ways to receive “{choice.kind.label}”",
                },
            )

    def clean(self):
        data = super().clean()
        if self.is_bound:
            unknown = sorted(
                name
                for name in self.data
                if name not in self.fields and name != "csrfmiddlewaretoken"
            )
            if unknown:
                raise forms.ValidationError(
                    "There is no kind of email called "
                    + ", ".join(f"“{n}”" for n in unknown)
                    + ": reload the page and choose again"
                )
        return data

    def chosen(self) -> dict[str, tuple[bool, str]]:
        return {
            name: (value != OFF, Delivery.IMMEDIATE.value if value == OFF else value)
            for name, value in self.cleaned_data.items()
        }
