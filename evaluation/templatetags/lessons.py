"""Links into the lessons library from other pages."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from ..selectors.lessons import DIMENSION_CHALLENGES

register = template.Library()


@register.simple_tag
def lessons_for_dimension(code: str) -> str:
    """The library filtered to the challenge a weak readiness prerequisite relates to
    (selectors.lessons.DIMENSION_CHALLENGES), most helpful first; "" when none relates."""
    challenge = DIMENSION_CHALLENGES.get(code)
    if not challenge:
        return ""
    return f"{reverse('lessons:list')}?{urlencode({'challenge': challenge, 'sort': 'helpful'})}"
