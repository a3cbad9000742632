"""The site's form renderer (settings.FORM_RENDERER): Django's templates, except a select's
options, which are written here; and crispy's checkbox and radio lists, written here too
(render_choice_inputs, used by templates/bootstrap5/layout/radio_checkbox_select.html).

Django renders every `<option>` through two included templates. A select of time zones (~600
options), of countries (~250) or the admin's permissions (hundreds) spent most of a page's time
there: the partnership list's filters took ~40 ms of a ~60 ms page. This writes the same HTML,
character for character, in one pass; a widget that names a template of its own, or options that
do, still go through the templates.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django.forms.renderers import DjangoTemplates
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: a True value is a bare name, a False one is left out."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        # The option's template ends with a line break, and the select keeps it.
        f"{conditional_escape(option['label'])}</option>\n"
    )


def render_select(widget: dict) -> str:
    """django/forms/widgets/select.html for this widget context, as that template writes it."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append("\n  ")
            parts.append(_option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _options_are_plain(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION
        for _group, choices, _index in widget["optgroups"]
        for option in choices
    )


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
        if template_name == SELECT and _options_are_plain(context["widget"]):
            return mark_safe(render_select(context["widget"]))
        return super().render(template_name, context, request=request)
