"""The calendar pages: the list of months, a month, a week (this week, next week, and the weeks
around today: planning is near-term)."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...calendar_model import Calendar, week_start
from ...date_formats import month_title
from ...models import Campaign, Post, PostStatus
from .site_data import SiteData

if TYPE_CHECKING:
    from ...proposals import Proposal
    from ...slots import Prefill, Slot

IN_CELL = 3  # posts shown in a day of the month grid; "+N more" opens the day
BAND_COLOURS = 6  # campaign bands take one of this many colours (socialcal.css), by their id


@dataclass(frozen=True)
class Band:
    """One day of a campaign's band across the month grid."""

    campaign: Campaign
    day: dt.date
    span: int  # on the first day of a stretch (its start, a Monday, the 1st): the stretch's days; else 0

    @property
    def starts(self) -> bool:
        """A stretch of the band starts here: its label goes here."""
        return self.span > 0

    @property
    def first(self) -> bool:
        return self.day == self.campaign.start

    @property
    def last(self) -> bool:
        return self.day == self.campaign.end

    @property
    def colour(self) -> int:
        return zlib.crc32(self.campaign.id.encode("utf-8")) % BAND_COLOURS


@dataclass(frozen=True)
class Cell:
    """A day of the month grid: its posts (the first IN_CELL shown), and a slot per campaign lane
    of its week (None where no campaign runs in that lane that day, so bands line up)."""

    day: dt.date
    inside: bool  # a day of the month (the others pad the first and last week)
    posts: tuple[Post, ...] = ()
    bands: tuple[Band | None, ...] = ()
    proposals: tuple[Proposal, ...] = ()  # posts of open pull requests, after the merged ones
    slots: tuple[Slot, ...] = ()  # open slots of weekly series (ghost entries)
    propose: Prefill | None = None  # a day ahead without posts: the proposal it starts

    @property
    def more(self) -> int:
        return max(0, len(self.posts) + len(self.proposals) - IN_CELL)


def band_lanes(campaigns: Sequence[Campaign], days: Sequence[dt.date]) -> list[tuple[Band | None, ...]]:
    """The campaign bands of a row of consecutive days: a lane each, the fewest lanes that keep
    overlapping campaigns apart, the earliest-starting (then longest) campaign on top."""
    if not days:
        return []
    lo, hi = days[0], days[-1]
    running = sorted(
        (c for c in campaigns if not c.status.cancelled and c.start <= hi and c.end >= lo),
        key=lambda c: (c.start, -(c.end - c.start).days, c.id),
    )
    lane_end: list[dt.date] = []
    placed: list[tuple[Campaign, int, dt.date, dt.date]] = []
    for c in running:
        start, end = max(c.start, lo), min(c.end, hi)
        lane = next((i for i, last in enumerate(lane_end) if last < start), len(lane_end))
        if lane == len(lane_end):
            lane_end.append(end)
        else:
            lane_end[lane] = end
        placed.append((c, lane, start, end))
    rows = []
    for day in days:
        slots: list[Band | None] = [None] * len(lane_end)
        for c, lane, start, end in placed:
            if start <= day <= end:
                slots[lane] = Band(c, day, (end - start).days + 1 if day == start else 0)
        rows.append(tuple(slots))
    return rows


def grid(cal: Calendar, year: int, month: int) -> list[list[Cell]]:
    """The month as weeks of days (Monday first), each with its posts and campaign bands."""
    weeks = []
    for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        inside = [d for d in week if d.month == month]
        lanes = dict(zip(inside, band_lanes(cal.campaigns, inside), strict=True))
        weeks.append([_cell(cal, day, lanes[day]) if day in lanes else Cell(day, False) for day in week])
    return weeks


def _cell(cal: Calendar, day: dt.date, bands: tuple[Band | None, ...]) -> Cell:
    posts, proposals = cal.posts_by_day.get(day, ()), cal.proposals_by_day.get(day, ())
    empty_ahead = not posts and not proposals and cal.today <= day
    return Cell(
        day,
        True,
        posts,
        bands,
        proposals,
        cal.open_slots_by_day.get(day, ()),
        cal.day_prefill(day) if empty_ahead else None,
    )


def campaigns_shown(rows: Iterable[Iterable[Band | None]]) -> list[Band]:
    """The first band of each campaign drawn on a page, in order: the legend's swatches."""
    seen: dict[str, Band] = {}
    for row in rows:
        for band in row:
            if band is not None:
                seen.setdefault(band.campaign.id, band)
    return list(seen.values())


def clashes_of(cal: Calendar, posts: Sequence[Post]) -> dict[str, tuple[tuple[str, Post], ...]]:
    """For each of these posts that clashes (SC401), the account and the other post."""
    return {p.id: cal.clashes[p.id] for p in posts if p.id in cal.clashes}


