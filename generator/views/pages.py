"""The generated docs tree: Markdown pages (mostly escaped HTML) for MkDocs to turn into the site.

User text only ever reaches a page through Jinja's autoescaping, inside raw HTML blocks that
Markdown leaves alone, so `<script>` or `*stars*` in a caption show as written.
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .. import kpis
from ..cache import Cache, NoCache, digest
from ..calendar import Calendar, week_start
from ..markup import render as render_markdown
from ..markup import safe_target
from ..models import AWAITING_REVIEW, POST_STATUSES, Campaign, Post
from ..registry import WEEKDAY_NAMES
from ..rules import RULES
from . import charts
from .links import base_for, day_anchor, month_page, page_url, week_page

# Calendar pages are large HTML that Markdown would only parse to pass through (and the search
# plugin parse again): MkDocs gets a placeholder and the HTML is spliced into its output.
SPLICED = frozenset({"month.md.j2", "week.md.j2"})
WEEKS_BEFORE, WEEKS_AFTER = 4, 12  # week pages exist around today only: planning is near-term
RECENT_PER_CHANNEL = 30
MAX_EXPIRED = 50  # expired proposals listed in the review queue; older ones are counted


@dataclass
class DocsTree:
    pages: dict[str, str] = field(default_factory=dict)  # docs path → Markdown
    fragments: dict[str, str] = field(default_factory=dict)  # docs path → HTML for its slot


@lru_cache(maxsize=4)
def environment(templates: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(templates) / "pages")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["page_title"] = env.filters["yaml_str"] = page_title
    env.filters["day"] = lambda d: f"{d:%A} {d.day} {d:%B %Y}"
    env.filters["short_day"] = lambda d: f"{d:%a} {d.day} {d:%b}"
    env.filters["time"] = lambda d: f"{d:%H:%M}"
    env.filters["plural"] = lambda n, word: f"{n} {word}{'s' if n != 1 else ''}"
    env.filters["markdown_text"] = markdown_text
    env.filters["inline_code"] = inline_code
    env.filters["safe_href"] = safe_href
    env.filters["weekday"] = lambda d: WEEKDAY_NAMES.get(d, d)
    env.filters["ym_name"] = lambda ym: f"{pycal.month_name[ym[1]]} {ym[0]}"
    env.filters["num"] = lambda v, digits=0: "—" if v is None else f"{v:,.{digits}f}"
    return env


SAFE_SCHEMES = ("http", "https", "mailto")


def safe_href(url: str) -> str:
    """A user-given address becomes a link only when it passes the address check (never javascript:)."""
    return url if safe_target(url) else "#"


_CODE_SPAN = re.compile(r"`([^`]+)`")


def inline_code(text: str) -> Markup:
    """The rule catalogue's descriptions: escaped text, with `code` spans shown as code."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))


def markdown_text(text: str) -> Markup:
    """A campaign plan is Markdown: rendered here without raw HTML or attribute lists, every link
    checked after parsing (generator/markup.py); MkDocs receives it as a finished HTML block."""
    return render_markdown(text)


def page_title(text: str) -> Markup:
    """A page title for the front-matter, which MkDocs and Material put unescaped into <title>,
    the header, the navigation and the search index: escaped for HTML, then quoted for YAML."""
    return Markup(json.dumps(str(escape(" ".join(str(text).split()))), ensure_ascii=False))


