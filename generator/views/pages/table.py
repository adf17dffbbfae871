"""The site's pages, as one table: where each page lives, its template, its context and its
title in the navigation (None: not in the navigation). A row with `items` is a collection: one
page per item (a month, a week, a channel …). The navigation handed to the site builder is
generated from this table, so adding a page is one row here plus its template.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from ... import urls
from ...rules.catalogue import RULES
from . import calendar_pages, campaigns, channels, hashtags, home, posts, results, review, series, subscribe
from .site_data import SiteData

Context = Callable[..., dict[str, object]]


@dataclass(frozen=True)
class Page:
    path: str | Callable[[Any], str]  # a docs path, or for a collection the docs path of an item
    template: str
    context: Context  # (site) → context, or (site, item) → context for a collection
    title: str | None = None  # the navigation entry; None: reached by links only
    items: Callable[[SiteData], Iterable[Any]] | None = None  # a collection: one page per item
    # The whole body spliced in after the site builder ran (calendar pages, see docs_tree.py); other
    # pages splice in only the pieces their template passes to `spliced(…)`.
    spliced: bool = False
    # Pages too many for the site builder: it renders this one shell (a docs path), and each page
    # of the row is written from it afterwards (see bulk_pages.py). Their template renders the body's
    # HTML; the context gives the page's `title` and `description` too. `stamp(site, item)` is
    # what a page shows besides the registry and today, cheap to compare: `socialcal serve`
    # works out again only the pages whose stamp changed.
    shell: str | None = None
    stamp: Callable[[SiteData, Any], object] | None = None

    def expand(self, site: SiteData) -> Iterator[tuple[str, Callable[[], dict[str, object]]]]:
        """(docs path, context) for each page of the row; contexts are computed when asked for."""
        if self.items is None:
            assert isinstance(self.path, str)
            yield self.path, partial(self.context, site)
            return
        assert callable(self.path)
        for item in self.items(site):
            yield self.path(item), partial(self.context, site, item)


def _nothing(site: SiteData) -> dict[str, object]:
    return {}


def _rules(site: SiteData) -> dict[str, object]:
    return {"rules": list(RULES.values())}


PAGES: tuple[Page, ...] = (
    Page(urls.HOME, "home.md.j2", home.home, "Home"),
    Page(urls.CALENDAR, "calendar_index.md.j2", calendar_pages.index, "Calendar"),
    Page(urls.month_page, "month.md.j2", calendar_pages.month, items=calendar_pages.months, spliced=True),
    Page(urls.THIS_WEEK, "week.md.j2", calendar_pages.this_week, "This week", spliced=True),
    Page(urls.NEXT_WEEK, "week.md.j2", calendar_pages.next_week, "Next week", spliced=True),
    Page(urls.week_page, "week.md.j2", calendar_pages.week, items=calendar_pages.mondays, spliced=True),
    Page(
        lambda p: urls.post_page(p.id),
        "post.html.j2",
        posts.post,
        items=posts.all_posts,
        shell=urls.POST_SHELL,
        stamp=posts.stamp,
    ),
    Page(urls.REVIEW, "review.md.j2", review.review, "Review queue"),
    Page(urls.CHANNELS, "channels_index.md.j2", _nothing, "Channels"),
    Page(urls.channel_page, "channel.md.j2", channels.channel, items=channels.ids),
    Page(urls.CAMPAIGNS, "campaigns_index.md.j2", _nothing, "Campaigns"),
    Page(lambda c: urls.campaign_page(c.id), "campaign.md.j2", campaigns.campaign, items=campaigns.all_campaigns),
    Page(urls.SERIES, "series_index.md.j2", _nothing, "Series"),
    Page(urls.series_page, "series.md.j2", series.series, items=series.ids),
    Page(urls.HASHTAGS, "hashtags.md.j2", hashtags.hashtags, "Hashtags"),
    Page(urls.RESULTS, "results.md.j2", results.results, "Results"),
    Page(urls.SUBSCRIBE, "subscribe.md.j2", subscribe.subscribe, "Subscribe"),
    Page(urls.RULES, "rules.md.j2", _rules, "Rules"),
)


@cache
def title_of(path: str) -> str | None:
    """The title of the table's row that is the page at `path` (None: no such row, or untitled)."""
    return next((p.title for p in PAGES if p.path == path), None)


def nav(table: Iterable[Page] = PAGES) -> list[tuple[str, str]]:
    """The navigation: (title, docs path) of every row that has a title, in table order."""
    return [(page.title, page.path) for page in table if page.title is not None and isinstance(page.path, str)]
