"""The Subscribe page: the feeds worth subscribing to, grouped, with how to subscribe."""

from __future__ import annotations

from ... import urls
from ..feeds import listing
from .base import SiteData

GROUPS = {"channels": "Per channel", "campaigns": "Per campaign", "series": "Per series"}


def subscribe(site: SiteData) -> dict[str, object]:
    """A retired channel's feed with no post is left out (the file is still built, so an old
    subscription keeps working)."""
    cal = site.cal
    empty_retired = {
        urls.channel_feed(c.id)
        for c in cal.registry.channels.values()
        if c.is_retired and not cal.posts_by_channel.get(c.id)
    }
    groups: dict[str, list[dict[str, str]]] = {}
    for feed in listing(cal, site.url):
        path = feed["path"]
        if path not in empty_retired:
            heading = GROUPS.get(path.split("/")[1] if path.count("/") > 1 else "", "Everything")
            groups.setdefault(heading, []).append(feed)
    return {"feeds": list(groups.items())}
