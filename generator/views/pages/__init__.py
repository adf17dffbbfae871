"""The generated pages: a table of pages (table.py), a context function per kind of page (one
module each, pure functions of the calendar), and the templates that turn a context into
Markdown (render.py). `render_pages` writes them, one by one, to a docs tree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ...cache import NO_MEMO, Memo
from ...calendar import Calendar
from ...docs import split
from .base import SiteData
from .calendar import filters, part
from .render import Renderer, inline_code, markdown_text, safe_href
from .table import PAGES, Page, nav


class Sink(Protocol):
    def write(self, rel_path: str, content: str) -> None: ...

    def fragment(self, rel_path: str, html: str) -> None: ...


def calendar_page(renderer: Renderer, cal: Calendar, template: str, src: str, context: dict[str, object]) -> str:
    """A month or week page, from the part of the calendar it shows (the key of its memo)."""
    posts = context["posts"]
    return renderer.render(template, src, cal, filters=filters(cal, posts), **context)  # type: ignore[arg-type]


def render_pages(
    site: SiteData, renderer: Renderer, sink: Sink, memo: Memo = NO_MEMO, table: Iterable[Page] = PAGES
) -> None:
    for page in table:
        for src, context_of in page.expand(site):
            context = context_of()
            if page.spliced:
                seen = part(site.cal, context["posts"])  # type: ignore[arg-type]
                text = memo("page", (renderer, seen, page.template, src, context), calendar_page)
                markdown, html = split(src, text)
                sink.write(src, markdown)
                sink.fragment(src, html)
            else:
                sink.write(src, renderer.render(page.template, src, site.cal, **context))


__all__ = [
    "PAGES",
    "Page",
    "Renderer",
    "Sink",
    "SiteData",
    "inline_code",
    "markdown_text",
    "nav",
    "render_pages",
    "safe_href",
]
