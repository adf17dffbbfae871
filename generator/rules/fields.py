"""SC1xx: one file's fields. Keys, types and dates are checked while the file is loaded
(generator/load.py, dates.py); audiences and a campaign's dates are checked here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import Pos, unknown
from ..models import Campaign, Post
from .core import E, Example, File, FileContext, Finding, file_rule
from .examples import CAMPAIGN, VALID_POST

if TYPE_CHECKING:
    from ..content_file import Source


@file_rule(
    Post,
    Campaign,
    code="SC107",
    severity=E,
    title="Unknown audience",
    description="Audiences are the ids of the strategy's target audiences (content/audiences.yml).",
    example=Example(
        "audiences: [kids]",
        bad=[File("a.md", VALID_POST + "audiences: [kids]", "x")],
        good=[File("a.md", VALID_POST + "audiences: [media]", "x")],
    ),
)
def SC107(item: Post | Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    audiences = ctx.registry.audiences
    for i, aid in enumerate(item.audiences):
        if aid not in audiences:
            message, _ = unknown("audience", aid, audiences)
            yield Finding(src.at("audiences", i), message, "audiences: " + ", ".join(audiences))


@file_rule(
    Campaign,
    code="SC110",
    severity=E,
    title="Campaign ends before it starts",
    description="A campaign's `end` is on or after its `start`.",
    example=Example(
        "start: 2027-02-11\nend: 2027-02-01",
        bad=[File("c.md", CAMPAIGN.replace("2027-03-20", "2027-02-01"), "Plan", "campaigns")],
        good=[File("c.md", CAMPAIGN, "Plan", "campaigns")],
    ),
)
def SC110(campaign: Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    if campaign.end < campaign.start:
        yield Finding(
            src.at("end"),
            f"the campaign ends ({campaign.end}) before it starts ({campaign.start})",
            "swap start and end, or fix the dates",
        )


def _nested(levels: int) -> str:
    return "".join("    " * level + "- step\n" for level in range(levels))


@file_rule(
    Campaign,
    code="SC115",
    severity=E,
    title="Markdown too costly to read",
    description="A campaign's plan is Markdown, read before it is shown. Lists and quotes nest at most 16 levels, "
    "and the work of reading it may grow with its length but no faster: brackets `[` `(` and backticks "
    "left open in a long paragraph, or thousands of marks (`*` `_` `[`) in one paragraph, are refused "
    "before they can stall every command. Close them, write them as text (`\\[`), or split the paragraph.",
    example=Example(
        "- step\n    - step\n        - step\n            (… 17 levels)",
        bad=[File("c.md", CAMPAIGN, _nested(17), "campaigns")],
        good=[File("c.md", CAMPAIGN, _nested(16), "campaigns")],
    ),
)
def SC115(campaign: Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    from ..markup import excess

    body = campaign.body
    # The whole body is parsed for its links, the plan and the evaluation each for its page.
    for part in dict.fromkeys((body, campaign.plan, campaign.evaluation)):
        found = excess(part) if part else None
        if found is not None:
            first = body.count("\n", 0, max(body.find(part), 0))
            yield Finding(Pos(src.body_line + first + found.line - 1, found.col), found.message, found.hint)
            return
