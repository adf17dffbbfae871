"""Open slots and the proposals they start (issue 22).

A series with a weekly cadence (`expected_weekly` in content/series.yml) has a slot each week, on
its first weekday (`weekdays`, else the week's first day still ahead) at its `time` (else
`default_time` of content/settings.yml); a week without a live post of the series is a gap, and
its slot from today through the planning horizon is open. Each open slot, and each empty day, starts
a proposal prefilled with what is known: date, time, series, channels, hashtags. `Prefill` is that
proposal in the three forms the site offers it: the file for GitHub's new-file page, the fields of
the "Propose a post" issue form, and the `socialcal new post` line to copy.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from .besttimes import Heatmap, suggest
from .date_formats import day_month
from .models import DEFAULT_POST_STATUS, Post
from .registry import WEEKDAYS, Registry, Series

POSTS_FOLDER = "content/posts"


@dataclass(frozen=True)
class Prefill:
    """A post not written yet: what a slot or an empty day knows of it."""

    when: dt.datetime  # in the calendar's zone
    title: str
    channels: tuple[str, ...] = ()
    series: str | None = None
    hashtags: tuple[str, ...] = ()
    # What the team's results say of the best hour on its channels (besttimes.py), when there are
    # enough: shown with the proposal, never changing its time (the series has its own).
    best_times: tuple[str, ...] = ()

    @property
    def day(self) -> dt.date:
        return self.when.date()

    @property
    def key(self) -> str:
        """Unique on a page (a day's slots differ by series): element ids."""
        return f"new-{self.day.isoformat()}" + (f"-{self.series}" if self.series else "")

    @cached_property
    def meta(self) -> dict[str, object]:
        """The front-matter, as `socialcal new post` writes it."""
        meta: dict[str, object] = {"title": self.title, "date": f"{self.when:%Y-%m-%d %H:%M}"}
        if self.channels:
            meta["channel"] = self.channels[0] if len(self.channels) == 1 else list(self.channels)
        if self.series:
            meta["series"] = self.series
        if self.hashtags:
            meta["hashtags"] = list(self.hashtags)
        meta["status"] = DEFAULT_POST_STATUS.value
        return meta

    @property
    def path(self) -> str:
        """Where the file goes, from the repository's root (the id `socialcal new post` gives it)."""
        from .new import slugify

        return f"{POSTS_FOLDER}/{self.when:%Y/%m}/{self.when:%Y-%m-%d}-{slugify(self.title) or 'post'}.md"

    def file_text(self, registry: Registry) -> str:
        """The whole file, with the comments `socialcal new post` adds for what the channels need."""
        from .new import PLACEHOLDER, post_stubs, render

        channels = [registry.channels[c] for c in self.channels if c in registry.channels]
        stubs = post_stubs(self.meta, channels, registry.series.get(self.series or ""))
        if not self.channels:  # the one thing a post cannot go without: say which there are
            active = ", ".join(c.id for c in registry.channels.values() if not c.is_retired)
            stubs = f"channel: []  # one or more of: {active}\n" + stubs
        return render(self.meta, PLACEHOLDER, stubs)

    @property
    def command(self) -> str:
        """The `socialcal new post` line that writes it (quoted for a POSIX shell)."""
        words = ["socialcal", "new", "post", "--title", self.title, "--date", f"{self.when:%Y-%m-%d %H:%M}"]
        for cid in self.channels:
            words += ["--channel", cid]
        if self.series:
            words += ["--series", self.series]
        for tag in self.hashtags:
            words += ["--hashtag", tag]
        return shlex.join(words)

    @property
    def issue_fields(self) -> dict[str, str]:
        """The "Propose a post" form's fields by id (.github/ISSUE_TEMPLATE/propose-post.yml),
        and the issue's title; GitHub fills input and textarea fields from the address."""
        fields = {"title": f"Post: {self.title}", "headline": self.title, "date": f"{self.when:%Y-%m-%d %H:%M}"}
        if self.channels:
            fields["channels"] = ", ".join(self.channels)
        if self.series:
            fields["series"] = self.series
        if self.hashtags:
            fields["hashtags"] = " ".join(self.hashtags)
        return fields


@dataclass(frozen=True)
class Slot:
    """An open slot of a series: a week of its cadence without a live post."""

    series: Series
    prefill: Prefill

    @property
    def day(self) -> dt.date:
        return self.prefill.day

    @property
    def when(self) -> dt.datetime:
        return self.prefill.when


def slot_time(series: Series, registry: Registry) -> dt.time:
    return dt.time.fromisoformat(series.time or registry.settings.default_time)


def slot_day(series: Series, monday: dt.date, today: dt.date) -> dt.date | None:
    """The day of a series' slot in the week of `monday`: its first weekday not before today (a
    series on any day: the week's first day not before today); None when they have all passed."""
    if series.weekdays:
        days = sorted(monday + dt.timedelta(days=WEEKDAYS.index(w)) for w in series.weekdays)
    else:
        days = [monday + dt.timedelta(days=i) for i in range(7)]
    return next((d for d in days if d >= today), None)


def series_title(series: Series, day: dt.date) -> str:
    return f"{series.label} {day_month(day)}"


def open_slots(
    registry: Registry,
    posts_by_series: Mapping[str, Sequence[Post]],
    today: dt.date,
    horizon: dt.date,
    heatmaps: Mapping[str, Heatmap] | None = None,
) -> tuple[Slot, ...]:
    """Every open slot from today through the horizon, by time, then series; each with the best
    hour of its channels from `heatmaps` (the calendar's results), where they have enough."""
    tz = registry.settings.tz
    first_monday = today - dt.timedelta(days=today.weekday())
    found = []
    for series in registry.series.values():
        if not series.expected_weekly:
            continue
        filled = {
            p.day - dt.timedelta(days=p.day.weekday())
            for p in posts_by_series.get(series.id, ())
            if not p.status.cancelled
        }
        channels = tuple(c for c in series.channels if c in registry.channels and not registry.channels[c].is_retired)
        at = slot_time(series, registry)
        monday = first_monday
        while monday <= horizon:
            day = slot_day(series, monday, today)
            if monday not in filled and day is not None and day <= horizon:
                when = dt.datetime.combine(day, at, tzinfo=tz)
                tips = tuple(tip.text for tip in suggest(heatmaps or {}, registry, channels, day))
                prefill = Prefill(when, series_title(series, day), channels, series.id, series.hashtags, tips)
                found.append(Slot(series, prefill))
            monday += dt.timedelta(weeks=1)
    return tuple(sorted(found, key=lambda s: (s.day, s.when.time(), s.series.id)))


def day_prefill(registry: Registry, day: dt.date) -> Prefill:
    """The proposal an empty day starts: that day at the default time, nothing else known."""
    when = dt.datetime.combine(day, dt.time.fromisoformat(registry.settings.default_time), tzinfo=registry.settings.tz)
    return Prefill(when, "New post")
