"""Forms of the peer groups: composing a cohort's sets and changing them (for the people who run
the cohort), and a learner's own declarations of whom they work with. They parse what was sent;
the rules (sizes, who may join a set, who may advise it) are in
``cohorts.services.peer_groups``."""

from django import forms

from ..models import PeerGroupPlan
from ..selectors.peer_groups import MemberRow
from ..services.peer_groups import SEED_LIMIT, SIZE_LIMIT


class ServiceErrorsMixin:
    def add_service_errors(self, error) -> None:
        """Attach a refusal from the service to the field it names, else to the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(self.MAIN_FIELD, error.messages)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else self.MAIN_FIELD, messages)


def _whole_number(label: str, noun: str, *, limit: int = SIZE_LIMIT, **kwargs) -> forms.Field:
    return forms.IntegerField(
        label=label,
        max_value=limit,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-4"}
        ),
        error_messages={
            "required": f"Enter {noun}",
            "invalid": f"Enter {noun} as a whole number, like 6",
            "max_value": f"{noun[0].upper()}{noun[1:]} must be {limit:,} or fewer",
            "min_value": f"{noun[0].upper()}{noun[1:]} must be 0 or more",
        },
        **kwargs,
    )


class ComposeForm(ServiceErrorsMixin, forms.Form):
    """The composer's settings: the set size with its bounds, how to mix places, and a seed
    (another seed, another arrangement as good)."""

    MAIN_FIELD = None

    size = _whole_number("Set size", "the set size", help_text="How many members most sets have.")
    min_size = _whole_number("Smallest set", "the smallest set size")
    max_size = _whole_number("Largest set", "the largest set size")
    mode = forms.ChoiceField(
        label="Places",
        choices=PeerGroupPlan.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to mix places",
            "invalid_choice": "Choose whether to mix places",
        },
    )
    seed = _whole_number(
        "Seed",
        "the seed",
        limit=SEED_LIMIT,
        min_value=0,
        help_text="Any whole number. The same seed gives the same sets; another gives other"
        " sets that score as well.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "compose-%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def for_plan(cls, plan: PeerGroupPlan) -> "ComposeForm":
        return cls(
            initial={
                "size": plan.size,
                "min_size": plan.min_size,
                "max_size": plan.max_size,
                "mode": plan.mode,
                "seed": plan.seed,
            }
        )


class MoveForm(ServiceErrorsMixin, forms.Form):
    """Move one member to a set by its number, or (the button ``remove``) out of their set."""

    MAIN_FIELD = "to_number"
    REMOVE = "remove"

    to_number = forms.IntegerField(
        label="Move to set",
        required=False,
        min_value=1,
        max_value=SIZE_LIMIT,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-3"}
        ),
        error_messages={
            "invalid": "Enter the number of a set, like 3",
            "min_value": "Enter the number of a set, like 3",
            "max_value": "There is no set with that number",
        },
    )

    def __init__(self, *args, enrolment_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"move-{enrolment_id}-%s")
        super().__init__(*args, **kwargs)
        self.enrolment_id = enrolment_id

    @property
    def removing(self) -> bool:
        return self.data.get("action") == self.REMOVE

    def clean(self):
        cleaned = super().clean()
        if (
            not self.removing
            and cleaned.get("to_number") is None
            and "to_number" not in self.errors
        ):
            self.add_error("to_number", "Enter the number of the set to move them to")
        return cleaned


class PinForm(forms.Form):
    """The Pin and Unpin buttons send ``action``."""

    action = forms.ChoiceField(
        choices=[("pin", "Pin"), ("unpin", "Unpin")],
        error_messages={
            "required": "Choose Pin or Unpin",
            "invalid_choice": "Choose Pin or Unpin",
        },
    )

    @property
    def pinned(self) -> bool:
        return self.cleaned_data["action"] == "pin"


class AdviserForm(ServiceErrorsMixin, forms.Form):
    """A set's adviser: one of the cohort's facilitators, or none."""

    MAIN_FIELD = "adviser"

    adviser = forms.TypedChoiceField(
        label="Adviser",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of the cohort's facilitators, or no adviser"},
    )

    def __init__(self, *args, number: int, advisers: list, **kwargs):
        kwargs.setdefault("auto_id", f"adviser-{number}-%s")
        super().__init__(*args, **kwargs)
        self.number = number
        self.advisers = {user.pk: user for user in advisers}
        self.fields["adviser"].label = f"Adviser of set {number}"
        self.fields["adviser"].choices = [("", "No adviser")] + [
            (user.pk, user.display_name or user.email) for user in advisers
        ]

    @property
    def chosen(self):
        return self.advisers.get(self.cleaned_data.get("adviser"))


class KeepApartForm(ServiceErrorsMixin, forms.Form):
    """Two members to keep apart. In a cohort of up to ``SELECT_LIMIT`` members, each is chosen
    from a list (the value is their enrolment id, looked up in this cohort by the view); in a
    larger one, each is given by email address."""

    MAIN_FIELD = "second"

    def __init__(self, *args, members: list[MemberRow], by_email: bool, **kwargs):
        kwargs.setdefault("auto_id", "apart-%s")
        super().__init__(*args, **kwargs)
        self.by_email = by_email
        for name, label in (("first", "First member"), ("second", "Second member")):
            if by_email:
                self.fields[name] = forms.EmailField(
                    label=f"{label}'s email address",
                    max_length=254,
                    widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                    error_messages={
                        "required": f"Enter the {label.lower()}'s email address",
                        "invalid": "Enter an email address, like name@example.org",
                        "max_length": "An email address has 254 characters or fewer",
                    },
                )
            else:
                self.fields[name] = forms.IntegerField(
                    label=label,
                    widget=forms.Select(
                        choices=[("", "Choose a member")]
                        + [
                            (m.id, f"{m.name}, {m.organisation or 'no organisation'}")
                            for m in members
                        ]
                    ),
                    error_messages={
                        "required": f"Choose the {label.lower()}",
                        "invalid": f"Choose the {label.lower()} from the list",
                    },
                )


class WorkingRelationshipForm(ServiceErrorsMixin, forms.Form):
    MAIN_FIELD = "email"

    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        help_text="The address they use for work. We match it to people in your cohorts.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address, like name@example.org",
            "max_length": "An email address has 254 characters or fewer",
        },
    )
