"""A wide table in its own scroll region (``templates/components/scroll_region.html``), named
after the table's caption:

    {% load scroll_region %}
    {% scroll_region labelledby="learners-caption" %}
    <table class="govuk-table"><caption id="learners-caption" …>…</caption>…</table>
    {% endscroll_region %}

or, for a table whose caption has no id of its own (a table block in a lesson),
``{% scroll_region label=value.caption %}``. On a narrow screen the table scrolls sideways inside
the region and the page does not."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

COMPONENT = "components/scroll_region.html"
NAMES = ("labelledby", "label")


class ScrollRegionNode(template.Node):
    def __init__(self, nodelist, name: str, value):
        self.nodelist = nodelist
        self.name = name
        self.value = value

    def render(self, context):
        content = mark_safe(self.nodelist.render(context))  # noqa: S308 (rendered by the template)
        component = context.template.engine.get_template(COMPONENT)
        return component.render(
            context.new({"content": content, self.name: self.value.resolve(context)})
        )


@register.tag
def scroll_region(parser, token):
    bits = token.split_contents()
    kwargs = template.base.token_kwargs(bits[1:], parser)
    if len(bits) != 2 or len(kwargs) != 1 or next(iter(kwargs)) not in NAMES:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes one argument: labelledby=<the id of the table's caption>, "
            "or label=<a name for a table without one>"
        )
    nodelist = parser.parse(("endscroll_region",))
    parser.delete_first_token()
    ((name, value),) = kwargs.items()
    return ScrollRegionNode(nodelist, name, value)
