"""The Subscribe page: the feeds worth subscribing to, grouped, with how to subscribe."""

from __future__ import annotations

from collections.abc import Sequence

from ..feed_table import FEEDS, FeedRow, listing
from .site_data import SiteData


def subscribe(site: SiteData, table: Sequence[FeedRow] = FEEDS) -> dict[str, object]:
    """The feeds under their row's group, in the feed table's order (retired channels have none)."""
    groups: dict[str, list[dict[str, str]]] = {}
    for feed in listing(site.cal, site.url, table):
        groups.setdefault(feed["group"], []).append(feed)
    return {"feeds": list(groups.items())}
