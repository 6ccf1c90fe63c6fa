"""The one rule for names people read (``academy.names``): what is tidied, what is refused."""

from django.core.exceptions import ValidationError

import pytest

from academy.names import clean_name


def clean(value, **kwargs):
    return clean_name(value, subject="The name", **kwargs)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Priya Shah", "Priya Shah"),
        ("  Priya \t\n Shah  ", "Priya Shah"),
        ("\u200bPriya Shah\ufeff\u2060", "Priya Shah"),
        ("\u00a0Leeds\u00a0City\u3000Council\u00ad", "Leeds City Council"),
        ("Cafe\u0301", "Caf\u00e9"),  # one way of writing é, so "Café" matches itself
        ("\u0645\u062d\u0645\u062f \u0625\u0642\u0628\u0627\u0644", "محمد إقبال"),
        ("שרה\u200f כהן\u200f", "שרה\u200f כהן"),  # a right-to-left mark inside is kept
        ("👩\u200d👩\u200d👧 Family Hub 3", "👩\u200d👩\u200d👧 Family Hub 3"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_names_are_tidied(typed, kept):
    assert clean(typed) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("\u200b", "The name must include at least one letter or number"),
        ("\u200b\u200c\u200d\ufeff", "The name must include at least one letter or number"),
        ("\u3164", "The name must include at least one letter or number"),
        ("\u2800\u2800", "The name must include at least one letter or number"),
        ("- . -", "The name must include at least one letter or number"),
        ("Priya\x00Shah", "The name must not include control characters"),
        ("Priya\x1b[31mShah", "The name must not include control characters"),
        ("evil\u202egnp.exe", "The name must not include control characters"),
        ("\u2067Shah\u2069", "The name must not include control characters"),
    ],
)
def test_names_nobody_could_read_are_refused(typed, message):
    with pytest.raises(ValidationError) as error:
        clean(typed)
    assert error.value.messages == [message]


def test_an_empty_name_is_refused_only_when_one_is_required():
    assert clean(" \t ") == ""
    with pytest.raises(ValidationError) as error:
        clean(" \t ", required_message="Enter the name")
    assert error.value.messages == ["Enter the name"]


def test_services_get_the_error_under_their_field():
    with pytest.raises(ValidationError) as error:
        clean("\u200b", field="new_organisation")
    assert error.value.message_dict == {
        "new_organisation": ["The name must include at least one letter or number"]
    }
