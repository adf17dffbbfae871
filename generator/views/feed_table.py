"""The table of feeds: one row per kind of feed (its path, title, description, the Subscribe page's
group and the events it holds), like the table of pages. Adding a feed is a row of `FEEDS`: it is
written (feeds.py) and listed on the Subscribe page under its group."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .. import urls
from ..calendar_model import Calendar
from ..models import Campaign, Post
from ..registry import Series

if TYPE_CHECKING:
    from ..proposals import Proposal



@dataclass(frozen=True)
class Feed:
    path: str
    title: str
    description: str
    group: str  # the Subscribe page's heading



@dataclass(frozen=True)
class Owner:
    name: str  # as channels.yml writes it, e.g. @cern/social-media
    channels: tuple[str, ...]  # the active channels they look after

    @cached_property
    def feed(self) -> str:
        # Asked for each recent post of the owner's channels: slugified once.
        return urls.owner_feed(owner_slug(self.name))


def owner_slug(owner: str) -> str:
    """An owner's name as a file name: `@cern/social-media` → `cern-social-media`."""
    from ..new import slugify

    return slugify(owner)


def owners(cal: Calendar) -> tuple[Owner, ...]:
    """The owners the registries name (`owners` of an active channel), a feed each: names that
    make the same file name share it (the first one names it)."""
    found: dict[str, tuple[str, list[str]]] = {}
    for ch in cal.registry.channels.values():
        if ch.is_retired:
            continue
        for name in ch.owners:
            slug = owner_slug(name)
            if slug and ch.id not in found.setdefault(slug, (name, []))[1]:
                found[slug][1].append(ch.id)
    return tuple(Owner(name, tuple(ids)) for _, (name, ids) in sorted(found.items()))


# The Subscribe page's headings, one per kind of feed.
EVERYTHING = "Everything"
Event = Post | Campaign  # what a feed holds besides the proposals of open pull requests (a `Proposal`)
_ONE = (None,)  # the one feed of a row that is not a collection


@dataclass(frozen=True)
class Scope:
    """What deciding which feeds hold an event needs, worked out once per build."""

    cal: Calendar
    cutoff: dt.date  # the first day the rolling feeds (everything, to review, per owner) keep
    active: frozenset[str]  # channels that have a feed: the retired ones have none
    owners: tuple[Owner, ...]

    @classmethod
    def of(cls, cal: Calendar) -> Scope:
        cutoff = cal.today - dt.timedelta(days=cal.registry.settings.feeds.past_days)
        active = frozenset(c.id for c in cal.registry.channels.values() if not c.is_retired)
        return cls(cal, cutoff, active, owners(cal))

    def recent(self, event: Event | Proposal) -> bool:
        if isinstance(event, Post):
            return event.day >= self.cutoff
        return isinstance(event, Campaign) and event.end >= self.cutoff


@dataclass(frozen=True)
class FeedRow:
    """One kind of feed, like a row of the page table: where it lives (a path from `urls`, or for a
    collection a function of the item), its title and description, the Subscribe page's heading,
    its items (one feed each; `_ONE` for a single feed), and `entries(scope, event)`: the items whose
    feed holds the event. Adding a feed is one row: it is written, and listed under its group."""

    path: str | Callable[[Any], str]
    title: Callable[[Calendar, Any], str]
    description: Callable[[Calendar, Any], str]
    group: str
    entries: Callable[[Scope, Event | Proposal], Iterable[Any]]
    items: Callable[[Calendar], Iterable[Any]] = lambda cal: _ONE

    def path_of(self, item: Any) -> str:
        return self.path if isinstance(self.path, str) else self.path(item)

    def feeds(self, cal: Calendar) -> Iterator[Feed]:
        for item in self.items(cal):
            yield Feed(self.path_of(item), self.title(cal, item), self.description(cal, item), self.group)

    def targets(self, scope: Scope, event: Event | Proposal) -> Iterator[str]:
        """The paths of this row's feeds that hold the event."""
        return (self.path_of(item) for item in self.entries(scope, event))


def _days(cal: Calendar) -> int:
    return cal.registry.settings.feeds.past_days


def _everything(scope: Scope, event: Event | Proposal) -> Iterable[None]:
    return _ONE if scope.recent(event) else ()


def _to_review(scope: Scope, event: Event | Proposal) -> Iterable[None]:
    return _ONE if isinstance(event, Post) and scope.recent(event) and event.status.awaiting_review else ()


