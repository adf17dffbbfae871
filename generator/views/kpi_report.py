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
    from ..calendar_model import Calendar

COLUMNS = [
    "group",
    "name",
    "post_id",  # post rows: the post's id (its file name) and its file, to find it again
    "path",
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


# What makes a spreadsheet read a cell as a formula (CSV injection, OWASP): = + - @, a tab or a line
# break first; the full-width forms too, which some spreadsheets read as the ASCII ones.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> object:
    """A spreadsheet must never read a cell as a formula: text that could start one is quoted
    with a leading apostrophe (shown as text, the apostrophe hidden). Numbers are left alone."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_START):
        return "'" + value
    return value


def rows(
    posts: Sequence[Post], campaigns: Sequence[Campaign], registry: Registry, start: dt.date | None, end: dt.date | None
) -> list[dict[str, object]]:
    chosen = kpis.in_range(posts, start, end)
    titles = {c.id: c.title for c in campaigns}
    out: list[dict[str, object]] = []

    def add(group: str, name: str, t: kpis.Totals, post: Post | None = None) -> None:
        d = t.as_dict()
        d.pop("sentiment")
        where = {"post_id": post.id, "path": post.path} if post else {"post_id": None, "path": None}
        out.append({"group": group, "name": name, **where, **d})

    add("all", "All posts", kpis.totals(r for p in chosen for r in p.results.values()))
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
            add("post", f"{post.day} {post.title}", kpis.totals(post.results.values()), post)
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


WIDTH = 100  # the text report fits a terminal of 100 columns
GROUPS = {"channel": "Per channel", "campaign": "Per campaign", "series": "Per series", "month": "Per month",
          "post": "Per post"}  # fmt: skip


def _count(value: object) -> str:
    return "—" if value is None else f"{value:,}"


def _rate(value: object) -> str:
    return "—" if value is None else f"{value:,.2f} %"


def _fit(text: str, width: int) -> str:
    """Cut to `width` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _kpi_value(kpi: str, value: object) -> str:
    if value is None:
        return "—"
    if kpi in kpis.RATES:
        return _rate(value)
    return _count(int(value)) if isinstance(value, (int, float)) and float(value).is_integer() else f"{value:,.2f}"


def target_words(check: dict[str, object]) -> str:
    """One campaign target as a sentence: 'impressions: 306,300 against a target of 300,000: met (102 %)'."""
    kpi = str(check["kpi"])
    label = kpis.RATES.get(kpi, kpi.replace("_", " ")).removesuffix(" (%)")
    target, actual, met = check["target"], check["actual"], check["met"]
    if target != target:  # NaN: a target that is not a number
        return f"{label}: the target is not a number"
    goal = _kpi_value(kpi, target)
    if actual is None:
        return f"{label}: target {goal}, not measured yet"
    verdict = "met" if met else "missed"
    share = f" ({float(actual) / float(target) * 100:.0f} % of it)" if kpi not in kpis.RATES and target else ""  # type: ignore[arg-type]
    return f"{label}: {_kpi_value(kpi, actual)} against a target of {goal}: {verdict}{share}"


def _table(data: list[dict[str, object]], notes: dict[str, list[str]]) -> list[str]:
    """The rows under their groups' headings; `notes` are lines said at the end of a group."""
    header = tuple(c.short for c in kpis.COLUMNS)
    cells = [tuple((_rate if c.rate else _count)(r[c.key]) for c in kpis.COLUMNS) for r in data]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
    numbers = sum(widths) + 2 * len(widths)
    name_width = max(12, WIDTH - numbers)

    def line(name: str, values: tuple[str, ...]) -> str:
        return (
            _fit(name, name_width).ljust(name_width)
            + "".join(f"  {v:>{w}}" for v, w in zip(values, widths, strict=True))
        ).rstrip()

    out = [line("", header)]
    group = ""
    for r, values in zip(data, cells, strict=True):
        if r["group"] != group and r["group"] in GROUPS:
            out += notes.get(group, [])
            group = str(r["group"])
            out += ["", GROUPS[group]]
        indent = "  " if r["group"] in GROUPS else ""
        out.append(line(indent + str(r["name"]), values))
    return out + notes.get(group, [])


def _wrapped(text: str, indent: str = "  ") -> list[str]:
    import textwrap

    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False)


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
    return text_report(cal, data, checks, start, end)


def text_report(
    cal: Calendar, data: list[dict[str, object]], checks: list[dict[str, object]], start: dt.date | None,
    end: dt.date | None,
) -> str:  # fmt: skip
    """For reading in a terminal: at most WIDTH columns, counts with thousands separators, targets in words."""
    period = f"{start or 'the beginning'} to {end or 'today and beyond'}"
    lines = [
        f"Results from {period}",
        "posts: channel posts, one post on one channel (a post on three counts three)",
        "",
    ]
    measured = {r["name"] for r in data if r["group"] == "channel"}
    silent = [c.name for c in cal.registry.channels.values() if not c.is_retired and c.name not in measured]
    said = _wrapped(f"No results yet: {', '.join(silent)}.") if silent and measured else []
    lines += _table(data, {"channel": said})
    if checks:
        lines += ["", "Campaign targets"]
        campaign = None
        for c in checks:
            if c["campaign"] != campaign:
                campaign = c["campaign"]
                lines.append(_fit(f"  {campaign}", WIDTH))
            lines += _wrapped(target_words(c), "    ")
    late = planned_vs_published(cal, start, end)
    lines += ["", f"Missed (slot passed, not published): {len(late['missed'])}"]
    for m in late["missed"]:
        lines += _wrapped(f"{m['date'][:16].replace('T', ' ')}  {m['title']} ({m['id']}, {m['status']})")
    lines += ["", f"Published without results: {len(late['unmeasured'])}"]
    for u in late["unmeasured"]:
        where = ", ".join(u["without_results"])
        when = u["date"][:16].replace("T", " ")
        lines += _wrapped(f"{when}  {u['title']} ({u['id']}: no results on {where})")
    if not any(r["channel_posts"] for r in data):
        lines += ["", "No post in this period has results yet: import them with 'socialcal results import'."]
    return "\n".join(lines) + "\n"
