"""Where a post leads: its link and the URLs in its text (strategy 3.1: posts start a journey)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..diagnostics import Pos, one_line
from ..models import Post
from ..text import urls_in
from .core import E, Example, File, FileContext, Finding, file_rule
from .examples import INSTAGRAM_MEDIA, VALID_POST

if TYPE_CHECKING:
    from ..source import Source

_SPACE = re.compile(r"\s")


@lru_cache(maxsize=1024)  # SC108 and SC308 both ask about each post's link
def link_problem(link: str) -> str | None:
    """Why `link` is not an absolute web address, or None when it is one."""
    try:
        parts = urlsplit(link)
    except ValueError:
        return "it is not a URL"
    if parts.scheme not in ("http", "https"):
        return "it does not start with https://"
    if not parts.hostname or "." not in parts.hostname:
        return "it has no web address after https://"
    if _SPACE.search(link):
        return "it contains spaces"
    return None


@lru_cache(maxsize=256)  # most channels of a post publish the same body
def urls_of(text: str) -> tuple[str, ...]:
    return tuple(urls_in(text))


def text_pos(post: Post, src: Source, channel_id: str) -> Pos:
    """Where the text a channel publishes is written: its variant, or the body."""
    return src.at("variants") if channel_id in post.variants else Pos(src.body_line, 1)


@file_rule(
    Post,
    code="SC108",
    severity=E,
    title="Malformed link",
    description="A link is an absolute https:// (or http://) URL.",
    example=Example(
        "link: home.cern/news",
        bad=[File("a.md", VALID_POST.replace("https://home.cern/news/lhc-restarts", "home.cern/news"), "x")],
        good=[File("a.md", VALID_POST, "x")],
    ),
)
def SC108(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    if post.link is not None:
        problem = link_problem(post.link)
        if problem:
            yield Finding(
                src.at("link"),
                f"link '{one_line(post.link)}' is malformed: {problem}",
                "write the full address, e.g. https://home.cern/news",
            )
    for key, r in post.results.items():
        problem = link_problem(r.url) if r.url else None
        if problem:
            yield Finding(
                src.at("results"),
                f"results url of {one_line(key)} '{one_line(r.url or '')}' is malformed: {problem}",
                "write the published post's full address, e.g. https://twitter.com/CERN/status/…",
            )


@file_rule(
    Post,
    code="SC302",
    severity=E,
    title="Post does not lead to a web page",
    description="Most channels require a link (strategy 3.1: posts start a journey to find out more). "
    "`link` may be left out only when every channel of the post forbids links.",
    example=Example(
        "channel: twitter-cern  # and no link:",
        bad=[File("a.md", VALID_POST.replace("link: https://home.cern/news/lhc-restarts", ""), "x")],
        good=[
            File(
                "a.md",
                VALID_POST.replace("link: https://home.cern/news/lhc-restarts", "").replace(
                    "channel: twitter-cern", "channel: instagram-cern"
                )
                + INSTAGRAM_MEDIA,
                "x",
            )
        ],
    ),
)
def SC302(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    series = ctx.registry.series.get(post.series) if post.series is not None else None
    if series is not None and series.requires_link and not post.link:
        yield Finding(
            src.at("series"),
            f"a {series.label} post links to where to find out more",
            "add `link: https://home.cern/…`",
        )
    if post.link is None:
        requiring = [c.id for c in ctx.channels if c.limits.link == "required"]
        if requiring:
            yield Finding(
                src.keys.get("title", Pos(1, 1)),
                f"the post has no link, but {', '.join(requiring)} require{'s' if len(requiring) == 1 else ''} one",
                "add `link: https://home.cern/…` (the strategy: every post starts a journey)",
            )


@file_rule(
    Post,
    code="SC303",
    severity=E,
    title="Link in the text where the channel forbids it",
    description="Instagram feed captions carry no link (it is not clickable there). Keep the `link` "
    "in front-matter for the record and remove URLs from the text.",
    example=Example(
        "channel: instagram-cern\n---\nRead more at https://home.cern/news",
        bad=[
            File(
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: instagram-cern") + INSTAGRAM_MEDIA,
                "More at https://home.cern/news",
            )
        ],
        good=[
            File(
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: instagram-cern") + INSTAGRAM_MEDIA,
                "More: link in bio",
            )
        ],
    ),
)
def SC303(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    for channel in ctx.channels:
        if channel.limits.link == "forbidden":
            found = urls_of(post.text_for(channel.id))
            if found:
                yield Finding(
                    text_pos(post, src, channel.id),
                    f"{channel.id} forbids links in the text, but it contains '{one_line(found[0])}'",
                    "remove the URL from the text; keep it in `link:` for the record",
                )


@file_rule(
    Post,
    code="SC308",
    severity=E,
    title="Link to external media",
    description="CERN does not usually share content from external media, to avoid endorsement and bias. "
    "home.cern, CERN sites and the related publications (CERN Courier, Symmetry magazine) "
    "are allowed; another site needs a declared `partnership:` agreed with the Press Office.",
    example=Example(
        "link: https://news.example.com/cern-story",
        bad=[
            File("a.md", VALID_POST.replace("https://home.cern/news/lhc-restarts", "https://news.example.com/x"), "x")
        ],
        good=[
            File(
                "a.md",
                VALID_POST.replace("https://home.cern/news/lhc-restarts", "https://news.example.com/x")
                + "partnership: Joint series agreed with the Press Office",
                "x",
            )
        ],
    ),
)
def SC308(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    partnership = bool(post.partnership and post.partnership.strip())
    classify = ctx.registry.links.classify
    if post.link is not None and link_problem(post.link) is None:
        yield from _external(src.at("link"), post.link, classify, partnership)
    for channel in ctx.channels:
        if channel.limits.link != "forbidden":
            urls = urls_of(post.text_for(channel.id))
            if urls:
                pos = text_pos(post, src, channel.id)
                for url in urls:
                    yield from _external(pos, url, classify, partnership)


def _external(pos: Pos, url: str, classify, partnership: bool) -> Iterator[Finding]:
    host = _host(url)
    if classify(host) is None and not partnership:
        yield Finding(
            pos,
            f"'{one_line(host)}' is external media, which CERN does not usually share",
            "link to home.cern or a CERN site; if there is a partnership agreed with the "
            "Press Office, say so in `partnership:`",
        )


@lru_cache(maxsize=1024)
def _host(url: str) -> str:
    return urlsplit(url if "://" in url else "https://" + url).hostname or ""
