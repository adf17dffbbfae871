"""iCal feeds: one event per post, the same in every feed that has it (all.ics, to review, per
owner, channel, series and campaign): its channels listed in the title, the description and the
categories; one all-day event per campaign. Titles start with the post's title.

Every event is serialised once (`ical_text`: icalendar's bytes, written directly), in the feeds'
order, into a spool file beside the docs tree; each feed is then assembled from its events'
slices of that file and written out in chunks. So a post shown in four feeds costs one
serialisation, and neither the events nor the feeds are ever all in memory. Nothing depends on
the clock: UIDs come from ids and the site's host, DTSTAMP and LAST-MODIFIED from git history,
so two builds of one commit give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import icalendar

from .. import urls
from ..cache import NO_MEMO, Memo
from ..calendar_model import Calendar, Entry
from ..characters import CONTROLS
from ..dates import instant
from ..models import Campaign, Post, PostStatus
from ..outgoing_text import plain_text
from ..project import is_valid_id
from ..provenance import FileHistory
from ..registry import Series
from . import ical_text
from .feed_table import FEEDS, Event, Feed, FeedRow, Scope, feeds

if TYPE_CHECKING:
    from ..proposals import Proposal

PRODID = "-//socialcal//socialcal calendar feeds//EN"
CRLF = b"\r\n"
END = b"END:VCALENDAR" + CRLF
CHUNK = 1 << 20
# Every line break a calendar client might honour (icalendar escapes \n but not a bare \r), and
# the other control characters, which have no place in a feed.
_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(f"[{CONTROLS}]")  # after _BREAK: what is left of the table's controls


def line(value: object) -> str:
    """A one-line property value (SUMMARY, NAME, CATEGORIES): no line break can end the property."""
    return _CONTROL.sub("", _BREAK.sub(" ", str(value)))


def text(value: object) -> str:
    """A multi-line value (DESCRIPTION): line breaks become \\n, which icalendar escapes."""
    return _CONTROL.sub("", _BREAK.sub("\n", str(value)))



@dataclass(frozen=True)
class FeedSite:
    """What every event depends on besides its post: where the site is, how long an event lasts."""

    base_url: str
    duration: dt.timedelta

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or "localhost"


def _status(status: str) -> str:
    return PostStatus(status).group.ical


def _stamps(hist: FileHistory | None, fallback: dt.datetime) -> tuple[dt.datetime, dt.datetime, int]:
    if hist is None:
        # Without history the post's own date is the only stable instant there is.
        return fallback.astimezone(dt.UTC), fallback.astimezone(dt.UTC), 0
    return hist.last_change.astimezone(dt.UTC), hist.last_change.astimezone(dt.UTC), max(hist.revisions - 1, 0)


def summary(title: str, channels: Iterable[str], status: str, overdue: bool = False) -> str:
    """An event's title: the post's title first (what a reader scans), its channels in brackets,
    then where it stands unless it is confirmed (many clients, calcurse and phone apps, ignore
    STATUS), and "overdue" for a post still waiting for review after its slot."""
    marks = [] if PostStatus(status).confirmed else [PostStatus(status).label]
    if overdue:
        marks.append("overdue")
    return line(f"{title} [{', '.join(channels)}]" + (f" ({', '.join(marks)})" if marks else ""))


def _facts(post: Post, url: str) -> list[str]:
    lines = []
    if post.link:
        lines.append(f"Link: {post.link}")
    lines.append(f"Status: {post.status}")
    lines.append(f"In the calendar: {url}")
    return lines


def _categories(labels: Iterable[str], series: Series | None, campaign: Campaign | None) -> list[str]:
    categories = list(labels)
    if series:
        categories.append(series.name)
    if campaign:
        categories.append(campaign.title)
    return [line(c) for c in categories]


def _common(event: ical_text.Event, site: FeedSite, post: Post, hist: FileHistory | None) -> None:
    stamp, modified, sequence = _stamps(hist, post.date)
    event.add("dtstamp", stamp)
    event.add("last-modified", modified)
    event.add("sequence", sequence)
    start = post.date.astimezone(dt.UTC)
    event.add("dtstart", start)
    event.add("dtend", start + site.duration)


def post_event(
    site: FeedSite,
    post: Post,
    entries: tuple[Entry, ...],
    series: Series | None,
    campaign: Campaign | None,
    hist: FileHistory | None,
    overdue: bool,
) -> bytes:
    """A post once, whatever its channels, in every feed that has it (serialised once: a post on
    four channels costs one event, not four): its channels listed in the title, the description
    and the categories; the text as it goes out, once for the channels that share it."""
    event = ical_text.Event()
    event.add("uid", f"{post.id}@{site.host}")
    _common(event, site, post, hist)
    shorts = [e.channel.short for e in entries] or list(post.channels)
    event.add("summary", summary(post.title, shorts, post.status, overdue))
    texts: dict[tuple[str, str], list[str]] = {}
    for e in entries:
        texts.setdefault((e.outgoing.text, e.outgoing.first_comment), []).append(e.channel.short)
    lines = [f"Channels: {', '.join(shorts)}"]
    for (body, comment), names in texts.items():
        lines.append(f"On {', '.join(names)}:\n{body}" if len(texts) > 1 else body)
        if comment:
            lines.append(f"First comment: {comment}")
    if overdue:
        lines.append("Overdue: its slot has passed and it still waits for review.")
    url = site.base_url + urls.post_location(post.id)
    event.add("description", text("\n\n".join(part for part in [*lines, *_facts(post, url)] if part)))
    event.add("url", url)
    event.add("categories", _categories(shorts, series, campaign))
    event.add("status", _status(post.status))
    event.add("transp", "TRANSPARENT")
    event.add("class", "PUBLIC")
    return event.to_ical()


def proposal_event(site: FeedSite, proposal: Proposal, entry: Entry, pr_url: str) -> bytes:
    """A post of an open pull request on one channel: tentative, marked with the pull request,
    dated by the post itself (a proposal has no history yet)."""
    post, channel, out = entry.post, entry.channel, entry.outgoing
    event = ical_text.Event()
    event.add("uid", line(f"pr{proposal.number}.{post.id}.{channel.id}@{site.host}"))
    stamp = post.date.astimezone(dt.UTC)
    event.add("dtstamp", stamp)
    event.add("dtstart", stamp)
    event.add("dtend", stamp + site.duration)
    event.add("summary", line(f"{post.title} [{channel.short}] (PR #{proposal.number})"))
    lines = [out.text]
    if out.first_comment:
        lines.append(f"First comment: {out.first_comment}")
    if post.link and post.link not in out.text:
        lines.append(f"Link: {post.link}")
    change = "a change to a merged post" if proposal.before else "a new post"
    where = f": {pr_url}" if pr_url else ""
    lines.append(f"Proposed in pull request #{proposal.number} ({change}), not merged{where}")
    if proposal.errors:
        lines.append(f"It has {proposal.errors} error{'s' * (proposal.errors != 1)}.")
    if is_valid_id(post.id):
        url = site.base_url + urls.post_location(post.id) + "#" + urls.pending_anchor(proposal.number)
    else:
        url = site.base_url + urls.page_url(urls.REVIEW) + urls.desk_for(proposal.number)
    lines.append(f"In the calendar: {url}")
    event.add("description", text("\n\n".join(part for part in lines if part)))
    event.add("url", url)
    event.add("categories", [line(channel.short), "Pull request"])
    event.add("status", "TENTATIVE")
    event.add("transp", "TRANSPARENT")
    event.add("class", "PUBLIC")
    return event.to_ical()


def campaign_event(site: FeedSite, campaign: Campaign, hist: FileHistory | None, tz: dt.tzinfo) -> bytes:
    event = ical_text.Event()
    event.add("uid", f"campaign.{campaign.id}@{site.host}")
    noon = dt.datetime.combine(campaign.start, dt.time(12), tzinfo=tz)
    stamp, modified, sequence = _stamps(hist, noon)
    event.add("dtstamp", stamp)
    event.add("last-modified", modified)
    event.add("sequence", sequence)
    event.add("dtstart", campaign.start)
    event.add("dtend", campaign.end + dt.timedelta(days=1))  # exclusive
    status = "" if campaign.status.confirmed else f"{campaign.status.label.capitalize()}: "
    event.add("summary", line(f"[Campaign] {status}{campaign.title}"))
    url = site.base_url + urls.page_url(urls.campaign_page(campaign.id))
    plan = plain_text(campaign.plan)
    parts = [plan] if plan else []
    if campaign.objectives:
        parts.append("Objectives: " + "; ".join(campaign.objectives))
    parts.append(f"In the calendar: {url}")
    event.add("description", text("\n\n".join(parts)))
    event.add("url", url)
    event.add("categories", ["Campaign"])
    event.add("status", campaign.status.group.ical)
    event.add("transp", "TRANSPARENT")
    return event.to_ical()


def feed_head(cal: Calendar, feed: Feed) -> bytes:
    """The calendar's own properties: everything of the feed but its events and its end."""
    refresh = cal.registry.settings.feeds.refresh_interval
    ical = icalendar.Calendar()
    ical.add("prodid", PRODID)
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    name, description = line(feed.title), text(feed.description)
    ical.add("name", name)
    ical.add("x-wr-calname", icalendar.vText(name))
    ical.add("description", description)
    ical.add("x-wr-caldesc", icalendar.vText(description))
    ical.add("x-wr-timezone", icalendar.vText(cal.tz.key))
    ical.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    ical.add("x-published-ttl", icalendar.vDuration(refresh))
    head = ical.to_ical()
    assert head.endswith(END)
    return head[: -len(END)]





