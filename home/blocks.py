"""StreamField blocks for standard pages, and the helper that gives editors' rich text the
GOV.UK Frontend classes it needs to look right."""

import re

from django.utils.safestring import SafeString, mark_safe

from wagtail import blocks
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


class GovukRichTextBlock(blocks.RichTextBlock):
    """Rich text rendered with GOV.UK classes (see ``govuk_rich_text``)."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["html"] = govuk_rich_text(value.source if value is not None else "")
        return context


class InsetTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        text = value.get("text") if value is not None else None
        context["html"] = govuk_rich_text(text.source if text is not None else "")
        return context

    class Meta:
        icon = "openquote"
        template = "home/blocks/inset_text.html"
        preview_value = {"text": "<p>We will reply within 5 working days.</p>"}


class ContactDetailsBlock(blocks.StaticBlock):
    """The academy's email address and phone number, as set in the academy settings, so that
    pages never carry a stale copy of them."""

    def get_context(self, value, parent_context=None):
        from .models import AcademySettings

        context = super().get_context(value, parent_context)
        context["academy_settings"] = AcademySettings.for_context(parent_context)
        return context

    class Meta:
        icon = "mail"
        label = "Contact details"
        admin_text = "Shows the email address and phone number from the academy settings."
        template = "home/blocks/contact_details.html"


class StandardStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        template="home/blocks/heading.html",
        preview_value="What we do",
    )
    paragraph = GovukRichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        icon="pilcrow",
        template="home/blocks/paragraph.html",
        preview_value="<p>The academy brings public-sector leaders together.</p>",
    )
    inset = InsetTextBlock()
    contact_details = ContactDetailsBlock()
