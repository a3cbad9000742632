"""The site's form renderer (settings.FORM_RENDERER): Django's templates, except a select's
options, which are written here.

Django renders every `<option>` through two included templates. A select of time zones (~600
options), of countries (~250) or the admin's permissions (hundreds) spent most of a page's time
there: the partnership list's filters took ~40 ms of a ~60 ms page. This writes the same HTML,
character for character, in one pass; a widget that names a template of its own, or options that
do, still go through the templates.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
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


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and _options_are_plain(context["widget"]):
            return mark_safe(render_select(context["widget"]))
        return super().render(template_name, context, request=request)
