"""Editors' rich text gets the GOV.UK classes it needs, wherever it is shown. (Links to pages
are expanded too: tests/home/test_pages_content.py checks that against real pages.)"""

from django.template import Context, Template

from academy.rich_text import govuk_rich_text


def test_each_element_gets_its_govuk_class():
    html = govuk_rich_text(
        "<h2>Why</h2><p>Text <a href='https://example.org'>link</a></p>"
        "<ul><li>a</li></ul><ol><li>b</li></ol><h3>More</h3>"
    )

    assert '<h2 class="govuk-heading-m">Why</h2>' in html
    assert '<p class="govuk-body">Text <a class="govuk-link" href=' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert '<ol class="govuk-list govuk-list--number">' in html
    assert '<h3 class="govuk-heading-s">More</h3>' in html


def test_an_element_with_a_class_keeps_it_and_an_introduction_can_be_larger():
    assert govuk_rich_text('<p class="lede">x</p>') == '<p class="lede">x</p>'
    assert govuk_rich_text("<p>x</p>", paragraph_class="govuk-body-l") == (
        '<p class="govuk-body-l">x</p>'
    )
    assert govuk_rich_text(None) == ""


def test_the_template_filter_takes_a_string_or_a_rich_text_value():
    class Value:
        source = "<p>From a block</p>"

    template = Template("{% load govuk_rich_text %}{{ a|govuk_rich_text }}{{ b|govuk_rich_text }}")

    html = template.render(Context({"a": "<p>Plain</p>", "b": Value()}))

    assert html == '<p class="govuk-body">Plain</p><p class="govuk-body">From a block</p>'
