"""`{{ form|quick_crispy }}`: what `{{ form|crispy }}` writes for a form of plain fields, written in
Python.

crispy renders each field through a dozen included templates and filters; the lists' filter forms
(fifteen fields on the partnership list) took 13–18 ms of a page's 20–25 ms of rendering. This
writes the same markup as crispy-bootstrap5's field.html does with the default settings (labels
shown, errors as blocks, help below): the same wrappers, classes, ids, labels, help and errors,
and each widget made by the widget itself, with the classes crispy gives it. A form with
anything else (non-field errors, a file, radio buttons, checkbox lists, a widget made of widgets,
a fieldset) goes to crispy whole.
"""

from __future__ import annotations

from django import forms, template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

register = template.Library()


def _plain(bound: forms.BoundField) -> bool:
    widget = bound.field.widget
    if bound.is_hidden:
        return True
    if getattr(widget, "widgets", None) or hasattr(widget, "widget") or bound.use_fieldset:
        return False
    if isinstance(widget, forms.CheckboxInput | forms.Select | forms.Textarea):
        return True
    return isinstance(widget, forms.widgets.Input) and not isinstance(widget, forms.FileInput)


def _widget(bound: forms.BoundField, bootstrap: str) -> str:
    """The widget with crispy's classes: its own name in lower case, then Bootstrap's."""
    widget = bound.field.widget
    name = type(widget).__name__.lower()
    classes = widget.attrs.get("class", "")
    if not classes:
        classes = name
    elif name not in classes:
        classes += f" {name}"
    for extra in (bootstrap + (" is-invalid" if bound.errors else "")).split():
        if extra not in classes.split():
            classes += f" {extra}"
    widget.attrs["class"] = classes
    return str(bound)


def _label_text(bound: forms.BoundField) -> str:
    asterisk = mark_safe('<span class="asteriskField">*</span>') if bound.field.required else ""
    return format_html("{}{}", bound.label, asterisk)


def _help_and_errors(bound: forms.BoundField) -> str:
    parts = []
    if bound.errors:
        parts.append(format_html('<div id="{}_error" class="invalid-feedback">', bound.errors.field_id))
        for number, error in enumerate(bound.errors, start=1):
            parts.append(format_html('<p id="error_{}_{}"><strong>{}</strong></p>', number, bound.auto_id, error))
        parts.append("</div>")
    if bound.help_text:
        ident = format_html('id="{}_helptext" ', bound.auto_id) if bound.auto_id else ""
        parts.append(format_html('<div {}class="form-text">{}</div>', ident, bound.help_text))
    return " ".join(parts)


def _field(bound: forms.BoundField) -> str:
    if bound.is_hidden:
        return str(bound)
    required = " requiredField" if bound.field.required else ""
    if isinstance(bound.field.widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"> <div id="div_{}" class="form-check"> {} '
            '<label for="{}" class="form-check-label{}">{}</label> {} </div> </div>',
            bound.auto_id, mark_safe(_widget(bound, "form-check-input")), bound.id_for_label, required,
            _label_text(bound), mark_safe(_help_and_errors(bound)),
        )
    label = ""
    if bound.label:
        label = format_html(
            '<label {}class="form-label{}">{}</label> ',
            format_html('for="{}" ', bound.id_for_label) if bound.id_for_label else "", required, _label_text(bound),
        )
    bootstrap = "form-select" if isinstance(bound.field.widget, forms.Select) else "form-control"
    return format_html(
        '<div id="div_{}" class="mb-3"> {}{} {} </div>',
        bound.auto_id, label, mark_safe(_widget(bound, bootstrap)), mark_safe(_help_and_errors(bound)),
    )


@register.filter
def quick_crispy(form: forms.BaseForm) -> str:
    fields = list(form)
    if form.non_field_errors() or not all(_plain(bound) for bound in fields):
        return as_crispy_form(form)
    return mark_safe(" ".join(conditional_escape(_field(bound)) for bound in fields))