def _owners_of(scope: Scope, event: Event | Proposal) -> Iterable[Owner]:
    if not isinstance(event, Post) or not scope.recent(event):
        return ()
    return [o for o in scope.owners if any(c in o.channels for c in event.channels)]


def _channels_of(scope: Scope, event: Event | Proposal) -> Iterable[str]:
    return [c for c in dict.fromkeys(event.channels) if c in scope.active] if isinstance(event, Post) else ()


def _campaign_of(scope: Scope, event: Event | Proposal) -> Iterable[Campaign]:
    if isinstance(event, Campaign):
        return (event,)
    found = scope.cal.campaign_by_id.get(event.campaign or "") if isinstance(event, Post) else None
    return (found,) if found is not None else ()


def _series_of(scope: Scope, event: Event | Proposal) -> Iterable[Series]:
    found = scope.cal.series_of(event) if isinstance(event, Post) else None
    return (found,) if found is not None else ()


def _proposed(scope: Scope, event: Event | Proposal) -> Iterable[None]:
    return () if isinstance(event, (Post, Campaign)) else _ONE


def _channel_name(cal: Calendar, cid: str) -> str:
    return cal.registry.channels[cid].name


FEEDS: tuple[FeedRow, ...] = (
    FeedRow(
        urls.FEED_ALL,
        lambda cal, _: "Social-media calendar: everything",
        lambda cal, _: f"Every planned post, once with its channels, and campaigns; the last {_days(cal)} days and all "
        "ahead.",
        EVERYTHING,
        _everything,
    ),
    FeedRow(
        urls.FEED_REVIEW,
        lambda cal, _: "Social media: to review",
        lambda cal, _: "Drafts and proposals waiting for review (those past their slot marked overdue); "
        f"the last {_days(cal)} days and all ahead.",
        EVERYTHING,
        _to_review,
    ),
    FeedRow(
        lambda owner: owner.feed,
        lambda cal, owner: f"Social media: {owner.name}",
        lambda cal, owner: f"Posts on the channels {owner.name} looks after: "
        + ", ".join(_channel_name(cal, c) for c in owner.channels)
        + ".",
        "Per owner",
        _owners_of,
        owners,
    ),
    FeedRow(
        urls.channel_feed,
        lambda cal, cid: f"Social media: {_channel_name(cal, cid)}",
        lambda cal, cid: f"Posts on {_channel_name(cal, cid)} ({cal.registry.channels[cid].handle}).",
        "Per channel",
        _channels_of,
        lambda cal: [c.id for c in cal.registry.channels.values() if not c.is_retired],
    ),
    FeedRow(
        lambda c: urls.campaign_feed(c.id),
        lambda cal, c: f"Campaign: {c.title}",
        lambda cal, c: f"The campaign {c.title} ({c.start} to {c.end}) and its posts.",
        "Per campaign",
        _campaign_of,
        lambda cal: cal.campaigns,
    ),
    FeedRow(
        lambda s: urls.series_feed(s.id),
        lambda cal, s: f"Series: {s.name}",
        lambda cal, s: f"Posts of the series {s.name}.",
        "Per series",
        _series_of,
        lambda cal: cal.registry.series.values(),
    ),
    FeedRow(
        urls.FEED_PROPOSALS,
        lambda cal, _: "Social media: open pull requests",
        lambda cal, _: "Posts proposed in open pull requests, not merged: they may change or never be published.",
        EVERYTHING,
        _proposed,
        lambda cal: _ONE if cal.pull_requests is not None else (),  # asked for (build --pull-requests)
    ),
)


def feeds(cal: Calendar, table: Sequence[FeedRow] = FEEDS) -> list[Feed]:
    """Every feed, in the table's order (the Subscribe page's). A retired channel has none."""
    return [feed for row in table for feed in row.feeds(cal)]


def listing(cal: Calendar, base_url: str, table: Sequence[FeedRow] = FEEDS) -> list[dict[str, str]]:
    """The feeds as the Subscribe page shows them: title, address, webcal address, file, group."""
    out = []
    for feed in feeds(cal, table):
        url = base_url + feed.path
        out.append(
            {
                "title": feed.title,
                "description": feed.description,
                "path": feed.path,
                "url": url,
                "webcal": "webcal://" + url.split("://", 1)[1] if url.startswith("https://") else "",
                "group": feed.group,
            }
        )
    return out
