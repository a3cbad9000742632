"""The site's form renderer (settings.FORM_RENDERER): Django's templates, except the few small
ones every form draws many times, which are written here; and crispy's checkbox and radio lists,
written here too (render_choice_inputs, used by templates/bootstrap5/layout/radio_checkbox_select.html).

Django renders every `<option>` through two included templates. A select of time zones (~600
options), of countries (~250) or the admin's permissions (hundreds) spent most of a page's time
there: the partnership list's filters took ~40 ms of a ~60 ms page. The same holds, at a smaller
scale, for plain inputs, text areas, labels and empty error lists: an admin change form with
inlines draws a hundred or more of them (each inline's hidden management fields, every field's
label and empty error list). This writes the same HTML, character for character, in one pass
(Django strips what a template writes; so does this); a widget that names a template of its own,
or options that do, still go through the templates.

The fast paths stand for Django's own templates: this renderer's engine finds them in Django and
in the installed apps, and none of those replaces them.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import forms
from django.forms.renderers import DjangoTemplates
from django.templatetags.static import static
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
INPUT = "django/forms/widgets/input.html"
# Django's templates of these inputs are `{% include "django/forms/widgets/input.html" %}` alone.
INPUTS = {INPUT} | {
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password", "search", "tel",
        "text", "time", "url",
    )
}
# The admin's date and time inputs: Django's input in a paragraph. The included templates keep
# their line breaks (input.html's, then date.html's), so three come before "</p>".
ADMIN_INPUTS = {"admin/widgets/date.html": "date", "admin/widgets/time.html": "time"}
TEXTAREA = "django/forms/widgets/textarea.html"
RELATED = "admin/widgets/related_widget_wrapper.html"
LABEL = "django/forms/label.html"
FORM = "django/forms/div.html"
ERROR_LISTS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


def _text(value) -> str:
    """`{{ value }}` of a text: escaped unless marked safe."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless it was marked safe."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: dict | None) -> str:
    """As django/forms/widgets/attrs.html: a True value is a bare name, a False one is left out."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in (attrs or {}).items()
        if value is not False
    )


def render_input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def render_textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html (its value is text: Widget.format_value)."""
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def render_label(context: dict) -> str:
    """django/forms/label.html."""
    if not context["use_tag"]:
        return _text(context["label"]).strip()
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_text(context['label'])}</{tag}>"


def _icon(name: str) -> str:
    return f'<img src="{conditional_escape(static(f"admin/img/{name}.svg"))}" alt="" width="24" height="24">'


def _related_links(context: dict) -> str:
    """The links of admin/widgets/related_widget_wrapper.html: its {% spaceless %} leaves the
    line breaks inside each tag and none between them."""
    if context["is_hidden"]:
        return ""
    name, model, params = _text(context["name"]), _text(context["model"]), _text(context["url_params"])
    indent = "\n            "
    links = []
    if context["can_change_related"]:
        links.append(
            f'<a class="related-widget-wrapper-link change-related" id="change_id_{name}"'
            f'{indent}data-href-template="{_text(context["change_related_template_url"])}?{params}"'
            f'{indent}data-popup="yes"'
            f'{indent}title="{gettext("Change selected %(model)s") % {"model": model}}">{_icon("icon-changelink")}</a>'
        )
    if context["can_add_related"]:
        links.append(
            f'<a class="related-widget-wrapper-link add-related" id="add_id_{name}"'
            f'{indent}data-popup="yes"'
            f'{indent}href="{_text(context["add_related_url"])}?{params}"'
            f'{indent}title="{gettext("Add another %(model)s") % {"model": model}}">{_icon("icon-addlink")}</a>'
        )
    if context["can_delete_related"]:
        links.append(
            f'<a class="related-widget-wrapper-link delete-related" id="delete_id_{name}"'
            f'{indent}data-href-template="{_text(context["delete_related_template_url"])}?{params}"'
            f'{indent}data-popup="yes"'
            f'{indent}title="{gettext("Delete selected %(model)s") % {"model": model}}">{_icon("icon-deletelink")}</a>'
        )
    if context["can_view_related"]:
        view = _text(context["view_related_url_params"])
        links.append(
            f'<a class="related-widget-wrapper-link view-related" id="view_id_{name}"'
            f'{indent} data-href-template="{_text(context["change_related_template_url"])}?{view}"'
            f'{indent} title="{gettext("View selected %(model)s") % {"model": model}}">{_icon("icon-viewlink")}</a>'
        )
    return "".join(links)


def render_related_widget_wrapper(context: dict) -> str:
    """admin/widgets/related_widget_wrapper.html: the widget and its add/change/view links."""
    ref = "" if context["model_has_limit_choices_to"] else f'data-model-ref="{_text(context["model_name"])}"'
    return (
        f'<div class="related-widget-wrapper" {ref}>\n    {_text(context["rendered_widget"])}\n    '
        f"\n        {_related_links(context)}\n    \n</div>"
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        # The option's template ends with a line break, and the select keeps it.
        f"{conditional_escape(option['label'])}</option>\n"
    )


