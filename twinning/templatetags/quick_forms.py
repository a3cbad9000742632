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
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join

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
    """The widget with crispy's classes: its own name in lower case, then Bootstrap's (as the
    widget writes it: safe HTML)."""
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
    asterisk = format_html('<span class="asteriskField">{}</span>', "*") if bound.field.required else ""
    return format_html("{}{}", bound.label, asterisk)


def _help_and_errors(bound: forms.BoundField, inline_errors: bool = False) -> str:
    """The errors (as blocks, or inline as a FormHelper's default has them), then the help."""
    parts = []
    if bound.errors:
        parts.append(format_html('<div id="{}_error" class="invalid-feedback">', bound.errors.field_id))
        tag = "span" if inline_errors else "p"
        for number, error in enumerate(bound.errors, start=1):
            parts.append(format_html('<{} id="error_{}_{}"><strong>{}</strong></{}>', tag, number, bound.auto_id, error, tag))
        parts.append(format_html("</{}>", "div"))
    if bound.help_text:
        ident = format_html('id="{}_helptext" ', bound.auto_id) if bound.auto_id else ""
        parts.append(format_html('<div {}class="form-text">{}</div>', ident, bound.help_text))
    return format_html_join(" ", "{}", ((part,) for part in parts))


def _field(bound: forms.BoundField, inline_errors: bool = False) -> str:
    if bound.is_hidden:
        return str(bound)
    required = " requiredField" if bound.field.required else ""
    if isinstance(bound.field.widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"> <div id="div_{}" class="form-check"> {} '
            '<label for="{}" class="form-check-label{}">{}</label> {} </div> </div>',
            bound.auto_id, _widget(bound, "form-check-input"), bound.id_for_label, required,
            _label_text(bound), _help_and_errors(bound, inline_errors),
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
        bound.auto_id, label, _widget(bound, bootstrap), _help_and_errors(bound, inline_errors),
    )


@register.filter
def quick_crispy(form: forms.BaseForm) -> str:
    fields = list(form)
    if form.non_field_errors() or not all(_plain(bound) for bound in fields):
        return as_crispy_form(form)
    return format_html_join(" ", "{}", ((_field(bound),) for bound in fields))


# The settings of crispy's field template that change its markup; quick_field writes a field
# only when none is set.
NON_DEFAULT = ("label_class", "field_class", "wrapper_class", "tag", "help_text_inline")
CRISPY_FIELD = "crispy/bootstrap5_field.html"


@register.simple_tag(takes_context=True)
def quick_field(context) -> str:
    """The field crispy is rendering (bootstrap5/field.html's context), written here when it is
    plain and crispy's settings are the defaults, else by crispy's own template."""
    bound = context["field"]
    default = (
        context.get("form_show_labels", True) and context.get("form_show_errors", True)
        and "form-horizontal" not in (context.get("form_class") or "")
        and not any(context.get(name) for name in NON_DEFAULT)
        and not bound.css_classes()
    )
    if default and _plain(bound):
        return _field(bound, inline_errors=bool(context.get("error_text_inline")))
    return get_template(CRISPY_FIELD).render(context.flatten())


@register.filter
def active_filter_count(form: forms.BaseForm) -> int:
    """How many of a list's filters hold a value (a bound filter form, from the query string):
    the count its "Filter" button shows when the form is folded away."""
    if not form.is_bound:
        return 0

    def values(name: str) -> list:
        return form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data.get(name)]

    return sum(
        1 for bound in form
        if not bound.is_hidden and any(value is not None and str(value).strip() for value in values(bound.html_name))
    )
