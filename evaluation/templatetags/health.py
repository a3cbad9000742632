"""`{% health_badge partnership %}`: the partnership's health as a badge with its reason."""

from django import template

from ..selectors.health import badge_of

register = template.Library()


@register.inclusion_tag("evaluation/_health_badge.html")
def health_badge(partnership, show_reason: bool = False):
    return {"badge": badge_of(partnership), "show_reason": show_reason}
