"""The page components in templates/components/ that every page shares: breadcrumbs, the
status tag and the scroll region of a wide table. (Pagination has its own module,
test_pagination.py.)"""

from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string

import pytest

from academy.templatetags.breadcrumbs import Crumb, crumbs


def test_crumbs_pair_labels_with_urls_and_leave_out_a_missing_one():
    assert crumbs("Facilitate", "/facilitate/", "", "") == [Crumb("Facilitate", "/facilitate/")]
    assert crumbs("Home", "/", "My learning", "/learning/") == [
        Crumb("Home", "/"),
        Crumb("My learning", "/learning/"),
    ]
    with pytest.raises(TemplateSyntaxError):
        crumbs("Home", "/", "My learning")


def test_the_breadcrumbs_template_links_each_crumb_and_escapes_labels():
    template = Template(
        '{% load breadcrumbs %}{% crumbs "Facilitate" "/facilitate/" name url as items %}'
        '{% include "components/breadcrumbs.html" with items=items only %}'
    )

    html = template.render(Context({"name": "Cohort <1>", "url": "/facilitate/cohorts/1/"}))

    assert html.startswith('<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">')
    links = [
        '<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link"'
        ' href="/facilitate/">Facilitate</a></li>',
        '<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link"'
        ' href="/facilitate/cohorts/1/">Cohort &lt;1&gt;</a></li>',
    ]
    assert all(link in html for link in links)
    assert render_to_string("components/breadcrumbs.html", {"items": []}).strip() == ""


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        ("running", "green"),
        ("upcoming", "blue"),
        ("finished", "grey"),
        ("cancelled", "red"),
        ("applied", "blue"),
        ("waitlisted", "yellow"),
        ("active", "green"),
        ("completed", "green"),
        ("declined", "red"),
        ("withdrawn", "grey"),
    ],
)
def test_a_status_has_one_colour_everywhere(status, colour):
    html = render_to_string("components/status_tag.html", {"status": status, "label": "<Label>"})

    assert html.strip() == f'<strong class="govuk-tag govuk-tag--{colour}">&lt;Label&gt;</strong>'


def render_scroll_region(source: str, **context) -> str:
    return Template("{% load scroll_region %}" + source).render(Context(context))


def test_the_region_is_named_by_the_tables_caption_and_takes_focus():
    html = render_scroll_region(
        '{% scroll_region labelledby="people" %}<table><caption id="people">People</caption>'
        "</table>{% endscroll_region %}"
    )
    assert html.strip() == (
        '<div class="academy-scroll-region" role="region" aria-labelledby="people" tabindex="0">'
        '<table><caption id="people">People</caption></table></div>'
    )


def test_a_region_named_in_words_escapes_them():
    html = render_scroll_region(
        "{% scroll_region label=name %}<table></table>{% endscroll_region %}", name='"<'
    )
    assert 'aria-label="&quot;&lt;"' in html
    assert "<table></table>" in html


@pytest.mark.parametrize(
    "arguments", ["", 'labelledby="a" label="b"', 'title="a"', '"a"', "labelledby"]
)
def test_a_region_without_exactly_one_name_is_refused(arguments):
    with pytest.raises(TemplateSyntaxError, match="takes one argument"):
        render_scroll_region(f"{{% scroll_region {arguments} %}}{{% endscroll_region %}}")
