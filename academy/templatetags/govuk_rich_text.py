from django import template

from academy.rich_text import govuk_rich_text

register = template.Library()


@register.filter(name="govuk_rich_text")
def govuk_rich_text_filter(value):
    """A rich text block value (or a string of editor HTML) with GOV.UK classes."""
    return govuk_rich_text(getattr(value, "source", value))
