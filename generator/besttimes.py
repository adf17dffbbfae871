"""Best times from the team's own results (issue 24): per channel, the engagement rate by weekday
and hour of the calendar's zone, and the best hour to suggest for a new post.

The rate is the strategy's engagement rate (`kpis.Totals.engagement_rate`: all interactions over
all impressions of the posts of a cell). A cell resting on fewer posts than
`settings.best_times.min_posts` is thin: it is shown greyed with the reason, never suggested.
Pure functions of the posts; no clock, no file.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from .kpis import Totals
from .models import Post
from .registry import WEEKDAY_NAMES, WEEKDAYS, Registry

LEVELS = 4  # shades of a shown cell: its rate against the channel's best, in quarters


@dataclass(frozen=True)
class Cell:
    weekday: int  # 0 = Monday
    hour: int  # 0 to 23, in the calendar's zone
    totals: Totals
    min_posts: int

    @property
    def posts(self) -> int:
        return self.totals.posts

    @property
    def thin(self) -> bool:
        return self.posts < self.min_posts

    @property
    def rate(self) -> float | None:
        """The engagement rate, None when the cell is thin or its posts report no impressions."""
        return None if self.thin else self.totals.engagement_rate

    @property
    def day_name(self) -> str:
        return WEEKDAY_NAMES[WEEKDAYS[self.weekday]]

    @property
    def time(self) -> str:
        return f"{self.hour:02d}:00"


@dataclass(frozen=True)
class Heatmap:
    """One channel's cells: (weekday, hour) → the results of its posts then."""

    channel: str
    cells: Mapping[tuple[int, int], Cell]
    min_posts: int

    @property
    def hours(self) -> list[int]:
        """The hours with at least one post (the rows worth a line; the others would all be empty)."""
        return sorted({hour for _, hour in self.cells})

    def cell(self, weekday: int, hour: int) -> Cell | None:
        return self.cells.get((weekday, hour))

    @cached_property
    def rated(self) -> list[Cell]:
        """The cells with a rate (enough posts, with impressions), best first; ties: earlier first."""
        cells = [c for c in self.cells.values() if c.rate is not None]
        return sorted(cells, key=lambda c: (-(c.rate or 0.0), c.weekday, c.hour))

    @property
    def best(self) -> Cell | None:
        return self.rated[0] if self.rated else None

    @property
    def thin(self) -> int:
        return sum(1 for c in self.cells.values() if c.thin)

    def level(self, cell: Cell) -> int:
        """0 for a cell without a rate, else 1 to LEVELS: its rate as a share of the best's."""
        top = self.best.rate if self.best else None
        if cell.rate is None or not top:
            return 0 if cell.rate is None else 1
        return max(1, math.ceil(LEVELS * cell.rate / top - 1e-9))

    def best_on(self, weekday: int) -> Cell | None:
        return next((c for c in self.rated if c.weekday == weekday), None)


def heatmaps(posts: Iterable[Post], tz: dt.tzinfo, min_posts: int) -> dict[str, Heatmap]:
    """Every channel with results: its posts' results by weekday and hour of their time in `tz`."""
    grouped: dict[str, dict[tuple[int, int], Totals]] = {}
    for post in posts:
        if not post.results:
            continue
        local = post.date.astimezone(tz)
        key = (local.weekday(), local.hour)
        for cid, results in post.results.items():
            grouped.setdefault(cid, {}).setdefault(key, Totals()).add(results)
    return {
        cid: Heatmap(cid, {k: Cell(*k, t, min_posts) for k, t in sorted(cells.items())}, min_posts)
        for cid, cells in sorted(grouped.items())
    }


def calendar_heatmaps(posts: Iterable[Post], registry: Registry) -> dict[str, Heatmap]:
    """The heatmaps of the registry's channels, in the calendar's zone with its threshold."""
    found = heatmaps(posts, registry.settings.tz, registry.settings.best_times.min_posts)
    return {cid: found[cid] for cid in registry.channels if cid in found}


@dataclass(frozen=True)
class Suggestion:
    """The best hour for a post on a channel, and what it rests on."""

    channel: str
    name: str  # the channel's name
    cell: Cell
    same_day: bool  # the best hour of the day asked about; False: of the whole week

    @property
    def text(self) -> str:
        c = self.cell
        rate = f"{c.rate:.2f}".rstrip("0").rstrip(".")
        when = f"{c.day_name}s at {c.time}" if not self.same_day else f"{c.time} on {c.day_name}s"
        return (
            f"Best time for {self.name}, from its results: {when} (engagement rate {rate} % over "
            f"{c.posts} post{'s' if c.posts != 1 else ''})"
        )


def suggest(
    maps: Mapping[str, Heatmap], registry: Registry, channels: Iterable[str], day: dt.date | None = None
) -> list[Suggestion]:
    """For each channel with enough results: its best hour on the weekday of `day` when that
    weekday has a rated cell, else its best cell of the week. Channels without one are left out
    (nothing is suggested from nothing)."""
    out = []
    for cid in channels:
        heatmap = maps.get(cid)
        if heatmap is None or cid not in registry.channels:
            continue
        on_day = heatmap.best_on(day.weekday()) if day is not None else None
        cell = on_day or heatmap.best
        if cell is not None:
            out.append(Suggestion(cid, registry.channels[cid].name, cell, on_day is not None))
    return out
