"""Pages of recognition/ (districts): a district's sections ranked by points for a year,
their partnerships and the district's citations; its coordinators recognise a section."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sections.models import District
from twinning.forms import add_validation_errors

from ..forms_districts import DistrictRecognitionForm
from ..leaderboard import award_years, district_ranking, year_from
from ..models import DistrictRecognition
from ..services.districts import district_recognise, may_recognise


def _page(request: HttpRequest, district: District, *, year: int, form: DistrictRecognitionForm | None, status=200):
    return render(
        request,
        "recognition/district.html",
        {
            "district": district,
            "year": year,
            "years": award_years(),
            "sections": district_ranking(district, year=year),
            "citations": DistrictRecognition.objects.filter(district=district).select_related("section"),
            "form": form,
        },
        status=status,
    )


@login_required
def district(request: HttpRequest, code: str) -> HttpResponse:
    district = get_object_or_404(District, code=code)
    year = year_from(request.GET.get("year"))
    form = DistrictRecognitionForm(district=district, initial={"year": year}) if may_recognise(request.user, district) else None
    return _page(request, district, year=year, form=form)


@login_required
@require_POST
def recognise(request: HttpRequest, code: str) -> HttpResponse:
    district = get_object_or_404(District, code=code)
    if not may_recognise(request.user, district):
        raise PermissionDenied
    form = DistrictRecognitionForm(request.POST, district=district)
    if form.is_valid():
        data = form.cleaned_data
        try:
            recognition = district_recognise(
                district=district, section=data["section"], year=data["year"], category=data["category"],
                citation=data["citation"], actor=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(section)s is recognised: %(category)s %(year)s.")
                % {"section": recognition.section.name, "category": recognition.get_category_display(),
                   "year": recognition.year},
            )
            return redirect(f"{reverse('recognition:district', kwargs={'code': district.code})}?year={recognition.year}#citations")
    year = form.cleaned_data.get("year") if form.is_bound and "year" in form.cleaned_data else year_from(None)
    return _page(request, district, year=year, form=form)


urlpatterns = [
    path("districts/<slug:code>/", district, name="district"),
    path("districts/<slug:code>/recognise/", recognise, name="district_recognise"),
]
