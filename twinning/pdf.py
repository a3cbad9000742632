"""Printable pages drawn as PDF by WeasyPrint, without the network.

The page's stylesheet is read from the static files and inlined by the caller's template,
and WeasyPrint's fetcher refuses every URL but inline data, so a PDF never waits on, or
leaks to, another server.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders


def static_text(path: str) -> str:
    """The text of a static file (a stylesheet to inline in a PDF's HTML)."""
    with open(finders.find(path), encoding="utf-8") as static_file:
        return static_file.read()


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF pages need; the
    # rest of the site starts and runs without it.
    import weasyprint
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        """Inline data only (data: URLs); any other URL is refused, never fetched."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"The PDF is drawn offline; it does not fetch {url}.")

    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=OfflineFetcher()).write_pdf()
