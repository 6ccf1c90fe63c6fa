"""Every lesson block renders accessible GOV.UK markup: the alt text of images, the transcript
of videos, a caption on tables, a visible warning on warning callouts."""

import re

from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

import pytest

from courses.blocks import LessonStreamBlock, OutcomeFigureBlock

from . import factories

VIDEO_URL = "https://www.youtube.com/watch?v=total-place"

pytestmark = pytest.mark.django_db


def render(name: str, raw) -> str:
    block = LessonStreamBlock().child_blocks[name]
    return block.render(block.to_python(raw), context={})


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def test_every_lesson_block_has_a_template_this_file_tests():
    assert set(LessonStreamBlock().child_blocks) == {
        "heading",
        "paragraph",
        "image",
        "video",
        "quote",
        "callout",
        "reflection",
        "case_study",
        "document",
        "details",
        "table",
    }


def test_headings_are_real_headings_at_the_chosen_level():
    assert render("heading", {"text": "Why count", "level": "h2"}) == (
        '<h2 class="govuk-heading-m">Why count</h2>\n'
    )
    assert '<h3 class="govuk-heading-s">Who pays</h3>' in render(
        "heading", {"text": "Who pays", "level": "h3"}
    )


def test_paragraph_keeps_the_editors_rich_text():
    html = render("paragraph", "<p>Fifty <b>different</b> benefits.</p><ul><li>one</li></ul>")
    assert html.startswith('<div class="academy-rich-text">')
    assert '<p class="govuk-body">Fifty <b>different</b> benefits.</p>' in html
    assert '<ul class="govuk-list govuk-list--bullet"><li>one</li></ul>' in html


def test_image_carries_its_alt_text_and_caption():
    picture = factories.image()
    html = render(
        "image",
        {"image": picture.pk, "alt_text": "Partners around a map of the city", "caption": "Wigan"},
    )
    assert re.search(r'<img [^>]*alt="Partners around a map of the city"', html)
    assert "<figcaption" in html
    assert ">Wigan</figcaption>" in html


def test_image_without_a_caption_has_no_empty_figcaption():
    html = render("image", {"image": factories.image().pk, "alt_text": "A map", "caption": ""})
    assert 'alt="A map"' in html
    assert "figcaption" not in html


def test_video_embeds_the_player_and_offers_the_transcript_in_details():
    Embed.objects.create(
        url=VIDEO_URL,
        hash=get_embed_hash(VIDEO_URL),
        type="video",
        html='<iframe title="A council leader on shared budgets" src="https://example.org/v"></iframe>',
    )
    html = squash(
        render(
            "video",
            {
                "video": VIDEO_URL,
                "title": "A council leader on shared budgets",
                "transcript": "<p>We started by counting what every partner spent.</p>",
            },
        )
    )
    assert "Video: A council leader on shared budgets" in html
    assert '<iframe title="A council leader on shared budgets"' in html
    assert f'href="{VIDEO_URL}"' in html
    assert '<details class="govuk-details">' in html
    assert "Read the transcript" in html
    assert (
        '<div class="govuk-details__text academy-rich-text">'
        '<p class="govuk-body">We started by counting what every partner spent.</p></div>'
    ) in html


def test_quote_is_a_blockquote_with_its_attribution():
    html = squash(
        render(
            "quote",
            {"quote": "We stopped asking whose budget it was.", "attribution": "A chief executive"},
        )
    )
    assert '<blockquote class="govuk-inset-text' in html
    assert "“We stopped asking whose budget it was.”" in html
    assert '<figcaption class="govuk-body-s">A chief executive</figcaption>' in html


def test_callouts_are_inset_text_or_a_warning_that_says_so():
    inset = render("callout", {"style": "inset", "text": "<p>About 20 minutes.</p>"})
    assert (
        '<div class="govuk-inset-text academy-rich-text">'
        '<p class="govuk-body">About 20 minutes.</p></div>'
    ) in inset

    warning = squash(render("callout", {"style": "warning", "text": "<p>Do not share.</p>"}))
    assert '<div class="govuk-warning-text">' in warning
    assert '<span class="govuk-warning-text__icon" aria-hidden="true">!</span>' in warning
    assert '<span class="govuk-visually-hidden">Warning</span><p>Do not share.</p>' in warning


def test_reflection_prompt_asks_the_question_with_its_guidance():
    html = render(
        "reflection",
        {"question": "Who spends most in your place?", "guidance": "Note it before Tuesday."},
    )
    assert "Pause and reflect" in html
    assert "Who spends most in your place?" in html
    assert '<p class="govuk-hint govuk-!-margin-bottom-0">Note it before Tuesday.</p>' in html


def test_case_study_link_points_to_a_live_case_study_and_says_why():
    index = factories.case_study_index()
    study = factories.case_study(index, "One budget for Wigan")
    html = render("case_study", {"case_study": study.pk, "why": "It shows pooling at work."})
    assert f'<a class="govuk-link" href="{study.url}">One budget for Wigan</a>' in html
    assert "It shows pooling at work." in html

    study.unpublish()
    assert render("case_study", {"case_study": study.pk, "why": ""}).strip() == ""


def test_document_download_names_its_type_and_size():
    report = factories.document("Total Place final report")
    html = squash(render("document", {"document": report.pk, "description": "The full report"}))
    assert f'href="{report.url}"' in html
    assert "Total Place final report" in html
    assert "PDF, 2.0 KB" in html  # squash turns the no-break space into a space
    assert "The full report" in html


def test_details_reveal_their_text():
    html = squash(
        render("details", {"summary": "What is Total Place?", "text": "<p>All spending.</p>"})
    )
    assert '<summary class="govuk-details__summary">' in html
    assert '<span class="govuk-details__summary-text">What is Total Place?</span>' in html
    assert '<p class="govuk-body">All spending.</p>' in html


def test_table_has_a_caption_and_header_cells_with_scope():
    html = squash(
        render(
            "table",
            {
                "caption": "Spending by partner",
                "table": {
                    "data": [["Partner", "Spend"], ["Council", "£120m"], ["NHS", "£56m"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                },
            },
        )
    )
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m">'
        "Spending by partner</caption>"
    ) in html
    assert '<th scope="col" class="govuk-table__header">Spend</th>' in html
    assert '<th scope="row" class="govuk-table__header">Council</th>' in html
    assert '<td class="govuk-table__cell">£56m</td>' in html
    assert html.count("<tbody") == 1
    assert html.count("</tbody>") == 1


@pytest.mark.parametrize(
    ("value", "unit", "reads"),
    [
        ("135", "£m", "£135m"),
        ("135.00", "£m", "£135m"),
        ("176.50", "£m", "£176.5m"),
        ("40", "%", "40%"),
        ("1200", "people", "1,200 people"),
        ("50", "", "50"),
    ],
)
def test_outcome_figure_reads_naturally(value, unit, reads):
    block = OutcomeFigureBlock()
    html = block.render(block.to_python({"label": "Saved", "value": value, "unit": unit}))
    assert f'<span class="academy-figure">{reads}</span>' in html
    assert "Saved" in html
