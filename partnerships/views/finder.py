"""The partner finder's pages: other sections ranked for one section, and the officers'
shortlist and hidden list of suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sections import permissions as section_permissions
from sections.models import FinderDecision, Section
from sections.services import finder_decide, finder_restore
from twinning.panels import collect

from .. import finder
from ..forms import FinderFilterForm
from ..signals import finder_panels


# Suggestions shown at first, and added by each "Show more".
FINDER_PAGE = 20


def _shown(request: HttpRequest, total: int) -> int:
    """How many suggestions the page shows: `?show=40` (the "Show more" link) asks for more,
    in steps of FINDER_PAGE; anything else shows the first FINDER_PAGE."""
    try:
        wanted = int(request.GET.get("show", ""))
    except ValueError:
        wanted = FINDER_PAGE
    steps = -(-max(wanted, FINDER_PAGE) // FINDER_PAGE)
    return min(steps * FINDER_PAGE, max(total, FINDER_PAGE))


def _show_link(request: HttpRequest, show: int, slug: str) -> str:
    """This page's address with its filters, showing the first `show`, at the suggestion `slug`."""
    query = request.GET.copy()
    query["show"] = str(show)
    return f"?{query.urlencode()}#match-{slug}"


@login_required
def partners(request: HttpRequest, slug: str) -> HttpResponse:
    """The partner finder: other sections ranked for this one, each score explained."""
    section, may_act = section_permissions.get_section_private(request.user, slug)
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
    criteria = filters.criteria()
    matches = finder.rank(section, criteria, hidden=dismissed, shortlisted=shortlisted)
    shown = _shown(request, len(matches))
    more = None
    if shown < len(matches):
        more = _show_link(request, shown + FINDER_PAGE, matches[shown].candidate.slug)
    # A shortlisted suggestion further down than the page shows is linked with enough shown.
    shortlist = [
        (match, f"#match-{match.candidate.slug}" if position < shown
         else _show_link(request, (position // FINDER_PAGE + 1) * FINDER_PAGE, match.candidate.slug))
        for position, match in enumerate(matches)
        if match.shortlisted
    ]
    dismissed_sections = Section.objects.filter(pk__in=dismissed).order_by("name")
    return render(
        request,
        "sections/partners.html",
        {
            "section": section,
            "may_act": may_act,
            "filters": filters,
            "matches": matches[:shown],
            "total": len(matches),
            "more": more,
            "more_count": min(FINDER_PAGE, len(matches) - shown),
            "shortlist": shortlist,
            "dismissed": dismissed_sections,
            "wanted_form": criteria.form,
            "panels": collect(
                finder_panels, sender=Section, request=request, section=section,
                forms=[criteria.form] if criteria.form else [],
            ),
        },
    )


@login_required
@require_POST
def partner_decision(request: HttpRequest, slug: str, candidate_slug: str) -> HttpResponse:
    section = section_permissions.get_section_for_edit(request.user, slug)
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
