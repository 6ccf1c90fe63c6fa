from wagtail import blocks


class InsetTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "openquote"
        template = "home/blocks/inset_text.html"
        preview_value = {"text": "<p>We will reply within 5 working days.</p>"}


class StandardStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        template="home/blocks/heading.html",
        preview_value="What we do",
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        icon="pilcrow",
        template="home/blocks/paragraph.html",
        preview_value="<p>The academy brings public-sector leaders together.</p>",
    )
    inset = InsetTextBlock()
