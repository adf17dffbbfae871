"""Recurring formats (content/series.yml): which series, on which accounts, on which weekday, and
answers naming their question. Rules that compare posts with each other are in planning.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import unknown
from ..models import Post
from ..registry import WEEKDAY_NAMES, WEEKDAYS, Registry, Series
from .core import E, Example, File, FileContext, Finding, file_rule
from .examples import QUESTION, VALID_POST

if TYPE_CHECKING:
    from ..content_file import Source


def series_of(post: Post, registry: Registry) -> Series | None:
    """The post's series when it names one that exists (an unknown one is SC202's)."""
    return registry.series.get(post.series) if post.series is not None else None


@file_rule(
    Post,
    code="SC202",
    severity=E,
    title="Unknown series",
    description="Series are ids from content/series.yml.",
    example=Example(
        "series: photo-of-the-day",
        bad=[File("a.md", VALID_POST + "series: photo-of-the-day", "x")],
        good=[File("a.md", VALID_POST + "series: photo-of-the-week", "x")],
    ),
)
def SC202(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    series_ids = ctx.registry.series
    if post.series is not None and post.series not in series_ids:
        message, _ = unknown("series", post.series, list(series_ids))
        yield Finding(src.at("series"), message, "series: " + ", ".join(series_ids))


@file_rule(
    Post,
    code="SC207",
    severity=E,
    title="Series not on this channel",
    description="Some series only run on certain accounts (CERN Lectures on the lectures channel only).",
    example=Example(
        "series: cern-lectures\nchannel: twitter-cern",
        bad=[File("a.md", VALID_POST.replace("2027-03-02", "2027-03-03") + "series: cern-lectures", "x")],
        good=[
            File(
                "a.md",
                VALID_POST.replace("2027-03-02", "2027-03-03").replace("twitter-cern", "youtube-cern-lectures")
                + "series: cern-lectures",
                "x",
            )
        ],
    ),
)
def SC207(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    series = series_of(post, ctx.registry)
    if series is None or not series.channels:
        return
    for channel in ctx.channels:
        if channel.id not in series.channels:
            yield Finding(
                src.at("channel", post.channels.index(channel.id)),
                f"series '{series.id}' does not run on '{channel.id}'",
                "it runs on " + ", ".join(series.channels),
            )


@file_rule(
    Post,
    code="SC208",
    severity=E,
    title="Series on the wrong weekday",
    description="GWTI questions go out on Friday, answers on Monday, TBT on Thursday, CERN Lectures on Wednesday.",
    example=Example(
        "series: tbt\ndate: 2027-01-13 10:00  # a Wednesday",
        bad=[File("a.md", VALID_POST.replace("2027-03-02", "2027-03-03") + "series: tbt", "x")],
        good=[File("a.md", VALID_POST.replace("2027-03-02", "2027-03-04") + "series: tbt", "x")],
    ),
)
def SC208(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    series = series_of(post, ctx.registry)
    if series is None or not series.weekdays or not ctx.date_known:
        return
    weekday = WEEKDAYS[post.date.weekday()]
    if weekday not in series.weekdays:
        days = ", ".join(WEEKDAY_NAMES[d] for d in series.weekdays)
        yield Finding(
            src.at("date"),
            f"{series.label} goes out on {days}, but {post.day} is a {WEEKDAY_NAMES[weekday]}",
            f"move the post to a {days}",
        )


@file_rule(
    Post,
    code="SC210",
    severity=E,
    title="Answer without its question",
    description="A post of an answering series (gwti-answer) names the post it answers in `answer_to`; "
    "other posts have no `answer_to`.",
    example=Example(
        "series: gwti-answer",
        bad=[File("a.md", VALID_POST.replace("2027-03-02", "2027-03-08") + "series: gwti-answer", "x")],
        good=[
            File("q.md", QUESTION, "?"),
            File("a.md", VALID_POST.replace("2027-03-02", "2027-03-08") + "series: gwti-answer\nanswer_to: q", "x"),
        ],
    ),
)
def SC210(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    if post.series is None:
        if post.answer_to is not None:
            yield Finding(
                src.at("answer_to"),
                "`answer_to` on a post that is not an answer",
                "set `series: gwti-answer`, or remove `answer_to`",
            )
        return
    series = series_of(post, ctx.registry)
    if series is None:
        return
    if series.answers and post.answer_to is None:
        yield Finding(
            src.at("series"),
            f"a {series.label} post names the question it answers",
            "add `answer_to: <id of the question post>`",
        )
    if not series.answers and post.answer_to is not None:
        yield Finding(
            src.at("answer_to"),
            f"`answer_to` on a {series.label} post, which answers nothing",
            "remove `answer_to`, or use the answering series (gwti-answer)",
        )
