"""The generated pages: a table of pages (table.py), a context function per kind of page (one
module each, pure functions of the calendar), and the templates that turn a context into
Markdown (render.py). `render_pages` writes them, one by one, to a docs tree; the pages of a
shell row (a post's) are made by `shell_pages`, one at a time, once the site builder has
rendered their shell."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Protocol

from ...cache import NO_MEMO, Memo
from ...calendar import Calendar
from ...docs import split
from ...shell import ShellPage, shell_markdown
from .base import SiteData
from .calendar import filters, part
from .render import Renderer, markdown_text, safe_href
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
        if page.shell is not None:
            sink.write(page.shell, shell_markdown(page.shell))
            continue
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


def shell_body(renderer: Renderer, cal: Calendar, template: str, src: str, context: dict[str, object]) -> str:
    return renderer.render(template, src, cal, **context)


def shell_pages(
    site: SiteData, renderer: Renderer, memo: Memo = NO_MEMO, table: Iterable[Page] = PAGES
) -> Iterator[ShellPage]:
    """The pages of the shell rows, one at a time (never all in memory). With a memo, each page
    carries the key of what it is made from (its context, the registry, today: a shell page's
    template shows nothing of the calendar but its context), so that an unchanged page is not
    even rendered; the bodies themselves are never kept (10,000 would be the largest thing in
    memory)."""
    cal = site.cal
    for page in table:
        if page.shell is None:
            continue
        for src, context_of in page.expand(site):
            context = context_of()
            yield ShellPage(
                page.shell,
                src,
                str(context["title"]),
                str(context["description"]),
                partial(shell_body, renderer, cal, page.template, src, context),
                memo.key("shell-page", (renderer, cal.registry, cal.today, page.template, src, context)),
            )


__all__ = [
    "PAGES",
    "Page",
    "Renderer",
    "Sink",
    "SiteData",
    "markdown_text",
    "nav",
    "render_pages",
    "safe_href",
    "shell_pages",
]
