"""The calendar: one immutable model of what goes out when, built once; every view reads it."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from .cache import fingerprint
from .dates import calendar_order
from .diagnostics import Diagnostic
from .models import Campaign, Post, PostStatus
from .outgoing_text import Outgoing, compose
from .provenance import FileHistory, Provenance
from .registry import Channel, Registry, Series

if TYPE_CHECKING:
    from .besttimes import Heatmap, Suggestion
    from .proposals import OpenPullRequest, Proposal
    from .settings import UtmSettings
    from .slots import Prefill, Slot

K = TypeVar("K")


# Cached views of a calendar that an edit in place (`with_post`) leaves as they are.
_DECIDED_BY_TIES = (
    "clashes",
    "answers",
    "_diagnostics_by_path",
    "campaign_by_id",
    "pull_request_by_number",
    "proposals",
    "proposals_by_id",
)


def _ties(post: Post) -> tuple[object, ...]:
    """What places a post among the others (order, clashes, answers, campaigns, series, queues)."""
    return (post.id, post.path, post.date, post.channels, post.campaign, post.series, post.answer_to, post.status)


WEEKS_BEFORE = 4  # week pages before today's (planning looks ahead; the horizon decides how far)


@dataclass(frozen=True, slots=True)
class Entry:
    """One post on one channel: what the platform publishes, and when."""

    post: Post
    channel: Channel
    outgoing: Outgoing

    @property
    def date(self) -> dt.datetime:
        return self.post.date

    def __fingerprint__(self) -> tuple[Post, Channel, Outgoing]:
        """What the entry is made of (for memo keys): the post, the channel, and the outgoing text
        (which also depends on the UTM settings)."""
        return self.post, self.channel, self.outgoing


def known_channels(post: Post, registry: Registry) -> list[Channel]:
    """The post's channels that the registries know, in its order, each once (one listed twice is
    SC212: under `serve`, which shows a site despite errors, it goes out once)."""
    return [channel for cid in post.accounts if (channel := registry.channels.get(cid)) is not None]


def entries_of(post: Post, registry: Registry, utm: UtmSettings | None) -> tuple[Entry, ...]:
    """What the post publishes on each of its channels the registries know, composed (tagged as
    `utm` says: the settings' for anything shown as it would go out)."""
    return tuple(Entry(post, channel, compose(post, channel, utm)) for channel in known_channels(post, registry))


@dataclass(frozen=True)
class Calendar:
    registry: Registry
    posts: tuple[Post, ...]  # in calendar order (dates.calendar_order), then by id
    campaigns: tuple[Campaign, ...]
    today: dt.date
    provenance: Provenance = field(default_factory=Provenance)
    diagnostics: tuple[Diagnostic, ...] = ()  # what validation said about the files, warnings included
    # Open pull requests and what they propose (build --pull-requests); None: not asked for.
    pull_requests: tuple[OpenPullRequest, ...] | None = None
    # A part of a calendar (`restricted`) shares the whole's composed entries, by post id: not redone.
    composed: Mapping[str, tuple[Entry, ...]] | None = None
    # Post id → the post and its outgoing texts, composed as the file was checked (pipeline.make_plan
    # with `compose`); used for that very post only.
    precomposed: Mapping[str, tuple[Post, tuple[Outgoing, ...]]] = field(default_factory=dict, repr=False)

    def restricted(self, posts: Sequence[Post]) -> Calendar:
        """The calendar as far as a page of these posts can see it: the posts, the questions they
        answer, their campaigns and history. A calendar page is rendered from this part alone, so
        the part is all its cache key needs (an edit elsewhere leaves the page as it was)."""
        shown = {p.id for p in posts}
        questions = [
            q for p in posts if p.answer_to and p.answer_to not in shown and (q := self.post_by_id.get(p.answer_to))
        ]
        everything = sorted(
            {p.id: p for p in (*posts, *questions)}.values(), key=lambda p: (calendar_order(p.date), p.id)
        )
        wanted = {p.campaign for p in everything if p.campaign}
        files = {p.path: h for p in everything if (h := self.provenance.get(p.path)) is not None}
        return Calendar(
            registry=self.registry,
            posts=tuple(everything),
            campaigns=tuple(c for c in self.campaigns if c.id in wanted),
            today=self.today,
            provenance=Provenance(files),
            composed={p.id: self.entries_by_post[p.id] for p in everything if p.id in self.entries_by_post},
        )

    def composed_again(self, last: Calendar | None) -> Calendar:
        """This calendar, its entries taken from `last` (the calendar of serve's last round) for
        every post that is the very same object (an unchanged file gives the same post) under
        registries of the same content; the others composed. What `entries` gives is the same."""
        if last is None or self.composed is not None or fingerprint(last.registry) != fingerprint(self.registry):
            return self
        before = last.entries_by_post
        utm = self.registry.settings.utm
        composed: dict[str, tuple[Entry, ...]] = {}
        for post in self.posts:
            found = before.get(post.id)
            if not found or found[0].post is not post:
                found = self._composed(post, utm)
            composed[post.id] = found
        return replace(self, composed=composed)

    def with_post(self, edited: Post) -> Calendar:
        """The calendar with one post edited in place: the same id, moment, channels, campaign,
        series, question and status (what ties it to the others), other fields changed. Only its
        entries are composed again (`socialcal serve` shows an edited post's page first with it)."""
        old = self.post_by_id[edited.id]
        if _ties(old) != _ties(edited):
            raise ValueError(f"{edited.id}: not an edit in place")
        composed = dict(self.entries_by_post)
        composed[edited.id] = self._composed(edited, self.registry.settings.utm)
        made = Calendar(
            registry=self.registry,
            posts=tuple(edited if p is old else p for p in self.posts),
            campaigns=self.campaigns,
            today=self.today,
            provenance=self.provenance,
            diagnostics=self.diagnostics,
            pull_requests=self.pull_requests,
            composed=composed,
        )
        # What the ties alone decide (which posts clash or answer which, the files' diagnostics,
        # the pull requests) is the same: taken over rather than worked out again over every post.
        # The edited post is in none of the values an edited post's page reads of them (those are
        # the other posts), and the round that follows works everything out afresh.
        for name in _DECIDED_BY_TIES:
            if name in self.__dict__:
                made.__dict__[name] = self.__dict__[name]
        made.__dict__["post_by_id"] = {**self.post_by_id, edited.id: edited}
        return made

    @property
    def tz(self):
        return self.registry.settings.tz

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        if self.composed is not None:
            return tuple(e for p in self.posts for e in self.composed.get(p.id, ()))
        utm = self.registry.settings.utm
        return tuple(e for post in self.posts for e in self._composed(post, utm))

    def _composed(self, post: Post, utm: UtmSettings) -> tuple[Entry, ...]:
        """What the post publishes on each of its channels the registries know, in its order:
        taken over when the texts were composed for this very post as it was checked."""
        made = self.precomposed.get(post.id)
        if made is not None and made[0] is post:
            channels = known_channels(post, self.registry)
            if len(made[1]) == len(channels):
                return tuple(Entry(post, channel, out) for channel, out in zip(channels, made[1], strict=True))
        return entries_of(post, self.registry, utm)

    @cached_property
    def entries_by_post(self) -> dict[str, tuple[Entry, ...]]:
        if self.composed is not None:
            return {p.id: found for p in self.posts if (found := self.composed.get(p.id))}
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            grouped[entry.post.id].append(entry)
        return {k: tuple(v) for k, v in grouped.items()}

    @cached_property
    def campaign_by_id(self) -> dict[str, Campaign]:
        return {c.id: c for c in self.campaigns}

    @cached_property
    def post_by_id(self) -> dict[str, Post]:
        return {p.id: p for p in self.posts}

    @cached_property
    def _post_json(self) -> dict[str, str]:
        return {}

    def post_json(self, post: Post) -> str:
        """The post's content as JSON, computed once: the cache keys of its views."""
        found = self._post_json.get(post.id)
        if found is None:
            found = self._post_json[post.id] = post.model_dump_json()
        return found

    def series_of(self, post: Post) -> Series | None:
        return self.registry.series.get(post.series or "")

    def history(self, post: Post | Campaign) -> FileHistory | None:
        return self.provenance.get(post.path)

    @cached_property
    def _diagnostics_by_path(self) -> dict[str, tuple[Diagnostic, ...]]:
        grouped: dict[str, list[Diagnostic]] = defaultdict(list)
        for d in self.diagnostics:
            grouped[d.path].append(d)
        return {k: tuple(v) for k, v in grouped.items()}

    def diagnostics_of(self, item: Post | Campaign | str) -> tuple[Diagnostic, ...]:
        """What validation said about one file (a post, a campaign, or a path), in file order."""
        path = item if isinstance(item, str) else item.path
        return self._diagnostics_by_path.get(path, ())

    @cached_property
    def horizon(self) -> dt.date:
        """The last day planned ahead: the end of the month `site.horizon_months` after today's."""
        months = self.today.year * 12 + self.today.month - 1 + self.registry.settings.site.horizon_months
        year, month = divmod(months + 1, 12)  # the month after the horizon's; its first day, less one
        return dt.date(year, month + 1, 1) - dt.timedelta(days=1)

    @cached_property
    def mondays(self) -> tuple[dt.date, ...]:
        """The weeks that have a page: a few before today's, then every week through the horizon."""
        monday = week_start(self.today) - dt.timedelta(weeks=WEEKS_BEFORE)
        out = []
        while monday <= self.horizon:
            out.append(monday)
            monday += dt.timedelta(weeks=1)
        return tuple(out)

    @cached_property
    def open_slots(self) -> tuple[Slot, ...]:
        """The weekly series' slots without a post, from today through the horizon (slots.py)."""
        from .slots import open_slots

        return open_slots(self.registry, self.posts_by_series, self.today, self.horizon, self.heatmaps)

    @cached_property
    def open_slots_by_day(self) -> dict[dt.date, tuple[Slot, ...]]:
        grouped: dict[dt.date, list[Slot]] = defaultdict(list)
        for slot in self.open_slots:
            grouped[slot.day].append(slot)
        return {k: tuple(v) for k, v in grouped.items()}

    @cached_property
    def heatmaps(self) -> dict[str, Heatmap]:
        """Each channel's results by weekday and hour (besttimes.py): the Results page's heatmaps
        and the best hour that open slots and `socialcal new post` suggest."""
        from .besttimes import calendar_heatmaps

        return calendar_heatmaps(self.posts, self.registry)

    def best_times(self, channels: Iterable[str], day: dt.date | None = None) -> list[Suggestion]:
        """The best hour of each of `channels` with enough results (none without: nothing is
        suggested from nothing)."""
        from .besttimes import suggest

        return suggest(self.heatmaps, self.registry, channels, day)

    def day_prefill(self, day: dt.date) -> Prefill:
        """The proposal an empty day starts."""
        from .slots import day_prefill

        return day_prefill(self.registry, day)

    @cached_property
    def months(self) -> tuple[tuple[int, int], ...]:
        """Every month from the first post (or campaign) to the last, and always every month of a
        week page and of the planning horizon: a page links only to months that exist."""
        days = [p.day for p in self.posts] + [c.start for c in self.campaigns] + [c.end for c in self.campaigns]
        days.extend(self.proposals_by_day)
        days += [self.today, self.mondays[0], self.mondays[-1] + dt.timedelta(days=6), self.horizon]
        first, last = min(days), max(days)
        out = []
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return tuple(out)

    def _group(self, keys: Callable[[Post], Iterable[K]]) -> dict[K, tuple[Post, ...]]:
        """Posts by each of the keys a post has, in calendar order."""
        grouped: dict[K, list[Post]] = defaultdict(list)
        for post in self.posts:
            for key in keys(post):
                grouped[key].append(post)
        return {k: tuple(v) for k, v in grouped.items()}

    @cached_property
    def posts_by_month(self) -> dict[tuple[int, int], tuple[Post, ...]]:
        return self._group(lambda p: [(p.date.year, p.date.month)])

    @cached_property
    def posts_by_day(self) -> dict[dt.date, tuple[Post, ...]]:
        return self._group(lambda p: [p.day])

    @cached_property
    def _days(self) -> list[dt.date]:
        return [p.day for p in self.posts]

    def posts_between(self, start: dt.date, end: dt.date) -> list[Post]:
        """Posts on days start ≤ day < end (posts are sorted by date)."""
        days = self._days
        return list(self.posts[bisect_left(days, start) : bisect_left(days, end)])

    @cached_property
    def posts_by_channel(self) -> dict[str, tuple[Post, ...]]:
        return self._group(lambda p: p.accounts)

    @cached_property
    def _weekly_counts(self) -> dict[tuple[str, dt.date], int]:
        counts: dict[tuple[str, dt.date], int] = defaultdict(int)
        for post in self.posts:
            if not post.status.cancelled:
                monday = week_start(post.day)
                for cid in post.accounts:
                    counts[cid, monday] += 1
        return dict(counts)

    def posts_in_week(self, channel: str, monday: dt.date) -> int:
        """How many posts go out on a channel in the week of that Monday, cancelled ones not counted:
        the one count of the home page's week per channel and the Results page's chart."""
        return self._weekly_counts.get((channel, monday), 0)

    @cached_property
    def posts_by_campaign(self) -> dict[str, tuple[Post, ...]]:
        return self._group(lambda p: [p.campaign] if p.campaign else [])

    @cached_property
    def posts_by_series(self) -> dict[str, tuple[Post, ...]]:
        return self._group(lambda p: [p.series] if p.series else [])

    @cached_property
    def review_queue(self) -> tuple[Post, ...]:
        return tuple(p for p in self.posts if p.status.awaiting_review)

    def is_expired(self, post: Post) -> bool:
        return post.status.awaiting_review and post.day < self.today

    @cached_property
    def pull_request_by_number(self) -> dict[int, OpenPullRequest]:
        return {o.number: o for o in self.pull_requests or ()}

    @cached_property
    def proposals(self) -> tuple[Proposal, ...]:
        """What the open pull requests propose, by pull request."""
        return tuple(p for pr in self.pull_requests or () for p in pr.proposals)

    @cached_property
    def proposals_by_day(self) -> dict[dt.date, tuple[Proposal, ...]]:
        """The proposals with a date, on their day (by time, then pull request)."""
        grouped: dict[dt.date, list[Proposal]] = defaultdict(list)
        for p in self.proposals:
            if p.shown and p.post is not None:
                grouped[p.post.day].append(p)
        return {k: tuple(sorted(v, key=lambda p: (p.post.date, p.number, p.path))) for k, v in grouped.items()}  # type: ignore[union-attr]

    def proposals_between(self, start: dt.date, end: dt.date) -> list[Proposal]:
        """Proposals on days start ≤ day < end."""
        return [p for day, found in sorted(self.proposals_by_day.items()) if start <= day < end for p in found]

    @cached_property
    def proposals_by_id(self) -> dict[str, tuple[Proposal, ...]]:
        """Every proposal of a post id (a merged post's pending changes, a new post's versions)."""
        grouped: dict[str, list[Proposal]] = defaultdict(list)
        for p in self.proposals:
            grouped[p.id].append(p)
        return {k: tuple(v) for k, v in grouped.items()}

    @cached_property
    def new_posts(self) -> tuple[Proposal, ...]:
        """A proposal per id that is not merged yet and has a page: the lowest-numbered pull
        request's (the others show on the same page as pending changes)."""
        first: dict[str, Proposal] = {}
        for p in self.proposals:
            if p.page and p.id not in self.post_by_id:
                first.setdefault(p.id, p)
        return tuple(first.values())

    @cached_property
    def missed(self) -> tuple[Post, ...]:
        """Planned versus published: posts whose slot has passed (before today) but that are not
        published, nor cancelled, latest first."""
        late = [p for p in self.posts if p.day < self.today and not p.status.facts.closed]
        return tuple(reversed(late))

    def unmeasured_channels(self, post: Post) -> tuple[str, ...]:
        """The channels of a published post that have no results yet."""
        if post.status is not PostStatus.PUBLISHED:
            return ()
        return tuple(c for c in post.accounts if c not in post.results)

    @cached_property
    def unmeasured(self) -> tuple[Post, ...]:
        """Published posts without results on at least one of their channels, latest first."""
        return tuple(p for p in reversed(self.posts) if self.unmeasured_channels(p))

    @cached_property
    def clashes(self) -> dict[str, tuple[tuple[str, Post], ...]]:
        """Each post that clashes (SC401: the same account within the clash window) → (account,
        other post) for each post it clashes with; both posts of a clash are marked."""
        from .clashes import consecutive_clashes

        found: dict[str, list[tuple[str, Post]]] = defaultdict(list)
        for cid, before, after in consecutive_clashes(self.posts, self.registry.settings.clash_minutes):
            found[before.id].append((cid, after))
            found[after.id].append((cid, before))
        return {k: tuple(v) for k, v in found.items()}

    @cached_property
    def posts_by_hashtag(self) -> dict[str, tuple[Post, ...]]:
        """Posts by hashtag, lower-cased (as `hashtag_use` counts them)."""
        return self._group(lambda p: dict.fromkeys(tag.lower() for tag in p.hashtags))

    @cached_property
    def hashtag_use(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for post in self.posts:
            for tag in post.hashtags:
                counts[tag.lower()] += 1
        return dict(counts)

    @cached_property
    def answers(self) -> dict[str, tuple[Post, ...]]:
        return self._group(lambda p: [p.answer_to] if p.answer_to else [])


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
