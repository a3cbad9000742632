"""axe-core in the browser journeys: every page a test's browser loads is checked against WCAG 2.0
and 2.1, levels A and AA, once it is parsed and styled, and every open page once more at the end of the
test, on the DOM the journey left (a form's errors, an opened panel). Any violation fails the test
with the rule, the page and the element. The same checks measure whether the page fits the
window's width: a page that scrolls sideways (at a phone's 390 px, or on a desktop) fails the
test too, naming the element that widens it.

axe is vendored under twinning/tests/vendor/axe-core (never served to users). It is injected as
an init script, which the browser runs outside the page's Content-Security-Policy, so the site's
policy (no inline script) stays on during the tests; axe itself needs no `eval`. Each loaded
document reports through a binding; before a document is left (a link, a form, `page.goto`), the
navigation's request waits until that document's check has reported, so a page the journey leaves
quickly is still checked, and one that was left before it could be is reported, never passed."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Error, Page, Route

from twinning.tests.browser import WIDEST_ELEMENT_JS

AXE_PATH = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# How long a page's check may take before the test is told so (a check runs in well under a second).
CHECK_TIMEOUT_MS = 20_000

# Violations as the test reports them: the rule, and each element by its CSS target and HTML.
_SUMMARY_JS = """
violations => violations.map(violation => ({
  id: violation.id, impact: violation.impact, help: violation.help, helpUrl: violation.helpUrl,
  nodes: violation.nodes.map(node => ({
    target: node.target.join(' '), html: node.html, summary: node.failureSummary || '',
  })),
}))
"""

# Null when the page fits the window's width; else how wide it is and what widens it.
_SIDEWAYS_JS = f"""
() => {{
  const width = document.documentElement.scrollWidth, window_width = window.innerWidth;
  if (width <= window_width) return null;
  return `${{width}} px wide in a ${{window_width}} px window; widest: ${{({WIDEST_ELEMENT_JS})()}}`;
}}
"""

_CHECK_ON_LOAD_JS = f"""
(() => {{
  if (window.top !== window || !/^https?:$/.test(window.location.protocol)) return;
  const id = `${{Date.now()}}-${{Math.random().toString(36).slice(2)}}`;
  const url = window.location.href;
  const summary = {_SUMMARY_JS};
  const sideways = {_SIDEWAYS_JS};
  window.__a11yBegin(id, url);
  // Once the document is parsed and its stylesheets have loaded, a task later (after the
  // DOMContentLoaded handlers: the focus moved to a form's first error). Not at "load": a page
  // left while an image is still coming never fires it.
  const ready = new Promise(resolve => {{
    const began = window.performance.now();
    const poll = () => {{
      const parsed = document.readyState !== 'loading';
      const styled = [...document.querySelectorAll('link[rel~="stylesheet"]')].every(link => link.sheet);
      if ((parsed && styled) || document.readyState === 'complete' || window.performance.now() - began > 10000) {{
        window.setTimeout(resolve, 0);
      }} else {{
        window.setTimeout(poll, 20);
      }}
    }};
    poll();
  }});
  window.__a11yCheck = ready
    .then(() => window.axe.run(document, {json.dumps(AXE_OPTIONS)}))
    .then(
      results => window.__a11yReport(id, url, summary(results.violations), sideways(), null),
      error => window.__a11yReport(id, url, [], sideways(), String(error)),
    );
}})();
"""

_CHECK_NOW_JS = f"""
async () => {{
  if (!/^https?:$/.test(window.location.protocol)) return null;
  if (!window.axe) throw new Error('axe-core was not loaded into the page');
  const results = await window.axe.run(document, {json.dumps(AXE_OPTIONS)});
  return {{violations: ({_SUMMARY_JS})(results.violations), sideways: ({_SIDEWAYS_JS})()}};
}}
"""


@dataclass
class AxeWatch:
    """What axe found on a browser context's pages, and which loaded pages it has checked."""

    context: BrowserContext
    violations: list[tuple[str, str, dict]] = field(default_factory=list)  # (url, when, violation)
    sideways: list[tuple[str, str, str]] = field(default_factory=list)  # (url, when, what widens it)
    begun: dict[str, tuple[Page, str]] = field(default_factory=dict)  # document id -> (page, url)
    reported: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    def install(self) -> None:
        self.context.expose_binding("__a11yBegin", self._begin)
        self.context.expose_binding("__a11yReport", self._report)
        self.context.add_init_script(path=AXE_PATH)
        self.context.add_init_script(_CHECK_ON_LOAD_JS)
        self.context.route("**/*", self._hold_navigation)

    def _begin(self, source, document_id: str, url: str) -> None:
        self.begun[document_id] = (source["page"], url)

    def _report(
        self, _source, document_id: str, url: str, violations: list[dict], sideways: str | None, error: str | None,
    ) -> None:
        self.reported.add(document_id)
        if error:
            self.errors.append(f"axe could not check {url}: {error}")
        self.violations.extend((url, "on arrival", violation) for violation in violations)
        if sideways:
            self.sideways.append((url, "on arrival", sideways))

    def _hold_navigation(self, route: Route) -> None:
        """A document is left only once its check has reported: the navigation's request waits
        while the old document, still alive until the response arrives, finishes its check."""
        request = route.request
        if request.is_navigation_request():
            try:
                frame = request.frame
            except Error:
                frame = None
            if frame is not None and frame.parent_frame is None:
                self._settle(frame.page)
        route.fallback()

    def _unchecked(self, page: Page | None = None) -> list[str]:
        return [
            url for document_id, (tab, url) in self.begun.items()
            if document_id not in self.reported and (page is None or tab == page)
        ]

    def _settle(self, page: Page) -> None:
        """Wait until every document this page loaded has reported (the binding's calls are
        handled while Playwright waits)."""
        deadline = time.monotonic() + CHECK_TIMEOUT_MS / 1000
        while self._unchecked(page) and time.monotonic() < deadline:
            try:
                page.wait_for_timeout(25)
            except Error:
                return  # the page is closed; the end of the test reports what it left unchecked

    def finish(self) -> None:
        """Wait for every open page's check, check each page's final DOM once more, and fail
        with everything found."""
        for page in self.context.pages:
            if page.is_closed():
                continue
            self._settle(page)
            try:
                final = page.evaluate(_CHECK_NOW_JS)
            except Error as error:
                self.errors.append(f"axe could not check the final page {page.url}: {error}")
                continue
            if final is not None:
                self.violations.extend((page.url, "at the end of the test", violation) for violation in final["violations"])
                if final["sideways"]:
                    self.sideways.append((page.url, "at the end of the test", final["sideways"]))
        self.errors.extend(f"{url} was left before axe could check it" for url in self._unchecked())
        message = self.message()
        if message:
            raise AssertionError(message)

    def message(self) -> str:
        lines, seen = [], set()
        for url, when, violation in self.violations:
            path = urlsplit(url)._replace(scheme="", netloc="").geturl()
            for node in violation["nodes"]:
                key = (violation["id"], path, node["target"])
                if key in seen:
                    continue
                seen.add(key)
                lines.append(
                    f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
                    f"    page: {path} ({when})\n"
                    f"    element: {node['target']}\n"
                    f"    html: {node['html'][:300]}\n"
                    f"    {' '.join(node['summary'].split())[:500]}\n"
                    f"    {violation['helpUrl']}"
                )
        lines.extend(f"- {error}" for error in self.errors)
        parts = []
        if lines:
            parts.append("Accessibility (axe-core, WCAG 2.0/2.1 A and AA):\n" + "\n".join(lines))
        if self.sideways:
            parts.append("Pages that scroll sideways:\n" + "\n".join(
                f"- {urlsplit(url)._replace(scheme='', netloc='').geturl()} ({when}): {what}"
                for url, when, what in self.sideways
            ))
        return "\n".join(parts)
