"""`{{ counts|status_badges }}`: a section's partnerships by status, [(label, n)], as one
badge per status ("Active 3"), on the district page's ranking.

Written here rather than as a loop in the template: a district of 300 sections draws some
1,200 badges, and the template's loop over them took half the time of its table. The same
few labels and counts recur in every row, so each badge is made (and escaped) once."""

import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@functools.lru_cache(maxsize=512)
def _badge(label: str, count: int) -> SafeString:
    return format_html('<span class="badge text-bg-light border">{} {}</span>', label, count)


@register.filter
def status_badges(counts) -> str:
    return mark_safe("".join(_badge(str(label), count) for label, count in counts))
