"""Pages of recognition/ (sections): a section's points and the people it acknowledged,
acknowledging a person from a partnership, and their printable certificate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnerships.permissions import get_partnership_for_user
from sections.models import Section
from sections.permissions import can_edit_section
from twinning.forms import add_validation_errors
from twinning.pdf import html_to_pdf, static_text
from twinning.submissions import AlreadySent, already_saved

from ..forms_acknowledgements import AcknowledgementForm
from ..models import award_year_from
from ..selectors import acknowledgements as acknowledgement_selectors
from ..selectors import sections as section_selectors
from ..services.acknowledgements import (
    acknowledgement_create,
    acknowledgement_from_token,
    acknowledging_section_ids,
)

CERTIFICATE_CSS = "css/certificate.css"


def _year(request: HttpRequest, years: list[int]) -> int | None:
    """The year asked for in ?year=, else the latest with points; None when there are none."""
    return award_year_from(request.GET.get("year")) or (years[0] if years else None)


@login_required
def section_recognition(request: HttpRequest, slug: str) -> HttpResponse:
    """Points are public within the society; the acknowledged people's addresses are the
    section's officers' to see."""
    section = get_object_or_404(Section.objects.select_related("district"), slug=slug)
    years = section_selectors.award_years_of(section)
    year = _year(request, years)
    if year is not None and year not in years:
        years = sorted({*years, year}, reverse=True)
    return render(request, "recognition/section.html", {
        "section": section,
        "years": years,
        "year": year,
        "points": section_selectors.section_points(section, year),
        "acknowledgements": section_selectors.acknowledgements_of(section, year),
        "show_emails": can_edit_section(request.user, section),
    })


@login_required
@require_http_methods(["GET", "POST"])
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, _access = get_partnership_for_user(request.user, pk)
    section_ids = acknowledging_section_ids(partnership, request.user)
    if not section_ids:
        raise Http404("No partnership found.")
    sections = Section.objects.filter(pk__in=section_ids).order_by("name")
    form = AcknowledgementForm(request.POST or None, sections=sections)
    if request.method == "POST" and form.is_valid():
        try:
            acknowledgement = acknowledgement_create(
                partnership=partnership, section=form.cleaned_data["section"], actor=request.user,
                data=form.cleaned_data, once=form.once,
            )
        except AlreadySent as sent:
            target = sent.target
            return already_saved(request, reverse("recognition:certificate", args=[target.pk]) if target else partnership)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if acknowledgement.email:
                messages.success(request, _("%(name)s is acknowledged; their certificate is on its way by email.") % {
                    "name": acknowledgement.name})
            else:
                messages.success(request, _("%(name)s is acknowledged. Print their certificate below.") % {
                    "name": acknowledgement.name})
            return redirect("recognition:certificate", pk=acknowledgement.pk)
    return render(request, "recognition/acknowledge.html", {"partnership": partnership, "form": form})


def _certificate_page(request: HttpRequest, acknowledgement, *, pdf_url: str) -> HttpResponse:
    return render(request, "recognition/certificate.html", {
        **acknowledgement_selectors.certificate_context(acknowledgement), "pdf_url": pdf_url,
    })


def _certificate_pdf(request: HttpRequest, acknowledgement) -> HttpResponse:
    html = render_to_string(
        "recognition/certificate_pdf.html",
        {**acknowledgement_selectors.certificate_context(acknowledgement), "inline_css": static_text(CERTIFICATE_CSS)},
        request=request,
    )
    response = HttpResponse(html_to_pdf(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{acknowledgement.pk}.pdf"'
    return response


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    acknowledgement = acknowledgement_selectors.acknowledgement_for_user(request.user, pk)
    return _certificate_page(request, acknowledgement, pdf_url=reverse("recognition:certificate_pdf", args=[pk]))


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _certificate_pdf(request, acknowledgement_selectors.acknowledgement_for_user(request.user, pk))


def _by_token(token: str):
    pk = acknowledgement_from_token(token)
    if pk is None:
        raise Http404("No certificate found.")
    return acknowledgement_selectors.acknowledgement_by_pk(pk)


def certificate_shared(request: HttpRequest, token: str) -> HttpResponse:
    """The certificate for the person acknowledged, from the signed link in their email: they
    need no account (services.acknowledgements explains the signature)."""
    return _certificate_page(
        request, _by_token(token), pdf_url=reverse("recognition:certificate_shared_pdf", args=[token])
    )


def certificate_shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    return _certificate_pdf(request, _by_token(token))


urlpatterns = [
    path("sections/<slug:slug>/", section_recognition, name="section"),
    path("partnerships/<int:pk>/acknowledge/", acknowledge, name="acknowledge"),
    path("certificates/<int:pk>/", certificate, name="certificate"),
    path("certificates/<int:pk>.pdf", certificate_pdf, name="certificate_pdf"),
    path("certificates/shared/<str:token>/", certificate_shared, name="certificate_shared"),
    path("certificates/shared/<str:token>.pdf", certificate_shared_pdf, name="certificate_shared_pdf"),
]
