from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from twinning.forms import add_validation_errors
from twinning.panels import collect

from . import permissions, selectors
from .filters import SectionFilter
from .forms import SectionProfileForm
from .models import Section
from .services import section_profile_update
from .signals import section_panels

DIRECTORY_PAGE_SIZE = 20


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    section_filter = SectionFilter(request.GET or None, queryset=selectors.section_directory())
    if section_filter.is_bound and not section_filter.is_valid():
        messages.warning(request, _("Some filters were not understood and were left out."))
    page = Paginator(section_filter.qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sections/directory.html",
        {"filter": section_filter, "page": page, "sections": page.object_list},
    )


@login_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    section = selectors.section_profile(slug=slug)
    return render(
        request,
        "sections/detail.html",
        {
            "section": section,
            "can_edit": permissions.can_edit_section(request.user, section),
            "show_contacts": permissions.can_see_contacts(request.user, section),
            "panels": collect(section_panels, sender=Section, request=request, section=section),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    section = permissions.get_section_for_edit(request.user, slug)
    form = SectionProfileForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            section_profile_update(section=section, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The profile of %(name)s was saved.") % {"name": section.name})
            return redirect(section)
    return render(request, "sections/edit.html", {"section": section, "form": form})
