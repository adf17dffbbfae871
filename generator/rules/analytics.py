"""Analytics after publication: `results` (written by `socialcal results import`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import one_line
from ..models import Post, PostStatus
from .core import E, Example, File, FileContext, Finding, W, file_rule
from .examples import VALID_POST

if TYPE_CHECKING:
    from ..content_file import Source


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
