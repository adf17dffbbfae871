"""The Subscribe page: the feeds worth subscribing to, grouped, with how to subscribe."""

from __future__ import annotations

from ..feeds import listing
from .base import SiteData

GROUPS = {
    "owners": "Per owner",
    "channels": "Per channel",
    "campaigns": "Per campaign",
    "series": "Per series",
}


def subscribe(site: SiteData) -> dict[str, object]:
    """The feeds by group, in the order `feeds.feeds` makes them (retired channels have none)."""
    groups: dict[str, list[dict[str, str]]] = {}
    for feed in listing(site.cal, site.url):
        path = feed["path"]
        heading = GROUPS.get(path.split("/")[1] if path.count("/") > 1 else "", "Everything")
        groups.setdefault(heading, []).append(feed)
    return {"feeds": list(groups.items())}
