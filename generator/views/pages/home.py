"""The home page: the next days, this week per channel, what waits for review."""

from __future__ import annotations

import datetime as dt

from ...calendar_model import week_start
from .review import waiting
from .site_data import SiteData

NEXT_SLOTS = 6  # open slots the home page lists (each series page lists all of its own)


def counted_week(today: dt.date) -> dt.date:
    """The Monday of the week "per channel" counts: this week's, and on a Sunday (the week is
    over; planning looks at the next one) the week ahead's."""
    return week_start(today) + dt.timedelta(weeks=1 if today.weekday() == 6 else 0)


def home(site: SiteData) -> dict[str, object]:
    cal = site.cal
    days = cal.registry.settings.site.upcoming_days
    end = cal.today + dt.timedelta(days=days)
    upcoming = cal.posts_between(cal.today, end)
    # With nothing in the next days, the first post after them: an empty box says when work resumes.
    after = [] if upcoming else cal.posts_between(end, dt.date.max)[:1]
    monday = counted_week(cal.today)
    active = [cid for cid, ch in cal.registry.channels.items() if not ch.is_retired]
    per_channel = {cid: cal.posts_in_week(cid, monday) for cid in active}
    return {
        "upcoming": upcoming,
        "upcoming_days": days,
        "next_post": after[0] if after else None,
        "per_channel": per_channel,
        "monday": monday,
        "waiting": waiting(site),
        "slots": cal.open_slots[:NEXT_SLOTS],
    }
