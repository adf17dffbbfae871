"""`socialcal report`: the KPIs for a period, as text, JSON or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import kpis
from ..models import METRICS, Campaign, Post
from ..registry import Registry

if TYPE_CHECKING:
    from ..calendar import Calendar

COLUMNS = [
    "group",
    "name",
    "channel_posts",  # one post on one channel: a post on three channels counts three
    *METRICS,
    "interactions",
    "engagement_rate",
    "click_through",
    "positive_sentiment",
    # campaign targets (group "target"): one row per KPI
    "kpi",
    "target",
    "actual",
    "met",
]


# A spreadsheet runs a cell beginning so as a formula (CSV injection): the report and the exports.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A spreadsheet must never read a cell as a formula (CSV injection): such a cell gets a
    leading apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def rows(
    posts: Sequence[Post], campaigns: Sequence[Campaign], registry: Registry, start: dt.date | None, end: dt.date | None
) -> list[dict[str, object]]:
    chosen = kpis.in_range(posts, start, end)
    titles = {c.id: c.title for c in campaigns}
    out: list[dict[str, object]] = []

    def add(group: str, name: str, t: kpis.Totals) -> None:
        d = t.as_dict()
        d.pop("sentiment")
        out.append({"group": group, "name": name, **d})

    add("all", "all posts", kpis.totals(r for p in chosen for r in p.results.values()))
    for cid, t in sorted(kpis.by_channel(chosen).items()):
        add("channel", registry.channels[cid].name if cid in registry.channels else cid, t)
    for cid, t in sorted(kpis.by_campaign(chosen).items()):
        add("campaign", titles.get(cid, cid), t)
    for sid, t in sorted(kpis.by_series(chosen).items()):
        add("series", registry.series[sid].name if sid in registry.series else sid, t)
    for (y, m), t in sorted(kpis.by_month(chosen).items()):
        add("month", f"{y:04d}-{m:02d}", t)
    for post in chosen:
        if post.results:
            add("post", f"{post.day} {post.title}", kpis.totals(post.results.values()))
    return out


def targets(campaigns: Sequence[Campaign], posts: Sequence[Post]) -> list[dict[str, object]]:
    per = kpis.by_campaign(posts)
    out = []
    for c in campaigns:
        for check in kpis.check_targets(c, per.get(c.id, kpis.Totals())):
            out.append(
                {
                    "campaign": c.title,
                    "kpi": check.kpi,
                    "target": int(check.target)
                    if check.kpi not in kpis.RATES and float(check.target).is_integer()
                    else check.target,
                    "actual": round(check.actual, 2) if isinstance(check.actual, float) else check.actual,
                    "met": check.met,
                }
            )
    return out


def planned_vs_published(cal: Calendar, start: dt.date | None, end: dt.date | None) -> dict[str, list[dict]]:
    """The posts of the period that missed their slot, and the published ones without results."""

    def within(post: Post) -> bool:
        return (start is None or post.day >= start) and (end is None or post.day <= end)

    missed = [
        {"id": p.id, "date": p.date.isoformat(), "title": p.title, "status": p.status, "channels": list(p.channels)}
        for p in cal.missed
        if within(p)
    ]
    unmeasured = [
        {"id": p.id, "date": p.date.isoformat(), "title": p.title, "without_results": list(cal.unmeasured_channels(p))}
        for p in cal.unmeasured
        if within(p)
    ]
    return {"missed": missed, "unmeasured": unmeasured}


def _fmt(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() and abs(value) >= 100 else f"{value:.2f}"
    return str(value)


def report(cal: Calendar, start: dt.date | None, end: dt.date | None, fmt: str) -> str:
    """The KPIs of the calendar's posts between start and end (either open), as text, JSON or CSV."""
    posts, campaigns = cal.posts, cal.campaigns
    data = rows(posts, campaigns, cal.registry, start, end)
    checks = targets(
        [c for c in campaigns if (start is None or c.end >= start) and (end is None or c.start <= end)],
        kpis.in_range(posts, start, end),
    )
    late = planned_vs_published(cal, start, end)
    if fmt == "json":
        return (
            json.dumps(
                {
                    "from": start and start.isoformat(),
                    "to": end and end.isoformat(),
                    "rows": data,
                    "targets": checks,
                    **late,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in data:
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
        for c in checks:
            writer.writerow({k: safe_cell(v) for k, v in {"group": "target", "name": c["campaign"], **c}.items()})
        for group, items in late.items():
            for item in items:
                name = f"{item['date'][:10]} {item['title']} ({item['id']})"
                writer.writerow({"group": group, "name": safe_cell(name)})
        return buffer.getvalue()
    period = f"{start or 'the beginning'} to {end or 'today and beyond'}"
    lines = [f"Results from {period}", ""]
    header = ["", "channel posts", "impressions", "interactions", "engagement %", "click-through %", "positive %"]
    table = [header]
    for r in data:
        table.append(
            [
                f"{r['group']}: {r['name']}",
                _fmt(r["channel_posts"]),
                _fmt(r["impressions"]),
                _fmt(r["interactions"]),
                _fmt(r["engagement_rate"]),
                _fmt(r["click_through"]),
                _fmt(r["positive_sentiment"]),
            ]
        )
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        lines.append(
            "  ".join(
                str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    if checks:
        lines += ["", "Campaign targets"]
        for c in checks:
            verdict = {True: "met", False: "missed", None: "not measured"}[c["met"]]  # type: ignore[index]
            lines.append(f"  {c['campaign']}: {c['kpi']} {_fmt(c['actual'])} / target {_fmt(c['target'])}: {verdict}")
    lines += ["", f"Missed (slot passed, not published): {len(late['missed'])}"]
    lines += [f"  {m['date'][:16].replace('T', ' ')}  {m['title']} ({m['id']}, {m['status']})" for m in late["missed"]]
    lines += ["", f"Published without results: {len(late['unmeasured'])}"]
    for u in late["unmeasured"]:
        where = ", ".join(u["without_results"])
        lines.append(f"  {u['date'][:16].replace('T', ' ')}  {u['title']} ({u['id']}: no results on {where})")
    if not any(r["channel_posts"] for r in data):
        lines += ["", "No post in this period has results yet: import them with `socialcal results import`."]
    return "\n".join(lines) + "\n"
