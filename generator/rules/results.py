"""Analytics after publication: `results` (written by `socialcal results import`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import one_line
from ..models import Post, PostStatus
from .core import E, Example, File, FileContext, Finding, W, file_rule, load_rule
from .examples import VALID_POST

if TYPE_CHECKING:
    from ..source import Source


SC112 = load_rule(
    "SC112",
    E,
    "Results not keyed by channel",
    "`results` holds one block of numbers per channel, keyed by the channel's id. On a post with "
    "one channel the numbers may be written directly under `results:`; a post on several "
    "channels says which channel each number is from.",
    Example(
        "channel: [twitter-cern, facebook-cern]\nresults:\n  impressions: 1200",
        bad=[
            File(
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, facebook-cern]")
                + "status: published\nresults:\n  impressions: 1200\n  likes: 30",
                "x",
            )
        ],
        good=[File("a.md", VALID_POST + "status: published\nresults:\n  impressions: 1200\n  likes: 30", "x")],
    ),
    where="generator/load.py _post_from() (numbers written straight under `results:`)",
)


@file_rule(
    Post,
    code="SC311",
    severity=E,
    title="Results for a channel the post is not on",
    description="`results` holds the analytics of each channel the post went out on, keyed by channel id.",
    example=Example(
        "channel: twitter-cern\nresults:\n  facebook-cern: {impressions: 1200}",
        bad=[File("a.md", VALID_POST + "status: published\nresults:\n  facebook-cern: {impressions: 12}", "x")],
        good=[File("a.md", VALID_POST + "status: published\nresults:\n  twitter-cern: {impressions: 12}", "x")],
    ),
)
def SC311(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    for key in post.results:
        if key not in post.channels:
            yield Finding(
                src.at("results"),
                f"results for '{one_line(key)}', which is not one of this post's channels",
                "key each channel's results by one of the post's channel ids",
            )


@file_rule(
    Post,
    code="SC312",
    severity=W,
    title="Results on a post that is not published",
    description="Analytics belong to posts that went out; set `status: published`.",
    example=Example(
        "status: approved\nresults:\n  twitter-cern: {impressions: 1200}",
        bad=[File("a.md", VALID_POST + "status: approved\nresults:\n  twitter-cern: {impressions: 12}", "x")],
        good=[File("a.md", VALID_POST + "status: published\nresults:\n  twitter-cern: {impressions: 12}", "x")],
    ),
)
def SC312(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    if post.results and post.status is not PostStatus.PUBLISHED:
        yield Finding(
            src.at("results"), f"the post has results but its status is {post.status}", "set `status: published`"
        )
