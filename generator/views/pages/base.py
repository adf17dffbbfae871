"""What every page context is computed from: the calendar, the site's address, and the KPIs
(worked out once for the channel, campaign and results pages)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ... import kpis
from ...calendar import Calendar
from ...media import Thumbnailer

RECENT = 30  # upcoming and recent posts listed on a channel or series page


@dataclass(frozen=True)
class Kpis:
    channel: dict[str, kpis.Totals]
    campaign: dict[str, kpis.Totals]
    series: dict[str, kpis.Totals]
    month: dict[tuple[int, int], kpis.Totals]
    channel_month: dict[tuple[str, tuple[int, int]], kpis.Totals]
    all: kpis.Totals


class SiteData:
    def __init__(self, cal: Calendar, url: str = "http://127.0.0.1:8000/", media: Thumbnailer | None = None) -> None:
        self.cal = cal
        self.url = url  # the public address: feed links on the Subscribe page
        self.media = media  # thumbnails of the repository's images (None: media are listed only)

    @cached_property
    def kpis(self) -> Kpis:
        posts = self.cal.posts
        return Kpis(
            channel=kpis.by_channel(posts),
            campaign=kpis.by_campaign(posts),
            series=kpis.by_series(posts),
            month=kpis.by_month(posts),
            channel_month=kpis.by_channel_month(posts),
            all=kpis.totals(r for p in posts for r in p.results.values()),
        )
