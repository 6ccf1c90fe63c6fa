"""Names that people read: a person's name and job title, an organisation, a cohort, a live
session's title, an announcement's subject. Every form and service that takes one cleans it
here, so that what one page accepts another shows the same way.

The rules (docs/decisions.md):

- Unicode is normalised (NFC), runs of spaces, tabs and line breaks become one space, and
  spaces and invisible format characters (a zero-width space, a byte order mark, a soft
  hyphen…) are removed from both ends.
- Control characters (a NUL byte, an escape) and the controls that reverse the direction of
  the text after them are refused.
- What is left must include at least one letter or number. A name of spaces alone counts as
  empty; a name of invisible characters alone is refused.
"""

import unicodedata

from django.core.exceptions import ValidationError

# Letters that draw nothing: Hangul fillers and the blank Braille pattern.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Embeddings, overrides and isolates: they turn the text after them around, even outside the
# name. Left-to-right and right-to-left *marks* (U+200E, U+200F) are harmless and allowed.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _invisible(char: str) -> bool:
    return char.isspace() or char in BLANK_LETTERS or unicodedata.category(char) == "Cf"


def _refused(char: str) -> bool:
    if char in DIRECTION_CONTROLS:
        return True
    return unicodedata.category(char) == "Cc" and not char.isspace()


def _visible(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN" and char not in BLANK_LETTERS


def clean_name(
    value: str,
    *,
    subject: str,
    required_message: str | None = None,
    field: str | None = None,
) -> str:
    """``value`` cleaned by the rules above, or ``ValidationError``.

    ``subject`` begins the messages ("Your name must include …"). With ``required_message``
    an empty name is refused with it; without, an empty name is returned as "". With
    ``field`` the error is keyed by that field name, as services raise them."""

    def refuse(message: str, code: str):
        return ValidationError({field: [message]} if field else message, code=code)

    text = unicodedata.normalize("NFC", str(value or ""))
    if any(_refused(char) for char in text):
        raise refuse(f"{subject} must not include control characters", "control_characters")
    had_content = bool(text.strip())
    text = " ".join(text.split())
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    text = text[start:end]
    if not text and not had_content:
        if required_message:
            raise refuse(required_message, "required")
        return ""
    if not any(_visible(char) for char in text):
        raise refuse(f"{subject} must include at least one letter or number", "no_letters")
    return text
