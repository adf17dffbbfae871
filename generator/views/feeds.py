"""iCal feeds: one event per (post, channel), one all-day event per campaign.

Every event is serialised once with `icalendar` and the feeds are assembled from those blocks,
so a post shown in four feeds costs one serialisation. Nothing depends on the clock: UIDs come
from ids and the site's host, DTSTAMP and LAST-MODIFIED from git history, so two builds of one
commit give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import icalendar

from ..cache import Cache, NoCache, digest
from ..calendar import Calendar, Entry
from ..models import CONFIRMED, Campaign
from ..text import plain_text
from .links import month_page, page_url

PRODID = "-//socialcal//socialcal calendar feeds//EN"
CRLF = b"\r\n"
# Every line break a calendar client might honour (icalendar escapes \n but not a bare \r), and
# the other control characters, which have no place in a feed.
_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


def line(value: object) -> str:
    """A one-line property value (SUMMARY, NAME, CATEGORIES): no line break can end the property."""
    return _CONTROL.sub("", _BREAK.sub(" ", str(value)))


def text(value: object) -> str:
    """A multi-line value (DESCRIPTION): line breaks become \\n, which icalendar escapes."""
    return _CONTROL.sub("", _BREAK.sub("\n", str(value)))


@dataclass
class FeedSet:
    files: dict[str, bytes] = field(default_factory=dict)
    listing: list[dict[str, str]] = field(default_factory=list)  # for the Subscribe page


def _status(status: str) -> str:
    if status == "cancelled":
        return "CANCELLED"
    return "CONFIRMED" if status in CONFIRMED else "TENTATIVE"


class FeedWriter:
    def __init__(self, cal: Calendar, base_url: str, cache: Cache | None = None) -> None:
        self.cal = cal
        self.cache = cache or NoCache()
        self.base_url = base_url.rstrip("/") + "/"
        self.host = urlsplit(self.base_url).hostname or "localhost"
        settings = cal.registry.settings.feeds
        self.duration = dt.timedelta(minutes=settings.duration_minutes)
        self.refresh = icalendar.vDuration.from_ical(settings.refresh)
        self.past_days = settings.past_days
        # What every event depends on besides its post: part of each cache key.
        self._context = digest(cal.registry.fingerprint, self.base_url, cal.tz.key)

    def post_url(self, post_id: str, day: dt.date) -> str:
        return f"{self.base_url}{page_url(month_page(day))}#{post_id}"

    def _stamps(self, path: str, fallback: dt.datetime) -> tuple[dt.datetime, dt.datetime, int]:
        hist = self.cal.provenance.get(path)
        if hist is None:
            # Without history the post's own date is the only stable instant there is.
            return fallback.astimezone(dt.UTC), fallback.astimezone(dt.UTC), 0
        return hist.last_change.astimezone(dt.UTC), hist.last_change.astimezone(dt.UTC), max(hist.revisions - 1, 0)

    def entry_event(self, entry: Entry) -> bytes:
        post, channel = entry.post, entry.channel
        series = self.cal.series_of(post)
        campaign = self.cal.campaign_by_id.get(post.campaign or "")
        # The registry (channels, settings), the site's address and the zone are in _context.
        key = digest(
            "event",
            self._context,
            self.cal.post_json(post),
            channel.id,
            series and series.name,
            campaign and campaign.title,
            self.cal.provenance.get(post.path),
        )
        block = self.cache.get(key)
        if block is None:
            block = self._entry_event(entry)
            self.cache.put(key, block)
        return block  # type: ignore[return-value]

    def _entry_event(self, entry: Entry) -> bytes:
        post, channel, out = entry.post, entry.channel, entry.outgoing
        event = icalendar.Event()
        event.add("uid", f"{post.id}.{channel.id}@{self.host}")
        stamp, modified, sequence = self._stamps(post.path, post.date)
        event.add("dtstamp", stamp)
        event.add("last-modified", modified)
        event.add("sequence", sequence)
        start = post.date.astimezone(dt.UTC)
        event.add("dtstart", start)
        event.add("dtend", start + self.duration)
        # Many clients (calcurse, phone apps) ignore STATUS: what is not confirmed says so in the title.
        status = "" if post.status in CONFIRMED else f"{post.status.capitalize()}: "
        event.add("summary", line(f"[{channel.short}] {status}{post.title}"))
        lines = [out.text]
        if out.first_comment:
            lines.append(f"First comment: {out.first_comment}")
        if post.link and post.link not in out.text:
            lines.append(f"Link: {post.link}")
        lines.append(f"Status: {post.status}")
        url = self.post_url(post.id, post.day)
        lines.append(f"In the calendar: {url}")
        event.add("description", text("\n\n".join(part for part in lines if part)))
        event.add("url", url)
        categories = [channel.short]
        series = self.cal.series_of(post)
        if series:
            categories.append(series.name)
        campaign = self.cal.campaign_by_id.get(post.campaign or "")
        if campaign:
            categories.append(campaign.title)
        event.add("categories", [line(c) for c in categories])
        event.add("status", _status(post.status))
        event.add("transp", "TRANSPARENT")
        event.add("class", "PUBLIC")
        return event.to_ical()

    def campaign_event(self, campaign: Campaign) -> bytes:
        event = icalendar.Event()
        event.add("uid", f"campaign.{campaign.id}@{self.host}")
        noon = dt.datetime.combine(campaign.start, dt.time(12), tzinfo=self.cal.tz)
        stamp, modified, sequence = self._stamps(campaign.path, noon)
        event.add("dtstamp", stamp)
        event.add("last-modified", modified)
        event.add("sequence", sequence)
        event.add("dtstart", campaign.start)
        event.add("dtend", campaign.end + dt.timedelta(days=1))  # exclusive
        status = f"{campaign.status.capitalize()}: " if campaign.status in ("draft", "cancelled") else ""
        event.add("summary", line(f"[Campaign] {status}{campaign.title}"))
        url = f"{self.base_url}{page_url(f'campaigns/{campaign.id}.md')}"
        plan = plain_text(campaign.plan)
        parts = [plan] if plan else []
        if campaign.objectives:
            parts.append("Objectives: " + "; ".join(campaign.objectives))
        parts.append(f"In the calendar: {url}")
        event.add("description", text("\n\n".join(parts)))
        event.add("url", url)
        event.add("categories", ["Campaign"])
        event.add(
            "status",
            "CANCELLED"
            if campaign.status == "cancelled"
            else ("TENTATIVE" if campaign.status == "draft" else "CONFIRMED"),
        )
        event.add("transp", "TRANSPARENT")
        return event.to_ical()

    def calendar(self, name: str, description: str, events: list[bytes]) -> bytes:
        cal = icalendar.Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        name, description = line(name), text(description)
        cal.add("name", name)
        cal.add("x-wr-calname", icalendar.vText(name))
        cal.add("description", description)
        cal.add("x-wr-caldesc", icalendar.vText(description))
        cal.add("x-wr-timezone", icalendar.vText(self.cal.tz.key))
        cal.add("refresh-interval", self.refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(self.refresh))
        head = cal.to_ical()
        end = b"END:VCALENDAR" + CRLF
        assert head.endswith(end)
        return head[: -len(end)] + b"".join(events) + end


def build_feeds(cal: Calendar, base_url: str, cache: Cache | None = None) -> FeedSet:
    writer = FeedWriter(cal, base_url, cache)
    cutoff = cal.today - dt.timedelta(days=writer.past_days)
    # (sort key, bytes) per event, computed once.
    by_channel: dict[str, list] = defaultdict(list)
    by_series: dict[str, list] = defaultdict(list)
    by_campaign: dict[str, list] = defaultdict(list)
    everything: list = []
    for entry in cal.entries:
        block = writer.entry_event(entry)
        key = (entry.post.date, entry.post.id, entry.channel.id)
        item = (key, block)
        by_channel[entry.channel.id].append(item)
        if entry.post.series:
            by_series[entry.post.series].append(item)
        if entry.post.campaign:
            by_campaign[entry.post.campaign].append(item)
        if entry.post.day >= cutoff:
            everything.append(item)
    for campaign in cal.campaigns:
        start = dt.datetime.combine(campaign.start, dt.time(0), tzinfo=cal.tz)
        item = ((start, "", campaign.id), writer.campaign_event(campaign))
        by_campaign[campaign.id].append(item)
        if campaign.end >= cutoff:
            everything.append(item)

    def blocks(items: list) -> list[bytes]:
        return [b for _, b in sorted(items, key=lambda kv: kv[0])]

    out = FeedSet()

    def add(path: str, title: str, description: str, items: list) -> None:
        out.files[path] = writer.calendar(title, description, blocks(items))
        url = writer.base_url + path
        out.listing.append(
            {
                "title": title,
                "path": path,
                "url": url,
                "webcal": "webcal://" + url.split("://", 1)[1] if url.startswith("https://") else "",
            }
        )

    add(
        "feeds/all.ics",
        "Social-media calendar: everything",
        f"Every planned post on every channel, and campaigns; the last {writer.past_days} days and all ahead.",
        everything,
    )
    for ch in cal.registry.channels.values():
        add(
            f"feeds/channels/{ch.id}.ics",
            f"Social media: {ch.name}",
            f"Posts on {ch.name} ({ch.handle}).",
            by_channel.get(ch.id, []),
        )
    for campaign in cal.campaigns:
        add(
            f"feeds/campaigns/{campaign.id}.ics",
            f"Campaign: {campaign.title}",
            f"The campaign {campaign.title} ({campaign.start} to {campaign.end}) and its posts.",
            by_campaign.get(campaign.id, []),
        )
    for series in cal.registry.series.values():
        add(
            f"feeds/series/{series.id}.ics",
            f"Series: {series.name}",
            f"Posts of the series {series.name}.",
            by_series.get(series.id, []),
        )
    return out
