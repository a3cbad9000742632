"""The signed-in user's inbox: every notice they were sent, newest first; opening one marks
it read and follows its link. Marking read is a POST: a GET never writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from twinning.models import Notice
from twinning.notices import KEEP, notice_mark_read, notices_mark_all_read

PER_PAGE = 50


@never_cache
@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notice.objects.filter(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "home/inbox.html", {"page": page, "keep_days": KEEP.days})


def _own(request: HttpRequest, pk: int) -> Notice:
    # Another user's notice answers 404, as one that does not exist.
    return get_object_or_404(Notice, pk=pk, user=request.user)


@login_required
@require_POST
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_mark_read(notice=_own(request, pk))
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return redirect(notice.link)
    return redirect("inbox")


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice_mark_read(notice=_own(request, pk))
    return redirect("inbox")


@login_required
@require_POST
def notices_read_all(request: HttpRequest) -> HttpResponse:
    count = notices_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All your notices are marked read."))
    else:
        messages.info(request, _("You had no unread notices."))
    return redirect("inbox")
