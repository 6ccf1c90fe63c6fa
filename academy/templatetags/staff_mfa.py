"""``{% staff_mfa as staff %}``: what the two-factor pages tell a member of staff who must use
two-factor authentication (academy/mfa.py)."""

from django import template

from .. import mfa

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_mfa(context) -> dict:
    """``required``, ``must_set_up`` and ``next``; see ``academy.mfa.notice``."""
    return mfa.notice(context["request"])
