"""StreamField blocks for standard pages. Their rich text gets GOV.UK Frontend classes from
``academy.rich_text``."""

from wagtail import blocks

from academy.rich_text import govuk_rich_text


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
