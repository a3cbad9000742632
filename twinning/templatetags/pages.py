"""`{% page_links page %}`: the links of a list's pagination (templates/_pagination.html).

Page numbers around the current page (two on each side, "…" for the gaps), first, last,
previous and next, each a link that keeps the list's other query parameters. `param` names
the page's query parameter when a page shows two paginated tables (the district dashboard).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.core.paginator import Page

register = template.Library()

# Page numbers shown on each side of the current one.
ON_EACH_SIDE = 2


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the "…" of a gap
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class PageLinks:
    numbers: list[PageLink]
    first: str
    previous: str
    next: str
    last: str


@register.simple_tag(takes_context=True)
def page_links(context, page: Page, param: str = "page", anchor: str = "") -> PageLinks:
    query = context["request"].GET.copy()

    def url(number: int) -> str:
        query[param] = number
        return f"?{query.urlencode()}{anchor}"

    paginator = page.paginator
    numbers = [
        PageLink(None) if number == paginator.ELLIPSIS else PageLink(number, url(number), number == page.number)
        for number in paginator.get_elided_page_range(page.number, on_each_side=ON_EACH_SIDE, on_ends=0)
    ]
    last = paginator.num_pages
    return PageLinks(
        numbers=numbers,
        first=url(1) if page.number > 1 else "",
        previous=url(page.previous_page_number()) if page.has_previous() else "",
        next=url(page.next_page_number()) if page.has_next() else "",
        last=url(last) if page.number < last else "",
    )
