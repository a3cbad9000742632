"""The handover note one side leaves for whoever leads for it next (the lead to name is
asked on the partnership page's leads section and named with views/plan.py lead_add)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from twinning.forms import add_validation_errors

from .. import services
from ..forms_handover import HandoverNoteForm
from ..models import HandoverNote
from .plan import _editable_partnership, _form_page


@login_required
@require_http_methods(["GET", "POST"])
def handover_note(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if not access.may_edit:
        return redirect(partnership)
    participant = get_object_or_404(partnership.participants.select_related("section"), section_id=section_id)
    if not access.may_change_side(section_id):
        raise PermissionDenied(_("Only the section's own officers write its handover note."))
    note = HandoverNote.objects.filter(partnership=partnership, section_id=section_id).first()
    form = HandoverNoteForm(request.POST or None, initial={"text": note.text if note else ""})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.handover_note_write(
                partnership=partnership, actor=request.user, section=participant.section, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            done = _("The handover note of %(section)s was saved.") if saved else _(
                "The handover note of %(section)s was removed."
            )
            messages.success(request, done % {"section": participant.section})
            return redirect(f"{partnership.get_absolute_url()}#leads")
    title = _("Handover note of %(section)s") % {"section": participant.section}
    return _form_page(request, partnership, form, title, "leads")
