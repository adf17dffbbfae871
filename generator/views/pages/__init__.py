"""The generated pages: a table of pages (table.py), a context function per kind of page (one
module each, pure functions of the calendar), and the templates that turn a context into
Markdown (render.py). `render_pages` writes them, one by one, to a docs tree; the pages of a
shell row (a post's) are made by `shell_pages`, one at a time, once the site builder has
rendered their shell."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Protocol

from ...bulk_pages import ShellPage, shell_markdown
from ...cache import NO_MEMO, Memo, fingerprint
from ...calendar_model import Calendar
from ...docs_tree import piece_slot, split
from .calendar_pages import filters
from .render import Renderer, inline_code, markdown_text, safe_href
from .site_data import SiteData
from .table import PAGES, Page, nav


class Sink(Protocol):
    def write(self, rel_path: str, content: str) -> None: ...

    def fragment(self, rel_path: str, html: str) -> None:
        """HTML spliced into slot `rel_path` (a page, or a piece of one) after the engine ran."""


def calendar_page(renderer: Renderer, cal: Calendar, template: str, src: str, context: dict[str, object]) -> str:
    """A month or week page, from the part of the calendar it shows (the key of its memo)."""
    posts = context["posts"]
    proposals = [p for cell in _cells(context) for p in cell.proposals]
    proposals += [p for found in context.get("proposals", {}).values() for p in found]  # type: ignore[attr-defined]
    choices = filters(cal, posts, proposals, context.get("all_campaigns"))  # type: ignore[arg-type]
    return renderer.render(template, src, cal, filters=choices, **context)


def _cells(context: dict[str, object]) -> list:
    return [cell for week in context.get("weeks", ()) for cell in week]  # type: ignore[attr-defined]


def render_pages(
    site: SiteData, renderer: Renderer, sink: Sink, memo: Memo = NO_MEMO, table: Iterable[Page] = PAGES
) -> None:
    for page in table:
        if page.shell is not None:
            sink.write(page.shell, shell_markdown(page.shell))
            continue
        for src, context_of in page.expand(site):
            # A page of the navigation takes its title from its row: one copy, the table's.
            context = {"row_title": page.title, **context_of()}
            if page.spliced:
                seen = site.cal.restricted(context["posts"])  # type: ignore[arg-type]
                text = memo("page", (renderer, seen, page.template, src, context), calendar_page)
                markdown, html = split(src, text)
                sink.write(src, markdown)
                sink.fragment(src, html)
            else:
                # The bulk the template marks `spliced` goes beside the Markdown: the engine gets
                # small pages (docs_tree.py).
                pieces: list[str] = []
                sink.write(src, renderer.render(page.template, src, site.cal, pieces, **context))
                for n, html in enumerate(pieces, 1):
                    sink.fragment(piece_slot(src, n), html)


def shell_page(
    renderer: Renderer, cal: Calendar, page: Page, src: str, context: dict[str, object]
) -> tuple[str, str, str]:
    """(title, description, body HTML) of one page of a shell row."""
    body = renderer.render(page.template, src, cal, **context)
    return str(context["title"]), str(context["description"]), body


def shell_pages(
    site: SiteData, renderer: Renderer, table: Iterable[Page] = PAGES, stamped: bool = False
) -> Iterator[ShellPage]:
    """The pages of the shell rows, one at a time (never all in memory), each worked out only
    when asked. `stamped` (socialcal serve): each page carries the stamp of what it is made of
    (its row's `stamp`, the templates, the registry and today) so that an unchanged page is not
    even worked out in the next round. Shell pages show no error banner: each shows its own
    diagnostics, and a banner would change all of them whenever any file's errors change."""
    cal = site.cal
    common = (renderer.templates_digest, renderer.repo, fingerprint(cal.registry), cal.today) if stamped else None
    for page in table:
        if page.shell is None or page.items is None or not callable(page.path):
            continue
        for item in page.items(site):
            src = page.path(item)
            make = partial(_made, renderer, cal, page, src, partial(page.context, site, item))
            stamp = (common, page.template, page.stamp(site, item)) if common and page.stamp else None
            yield ShellPage(page.shell, src, make, stamp)


def post_page(site: SiteData, renderer: Renderer, post: object, table: Iterable[Page] = PAGES) -> ShellPage | None:
    """The page of one post of `site`, alone (the first thing `socialcal serve` writes after an
    edit); unstamped, so the next whole round writes it again. None: no row makes post pages."""
    for page in table:
        if page.shell is not None and page.items is not None and callable(page.path) and page.stamp is not None:
            src = page.path(post)
            return ShellPage(
                page.shell, src, partial(_made, renderer, site.cal, page, src, partial(page.context, site, post)), None
            )
    return None


def _made(
    renderer: Renderer, cal: Calendar, page: Page, src: str, context_of: Callable[[], dict[str, object]]
) -> tuple[str, str, str]:
    return shell_page(renderer, cal, page, src, context_of())


__all__ = [
    "PAGES",
    "Page",
    "Renderer",
    "Sink",
    "SiteData",
    "inline_code",
    "markdown_text",
    "nav",
    "post_page",
    "render_pages",
    "safe_href",
    "shell_pages",
]
