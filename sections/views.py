from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partnerships import selectors as partnership_selectors
from twinning.forms import add_validation_errors

from . import finder, permissions, selectors
from .filters import SectionFilter
from .forms import FinderFilterForm, SectionProfileForm
from .models import FinderDecision, Section
from .services import finder_decide, finder_restore, section_profile_update

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
            "partnerships": partnership_selectors.partnerships_of_section(section=section, user=request.user),
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


FINDER_RESULTS = 50


@login_required
def partners(request: HttpRequest, slug: str) -> HttpResponse:
    """The partner finder: other sections ranked for this one, each score explained."""
    section, may_act = permissions.get_section_private(request.user, slug)
    filters = FinderFilterForm(request.GET or None)
    if filters.is_bound:
        filters.is_valid()
        if filters.dropped:
            messages.warning(
                request,
                _("Some filters were not understood and were left out: %(names)s.")
                % {"names": ", ".join(str(name) for name in filters.dropped)},
            )
    decisions = dict(FinderDecision.objects.filter(section=section).values_list("candidate_id", "kind"))
    dismissed = {pk for pk, kind in decisions.items() if kind == FinderDecision.Kind.DISMISSED}
    shortlisted = {pk for pk, kind in decisions.items() if kind == FinderDecision.Kind.SHORTLISTED}
    criteria = filters.criteria() if filters.is_bound else FinderFilterForm().criteria()
    matches = finder.rank(section, criteria, hidden=dismissed, shortlisted=shortlisted)
    dismissed_sections = Section.objects.filter(pk__in=dismissed).order_by("name")
    return render(
        request,
        "sections/partners.html",
        {
            "section": section,
            "may_act": may_act,
            "filters": filters,
            "matches": matches[:FINDER_RESULTS],
            "total": len(matches),
            "shortlist": [m for m in matches if m.shortlisted],
            "dismissed": dismissed_sections,
            "wanted_form": criteria.form,
        },
    )


@login_required
@require_POST
def partner_decision(request: HttpRequest, slug: str, candidate_slug: str) -> HttpResponse:
    section = permissions.get_section_for_edit(request.user, slug)
    # A section is never its own suggestion; deciding on itself would fail in the service.
    candidate = get_object_or_404(Section.objects.exclude(pk=section.pk), slug=candidate_slug)
    action = request.POST.get("action")
    if action == "restore":
        finder_restore(section=section, actor=request.user, candidate=candidate)
        messages.success(request, _("%(name)s shows among the suggestions again.") % {"name": candidate.name})
    elif action in (FinderDecision.Kind.DISMISSED, FinderDecision.Kind.SHORTLISTED):
        finder_decide(section=section, actor=request.user, candidate=candidate, kind=action)
        if action == FinderDecision.Kind.DISMISSED:
            messages.success(request, _("%(name)s is hidden from the suggestions.") % {"name": candidate.name})
        else:
            messages.success(request, _("%(name)s is on the shortlist.") % {"name": candidate.name})
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("sections:partners", kwargs={"slug": section.slug})
    return redirect(back)
