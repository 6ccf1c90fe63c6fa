"""The links that ``templates/components/breadcrumbs.html`` shows, built in a template:

    {% load breadcrumbs %}
    {% url 'my_learning' as my_learning_url %}
    {% crumbs "Home" "/" "My learning" my_learning_url as items %}
    {% include "components/breadcrumbs.html" with items=items only %}

or, for a Wagtail page, from its ancestors: ``{% page_crumbs breadcrumbs as items %}``."""

from dataclasses import dataclass

from django import template

register = template.Library()


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str


@register.simple_tag
def crumbs(*labels_and_urls) -> list[Crumb]:
    """Links from alternate labels and URLs. A link without a label or a URL is left out, so
    a crumb that only some pages have (the cohort, on a cohort's pages) needs no ``{% if %}``."""
    if len(labels_and_urls) % 2:
        raise template.TemplateSyntaxError("crumbs takes a URL after each label")
    pairs = zip(labels_and_urls[::2], labels_and_urls[1::2], strict=True)
    return [Crumb(str(label), str(url)) for label, url in pairs if label and url]


@register.simple_tag(takes_context=True)
def page_crumbs(context, pages) -> list[Crumb]:
    """Links to Wagtail pages, the home page first and called "Home", each linked as
    ``{% pageurl %}`` links it (relative within the current site)."""
    request = context.get("request")
    return [
        Crumb("Home" if position == 0 else page.title, page.get_url(request=request))
        for position, page in enumerate(pages or ())
    ]
