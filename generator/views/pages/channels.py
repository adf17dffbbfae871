"""A channel's page: its policy and strategy, results, and its upcoming and recent posts."""

from __future__ import annotations

from .results import engagement_chart
from .site_data import RECENT, SiteData


def ids(site: SiteData) -> list[str]:
    return list(site.cal.registry.channels)


def channel(site: SiteData, cid: str) -> dict[str, object]:
    cal = site.cal
    posts = cal.posts_by_channel.get(cid, ())
    upcoming = [p for p in posts if p.day >= cal.today][:RECENT]
    recent = [p for p in posts if p.day < cal.today][-RECENT:][::-1]
    totals = site.kpis.channel.get(cid)
    trend = engagement_chart(site, [cid], "Engagement rate per month") if totals else None
    return {
        "channel": cal.registry.channels[cid],
        "upcoming": upcoming,
        "recent": recent,
        "total": len(posts),
        "totals": totals,
        "trend": trend,
    }