def _options(optgroups) -> str:
    parts = []
    for group_name, group_choices, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append("\n  ")
            parts.append(_option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    return "".join(parts)


def _select(widget: dict, options: str) -> str:
    return f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>{options}\n</select>'


def render_select(widget: dict) -> str:
    """django/forms/widgets/select.html for this widget context, as that template writes it."""
    return _select(widget, _options(widget["optgroups"]))


def _options_are_plain(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION
        for _group, choices, _index in widget["optgroups"]
        for option in choices
    )


def _is_text(value) -> bool:
    return value is None or isinstance(value, str)


def _fast(template_name: str, context: dict) -> str | None:
    """The HTML of template_name for this context, or None where the template must draw it."""
    if template_name == SELECT and _options_are_plain(context["widget"]):
        return render_select(context["widget"])
    if template_name in INPUTS:
        return render_input(context["widget"])
    if template_name in ADMIN_INPUTS:
        return f'<p class="{ADMIN_INPUTS[template_name]}">\n  {render_input(context["widget"])}\n\n\n</p>'
    # A value that is not text would be localized by the template (a number, a date).
    if template_name == TEXTAREA:
        return render_textarea(context["widget"]) if _is_text(context["widget"]["value"]) else None
    if template_name == LABEL:
        return render_label(context) if isinstance(context["label"], str) else None
    if template_name in ERROR_LISTS and not context["errors"]:
        return ""
    if template_name == RELATED:
        return render_related_widget_wrapper(context)
    # A form of hidden fields alone, without errors (a formset's management form): its fields.
    if template_name == FORM and not context["fields"] and not context["errors"]:
        return "".join(_text(str(field)) for field in context["hidden_fields"])
    return None


def _unlocalized(value) -> str:
    """As `{{ value|unlocalize }}`: the value written without localisation, escaped."""
    return conditional_escape(str(formats.localize(value, use_l10n=False)))


def _choice_input(option: dict, name: str, inline_class) -> str:
    inline = " form-check-inline" if inline_class else ""
    return (
        f'\n      <div class="form-check{inline}">'
        f'\n        <input type="{conditional_escape(option["type"])}" class="form-check-input"  '
        f'name="{conditional_escape(name)}" value="{_unlocalized(option["value"])}" {_attrs(option["attrs"])}>'
        f'\n        <label for="{conditional_escape(option["attrs"].get("id", ""))}" class="form-check-label">'
        f"\n            {_unlocalized(option['label'])}"
        "\n        </label>\n        \n     </div>\n    "
    )


def render_choice_inputs(field, inline_class) -> str:
    """The options of crispy-bootstrap5's radio_checkbox_select.html for a bound field without
    errors, as its loop writes them: ~20 template nodes and an include per option made a
    profile's ~130 languages the larger part of its edit page."""
    parts = []
    for group, options, _index in optgroups(field):
        parts.append("\n    ")
        if group:
            parts.append(f"<strong>{conditional_escape(group)}</strong>")
        parts.append("\n    ")
        parts.extend(_choice_input(option, field.html_name, inline_class) for option in options)
        parts.append("\n    ")
    return mark_safe("".join(parts))


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        # Whoever asks a renderer (a widget, a form, a label, an error list) marks what it
        # returns safe, as it does a template's output.
        html = _fast(template_name, context)
        if html is not None:
            return html
        return super().render(template_name, context, request=request)


class FixedOptionsSelect(forms.Select):
    """A select over a long list that is the same for every form while the process runs
    (time zones, countries): its options are written once per language and kept, and each
    render only marks the chosen one.

    The section's time zones (~600) were a third of the admin's section page: building an
    option dict for each, writing it, and deep-copying the field's choices for every form.
    `fixed_options` sets it up on a form field. `key` names the list (with its blank choice
    or not): every widget with that key must offer the same options."""

    _written: dict[tuple[str, str | None], str] = {}

    def __init__(self, key: str, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.key = key

    def render(self, name, value, attrs=None, renderer=None):
        context = forms.Widget.get_context(self, name, value, attrs)["widget"]
        values = context["value"]
        if self.template_name != SELECT or self.option_template_name != OPTION or len(values) > 1:
            return super().render(name, value, attrs, renderer)
        key = (self.key, translation.get_language())
        if key not in self._written:
            self._written[key] = _options(self.optgroups(name, []))
        options = self._written[key]
        if values:
            # As Django's select: the first option with the value is the chosen one.
            plain = f'<option value="{conditional_escape(values[0])}">'
            options = options.replace(plain, f"{plain[:-1]} selected>", 1)
        return mark_safe(_select(context, options))


def fixed_options(field: forms.ChoiceField, key: str) -> forms.ChoiceField:
    """`field` drawn by a FixedOptionsSelect, its choices read when asked: a form deep-copies
    its fields, and a list of 600 choices (time zones as objects) took ~6 ms to copy."""
    listed = field.choices

    def choices():
        return list(listed)

    field.choices = choices
    widget = FixedOptionsSelect(key, attrs=field.widget.attrs, choices=field.choices)
    widget.is_required = field.widget.is_required
    field.widget = widget
    return field
