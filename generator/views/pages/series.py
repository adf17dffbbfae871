"""A series' page: its cadence, the weeks it missed, questions without an answer, its posts."""

from __future__ import annotations

import datetime as dt

from ... import date_formats
from ...calendar_model import week_start
from ...date_formats import long_date
from ...models import Post
from ...registry import WEEKDAY_NAMES, Series
from .site_data import RECENT, SiteData


def ids(site: SiteData) -> list[str]:
    return list(site.cal.registry.series)


def gaps(series: Series, live: list[Post], today: dt.date | None = None) -> list[str]:
    """The weeks from the first post of a weekly series that have none: up to its last post, and
    when `today` is given, only those before today's week (the weeks ahead are its open slots)."""
    if not (series.expected_weekly and live):
        return []
    out = []
    first = week_start(min(p.day for p in live))
    last = week_start(max(p.day for p in live))
    if today is not None:
        last = min(last, week_start(today) - dt.timedelta(weeks=1))
    weeks = {week_start(p.day) for p in live}
    monday = first
    while monday <= last:
        if monday not in weeks:
            if series.weekdays and len(series.weekdays) == 1:
                day = monday + dt.timedelta(days=list(WEEKDAY_NAMES).index(series.weekdays[0]))
                out.append(f"{date_formats.day(day)} has no {series.label}")
            else:
                out.append(f"the week of {long_date(monday)} has no {series.label}")
        monday += dt.timedelta(weeks=1)
    return out


def series(site: SiteData, sid: str) -> dict[str, object]:
    cal = site.cal
    this = cal.registry.series[sid]
    posts = cal.posts_by_series.get(sid, ())
    live = [p for p in posts if not p.status.cancelled]
    answering = [s for s in cal.registry.series.values() if s.answers == sid]
    unanswered = []
    if answering:
        unanswered = [p for p in live if not any(not a.status.cancelled for a in cal.answers.get(p.id, ()))]
    return {
        "series": this,
        "posts": posts,
        "gaps": gaps(this, live, cal.today),
        "open_slots": [s for s in cal.open_slots if s.series.id == sid],
        "unanswered": unanswered,
        "upcoming": [p for p in posts if p.day >= cal.today][:RECENT],
        "recent": [p for p in posts if p.day < cal.today][-RECENT:][::-1],
    }
