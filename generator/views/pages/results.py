"""The results page, and the KPI figures and charts the channel and campaign pages share."""

from __future__ import annotations

import calendar as pycal
import datetime as dt

from markupsafe import Markup

from ... import kpis
from ...calendar import week_start
from ...models import Campaign
from .. import charts
from .base import SiteData


def recent_months(today: dt.date, n: int = 12) -> list[tuple[int, int]]:
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def engagement_chart(site: SiteData, channel_ids: list[str], title: str) -> Markup:
    months = recent_months(site.cal.today)
    per = site.kpis.channel_month
    lines = [
        charts.Line(
            site.cal.registry.channels[c].name,
            f"sc-ch-{c}",
            [per[(c, ym)].engagement_rate if (c, ym) in per else None for ym in months],
        )
        for c in channel_ids
    ]
    return charts.line_chart(title, [f"{pycal.month_abbr[m]} {y % 100:02d}" for y, m in months], lines, "%")


def campaign_results(site: SiteData, campaign: Campaign) -> dict[str, object]:
    t = site.kpis.campaign.get(campaign.id, kpis.Totals())
    checks = kpis.check_targets(campaign, t)
    bars = charts.target_bars(
        f"{campaign.title}: results against targets",
        [(c.label, c.actual, c.target) for c in checks if c.target == c.target],
    )
    measured = any(c.actual is not None for c in checks)
    return {"campaign": campaign, "totals": t, "checks": checks, "bars": bars if measured else None}


def results(site: SiteData) -> dict[str, object]:
    cal = site.cal
    reg = cal.registry
    k = site.kpis
    monday = week_start(cal.today)
    weeks = [monday + dt.timedelta(weeks=i) for i in range(-11, 5)]
    active = [c for c, ch in reg.channels.items() if not ch.is_retired]
    counts = {(c, w): 0 for c in active for w in weeks}
    for post in cal.posts_between(weeks[0], weeks[-1] + dt.timedelta(days=7)):
        if post.status == "cancelled":
            continue
        for c in post.channels:
            key = (c, week_start(post.day))
            if key in counts:
                counts[key] += 1
    lines = [
        charts.Line(reg.channels[c].name, f"sc-ch-{c}", [counts[(c, w)] for w in weeks])
        for c in active
        if any(counts[(c, w)] for w in weeks)
    ]
    posts_chart = charts.small_multiples("Posts per week", [f"W{w.isocalendar()[1]:02d}" for w in weeks], lines)
    with_results = [c for c in active if c in k.channel]
    engagement = engagement_chart(site, with_results, "Engagement rate per month per channel")
    campaigns = [campaign_results(site, c) for c in cal.campaigns if c.kpis or c.id in k.campaign]
    return {
        "totals": k.all,
        "per_channel": k.channel,
        "channel_rows": [(reg.channels[c].name, t) for c, t in k.channel.items() if c in reg.channels],
        "series_rows": [(reg.series[s].name, t) for s, t in k.series.items() if s in reg.series],
        "month_rows": [(f"{pycal.month_name[m]} {y}", t) for (y, m), t in sorted(k.month.items())],
        "posts_chart": posts_chart,
        "engagement": engagement,
        "campaign_results": campaigns,
    }
