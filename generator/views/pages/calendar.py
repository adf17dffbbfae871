"""The calendar pages: the list of months, a month, a week (this week, next week, and the weeks
around today: planning is near-term)."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from collections.abc import Sequence

from ...calendar import Calendar, week_start
from ...models import POST_STATUSES, Post
from ...provenance import Provenance
from .base import SiteData

WEEKS_BEFORE, WEEKS_AFTER = 4, 12


def index(site: SiteData) -> dict[str, object]:
    return {"months": site.cal.months}


def months(site: SiteData) -> tuple[tuple[int, int], ...]:
    return site.cal.months


def month(site: SiteData, ym: tuple[int, int]) -> dict[str, object]:
    all_months = site.cal.months
    i = all_months.index(ym)
    y, m = ym
    return {
        "year": y,
        "month": m,
        "month_name": f"{pycal.month_name[m]} {y}",
        "weeks": pycal.Calendar(firstweekday=0).monthdatescalendar(y, m),
        "posts": site.cal.posts_by_month.get(ym, ()),
        "prev": all_months[i - 1] if i else None,
        "next": all_months[i + 1] if i + 1 < len(all_months) else None,
    }


def mondays(site: SiteData) -> list[dt.date]:
    this_monday = week_start(site.cal.today)
    return [this_monday + dt.timedelta(weeks=k) for k in range(-WEEKS_BEFORE, WEEKS_AFTER + 1)]


def week(site: SiteData, monday: dt.date) -> dict[str, object]:
    around = mondays(site)
    prev = monday - dt.timedelta(weeks=1)
    nxt = monday + dt.timedelta(weeks=1)
    return {
        "monday": monday,
        "days": [monday + dt.timedelta(days=i) for i in range(7)],
        "posts": site.cal.posts_between(monday, monday + dt.timedelta(days=7)),
        "prev": prev if prev in around else None,
        "next": nxt if nxt in around else None,
        "iso": monday.isocalendar(),
        "this_monday": week_start(site.cal.today),
    }


def this_week(site: SiteData) -> dict[str, object]:
    return week(site, week_start(site.cal.today))


def next_week(site: SiteData) -> dict[str, object]:
    return week(site, week_start(site.cal.today) + dt.timedelta(weeks=1))


def filters(cal: Calendar, posts: Sequence[Post]) -> dict[str, list[tuple[str, str]]]:
    """The choices of the filter form: only values the page's posts have."""
    reg = cal.registry
    channels = sorted({c for p in posts for c in p.channels})
    series = sorted({p.series for p in posts if p.series})
    campaigns = sorted({p.campaign for p in posts if p.campaign})
    statuses = [s for s in POST_STATUSES if any(p.status == s for p in posts)]
    return {
        "channel": [(c, reg.channels[c].name if c in reg.channels else c) for c in channels],
        "series": [(s, reg.series[s].name if s in reg.series else s) for s in series],
        "campaign": [(c, cal.campaign_by_id[c].title if c in cal.campaign_by_id else c) for c in campaigns],
        "status": [(s, s) for s in statuses],
    }


def part(cal: Calendar, posts: Sequence[Post]) -> Calendar:
    """The calendar as far as a page of these posts can see it: the posts, the questions they
    answer, their campaigns and history. A calendar page is rendered from this part alone, so
    the part is all its cache key needs (an edit elsewhere leaves the page as it was)."""
    shown = {p.id for p in posts}
    questions = [
        q for p in posts if p.answer_to and p.answer_to not in shown and (q := cal.post_by_id.get(p.answer_to))
    ]
    everything = sorted({p.id: p for p in (*posts, *questions)}.values(), key=lambda p: (p.date, p.id))
    wanted = {p.campaign for p in everything if p.campaign}
    files = {p.path: h for p in everything if (h := cal.provenance.get(p.path)) is not None}
    sub = Calendar(
        registry=cal.registry,
        posts=tuple(everything),
        campaigns=tuple(c for c in cal.campaigns if c.id in wanted),
        today=cal.today,
        provenance=Provenance(files),
    )
    # The posts' outgoing texts are already composed for the whole calendar: shared, not redone.
    vars(sub)["entries_by_post"] = {p.id: cal.entries_by_post.get(p.id, ()) for p in everything}
    return sub
