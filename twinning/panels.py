"""How a lower app's page shows what higher apps add to it, without importing them.

The page's app declares a signal (as pretix's `order_info`: "sent out to display additional
information on the order detail page"), and the page sends it with the record, the request
and the viewer's access. A higher app connects a receiver in its AppConfig.ready() that
answers with a Panel rendered from its own template, or None when it has nothing to show.
The page puts the panels in `order` and links to each by its anchor.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    anchor: str
    title: str
    html: SafeString
    order: int = 100


def panel(template_name: str, context: dict, *, request: HttpRequest, anchor: str, title: str, order: int = 100) -> Panel:
    """A panel rendered from `template_name`; the template draws its own <section id=anchor>."""
    return Panel(anchor=anchor, title=title, html=render_to_string(template_name, context, request=request), order=order)


def collect(signal: Signal, *, sender, request: HttpRequest, **kwargs) -> list[Panel]:
    """Ask every receiver of `signal` for its panel; the panels in order."""
    answers = [answer for _receiver, answer in signal.send(sender=sender, request=request, **kwargs) if answer]
    return sorted(answers, key=lambda answer: answer.order)
