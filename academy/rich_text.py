"""Editors' rich text as GOV.UK Frontend markup. Course, case-study and standard pages all show
rich text, so the classes it needs are added in one place."""

import re

from django.utils.safestring import SafeString, mark_safe

from wagtail.rich_text import expand_db_html

# The classes GOV.UK Frontend expects on each element editors can produce in rich text.
GOVUK_RICH_TEXT_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "a": "govuk-link",
}

_OPENING_TAG = re.compile(r"<(?P<name>[a-z][a-z0-9]*)(?P<attrs>(?:\s[^<>]*)?)>", re.IGNORECASE)


def govuk_rich_text(source: str | None, paragraph_class: str = "govuk-body") -> SafeString:
    """Rich text from the database (``<a linktype="page" ...>`` and all) as HTML with GOV.UK
    classes on paragraphs, lists, headings and links. Tags that already carry a class are left
    alone. ``paragraph_class`` lets an introduction use ``govuk-body-l``."""
    classes = {**GOVUK_RICH_TEXT_CLASSES, "p": paragraph_class}

    def add_class(match: re.Match) -> str:
        name, attrs = match.group("name"), match.group("attrs")
        css = classes.get(name.lower())
        if not css or re.search(r"\sclass\s*=", attrs, re.IGNORECASE):
            return match.group(0)
        return f'<{name} class="{css}"{attrs}>'

    html = expand_db_html(source or "")
    # The source is editor rich text that Wagtail has already restricted to its whitelist; only
    # class attributes are added here.
    return mark_safe(_OPENING_TAG.sub(add_class, html))  # noqa: S308
