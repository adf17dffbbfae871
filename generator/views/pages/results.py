"""The results page, and the KPI figures and charts the channel and campaign pages share."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from ... import kpis
from ...calendar_model import week_start
from ...date_formats import month_title, short_month
from ...models import Campaign
from ...registry import WEEKDAY_NAMES, WEEKDAYS
from .. import charts
from .site_data import SiteData


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """Every month from `first` to `last`, both included, as (year, month)."""
    out = []
    y, m = first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def engagement_chart(site: SiteData, channel_ids: list[str], title: str) -> Markup:
    """The engagement rate per month of each channel, over the months from the first to the last
    with results (an empty year before them would squeeze the data into a corner)."""
    per = site.kpis.channel_month
    wanted = set(channel_ids)
    with_data = sorted(ym for (c, ym) in per if c in wanted)
    months = months_between(with_data[0], with_data[-1]) if with_data else []
    lines = [
        charts.Line(
            site.cal.registry.channels[c].name,
            f"sc-ch-{c}",
            [per[(c, ym)].engagement_rate if (c, ym) in per else None for ym in months],
        )
        for c in channel_ids
    ]
    return charts.line_chart(title, [short_month(y, m) for y, m in months], lines, "%")


def best_times(site: SiteData, channel_ids: list[str]) -> list[dict[str, object]]:
    """Each channel's heatmap of engagement by weekday and hour, with its best cell and how many
    cells are too thin to show (the Results page's "Best times")."""
    reg = site.cal.registry
    days = [WEEKDAY_NAMES[d] for d in WEEKDAYS]
    out = []
    for cid in channel_ids:
        heatmap = site.cal.heatmaps.get(cid)
        if heatmap is None:
            continue
        name = reg.channels[cid].name
        caption = f"{name}: engagement rate by weekday and hour ({reg.settings.timezone})"
        out.append({"name": name, "heatmap": heatmap, "table": charts.heatmap_table(caption, heatmap, days)})
    return out


def community(site: SiteData, channel_ids: list[str]) -> dict[str, object] | None:
    """Followers per channel per month (content/followers.yml) and each month's new followers:
    the chart (one small chart per channel) and the table behind it; None without any count."""
    reg = site.cal.registry
    counted = [c for c in channel_ids if reg.followers.get(c)]
    if not counted:
        return None
    written = sorted(m for c in counted for m in reg.followers[c])
    first, last = (tuple(int(p) for p in m.split("-")) for m in (written[0], written[-1]))
    months = months_between(first, last)  # type: ignore[arg-type]
    rows = {c: kpis.growth(reg.followers[c], months) for c in counted}
    lines, notes = [], []
    for c in counted:
        lines.append(charts.Line(reg.channels[c].name, f"sc-ch-{c}", [g.new for g in rows[c]]))
        latest = next(g for g in reversed(rows[c]) if g.followers is not None)
        notes.append(f"{latest.followers:,} followers at the end of {short_month(*latest.month)}")
    labels = [short_month(y, m) for y, m in months]
    chart = charts.growth_multiples("New followers per month", labels, lines, notes)
    table = [(short_month(*ym), [rows[c][i] for c in counted]) for i, ym in enumerate(months)]
    return {"chart": chart, "channels": [reg.channels[c].name for c in counted], "rows": table}


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
    counts = {(c, w): cal.posts_in_week(c, w) for c in active for w in weeks}
    lines = [
        charts.Line(reg.channels[c].name, f"sc-ch-{c}", [counts[(c, w)] for w in weeks])
        for c in active
        if any(counts[(c, w)] for w in weeks)
    ]
    posts_chart = charts.small_multiples(
        "Posts per week",
        [f"W{w.isocalendar()[1]:02d}" for w in weeks],
        lines,
        integer=True,
        planned_from=weeks.index(monday),  # this week is not over: planned with those ahead
    )
    with_results = [c for c in active if c in k.channel]
    engagement = engagement_chart(site, with_results, "Engagement rate per month per channel")
    campaigns = [campaign_results(site, c) for c in cal.campaigns if c.kpis or c.id in k.campaign]
    return {
        "totals": k.all,
        "per_channel": k.channel,
        "channel_rows": [(reg.channels[c].name, t) for c, t in k.channel.items() if c in reg.channels],
        "without_results": [reg.channels[c].name for c in active if c not in k.channel],
        "series_rows": [(reg.series[s].name, t) for s, t in k.series.items() if s in reg.series],
        "month_rows": [(month_title(y, m), t) for (y, m), t in sorted(k.month.items())],
        "posts_chart": posts_chart,
        "engagement": engagement,
        "best_times": best_times(site, active),
        "community": community(site, active),
        "min_posts": reg.settings.best_times.min_posts,
        "campaign_results": campaigns,
    }
