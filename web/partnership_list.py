"""The partnership list (/partnerships/), composed here because it shows and filters by
health, which evaluation/ records above partnerships/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from evaluation.selectors.health import with_health
from partnerships import selectors as partnership_selectors
from twinning.pagination import TwoStepPaginator

from .filters import PartnershipListFilter

LIST_PAGE_SIZE = 25


@login_required
@require_safe
def partnership_list(request: HttpRequest) -> HttpResponse:
    partnerships = with_health(partnership_selectors.partnership_list(user=request.user))
    partnership_filter = PartnershipListFilter(request.GET or None, queryset=partnerships, request=request)
    if partnership_filter.is_bound and not partnership_filter.is_valid():
        messages.warning(request, _("Some filters were not understood and were left out."))
    page = TwoStepPaginator(
        partnership_filter.qs, LIST_PAGE_SIZE, rows=lambda ids: with_health(partnership_selectors.list_rows(ids))
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/list.html",
        {"filter": partnership_filter, "page": page, "partnerships": page.object_list},
    )
