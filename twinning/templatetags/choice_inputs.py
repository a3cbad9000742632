"""`{% choice_inputs field inline_class %}`: a checkbox or radio list's options, written in
Python (twinning.form_renderer.render_choice_inputs) for templates/bootstrap5/layout/radio_checkbox_select.html."""

from __future__ import annotations

from django import template

from twinning.form_renderer import render_choice_inputs

register = template.Library()

register.simple_tag(render_choice_inputs, name="choice_inputs")
