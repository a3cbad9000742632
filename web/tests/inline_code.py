"""What the Content-Security-Policy would block in a page: inline scripts, styles and handlers."""

from __future__ import annotations

import re

# A <script> without src= runs inline, except a data block (json_script), which never runs.
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']application/json)[^>]*>", re.I)
_STYLE_ELEMENT = re.compile(r"<style\b", re.I)
# Attributes inside a tag: style="…" and on…="…" handlers (SVG's fill=, stroke= are allowed).
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def inline_code(html: str) -> list[str]:
    """Each piece of `html` that needs 'unsafe-inline' to run or apply."""
    found = [match.group(0) for match in _INLINE_SCRIPT.finditer(html)]
    found += [match.group(0) for match in _STYLE_ELEMENT.finditer(html)]
    for tag in _TAG.finditer(html):
        if _STYLE_ATTRIBUTE.search(tag.group(0)) or _HANDLER.search(tag.group(0)):
            found.append(tag.group(0))
    return found