def index(site: SiteData) -> dict[str, object]:
    return {"months": site.cal.months}


def months(site: SiteData) -> tuple[tuple[int, int], ...]:
    return site.cal.months


def month(site: SiteData, ym: tuple[int, int]) -> dict[str, object]:
    all_months = site.cal.months
    i = all_months.index(ym)
    y, m = ym
    weeks = grid(site.cal, y, m)
    return {
        "year": y,
        "month": m,
        "month_name": month_title(y, m),
        "weeks": weeks,
        "campaigns": campaigns_shown(cell.bands for week in weeks for cell in week),
        "in_cell": IN_CELL,
        "posts": site.cal.posts_by_month.get(ym, ()),
        "with_proposals": site.cal.pull_requests is not None,
        "clashes": clashes_of(site.cal, site.cal.posts_by_month.get(ym, ())),
        "all_campaigns": all_campaigns(site.cal),
        "prev": all_months[i - 1] if i else None,
        "next": all_months[i + 1] if i + 1 < len(all_months) else None,
    }


def mondays(site: SiteData) -> tuple[dt.date, ...]:
    return site.cal.mondays


def week(site: SiteData, monday: dt.date) -> dict[str, object]:
    around = mondays(site)
    prev = monday - dt.timedelta(weeks=1)
    nxt = monday + dt.timedelta(weeks=1)
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    posts = site.cal.posts_between(monday, monday + dt.timedelta(days=7))
    lanes = band_lanes(site.cal.campaigns, days)
    return {
        "monday": monday,
        "days": days,
        "posts": posts,
        "bands": dict(zip(days, lanes, strict=True)),
        "campaigns": campaigns_shown(lanes),
        "slots": {d: site.cal.open_slots_by_day[d] for d in days if d in site.cal.open_slots_by_day},
        "clashes": clashes_of(site.cal, posts),
        "all_campaigns": all_campaigns(site.cal),
        "with_proposals": site.cal.pull_requests is not None,
        "proposals": proposals_by_day(site.cal.proposals_between(monday, monday + dt.timedelta(days=7))),
        "prev": prev if prev in around else None,
        "next": nxt if nxt in around else None,
        "iso": monday.isocalendar(),
        "this_monday": week_start(site.cal.today),
    }


def proposals_by_day(found: Sequence[Proposal]) -> dict[dt.date, tuple[Proposal, ...]]:
    out: dict[dt.date, list[Proposal]] = {}
    for p in found:
        out.setdefault(p.post.day, []).append(p)  # type: ignore[union-attr]
    return {k: tuple(v) for k, v in out.items()}


def this_week(site: SiteData) -> dict[str, object]:
    return week(site, week_start(site.cal.today))


def next_week(site: SiteData) -> dict[str, object]:
    return week(site, week_start(site.cal.today) + dt.timedelta(weeks=1))


Choice = tuple[str, str, bool]  # value, name, whether the page has a post with it


def filters(
    cal: Calendar,
    posts: Sequence[Post],
    proposals: Sequence[Proposal] = (),
    campaigns: Sequence[tuple[str, str]] | None = None,
) -> dict[str, list[Choice]]:
    """The choices of the filter form: the same on every page (every active channel, series,
    campaign and status, so the bar keeps its shape month to month), each saying whether the
    page's posts (and proposals) have it. `campaigns`: (id, title) of every campaign, when `cal`
    is a part of the calendar that knows only its own."""
    reg = cal.registry
    posts = [*posts, *(p.post for p in proposals if p.post is not None)]
    have = {
        "channel": {c for p in posts for c in p.channels},
        "series": {p.series for p in posts if p.series},
        "campaign": {p.campaign for p in posts if p.campaign},
        "status": {p.status for p in posts},
    }
    channels = [c.id for c in reg.channels.values() if not c.is_retired]
    channels += sorted(have["channel"] - set(channels))
    known = list(campaigns) if campaigns is not None else [(c.id, c.title) for c in cal.campaigns]
    known += [(c, c) for c in sorted(have["campaign"] - {cid for cid, _ in known})]
    series = [*reg.series, *sorted(have["series"] - set(reg.series))]
    return {
        "channel": [(c, reg.channels[c].name if c in reg.channels else c, c in have["channel"]) for c in channels],
        "series": [(s, reg.series[s].name if s in reg.series else s, s in have["series"]) for s in series],
        "campaign": [(c, title, c in have["campaign"]) for c, title in known],
        "status": [(s.value, s.label, s in have["status"]) for s in PostStatus],
    }


def all_campaigns(cal: Calendar) -> tuple[tuple[str, str], ...]:
    return tuple((c.id, c.title) for c in cal.campaigns)