def _ordered(cal: Calendar) -> list[tuple[tuple, Post | Campaign]]:
    """Every event in feed order: posts and campaigns by time."""
    items: list[tuple[tuple, Post | Campaign]] = [((instant(p.date), p.id), p) for p in cal.posts]
    for campaign in cal.campaigns:
        start = dt.datetime.combine(campaign.start, dt.time(0), tzinfo=cal.tz)
        items.append(((instant(start), ""), campaign))
    items.sort(key=lambda kv: kv[0])
    return items


def write_feeds(
    cal: Calendar,
    base_url: str,
    write: Callable[[str, Iterable[bytes]], None],
    scratch: Path | None = None,
    memo: Memo = NO_MEMO,
    table: Sequence[FeedRow] = FEEDS,
) -> int:
    """Write every feed through `write(path, chunks)`; returns how many there are."""
    site = FeedSite(base_url.rstrip("/") + "/", dt.timedelta(minutes=cal.registry.settings.feeds.duration_minutes))
    scope = Scope.of(cal)

    def targets(event: Event | Proposal) -> list[str]:
        return [path for row in table for path in row.targets(scope, event)]

    # Per feed, its events as (offset, length) pairs into the spool, in feed order.
    slices: dict[str, array] = defaultdict(lambda: array("q"))
    with tempfile.TemporaryFile(dir=scratch, prefix=".feeds-") as spool:
        offset = 0

        def add(block: bytes, paths: Iterable[str]) -> None:
            nonlocal offset
            spool.write(block)
            for path in paths:
                pairs = slices[path]
                if pairs and pairs[-2] + pairs[-1] == offset and pairs[-1] + len(block) <= CHUNK:
                    pairs[-1] += len(block)  # right after the feed's last event: one read
                else:
                    pairs.extend((offset, len(block)))
            offset += len(block)

        for _, item in _ordered(cal):
            if isinstance(item, Post):
                post = item
                block = memo(
                    "post-event",
                    (
                        site,
                        post,
                        cal.entries_by_post.get(post.id, ()),
                        cal.series_of(post),
                        cal.campaign_by_id.get(post.campaign or ""),
                        cal.provenance.get(post.path),
                        cal.is_expired(post),
                    ),
                    post_event,
                )
            else:
                block = campaign_event(site, item, cal.provenance.get(item.path), cal.tz)
            add(block, targets(item))
        for proposal in cal.proposals:
            if not proposal.shown:
                continue
            opened = cal.pull_request_by_number[proposal.number]
            paths = targets(proposal)
            for entry in proposal.entries:
                add(proposal_event(site, proposal, entry, opened.pr.url), paths)
        spool.flush()
        every = feeds(cal, table)
        for feed in every:
            write(feed.path, _Assembled(feed_head(cal, feed), spool.fileno(), slices.pop(feed.path, array("q"))))
    return len(every)


@dataclass(frozen=True)
class _Assembled:
    """A feed's bytes in chunks, read from the spool each time it is iterated."""

    head: bytes
    fd: int
    pairs: array

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        buffer: list[bytes] = []
        size = 0
        pairs = self.pairs
        for i in range(0, len(pairs), 2):
            block = os.pread(self.fd, pairs[i + 1], pairs[i])
            buffer.append(block)
            size += len(block)
            if size >= CHUNK:
                yield b"".join(buffer)
                buffer, size = [], 0
        buffer.append(END)
        yield b"".join(buffer)
