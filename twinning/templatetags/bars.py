"""`{{ value|bar_width }}`: the class that draws a progress bar `value` per cent wide.

The Content-Security-Policy allows no inline `style="width: …"`, so site.css holds one
class per whole per cent (`bar-0` … `bar-100`); the value is rounded and kept within 0–100.
"""

from django import template

register = template.Library()


@register.filter
def bar_width(value) -> str:
    try:
        percent = round(float(value))
    except (TypeError, ValueError, OverflowError):
        percent = 0
    return f"bar-{min(max(percent, 0), 100)}"