class Site:
    """Renders every page of the site from one calendar."""

    def __init__(
        self,
        cal: Calendar,
        templates: Path,
        feeds: list[dict] | None = None,
        banner: list[str] | None = None,
        cache: Cache | None = None,
    ) -> None:
        self.cal = cal
        self.env = environment(str(templates))
        self.feeds = feeds or []
        self.banner = banner or []
        self.cache = cache or NoCache()
        self._inputs = ""
        if not isinstance(self.cache, NoCache):
            files = sorted((templates / "pages").glob("*.j2"))
            self._inputs = digest(
                [(f.name, f.read_bytes()) for f in files], cal.registry.fingerprint, cal.today, self.banner
            )

    def _calendar_page(self, src: str, template: str, context: dict[str, object]) -> str:
        """Month and week pages are pure functions of their posts: rendered again only when those change."""
        cal = self.cal
        posts = context["posts"]
        inputs = [
            (
                cal.post_json(p),
                cal.provenance.get(p.path),
                p.campaign and (c := cal.campaign_by_id.get(p.campaign)) and c.title,
                p.answer_to and (q := cal.post_by_id.get(p.answer_to)) and q.title,
            )
            for p in posts  # type: ignore[attr-defined]
        ]
        key = digest(
            "page",
            self._inputs,
            src,
            template,
            inputs,
            [(k, v) for k, v in context.items() if k != "posts"],
        )
        text = self.cache.get(key)
        if text is None:
            # The filter choices derive from the posts: worked out only when the page is rendered.
            text = self.render(template, src, filters=self._filters(posts), **context)  # type: ignore[arg-type]
            self.cache.put(key, text)
        return text  # type: ignore[return-value]

    def render(self, template: str, src: str, **context: object) -> str:
        base = base_for(src)
        cal = self.cal

        def link(target: str, anchor: str = "") -> str:
            return base + page_url(target) + (f"#{anchor}" if anchor else "")

        def post_href(post: Post) -> str:
            return link(month_page(post.day), post.id)

        return self.env.get_template(template).render(
            cal=cal,
            reg=cal.registry,
            today=cal.today,
            base=base,
            link=link,
            post_href=post_href,
            month_page=month_page,
            week_page=week_page,
            day_anchor=day_anchor,
            statuses=POST_STATUSES,
            awaiting=AWAITING_REVIEW,
            kpi_of=lambda r: kpis.totals([r]),
            banner=self.banner,
            **context,
        )

    def pages(self) -> DocsTree:
        cal = self.cal
        tree = DocsTree()
        out = tree.pages

        def add(src: str, template: str, **context: object) -> None:
            if template in SPLICED:
                out[src], tree.fragments[src] = _split(src, self._calendar_page(src, template, context))
            else:
                out[src] = self.render(template, src, **context)

        add("index.md", "home.md.j2", **self._home())
        add("calendar/index.md", "calendar_index.md.j2", months=cal.months)
        months = cal.months
        for i, ym in enumerate(months):
            add(
                month_page(ym),
                "month.md.j2",
                **self._month(ym, months[i - 1] if i else None, months[i + 1] if i + 1 < len(months) else None),
            )
        this_monday = week_start(cal.today)
        mondays = [this_monday + dt.timedelta(weeks=k) for k in range(-WEEKS_BEFORE, WEEKS_AFTER + 1)]
        for monday in mondays:
            ctx = self._week(monday, mondays)
            add(week_page(monday), "week.md.j2", **ctx)
        add("week/index.md", "week.md.j2", **self._week(this_monday, mondays))
        add("week/next.md", "week.md.j2", **self._week(this_monday + dt.timedelta(weeks=1), mondays))
        # The proposer column only when history names someone: a bulk import names nobody.
        proposers = any((h := cal.history(p)) and h.proposer for p in cal.review_queue)
        add("review.md", "review.md.j2", max_expired=MAX_EXPIRED, show_proposer=proposers)
        add("channels/index.md", "channels_index.md.j2")
        for channel in cal.registry.channels.values():
            add(f"channels/{channel.id}.md", "channel.md.j2", **self._channel(channel.id))
        add("campaigns/index.md", "campaigns_index.md.j2")
        for campaign in cal.campaigns:
            add(f"campaigns/{campaign.id}.md", "campaign.md.j2", **self._campaign(campaign))
        add("series/index.md", "series_index.md.j2")
        for series in cal.registry.series.values():
            add(f"series/{series.id}.md", "series.md.j2", **self._series(series.id))
        add("hashtags.md", "hashtags.md.j2", **self._hashtags())
        add("results.md", "results.md.j2", **self._results())
        add("rules.md", "rules.md.j2", rules=list(RULES.values()))
        add("subscribe.md", "subscribe.md.j2", feeds=self._subscribable())
        return tree

    def _subscribable(self) -> list[tuple[str, list[dict]]]:
        """The feeds worth subscribing to, grouped: a retired channel's feed with no post is left
        out (the file is still built, so an old subscription keeps working)."""
        cal = self.cal
        empty_retired = {
            f"feeds/channels/{c.id}.ics"
            for c in cal.registry.channels.values()
            if c.is_retired and not cal.posts_by_channel.get(c.id)
        }
        groups: dict[str, list[dict]] = {}
        headings = {"channels": "Per channel", "campaigns": "Per campaign", "series": "Per series"}
        for f in self.feeds:
            path = str(f.get("path", ""))
            if path not in empty_retired:
                heading = headings.get(path.split("/")[1] if path.count("/") > 1 else "", "Everything")
                groups.setdefault(heading, []).append(f)
        return list(groups.items())

    def _home(self) -> dict[str, object]:
        cal = self.cal
        days = cal.registry.settings.site.upcoming_days
        upcoming = cal.posts_between(cal.today, cal.today + dt.timedelta(days=days))
        monday = week_start(cal.today)
        this_week = cal.posts_between(monday, monday + dt.timedelta(days=7))
        per_channel = {cid: 0 for cid, ch in cal.registry.channels.items() if not ch.is_retired}
        for post in this_week:
            if post.status == "cancelled":
                continue
            for cid in post.channels:
                if cid in per_channel:
                    per_channel[cid] += 1
        return {
            "upcoming": upcoming,
            "upcoming_days": days,
            "per_channel": per_channel,
            "monday": monday,
            "queue": cal.review_queue,
        }

    def _month(
        self, ym: tuple[int, int], prev: tuple[int, int] | None, nxt: tuple[int, int] | None
    ) -> dict[str, object]:
        y, m = ym
        weeks = pycal.Calendar(firstweekday=0).monthdatescalendar(y, m)
        posts = self.cal.posts_by_month.get(ym, ())
        return {
            "year": y,
            "month": m,
            "month_name": f"{pycal.month_name[m]} {y}",
            "weeks": weeks,
            "posts": posts,
            "prev": prev,
            "next": nxt,
        }

    def _week(self, monday: dt.date, mondays: list[dt.date]) -> dict[str, object]:
        days = [monday + dt.timedelta(days=i) for i in range(7)]
        posts = self.cal.posts_between(monday, monday + dt.timedelta(days=7))
        prev = monday - dt.timedelta(weeks=1)
        nxt = monday + dt.timedelta(weeks=1)
        return {
            "monday": monday,
            "days": days,
            "posts": posts,
            "prev": prev if prev in mondays else None,
            "next": nxt if nxt in mondays else None,
            "iso": monday.isocalendar(),
            "this_monday": week_start(self.cal.today),
        }

    def _filters(self, posts: tuple[Post, ...] | list[Post]) -> dict[str, list[tuple[str, str]]]:
        reg = self.cal.registry
        channels = sorted({c for p in posts for c in p.channels})
        series = sorted({p.series for p in posts if p.series})
        campaigns = sorted({p.campaign for p in posts if p.campaign})
        statuses = [s for s in POST_STATUSES if any(p.status == s for p in posts)]
        return {
            "channel": [(c, reg.channels[c].name if c in reg.channels else c) for c in channels],
            "series": [(s, reg.series[s].name if s in reg.series else s) for s in series],
            "campaign": [
                (c, self.cal.campaign_by_id[c].title if c in self.cal.campaign_by_id else c) for c in campaigns
            ],
            "status": [(s, s) for s in statuses],
        }

    def _channel(self, cid: str) -> dict[str, object]:
        posts = self.cal.posts_by_channel.get(cid, ())
        upcoming = [p for p in posts if p.day >= self.cal.today][:RECENT_PER_CHANNEL]
        recent = [p for p in posts if p.day < self.cal.today][-RECENT_PER_CHANNEL:][::-1]
        totals = self._kpis["channel"].get(cid)
        trend = self._engagement_chart([cid], "Engagement rate per month") if totals else None
        return {
            "channel": self.cal.registry.channels[cid],
            "upcoming": upcoming,
            "recent": recent,
            "total": len(posts),
            "totals": totals,
            "trend": trend,
        }

    def _series(self, sid: str) -> dict[str, object]:
        cal = self.cal
        series = cal.registry.series[sid]
        posts = cal.posts_by_series.get(sid, ())
        live = [p for p in posts if p.status != "cancelled"]
        gaps: list[str] = []
        if series.expected_weekly and live:
            first = week_start(min(p.day for p in live))
            last = week_start(max(p.day for p in live))
            weeks = {week_start(p.day) for p in live}
            monday = first
            while monday <= last:
                if monday not in weeks:
                    if series.weekdays and len(series.weekdays) == 1:
                        day = monday + dt.timedelta(days=list(WEEKDAY_NAMES).index(series.weekdays[0]))
                        gaps.append(f"{day:%A} {day.day} {day:%B %Y} has no {series.label}")
                    else:
                        gaps.append(f"the week of {monday.day} {monday:%B %Y} has no {series.label}")
                monday += dt.timedelta(weeks=1)
        answering = [s for s in cal.registry.series.values() if s.answers == sid]
        unanswered = []
        if answering:
            unanswered = [p for p in live if not any(a.status != "cancelled" for a in cal.answers.get(p.id, ()))]
        upcoming = [p for p in posts if p.day >= cal.today][:RECENT_PER_CHANNEL]
        recent = [p for p in posts if p.day < cal.today][-RECENT_PER_CHANNEL:][::-1]
        return {
            "series": series,
            "posts": posts,
            "gaps": gaps,
            "unanswered": unanswered,
            "upcoming": upcoming,
            "recent": recent,
        }

    @cached_property
    def _kpis(self) -> dict[str, object]:
        posts = self.cal.posts
        return {
            "channel": kpis.by_channel(posts),
            "campaign": kpis.by_campaign(posts),
            "series": kpis.by_series(posts),
            "month": kpis.by_month(posts),
            "channel_month": kpis.by_channel_month(posts),
            "all": kpis.totals(r for p in posts for r in p.results.values()),
        }

    def _recent_months(self, n: int = 12) -> list[tuple[int, int]]:
        y, m = self.cal.today.year, self.cal.today.month
        out = []
        for _ in range(n):
            out.append((y, m))
            y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        return out[::-1]

    def _engagement_chart(self, channel_ids: list[str], title: str) -> Markup:
        months = self._recent_months()
        per = self._kpis["channel_month"]
        lines = [
            charts.Line(
                self.cal.registry.channels[c].name,
                f"sc-ch-{c}",
                [per[(c, ym)].engagement_rate if (c, ym) in per else None for ym in months],
            )
            for c in channel_ids
        ]
        return charts.line_chart(title, [f"{pycal.month_abbr[m]} {y % 100:02d}" for y, m in months], lines, "%")

    def _results(self) -> dict[str, object]:
        cal = self.cal
        reg = cal.registry
        k = self._kpis
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
        with_results = [c for c in active if c in k["channel"]]
        engagement = self._engagement_chart(with_results, "Engagement rate per month per channel")
        campaigns = [self._campaign_results(c) for c in cal.campaigns if c.kpis or c.id in k["campaign"]]
        return {
            "totals": k["all"],
            "per_channel": k["channel"],
            "channel_rows": [(reg.channels[c].name, t) for c, t in k["channel"].items() if c in reg.channels],
            "series_rows": [(reg.series[s].name, t) for s, t in k["series"].items() if s in reg.series],
            "month_rows": [(f"{pycal.month_name[m]} {y}", t) for (y, m), t in sorted(k["month"].items())],
            "posts_chart": posts_chart,
            "engagement": engagement,
            "campaign_results": campaigns,
        }

    def _campaign_results(self, campaign: Campaign) -> dict[str, object]:
        t = self._kpis["campaign"].get(campaign.id, kpis.Totals())
        checks = kpis.check_targets(campaign, t)
        bars = charts.target_bars(
            f"{campaign.title}: results against targets",
            [(c.label, c.actual, c.target) for c in checks if c.target == c.target],
        )
        measured = any(c.actual is not None for c in checks)
        return {"campaign": campaign, "totals": t, "checks": checks, "bars": bars if measured else None}

    def _campaign(self, campaign: Campaign) -> dict[str, object]:
        return {
            "campaign": campaign,
            "posts": self.cal.posts_by_campaign.get(campaign.id, ()),
            "results": self._campaign_results(campaign),
        }

    def _hashtags(self) -> dict[str, object]:
        reg = self.cal.registry
        use = self.cal.hashtag_use
        active = [(t, use.get(t.lower(), 0)) for t in reg.hashtags.active]
        instagram = [(t, use.get(t.lower(), 0)) for t in reg.hashtags.instagram]
        known = reg.hashtags.known
        other = sorted(((t, n) for t, n in use.items() if t not in known), key=lambda x: (-x[1], x[0]))
        return {"active": active, "instagram": instagram, "other": other}


def docs_tree(
    cal: Calendar,
    templates: Path,
    feeds: list[dict] | None = None,
    banner: list[str] | None = None,
    cache: Cache | None = None,
) -> DocsTree:
    return Site(cal, templates, feeds, banner, cache).pages()


def slot(src: str) -> str:
    return f'<div data-sc-slot="{escape(src)}"></div>'


def _split(src: str, text: str) -> tuple[str, str]:
    """Front-matter and a placeholder for MkDocs; the rendered body for splicing in afterwards."""
    _, front, body = text.split("---\n", 2)
    # The heading comes with the spliced HTML; the comment tells the theme the page has its <h1>.
    return f"---\n{front}---\n\n<!-- the page's <h1> is in the calendar HTML spliced here -->\n{slot(src)}\n", body
