"""Nothing stored is printed unescaped: no template marks a stored value safe or switches
escaping off for a page, and no code marks text safe or hands stored text to a crispy-forms
element that renders its text as a template (a Fieldset's legend, HTML)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
APPS = ["twinning", "sections", "partnerships", "evaluation", "recognition", "web", "devtools"]

# The values a template may print with |safe, and why each is not stored text.
SAFE_VALUES = {
    # The PDFs' stylesheet, read from our own static/ folder (evaluation/report.py,
    # recognition/views/sections.py); WeasyPrint draws it on the server.
    "inline_css",
}

_SAFE_FILTER = re.compile(r"{{\s*(?P<value>[^|}]+?)\s*(?P<filters>\|[^}]*?)}}")
_AUTOESCAPE_OFF = re.compile(r"{%\s*autoescape\s+off\s*%}")


def unsafe_output(template: str, *, html: bool) -> list[str]:
    """Each place in `template` that prints a value unescaped, other than SAFE_VALUES."""
    found = []
    for match in _SAFE_FILTER.finditer(template):
        filters = {name.split(":")[0].strip() for name in match.group("filters").split("|") if name.strip()}
        if filters & {"safe", "safeseq"} and match.group("value") not in SAFE_VALUES:
            found.append(match.group(0))
    # Plain-text mail (.txt) is not HTML: it turns escaping off on purpose.
    if html:
        found += _AUTOESCAPE_OFF.findall(template)
    return found


def test_no_template_prints_a_stored_value_unescaped():
    found = {
        str(path.relative_to(ROOT)): unsafe
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in {".html", ".txt"}
        and (unsafe := unsafe_output(path.read_text(), html=path.suffix == ".html"))
    }
    assert found == {}


def test_form_help_texts_are_drawn_by_a_template_that_escapes_them():
    # crispy-bootstrap5's own prints every help text with |safe; ours (templates/bootstrap5/)
    # takes its place, so a stored help text (a readiness question's) is escaped.
    source = get_template("bootstrap5/layout/help_text.html").template.source

    assert "field.help_text" in source
    assert unsafe_output(source, html=True) == []


@pytest.mark.parametrize("template", [
    "{{ dimension.guidance|safe }}", "{{ question.help_text | safe }}", "{{ items|safeseq|join:', ' }}",
    "{{ field.help_text|linebreaksbr|safe }}", "{% autoescape off %}{{ lesson.learned }}{% endautoescape %}",
])
def test_the_template_scan_finds_unescaped_output(template):
    assert unsafe_output(template, html=True)


@pytest.mark.parametrize("template", [
    "{{ dimension.guidance }}", "{{ lesson.learned|linebreaksbr }}", "<style>{{ inline_css|safe }}</style>",
    "{{ safety_note }}", "{{ form.safe_field }}",
])
def test_the_template_scan_allows_escaped_output(template):
    assert unsafe_output(template, html=True) == []


# --- Python: what marks text safe, or renders it as a template ---------------------------------

# Calls that mark their argument safe: any use needs a reason here.
MARKS_SAFE = {"mark_safe", "SafeString", "SafeText"}
# Where a call above may stand (file, function), and why it holds no stored text unescaped.
MARKS_SAFE_ALLOWED = {
    # The form renderer writes Django's and crispy's widget templates in Python; every value in
    # them goes through conditional_escape, as the templates' {{ }} would (twinning/tests/
    # test_form_renderer.py holds the output to the templates', escaping included), and a tag's
    # or a widget's render must return safe HTML as a template's would be.
    ("twinning/form_renderer.py", "render_choice_inputs"),
    ("twinning/form_renderer.py", "FixedOptionsSelect.render"),
    # Badges each made by format_html (the label escaped, the count a number), joined.
    ("recognition/templatetags/status_badges.py", "status_badges"),
}
# Calls whose first argument is printed unescaped (format_html's format string) or rendered as
# a template (crispy's Fieldset legend and HTML): it must be written in the code.
FIRST_ARGUMENT_IS_CODE = {"format_html", "format_html_join", "Fieldset", "HTML", "Alert"}
TRANSLATIONS = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _written_in_code(node: ast.expr) -> bool:
    """A string literal, a translation of one, or format_html of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.Call) and _name(node.func) in TRANSLATIONS | {"format_html"}:
        return all(_written_in_code(arg) for arg in node.args) and not node.keywords
    return False


def _calls_by_function(tree: ast.AST, prefix: str = ""):
    """(the qualified name of the function or class it stands in, call) for every call."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield from _calls_by_function(node, f"{prefix}{node.name}.")
            continue
        if isinstance(node, ast.Call):
            yield prefix.rstrip("."), node
        yield from _calls_by_function(node, prefix)


def unsafe_calls(source: str, path: str = "") -> list[str]:
    found = []
    for where, node in _calls_by_function(ast.parse(source)):
        name = _name(node.func)
        if name in MARKS_SAFE and (path, where) in MARKS_SAFE_ALLOWED:
            continue
        if name in MARKS_SAFE:
            found.append(f"{name}(…) at line {node.lineno}")
        elif name in FIRST_ARGUMENT_IS_CODE and node.args and not _written_in_code(node.args[0]):
            found.append(f"{name}({ast.unparse(node.args[0])}) at line {node.lineno}")
    return found


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "tests" not in path.parts and "migrations" not in path.parts:
                yield path


def test_no_code_marks_stored_text_safe_or_renders_it_as_a_template():
    found = {
        str(path.relative_to(ROOT)): unsafe for path in _sources()
        if (unsafe := unsafe_calls(path.read_text(), str(path.relative_to(ROOT))))
    }
    assert found == {}


@pytest.mark.parametrize("source", [
    "Fieldset(dimension.name, 'q1')", "HTML(f'<p>{lesson.title}</p>')", "mark_safe(text)",
    "format_html(question.help_text)", "layout.Fieldset(name)", "HTML(format_html('<p>{}</p>', section.name))",
])
def test_the_code_scan_finds_stored_text_marked_safe(source):
    assert unsafe_calls(source)


@pytest.mark.parametrize("source", [
    "Fieldset(_('Who'), 'partner')", "HTML(format_html('<p>{}</p>', _('No activities yet.')))",
    "format_html('<a href=\"{}\">{}</a>', url, obj.name)", "TextFieldset(dimension.name, 'q1')",
])
def test_the_code_scan_allows_text_written_in_code(source):
    assert unsafe_calls(source) == []


def test_the_code_scan_allows_marking_safe_only_where_listed():
    source = "def render_choice_inputs(field):\n    return mark_safe(html)\n"
    assert unsafe_calls(source, "twinning/form_renderer.py") == []
    assert unsafe_calls(source, "twinning/other.py")
    assert unsafe_calls("class FixedOptionsSelect:\n    def other(self):\n        return mark_safe(x)\n",
                        "twinning/form_renderer.py")
