"""The blocks editors build lessons and case studies from. Each names its template, icon and a
preview value. Images need alt text and videos need a transcript: both are required fields, so a
page cannot be saved for publication without them."""

from django.core.exceptions import ValidationError

from wagtail import blocks
from wagtail.blocks import ListBlockValidationError, StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Heading"), ("h3", "Subheading")], default="h2", required=True
    )

    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        preview_value = {"text": "Why boundaries matter", "level": "h2"}


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe the image for people who cannot see it. Required.",
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        preview_value = {"alt_text": "Partners around a map of the city", "caption": ""}


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text="A link to the video (for example on YouTube or Vimeo).")
    title = blocks.CharBlock(max_length=120)
    transcript = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        help_text="The full transcript, for people who cannot watch or hear the video. Required.",
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        preview_value = {
            "title": "A council leader on shared budgets",
            "transcript": "<p>We started by counting what every partner spent in the area.</p>",
        }


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600)
    attribution = blocks.CharBlock(max_length=150, required=False)

    class Meta:
        icon = "openquote"
        template = "courses/blocks/quote.html"
        preview_value = {
            "quote": "We stopped asking whose budget it was and started asking whose problem.",
            "attribution": "Director of public health",
        }


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[("inset", "Inset (a note)"), ("warning", "Warning")], default="inset"
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout.html"
        preview_value = {"style": "inset", "text": "<p>This lesson takes about 20 minutes.</p>"}


class ReflectionBlock(blocks.StructBlock):
    question = blocks.TextBlock(max_length=400)
    guidance = blocks.TextBlock(max_length=600, required=False)

    class Meta:
        icon = "help"
        template = "courses/blocks/reflection.html"
        preview_value = {
            "question": "Which organisation in your place spends most on the people you serve?",
            "guidance": "Note your answer before the next live session.",
        }


class CaseStudyLinkBlock(blocks.StructBlock):
    case_study = blocks.PageChooserBlock(page_type="courses.CaseStudyPage")
    why = blocks.CharBlock(max_length=250, required=False, help_text="Why read it now?")

    class Meta:
        icon = "link"
        template = "courses/blocks/case_study_link.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "collapse-down"
        template = "courses/blocks/details.html"
        preview_value = {
            "summary": "What is a Total Place pilot?",
            "text": "<p>A study of all public spending in one area, across every agency.</p>",
        }


class CaptionedTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(max_length=200, help_text="Says what the table shows. Required.")
    table = TableBlock(table_options={"startRows": 3, "startCols": 3})

    class Meta:
        icon = "table"
        template = "courses/blocks/table.html"

    def clean(self, value):
        value = super().clean(value)
        data = (value.get("table") or {}).get("data") or []
        if not any(any(cell for cell in row) for row in data):
            raise ValidationError("Add some data to the table")
        return value


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="courses/blocks/paragraph.html",
        preview_value="<p>Leaders in a place share the same residents but not the same rules.</p>",
    )
    image = CaptionedImageBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
    reflection = ReflectionBlock()
    case_study = CaseStudyLinkBlock()
    document = DocumentBlock()
    details = DetailsBlock()
    table = CaptionedTableBlock()


class OutcomeFigureBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=150, help_text="For example: Cost to deliver £176m")
    value = blocks.DecimalBlock(decimal_places=2)
    unit = blocks.CharBlock(max_length=20, required=False, help_text="For example: £m, %, people")

    class Meta:
        icon = "list-ol"
        template = "courses/blocks/outcome_figure.html"
        preview_value = {"label": "Cost to deliver £176m of projects", "value": 135, "unit": "£m"}


# --- Assessments ---------------------------------------------------------------------------------
class RubricLevelBlock(blocks.StructBlock):
    """One level of a rubric criterion: what work at this level looks like, and its points."""

    descriptor = blocks.TextBlock(max_length=400)
    points = blocks.IntegerBlock(min_value=0, max_value=100)

    class Meta:
        icon = "tick"


class RubricCriterionBlock(blocks.StructBlock):
    """A criterion of a rubric and its levels, from the weakest to the strongest."""

    name = blocks.CharBlock(max_length=120)
    guidance = blocks.TextBlock(max_length=400, required=False)
    levels = blocks.ListBlock(RubricLevelBlock(), min_num=2, max_num=6)

    class Meta:
        icon = "list-ul"

    def clean(self, value):
        """Each level's points differ from the others' (a marker's choice of level must mean
        something): the error is shown on the points of each level that repeats an earlier
        one."""
        value = super().clean(value)
        seen, repeats = set(), {}
        for index, level in enumerate(value["levels"]):
            if level["points"] in seen:
                repeats[index] = StructBlockValidationError(
                    block_errors={
                        "points": ValidationError(
                            "Another level of this criterion has these points: give each "
                            "level different points"
                        )
                    }
                )
            seen.add(level["points"])
        if repeats:
            raise StructBlockValidationError(
                block_errors={"levels": ListBlockValidationError(block_errors=repeats)}
            )
        return value


class QuizOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(
        max_length=600, required=False, help_text="Shown to a learner who chose this option."
    )

    class Meta:
        icon = "radio-full"


class QuizQuestionBlock(blocks.StructBlock):
    """A quiz question: one right answer (radios) or several (checkboxes)."""

    question = blocks.TextBlock(max_length=600)
    multiple = blocks.BooleanBlock(
        required=False, help_text="Tick when more than one option is right (checkboxes)."
    )
    options = blocks.ListBlock(QuizOptionBlock(), min_num=2, max_num=8)

    class Meta:
        icon = "help"

    def clean(self, value):
        """At least one option is right, and exactly one unless the question takes several
        answers: the error is shown on the options."""
        value = super().clean(value)
        right = sum(1 for option in value["options"] if option["correct"])
        message = None
        if right == 0:
            message = "Mark at least one option as right"
        elif not value["multiple"] and right != 1:
            message = (
                "A question with one right answer needs exactly one option marked right; "
                "tick 'multiple' if more than one is right"
            )
        if message:
            raise StructBlockValidationError(
                block_errors={"options": ListBlockValidationError(non_block_errors=[message])}
            )
        return value
