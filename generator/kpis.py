"""KPIs as the strategy defines them, computed from posts' `results`.

Engagement rate = interactions / impressions × 100, where interactions are likes + comments +
shares, plus saves and replies where the platform has them. Click-through = link clicks /
impressions × 100. Sentiment share = positive / all rated comments × 100. A rate without
impressions (or without rated comments) is None, never a division by zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .models import METRICS, Campaign, ChannelResults, Post

RATES = {
    "engagement_rate": "engagement rate (%)",
    "click_through": "click-through (%)",
    "positive_sentiment": "positive sentiment (%)",
}


@dataclass(frozen=True)
class Column:
    """A KPI as the tables show it: the Results, channel and campaign pages and the text report
    (`socialcal report`) all draw their columns from `COLUMNS`, so a new KPI is a row here (and,
    when it is a new raw number, a name in models.METRICS)."""

    key: str  # Totals.value(key), and the key of Totals.as_dict()
    heading: str  # the site's column heading
    short: str  # the text report's, which fits 100 columns
    digits: int = 0  # after the decimal point, on the site (the text report shows rates with 2)
    explained: str = ""  # the heading's explanation (an <abbr> title)
    missing: str = ""  # what an empty cell says on the site, instead of "—"
    missing_why: str = ""

    @property
    def rate(self) -> bool:
        return self.key in RATES


COLUMNS = (
    Column("channel_posts", "Channel posts", "posts",
           explained="One post on one channel: a post on three channels counts three"),
    Column("impressions", "Impressions", "impressions"),
    Column("interactions", "Interactions", "interactions"),
    Column("engagement_rate", "Engagement rate", "engagement", 2,
           missing="no impressions", missing_why="No impressions reported"),
    Column("click_through", "Click-through", "click-through", 2),
    Column("positive_sentiment", "Positive sentiment", "positive", 1),
)  # fmt: skip


@dataclass
class Totals:
    posts: int = 0  # (post, channel) pairs with results
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METRICS, 0))
    known: set[str] = field(default_factory=set)  # metrics at least one result reported
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    def add(self, r: ChannelResults) -> None:
        self.posts += 1
        for name in METRICS:
            value = getattr(r, name)
            if value is not None:
                self.sums[name] += value
                self.known.add(name)
        if r.sentiment is not None:
            self.positive += r.sentiment.positive
            self.neutral += r.sentiment.neutral
            self.negative += r.sentiment.negative

    def metric(self, name: str) -> int | None:
        return self.sums[name] if name in self.known else None

    @property
    def interactions(self) -> int:
        s = self.sums
        return s["likes"] + s["comments"] + s["shares"] + s["saves"] + s["replies"]

    @property
    def engagement_rate(self) -> float | None:
        impressions = self.metric("impressions")
        return self.interactions / impressions * 100 if impressions else None

    @property
    def click_through(self) -> float | None:
        impressions = self.metric("impressions")
        clicks = self.metric("link_clicks")
        return clicks / impressions * 100 if impressions and clicks is not None else None

    @property
    def positive_sentiment(self) -> float | None:
        rated = self.positive + self.neutral + self.negative
        return self.positive / rated * 100 if rated else None

    def value(self, kpi: str) -> float | int | None:
        if kpi == "channel_posts":
            return self.posts
        if kpi in RATES:
            return getattr(self, kpi)
        if kpi == "interactions":
            return self.interactions if self.known else None
        return self.metric(kpi) if kpi in METRICS else None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"channel_posts": self.posts}
        out.update({m: self.metric(m) for m in METRICS})
        out["interactions"] = self.interactions if self.known else None
        out.update({k: _round(getattr(self, k)) for k in RATES})
        out["sentiment"] = {"positive": self.positive, "neutral": self.neutral, "negative": self.negative}
        return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def totals(results: Iterable[ChannelResults]) -> Totals:
    t = Totals()
    for r in results:
        t.add(r)
    return t


def _pairs(posts: Iterable[Post]) -> Iterable[tuple[Post, str, ChannelResults]]:
    for post in posts:
        for cid, r in post.results.items():
            yield post, cid, r


def grouped(posts: Iterable[Post], key) -> dict[object, Totals]:
    out: dict[object, Totals] = defaultdict(Totals)
    for post, cid, r in _pairs(posts):
        group = key(post, cid)
        if group is not None:
            out[group].add(r)
    return dict(out)


def by_channel(posts: Iterable[Post]) -> dict[str, Totals]:
    return grouped(posts, lambda p, c: c)  # type: ignore[return-value]


def by_campaign(posts: Iterable[Post]) -> dict[str, Totals]:
    return grouped(posts, lambda p, c: p.campaign)  # type: ignore[return-value]


def by_series(posts: Iterable[Post]) -> dict[str, Totals]:
    return grouped(posts, lambda p, c: p.series)  # type: ignore[return-value]


def by_month(posts: Iterable[Post]) -> dict[tuple[int, int], Totals]:
    return grouped(posts, lambda p, c: (p.date.year, p.date.month))  # type: ignore[return-value]


def by_channel_month(posts: Iterable[Post]) -> dict[tuple[str, tuple[int, int]], Totals]:
    return grouped(posts, lambda p, c: (c, (p.date.year, p.date.month)))  # type: ignore[return-value]


@dataclass(frozen=True)
class TargetCheck:
    kpi: str
    target: float
    actual: float | int | None
    met: bool | None  # None: not measured yet, or not a measurable KPI

    @property
    def label(self) -> str:
        return RATES.get(self.kpi, self.kpi.replace("_", " "))

    @property
    def rate(self) -> bool:
        return self.kpi in RATES


def check_targets(campaign: Campaign, t: Totals) -> list[TargetCheck]:
    checks = []
    for kpi, target in campaign.kpis.items():
        try:
            goal = float(target)
        except (TypeError, ValueError):
            checks.append(TargetCheck(kpi, float("nan"), None, None))
            continue
        actual = t.value(kpi)
        checks.append(TargetCheck(kpi, goal, actual, None if actual is None else actual >= goal))
    return checks


def in_range(posts: Iterable[Post], start: dt.date | None, end: dt.date | None) -> list[Post]:
    return [p for p in posts if (start is None or p.day >= start) and (end is None or p.day <= end)]


@dataclass(frozen=True)
class Growth:
    """A channel's community in one month (content/followers.yml): the strategy's "new followers"."""

    month: tuple[int, int]
    followers: int | None  # at the end of the month; None: not recorded
    new: int | None  # followers minus the month before's (negative: lost); None when either is unknown


def growth(counts: Mapping[str, int], months: Sequence[tuple[int, int]]) -> list[Growth]:
    """Each of `months` with its followers ("YYYY-MM" → count, as the registry keeps them) and its
    growth over the month before, which may be outside `months`. A month without a count is a gap,
    and so is the growth of the month after it: nothing is interpolated."""
    out = []
    for year, month in months:
        before = (year - 1, 12) if month == 1 else (year, month - 1)
        now, then = counts.get(f"{year:04d}-{month:02d}"), counts.get(f"{before[0]:04d}-{before[1]:02d}")
        out.append(Growth((year, month), now, None if now is None or then is None else now - then))
    return out
