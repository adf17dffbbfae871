"""A post's own page: each channel's preview as the network will show it, the post's
diagnostics, its place in the plan (campaign, series, question and answer) and its history.

Post pages are many (one per post), so they are not handed to the site builder one by one: they
are filled into one shell page the builder rendered (see shell.py). The context is everything
the page shows, so that it is also the key under which `socialcal serve` keeps a rendered page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ...calendar import Calendar
from ...diagnostics import Diagnostic, one_line
from ...media import BadImage, Thumb, is_remote
from ...models import Media, Post
from ...rules import rule
from .base import SiteData
from .calendar import part


@dataclass(frozen=True, slots=True)
class Shown:
    """One medium of a post, as the page shows it."""

    src: str
    alt: str
    kind: str
    thumb: Thumb | None = None  # a local image's thumbnail
    remote: bool = False
    trusted: bool = False  # a remote image from a host the team trusts: shown with <img>
    problem: str = ""  # why a local image has no thumbnail
    undecodable: bool = False  # the file is there, but is no image that can be decoded (SC314)

    @property
    def name(self) -> str:
        return self.src.rsplit("/", 1)[-1] or self.src

    @property
    def host(self) -> str:
        try:
            return urlsplit(self.src).hostname or ""
        except ValueError:
            return ""


def all_posts(site: SiteData) -> tuple[Post, ...]:
    return site.cal.posts


def shown_media(site: SiteData, post: Post) -> tuple[tuple[Shown, ...], tuple[Diagnostic, ...]]:
    """The post's media as shown, and SC314 for each image that exists but cannot be decoded."""
    out: list[Shown] = []
    problems: list[Diagnostic] = []
    settings = site.cal.registry.settings.site
    for m in post.media:
        shown = _shown(site, m, settings.trusts_media_from)
        out.append(shown)
        if shown.undecodable:
            problems.append(
                rule("SC314").at(
                    post.path,
                    0,
                    0,
                    f"image '{one_line(m.src)}' cannot be shown: {shown.problem}",
                    "export it again as a JPEG, PNG, WebP or GIF",
                )
            )
    return tuple(out), tuple(problems)


def _shown(site: SiteData, m: Media, trusts: Callable[[str], bool]) -> Shown:
    if is_remote(m.src):
        host = Shown(m.src, m.alt, m.kind).host
        trusted = m.kind == "image" and m.src.startswith("https://") and trusts(host)
        return Shown(m.src, m.alt, m.kind, remote=True, trusted=trusted)
    if m.kind != "image" or site.media is None:
        return Shown(m.src, m.alt, m.kind)
    found = site.media.thumb(m.src)
    if isinstance(found, Thumb):
        return Shown(m.src, m.alt, m.kind, thumb=found)
    if isinstance(found, BadImage):
        return Shown(m.src, m.alt, m.kind, problem=str(found), undecodable=True)
    return Shown(m.src, m.alt, m.kind, problem=found)


def _local_time(cal: Calendar, when: dt.datetime) -> dt.datetime:
    return when.astimezone(cal.tz) if when.tzinfo is not None else when.replace(tzinfo=cal.tz)


def post(site: SiteData, post: Post) -> dict[str, object]:
    cal = site.cal
    question = cal.post_by_id.get(post.answer_to) if post.answer_to else None
    answers = cal.answers.get(post.id, ())
    media, media_problems = shown_media(site, post)
    when = _local_time(cal, post.date)
    channels = [cal.registry.channels[c].short for c in post.channels if c in cal.registry.channels]
    return {
        # The part of the calendar the page can see (its key under `socialcal serve`).
        "part": part(cal, [post, *([question] if question else []), *answers]),
        "title": post.title,
        "description": f"{when:%A} {when.day} {when:%B %Y}, {when:%H:%M} · {', '.join(channels)} · {post.status}",
        "post": post,
        "when": when,
        "zone": str(cal.tz),
        "question": question,
        "answers": answers,
        "media": media,
        "diagnostics": tuple(sorted((*cal.diagnostics_of(post.path), *media_problems), key=Diagnostic.sort_key)),
        "expired": cal.is_expired(post),
        "history": cal.history(post),
    }
