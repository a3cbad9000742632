"""Pages of the lessons library: the searchable list, a lesson, "this helped us", and
writing or editing a lesson for a partnership.

Every page starts from what the user may read (evaluation.selectors.lessons): a draft or
a partners-only lesson answers 404 to anyone else. Editing is for the writing section's
current officers; others who can read the lesson get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partnerships import permissions as partnership_permissions
from partnerships.models import Partnership
from twinning.forms import add_validation_errors
from twinning.submissions import AlreadySent, already_saved

from ..filters import LessonFilter
from ..forms import LessonForm
from ..models import Evaluation, Lesson
from ..permissions import get_lesson_for_user
from ..selectors.lessons import lesson_list, lessons_published_to
from ..services.lessons import (
    LESSON_STATUSES,
    lesson_mark_helpful,
    lesson_save,
    lesson_unmark_helpful,
)

LIST_PAGE_SIZE = 20


@login_required
def lesson_index(request: HttpRequest) -> HttpResponse:
    lesson_filter = LessonFilter(request.GET, queryset=lesson_list(lessons_published_to(request.user)))
    if request.GET and not lesson_filter.is_valid():
        messages.warning(
            request,
            _("Some filters were not understood and were left out: %(names)s.")
            % {"names": ", ".join(str(lesson_filter.form.fields[name].label) for name in lesson_filter.errors)},
        )
    page = Paginator(lesson_filter.qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/lessons/list.html",
        {"filter": lesson_filter, "page": page, "lessons": page.object_list},
    )


@login_required
def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lesson, access = get_lesson_for_user(request.user, pk)
    participants = lesson.partnership.participants.select_related("section")
    return render(
        request,
        "evaluation/lessons/detail.html",
        {
            "lesson": lesson,
            "access": access,
            "sections": [participant.section for participant in participants],
            "sees_partnership": partnership_permissions.visible_partnerships(request.user)
            .filter(pk=lesson.partnership_id)
            .exists(),
        },
    )


@login_required
@require_POST
def lesson_helpful(request: HttpRequest, pk: int) -> HttpResponse:
    lesson, _access = get_lesson_for_user(request.user, pk)
    try:
        if request.POST.get("action") == "unmark":
            if lesson_unmark_helpful(lesson=lesson, actor=request.user):
                messages.info(request, _("Your mark was taken back."))
        elif lesson_mark_helpful(lesson=lesson, actor=request.user):
            messages.success(request, _("Thank you: the lesson counts one more section it helped."))
        else:
            messages.info(request, _("You had already marked this lesson as helpful."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(lesson)


def _save(request: HttpRequest, form: LessonForm, *, partnership: Partnership, section, lesson, evaluation):
    """The form's lesson saved through the service; None when the service refused it (its
    reasons are then on the form). A form sent again raises AlreadySent."""
    publish = "publish" in request.POST
    try:
        saved = lesson_save(
            actor=request.user, partnership=partnership, section=section, data=form.cleaned_data,
            lesson=lesson, evaluation=evaluation, publish=publish, once=form.once,
        )
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return None
    if saved.state == Lesson.State.PUBLISHED and publish:
        messages.success(request, _("The lesson is published in the library."))
    else:
        messages.success(request, _("The lesson was saved."))
    return saved


@login_required
@require_http_methods(["GET", "POST"])
def lesson_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A lesson about this partnership, written for one of the user's sections taking part;
    from an evaluation's flow when `?evaluation=<kind>` names one of the partnership's."""
    partnership, access = partnership_permissions.get_partnership_for_user(request.user, pk)
    if not access.acting:
        raise PermissionDenied(_("Only the officers of a section taking part write its lessons."))
    evaluation = None
    kind = request.GET.get("evaluation")
    if kind:
        # Only a known kind reaches the query: a NUL byte in the address is refused by the
        # database driver (a 500), anything else unknown is simply not found.
        evaluation = (
            Evaluation.objects.filter(partnership=partnership, kind=kind).first()
            if kind in Evaluation.Kind.values else None
        )
        if evaluation is None:
            raise Http404("No such evaluation.")
    section = (
        partnership.participants.select_related("section").filter(section_id__in=access.acting)
        .order_by("section__name").first().section
    )
    if partnership.status not in LESSON_STATUSES:
        messages.error(request, _("Lessons can be written once the partner has accepted the partnership."))
        return redirect(partnership)
    form = LessonForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, form, partnership=partnership, section=section, lesson=None, evaluation=evaluation)
        except AlreadySent as sent:
            return already_saved(request, sent.target or partnership)
        if saved is not None:
            if evaluation is not None:
                try:
                    return redirect(reverse("partnerships:evaluation", kwargs={"pk": partnership.pk, "kind": kind}))
                except NoReverseMatch:
                    return redirect(partnership)
            return redirect(saved)
    return render(
        request,
        "evaluation/lessons/form.html",
        {"form": form, "partnership": partnership, "section": section, "evaluation": evaluation, "lesson": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson, access = get_lesson_for_user(request.user, pk)
    if not access.may_edit:
        raise PermissionDenied(_("Only the current officers of the writing section edit this lesson."))
    form = LessonForm(request.POST or None, instance=lesson, partnership=lesson.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(
                request, form, partnership=lesson.partnership, section=lesson.section, lesson=lesson, evaluation=None
            )
        except AlreadySent:
            return already_saved(request, lesson)
        if saved is not None:
            return redirect(saved)
    return render(
        request,
        "evaluation/lessons/form.html",
        {"form": form, "partnership": lesson.partnership, "section": lesson.section, "lesson": lesson},
    )
